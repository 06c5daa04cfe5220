"""Every change to a lead: report, assess, push, accept or send back, share, move between pools, follow up, close.

The seeds' method (000): every team reports its leads to the office; the office assesses
them together and pushes each to the county or zone that should take it; the county
follows it up to a signing. Each service here is one transaction, re-checks inside it
who may make the change (the lead is locked first, so two people acting at once get one
result and one clear refusal), refuses a move that STATUS_TRANSITIONS does not allow,
writes a LeadEvent for the lead's timeline and an audit record. Pages, the API and the
ledger import call these and nothing else.

Amounts are Decimal 万元. Conflicts between units courting the same investor (撞单,
seed 003) are found when a lead is reported and when a visit is logged.
"""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chains.models import ChainSegment, IndustryChain
from core import audit
from core.attachments import attach_files
from core.models import AuditAction
from core.parsing import WAN, ParseError, parse_amount
from core.scope import scope_of
from core.workdays import add_working_days
from enterprises.identity import normalize_company_name
from enterprises.models import Company
from enterprises.services import directory_owner, resolve_company
from organizations.choices import Role, UnitKind
from organizations.models import Unit, User
from outreach import selectors as outreach_selectors
from outreach.models import Inspection, OutboundTrip, PromotionEvent, Visit

from . import keys, selectors
from .choices import (
    DEFAULT_POOLS,
    STATUS_TRANSITIONS,
    ConflictStatus,
    LeadEventKind,
    LeadSource,
    LeadStatus,
    PoolKind,
)
from .models import HELD_STATUSES, FollowUp, Lead, LeadConflict, LeadEvent, LeadPool, LeadSettings, LeadShare

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


def _holds(actor, unit, *roles):
    """Whether `actor` holds one of `roles` at `unit` or above it (no query: the scope is memoised)."""
    if unit is None:
        return False
    return any(unit.path.startswith(p) for p in scope_of(actor).paths(*roles))


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


# --- Settings and pools -----------------------------------------------------------------


@transaction.atomic
def lead_settings_for(owner) -> LeadSettings:
    """The city's lead rules; made with the defaults from practice the first time they are needed."""
    settings, created = LeadSettings.objects.get_or_create(owner=owner, defaults={"grades": list(DEFAULT_GRADES)})
    if created:
        audit.record(
            action=AuditAction.CREATE,
            obj=settings,
            after=audit.snapshot(settings, SETTINGS_AUDIT_FIELDS),
            message=_("按默认值建立线索规则"),
        )
    return settings


@transaction.atomic
def ensure_pools(owner) -> list[LeadPool]:
    """The city's active pools in order; the default 四库 are made once, the first time a city needs pools."""
    if not LeadPool.objects.filter(owner=owner).exists():
        # Two first leads of a city at once must not both create the defaults.
        Unit.objects.select_for_update().filter(pk=owner.pk).first()
        if not LeadPool.objects.filter(owner=owner).exists():
            for index, (code, name, kind) in enumerate(DEFAULT_POOLS, start=1):
                pool = LeadPool.objects.create(owner=owner, code=code, name=str(name), kind=kind, sort_order=index * 10)
                audit.record(
                    action=AuditAction.CREATE,
                    obj=pool,
                    after=audit.snapshot(pool, POOL_AUDIT_FIELDS),
                    message=_("按默认值建立线索库"),
                )
    return list(LeadPool.objects.filter(owner=owner, active=True).order_by("sort_order", "id"))


def first_pool(owner):
    """Where every new lead starts (线索库 by default): the first active open pool of the city."""
    for pool in ensure_pools(owner):
        if pool.kind == PoolKind.OPEN:
            return pool
    raise ValidationError(_("本市没有启用的线索库，请先在线索库设置中启用一个“跟进中”的库。"))


def _lost_pool(owner):
    return next((p for p in ensure_pools(owner) if p.kind == PoolKind.LOST), None)


def _clean_grades(raw):
    if isinstance(raw, str):
        raw = selectors.KEYWORD_SPLIT.split(raw)
    grades = list(dict.fromkeys(_text(g) for g in raw or [] if _text(g)))
    if not grades:
        raise ValidationError({"grades": _("请至少设置一个线索等级。")})
    if len(grades) > 10:
        raise ValidationError({"grades": _("线索等级最多 10 个。")})
    too_long = [g for g in grades if len(g) > 16]
    if too_long:
        raise ValidationError({"grades": _("线索等级“%(g)s”过长，不能超过 16 个字。") % {"g": too_long[0]}})
    return grades


