"""Pages of the assessment, under /assessment/. Thin: a form checks the shape, one service in assessment.services
writes, scope decides what is seen; scores are counted by assessment.selectors, never typed in.

- lists.py: the schemes the user may see (everyone working in the city reads the rankings);
- edit.py: the office's pages — a scheme with its weighted indicators, its change and removal;
- results.py: a scheme's results for a month or the whole period, the office's lock, the Excel export.

A scheme out of the user's scope is a 404 that never shows its name; one they may read but not change is a 403.
"""

from .edit import SchemeCreateView, SchemeDeleteView, SchemeEditView
from .lists import SchemeListView
from .results import ExportView, LockView, ResultsView

__all__ = [
    "ExportView",
    "LockView",
    "ResultsView",
    "SchemeCreateView",
    "SchemeDeleteView",
    "SchemeEditView",
    "SchemeListView",
]
