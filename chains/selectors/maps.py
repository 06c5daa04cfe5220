"""A chain's map (招商图谱) and its gaps (补链 / 延链): where the city stands in each segment, and who to court.

What makes a company local to the city, and the rule for a segment's state (有 / 弱 / 缺),
are defined here only (`Locality`, `segment_state`); the pages, the API and the gap list
all read them from here. Every figure is counted from records the viewer may open (a
company's visits, leads and projects included), so no number reveals work the viewer
could not open (quality.md); each count links to the list that holds exactly its records.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import BooleanField, Case, Count, Exists, F, IntegerField, OuterRef, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.models import Company
from leads.choices import LeadStatus
from leads.models import Lead
from organizations.choices import UnitKind
from organizations.models import Unit
from outreach.models import Visit
from projects.choices import Stage
from projects.models import Project

from ..choices import LeaderKind, Progress, SegmentPosition, SegmentState
from ..models import ChainSegment, IndustryChain
from .taxonomy import POSITION_RANK, leaders_of, visible_companies

# A segment with fewer local companies than this is weak (弱); settings.ZS_CHAIN_WEAK_BELOW changes it.
DEFAULT_WEAK_BELOW = 3
# Companies named per segment and kind (local / target) in the map before "…共 N 家".
MAP_SAMPLE = 5
# Candidates a gap shows on the chain's page; the gap list has them all.
GAP_PREVIEW = 3
# A lead the office pushed to a county or zone, or one the county accepted: further along than one just reported.
PUSHED_STATUSES = (LeadStatus.DISPATCHED, LeadStatus.ACCEPTED)


def weak_below():
    return int(getattr(settings, "ZS_CHAIN_WEAK_BELOW", DEFAULT_WEAK_BELOW))


def segment_state(*, local, producing, threshold=None):
    """The state of a segment (有 / 弱 / 缺) from its counts: the one rule the map, the gaps and the API use.

    - 缺 (missing): no local company works in the segment;
    - 弱 (weak): fewer than `threshold` local companies (default 3, settings.ZS_CHAIN_WEAK_BELOW),
      or none of them in production yet;
    - 有 (present): otherwise.

    `local` and `producing` count the segment's local companies and those of them in production
    (see `Locality` for what makes a company local and in production).
    """
    threshold = weak_below() if threshold is None else threshold
    if local <= 0:
        return SegmentState.MISSING
    if local < threshold or producing <= 0:
        return SegmentState.WEAK
    return SegmentState.PRESENT


def state_rule(threshold=None):
    """The rule of `segment_state`, as the page says it."""
    threshold = weak_below() if threshold is None else threshold
    return _(
        "缺：本地没有该环节的企业；弱：本地企业少于 %(n)d 家，或均未投产；有：本地企业不少于 %(n)d 家且至少一家已投产。"
        "本地企业指所在城市为本市（或本市所辖县区）的企业，或在本市有已开工项目的企业；"
        "已投产指位于本市，或在本市有已投产的项目。"
    ) % {"n": threshold}


def local_place_names(owner):
    """The places a company "located in the city" names as its city: the city (with or without 市) and its counties."""
    base = owner.name.removesuffix("市")
    names = {owner.name, base, f"{base}市"}
    counties = Unit.objects.filter(path__startswith=owner.path, kind=UnitKind.COUNTY).values_list("name", flat=True)
    names.update(counties)
    return sorted(n for n in names if n)


class Locality:
    """What makes a company local to a city (`owner`), as `user` may see it — defined here only.

    A company is local when it is located in the city (its 所在城市 is the city or one of its
    counties), or when it has a project in the city that has started (开工, not terminated).
    It is in production when it is located in the city (an operating local firm) or has a
    project in the city in production (投产). Only projects the user may open count, so a
    figure never rests on a record the user cannot see.

    The Q objects take the path to the company (`prefix`, e.g. "company__" on the company–segment
    links) and the name of its id (`ref`) for the project subqueries.
    """

    def __init__(self, user, owner):
        self.owner = owner
        self.names = local_place_names(owner)
        self.projects = Project.objects.visible_to(user).filter(owner=owner).exclude(stage=Stage.TERMINATED).order_by()

    def located_q(self, prefix=""):
        return Q(**{f"{prefix}city__in": self.names})

    def local_q(self, prefix="", ref="pk"):
        landed = self.projects.filter(started_on__isnull=False, investors=OuterRef(ref))
        return self.located_q(prefix) | Q(Exists(landed))

    def producing_q(self, prefix="", ref="pk"):
        producing = self.projects.filter(producing_on__isnull=False, investors=OuterRef(ref))
        return self.located_q(prefix) | Q(Exists(producing))


def progress_expression(user, owner, ref="pk"):
    """How far along the city is with a company (chains.choices.Progress), from the records `user` may open.

    A signed project in the city > a lead pushed to or accepted by a county > a lead > a visit > nothing.
    """
    projects = Project.objects.visible_to(user).filter(owner=owner, signed_on__isnull=False, investors=OuterRef(ref))
    leads = Lead.objects.visible_to(user).filter(owner=owner, investor=OuterRef(ref))
    visits = Visit.objects.visible_to(user).filter(company=OuterRef(ref))
    return Case(
        When(Exists(projects.order_by()), then=Value(Progress.SIGNED)),
        When(Exists(leads.filter(status__in=PUSHED_STATUSES).order_by()), then=Value(Progress.LEAD_PUSHED)),
        When(Exists(leads.order_by()), then=Value(Progress.LEAD)),
        When(Exists(visits.order_by()), then=Value(Progress.VISITED)),
        default=Value(Progress.NONE),
        output_field=IntegerField(),
    )


def _flag(q):
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def segment_links(user, chain):
    """The company–segment links of `chain` whose company the user may see (current entries only)."""
    return Company.segments.through.objects.filter(
        chainsegment__chain=chain, company__in=visible_companies(user).values("pk")
    )


def segment_companies(user, segment):
    """The directory's companies of one segment, each flagged `is_local` / `is_producing`, with its `progress`.

    The list behind the map's counts (chains:segment_companies filters it by the flags), furthest along first.
    """
    owner = segment.chain.cluster.owner
    locality = Locality(user, owner)
    links = Company.segments.through.objects.filter(chainsegment=segment, company_id=OuterRef("pk"))
    return (
        visible_companies(user)
        .filter(Exists(links))
        .annotate(
            is_local=_flag(locality.local_q()),
            is_producing=_flag(locality.local_q() & locality.producing_q()),
            progress=progress_expression(user, owner),
        )
        .order_by("-progress", "name", "id")
    )


def segment_list_urls(segment_id):
    """Where each of a segment's counts leads: the lists that hold exactly the records counted."""
    companies = reverse("chains:segment_companies", args=[segment_id])
    return {
        "companies": f"{reverse('enterprises:company_list')}?segment={segment_id}",
        "local": f"{companies}?local=true",
        "producing": f"{companies}?local=true&producing=true",
        "targets": f"{companies}?local=false",
        "leads": f"{reverse('leads:lead_list')}?segment={segment_id}",
        "projects": f"{reverse('projects:project_list')}?segment={segment_id}",
    }


