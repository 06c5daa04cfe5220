"""Every change to the outreach ledgers: visits, inspections, promotion events, outbound trips, stationing.

Each service is one transaction, re-checks inside it that the actor writes for the unit
the record belongs to (a team writes its own ledgers; the office reads them but does not
write them), and writes its own audit record. Pages, the API and the ledger import call
these and nothing else.

A visit logged on a phone names its company as typed; the company enters the shared
directory in the same transaction (enterprises.services.resolve_company), so the visit,
the new company and its contact are written together or not at all.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chains.models import IndustryChain
from core import audit
from core.attachments import attach_files
from core.models import AuditAction
from core.registry import after_visit_recorded
from enterprises.choices import CompanyCategory
from enterprises.models import Company
from enterprises.services import directory_owner, remember_contact, resolve_company
from organizations.choices import UnitKind
from organizations.models import User

from . import selectors
from .choices import VisitWay
from .keys import inspection_key, visit_key
from .models import Inspection, OutboundTrip, PromotionEvent, Stationing, Visit

EARLIEST_DATE = datetime.date(2000, 1, 1)
MAX_AMOUNT = Decimal("9999999999.9999")  # max_digits=14, decimal_places=4
AMOUNT_STEP = Decimal("0.0001")

VISIT_AUDIT_FIELDS = (
    "unit",
    "visit_date",
    "company",
    "chain",
    "contact",
    "contact_name",
    "contact_title",
    "contact_phone",
    "way",
    "content",
    "intention",
    "next_step",
    "visitor_names",
    "remarks",
)
INSPECTION_AUDIT_FIELDS = (
    "unit",
    "inspection_date",
    "company",
    "delegation",
    "places",
    "accompanying_leader",
    "result",
    "next_step",
    "remarks",
)
EVENT_AUDIT_FIELDS = (
    "unit",
    "title",
    "event_date",
    "place",
    "co_organisers",
    "attendees",
    "attendee_count",
    "projects_signed",
    "signed_amount",
    "remarks",
)
TRIP_AUDIT_FIELDS = (
    "unit",
    "leader",
    "leader_name",
    "start_date",
    "end_date",
    "destinations",
    "purpose",
    "result",
    "projects_connected",
    "remarks",
)
STATIONING_AUDIT_FIELDS = ("unit", "person", "start_date", "end_date", "place", "days", "remarks")

# The company a visit or an inspection names, as typed: passed on to the directory.
COMPANY_INPUT_FIELDS = (
    "company",
    "company_name",
    "credit_code",
    "company_province",
    "company_city",
    "company_category",
)
# The directory's field names → the names these forms and the API use for them.
COMPANY_FIELD_NAMES = {
    "name": "company_name",
    "credit_code": "credit_code",
    "province": "company_province",
    "city": "company_city",
    "category": "company_category",
}

DUPLICATE_VISIT = gettext_lazy("该走访已登记：同一单位、同一天、同一企业、相同内容")
DUPLICATE_INSPECTION = gettext_lazy("该考察已登记：同一邀请单位、同一天、同一企业")


# --- Checks shared by every ledger -------------------------------------------------------


def _writer_unit(actor, unit, kinds):
    """The unit the record belongs to, which the actor must write for; default: the actor's own team."""
    if unit is None:
        unit = selectors.default_unit(actor, kinds)
        if unit is None:
            raise PermissionDenied(_("您没有可登记台账的单位：只有驻点招商组、小分队和县区的工作人员可以登记。"))
    if not selectors.can_write_for(actor, unit):
        raise PermissionDenied(_("您无权为该单位登记台账。"))
    if unit.kind not in kinds:
        allowed = "、".join(str(UnitKind(k).label) for k in kinds)
        raise ValidationError(
            {
                "unit": _("“%(name)s”不能登记此台账，只能由以下单位登记：%(kinds)s。")
                % {"name": unit.name, "kinds": allowed}
            }
        )
    if not unit.active:
        raise ValidationError({"unit": _("单位“%(name)s”已停用。") % {"name": unit.name}})
    return unit


def _require_editable(actor, model, obj):
    if not model.objects.editable_by(actor).filter(pk=obj.pk).exists():
        if model.objects.visible_to(actor).filter(pk=obj.pk).exists():
            raise PermissionDenied(_("您无权修改该记录。"))
        raise PermissionDenied(_("未找到该记录，或您无权查看。"))


