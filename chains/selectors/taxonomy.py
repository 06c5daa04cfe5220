"""Read queries for the chain taxonomy: choices for other apps' forms, the chain list, a chain's leaders.

Each returns what the user may see, in a fixed number of queries however many chains,
segments and companies there are.
"""

from django.db.models import Case, IntegerField, Prefetch, Value, When

from enterprises.models import Company

from ..choices import LeaderKind, SegmentPosition
from ..models import ChainLeader, ChainSegment, IndustryChain, IndustryCluster

# Upstream → midstream → downstream, not the alphabetical order of the stored values.
POSITION_RANK = Case(
    *(When(position=value, then=Value(i)) for i, value in enumerate(SegmentPosition.values)),
    default=Value(len(SegmentPosition.values)),
    output_field=IntegerField(),
)


def cluster_choices(user, active_only=True):
    """Clusters the user may see, in the city's order."""
    clusters = IndustryCluster.objects.visible_to(user).select_related("owner")
    if active_only:
        clusters = clusters.filter(active=True)
    return clusters.order_by("owner__path", "sort_order", "id")


def editable_clusters(user):
    return IndustryCluster.objects.editable_by(user).filter(active=True).order_by("owner__path", "sort_order", "id")


def chain_choices(user):
    """Active chains the user may see, ordered by cluster then chain order: for other apps' chain selects.

    A chain of an inactive cluster is not offered either. Labels read "集群 · 产业链" when
    the select uses `chain_label`.
    """
    return (
        IndustryChain.objects.visible_to(user)
        .filter(active=True, cluster__active=True)
        .select_related("cluster")
        .order_by("cluster__owner_id", "cluster__sort_order", "cluster_id", "sort_order", "id")
    )


def chain_label(chain):
    return f"{chain.cluster.name} · {chain.name}"


def segment_choices(user, chain=None):
    """Segments of the active chains the user may see, chain by chain, upstream to downstream."""
    segments = (
        ChainSegment.objects.visible_to(user)
        .filter(chain__active=True, chain__cluster__active=True)
        .select_related("chain__cluster")
        .annotate(position_rank=POSITION_RANK)
        .order_by(
            "chain__cluster__owner_id",
            "chain__cluster__sort_order",
            "chain__cluster_id",
            "chain__sort_order",
            "chain_id",
            "position_rank",
            "sort_order",
            "id",
        )
    )
    if chain is not None:
        segments = segments.filter(chain=chain)
    return segments


def segment_label(segment):
    return f"{segment.chain.name} · {segment.get_position_display()} · {segment.name}"


# 链主 before 链核 (the stored values sort the other way round).
LEADER_RANK = Case(When(kind=LeaderKind.CHAIN_LEADER, then=Value(0)), default=Value(1), output_field=IntegerField())


def visible_companies(user):
    return Company.objects.visible_to(user).current()


def leaders_prefetch(user):
    """A chain's leaders whose companies the user may see, 链主 before 链核, then by name."""
    leaders = (
        ChainLeader.objects.filter(company__in=visible_companies(user).values("pk"))
        .select_related("company")
        .annotate(kind_rank=LEADER_RANK)
        .order_by("kind_rank", "company__name", "id")
    )
    return Prefetch("leaders", queryset=leaders, to_attr="visible_leaders")


def segments_prefetch():
    segments = ChainSegment.objects.annotate(position_rank=POSITION_RANK).order_by("position_rank", "sort_order", "id")
    return Prefetch("segments", queryset=segments, to_attr="ordered_segments")


def chains_for_list(user):
    """The chains of the list page and the API: cluster, segments and leaders fetched up front."""
    return (
        IndustryChain.objects.visible_to(user)
        .select_related("cluster")
        .prefetch_related(segments_prefetch(), leaders_prefetch(user))
        .order_by("cluster__owner_id", "cluster__sort_order", "cluster_id", "sort_order", "id")
    )


def leaders_queryset(chain):
    """All of a chain's leaders, 链主 before 链核, then by name (the "六个一" form's choices)."""
    return (
        ChainLeader.objects.filter(chain=chain)
        .select_related("company")
        .annotate(kind_rank=LEADER_RANK)
        .order_by("kind_rank", "company__name", "id")
    )


def leaders_of(user, chain):
    """The chain's leaders whose companies the user may see."""
    return list(leaders_queryset(chain).filter(company__in=visible_companies(user).values("pk")))


def company_options(user, *, owner=None, q="", limit=50, not_leading=None):
    """Companies offered when naming a chain leader: likely leaders first, searched by name or code.

    Companies already leading `not_leading` (a chain) are left out: naming them again is refused anyway.
    """
    companies = visible_companies(user)
    if owner is not None:
        companies = companies.filter(owner=owner)
    if not_leading is not None:
        companies = companies.exclude(chain_roles__chain=not_leading)
    q = (q or "").strip()
    if q:
        companies = companies.filter(name__icontains=q) | companies.filter(credit_code__iexact=q)
    likely = Case(
        When(category__in=("chain_leader", "chain_core"), then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return list(companies.annotate(likely=likely).order_by("likely", "name", "id")[:limit])
