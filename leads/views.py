"""Pages for leads. Thin: a form checks the shape, one service in leads.services writes, scope decides what is seen.

- the office's assessment queue (`queue/`), a county's or zone's incoming leads
  (`incoming/`), a team's own leads (`team/`) and all leads the user may see (``);
- a lead's page: what it is, why it is or is not effective, where it stands, its
  conflicts (撞单) and its timeline, with the forms of the actions open to the viewer;
- each action is a POST to its own URL (`<pk>/assess/` …); a refusal by the service
  shows the lead's page again with the message on the form, and nothing is written.

A lead out of the user's scope is a 404 everywhere, never a 403: its existence and its
name are not revealed. Which actions a page offers is only a convenience for the eye;
the services decide, and refuse with a message, whatever was posted.
"""

from functools import cached_property
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from core.ledgers import LEDGER_ROLES
from core.models import Attachment
from core.scope import holds_over as _holds
from core.scope import scope_of
from core.views import EditableObjectFormMixin, RoleRequiredMixin, ScopedListView, ScopedObjectMixin, attach_errors
from organizations.choices import Role
from organizations.models import Unit, User
from outreach.models import Visit
from outreach.tables import company_url

from . import rules, selectors, services
from .choices import ConflictStatus, LeadStatus
from .filtersets import LeadFilterSet, settings_for, with_effective_for
from .forms import (
    AcceptForm,
    AssessForm,
    CloseForm,
    ConflictDecideForm,
    FollowUpForm,
    LeadForm,
    MovePoolForm,
    ReassignForm,
    ReopenForm,
    ReturnForm,
    ShareForm,
    UnshareForm,
    involved_unit_ids,
    plain_amount,
)
from .models import HELD_STATUSES, Lead, LeadSettings
from .tables import IncomingTable, LeadTable, QueueTable, is_overdue, wan

WRITER_ROLES = selectors.LEAD_WRITER_ROLES
# Open conflicts listed on the office's queue page; the rest are on the leads' own pages.
QUEUE_CONFLICTS_SHOWN = 10
INACTIVE_STATUSES = (LeadStatus.REJECTED, LeadStatus.CLOSED)


# --- Who may do what on a lead's page ----------------------------------------------------------


def parties(user, lead, shares):
    """In what capacity `user` stands to `lead`: its city's office, the unit holding it, the reporter, a share."""
    return {
        "office": _holds(user, lead.owner, Role.OFFICE_STAFF),
        "receiver": lead.status in HELD_STATUSES and _holds(user, lead.receiving_unit, Role.COUNTY_STAFF),
        "reporter": _holds(user, lead.reporting_unit, *WRITER_ROLES),
        "shared": any(_holds(user, share.unit, *WRITER_ROLES) for share in shares),
    }


# Who may take each action at all, whatever the lead's status (the status is the service's to judge,
# so that two people acting at once get its message, not a bare refusal).
ACTION_PARTIES = {
    "edit": ("office", "reporter"),
    "assess": ("office",),
    "reassign": ("office",),
    "share": ("office",),
    "unshare": ("office",),
    "accept": ("receiver",),
    "return": ("receiver",),
    "move-pool": ("office", "receiver"),
    "close": ("office", "receiver"),
    "reopen": ("office", "receiver"),
    "follow-up": ("receiver", "shared", "reporter"),
    "decide": ("office",),
}
DENIED = {
    "assess": gettext_lazy("只有招商中心工作人员可以研判线索。"),
    "reassign": gettext_lazy("只有招商中心工作人员可以改派线索。"),
    "share": gettext_lazy("只有招商中心工作人员可以共享线索。"),
    "unshare": gettext_lazy("只有招商中心工作人员可以取消共享。"),
    "accept": gettext_lazy("只有承接该线索的县区/开发区可以接收线索。"),
    "return": gettext_lazy("只有承接该线索的县区/开发区可以退回线索。"),
    "move-pool": gettext_lazy("只有招商中心或承接该线索的县区/开发区可以转库。"),
    "close": gettext_lazy("只有招商中心或承接该线索的县区/开发区可以关闭线索。"),
    "reopen": gettext_lazy("只有招商中心或承接该线索的县区/开发区可以重新打开线索。"),
    "follow-up": gettext_lazy("只有承接、共享或报送该线索的单位可以添加跟进记录。"),
    "decide": gettext_lazy("只有招商中心工作人员可以裁定撞单。"),
}


