"""Pages for the outreach ledgers. Thin: a form checks the shape, one service writes, scope decides what is seen.

The five ledgers share one set of page classes; each concrete view names its kind
("visit", "inspection", "event", "trip", "stationing"), which also names its URLs
(`outreach:<kind>_list` …) and its services (`create_<kind>`, `update_<kind>`, `delete_<kind>`).

Who writes: the people of the unit that did the work (team leader and members, county
staff). The office and leaders read every team's ledgers but do not write them: a
record is the team's own account of its work, so the create pages are refused to them
(403) and a team's record is visible to them but not editable (403 on its edit pages).
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from core.ledgers import LEDGER_ROLES
from core.masking import mask_phone
from core.scope import scope_of
from core.views import EditableObjectFormMixin, RoleRequiredMixin, ScopedListView, ScopedObjectMixin, ServiceFormMixin
from enterprises.choices import CONTACT_PHONE_ROLES

from . import selectors, services
from .filtersets import EventFilterSet, InspectionFilterSet, StationingFilterSet, TripFilterSet, VisitFilterSet
from .forms import EventForm, InspectionForm, StationingForm, TripForm, VisitForm
from .models import WRITER_ROLES, Inspection, OutboundTrip, PromotionEvent, Stationing, Visit
from .tables import EventTable, InspectionTable, StationingTable, TripTable, VisitTable, company_url

KINDS = {
    "visit": {
        "model": Visit,
        "queryset": selectors.visits_for,
        "noun": gettext_lazy("走访"),
        "list_title": gettext_lazy("走访企业台账"),
        "create_label": gettext_lazy("登记走访"),
    },
    "inspection": {
        "model": Inspection,
        "queryset": selectors.inspections_for,
        "noun": gettext_lazy("考察"),
        "list_title": gettext_lazy("邀请企业来运考察台账"),
        "create_label": gettext_lazy("登记考察"),
    },
    "event": {
        "model": PromotionEvent,
        "queryset": selectors.events_for,
        "noun": gettext_lazy("推介会"),
        "list_title": gettext_lazy("推介会"),
        "create_label": gettext_lazy("登记推介会"),
    },
    "trip": {
        "model": OutboundTrip,
        "queryset": selectors.trips_for,
        "noun": gettext_lazy("外出招商"),
        "list_title": gettext_lazy("外出招商"),
        "create_label": gettext_lazy("登记外出招商"),
    },
    "stationing": {
        "model": Stationing,
        "queryset": selectors.stationings_for,
        "noun": gettext_lazy("驻点记录"),
        "list_title": gettext_lazy("驻点记录"),
        "create_label": gettext_lazy("登记驻点"),
    },
}


def _is_writer(user):
    return scope_of(user).has(*WRITER_ROLES)


class KindMixin:
    kind = ""

    @property
    def spec(self):
        return KINDS[self.kind]

    @property
    def model(self):
        return self.spec["model"]

    def url(self, name, *args):
        return reverse(f"outreach:{self.kind}_{name}", args=args)

    def kind_context(self):
        return {
            "kind": self.kind,
            "noun": self.spec["noun"],
            "list_url": self.url("list"),
            "list_title": self.spec["list_title"],
        }


# --- Lists ---------------------------------------------------------------------------------


class LedgerListView(KindMixin, ScopedListView):
    template_name = "outreach/list.html"
    partial_template_name = "partials/table.html"

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return [self.partial_template_name]
        return [self.template_name]

    @property
    def title(self):
        return self.spec["list_title"]

    def get_queryset(self):
        return self.spec["queryset"](self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.kind_context())
        if _is_writer(self.request.user):
            ctx["create_url"] = self.url("create")
            ctx["create_label"] = self.spec["create_label"]
        ledger = LEDGER_OF_KIND.get(self.kind)
        scope = scope_of(self.request.user)
        if ledger and scope.has(*LEDGER_ROLES):
            # The month-end ledger: the unit and period chosen in the filters, in the centre's format.
            data = self.filterset.form.cleaned_data if self.filterset.is_valid() else {}
            query = {"org": data["unit"].pk} if data.get("unit") else {}
            for name, field in (("start", "date_from"), ("end", "date_to")):
                if data.get(field):
                    query[name] = data[field].isoformat()
            ctx["export_url"] = reverse("core:export_ledger", args=[ledger]) + ("?" + urlencode(query) if query else "")
        if ledger and _is_writer(self.request.user):
            ctx["import_url"] = reverse("core:import_upload", args=[ledger])
        return ctx


# The Excel ledger (core.ledgers) each list exports and imports.
LEDGER_OF_KIND = {"visit": "visits", "inspection": "inspections"}


class VisitListView(LedgerListView):
    kind = "visit"
    table_class = VisitTable
    filterset_class = VisitFilterSet


class InspectionListView(LedgerListView):
    kind = "inspection"
    table_class = InspectionTable
    filterset_class = InspectionFilterSet


class EventListView(LedgerListView):
    kind = "event"
    table_class = EventTable
    filterset_class = EventFilterSet


class TripListView(LedgerListView):
    kind = "trip"
    table_class = TripTable
    filterset_class = TripFilterSet
    template_name = "outreach/trip_list.html"
    partial_template_name = "outreach/_trip_results.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filtered = self.filterset.qs if self.filterset.is_valid() else self.get_queryset()
        date_from = self.filterset.form.cleaned_data.get("date_from") if self.filterset.is_valid() else None
        year = date_from.year if date_from else timezone.localdate().year
        ctx["year"] = year
        ctx["trip_counts"] = selectors.trip_counts(filtered, year)[:20]
        return ctx


class StationingListView(LedgerListView):
    kind = "stationing"
    table_class = StationingTable
    filterset_class = StationingFilterSet
    template_name = "outreach/stationing_list.html"
    partial_template_name = "outreach/_stationing_results.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        fs = self.filterset
        year = fs.chosen_year()
        valid = fs.is_valid()
        cleaned = fs.form.cleaned_data if valid else {}
        queryset = fs.qs if valid else self.get_queryset()
        ctx["year"] = year
        ctx["min_days"] = selectors.LEADER_MIN_STATIONING_DAYS
        ctx["summary"] = selectors.stationing_summary(
            user=self.request.user,
            queryset=queryset,
            year=year,
            person=cleaned.get("person"),
            unit=cleaned.get("unit"),
        )
        return ctx


# --- Details -------------------------------------------------------------------------------


class LedgerDetailView(KindMixin, ScopedObjectMixin, TemplateView):
    def get_template_names(self):
        return [f"outreach/{self.kind}_detail.html"]

    def get_queryset(self):
        return selectors.with_details(self.spec["queryset"](self.request.user))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.get_object()
        user = self.request.user
        ctx.update(self.kind_context())
        ctx["object"] = obj
        ctx[self.kind] = obj
        ctx["title"] = f"{self.spec['noun']}：{obj}"
        ctx["can_edit"] = self.model.objects.editable_by(user).filter(pk=obj.pk).exists()
        ctx["attachments"] = list(obj.attachments.all())
        ctx["edit_url"] = self.url("edit", obj.pk)
        ctx["delete_url"] = self.url("delete", obj.pk)
        return ctx


class VisitDetailView(LedgerDetailView):
    kind = "visit"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        visit = ctx["object"]
        phone = visit.contact_phone
        # Investors' phone numbers only for those who call them.
        ctx["contact_phone"] = phone if scope_of(self.request.user).has(*CONTACT_PHONE_ROLES) else mask_phone(phone)
        ctx["company_url"] = company_url(visit.company_id)
        # "报送线索" from this visit: for those who report for its unit (its team, or the county above it).
        ctx["can_report_lead"] = visit.unit.active and any(
            visit.unit.path.startswith(p) for p in scope_of(self.request.user).paths(*WRITER_ROLES)
        )
        return ctx


class InspectionDetailView(LedgerDetailView):
    kind = "inspection"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["company_url"] = company_url(ctx["object"].company_id)
        return ctx


class EventDetailView(LedgerDetailView):
    kind = "event"


class TripDetailView(LedgerDetailView):
    kind = "trip"


class StationingDetailView(LedgerDetailView):
    kind = "stationing"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        stationing = ctx["object"]
        year = stationing.start_date.year
        ctx["year"] = year
        ctx["year_days"] = selectors.stationing_days(stationing.person, year)
        ctx["min_days"] = selectors.LEADER_MIN_STATIONING_DAYS
        return ctx


# --- Create, edit, delete ------------------------------------------------------------------


class SavedMessageMixin:
    def saved_message(self, obj):
        return _("%(noun)s已保存。") % {"noun": self.spec["noun"]}

    def finish(self, form, call):
        result = self.run_service(form, call)
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, self.saved_message(result))
        return redirect(result.get_absolute_url())

    def form_context(self, ctx):
        ctx.update(self.kind_context())
        ctx["form_id"] = f"{self.kind}-form"
        return ctx


class LedgerCreateView(KindMixin, SavedMessageMixin, RoleRequiredMixin, ServiceFormMixin, FormView):
    required_roles = WRITER_ROLES
    form_takes_user = True
    template_name = "outreach/form.html"

    def form_valid(self, form):
        data = form.service_kwargs()
        service = getattr(services, f"create_{self.kind}")
        return self.finish(form, lambda: service(actor=self.request.user, **data))

    def get_context_data(self, **kwargs):
        ctx = self.form_context(super().get_context_data(**kwargs))
        ctx["title"] = self.spec["create_label"]
        ctx["cancel_url"] = self.url("list")
        return ctx


class LedgerEditView(KindMixin, SavedMessageMixin, EditableObjectFormMixin, FormView):
    form_takes_user = True
    object_attr = "record"
    template_name = "outreach/form.html"

    def get_queryset(self):
        return selectors.with_details(self.spec["queryset"](self.request.user))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.record
        return kwargs

    def form_valid(self, form):
        data = form.service_kwargs()
        service = getattr(services, f"update_{self.kind}")
        return self.finish(form, lambda: service(actor=self.request.user, **{self.kind: self.record}, **data))

    def get_context_data(self, **kwargs):
        ctx = self.form_context(super().get_context_data(**kwargs))
        ctx["title"] = _("编辑%(noun)s：%(record)s") % {"noun": self.spec["noun"], "record": self.record}
        ctx["cancel_url"] = self.record.get_absolute_url()
        ctx["object"] = self.record
        return ctx


class ConfirmForm(forms.Form):
    pass


class LedgerDeleteView(KindMixin, EditableObjectFormMixin, FormView):
    object_attr = "record"
    form_class = ConfirmForm
    template_name = "outreach/confirm_delete.html"

    def form_valid(self, form):
        service = getattr(services, f"delete_{self.kind}")
        self.success_message = _("%(noun)s已删除。") % {"noun": self.spec["noun"]}
        return self.service_response(
            form,
            lambda: service(actor=self.request.user, **{self.kind: self.record}) or True,
            lambda _r: self.url("list"),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.kind_context())
        ctx["title"] = _("删除%(noun)s：%(record)s") % {"noun": self.spec["noun"], "record": self.record}
        ctx["object"] = self.record
        ctx["cancel_url"] = self.record.get_absolute_url()
        return ctx


class VisitCreateView(LedgerCreateView):
    kind = "visit"
    form_class = VisitForm
    template_name = "outreach/visit_form.html"

    def saved_message(self, visit):
        url = company_url(visit.company_id)
        if not url:
            return _("走访已保存：%(company)s。") % {"company": visit.company.name}
        return format_html(
            '{} <a class="alert-link" href="{}" data-testid="company-link">{}</a>',
            _("走访已保存。"),
            url,
            _("查看企业“%(company)s”") % {"company": visit.company.name},
        )


class VisitEditView(LedgerEditView):
    kind = "visit"
    form_class = VisitForm
    template_name = "outreach/visit_form.html"


class InspectionCreateView(LedgerCreateView):
    kind = "inspection"
    form_class = InspectionForm


class InspectionEditView(LedgerEditView):
    kind = "inspection"
    form_class = InspectionForm


class EventCreateView(LedgerCreateView):
    kind = "event"
    form_class = EventForm


class EventEditView(LedgerEditView):
    kind = "event"
    form_class = EventForm


class TripCreateView(LedgerCreateView):
    kind = "trip"
    form_class = TripForm


class TripEditView(LedgerEditView):
    kind = "trip"
    form_class = TripForm


class StationingCreateView(LedgerCreateView):
    kind = "stationing"
    form_class = StationingForm


class StationingEditView(LedgerEditView):
    kind = "stationing"
    form_class = StationingForm


class VisitDeleteView(LedgerDeleteView):
    kind = "visit"


class InspectionDeleteView(LedgerDeleteView):
    kind = "inspection"


class EventDeleteView(LedgerDeleteView):
    kind = "event"


class TripDeleteView(LedgerDeleteView):
    kind = "trip"


class StationingDeleteView(LedgerDeleteView):
    kind = "stationing"
