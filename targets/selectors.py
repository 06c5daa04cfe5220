"""How far each target has got, counted from the records, never typed in; and how much of its period has passed.

`reached(targets)` counts a whole page of targets in a fixed number of aggregate queries: one per
indicator (a filtered aggregate for each period in it), grouping the periods' records by the unit they are
credited to; each target then adds up the groups in its unit's subtree (a county's count includes its squads,
a city's everything in it). What counts:

- visits, of which universities (企业类型 高校); inspections; promotion events — by the recording unit and date;
- effective leads — counted leads (not duplicates) meeting their city's rule, by reporting unit and
  collected date;
- signed projects and signed investment — counted projects (统计口径: first confirmed signing, minimum
  amount) signed in the period, credited to the team whose lead it was and to the host county or zone;
  started and producing projects the same way by their confirmed dates; funds arrived from the
  monthly reports of the period;
- a person's days stationed (the part of each stationing inside the period) and outbound trips led.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from .choices import AMOUNT_INDICATORS, Indicator
from .models import Target

ZERO = Decimal(0)


def targets_for(user):
    return Target.objects.visible_to(user)


def _min_amounts(owner_ids):
    from projects.models import ProjectSettings

    return dict(ProjectSettings.objects.filter(owner_id__in=owner_ids).values_list("owner_id", "min_count_amount"))


def _sum_under(rows, targets, owner_of=None):
    """{target.pk: total} from grouped rows (paths…, owner_id, value): a row counts once for a target when any of
    its paths lies in the target unit's subtree (and, where given, it belongs to the target's city)."""
    out = {}
    for t in targets:
        path, total = t.unit.path, ZERO
        for *paths, owner_id, value in rows:
            if owner_of is not None and owner_id != t.owner_id:
                continue
            if value and any(p and p.startswith(path) for p in paths):
                total += Decimal(value)
        out[t.pk] = total
    return out


def _settings(memo, key, owners, read):
    """A city's counting rules, read once per call of `reached` / `unit_counts_by_period` (`memo`), not per
    indicator."""
    found = memo.get(key)
    if found is None or not owners <= found[0]:
        found = memo[key] = (frozenset(owners), read(owners))
    return found[1]


def _unit_counts_by_period(indicator, periods, memo=None):
    """{target.pk: reached} for unit targets of one indicator, `periods` mapping (start, end) to its targets.

    One grouped query for all the periods: the records are grouped by the unit(s) they are credited to (a few
    hundred groups at most), with one filtered aggregate per period, and each target adds up the groups in its
    unit's subtree: the database scans the periods once, whatever the number of targets or of periods.
    """
    from leads.filtersets import with_effective_for
    from leads.models import Lead, LeadSettings
    from outreach.models import Inspection, PromotionEvent, Visit
    from projects.models import MonthlyProgress, Project

    periods = {period: group for period, group in periods.items() if group}
    if not periods:
        return {}
    memo = {} if memo is None else memo
    spans = list(periods)
    lo, hi = min(s for s, _e in spans), max(e for _s, e in spans)
    owners = {t.owner_id for group in periods.values() for t in group}

    def per_period(rows, width, owner_of=None):
        # rows: (keys… [width of them], value per period…) → each period's (keys…, value) summed under its targets
        rows = list(rows)
        out = {}
        for j, period in enumerate(spans):
            out.update(_sum_under([(*row[:width], row[width + j]) for row in rows], periods[period], owner_of))
        return out

    def aggregates(measure, date_field, first_day=False):
        return {
            f"p{j}": measure(filter=Q(**{f"{date_field}__range": (s.replace(day=1) if first_day else s, e)}))
            for j, (s, e) in enumerate(spans)
        }

    if indicator in (Indicator.VISITS, Indicator.UNIVERSITY_VISITS, Indicator.INSPECTIONS, Indicator.EVENTS):
        model, date_field = {
            Indicator.VISITS: (Visit, "visit_date"),
            Indicator.UNIVERSITY_VISITS: (Visit, "visit_date"),
            Indicator.INSPECTIONS: (Inspection, "inspection_date"),
            Indicator.EVENTS: (PromotionEvent, "event_date"),
        }[indicator]
        base = model.objects.filter(**{f"{date_field}__range": (lo, hi)})
        if indicator == Indicator.UNIVERSITY_VISITS:
            base = base.filter(company__kind="university")
        rows = base.order_by().values_list("unit__path").annotate(**aggregates(partial(Count, "id"), date_field))
        return per_period(((path, None, *values) for path, *values in rows), 2)
    if indicator == Indicator.EFFECTIVE_LEADS:
        settings_by_owner = _settings(
            memo, "leads", owners, lambda ids: {s.owner_id: s for s in LeadSettings.objects.filter(owner_id__in=ids)}
        )
        base = with_effective_for(
            Lead.objects.counted().filter(owner_id__in=owners, collected_date__range=(lo, hi)), settings_by_owner
        ).filter(is_effective=True)
        rows = (
            base.order_by()
            .values_list("reporting_unit__path", "owner_id")
            .annotate(**aggregates(partial(Count, "id"), "collected_date"))
        )
        return per_period(rows, 2, owner_of=True)
    credit = ("lead__reporting_unit__path", "host_unit__path")
    if indicator == Indicator.FUNDS_ARRIVED:
        base = MonthlyProgress.objects.filter(month__range=(lo.replace(day=1), hi))
        rows = (
            base.order_by()
            .values_list(*(f"project__{c}" for c in credit), "project__owner_id")
            .annotate(**aggregates(partial(Sum, F("funds_fixed") + F("funds_non_fixed")), "month", True))
        )
        return per_period(rows, 3, owner_of=True)
    date_field = {
        Indicator.SIGNED_PROJECTS: "signed_on",
        Indicator.SIGNED_INVESTMENT: "signed_on",
        Indicator.STARTED_PROJECTS: "started_on",
        Indicator.PRODUCING_PROJECTS: "producing_on",
    }[indicator]
    mins = _settings(memo, "projects", owners, _min_amounts)
    counted = Q()
    for owner_id in owners:
        counted |= Q(owner_id=owner_id, total_investment__gte=mins.get(owner_id, 0))
    base = Project.objects.filter(
        counted, predecessor__isnull=True, signed_on__isnull=False, **{f"{date_field}__range": (lo, hi)}
    )
    measure = partial(Sum, "total_investment") if indicator == Indicator.SIGNED_INVESTMENT else partial(Count, "id")
    rows = base.order_by().values_list(*credit, "owner_id").annotate(**aggregates(measure, date_field))
    return per_period(rows, 3, owner_of=True)


def unit_counts(indicator, start, end, units, owner_id):
    """{unit.pk: reached} for units of one city, by the same rules as a target of theirs: one aggregate query."""
    return unit_counts_by_period(indicator, [(start, end)], units, owner_id)[(start, end)]


def unit_counts_by_period(indicator, spans, units, owner_id, memo=None):
    """{(start, end): {unit.pk: reached}} for units of one city over several periods (a month and the year to
    date, say): one aggregate query for all of them. Pass the same `memo` dict to several calls to read the
    city's counting rules once."""
    from types import SimpleNamespace

    spans = list(dict.fromkeys(spans))
    periods = {
        span: [SimpleNamespace(pk=(j, unit.pk), unit=unit, owner_id=owner_id) for unit in units]
        for j, span in enumerate(spans)
    }
    counted = _unit_counts_by_period(Indicator(indicator), periods, memo) if units else {}
    return {span: {unit.pk: counted.get((j, unit.pk), ZERO) for unit in units} for j, span in enumerate(spans)}


