"""Projects on a company's page (enterprises.timeline): the projects it invests in, as the viewer may see them.

Registered from ProjectsConfig.ready(). Each project is one entry on the day of its last
stage move (or when entered), under its host county or zone; the units in touch are the
hosts. One query each, through Project.objects.visible_to(user).
"""

from django.db.models import Count, Max
from django.utils.translation import gettext_lazy

from enterprises.timeline import TimelineEntry, Touch, filtered_list, link_to, one_line, register_source

LABEL = gettext_lazy("项目")


def _projects(company, user):
    from .models import Project

    return Project.objects.visible_to(user).filter(investors=company)


def project_entries(company, user, limit):
    rows = _projects(company, user).select_related("host_unit").order_by("-stage_date", "-id")[:limit]
    for project in rows:
        yield TimelineEntry(
            project.stage_date or project.created_at.date(),
            str(LABEL),
            project.host_unit,
            one_line(project.name, project.get_stage_display()),
            link_to(project),
        )


def project_touches(company, user):
    rows = (
        _projects(company, user)
        .order_by()
        .values("host_unit_id", "host_unit__name")
        .annotate(last=Max("stage_date"), n=Count("pk"))
    )
    return [Touch(r["host_unit_id"], r["host_unit__name"], r["last"], r["n"]) for r in rows if r["last"]]


def refresh_investor_names(*, keep, absorb):
    """After a company merge the projects' investor names follow the kept company."""
    from .models import Project

    for project in Project.objects.filter(investors=keep).prefetch_related("investors"):
        names = "、".join(c.name for c in project.investors.all())[:300]
        if names != project.investor_names:
            Project.objects.filter(pk=project.pk).update(investor_names=names)


def register():
    register_source(
        project_entries,
        key="projects.projects",
        label=LABEL,
        touches=project_touches,
        list_url=filtered_list("projects:project_list", "/projects/"),
    )
