"""What the service pages share: the tabs, in what capacity a person stands to a problem, the pager, the links."""

from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.scope import scope_of
from organizations.choices import Role

from .. import services
from ..choices import STATUS_TRANSITIONS, ProblemStatus

NOT_FOUND = gettext_lazy("未找到该记录，或您无权查看。")
# Who raises problems (services.may_raise): the office, counties and zones, departments, the teams.
RAISER_ROLES = (Role.OFFICE_STAFF, Role.COUNTY_STAFF, Role.DEPARTMENT_STAFF, Role.TEAM_LEADER, Role.TEAM_MEMBER)
# Who holds meetings (services.create_meeting): the office, a county or zone, a department.
HOST_ROLES = (Role.OFFICE_STAFF, Role.COUNTY_STAFF, Role.DEPARTMENT_STAFF)
# Who reads the service pages at all (the menu's roles).
SERVICE_ROLES = (*RAISER_ROLES, Role.LEADER)


def not_found():
    return Http404(NOT_FOUND)


def tabs(user):
    """The service pages a person has: all, their department's inbox, supervision, meetings, figures."""
    scope = scope_of(user)
    items = [("all", _("全部"), reverse("service:problem_list"))]
    if scope.has(Role.DEPARTMENT_STAFF):
        items.append(("inbox", _("本部门待办"), reverse("service:inbox")))
    items += [
        ("supervision", _("督办"), reverse("service:supervision")),
        ("meetings", _("会议"), reverse("service:meeting_list")),
        ("figures", _("统计"), reverse("service:figures")),
    ]
    if scope.has(Role.OFFICE_STAFF, Role.COUNTY_STAFF, Role.LEADER):
        items.append(("agenda", _("调度议程"), reverse("service:dispatch_agenda")))
    return items


def my_assignment(user, problem):
    """The assignment of the department the user works in (the lead one first), from the prefetched ones."""
    paths = scope_of(user).paths(Role.DEPARTMENT_STAFF)
    if not paths:
        return None
    found = [a for a in problem.assignments.all() if any(a.department.path.startswith(p) for p in paths)]
    found.sort(key=lambda a: (not a.is_lead, a.pk))
    return found[0] if found else None


def capacity(user, problem):
    """In what capacity `user` stands to `problem`, by the predicates the services enforce (they have the last word)."""
    assignment = my_assignment(user, problem)
    status = problem.status
    confirm = services.may_confirm(user, problem)
    assign = services.may_assign(user, problem)
    handling = (ProblemStatus.ASSIGNED, ProblemStatus.ACCEPTED, ProblemStatus.REOPENED)
    return {
        "assign": assign,
        "department": assignment is not None,
        "lead": assignment is not None and assignment.is_lead,
        "confirm": confirm,
        "office": services.is_office(user, problem.owner),
        "offer": {
            "assign": assign and ProblemStatus.ASSIGNED in STATUS_TRANSITIONS[ProblemStatus(status)],
            "accept": assignment is not None
            and assignment.accepted_at is None
            and status in (ProblemStatus.ASSIGNED, ProblemStatus.REOPENED),
            "answer": assignment is not None and status in handling,
            "confirm": confirm and status == ProblemStatus.SOLVED,
            "reopen": confirm and status == ProblemStatus.SOLVED,
        },
        "assignment": assignment,
    }


def list_url(**params):
    """The problem list filtered as given (None and "" dropped): what a figure links to."""
    params = {k: v for k, v in params.items() if v not in (None, "")}
    url = reverse("service:problem_list")
    return f"{url}?{urlencode(params, doseq=True)}" if params else url
