"""Pages for the organisation tree and people. Thin: a form checks the shape, a service writes."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from core.masking import phone_for
from core.scope import scope_of
from core.views import (
    EditableObjectFormMixin,
    RoleRequiredMixin,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormMixin,
)

from . import selectors, services
from .choices import Role, UnitKind
from .filtersets import PersonFilterSet, UnitFilterSet
from .forms import (
    AssignRoleForm,
    PersonCreateForm,
    PersonForm,
    ReasonForm,
    ResetPasswordForm,
    UnitCreateForm,
    UnitForm,
    UnitMoveForm,
)
from .models import Membership, Unit, User
from .tables import PersonTable, UnitTable

ADMIN = (Role.SYSTEM_ADMIN,)


def _can_admin(user, obj_qs, pk):
    return obj_qs.editable_by(user).filter(pk=pk).exists()


# --- Units ----------------------------------------------------------------------------


class UnitTreeView(RoleRequiredMixin, TemplateView):
    template_name = "organizations/unit_tree.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        include_inactive = self.request.GET.get("inactive") == "1"
        ctx["roots"] = selectors.unit_tree(self.request.user, include_inactive)
        ctx["include_inactive"] = include_inactive
        ctx["is_admin"] = scope_of(self.request.user).has(Role.SYSTEM_ADMIN)
        return ctx


class UnitListView(ScopedListView):
    model = Unit
    table_class = UnitTable
    filterset_class = UnitFilterSet
    title = _("单位列表")

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


class UnitDetailView(ScopedObjectMixin, TemplateView):
    model = Unit
    template_name = "organizations/unit_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        unit = self.get_object()
        user = self.request.user
        ctx["unit"] = unit
        ctx["ancestors"] = Unit.objects.visible_to(user).filter(pk__in=unit.ancestor_ids()).order_by("path")
        ctx["children"] = Unit.objects.visible_to(user).filter(parent=unit).order_by("sort_order", "code")
        ctx["memberships"] = selectors.memberships_of_unit(unit) if _people_visible(user, unit) else None
        ctx["can_admin"] = _can_admin(user, Unit.objects, unit.pk)
        return ctx


def _people_visible(user, unit):
    """Whether `user` may see who works in `unit` (they see at least one of its people)."""
    return User.objects.visible_to(user).filter(memberships__unit=unit).exists() or scope_of(user).has(
        Role.SYSTEM_ADMIN, Role.OFFICE_STAFF, Role.LEADER, Role.AUDIT_ADMIN
    )


class UnitObjectMixin(EditableObjectFormMixin):
    model = Unit
    object_attr = "unit"


class UnitCreateView(RoleRequiredMixin, ServiceFormMixin, FormView):
    required_roles = ADMIN
    form_class = UnitCreateForm
    template_name = "organizations/unit_form.html"
    success_message = _("单位已新建。")

    form_takes_user = True

    def get_initial(self):
        initial = {}
        parent = self.request.GET.get("parent")
        if parent and parent.isdigit():
            initial["parent"] = parent
        kind = self.request.GET.get("kind")
        if kind in UnitKind.values:
            initial["kind"] = kind
        return initial

    def form_valid(self, form):
        data = form.changes()
        return self.service_response(
            form, lambda: services.create_unit(actor=self.request.user, **data), lambda unit: unit.get_absolute_url()
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("新建单位")
        return ctx


class UnitEditView(UnitObjectMixin, FormView):
    form_class = UnitForm
    template_name = "organizations/unit_form.html"
    success_message = _("单位已保存。")

    def get_initial(self):
        u = self.unit
        return {
            "code": u.code,
            "name": u.name,
            "sort_order": u.sort_order,
            "base_city": u.base_city,
            "target_regions": u.target_regions,
            "focus": u.focus,
        }

    def form_valid(self, form):
        data = form.changes()
        return self.service_response(
            form,
            lambda: services.update_unit(actor=self.request.user, unit=self.unit, **data),
            lambda unit: unit.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("编辑单位：%(name)s") % {"name": self.unit.name}
        ctx["unit"] = self.unit
        return ctx


class UnitMoveView(UnitObjectMixin, FormView):
    form_class = UnitMoveForm
    template_name = "organizations/unit_form.html"
    success_message = _("单位已移动。")
    form_takes_user = True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["unit"] = self.unit
        return kwargs

    def form_valid(self, form):
        parent = form.cleaned_data["parent"]
        return self.service_response(
            form,
            lambda: services.move_unit(actor=self.request.user, unit=self.unit, new_parent=parent),
            lambda unit: unit.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("移动单位：%(name)s") % {"name": self.unit.name}
        ctx["unit"] = self.unit
        return ctx


class UnitActiveView(UnitObjectMixin, FormView):
    """Deactivate (with a reason) or reactivate a unit."""

    form_class = ReasonForm
    template_name = "organizations/confirm.html"
    activate = False

    def form_valid(self, form):
        actor = self.request.user
        if self.activate:
            self.success_message = _("单位已启用。")
            call = lambda: services.activate_unit(actor=actor, unit=self.unit)  # noqa: E731
        else:
            self.success_message = _("单位已停用。")
            reason = form.cleaned_data["reason"]
            call = lambda: services.deactivate_unit(actor=actor, unit=self.unit, reason=reason)  # noqa: E731
        return self.service_response(form, call, lambda _result: self.unit.get_absolute_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        verb = _("启用") if self.activate else _("停用")
        ctx["title"] = _("%(verb)s单位：%(name)s") % {"verb": verb, "name": self.unit.name}
        ctx["button"] = verb
        ctx["danger"] = not self.activate
        ctx["cancel_url"] = self.unit.get_absolute_url()
        ctx["show_form"] = not self.activate
        return ctx


# --- People ---------------------------------------------------------------------------


class PersonListView(ScopedListView):
    model = User
    table_class = PersonTable
    filterset_class = PersonFilterSet
    title = _("人员")
    template_name = "organizations/person_list.html"

    def get_queryset(self):
        return selectors.visible_people(self.request.user).order_by("home_unit__path", "username")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["is_admin"] = scope_of(self.request.user).has(Role.SYSTEM_ADMIN)
        return ctx


class PersonDetailView(ScopedObjectMixin, TemplateView):
    model = User
    template_name = "organizations/person_detail.html"

    def get_queryset(self):
        return selectors.visible_people(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        person = self.get_object()
        user = self.request.user
        ctx["person"] = person
        ctx["phone"] = phone_for(user, person)
        ctx["memberships"] = person.active_memberships
        ctx["can_admin"] = _can_admin(user, User.objects, person.pk)
        return ctx


class PersonCreateView(RoleRequiredMixin, ServiceFormMixin, FormView):
    required_roles = ADMIN
    form_class = PersonCreateForm
    template_name = "organizations/person_form.html"
    success_message = _("人员已添加。首次登录时须修改初始密码。")

    form_takes_user = True

    def get_initial(self):
        unit = self.request.GET.get("unit")
        return {"home_unit": unit} if unit and unit.isdigit() else {}

    def form_valid(self, form):
        d = form.cleaned_data
        return self.service_response(
            form,
            lambda: services.create_person(
                actor=self.request.user,
                username=d["username"],
                name=d["name"],
                password=d["password1"],
                home_unit=d["home_unit"],
                role=d.get("role") or None,
                phone=d.get("phone", ""),
                title=d.get("title", ""),
                email=d.get("email", ""),
            ),
            lambda person: person.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("添加人员")
        return ctx


class PersonObjectMixin(EditableObjectFormMixin):
    model = User
    object_attr = "person"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["person"] = self.person
        ctx["cancel_url"] = self.person.get_absolute_url()
        return ctx


class PersonEditView(PersonObjectMixin, FormView):
    form_class = PersonForm
    template_name = "organizations/person_form.html"
    success_message = _("人员信息已保存。")

    form_takes_user = True

    def get_initial(self):
        p = self.person
        return {"name": p.name, "home_unit": p.home_unit_id, "title": p.title, "phone": p.phone, "email": p.email}

    def form_valid(self, form):
        return self.service_response(
            form,
            lambda: services.update_person(actor=self.request.user, person=self.person, **form.cleaned_data),
            lambda person: person.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("编辑人员：%(name)s") % {"name": self.person.name}
        return ctx


class PersonActiveView(PersonObjectMixin, FormView):
    form_class = ReasonForm
    template_name = "organizations/confirm.html"
    activate = False

    def form_valid(self, form):
        self.success_message = _("人员已启用。") if self.activate else _("人员已停用，其登录和接口令牌随即失效。")
        return self.service_response(
            form,
            lambda: services.set_person_active(
                actor=self.request.user, person=self.person, active=self.activate, reason=form.cleaned_data["reason"]
            ),
            lambda _result: self.person.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        verb = _("启用") if self.activate else _("停用")
        ctx["title"] = _("%(verb)s人员：%(name)s") % {"verb": verb, "name": self.person.name}
        ctx["button"] = verb
        ctx["danger"] = not self.activate
        ctx["show_form"] = True
        return ctx


class PersonResetPasswordView(PersonObjectMixin, FormView):
    form_class = ResetPasswordForm
    template_name = "organizations/person_form.html"
    success_message = _("密码已重置。该人员下次登录时须修改密码。")

    def form_valid(self, form):
        return self.service_response(
            form,
            lambda: services.reset_password(
                actor=self.request.user, person=self.person, new_password=form.cleaned_data["password1"]
            ),
            lambda _result: self.person.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("重置密码：%(name)s") % {"name": self.person.name}
        return ctx


class PersonAssignRoleView(PersonObjectMixin, FormView):
    form_class = AssignRoleForm
    template_name = "organizations/person_form.html"
    success_message = _("角色已分配。")

    form_takes_user = True

    def get_initial(self):
        return {"unit": self.person.home_unit_id}

    def form_valid(self, form):
        d = form.cleaned_data
        return self.service_response(
            form,
            lambda: services.assign_role(actor=self.request.user, person=self.person, unit=d["unit"], role=d["role"]),
            lambda _result: self.person.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("分配角色：%(name)s") % {"name": self.person.name}
        return ctx


class MembershipRevokeView(PersonObjectMixin, FormView):
    form_class = ReasonForm
    template_name = "organizations/confirm.html"
    success_message = _("角色已撤销。")

    def form_valid(self, form):
        membership = get_object_or_404(Membership, pk=self.kwargs["membership_pk"], user=self.person, active=True)
        return self.service_response(
            form,
            lambda: services.revoke_role(actor=self.request.user, membership=membership),
            lambda _result: self.person.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        membership = get_object_or_404(Membership, pk=self.kwargs["membership_pk"], user=self.person, active=True)
        ctx["title"] = _("撤销角色：%(m)s") % {"m": membership}
        ctx["button"] = _("撤销")
        ctx["danger"] = True
        ctx["show_form"] = False
        return ctx
