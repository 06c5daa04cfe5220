"""Pages of the chains app: the taxonomy, a chain's map and gaps, and its "六个一".

Split by subject; every view is importable from `chains.views`.
"""

from .maps import ChainDetailView, ChainGapListView, SegmentCompanyListView
from .promotion import PolicyAddView, PolicyRemoveView, PromotionEditView, PromotionOverviewView
from .taxonomy import (
    ChainCreateView,
    ChainEditView,
    ChainListView,
    ClusterCreateView,
    ClusterEditView,
    ClusterListView,
    LeaderAddView,
    LeaderCompanyOptionsView,
    LeaderRemoveView,
    SegmentAddView,
    SegmentEditView,
    SegmentRemoveView,
)

__all__ = [
    "ChainCreateView",
    "ChainDetailView",
    "ChainEditView",
    "ChainGapListView",
    "ChainListView",
    "ClusterCreateView",
    "ClusterEditView",
    "ClusterListView",
    "LeaderAddView",
    "LeaderCompanyOptionsView",
    "LeaderRemoveView",
    "PolicyAddView",
    "PolicyRemoveView",
    "PromotionEditView",
    "PromotionOverviewView",
    "SegmentAddView",
    "SegmentCompanyListView",
    "SegmentEditView",
    "SegmentRemoveView",
]
