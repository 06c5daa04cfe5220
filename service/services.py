"""Every step of a problem: raise it, assign it to departments, accept, answer and solve it, confirm or reopen
it, escalate it to supervision; the public complaint form; meetings and their decisions.

"件件有落实、事事有回音" (seed 003): a problem stays open until the one who raised it (the service team on
the investor's behalf, the office, or the investor through the public form) accepts the answer.
Each service is one transaction: it locks the problem, re-checks who may take the step,
refuses a move STATUS_TRANSITIONS does not allow, writes a ProblemEvent for the timeline
and an audit record. Pages, the API and the public form call these and nothing else.
"""

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.attachments import attach_files
from core.models import AuditAction
from core.scope import holds_over as _holds_over
from core.scope import scope_of
from core.workdays import add_working_days
from enterprises.models import Company
from enterprises.services import resolve_company
from organizations.choices import Role, UnitKind
from organizations.models import Unit
from projects.models import Project
from projects.services import city_of, may_work

from .choices import (
    DEFAULT_CATEGORIES,
    OPEN_STATUSES,
    STATUS_TRANSITIONS,
    EscalationReason,
    MeetingKind,
    ProblemEventKind,
    ProblemStatus,
    Satisfaction,
    Source,
    Urgency,
)
from .models import Decision, Meeting, Problem, ProblemAssignment, ProblemCategory, ProblemEvent

NOT_FOUND = gettext_lazy("未找到该问题，或您无权查看。")
# The third problem of one company in one category goes to supervision (屡诉督办).
REPEAT_THRESHOLD = 3
PROBLEM_FIELDS = (
    "title",
    "description",
    "category",
    "urgency",
    "source",
    "project",
    "company",
    "meeting",
    "raised_on",
    "status",
    "due_on",
    "lead_department",
    "answer",
    "satisfaction",
    "reopen_count",
    "escalated",
)


# --- Small helpers ---------------------------------------------------------------------------


def is_office(actor, owner):
    return _holds_over(actor, owner, Role.OFFICE_STAFF)


def _text(value):
    return " ".join(str(value or "").split())


def _lock(problem):
    try:
        return Problem.objects.select_for_update(of=("self",)).select_related("owner", "project").get(pk=problem.pk)
    except Problem.DoesNotExist:
        raise PermissionDenied(NOT_FOUND)


def _check_move(problem, to):
    now = ProblemStatus(problem.status)
    if to not in STATUS_TRANSITIONS[now]:
        raise ValidationError(
            _("问题当前为“%(now)s”，不能改为“%(to)s”。") % {"now": now.label, "to": ProblemStatus(to).label}
        )


def _event(problem, kind, actor, *, unit=None, note=""):
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return ProblemEvent.objects.create(problem=problem, kind=kind, actor=actor, unit=unit, note=note or "")


def _audit(actor, problem, before, action=AuditAction.STATE_CHANGE, message=""):
    old, new = audit.changed(before, audit.snapshot(problem, PROBLEM_FIELDS))
    audit.record(action=action, actor=actor, obj=problem, before=old, after=new, message=message)


def _date(value, field, label, *, required=True):
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        from core.parsing import ParseError, parse_date

        try:
            value = parse_date(value)
        except ParseError as exc:
            raise ValidationError({field: str(exc)})
    return value


def categories_for(owner) -> list[ProblemCategory]:
    """The city's problem categories; made with the defaults the first time they are needed."""
    found = list(ProblemCategory.objects.filter(owner=owner).order_by("sort_order", "id"))
    if found:
        return found
    for i, (code, name, days) in enumerate(DEFAULT_CATEGORIES):
        ProblemCategory.objects.get_or_create(
            owner=owner, code=code, defaults={"name": str(name), "due_days": days, "sort_order": i}
        )
    return list(ProblemCategory.objects.filter(owner=owner).order_by("sort_order", "id"))


def _next_number(owner, prefix):
    """A number people can read out on the phone: 问题 WT2023-000123, complaints TS2023-…, unguessable tail."""
    year = timezone.localdate().year
    count = Problem.objects.filter(owner=owner, number__startswith=f"{prefix}{year}-").count() + 1
    # Numbers are unique across cities, whose counts run side by side: draw the tail again on a clash
    # (and, should a count's every tail be taken, move on to the next count).
    for attempt in range(1000):
        number = f"{prefix}{year}-{count + attempt // 48:05d}{secrets.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}"
        if not Problem.objects.filter(number=number).exists():
            return number
    raise RuntimeError("no free problem number")


