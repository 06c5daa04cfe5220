"""Writing team reports: the system drafts, the team edits and submits, the office reads or returns.

Every step is one transaction, re-reads the report under a row lock (two clicks do not submit twice), checks
who may take it, leaves a TeamReportEvent (from, to, who, when, why) and an audit record. Refusals are
`ValidationError({field: 中文消息})` or `PermissionDenied`; nothing is written when one is raised.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction
from core.scope import holds_over
from organizations.choices import UnitKind
from outreach.selectors import city_of

from . import drafting
from .choices import (
    OFFICE_ROLES,
    PLANS_PLACEHOLDER,
    REPORTING_KINDS,
    TRANSITIONS,
    WRITER_ROLES,
    ReportKind,
    ReportStatus,
)
from .models import TeamReport, TeamReportEvent
from .periods import period_label, period_of

FIELDS = ("owner", "unit", "kind", "start", "end", "title", "body", "status", "comment", "return_reason")
STATE_FIELDS = ("status", "comment", "return_reason")


def may_write(actor, unit):
    """The unit's own people (组长/组员, 队长/队员) draft, edit and submit its reports."""
    return holds_over(actor, unit, *WRITER_ROLES)


def is_office(actor, report):
    return holds_over(actor, report.owner, *OFFICE_ROLES)


def _require_writer(actor, unit):
    if not may_write(actor, unit):
        raise PermissionDenied(_("只有本组（队）人员可以起草、修改和提交本单位的工作报告。"))


def _require_office(actor, report):
    if not is_office(actor, report):
        raise PermissionDenied(_("只有本市招商中心可以阅示或退回工作报告。"))


def _locked(report):
    return TeamReport.objects.select_for_update().select_related("owner", "unit").get(pk=report.pk)


def _move(report, to, actor, note=""):
    """Change the status along TRANSITIONS and keep the step on the report's record."""
    before = ReportStatus(report.status)
    if to not in TRANSITIONS[before]:
        raise ValidationError(
            _("报告当前为“%(now)s”，不能改为“%(to)s”。") % {"now": before.label, "to": ReportStatus(to).label}
        )
    report.status = to
    TeamReportEvent.objects.create(report=report, from_status=before, to_status=to, actor=actor, note=note)
    return before


def _text(value):
    return (value or "").strip()


def _record_state(actor, report, before):
    audit.record(
        action=AuditAction.STATE_CHANGE,
        actor=actor,
        obj=report,
        before=before,
        after=audit.snapshot(report, STATE_FIELDS),
    )


@transaction.atomic
def draft_report(*, actor, unit, kind, start) -> TeamReport:
    """Draft a unit's weekly or monthly report from the period's records (the week or month holding `start`).

    Refused: a kind other than weekly/monthly, a unit that is not a team or squad, someone not of the unit, a
    period not yet started, and a second report of the same unit, kind and period.
    """
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("请选择周报或月报。")})
    if unit is None:
        raise ValidationError({"unit": _("请选择报送单位。")})
    if unit.kind not in REPORTING_KINDS:
        raise ValidationError({"unit": _("“%(name)s”不是驻点招商组或小分队，不报送工作专报。") % {"name": unit.name}})
    if not unit.active:
        raise ValidationError({"unit": _("单位“%(name)s”已停用。") % {"name": unit.name}})
    _require_writer(actor, unit)
    if start is None:
        raise ValidationError({"start": _("请选择报告期间。")})
    start, end = period_of(kind, start)
    label = period_label(kind, start, end)
    if start > timezone.localdate():
        raise ValidationError({"start": _("%(period)s尚未开始，不能起草报告。") % {"period": label}})
    kind_label = _("周报") if kind == ReportKind.WEEKLY else _("月报")
    if TeamReport.objects.filter(unit=unit, kind=kind, start=start).exists():
        raise ValidationError(
            {
                "start": _("%(unit)s%(period)s的%(kind)s已经起草过，不能重复起草；请在原报告上修改。")
                % {"unit": unit.name, "period": label, "kind": kind_label}
            }
        )
    owner = city_of(unit)
    if owner.kind != UnitKind.CITY:
        raise ValidationError({"unit": _("“%(name)s”不属于任何市。") % {"name": unit.name}})
    records = drafting.collect(unit, owner, start, end)
    report = TeamReport.objects.create(
        owner=owner,
        unit=unit,
        kind=kind,
        start=start,
        end=end,
        title=drafting.title_for(unit, kind, start, end),
        body=drafting.body_for(unit, kind, start, end, records),
        figures=records.figures(),
        created_by=actor,
    )
    TeamReportEvent.objects.create(report=report, to_status=ReportStatus.DRAFT, actor=actor, note=_("系统起草"))
    audit.record(action=AuditAction.CREATE, actor=actor, obj=report, after=audit.snapshot(report, FIELDS))
    return report


