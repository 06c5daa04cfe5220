from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("走访与对接台账")

    def ready(self):
        # The two ledgers become known to the import/export pages and commands.
        from . import ledgers  # noqa: F401
