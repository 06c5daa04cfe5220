"""Read queries for leads: the office's queue, a county's incoming leads, a team's own, timelines, pool counts.

Every list reads through `Lead.objects.visible_to(user)` and fetches what a page shows in
a fixed number of queries (select_related for the units, investor, chain and pool).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone

from core.scope import scope_of
from organizations.choices import Role, UnitKind
from organizations.models import Unit

from .choices import LeadEventKind, LeadStatus, PoolKind
from .models import FollowUp, Lead, LeadConflict, LeadEvent, LeadPool, LeadSettings, NegativeListEntry

# Who reports leads and follows them up: the teams and squads, and the counties and zones.
LEAD_WRITER_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER, Role.COUNTY_STAFF)
# Where a lead may be pushed (domain.md §3): a county or a development zone of the city.
RECEIVING_UNIT_KINDS = (UnitKind.COUNTY, UnitKind.ZONE)
# The office still owes an answer on these.
PENDING_STATUSES = (LeadStatus.REPORTED, LeadStatus.RETURNED)
# A row's small reference tables, read beside the page (core.refs) rather than joined: the investor is joined.
LIST_REFS = ("owner", "reporting_unit", "receiving_unit", "chain", "segment", "pool")
KEYWORD_SPLIT = re.compile(r"[、,，;；\s/|]+")


def leads_for(user):
    """Every lead `user` may see, with what a list row shows."""
    return Lead.objects.visible_to(user).select_related("investor").with_refs(*LIST_REFS)


def _overdue_flag(queryset, today=None):
    today = today or timezone.localdate()
    pending = Q(status__in=PENDING_STATUSES)
    late = Q(assess_due__lt=today) | Q(feedback_due__lt=today)
    return queryset.annotate(overdue=ExpressionWrapper(pending & late, output_field=BooleanField()))


def assessment_queue(user):
    """The office's queue: leads reported or sent back, waiting to be assessed, oldest deadline first.

    Each row carries `overdue` (the assessment or the feedback to the team is late).
    Only the office of the leads' city has a queue; anyone else gets an empty one.
    """
    office = scope_of(user).subtree_q("owner__path", Role.OFFICE_STAFF)
    queryset = leads_for(user).filter(office, status__in=PENDING_STATUSES)
    return _overdue_flag(queryset).order_by("assess_due", "collected_date", "id")


def incoming_queue(user):
    """Leads pushed to a county or zone `user` works for, waiting to be accepted or sent back; oldest first."""
    mine = scope_of(user).subtree_q("receiving_unit__path", Role.COUNTY_STAFF)
    return leads_for(user).filter(mine, status=LeadStatus.DISPATCHED).order_by("dispatched_at", "id")


def team_leads(user):
    """Leads reported by the teams (or counties) `user` reports for, newest first."""
    mine = scope_of(user).subtree_q("reporting_unit__path", *LEAD_WRITER_ROLES)
    return _overdue_flag(leads_for(user).filter(mine)).order_by("-collected_date", "-id")


def overdue(qs):
    """The leads of `qs` the office has not answered in time (assessment or feedback to the team late)."""
    today = timezone.localdate()
    return qs.filter(Q(status__in=PENDING_STATUSES) & (Q(assess_due__lt=today) | Q(feedback_due__lt=today)))


@dataclass
class TimelineEntry:
    """One line of a lead's page: an event (who did what, when) or a dated follow-up note."""

    when: datetime | date
    kind: str
    label: str
    actor: object
    unit: object
    from_value: str = ""
    to_value: str = ""
    note: str = ""
    follow_up: FollowUp | None = None
    event: LeadEvent | None = None

    @property
    def day(self):
        return self.when.date() if isinstance(self.when, datetime) else self.when


def timeline(lead):
    """Events and follow-ups of `lead` in one list, oldest first: two queries whatever its length.

    A follow-up is shown once, as itself (with its own date); the event recording that it
    was entered is left out of the list so the line does not appear twice.
    """
    events = (
        LeadEvent.objects.filter(lead_id=lead.pk)
        .exclude(kind=LeadEventKind.FOLLOW_UP)
        .select_related("actor", "unit")
        .order_by("at", "id")
    )
    follow_ups = (
        FollowUp.objects.filter(lead_id=lead.pk)
        .select_related("unit", "author", "inspection", "event")
        .order_by("follow_date", "id")
    )
    entries = [
        TimelineEntry(
            when=timezone.localtime(e.at),
            kind=e.kind,
            label=e.get_kind_display(),
            actor=e.actor,
            unit=e.unit,
            from_value=e.from_value,
            to_value=e.to_value,
            note=e.note,
            event=e,
        )
        for e in events
    ]
    entries += [
        TimelineEntry(
            when=f.follow_date,
            kind=LeadEventKind.FOLLOW_UP,
            label=str(LeadEventKind.FOLLOW_UP.label),
            actor=f.author,
            unit=f.unit,
            note=f.note,
            follow_up=f,
        )
        for f in follow_ups
    ]
    entries.sort(key=_sort_key)
    return entries


