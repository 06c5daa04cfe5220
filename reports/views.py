"""Pages of the team reports, under /reports/. Thin: a form checks the shape, one service in reports.services
writes, scope decides what is seen.

- the list of reports in scope (the one FilterSet), 起草周报 / 起草月报, a report's page (its text, its figures
  each linking to the records counted, its actions), the edit page;
- the actions on a report's page: 提交 (the team), 阅示 and 退回修改 (the office);
- the office's 未报清单.

A report out of the user's scope is a 404 that never shows its title; visible but not theirs to change, a 403.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from django_tables2 import RequestConfig

from core.scope import scope_of
from core.views import EditableObjectFormMixin, RoleRequiredMixin, ScopedListView, ScopedObjectMixin
from projects.views.common import service_errors

from . import drafting, selectors, services
from .choices import READER_ROLES, REMINDER_LOOKBACK_DAYS, USER_ROLES, WRITER_ROLES, ReportKind, ReportStatus
from .filtersets import TeamReportFilterSet
from .forms import ACTION_FORMS, DraftForm, MissingForm, ReportEditForm
from .models import TeamReport
from .periods import due_on, period_label, period_of
from .tables import MissingTable, TeamReportTable, status_badge

MISSING_PER_PAGE = 50


def nav_context(user, tab):
    scope = scope_of(user)
    return {"tab": tab, "can_draft": scope.has(*WRITER_ROLES), "can_see_missing": scope.has(*READER_ROLES)}


class ReportListView(ScopedListView):
    model = TeamReport
    required_roles = USER_ROLES
    table_class = TeamReportTable
    filterset_class = TeamReportFilterSet
    template_name = "reports/list.html"
    title = gettext_lazy("工作报告")

    def get_queryset(self):
        return selectors.reports_for(self.request.user).select_related("unit")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(nav_context(self.request.user, "list"))
        return ctx


class ReportCreateView(RoleRequiredMixin, FormView):
    """起草周报 (?kind=weekly) or 起草月报 (?kind=monthly): the system drafts it from the period's records."""

    required_roles = WRITER_ROLES
    form_class = DraftForm
    template_name = "reports/draft.html"

    @property
    def kind(self):
        asked = self.request.GET.get("kind")
        return asked if asked in ReportKind.values else ReportKind.WEEKLY

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "kind": self.kind, "today": self.today}

    def dispatch(self, request, *args, **kwargs):
        self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = {}
        unit = self.request.GET.get("unit")
        if unit and unit.isdigit():
            initial["unit"] = int(unit)
        try:
            day = datetime.date.fromisoformat(self.request.GET.get("start") or "")
        except ValueError:  # no date, or a bad one: the form's own default
            day = None
        if day is not None:
            initial["period"] = period_of(self.kind, day)[0]
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            report = services.draft_report(
                actor=self.request.user, unit=data["unit"], kind=self.kind, start=data["period"]
            )
        except ValidationError as exc:
            service_errors(form, exc, {"start": "period"})
            return self.form_invalid(form)
        messages.success(self.request, _("已按本期台账记录起草，请补充完善后提交。"))
        return redirect(report.get_absolute_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(nav_context(self.request.user, self.kind))
        ctx["title"] = _("起草周报") if self.kind == ReportKind.WEEKLY else _("起草月报")
        ctx["kind"] = self.kind
        return ctx


def report_queryset(user):
    return selectors.reports_for(user).select_related("unit", "owner", "submitted_by", "read_by", "created_by")


def action_forms(user, report, bound):
    """The forms of the actions open to the viewer; a submitted one comes back bound with its errors."""
    writer = services.may_write(user, report.unit)
    office = services.is_office(user, report)
    offer = {
        "submit": writer and report.status == ReportStatus.DRAFT,
        "read": office and report.status == ReportStatus.SUBMITTED,
        "return": office and report.status == ReportStatus.SUBMITTED,
    }
    out = []
    for name, form_class in ACTION_FORMS.items():
        if name in bound:
            out.append(bound[name])
        elif offer[name]:
            out.append(form_class(report=report, user=user))
    return out, writer


def report_page_context(request, report, bound=None):
    user = request.user
    bound = bound or {}
    forms, writer = action_forms(user, report, bound)
    return {
        "report": report,
        "object": report,
        "title": report.title,
        "status_badge": status_badge(report),
        "period": period_label(report.kind, report.start, report.end),
        "due": due_on(report.kind, report.end),
        "figures": drafting.figure_rows(report),
        "events": list(report.events.select_related("actor").order_by("at", "id")),
        "action_forms": forms,
        "open_form": next(iter(bound), "submit" if writer else ""),
        "can_edit": writer and report.is_draft,
        **nav_context(user, "list"),
    }


class ReportDetailView(ScopedObjectMixin, TemplateView):
    model = TeamReport
    template_name = "reports/detail.html"

    def get_queryset(self):
        return report_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(report_page_context(self.request, self.get_object()))
        return ctx


class ReportEditView(EditableObjectFormMixin, FormView):
    """The team edits its draft's title and text."""

    model = TeamReport
    form_class = ReportEditForm
    template_name = "reports/edit.html"

    def get_queryset(self):
        return report_queryset(self.request.user)

    def get_object(self, queryset=None):
        report = super().get_object(queryset)
        if not services.may_write(self.request.user, report.unit):
            raise PermissionDenied(_("只有本组（队）人员可以修改本单位的工作报告。"))
        if not report.is_draft:
            raise PermissionDenied(_("报告已提交，不能修改；如需修改，请招商中心退回。"))
        return report

    def get_initial(self):
        return {"title": self.object.title, "body": self.object.body}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.update_report(actor=self.request.user, report=self.object, title=data["title"], body=data["body"])
        except ValidationError as exc:
            service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("报告已保存。"))
        return redirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(nav_context(self.request.user, "list"))
        ctx["title"] = _("修改报告：%(title)s") % {"title": self.object.title}
        ctx["report"] = self.object
        return ctx