SETTINGS_LIMITS = {
    "min_content_length": (0, 500, gettext_lazy("项目内容最少字数")),
    "assess_working_days": (0, 60, gettext_lazy("研判时限（工作日）")),
    "feedback_days": (0, 365, gettext_lazy("反馈时限（自然日）")),
}


@transaction.atomic
def update_lead_settings(*, actor, owner, **changes) -> LeadSettings:
    """The office changes what makes a lead effective, the grades and the deadlines of its city."""
    _require_office(actor, owner, _("只有招商中心工作人员可以修改线索规则。"))
    settings = lead_settings_for(owner)
    settings = LeadSettings.objects.select_for_update().get(pk=settings.pk)
    unknown = set(changes) - set(SETTINGS_AUDIT_FIELDS)
    if unknown:
        raise ValidationError(_("这些字段不能在此修改：%(f)s") % {"f": "、".join(sorted(unknown))})
    before = audit.snapshot(settings, SETTINGS_AUDIT_FIELDS)
    for field, raw in changes.items():
        if field == "grades":
            value = _clean_grades(raw)
        elif field in SETTINGS_LIMITS:
            low, high, label = SETTINGS_LIMITS[field]
            try:
                value = int(raw)
            except (TypeError, ValueError):
                raise ValidationError({field: _("%(label)s须为整数。") % {"label": label}})
            if not low <= value <= high:
                raise ValidationError(
                    {field: _("%(label)s须在 %(low)d 至 %(high)d 之间。") % {"label": label, "low": low, "high": high}}
                )
        else:
            value = bool(raw)
        setattr(settings, field, value)
    settings.save()
    audit.record_update(actor=actor, obj=settings, fields=SETTINGS_AUDIT_FIELDS, before=before)
    return settings


@transaction.atomic
def save_pool(*, actor, owner, code, name, kind, sort_order, active, pool=None) -> LeadPool:
    """The office adds, renames, reorders or retires a pool of its city (cities differ: the seeds define none).

    A pool still holding leads cannot be retired nor change its nature, and the city keeps
    at least one active open pool for new leads to start in.
    """
    _require_office(actor, owner, _("只有招商中心工作人员可以设置线索库。"))
    ensure_pools(owner)
    if pool is not None:
        pool = LeadPool.objects.select_for_update().filter(pk=pool.pk, owner=owner).first()
        if pool is None:
            raise ValidationError(_("未找到该线索库。"))
        before = audit.snapshot(pool, POOL_AUDIT_FIELDS)
    else:
        pool = LeadPool(owner=owner)
        before = None
    code = slugify(_text(code))
    if not code:
        raise ValidationError({"code": _("请填写编码（字母、数字、下划线或连字符）。")})
    name = _squash(name)
    if not name:
        raise ValidationError({"name": _("请填写线索库名称。")})
    if kind not in PoolKind.values:
        raise ValidationError({"kind": _("无效的线索库性质。")})
    others = LeadPool.objects.filter(owner=owner).exclude(pk=pool.pk)
    if others.filter(code=code).exists():
        raise ValidationError({"code": _("编码“%(code)s”已被本市其他线索库使用。") % {"code": code}})
    if others.filter(name=name).exists():
        raise ValidationError({"name": _("本市已有名为“%(name)s”的线索库。") % {"name": name}})
    try:
        sort_order = int(sort_order or 0)
    except (TypeError, ValueError):
        raise ValidationError({"sort_order": _("排序须为整数。")})
    if not 0 <= sort_order <= 32767:
        raise ValidationError({"sort_order": _("排序须在 0 至 32767 之间。")})
    active = bool(active)
    if pool.pk:
        held = pool.leads.count()
        if held and not active:
            raise ValidationError(
                {"active": _("“%(name)s”中还有 %(n)d 条线索，不能停用。") % {"name": pool.name, "n": held}}
            )
        if held and kind != pool.kind:
            raise ValidationError(
                {"kind": _("“%(name)s”中还有 %(n)d 条线索，不能改变其性质。") % {"name": pool.name, "n": held}}
            )
    pool.code, pool.name, pool.kind, pool.sort_order, pool.active = code, name, kind, sort_order, active
    pool.full_clean(exclude=["owner"], validate_unique=False, validate_constraints=False)
    pool.save()
    if not LeadPool.objects.filter(owner=owner, active=True, kind=PoolKind.OPEN).exists():
        raise ValidationError({"active": _("本市至少要保留一个启用的“跟进中”线索库，新线索从那里开始。")})
    if before is None:
        audit.record(action=AuditAction.CREATE, actor=actor, obj=pool, after=audit.snapshot(pool, POOL_AUDIT_FIELDS))
    else:
        audit.record_update(actor=actor, obj=pool, fields=POOL_AUDIT_FIELDS, before=before)
    return pool