def may(capacity, action):
    return any(capacity[party] for party in ACTION_PARTIES[action])


def available_actions(user, lead, shares):
    """The actions a lead's page offers `user`, by the rules leads.services enforces (which has the last word)."""
    capacity = parties(user, lead, shares)
    status = lead.status
    pending = status in selectors.PENDING_STATUSES
    accepted = status == LeadStatus.ACCEPTED
    return {
        "edit": capacity["office"] or (capacity["reporter"] and status == LeadStatus.REPORTED),
        "assess": may(capacity, "assess") and pending,
        "reassign": may(capacity, "reassign") and status in (LeadStatus.DISPATCHED, LeadStatus.RETURNED),
        "accept": may(capacity, "accept") and status == LeadStatus.DISPATCHED,
        "return": may(capacity, "return") and status == LeadStatus.DISPATCHED,
        "share": may(capacity, "share") and status not in INACTIVE_STATUSES,
        # Offered beside each shared unit, whatever the lead's status: ending a share is always the office's to do.
        "unshare": may(capacity, "unshare") and bool(shares),
        "move-pool": may(capacity, "move-pool") and accepted,
        "follow-up": (capacity["receiver"] and accepted)
        or (
            not capacity["receiver"]
            and (capacity["shared"] or capacity["reporter"])
            and status not in INACTIVE_STATUSES
        ),
        "close": may(capacity, "close") and accepted,
        "reopen": (status == LeadStatus.CLOSED and may(capacity, "reopen"))
        or (status == LeadStatus.REJECTED and capacity["office"]),
        "decide": may(capacity, "decide"),
    }


# The action forms in the order a lead's page shows them.
ACTION_FORMS = {
    form.name: form
    for form in (
        AssessForm,
        AcceptForm,
        ReturnForm,
        ReassignForm,
        MovePoolForm,
        FollowUpForm,
        ShareForm,
        CloseForm,
        ReopenForm,
    )
}


def lead_queryset(user):
    """A lead as its page shows it: the units, investor, chain and pool, its reporters and attachments."""
    return (
        selectors.leads_for(user)
        .select_related("assessed_by", "created_by", "visit", "event", "trip")
        .prefetch_related(
            Prefetch("reporters", queryset=User.objects.order_by("name", "username")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("id")),
        )
    )


def lead_conflict_annotations(user):
    """Whether the viewer may open each side of a conflict: only then is that side named (seed 003 tells, not shows)."""
    visible_leads = Lead.objects.visible_to(user)
    return {
        "lead_visible": Exists(visible_leads.filter(pk=OuterRef("lead_id"))),
        "other_lead_visible": Exists(visible_leads.filter(pk=OuterRef("other_lead_id"))),
        "other_visit_visible": Exists(Visit.objects.visible_to(user).filter(pk=OuterRef("other_visit_id"))),
    }


def lead_conflicts(user, lead):
    """The conflicts this lead is part of, each saying whether the viewer may open the other side's record."""
    return list(
        selectors.conflicts_for(user)
        .filter(Q(lead_id=lead.pk) | Q(other_lead_id=lead.pk))
        .annotate(**lead_conflict_annotations(user))
    )


def project_link(user, lead):
    """The project the lead became (if the user may open it), or whether the user may convert it now.

    Projects build on leads, not the other way round: the projects app is asked only when installed.
    """
    if not apps.is_installed("projects"):
        return {}
    from projects.models import Project
    from projects.views.edit import may_convert

    project = Project.objects.filter(lead_id=lead.pk).only("id", "name").first()
    if project is not None:
        visible = Project.objects.visible_to(user).filter(pk=project.pk).exists()
        return {"project": project if visible else None, "converted": True}
    can = lead.status == LeadStatus.ACCEPTED and not lead.duplicate_of_id and may_convert(user, lead)
    return {"project": None, "converted": False, "can_convert": can}


