"""Entering and correcting a project, turning a lead into one, its 包联 and 四包, and the office's counting rules."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from core.scope import holds_over
from core.views import RoleRequiredMixin, ScopedObjectMixin
from leads.choices import LeadStatus
from leads.models import Lead
from leads.selectors import office_cities
from organizations.choices import Role

from .. import selectors, services
from ..choices import FOUR_DUTIES_FROM
from ..forms import AssignmentForm, DutiesForm, FromLeadForm, ProjectForm, ProjectSettingsForm
from ..models import Project, ProjectSettings
from .common import MANAGER_ROLES, not_found, service_errors
from .detail import project_queryset


class ServiceFormView(FormView):
    """A form page whose valid form runs one service: its refusal lands on the form, nothing is written."""

    template_name = "projects/form.html"
    renames = ProjectForm.service_field_names
    title = ""
    intro = ""

    def run(self, form, call, success_message, redirect_to):
        """`success_message` is a text, or a function of what the service returned."""
        try:
            result = call()
        except ValidationError as exc:
            service_errors(form, exc, self.renames)
            return self.form_invalid(form)
        messages.success(self.request, success_message(result) if callable(success_message) else success_message)
        return redirect(redirect_to(result))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("title", self.title)
        ctx.setdefault("intro", self.intro)
        ctx.setdefault("cancel_url", reverse("projects:project_list"))
        return ctx


def saved(project):
    return _("项目已保存：%(name)s。") % {"name": project.name}


class ProjectCreateView(RoleRequiredMixin, ServiceFormView):
    """Enter a project at 谋划/储备 or 在谈: the office for any county of its city, a county for itself."""

    required_roles = MANAGER_ROLES
    form_class = ProjectForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        actor = self.request.user
        return self.run(
            form,
            lambda: services.create_project(actor=actor, **form.service_kwargs()),
            saved,
            lambda project: project.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("新建项目"),
            intro=_("填项目名称、落地单位和投资方即可保存；总投资等可稍后补充。金额以万元计，也可写“5亿元”。"),
            **kwargs,
        )


class ManagedProjectMixin(ScopedObjectMixin):
    """A project the user may see (404 otherwise) and manage — the city's office or the host (403 otherwise)."""

    model = Project
    denied = ""

    def get_queryset(self):
        return project_queryset(self.request.user)

    def managed_project(self):
        project = self.get_object()
        if not services.may_manage(self.request.user, project):
            raise PermissionDenied(self.denied or _("只有本市招商中心或落地县区可以修改项目信息。"))
        return project

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = self.managed_project()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.project
        ctx["cancel_url"] = self.project.get_absolute_url()
        return ctx


class ProjectEditView(ManagedProjectMixin, ServiceFormView):
    form_class = ProjectForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.project}

    def form_valid(self, form):
        actor = self.request.user
        return self.run(
            form,
            lambda: services.update_project(actor=actor, project=self.project, **form.update_kwargs()),
            saved,
            lambda project: project.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("修改项目：%(name)s") % {"name": self.project.name}, **kwargs)


def may_convert(user, lead):
    """The office of the lead's city, or the county or zone that accepted it, may turn it into a project."""
    if holds_over(user, lead.owner, Role.OFFICE_STAFF):
        return True
    return lead.status == LeadStatus.ACCEPTED and holds_over(user, lead.receiving_unit, Role.COUNTY_STAFF)


