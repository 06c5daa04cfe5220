from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "service"
    verbose_name = _("企业服务")

    def ready(self):
        # A company's page lists the problems it raised (registering again replaces, never doubles).
        from .timeline import register as register_timeline

        register_timeline()
