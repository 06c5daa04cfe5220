"""Pages of the service to investors, under /service/. Thin: a form checks the shape, one service in
service.services writes, scope decides what is seen.

- lists.py: all problems (the one FilterSet), a department's inbox, supervision, meetings, the figures (every
  number a link to its problems), a unit's monthly dispatch agenda;
- problems.py: raising a problem, a problem's page with its timeline, and the actions on it (each a POST to its
  own URL; a refusal shows the page again with the message on the form);
- meetings.py: registering a meeting, its page with the problems raised there and its decisions;
- categories.py: the office's categories and due days.

A problem or meeting out of the user's scope is a 404 everywhere, never a 403: its existence is not revealed.
Which actions a page offers is a convenience for the eye; the services decide, whatever was posted.
"""

from .categories import CategoriesView
from .lists import AgendaView, FiguresView, InboxView, MeetingListView, ProblemListView, SupervisionView
from .meetings import DecisionAddView, DecisionDoneView, MeetingCreateView, MeetingDetailView, MeetingRaiseView
from .problems import (
    AcceptView,
    AnswerView,
    AssignView,
    ConfirmView,
    ProblemCreateView,
    ProblemDetailView,
    ReopenView,
)

__all__ = [
    "AcceptView",
    "AgendaView",
    "AnswerView",
    "AssignView",
    "CategoriesView",
    "ConfirmView",
    "DecisionAddView",
    "DecisionDoneView",
    "FiguresView",
    "InboxView",
    "MeetingCreateView",
    "MeetingDetailView",
    "MeetingListView",
    "MeetingRaiseView",
    "ProblemCreateView",
    "ProblemDetailView",
    "ProblemListView",
    "ReopenView",
    "SupervisionView",
]
