"""What every project service shares: parsing at the edge, who may do what, settings, checks."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chains.models import ChainSegment, IndustryChain
from core import audit
from core.models import AuditAction
from core.parsing import WAN, ParseError, parse_amount
from core.scope import holds_over as _holds_over
from enterprises.identity import normalize_company_name
from enterprises.models import Company
from enterprises.services import resolve_company
from organizations.choices import Role, UnitKind
from organizations.models import Unit

from ..choices import (
    ProjectKind,
    SigningForm,
    Stage,
)
from ..models import (
    Project,
    ProjectSettings,
    ProjectTeamMember,
)

MAX_AMOUNT = Decimal("9999999999.9999")
EARLIEST_DATE = datetime.date(1990, 1, 1)
HOST_KINDS = (UnitKind.COUNTY, UnitKind.ZONE)
NOT_FOUND = gettext_lazy("未找到该项目，或您无权查看。")

PROJECT_AUDIT_FIELDS = (
    "owner",
    "host_unit",
    "name",
    "investor_names",
    "chain",
    "segment",
    "kind",
    "content",
    "total_investment",
    "fixed_investment",
    "land_mu",
    "expected_output",
    "expected_tax",
    "expected_jobs",
    "lead",
    "service_plan",
    "in_library",
    "library_date",
    "filed",
    "filed_date",
    "stage",
    "stage_date",
    "verified_stage",
    "first_contact_on",
    "signed_on",
    "started_on",
    "producing_on",
    "at_capacity_on",
    "signing_form",
    "expected_start",
    "expected_production",
    "leader",
    "leader_name",
    "responsible_unit",
    "completed_investment",
    "funds_arrived",
    "progress_note",
    "note",
    "predecessor",
)
# Fields a user edits directly; the stage, the dated stage fields and the cumulative figures move only
# through their own services.
EDITABLE_FIELDS = (
    "name",
    "kind",
    "content",
    "total_investment",
    "fixed_investment",
    "land_mu",
    "expected_output",
    "expected_tax",
    "expected_jobs",
    "chain",
    "segment",
    "service_plan",
    "first_contact_on",
    "signing_form",
    "expected_start",
    "expected_production",
    "progress_note",
    "note",
    "host_unit",
)
AMOUNT_FIELDS = {
    "total_investment": gettext_lazy("总投资"),
    "fixed_investment": gettext_lazy("固定资产投资"),
    "expected_output": gettext_lazy("预计年产值"),
    "expected_tax": gettext_lazy("预计年税收"),
}
# The dated field a confirmed move sets.
STAGE_DATE_FIELD = {
    Stage.SIGNED: "signed_on",
    Stage.STARTED: "started_on",
    Stage.PRODUCING: "producing_on",
    Stage.AT_CAPACITY: "at_capacity_on",
}


# --- Parsing at the edge -----------------------------------------------------------------


def parse_money(value, field, label, unit=WAN):
    """An amount as Decimal 万元 (None if empty): "5000", "约5000万", "5亿元", 2.3 (with unit=亿元) are understood."""
    if isinstance(value, Decimal) or value is None:
        amount = value
    else:
        try:
            amount = parse_amount(value, unit)
        except ParseError as exc:
            raise ValidationError({field: _("%(label)s：%(why)s") % {"label": label, "why": str(exc)}})
    if amount is not None and amount < 0:
        raise ValidationError({field: _("%(label)s不能为负数。") % {"label": label}})
    if amount is not None and amount > MAX_AMOUNT:
        raise ValidationError({field: _("%(label)s过大，请以万元为单位填写。") % {"label": label}})
    return amount


def parse_land(value, field="land_mu"):
    """Land in 亩, to two decimals (None if empty): "200", "约200亩" are understood."""
    if isinstance(value, str):
        value = value.strip().removesuffix("亩")
    amount = parse_money(value, field, _("用地"))
    if amount is None:
        return None
    if amount > Decimal("9999999999"):
        raise ValidationError({field: _("用地面积过大，请以亩为单位填写。")})
    return amount.quantize(Decimal("0.01"))


def _date(value, field, label, *, required=False, not_future=True):
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        from core.parsing import parse_date

        try:
            value = parse_date(value)
        except ParseError as exc:
            raise ValidationError({field: str(exc)})
    if value < EARLIEST_DATE:
        raise ValidationError({field: _("%(label)s过早，请检查。") % {"label": label}})
    if not_future and value > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天。") % {"label": label}})
    return value


def _text(value):
    return " ".join(str(value or "").split()) if value is not None else ""


def project_key(name):
    """The same project at the same host: its name with company suffixes, spaces and full-width forms folded."""
    return normalize_company_name(name or "")[:40]


# --- Who may do what -----------------------------------------------------------------------


def is_office(actor, project):
    return _holds_over(actor, project.owner, Role.OFFICE_STAFF)


def is_host(actor, project):
    return _holds_over(actor, project.host_unit, Role.COUNTY_STAFF)


def in_team(actor, project):
    return ProjectTeamMember.objects.filter(project=project, user_id=getattr(actor, "pk", None)).exists()


def is_responsible(actor, project):
    return _holds_over(actor, project.responsible_unit, Role.COUNTY_STAFF, Role.DEPARTMENT_STAFF)


def may_manage(actor, project):
    """Enter and edit the project, bind its 包联, list it in rounds: the city's office or the host county/zone."""
    return is_office(actor, project) or is_host(actor, project)