@transaction.atomic
def update_report(*, actor, report, title=None, body=None) -> TeamReport:
    """The team edits its draft's title and text; a submitted report is changed only after the office returns it."""
    report = _locked(report)
    _require_writer(actor, report.unit)
    if not report.is_draft:
        raise ValidationError(_("报告已提交，不能修改；如需修改，请招商中心退回。"))
    before = audit.snapshot(report, FIELDS)
    if title is not None:
        title = _text(title)
        if not title:
            raise ValidationError({"title": _("请填写标题。")})
        if len(title) > 200:
            raise ValidationError({"title": _("标题不能超过 200 字。")})
        report.title = title
    if body is not None:
        body = _text(body)
        if not body:
            raise ValidationError({"body": _("请填写正文。")})
        report.body = body
    report.save()
    audit.record_update(actor=actor, obj=report, fields=FIELDS, before=before)
    return report


@transaction.atomic
def submit_report(*, actor, report) -> TeamReport:
    """The team sends its draft to the office (草稿 → 已提交)."""
    report = _locked(report)
    _require_writer(actor, report.unit)
    if not report.is_draft:
        raise ValidationError(_("报告已提交，不能重复提交。"))
    if PLANS_PLACEHOLDER in report.body:
        section = _("下周工作打算") if report.kind == ReportKind.WEEKLY else _("下月工作打算")
        raise ValidationError({"body": _("请先填写“%(s)s”，再提交报告。") % {"s": section}})
    before = audit.snapshot(report, STATE_FIELDS)
    _move(report, ReportStatus.SUBMITTED, actor)
    now = timezone.now()
    report.submitted_by, report.submitted_at = actor, now
    report.first_submitted_at = report.first_submitted_at or now
    report.save()
    _record_state(actor, report, before)
    return report


@transaction.atomic
def mark_read(*, actor, report, comment="") -> TeamReport:
    """The office has read a submitted report (已提交 → 已阅), with its comment (批示/意见) if any."""
    report = _locked(report)
    _require_office(actor, report)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("只有已提交的报告可以阅示。"))
    before = audit.snapshot(report, STATE_FIELDS)
    comment = _text(comment)
    _move(report, ReportStatus.READ, actor, note=comment)
    report.read_by, report.read_at, report.comment = actor, timezone.now(), comment
    report.save()
    _record_state(actor, report, before)
    return report


@transaction.atomic
def return_report(*, actor, report, reason) -> TeamReport:
    """The office sends a submitted report back for changes (退回修改): it is the team's draft again."""
    report = _locked(report)
    _require_office(actor, report)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("只有已提交、尚未阅示的报告可以退回。"))
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("请填写退回原因。")})
    before = audit.snapshot(report, STATE_FIELDS)
    _move(report, ReportStatus.DRAFT, actor, note=reason)
    report.return_reason, report.returned_at = reason, timezone.now()
    report.save()
    _record_state(actor, report, before)
    return report
