"""Routes under /api/v1/ for projects, stage changes, rounds and the counting rules (included by config.api_urls)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ProjectSettingsViewSet, ProjectViewSet, RoundViewSet, StageChangeViewSet

app_name = "projects_api"

router = SimpleRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("stage-changes", StageChangeViewSet, basename="stage-change")
router.register("project-rounds", RoundViewSet, basename="project-round")

urlpatterns = [
    # One city's rules, not a collection: GET and PATCH on the one URL.
    path(
        "project-settings/",
        ProjectSettingsViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="project-settings",
    ),
    *router.urls,
]
