"""Shared by every lead service: constants, small checks and parsing, scope checks, locking, events, audit."""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chains.models import ChainSegment, IndustryChain
from core import audit
from core.models import AuditAction
from core.parsing import WAN, ParseError, parse_amount
from core.scope import holds_over as _holds
from core.workdays import add_working_days
from enterprises.identity import normalize_company_name
from organizations.choices import Role

from .. import keys
from ..choices import STATUS_TRANSITIONS, LeadStatus
from ..models import Lead, LeadEvent

EARLIEST_DATE = datetime.date(2000, 1, 1)
MAX_AMOUNT = Decimal("9999999999.9999")  # max_digits=14, decimal_places=4
DEFAULT_GRADES = ["A", "B", "C"]
# A visit by another unit this recent means it is courting the same investor (seed 003).
CONFLICT_VISIT_DAYS = 180
# Statuses in which nobody holds the lead any more: another unit courting its investor is no conflict.
INACTIVE_STATUSES = (LeadStatus.REJECTED, LeadStatus.CLOSED)

LEAD_AUDIT_FIELDS = (
    "owner",
    "reporting_unit",
    "name",
    "collected_date",
    "source",
    "source_note",
    "visit",
    "event",
    "trip",
    "investor",
    "content",
    "estimated_amount",
    "chain",
    "segment",
    "proposed_location",
    "contact_reached",
    "contact_name",
    "status",
    "pool",
    "grade",
    "opinion",
    "assessed_by",
    "receiving_unit",
    "closing_reason",
    "assess_due",
    "feedback_due",
    "duplicate_of",
)
SETTINGS_AUDIT_FIELDS = (
    "grades",
    "requires_investor",
    "requires_content",
    "requires_amount",
    "requires_contact",
    "min_content_length",
    "assess_working_days",
    "feedback_days",
)
POOL_AUDIT_FIELDS = ("owner", "code", "name", "kind", "sort_order", "active")
CONFLICT_AUDIT_FIELDS = ("lead", "other_lead", "other_visit", "company", "status", "leading_unit", "decision")
NEGATIVE_LIST_AUDIT_FIELDS = ("unit", "industry", "chain", "keywords", "reason")

DUPLICATE_LEAD = gettext_lazy("该线索已报送：同一报送单位、同一收集日期、同一投资方、相同线索名称。")
NOT_FOUND = gettext_lazy("未找到该线索，或您无权查看。")
# "约5000万", "5000万左右", "5000余万": the figure is kept, the hedge dropped.
_APPROX_PREFIX = re.compile(r"^(约|大约|预计|计划|拟|近|超过|超|逾|总投资)+")
_APPROX_SUFFIX = re.compile(r"(左右|以上|上下|多)$")
_APPROX_INNER = re.compile(r"(\d)\s*(余|多)\s*(亿|万|元)")


# --- Small checks -----------------------------------------------------------------------


def _text(value):
    return "" if value is None else str(value).strip()


def _squash(value):
    return " ".join(_text(value).split())


def _required(value, field, message):
    text = _text(value)
    if not text:
        raise ValidationError({field: message})
    return text


def _fmt_time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _person(user):
    return (user.name or user.username) if user is not None else _("系统")


def _check_date(value, field, label, *, not_future=True):
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        raise ValidationError({field: _("请填写有效的%(label)s。") % {"label": label}})
    if value < EARLIEST_DATE:
        raise ValidationError({field: _("%(label)s不能早于 2000 年 1 月 1 日。") % {"label": label}})
    today = timezone.localdate()
    if not_future and value > today:
        raise ValidationError({field: _("%(label)s不能晚于今天（%(today)s）。") % {"label": label, "today": today}})
    return value


