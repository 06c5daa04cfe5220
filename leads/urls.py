"""Pages of the leads, under /leads/: the lists, a lead's page, its actions (POST), reporting and correcting,
and the office's settings (the effective-lead rule, the pools, the negative lists)."""

from django.urls import path

from . import settings_views, views

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
    path("<int:pk>/unshare/", views.UnshareView.as_view(), name="lead_unshare"),
    path("<int:pk>/move-pool/", views.MovePoolView.as_view(), name="lead_move_pool"),
    path("<int:pk>/follow-up/", views.FollowUpView.as_view(), name="lead_follow_up"),
    path("<int:pk>/close/", views.CloseView.as_view(), name="lead_close"),
    path("<int:pk>/reopen/", views.ReopenView.as_view(), name="lead_reopen"),
    path("conflicts/<int:pk>/decide/", views.ConflictDecideView.as_view(), name="conflict_decide"),
    path("settings/", settings_views.LeadSettingsView.as_view(), name="settings"),
    path("settings/rule/", settings_views.LeadRuleView.as_view(), name="settings_rule"),
    path("settings/pools/", settings_views.PoolSaveView.as_view(), name="pool_create"),
    path("settings/pools/<int:pk>/", settings_views.PoolSaveView.as_view(), name="pool_update"),
    path("settings/negative-list/", settings_views.NegativeListCreateView.as_view(), name="negative_create"),
    path("settings/negative-list/<int:pk>/", settings_views.NegativeListEditView.as_view(), name="negative_edit"),
    path(
        "settings/negative-list/<int:pk>/delete/",
        settings_views.NegativeListDeleteView.as_view(),
        name="negative_delete",
    ),
]
