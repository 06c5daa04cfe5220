"""Where reminders come from: overdue leads and problems, late progress reports, targets behind.

Each source is `(user, today) -> list[Reminder]` (core.reminders), reads only what the user may see
(`visible_to(user)`) and costs a fixed number of queries however many records are late: one
aggregate query with a filtered count per unit the user works for, never a query per record.

A reminder names a unit where the user holds a role (its `detail`) and links to the list that holds
exactly the records it counts, where such a filter exists:

- leads: the office of a city — leads not assessed in time (the assessment queue, "逾期" filter);
  a county or zone — leads pushed to it and neither accepted nor sent back by their feedback date
  (its incoming queue), and leads it accepted with no follow-up recorded by that date (its accepted
  leads: the lead list has no filter for "no follow-up", so the list is the closest one);
- problems: a department — problems assigned to it, past their due date and not answered (its inbox,
  "逾期" filter); the office — the supervision list (escalated or overdue); a project's 包联 leader and
  service team — the supervision list of their projects;
- progress: a county, zone or department working signed projects — last month's report missing after
  its due day or sent late (the project list's filter);
- targets: the people of a team, squad, county or zone — their unit's targets covering today that are
  behind (时间过半、任务过半); a person — their own; the office — a summary of the city's.

Keys are stable per unit (and month where it matters): everyone of a county shares the county's key,
so a city's group robot names each late item once. Personal reminders carry ":person:" in their key.
"""

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.reminders import Reminder
from core.scope import scope_of
from organizations.choices import Role, UnitKind
from organizations.models import Unit

from .choices import ReminderKind, Severity

# Units whose own targets their people are reminded of (the city's targets are the office's summary).
TARGET_MEMBER_KINDS = (UnitKind.TEAM, UnitKind.SQUAD, UnitKind.COUNTY, UnitKind.ZONE)


def _url(name, **params):
    params = {k: v for k, v in params.items() if v not in (None, "")}
    base = reverse(name)
    return f"{base}?{urlencode(params)}" if params else base


def held_units(user):
    """{unit id: unit} of every active unit where the user holds a role: one query, memoised on the user."""
    cached = getattr(user, "_zs_reminder_units", None)
    if cached is not None:
        return cached
    ids = scope_of(user).unit_ids()
    found = {}
    if ids:
        rows = Unit.objects.filter(pk__in=ids, active=True).only("id", "name", "path", "kind").order_by("path")
        found = {unit.pk: unit for unit in rows}
    try:
        user._zs_reminder_units = found
    except AttributeError:  # AnonymousUser and the like
        pass
    return found


def units_for(user, *roles, kinds=None):
    """The units where the user holds one of `roles`, in tree order (no query beyond `held_units`)."""
    units = held_units(user)
    found = [units[i] for i in scope_of(user).unit_ids(*roles) if i in units]
    if kinds is not None:
        found = [u for u in found if u.kind in kinds]
    return sorted(found, key=lambda u: u.path)


def _danger(kind, title, url, unit, key):
    return Reminder(
        kind=kind, title=title, url=url, detail=unit.name if unit else "", severity=Severity.DANGER, key=key
    )


# --- Leads ---------------------------------------------------------------------------------------------------------


