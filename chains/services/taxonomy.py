"""Every change to the city's chain taxonomy: clusters, chains, their segments and chain leaders.

The taxonomy is shared by the whole city (ledgers, leads and projects point at it), so only
the office of the owning city changes it. Each service is one transaction, re-checks that
right inside it, and writes its own audit record; the pages and the API call these only.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction
from core.scope import scope_of
from enterprises.models import Company
from organizations.choices import Role
from organizations.models import Unit

from ..choices import LeaderKind, SegmentPosition
from ..models import ChainLeader, ChainPromotion, ChainSegment, IndustryChain, IndustryCluster

CLUSTER_AUDIT_FIELDS = ("owner", "name", "description", "sort_order", "active")
CHAIN_AUDIT_FIELDS = ("cluster", "name", "description", "sort_order", "active")
SEGMENT_AUDIT_FIELDS = ("chain", "position", "name", "description", "sort_order")
LEADER_AUDIT_FIELDS = ("chain", "company", "kind")

CLUSTER_EDITABLE = {"name", "description", "sort_order", "active"}
CHAIN_EDITABLE = {"name", "description", "sort_order", "active"}
SEGMENT_EDITABLE = {"position", "name", "description", "sort_order"}
NAME_MAX = 100


# --- Checks ---------------------------------------------------------------------------


def can_edit_taxonomy(user, owner):
    """Whether `user` works in the office of `owner` (the city) or of a unit above it."""
    return Unit.objects.filter(pk=owner.pk).filter(scope_of(user).subtree_q("path", Role.OFFICE_STAFF)).exists()


def _require_office(actor, owner):
    if not can_edit_taxonomy(actor, owner):
        raise PermissionDenied(_("只有本市招商中心工作人员可以维护产业集群和产业链。"))


def _require_visible(queryset, obj, actor):
    # Out of scope reads like "does not exist": the refusal must not reveal the record.
    if obj is None or not queryset.visible_to(actor).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("未找到该记录，或您无权查看。"))


def _clean_name(raw, label):
    name = " ".join((raw or "").split())
    if not name:
        raise ValidationError({"name": _("请填写%(label)s。") % {"label": label}})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": NAME_MAX}})
    return name


def _clean_order(value):
    if value in (None, ""):
        return 0
    try:
        order = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"sort_order": _("排序须为不小于 0 的整数。")})
    if order < 0 or order > 2147483647:
        raise ValidationError({"sort_order": _("排序须为不小于 0 的整数。")})
    return order


def _clean_text(value):
    return (value or "").strip()


def _clean_active(value):
    if not isinstance(value, bool):
        raise ValidationError({"active": _("“启用”须为是或否。")})
    return value


def _clean_position(value):
    if value not in SegmentPosition.values:
        raise ValidationError(
            {"position": _("环节位置须为上游、中游或下游之一（upstream / midstream / downstream）。")}
        )
    return value


def _apply(obj, changes, editable, cleaners):
    unknown = set(changes) - editable
    if unknown:
        raise ValidationError(_("这些字段不能在此修改：%(f)s") % {"f": "、".join(sorted(unknown))})
    for field, raw in changes.items():
        setattr(obj, field, cleaners.get(field, _clean_text)(raw))


# --- Clusters -------------------------------------------------------------------------


def _check_cluster_name(cluster):
    taken = IndustryCluster.objects.filter(owner_id=cluster.owner_id, name=cluster.name).exclude(pk=cluster.pk)
    if taken.exists():
        raise ValidationError({"name": _("本市已有名为“%(name)s”的产业集群。") % {"name": cluster.name}})


def _default_owner(actor):
    """The city whose office the actor works in (their first such unit in tree order)."""
    ids = scope_of(actor).unit_ids(Role.OFFICE_STAFF)
    owner = Unit.objects.filter(pk__in=ids).order_by("path").first()
    if owner is None:
        raise PermissionDenied(_("只有本市招商中心工作人员可以维护产业集群和产业链。"))
    return owner


@transaction.atomic
def create_cluster(*, actor, owner=None, name, description="", sort_order=0, active=True):
    """Add one of the city's industrial clusters (运城 "415": ten of them)."""
    owner = owner or _default_owner(actor)
    _require_office(actor, owner)
    cluster = IndustryCluster(
        owner=owner,
        name=_clean_name(name, _("集群名称")),
        description=_clean_text(description),
        sort_order=_clean_order(sort_order),
        active=_clean_active(active),
    )
    _check_cluster_name(cluster)
    cluster.save()
    audit.record(
        action=AuditAction.CREATE, actor=actor, obj=cluster, after=audit.snapshot(cluster, CLUSTER_AUDIT_FIELDS)
    )
    return cluster


