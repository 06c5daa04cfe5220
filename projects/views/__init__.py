"""Pages of the projects, under /projects/. Thin: a form checks the shape, one service in projects.services writes,
scope decides what is seen.

- lists.py: all projects (the one FilterSet), the verifier's queue, the monthly dispatch, the library;
- detail.py: a project's page — facts, 包联, stages with their evidence, progress, amendments, rounds, timeline —
  and the actions on it (each a POST to its own URL; a refusal shows the page again with the message on the form);
- edit.py: entering and correcting a project, turning a lead into one, 包联 and 四包, the counting rules;
- rounds.py: the "三个一批" rounds, their rates on the basis the user picks, the rates of a period.

A project or round out of the user's scope is a 404 everywhere, never a 403: its existence is not revealed.
Which actions a page offers is a convenience for the eye; the services decide, whatever was posted.
"""

from .detail import (
    AmendView,
    ChangeVerifyView,
    EvidenceView,
    LibraryToggleView,
    MoveStageView,
    ProgressView,
    ProjectDetailView,
)
from .edit import (
    AssignmentView,
    DutiesView,
    ProjectCreateView,
    ProjectEditView,
    ProjectFromLeadView,
    ProjectSettingsView,
)
from .lists import DispatchView, LibraryView, ProjectListView, VerifyQueueView
from .rounds import (
    RoundCreateView,
    RoundDetailView,
    RoundEntryAddView,
    RoundEntryRemoveView,
    RoundListView,
    RoundRatesView,
)

__all__ = [
    "AmendView",
    "AssignmentView",
    "ChangeVerifyView",
    "DispatchView",
    "DutiesView",
    "LibraryToggleView",
    "LibraryView",
    "MoveStageView",
    "EvidenceView",
    "ProgressView",
    "ProjectCreateView",
    "ProjectDetailView",
    "ProjectEditView",
    "ProjectFromLeadView",
    "ProjectListView",
    "ProjectSettingsView",
    "RoundCreateView",
    "RoundDetailView",
    "RoundEntryAddView",
    "RoundEntryRemoveView",
    "RoundListView",
    "RoundRatesView",
    "VerifyQueueView",
]