def lead_page_context(request, lead, bound=None):
    """Everything a lead's page shows; `bound` holds a submitted form (by action name) to show with its errors."""
    user = request.user
    bound = bound or {}
    settings = LeadSettings.objects.filter(owner_id=lead.owner_id).first()
    reasons = rules.effective_reasons(lead, settings)
    shares = list(lead.shares.select_related("unit").order_by("unit__path"))
    can = available_actions(user, lead, shares)
    action_forms = []
    for name, form_class in ACTION_FORMS.items():
        if name in bound:
            action_forms.append(bound[name])
        elif can[name]:
            action_forms.append(form_class(lead=lead, user=user))
    conflicts = lead_conflicts(user, lead)
    decidable = [c for c in conflicts if can["decide"] and c.status == ConflictStatus.OPEN]
    units = Unit.objects.in_bulk({pk for c in decidable for pk in involved_unit_ids(c)}) if decidable else {}
    for conflict in conflicts:
        conflict.mine_is_lead = conflict.lead_id == lead.pk
        key = f"conflict-{conflict.pk}"
        if key in bound:
            conflict.form = bound[key]
        elif can["decide"] and conflict.status == ConflictStatus.OPEN:
            conflict.form = ConflictDecideForm(conflict=conflict, user=user, units=units)
        else:
            conflict.form = None
    return {
        **project_link(user, lead),
        "lead": lead,
        "object": lead,
        "title": lead.name,
        "reasons": reasons,
        "effective": not reasons,
        "overdue": is_overdue(lead),
        "amount": wan(lead.estimated_amount),
        "amount_plain": plain_amount(lead.estimated_amount),
        "company_url": company_url(lead.investor_id) if lead.investor_id else "",
        "shares": shares,
        "can": can,
        "can_edit": can["edit"],
        "action_forms": action_forms,
        "open_form": next(iter(bound), ""),
        "conflicts": conflicts,
        "unshare_form": bound.get("unshare"),
        "timeline": selectors.timeline(lead),
        "attachments": list(lead.attachments.all()),
        "reporters": list(lead.reporters.all()),
        "tabs": list_tabs(user),
    }


def list_tabs(user):
    """The lists a person has: the office's queue, a county's incoming leads, a team's own, and all."""
    scope = scope_of(user)
    tabs = []
    if scope.has(Role.OFFICE_STAFF):
        tabs.append(("queue", _("研判队列"), reverse("leads:assessment_queue")))
    if scope.has(Role.COUNTY_STAFF):
        tabs.append(("incoming", _("待接收线索"), reverse("leads:incoming")))
    if scope.has(*WRITER_ROLES):
        tabs.append(("team", _("本组线索"), reverse("leads:team_leads")))
    tabs.append(("all", _("全部线索"), reverse("leads:lead_list")))
    return tabs


def service_errors(form, exc, renames=None):
    """Put a service's ValidationError on the form, under the form's own names for its fields."""
    if renames and hasattr(exc, "error_dict"):
        exc = ValidationError({renames.get(field, field): errors for field, errors in exc.error_dict.items()})
    attach_errors(form, exc)


# --- Lists ---------------------------------------------------------------------------------------


