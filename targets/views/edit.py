"""The office's pages: one target, its change and removal, and a template filled for many units at once."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from core.views import EditableObjectFormMixin, RoleRequiredMixin, ServiceFormMixin
from organizations.choices import Role

from .. import services
from ..forms import ApplyTemplateForm, TargetEditForm, TargetForm, office_city
from ..models import Target

LIST_URL = reverse_lazy("targets:target_list")


class OfficeFormMixin(RoleRequiredMixin, ServiceFormMixin):
    """The office of a city sets its targets: the forms offer that city's units and people."""

    required_roles = (Role.OFFICE_STAFF,)
    template_name = "targets/form.html"
    title = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.city = office_city(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        if self.city is None:
            raise PermissionDenied(_("只有本市招商中心可以设定目标。"))
        return {**super().get_form_kwargs(), "city": self.city}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = self.title
        ctx["cancel_url"] = LIST_URL
        return ctx


class TargetCreateView(OfficeFormMixin, FormView):
    form_class = TargetForm
    title = gettext_lazy("新建目标")
    success_message = gettext_lazy("目标已保存。")

    def form_valid(self, form):
        data = form.cleaned_data
        return self.service_response(
            form,
            lambda: services.create_target(
                actor=self.request.user,
                owner=self.city,
                indicator=data["indicator"],
                unit=data.get("unit"),
                person=data.get("person"),
                start=data["start"],
                end=data["end"],
                value=data["value"],
                name=data.get("name", ""),
            ),
            lambda _t: LIST_URL,
        )


class TargetEditView(EditableObjectFormMixin, FormView):
    model = Target
    form_class = TargetEditForm
    template_name = "targets/form.html"
    success_message = gettext_lazy("目标已修改。")

    def get_initial(self):
        t = self.object
        return {"value": f"{t.value.normalize():f}", "start": t.start, "end": t.end, "name": t.name}

    def form_valid(self, form):
        data = form.cleaned_data
        return self.service_response(
            form,
            lambda: services.update_target(
                actor=self.request.user,
                target=self.object,
                value=data["value"],
                start=data["start"],
                end=data["end"],
                name=data.get("name", ""),
            ),
            lambda _t: LIST_URL,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("修改目标：%(target)s") % {"target": self.object}
        ctx["cancel_url"] = LIST_URL
        return ctx


class TargetDeleteView(EditableObjectFormMixin, FormView):
    model = Target
    form_class = forms.Form  # a confirmation: nothing to fill in
    template_name = "targets/confirm_delete.html"

    def form_valid(self, form):
        services.delete_target(actor=self.request.user, target=self.object)
        messages.success(self.request, _("目标已删除。"))
        return redirect(LIST_URL)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("删除目标：%(target)s") % {"target": self.object}
        ctx["object"] = self.object
        ctx["cancel_url"] = LIST_URL
        return ctx


class ApplyTemplateView(OfficeFormMixin, FormView):
    form_class = ApplyTemplateForm
    template_name = "targets/apply_template.html"
    title = gettext_lazy("按模板设定目标")

    def form_valid(self, form):
        data = form.cleaned_data
        made = self.run_service(
            form,
            lambda: services.apply_template(
                actor=self.request.user,
                owner=self.city,
                template=data["template"],
                start=data["start"],
                end=data["end"],
                units=list(data.get("units") or ()),
                people=list(data.get("people") or ()),
                name=data.get("name", ""),
            ),
        )
        if made is None:
            return self.form_invalid(form)
        messages.success(self.request, _("已按模板设定 %(n)d 个目标。") % {"n": len(made)})
        return redirect(f"{reverse('targets:target_list')}?template={data['template']}")
