"""Read queries for the outreach ledgers: which units a person may write for, lists, and yearly figures.

Every list reads through `visible_to(user)` and fetches the rows a page shows in a fixed
number of queries (select_related for foreign keys, prefetch for the many-to-many).
"""

import datetime

from django.db.models import Count, Prefetch, Q

from core.models import Attachment
from core.scope import scope_of
from organizations.choices import Role, UnitKind
from organizations.models import Unit, User

from .models import WRITER_ROLES, Inspection, OutboundTrip, PromotionEvent, Stationing, Visit

# Who does the work a ledger records: teams and squads, and the counties and zones themselves.
LEDGER_UNIT_KINDS = (UnitKind.TEAM, UnitKind.SQUAD, UnitKind.COUNTY, UnitKind.ZONE)
# Events and trips are also organised by a department (工信局, 文旅局 … run their own squads and trips).
EVENT_UNIT_KINDS = (*LEDGER_UNIT_KINDS, UnitKind.DEPARTMENT)
HOST_UNIT_KINDS = (UnitKind.COUNTY, UnitKind.ZONE)
# 组长 must be stationed at least this many days a year (seed 000).
LEADER_MIN_STATIONING_DAYS = 30


# --- Units ------------------------------------------------------------------------------


def writable_units(user, kinds=LEDGER_UNIT_KINDS):
    """Active units of `kinds` where `user` holds a writer role, at or under the unit of the role."""
    return Unit.objects.filter(scope_of(user).subtree_q("path", *WRITER_ROLES), kind__in=kinds, active=True).order_by(
        "depth", "path"
    )


def can_write_for(user, unit):
    """Whether `user` writes the ledgers of `unit` (holds a writer role there or above it)."""
    return Unit.objects.filter(scope_of(user).subtree_q("path", *WRITER_ROLES), pk=unit.pk).exists()


def default_unit(user, kinds=LEDGER_UNIT_KINDS):
    """The unit a new record belongs to when nobody says: the highest one the person writes for (their team)."""
    return writable_units(user, kinds).first()


def city_of(unit):
    """The city at or above `unit` (its own root if there is none): where its inspections are hosted."""
    ids = [*unit.ancestor_ids(), unit.pk]
    city = Unit.objects.filter(pk__in=ids, kind=UnitKind.CITY).order_by("-depth").first()
    return city or Unit.objects.get(pk=ids[0])


def host_units_of_city(unit):
    """Counties and zones that may host an inspection invited by `unit`: those of its own city."""
    city = city_of(unit)
    return Unit.objects.filter(path__startswith=city.path, kind__in=HOST_UNIT_KINDS, active=True).order_by("path")


def host_unit_choices(user):
    """Counties and zones of the cities `user` works in (the map of their own city is no secret)."""
    scope = scope_of(user)
    paths = scope.paths()
    if not paths:
        return Unit.objects.none()
    ids = scope.ancestor_ids()
    cities = list(
        Unit.objects.filter(Q(pk__in=ids) | scope.subtree_q("path"), kind=UnitKind.CITY).values_list("path", flat=True)
    )
    in_city = Q()
    for path in cities:
        in_city |= Q(path__startswith=path)
    if not cities:
        in_city = scope.subtree_q("path")
    return Unit.objects.filter(in_city, kind__in=HOST_UNIT_KINDS, active=True).order_by("path")


def filter_units(user, kinds=LEDGER_UNIT_KINDS):
    """Units offered in a list's unit filter: only those the user may see."""
    if user is None:
        return Unit.objects.none()
    return Unit.objects.visible_to(user).filter(kind__in=kinds, active=True).order_by("path")


def visible_people(user):
    return User.objects.visible_to(user).filter(is_active=True).order_by("name", "username")


# --- Lists and details ------------------------------------------------------------------


def _attachments():
    return Prefetch("attachments", queryset=Attachment.objects.order_by("id"))


def visits_for(user):
    # The unit, chain and person are small tables, read beside the page (core.refs) rather than joined.
    return Visit.objects.visible_to(user).select_related("company", "contact").with_refs("unit", "chain", "created_by")


def inspections_for(user):
    return (
        Inspection.objects.visible_to(user)
        .select_related("unit", "company", "created_by")
        .prefetch_related(Prefetch("host_units", queryset=Unit.objects.order_by("path")))
    )