def _check_date(value, field, label, *, not_future=False):
    if not isinstance(value, datetime.date):
        raise ValidationError({field: _("请填写有效的%(label)s。") % {"label": label}})
    if isinstance(value, datetime.datetime):
        value = value.date()
    if value < EARLIEST_DATE:
        raise ValidationError({field: _("%(label)s不能早于 2000 年 1 月 1 日。") % {"label": label}})
    if not_future and value > timezone.localdate():
        raise ValidationError(
            {field: _("%(label)s不能晚于今天（%(today)s）。") % {"label": label, "today": timezone.localdate()}}
        )
    return value


def _check_period(start, end, start_label, end_label):
    start = _check_date(start, "start_date", start_label)
    end = _check_date(end, "end_date", end_label)
    if end < start:
        raise ValidationError({"end_date": _("%(end)s不能早于%(start)s。") % {"end": end_label, "start": start_label}})
    return start, end


def _check_amount(value, field, label):
    """A non-negative amount in 万元 with at most four decimals."""
    if value is None or value == "":
        return Decimal("0")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("%(label)s须为数字。") % {"label": label}})
    if not amount.is_finite():
        raise ValidationError({field: _("%(label)s须为数字。") % {"label": label}})
    if amount < 0:
        raise ValidationError({field: _("%(label)s不能为负数。") % {"label": label}})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("%(label)s过大，请以万元为单位填写。") % {"label": label}})
    return amount.quantize(AMOUNT_STEP, rounding=ROUND_HALF_UP)


def _check_count(value, field, label, *, optional=False):
    if value is None or value == "":
        if optional:
            return None
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise ValidationError({field: _("%(label)s须为整数。") % {"label": label}})
    if value < 0:
        raise ValidationError({field: _("%(label)s不能为负数。") % {"label": label}})
    if value > 2_147_483_647:
        raise ValidationError({field: _("%(label)s过大。") % {"label": label}})
    return value


def _text(value):
    return "" if value is None else str(value).strip()


def _required_text(value, field, message):
    text = _text(value)
    if not text:
        raise ValidationError({field: message})
    return text


def _check_chain(actor, chain):
    if chain is None:
        return None
    if not IndustryChain.objects.visible_to(actor).filter(pk=chain.pk).exists():
        raise ValidationError({"chain": _("所选产业链不存在，或您无权查看。")})
    return chain


def _check_people(actor, people, field, *, already=()):
    """People named on a record must be ones the actor may see (or already on it)."""
    people = list(dict.fromkeys(people or []))
    ids = {p.pk for p in people}
    if not ids:
        return people
    ok = set(User.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True)) | set(already)
    if ids - ok:
        raise ValidationError({field: _("所选人员不存在，或您无权查看。")})
    return people


def _check_company(actor, company, field="company"):
    if not Company.objects.visible_to(actor).filter(pk=company.pk).exists():
        raise ValidationError({field: _("所选企业不存在，或您无权查看。")})
    if company.merged_into_id:
        raise ValidationError(
            {
                field: _("企业“%(name)s”已合并至“%(into)s”，请选择合并后的企业。")
                % {"name": company.name, "into": company.merged_into}
            }
        )
    return company


