"""Reading problems and meetings: a department's inbox, the supervision list, the figures, a dispatch agenda."""

from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils import timezone

from core.scope import scope_of
from organizations.choices import Role

from .choices import OPEN_STATUSES, ProblemStatus
from .models import Meeting, Problem, ProblemAssignment


def problems_for(user):
    return Problem.objects.visible_to(user)


def meetings_for(user):
    return Meeting.objects.visible_to(user)


def overdue_q(today=None):
    today = today or timezone.localdate()
    return Q(status__in=OPEN_STATUSES, due_on__lt=today)


def inbox(user):
    """What the user's departments must handle: assigned to them and not yet solved."""
    scope = scope_of(user)
    mine = ProblemAssignment.objects.filter(scope.subtree_q("department__path", Role.DEPARTMENT_STAFF))
    return problems_for(user).filter(Exists(mine.filter(problem=OuterRef("pk"))), status__in=OPEN_STATUSES)


def supervision(user, today=None):
    """屡诉督办: escalated problems still open, and any open problem past its due date."""
    return problems_for(user).filter(
        (~Q(escalated="") & Q(status__in=[*OPEN_STATUSES, ProblemStatus.SOLVED])) | overdue_q(today)
    )


def figures(problems, today=None):
    """Raised, solved, on time, reopened, satisfaction and 日清日结 for a set of problems (one query)."""
    solved_q = Q(status__in=[ProblemStatus.SOLVED, ProblemStatus.CLOSED])
    row = problems.order_by().aggregate(
        raised=Count("id"),
        solved=Count("id", filter=solved_q),
        on_time=Count("id", filter=solved_q & Q(on_time=True)),
        same_day=Count("id", filter=solved_q & Q(same_day=True)),
        reopened=Count("id", filter=Q(reopen_count__gt=0)),
        overdue=Count("id", filter=overdue_q(today)),
        satisfaction=Avg("satisfaction"),
    )
    solved = row["solved"]
    row["on_time_share"] = round(row["on_time"] * 100 / solved, 1) if solved else None
    row["same_day_share"] = round(row["same_day"] * 100 / solved, 1) if solved else None
    row["satisfaction"] = round(row["satisfaction"], 2) if row["satisfaction"] is not None else None
    return row


def figures_by(problems, field, today=None):
    """The same figures grouped by `field` (e.g. "lead_department", "raised_unit", "category"), one query."""
    solved_q = Q(status__in=[ProblemStatus.SOLVED, ProblemStatus.CLOSED])
    rows = (
        problems.order_by()
        .values(field, f"{field}__name")
        .annotate(
            raised=Count("id"),
            solved=Count("id", filter=solved_q),
            on_time=Count("id", filter=solved_q & Q(on_time=True)),
            same_day=Count("id", filter=solved_q & Q(same_day=True)),
            reopened=Count("id", filter=Q(reopen_count__gt=0)),
            overdue=Count("id", filter=overdue_q(today)),
            satisfaction=Avg("satisfaction"),
        )
        .order_by(f"{field}__name")
    )
    out = []
    for row in rows:
        solved = row["solved"]
        out.append(
            {
                "key": row[field],
                "name": row[f"{field}__name"],
                "raised": row["raised"],
                "solved": solved,
                "on_time": row["on_time"],
                "same_day": row["same_day"],
                "reopened": row["reopened"],
                "overdue": row["overdue"],
                "on_time_share": round(row["on_time"] * 100 / solved, 1) if solved else None,
                "same_day_share": round(row["same_day"] * 100 / solved, 1) if solved else None,
                "satisfaction": round(row["satisfaction"], 2) if row["satisfaction"] is not None else None,
            }
        )
    return out


def dispatch_agenda(user, unit, today=None):
    """The monthly dispatch agenda of a unit, drafted from its open and overdue problems and its projects' flags."""
    from projects import selectors as project_selectors
    from projects.models import Project

    today = today or timezone.localdate()
    problems = (
        problems_for(user)
        .filter(Q(project__host_unit__path__startswith=unit.path) | Q(raised_unit__path__startswith=unit.path))
        .filter(status__in=OPEN_STATUSES)
        .select_related("project", "category", "lead_department")
        .order_by("due_on", "id")
    )
    month = project_selectors.previous_month(today)
    projects = project_selectors.dispatch_rows(
        Project.objects.visible_to(user).filter(host_unit__path__startswith=unit.path), month
    )
    overdue = [p for p in problems if p.due_on and p.due_on < today]
    return {
        "unit": unit,
        "month": month,
        "overdue": overdue,
        "open": [p for p in problems if not (p.due_on and p.due_on < today)],
        "projects_missing_report": [p for p in projects if not p.reported],
        "projects_pending": [p for p in projects if p.pending],
    }
