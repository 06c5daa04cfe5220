"""Pages of the service to investors, under /service/: the problem lists, a problem's page and its actions (POST),
raising a problem, the meetings, the figures, the dispatch agenda and the office's categories."""

from django.urls import path

from . import views

app_name = "service"

urlpatterns = [
    path("", views.ProblemListView.as_view(), name="problem_list"),
    path("new/", views.ProblemCreateView.as_view(), name="problem_create"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("supervision/", views.SupervisionView.as_view(), name="supervision"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("agenda/", views.AgendaView.as_view(), name="dispatch_agenda"),
    path("categories/", views.CategoriesView.as_view(), name="categories"),
    path("categories/<int:pk>/", views.CategoriesView.as_view(), name="category_edit"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/problems/", views.MeetingRaiseView.as_view(), name="meeting_raise"),
    path("meetings/<int:pk>/decisions/", views.DecisionAddView.as_view(), name="decision_add"),
    path("decisions/<int:pk>/done/", views.DecisionDoneView.as_view(), name="decision_done"),
    path("<int:pk>/", views.ProblemDetailView.as_view(), name="problem_detail"),
    path("<int:pk>/assign/", views.AssignView.as_view(), name="problem_assign"),
    path("<int:pk>/accept/", views.AcceptView.as_view(), name="problem_accept"),
    path("<int:pk>/answer/", views.AnswerView.as_view(), name="problem_answer"),
    path("<int:pk>/confirm/", views.ConfirmView.as_view(), name="problem_confirm"),
    path("<int:pk>/reopen/", views.ReopenView.as_view(), name="problem_reopen"),
]
