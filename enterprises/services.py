"""Every change to the company directory: entry with duplicate checks, edits, contacts, merging.

One company exists once in a city's directory: a new entry is matched first by its
统一社会信用代码, then by its normalised name, and the existing record is offered instead.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction
from core.registry import after_company_merge
from core.scope import scope_of
from organizations.choices import Role, UnitKind
from organizations.models import Unit

from .choices import DEFAULT_CATEGORY, CompanyCategory, CompanyKind, CompanySize
from .identity import clean_credit_code, normalize_company_name
from .models import WRITER_ROLES, Company, Contact

COMPANY_AUDIT_FIELDS = (
    "owner",
    "name",
    "credit_code",
    "kind",
    "category",
    "size",
    "province",
    "city",
    "address",
    "industry",
    "website",
    "description",
    "merged_into",
)
COMPANY_EDITABLE = set(COMPANY_AUDIT_FIELDS) - {"owner", "merged_into"} | {"segments"}
CONTACT_AUDIT_FIELDS = ("company", "name", "title", "phone", "email", "notes", "active")


class DuplicateCompany(ValidationError):
    """The entry matches a company already in the directory; `existing` is it, for the page to offer."""

    def __init__(self, message, existing, field="name"):
        super().__init__({field: message})
        self.existing = existing


def directory_owner(unit):
    """The unit whose directory a unit's people write to: the nearest city at or above it, else its root."""
    ids = [*unit.ancestor_ids(), unit.pk]
    cities = dict(Unit.objects.filter(pk__in=ids, kind=UnitKind.CITY).values_list("pk", "pk"))
    for pk in reversed(ids):
        if pk in cities:
            return Unit.objects.get(pk=pk)
    return Unit.objects.get(pk=ids[0])


def default_owner_for(user):
    """The directory a person works in: their home unit's city, else that of their first role."""
    unit = user.home_unit
    if unit is None:
        membership = user.memberships.filter(active=True).select_related("unit").order_by("unit__path").first()
        unit = membership.unit if membership else None
    if unit is None:
        raise PermissionDenied(_("您没有所属单位，不能录入目标企业。"))
    return directory_owner(unit)


def _require_writer(actor, owner):
    roles = (Role.OFFICE_STAFF, *WRITER_ROLES)
    scope = scope_of(actor)
    inside = Q(pk__in=scope.ancestor_ids(*roles)) | scope.subtree_q("path", *roles)
    allowed = Unit.objects.filter(inside, pk=owner.pk).exists()
    if not allowed:
        raise PermissionDenied(_("您无权在该目标企业库中录入。"))


def _require_editable(actor, company):
    if not Company.objects.editable_by(actor).filter(pk=company.pk).exists():
        raise PermissionDenied(_("您无权修改该企业。"))


def _require_office(actor, owner):
    if not Unit.objects.filter(pk=owner.pk).filter(scope_of(actor).subtree_q("path", Role.OFFICE_STAFF)).exists():
        raise PermissionDenied(_("只有招商中心工作人员可以合并企业。"))


def find_matches(*, owner, name="", credit_code="", exclude=None):
    """Current companies in `owner`'s directory that are the same as the one described: code first, then name."""
    current = Company.objects.current().filter(owner=owner)
    if exclude is not None:
        current = current.exclude(pk=exclude.pk)
    code = (credit_code or "").strip().upper()
    if code:
        by_code = list(current.filter(credit_code=code)[:1])
        if by_code:
            return by_code
    normalized = normalize_company_name(name)
    if not normalized:
        return []
    found = list(current.filter(normalized_name=normalized).order_by("id")[:5])
    if found:
        return found
    # A name that was merged away still means the company it was merged into.
    merged = Company.objects.filter(owner=owner, normalized_name=normalized, merged_into__isnull=False)
    survivors = current.filter(pk__in=merged.values("merged_into_id")).order_by("id")
    return list(survivors[:5])