def lead_reminders(user, today):
    """The office: leads it has not assessed in time. A county or zone: leads pushed to it left unanswered, and
    leads it accepted without a follow-up by their feedback date."""
    from leads.choices import LeadStatus
    from leads.models import FollowUp, Lead
    from leads.selectors import PENDING_STATUSES

    offices = units_for(user, Role.OFFICE_STAFF)
    counties = units_for(user, Role.COUNTY_STAFF)
    if not offices and not counties:
        return []
    # As leads.selectors.overdue, which the queue's "逾期" filter applies: the office still owes an answer, late.
    not_assessed = Q(status__in=PENDING_STATUSES) & (Q(assess_due__lt=today) | Q(feedback_due__lt=today))
    late = Q(feedback_due__lt=today)
    terms = {}
    for unit in offices:
        terms[f"assess_{unit.pk}"] = Count("id", filter=not_assessed & Q(owner__path__startswith=unit.path))
    for unit in counties:
        held = Q(receiving_unit__path__startswith=unit.path) & late
        terms[f"dispatch_{unit.pk}"] = Count("id", filter=held & Q(status=LeadStatus.DISPATCHED))
        terms[f"follow_{unit.pk}"] = Count("id", filter=held & Q(status=LeadStatus.ACCEPTED, has_follow_up=False))
    leads = Lead.objects.visible_to(user)
    if counties:
        leads = leads.annotate(has_follow_up=Exists(FollowUp.objects.filter(lead=OuterRef("pk"))))
    row = leads.order_by().aggregate(**terms)

    out = []
    kind = ReminderKind.LEAD_OVERDUE
    for unit in offices:
        n = row[f"assess_{unit.pk}"]
        if n:
            title = _("%(n)d 条线索逾期未研判") % {"n": n}
            url = _url("leads:assessment_queue", overdue="true")
            out.append(_danger(kind, title, url, unit, f"{kind}:assess:{unit.pk}"))
    for unit in counties:
        n = row[f"dispatch_{unit.pk}"]
        if n:
            title = _("%(n)d 条推送线索逾期未接收或退回") % {"n": n}
            url = _url("leads:incoming", unit=unit.pk)
            out.append(_danger(kind, title, url, unit, f"{kind}:dispatch:{unit.pk}"))
        n = row[f"follow_{unit.pk}"]
        if n:
            title = _("%(n)d 条已接收线索逾期未反馈跟进情况") % {"n": n}
            url = _url("leads:lead_list", unit=unit.pk, status=LeadStatus.ACCEPTED)
            out.append(_danger(kind, title, url, unit, f"{kind}:follow_up:{unit.pk}"))
    return out


# --- Problems ------------------------------------------------------------------------------------------------------

# Who reads the supervision list (service.views.common.SERVICE_ROLES).
SERVICE_ROLES = (
    Role.OFFICE_STAFF,
    Role.COUNTY_STAFF,
    Role.DEPARTMENT_STAFF,
    Role.TEAM_LEADER,
    Role.TEAM_MEMBER,
    Role.LEADER,
)


def problem_reminders(user, today):
    """A department: problems assigned to it, past due and not answered. The office, and a project's 包联 leader
    and service team: problems in supervision (escalated, or open past their due date)."""
    from projects.models import ProjectTeamMember
    from service.choices import OPEN_STATUSES, ProblemStatus
    from service.models import Problem, ProblemAssignment
    from service.selectors import overdue_q

    scope = scope_of(user)
    offices = units_for(user, Role.OFFICE_STAFF)
    departments = units_for(user, Role.DEPARTMENT_STAFF)
    # Whoever holds the office role already sees every supervised problem of the city.
    baolian = not offices and scope.has(*SERVICE_ROLES)
    if not offices and not departments and not baolian:
        return []
    overdue = overdue_q(today)
    # As service.selectors.supervision, which the supervision list shows.
    supervised = (~Q(escalated="") & Q(status__in=[*OPEN_STATUSES, ProblemStatus.SOLVED])) | overdue
    terms = {}
    for unit in offices:
        terms[f"office_{unit.pk}"] = Count("id", filter=supervised & Q(owner__path__startswith=unit.path))
    for unit in departments:
        assigned = ProblemAssignment.objects.filter(problem=OuterRef("pk"), department__path__startswith=unit.path)
        terms[f"dept_{unit.pk}"] = Count("id", filter=overdue & Q(Exists(assigned)))
    if baolian:
        served = ProjectTeamMember.objects.filter(user_id=user.pk).values("project_id")
        mine = supervised & (Q(project__leader_id=user.pk) | Q(project_id__in=served))
        terms["baolian"] = Count("id", filter=mine)
        terms["baolian_projects"] = Count("project", filter=mine, distinct=True)
        terms["baolian_project"] = Min("project", filter=mine)
    row = Problem.objects.visible_to(user).order_by().aggregate(**terms)

    out = []
    kind = ReminderKind.PROBLEM_OVERDUE
    for unit in departments:
        n = row[f"dept_{unit.pk}"]
        if n:
            title = _("%(n)d 个交办问题逾期未办结") % {"n": n}
            url = _url("service:inbox", overdue="true", department=unit.pk)
            out.append(_danger(kind, title, url, unit, f"{kind}:department:{unit.pk}"))
    for unit in offices:
        n = row[f"office_{unit.pk}"]
        if n:
            title = _("%(n)d 个问题逾期或督办中") % {"n": n}
            out.append(_danger(kind, title, _url("service:supervision"), unit, f"{kind}:supervision:{unit.pk}"))
    if baolian and row["baolian"]:
        one = row["baolian_project"] if row["baolian_projects"] == 1 else None
        title = _("您包联或服务的项目有 %(n)d 个问题逾期或督办中") % {"n": row["baolian"]}
        url = _url("service:supervision", project=one)
        out.append(_danger(kind, title, url, None, f"{kind}:person:{user.pk}"))
    return out


