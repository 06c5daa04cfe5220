"""Everything under /api/v1/: each app adds its router here."""

from django.urls import include, path

urlpatterns = [
    path("", include("organizations.api.urls")),
    path("", include("chains.api.urls")),
    path("", include("enterprises.api.urls")),
    path("", include("outreach.api.urls")),
    path("", include("leads.api.urls")),
    path("", include("projects.api.urls")),
    path("", include("service.api.urls")),
    path("", include("targets.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("reminders.api.urls")),
    path("", include("assessment.api.urls")),
    path("", include("bulletins.api.urls")),
    path("", include("dashboards.api.urls")),
]
