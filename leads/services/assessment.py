"""The office's assessment and push, the county's accept or send back, reassigning, sharing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction
from core.scope import scope_of
from core.workdays import add_working_days
from organizations.choices import Role, UnitKind
from organizations.models import Unit

from .. import selectors
from ..choices import LeadEventKind, LeadStatus
from ..models import Lead, LeadEvent, LeadShare
from .common import (
    LEAD_AUDIT_FIELDS,
    _check_chain,
    _check_move,
    _event,
    _fmt_time,
    _holds,
    _lock,
    _person,
    _require_office,
    _require_visible,
    _required,
    _state_audit,
    _text,
)
from .settings import lead_settings_for

# --- Assessment and dispatch ---------------------------------------------------------------


def _check_receiving_unit(owner, unit, field="receiving_unit"):
    """A lead is pushed to a county or zone of its own city, and to an active one."""
    unit = Unit.objects.filter(pk=unit.pk).first() if unit is not None else None
    if unit is None:
        raise ValidationError({field: _("请选择推送单位。")})
    if unit.kind not in selectors.RECEIVING_UNIT_KINDS:
        raise ValidationError(
            {
                field: _("推送单位须为县（市、区）或开发区，“%(name)s”是%(kind)s。")
                % {"name": unit.name, "kind": UnitKind(unit.kind).label}
            }
        )
    if not unit.path.startswith(owner.path):
        raise ValidationError({field: _("推送单位须为县（市、区）或开发区，且须属于%(city)s。") % {"city": owner.name}})
    if not unit.active:
        raise ValidationError({field: _("推送单位“%(name)s”已停用。") % {"name": unit.name}})
    return unit


def _check_negative_list(lead, unit, confirmed):
    """Refuse pushing into a unit's negative list unless the office has seen the entries and confirmed."""
    hits = selectors.negative_list_hits(lead, unit)
    if hits and not confirmed:
        names = "；".join(f"{h.industry}（{h.reason}）" if h.reason else h.industry for h in hits)
        raise ValidationError(
            {
                "receiving_unit": ValidationError(
                    _("该线索可能属于“%(unit)s”负面清单中的产业：%(names)s。如确需推送，请确认后再提交。")
                    % {"unit": unit.name, "names": names},
                    code="negative_list",
                )
            }
        )
    return hits


def _negative_note(hits):
    if not hits:
        return ""
    return _("已确认负面清单提示：%(names)s") % {"names": "、".join(h.industry for h in hits)}


def _already_assessed(lead):
    if lead.assessed_by_id or lead.assessed_at:
        return ValidationError(
            _("该线索已由 %(who)s 于 %(at)s 研判（当前为“%(status)s”），请刷新。")
            % {"who": _person(lead.assessed_by), "at": _fmt_time(lead.assessed_at), "status": lead.get_status_display()}
        )
    return ValidationError(_("该线索当前为“%(status)s”，不能研判，请刷新。") % {"status": lead.get_status_display()})


@transaction.atomic
def assess_lead(
    *,
    actor,
    lead,
    grade,
    opinion,
    chain=None,
    segment=None,
    receiving_unit=None,
    reject_reason="",
    confirm_negative_list=False,
) -> Lead:
    """The office assesses a lead together (集中研判): grades it, confirms its chain, and pushes it or rejects it.

    The lead is locked and its status read again inside: when two office users assess it
    at once, the first wins and the second is told who did it and when.
    """
    lead = _lock(lead)
    _require_visible(actor, lead)
    _require_office(actor, lead.owner, _("只有招商中心工作人员可以研判线索。"))
    if lead.status not in selectors.PENDING_STATUSES:
        raise _already_assessed(lead)
    settings = lead_settings_for(lead.owner)
    grade = _text(grade)
    reject_reason = _text(reject_reason)
    if receiving_unit is not None and reject_reason:
        raise ValidationError({"reject_reason": _("推送与不予推送只能选其一。")})
    if receiving_unit is None and not reject_reason:
        raise ValidationError({"receiving_unit": _("请选择推送单位；如不予推送，请填写原因。")})
    if (grade or receiving_unit is not None) and grade not in settings.grades:
        raise ValidationError({"grade": _("线索等级须为：%(grades)s。") % {"grades": "、".join(settings.grades)}})
    before = audit.snapshot(lead, LEAD_AUDIT_FIELDS)
    if chain is not None or segment is not None:
        lead.chain, lead.segment = _check_chain(actor, chain or lead.chain, segment)
    now = timezone.now()
    previous_unit = lead.receiving_unit
    lead.grade = grade
    lead.opinion = _text(opinion)
    lead.assessed_by = actor
    lead.assessed_at = now
    if receiving_unit is not None:
        unit = _check_receiving_unit(lead.owner, receiving_unit)
        hits = _check_negative_list(lead, unit, confirm_negative_list)
        _check_move(lead, LeadStatus.DISPATCHED)
        lead.status = LeadStatus.DISPATCHED
        lead.receiving_unit = unit
        lead.dispatched_at = now
        lead.accepted_at = None
        lead.closing_reason = ""
        lead.save()
        _event(lead, LeadEventKind.ASSESSED, actor, unit=lead.owner, to_value=grade, note=lead.opinion)
        _event(
            lead,
            LeadEventKind.DISPATCHED,
            actor,
            unit=unit,
            from_value=previous_unit.name if previous_unit else "",
            to_value=unit.name,
            note=_negative_note(hits),
        )
        message = _("研判为 %(grade)s 级，推送至%(unit)s") % {"grade": grade, "unit": unit.name}
    else:
        _check_move(lead, LeadStatus.REJECTED)
        lead.status = LeadStatus.REJECTED
        lead.receiving_unit = None
        lead.closing_reason = reject_reason
        lead.save()
        _event(lead, LeadEventKind.ASSESSED, actor, unit=lead.owner, to_value=grade, note=lead.opinion)
        _event(lead, LeadEventKind.REJECTED, actor, unit=lead.owner, note=reject_reason)
        message = _("研判不予推送：%(reason)s") % {"reason": reject_reason}
    _state_audit(actor, lead, before, message)
    return lead


