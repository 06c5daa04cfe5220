"""A company's timeline: every piece of work on it the viewer may see, newest first.

The directory is shared by the whole city so that everyone sees who is in touch with a
company; the timeline is where they see it. It is pluggable because the work lives in
other apps: each registers a *source* here, and the company page never has to know them.

    from enterprises.timeline import TimelineEntry, Touch, register_source

    @register_source(key="leads", label=_("线索"), touches=lead_touches, list_url=lambda c: f"/leads/?company={c.pk}")
    def lead_entries(company, user, limit):
        for lead in Lead.objects.visible_to(user).filter(company=company).select_related("unit")[:limit]:
            yield TimelineEntry(lead.collected_on, _("线索"), lead.unit, lead.name, lead.get_absolute_url())

A source's `entries(company, user, limit)` yields at most `limit` entries, newest first,
read through its model's `visible_to(user)` in one query (the page then costs a fixed
number of queries however much work was done). `touches(company, user)`, if given, yields
one `Touch` per unit with the date of its last contact and how many records it has, for
the "正在对接的单位" box; it must count only what the viewer may see.

Register from the app's `AppConfig.ready()` (or a module it imports); registering a key
again replaces the earlier source, so a reload never shows an entry twice. The outreach
ledgers are registered at the bottom of this module.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

SUMMARY_LENGTH = 60
DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class TimelineEntry:
    """One piece of work on the company: when, what kind, by which unit, in a line, and where to read it."""

    date: datetime.date
    kind_label: str
    unit: object  # organizations.Unit, or None when the record has no unit
    summary: str
    url: str = ""


@dataclass(frozen=True)
class Touch:
    """A unit in touch with the company: its last contact and how many records it has."""

    unit_id: int
    unit_name: str
    last_date: datetime.date
    count: int


@dataclass(frozen=True)
class TimelineSource:
    key: str
    label: str
    entries: Callable
    touches: Callable | None = None
    list_url: Callable | None = None


@dataclass
class SourceLink:
    """The "全部" link of one source: its full, filtered list."""

    label: str
    url: str
    shown: int
    more: bool


@dataclass
class Timeline:
    entries: list
    truncated: bool
    links: list = field(default_factory=list)
    touches: list = field(default_factory=list)


_sources = {}


def register_source(entries=None, *, key=None, label="", touches=None, list_url=None):
    """Add a source of timeline entries; usable as a plain call or as a decorator.

    `entries(company, user, limit)` → iterable of TimelineEntry; `touches(company, user)` →
    iterable of Touch; `list_url(company)` → the URL of the full list filtered to the company.
    """

    def add(fn):
        source = TimelineSource(
            key=key or f"{fn.__module__}.{fn.__qualname__}",
            label=label,
            entries=fn,
            touches=touches,
            list_url=list_url,
        )
        _sources[source.key] = source
        return fn

    return add(entries) if entries is not None else add


def unregister_source(key):
    _sources.pop(key, None)


def sources():
    return list(_sources.values())


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def company_timeline(company, user, limit=DEFAULT_LIMIT):
    """The latest `limit` entries of all sources, newest first, with their "全部" links and the units in touch."""
    merged = []
    links = []
    for order, source in enumerate(sources()):
        # One more than shown tells whether the source has more than the page holds.
        rows = list(source.entries(company, user, limit + 1))
        more = len(rows) > limit
        rows = rows[:limit]
        for position, entry in enumerate(rows):
            merged.append((_as_date(entry.date), -order, -position, entry))
        if rows and source.list_url is not None:
            url = source.list_url(company)
            if url:
                links.append(SourceLink(label=source.label, url=url, shown=len(rows), more=more))
    merged.sort(key=lambda item: item[:3], reverse=True)
    entries = [item[3] for item in merged]
    return Timeline(
        entries=entries[:limit],
        truncated=len(entries) > limit or any(link.more for link in links),
        links=links,
        touches=units_in_touch(company, user),
    )


def units_in_touch(company, user):
    """Every unit that has worked on the company, as the viewer may see it: last contact first."""
    by_unit = {}
    for source in sources():
        if source.touches is None:
            continue
        for touch in source.touches(company, user):
            known = by_unit.get(touch.unit_id)
            if known is None:
                by_unit[touch.unit_id] = touch
            else:
                by_unit[touch.unit_id] = Touch(
                    unit_id=touch.unit_id,
                    unit_name=known.unit_name,
                    last_date=max(_as_date(known.last_date), _as_date(touch.last_date)),
                    count=known.count + touch.count,
                )
    return sorted(by_unit.values(), key=lambda t: (_as_date(t.last_date), t.count), reverse=True)


# --- Helpers for sources ------------------------------------------------------------------


def one_line(*parts):
    """The non-empty parts joined, whitespace squashed, cut to a line."""
    text = " · ".join(" ".join(str(p).split()) for p in parts if p and str(p).strip())
    return Truncator(text).chars(SUMMARY_LENGTH)


def link_to(obj):
    """The record's page; empty while the app that shows it has not published its URL yet."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


