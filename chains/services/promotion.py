"""A chain's "六个一" (seed 001, 运城经开区): its 链长, promotion team and 链主, and its policy package.

Scoped like the chain itself: everyone working in the city reads it, only the office of
the owning city changes it. Each service is one transaction, re-checks that right inside it
and writes its own audit record; the chain's page and the API call these only. The map is
the chain's own page and the figures are counted (chains.selectors.promotion), never typed.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.attachments import attach_files, check_upload
from core.models import AuditAction
from organizations.choices import Role, UnitKind
from organizations.models import Unit, User

from ..models import ChainLeader, ChainPromotion, PolicyDocument
from .taxonomy import _locked_chain

PROMOTION_AUDIT_FIELDS = ("chain", "leader", "leader_name", "leader_title", "team", "chain_leader")
POLICY_AUDIT_FIELDS = ("promotion", "title", "issued_on")
PROMOTION_EDITABLE = {"leader", "leader_name", "leader_title", "team", "chain_leader"}
# The units that can run a chain's promotion (招商专班): a team or squad, a county or zone, a department.
TEAM_KINDS = (UnitKind.TEAM, UnitKind.SQUAD, UnitKind.COUNTY, UnitKind.ZONE, UnitKind.DEPARTMENT)
LEADER_NAME_MAX = 50
LEADER_TITLE_MAX = 100
TITLE_MAX = 200


def team_choices(owner):
    """Units of the city that may be a chain's promotion team, in tree order."""
    return Unit.objects.filter(path__startswith=owner.path, kind__in=TEAM_KINDS, active=True).order_by("path")


def leader_choices(owner):
    """People who may be named a chain's 链长: leaders (领导) holding the role in the city or under it."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__active=True,
            memberships__role=Role.LEADER,
            memberships__unit__path__startswith=owner.path,
        )
        .distinct()
        .order_by("name", "id")
    )


def _squash(value):
    return " ".join(str(value or "").split())


def _clean_person(raw, field, label, limit):
    text = _squash(raw)
    if len(text) > limit:
        raise ValidationError({field: _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": limit}})
    return text


def _clean_changes(chain, changes):
    """Check each given field against the chain's city; return the values to set."""
    unknown = set(changes) - PROMOTION_EDITABLE
    if unknown:
        raise ValidationError(_("这些字段不能在此修改：%(f)s") % {"f": "、".join(sorted(unknown))})
    owner = chain.cluster.owner
    clean = {}
    if "leader" in changes:
        leader = changes["leader"]
        if leader is not None and not leader_choices(owner).filter(pk=leader.pk).exists():
            raise ValidationError({"leader": _("链长须为本市在职的领导。")})
        clean["leader"] = leader
    if "leader_name" in changes:
        clean["leader_name"] = _clean_person(changes["leader_name"], "leader_name", _("链长姓名"), LEADER_NAME_MAX)
    if "leader_title" in changes:
        clean["leader_title"] = _clean_person(changes["leader_title"], "leader_title", _("链长职务"), LEADER_TITLE_MAX)
    if "team" in changes:
        team = changes["team"]
        if team is not None and not team_choices(owner).filter(pk=team.pk).exists():
            raise ValidationError({"team": _("招商专班须为本市的招商组、小分队、县区、开发区或部门。")})
        clean["team"] = team
    if "chain_leader" in changes:
        chain_leader = changes["chain_leader"]
        if chain_leader is not None and not ChainLeader.objects.filter(pk=chain_leader.pk, chain=chain).exists():
            raise ValidationError({"chain_leader": _("链主企业须为该产业链已列入的链主/链核企业。")})
        clean["chain_leader"] = chain_leader
    return clean


@transaction.atomic
def set_chain_promotion(*, actor, chain, **changes):
    """Fill in or change a chain's "六个一": its 链长 (a person, or a name and title), team and 链主 company.

    Only the fields given change; None or blank clears one. Naming a person as 链长 without
    a name fills the name and title in from their record. The row is made the first time.
    """
    chain = _locked_chain(actor, chain)
    clean = _clean_changes(chain, changes)
    leader = clean.get("leader")
    if leader is not None:
        if not clean.get("leader_name"):
            clean["leader_name"] = leader.name[:LEADER_NAME_MAX]
        if not clean.get("leader_title"):
            clean["leader_title"] = (leader.title or "")[:LEADER_TITLE_MAX]
    promotion = ChainPromotion.objects.select_for_update().filter(chain=chain).first()
    if promotion is None:
        promotion = ChainPromotion(chain=chain, **clean)
        promotion.save()
        audit.record(
            action=AuditAction.CREATE,
            actor=actor,
            obj=promotion,
            after=audit.snapshot(promotion, PROMOTION_AUDIT_FIELDS),
        )
        return promotion
    before = audit.snapshot(promotion, PROMOTION_AUDIT_FIELDS)
    for name, value in clean.items():
        setattr(promotion, name, value)
    promotion.save()
    audit.record_update(actor=actor, obj=promotion, fields=PROMOTION_AUDIT_FIELDS, before=before)
    return promotion


def _promotion_of(actor, chain):
    """The chain's "六个一" row, made (and audited) if the office has not filled it in yet."""
    promotion = ChainPromotion.objects.filter(chain=chain).first()
    if promotion is None:
        promotion = ChainPromotion.objects.create(chain=chain)
        audit.record(
            action=AuditAction.CREATE,
            actor=actor,
            obj=promotion,
            after=audit.snapshot(promotion, PROMOTION_AUDIT_FIELDS),
        )
    return promotion


def _clean_issued_on(value):
    if value in (None, ""):
        return None
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ValidationError({"issued_on": _("印发日期须为日期，如 2025-03-01。")})
    if value > timezone.localdate():
        raise ValidationError({"issued_on": _("印发日期不能晚于今天。")})
    return value


@transaction.atomic
def add_policy_document(*, actor, chain, title, file, issued_on=None):
    """Add a document (title and file) to the chain's policy package (一套支持政策)."""
    chain = _locked_chain(actor, chain)
    title = _squash(title)
    if not title:
        raise ValidationError({"title": _("请填写政策文件名称。")})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": _("政策文件名称不能超过 %(n)d 个字。") % {"n": TITLE_MAX}})
    issued_on = _clean_issued_on(issued_on)
    if not file:
        raise ValidationError({"file": _("请上传政策文件（PDF、Word、OFD 等）。")})
    try:
        check_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.message_dict.get("files", exc.messages)})
    promotion = _promotion_of(actor, chain)
    document = PolicyDocument.objects.create(promotion=promotion, title=title, issued_on=issued_on)
    audit.record(
        action=AuditAction.CREATE, actor=actor, obj=document, after=audit.snapshot(document, POLICY_AUDIT_FIELDS)
    )
    attach_files(actor=actor, record=document, files=[file])
    return document


@transaction.atomic
def remove_policy_document(*, actor, document):
    """Take a document out of the chain's policy package (it and its file record are deleted)."""
    document = PolicyDocument.objects.select_related("promotion__chain").get(pk=document.pk)
    _locked_chain(actor, document.promotion.chain)
    before = audit.snapshot(document, POLICY_AUDIT_FIELDS)
    pk, label = document.pk, str(document)
    document.delete()
    audit.record(
        action=AuditAction.DELETE,
        actor=actor,
        object_type=PolicyDocument._meta.label_lower,
        object_id=str(pk),
        object_repr=label,
        before=before,
    )
    return pk