@transaction.atomic
def save_category(*, actor, owner, code, name, due_days, sort_order=0, active=True, category=None):
    """The office sets a category's name and how many working days the departments have."""
    if not is_office(actor, owner):
        raise PermissionDenied(_("只有本市招商中心可以设置问题类别。"))
    name = _text(name)[:50]
    if not name:
        raise ValidationError({"name": _("请填写类别名称。")})
    try:
        due_days = int(due_days)
    except (TypeError, ValueError):
        raise ValidationError({"due_days": _("办理时限须为 1 到 90 个工作日。")})
    if not 1 <= due_days <= 90:
        raise ValidationError({"due_days": _("办理时限须为 1 到 90 个工作日。")})
    categories_for(owner)
    if category is None:
        if ProblemCategory.objects.filter(owner=owner, code=code).exists():
            raise ValidationError({"code": _("编码“%(code)s”已被使用。") % {"code": code}})
        category = ProblemCategory(owner=owner, code=code)
    before = audit.snapshot(category, ("name", "due_days", "sort_order", "active")) if category.pk else None
    category.name, category.due_days, category.sort_order, category.active = name, due_days, sort_order, active
    category.save()
    after = audit.snapshot(category, ("name", "due_days", "sort_order", "active"))
    audit.record(
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=actor,
        obj=category,
        before=before,
        after=after,
    )
    return category


# --- Raising -----------------------------------------------------------------------------------


def may_raise(actor, *, owner, project=None):
    """The office, a project's 包联 side (it works the project), or any county, zone or department of the city."""
    if is_office(actor, owner):
        return True
    if project is not None and may_work(actor, project):
        return True
    # Works at or under the city (a county's staff hold their role below it, not over it).
    paths = scope_of(actor).paths(Role.COUNTY_STAFF, Role.DEPARTMENT_STAFF, Role.TEAM_LEADER, Role.TEAM_MEMBER)
    return any(path.startswith(owner.path) or owner.path.startswith(path) for path in paths)


def _raised_unit(actor):
    scope = scope_of(actor)
    ids = scope.unit_ids(Role.COUNTY_STAFF, Role.DEPARTMENT_STAFF, Role.TEAM_LEADER, Role.TEAM_MEMBER)
    ids = ids or scope.unit_ids(Role.OFFICE_STAFF)
    return Unit.objects.filter(pk__in=ids).order_by("depth").first()


def _maybe_escalate(problem, actor):
    """The same company's third problem of one category goes to supervision (屡诉督办)."""
    if problem.company_id is None or problem.escalated:
        return
    same = Problem.objects.filter(company_id=problem.company_id, category_id=problem.category_id).count()
    if same >= REPEAT_THRESHOLD:
        escalate(problem, EscalationReason.REPEATED, actor)


def escalate(problem, reason, actor=None):
    """Put a problem on the supervision list (the office and the unit's leader see it); once is enough."""
    if problem.escalated:
        return
    problem.escalated = reason
    problem.escalated_at = timezone.now()
    problem.save(update_fields=["escalated", "escalated_at", "updated_at"])
    _event(problem, ProblemEventKind.ESCALATED, actor, note=EscalationReason(reason).label)