class LeadListView(ScopedListView):
    """All leads the user may see, with the filters of 《收集线索台账》 and the pools' counts."""

    model = Lead
    table_class = LeadTable
    filterset_class = LeadFilterSet
    template_name = "leads/list.html"
    title = gettext_lazy("全部线索")
    tab = "all"
    selector = staticmethod(selectors.leads_for)
    show_pools = True

    @cached_property
    def settings_by_owner(self):
        return settings_for(self.request.user)

    def get_queryset(self):
        return with_effective_for(type(self).selector(self.request.user), self.settings_by_owner)

    def get_table_kwargs(self):
        return {"settings_by_owner": self.settings_by_owner}

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["settings_by_owner"] = self.settings_by_owner
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        scope = scope_of(user)
        ctx["tab"] = self.tab
        ctx["tabs"] = list_tabs(user)
        if scope.has(*WRITER_ROLES):
            ctx["create_url"] = reverse("leads:lead_create")
            ctx["import_url"] = reverse("core:import_upload", args=["leads"])
        if scope.has(*LEDGER_ROLES):
            ctx["export_url"] = self.export_url()
        if self.show_pools:
            ctx["pools"] = selectors.pool_counts(user)
        return ctx

    def export_url(self):
        """The ledger export for the period chosen in the filters, in the centre's format."""
        data = self.filterset.form.cleaned_data if self.filterset.is_valid() else {}
        query = {}
        for name, field in (("start", "date_from"), ("end", "date_to")):
            if data.get(field):
                query[name] = data[field].isoformat()
        url = reverse("core:export_ledger", args=["leads"])
        return url + ("?" + urlencode(query) if query else "")


class AssessmentQueueView(LeadListView):
    """The office's queue: leads reported or sent back, oldest deadline first, late ones flagged."""

    required_roles = (Role.OFFICE_STAFF,)
    table_class = QueueTable
    title = gettext_lazy("研判队列")
    tab = "queue"
    selector = staticmethod(selectors.assessment_queue)
    show_pools = False

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        # The conflicts this office decides: those on leads of its own city.
        mine = scope_of(user).subtree_q("lead__owner__path", Role.OFFICE_STAFF)
        conflicts = selectors.open_conflicts(user).filter(mine)
        ctx["open_conflicts"] = list(conflicts[:QUEUE_CONFLICTS_SHOWN])
        ctx["open_conflict_count"] = conflicts.count()
        return ctx


class IncomingView(LeadListView):
    """Leads pushed to the user's county or zone, waiting to be accepted or sent back."""

    required_roles = (Role.COUNTY_STAFF,)
    table_class = IncomingTable
    title = gettext_lazy("待接收线索")
    tab = "incoming"
    selector = staticmethod(selectors.incoming_queue)
    show_pools = False


class TeamLeadsView(LeadListView):
    """The leads the user's team (or county) reported, newest first."""

    required_roles = WRITER_ROLES
    title = gettext_lazy("本组线索")
    tab = "team"
    selector = staticmethod(selectors.team_leads)
    show_pools = False


# --- A lead's page -------------------------------------------------------------------------------


class LeadDetailView(ScopedObjectMixin, TemplateView):
    model = Lead
    template_name = "leads/lead_detail.html"

    def get_queryset(self):
        return lead_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(lead_page_context(self.request, self.get_object()))
        return ctx


class LeadActionView(ScopedObjectMixin, View):
    """POST one action on a lead; on a refusal the lead's page comes back with the message on the form."""

    model = Lead
    http_method_names = ["post"]
    form_class = None
    success_message = ""
    # Accepting or sending back a lead that was reassigned meanwhile: tell the county, do not just 404.
    tells_when_gone = False

    def get_queryset(self):
        return lead_queryset(self.request.user)

    def post(self, request, *args, **kwargs):
        try:
            lead = self.get_object()
        except Http404:
            return self.gone(request, kwargs["pk"])
        shares = list(lead.shares.select_related("unit")) if "shared" in ACTION_PARTIES[self.action] else []
        if not may(parties(request.user, lead, shares), self.action):
            raise PermissionDenied(DENIED[self.action])
        form = self.form_class(request.POST, lead=lead, user=request.user)
        if form.is_valid():
            try:
                self.perform(lead, form)
            except ValidationError as exc:
                self.refused(lead, form, exc)
                service_errors(form, exc)
            else:
                messages.success(request, self.success_message)
                return redirect(self.next_url(lead))
        ctx = lead_page_context(request, lead, {form.name: form})
        return render(request, "leads/lead_detail.html", ctx)

    @property
    def action(self):
        return self.form_class.name

    def gone(self, request, pk):
        """A lead the user can no longer see: 404, unless their unit held it and it moved on meanwhile.

        Then the service says so ("已改派其他单位", "已退回招商中心") to the unit that held it;
        anyone else gets the 404 that reveals nothing.
        """
        lead = Lead.objects.filter(pk=pk).select_related("owner", "reporting_unit", "receiving_unit").first()
        if lead is None or not self.tells_when_gone:
            raise Http404(_("未找到该记录，或您无权查看。"))
        form = self.form_class(request.POST, lead=lead, user=request.user)
        try:
            if not form.is_valid():
                raise PermissionDenied
            self.perform(lead, form)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(reverse("leads:incoming"))
        except PermissionDenied:
            raise Http404(_("未找到该记录，或您无权查看。"))
        return redirect(self.next_url(lead))

    def perform(self, lead, form):
        # Each action names the service it calls; one that forgets is a configuration error, not a stub.
        raise ImproperlyConfigured(
            f"{type(self).__name__} must define perform(lead, form) calling a service in leads.services"
        )

    def refused(self, lead, form, exc):
        """Hook: what to show beside the message (the negative list's entries)."""

    def next_url(self, lead):
        if Lead.objects.visible_to(self.request.user).filter(pk=lead.pk).exists():
            return lead.get_absolute_url()
        # Sent back or reassigned away: the lead is no longer the unit's to see.
        if scope_of(self.request.user).has(Role.COUNTY_STAFF):
            return reverse("leads:incoming")
        return reverse("leads:lead_list")


