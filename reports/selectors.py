"""Reading team reports: what the user may see and write, and which reports are due, sent late or missing.

A team owes a weekly report for every week (due the Monday after it) and a monthly summary for every month (due
the 3rd of the next). `period_states` reads, for many units and periods, where each stands in two queries
(the units, then their reports), whatever the number of units and periods.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from core.scope import scope_of
from organizations.choices import UnitKind
from organizations.models import Unit

from .choices import DUE_KINDS, READER_ROLES, REPORTING_KINDS, WRITER_ROLES, MissingStatus, ReportKind, ReportStatus
from .models import TeamReport
from .periods import due_on, period_label, periods_ending

# Where a unit's report for a period stands: sent on time, not yet due, or one of MissingStatus.
SENT = "sent"
PENDING = "pending"


def reports_for(user):
    return TeamReport.objects.visible_to(user)


def writable_units(user):
    """The teams and squads whose reports `user` drafts: those where they are 组长/组员 (队长/队员)."""
    return Unit.objects.filter(
        scope_of(user).subtree_q("path", *WRITER_ROLES), kind__in=REPORTING_KINDS, active=True
    ).order_by("depth", "sort_order", "path")


def reader_cities(user):
    """The cities whose reports `user` reads as office or leader, in tree order."""
    scope = scope_of(user)
    above = Q(pk__in=scope.ancestor_ids(*READER_ROLES))
    inside = scope.subtree_q("path", *READER_ROLES)
    return Unit.objects.filter(above | inside, kind=UnitKind.CITY, active=True).order_by("path")


def due_units(owner):
    """The units of a city that owe a report every period: its stationed teams."""
    return Unit.objects.filter(path__startswith=owner.path, kind__in=DUE_KINDS, active=True).order_by(
        "sort_order", "path"
    )


@dataclass
class PeriodState:
    """One unit's report for one period: due when, and where it stands."""

    unit: Unit
    kind: str
    start: datetime.date
    end: datetime.date
    due: datetime.date
    state: str
    report: TeamReport | None

    @property
    def kind_label(self):
        return ReportKind(self.kind).label

    @property
    def period_label(self):
        return period_label(self.kind, self.start, self.end)

    @property
    def state_label(self):
        return MissingStatus(self.state).label if self.state in MissingStatus.values else ""


def _state(report, due, today):
    if report is None or report.status == ReportStatus.DRAFT:
        if due >= today:
            return PENDING
        return MissingStatus.NONE if report is None else MissingStatus.DRAFT
    sent_on = timezone.localtime(report.first_submitted_at).date() if report.first_submitted_at else due
    return MissingStatus.LATE if sent_on > due else SENT


def period_states(units, kind_periods, today):
    """[PeriodState] for every unit and every period of `kind_periods` ({kind: [(start, end), …]}): one query."""
    units = list(units)
    starts = [start for periods in kind_periods.values() for start, _end in periods]
    if not units or not starts:
        return []
    found = TeamReport.objects.filter(
        unit__in=[u.pk for u in units], kind__in=list(kind_periods), start__gte=min(starts), start__lte=max(starts)
    ).only("id", "unit_id", "kind", "start", "title", "status", "first_submitted_at")
    index = {(r.unit_id, r.kind, r.start): r for r in found}
    rows = []
    for kind, periods in kind_periods.items():
        for start, end in periods:
            due = due_on(kind, end)
            for unit in units:
                report = index.get((unit.pk, kind, start))
                rows.append(PeriodState(unit, kind, start, end, due, _state(report, due, today), report))
    return rows


def missing_reports(owner, kind, start, end, today=None):
    """Each team of the city and each period ended before today with its last day in [start, end] whose report
    was not submitted by its due day: 未报, 草稿未提交 (still a draft) or 逾期提交 (submitted after it).

    `kind` is weekly or monthly (None: both). Newest period first, then the city's teams in their order. Two
    queries (the teams, their reports) however many teams and periods.
    """
    today = today or timezone.localdate()
    last = min(end, today - datetime.timedelta(days=1))
    kinds = [kind] if kind else list(ReportKind.values)
    rows = period_states(due_units(owner), {k: periods_ending(k, start, last) for k in kinds}, today)
    missing = [row for row in rows if row.state in MissingStatus.values]
    return sorted(missing, key=lambda r: (-r.end.toordinal(), r.kind != ReportKind.WEEKLY))
