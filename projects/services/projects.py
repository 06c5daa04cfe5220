"""Entering a project (or converting a lead), editing it, the library, its 包联 and 四包, amendments."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.attachments import attach_files
from core.models import AuditAction
from core.scope import forget_scope
from organizations.models import User

from ..choices import (
    FOUR_DUTIES_FROM,
    AmendmentKind,
    Duty,
    ProjectKind,
    Stage,
)
from ..models import (
    Amendment,
    Project,
    ProjectDuty,
    ProjectTeamMember,
)
from .common import (
    AMOUNT_FIELDS,
    EDITABLE_FIELDS,
    PROJECT_AUDIT_FIELDS,
    _audit,
    _check_chain,
    _check_figures,
    _check_host,
    _date,
    _investors,
    _lock,
    _require,
    _require_visible,
    _save,
    _set_investors,
    _set_key,
    _text,
    may_manage,
    parse_land,
    parse_money,
)

# --- Entering and editing ----------------------------------------------------------------------


@transaction.atomic
def create_project(
    *,
    actor,
    host_unit,
    name,
    investors=(),
    investor_names=(),
    kind=ProjectKind.INDUSTRIAL,
    content="",
    total_investment=None,
    fixed_investment=None,
    land_mu=None,
    expected_output=None,
    expected_tax=None,
    expected_jobs=None,
    chain=None,
    segment=None,
    service_plan="",
    first_contact_on=None,
    signing_form="",
    expected_start=None,
    expected_production=None,
    stage=Stage.PLANNED,
    lead=None,
    predecessor=None,
    note="",
    files=(),
) -> Project:
    """Enter a project at 谋划/储备 or 在谈 (a signing is a stage move, with its contract, confirmed by a verifier)."""
    host_unit, owner = _check_host(actor, host_unit)
    if stage not in (Stage.PLANNED, Stage.NEGOTIATING):
        raise ValidationError({"stage": _("新项目只能从“谋划/储备”或“在谈”开始；签约须作为阶段变更录入并上传合同。")})
    chain, segment = _check_chain(actor, chain, segment)
    if predecessor is not None:
        _require_visible(actor, predecessor)
    project = Project(
        owner=owner,
        host_unit=host_unit,
        name=_text(name)[:200],
        kind=kind or ProjectKind.INDUSTRIAL,
        content=(content or "").strip(),
        total_investment=parse_money(total_investment, "total_investment", AMOUNT_FIELDS["total_investment"]),
        fixed_investment=parse_money(fixed_investment, "fixed_investment", AMOUNT_FIELDS["fixed_investment"]),
        land_mu=parse_land(land_mu),
        expected_output=parse_money(expected_output, "expected_output", AMOUNT_FIELDS["expected_output"]),
        expected_tax=parse_money(expected_tax, "expected_tax", AMOUNT_FIELDS["expected_tax"]),
        expected_jobs=expected_jobs,
        chain=chain,
        segment=segment,
        service_plan=(service_plan or "").strip(),
        first_contact_on=_date(first_contact_on, "first_contact_on", _("首次接洽日期")),
        signing_form=signing_form or "",
        expected_start=_date(expected_start, "expected_start", _("预计开工时间"), not_future=False),
        expected_production=_date(expected_production, "expected_production", _("预计投产时间"), not_future=False),
        stage=stage,
        verified_stage=stage,
        # Known only once a move is recorded (or from the first contact): history may be entered later.
        stage_date=None,
        lead=lead,
        predecessor=predecessor,
        note=(note or "").strip(),
        created_by=actor,
    )
    _check_figures(project)
    _set_key(project)
    _save(project)
    companies = _investors(actor, owner, investors, investor_names)
    _set_investors(project, companies)
    if files:
        attach_files(actor=actor, record=project, files=files)
    after = audit.snapshot(project, PROJECT_AUDIT_FIELDS)
    audit.record(action=AuditAction.CREATE, actor=actor, obj=project, after=after)
    return project


@transaction.atomic
def create_project_from_lead(*, actor, lead, name=None, host_unit=None, **extra) -> Project:
    """Convert a lead into a project in 在谈: the investor, content, amount and chain are handed over.

    The county or zone that accepted the lead (or the office) does it; a lead becomes one project only.
    """
    from leads.choices import LeadStatus
    from leads.models import Lead

    lead = Lead.objects.select_for_update(of=("self",)).select_related("receiving_unit").get(pk=lead.pk)
    if lead.status != LeadStatus.ACCEPTED:
        raise ValidationError(_("只有已接收跟进的线索可以转为项目。"))
    if Project.objects.filter(lead=lead).exists():
        raise ValidationError(_("该线索已转为项目“%(name)s”。") % {"name": lead.project.name})
    if lead.duplicate_of_id:
        raise ValidationError(_("该线索已被裁定为重复线索，请在原线索上转为项目。"))
    host_unit = host_unit or lead.receiving_unit
    extra.setdefault("content", lead.content)
    extra.setdefault("total_investment", lead.estimated_amount)
    extra.setdefault("chain", lead.chain)
    extra.setdefault("segment", lead.segment)
    extra.setdefault("first_contact_on", lead.collected_date)
    extra.setdefault("stage", Stage.NEGOTIATING)
    investors = [lead.investor] if lead.investor_id else []
    project = create_project(
        actor=actor, host_unit=host_unit, name=name or lead.name, investors=investors, lead=lead, **extra
    )
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=lead,
        after={"project": project.pk},
        message=_("线索转为项目“%(name)s”") % {"name": project.name},
    )
    return project


@transaction.atomic
def update_project(*, actor, project, investors=None, investor_names=(), files=(), **changes) -> Project:
    """Edit a project's facts; every reported figure changed is kept with its old and new value."""
    project = _lock(project)
    _require(may_manage(actor, project), _("只有本市招商中心或落地县区可以修改项目信息。"))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("不能直接修改：%(fields)s。") % {"fields": "、".join(sorted(unknown))})
    before = audit.snapshot(project, PROJECT_AUDIT_FIELDS)
    if "host_unit" in changes and changes["host_unit"] != project.host_unit:
        host, owner = _check_host(actor, changes.pop("host_unit"))
        if owner.pk != project.owner_id:
            raise ValidationError({"host_unit": _("项目不能改到其他城市。")})
        project.host_unit = host
    changes.pop("host_unit", None)
    for field, label in AMOUNT_FIELDS.items():
        if field in changes:
            changes[field] = parse_money(changes[field], field, label)
    if "land_mu" in changes:
        changes["land_mu"] = parse_land(changes["land_mu"])
    for field, label in (("expected_start", _("预计开工时间")), ("expected_production", _("预计投产时间"))):
        if field in changes:
            changes[field] = _date(changes[field], field, label, not_future=False)
    if "first_contact_on" in changes:
        changes["first_contact_on"] = _date(changes["first_contact_on"], "first_contact_on", _("首次接洽日期"))
    if "chain" in changes or "segment" in changes:
        changes["chain"], changes["segment"] = _check_chain(
            actor, changes.get("chain", project.chain), changes.get("segment", project.segment)
        )
    for field, value in changes.items():
        setattr(project, field, _text(value)[:200] if field == "name" else value)
    if project.signed_on and project.first_contact_on and project.first_contact_on > project.signed_on:
        raise ValidationError({"first_contact_on": _("首次接洽日期不能晚于签约日期。")})
    _check_figures(project)
    _set_key(project)
    _save(project)
    if investors is not None or investor_names:
        # An explicit empty list clears the investors (only None keeps the current ones).
        kept = project.investors.all() if investors is None else investors
        _set_investors(project, _investors(actor, project.owner, kept, investor_names))
    if files:
        attach_files(actor=actor, record=project, files=files)
    _audit(actor, project, before)
    return project


