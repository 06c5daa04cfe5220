"""What the target pages show: the list's table, the progress of a page of targets, and the city's month table.

Every reached figure comes from `selectors.progress` over the rows shown (one aggregate query per
indicator and period), never one query per row; each figure links to the list of the records it
counts where such a list exists.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from organizations.choices import UnitKind

from . import selectors, services
from .choices import TEMPLATE_VALUES, Indicator, Template
from .models import Target

TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
DATE_FORMAT = "Y-m-d"
# The routine month's indicators, in seed 000's order: the city table's columns.
ROUTINE_INDICATORS = list(TEMPLATE_VALUES[Template.ROUTINE_MONTHLY])
# Units the outreach ledgers and the lead list filter by (the city's own figures are the unfiltered list).
LEDGER_KINDS = (UnitKind.TEAM, UnitKind.SQUAD, UnitKind.COUNTY, UnitKind.ZONE)


def number(value):
    """A figure without trailing zeros: 20.0000 → "20", 1.5000 → "1.5"."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value.to_integral_value():,}"
    return f"{value.normalize():,f}"


def _url(name, **params):
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{reverse(name)}?{urlencode(params)}"


def records_url(unit, indicator, start, end):
    """The list of the records a unit's figure counts, filtered by unit and period; None where no list matches."""
    if unit is None:
        return None
    city = unit.kind == UnitKind.CITY
    if not city and unit.kind not in LEDGER_KINDS:
        return None
    ledger_unit = None if city else unit.pk
    dates = {"date_from": start.isoformat(), "date_to": end.isoformat()}
    if indicator == Indicator.VISITS:
        return _url("outreach:visit_list", unit=ledger_unit, **dates)
    if indicator == Indicator.INSPECTIONS:
        return _url("outreach:inspection_list", unit=ledger_unit, **dates)
    if indicator == Indicator.EVENTS:
        return _url("outreach:event_list", unit=ledger_unit, **dates)
    if indicator == Indicator.EFFECTIVE_LEADS:
        return _url("leads:lead_list", reported_by=ledger_unit, effective="true", **dates)
    if indicator == Indicator.SIGNED_PROJECTS:
        return _url(
            "projects:project_list",
            credited_to=ledger_unit,
            reached="signed",
            signed_from=start.isoformat(),
            signed_to=end.isoformat(),
            first_signing="true",
        )
    return None


def progress_link(p):
    return records_url(p.target.unit, p.target.indicator, p.target.start, p.target.end)


def reached_html(p):
    link = progress_link(p)
    text = number(p.reached)
    if link:
        return format_html('<a href="{}" data-testid="reached-link">{}</a>', link, text)
    return text


def share_html(p):
    if p.share is None:
        return "—"
    return format_html(
        '<progress class="w-100" max="100" value="{}" aria-label="{}"></progress>'
        '<div class="small {}" data-testid="share">{}%</div>',
        min(p.share, Decimal(100)),
        _("完成比例"),
        "text-danger fw-bold" if p.behind else "text-body-secondary",
        p.share,
    )


def behind_html(p):
    if p.behind:
        return format_html('<span class="badge text-bg-danger" data-testid="behind">{}</span>', _("落后"))
    return ""