class ProjectFromLeadView(RoleRequiredMixin, ServiceFormView):
    """Turn an accepted lead into a project in 在谈; anyone but the receiving county and the office gets a 404."""

    form_class = FromLeadForm
    renames = {"investors": "other_investors", "investor_names": "other_investors"}

    @cached_property
    def lead(self):
        lead = (
            Lead.objects.visible_to(self.request.user)
            .select_related("owner", "receiving_unit", "investor", "chain", "segment")
            .filter(pk=self.kwargs["lead_pk"])
            .first()
        )
        if lead is None or not may_convert(self.request.user, lead):
            raise not_found()
        return lead

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            existing = Project.objects.visible_to(request.user).filter(lead=self.lead).first()
            if existing is not None:
                messages.info(request, _("该线索已转为项目“%(name)s”。") % {"name": existing.name})
                return redirect(existing.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "lead": self.lead}

    def form_valid(self, form):
        actor = self.request.user
        data = form.service_kwargs()
        name, host = data.pop("name"), data.pop("host_unit")
        return self.run(
            form,
            lambda: services.create_project_from_lead(actor=actor, lead=self.lead, name=name, host_unit=host, **data),
            _("线索已转为项目。"),
            lambda project: project.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("线索转为项目：%(name)s") % {"name": self.lead.name},
            lead=self.lead,
            cancel_url=self.lead.get_absolute_url(),
            **kwargs,
        )


class AssignmentView(ManagedProjectMixin, ServiceFormView):
    """三级包联: the leader, the responsible unit and the service team (who then see and work the project)."""

    form_class = AssignmentForm
    denied = gettext_lazy("只有本市招商中心或落地县区可以安排项目包联。")
    renames = {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "project": self.project}

    def form_valid(self, form):
        actor = self.request.user
        return self.run(
            form,
            lambda: services.set_assignment(actor=actor, project=self.project, **form.service_kwargs()),
            _("包联安排已保存。"),
            lambda project: f"{project.get_absolute_url()}#assignment",
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("包联安排：%(name)s") % {"name": self.project.name}, **kwargs)


class DutiesView(ManagedProjectMixin, ServiceFormView):
    """The "四包" of a project of 2亿 or more (seed 003); a smaller project is told so and offered no form."""

    form_class = DutiesForm
    denied = gettext_lazy("只有本市招商中心或落地县区可以安排四包职责。")
    template_name = "projects/duties.html"
    renames = {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project}

    def form_valid(self, form):
        actor = self.request.user
        return self.run(
            form,
            lambda: services.set_duties(actor=actor, project=self.project, **form.service_kwargs()),
            _("四包职责已保存。"),
            lambda _made: f"{self.project.get_absolute_url()}#assignment",
        )

    def get_context_data(self, **kwargs):
        total = self.project.total_investment
        return super().get_context_data(
            title=_("四包职责：%(name)s") % {"name": self.project.name},
            applies=total is not None and total >= FOUR_DUTIES_FROM,
            **kwargs,
        )


class ProjectSettingsView(RoleRequiredMixin, ServiceFormView):
    """统计口径: the office of a city sets the minimum amount that counts and the monthly report day."""

    required_roles = (Role.OFFICE_STAFF,)
    form_class = ProjectSettingsForm
    template_name = "projects/settings.html"
    renames = {}

    @cached_property
    def cities(self):
        return list(office_cities(self.request.user))

    @cached_property
    def city(self):
        if not self.cities:
            raise PermissionDenied(_("只有本市招商中心可以设置项目统计口径。"))
        wanted = self.request.GET.get("city") or self.request.POST.get("city")
        if not wanted:
            return self.cities[0]
        for city in self.cities:
            if str(city.pk) == str(wanted):
                return city
        raise not_found()

    def get_form_kwargs(self):
        stored = ProjectSettings.objects.filter(owner=self.city).first()
        return {**super().get_form_kwargs(), "settings": stored or ProjectSettings(owner=self.city)}

    def form_valid(self, form):
        actor = self.request.user
        return self.run(
            form,
            lambda: services.update_project_settings(actor=actor, owner=self.city, **form.service_kwargs()),
            _("统计口径已保存。"),
            lambda found: f"{reverse('projects:settings')}?city={self.city.pk}",
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("项目统计口径"),
            city=self.city,
            cities=self.cities,
            previous_month=selectors.previous_month(),
            **kwargs,
        )
