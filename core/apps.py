from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("基础")

    def ready(self):
        from . import checks, signals  # noqa: F401  (registers system checks and auth-event auditing)
        from .hashing import assert_sm3_known_answer

        # Refuse to run if this Python/OpenSSL cannot compute SM3 correctly: the audit
        # chain would be unverifiable.
        assert_sm3_known_answer()
