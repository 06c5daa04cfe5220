"""The reports' reminders (core.reminders): a team's report due soon or overdue, and the office's missing count.

- 组长/组员 of a team: its weekly report or monthly summary due within DUE_SOON_DAYS days and not yet submitted
  ("本周专报待报送", a warning), and each one of the last weeks or months not submitted by its due day
  ("第45周专报逾期未报", danger);
- the city's office: one line saying how many teams have reports missing, linking to the 未报清单.

A fixed number of queries whatever the number of teams and periods: the units, then their reports.
"""

import datetime

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.reminders import Reminder
from core.scope import scope_of
from organizations.choices import Role
from organizations.models import Unit

from .choices import DUE_KINDS, DUE_SOON_DAYS, REMINDER_LOOKBACK_DAYS, WRITER_ROLES, MissingStatus, ReportKind
from .periods import period_of, periods_ending, short_label
from .selectors import PENDING, period_states

NAMES = {ReportKind.WEEKLY: gettext_lazy("专报"), ReportKind.MONTHLY: gettext_lazy("总结")}
NOT_SENT = (MissingStatus.NONE, MissingStatus.DRAFT)


def window(today):
    """The days whose periods the reminders look at: periods that ended in the last REMINDER_LOOKBACK_DAYS."""
    return today - datetime.timedelta(days=REMINDER_LOOKBACK_DAYS), today - datetime.timedelta(days=1)


def recent_periods(today, *, current):
    """{kind: periods} ended within the look-back window, and the running period too when `current`."""
    first, last = window(today)
    return {
        kind: periods_ending(kind, first, period_of(kind, today)[1] if current else last) for kind in ReportKind.values
    }


def _name(kind, start, today):
    """ "本周" / "上周" / "第45周", "本月" / "上月" / "10月"."""
    this = period_of(kind, today)[0]
    if start == this:
        return _("本周") if kind == ReportKind.WEEKLY else _("本月")
    if start == period_of(kind, this - datetime.timedelta(days=1))[0]:
        return _("上周") if kind == ReportKind.WEEKLY else _("上月")
    return short_label(kind, start)


def _draft_url(row):
    if row.report is not None:
        return row.report.get_absolute_url()
    query = urlencode({"kind": row.kind, "unit": row.unit.pk, "start": row.start.isoformat()})
    return f"{reverse('reports:report_create')}?{query}"


def team_reminders(user, today):
    scope = scope_of(user)
    units = Unit.objects.filter(pk__in=scope.unit_ids(*WRITER_ROLES), kind__in=DUE_KINDS, active=True).order_by("path")
    out = []
    for row in period_states(units, recent_periods(today, current=True), today):
        name = NAMES[row.kind]
        what = _name(row.kind, row.start, today)
        key = f"team_report:{row.unit.pk}:{row.kind}:{row.start.isoformat()}"
        if row.state == PENDING and (row.due - today).days <= DUE_SOON_DAYS:
            out.append(
                Reminder(
                    kind="team_report_due",
                    title=_("%(what)s%(name)s待报送") % {"what": what, "name": name},
                    url=_draft_url(row),
                    detail=_("%(unit)s · %(period)s · %(due)s前报送")
                    % {"unit": row.unit.name, "period": row.period_label, "due": row.due.isoformat()},
                    severity="warning",
                    key=key,
                )
            )
        elif row.state in NOT_SENT:
            out.append(
                Reminder(
                    kind="team_report_overdue",
                    title=_("%(what)s%(name)s逾期未报") % {"what": short_label(row.kind, row.start), "name": name},
                    url=_draft_url(row),
                    detail=_("%(unit)s · %(period)s · 应于%(due)s前报送（%(state)s）")
                    % {
                        "unit": row.unit.name,
                        "period": row.period_label,
                        "due": row.due.isoformat(),
                        "state": row.state_label,
                    },
                    severity="danger",
                    key=key,
                )
            )
    return out


def office_reminders(user, today):
    paths = scope_of(user).paths(Role.OFFICE_STAFF)
    if not paths:
        return []
    teams = Unit.objects.none()
    for path in paths:
        teams = teams | Unit.objects.filter(path__startswith=path, kind__in=DUE_KINDS, active=True)
    rows = period_states(teams.order_by("path"), recent_periods(today, current=False), today)
    late = {row.unit.pk for row in rows if row.state in NOT_SENT}
    if not late:
        return []
    first, last = window(today)
    query = urlencode({"start": first.isoformat(), "end": last.isoformat()})
    return [
        Reminder(
            kind="team_reports_missing",
            title=_("%(n)d个驻点招商组有逾期未报的工作报告") % {"n": len(late)},
            url=f"{reverse('reports:missing')}?{query}",
            detail=_("%(first)s至%(last)s期间结束的周报、月报")
            % {"first": first.isoformat(), "last": last.isoformat()},
            severity="danger",
            key=f"team_reports_missing:{today.isoformat()}",
        )
    ]


def report_reminders(user, today):
    """The source registered with core.reminders (reports.apps)."""
    scope = scope_of(user)
    out = []
    if scope.has(*WRITER_ROLES):
        out += team_reminders(user, today)
    if scope.has(Role.OFFICE_STAFF):
        out += office_reminders(user, today)
    return out