@dataclass
class ChainMap:
    """A chain's map as one viewer sees it: segments upstream → downstream, each with its figures and state."""

    chain: IndustryChain
    segments: list
    threshold: int
    columns: list = field(default_factory=list)
    leaders: list = field(default_factory=list)

    @property
    def rule(self):
        return state_rule(self.threshold)

    @property
    def gaps(self):
        """The missing and weak segments (补链 / 延链), upstream to downstream."""
        return [s for s in self.segments if s.state != SegmentState.PRESENT]

    def state_counts(self):
        counts = dict.fromkeys(SegmentState.values, 0)
        for s in self.segments:
            counts[s.state] += 1
        return [{"state": v, "label": label, "count": counts[v]} for v, label in SegmentState.choices]

    def as_data(self):
        """Plain data for the diagram (json_script) and the API."""
        return {
            "chain": {"id": self.chain.pk, "name": self.chain.name, "cluster": self.chain.cluster.name},
            "threshold": self.threshold,
            "rule": self.rule,
            "positions": [{"position": v, "label": str(label)} for v, label in SegmentPosition.choices],
            # What the diagram's tooltip says, translated here (the script holds no text of its own).
            "labels": {
                "state": _("状态"),
                "local": _("本地企业"),
                "producing": _("已投产"),
                "targets": _("目标企业"),
                "leaders": _("链主/链核"),
                "leads": _("线索"),
                "projects": _("项目"),
                "unit": _("家"),
            },
            "states": [{**c, "label": str(c["label"])} for c in self.state_counts()],
            "segments": [
                {
                    "id": s.pk,
                    "name": s.name,
                    "position": s.position,
                    "position_label": s.get_position_display(),
                    "state": s.state,
                    "state_label": s.state.label,
                    "local_count": s.local_count,
                    "producing_count": s.producing_count,
                    "target_count": s.target_count,
                    "company_count": s.company_count,
                    "lead_count": s.lead_count,
                    "project_count": s.project_count,
                    "leaders": s.leaders,
                    "local_sample": s.local_sample,
                    "target_sample": s.target_sample,
                    "urls": s.urls,
                }
                for s in self.segments
            ],
        }


