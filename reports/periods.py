"""Report periods: a week is Monday to Sunday (ISO week), a month the calendar month; and when each is due."""

import datetime

from django.utils.translation import gettext as _

from .choices import MONTHLY_DUE_DAY, WEEKLY_DUE_DAYS_AFTER, ReportKind

ONE_DAY = datetime.timedelta(days=1)


def week_of(day):
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def month_of(day):
    first = day.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - ONE_DAY
    return first, last


def period_of(kind, day):
    """The (start, end) of the week or month holding `day`."""
    return week_of(day) if kind == ReportKind.WEEKLY else month_of(day)


def next_start(kind, start):
    if kind == ReportKind.WEEKLY:
        return start + datetime.timedelta(days=7)
    return period_of(kind, start)[1] + ONE_DAY


def due_on(kind, end):
    """A week's report is due on the Monday after it, a month's on the 3rd of the next month."""
    if kind == ReportKind.WEEKLY:
        return end + datetime.timedelta(days=WEEKLY_DUE_DAYS_AFTER)
    return (end + ONE_DAY).replace(day=MONTHLY_DUE_DAY)


def last_finished(kind, today):
    """The start of the last week or month that has ended before today: the draft form's default."""
    start, _end = period_of(kind, today)
    return period_of(kind, start - ONE_DAY)[0]


def periods_ending(kind, first, last):
    """Every period of `kind` whose last day lies in [first, last], oldest first.

    The period holding `first` ends on or after it, so starting there misses none and adds none too early.
    """
    start = period_of(kind, first)[0]
    out = []
    while True:
        end = period_of(kind, start)[1]
        if end > last:
            return out
        out.append((start, end))
        start = next_start(kind, start)


def week_number(start):
    year, week, _day = start.isocalendar()
    return year, week


def period_label(kind, start, end):
    """ "2022年第41周（10月10日—10月16日）" or "2022年10月"."""
    if kind == ReportKind.WEEKLY:
        year, week = week_number(start)
        return _("%(y)d年第%(w)d周（%(sm)d月%(sd)d日—%(em)d月%(ed)d日）") % {
            "y": year,
            "w": week,
            "sm": start.month,
            "sd": start.day,
            "em": end.month,
            "ed": end.day,
        }
    return _("%(y)d年%(m)d月") % {"y": start.year, "m": start.month}


def short_label(kind, start):
    """ "第41周" or "10月": what a reminder calls the period."""
    if kind == ReportKind.WEEKLY:
        return _("第%(w)d周") % {"w": week_number(start)[1]}
    return _("%(m)d月") % {"m": start.month}