# --- Reporting a lead ---------------------------------------------------------------------


def _reporting_unit(actor, unit):
    """The unit the lead is reported by; the actor must write for it (default: their own team or county)."""
    if unit is None:
        unit = outreach_selectors.default_unit(actor)
        if unit is None:
            raise PermissionDenied(_("您没有可报送线索的单位：只有驻点招商组、小分队和县区的工作人员可以报送线索。"))
    if not outreach_selectors.can_write_for(actor, unit):
        raise PermissionDenied(_("您无权以该单位的名义报送线索。"))
    if unit.kind not in outreach_selectors.LEDGER_UNIT_KINDS:
        raise ValidationError(
            {
                "reporting_unit": _("“%(name)s”不能报送线索：只有驻点招商组、小分队和县区可以报送。")
                % {"name": unit.name}
            }
        )
    if not unit.active:
        raise ValidationError({"reporting_unit": _("单位“%(name)s”已停用。") % {"name": unit.name}})
    return unit


def _check_visible(actor, model, obj, field, message):
    if obj is None:
        return None
    if not model.objects.visible_to(actor).filter(pk=obj.pk).exists():
        raise ValidationError({field: message})
    return obj


def _check_investor(actor, investor):
    _check_visible(actor, Company, investor, "investor", _("所选投资方不存在，或您无权查看。"))
    if investor.merged_into_id:
        raise ValidationError(
            {
                "investor": _("企业“%(name)s”已合并至“%(into)s”，请选择合并后的企业。")
                % {"name": investor.name, "into": investor.merged_into}
            }
        )
    return investor


def _investor_from(actor, owner, *, investor=None, investor_name="", credit_code=""):
    """The investor chosen from the directory, or the one a typed name resolves to (entered now if new)."""
    if investor is not None:
        return _check_investor(actor, investor)
    name = _squash(investor_name)
    if not name:
        return None
    try:
        company, _created = resolve_company(actor=actor, owner=owner, name=name, credit_code=credit_code or "")
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            names = {"name": "investor_name", "credit_code": "credit_code"}
            raise ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()})
        raise
    except PermissionDenied:
        raise ValidationError({"investor_name": _("您无权在目标企业库中录入新企业，请选择已有企业。")})
    return company


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


def _check_people(actor, people, already=()):
    people = list(dict.fromkeys(people or []))
    ids = {p.pk for p in people}
    if ids:
        ok = set(User.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True)) | set(already)
        if ids - ok:
            raise ValidationError({"reporters": _("所选报送人不存在，或您无权查看。")})
    return people


def _check_source(source):
    source = source or LeadSource.OTHER
    if source not in LeadSource.values:
        raise ValidationError({"source": _("无效的信息来源。")})
    return source


def _set_key(lead):
    lead.dedupe_key = lead_key(
        reporting_unit_id=lead.reporting_unit_id,
        collected_date=lead.collected_date,
        investor_id=lead.investor_id,
        name=lead.name,
    )
    taken = Lead.objects.filter(reporting_unit_id=lead.reporting_unit_id, dedupe_key=lead.dedupe_key)
    if taken.exclude(pk=lead.pk).exists():
        raise ValidationError(DUPLICATE_LEAD)


def _check_lengths(lead):
    lead.full_clean(
        exclude=[
            "owner",
            "reporting_unit",
            "reporters",
            "visit",
            "event",
            "trip",
            "investor",
            "chain",
            "segment",
            "pool",
            "assessed_by",
            "receiving_unit",
            "duplicate_of",
            "created_by",
            "dedupe_key",
        ],
        validate_unique=False,
        validate_constraints=False,
    )


