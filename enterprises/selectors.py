"""Read queries for the directory pages and API, each in a fixed number of queries.

Counts and dates shown beside a company (visits, last contact) come only from records the
viewer may see: a number must not reveal work the viewer could not open (quality.md).
"""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from core.models import AuditAction, AuditEvent
from core.scope import scope_of

from .choices import CONTACT_PHONE_ROLES
from .identity import normalize_company_name
from .models import Company, Contact

SUGGEST_LIMIT = 10
POSITION_ORDER = ("upstream", "midstream", "downstream")


def visible_companies(user):
    """Current (not merged) directory entries the user may see."""
    return Company.objects.visible_to(user).current()


def visible_segments(user):
    from chains.models import ChainSegment

    return ChainSegment.objects.visible_to(user).select_related("chain")


def visible_chains(user):
    from chains.models import IndustryChain

    return IndustryChain.objects.visible_to(user)


def _visible_visits(user):
    from outreach.models import Visit

    return Visit.objects.visible_to(user)


def with_visit_figures(companies, user):
    """Annotate `visit_count` and `last_visit` from the visits the user may see (a subquery, not a join)."""
    visits = _visible_visits(user).filter(company=OuterRef("pk")).order_by()
    count = visits.values("company").annotate(n=Count("pk")).values("n")
    last = visits.order_by("-visit_date").values("visit_date")[:1]
    return companies.annotate(
        visit_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        last_visit=Subquery(last),
    )


def with_segments(companies, user):
    """Prefetch each company's segments (with their chain) into `segment_list`: one query for the page."""
    return companies.prefetch_related(
        Prefetch(
            "segments", queryset=visible_segments(user).order_by("chain_id", "sort_order", "id"), to_attr="segment_list"
        )
    )


def company_list(user):
    """The directory as the list page and the API list show it."""
    return with_segments(with_visit_figures(visible_companies(user), user), user)


def chain_names(company):
    """Names of the chains a company's (prefetched) segments belong to, without repeats."""
    return list(dict.fromkeys(s.chain.name for s in getattr(company, "segment_list", ())))


def company_for_detail(user):
    return Company.objects.visible_to(user).select_related("owner", "created_by", "created_by_unit", "merged_into")


def company_segments(company, user):
    segments = list(visible_segments(user).filter(companies=company))
    return sorted(segments, key=_segment_order)


def _segment_order(segment):
    position = POSITION_ORDER.index(segment.position) if segment.position in POSITION_ORDER else len(POSITION_ORDER)
    return (segment.chain.sort_order, segment.chain_id, position, segment.sort_order, segment.pk)


def led_chains(company, user):
    """The chains the company leads (链主) or is a core of (链核), among those the user may see."""
    from chains.models import ChainLeader

    return (
        ChainLeader.objects.filter(company=company, chain__in=visible_chains(user).values("pk"))
        .select_related("chain")
        .order_by("chain__sort_order", "chain_id")
    )


def company_contacts(company):
    return Contact.objects.filter(company=company).order_by("-active", "name", "id")


def sees_phones(user):
    """Whether the user's work needs investors' phone numbers; everyone else sees them masked."""
    return scope_of(user).has(*CONTACT_PHONE_ROLES)


def phone_shown(user, phone, sees=None):
    from core.masking import mask_phone

    sees = sees_phones(user) if sees is None else sees
    return phone if sees else mask_phone(phone)


def suggest_companies(user, q, limit=SUGGEST_LIMIT):
    """Visible current companies whose name contains `q` or whose normalised name starts with normalised `q`."""
    q = " ".join((q or "").split())
    if not q:
        return Company.objects.none()
    match = Q(name__icontains=q)
    normalized = normalize_company_name(q)
    if normalized:
        match |= Q(normalized_name__startswith=normalized)
    return visible_companies(user).filter(match).order_by("name", "id").only("id", "name")[:limit]


def possible_matches(user, owner, name="", credit_code="", exclude=None):
    """What `find_matches` says is the same company, limited to what the user may see."""
    from .services import find_matches

    matches = find_matches(owner=owner, name=name, credit_code=credit_code, exclude=exclude)
    if not matches:
        return []
    visible = set(visible_companies(user).filter(pk__in=[m.pk for m in matches]).values_list("pk", flat=True))
    return [m for m in matches if m.pk in visible]


def merge_candidates(keep, user):
    """Other current companies of the same directory with the same normalised name: the likely duplicates."""
    return (
        visible_companies(user)
        .filter(owner_id=keep.owner_id, normalized_name=keep.normalized_name)
        .exclude(pk=keep.pk)
        .select_related("created_by_unit")
        .order_by("id")
    )


def last_merge(keep, absorb):
    """What the merge of `absorb` into `keep` moved and filled in, as its audit record keeps it."""
    events = AuditEvent.objects.filter(
        action=AuditAction.MERGE, object_type=Company._meta.label_lower, object_id=str(keep.pk)
    ).order_by("-id")[:5]
    for event in events:
        if isinstance(event.after, dict) and event.after.get("absorbed") == absorb.pk:
            return event.after
    return {}
