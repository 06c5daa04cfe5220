"""Pages of the targets, under /targets/. Thin: a form checks the shape, one service in targets.services writes,
scope decides what is seen; what has been reached is counted by targets.selectors, never typed in.

- lists.py: all targets in scope (the one FilterSet) with each row's progress;
- edit.py: the office's pages — one target, its change and removal, a template for many units at once;
- progress.py: one unit's progress for a period, and the city's month (teams × indicators, the city-wide goals).

A target or unit out of the user's scope is a 404, never a 403: its existence is not revealed.
"""

from .edit import ApplyTemplateView, TargetCreateView, TargetDeleteView, TargetEditView
from .lists import TargetListView
from .progress import CityProgressView, UnitProgressView

__all__ = [
    "ApplyTemplateView",
    "CityProgressView",
    "TargetCreateView",
    "TargetDeleteView",
    "TargetEditView",
    "TargetListView",
    "UnitProgressView",
]