def _resolve(actor, unit, *, name, credit_code="", **fields):
    """The directory's company of that name (entered now if new), errors named as the caller's fields."""
    extra = {k: v for k, v in fields.items() if v}
    try:
        company, _created = resolve_company(
            actor=actor, owner=directory_owner(unit), name=name, credit_code=credit_code or "", **extra
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise ValidationError({COMPANY_FIELD_NAMES.get(k, k): v for k, v in exc.message_dict.items()})
        raise
    return company


def _company_from(actor, unit, *, company=None, company_name="", credit_code="", province="", city="", category=""):
    """A record's company: one chosen from the directory, or the one a typed name resolves to."""
    if company is not None:
        return _check_company(actor, company)
    name = " ".join((company_name or "").split())
    if not name:
        raise ValidationError({"company_name": _("请填写企业名称，或选择已有企业。")})
    if category and category not in CompanyCategory.values:
        raise ValidationError({"company_category": _("无效的企业类别。")})
    return _resolve(actor, unit, name=name, credit_code=credit_code, province=province, city=city, category=category)


def _companies_from(actor, unit, companies=(), company_names=()):
    """Companies chosen by id plus those named one per line, each resolved in the directory; no repeats."""
    found = [_check_company(actor, c, "companies") for c in companies or []]
    for raw in company_names or []:
        name = " ".join((raw or "").split())
        if name:
            try:
                found.append(_resolve(actor, unit, name=name))
            except ValidationError as exc:
                messages = exc.messages
                raise ValidationError({"company_names": [f"“{name[:50]}”：{m}" for m in messages]})
    return list({c.pk: c for c in found}.values())


def _check_text_lengths(obj, exclude):
    """Field lengths and choices as the model declares them (Django's own messages, in Chinese)."""
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _files_snapshot(made):
    return [a.pk for a in made]


def _delete_record(actor, model, obj, fields, extra=None):
    obj = model.objects.select_for_update().get(pk=obj.pk)
    _require_editable(actor, model, obj)
    before = audit.snapshot(obj, fields)
    before.update(extra(obj) if extra else {})
    attachments = list(obj.attachments.all())
    before["attachments"] = [a.pk for a in attachments]
    names = [a.file.name for a in attachments if a.file]
    storage = attachments[0].file.storage if attachments else None
    audit.record(action=AuditAction.DELETE, actor=actor, obj=obj, before=before)
    obj.delete()  # the attachments' rows go with it (GenericRelation)
    if storage is not None:
        # The files only once the deletion is committed: a rollback must not leave rows without files.
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


# --- Visits --------------------------------------------------------------------------------


def _linked_ids(record, names):
    """The ids a record's many-to-many links hold, for the audit record."""
    return {name: sorted(getattr(record, name).values_list("pk", flat=True)) for name in names}


def _save_new(*, actor, record, fields, links=None, files=()):
    """Save a checked new record with its many-to-many links and files; audit all it holds, once."""
    links = links or {}
    record.save()
    for name, objs in links.items():
        getattr(record, name).set(objs)
    made = attach_files(actor=actor, record=record, files=files)
    after = audit.snapshot(record, fields)
    after.update({name: sorted(obj.pk for obj in objs) for name, objs in links.items()})
    after["attachments"] = _files_snapshot(made)
    audit.record(action=AuditAction.CREATE, actor=actor, obj=record, after=after)
    return record


def _save_changed(*, actor, record, fields, before, links=None, files=()):
    """Save a checked, changed record; links given as None stay as they are. Audit only what changed."""
    links = links or {}
    record.save()
    for name, objs in links.items():
        if objs is not None:
            getattr(record, name).set(objs)
    made = attach_files(actor=actor, record=record, files=files)
    after = audit.snapshot(record, fields)
    after.update(_linked_ids(record, links))
    old, new = audit.changed(before, after)
    if new:
        audit.record(action=AuditAction.UPDATE, actor=actor, obj=record, before=old, after=new)
    return made


def _default_visitor_names(visitors):
    return "、".join(p.name or p.username for p in visitors)[:200]


def _check_visit(visit):
    if visit.way not in VisitWay.values:
        raise ValidationError({"way": _("无效的走访方式。")})
    _check_text_lengths(visit, ["unit", "company", "chain", "contact", "created_by", "dedupe_key"])
    visit.dedupe_key = visit_key(
        unit_id=visit.unit_id, visit_date=visit.visit_date, company_id=visit.company_id, content=visit.content
    )
    if Visit.objects.filter(unit_id=visit.unit_id, dedupe_key=visit.dedupe_key).exclude(pk=visit.pk).exists():
        raise ValidationError(DUPLICATE_VISIT)


@transaction.atomic
def create_visit(
    *,
    actor,
    visit_date,
    content,
    unit=None,
    company=None,
    company_name="",
    credit_code="",
    company_province="",
    company_city="",
    company_category="",
    chain=None,
    way=VisitWay.KNOCKING,
    contact_name="",
    contact_title="",
    contact_phone="",
    intention="",
    next_step="",
    visitors=None,
    visitor_names="",
    remarks="",
    files=(),
):
    """Log a visit (one row of 《走访企业台账》); a company named for the first time enters the directory.

    The same visit typed twice (same unit, day, company and content) is refused, so a
    phone's double tap or a re-import does not count one visit twice.
    """
    unit = _writer_unit(actor, unit, selectors.LEDGER_UNIT_KINDS)
    visit_date = _check_date(visit_date, "visit_date", _("走访日期"), not_future=True)
    content = _required_text(content, "content", _("请填写对接内容。"))
    chain = _check_chain(actor, chain)
    visitors = _check_people(actor, [actor] if visitors is None else visitors, "visitors")
    company = _company_from(
        actor,
        unit,
        company=company,
        company_name=company_name,
        credit_code=credit_code,
        province=company_province,
        city=company_city,
        category=company_category,
    )
    visit = Visit(
        unit=unit,
        visit_date=visit_date,
        company=company,
        chain=chain,
        contact_name=" ".join(_text(contact_name).split()),
        contact_title=_text(contact_title),
        contact_phone=_text(contact_phone),
        way=way or VisitWay.KNOCKING,
        content=content,
        intention=_text(intention),
        next_step=_text(next_step),
        visitor_names=_text(visitor_names) or _default_visitor_names(visitors),
        remarks=_text(remarks),
        created_by=actor,
    )
    _check_visit(visit)
    # The directory learns who was met, so the next visit finds the contact already there.
    visit.contact = remember_contact(
        actor=actor, company=company, name=visit.contact_name, title=visit.contact_title, phone=visit.contact_phone
    )
    visit = _save_new(actor=actor, record=visit, fields=VISIT_AUDIT_FIELDS, links={"visitors": visitors}, files=files)
    after_visit_recorded(visit)  # another unit already courting this company is a conflict (撞单, leads)
    return visit


VISIT_EDITABLE = {
    "unit",
    "visit_date",
    *COMPANY_INPUT_FIELDS,
    "chain",
    "way",
    "contact_name",
    "contact_title",
    "contact_phone",
    "content",
    "intention",
    "next_step",
    "visitors",
    "visitor_names",
    "remarks",
}


def _unknown(changes, editable):
    unknown = set(changes) - set(editable)
    if unknown:
        raise ValidationError(_("这些字段不能在此修改：%(f)s") % {"f": "、".join(sorted(unknown))})


@transaction.atomic
def update_visit(*, actor, visit, files=(), **changes):
    """Correct a visit; a new company name resolves in the directory as on entry, the duplicate check applies again."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _require_editable(actor, Visit, visit)
    _unknown(changes, VISIT_EDITABLE)
    before = audit.snapshot(visit, VISIT_AUDIT_FIELDS)
    before.update(_linked_ids(visit, ["visitors"]))
    old_visitors = before["visitors"]
    if "unit" in changes and changes["unit"] is not None and changes["unit"].pk != visit.unit_id:
        visit.unit = _writer_unit(actor, changes["unit"], selectors.LEDGER_UNIT_KINDS)
    if "visit_date" in changes:
        visit.visit_date = _check_date(changes["visit_date"], "visit_date", _("走访日期"), not_future=True)
    if "content" in changes:
        visit.content = _required_text(changes["content"], "content", _("请填写对接内容。"))
    if "chain" in changes:
        visit.chain = _check_chain(actor, changes["chain"])
    if "way" in changes:
        visit.way = changes["way"] or VisitWay.KNOCKING
    for field in ("contact_title", "contact_phone", "intention", "next_step", "remarks", "visitor_names"):
        if field in changes:
            setattr(visit, field, _text(changes[field]))
    if "contact_name" in changes:
        visit.contact_name = " ".join(_text(changes["contact_name"]).split())
    if changes.get("company") is not None or _text(changes.get("company_name")):
        company = _company_from(
            actor,
            visit.unit,
            company=changes.get("company"),
            company_name=changes.get("company_name", ""),
            credit_code=changes.get("credit_code", ""),
            province=changes.get("company_province", ""),
            city=changes.get("company_city", ""),
            category=changes.get("company_category", ""),
        )
        visit.company = company
    visitors = None
    if changes.get("visitors") is not None:
        visitors = _check_people(actor, changes["visitors"], "visitors", already=old_visitors)
        if "visitor_names" not in changes or not _text(changes["visitor_names"]):
            visit.visitor_names = _default_visitor_names(visitors)
    _check_visit(visit)
    if {"contact_name", "contact_title", "contact_phone", "company", "company_name"} & set(changes):
        visit.contact = remember_contact(
            actor=actor,
            company=visit.company,
            name=visit.contact_name,
            title=visit.contact_title,
            phone=visit.contact_phone,
        )
    made = _save_changed(
        actor=actor, record=visit, fields=VISIT_AUDIT_FIELDS, before=before, links={"visitors": visitors}, files=files
    )
    if made:
        visit = Visit.objects.get(pk=visit.pk)  # its prefetched attachments are now stale
    return visit


@transaction.atomic
def delete_visit(*, actor, visit):
    """Remove a visit logged by mistake; the audit record keeps what it said."""
    _delete_record(
        actor,
        Visit,
        visit,
        VISIT_AUDIT_FIELDS,
        extra=lambda v: {"visitors": sorted(v.visitors.values_list("pk", flat=True))},
    )


# --- Inspections ---------------------------------------------------------------------------


def _check_host_units(unit, host_units):
    host_units = list(dict.fromkeys(host_units or []))
    if not host_units:
        return host_units
    allowed = set(selectors.host_units_of_city(unit).values_list("pk", flat=True))
    if {u.pk for u in host_units} - allowed:
        raise ValidationError({"host_units": _("考察县区/开发区只能选本市启用的县（市、区）或开发区。")})
    return host_units


def _check_inspection(inspection):
    _check_text_lengths(inspection, ["unit", "company", "host_units", "created_by", "dedupe_key"])
    inspection.dedupe_key = inspection_key(
        unit_id=inspection.unit_id, inspection_date=inspection.inspection_date, company_id=inspection.company_id
    )
    duplicate = Inspection.objects.filter(unit_id=inspection.unit_id, dedupe_key=inspection.dedupe_key)
    if duplicate.exclude(pk=inspection.pk).exists():
        raise ValidationError(DUPLICATE_INSPECTION)


@transaction.atomic
def create_inspection(
    *,
    actor,
    inspection_date,
    unit=None,
    company=None,
    company_name="",
    credit_code="",
    company_province="",
    company_city="",
    company_category="",
    delegation="",
    host_units=(),
    places="",
    accompanying_leader="",
    result="",
    next_step="",
    remarks="",
    files=(),
):
    """Log an inspection by an invited company (《邀请企业来运考察台账》); `unit` is the inviting unit.

    The counties and zones that hosted it (`host_units`, of the same city) then read it too.
    """
    unit = _writer_unit(actor, unit, selectors.LEDGER_UNIT_KINDS)
    inspection_date = _check_date(inspection_date, "inspection_date", _("考察日期"), not_future=True)
    host_units = _check_host_units(unit, host_units)
    company = _company_from(
        actor,
        unit,
        company=company,
        company_name=company_name,
        credit_code=credit_code,
        province=company_province,
        city=company_city,
        category=company_category,
    )
    inspection = Inspection(
        unit=unit,
        inspection_date=inspection_date,
        company=company,
        delegation=_text(delegation),
        places=_text(places),
        accompanying_leader=_text(accompanying_leader),
        result=_text(result),
        next_step=_text(next_step),
        remarks=_text(remarks),
        created_by=actor,
    )
    _check_inspection(inspection)
    return _save_new(
        actor=actor, record=inspection, fields=INSPECTION_AUDIT_FIELDS, links={"host_units": host_units}, files=files
    )


INSPECTION_EDITABLE = {
    "unit",
    "inspection_date",
    *COMPANY_INPUT_FIELDS,
    "delegation",
    "host_units",
    "places",
    "accompanying_leader",
    "result",
    "next_step",
    "remarks",
}


@transaction.atomic
def update_inspection(*, actor, inspection, files=(), **changes):
    """Correct an inspection; host units and company are checked as on entry."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _require_editable(actor, Inspection, inspection)
    _unknown(changes, INSPECTION_EDITABLE)
    before = audit.snapshot(inspection, INSPECTION_AUDIT_FIELDS)
    before.update(_linked_ids(inspection, ["host_units"]))
    if "unit" in changes and changes["unit"] is not None and changes["unit"].pk != inspection.unit_id:
        inspection.unit = _writer_unit(actor, changes["unit"], selectors.LEDGER_UNIT_KINDS)
    if "inspection_date" in changes:
        inspection.inspection_date = _check_date(
            changes["inspection_date"], "inspection_date", _("考察日期"), not_future=True
        )
    for field in ("delegation", "places", "accompanying_leader", "result", "next_step", "remarks"):
        if field in changes:
            setattr(inspection, field, _text(changes[field]))
    if changes.get("company") is not None or _text(changes.get("company_name")):
        inspection.company = _company_from(
            actor,
            inspection.unit,
            company=changes.get("company"),
            company_name=changes.get("company_name", ""),
            credit_code=changes.get("credit_code", ""),
            province=changes.get("company_province", ""),
            city=changes.get("company_city", ""),
            category=changes.get("company_category", ""),
        )
    host_units = None
    if "host_units" in changes and changes["host_units"] is not None:
        host_units = _check_host_units(inspection.unit, changes["host_units"])
    _check_inspection(inspection)
    _save_changed(
        actor=actor,
        record=inspection,
        fields=INSPECTION_AUDIT_FIELDS,
        before=before,
        links={"host_units": host_units},
        files=files,
    )
    return inspection


@transaction.atomic
def delete_inspection(*, actor, inspection):
    """Remove an inspection logged by mistake (only the inviting unit's people may)."""
    _delete_record(
        actor,
        Inspection,
        inspection,
        INSPECTION_AUDIT_FIELDS,
        extra=lambda i: {"host_units": sorted(i.host_units.values_list("pk", flat=True))},
    )


# --- Promotion events ----------------------------------------------------------------------


def _check_event(event):
    event.title = _required_text(event.title, "title", _("请填写推介会名称。"))
    event.place = _required_text(event.place, "place", _("请填写举办地点。"))
    event.event_date = _check_date(event.event_date, "event_date", _("举办日期"))
    event.attendee_count = _check_count(event.attendee_count, "attendee_count", _("参会人数"), optional=True)
    event.projects_signed = _check_count(event.projects_signed, "projects_signed", _("现场签约项目数"))
    event.signed_amount = _check_amount(event.signed_amount, "signed_amount", _("签约金额（万元）"))
    _check_text_lengths(event, ["unit", "companies", "created_by"])


@transaction.atomic
def create_event(
    *,
    actor,
    title,
    event_date,
    place,
    unit=None,
    co_organisers="",
    attendees="",
    attendee_count=None,
    companies=(),
    company_names=(),
    projects_signed=0,
    signed_amount=Decimal("0"),
    remarks="",
    files=(),
):
    """Record a promotion event (推介会): who came, how many projects were signed there and for how much (万元).

    Companies come by id (`companies`) or as names one per line (`company_names`), each
    resolved in the directory so a new participant enters it.
    """
    unit = _writer_unit(actor, unit, selectors.EVENT_UNIT_KINDS)
    event = PromotionEvent(
        unit=unit,
        title=_text(title),
        event_date=event_date,
        place=_text(place),
        co_organisers=_text(co_organisers),
        attendees=_text(attendees),
        attendee_count=attendee_count,
        projects_signed=projects_signed,
        signed_amount=signed_amount,
        remarks=_text(remarks),
        created_by=actor,
    )
    _check_event(event)
    companies = _companies_from(actor, unit, companies, company_names)
    return _save_new(actor=actor, record=event, fields=EVENT_AUDIT_FIELDS, links={"companies": companies}, files=files)


EVENT_EDITABLE = {
    "unit",
    "title",
    "event_date",
    "place",
    "co_organisers",
    "attendees",
    "attendee_count",
    "companies",
    "company_names",
    "projects_signed",
    "signed_amount",
    "remarks",
}


@transaction.atomic
def update_event(*, actor, event, files=(), **changes):
    """Correct an event. Given `companies` and/or `company_names`, the participants become exactly those."""
    event = PromotionEvent.objects.select_for_update().get(pk=event.pk)
    _require_editable(actor, PromotionEvent, event)
    _unknown(changes, EVENT_EDITABLE)
    before = audit.snapshot(event, EVENT_AUDIT_FIELDS)
    before.update(_linked_ids(event, ["companies"]))
    if "unit" in changes and changes["unit"] is not None and changes["unit"].pk != event.unit_id:
        event.unit = _writer_unit(actor, changes["unit"], selectors.EVENT_UNIT_KINDS)
    for field in ("title", "place", "co_organisers", "attendees", "remarks"):
        if field in changes:
            setattr(event, field, _text(changes[field]))
    for field in ("event_date", "attendee_count", "projects_signed", "signed_amount"):
        if field in changes:
            setattr(event, field, changes[field])
    _check_event(event)
    companies = None
    if "companies" in changes or "company_names" in changes:
        companies = _companies_from(actor, event.unit, changes.get("companies") or (), changes.get("company_names"))
    _save_changed(
        actor=actor, record=event, fields=EVENT_AUDIT_FIELDS, before=before, links={"companies": companies}, files=files
    )
    return event


@transaction.atomic
def delete_event(*, actor, event):
    """Remove a promotion event recorded by mistake."""
    _delete_record(actor, PromotionEvent, event, EVENT_AUDIT_FIELDS, extra=lambda e: _linked_ids(e, ["companies"]))


# --- Outbound trips ------------------------------------------------------------------------


def _check_trip(actor, trip, *, already_leader=None):
    trip.start_date, trip.end_date = _check_period(trip.start_date, trip.end_date, _("出发日期"), _("返回日期"))
    trip.destinations = _required_text(trip.destinations, "destinations", _("请填写目的地。"))
    trip.projects_connected = _check_count(trip.projects_connected, "projects_connected", _("对接项目数"))
    if trip.leader_id and trip.leader_id != already_leader:
        _check_people(actor, [trip.leader], "leader")
    if not trip.leader_name and trip.leader is not None:
        trip.leader_name = f"{trip.leader.name}（{trip.leader.title}）" if trip.leader.title else trip.leader.name
    _check_text_lengths(trip, ["unit", "leader", "members", "companies", "created_by"])


@transaction.atomic
def create_trip(
    *,
    actor,
    start_date,
    end_date,
    destinations,
    unit=None,
    leader=None,
    leader_name="",
    members=(),
    companies=(),
    company_names=(),
    purpose="",
    result="",
    projects_connected=0,
    remarks="",
    files=(),
):
    """Record an outbound promotion trip (外出招商); its leader's trips per year are counted against the target."""
    unit = _writer_unit(actor, unit, selectors.EVENT_UNIT_KINDS)
    trip = OutboundTrip(
        unit=unit,
        leader=leader,
        leader_name=_text(leader_name),
        start_date=start_date,
        end_date=end_date,
        destinations=_text(destinations),
        purpose=_text(purpose),
        result=_text(result),
        projects_connected=projects_connected,
        remarks=_text(remarks),
        created_by=actor,
    )
    _check_trip(actor, trip)
    members = _check_people(actor, members, "members")
    companies = _companies_from(actor, unit, companies, company_names)
    return _save_new(
        actor=actor,
        record=trip,
        fields=TRIP_AUDIT_FIELDS,
        links={"members": members, "companies": companies},
        files=files,
    )


TRIP_EDITABLE = {
    "unit",
    "leader",
    "leader_name",
    "members",
    "start_date",
    "end_date",
    "destinations",
    "companies",
    "company_names",
    "purpose",
    "result",
    "projects_connected",
    "remarks",
}


@transaction.atomic
def update_trip(*, actor, trip, files=(), **changes):
    """Correct a trip. Given `members` or `companies`/`company_names`, they become exactly those."""
    trip = OutboundTrip.objects.select_for_update().get(pk=trip.pk)
    _require_editable(actor, OutboundTrip, trip)
    _unknown(changes, TRIP_EDITABLE)
    before = audit.snapshot(trip, TRIP_AUDIT_FIELDS)
    links = _linked_ids(trip, ["members", "companies"])
    before.update(links)
    old_leader = trip.leader_id
    if "unit" in changes and changes["unit"] is not None and changes["unit"].pk != trip.unit_id:
        trip.unit = _writer_unit(actor, changes["unit"], selectors.EVENT_UNIT_KINDS)
    if "leader" in changes:
        trip.leader = changes["leader"]
        if "leader_name" not in changes:
            trip.leader_name = ""
    for field in ("leader_name", "start_date", "end_date", "destinations", "purpose", "result", "remarks"):
        if field in changes:
            value = changes[field]
            setattr(trip, field, _text(value) if isinstance(value, str) else value)
    if "projects_connected" in changes:
        trip.projects_connected = changes["projects_connected"]
    _check_trip(actor, trip, already_leader=old_leader)
    members = None
    if changes.get("members") is not None:
        members = _check_people(actor, changes["members"], "members", already=links["members"])
    companies = None
    if "companies" in changes or "company_names" in changes:
        companies = _companies_from(actor, trip.unit, changes.get("companies") or (), changes.get("company_names"))
    _save_changed(
        actor=actor,
        record=trip,
        fields=TRIP_AUDIT_FIELDS,
        before=before,
        links={"members": members, "companies": companies},
        files=files,
    )
    return trip


@transaction.atomic
def delete_trip(*, actor, trip):
    """Remove a trip recorded by mistake."""
    _delete_record(
        actor, OutboundTrip, trip, TRIP_AUDIT_FIELDS, extra=lambda t: _linked_ids(t, ["members", "companies"])
    )


# --- Stationing ----------------------------------------------------------------------------


def _check_stationing(actor, stationing, *, already_person=None):
    stationing.start_date, stationing.end_date = _check_period(
        stationing.start_date, stationing.end_date, _("开始日期"), _("结束日期")
    )
    stationing.place = _required_text(stationing.place, "place", _("请填写驻点地。"))
    if stationing.person_id is None:
        raise ValidationError({"person": _("请选择驻点人员。")})
    if stationing.person_id != already_person:
        _check_people(actor, [stationing.person], "person")
    stationing.days = (stationing.end_date - stationing.start_date).days + 1
    _check_text_lengths(stationing, ["unit", "person", "created_by"])
    # Serialise entries for one person, so two overlapping periods cannot both get in.
    list(User.objects.select_for_update().filter(pk=stationing.person_id).values_list("pk", flat=True))
    overlap = (
        Stationing.objects.filter(
            person_id=stationing.person_id,
            start_date__lte=stationing.end_date,
            end_date__gte=stationing.start_date,
        )
        .exclude(pk=stationing.pk)
        .order_by("start_date")
        .first()
    )
    if overlap is not None:
        raise ValidationError(
            {
                "start_date": _("与已有的驻点记录重叠：%(place)s，%(start)s 至 %(end)s（共 %(days)d 天）。")
                % {"place": overlap.place, "start": overlap.start_date, "end": overlap.end_date, "days": overlap.days}
            }
        )


@transaction.atomic
def create_stationing(*, actor, person, start_date, end_date, place, unit=None, remarks="", files=()):
    """Record a period a person was stationed away; the days (both ends counted) are stored.

    One person cannot be in two places at once: a period overlapping one already recorded is refused.
    """
    unit = _writer_unit(actor, unit, selectors.LEDGER_UNIT_KINDS)
    stationing = Stationing(
        unit=unit,
        person=person,
        start_date=start_date,
        end_date=end_date,
        place=_text(place),
        remarks=_text(remarks),
        created_by=actor,
    )
    _check_stationing(actor, stationing)
    return _save_new(actor=actor, record=stationing, fields=STATIONING_AUDIT_FIELDS, files=files)


STATIONING_EDITABLE = {"unit", "person", "start_date", "end_date", "place", "remarks"}


@transaction.atomic
def update_stationing(*, actor, stationing, files=(), **changes):
    """Correct a stationing period; the days are recomputed and the overlap check applies again."""
    stationing = Stationing.objects.select_for_update().get(pk=stationing.pk)
    _require_editable(actor, Stationing, stationing)
    _unknown(changes, STATIONING_EDITABLE)
    before = audit.snapshot(stationing, STATIONING_AUDIT_FIELDS)
    old_person = stationing.person_id
    if "unit" in changes and changes["unit"] is not None and changes["unit"].pk != stationing.unit_id:
        stationing.unit = _writer_unit(actor, changes["unit"], selectors.LEDGER_UNIT_KINDS)
    if changes.get("person") is not None:
        stationing.person = changes["person"]
    for field in ("start_date", "end_date"):
        if field in changes:
            setattr(stationing, field, changes[field])
    for field in ("place", "remarks"):
        if field in changes:
            setattr(stationing, field, _text(changes[field]))
    _check_stationing(actor, stationing, already_person=old_person)
    _save_changed(actor=actor, record=stationing, fields=STATIONING_AUDIT_FIELDS, before=before, files=files)
    return stationing


@transaction.atomic
def delete_stationing(*, actor, stationing):
    """Remove a stationing period recorded by mistake."""
    _delete_record(actor, Stationing, stationing, STATIONING_AUDIT_FIELDS)


def rekey_after_merge(*, keep, absorb):
    """After a company merge, give the moved visits and inspections the keys the kept company gives them.

    A visit's key names its company; moved under another company it would no longer be
    recognised when the same ledger is imported again. Where the new key is already taken
    (the same visit was recorded under both names) the old key stays: both records remain,
    for a person to remove the duplicate, and nothing is deleted behind their back.
    """
    for model, key_of in (
        (
            Visit,
            lambda v: visit_key(unit_id=v.unit_id, visit_date=v.visit_date, company_id=keep.pk, content=v.content),
        ),
        (
            Inspection,
            lambda i: inspection_key(unit_id=i.unit_id, inspection_date=i.inspection_date, company_id=keep.pk),
        ),
    ):
        records = list(model._base_manager.filter(company=keep).only("id", "unit_id", "dedupe_key", *model.KEY_FIELDS))
        taken = {(r.unit_id, r.dedupe_key) for r in records}
        changed = []
        for record in records:
            key = key_of(record)
            if key != record.dedupe_key and (record.unit_id, key) not in taken:
                taken.add((record.unit_id, key))
                record.dedupe_key = key
                changed.append(record)
        model._base_manager.bulk_update(changed, ["dedupe_key"], batch_size=1000)
