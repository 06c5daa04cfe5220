"""The "三个一批" rounds: the list, a new round, a round's page with its entries and rates, and the rates of a period.

Every rate states its basis and its numerator over its denominator, and links to the list
of the projects behind it (selectors.Rate.link: the one ProjectFilterSet, filtered by round
or by host and period, batch and stage reached).
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView
from django_tables2 import SingleTableMixin

from core.scope import scope_of
from core.views import RoleRequiredMixin, ScopedObjectMixin
from organizations.models import Unit

from .. import selectors, services
from ..choices import Batch, RateBasis
from ..forms import RatesForm, RoundEntryForm, RoundForm
from ..models import Round, RoundEntry
from ..tables import RoundTable, stage_badge, yi
from .common import MANAGER_ROLES, PER_PAGE, list_url, not_found, page_query, paginate, service_errors, tabs
from .edit import ServiceFormView
from .lists import chosen_unit


def chosen_basis(request):
    basis = request.GET.get("basis")
    return RateBasis(basis) if basis in RateBasis.values else RateBasis.AMOUNT


def figure(rate):
    """A rate as the page states it: "96% （按投资额：22.90亿元 / 23.90亿元）" or "91% （按项目个数：10 / 11）"."""
    if rate.basis == RateBasis.AMOUNT:
        numerator = _("%(amount)s亿元") % {"amount": yi(rate.numerator)}
        denominator = _("%(amount)s亿元") % {"amount": yi(rate.denominator)}
    else:
        numerator, denominator = str(int(rate.numerator)), str(int(rate.denominator))
    return _("%(value)s （%(basis)s：%(numerator)s / %(denominator)s）") % {
        "value": rate.display,
        "basis": rate.basis_label,
        "numerator": numerator,
        "denominator": denominator,
    }


def with_figures(rates):
    for rate in rates:
        rate.figure = figure(rate)
    return rates


def basis_links(request, basis):
    """The basis picker: this page with each basis, the other filters kept."""
    links = []
    for choice in RateBasis:
        params = request.GET.copy()
        params["basis"] = choice.value
        params.pop("page", None)
        links.append((choice.label, f"?{params.urlencode()}", choice == basis))
    return links


# --- The list and a new round -------------------------------------------------------------------------


class RoundListView(RoleRequiredMixin, SingleTableMixin, ListView):
    """The rounds the user may see, newest first, with how many projects each batch lists."""

    model = Round
    table_class = RoundTable
    template_name = "projects/round_list.html"
    paginate_by = None

    def get_queryset(self):
        return (
            selectors.rounds_for(self.request.user)
            .select_related("host_unit")
            .annotate(
                signed_count=Count("entries", filter=Q(entries__batch=Batch.SIGNED)),
                started_count=Count("entries", filter=Q(entries__batch=Batch.STARTED)),
                producing_count=Count("entries", filter=Q(entries__batch=Batch.PRODUCING)),
            )
            .order_by("-held_on", "-id")
        )

    def get_table_pagination(self, table):
        return {"per_page": PER_PAGE}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.update(title=_("“三个一批”活动"), tab="rounds", tabs=tabs(user), rates_url=reverse("projects:round_rates"))
        if scope_of(user).has(*MANAGER_ROLES):
            ctx["create_url"] = reverse("projects:round_create")
        return ctx


class RoundCreateView(RoleRequiredMixin, ServiceFormView):
    required_roles = MANAGER_ROLES
    form_class = RoundForm
    renames = {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        actor = self.request.user
        return self.run(
            form,
            lambda: services.create_round(actor=actor, **form.service_kwargs()),
            _("活动已登记，请列入项目。"),
            lambda found: found.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("登记“三个一批”活动"), cancel_url=reverse("projects:round_list"), **kwargs
        )


# --- A round's page -------------------------------------------------------------------------------------


def round_page(request, found, entry_form=None):
    """A round's entries by batch, its three rates on the chosen basis, and the add-entry form for its editors."""
    user = request.user
    basis = chosen_basis(request)
    entries = list(
        found.entries.select_related("project", "project__host_unit").order_by("batch", "project__name", "id")
    )
    groups = []
    for batch in Batch:
        listed = [e for e in entries if e.batch == batch]
        for entry in listed:
            entry.stage_badge = stage_badge(entry.project)
            entry.investment_yi = yi(entry.investment)
        groups.append(
            {
                "batch": batch,
                "entries": listed,
                "amount": yi(sum((e.investment for e in listed), Decimal(0))),
                "url": list_url(round=found.pk, batch=batch.value),
            }
        )
    rates = selectors.round_rates([found], basis, decimals=found.rate_decimals, rounds_filter={"round": found.pk})
    can_edit = Round.objects.editable_by(user).filter(pk=found.pk).exists()
    if entry_form is None and can_edit:
        entry_form = RoundEntryForm(round=found, user=user)
    ctx = {
        "round": found,
        "object": found,
        "title": found.name,
        "groups": groups,
        "rates": with_figures(rates),
        "basis": basis,
        "basis_links": basis_links(request, basis),
        "can_edit": can_edit,
        "entry_form": entry_form,
        "tab": "rounds",
        "tabs": tabs(user),
    }
    return render(request, "projects/round_detail.html", ctx)