def _held_before(actor, lead):
    """Whether a county or zone the actor works for was sent this lead once (so it may be told where it went)."""
    mine = scope_of(actor).subtree_q("unit__path", Role.COUNTY_STAFF)
    return LeadEvent.objects.filter(mine, lead_id=lead.pk, kind=LeadEventKind.DISPATCHED).exists()


def _require_receiver(actor, lead, doing):
    """The actor works for the county or zone the lead is pushed to now; a clear word if it moved on meanwhile."""
    if lead.receiving_unit_id and _holds(actor, lead.receiving_unit, Role.COUNTY_STAFF):
        return
    if _held_before(actor, lead):
        if lead.status == LeadStatus.RETURNED:
            raise ValidationError(_("该线索已退回招商中心，不能%(doing)s，请刷新。") % {"doing": doing})
        raise ValidationError(_("该线索已改派其他单位，您不能再%(doing)s，请刷新。") % {"doing": doing})
    _require_visible(actor, lead)
    raise PermissionDenied(_("只有承接该线索的县区/开发区可以%(doing)s。") % {"doing": doing})


@transaction.atomic
def accept_lead(*, actor, lead) -> Lead:
    """The county or zone the lead was pushed to accepts it and starts following it up."""
    lead = _lock(lead)
    _require_receiver(actor, lead, _("接收"))
    if lead.status == LeadStatus.ACCEPTED:
        raise ValidationError(_("该线索已于 %(at)s 接收，无需重复操作。") % {"at": _fmt_time(lead.accepted_at)})
    _check_move(lead, LeadStatus.ACCEPTED)
    before = audit.snapshot(lead, LEAD_AUDIT_FIELDS)
    lead.status = LeadStatus.ACCEPTED
    lead.accepted_at = timezone.now()
    lead.save()
    _event(lead, LeadEventKind.ACCEPTED, actor, unit=lead.receiving_unit)
    _state_audit(actor, lead, before, _("%(unit)s接收") % {"unit": lead.receiving_unit.name})
    return lead


@transaction.atomic
def return_lead(*, actor, lead, reason) -> Lead:
    """The county or zone sends a pushed lead back to the office with a reason; the office then reassigns it."""
    lead = _lock(lead)
    _require_receiver(actor, lead, _("退回"))
    reason = _required(reason, "reason", _("请填写退回原因。"))
    _check_move(lead, LeadStatus.RETURNED)
    settings = lead_settings_for(lead.owner)
    before = audit.snapshot(lead, LEAD_AUDIT_FIELDS)
    unit = lead.receiving_unit
    lead.status = LeadStatus.RETURNED
    lead.receiving_unit = None
    lead.dispatched_at = None
    # The office owes a new decision, on the same deadline as a new lead.
    lead.assess_due = add_working_days(timezone.localdate(), settings.assess_working_days)
    lead.save()
    _event(lead, LeadEventKind.RETURNED, actor, unit=unit, from_value=unit.name, note=reason)
    _state_audit(actor, lead, before, _("%(unit)s退回：%(reason)s") % {"unit": unit.name, "reason": reason})
    return lead


