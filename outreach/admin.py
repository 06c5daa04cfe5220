"""The ledgers in Django's admin, should a deployment install it: read only.

The project does not install django.contrib.admin (every page is scoped; the admin is
not). If a deployment adds it, these are registered read only: every write goes through
outreach.services (scope, duplicate checks, audit), never behind the services' back.
"""

from django.apps import apps
from django.contrib import admin

from .models import Inspection, OutboundTrip, PromotionEvent, Stationing, Visit


class ReadOnlyAdmin(admin.ModelAdmin):
    list_per_page = 50
    list_select_related = ("unit",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def register():
    for model, model_admin in (
        (Visit, VisitAdmin),
        (Inspection, InspectionAdmin),
        (PromotionEvent, PromotionEventAdmin),
        (OutboundTrip, OutboundTripAdmin),
        (Stationing, StationingAdmin),
    ):
        admin.site.register(model, model_admin)


class VisitAdmin(ReadOnlyAdmin):
    list_display = ("visit_date", "unit", "company", "way", "contact_name", "visitor_names")
    list_filter = ("way",)
    search_fields = ("company__name", "content", "contact_name")
    list_select_related = ("unit", "company")
    date_hierarchy = "visit_date"


class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("inspection_date", "unit", "company", "accompanying_leader")
    search_fields = ("company__name", "delegation", "result")
    list_select_related = ("unit", "company")
    date_hierarchy = "inspection_date"


class PromotionEventAdmin(ReadOnlyAdmin):
    list_display = ("event_date", "title", "unit", "place", "projects_signed", "signed_amount")
    search_fields = ("title", "place")
    date_hierarchy = "event_date"


class OutboundTripAdmin(ReadOnlyAdmin):
    list_display = ("start_date", "end_date", "unit", "leader_name", "destinations", "projects_connected")
    search_fields = ("destinations", "leader_name")
    date_hierarchy = "start_date"


class StationingAdmin(ReadOnlyAdmin):
    list_display = ("person", "unit", "place", "start_date", "end_date", "days")
    search_fields = ("person__name", "place")
    list_select_related = ("unit", "person")
    date_hierarchy = "start_date"


if apps.is_installed("django.contrib.admin"):
    register()