def filtered_list(url_name, fallback_path):
    """`list_url` for a source: its list page filtered to the company (`?company=<id>`)."""

    def build(company):
        try:
            path = reverse(url_name)
        except NoReverseMatch:
            path = fallback_path
        return f"{path}?company={company.pk}"

    return build


def touches_from(queryset, date_field):
    """Touches from a queryset already narrowed to the company and the viewer's scope: one grouped query."""
    rows = (
        queryset.order_by()
        .values("unit_id", "unit__name")
        .annotate(last=Max(date_field), n=Count("pk", distinct=True))
        .order_by()
    )
    return [Touch(r["unit_id"], r["unit__name"], r["last"], r["n"]) for r in rows]


# --- The outreach ledgers -----------------------------------------------------------------
# Imported inside the functions: outreach depends on enterprises, not the other way round.


def _visits(user):
    from outreach.models import Visit

    return Visit.objects.visible_to(user)


def visit_entries(company, user, limit):
    visits = _visits(user).filter(company=company).select_related("unit").order_by("-visit_date", "-id")
    for visit in visits[:limit]:
        yield TimelineEntry(
            visit.visit_date,
            str(_("走访")),
            visit.unit,
            one_line(visit.get_way_display(), visit.contact_name, visit.content),
            link_to(visit),
        )


def visit_touches(company, user):
    return touches_from(_visits(user).filter(company=company), "visit_date")


def _inspections(user):
    from outreach.models import Inspection

    return Inspection.objects.visible_to(user)


def inspection_entries(company, user, limit):
    rows = _inspections(user).filter(company=company).select_related("unit").order_by("-inspection_date", "-id")
    for inspection in rows[:limit]:
        yield TimelineEntry(
            inspection.inspection_date,
            str(_("来访考察")),
            inspection.unit,
            one_line(inspection.places, inspection.result or inspection.delegation),
            link_to(inspection),
        )


def inspection_touches(company, user):
    return touches_from(_inspections(user).filter(company=company), "inspection_date")


def _events(user):
    from outreach.models import PromotionEvent

    return PromotionEvent.objects.visible_to(user)


def event_entries(company, user, limit):
    rows = _events(user).filter(companies=company).select_related("unit").order_by("-event_date", "-id")
    for event in rows[:limit]:
        yield TimelineEntry(
            event.event_date, str(_("推介会")), event.unit, one_line(event.title, event.place), link_to(event)
        )


def event_touches(company, user):
    return touches_from(_events(user).filter(companies=company), "event_date")


def _trips(user):
    from outreach.models import OutboundTrip

    return OutboundTrip.objects.visible_to(user)


def trip_entries(company, user, limit):
    rows = _trips(user).filter(companies=company).select_related("unit").order_by("-start_date", "-id")
    for trip in rows[:limit]:
        yield TimelineEntry(
            trip.start_date,
            str(_("外出招商")),
            trip.unit,
            one_line(trip.leader_name, trip.destinations, trip.purpose),
            link_to(trip),
        )


def trip_touches(company, user):
    return touches_from(_trips(user).filter(companies=company), "start_date")


register_source(
    visit_entries,
    key="outreach.visits",
    label=_("走访"),
    touches=visit_touches,
    list_url=filtered_list("outreach:visit_list", "/outreach/visits/"),
)
register_source(
    inspection_entries,
    key="outreach.inspections",
    label=_("来访考察"),
    touches=inspection_touches,
    list_url=filtered_list("outreach:inspection_list", "/outreach/inspections/"),
)
register_source(
    event_entries,
    key="outreach.events",
    label=_("推介会"),
    touches=event_touches,
    list_url=filtered_list("outreach:event_list", "/outreach/events/"),
)
register_source(
    trip_entries,
    key="outreach.trips",
    label=_("外出招商"),
    touches=trip_touches,
    list_url=filtered_list("outreach:trip_list", "/outreach/trips/"),
)
