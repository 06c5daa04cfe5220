"""Tables for the cluster and chain lists (django-tables2).

The chain table is rendered grouped by cluster (a heading row where the cluster changes,
chains/_chain_table.html) and paginated by chain; segments and leaders come prefetched.
"""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .choices import SegmentPosition
from .models import IndustryChain, IndustryCluster

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
