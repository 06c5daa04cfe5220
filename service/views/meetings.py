"""Meetings: register one, its page with the problems raised there (raised in place) and its decisions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.views import RoleRequiredMixin, ScopedObjectMixin
from outreach.tables import company_url
from projects.views.common import service_errors

from .. import selectors, services
from ..forms import DecisionDoneForm, DecisionForm, MeetingForm, ProblemForm
from ..models import Decision, Meeting
from ..tables import list_queryset
from .common import HOST_ROLES, not_found, tabs

# The raise form keeps its fields' own names (unprefixed), so that the directory's suggestions fill its company;
# the decision forms on the same page are prefixed.
RAISE_PREFIX = None


def meeting_queryset(user):
    return selectors.meetings_for(user).select_related("owner", "host_unit", "created_by")


def meeting_page_context(request, meeting, bound=None):
    """Everything a meeting's page shows; `bound` holds a submitted form (raise, decision) with its errors."""
    user = request.user
    bound = bound or {}
    host = Meeting.objects.editable_by(user).filter(pk=meeting.pk).exists()
    may_raise = services.may_raise(user, owner=meeting.owner)
    problems = list(list_queryset(selectors.problems_for(user).filter(meeting=meeting)).order_by("id"))
    decisions = list(meeting.decisions.select_related("owner_unit").order_by("id"))
    raise_form = bound.get("raise")
    if raise_form is None and may_raise:
        raise_form = ProblemForm(user=user, meeting=meeting, prefix=RAISE_PREFIX)
    decision_form = bound.get("decision")
    if decision_form is None and host:
        decision_form = DecisionForm(meeting=meeting)
    for decision in decisions:
        decision.done_form = bound.get(("done", decision.pk)) or (
            DecisionDoneForm(prefix=f"done{decision.pk}") if host and not decision.done_on else None
        )
    return {
        "meeting": meeting,
        "object": meeting,
        "title": meeting.title,
        "host": host,
        "companies": [(c, company_url(c.pk)) for c in meeting.companies.order_by("name")],
        "projects": list(meeting.projects.visible_to(user).order_by("name")),
        "problems": problems,
        "decisions": decisions,
        "raise_form": raise_form,
        "decision_form": decision_form,
        "open_form": next((k for k in bound if isinstance(k, str)), ""),
        "tabs": tabs(user),
        "tab": "meetings",
    }


class MeetingDetailView(ScopedObjectMixin, TemplateView):
    model = Meeting
    template_name = "service/meeting_detail.html"

    def get_queryset(self):
        return meeting_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(meeting_page_context(self.request, self.get_object()))
        return ctx


class MeetingCreateView(RoleRequiredMixin, FormView):
    """Register a meeting; the dispatch agenda's link fills it in (?kind=dispatch&host_unit=&title=&projects=)."""

    template_name = "service/meeting_form.html"
    form_class = MeetingForm
    required_roles = HOST_ROLES

    def get_initial(self):
        initial = super().get_initial()
        query = self.request.GET
        for key in ("kind", "host_unit", "title", "held_on", "place"):
            if query.get(key):
                initial[key] = query[key]
        if query.getlist("projects"):
            initial["projects"] = [p for p in query.getlist("projects") if p.isdigit()]
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            meeting = services.create_meeting(actor=self.request.user, **form.service_kwargs())
        except ValidationError as exc:
            service_errors(form, exc, {"companies": "company_names"})
            return self.form_invalid(form)
        messages.success(self.request, _("会议已登记。"))
        return redirect(meeting.get_absolute_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=_("登记会议"), tabs=tabs(self.request.user), tab="meetings")
        return ctx


class MeetingActionView(ScopedObjectMixin, View):
    """POST on a meeting's page; a refusal shows the page again with the message on the form."""

    model = Meeting
    http_method_names = ["post"]

    def get_queryset(self):
        return meeting_queryset(self.request.user)

    def render_page(self, meeting, bound):
        return render(self.request, "service/meeting_detail.html", meeting_page_context(self.request, meeting, bound))


class MeetingRaiseView(MeetingActionView):
    """Raise a problem in place, at this meeting (its source is the meeting)."""

    def post(self, request, *args, **kwargs):
        meeting = self.get_object()
        if not services.may_raise(request.user, owner=meeting.owner):
            raise PermissionDenied(_("您无权在该会议上提出问题。"))
        form = ProblemForm(request.POST, request.FILES, user=request.user, meeting=meeting, prefix=RAISE_PREFIX)
        if form.is_valid():
            try:
                problem = services.raise_problem(actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, _("问题已提出，编号 %(number)s。") % {"number": problem.number})
                return redirect(f"{meeting.get_absolute_url()}#problems")
        return self.render_page(meeting, {"raise": form})


class DecisionAddView(MeetingActionView):
    def post(self, request, *args, **kwargs):
        meeting = self.get_object()
        if not Meeting.objects.editable_by(request.user).filter(pk=meeting.pk).exists():
            raise PermissionDenied(_("只有主办单位或招商中心可以登记议定事项。"))
        form = DecisionForm(request.POST, meeting=meeting)
        if form.is_valid():
            try:
                services.add_decision(actor=request.user, meeting=meeting, **form.service_kwargs())
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, _("议定事项已登记。"))
                return redirect(f"{meeting.get_absolute_url()}#decisions")
        return self.render_page(meeting, {"decision": form})


class DecisionDoneView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        user = request.user
        decision = (
            Decision.objects.filter(meeting__in=selectors.meetings_for(user), pk=kwargs["pk"])
            .select_related("meeting")
            .first()
        )
        if decision is None:
            raise not_found()
        meeting = meeting_queryset(user).get(pk=decision.meeting_id)
        if not Meeting.objects.editable_by(user).filter(pk=meeting.pk).exists():
            raise PermissionDenied(_("只有主办单位或招商中心可以办结议定事项。"))
        form = DecisionDoneForm(request.POST, prefix=f"done{decision.pk}")
        if form.is_valid():
            try:
                services.complete_decision(actor=user, decision=decision, done_on=form.cleaned_data.get("done_on"))
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, _("议定事项已办结。"))
                return redirect(f"{meeting.get_absolute_url()}#decisions")
        return render(
            request,
            "service/meeting_detail.html",
            meeting_page_context(request, meeting, {("done", decision.pk): form}),
        )