def _save_lead(lead):
    try:
        with transaction.atomic():
            lead.save()
    except IntegrityError:
        # The same lead sent twice at the same moment: the unique key stopped the second.
        raise ValidationError(DUPLICATE_LEAD)


@transaction.atomic
def create_lead(
    *,
    actor,
    name,
    collected_date,
    reporting_unit=None,
    source=LeadSource.VISIT,
    source_note="",
    visit=None,
    event=None,
    trip=None,
    investor=None,
    investor_name="",
    credit_code="",
    content="",
    estimated_amount=None,
    chain=None,
    segment=None,
    proposed_location="",
    contact_reached=False,
    contact_name="",
    reporters=None,
    files=(),
) -> Lead:
    """Report a lead (one row of 《收集线索台账》) to the office of the reporting unit's city.

    From a visit the investor, chain and contact are taken from it. The lead starts in the
    city's first pool, waiting to be assessed within the city's working-day deadline. The
    same lead reported twice is refused; another unit holding the same investor is found
    and recorded as a conflict (撞单) for the office to decide.
    """
    if visit is not None:
        _check_visible(actor, Visit, visit, "visit", _("所选走访不存在，或您无权查看。"))
        if reporting_unit is None and outreach_selectors.can_write_for(actor, visit.unit):
            reporting_unit = visit.unit
    reporting_unit = _reporting_unit(actor, reporting_unit)
    owner = directory_owner(reporting_unit)
    settings = lead_settings_for(owner)
    pool = first_pool(owner)
    today = timezone.localdate()
    name = _required(name, "name", _("请填写线索名称。"))
    collected_date = _check_date(collected_date or today, "collected_date", _("收集日期"))
    source = _check_source(source)
    _check_visible(actor, PromotionEvent, event, "event", _("所选推介会不存在，或您无权查看。"))
    _check_visible(actor, OutboundTrip, trip, "trip", _("所选外出招商不存在，或您无权查看。"))
    if visit is not None:
        if investor is None and not _squash(investor_name):
            investor = visit.company
        chain = chain if chain is not None or segment is not None else visit.chain
        contact_name = contact_name or visit.contact_name
    investor = _investor_from(actor, owner, investor=investor, investor_name=investor_name, credit_code=credit_code)
    if visit is not None and investor is not None and investor.pk == visit.company_id:
        # A visit is a meeting with the company: contact has been made.
        contact_reached = True
    chain, segment = _check_chain(actor, chain, segment)
    reporters = _check_people(actor, [actor] if reporters is None else reporters)
    lead = Lead(
        owner=owner,
        reporting_unit=reporting_unit,
        name=name,
        collected_date=collected_date,
        source=source,
        source_note=_text(source_note),
        visit=visit,
        event=event,
        trip=trip,
        investor=investor,
        content=_text(content),
        estimated_amount=parse_estimated_amount(estimated_amount),
        chain=chain,
        segment=segment,
        proposed_location=_text(proposed_location),
        contact_reached=bool(contact_reached),
        contact_name=_squash(contact_name),
        status=LeadStatus.REPORTED,
        pool=pool,
        assess_due=add_working_days(collected_date, settings.assess_working_days),
        feedback_due=today + datetime.timedelta(days=settings.feedback_days),
        created_by=actor,
    )
    _check_lengths(lead)
    _set_key(lead)
    _save_lead(lead)
    lead.reporters.set(reporters)
    made = attach_files(actor=actor, record=lead, files=files)
    _event(lead, LeadEventKind.REPORTED, actor, unit=reporting_unit, to_value=pool.name)
    after = audit.snapshot(lead, LEAD_AUDIT_FIELDS)
    after["reporters"] = sorted(p.pk for p in reporters)
    after["attachments"] = [a.pk for a in made]
    audit.record(action=AuditAction.CREATE, actor=actor, obj=lead, after=after)
    detect_conflicts(lead, actor=actor)
    return lead


@transaction.atomic
def create_lead_from_visit(*, actor, visit, name, content="", estimated_amount=None, **extra) -> Lead:
    """Capture a lead from a visit in one step: the visit's unit, day, company, chain and contact carry over."""
    extra.setdefault("collected_date", visit.visit_date)
    extra.setdefault("source", LeadSource.VISIT)
    return create_lead(
        actor=actor,
        visit=visit,
        name=name,
        content=content or visit.intention or "",
        estimated_amount=estimated_amount,
        **extra,
    )


