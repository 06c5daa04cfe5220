"""A project's page and the actions on it: move the stage, confirm or send back a move, report progress, amend,
enter the library. Each action is a POST to its own URL calling one service; a refusal shows the page again with
the message on the form, and nothing is written.
"""

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.models import Attachment
from core.views import RoleRequiredMixin, ScopedObjectMixin
from leads.models import Lead
from leads.tables import wan
from outreach.tables import company_url

from .. import selectors, services
from ..choices import FOUR_DUTIES_FROM, Verification
from ..forms import AmendForm, EvidenceForm, LibraryForm, MoveStageForm, ProgressForm, VerifyForm
from ..models import Project, StageChange
from ..tables import stage_badge, yi
from .common import capacity, not_found, service_errors, tabs
from .lists import queue_page

# Months of progress the page's chart draws (the table below it lists them all).
CHART_MONTHS = 12
CHART_WIDTH = 600
CHART_HEIGHT = 160


def project_queryset(user):
    """A project as its page shows it: its units, chain, lead, 包联 leader, investors and files."""
    return (
        selectors.projects_for(user)
        .select_related(
            "owner", "host_unit", "chain", "segment", "lead", "leader", "responsible_unit", "predecessor", "created_by"
        )
        .prefetch_related("investors", Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
    )


def days_between(start, end):
    return (end - start).days if start and end else None


def cycle_times(project):
    """Days from first contact to signing, signing to start, signing to production (seed 002: 54 and 150)."""
    return [
        (_("首次接洽 → 签约"), days_between(project.first_contact_on, project.signed_on)),
        (_("签约 → 开工"), days_between(project.signed_on, project.started_on)),
        (_("签约 → 投产"), days_between(project.signed_on, project.producing_on)),
    ]


def progress_chart(project, reports):
    """Completed investment month by month against the total, as SVG bars (no script, no inline style)."""
    shown = sorted(reports, key=lambda r: r.month)[-CHART_MONTHS:]
    if not shown:
        return None
    total = project.total_investment or 0
    top = max([total, *(r.completed_investment for r in shown)]) or 1
    slot = CHART_WIDTH / len(shown)
    bars = []
    for i, report in enumerate(shown):
        height = float(report.completed_investment / top) * CHART_HEIGHT
        bars.append(
            {
                "x": round(i * slot + slot * 0.2, 1),
                "y": round(CHART_HEIGHT - height, 1),
                "width": round(slot * 0.6, 1),
                "height": round(height, 1),
                "label_x": round(i * slot + slot / 2, 1),
                "month": f"{report.month:%Y-%m}",
                "value": yi(report.completed_investment),
            }
        )
    total_y = round(CHART_HEIGHT - float(total / top) * CHART_HEIGHT, 1) if total else None
    return {"bars": bars, "total_y": total_y, "width": CHART_WIDTH, "height": CHART_HEIGHT}


def timeline(changes, reports, amendments):
    """What happened to the project, newest first: stage moves, monthly reports, amendments."""
    events = []
    for change in changes:
        events.append(
            {
                "date": change.happened_on,
                "at": change.at,
                "kind": "stage",
                "label": _("阶段变更"),
                "text": f"{change.get_from_stage_display()} → {change.get_to_stage_display()}",
                "note": change.reason,
                "status": change.get_verification_display() if change.verification != Verification.NOT_NEEDED else "",
                "actor": change.actor,
            }
        )
    for report in reports:
        events.append(
            {
                "date": report.month,
                "at": report.reported_at,
                "kind": "progress",
                "label": _("月度进展"),
                "text": _("%(month)s 累计完成投资 %(done)s 亿元")
                % {"month": f"{report.month:%Y-%m}", "done": yi(report.completed_investment)},
                "note": report.progress,
                "status": _("逾期报送") if report.late else "",
                "actor": report.reported_by,
            }
        )
    for amendment in amendments:
        text = amendment.get_kind_display()
        if amendment.amount:
            text += _("：增加投资 %(amount)s 万元") % {"amount": wan(amendment.amount)}
        if amendment.old_name:
            text += _("：原名“%(name)s”") % {"name": amendment.old_name}
        events.append(
            {
                "date": amendment.happened_on,
                "at": amendment.at,
                "kind": "amendment",
                "label": _("项目变更"),
                "text": text,
                "note": amendment.note,
                "status": "",
                "actor": amendment.actor,
            }
        )
    return sorted(events, key=lambda e: (e["date"], e["at"]), reverse=True)


def action_forms(user, project, can, moves, bound, *, pending=None):
    """The forms of the actions open to the viewer, in the page's order; a submitted one comes back bound."""
    # A pending move without its evidence (an imported signing): those who work the project add it.
    needs_evidence = pending is not None and not pending.attachments.all() and (can["work"] or can["verify"])
    out = []
    if "evidence" in bound:
        out.append(bound["evidence"])
    elif needs_evidence:
        out.append(EvidenceForm(project=project, user=user, change=pending))
    offered = {
        "move": can["work"] and bool(moves),
        "progress": can["work"],
        "amend": can["manage"],
        "library": can["manage"],
    }
    classes = {"move": MoveStageForm, "progress": ProgressForm, "amend": AmendForm, "library": LibraryForm}
    for name, form_class in classes.items():
        if name in bound:
            out.append(bound[name])
        elif offered[name]:
            extra = {"moves": moves} if name == "move" else {}
            out.append(form_class(project=project, user=user, **extra))
    return out


def project_page_context(request, project, bound=None):
    """Everything a project's page shows; `bound` holds a submitted form (by action name) to show with its errors."""
    user = request.user
    bound = bound or {}
    can = capacity(user, project)
    changes = list(
        project.stage_changes.select_related("actor", "verified_by").prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
        )
    )
    pending = next((c for c in reversed(changes) if c.verification == Verification.PENDING), None)
    moves = services.allowed_moves(project) if can["work"] and not project.pending else {}
    verify_form = bound.get("verify")
    if verify_form is None and pending is not None and can["verify"] and pending.actor_id != user.pk:
        verify_form = VerifyForm(change=pending)
    reports = list(project.progress_reports.select_related("reported_by").order_by("-month"))
    amendments = list(project.amendments.select_related("actor"))
    team = list(project.team.select_related("user").order_by("-is_head", "user__name"))
    four_duties = project.total_investment is not None and project.total_investment >= FOUR_DUTIES_FROM
    duties = list(project.duties.select_related("unit")) if four_duties else []
    rounds = list(
        project.round_entries.filter(round__in=selectors.rounds_for(user))
        .select_related("round", "round__host_unit")
        .order_by("-round__held_on")
    )
    lead_visible = bool(project.lead_id) and Lead.objects.visible_to(user).filter(pk=project.lead_id).exists()
    total = project.total_investment
    share = None
    if total:
        share = min(100, round(float(project.completed_investment * 100 / total), 1))
    return {
        "project": project,
        "object": project,
        "title": project.name,
        "stage_badge": stage_badge(project),
        "can": can,
        "investors": [(c, company_url(c.pk)) for c in project.investors.all()],
        "lead_visible": lead_visible,
        "amounts": {
            field: {"wan": wan(getattr(project, field)), "yi": yi(getattr(project, field))}
            for field in ("total_investment", "fixed_investment", "completed_investment", "funds_arrived")
        },
        "changes": changes,
        "pending_change": pending,
        "verify_form": verify_form,
        "own_pending": pending is not None and pending.actor_id == user.pk,
        "action_forms": action_forms(user, project, can, moves, bound, pending=pending),
        "open_form": next(iter(bound), ""),
        "reports": reports,
        "chart": progress_chart(project, reports),
        "completed_share": share,
        "amendments": amendments,
        "team": team,
        "four_duties": four_duties,
        "duties": duties,
        "rounds": rounds,
        "timeline": timeline(changes, reports, amendments),
        "cycle_times": cycle_times(project),
        "attachments": list(project.attachments.all()),
        "tabs": tabs(user),
    }