@transaction.atomic
def update_cluster(*, actor, cluster, **changes):
    """Rename, describe, reorder or (de)activate a cluster; its owner city never changes."""
    cluster = IndustryCluster.objects.select_for_update().get(pk=cluster.pk)
    _require_visible(IndustryCluster.objects, cluster, actor)
    _require_office(actor, cluster.owner)
    before = audit.snapshot(cluster, CLUSTER_AUDIT_FIELDS)
    _apply(
        cluster,
        changes,
        CLUSTER_EDITABLE,
        {"name": lambda v: _clean_name(v, _("集群名称")), "sort_order": _clean_order, "active": _clean_active},
    )
    _check_cluster_name(cluster)
    cluster.save()
    audit.record_update(actor=actor, obj=cluster, fields=CLUSTER_AUDIT_FIELDS, before=before)
    return cluster


# --- Chains ---------------------------------------------------------------------------


def _check_chain_name(chain):
    taken = IndustryChain.objects.filter(cluster_id=chain.cluster_id, name=chain.name).exclude(pk=chain.pk)
    if taken.exists():
        raise ValidationError({"name": _("该产业集群中已有名为“%(name)s”的产业链。") % {"name": chain.name}})


@transaction.atomic
def create_chain(*, actor, cluster, name, description="", sort_order=0, active=True):
    """Add an industry chain to a cluster."""
    if cluster is None:
        raise ValidationError({"cluster": _("请选择产业集群。")})
    cluster = IndustryCluster.objects.select_related("owner").get(pk=cluster.pk)
    _require_visible(IndustryCluster.objects, cluster, actor)
    _require_office(actor, cluster.owner)
    chain = IndustryChain(
        cluster=cluster,
        name=_clean_name(name, _("产业链名称")),
        description=_clean_text(description),
        sort_order=_clean_order(sort_order),
        active=_clean_active(active),
    )
    _check_chain_name(chain)
    chain.save()
    audit.record(action=AuditAction.CREATE, actor=actor, obj=chain, after=audit.snapshot(chain, CHAIN_AUDIT_FIELDS))
    return chain


def _locked_chain(actor, chain):
    chain = IndustryChain.objects.select_for_update().select_related("cluster__owner").get(pk=chain.pk)
    _require_visible(IndustryChain.objects, chain, actor)
    _require_office(actor, chain.cluster.owner)
    return chain


@transaction.atomic
def update_chain(*, actor, chain, **changes):
    """Rename, describe, reorder or (de)activate a chain; records pointing at it keep pointing at it."""
    chain = _locked_chain(actor, chain)
    before = audit.snapshot(chain, CHAIN_AUDIT_FIELDS)
    _apply(
        chain,
        changes,
        CHAIN_EDITABLE,
        {"name": lambda v: _clean_name(v, _("产业链名称")), "sort_order": _clean_order, "active": _clean_active},
    )
    _check_chain_name(chain)
    chain.save()
    audit.record_update(actor=actor, obj=chain, fields=CHAIN_AUDIT_FIELDS, before=before)
    return chain


# --- Segments -------------------------------------------------------------------------


def _check_segment_name(segment):
    taken = ChainSegment.objects.filter(chain_id=segment.chain_id, name=segment.name).exclude(pk=segment.pk)
    if taken.exists():
        raise ValidationError({"name": _("该产业链中已有名为“%(name)s”的环节。") % {"name": segment.name}})


@transaction.atomic
def add_segment(*, actor, chain, position, name, description="", sort_order=0):
    """Add an upstream, midstream or downstream segment to a chain."""
    if chain is None:
        raise ValidationError({"chain": _("请选择产业链。")})
    chain = _locked_chain(actor, chain)
    segment = ChainSegment(
        chain=chain,
        position=_clean_position(position),
        name=_clean_name(name, _("环节名称")),
        description=_clean_text(description),
        sort_order=_clean_order(sort_order),
    )
    _check_segment_name(segment)
    segment.save()
    audit.record(
        action=AuditAction.CREATE, actor=actor, obj=segment, after=audit.snapshot(segment, SEGMENT_AUDIT_FIELDS)
    )
    return segment


def _locked_segment(actor, segment):
    segment = ChainSegment.objects.select_for_update().select_related("chain__cluster__owner").get(pk=segment.pk)
    _require_visible(ChainSegment.objects, segment, actor)
    _require_office(actor, segment.chain.cluster.owner)
    return segment