@transaction.atomic
def set_library(*, actor, project, in_library=None, library_date=None, filed=None, filed_date=None) -> Project:
    """Enter the project in the library (入库) or file it (备案), with the date."""
    project = _lock(project)
    _require(may_manage(actor, project), _("只有本市招商中心或落地县区可以办理入库和备案。"))
    before = audit.snapshot(project, PROJECT_AUDIT_FIELDS)
    if in_library is not None:
        project.in_library = bool(in_library)
        project.library_date = (
            _date(library_date, "library_date", _("入库日期")) or timezone.localdate() if in_library else None
        )
    if filed is not None:
        project.filed = bool(filed)
        project.filed_date = _date(filed_date, "filed_date", _("备案日期")) or timezone.localdate() if filed else None
    project.save()
    _audit(actor, project, before)
    return project


# --- 包联 ---------------------------------------------------------------------------------


@transaction.atomic
def set_assignment(
    *, actor, project, leader=None, leader_name="", responsible_unit=None, team=(), head=None
) -> Project:
    """Bind the project's 三级包联: a county leader, a responsible unit and a service team (seed 001)."""
    project = _lock(project)
    _require(may_manage(actor, project), _("只有本市招商中心或落地县区可以安排项目包联。"))
    before = audit.snapshot(project, PROJECT_AUDIT_FIELDS)
    people = list(dict.fromkeys([p for p in (team or ()) if p is not None]))
    if leader is not None:
        people_check = [leader, *people]
    else:
        people_check = people
    ids = [p.pk for p in people_check]
    visible = set(User.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))
    if any(p.pk not in visible for p in people_check):
        raise ValidationError({"team": _("所选人员不存在，或您无权查看。")})
    if responsible_unit is not None:
        city = project.owner
        if not responsible_unit.path.startswith(city.path) or not responsible_unit.active:
            raise ValidationError({"responsible_unit": _("责任单位须为本市的在用单位。")})
    if head is not None and head not in people:
        raise ValidationError({"head": _("专班负责人须是服务专班成员。")})
    project.leader = leader
    project.leader_name = _text(leader_name or (str(leader) if leader is not None else ""))[:100]
    project.responsible_unit = responsible_unit
    project.save()
    project.team.exclude(user__in=people).delete()
    have = set(project.team.values_list("user_id", flat=True))
    ProjectTeamMember.objects.bulk_create(
        [ProjectTeamMember(project=project, user=p) for p in people if p.pk not in have]
    )
    project.team.update(is_head=False)
    if head is not None:
        project.team.filter(user=head).update(is_head=True)
    after = audit.snapshot(project, PROJECT_AUDIT_FIELDS)
    old, new = audit.changed(before, after)
    new["team"] = [p.pk for p in people]
    audit.record(action=AuditAction.UPDATE, actor=actor, obj=project, before=old, after=new, message=_("包联安排"))
    for person in (*people_check, actor):  # their scopes name the projects they are bound to: read them afresh
        forget_scope(person)
    return project


