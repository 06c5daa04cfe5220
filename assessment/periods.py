"""Which period of a scheme a results page or API call reads: a month of the scheme, the whole scheme ("全期"),
or a start and an end inside it. One reading for the page, the export and the API, with the same Chinese messages.

By default the last finished month: the month a ranking is published for. A month is clipped to the scheme's own
period, so a scheme starting mid-month reads (and locks) only its own days.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.forms.common import parse_month

from .services import month_period

WHOLE = "all"


def months_of(scheme):
    """The first day of each month the scheme covers, in order."""
    out, day = [], scheme.start.replace(day=1)
    while day <= scheme.end:
        out.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return out


def clip(scheme, start, end):
    return max(start, scheme.start), min(end, scheme.end)


def month_of(scheme, first):
    """The month starting `first`, as far as it lies inside the scheme."""
    return clip(scheme, *month_period(first.year, first.month))


def default_period(scheme, today=None):
    """The last month of the scheme already over on `today`; the scheme's first month when none is over yet."""
    today = today or timezone.localdate()
    finished = [m for m in months_of(scheme) if month_of(scheme, m)[1] < today]
    return month_of(scheme, finished[-1] if finished else months_of(scheme)[0])


def is_whole(scheme, start, end):
    return (start, end) == (scheme.start, scheme.end)


def period_key(scheme, start, end):
    """What the month picker shows selected for a period: "YYYY-MM", "all", or "" for another span."""
    if is_whole(scheme, start, end):
        return WHOLE
    if (start, end) == month_of(scheme, start.replace(day=1)):
        return f"{start:%Y-%m}"
    return ""


def _date(value, field, label):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError({field: _("“%(label)s”请按“年-月-日”填写，如 2022-09-01。") % {"label": label}})


def read_period(scheme, *, month=None, start=None, end=None, today=None):
    """(start, end) asked for by `month` ("YYYY-MM" or "all") or by `start` and `end`; refused when it runs backwards,
    is half given, or lies outside the scheme."""
    if month:
        if str(month).strip() == WHOLE:
            return scheme.start, scheme.end
        try:
            first = parse_month(month)
        except Exception:
            raise ValidationError({"month": _("请按“年-月”填写月份，如 2024-05。")})
        if not (scheme.start.replace(day=1) <= first <= scheme.end):
            raise ValidationError(
                {"month": _("月份须在方案期间 %(s)s 至 %(e)s 之内。") % {"s": scheme.start, "e": scheme.end}}
            )
        return month_of(scheme, first)
    if start or end:
        if not (start and end):
            raise ValidationError({"start": _("请同时填写开始日期和结束日期。")})
        start, end = _date(start, "start", _("开始日期")), _date(end, "end", _("结束日期"))
        if end < start:
            raise ValidationError({"end": _("结束日期不能早于开始日期。")})
        if start < scheme.start or end > scheme.end:
            raise ValidationError(
                {"start": _("期间须在方案期间 %(s)s 至 %(e)s 之内。") % {"s": scheme.start, "e": scheme.end}}
            )
        return start, end
    return default_period(scheme, today)
