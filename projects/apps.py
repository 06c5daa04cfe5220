from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "projects"
    verbose_name = _("项目")

    def ready(self):
        # A company merge keeps the projects' investor names right; a company's page lists its projects.
        from core.registry import company_merge_hooks

        from .timeline import refresh_investor_names
        from .timeline import register as register_timeline

        if refresh_investor_names not in company_merge_hooks:
            company_merge_hooks.append(refresh_investor_names)
        register_timeline()
        # The 《签约项目台账》 ledger registers itself with the import/export pages and commands.
        from . import ledgers  # noqa: F401
