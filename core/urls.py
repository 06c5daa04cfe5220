from django.contrib.auth.decorators import login_required
from django.urls import path

from . import attachments, audit_views, import_views, views, workday_views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("audit/", audit_views.AuditListView.as_view(), name="audit_list"),
    path("audit/<int:pk>/", audit_views.AuditDetailView.as_view(), name="audit_detail"),
    path("imports/job/<int:pk>/", import_views.ImportPreviewView.as_view(), name="import_preview"),
    path("imports/job/<int:pk>/confirm/", import_views.ImportConfirmView.as_view(), name="import_confirm"),
    path("imports/job/<int:pk>/rejected/", import_views.ImportRejectedView.as_view(), name="import_rejected"),
    path("imports/<slug:ledger>/", import_views.ImportUploadView.as_view(), name="import_upload"),
    path("exports/<slug:ledger>/", import_views.ExportLedgerView.as_view(), name="export_ledger"),
    path("files/<int:pk>/", login_required(attachments.serve_attachment), name="attachment"),
    path("workdays/", workday_views.WorkdayListView.as_view(), name="workdays"),
    path("workdays/new/", workday_views.WorkdayCreateView.as_view(), name="workday_create"),
    path("workdays/<int:pk>/", workday_views.WorkdayEditView.as_view(), name="workday_edit"),
    path("workdays/<int:pk>/delete/", workday_views.WorkdayDeleteView.as_view(), name="workday_delete"),
]
