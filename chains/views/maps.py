"""A chain's page (its map, gaps, "六个一" and leaders), the companies behind a segment's counts, and the gap list.

Read-only pages: everyone working in the city reads them; another city's chain is a 404.
Every figure comes from chains.selectors and links to the list that holds its records.
"""

from functools import cached_property

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.views import ScopedListView, ScopedObjectMixin
from enterprises.models import Company
from projects.tables import yi

from .. import selectors
from ..filtersets import GapFilterSet, SegmentCompanyFilterSet
from ..models import ChainPromotion, ChainSegment, IndustryChain
from ..tables import STATE_BADGES, GapTable, SegmentCompanyTable
from .taxonomy import cluster_url


def visible_chain(user, pk):
    """The chain `pk` if the user may see it (with its cluster and city), else a 404 that names nothing."""
    chain = IndustryChain.objects.visible_to(user).select_related("cluster__owner").filter(pk=pk).first()
    if chain is None:
        raise Http404(_("未找到该记录，或您无权查看。"))
    return chain


class ChainDetailView(ScopedObjectMixin, TemplateView):
    """A chain's page: its map (招商图谱) as a diagram and a table, its gaps, its "六个一" and its leaders."""

    model = IndustryChain
    template_name = "chains/chain_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("cluster__owner")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        chain = self.get_object()
        chain_map = selectors.chain_map(user, chain)
        figures = selectors.promotion_overview(user).filter(pk=chain.pk).first()
        figures.signed_investment_yi = yi(figures.signed_investment) or "0.00"
        try:
            promotion = figures.promotion
        except ChainPromotion.DoesNotExist:
            promotion = None
        ctx.update(
            chain=chain,
            chain_map=chain_map,
            map_data=chain_map.as_data(),
            gaps=selectors.gap_preview(user, chain_map),
            leaders=chain_map.leaders,
            figures=figures,
            figure_urls=selectors.figure_urls(chain.pk),
            promotion=promotion,
            policies=list(selectors.policy_documents(chain)),
            state_badges={state.value: badge for state, badge in STATE_BADGES.items()},
            can_edit=IndustryChain.objects.editable_by(user).filter(pk=chain.pk).exists(),
            cluster_url=cluster_url(chain.cluster),
        )
        return ctx


class SegmentCompanyListView(ScopedListView):
    """The directory's companies of one segment, as the map counted them: all, local, in production, or targets."""

    model = Company
    table_class = SegmentCompanyTable
    filterset_class = SegmentCompanyFilterSet
    template_name = "chains/segment_companies.html"

    @cached_property
    def segment(self):
        segment = (
            ChainSegment.objects.visible_to(self.request.user)
            .select_related("chain__cluster__owner")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if segment is None:
            raise Http404(_("未找到该记录，或您无权查看。"))
        return segment

    def get_queryset(self):
        return selectors.segment_companies(self.request.user, self.segment)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        segment = self.segment
        local = self.request.GET.get("local")
        if local == "true":
            what = _("已投产的本地企业") if self.request.GET.get("producing") == "true" else _("本地企业")
        elif local == "false":
            what = _("目标企业（外地）")
        else:
            what = _("全部企业")
        ctx["title"] = _("%(segment)s · %(what)s") % {"segment": segment.name, "what": what}
        ctx["segment"] = segment
        ctx["chain"] = segment.chain
        return ctx


class ChainGapListView(ScopedListView):
    """补链 / 延链: the candidate targets of a chain's missing and weak segments, furthest along first."""

    model = IndustryChain
    table_class = GapTable
    filterset_class = GapFilterSet
    template_name = "chains/gap_list.html"
    title = gettext_lazy("补链延链目标")

    @cached_property
    def chain(self):
        return visible_chain(self.request.user, self.kwargs["pk"])

    @cached_property
    def chain_map(self):
        return selectors.chain_map(self.request.user, self.chain)

    def get_queryset(self):
        return selectors.gap_candidates(self.request.user, self.chain, [s.pk for s in self.chain_map.gaps])

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["gaps"] = self.chain_map.gaps
        return kwargs

    def get_table_kwargs(self):
        return {"states": {s.pk: s.state for s in self.chain_map.segments}}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("%(chain)s · 补链延链目标") % {"chain": self.chain.name}
        ctx["chain"] = self.chain
        ctx["chain_map"] = self.chain_map
        ctx["state_badges"] = {state.value: badge for state, badge in STATE_BADGES.items()}
        return ctx
