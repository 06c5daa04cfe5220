"""Pages of the assessment, under /assessment/."""

from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.SchemeListView.as_view(), name="scheme_list"),
    path("new/", views.SchemeCreateView.as_view(), name="scheme_create"),
    path("<int:pk>/", views.ResultsView.as_view(), name="results"),
    path("<int:pk>/edit/", views.SchemeEditView.as_view(), name="scheme_edit"),
    path("<int:pk>/delete/", views.SchemeDeleteView.as_view(), name="scheme_delete"),
    path("<int:pk>/lock/", views.LockView.as_view(), name="lock"),
    path("<int:pk>/export/", views.ExportView.as_view(), name="export"),
]