@transaction.atomic
def raise_problem(
    *,
    actor,
    title,
    description,
    category,
    project=None,
    company=None,
    company_name="",
    source=Source.SERVICE_TEAM,
    meeting=None,
    urgency=Urgency.NORMAL,
    raised_on=None,
    owner=None,
    files=(),
) -> Problem:
    """Raise a problem for a project or a company (at a meeting, the dispatch, a visit …)."""
    if project is not None and not Project.objects.visible_to(actor).filter(pk=project.pk).exists():
        raise ValidationError({"project": _("所选项目不存在，或您无权查看。")})
    if meeting is not None and not Meeting.objects.visible_to(actor).filter(pk=meeting.pk).exists():
        raise ValidationError({"meeting": _("所选会议不存在，或您无权查看。")})
    owner = project.owner if project is not None else (meeting.owner if meeting is not None else owner)
    if owner is None:
        unit = _raised_unit(actor)
        owner = city_of(unit) if unit is not None and unit.kind != UnitKind.CITY else unit
    if owner is None:
        raise PermissionDenied(_("您没有可提出问题的单位。"))
    if not may_raise(actor, owner=owner, project=project):
        raise PermissionDenied(_("您无权为该项目或企业提出问题。"))
    if category is None or category.owner_id != owner.pk or not category.active:
        raise ValidationError({"category": _("请选择本市在用的问题类别。")})
    title, description = _text(title)[:200], (description or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写问题标题。")})
    if not description:
        raise ValidationError({"description": _("请描述问题。")})
    if source not in Source.values:
        raise ValidationError({"source": _("无效的提出渠道。")})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("无效的紧急程度。")})
    raised_on = _date(raised_on or timezone.localdate(), "raised_on", _("提出日期"))
    if raised_on > timezone.localdate():
        raise ValidationError({"raised_on": _("提出日期不能晚于今天。")})
    if company is None and company_name:
        company, _created = resolve_company(actor=actor, owner=owner, name=_text(company_name))
    if company is None and project is not None:
        company = project.investors.order_by("id").first()
    if company is not None and company.merged_into_id:
        company = company.merged_into
    problem = Problem(
        owner=owner,
        number=_next_number(owner, "WT"),
        title=title,
        description=description,
        category=category,
        urgency=urgency,
        source=Source.MEETING if meeting is not None else source,
        project=project,
        company=company,
        meeting=meeting,
        raised_on=raised_on,
        raised_by=actor,
        raised_unit=_raised_unit(actor),
    )
    problem.save()
    if files:
        attach_files(actor=actor, record=problem, files=files)
    _event(problem, ProblemEventKind.RAISED, actor, unit=problem.raised_unit)
    audit.record(action=AuditAction.CREATE, actor=actor, obj=problem, after=audit.snapshot(problem, PROBLEM_FIELDS))
    _maybe_escalate(problem, actor)
    return problem


# --- Assigning and handling --------------------------------------------------------------------------


def may_assign(actor, problem):
    """The office, or the project's service team (those who work the project)."""
    return is_office(actor, problem.owner) or (problem.project is not None and may_work(actor, problem.project))


def _department_of(actor, problem):
    """The assigned department the actor works in (the lead one first), or None."""
    scope = scope_of(actor)
    paths = scope.paths(Role.DEPARTMENT_STAFF)
    for assignment in problem.assignments.select_related("department").order_by("-is_lead", "id"):
        if any(assignment.department.path.startswith(p) for p in paths):
            return assignment
    return None


@transaction.atomic
def assign_problem(*, actor, problem, departments, lead_department=None, due_on=None, note="") -> Problem:
    """Assign to one department, or to several with one in the lead (有诉联办); due by the category's days."""
    problem = _lock(problem)
    if not may_assign(actor, problem):
        raise PermissionDenied(_("只有招商中心或项目服务专班可以交办问题。"))
    _check_move(problem, ProblemStatus.ASSIGNED)
    departments = list(dict.fromkeys(d for d in departments or () if d is not None))
    if not departments:
        raise ValidationError({"departments": _("请选择承办部门。")})
    for unit in departments:
        if unit.kind != UnitKind.DEPARTMENT:
            raise ValidationError({"departments": _("“%(name)s”不是职能部门，不能承办问题。") % {"name": unit.name}})
        if not unit.path.startswith(problem.owner.path) or not unit.active:
            raise ValidationError({"departments": _("“%(name)s”不是本市的在用部门。") % {"name": unit.name}})
    lead_department = lead_department or departments[0]
    if lead_department not in departments:
        raise ValidationError({"lead_department": _("牵头部门须是承办部门之一。")})
    default_due = add_working_days(problem.raised_on, problem.category.due_days)
    due_on = _date(due_on, "due_on", _("办理期限"), required=False) or default_due
    if due_on < problem.raised_on:
        raise ValidationError({"due_on": _("办理期限不能早于提出日期（%(date)s）。") % {"date": problem.raised_on}})
    before = audit.snapshot(problem, PROBLEM_FIELDS)
    problem.assignments.exclude(department__in=departments).delete()
    for unit in departments:
        ProblemAssignment.objects.update_or_create(
            problem=problem, department=unit, defaults={"is_lead": unit == lead_department, "accepted_at": None}
        )
    problem.status = ProblemStatus.ASSIGNED
    problem.lead_department = lead_department
    problem.due_on = due_on
    problem.assigned_at = timezone.now()
    problem.save()
    names = "、".join(u.name for u in departments)
    _event(
        problem,
        ProblemEventKind.ASSIGNED,
        actor,
        unit=lead_department,
        note=_("交办：%(names)s，%(lead)s牵头，%(due)s前办结")
        % {"names": names, "lead": lead_department.name, "due": due_on}
        + (f"；{note}" if note else ""),
    )
    _audit(actor, problem, before)
    return problem