class RoundDetailView(ScopedObjectMixin, View):
    model = Round
    http_method_names = ["get"]

    def get_queryset(self):
        return selectors.rounds_for(self.request.user).select_related("host_unit", "owner")

    def get(self, request, *args, **kwargs):
        return round_page(request, self.get_object())


class RoundEntryAddView(ScopedObjectMixin, View):
    """List a project in the round; a refusal (listed twice, not yet started …) shows the round's page with it."""

    model = Round
    http_method_names = ["post"]

    def get_queryset(self):
        return selectors.rounds_for(self.request.user).select_related("host_unit", "owner")

    def post(self, request, *args, **kwargs):
        found = self.get_object()
        if not Round.objects.editable_by(request.user).filter(pk=found.pk).exists():
            raise PermissionDenied(_("只有本市招商中心或举办单位可以调整活动的项目。"))
        form = RoundEntryForm(request.POST, round=found, user=request.user)
        if form.is_valid():
            try:
                services.add_to_round(actor=request.user, round=found, **form.service_kwargs())
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, _("项目已列入活动。"))
                return redirect(f"{found.get_absolute_url()}#entries")
        return round_page(request, found, form)


class RoundEntryRemoveView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        user = request.user
        entry = (
            RoundEntry.objects.filter(round__in=selectors.rounds_for(user), pk=kwargs["pk"])
            .select_related("round", "round__host_unit", "project")
            .first()
        )
        if entry is None:
            raise not_found()
        if not Round.objects.editable_by(user).filter(pk=entry.round_id).exists():
            raise PermissionDenied(_("只有本市招商中心或举办单位可以调整活动的项目。"))
        found = entry.round
        services.remove_from_round(actor=user, entry=entry)
        messages.success(request, _("已从活动中移除“%(name)s”。") % {"name": entry.project.name})
        return redirect(f"{found.get_absolute_url()}#entries")


# --- The rates of a period ---------------------------------------------------------------------------------


def counted(projects):
    """The projects that count under each city's 统计口径 (first signing, confirmed, at least its minimum)."""
    owner_ids = list(projects.order_by().values_list("owner_id", flat=True).distinct())
    match = Q(pk__in=[])
    minimums = {}
    for owner in Unit.objects.filter(pk__in=owner_ids).order_by("path"):
        settings = services.project_settings_for(owner)
        minimums[owner] = settings.min_count_amount
        match |= Q(pk__in=selectors.counted_projects(projects.filter(owner=owner), settings).values("pk"))
    return projects.filter(match), minimums


class RoundRatesView(RoleRequiredMixin, TemplateView):
    """The three rates over the rounds of a unit and period, what the batches list, and the signed projects' rates."""

    template_name = "projects/round_rates.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request = self.request
        user = request.user
        form = RatesForm(request.GET or None, user=user)
        unit = chosen_unit(form)
        data = form.cleaned_data if form.is_bound else {}
        start, end = data.get("start"), data.get("end")
        basis = chosen_basis(request)
        rounds = selectors.rounds_in(user, unit=unit, start=start, end=end)
        rounds_filter = {
            key: value
            for key, value in (
                ("round_host", unit.pk if unit else None),
                ("round_from", start.isoformat() if start else None),
                ("round_to", end.isoformat() if end else None),
            )
            if value
        }
        decimals = selectors.published_decimals(rounds)
        rates = selectors.round_rates(rounds, basis, decimals=decimals, rounds_filter=rounds_filter)
        summary = selectors.batch_summary(rounds)
        batches = [
            {
                "batch": batch,
                "count": summary[batch.value]["count"],
                "amount": yi(summary[batch.value]["amount"]),
                "url": list_url(batch=batch.value, **rounds_filter),
            }
            for batch in Batch
        ]
        signed = selectors.projects_for(user).filter(signed_on__isnull=False)
        if unit is not None:
            signed = signed.filter(host_unit__path__startswith=unit.path)
        if start:
            signed = signed.filter(signed_on__gte=start)
        if end:
            signed = signed.filter(signed_on__lte=end)
        signed, minimums = counted(signed)
        signed_rates = selectors.signed_rates(signed)
        single_minimum = next(iter(minimums.values())) if len(minimums) == 1 else None
        drill = {
            "reached": "signed",
            "first_signing": "true",
            "unit": unit.pk if unit else None,
            "signed_from": start.isoformat() if start else None,
            "signed_to": end.isoformat() if end else None,
            "amount_min": single_minimum or None,
        }
        for rate in signed_rates:
            rate.decimals = decimals
            rate.drill = list_url(**drill)
        ctx.update(
            title=_("“三个一批”比率统计"),
            form=form,
            unit=unit,
            basis=basis,
            basis_links=basis_links(request, basis),
            rates=with_figures(rates),
            batches=batches,
            signed_rates=with_figures(signed_rates),
            minimums=[(owner, yi(amount)) for owner, amount in minimums.items()],
            page=paginate(request, rounds.select_related("host_unit").order_by("-held_on", "-id")),
            page_query=page_query(request),
            tab="rounds",
            tabs=tabs(user),
        )
        return ctx
