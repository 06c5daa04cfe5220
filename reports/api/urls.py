"""Routes under /api/v1/ for team reports (included by config.api_urls)."""

from rest_framework.routers import SimpleRouter

from .views import TeamReportViewSet

app_name = "reports_api"

router = SimpleRouter()
router.register("team-reports", TeamReportViewSet, basename="team-report")

urlpatterns = router.urls