class ReportActionView(ScopedObjectMixin, View):
    """POST one action on a report; a refusal shows the report's page again with the message on the form."""

    model = TeamReport
    http_method_names = ["post"]
    name = ""
    success_message = ""

    def get_queryset(self):
        return report_queryset(self.request.user)

    def post(self, request, *args, **kwargs):
        report = self.get_object()
        form = ACTION_FORMS[self.name](request.POST, report=report, user=request.user)
        if form.is_valid():
            try:
                self.perform(report, form)
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, self.success_message)
                return redirect(report.get_absolute_url())
        return render(request, "reports/detail.html", report_page_context(request, report, {form.name: form}))

    def perform(self, report, form):
        raise ImproperlyConfigured(f"{type(self).__name__} must define perform(report, form): call one service.")


class SubmitView(ReportActionView):
    name = "submit"
    success_message = gettext_lazy("报告已提交至招商中心。")

    def perform(self, report, form):
        services.submit_report(actor=self.request.user, report=report)


class ReadView(ReportActionView):
    name = "read"
    success_message = gettext_lazy("已阅。")

    def perform(self, report, form):
        services.mark_read(actor=self.request.user, report=report, comment=form.cleaned_data.get("comment") or "")


class ReturnView(ReportActionView):
    name = "return"
    success_message = gettext_lazy("报告已退回修改。")

    def perform(self, report, form):
        services.return_report(actor=self.request.user, report=report, reason=form.cleaned_data.get("reason") or "")


class MissingView(RoleRequiredMixin, TemplateView):
    """The office's 未报清单: each team and period ended whose report was not submitted by its due day."""

    required_roles = READER_ROLES
    template_name = "reports/missing.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request, user = self.request, self.request.user
        today = timezone.localdate()
        form = MissingForm(request.GET or None)
        start, end = form.range_or(today, REMINDER_LOOKBACK_DAYS)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        cities = list(selectors.reader_cities(user))
        city = choose_city(cities, data.get("city"))
        rows = selectors.missing_reports(city, data.get("kind") or None, start, end, today=today)
        table = MissingTable(rows)
        RequestConfig(request, paginate={"per_page": MISSING_PER_PAGE}).configure(table)
        ctx.update(
            nav_context(user, "missing"),
            title=_("%(city)s工作报告未报清单") % {"city": city.name},
            form=form,
            table=table,
            start=start,
            end=end,
            city=city,
            cities=cities,
            teams=len({row.unit.pk for row in rows}),
        )
        return ctx


def choose_city(cities, asked):
    if asked:
        for city in cities:
            if city.pk == asked:
                return city
        raise Http404(_("未找到该记录，或您无权查看。"))
    if not cities:
        raise Http404(_("未找到该记录，或您无权查看。"))
    return cities[0]
