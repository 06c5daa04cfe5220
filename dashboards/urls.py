"""Pages of the dashboards, under /dashboards/."""

from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("print/", views.DashboardPrintView.as_view(), name="print"),
    path("export/", views.DashboardExportView.as_view(), name="export"),
]