LEAD_EDITABLE = {
    "name",
    "collected_date",
    "source",
    "source_note",
    "event",
    "trip",
    "investor",
    "investor_name",
    "credit_code",
    "content",
    "estimated_amount",
    "chain",
    "segment",
    "proposed_location",
    "contact_reached",
    "contact_name",
    "reporters",
}


@transaction.atomic
def update_lead(*, actor, lead, files=(), **changes) -> Lead:
    """Correct a lead: its reporting unit may until the office has assessed it; the office at any time."""
    lead = _lock(lead)
    _require_visible(actor, lead)
    office = _is_office(actor, lead.owner)
    if not office:
        if not _holds(actor, lead.reporting_unit, *selectors.LEAD_WRITER_ROLES):
            raise PermissionDenied(_("您无权修改该线索。"))
        if lead.status != LeadStatus.REPORTED:
            raise ValidationError(
                _("线索已经研判（当前为“%(status)s”），报送单位不能再修改；如需更正请联系招商中心。")
                % {"status": lead.get_status_display()}
            )
    unknown = set(changes) - LEAD_EDITABLE
    if unknown:
        raise ValidationError(_("这些字段不能在此修改：%(f)s") % {"f": "、".join(sorted(unknown))})
    before = audit.snapshot(lead, LEAD_AUDIT_FIELDS)
    old_reporters = sorted(lead.reporters.values_list("pk", flat=True))
    before["reporters"] = old_reporters
    old_investor = lead.investor_id
    if "name" in changes:
        lead.name = _required(changes["name"], "name", _("请填写线索名称。"))
    if "collected_date" in changes:
        lead.collected_date = _check_date(changes["collected_date"], "collected_date", _("收集日期"))
    if "source" in changes:
        lead.source = _check_source(changes["source"])
    if "event" in changes:
        event = changes["event"]
        if event is not None and event.pk != lead.event_id:
            _check_visible(actor, PromotionEvent, event, "event", _("所选推介会不存在，或您无权查看。"))
        lead.event = event
    if "trip" in changes:
        trip = changes["trip"]
        if trip is not None and trip.pk != lead.trip_id:
            _check_visible(actor, OutboundTrip, trip, "trip", _("所选外出招商不存在，或您无权查看。"))
        lead.trip = trip
    for field in ("source_note", "content", "proposed_location"):
        if field in changes:
            setattr(lead, field, _text(changes[field]))
    if "contact_name" in changes:
        lead.contact_name = _squash(changes["contact_name"])
    if "contact_reached" in changes:
        lead.contact_reached = bool(changes["contact_reached"])
    if "estimated_amount" in changes:
        lead.estimated_amount = parse_estimated_amount(changes["estimated_amount"])
    if changes.get("investor") is not None or _squash(changes.get("investor_name")):
        investor = changes.get("investor")
        if investor is not None and investor.pk == lead.investor_id:
            lead.investor = investor
        else:
            lead.investor = _investor_from(
                actor,
                lead.owner,
                investor=investor,
                investor_name=changes.get("investor_name", ""),
                credit_code=changes.get("credit_code", ""),
            )
    elif "investor" in changes:
        lead.investor = None
    if "chain" in changes or "segment" in changes:
        chain = changes["chain"] if "chain" in changes else lead.chain
        if "segment" in changes:
            segment = changes["segment"]
        else:
            # The segment stays only if it belongs to the chain the lead now has.
            keep = lead.segment_id and chain is not None and lead.segment.chain_id == chain.pk
            segment = lead.segment if keep else None
        lead.chain, lead.segment = _check_chain(actor, chain, segment)
    reporters = None
    if changes.get("reporters") is not None:
        reporters = _check_people(actor, changes["reporters"], already=old_reporters)
    _check_lengths(lead)
    _set_key(lead)
    _save_lead(lead)
    if reporters is not None:
        lead.reporters.set(reporters)
    made = attach_files(actor=actor, record=lead, files=files)
    after = audit.snapshot(lead, LEAD_AUDIT_FIELDS)
    after["reporters"] = sorted(p.pk for p in reporters) if reporters is not None else old_reporters
    old, new = audit.changed(before, after)
    if new:
        audit.record(action=AuditAction.UPDATE, actor=actor, obj=lead, before=old, after=new)
        labels = [str(Lead._meta.get_field(f).verbose_name) for f in new if f != "reporters"]
        if "reporters" in new:
            labels.append(str(Lead._meta.get_field("reporters").verbose_name))
        _event(lead, LeadEventKind.EDITED, actor, unit=None, note="、".join(labels))
    elif made:
        _event(lead, LeadEventKind.EDITED, actor, note=_("上传附件 %(n)d 个") % {"n": len(made)})
    if lead.investor_id and lead.investor_id != old_investor:
        detect_conflicts(lead, actor=actor)
    return lead


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