def parse_estimated_amount(value, field="estimated_amount"):
    """An estimated investment as Decimal 万元 (None if empty): "5000", "约5000万", "5亿元" are understood.

    A hedge ("约", "左右", "余") is dropped and the figure kept; anything else that is not
    a figure is refused with the reason, never guessed at.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = value.strip().replace("，", ",")
        text = _APPROX_PREFIX.sub("", text)
        text = _APPROX_INNER.sub(r"\1\3", text)
        text = _APPROX_SUFFIX.sub("", text).strip()
        value = text
    try:
        amount = parse_amount(value, WAN)
    except ParseError as exc:
        raise ValidationError({field: _("拟投资额：%(why)s") % {"why": str(exc)}})
    if amount is not None and amount > MAX_AMOUNT:
        raise ValidationError({field: _("拟投资额过大，请以万元为单位填写。")})
    return amount


def lead_key(*, reporting_unit_id, collected_date, investor_id=None, investor_name="", name=""):
    """Same reporting unit, day, investor and name: the same lead, typed twice or imported again (leads.keys)."""
    investor = keys.investor_key(company_id=investor_id, normalized_name=normalize_company_name(investor_name))
    return keys.lead_key(unit_id=reporting_unit_id, collected_date=collected_date, investor_key=investor, name=name)


def _is_office(actor, owner):
    return _holds(actor, owner, Role.OFFICE_STAFF)


def _require_office(actor, owner, message=None):
    if not _is_office(actor, owner):
        raise PermissionDenied(message or _("只有招商中心工作人员可以进行此操作。"))


def _require_visible(actor, lead):
    if not Lead.objects.visible_to(actor).filter(pk=lead.pk).exists():
        raise PermissionDenied(NOT_FOUND)


def _lock(lead):
    """The lead as it is now, locked until the transaction ends: a second writer waits, then sees the result."""
    try:
        return Lead.objects.select_for_update(of=("self",)).select_related("owner", "reporting_unit").get(pk=lead.pk)
    except Lead.DoesNotExist:
        raise PermissionDenied(NOT_FOUND)


def _check_move(lead, to):
    now = LeadStatus(lead.status)
    if to not in STATUS_TRANSITIONS.get(now, set()):
        raise ValidationError(
            _("线索当前状态为“%(now)s”，不能改为“%(to)s”。") % {"now": now.label, "to": LeadStatus(to).label}
        )


def _check_visible(actor, model, obj, field, message):
    if obj is None:
        return None
    if not model.objects.visible_to(actor).filter(pk=obj.pk).exists():
        raise ValidationError({field: message})
    return obj


def _check_chain(actor, chain, segment):
    if chain is not None:
        _check_visible(actor, IndustryChain, chain, "chain", _("所选产业链不存在，或您无权查看。"))
    if segment is not None:
        _check_visible(actor, ChainSegment, segment, "segment", _("所选产业链环节不存在，或您无权查看。"))
        if chain is None:
            chain = segment.chain
        elif segment.chain_id != chain.pk:
            raise ValidationError({"segment": _("所选环节不属于产业链“%(chain)s”。") % {"chain": chain.name}})
    return chain, segment


def _event(lead, kind, actor, *, unit=None, from_value="", to_value="", note=""):
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return LeadEvent.objects.create(
        lead=lead,
        kind=kind,
        actor=actor,
        unit=unit,
        from_value=str(from_value or "")[:100],
        to_value=str(to_value or "")[:100],
        note=note or "",
    )


def _state_audit(actor, lead, before, message=""):
    old, new = audit.changed(before, audit.snapshot(lead, LEAD_AUDIT_FIELDS))
    audit.record(action=AuditAction.STATE_CHANGE, actor=actor, obj=lead, before=old, after=new, message=message)


def lead_due_dates(settings, *, collected_date, entered):
    """(assess_due, feedback_due) of a lead collected on `collected_date` and entered on `entered`.

    The assessment is due `assess_working_days` working days after the lead was collected
    (core.workdays: holidays and 调休 counted); the feedback to the reporting team
    `feedback_days` calendar days after the lead reached the office, i.e. the day it was
    entered (typed, or imported with a ledger). Every path that makes a lead uses this.
    """
    return (
        add_working_days(collected_date, settings.assess_working_days),
        entered + datetime.timedelta(days=settings.feedback_days),
    )