@transaction.atomic
def accept_problem(*, actor, problem) -> Problem:
    """A department accepts its part; the problem is 受理 once the lead department has."""
    problem = _lock(problem)
    assignment = _department_of(actor, problem)
    if assignment is None:
        raise PermissionDenied(_("该问题未交办给您的部门。"))
    if problem.status not in (ProblemStatus.ASSIGNED, ProblemStatus.REOPENED):
        raise ValidationError(_("问题当前为“%(now)s”，无需受理。") % {"now": problem.get_status_display()})
    if assignment.accepted_at:
        raise ValidationError(_("您的部门已受理该问题。"))
    before = audit.snapshot(problem, PROBLEM_FIELDS)
    assignment.accepted_at = timezone.now()
    assignment.save(update_fields=["accepted_at"])
    if assignment.is_lead:
        problem.status = ProblemStatus.ACCEPTED
        problem.save()
    _event(problem, ProblemEventKind.ACCEPTED, actor, unit=assignment.department)
    _audit(actor, problem, before)
    return problem


@transaction.atomic
def answer_problem(*, actor, problem, answer, solved=False) -> Problem:
    """A department answers; the lead department marks it solved (办结), awaiting the raiser's confirmation."""
    problem = _lock(problem)
    assignment = _department_of(actor, problem)
    if assignment is None:
        raise PermissionDenied(_("该问题未交办给您的部门。"))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("请填写办理答复。")})
    if problem.status not in (ProblemStatus.ASSIGNED, ProblemStatus.ACCEPTED, ProblemStatus.REOPENED):
        raise ValidationError(_("问题当前为“%(now)s”，不能答复。") % {"now": problem.get_status_display()})
    if solved and not assignment.is_lead:
        raise ValidationError({"solved": _("只有牵头部门可以办结问题；协办部门请填写办理意见。")})
    before = audit.snapshot(problem, PROBLEM_FIELDS)
    assignment.note = answer
    if assignment.accepted_at is None:
        assignment.accepted_at = timezone.now()
    assignment.save(update_fields=["note", "accepted_at"])
    if solved:
        _check_move(problem, ProblemStatus.SOLVED)
        now = timezone.now()
        problem.status = ProblemStatus.SOLVED
        problem.answer = answer
        problem.solved_at = now
        today = timezone.localdate(now)
        problem.same_day = problem.assigned_at is not None and timezone.localdate(problem.assigned_at) == today
        problem.on_time = problem.due_on is None or today <= problem.due_on
        problem.save()
    _event(
        problem,
        ProblemEventKind.SOLVED if solved else ProblemEventKind.ANSWERED,
        actor,
        unit=assignment.department,
        note=answer,
    )
    _audit(actor, problem, before)
    return problem


def may_confirm(actor, problem):
    """The raiser's side: the office, the project's service team, or the one who raised it."""
    return (
        is_office(actor, problem.owner)
        or (problem.project is not None and may_work(actor, problem.project))
        or (problem.raised_by_id is not None and problem.raised_by_id == getattr(actor, "pk", None))
    )


@transaction.atomic
def confirm_problem(*, actor, problem, satisfaction, note="") -> Problem:
    """The raiser accepts the answer, with a satisfaction grade: 事事有回音."""
    problem = _lock(problem)
    if not may_confirm(actor, problem):
        raise PermissionDenied(_("只有问题提出方（服务专班、招商中心或提出人）可以确认办结。"))
    return _close(problem, actor, satisfaction, note)