# --- Conflicts (撞单) ------------------------------------------------------------------------


def _holders(lead):
    """The units holding a lead: the one that reported it and the county or zone it is pushed to."""
    units = [lead.reporting_unit]
    if lead.receiving_unit_id and lead.status in HELD_STATUSES:
        units.append(lead.receiving_unit)
    return units


def _same_side(units_a, units_b):
    """Two sets of units are one side if any unit of one is the other or lies under it (a county and its squad)."""
    for a in units_a:
        for b in units_b:
            if a.path.startswith(b.path) or b.path.startswith(a.path):
                return True
    return False


def _conflict_note(unit, what):
    return _("%(unit)s也在对接该投资方（%(what)s）") % {"unit": unit.name, "what": what}


def _record_conflict(*, actor, lead, company, other_lead=None, other_visit=None, other_unit):
    conflict = LeadConflict.objects.create(lead=lead, company=company, other_lead=other_lead, other_visit=other_visit)
    if other_lead is not None:
        _event(
            lead,
            LeadEventKind.CONFLICT,
            actor,
            unit=other_unit,
            to_value=other_unit.name,
            # The other unit is named, not its lead: that stays behind Lead.objects.visible_to.
            note=_conflict_note(other_unit, _("已报送线索")),
        )
        mine = lead.reporting_unit
        _event(
            other_lead,
            LeadEventKind.CONFLICT,
            actor,
            unit=mine,
            to_value=mine.name,
            note=_conflict_note(mine, _("已报送线索")),
        )
    else:
        _event(
            lead,
            LeadEventKind.CONFLICT,
            actor,
            unit=other_unit,
            to_value=other_unit.name,
            note=_conflict_note(other_unit, _("%(date)s 走访") % {"date": other_visit.visit_date}),
        )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=conflict,
        object_repr=f"{lead} · {company}",
        after=audit.snapshot(conflict, CONFLICT_AUDIT_FIELDS),
        message=_("发现撞单：%(a)s / %(b)s") % {"a": lead.reporting_unit.name, "b": other_unit.name},
    )
    return conflict


def detect_conflicts(lead, *, actor=None) -> list[LeadConflict]:
    """Find other units holding the same investor (撞单, seed 003) and record each pair once, on both timelines.

    Another unit holds it when it reported or was pushed a counted lead of the same city
    for that investor, or visited the investor in the last 180 days. The office decides
    who leads (decide_conflict).
    """
    lead = Lead.objects.select_related("owner", "reporting_unit", "receiving_unit", "investor").get(pk=lead.pk)
    if lead.investor_id is None or lead.duplicate_of_id or lead.status in INACTIVE_STATUSES:
        return []
    mine = _holders(lead)
    found = []
    others = (
        Lead.objects.counted()
        .filter(owner_id=lead.owner_id, investor_id=lead.investor_id)
        .exclude(pk=lead.pk)
        .exclude(status__in=INACTIVE_STATUSES)
        .select_related("reporting_unit", "receiving_unit")
        .order_by("id")
    )
    paired = LeadConflict.objects.filter(Q(lead_id=lead.pk) | Q(other_lead_id=lead.pk))
    known_leads = {pk for row in paired.values_list("lead_id", "other_lead_id") for pk in row if pk}
    for other in others:
        if other.pk in known_leads or _same_side(mine, _holders(other)):
            continue
        found.append(
            _record_conflict(
                actor=actor, lead=lead, company=lead.investor, other_lead=other, other_unit=other.reporting_unit
            )
        )
        known_leads.add(other.pk)
    since = timezone.localdate() - datetime.timedelta(days=CONFLICT_VISIT_DAYS)
    visits = (
        Visit.objects.filter(company_id=lead.investor_id, visit_date__gte=since, unit__path__startswith=lead.owner.path)
        .select_related("unit")
        .order_by("-visit_date", "-id")
    )
    known_units = set(
        LeadConflict.objects.filter(lead_id=lead.pk, other_visit__isnull=False).values_list(
            "other_visit__unit_id", flat=True
        )
    )
    for visit in visits:
        if visit.unit_id in known_units or _same_side(mine, [visit.unit]):
            continue
        found.append(
            _record_conflict(actor=actor, lead=lead, company=lead.investor, other_visit=visit, other_unit=visit.unit)
        )
        known_units.add(visit.unit_id)
    return found