def _person_counts(indicator, start, end, targets):
    from outreach.models import OutboundTrip, Stationing

    people = {t.person_id for t in targets}
    out = {}
    if indicator == Indicator.OUTBOUND_TRIPS:
        rows = dict(
            OutboundTrip.objects.filter(leader_id__in=people, start_date__range=(start, end))
            .order_by()
            .values_list("leader_id")
            .annotate(n=Count("id"))
        )
        return {t.pk: Decimal(rows.get(t.person_id, 0)) for t in targets}
    days = dict.fromkeys(people, 0)
    stays = Stationing.objects.filter(person_id__in=people, start_date__lte=end, end_date__gte=start).values_list(
        "person_id", "start_date", "end_date"
    )
    for person_id, first, last in stays:
        days[person_id] += (min(last, end) - max(first, start)).days + 1
    for t in targets:
        out[t.pk] = Decimal(days.get(t.person_id, 0))
    return out


def reached(targets):
    """{target.pk: value reached} for these targets: one aggregate query per indicator for the units' targets
    (all their periods at once), one per (indicator, period) for the people's."""
    units, people = {}, {}
    for target in targets:
        if target.person_id is not None:
            people.setdefault((target.indicator, target.start, target.end), []).append(target)
        else:
            units.setdefault(target.indicator, {}).setdefault((target.start, target.end), []).append(target)
    out, memo = {}, {}
    for indicator, periods in units.items():
        out.update(_unit_counts_by_period(Indicator(indicator), periods, memo))
    for (indicator, start, end), group in people.items():
        out.update(_person_counts(Indicator(indicator), start, end, group))
    return out


@dataclass
class Progress:
    """A target with what it reached, its share, and the share of its period gone (时间过半、任务过半)."""

    target: Target
    reached: Decimal
    share: Decimal | None
    elapsed: Decimal
    behind: bool

    @property
    def is_amount(self):
        return self.target.indicator in AMOUNT_INDICATORS


def elapsed_share(start, end, today=None):
    """The share (0–100) of the period that has passed, today counted."""
    today = today or timezone.localdate()
    total = (end - start).days + 1
    gone = min(max((today - start).days + 1, 0), total)
    return (Decimal(gone) * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def progress(targets, today=None):
    """Progress of each target; behind when its share of the target trails the share of its period gone."""
    targets = list(targets)
    counts = reached(targets)
    out = []
    for target in targets:
        value = counts.get(target.pk, ZERO)
        share = (value * 100 / target.value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if target.value else None
        elapsed = elapsed_share(target.start, target.end, today)
        behind = share is not None and elapsed > 0 and share < elapsed
        out.append(Progress(target, value, share, elapsed, behind))
    return out


def month_bounds(day):
    first = day.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return first, last