def _check_unique(company):
    if company.credit_code:
        same_code = find_matches(owner=company.owner, credit_code=company.credit_code, exclude=company)
        if same_code and same_code[0].credit_code == company.credit_code:
            existing = same_code[0]
            raise DuplicateCompany(
                _("统一社会信用代码 %(code)s 已属于目标企业库中的“%(name)s”。")
                % {"code": company.credit_code, "name": existing.name},
                existing,
                field="credit_code",
            )
    for existing in find_matches(owner=company.owner, name=company.name, exclude=company):
        # Same normalised name and no codes that tell them apart: the same company.
        if not (company.credit_code and existing.credit_code and company.credit_code != existing.credit_code):
            raise DuplicateCompany(
                _("目标企业库中已有“%(name)s”，与“%(new)s”视为同一家企业，请直接使用已有记录。")
                % {"name": existing.name, "new": company.name},
                existing,
            )


def _clean_choices(company):
    if company.kind not in CompanyKind.values:
        raise ValidationError({"kind": _("无效的机构类型。")})
    if company.category not in CompanyCategory.values:
        raise ValidationError({"category": _("无效的企业类别。")})
    if company.size not in CompanySize.values:
        raise ValidationError({"size": _("无效的企业规模。")})


def _visible_segments(actor, segments):
    from chains.models import ChainSegment

    segments = list(segments or [])
    if not segments:
        return []
    ids = {s.pk for s in segments}
    visible = set(ChainSegment.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))
    if visible != ids:
        raise ValidationError({"segments": _("所选产业链环节不存在，或您无权使用。")})
    return segments


def build_company(*, owner, name, credit_code="", kind=CompanyKind.COMPANY, category="", **fields):
    """An unsaved, checked Company (used by entry and by the ledger import, which saves in bulk)."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("请填写企业名称。")})
    if len(name) > 200:
        raise ValidationError({"name": _("企业名称不能超过 200 个字。")})
    company = Company(
        owner=owner,
        name=name,
        normalized_name=normalize_company_name(name),
        credit_code=clean_credit_code(credit_code),
        kind=kind or CompanyKind.COMPANY,
        category=category or DEFAULT_CATEGORY.get(kind or CompanyKind.COMPANY, CompanyCategory.OTHER),
        **{k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()},
    )
    _clean_choices(company)
    return company


@transaction.atomic
def create_company(*, actor, owner=None, name, credit_code="", segments=(), **fields):
    """Enter a company in the directory; a duplicate is refused with the existing record offered."""
    owner = owner or default_owner_for(actor)
    _require_writer(actor, owner)
    company = build_company(owner=owner, name=name, credit_code=credit_code, **fields)
    company.created_by = actor
    company.created_by_unit = actor.home_unit
    _check_unique(company)
    company.full_clean(exclude=["owner", "segments", "created_by", "created_by_unit", "merged_into"])
    company.save()
    segments = _visible_segments(actor, segments)
    if segments:
        company.segments.set(segments)
    after = audit.snapshot(company, COMPANY_AUDIT_FIELDS)
    after["segments"] = sorted(s.pk for s in segments)
    audit.record(action=AuditAction.CREATE, actor=actor, obj=company, after=after)
    return company


@transaction.atomic
def resolve_company(*, actor, owner=None, name, credit_code="", **fields):
    """The directory's company for this name and code, entered now if it is not there yet: (company, created)."""
    owner = owner or default_owner_for(actor)
    matches = find_matches(owner=owner, name=name, credit_code=clean_credit_code(credit_code))
    if matches:
        return matches[0], False
    return create_company(actor=actor, owner=owner, name=name, credit_code=credit_code, **fields), True


