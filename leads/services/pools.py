"""Moving a lead between pools, follow-ups, closing and reopening."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction
from core.scope import scope_of
from core.workdays import add_working_days
from organizations.choices import Role
from outreach.models import Inspection, PromotionEvent

from .. import selectors
from ..choices import LeadEventKind, LeadStatus, PoolKind
from ..models import HELD_STATUSES, FollowUp, Lead, LeadEvent, LeadPool, LeadShare
from .common import (
    INACTIVE_STATUSES,
    LEAD_AUDIT_FIELDS,
    _check_date,
    _check_move,
    _check_visible,
    _event,
    _holds,
    _is_office,
    _lock,
    _require_office,
    _require_visible,
    _required,
    _state_audit,
    _text,
)
from .settings import _lost_pool, first_pool, lead_settings_for

# --- Pools, follow-up, closing ---------------------------------------------------------------


def _holds_as_receiver(actor, lead):
    """The actor works for the county or zone holding the lead now."""
    return (
        bool(lead.receiving_unit_id)
        and lead.status in HELD_STATUSES
        and _holds(actor, lead.receiving_unit, Role.COUNTY_STAFF)
    )


def _require_worker(actor, lead, doing):
    """The office, or the county or zone holding the lead now."""
    if _is_office(actor, lead.owner):
        return
    if _holds_as_receiver(actor, lead):
        return
    _require_visible(actor, lead)
    raise PermissionDenied(_("只有招商中心或承接该线索的县区/开发区可以%(doing)s。") % {"doing": doing})


def _pool_of(lead, pool):
    pool = LeadPool.objects.filter(pk=getattr(pool, "pk", None), owner_id=lead.owner_id).first()
    if pool is None:
        raise ValidationError({"pool": _("请选择本市的线索库。")})
    if not pool.active:
        raise ValidationError({"pool": _("线索库“%(name)s”已停用。") % {"name": pool.name}})
    return pool


def _close(actor, lead, reason):
    _check_move(lead, LeadStatus.CLOSED)
    lead.status = LeadStatus.CLOSED
    lead.closing_reason = reason
    _event(lead, LeadEventKind.CLOSED, actor, unit=lead.receiving_unit, note=reason)


@transaction.atomic
def move_pool(*, actor, lead, pool, note="") -> Lead:
    """Move a lead to another pool (在谈库, 签约库, 落地库 … or 已失效 with a reason); who and when are kept.

    Only a lead its county has accepted leaves the first pool; moving it to a pool of lost
    leads closes it, with the reason given.
    """
    lead = _lock(lead)
    _require_worker(actor, lead, _("转库"))
    pool = _pool_of(lead, pool)
    note = _text(note)
    if lead.status == LeadStatus.CLOSED:
        raise ValidationError(_("该线索已关闭，请先重新打开再转库。"))
    if pool.pk == lead.pool_id:
        raise ValidationError({"pool": _("该线索已在“%(name)s”中。") % {"name": pool.name}})
    start = first_pool(lead.owner)
    if pool.pk != start.pk and lead.status != LeadStatus.ACCEPTED:
        raise ValidationError(
            {
                "pool": _("只有已接收的线索才能移出“%(name)s”，该线索当前为“%(status)s”。")
                % {"name": start.name, "status": lead.get_status_display()}
            }
        )
    if pool.kind == PoolKind.LOST and not note:
        raise ValidationError({"note": _("转入“%(name)s”须填写原因。") % {"name": pool.name}})
    before = audit.snapshot(lead, LEAD_AUDIT_FIELDS)
    old = lead.pool
    lead.pool = pool
    _event(
        lead,
        LeadEventKind.POOL_MOVED,
        actor,
        unit=lead.receiving_unit,
        from_value=old.name,
        to_value=pool.name,
        note=note,
    )
    if pool.kind == PoolKind.LOST:
        _close(actor, lead, note)
    lead.save()
    _state_audit(actor, lead, before, _("由“%(a)s”转入“%(b)s”") % {"a": old.name, "b": pool.name})
    return lead


def _follow_up_unit(actor, lead):
    """On whose behalf the actor writes a follow-up: the receiving unit, a unit it is shared with, or the reporter."""
    if _holds_as_receiver(actor, lead):
        if lead.status == LeadStatus.DISPATCHED:
            raise ValidationError(_("请先接收该线索，再添加跟进记录。"))
        return lead.receiving_unit
    roles = selectors.LEAD_WRITER_ROLES
    share = (
        LeadShare.objects.filter(scope_of(actor).subtree_q("unit__path", *roles), lead_id=lead.pk)
        .select_related("unit")
        .order_by("unit__path")
        .first()
    )
    if share is not None:
        return share.unit
    if _holds(actor, lead.reporting_unit, *roles):
        return lead.reporting_unit
    _require_visible(actor, lead)
    raise PermissionDenied(_("只有承接、共享或报送该线索的单位可以添加跟进记录。"))


@transaction.atomic
def add_follow_up(*, actor, lead, follow_date, note, inspection=None, event=None) -> FollowUp:
    """A dated follow-up note by a unit working the lead; an inspection or a promotion event may be linked."""
    lead = _lock(lead)
    unit = _follow_up_unit(actor, lead)
    if lead.status in INACTIVE_STATUSES:
        raise ValidationError(
            _("该线索当前为“%(status)s”，不能再添加跟进记录。") % {"status": lead.get_status_display()}
        )
    follow_date = _check_date(follow_date, "follow_date", _("跟进日期"))
    note = _required(note, "note", _("请填写跟进情况。"))
    _check_visible(actor, Inspection, inspection, "inspection", _("所选考察不存在，或您无权查看。"))
    _check_visible(actor, PromotionEvent, event, "event", _("所选推介会不存在，或您无权查看。"))
    follow_up = FollowUp(
        lead=lead, unit=unit, author=actor, follow_date=follow_date, note=note, inspection=inspection, event=event
    )
    follow_up.save()
    _event(lead, LeadEventKind.FOLLOW_UP, actor, unit=unit, note=note)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=follow_up,
        object_repr=f"{lead} · {follow_date}",
        after=audit.snapshot(follow_up, ("lead", "unit", "follow_date", "note", "inspection", "event")),
    )
    return follow_up


@transaction.atomic
def close_lead(*, actor, lead, reason) -> Lead:
    """Stop working a lead (the investor went elsewhere, the project was dropped); it goes to the lost pool."""
    lead = _lock(lead)
    _require_worker(actor, lead, _("关闭线索"))
    reason = _required(reason, "reason", _("请填写关闭原因。"))
    if lead.status == LeadStatus.CLOSED:
        raise ValidationError(_("该线索已关闭。"))
    before = audit.snapshot(lead, LEAD_AUDIT_FIELDS)
    _close(actor, lead, reason)
    lost = _lost_pool(lead.owner)
    if lost is not None and lost.pk != lead.pool_id:
        _event(
            lead,
            LeadEventKind.POOL_MOVED,
            actor,
            unit=lead.receiving_unit,
            from_value=lead.pool.name,
            to_value=lost.name,
        )
        lead.pool = lost
    lead.save()
    _state_audit(actor, lead, before, _("关闭：%(reason)s") % {"reason": reason})
    return lead


def _pool_before_closing(lead):
    """The pool a closed lead was in before it went to the lost pool (pool names are unique in a city)."""
    moved = (
        LeadEvent.objects.filter(lead_id=lead.pk, kind=LeadEventKind.POOL_MOVED, to_value=lead.pool.name)
        .order_by("-at", "-id")
        .first()
    )
    if moved is not None:
        pool = (
            LeadPool.objects.filter(owner_id=lead.owner_id, name=moved.from_value, active=True)
            .exclude(kind=PoolKind.LOST)
            .first()
        )
        if pool is not None:
            return pool
    return first_pool(lead.owner)


@transaction.atomic
def reopen_lead(*, actor, lead, reason="", pool=None) -> Lead:
    """Take a lead up again: a closed one back to its county and pool, a rejected one back to the office's queue."""
    lead = _lock(lead)
    reason = _text(reason)
    before = audit.snapshot(lead, LEAD_AUDIT_FIELDS)
    if lead.status == LeadStatus.CLOSED:
        _require_worker(actor, lead, _("重新打开线索"))
        _check_move(lead, LeadStatus.ACCEPTED)
        target = _pool_of(lead, pool) if pool is not None else None
        if target is None:
            target = _pool_before_closing(lead) if lead.pool.kind == PoolKind.LOST else lead.pool
        if target.kind == PoolKind.LOST:
            raise ValidationError({"pool": _("重新打开的线索不能留在“%(name)s”。") % {"name": target.name}})
        lead.status = LeadStatus.ACCEPTED
        lead.closing_reason = ""
        _event(lead, LeadEventKind.REOPENED, actor, unit=lead.receiving_unit, note=reason)
        if target.pk != lead.pool_id:
            _event(
                lead,
                LeadEventKind.POOL_MOVED,
                actor,
                unit=lead.receiving_unit,
                from_value=lead.pool.name,
                to_value=target.name,
            )
            lead.pool = target
    elif lead.status == LeadStatus.REJECTED:
        _require_visible(actor, lead)
        _require_office(actor, lead.owner, _("只有招商中心工作人员可以重新研判线索。"))
        _check_move(lead, LeadStatus.REPORTED)
        settings = lead_settings_for(lead.owner)
        today = timezone.localdate()
        lead.status = LeadStatus.REPORTED
        lead.closing_reason = ""
        lead.assess_due = add_working_days(today, settings.assess_working_days)
        lead.feedback_due = today + datetime.timedelta(days=settings.feedback_days)
        _event(lead, LeadEventKind.REOPENED, actor, unit=lead.owner, note=reason)
    else:
        _require_visible(actor, lead)
        raise ValidationError(
            _("只有已关闭或不予推送的线索可以重新打开，该线索当前为“%(status)s”。")
            % {"status": lead.get_status_display()}
        )
    lead.save()
    _state_audit(actor, lead, before, _("重新打开：%(reason)s") % {"reason": reason} if reason else _("重新打开"))
    return lead
