from django.urls import path

from . import audit_views, views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("audit/", audit_views.AuditListView.as_view(), name="audit_list"),
    path("audit/<int:pk>/", audit_views.AuditDetailView.as_view(), name="audit_detail"),
]
