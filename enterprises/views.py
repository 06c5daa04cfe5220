"""Pages of the company directory. Thin: a form checks the shape, a service in enterprises.services writes."""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from core.scope import scope_of
from core.views import EditableObjectFormMixin, RoleRequiredMixin, ScopedListView, ScopedObjectMixin, ServiceFormMixin
from organizations.choices import Role

from . import selectors, services, timeline
from .filtersets import CompanyFilterSet
from .forms import CompanyForm, ContactEditForm, ContactForm, MergeForm
from .models import WRITER_ROLES, Company, Contact
from .tables import CompanyTable

# Who enters companies and contacts: the office and the people doing the outreach.
DIRECTORY_WRITERS = (Role.OFFICE_STAFF, *WRITER_ROLES)


def can_write(user):
    return scope_of(user).has(*DIRECTORY_WRITERS)


class CompanyListView(ScopedListView):
    model = Company
    table_class = CompanyTable
    filterset_class = CompanyFilterSet
    title = gettext_lazy("目标企业库")
    template_name = "enterprises/company_list.html"

    def get_queryset(self):
        return selectors.company_list(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_create"] = can_write(self.request.user)
        return ctx


class CompanyDetailView(ScopedObjectMixin, TemplateView):
    model = Company
    template_name = "enterprises/company_detail.html"

    def get_queryset(self):
        return selectors.company_for_detail(self.request.user)

    def get(self, request, *args, **kwargs):
        self.company = self.get_object()
        if self.company.merged_into_id:
            # Old links, bookmarks and ledgers still lead to the record that absorbed it.
            messages.info(
                request,
                _("“%(old)s”已合并至“%(new)s”，已为您打开合并后的记录。")
                % {"old": self.company.name, "new": self.company.merged_into.name},
            )
            return redirect(self.company.merged_into.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, company = self.request.user, self.company
        scope = scope_of(user)
        sees = selectors.sees_phones(user)
        contacts = list(selectors.company_contacts(company))
        for contact in contacts:
            contact.phone_shown = selectors.phone_shown(user, contact.phone, sees)
        led_chains = list(selectors.led_chains(company, user))
        for role in led_chains:
            role.chain_url = timeline.link_to(role.chain)
        ctx.update(
            company=company,
            contacts=contacts,
            segments=selectors.company_segments(company, user),
            led_chains=led_chains,
            timeline=timeline.company_timeline(company, user),
            can_edit=Company.objects.editable_by(user).filter(pk=company.pk).exists(),
            can_add_contact=can_write(user),
            can_edit_contacts=scope.has(*DIRECTORY_WRITERS),
            can_merge=scope.has(Role.OFFICE_STAFF),
        )
        return ctx


class DuplicateOfferMixin(ServiceFormMixin):
    """On a duplicate, keep the existing record to offer it on the page beside the form's error."""

    existing = None

    def run_service(self, form, call):
        def guarded():
            try:
                return call()
            except services.DuplicateCompany as exc:
                visible = selectors.visible_companies(self.request.user).filter(pk=exc.existing.pk).first()
                self.existing = visible
                raise

        return super().run_service(form, guarded)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["existing"] = self.existing
        return ctx


class CompanyCreateView(RoleRequiredMixin, DuplicateOfferMixin, FormView):
    required_roles = DIRECTORY_WRITERS
    form_class = CompanyForm
    template_name = "enterprises/company_form.html"
    success_message = gettext_lazy("企业已录入目标企业库。")
    form_takes_user = True

    def get_initial(self):
        return {"name": self.request.GET.get("name", "")[:200]}

    def form_valid(self, form):
        data = form.changes()
        return self.service_response(
            form,
            lambda: services.create_company(actor=self.request.user, **data),
            lambda company: company.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("录入目标企业")
        return ctx


class CompanyEditView(EditableObjectFormMixin, DuplicateOfferMixin, FormView):
    model = Company
    object_attr = "company"
    form_class = CompanyForm
    template_name = "enterprises/company_form.html"
    success_message = gettext_lazy("企业信息已保存。")
    form_takes_user = True

    def get_queryset(self):
        return selectors.visible_companies(self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["company"] = self.company
        return kwargs

    def get_initial(self):
        c = self.company
        return {
            "name": c.name,
            "credit_code": c.credit_code,
            "kind": c.kind,
            "category": c.category,
            "size": c.size,
            "province": c.province,
            "city": c.city,
            "address": c.address,
            "industry": c.industry,
            "segments": list(c.segments.values_list("pk", flat=True)),
            "website": c.website,
            "description": c.description,
        }

    def form_valid(self, form):
        data = form.changes()
        if not data.get("category"):
            data["category"] = self.company.category
        return self.service_response(
            form,
            lambda: services.update_company(actor=self.request.user, company=self.company, **data),
            lambda company: company.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("编辑企业：%(name)s") % {"name": self.company.name}
        ctx["company"] = self.company
        return ctx


class CompanyCheckView(RoleRequiredMixin, TemplateView):
    """htmx: the directory entries that what is being typed may already be."""

    template_name = "enterprises/_company_matches.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, params = self.request.user, self.request.GET
        name, code = params.get("name", "")[:200], params.get("credit_code", "")[:30]
        exclude = None
        exclude_id = params.get("exclude", "")
        if exclude_id.isdigit():
            exclude = selectors.visible_companies(user).filter(pk=exclude_id).first()
        matches = []
        if name.strip() or code.strip():
            owner = exclude.owner if exclude is not None else self._owner(user)
            if owner is not None:
                matches = selectors.possible_matches(user, owner, name=name, credit_code=code, exclude=exclude)
        ctx["matches"] = matches
        return ctx

    def _owner(self, user):
        try:
            return services.default_owner_for(user)
        except PermissionDenied:
            return None


class CompanySuggestView(RoleRequiredMixin, View):
    """htmx: `<option>`s of visible companies for a datalist (the visit form and others use it)."""

    def get(self, request, *args, **kwargs):
        # Forms send their field as it is named (the visit form's `company_name`); integrators send `q`.
        typed = request.GET.get("q") or request.GET.get("company_name", "")
        companies = selectors.suggest_companies(request.user, typed[:200])
        return render(request, "enterprises/_company_options.html", {"companies": companies})


# --- Contacts ---------------------------------------------------------------------------


class ContactAddView(ScopedObjectMixin, ServiceFormMixin, FormView):
    model = Company
    required_roles = DIRECTORY_WRITERS
    form_class = ContactForm
    template_name = "enterprises/contact_form.html"
    success_message = gettext_lazy("对接人已添加。")

    def get_queryset(self):
        return selectors.visible_companies(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        self.company = None
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        if self.company is None:
            self.company = self.get_object()
        return super().get_form(form_class)

    def form_valid(self, form):
        data = form.cleaned_data
        return self.service_response(
            form,
            lambda: services.add_contact(actor=self.request.user, company=self.company, **data),
            lambda _contact: self.company.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["company"] = self.company
        ctx["title"] = _("添加对接人：%(name)s") % {"name": self.company.name}
        return ctx


class ContactEditView(EditableObjectFormMixin, FormView):
    model = Contact
    object_attr = "contact"
    form_class = ContactEditForm
    template_name = "enterprises/contact_form.html"
    success_message = gettext_lazy("对接人已保存。")

    def get_queryset(self):
        return Contact.objects.visible_to(self.request.user).select_related("company")

    def get_initial(self):
        c = self.contact
        return {
            "name": c.name,
            "title": c.title,
            "phone": c.phone,
            "email": c.email,
            "notes": c.notes,
            "active": c.active,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        return self.service_response(
            form,
            lambda: services.update_contact(actor=self.request.user, contact=self.contact, **data),
            lambda contact: contact.company.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["company"] = self.contact.company
        ctx["title"] = _("编辑对接人：%(name)s") % {"name": self.contact.name}
        return ctx


# --- Merging ----------------------------------------------------------------------------


class CompanyMergeView(EditableObjectFormMixin, FormView):
    """The office merges a duplicate into the company kept: every record moves, the duplicate stays as a pointer."""

    model = Company
    object_attr = "company"
    required_roles = (Role.OFFICE_STAFF,)
    form_class = MergeForm
    template_name = "enterprises/company_merge.html"

    def get_queryset(self):
        return selectors.visible_companies(self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, keep=self.company)
        return kwargs

    def get_initial(self):
        number = self.request.GET.get("absorb", "")
        return {"absorb": int(number)} if number.isdigit() else {}

    def form_valid(self, form):
        absorb = form.cleaned_data["target"]
        reason = form.cleaned_data.get("reason", "")
        keep = self.run_service(
            form,
            lambda: services.merge_companies(actor=self.request.user, keep=self.company, absorb=absorb, reason=reason),
        )
        if keep is None:
            return self.form_invalid(form)
        messages.success(self.request, merge_message(absorb, keep, selectors.last_merge(keep, absorb)))
        return redirect(keep.get_absolute_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["company"] = self.company
        ctx["title"] = _("合并重复企业至：%(name)s") % {"name": self.company.name}
        return ctx


def merge_message(absorb, keep, details):
    """“已将 A 合并至 B；转入：走访 3 条、对接人 2 条；补充：统一社会信用代码。”"""
    moved = []
    for label, n in (details.get("moved") or {}).items():
        try:
            name = apps.get_model(label)._meta.verbose_name
        except (LookupError, ValueError):
            name = label
        moved.append(_("%(what)s %(n)d 条") % {"what": name, "n": n})
    filled = []
    for field in details.get("filled") or {}:
        try:
            filled.append(str(Company._meta.get_field(field).verbose_name))
        except Exception:  # a field renamed since the merge: name it as recorded
            filled.append(field)
    text = _("已将“%(a)s”合并至“%(k)s”。") % {"a": absorb.name, "k": keep.name}
    text += _("转入：%(m)s。") % {"m": "、".join(moved)} if moved else _("没有需要转入的记录。")
    if filled:
        text += _("补充：%(f)s。") % {"f": "、".join(filled)}
    return text
