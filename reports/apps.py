from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("工作报告")

    def ready(self):
        from core import reminders

        from .reminders import report_reminders

        reminders.register(report_reminders)