def negative_list_refusal(exc):
    errors = getattr(exc, "error_dict", {}).get("receiving_unit", [])
    return any(getattr(error, "code", None) == "negative_list" for error in errors)


class NegativeListActionView(LeadActionView):
    def refused(self, lead, form, exc):
        if negative_list_refusal(exc):
            form.negative_hits = selectors.negative_list_hits(lead, form.cleaned_data.get("receiving_unit"))


class AssessView(NegativeListActionView):
    form_class = AssessForm
    success_message = gettext_lazy("研判已提交。")

    def perform(self, lead, form):
        services.assess_lead(actor=self.request.user, lead=lead, **form.service_kwargs())


class ReassignView(NegativeListActionView):
    form_class = ReassignForm
    success_message = gettext_lazy("线索已改派。")

    def perform(self, lead, form):
        services.reassign_lead(actor=self.request.user, lead=lead, **form.service_kwargs())


class AcceptView(LeadActionView):
    tells_when_gone = True
    form_class = AcceptForm
    success_message = gettext_lazy("已接收该线索，请及时跟进。")

    def perform(self, lead, form):
        services.accept_lead(actor=self.request.user, lead=lead)


class ReturnView(LeadActionView):
    tells_when_gone = True
    form_class = ReturnForm
    success_message = gettext_lazy("线索已退回招商中心。")

    def perform(self, lead, form):
        services.return_lead(actor=self.request.user, lead=lead, **form.service_kwargs())


class ShareView(LeadActionView):
    form_class = ShareForm
    success_message = gettext_lazy("线索已共享。")

    def perform(self, lead, form):
        services.share_lead(actor=self.request.user, lead=lead, **form.service_kwargs())


class UnshareView(LeadActionView):
    form_class = UnshareForm
    success_message = gettext_lazy("已取消共享。")

    def perform(self, lead, form):
        services.unshare_lead(actor=self.request.user, lead=lead, **form.service_kwargs())


class MovePoolView(LeadActionView):
    form_class = MovePoolForm
    success_message = gettext_lazy("已转库。")

    def perform(self, lead, form):
        services.move_pool(actor=self.request.user, lead=lead, **form.service_kwargs())


class FollowUpView(LeadActionView):
    form_class = FollowUpForm
    success_message = gettext_lazy("跟进记录已添加。")

    def perform(self, lead, form):
        services.add_follow_up(actor=self.request.user, lead=lead, **form.service_kwargs())


class CloseView(LeadActionView):
    form_class = CloseForm
    success_message = gettext_lazy("线索已关闭。")

    def perform(self, lead, form):
        services.close_lead(actor=self.request.user, lead=lead, **form.service_kwargs())


