"""The reading pages: all projects (filtered), the verifier's queue, the monthly dispatch and the library."""

import datetime

from django.contrib import messages
from django.db.models import BooleanField, Case, Prefetch, Q, Value, When
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.ledgers import LEDGER_ROLES
from core.models import Attachment
from core.scope import scope_of
from core.views import RoleRequiredMixin, ScopedListView
from organizations.choices import Role

from .. import selectors
from ..choices import ProjectKind, Stage
from ..filtersets import ProjectFilterSet
from ..forms import DispatchForm, UnitFilterForm, VerifyForm
from ..models import MonthlyProgress, Project, ProjectSettings
from ..tables import ProjectTable, yi
from .common import MANAGER_ROLES, list_url, not_found, page_query, paginate, tabs


def with_report_flag(projects, month=None):
    """Each project flagged when its report for last month is missing past its due day or came late."""
    month = month or selectors.previous_month()
    overdue = Q(stage__in=selectors.REPORTING_STAGES) & selectors.overdue_report_q(month)
    return projects.annotate(
        report_overdue=Case(When(overdue, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def under(projects, unit):
    """Projects hosted by `unit` or below it, or for which it (or a unit below it) is responsible."""
    if unit is None:
        return projects
    return projects.filter(Q(host_unit__path__startswith=unit.path) | Q(responsible_unit__path__startswith=unit.path))


def chosen_unit(form):
    """The unit a reading page asked for: a unit out of the user's scope is a 404, not an empty page."""
    if not form.is_bound:
        return None
    form.is_valid()
    if form.has_error("unit"):
        raise not_found()
    return form.cleaned_data.get("unit")


class ProjectListView(ScopedListView):
    """All projects the user may see, with the one FilterSet the API and the figures' drill-down use."""

    model = Project
    table_class = ProjectTable
    filterset_class = ProjectFilterSet
    template_name = "projects/list.html"
    title = gettext_lazy("全部项目")

    def get_queryset(self):
        return with_report_flag(selectors.projects_for(self.request.user).select_related("host_unit"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = scope_of(self.request.user)
        ctx["tab"] = "all"
        ctx["tabs"] = tabs(self.request.user)
        if scope.has(*MANAGER_ROLES):
            ctx["create_url"] = reverse("projects:project_create")
            ctx["import_url"] = reverse("core:import_upload", args=["signed"])
        if scope.has(*LEDGER_ROLES):
            ctx["export_url"] = reverse("core:export_ledger", args=["signed"])
        if scope.has(Role.OFFICE_STAFF):
            ctx["settings_url"] = reverse("projects:settings")
        return ctx


# --- The verifier's queue -------------------------------------------------------------------------


def queue_page(request, bound=None):
    """The moves awaiting the user's confirmation, oldest first, each with its evidence and its form."""
    bound = bound or {}
    changes = selectors.pending_changes_for(request.user).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    )
    page = paginate(request, changes)
    for change in page:
        change.form = bound.get(change.pk) or VerifyForm(change=change)
    # A move decided meanwhile is no longer listed: its message is said above the list instead.
    shown = {change.pk for change in page}
    for pk, form in bound.items():
        if pk not in shown:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    ctx = {
        "title": _("待核验的阶段变更"),
        "page": page,
        "page_query": page_query(request),
        "tab": "verify",
        "tabs": tabs(request.user),
    }
    return render(request, "projects/verify_queue.html", ctx)


class VerifyQueueView(RoleRequiredMixin, TemplateView):
    """The verifier's queue: moves to 签约 and beyond recorded by others at their host or below (four eyes)."""

    required_roles = (Role.VERIFIER,)
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        return queue_page(request)


# --- The monthly dispatch ----------------------------------------------------------------------------


def due_days(owner_ids):
    """Each city's report day (the default where the office has not set one): one query, no writes."""
    default = ProjectSettings._meta.get_field("progress_due_day").default
    days = dict(ProjectSettings.objects.filter(owner_id__in=owner_ids).values_list("owner_id", "progress_due_day"))
    return {owner: days.get(owner, default) for owner in owner_ids}


def following_month(month):
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


class DispatchView(RoleRequiredMixin, TemplateView):
    """每月调度: every signed project of a unit with its report for the month, or a red flag where it is missing."""

    template_name = "projects/dispatch.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request = self.request
        user = request.user
        form = DispatchForm(request.GET or None, user=user)
        unit = chosen_unit(form)
        month = (form.cleaned_data.get("month") if form.is_bound else None) or selectors.previous_month()
        reports = MonthlyProgress.objects.filter(month=month).select_related("reported_by")
        rows = selectors.dispatch_rows(under(selectors.projects_for(user), unit), month).prefetch_related(
            Prefetch("progress_reports", queryset=reports, to_attr="month_reports")
        )
        page = paginate(request, rows)
        today = timezone.localdate()
        days = due_days({p.owner_id for p in page})
        following = following_month(month)
        for project in page:
            project.report = project.month_reports[0] if project.month_reports else None
            project.due_on = following.replace(day=days[project.owner_id])
            project.missing_overdue = project.report is None and today > project.due_on
            project.total_yi = yi(project.total_investment)
            project.completed_yi = yi(project.report.completed_investment) if project.report else ""
        if not form.is_bound:
            form = DispatchForm(initial={"month": month}, user=user)
        ctx.update(
            title=_("月度调度"),
            form=form,
            unit=unit,
            month=month,
            page=page,
            page_query=page_query(request),
            tab="dispatch",
            tabs=tabs(user),
        )
        return ctx


# --- The project library ----------------------------------------------------------------------------


class LibraryView(RoleRequiredMixin, TemplateView):
    """入库项目 by kind and by stage, count and amount (屯留, seed 003); each figure opens its list."""

    template_name = "projects/library.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        form = UnitFilterForm(self.request.GET or None, user=user)
        unit = chosen_unit(form)
        counts = selectors.library_counts(under(selectors.projects_for(user), unit))
        base = {"in_library": "true", "unit": unit.pk if unit else None}
        kinds = [
            {"label": kind.label, "url": list_url(**base, kind=kind.value), **counts["by_kind"][kind.value]}
            for kind in ProjectKind
        ]
        stages = [
            {"label": stage.label, "url": list_url(**base, stage=stage.value), **counts["by_stage"][stage.value]}
            for stage in Stage
        ]
        for row in (*kinds, *stages):
            row["amount_yi"] = yi(row["amount"])
        total = counts["total"]
        filed = counts["filed"]
        ctx.update(
            title=_("项目库"),
            form=form,
            unit=unit,
            kinds=kinds,
            stages=stages,
            total={**total, "amount_yi": yi(total["amount"]), "url": list_url(**base)},
            filed={"count": filed["count"] or 0, "amount_yi": yi(filed["amount"] or 0)},
            tab="library",
            tabs=tabs(user),
        )
        return ctx
