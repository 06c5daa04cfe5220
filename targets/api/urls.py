"""Routes under /api/v1/ for targets and the city's progress (included by config.api_urls)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import CityProgressView, TargetViewSet

app_name = "targets_api"

router = SimpleRouter()
router.register("targets", TargetViewSet, basename="target")

urlpatterns = [
    path("target-progress/city/", CityProgressView.as_view(), name="city-progress"),
    *router.urls,
]
