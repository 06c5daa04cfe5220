"""Pages of the projects, under /projects/: the lists, a project's page and its actions (POST), entering and
correcting, 包联 and 四包, the verifier's queue, the monthly dispatch, the library, the rounds and their rates,
and the office's counting rules."""

from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("from-lead/<int:lead_pk>/", views.ProjectFromLeadView.as_view(), name="project_from_lead"),
    path("verify/", views.VerifyQueueView.as_view(), name="verify_queue"),
    path("dispatch/", views.DispatchView.as_view(), name="dispatch"),
    path("library/", views.LibraryView.as_view(), name="library"),
    path("settings/", views.ProjectSettingsView.as_view(), name="settings"),
    path("rounds/", views.RoundListView.as_view(), name="round_list"),
    path("rounds/new/", views.RoundCreateView.as_view(), name="round_create"),
    path("rounds/rates/", views.RoundRatesView.as_view(), name="round_rates"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:pk>/entries/", views.RoundEntryAddView.as_view(), name="round_entry_add"),
    path("rounds/entries/<int:pk>/remove/", views.RoundEntryRemoveView.as_view(), name="round_entry_remove"),
    path("changes/<int:pk>/verify/", views.ChangeVerifyView.as_view(), name="change_verify"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", views.ProjectEditView.as_view(), name="project_edit"),
    path("<int:pk>/assignment/", views.AssignmentView.as_view(), name="assignment"),
    path("<int:pk>/duties/", views.DutiesView.as_view(), name="duties"),
    path("<int:pk>/move/", views.MoveStageView.as_view(), name="project_move"),
    path("<int:pk>/evidence/", views.EvidenceView.as_view(), name="project_evidence"),
    path("<int:pk>/progress/", views.ProgressView.as_view(), name="project_progress"),
    path("<int:pk>/amend/", views.AmendView.as_view(), name="project_amend"),
    path("<int:pk>/library/", views.LibraryToggleView.as_view(), name="project_library"),
]