def may_work(actor, project):
    """Move its stage and report its progress: the managers, its service team and its responsible unit."""
    return may_manage(actor, project) or in_team(actor, project) or is_responsible(actor, project)


def may_verify(actor, project):
    """A verifier at the project's host or above it (the city's verifier checks every county's moves)."""
    return _holds_over(actor, project.host_unit, Role.VERIFIER)


def _lock(project):
    try:
        return Project.objects.select_for_update(of=("self",)).select_related("owner", "host_unit").get(pk=project.pk)
    except Project.DoesNotExist:
        raise PermissionDenied(NOT_FOUND)


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def _require_visible(actor, project):
    if not Project.objects.visible_to(actor).filter(pk=project.pk).exists():
        raise PermissionDenied(NOT_FOUND)


def _audit(actor, project, before, action=AuditAction.UPDATE, message=""):
    old, new = audit.changed(before, audit.snapshot(project, PROJECT_AUDIT_FIELDS))
    if old or new or message:
        audit.record(action=action, actor=actor, obj=project, before=old, after=new, message=message)


# --- Settings ----------------------------------------------------------------------------


@transaction.atomic
def project_settings_for(owner) -> ProjectSettings:
    """The city's counting rules; made with the defaults the first time they are needed."""
    found, _created = ProjectSettings.objects.get_or_create(owner=owner)
    return found


@transaction.atomic
def update_project_settings(*, actor, owner, min_count_amount=None, progress_due_day=None) -> ProjectSettings:
    """The office sets its counting rules (统计口径): the minimum amount for a project to count, the report day."""
    _require(_holds_over(actor, owner, Role.OFFICE_STAFF), _("只有本市招商中心可以设置项目统计口径。"))
    found = ProjectSettings.objects.select_for_update().get(pk=project_settings_for(owner).pk)
    before = audit.snapshot(found, ("min_count_amount", "progress_due_day"))
    if min_count_amount is not None:
        found.min_count_amount = parse_money(min_count_amount, "min_count_amount", _("最低总投资"))
    if progress_due_day is not None:
        try:
            day = int(progress_due_day)
        except (TypeError, ValueError):
            raise ValidationError({"progress_due_day": _("截止日须为 1 到 28 之间的整数。")})
        if not 1 <= day <= 28:
            raise ValidationError({"progress_due_day": _("截止日须为 1 到 28 之间的整数。")})
        found.progress_due_day = day
    found.save()
    old, new = audit.changed(before, audit.snapshot(found, ("min_count_amount", "progress_due_day")))
    audit.record(action=AuditAction.UPDATE, actor=actor, obj=found, before=old, after=new)
    return found


def city_of(unit):
    """The city a county or zone belongs to (the owner of its projects)."""
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    return Unit.objects.filter(pk__in=ids, kind=UnitKind.CITY).order_by("-depth").first()


# --- Checks ------------------------------------------------------------------------------


