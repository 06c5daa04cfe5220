"""Problems on a company's page (enterprises.timeline): the problems it raised, as the viewer may see them.

Registered from ServiceConfig.ready(). One entry per problem on the day it was raised; the
units in touch are the lead departments handling them. One query each, through
Problem.objects.visible_to(user).
"""

from django.db.models import Count, Max
from django.utils.translation import gettext_lazy

from enterprises.timeline import TimelineEntry, Touch, filtered_list, link_to, one_line, register_source

LABEL = gettext_lazy("问题诉求")


def _problems(company, user):
    from .models import Problem

    return Problem.objects.visible_to(user).filter(company=company)


def problem_entries(company, user, limit):
    rows = _problems(company, user).select_related("raised_unit", "category").order_by("-raised_on", "-id")[:limit]
    for problem in rows:
        yield TimelineEntry(
            problem.raised_on,
            str(LABEL),
            problem.raised_unit,
            one_line(problem.title, problem.category.name, problem.get_status_display()),
            link_to(problem),
        )


def problem_touches(company, user):
    rows = (
        _problems(company, user)
        .filter(lead_department__isnull=False)
        .order_by()
        .values("lead_department_id", "lead_department__name")
        .annotate(last=Max("raised_on"), n=Count("pk"))
    )
    return [Touch(r["lead_department_id"], r["lead_department__name"], r["last"], r["n"]) for r in rows]


def register():
    register_source(
        problem_entries,
        key="service.problems",
        label=LABEL,
        touches=problem_touches,
        list_url=filtered_list("service:problem_list", "/service/"),
    )