def _close(problem, actor, satisfaction, note):
    _check_move(problem, ProblemStatus.CLOSED)
    try:
        satisfaction = Satisfaction(int(satisfaction))
    except (TypeError, ValueError):
        raise ValidationError({"satisfaction": _("请选择满意度。")})
    before = audit.snapshot(problem, PROBLEM_FIELDS)
    problem.status = ProblemStatus.CLOSED
    problem.satisfaction = satisfaction
    problem.closed_at = timezone.now()
    problem.save()
    _event(problem, ProblemEventKind.CLOSED, actor, note=" · ".join(p for p in (str(satisfaction.label), note) if p))
    _audit(actor, problem, before)
    return problem


@transaction.atomic
def reopen_problem(*, actor, problem, reason) -> Problem:
    """The raiser does not accept the answer: back to the departments, and to supervision (屡诉督办)."""
    problem = _lock(problem)
    if not may_confirm(actor, problem):
        raise PermissionDenied(_("只有问题提出方（服务专班、招商中心或提出人）可以退回重办。"))
    return _reopen(problem, actor, reason)


def _reopen(problem, actor, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请说明退回重办的原因。")})
    _check_move(problem, ProblemStatus.REOPENED)
    before = audit.snapshot(problem, PROBLEM_FIELDS)
    problem.status = ProblemStatus.REOPENED
    problem.reopen_count += 1
    problem.solved_at = None
    problem.same_day = problem.on_time = False
    problem.save()
    problem.assignments.update(accepted_at=None)
    _event(problem, ProblemEventKind.REOPENED, actor, note=reason)
    escalate(problem, EscalationReason.REOPENED, actor)
    _audit(actor, problem, before)
    return problem


def escalate_overdue(today=None) -> int:
    """Put every open problem past its due date on the supervision list (run daily; also on each list view)."""
    today = today or timezone.localdate()
    count = 0
    for problem in Problem.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today, escalated=""):
        with transaction.atomic():
            escalate(problem, EscalationReason.OVERDUE)
            count += 1
    return count


# --- The public complaint form (接诉即办) -----------------------------------------------------------------


def _clean_phone(phone):
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    if not 7 <= len(digits) <= 15:
        raise ValidationError({"contact_phone": _("请填写正确的联系电话。")})
    return digits


@transaction.atomic
def submit_complaint(*, owner, company_name, contact_name, contact_phone, category, description, files=()):
    """A company files a complaint about the business environment without logging in; it gets a tracking number."""
    company_name = _text(company_name)[:200]
    contact_name = _text(contact_name)[:50]
    description = (description or "").strip()
    if not company_name:
        raise ValidationError({"company_name": _("请填写企业名称。")})
    if not contact_name:
        raise ValidationError({"contact_name": _("请填写联系人。")})
    phone = _clean_phone(contact_phone)
    if category is None or category.owner_id != owner.pk or not category.active:
        raise ValidationError({"category": _("请选择问题类别。")})
    if len(description) < 10:
        raise ValidationError({"description": _("请具体描述问题（至少 10 个字）。")})
    if len(description) > 5000:
        raise ValidationError({"description": _("问题描述请控制在 5000 字以内。")})
    company = Company.objects.filter(owner=owner, name=company_name, merged_into__isnull=True).first()
    problem = Problem(
        owner=owner,
        number=_next_number(owner, "TS"),
        title=_("%(company)s：%(category)s问题") % {"company": company_name, "category": category.name},
        description=description,
        category=category,
        source=Source.HOTLINE,
        company=company,
        raised_on=timezone.localdate(),
        is_complaint=True,
        contact_name=contact_name,
        contact_phone=phone,
    )
    problem.save()
    if files:
        attach_files(actor=None, record=problem, files=files)
    _event(
        problem,
        ProblemEventKind.RAISED,
        None,
        note=_("企业通过“接诉即办”提交：%(company)s") % {"company": company_name},
    )
    audit.record(
        action=AuditAction.CREATE, obj=problem, actor_name=_("公众"), after=audit.snapshot(problem, PROBLEM_FIELDS)
    )
    return problem


def find_complaint(number, phone):
    """The complaint with this number filed with this phone, or None (never says which of the two is wrong)."""
    try:
        digits = _clean_phone(phone)
    except ValidationError:
        return None
    return Problem.objects.filter(
        is_complaint=True, number=str(number or "").strip().upper(), contact_phone=digits
    ).first()