# --- Monthly progress ----------------------------------------------------------------------------------------------


def progress_reminders(user, today):
    """A county, zone or department: its signed projects whose last month's report is missing after the due day
    (or came late) — the project list's "上月进展未报或逾期" filter, for that unit."""
    from projects.models import Project
    from projects.selectors import REPORTING_STAGES, overdue_report_q, previous_month

    units = units_for(user, Role.COUNTY_STAFF, Role.DEPARTMENT_STAFF)
    if not units:
        return []
    month = previous_month(today)
    terms = {
        f"u{unit.pk}": Count(
            "id", filter=Q(host_unit__path__startswith=unit.path) | Q(responsible_unit__path__startswith=unit.path)
        )
        for unit in units
    }
    late = Q(stage__in=REPORTING_STAGES) & overdue_report_q(month, today)
    row = Project.objects.visible_to(user).filter(late).order_by().aggregate(**terms)
    out = []
    kind = ReminderKind.PROGRESS_LATE
    for unit in units:
        n = row[f"u{unit.pk}"]
        if n:
            title = _("%(n)d 个项目%(year)d年%(month)d月进展未按期报送") % {
                "n": n,
                "year": month.year,
                "month": month.month,
            }
            url = _url("projects:project_list", overdue_report="true", unit=unit.pk)
            out.append(_danger(kind, title, url, unit, f"{kind}:{unit.pk}:{month:%Y-%m}"))
    return out


# --- Targets -------------------------------------------------------------------------------------------------------


def target_reminders(user, today):
    """Targets covering today whose share reached trails the share of their period gone (targets.selectors)."""
    from targets import selectors as target_selectors
    from targets.models import Target

    members = units_for(user, kinds=TARGET_MEMBER_KINDS)
    offices = units_for(user, Role.OFFICE_STAFF)
    wanted = Q(person_id=user.pk)
    if members:
        wanted |= Q(unit_id__in=[u.pk for u in members])
    for unit in offices:
        wanted |= Q(owner__path__startswith=unit.path, unit__isnull=False)
    targets = list(
        Target.objects.visible_to(user)
        .filter(wanted, start__lte=today, end__gte=today)
        .select_related("unit", "owner")
        .order_by("id")
    )
    if not targets:
        return []
    behind = [p.target for p in target_selectors.progress(targets, today=today) if p.behind]
    if not behind:
        return []

    out = []
    kind = ReminderKind.TARGET_BEHIND
    warning = Severity.WARNING
    for unit in members:
        n = sum(1 for t in behind if t.unit_id == unit.pk)
        if n:
            out.append(
                Reminder(
                    kind=kind,
                    title=_("%(n)d 项目标进度落后") % {"n": n},
                    url=_url("targets:unit_progress", unit=unit.pk),
                    detail=unit.name,
                    severity=warning,
                    key=f"{kind}:unit:{unit.pk}",
                )
            )
    mine = sum(1 for t in behind if t.person_id == user.pk)
    if mine:
        home = user.home_unit_id if user.home_unit_id and _within_scope(user, user.home_unit_id) else None
        out.append(
            Reminder(
                kind=kind,
                title=_("您有 %(n)d 项个人目标进度落后") % {"n": mine},
                url=_url("targets:unit_progress", unit=home),
                severity=warning,
                key=f"{kind}:person:{user.pk}",
            )
        )
    for unit in offices:
        lagging = [t for t in behind if t.unit_id and t.owner.path.startswith(unit.path)]
        if lagging:
            out.append(
                Reminder(
                    kind=kind,
                    title=_("%(units)d 个单位的 %(n)d 项目标进度落后")
                    % {"units": len({t.unit_id for t in lagging}), "n": len(lagging)},
                    url=_url("targets:city_progress"),
                    detail=unit.name,
                    severity=warning,
                    key=f"{kind}:city:{unit.pk}",
                )
            )
    return out


def _within_scope(user, unit_id):
    """Whether the unit progress page would show `unit_id` to the user (at or under a unit where they hold a role)."""
    units = held_units(user)
    if unit_id in units:
        return True
    home = getattr(user, "home_unit", None)
    return home is not None and any(home.path.startswith(p) for p in scope_of(user).paths())


SOURCES = (lead_reminders, problem_reminders, progress_reminders, target_reminders)