@transaction.atomic
def reassign_lead(*, actor, lead, receiving_unit, opinion="", confirm_negative_list=False) -> Lead:
    """The office pushes a returned (or not yet accepted) lead to another county or zone."""
    lead = _lock(lead)
    _require_visible(actor, lead)
    _require_office(actor, lead.owner, _("只有招商中心工作人员可以改派线索。"))
    if lead.status not in (LeadStatus.RETURNED, LeadStatus.DISPATCHED):
        raise ValidationError(
            _("只有已退回或待接收的线索可以改派，该线索当前为“%(status)s”，请刷新。")
            % {"status": lead.get_status_display()}
        )
    unit = _check_receiving_unit(lead.owner, receiving_unit)
    if unit.pk == lead.receiving_unit_id:
        raise ValidationError({"receiving_unit": _("该线索已推送至“%(name)s”。") % {"name": unit.name}})
    hits = _check_negative_list(lead, unit, confirm_negative_list)
    _check_move(lead, LeadStatus.DISPATCHED)
    before = audit.snapshot(lead, LEAD_AUDIT_FIELDS)
    previous = lead.receiving_unit
    if previous is None:
        # Returned: the unit that sent it back, for the timeline.
        last = (
            LeadEvent.objects.filter(lead_id=lead.pk, kind=LeadEventKind.RETURNED)
            .select_related("unit")
            .order_by("-at", "-id")
            .first()
        )
        previous = last.unit if last else None
    lead.status = LeadStatus.DISPATCHED
    lead.receiving_unit = unit
    lead.dispatched_at = timezone.now()
    lead.accepted_at = None
    opinion = _text(opinion)
    if opinion:
        lead.opinion = opinion
    lead.save()
    note = "\n".join(n for n in (opinion, _negative_note(hits)) if n)
    _event(
        lead,
        LeadEventKind.DISPATCHED,
        actor,
        unit=unit,
        from_value=previous.name if previous else "",
        to_value=unit.name,
        note=note,
    )
    _state_audit(actor, lead, before, _("改派至%(unit)s") % {"unit": unit.name})
    return lead


def _check_share_unit(lead, unit):
    unit = Unit.objects.filter(pk=unit.pk).first() if unit is not None else None
    if unit is None:
        raise ValidationError({"unit": _("请选择共享单位。")})
    if unit.pk == lead.owner_id or not unit.path.startswith(lead.owner.path):
        raise ValidationError({"unit": _("只能共享给%(city)s的下属单位。") % {"city": lead.owner.name}})
    if not unit.active:
        raise ValidationError({"unit": _("单位“%(name)s”已停用。") % {"name": unit.name}})
    return unit


@transaction.atomic
def share_lead(*, actor, lead, unit) -> LeadShare:
    """The office lets a second unit (a zone beside the county, say) see and follow up a lead."""
    lead = _lock(lead)
    _require_visible(actor, lead)
    _require_office(actor, lead.owner, _("只有招商中心工作人员可以共享线索。"))
    unit = _check_share_unit(lead, unit)
    if unit.pk in (lead.reporting_unit_id, lead.receiving_unit_id):
        raise ValidationError({"unit": _("“%(name)s”已在办理该线索，无需共享。") % {"name": unit.name}})
    if LeadShare.objects.filter(lead=lead, unit=unit).exists():
        raise ValidationError({"unit": _("该线索已共享给“%(name)s”。") % {"name": unit.name}})
    share = LeadShare.objects.create(lead=lead, unit=unit, shared_by=actor)
    _event(lead, LeadEventKind.SHARED, actor, unit=unit, to_value=unit.name)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=share,
        object_repr=f"{lead} → {unit}",
        after={"lead": lead.pk, "unit": unit.pk},
        message=_("共享线索“%(lead)s”给%(unit)s") % {"lead": lead.name, "unit": unit.name},
    )
    return share


@transaction.atomic
def unshare_lead(*, actor, lead, unit) -> None:
    """The office stops sharing a lead with a unit; it no longer sees it."""
    lead = _lock(lead)
    _require_visible(actor, lead)
    _require_office(actor, lead.owner, _("只有招商中心工作人员可以取消共享。"))
    share = LeadShare.objects.filter(lead=lead, unit_id=getattr(unit, "pk", None)).select_related("unit").first()
    if share is None:
        raise ValidationError({"unit": _("该线索未共享给此单位。")})
    audit.record(
        action=AuditAction.DELETE,
        actor=actor,
        obj=share,
        object_repr=f"{lead} → {share.unit}",
        before={"lead": lead.pk, "unit": share.unit_id},
        message=_("取消共享线索“%(lead)s”给%(unit)s") % {"lead": lead.name, "unit": share.unit.name},
    )
    # No event kind of its own: a share line whose new value is empty reads as its end.
    _event(lead, LeadEventKind.SHARED, actor, unit=share.unit, from_value=share.unit.name, note=_("取消共享"))
    share.delete()
