"""Pages of the leads, under /leads/: the lists, a lead's page, its actions (POST), reporting and correcting."""

from django.urls import path

from . import views

app_name = "leads"

urlpatterns = [
    path("", views.LeadListView.as_view(), name="lead_list"),
    path("queue/", views.AssessmentQueueView.as_view(), name="assessment_queue"),
    path("incoming/", views.IncomingView.as_view(), name="incoming"),
    path("team/", views.TeamLeadsView.as_view(), name="team_leads"),
    path("new/", views.LeadCreateView.as_view(), name="lead_create"),
    path("<int:pk>/", views.LeadDetailView.as_view(), name="lead_detail"),
    path("<int:pk>/edit/", views.LeadEditView.as_view(), name="lead_edit"),
    path("<int:pk>/assess/", views.AssessView.as_view(), name="lead_assess"),
    path("<int:pk>/accept/", views.AcceptView.as_view(), name="lead_accept"),
    path("<int:pk>/return/", views.ReturnView.as_view(), name="lead_return"),
    path("<int:pk>/reassign/", views.ReassignView.as_view(), name="lead_reassign"),
    path("<int:pk>/share/", views.ShareView.as_view(), name="lead_share"),
    path("<int:pk>/move-pool/", views.MovePoolView.as_view(), name="lead_move_pool"),
    path("<int:pk>/follow-up/", views.FollowUpView.as_view(), name="lead_follow_up"),
    path("<int:pk>/close/", views.CloseView.as_view(), name="lead_close"),
    path("<int:pk>/reopen/", views.ReopenView.as_view(), name="lead_reopen"),
    path("conflicts/<int:pk>/decide/", views.ConflictDecideView.as_view(), name="conflict_decide"),
]
