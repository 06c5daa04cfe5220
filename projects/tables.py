"""Tables for the project lists (django-tables2): the columns of 《签约项目台账》 and where each project stands.

Every value a row shows comes from the row itself, what the view's queryset select_related
(the host) or annotated (the report flag, the batch counts), so a page of 25 costs the same
queries as a page of 1. Amounts are kept in 万元 and shown in 亿元 with two decimals.
"""

from decimal import ROUND_HALF_UP, Decimal

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.columns import DateColumn

from .choices import Stage
from .models import Project, Round

DATE_FORMAT = "Y-m-d"
TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
YI = Decimal(10000)
CENT = Decimal("0.01")
STAGE_BADGES = {
    Stage.PLANNED: "text-bg-light border",
    Stage.NEGOTIATING: "text-bg-secondary",
    Stage.SIGNED: "text-bg-primary",
    Stage.STARTED: "text-bg-info",
    Stage.PRODUCING: "text-bg-success",
    Stage.AT_CAPACITY: "text-bg-success",
    Stage.SUSPENDED: "text-bg-warning",
    Stage.TERMINATED: "text-bg-dark",
}


def yi(value):
    """An amount in 万元 as 亿元 with two decimals ("" when there is none): 239000 → "23.90"."""
    if value is None:
        return ""
    return f"{(Decimal(value) / YI).quantize(CENT, rounding=ROUND_HALF_UP):,}"


def stage_badge(project):
    """The stage, and "待核验" while a verifier has yet to confirm the move (the figures still read the old one)."""
    stage = Stage(project.stage)
    badge = format_html(
        '<span class="badge {}" data-testid="stage">{}</span>', STAGE_BADGES.get(stage, "text-bg-light"), stage.label
    )
    if project.stage != project.verified_stage:
        return format_html('{} <span class="badge text-bg-warning" data-testid="pending">{}</span>', badge, _("待核验"))
    return badge


class ProjectTable(tables.Table):
    name = tables.Column(verbose_name=_("项目名称"), linkify=True)
    host_unit = tables.Column(verbose_name=_("落地单位"), accessor="host_unit__name", order_by=("host_unit__path",))
    investor_names = tables.Column(verbose_name=_("投资方"), default="—", orderable=False)
    stage = tables.Column(verbose_name=_("阶段"))
    total_investment = tables.Column(verbose_name=_("总投资（亿元）"), attrs={"td": {"class": "text-end"}})
    signed_on = DateColumn(format=DATE_FORMAT, verbose_name=_("签约日期"), default="—")
    leader_name = tables.Column(verbose_name=_("包联领导"), default="—")
    last_progress_month = DateColumn(format="Y-m", verbose_name=_("最近进展"), default="—")
    flags = tables.Column(verbose_name=_("标记"), empty_values=(), orderable=False)

    class Meta:
        model = Project
        fields = (
            "name",
            "host_unit",
            "investor_names",
            "stage",
            "total_investment",
            "signed_on",
            "leader_name",
            "last_progress_month",
            "flags",
        )
        attrs = {**TABLE_ATTRS, "data-testid": "project-table"}
        empty_text = _("没有符合条件的项目。")

    def render_stage(self, record):
        return stage_badge(record)

    def render_total_investment(self, value):
        return yi(value) or "—"

    def render_flags(self, record):
        flags = []
        if getattr(record, "report_overdue", False):
            flags.append(("text-bg-danger", "report-overdue", _("上月进展未报或逾期")))
        if record.in_library:
            flags.append(("text-bg-light border", "in-library", _("已入库")))
        if record.filed:
            flags.append(("text-bg-light border", "filed", _("已备案")))
        if not flags:
            return ""
        return format_html_join(
            " ", '<span class="badge {}" data-testid="flag-{}">{}</span>', ((c, k, t) for c, k, t in flags)
        )


class RoundTable(tables.Table):
    name = tables.Column(verbose_name=_("活动名称"), linkify=True)
    host_unit = tables.Column(verbose_name=_("举办单位"), accessor="host_unit__name", order_by=("host_unit__path",))
    held_on = DateColumn(format=DATE_FORMAT, verbose_name=_("日期"))
    level = tables.Column(verbose_name=_("级别"))
    signed_count = tables.Column(verbose_name=_("签约一批"), attrs={"td": {"class": "text-end"}})
    started_count = tables.Column(verbose_name=_("开工一批"), attrs={"td": {"class": "text-end"}})
    producing_count = tables.Column(verbose_name=_("投产一批"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Round
        fields = ("name", "host_unit", "held_on", "level", "signed_count", "started_count", "producing_count")
        attrs = {**TABLE_ATTRS, "data-testid": "round-table"}
        empty_text = _("没有“三个一批”活动。")