@transaction.atomic
def update_segment(*, actor, segment, **changes):
    """Rename, move along the chain (上游/中游/下游), describe or reorder a segment."""
    segment = _locked_segment(actor, segment)
    before = audit.snapshot(segment, SEGMENT_AUDIT_FIELDS)
    _apply(
        segment,
        changes,
        SEGMENT_EDITABLE,
        {"name": lambda v: _clean_name(v, _("环节名称")), "sort_order": _clean_order, "position": _clean_position},
    )
    _check_segment_name(segment)
    segment.save()
    audit.record_update(actor=actor, obj=segment, fields=SEGMENT_AUDIT_FIELDS, before=before)
    return segment


def segment_references(segment):
    """What still points at a segment, as (label, count) pairs: companies, and whatever later apps link.

    Read from the model's relations, so a later app's link (a visit, a lead, a project)
    blocks removal without this function knowing it.
    """
    found = []
    for rel in ChainSegment._meta.related_objects:
        if rel.many_to_many:
            # Company.segments and the like: count rows of the link table that name this segment.
            count = rel.through.objects.filter(**{rel.field.m2m_reverse_field_name(): segment.pk}).count()
        elif rel.one_to_many or rel.one_to_one:
            count = rel.related_model._base_manager.filter(**{rel.field.name: segment}).count()
        else:
            continue
        if count:
            found.append((str(rel.related_model._meta.verbose_name), count))
    return found


@transaction.atomic
def remove_segment(*, actor, segment):
    """Delete a segment nobody points at; one that companies or records use is refused, with why."""
    segment = _locked_segment(actor, segment)
    references = segment_references(segment)
    if references:
        why = "、".join(_("%(n)d 条%(what)s") % {"n": n, "what": what} for what, n in references)
        raise ValidationError(
            _("环节“%(name)s”仍被 %(why)s 引用，不能删除；请先把它们改到其他环节。")
            % {"name": segment.name, "why": why}
        )
    before = audit.snapshot(segment, SEGMENT_AUDIT_FIELDS)
    pk, label = segment.pk, str(segment)
    segment.delete()
    audit.record(
        action=AuditAction.DELETE,
        actor=actor,
        object_type=ChainSegment._meta.label_lower,
        object_id=str(pk),
        object_repr=label,
        before=before,
    )
    return pk


# --- Chain leaders --------------------------------------------------------------------


@transaction.atomic
def add_chain_leader(*, actor, chain, company, kind=LeaderKind.CHAIN_LEADER):
    """Name a company of the city's directory the chain's leader (链主) or one of its core enterprises (链核)."""
    if chain is None:
        raise ValidationError({"chain": _("请选择产业链。")})
    chain = _locked_chain(actor, chain)
    if company is None or not Company.objects.visible_to(actor).filter(pk=company.pk).exists():
        raise ValidationError({"company": _("所选企业不存在，或您无权查看。")})
    company = Company.objects.get(pk=company.pk)
    if company.merged_into_id:
        raise ValidationError(
            {"company": _("“%(name)s”已合并至其他企业，请选择合并后的记录。") % {"name": company.name}}
        )
    if company.owner_id != chain.cluster.owner_id:
        raise ValidationError({"company": _("只能选择本市目标企业库中的企业。")})
    if kind not in LeaderKind.values:
        raise ValidationError({"kind": _("类型须为链主或链核。")})
    existing = ChainLeader.objects.filter(chain=chain, company=company).first()
    if existing is not None:
        raise ValidationError(
            {
                "company": _("“%(name)s”已是该产业链的%(kind)s。")
                % {"name": company.name, "kind": existing.get_kind_display()}
            }
        )
    leader = ChainLeader.objects.create(chain=chain, company=company, kind=kind)
    audit.record(action=AuditAction.CREATE, actor=actor, obj=leader, after=audit.snapshot(leader, LEADER_AUDIT_FIELDS))
    return leader


@transaction.atomic
def remove_chain_leader(*, actor, leader):
    """Take a company off a chain's leaders; the company stays in the directory.

    A chain whose "六个一" named it as the 链主 company no longer names one (audited as its change).
    """
    leader = ChainLeader.objects.select_related("company", "chain").get(pk=leader.pk)
    _locked_chain(actor, leader.chain)
    before = audit.snapshot(leader, LEADER_AUDIT_FIELDS)
    pk, label = leader.pk, str(leader)
    for promotion in ChainPromotion.objects.filter(chain_leader=leader):
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            obj=promotion,
            before={"chain_leader": pk},
            after={"chain_leader": None},
        )
    leader.delete()
    audit.record(
        action=AuditAction.DELETE,
        actor=actor,
        object_type=ChainLeader._meta.label_lower,
        object_id=str(pk),
        object_repr=label,
        before=before,
    )
    return pk
