"""Tables for the cluster and chain lists (django-tables2).

The chain table is rendered grouped by cluster (a heading row where the cluster changes,
chains/_chain_table.html) and paginated by chain; segments and leaders come prefetched.
"""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from projects.tables import yi

from .choices import Progress, SegmentPosition, SegmentState
from .models import ChainPromotion, IndustryChain, IndustryCluster
from .selectors import figure_urls

EMPTY = mark_safe('<span class="text-muted">—</span>')  # noqa: S308 - a constant, no user input


def _segments(record, position):
    names = [s.name for s in record.ordered_segments if s.position == position]
    return "、".join(names) if names else EMPTY


class ChainTable(tables.Table):
    name = tables.Column(verbose_name=_("产业链"), linkify=True)
    upstream = tables.Column(verbose_name=_("上游"), empty_values=(), orderable=False)
    midstream = tables.Column(verbose_name=_("中游"), empty_values=(), orderable=False)
    downstream = tables.Column(verbose_name=_("下游"), empty_values=(), orderable=False)
    leaders = tables.Column(verbose_name=_("链主/链核"), empty_values=(), orderable=False)
    active = tables.BooleanColumn(verbose_name=_("启用"))

    class Meta:
        model = IndustryChain
        fields = ("name", "upstream", "midstream", "downstream", "leaders", "active")
        # The grouping by cluster only reads right in the taxonomy's own order.
        orderable = False
        template_name = "chains/_chain_table.html"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "chain-table"}
        empty_text = _("没有符合条件的产业链。")

    def render_upstream(self, record):
        return _segments(record, SegmentPosition.UPSTREAM)

    def render_midstream(self, record):
        return _segments(record, SegmentPosition.MIDSTREAM)

    def render_downstream(self, record):
        return _segments(record, SegmentPosition.DOWNSTREAM)

    def render_leaders(self, record):
        # visible_leaders is prefetched by the view: no query per row.
        return (
            format_html_join(
                "",
                '<span class="badge text-bg-light border me-1">{} · {}</span>',
                ((leader.get_kind_display(), leader.company.name) for leader in record.visible_leaders),
            )
            or EMPTY
        )


class ClusterTable(tables.Table):
    name = tables.Column(verbose_name=_("集群名称"), empty_values=())
    description = tables.Column(verbose_name=_("说明"), default="")
    chain_count = tables.Column(verbose_name=_("产业链数"), orderable=False)
    sort_order = tables.Column(verbose_name=_("排序"))
    active = tables.BooleanColumn(verbose_name=_("启用"))
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = IndustryCluster
        fields = ("sort_order", "name", "description", "chain_count", "active", "actions")
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "cluster-table"}
        empty_text = _("尚无产业集群。")

    def __init__(self, *args, editable_owner_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Cities whose office the viewer works in: their clusters get edit links.
        self.editable_owner_ids = set(editable_owner_ids)

    def render_name(self, record):
        url = reverse("chains:chain_list") + f"?cluster={record.pk}"
        return format_html('<a href="{}">{}</a>', url, record.name)

    def render_actions(self, record):
        if record.owner_id not in self.editable_owner_ids:
            return ""
        return format_html(
            '<a class="small" href="{}">{}</a> <a class="small ms-2" href="{}?cluster={}">{}</a>',
            reverse("chains:cluster_edit", args=[record.pk]),
            _("编辑"),
            reverse("chains:chain_create"),
            record.pk,
            _("新建产业链"),
        )


PROGRESS_BADGES = {
    Progress.SIGNED: "text-bg-success",
    Progress.LEAD_PUSHED: "text-bg-primary",
    Progress.LEAD: "text-bg-info",
    Progress.VISITED: "text-bg-secondary",
    Progress.NONE: "text-bg-light border",
}
STATE_BADGES = {
    SegmentState.PRESENT: "text-bg-success",
    SegmentState.WEAK: "text-bg-warning",
    SegmentState.MISSING: "text-bg-danger",
}


def progress_badge(value):
    progress = Progress(value)
    return format_html(
        '<span class="badge {}" data-testid="progress">{}</span>', PROGRESS_BADGES[progress], progress.label
    )


def company_link(company):
    return format_html('<a href="{}">{}</a>', reverse("enterprises:company_detail", args=[company.pk]), company.name)


class GapTable(tables.Table):
    """The gap list: one row per candidate company and missing or weak segment, furthest along first."""

    segment = tables.Column(verbose_name=_("环节"), empty_values=(), orderable=False)
    company = tables.Column(verbose_name=_("候选企业"), empty_values=(), orderable=False)
    location = tables.Column(verbose_name=_("所在地"), empty_values=(), orderable=False)
    category = tables.Column(verbose_name=_("企业类别"), empty_values=(), orderable=False)
    progress = tables.Column(verbose_name=_("进展"), empty_values=(), orderable=False)

    class Meta:
        fields = ("segment", "company", "location", "category", "progress")
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "gap-table"}
        row_attrs = {"data-testid": "candidate"}
        empty_text = _("没有候选企业：可在目标企业库中为企业标注该环节。")

    def __init__(self, *args, states=None, **kwargs):
        super().__init__(*args, **kwargs)
        # segment id → its state (有/弱/缺), from the chain's map.
        self.states = states or {}

    def render_segment(self, record):
        segment = record.chainsegment
        state = self.states.get(segment.pk)
        badge = format_html(' <span class="badge {}">{}</span>', STATE_BADGES[state], state.label) if state else ""
        return format_html("{} · {}{}", segment.get_position_display(), segment.name, badge)

    def render_company(self, record):
        return company_link(record.company)

    def render_location(self, record):
        return record.company.location or EMPTY

    def render_category(self, record):
        return record.company.get_category_display()

    def render_progress(self, record):
        return progress_badge(record.progress)


