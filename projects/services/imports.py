"""Signings entered from 《签约项目台账》: recorded as pending moves without the contract, which comes later.

A team's Excel ledger says a project was signed on a date; it carries no scanned contract.
The signing is recorded as a move to 签约 awaiting verification (so it shows as pending and
counts in no figure), with a reason saying the contract is still to come. Someone who works
the project attaches the contract to that move (`attach_stage_evidence`), and only then may
a verifier other than the recorder confirm it (verify_stage refuses a move with no evidence).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.attachments import attach_files
from core.models import AuditAction

from ..choices import STAGE_EVIDENCE, Stage, Verification
from ..models import StageChange
from .common import (
    PROJECT_AUDIT_FIELDS,
    _audit,
    _date,
    _lock,
    _require,
    may_manage,
    may_verify,
    may_work,
)
from .stages import allowed_moves

# Stored as written (not translated): it is the record's own wording, like a reason a person typed.
IMPORTED_SIGNING_REASON = "台账导入，待补充合同并核验"


@transaction.atomic
def record_imported_signing(*, actor, project, happened_on) -> StageChange:
    """Record a signing read from the ledger: 签约 on `happened_on`, pending verification, no file yet.

    The office of the city or the host county/zone (who keep the ledger) record it; the same
    checks as any move apply (allowed transition, date not before the last stage's, nothing
    pending, a total investment to sign for).
    """
    project = _lock(project)
    _require(may_manage(actor, project), _("只有本市招商中心或落地县区可以导入签约项目。"))
    if project.pending:
        raise ValidationError(
            _("上一次阶段变更（%(stage)s）尚待核验，核验后才能继续变更。") % {"stage": Stage(project.stage).label}
        )
    if Stage.SIGNED not in allowed_moves(project):
        raise ValidationError({"to": _("项目当前为“%(now)s”，不能登记签约。") % {"now": Stage(project.stage).label}})
    happened_on = _date(happened_on, "happened_on", _("签约日期"), required=True)
    if project.stage_date and happened_on < project.stage_date:
        raise ValidationError(
            {"happened_on": _("签约日期不能早于上一阶段的日期（%(date)s）。") % {"date": project.stage_date}}
        )
    if project.total_investment is None:
        raise ValidationError({"to": _("签约前请先填写项目总投资。")})
    before = audit.snapshot(project, PROJECT_AUDIT_FIELDS)
    change = StageChange.objects.create(
        project=project,
        from_stage=project.stage,
        to_stage=Stage.SIGNED,
        happened_on=happened_on,
        reason=IMPORTED_SIGNING_REASON,
        evidence_kind="",
        actor=actor,
        verification=Verification.PENDING,
    )
    project.stage = Stage.SIGNED
    project.stage_date = happened_on
    project.save()
    _audit(actor, project, before, AuditAction.STATE_CHANGE, message=str(change))
    return change


@transaction.atomic
def attach_stage_evidence(*, actor, change, evidence_kind, files) -> StageChange:
    """Attach the evidence a pending move still lacks (the contract of an imported signing)."""
    project = _lock(change.project)
    change = StageChange.objects.select_for_update().get(pk=change.pk)
    _require(
        may_work(actor, project) or may_verify(actor, project),
        _("只有本市招商中心、落地县区、责任单位、服务专班或核验员可以补充佐证材料。"),
    )
    if change.verification != Verification.PENDING:
        raise ValidationError(_("只能为待核验的阶段变更补充佐证材料。"))
    kinds = STAGE_EVIDENCE.get(Stage(change.to_stage), set())
    if evidence_kind not in kinds:
        raise ValidationError(
            {
                "evidence_kind": _("“%(to)s”的佐证材料须为：%(kinds)s。")
                % {"to": Stage(change.to_stage).label, "kinds": "、".join(str(k.label) for k in kinds)}
            }
        )
    if not files:
        raise ValidationError({"files": _("请上传佐证材料（合同、许可证、照片或销售记录的扫描件）。")})
    attach_files(actor=actor, record=change, files=files)
    change.evidence_kind = evidence_kind
    change.save(update_fields=["evidence_kind"])
    return change
