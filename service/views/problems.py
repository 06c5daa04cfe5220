"""Raising a problem, a problem's page, and the actions on it: 交办, 受理, 答复/办结, 确认办结, 退回重办.

Each action is a POST to its own URL calling one service; a refusal shows the page again with
the message on the form, and nothing is written. A problem out of scope is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from core.masking import mask_phone
from core.models import Attachment
from core.views import RoleRequiredMixin, ScopedObjectMixin
from enterprises.models import Company
from outreach.tables import company_url
from projects.models import Project
from projects.views.common import service_errors

from .. import selectors, services
from ..forms import ACTION_FORMS, AnswerForm, ProblemForm
from ..models import Meeting, Problem, ProblemAssignment
from ..tables import status_badge, with_overdue_flag
from .common import RAISER_ROLES, capacity, not_found, tabs


def problem_queryset(user):
    """A problem as its page shows it: its category, project, company, meeting, units, departments and files."""
    return with_overdue_flag(
        selectors.problems_for(user)
        .select_related(
            "owner",
            "category",
            "project",
            "company",
            "meeting",
            "raised_by",
            "raised_unit",
            "lead_department",
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=ProblemAssignment.objects.select_related("department").order_by("-is_lead", "id"),
            ),
            Prefetch("attachments", queryset=Attachment.objects.order_by("id")),
        )
    )


def action_forms(user, problem, can, bound):
    """The forms of the actions open to the viewer, in the page's order; a submitted one comes back bound."""
    out = []
    for name, form_class in ACTION_FORMS.items():
        if name in bound:
            out.append(bound[name])
        elif can["offer"][name]:
            extra = {"lead": can["lead"]} if form_class is AnswerForm else {}
            out.append(form_class(problem=problem, user=user, **extra))
    return out


def problem_page_context(request, problem, bound=None):
    """Everything a problem's page shows; `bound` holds a submitted form (by action name) to show with its errors."""
    user = request.user
    bound = bound or {}
    can = capacity(user, problem)
    project_visible = (
        problem.project_id is not None and Project.objects.visible_to(user).filter(pk=problem.project_id).exists()
    )
    company_visible = (
        problem.company_id is not None and Company.objects.visible_to(user).filter(pk=problem.company_id).exists()
    )
    meeting_visible = (
        problem.meeting_id is not None and Meeting.objects.visible_to(user).filter(pk=problem.meeting_id).exists()
    )
    # A complainant's phone is the office's to see; everyone else gets it masked.
    phone = problem.contact_phone if can["office"] else mask_phone(problem.contact_phone)
    return {
        "problem": problem,
        "object": problem,
        "title": problem.title,
        "status_badge": status_badge(problem),
        "can": can,
        "project_visible": project_visible,
        "company_url": company_url(problem.company_id) if company_visible else "",
        "meeting_visible": meeting_visible,
        "phone": phone,
        "assignments": list(problem.assignments.all()),
        "events": list(problem.events.select_related("actor", "unit").order_by("at", "id")),
        "attachments": list(problem.attachments.all()),
        "action_forms": action_forms(user, problem, can, bound),
        "open_form": next(iter(bound), ""),
        "tabs": tabs(user),
        "tab": "all",
    }


class ProblemDetailView(ScopedObjectMixin, TemplateView):
    model = Problem
    template_name = "service/problem_detail.html"

    def get_queryset(self):
        return problem_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(problem_page_context(self.request, self.get_object()))
        return ctx


class ProblemActionView(ScopedObjectMixin, View):
    """POST one action on a problem; on a refusal the problem's page comes back with the message on the form."""

    model = Problem
    http_method_names = ["post"]
    name = ""
    # The capacity (see common.capacity) the action needs; anyone else who sees the problem gets a 403.
    needs = ""
    denied = ""
    success_message = ""

    def get_queryset(self):
        return problem_queryset(self.request.user)

    def post(self, request, *args, **kwargs):
        problem = self.get_object()
        can = capacity(request.user, problem)
        if not can[self.needs]:
            raise PermissionDenied(self.denied)
        form_class = ACTION_FORMS[self.name]
        extra = {"lead": can["lead"]} if form_class is AnswerForm else {}
        form = form_class(request.POST, request.FILES, problem=problem, user=request.user, **extra)
        if form.is_valid():
            try:
                self.perform(problem, form)
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, self.success_message)
                return redirect(f"{problem.get_absolute_url()}#actions")
        ctx = problem_page_context(request, problem, {form.name: form})
        return render(request, "service/problem_detail.html", ctx)

    def perform(self, problem, form):
        raise ImproperlyConfigured(f"{type(self).__name__} must define perform(problem, form): call one service.")


