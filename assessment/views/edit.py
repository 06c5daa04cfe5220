"""The office's pages: a scheme with its weighted indicators (a formset), its change and its removal.

The form and the formset check the shape; assessment.services decides: weights summing to 100, no person's
indicator, no repeat, a locked scheme keeping its indicators. Its refusal lands on the form, nothing written.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View

from core.views import EditableObjectFormMixin, RoleRequiredMixin, ServiceFormMixin
from organizations.choices import Role
from targets.choices import TEMPLATE_VALUES, Template
from targets.forms import office_city
from targets.tables import number

from .. import services
from ..choices import Rule
from ..forms import SchemeForm, item_formset, items_initial
from ..models import Scheme

LIST_URL = reverse_lazy("assessment:scheme_list")
# What a new scheme starts from: the routine month's indicators, weighted as seed 000 stresses results over work.
SUGGESTED_WEIGHTS = {"visits": 20, "effective_leads": 25, "inspections": 15, "signed_projects": 30, "events": 10}


def suggested_items():
    return [
        {"indicator": i, "weight": str(SUGGESTED_WEIGHTS[i]), "rule": Rule.SHARE, "cap": "100"}
        for i in TEMPLATE_VALUES[Template.ROUTINE_MONTHLY]
        if i in SUGGESTED_WEIGHTS
    ]


class SchemeFormView(ServiceFormMixin, View):
    """GET shows the scheme's form and its indicators; POST runs the service, or shows the form again with why not."""

    template_name = "assessment/form.html"
    editing = False

    def initial(self):
        return {}, suggested_items()

    def render_forms(self, form, formset, status=200):
        ctx = {
            "title": self.title(),
            "form": form,
            "formset": formset,
            "weight_sum": number(formset.weight_sum()),
            "cancel_url": self.cancel_url(),
            "locked": self.editing and self.object.locks.exists(),
        }
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request, *args, **kwargs):
        initial, items = self.initial()
        form = SchemeForm(initial=initial, editing=self.editing)
        return self.render_forms(form, item_formset(initial=items))

    def post(self, request, *args, **kwargs):
        initial, items = self.initial()
        form = SchemeForm(request.POST, initial=initial, editing=self.editing)
        formset = item_formset(data=request.POST, initial=items)
        if not (form.is_valid() and formset.is_valid()):
            return self.render_forms(form, formset)
        scheme = self.run_service(form, lambda: self.save(form.cleaned_data, formset.items()))
        if scheme is None:
            return self.render_forms(form, formset)
        return redirect(reverse("assessment:results", args=[scheme.pk]))


class SchemeCreateView(RoleRequiredMixin, SchemeFormView):
    required_roles = (Role.OFFICE_STAFF,)
    success_message = gettext_lazy("考核方案已保存。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.city = office_city(request.user)
            if self.city is None and request.user.is_authenticated:
                raise PermissionDenied(_("只有本市招商中心可以管理考核。"))
        return super().dispatch(request, *args, **kwargs)

    def title(self):
        return _("新建考核方案")

    def cancel_url(self):
        return LIST_URL

    def save(self, data, items):
        return services.create_scheme(
            actor=self.request.user,
            owner=self.city,
            name=data["name"],
            subjects=data["subjects"],
            start=data["start"],
            end=data["end"],
            description=data.get("description", ""),
            items=items,
        )


class SchemeEditView(EditableObjectFormMixin, SchemeFormView):
    model = Scheme
    editing = True
    success_message = gettext_lazy("考核方案已修改。")

    def initial(self):
        s = self.object
        data = {"name": s.name, "subjects": s.subjects, "start": s.start, "end": s.end, "description": s.description}
        return data, items_initial(s.items.all())

    def title(self):
        return _("修改考核方案：%(name)s") % {"name": self.object.name}

    def cancel_url(self):
        return reverse("assessment:results", args=[self.object.pk])

    def save(self, data, items):
        return services.update_scheme(
            actor=self.request.user,
            scheme=self.object,
            name=data["name"],
            start=data["start"],
            end=data["end"],
            description=data.get("description", ""),
            items=items,
        )


class SchemeDeleteView(EditableObjectFormMixin, FormView):
    model = Scheme
    form_class = forms.Form  # a confirmation: nothing to fill in
    template_name = "assessment/confirm_delete.html"

    def form_valid(self, form):
        done = self.run_service(
            form, lambda: services.delete_scheme(actor=self.request.user, scheme=self.object) or True
        )
        if done is None:
            return self.form_invalid(form)
        messages.success(self.request, _("考核方案已删除。"))
        return redirect(LIST_URL)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("删除考核方案：%(name)s") % {"name": self.object.name}
        ctx["object"] = self.object
        ctx["cancel_url"] = reverse("assessment:results", args=[self.object.pk])
        return ctx
