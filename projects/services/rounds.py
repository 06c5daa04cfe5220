"""The "三个一批" rounds: a county or zone lists the projects it signs, starts and commissions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction
from organizations.choices import Role

from ..choices import (
    RANK,
    Batch,
    RoundLevel,
    Stage,
)
from ..models import (
    Project,
    Round,
    RoundEntry,
)
from .common import (
    HOST_KINDS,
    _date,
    _holds_over,
    _text,
    city_of,
    parse_money,
)

# --- Rounds (三个一批) ---------------------------------------------------------------------------


def _check_round_host(actor, unit):
    if unit is None or unit.kind not in HOST_KINDS:
        raise ValidationError({"host_unit": _("“三个一批”活动的举办单位须为县（市、区）或开发区。")})
    owner = city_of(unit)
    if not (_holds_over(actor, owner, Role.OFFICE_STAFF) or _holds_over(actor, unit, Role.COUNTY_STAFF)):
        raise PermissionDenied(_("您无权为“%(name)s”登记“三个一批”活动。") % {"name": unit.name})
    return unit, owner


@transaction.atomic
def create_round(*, actor, host_unit, name, held_on, level=RoundLevel.PROVINCE, rate_decimals=1, note="") -> Round:
    """A "三个一批" round held by a county or zone on a date."""
    host_unit, owner = _check_round_host(actor, host_unit)
    name = _text(name)[:200]
    if not name:
        raise ValidationError({"name": _("请填写活动名称。")})
    if level not in RoundLevel.values:
        raise ValidationError({"level": _("无效的级别。")})
    if rate_decimals not in (0, 1, 2):
        raise ValidationError({"rate_decimals": _("小数位数须为 0、1 或 2。")})
    found = Round.objects.create(
        owner=owner,
        host_unit=host_unit,
        name=name,
        held_on=_date(held_on, "held_on", _("活动日期"), required=True, not_future=False),
        level=level,
        rate_decimals=rate_decimals,
        note=(note or "").strip(),
    )
    audit.record(action=AuditAction.CREATE, actor=actor, obj=found, after=audit.snapshot(found, ROUND_FIELDS))
    return found


ROUND_FIELDS = ("owner", "host_unit", "name", "held_on", "level", "rate_decimals", "note")

BATCH_STAGE = {Batch.SIGNED: Stage.SIGNED, Batch.STARTED: Stage.STARTED, Batch.PRODUCING: Stage.PRODUCING}


@transaction.atomic
def add_to_round(*, actor, round, project, batch, investment=None) -> RoundEntry:
    """List a project in a round under one batch, with its investment as listed (default: its total)."""
    round = Round.objects.select_for_update().select_related("host_unit").get(pk=round.pk)
    _check_round_host(actor, round.host_unit)
    if batch not in Batch.values:
        raise ValidationError({"batch": _("无效的批次。")})
    if not Project.objects.visible_to(actor).filter(pk=project.pk).exists():
        raise ValidationError({"project": _("所选项目不存在，或您无权查看。")})
    if not project.host_unit.path.startswith(round.host_unit.path):
        raise ValidationError(
            {"project": _("项目“%(name)s”不在%(host)s。") % {"name": project.name, "host": round.host_unit}}
        )
    if RoundEntry.objects.filter(round=round, project=project).exists():
        raise ValidationError({"project": _("项目“%(name)s”已列入本次活动。") % {"name": project.name}})
    needed = BATCH_STAGE[Batch(batch)]
    stage = project.stage if project.stage in RANK else (project.suspended_from or project.verified_stage)
    if stage not in RANK or RANK[Stage(stage)] < RANK[needed]:
        raise ValidationError(
            {
                "batch": _("项目“%(name)s”尚未%(stage)s，不能列入“%(batch)s”。")
                % {"name": project.name, "stage": needed.label, "batch": Batch(batch).label}
            }
        )
    investment = parse_money(investment, "investment", _("列入时总投资"))
    if investment is None:
        investment = project.total_investment
    if investment is None:
        raise ValidationError({"investment": _("请填写列入时的总投资（万元）。")})
    entry = RoundEntry.objects.create(round=round, project=project, batch=batch, investment=investment)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=entry,
        after={"round": round.pk, "project": project.pk, "batch": batch, "investment": investment},
    )
    return entry


@transaction.atomic
def remove_from_round(*, actor, entry) -> None:
    _check_round_host(actor, entry.round.host_unit)
    audit.record(
        action=AuditAction.DELETE,
        actor=actor,
        obj=entry,
        before={"round": entry.round_id, "project": entry.project_id, "batch": entry.batch, "amount": entry.investment},
    )
    entry.delete()