class ProjectDetailView(ScopedObjectMixin, TemplateView):
    model = Project
    template_name = "projects/detail.html"

    def get_queryset(self):
        return project_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(project_page_context(self.request, self.get_object()))
        return ctx


class ProjectActionView(ScopedObjectMixin, View):
    """POST one action on a project; on a refusal the project's page comes back with the message on the form."""

    model = Project
    http_method_names = ["post"]
    form_class = None
    # The capacity (see common.capacity) the action needs; anyone else who sees the project gets a 403.
    needs = "work"
    denied = ""
    success_message = ""

    def get_queryset(self):
        return project_queryset(self.request.user)

    def post(self, request, *args, **kwargs):
        project = self.get_object()
        if not self.allowed(capacity(request.user, project)):
            raise PermissionDenied(self.denied)
        form = self.make_form(request, project)
        if form.is_valid():
            try:
                self.perform(project, form)
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, self.success_message)
                return redirect(f"{project.get_absolute_url()}#{self.anchor}")
        ctx = project_page_context(request, project, {form.name: form})
        return render(request, "projects/detail.html", ctx)

    anchor = "actions"

    def allowed(self, can):
        return can[self.needs]

    def make_form(self, request, project):
        return self.form_class(request.POST, request.FILES, project=project, user=request.user)

    def perform(self, project, form):
        raise ImproperlyConfigured(f"{type(self).__name__} must define perform(project, form): call one service.")