class ReopenView(LeadActionView):
    form_class = ReopenForm
    success_message = gettext_lazy("线索已重新打开。")

    def perform(self, lead, form):
        services.reopen_lead(actor=self.request.user, lead=lead, **form.service_kwargs())


class ConflictDecideView(RoleRequiredMixin, View):
    """The office decides who leads on a contested investor; the page it was on comes back."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        user = request.user
        conflict = selectors.conflicts_for(user).filter(pk=kwargs["pk"]).first()
        if conflict is None:
            raise Http404(_("未找到该撞单记录，或您无权查看。"))
        lead = lead_queryset(user).filter(pk__in=[conflict.lead_id, conflict.other_lead_id or 0]).first()
        if lead is None:
            # Only the visit side is the viewer's: the office, who decides, sees every lead of its city.
            raise PermissionDenied(DENIED["decide"])
        if not _holds(user, lead.owner, Role.OFFICE_STAFF):
            raise PermissionDenied(DENIED["decide"])
        form = ConflictDecideForm(request.POST, conflict=conflict, user=user)
        if form.is_valid():
            try:
                services.decide_conflict(actor=user, conflict=conflict, **form.service_kwargs())
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, _("撞单已裁定。"))
                return redirect(lead.get_absolute_url())
        ctx = lead_page_context(request, lead, {f"conflict-{conflict.pk}": form})
        return render(request, "leads/lead_detail.html", ctx)


# --- Reporting and correcting -------------------------------------------------------------------


class LeadFormMixin:
    template_name = "leads/lead_form.html"

    def saved(self, lead):
        messages.success(self.request, _("线索已保存：%(name)s。") % {"name": lead.name})
        return redirect(lead.get_absolute_url())

    def run(self, form, call):
        try:
            lead = call()
        except ValidationError as exc:
            service_errors(form, exc, LeadForm.service_field_names)
            return self.form_invalid(form)
        return self.saved(lead)


class LeadCreateView(LeadFormMixin, RoleRequiredMixin, FormView):
    """Report a lead; `?visit=<id>` captures it from a visit in one step (its company, day, chain, contact)."""

    required_roles = WRITER_ROLES
    form_class = LeadForm

    @cached_property
    def visit(self):
        visit_id = self.request.GET.get("visit")
        if not visit_id:
            return None
        visits = Visit.objects.visible_to(self.request.user).select_related("company", "unit", "chain")
        try:
            return visits.get(pk=visit_id)
        except (Visit.DoesNotExist, ValueError, TypeError):
            raise Http404(_("未找到该走访，或您无权查看。"))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, visit=self.visit)
        return kwargs

    def form_valid(self, form):
        data = form.service_kwargs()
        actor = self.request.user
        if self.visit is not None:
            return self.run(form, lambda: services.create_lead_from_visit(actor=actor, visit=self.visit, **data))
        return self.run(form, lambda: services.create_lead(actor=actor, **data))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("报送线索")
        ctx["visit"] = self.visit
        ctx["cancel_url"] = self.visit.get_absolute_url() if self.visit else reverse("leads:team_leads")
        return ctx


class LeadEditView(LeadFormMixin, EditableObjectFormMixin, FormView):
    """Correct a lead: its reporting unit until the office has assessed it, the office at any time."""

    model = Lead
    object_attr = "lead"
    form_class = LeadForm

    def get_queryset(self):
        return lead_queryset(self.request.user)

    def get_object(self, queryset=None):
        lead = super().get_object(queryset)
        if not available_actions(self.request.user, lead, [])["edit"]:
            raise PermissionDenied(
                _("线索已经研判（当前为“%(status)s”），报送单位不能再修改；如需更正请联系招商中心。")
                % {"status": lead.get_status_display()}
            )
        return lead

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, instance=self.lead)
        return kwargs

    def form_valid(self, form):
        data = form.service_kwargs()
        return self.run(form, lambda: services.update_lead(actor=self.request.user, lead=self.lead, **data))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("修改线索：%(name)s") % {"name": self.lead.name}
        ctx["cancel_url"] = self.lead.get_absolute_url()
        ctx["object"] = self.lead
        return ctx
