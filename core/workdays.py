"""Working days: "assess within 3 working days" must skip 国庆 and count a 调休 Saturday.

The official calendar (holidays and the make-up working days the State Council announces)
comes from chinese_calendar; the office's own entries (WorkdayOverride) win over it, so a
year the library does not know yet, or a local day off, is one row away. For a year the
library does not cover and nobody has entered, Monday to Friday are working days.

Nothing is cached between calls: several processes serve the same office, and an entry
made in one must count in the next deadline computed by any of them.
"""

import datetime

import chinese_calendar

# Overrides are read a window at a time: a deadline of a few working days needs one query.
WINDOW_DAYS = 62


def _official_workday(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # A year the installed calendar does not cover: the ordinary week.
        return day.weekday() < 5


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if not isinstance(value, datetime.date):
        raise TypeError(f"expected a date, got {value!r}")
    return value


def _overrides(first, last):
    from .models import WorkdayOverride

    if first > last:
        first, last = last, first
    return dict(WorkdayOverride.objects.filter(date__range=(first, last)).values_list("date", "is_workday"))


def is_working_day(d) -> bool:
    """Whether `d` is a working day: the office's entry for it if any, else the official calendar."""
    d = _as_date(d)
    override = _overrides(d, d).get(d)
    if override is not None:
        return override
    return _official_workday(d)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The day `n` working days after `start` (before it when `n` is negative); `start` itself is not counted.

    With n = 0 the start day is returned as it is, working day or not.
    """
    start = _as_date(start)
    if n == 0:
        return start
    step = datetime.timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    day = start
    window_end = start
    known = {}
    while True:
        day += step
        if (day - window_end).days * step.days > 0:
            window_end = day + step * WINDOW_DAYS
            known = _overrides(day, window_end)
        working = known[day] if day in known else _official_workday(day)
        if working:
            remaining -= 1
            if remaining == 0:
                return day
