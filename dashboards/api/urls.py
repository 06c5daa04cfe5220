"""Route under /api/v1/ for the dashboard (included by config.api_urls)."""

from django.urls import path

from .views import DashboardAPIView

app_name = "dashboards_api"

urlpatterns = [
    path("dashboard/", DashboardAPIView.as_view(), name="dashboard"),
]