@transaction.atomic
def set_duties(*, actor, project, duties) -> list[ProjectDuty]:
    """The "四包" of a project of 2亿 or more: {duty: (person_name, unit or None)}; an empty name clears it."""
    project = _lock(project)
    _require(may_manage(actor, project), _("只有本市招商中心或落地县区可以安排四包职责。"))
    if project.total_investment is None or project.total_investment < FOUR_DUTIES_FROM:
        raise ValidationError(_("“四包”职责适用于总投资 2 亿元及以上的项目。"))
    for duty, (person_name, unit) in duties.items():
        if duty not in Duty.values:
            raise ValidationError({"duties": _("无效的职责：%(duty)s") % {"duty": duty}})
        if unit is not None and not unit.path.startswith(project.owner.path):
            raise ValidationError({"duties": _("单位须为本市单位。")})
        name = _text(person_name)[:100]
        if name:
            ProjectDuty.objects.update_or_create(
                project=project, duty=duty, defaults={"person_name": name, "unit": unit}
            )
        else:
            ProjectDuty.objects.filter(project=project, duty=duty).delete()
    made = list(project.duties.all())
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=project,
        after={d.duty: d.person_name for d in made},
        message=_("四包职责"),
    )
    return made


# --- Amendments (统计口径) ---------------------------------------------------------------------


@transaction.atomic
def amend_project(*, actor, project, kind, happened_on, amount=None, new_name="", note="") -> Amendment:
    """Record a capital increase (adds its amount, not a project), a rename or a re-signing (not a new project)."""
    project = _lock(project)
    _require(may_manage(actor, project), _("只有本市招商中心或落地县区可以登记项目变更。"))
    if kind not in AmendmentKind.values:
        raise ValidationError({"kind": _("无效的变更类型。")})
    happened_on = _date(happened_on, "happened_on", _("日期"), required=True)
    before = audit.snapshot(project, PROJECT_AUDIT_FIELDS)
    amendment = Amendment(project=project, kind=kind, happened_on=happened_on, note=(note or "").strip(), actor=actor)
    if kind == AmendmentKind.CAPITAL_INCREASE:
        amount = parse_money(amount, "amount", _("增加投资"))
        if not amount:
            raise ValidationError({"amount": _("请填写增资金额（万元）。")})
        if project.signed_on is None:
            raise ValidationError({"kind": _("项目尚未签约（或签约尚待核验），不能登记增资。")})
        amendment.amount = amount
        project.total_investment = (project.total_investment or Decimal(0)) + amount
    elif kind == AmendmentKind.RENAME:
        new_name = _text(new_name)[:200]
        if not new_name:
            raise ValidationError({"new_name": _("请填写新名称。")})
        amendment.old_name = project.name
        project.name = new_name
        _set_key(project)
    amendment.save()
    _save(project)
    _audit(actor, project, before, message=str(amendment))
    return amendment
