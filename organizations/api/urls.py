"""Routes under /api/v1/ for the org tree and people (included by config.api_urls)."""

from rest_framework.routers import SimpleRouter

from .views import PersonViewSet, UnitViewSet

app_name = "organizations_api"

router = SimpleRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("people", PersonViewSet, basename="person")

urlpatterns = router.urls
