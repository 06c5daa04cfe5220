"""Tables for the problem and meeting lists (django-tables2).

Every value a row shows comes from the row itself: what the view's queryset select_related
(category, project, company, lead department) or annotated (the overdue flag), so a page of
25 costs the same queries as a page of 1.
"""

import django_tables2 as tables
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.columns import DateColumn

from . import selectors
from .choices import ProblemStatus
from .models import Meeting, Problem

DATE_FORMAT = "Y-m-d"
TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
STATUS_BADGES = {
    ProblemStatus.RAISED: "text-bg-secondary",
    ProblemStatus.ASSIGNED: "text-bg-info",
    ProblemStatus.ACCEPTED: "text-bg-primary",
    ProblemStatus.SOLVED: "text-bg-warning",
    ProblemStatus.CLOSED: "text-bg-success",
    ProblemStatus.REOPENED: "text-bg-danger",
}


def with_overdue_flag(problems, today=None):
    """Each problem flagged when it is open past its due date (the supervision list's rule)."""
    return problems.annotate(
        is_overdue=Case(
            When(selectors.overdue_q(today or timezone.localdate()), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def list_queryset(problems):
    # The category and lead department are small tables, read beside the page (core.refs) rather than joined.
    return with_overdue_flag(problems.select_related("project", "company").with_refs("category", "lead_department"))


def status_badge(problem):
    status = ProblemStatus(problem.status)
    css = STATUS_BADGES.get(status, "text-bg-light")
    return format_html('<span class="badge {}" data-testid="status">{}</span>', css, status.label)


def flags(problem):
    items = []
    if getattr(problem, "is_overdue", False):
        items.append(("text-bg-danger", "overdue", _("已逾期")))
    if problem.escalated:
        items.append(("text-bg-warning", "escalated", _("督办：%(r)s") % {"r": problem.get_escalated_display()}))
    if problem.reopen_count:
        items.append(("text-bg-light border", "reopened", _("退回 %(n)s 次") % {"n": problem.reopen_count}))
    if problem.is_complaint:
        items.append(("text-bg-light border", "complaint", _("企业投诉")))
    return format_html_join(" ", '<span class="badge {}" data-testid="flag-{}">{}</span>', items)


class ProblemTable(tables.Table):
    number = tables.Column(verbose_name=_("编号"), linkify=True)
    title = tables.Column(verbose_name=_("标题"), linkify=True)
    category = tables.Column(verbose_name=_("类别"), accessor="category__name", order_by=("category__sort_order",))
    status = tables.Column(verbose_name=_("状态"))
    project = tables.Column(verbose_name=_("项目/企业"), empty_values=(), order_by=("project__name",))
    lead_department = tables.Column(
        verbose_name=_("牵头部门"), accessor="lead_department__name", order_by=("lead_department__path",), default="—"
    )
    raised_on = DateColumn(format=DATE_FORMAT, verbose_name=_("提出日期"))
    due_on = DateColumn(format=DATE_FORMAT, verbose_name=_("办理期限"), default="—")
    flags = tables.Column(verbose_name=_("标记"), empty_values=(), orderable=False)

    class Meta:
        model = Problem
        fields = ("number", "title", "category", "status", "project", "lead_department", "raised_on", "due_on")
        attrs = {**TABLE_ATTRS, "data-testid": "problem-table"}
        empty_text = _("没有符合条件的问题。")

    def render_status(self, record):
        return status_badge(record)

    def render_project(self, record):
        parts = [p.name for p in (record.project, record.company) if p is not None]
        return " / ".join(parts) or "—"

    def render_flags(self, record):
        return flags(record)


def meeting_list_queryset(meetings, user):
    """Meetings with the number of their problems the user may open (a count must not reveal the others)."""
    visible = Q(problems__in=selectors.problems_for(user).values("pk"))
    return meetings.select_related("host_unit").annotate(problem_count=Count("problems", filter=visible, distinct=True))


class MeetingTable(tables.Table):
    held_on = DateColumn(format=DATE_FORMAT, verbose_name=_("日期"))
    title = tables.Column(verbose_name=_("会议名称"), linkify=True)
    kind = tables.Column(verbose_name=_("类型"))
    host_unit = tables.Column(verbose_name=_("主办单位"), accessor="host_unit__name", order_by=("host_unit__path",))
    place = tables.Column(verbose_name=_("地点"), default="—")
    problem_count = tables.Column(verbose_name=_("提出问题"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Meeting
        fields = ("held_on", "title", "kind", "host_unit", "place", "problem_count")
        attrs = {**TABLE_ATTRS, "data-testid": "meeting-table"}
        empty_text = _("没有会议。")