def _check_host(actor, unit):
    if unit is None:
        raise ValidationError({"host_unit": _("请选择落地县（市、区）或开发区。")})
    if unit.kind not in HOST_KINDS:
        raise ValidationError({"host_unit": _("“%(name)s”不是县（市、区）或开发区。") % {"name": unit.name}})
    if not unit.active:
        raise ValidationError({"host_unit": _("单位“%(name)s”已停用。") % {"name": unit.name}})
    owner = city_of(unit)
    if owner is None:
        raise ValidationError({"host_unit": _("“%(name)s”不属于任何城市。") % {"name": unit.name}})
    if not (_holds_over(actor, owner, Role.OFFICE_STAFF) or _holds_over(actor, unit, Role.COUNTY_STAFF)):
        raise ValidationError({"host_unit": _("您无权为“%(name)s”录入项目。") % {"name": unit.name}})
    return unit, owner


def _check_chain(actor, chain, segment):
    if chain is not None and not IndustryChain.objects.visible_to(actor).filter(pk=chain.pk).exists():
        raise ValidationError({"chain": _("所选产业链不存在，或您无权查看。")})
    if segment is not None:
        if not ChainSegment.objects.visible_to(actor).filter(pk=segment.pk).exists():
            raise ValidationError({"segment": _("所选产业链环节不存在，或您无权查看。")})
        if chain is None:
            chain = segment.chain
        elif segment.chain_id != chain.pk:
            raise ValidationError({"segment": _("所选环节不属于产业链“%(chain)s”。") % {"chain": chain.name}})
    return chain, segment


def _investors(actor, owner, investors=(), investor_names=()):
    """Companies from the directory, plus typed names resolved against it (entered if new)."""
    found = []
    visible = Company.objects.visible_to(actor)
    for company in investors or ():
        if not visible.filter(pk=company.pk).exists():
            raise ValidationError({"investors": _("所选投资方不存在，或您无权查看。")})
        found.append(company.merged_into or company)
    for typed in investor_names or ():
        name = _text(typed)
        if not name:
            continue
        try:
            company, _created = resolve_company(actor=actor, owner=owner, name=name)
        except PermissionDenied:
            raise ValidationError({"investors": _("您无权在目标企业库中录入新企业“%(name)s”。") % {"name": name}})
        except ValidationError as exc:
            raise ValidationError({"investors": exc.messages})
        found.append(company)
    return list(dict.fromkeys(found))


def _check_figures(project):
    if project.total_investment is not None and project.fixed_investment is not None:
        if project.fixed_investment > project.total_investment:
            raise ValidationError({"fixed_investment": _("固定资产投资不能大于总投资。")})
    if project.total_investment is not None and project.completed_investment > project.total_investment:
        raise ValidationError({"total_investment": _("总投资不能小于已累计完成的投资。")})
    if project.expected_start and project.expected_production and project.expected_production < project.expected_start:
        raise ValidationError({"expected_production": _("预计投产时间不能早于预计开工时间。")})
    if not _text(project.name):
        raise ValidationError({"name": _("请填写项目名称。")})
    if project.kind not in ProjectKind.values:
        raise ValidationError({"kind": _("无效的项目类别。")})
    if project.signing_form and project.signing_form not in SigningForm.values:
        raise ValidationError({"signing_form": _("无效的签约形式。")})
    project.full_clean(
        exclude=[
            "owner",
            "host_unit",
            "chain",
            "segment",
            "lead",
            "leader",
            "responsible_unit",
            "predecessor",
            "created_by",
            "dedupe_key",
            "investors",
        ],
        validate_unique=False,
        validate_constraints=False,
    )


def _set_key(project):
    project.dedupe_key = project_key(project.name)
    taken = Project.objects.filter(host_unit_id=project.host_unit_id, dedupe_key=project.dedupe_key)
    if taken.exclude(pk=project.pk).exists():
        raise ValidationError({"name": _("该县（区）或开发区已有同名项目“%(name)s”。") % {"name": project.name}})


def _save(project):
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError:
        raise ValidationError({"name": _("该县（区）或开发区已有同名项目“%(name)s”。") % {"name": project.name}})


def _set_investors(project, companies):
    project.investors.set(companies)
    project.investor_names = "、".join(c.name for c in companies)[:300]
    project.save(update_fields=["investor_names", "updated_at"])