@transaction.atomic
def respond_to_complaint(*, number, phone, accept, satisfaction=None, reason=""):
    """The company, with its number and phone, accepts the answer (with a grade) or reopens the complaint."""
    found = find_complaint(number, phone)
    if found is None:
        raise ValidationError(_("编号或联系电话不正确。"))
    problem = _lock(found)
    if accept:
        return _close(problem, None, satisfaction, _("企业确认"))
    return _reopen(problem, None, reason)


# --- Meetings ----------------------------------------------------------------------------------------


def _check_meeting_host(actor, unit):
    if unit is None or unit.kind not in (UnitKind.CITY, UnitKind.COUNTY, UnitKind.ZONE, UnitKind.DEPARTMENT):
        raise ValidationError({"host_unit": _("主办单位须为市、县（市、区）、开发区或部门。")})
    owner = unit if unit.kind == UnitKind.CITY else city_of(unit)
    if owner is None:
        raise ValidationError({"host_unit": _("主办单位不属于任何城市。")})
    if not (is_office(actor, owner) or _holds_over(actor, unit, Role.COUNTY_STAFF, Role.DEPARTMENT_STAFF)):
        raise PermissionDenied(_("您无权以该单位名义登记会议。"))
    return owner


MEETING_FIELDS = ("host_unit", "kind", "title", "held_on", "place", "attendees", "summary")


@transaction.atomic
def create_meeting(
    *, actor, host_unit, kind, title, held_on, place="", attendees="", summary="", companies=(), projects=()
) -> Meeting:
    """A 政企对接 meeting, a monthly dispatch, a joint meeting or an expert review."""
    owner = _check_meeting_host(actor, host_unit)
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("无效的会议类型。")})
    title = _text(title)[:200]
    if not title:
        raise ValidationError({"title": _("请填写会议名称。")})
    meeting = Meeting.objects.create(
        owner=owner,
        host_unit=host_unit,
        kind=kind,
        title=title,
        held_on=_date(held_on, "held_on", _("会议日期")),
        place=_text(place)[:200],
        attendees=(attendees or "").strip(),
        summary=(summary or "").strip(),
        created_by=actor,
    )
    visible_projects = Project.objects.visible_to(actor).filter(pk__in=[p.pk for p in projects or ()])
    if len(visible_projects) != len(set(p.pk for p in projects or ())):
        raise ValidationError({"projects": _("所选项目不存在，或您无权查看。")})
    meeting.projects.set(visible_projects)
    meeting.companies.set(Company.objects.visible_to(actor).filter(pk__in=[c.pk for c in companies or ()]))
    audit.record(action=AuditAction.CREATE, actor=actor, obj=meeting, after=audit.snapshot(meeting, MEETING_FIELDS))
    return meeting


@transaction.atomic
def add_decision(*, actor, meeting, text, owner_unit=None, owner_name="", due_on=None) -> Decision:
    """A decision of the meeting, with its owner and due date."""
    _check_meeting_host(actor, meeting.host_unit)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写议定事项。")})
    due_on = _date(due_on, "due_on", _("完成时限"), required=False)
    if due_on and due_on < meeting.held_on:
        raise ValidationError({"due_on": _("完成时限不能早于会议日期。")})
    if owner_unit is not None and not owner_unit.path.startswith(meeting.owner.path):
        raise ValidationError({"owner_unit": _("责任单位须为本市单位。")})
    decision = Decision.objects.create(
        meeting=meeting, text=text, owner_unit=owner_unit, owner_name=_text(owner_name)[:50], due_on=due_on
    )
    audit.record(action=AuditAction.CREATE, actor=actor, obj=meeting, after={"decision": text, "due_on": due_on})
    return decision


@transaction.atomic
def complete_decision(*, actor, decision, done_on=None) -> Decision:
    _check_meeting_host(actor, decision.meeting.host_unit)
    decision.done_on = _date(done_on or timezone.localdate(), "done_on", _("完成日期"))
    decision.save(update_fields=["done_on"])
    audit.record(action=AuditAction.UPDATE, actor=actor, obj=decision.meeting, after={"decision_done": decision.pk})
    return decision