def _sort_key(entry):
    if entry.follow_up is None:
        return (entry.when, 0, entry.event.pk)
    # A note entered on the day it describes sits where it was entered among that day's
    # events; a back-dated one closes its day (its hour is unknown).
    written = timezone.localtime(entry.follow_up.created_at)
    if written.date() != entry.when:
        written = timezone.make_aware(datetime.combine(entry.when, time.max))
    return (written, 1, entry.follow_up.pk)


def pools_for(user):
    """The active pools of the cities `user` works in, in their order."""
    return LeadPool.objects.filter(scope_of(user).within_q("owner"), active=True).order_by(
        "owner_id", "sort_order", "id"
    )


def pool_counts(user):
    """Each active pool of the user's city with `lead_count`: the leads in it the user may see, each counted once."""
    pools = list(pools_for(user))
    counts = dict(
        Lead.objects.visible_to(user)
        .counted()
        .filter(pool_id__in=[p.pk for p in pools])
        .values_list("pool_id")
        .annotate(n=Count("id"))
        .values_list("pool_id", "n")
    )
    for pool in pools:
        pool.lead_count = counts.get(pool.pk, 0)
    return pools


def negative_list_hits(lead, unit) -> list[NegativeListEntry]:
    """Entries of `unit`'s negative list (负面清单) the lead falls under: its chain, or a keyword in its text."""
    if unit is None:
        return []
    text = f"{lead.name or ''}\n{lead.content or ''}"
    hits = []
    for entry in NegativeListEntry.objects.filter(unit_id=unit.pk).select_related("chain").order_by("industry", "id"):
        if entry.chain_id and lead.chain_id and entry.chain_id == lead.chain_id:
            hits.append(entry)
            continue
        keywords = [k for k in KEYWORD_SPLIT.split(entry.keywords or "") if k]
        if any(k in text for k in keywords):
            hits.append(entry)
    return hits


def receiving_units(owner):
    """The counties and zones of `owner`'s city a lead may be pushed to, in tree order."""
    return Unit.objects.filter(path__startswith=owner.path, kind__in=RECEIVING_UNIT_KINDS, active=True).order_by("path")


def conflicts_for(user):
    """撞单 that concern `user`: either lead is one they may see, or the visit is theirs; open ones first.

    Both units are told (seed 003). A unit sees that the other courts the same investor,
    not the other's lead itself: that stays behind Lead.objects.visible_to.
    """
    from outreach.models import Visit

    visible = Lead.objects.visible_to(user).values("pk")
    visits = Visit.objects.visible_to(user).values("pk")
    return (
        LeadConflict.objects.filter(
            Q(lead_id__in=visible) | Q(other_lead_id__in=visible) | Q(other_visit_id__in=visits)
        )
        .select_related(
            "lead",
            "lead__reporting_unit",
            "lead__receiving_unit",
            "other_lead",
            "other_lead__reporting_unit",
            "other_lead__receiving_unit",
            "other_visit",
            "other_visit__unit",
            "company",
            "leading_unit",
            "decided_by",
        )
        .order_by("status", "-created_at", "-id")
    )


def open_conflicts(user):
    from .choices import ConflictStatus

    return conflicts_for(user).filter(status=ConflictStatus.OPEN)


def shared_units(lead):
    return Unit.objects.filter(pk__in=lead.shares.values("unit_id")).order_by("path")


def is_lost(pool):
    return pool is not None and pool.kind == PoolKind.LOST


# --- The office's settings ------------------------------------------------------------------


def office_cities(user):
    """The cities whose lead settings `user` keeps: those where they are office staff, in tree order."""
    return Unit.objects.filter(
        scope_of(user).subtree_q("path", Role.OFFICE_STAFF), kind=UnitKind.CITY, active=True
    ).order_by("path")


def settings_or_defaults(owner):
    """The city's lead rules as stored, else the defaults it would get (reading never writes)."""
    stored = LeadSettings.objects.filter(owner=owner).first()
    return stored or LeadSettings(owner=owner, grades=["A", "B", "C"])


def pools_of(owner):
    """Every pool of the city, retired ones included, in their order, each with `lead_count` (one query)."""
    return LeadPool.objects.filter(owner=owner).annotate(lead_count=Count("leads")).order_by("sort_order", "id")


def negative_list_of(owner, unit=None):
    """The negative-list entries of the counties and zones of `owner` (or of one `unit`), by unit then industry."""
    entries = NegativeListEntry.objects.filter(unit__path__startswith=owner.path)
    if unit is not None:
        entries = entries.filter(unit=unit)
    return entries.select_related("unit", "chain").order_by("unit__path", "industry", "id")