def check_visit_conflicts(visit) -> list[LeadConflict]:
    """A visit just logged: leads of other units for the same company gain a conflict (once per lead and unit).

    Run inside the visit's own transaction (core.registry.after_visit_recorded), so the
    visit and the conflicts it reveals are written together.
    """
    unit = visit.unit
    leads = (
        Lead.objects.counted()
        .filter(investor_id=visit.company_id)
        .exclude(status__in=INACTIVE_STATUSES)
        .select_related("owner", "reporting_unit", "receiving_unit", "investor")
        .order_by("id")
    )
    known = set(
        LeadConflict.objects.filter(company_id=visit.company_id, other_visit__unit_id=unit.pk).values_list(
            "lead_id", flat=True
        )
    )
    found = []
    for lead in leads:
        if lead.pk in known or not unit.path.startswith(lead.owner.path) or _same_side(_holders(lead), [unit]):
            continue
        found.append(
            _record_conflict(
                actor=visit.created_by, lead=lead, company=lead.investor, other_visit=visit, other_unit=unit
            )
        )
    return found


def _involved_units(conflict):
    lead = conflict.lead
    units = {u.pk: u for u in _holders(lead)}
    if conflict.other_lead_id:
        units.update({u.pk: u for u in _holders(conflict.other_lead)})
    if conflict.other_visit_id:
        units[conflict.other_visit.unit_id] = conflict.other_visit.unit
    return units


@transaction.atomic
def decide_conflict(*, actor, conflict, leading_unit, same_lead=False, decision="") -> LeadConflict:
    """The office decides which unit leads on a contested investor.

    When the two leads are found to be one project (same_lead), the one not led is marked
    a duplicate of the other: it stays on record, but no total counts it again.
    """
    conflict = LeadConflict.objects.select_for_update(of=("self",)).filter(pk=conflict.pk).first()
    if conflict is None:
        raise PermissionDenied(_("未找到该撞单记录，或您无权查看。"))
    conflict = LeadConflict.objects.select_related(
        "lead__owner",
        "lead__reporting_unit",
        "lead__receiving_unit",
        "other_lead__reporting_unit",
        "other_lead__receiving_unit",
        "other_visit__unit",
        "decided_by",
    ).get(pk=conflict.pk)
    _require_visible(actor, conflict.lead)
    _require_office(actor, conflict.lead.owner, _("只有招商中心工作人员可以裁定撞单。"))
    if conflict.status == ConflictStatus.DECIDED:
        raise ValidationError(
            _("该撞单已由 %(who)s 于 %(at)s 裁定，请刷新。")
            % {"who": _person(conflict.decided_by), "at": _fmt_time(conflict.decided_at)}
        )
    units = _involved_units(conflict)
    if leading_unit is None or leading_unit.pk not in units:
        names = "、".join(u.name for u in units.values())
        raise ValidationError({"leading_unit": _("牵头单位须为撞单涉及的单位之一：%(names)s。") % {"names": names}})
    leading_unit = units[leading_unit.pk]
    decision = _text(decision)
    before = audit.snapshot(conflict, CONFLICT_AUDIT_FIELDS)
    duplicate = kept = None
    if same_lead:
        if conflict.other_lead_id is None:
            raise ValidationError({"same_lead": _("与走访的撞单不涉及另一条线索，不能认定为同一线索。")})
        a, b = conflict.lead, conflict.other_lead
        a_leads = _same_side([leading_unit], _holders(a))
        b_leads = _same_side([leading_unit], _holders(b))
        if a_leads and not b_leads:
            kept, duplicate = a, b
        elif b_leads and not a_leads:
            kept, duplicate = b, a
        else:
            kept, duplicate = (a, b) if a.pk < b.pk else (b, a)
        kept, duplicate = _mark_duplicate(actor, kept=kept, duplicate=duplicate)
    conflict.status = ConflictStatus.DECIDED
    conflict.leading_unit = leading_unit
    conflict.decided_by = actor
    conflict.decided_at = timezone.now()
    conflict.decision = decision
    conflict.save()
    note = _("由%(unit)s牵头") % {"unit": leading_unit.name}
    if duplicate is not None:
        note += _("；“%(dup)s”认定为“%(kept)s”的重复线索，不再重复计数") % {"dup": duplicate.name, "kept": kept.name}
    if decision:
        note += f"。{decision}"
    for lead in filter(None, (conflict.lead, conflict.other_lead)):
        _event(lead, LeadEventKind.CONFLICT_DECIDED, actor, unit=leading_unit, to_value=leading_unit.name, note=note)
    old, new = audit.changed(before, audit.snapshot(conflict, CONFLICT_AUDIT_FIELDS))
    audit.record(action=AuditAction.STATE_CHANGE, actor=actor, obj=conflict, before=old, after=new, message=note)
    return conflict