def events_for(user):
    return PromotionEvent.objects.visible_to(user).select_related("unit", "created_by")


def trips_for(user):
    return OutboundTrip.objects.visible_to(user).select_related("unit", "leader", "created_by")


def stationings_for(user):
    return Stationing.objects.visible_to(user).select_related("unit", "person", "created_by")


def with_details(queryset):
    """What a detail page or an API answer shows besides the row: attachments and the many-to-many."""
    model = queryset.model
    prefetches = [_attachments()]
    if model is Visit:
        prefetches.append(Prefetch("visitors", queryset=User.objects.order_by("name")))
    elif model is PromotionEvent or model is OutboundTrip:
        prefetches.append("companies")
        if model is OutboundTrip:
            prefetches.append(Prefetch("members", queryset=User.objects.order_by("name")))
    return queryset.prefetch_related(*prefetches)


# --- Yearly figures ---------------------------------------------------------------------


def year_bounds(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _days_within(start, end, first, last):
    start, end = max(start, first), min(end, last)
    return (end - start).days + 1 if end >= start else 0


def overlapping_year(queryset, year):
    first, last = year_bounds(year)
    return queryset.filter(start_date__lte=last, end_date__gte=first)


def stationing_days(person, year):
    """Days `person` was stationed in `year`; a period across New Year counts only its days in the year."""
    first, last = year_bounds(year)
    rows = overlapping_year(Stationing.objects.filter(person=person), year).values_list("start_date", "end_date")
    return sum(_days_within(start, end, first, last) for start, end in rows)


def stationing_summary(*, user, queryset, year, person=None, unit=None):
    """Days stationed in `year` per person, from the records in `queryset` (already scoped and filtered).

    Team leaders of the units the user sees are listed even with no record, so a leader
    who has not gone out at all is the first one flagged (short of 30 days).
    Three queries, whatever the number of people.
    """
    first, last = year_bounds(year)
    days = {}
    for person_id, start, end in overlapping_year(queryset, year).values_list("person_id", "start_date", "end_date"):
        days[person_id] = days.get(person_id, 0) + _days_within(start, end, first, last)
    leader_units = Unit.objects.visible_to(user).filter(kind__in=(UnitKind.TEAM, UnitKind.SQUAD))
    if unit is not None:
        leader_units = leader_units.filter(path__startswith=unit.path)
    leader_ids = set(
        User.objects.filter(
            memberships__role=Role.TEAM_LEADER, memberships__active=True, memberships__unit__in=leader_units
        ).values_list("pk", flat=True)
    )
    if person is not None:
        leader_ids &= {person.pk}
    ids = set(days) | leader_ids
    people = User.objects.filter(pk__in=ids).only("id", "name", "username").order_by("name", "username")
    return [
        {
            "person": p,
            "days": days.get(p.pk, 0),
            "is_team_leader": p.pk in leader_ids,
            "short": p.pk in leader_ids and days.get(p.pk, 0) < LEADER_MIN_STATIONING_DAYS,
        }
        for p in people
    ]


def trips_led(person, year):
    """Outbound trips `person` led that started in `year` (county heads must lead ≥ 6, zone heads ≥ 12)."""
    first, last = year_bounds(year)
    return OutboundTrip.objects.filter(leader=person, start_date__range=(first, last)).count()


def trip_counts(queryset, year):
    """Trips per leading person in `year` among `queryset`: [{leader_id, leader__name, leader_name, trips}], one query.

    Trips whose leader is only written as a name (not a user) are counted under that name.
    """
    first, last = year_bounds(year)
    rows = (
        queryset.filter(start_date__range=(first, last))
        .order_by()
        .values("leader_id", "leader__name", "leader_name")
        .annotate(trips=Count("id"))
    )
    merged = {}
    for row in rows:
        key = row["leader_id"] or row["leader_name"] or ""
        name = row["leader__name"] or row["leader_name"] or ""
        entry = merged.setdefault(key, {"leader_id": row["leader_id"], "name": name, "trips": 0})
        entry["trips"] += row["trips"]
    return sorted(merged.values(), key=lambda r: (-r["trips"], r["name"]))
