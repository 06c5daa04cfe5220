from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("走访与对接台账")

    def ready(self):
        # The two ledgers become known to the import/export pages and commands.
        from core.registry import company_merge_hooks

        from . import ledgers  # noqa: F401
        from .services import rekey_after_merge

        if rekey_after_merge not in company_merge_hooks:
            company_merge_hooks.append(rekey_after_merge)
