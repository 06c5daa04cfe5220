"""Routes under /api/v1/ for leads and conflicts (included by config.api_urls)."""

from rest_framework.routers import SimpleRouter

from .views import LeadConflictViewSet, LeadViewSet

app_name = "leads_api"

router = SimpleRouter()
router.register("leads", LeadViewSet, basename="lead")
router.register("lead-conflicts", LeadConflictViewSet, basename="lead-conflict")

urlpatterns = router.urls
