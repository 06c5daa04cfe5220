"""Top-level routes: pages per app, the API under /api/v1/, OpenAPI at /api/schema/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("org/", include("organizations.urls")),
    path("chains/", include("chains.urls")),
    path("companies/", include("enterprises.urls")),
    path("outreach/", include("outreach.urls")),
    path("leads/", include("leads.urls")),
    path("projects/", include("projects.urls")),
    path("targets/", include("targets.urls")),
    path("bulletins/", include("bulletins.urls")),
    path("reports/", include("reports.urls")),
    path("reminders/", include("reminders.urls")),
    path("assessment/", include("assessment.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("complaint/", include("service.public_urls")),
    path("service/", include("service.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