class AssignView(ProblemActionView):
    name = needs = "assign"
    denied = gettext_lazy("只有招商中心或项目服务专班可以交办问题。")
    success_message = gettext_lazy("问题已交办。")

    def perform(self, problem, form):
        services.assign_problem(actor=self.request.user, problem=problem, **form.service_kwargs())


class AcceptView(ProblemActionView):
    name = "accept"
    needs = "department"
    denied = gettext_lazy("该问题未交办给您的部门。")
    success_message = gettext_lazy("已受理。")

    def perform(self, problem, form):
        services.accept_problem(actor=self.request.user, problem=problem)


class AnswerView(ProblemActionView):
    name = "answer"
    needs = "department"
    denied = gettext_lazy("该问题未交办给您的部门。")

    def perform(self, problem, form):
        kwargs = form.service_kwargs()
        services.answer_problem(actor=self.request.user, problem=problem, **kwargs)
        self.success_message = _("已办结，等待提出方确认。") if kwargs["solved"] else _("办理答复已提交。")


class ConfirmView(ProblemActionView):
    name = "confirm"
    needs = "confirm"
    denied = gettext_lazy("只有问题提出方（服务专班、招商中心或提出人）可以确认办结。")
    success_message = gettext_lazy("已确认办结。")

    def perform(self, problem, form):
        services.confirm_problem(actor=self.request.user, problem=problem, **form.service_kwargs())


class ReopenView(ProblemActionView):
    name = "reopen"
    needs = "confirm"
    denied = gettext_lazy("只有问题提出方（服务专班、招商中心或提出人）可以退回重办。")
    success_message = gettext_lazy("已退回重办，并列入督办。")

    def perform(self, problem, form):
        services.reopen_problem(actor=self.request.user, problem=problem, **form.service_kwargs())


# --- Raising a problem --------------------------------------------------------------------------------------


class ProblemCreateView(RoleRequiredMixin, FormView):
    """提出问题: for a project (?project=) or a company, or at a meeting (?meeting=)."""

    template_name = "service/problem_form.html"
    form_class = ProblemForm
    required_roles = RAISER_ROLES

    def dispatch(self, request, *args, **kwargs):
        self.meeting = None
        self.project = None
        if request.user.is_authenticated:
            self.meeting = self._visible(Meeting.objects.visible_to(request.user), "meeting")
            self.project = self._visible(Project.objects.visible_to(request.user), "project")
        return super().dispatch(request, *args, **kwargs)

    def _visible(self, queryset, key):
        """A record named in the address must be one the user may see (a 404 otherwise)."""
        value = self.request.GET.get(key)
        if not value:
            return None
        found = queryset.filter(pk=value).first() if value.isdigit() else None
        if found is None:
            raise not_found()
        return found

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, meeting=self.meeting)
        if self.project is not None:
            kwargs["initial"] = {**kwargs.get("initial", {}), "project": self.project.pk}
        return kwargs

    def form_valid(self, form):
        try:
            problem = services.raise_problem(actor=self.request.user, **form.service_kwargs())
        except ValidationError as exc:
            service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("问题已提出，编号 %(number)s。") % {"number": problem.number})
        return redirect(problem.get_absolute_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        origin = self.meeting or self.project
        ctx.update(
            title=_("提出问题"),
            meeting=self.meeting,
            project=self.project,
            cancel_url=origin.get_absolute_url() if origin else reverse("service:problem_list"),
            tabs=tabs(self.request.user),
            tab="all",
        )
        return ctx