def _mark_duplicate(actor, *, kept, duplicate):
    """Mark `duplicate` as `kept`'s (following `kept` to the lead it is itself a duplicate of); no loops."""
    locked = {
        lead.pk: lead for lead in Lead.objects.select_for_update(of=("self",)).filter(pk__in=[kept.pk, duplicate.pk])
    }
    kept, duplicate = locked[kept.pk], locked[duplicate.pk]
    seen = {duplicate.pk}
    while kept.duplicate_of_id and kept.duplicate_of_id not in seen:
        seen.add(kept.pk)
        kept = Lead.objects.select_for_update(of=("self",)).get(pk=kept.duplicate_of_id)
    if kept.pk == duplicate.pk:
        return kept, duplicate
    before = audit.snapshot(duplicate, LEAD_AUDIT_FIELDS)
    duplicate.duplicate_of = kept
    duplicate.save(update_fields=["duplicate_of", "updated_at"])
    # Leads that were duplicates of this one now point at the one that counts.
    Lead.objects.filter(duplicate_of_id=duplicate.pk).update(duplicate_of_id=kept.pk)
    audit.record_update(actor=actor, obj=duplicate, fields=LEAD_AUDIT_FIELDS, before=before)
    return kept, duplicate


# --- Hooks --------------------------------------------------------------------------------


def rekey_after_merge(*, keep, absorb):
    """After a company merge, moved leads get the key the kept company gives them (so a re-import still matches).

    Where the new key is already taken the old one stays: both leads remain, for a person to decide.
    """
    fields = ("id", "reporting_unit_id", "collected_date", "name", "dedupe_key")
    leads = list(Lead.objects.filter(investor=keep).only(*fields))
    units = {lead.reporting_unit_id for lead in leads}
    taken = set(Lead.objects.filter(reporting_unit_id__in=units).values_list("reporting_unit_id", "dedupe_key"))
    changed = []
    for lead in leads:
        key = lead_key(
            reporting_unit_id=lead.reporting_unit_id,
            collected_date=lead.collected_date,
            investor_id=keep.pk,
            name=lead.name,
        )
        if key != lead.dedupe_key and (lead.reporting_unit_id, key) not in taken:
            taken.add((lead.reporting_unit_id, key))
            lead.dedupe_key = key
            changed.append(lead)
    Lead.objects.bulk_update(changed, ["dedupe_key"], batch_size=1000)


OPEN_WORK_STATUSES = (LeadStatus.REPORTED, LeadStatus.DISPATCHED, LeadStatus.ACCEPTED, LeadStatus.RETURNED)


def open_leads_of(unit):
    """Open leads reported by or pushed to `unit`: a unit cannot be deactivated while it holds them."""
    reported = Lead.objects.filter(reporting_unit=unit, status__in=OPEN_WORK_STATUSES).count()
    received = Lead.objects.filter(receiving_unit=unit, status__in=(LeadStatus.DISPATCHED, LeadStatus.ACCEPTED)).count()
    found = []
    if reported:
        found.append(_("还有 %(n)d 条报送中的线索") % {"n": reported})
    if received:
        found.append(_("还有 %(n)d 条承接中的线索") % {"n": received})
    return found