class TargetTable(tables.Table):
    """Targets with what each has reached; the view fills `progress` for the page's rows only."""

    who = tables.Column(verbose_name=_("单位/个人"), empty_values=(), orderable=False)
    indicator = tables.Column(verbose_name=_("指标"))
    period = tables.Column(verbose_name=_("期间"), empty_values=(), order_by=("start", "end"))
    value = tables.Column(verbose_name=_("目标值"), attrs={"td": {"class": "text-end"}})
    reached = tables.Column(
        verbose_name=_("已完成"), empty_values=(), orderable=False, attrs={"td": {"class": "text-end"}}
    )
    share = tables.Column(verbose_name=_("完成比例"), empty_values=(), orderable=False)
    elapsed = tables.Column(verbose_name=_("时间进度"), empty_values=(), orderable=False)
    behind = tables.Column(verbose_name=_("状态"), empty_values=(), orderable=False)
    name = tables.Column(verbose_name=_("任务名称"), default="—")
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = Target
        fields = ("who", "indicator", "period", "value", "reached", "share", "elapsed", "behind", "name", "actions")
        attrs = {**TABLE_ATTRS, "data-testid": "target-table"}
        empty_text = _("没有符合条件的目标。")

    def __init__(self, *args, can_edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_edit = can_edit
        self.progress = {}

    def _p(self, record):
        return self.progress.get(record.pk)

    def render_who(self, record):
        if record.unit_id:
            return record.unit.name
        return record.person.name or record.person.username

    def render_period(self, record):
        return f"{record.start:%Y-%m-%d} — {record.end:%Y-%m-%d}"

    def render_value(self, record):
        return number(record.value)

    def render_reached(self, record):
        p = self._p(record)
        return reached_html(p) if p else "—"

    def render_share(self, record):
        p = self._p(record)
        return share_html(p) if p else "—"

    def render_elapsed(self, record):
        p = self._p(record)
        return f"{p.elapsed}%" if p else "—"

    def render_behind(self, record):
        p = self._p(record)
        return behind_html(p) if p else ""

    def render_actions(self, record):
        if not self.can_edit:
            return ""
        return format_html(
            '<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a> '
            '<a class="btn btn-sm btn-outline-danger" href="{}">{}</a>',
            reverse("targets:target_edit", args=[record.pk]),
            _("修改"),
            reverse("targets:target_delete", args=[record.pk]),
            _("删除"),
        )


# --- The city's month ------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One team's figure for one indicator: its target's progress, or the month's count where it has none."""

    progress: selectors.Progress
    has_target: bool

    @property
    def link(self):
        return progress_link(self.progress)

    @property
    def reached_text(self):
        return number(self.progress.reached)

    @property
    def value_text(self):
        return number(self.progress.target.value) if self.has_target else "—"

    @property
    def bar_value(self):
        return min(self.progress.share, Decimal(100)) if self.progress.share is not None else None


@dataclass
class CityProgress:
    city: object
    start: datetime.date
    end: datetime.date
    elapsed: Decimal
    indicators: list
    rows: list = field(default_factory=list)  # (team, [[Cell, …] per indicator])
    city_targets: list = field(default_factory=list)  # Cells of the city-wide targets covering the month


def city_progress(user, city, start, end, today=None):
    """Every team of `city` × indicator for the month [start, end], and the city-wide targets covering it.

    A fixed number of queries whatever the number of teams or targets: the teams, the targets, then one
    aggregate per indicator and period (a team without a target for an indicator is counted for the month,
    in the same aggregate as the monthly targets).
    """
    teams = services.teams_of(city)
    # No user: the city's own reading (the bulletin), every target of the city.
    scoped = Target.objects.all() if user is None else selectors.targets_for(user)
    targets = list(
        scoped.filter(owner=city, unit__in=[*teams, city], start__lte=end, end__gte=start)
        .select_related("unit")
        .order_by("start", "id")
    )
    team_targets = [t for t in targets if t.unit_id != city.pk]
    city_targets = [t for t in targets if t.unit_id == city.pk]
    present = {t.indicator for t in team_targets}
    indicators = ROUTINE_INDICATORS + [i for i in Indicator if i in present and i not in ROUTINE_INDICATORS]
    by_cell = {}
    for t in team_targets:
        by_cell.setdefault((t.unit_id, t.indicator), []).append(t)
    # Teams without a target for an indicator still show the month's count: unsaved targets, keyed apart.
    extra = []
    for team in teams:
        for indicator in indicators:
            if (team.pk, indicator) not in by_cell:
                stand_in = Target(
                    pk=f"m{len(extra)}", owner=city, unit=team, indicator=indicator, start=start, end=end, value=0
                )
                extra.append(stand_in)
    found = {p.target.pk: p for p in selectors.progress([*targets, *extra], today=today)}
    table = CityProgress(
        city=city,
        start=start,
        end=end,
        elapsed=selectors.elapsed_share(start, end, today),
        indicators=[(Indicator(i), Indicator(i).label) for i in indicators],
        city_targets=[Cell(found[t.pk], True) for t in city_targets],
    )
    stand_ins = {(t.unit.pk, t.indicator): t for t in extra}
    for team in teams:
        cells = []
        for indicator in indicators:
            real = by_cell.get((team.pk, indicator))
            if real:
                cells.append([Cell(found[t.pk], True) for t in real])
            else:
                cells.append([Cell(found[stand_ins[(team.pk, indicator)].pk], False)])
        table.rows.append((team, cells))
    return table


def progress_json(p):
    """One target's progress as the API gives it."""
    return {
        "target": p.target.pk if isinstance(p.target.pk, int) else None,
        "indicator": p.target.indicator,
        "start": p.target.start.isoformat(),
        "end": p.target.end.isoformat(),
        "value": str(p.target.value) if isinstance(p.target.pk, int) else None,
        "reached": str(p.reached),
        "share": None if p.share is None or not isinstance(p.target.pk, int) else str(p.share),
        "elapsed": str(p.elapsed),
        "behind": p.behind,
        "records_url": progress_link(p),
    }


def city_progress_json(table):
    return {
        "city": {"id": table.city.pk, "name": table.city.name},
        "month": f"{table.start:%Y-%m}",
        "start": table.start.isoformat(),
        "end": table.end.isoformat(),
        "elapsed": str(table.elapsed),
        "indicators": [{"code": code.value, "label": str(label)} for code, label in table.indicators],
        "rows": [
            {
                "unit": team.pk,
                "unit_name": team.name,
                "cells": {
                    code.value: [progress_json(cell.progress) for cell in cells]
                    for (code, _label), cells in zip(table.indicators, row, strict=True)
                },
            }
            for team, row in table.rows
        ],
        "city_targets": [progress_json(cell.progress) for cell in table.city_targets],
    }