@transaction.atomic
def update_company(*, actor, company, **changes):
    """Correct a company's details; the duplicate checks apply to the new name and code."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    _require_editable(actor, company)
    if company.merged_into_id:
        raise ValidationError(_("该企业已合并至“%(name)s”，请修改合并后的记录。") % {"name": company.merged_into})
    unknown = set(changes) - COMPANY_EDITABLE
    if unknown:
        raise ValidationError(_("这些字段不能在此修改：%(f)s") % {"f": "、".join(sorted(unknown))})
    before = audit.snapshot(company, COMPANY_AUDIT_FIELDS)
    before["segments"] = sorted(company.segments.values_list("pk", flat=True))
    segments = changes.pop("segments", None)
    for field, raw in changes.items():
        value = raw
        if field == "credit_code":
            value = clean_credit_code(raw)
        elif field == "name":
            value = " ".join((raw or "").split())
            if not value:
                raise ValidationError({"name": _("请填写企业名称。")})
        elif isinstance(raw, str):
            value = raw.strip()
        setattr(company, field, value)
    company.normalized_name = normalize_company_name(company.name)
    _clean_choices(company)
    _check_unique(company)
    company.full_clean(exclude=["owner", "segments", "created_by", "created_by_unit", "merged_into"])
    company.save()
    if segments is not None:
        company.segments.set(_visible_segments(actor, segments))
    after = audit.snapshot(company, COMPANY_AUDIT_FIELDS)
    after["segments"] = sorted(company.segments.values_list("pk", flat=True))
    old, new = audit.changed(before, after)
    if new:
        audit.record(action=AuditAction.UPDATE, actor=actor, obj=company, before=old, after=new)
    return company


def _move_relations(absorb, keep):
    """Point every record that refers to `absorb` at `keep`: whatever app the reference lives in.

    Reading the relations from the model's meta means a later app's links (leads,
    projects, problems) move too without this function knowing them.
    """
    moved = {}
    for rel in Company._meta.related_objects:
        if rel.many_to_many:
            through = rel.through
            # The column on the through table pointing at Company, and the one pointing at the other side.
            mine = next(f for f in through._meta.fields if f.is_relation and f.related_model is Company)
            other = next(
                f for f in through._meta.fields if f.is_relation and f.related_model is rel.related_model and f != mine
            )
            already = through.objects.filter(**{mine.name: keep}).values(other.attname)
            rows = through.objects.filter(**{mine.name: absorb})
            n = rows.exclude(**{f"{other.attname}__in": already}).update(**{mine.name: keep})
            rows.delete()  # what is left was linked to both already
        elif rel.one_to_many or rel.one_to_one:
            model = rel.related_model
            if model is Company:
                n = Company.objects.filter(merged_into=absorb).update(merged_into=keep)
            else:
                manager = model._base_manager
                conflicts = _unique_conflicts(model, rel.field, absorb, keep)
                if conflicts:
                    manager.filter(pk__in=conflicts).delete()
                n = manager.filter(**{rel.field.name: absorb}).update(**{rel.field.name: keep})
        else:
            continue
        if n:
            moved[rel.related_model._meta.label_lower] = moved.get(rel.related_model._meta.label_lower, 0) + n
    # The forward many-to-many (segments) is the union of both.
    keep.segments.add(*absorb.segments.all())
    absorb.segments.clear()
    return moved


def _unique_conflicts(model, field, absorb, keep):
    """Rows of `absorb` that would break a uniqueness rule shared with a row of `keep` (e.g. 链主 twice)."""
    conflicts = []
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if field.name not in fields or getattr(constraint, "condition", None) is not None:
            continue
        others = [f for f in fields if f != field.name]
        if not others:
            continue
        keep_values = set(model._base_manager.filter(**{field.name: keep}).values_list(*others))
        for row in model._base_manager.filter(**{field.name: absorb}).values("pk", *others):
            if tuple(row[o] for o in others) in keep_values:
                conflicts.append(row["pk"])
    return conflicts


@transaction.atomic
def merge_companies(*, actor, keep, absorb, reason=""):
    """Merge `absorb` into `keep`: every link moves to `keep`; `absorb` stays, marked as merged into it."""
    companies = {c.pk: c for c in Company.objects.select_for_update().filter(pk__in=[keep.pk, absorb.pk])}
    keep, absorb = companies.get(keep.pk), companies.get(absorb.pk)
    if keep is None or absorb is None or keep.pk == absorb.pk:
        raise ValidationError(_("请选择两家不同的企业进行合并。"))
    visible = set(Company.objects.visible_to(actor).filter(pk__in=[keep.pk, absorb.pk]).values_list("pk", flat=True))
    if len(visible) != 2:
        raise PermissionDenied(_("未找到该企业，或您无权查看。"))
    _require_office(actor, keep.owner)
    if keep.owner_id != absorb.owner_id:
        raise ValidationError(_("只能合并同一目标企业库中的企业。"))
    if keep.merged_into_id or absorb.merged_into_id:
        raise ValidationError(_("已合并的企业不能再合并，请使用合并后的记录。"))
    if keep.credit_code and absorb.credit_code and keep.credit_code != absorb.credit_code:
        raise ValidationError(
            _("两家企业的统一社会信用代码不同（%(a)s / %(b)s），不是同一家企业，不能合并。")
            % {"a": keep.credit_code, "b": absorb.credit_code}
        )
    moved = _move_relations(absorb, keep)
    after_company_merge(keep=keep, absorb=absorb)
    filled = {}
    absorb_code = absorb.credit_code
    absorb.merged_into = keep
    absorb.credit_code = ""  # the code now belongs to `keep`; a merged record holds none
    absorb.save(update_fields=["merged_into", "credit_code", "updated_at"])
    for name in ("credit_code", "province", "city", "address", "industry", "website", "description", "size"):
        value = absorb_code if name == "credit_code" else getattr(absorb, name)
        if value and not getattr(keep, name):
            setattr(keep, name, value)
            filled[name] = value
    if filled:
        keep.save(update_fields=[*filled, "updated_at"])
    details = {"kept": keep.pk, "absorbed": absorb.pk, "moved": moved, "filled": filled}
    audit.record(
        action=AuditAction.MERGE,
        actor=actor,
        obj=keep,
        after=details,
        message=_("合并“%(a)s”至“%(k)s”。%(r)s") % {"a": absorb.name, "k": keep.name, "r": reason},
    )
    audit.record(
        action=AuditAction.MERGE,
        actor=actor,
        obj=absorb,
        before={"merged_into": None, "credit_code": absorb_code},
        after={"merged_into": keep.pk, "credit_code": ""},
        message=reason,
    )
    return keep


def _check_contact(contact):
    contact.name = " ".join((contact.name or "").split())
    if not contact.name:
        raise ValidationError({"name": _("请填写对接人姓名。")})
    contact.full_clean(exclude=["company"])


@transaction.atomic
def add_contact(*, actor, company, name, title="", phone="", email="", notes=""):
    """Add a person the teams deal with at a company."""
    if not Company.objects.visible_to(actor).filter(pk=company.pk).exists():
        raise PermissionDenied(_("未找到该企业，或您无权查看。"))
    _require_writer(actor, company.owner)
    contact = Contact(company=company, name=name, title=title.strip(), phone=phone.strip(), email=email, notes=notes)
    _check_contact(contact)
    contact.save()
    audit.record(
        action=AuditAction.CREATE, actor=actor, obj=contact, after=audit.snapshot(contact, CONTACT_AUDIT_FIELDS)
    )
    return contact


@transaction.atomic
def update_contact(*, actor, contact, **changes):
    contact = Contact.objects.select_for_update().select_related("company").get(pk=contact.pk)
    if not Contact.objects.editable_by(actor).filter(pk=contact.pk).exists():
        raise PermissionDenied(_("您无权修改该对接人。"))
    before = audit.snapshot(contact, CONTACT_AUDIT_FIELDS)
    for field in ("name", "title", "phone", "email", "notes", "active"):
        if field in changes:
            value = changes[field]
            setattr(contact, field, value.strip() if isinstance(value, str) else value)
    _check_contact(contact)
    contact.save()
    audit.record_update(actor=actor, obj=contact, fields=CONTACT_AUDIT_FIELDS, before=before)
    return contact


def remember_contact(*, actor, company, name, title="", phone=""):
    """The company's contact of that name, added if new (a visit met them); None without a name."""
    name = " ".join((name or "").split())
    if not name:
        return None
    existing = company.contacts.filter(name=name).first()
    if existing is not None:
        return existing
    return add_contact(actor=actor, company=company, name=name, title=title or "", phone=phone or "")
