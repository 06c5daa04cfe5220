"""Reporting a lead (by hand or from a visit) and correcting it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.attachments import attach_files
from core.models import AuditAction
from enterprises.models import Company
from enterprises.services import directory_owner, resolve_company
from organizations.models import User
from outreach import selectors as outreach_selectors
from outreach.models import OutboundTrip, PromotionEvent, Visit

from .. import selectors
from ..choices import LeadEventKind, LeadSource, LeadStatus
from ..models import Lead
from .common import (
    DUPLICATE_LEAD,
    LEAD_AUDIT_FIELDS,
    _check_chain,
    _check_date,
    _check_visible,
    _event,
    _holds,
    _is_office,
    _lock,
    _require_visible,
    _required,
    _squash,
    _text,
    lead_due_dates,
    lead_key,
    parse_estimated_amount,
)
from .conflicts import detect_conflicts
from .settings import first_pool, lead_settings_for

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
    assess_due, feedback_due = lead_due_dates(settings, collected_date=collected_date, entered=today)
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
        assess_due=assess_due,
        feedback_due=feedback_due,
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
