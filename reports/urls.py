"""Pages of the team reports, under /reports/."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("new/", views.ReportCreateView.as_view(), name="report_create"),
    path("missing/", views.MissingView.as_view(), name="missing"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/edit/", views.ReportEditView.as_view(), name="report_edit"),
    path("<int:pk>/submit/", views.SubmitView.as_view(), name="report_submit"),
    path("<int:pk>/read/", views.ReadView.as_view(), name="report_read"),
    path("<int:pk>/return/", views.ReturnView.as_view(), name="report_return"),
]
