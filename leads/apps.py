from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = _("招商线索")

    def ready(self):
        # Leads plug into the other apps without those apps knowing about leads: a visit
        # to a company another unit holds is a conflict (撞单); a unit holding open leads
        # cannot be deactivated; a company merge rekeys the leads that moved.
        from core.registry import company_merge_hooks, open_work_checks, visit_recorded_hooks

        from .services import check_visit_conflicts, open_leads_of, rekey_after_merge

        for hooks, hook in (
            (visit_recorded_hooks, check_visit_conflicts),
            (open_work_checks, open_leads_of),
            (company_merge_hooks, rekey_after_merge),
        ):
            if hook not in hooks:
                hooks.append(hook)
        # The 《收集线索台账》 ledger registers itself with the import/export mechanism.
        from . import ledgers  # noqa: F401

        # A company's page lists the leads naming it as investor (registering again replaces, never doubles).
        from .timeline import register as register_timeline

        register_timeline()
