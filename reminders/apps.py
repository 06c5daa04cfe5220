from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reminders"
    verbose_name = _("待办提醒")

    def ready(self):
        # Each source reads one app's records within the user's scope (core.reminders gathers them);
        # registering again is a no-op, so a second ready() never doubles a reminder.
        from core.reminders import register

        from . import sources

        for source in sources.SOURCES:
            register(source)
