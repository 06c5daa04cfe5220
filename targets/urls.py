"""Pages of the targets, under /targets/: the list, the office's edits and templates, and the progress pages."""

from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("", views.TargetListView.as_view(), name="target_list"),
    path("new/", views.TargetCreateView.as_view(), name="target_create"),
    path("templates/", views.ApplyTemplateView.as_view(), name="apply_template"),
    path("progress/", views.UnitProgressView.as_view(), name="unit_progress"),
    path("progress/city/", views.CityProgressView.as_view(), name="city_progress"),
    path("<int:pk>/edit/", views.TargetEditView.as_view(), name="target_edit"),
    path("<int:pk>/delete/", views.TargetDeleteView.as_view(), name="target_delete"),
]