def chain_map(user, chain, threshold=None):
    """The chain's map for `user`: every segment with its local companies, leaders, targets, leads, projects, state.

    Eight queries whatever the number of segments and companies: the place names, the segments,
    the company counts (local, in production, all), the first names of each segment's local and
    target companies, the leaders and the segments they work in, the leads and the projects by segment.
    `chain` must come with `cluster__owner`.
    """
    threshold = weak_below() if threshold is None else threshold
    owner = chain.cluster.owner
    locality = Locality(user, owner)
    local_q = locality.local_q("company__", "company_id")
    producing_q = local_q & locality.producing_q("company__", "company_id")
    segments = list(
        ChainSegment.objects.filter(chain=chain)
        .annotate(position_rank=POSITION_RANK)
        .order_by("position_rank", "sort_order", "id")
    )
    links = segment_links(user, chain)
    figures = {
        row["chainsegment_id"]: row
        for row in links.order_by()
        .values("chainsegment_id")
        .annotate(total=Count("id"), local=Count("id", filter=local_q), producing=Count("id", filter=producing_q))
    }
    samples = {}
    first = (
        links.annotate(is_local=_flag(local_q))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("chainsegment_id"), F("is_local")],
                order_by=[F("company__name"), F("company_id")],
            )
        )
        .filter(rank__lte=MAP_SAMPLE)
        .values_list("chainsegment_id", "is_local", "company_id", "company__name")
        .order_by("chainsegment_id", "is_local", "rank")
    )
    for segment_id, is_local, company_id, name in first:
        key = "local" if is_local else "target"
        url = reverse("enterprises:company_detail", args=[company_id])
        samples.setdefault((segment_id, key), []).append({"id": company_id, "name": name, "url": url})
    chain_leaders = leaders_of(user, chain)
    leaders = {leader.company_id: leader for leader in chain_leaders}
    leaders_by_segment = {}
    for segment_id, company_id in links.filter(company_id__in=list(leaders)).values_list(
        "chainsegment_id", "company_id"
    ):
        leader = leaders[company_id]
        leaders_by_segment.setdefault(segment_id, []).append(
            {
                "id": company_id,
                "name": leader.company.name,
                "kind": leader.kind,
                "kind_label": str(leader.get_kind_display()),
                "url": reverse("enterprises:company_detail", args=[company_id]),
            }
        )
    lead_counts = _counts_by_segment(Lead.objects.visible_to(user).filter(segment__chain=chain))
    project_counts = _counts_by_segment(Project.objects.visible_to(user).filter(segment__chain=chain))
    columns = {v: {"position": v, "label": label, "segments": []} for v, label in SegmentPosition.choices}
    for s in segments:
        row = figures.get(s.pk, {})
        s.company_count = row.get("total", 0)
        s.local_count = row.get("local", 0)
        s.producing_count = row.get("producing", 0)
        s.target_count = s.company_count - s.local_count
        s.state = segment_state(local=s.local_count, producing=s.producing_count, threshold=threshold)
        s.lead_count = lead_counts.get(s.pk, 0)
        s.project_count = project_counts.get(s.pk, 0)
        s.local_sample = samples.get((s.pk, "local"), [])
        s.target_sample = samples.get((s.pk, "target"), [])
        s.more_local = max(s.local_count - len(s.local_sample), 0)
        s.more_targets = max(s.target_count - len(s.target_sample), 0)
        s.leaders = sorted(leaders_by_segment.get(s.pk, []), key=lambda x: (x["kind"] != LeaderKind.CHAIN_LEADER,))
        s.urls = segment_list_urls(s.pk)
        columns[s.position]["segments"].append(s)
    return ChainMap(
        chain=chain, segments=segments, threshold=threshold, columns=list(columns.values()), leaders=chain_leaders
    )


def _counts_by_segment(queryset):
    return dict(queryset.order_by().values("segment_id").annotate(n=Count("id")).values_list("segment_id", "n"))


# --- The gap list (补链 / 延链): who to court for the missing and weak segments ----------------------


def gap_candidates(user, chain, segment_ids):
    """Candidate targets for the segments `segment_ids` of `chain`: the directory's companies there that are not local.

    One row per company and segment (a company–segment link, with `company` and `chainsegment`
    fetched and `progress` annotated), segment by segment upstream to downstream, and within
    a segment the furthest along first (chains.choices.Progress), then by name.
    """
    owner = chain.cluster.owner
    locality = Locality(user, owner)
    segment_rank = Case(
        *(When(chainsegment__position=value, then=Value(i)) for i, value in enumerate(SegmentPosition.values)),
        default=Value(len(SegmentPosition.values)),
        output_field=IntegerField(),
    )
    return (
        segment_links(user, chain)
        .filter(chainsegment_id__in=list(segment_ids))
        .exclude(locality.local_q("company__", "company_id"))
        .select_related("company", "chainsegment")
        .annotate(progress=progress_expression(user, owner, "company_id"), segment_rank=segment_rank)
        .order_by(
            "segment_rank", "chainsegment__sort_order", "chainsegment_id", "-progress", "company__name", "company_id"
        )
    )


def gap_preview(user, chain_map, limit=GAP_PREVIEW):
    """The first `limit` candidates of each gap of the map, for the chain's page (one query)."""
    gaps = chain_map.gaps
    if not gaps:
        return []
    rows = (
        gap_candidates(user, chain_map.chain, [s.pk for s in gaps])
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("chainsegment_id")],
                order_by=[F("progress").desc(), F("company__name"), F("company_id")],
            )
        )
        .filter(rank__lte=limit)
    )
    by_segment = {}
    for row in rows:
        row.progress_label = Progress(row.progress).label
        by_segment.setdefault(row.chainsegment_id, []).append(row)
    for s in gaps:
        s.candidates = by_segment.get(s.pk, [])
    return gaps