class MoveStageView(ProjectActionView):
    form_class = MoveStageForm
    denied = gettext_lazy("只有本市招商中心、落地县区、责任单位或服务专班可以变更项目阶段。")
    success_message = gettext_lazy("阶段变更已记录；签约及以后的阶段须经核验员核验后计入统计。")
    anchor = "stages"

    def make_form(self, request, project):
        return self.form_class(
            request.POST, request.FILES, project=project, user=request.user, moves=services.allowed_moves(project)
        )

    def perform(self, project, form):
        services.advance_stage(actor=self.request.user, project=project, **form.service_kwargs())


class EvidenceView(ProjectActionView):
    """Attach the evidence of the pending move (an imported signing's contract) so that it can be verified."""

    form_class = EvidenceForm
    denied = gettext_lazy("只有本市招商中心、落地县区、责任单位、服务专班或核验员可以补充佐证材料。")
    success_message = gettext_lazy("佐证材料已上传，等待核验员核验。")
    anchor = "stages"

    def allowed(self, can):
        return can["work"] or can["verify"]

    def pending_change(self, project):
        change = project.stage_changes.filter(verification=Verification.PENDING).last()
        if change is None:
            raise not_found()
        return change

    def make_form(self, request, project):
        change = self.pending_change(project)
        return self.form_class(request.POST, request.FILES, project=project, user=request.user, change=change)

    def perform(self, project, form):
        services.attach_stage_evidence(actor=self.request.user, change=form.change, **form.service_kwargs())


class ProgressView(ProjectActionView):
    form_class = ProgressForm
    denied = gettext_lazy("只有服务专班、责任单位、落地县区或招商中心可以报送项目进展。")
    success_message = gettext_lazy("月度进展已报送。")
    anchor = "progress"

    def perform(self, project, form):
        services.report_progress(actor=self.request.user, project=project, **form.service_kwargs())


class AmendView(ProjectActionView):
    form_class = AmendForm
    needs = "manage"
    denied = gettext_lazy("只有本市招商中心或落地县区可以登记项目变更。")
    success_message = gettext_lazy("项目变更已登记。")
    anchor = "amendments"

    def perform(self, project, form):
        services.amend_project(actor=self.request.user, project=project, **form.service_kwargs())


class LibraryToggleView(ProjectActionView):
    form_class = LibraryForm
    needs = "manage"
    denied = gettext_lazy("只有本市招商中心或落地县区可以办理入库和备案。")
    success_message = gettext_lazy("入库与备案已保存。")

    def perform(self, project, form):
        services.set_library(actor=self.request.user, project=project, **form.service_kwargs())


class ChangeVerifyView(RoleRequiredMixin, View):
    """A verifier confirms or sends back a pending move, from the project's page or from their queue."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        user = request.user
        change = (
            StageChange.objects.filter(project__in=selectors.projects_for(user), pk=kwargs["pk"])
            .select_related("project")
            .first()
        )
        if change is None:
            raise not_found()
        project = project_queryset(user).get(pk=change.project_id)
        if not services.may_verify(user, project):
            raise PermissionDenied(_("只有项目核验员可以核验阶段变更。"))
        from_queue = request.POST.get("next") == "queue"
        form = VerifyForm(request.POST, change=change)
        if form.is_valid():
            try:
                services.verify_stage(actor=user, change=change, **form.service_kwargs())
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                confirmed = form.cleaned_data["decision"] == "confirm"
                messages.success(request, _("已核验通过，计入统计。") if confirmed else _("已退回，项目恢复原阶段。"))
                if from_queue:
                    return redirect("projects:verify_queue")
                return redirect(f"{project.get_absolute_url()}#stages")
        if from_queue:
            return queue_page(request, {change.pk: form})
        return render(request, "projects/detail.html", project_page_context(request, project, {"verify": form}))
