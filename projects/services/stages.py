"""Stage moves checked against STAGE_TRANSITIONS, with evidence, and the verifier's confirmation (four eyes)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.attachments import attach_files
from core.models import AuditAction

from ..choices import (
    RANK,
    STAGE_EVIDENCE,
    STAGE_TRANSITIONS,
    VERIFIED_STAGES,
    Stage,
    Verification,
)
from ..models import (
    StageChange,
)
from .common import (
    PROJECT_AUDIT_FIELDS,
    STAGE_DATE_FIELD,
    _audit,
    _date,
    _lock,
    _require,
    may_verify,
    may_work,
    parse_money,
)

# --- Stages ------------------------------------------------------------------------------


def allowed_moves(project):
    """The stages a project may move to now, and whether each needs a reason."""
    moves = dict(STAGE_TRANSITIONS.get(Stage(project.stage), {}))
    if project.stage == Stage.SUSPENDED and project.suspended_from:
        moves[Stage(project.suspended_from)] = False
    return moves


@transaction.atomic
def advance_stage(
    *, actor, project, to, happened_on, reason="", evidence_kind="", files=(), output_value=None
) -> StageChange:
    """Move a project's stage: checked against STAGE_TRANSITIONS, dated, with evidence for 签约 and beyond.

    A move to 签约, 开工, 投产 or 达效 waits for a verifier (four eyes): the project shows the new stage as
    pending, and the figures read it only once confirmed.
    """
    project = _lock(project)
    _require(may_work(actor, project), _("只有本市招商中心、落地县区、责任单位或服务专班可以变更项目阶段。"))
    if project.pending:
        raise ValidationError(
            _("上一次阶段变更（%(stage)s）尚待核验，核验后才能继续变更。") % {"stage": Stage(project.stage).label}
        )
    if to not in Stage.values:
        raise ValidationError({"to": _("无效的阶段。")})
    to = Stage(to)
    moves = allowed_moves(project)
    if to not in moves:
        now = Stage(project.stage)
        if to in RANK and now in RANK and RANK[to] > RANK[now] + 1:
            skipped = "、".join(str(s.label) for s in list(RANK)[RANK[now] + 1 : RANK[to]])
            message = _("项目当前为“%(now)s”，不能跳过“%(skipped)s”直接改为“%(to)s”。") % {
                "now": now.label,
                "skipped": skipped,
                "to": to.label,
            }
        else:
            message = _("项目当前为“%(now)s”，不能改为“%(to)s”。") % {"now": now.label, "to": to.label}
        raise ValidationError({"to": message})
    reason = (reason or "").strip()
    if moves[to] and not reason:
        raise ValidationError({"reason": _("改为“%(to)s”须说明原因。") % {"to": to.label}})
    happened_on = _date(happened_on, "happened_on", _("发生日期"), required=True)
    if project.stage_date and happened_on < project.stage_date:
        raise ValidationError(
            {"happened_on": _("发生日期不能早于上一阶段的日期（%(date)s）。") % {"date": project.stage_date}}
        )
    verification = Verification.NOT_NEEDED
    if to in VERIFIED_STAGES and not (project.stage == Stage.SUSPENDED):
        kinds = STAGE_EVIDENCE[to]
        if evidence_kind not in kinds:
            raise ValidationError(
                {
                    "evidence_kind": _("改为“%(to)s”须提供佐证材料：%(kinds)s。")
                    % {"to": to.label, "kinds": "、".join(str(k.label) for k in kinds)}
                }
            )
        if not files:
            raise ValidationError({"files": _("请上传佐证材料（合同、许可证、照片或销售记录的扫描件）。")})
        verification = Verification.PENDING
    if to == Stage.SIGNED and project.total_investment is None:
        raise ValidationError({"to": _("签约前请先填写项目总投资。")})
    if to == Stage.AT_CAPACITY:
        output_value = parse_money(output_value, "output_value", _("实际年产值"))
        if output_value is None:
            raise ValidationError({"output_value": _("达效须填写实际年产值。")})
    else:
        output_value = None
    before = audit.snapshot(project, PROJECT_AUDIT_FIELDS)
    change = StageChange.objects.create(
        project=project,
        from_stage=project.stage,
        to_stage=to,
        happened_on=happened_on,
        reason=reason,
        evidence_kind=evidence_kind or "",
        output_value=output_value,
        actor=actor,
        verification=verification,
    )
    if files:
        attach_files(actor=actor, record=change, files=files)
    if to == Stage.SUSPENDED:
        project.suspended_from = project.stage
    elif project.stage == Stage.SUSPENDED:
        project.suspended_from = ""
    project.stage = to
    project.stage_date = happened_on
    if verification == Verification.NOT_NEEDED:
        project.verified_stage = to
    project.save()
    _audit(actor, project, before, AuditAction.STATE_CHANGE, message=str(change))
    return change


@transaction.atomic
def verify_stage(*, actor, change, confirm, note="") -> StageChange:
    """A verifier confirms the evidence of a pending move (it then counts) or sends it back (the stage reverts).

    The one who recorded the move may not confirm it: four eyes.
    """
    project = _lock(change.project)
    change = StageChange.objects.select_for_update().get(pk=change.pk)
    _require(may_verify(actor, project), _("只有项目核验员可以核验阶段变更。"))
    if change.verification != Verification.PENDING:
        raise ValidationError(_("该阶段变更已由%(who)s核验，无需再次核验。") % {"who": change.verified_by or _("他人")})
    if change.actor_id == getattr(actor, "pk", None):
        raise ValidationError(_("阶段变更须由记录人以外的核验员核验（双人复核）。"))
    # A signing imported from the ledger arrives without its contract: it is confirmed only once attached.
    if confirm and not change.attachments.exists():
        raise ValidationError(_("该阶段变更尚无佐证材料，请先补充上传后再核验。"))
    note = (note or "").strip()
    if not confirm and not note:
        raise ValidationError({"note": _("退回须说明原因。")})
    before = audit.snapshot(project, PROJECT_AUDIT_FIELDS)
    change.verification = Verification.CONFIRMED if confirm else Verification.REJECTED
    change.verified_by = actor
    change.verified_at = timezone.now()
    change.verify_note = note
    change.save()
    if confirm:
        project.verified_stage = change.to_stage
        field = STAGE_DATE_FIELD[Stage(change.to_stage)]
        # A project counts once, at its first signing: a later re-signing does not move the date.
        if getattr(project, field) is None:
            setattr(project, field, change.happened_on)
        project.stage_date = change.happened_on
    else:
        project.stage = change.from_stage
        previous = project.stage_changes.exclude(pk=change.pk).exclude(verification=Verification.REJECTED).last()
        project.stage_date = previous.happened_on if previous else None
    project.save()
    _audit(actor, project, before, AuditAction.STATE_CHANGE, message=_("核验：%(what)s") % {"what": change})
    return change
