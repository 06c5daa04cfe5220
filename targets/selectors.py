"""How far each target has got, counted from the records, never typed in; and how much of its period has passed.

`reached(targets)` counts a whole page of targets in a fixed number of aggregate queries: one per
indicator and period, with one filtered aggregate per target (a unit's count covers its subtree:
a county's includes its squads, a city's everything in it). What counts:

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


def _project_credit(path):
    return Q(lead__reporting_unit__path__startswith=path) | Q(host_unit__path__startswith=path)


def _min_amounts(owner_ids):
    from projects.models import ProjectSettings

    return dict(ProjectSettings.objects.filter(owner_id__in=owner_ids).values_list("owner_id", "min_count_amount"))


def _unit_counts(indicator, start, end, targets):
    """{target.pk: reached} for unit targets of one indicator and period, in one query."""
    from leads.filtersets import with_effective_for
    from leads.models import Lead, LeadSettings
    from outreach.models import Inspection, PromotionEvent, Visit
    from projects.models import MonthlyProgress, Project

    terms = {}
    if indicator in (Indicator.VISITS, Indicator.UNIVERSITY_VISITS):
        base = Visit.objects.filter(visit_date__range=(start, end))
        if indicator == Indicator.UNIVERSITY_VISITS:
            base = base.filter(company__kind="university")
        terms = {f"t{t.pk}": Count("id", filter=Q(unit__path__startswith=t.unit.path)) for t in targets}
    elif indicator == Indicator.INSPECTIONS:
        base = Inspection.objects.filter(inspection_date__range=(start, end))
        terms = {f"t{t.pk}": Count("id", filter=Q(unit__path__startswith=t.unit.path)) for t in targets}
    elif indicator == Indicator.EVENTS:
        base = PromotionEvent.objects.filter(event_date__range=(start, end))
        terms = {f"t{t.pk}": Count("id", filter=Q(unit__path__startswith=t.unit.path)) for t in targets}
    elif indicator == Indicator.EFFECTIVE_LEADS:
        owners = {t.owner_id for t in targets}
        settings_by_owner = {s.owner_id: s for s in LeadSettings.objects.filter(owner_id__in=owners)}
        base = with_effective_for(
            Lead.objects.counted().filter(owner_id__in=owners, collected_date__range=(start, end)), settings_by_owner
        ).filter(is_effective=True)
        terms = {f"t{t.pk}": Count("id", filter=Q(reporting_unit__path__startswith=t.unit.path)) for t in targets}
    elif indicator == Indicator.FUNDS_ARRIVED:
        base = MonthlyProgress.objects.filter(month__range=(start.replace(day=1), end))
        terms = {
            f"t{t.pk}": Sum(
                F("funds_fixed") + F("funds_non_fixed"),
                filter=Q(project__lead__reporting_unit__path__startswith=t.unit.path)
                | Q(project__host_unit__path__startswith=t.unit.path),
            )
            for t in targets
        }
    else:
        date_field = {
            Indicator.SIGNED_PROJECTS: "signed_on",
            Indicator.SIGNED_INVESTMENT: "signed_on",
            Indicator.STARTED_PROJECTS: "started_on",
            Indicator.PRODUCING_PROJECTS: "producing_on",
        }[indicator]
        mins = _min_amounts({t.owner_id for t in targets})
        base = Project.objects.filter(
            predecessor__isnull=True, signed_on__isnull=False, **{f"{date_field}__range": (start, end)}
        )
        for t in targets:
            credit = _project_credit(t.unit.path) & Q(
                owner_id=t.owner_id, total_investment__gte=mins.get(t.owner_id, 0)
            )
            if indicator == Indicator.SIGNED_INVESTMENT:
                terms[f"t{t.pk}"] = Sum("total_investment", filter=credit)
            else:
                terms[f"t{t.pk}"] = Count("id", filter=credit)
    row = base.order_by().aggregate(**terms) if terms else {}
    return {t.pk: Decimal(row.get(f"t{t.pk}") or 0) for t in targets}


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