class SegmentCompanyTable(tables.Table):
    """The companies of one segment behind a count of the map: local or not, in production or not, how far along."""

    name = tables.Column(verbose_name=_("企业"), empty_values=(), orderable=False)
    location = tables.Column(verbose_name=_("所在地"), empty_values=(), orderable=False)
    category = tables.Column(verbose_name=_("企业类别"), empty_values=(), orderable=False)
    is_local = tables.Column(verbose_name=_("本地"), empty_values=(), orderable=False)
    progress = tables.Column(verbose_name=_("进展"), empty_values=(), orderable=False)

    class Meta:
        fields = ("name", "location", "category", "is_local", "progress")
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "segment-company-table"}
        row_attrs = {"data-testid": "company-row"}
        empty_text = _("没有符合条件的企业。")

    def render_name(self, record):
        return company_link(record)

    def render_location(self, record):
        return record.location or EMPTY

    def render_category(self, record):
        return record.get_category_display()

    def render_is_local(self, record):
        if not record.is_local:
            return _("外地")
        return _("本地 · 已投产") if record.is_producing else _("本地 · 未投产")

    def render_progress(self, record):
        return progress_badge(record.progress)


def count_link(url, value, testid):
    return format_html('<a href="{}" data-testid="{}">{}</a>', url, testid, value)


class PromotionTable(tables.Table):
    """The city's chains with their "六个一" and figures (each figure links to its list)."""

    name = tables.Column(verbose_name=_("产业链"), empty_values=(), orderable=False)
    chain_head = tables.Column(verbose_name=_("链长"), empty_values=(), orderable=False)
    team = tables.Column(verbose_name=_("招商专班"), empty_values=(), orderable=False)
    chain_leader = tables.Column(verbose_name=_("链主企业"), empty_values=(), orderable=False)
    map = tables.Column(verbose_name=_("招商图谱"), empty_values=(), orderable=False)
    policy_count = tables.Column(verbose_name=_("支持政策（件）"), empty_values=(), orderable=False)
    lead_count = tables.Column(verbose_name=_("线索"), empty_values=(), orderable=False)
    project_count = tables.Column(verbose_name=_("项目"), empty_values=(), orderable=False)
    signed_investment = tables.Column(verbose_name=_("签约投资（亿元）"), empty_values=(), orderable=False)

    class Meta:
        fields = (
            "name",
            "chain_head",
            "team",
            "chain_leader",
            "map",
            "policy_count",
            "lead_count",
            "project_count",
            "signed_investment",
        )
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "promotion-table"}
        row_attrs = {"data-testid": "promotion-row"}
        empty_text = _("没有可查看的产业链。")

    @staticmethod
    def _promotion(record):
        # The reverse one-to-one is fetched by the selector; a chain never filled in has none.
        try:
            return record.promotion
        except ChainPromotion.DoesNotExist:
            return None

    def render_name(self, record):
        return format_html(
            '<a href="{}">{}</a> <span class="text-muted small">{}</span>',
            record.get_absolute_url(),
            record.name,
            record.cluster.name,
        )

    def render_chain_head(self, record):
        promotion = self._promotion(record)
        return (promotion.leader_label if promotion else "") or EMPTY

    def render_team(self, record):
        promotion = self._promotion(record)
        return promotion.team.name if promotion and promotion.team else EMPTY

    def render_chain_leader(self, record):
        promotion = self._promotion(record)
        if promotion is None or promotion.chain_leader is None:
            return EMPTY
        return company_link(promotion.chain_leader.company)

    def render_map(self, record):
        return format_html('<a href="{}">{}</a>', figure_urls(record.pk)["map"], _("查看图谱"))

    def render_policy_count(self, record):
        return count_link(figure_urls(record.pk)["policies"], record.policy_count, "policy-count")

    def render_lead_count(self, record):
        return count_link(figure_urls(record.pk)["leads"], record.lead_count, "lead-count")

    def render_project_count(self, record):
        return count_link(figure_urls(record.pk)["projects"], record.project_count, "project-count")

    def render_signed_investment(self, record):
        return count_link(
            figure_urls(record.pk)["signed_investment"], yi(record.signed_investment) or "0.00", "signed-investment"
        )
