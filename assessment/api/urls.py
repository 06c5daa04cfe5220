"""Routes under /api/v1/ for the assessment (included by config.api_urls)."""

from rest_framework.routers import SimpleRouter

from .views import PeriodLockViewSet, SchemeViewSet

app_name = "assessment_api"

router = SimpleRouter()
router.register("assessment-schemes", SchemeViewSet, basename="scheme")
router.register("assessment-locks", PeriodLockViewSet, basename="lock")

urlpatterns = router.urls
