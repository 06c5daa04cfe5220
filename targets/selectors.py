"""How far each target has got, counted from the records, never typed in; and how much of its period has passed.

`reached(targets)` counts a whole page of targets in a fixed number of aggregate queries: one per
indicator and period, grouping the period's records by the unit they are credited to; each target then adds up
the groups in its unit's subtree (a county's count includes its squads, a city's everything in it). What counts:

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


def _unit_counts(indicator, start, end, targets):
    """{target.pk: reached} for unit targets of one indicator and period, in one grouped query.

    The records are grouped by the unit(s) they are credited to (a few hundred groups at most), and each target
    adds up the groups in its unit's subtree: the database scans the period once, whatever the number of targets.
    """
    from leads.filtersets import with_effective_for
    from leads.models import Lead, LeadSettings
    from outreach.models import Inspection, PromotionEvent, Visit
    from projects.models import MonthlyProgress, Project

    if not targets:
        return {}
    owners = {t.owner_id for t in targets}
    if indicator in (Indicator.VISITS, Indicator.UNIVERSITY_VISITS, Indicator.INSPECTIONS, Indicator.EVENTS):
        model, date_field = {
            Indicator.VISITS: (Visit, "visit_date"),
            Indicator.UNIVERSITY_VISITS: (Visit, "visit_date"),
            Indicator.INSPECTIONS: (Inspection, "inspection_date"),
            Indicator.EVENTS: (PromotionEvent, "event_date"),
        }[indicator]
        base = model.objects.filter(**{f"{date_field}__range": (start, end)})
        if indicator == Indicator.UNIVERSITY_VISITS:
            base = base.filter(company__kind="university")
        rows = base.order_by().values_list("unit__path").annotate(n=Count("id"))
        return _sum_under([(path, None, n) for path, n in rows], targets)
    if indicator == Indicator.EFFECTIVE_LEADS:
        settings_by_owner = {s.owner_id: s for s in LeadSettings.objects.filter(owner_id__in=owners)}
        base = with_effective_for(
            Lead.objects.counted().filter(owner_id__in=owners, collected_date__range=(start, end)), settings_by_owner
        ).filter(is_effective=True)
        rows = base.order_by().values_list("reporting_unit__path", "owner_id").annotate(n=Count("id"))
        return _sum_under(list(rows), targets, owner_of=True)
    credit = ("lead__reporting_unit__path", "host_unit__path")
    if indicator == Indicator.FUNDS_ARRIVED:
        base = MonthlyProgress.objects.filter(month__range=(start.replace(day=1), end))
        rows = (
            base.order_by()
            .values_list(*(f"project__{c}" for c in credit), "project__owner_id")
            .annotate(n=Sum(F("funds_fixed") + F("funds_non_fixed")))
        )
        return _sum_under(list(rows), targets, owner_of=True)
    date_field = {
        Indicator.SIGNED_PROJECTS: "signed_on",
        Indicator.SIGNED_INVESTMENT: "signed_on",
        Indicator.STARTED_PROJECTS: "started_on",
        Indicator.PRODUCING_PROJECTS: "producing_on",
    }[indicator]
    mins = _min_amounts(owners)
    counted = Q()
    for owner_id in owners:
        counted |= Q(owner_id=owner_id, total_investment__gte=mins.get(owner_id, 0))
    base = Project.objects.filter(
        counted, predecessor__isnull=True, signed_on__isnull=False, **{f"{date_field}__range": (start, end)}
    )
    measure = Sum("total_investment") if indicator == Indicator.SIGNED_INVESTMENT else Count("id")
    rows = base.order_by().values_list(*credit, "owner_id").annotate(n=measure)
    return _sum_under(list(rows), targets, owner_of=True)


def unit_counts(indicator, start, end, units, owner_id):
    """{unit.pk: reached} for units of one city, by the same rules as a target of theirs: one aggregate query."""
    from types import SimpleNamespace

    stand_ins = [SimpleNamespace(pk=unit.pk, unit=unit, owner_id=owner_id) for unit in units]
    return _unit_counts(Indicator(indicator), start, end, stand_ins) if stand_ins else {}


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
    """{target.pk: value reached} for these targets, one aggregate query per (indicator, period)."""
    groups = {}
    for target in targets:
        groups.setdefault((target.indicator, target.start, target.end, target.person_id is not None), []).append(target)
    out = {}
    for (indicator, start, end, personal), group in groups.items():
        counter = _person_counts if personal else _unit_counts
        out.update(counter(Indicator(indicator), start, end, group))
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
