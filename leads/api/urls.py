"""Routes under /api/v1/ for leads, conflicts and the office's settings (included by config.api_urls)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import LeadConflictViewSet, LeadPoolViewSet, LeadSettingsViewSet, LeadViewSet, NegativeListViewSet

app_name = "leads_api"

router = SimpleRouter()
router.register("leads", LeadViewSet, basename="lead")
router.register("lead-conflicts", LeadConflictViewSet, basename="lead-conflict")
router.register("lead-pools", LeadPoolViewSet, basename="lead-pool")
router.register("negative-list", NegativeListViewSet, basename="negative-list")

urlpatterns = [
    # One city's rules, not a collection: GET and PATCH on the one URL.
    path(
        "lead-settings/",
        LeadSettingsViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="lead-settings",
    ),
    *router.urls,
]
