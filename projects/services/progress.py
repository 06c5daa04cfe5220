"""The service team's monthly progress reports: completed investment, funds arrived, progress, problems."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction

from ..choices import (
    Stage,
    Verification,
)
from ..models import (
    MonthlyProgress,
)
from .common import (
    _date,
    _lock,
    _require,
    may_work,
    parse_money,
    project_settings_for,
)

# --- Monthly progress ---------------------------------------------------------------------------


def _plain(amount):
    """50000, 1234.5: never 5E+4 (Decimal.normalize alone writes round amounts in exponent form)."""
    return f"{amount.normalize():f}"


def month_start(value):
    return value.replace(day=1)


def progress_due(owner, month):
    """The day a month's report is due: the office's day of the following month."""
    day = project_settings_for(owner).progress_due_day
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following.replace(day=day)


def signing_date(project):
    """The signing date: confirmed, or as recorded while it awaits the verifier."""
    if project.signed_on:
        return project.signed_on
    change = project.stage_changes.filter(to_stage=Stage.SIGNED).exclude(verification=Verification.REJECTED).last()
    return change.happened_on if change else None


@transaction.atomic
def report_progress(
    *,
    actor,
    project,
    month,
    completed_investment,
    progress,
    funds_fixed=0,
    funds_non_fixed=0,
    funds_outside_province=0,
    funds_in_province=0,
    problems="",
) -> MonthlyProgress:
    """The service team's monthly report; reporting a month again corrects it (old values kept in the audit log)."""
    project = _lock(project)
    _require(may_work(actor, project), _("只有服务专班、责任单位、落地县区或招商中心可以报送项目进展。"))
    month = _date(month, "month", _("月份"), required=True)
    month = month_start(month)
    if month > month_start(timezone.localdate()):
        raise ValidationError({"month": _("不能报送未来月份的进展。")})
    completed = parse_money(completed_investment, "completed_investment", _("累计完成投资"))
    if completed is None:
        raise ValidationError({"completed_investment": _("请填写累计完成投资（万元）。")})
    funds = {}
    for field, label in (
        ("funds_fixed", _("固定资产投资到位资金")),
        ("funds_non_fixed", _("非固定资产投资到位资金")),
        ("funds_outside_province", _("省外资金")),
        ("funds_in_province", _("省内市外资金")),
    ):
        funds[field] = parse_money(locals()[field], field, label) or Decimal(0)
    progress = (progress or "").strip()
    if not progress:
        raise ValidationError({"progress": _("请填写进展情况。")})
    if project.total_investment is not None and completed > project.total_investment:
        raise ValidationError(
            {
                "completed_investment": _("累计完成投资（%(done)s 万元）不能超过总投资（%(total)s 万元）。")
                % {"done": _plain(completed), "total": _plain(project.total_investment)}
            }
        )
    arrived = funds["funds_fixed"] + funds["funds_non_fixed"]
    if funds["funds_outside_province"] + funds["funds_in_province"] > arrived:
        raise ValidationError({"funds_outside_province": _("省外与省内市外资金之和不能超过本月到位资金。")})
    signed = signing_date(project)
    if arrived and (signed is None or month < month_start(signed)):
        raise ValidationError({"funds_fixed": _("项目签约之前不能有到位资金。")})
    earlier = project.progress_reports.filter(month__lt=month).order_by("-month").first()
    if earlier and completed < earlier.completed_investment:
        raise ValidationError(
            {
                "completed_investment": _("累计完成投资不能少于%(month)s已报的 %(done)s 万元。")
                % {"month": f"{earlier.month:%Y年%m月}", "done": _plain(earlier.completed_investment)}
            }
        )
    later = project.progress_reports.filter(month__gt=month).order_by("month").first()
    if later and completed > later.completed_investment:
        raise ValidationError(
            {
                "completed_investment": _("累计完成投资不能多于%(month)s已报的数。")
                % {"month": f"{later.month:%Y年%m月}"}
            }
        )
    existing = project.progress_reports.filter(month=month).first()
    due = progress_due(project.owner, month)
    before = audit.snapshot(existing, PROGRESS_FIELDS) if existing else None
    report = existing or MonthlyProgress(project=project, month=month, due_on=due)
    report.completed_investment = completed
    for field, value in funds.items():
        setattr(report, field, value)
    report.progress = progress
    report.problems = (problems or "").strip()
    report.reported_by = actor
    if existing is None:
        report.late = timezone.localdate() > due
    report.save()
    _refresh_totals(project)
    after = audit.snapshot(report, PROGRESS_FIELDS)
    audit.record(
        action=AuditAction.UPDATE if existing else AuditAction.CREATE,
        actor=actor,
        obj=report,
        before=audit.changed(before, after)[0] if before else None,
        after=audit.changed(before, after)[1] if before else after,
    )
    return report


PROGRESS_FIELDS = (
    "project",
    "month",
    "completed_investment",
    "funds_fixed",
    "funds_non_fixed",
    "funds_outside_province",
    "funds_in_province",
    "progress",
    "problems",
)


def _refresh_totals(project):
    from django.db.models import Sum

    latest = project.progress_reports.order_by("-month").first()
    totals = project.progress_reports.aggregate(f=Sum("funds_fixed"), n=Sum("funds_non_fixed"))
    project.completed_investment = latest.completed_investment if latest else Decimal(0)
    project.funds_arrived = (totals["f"] or 0) + (totals["n"] or 0)
    project.last_progress_month = latest.month if latest else None
    project.save(update_fields=["completed_investment", "funds_arrived", "last_progress_month", "updated_at"])
