"""Navigation by role: each person sees the entries their roles can use."""

from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.choices import Role

from .scope import scope_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = scope_of(user)
    items = [(_("首页"), reverse("core:home"), "house")]
    if scope.by_role and not scope.has(Role.AUDIT_ADMIN) or scope.has(Role.SYSTEM_ADMIN):
        items.append((_("组织架构"), reverse("organizations:unit_tree"), "diagram-3"))
        items.append((_("人员"), reverse("organizations:person_list"), "people"))
    if scope.has(Role.AUDIT_ADMIN):
        items.append((_("组织架构"), reverse("organizations:unit_tree"), "diagram-3"))
        items.append((_("审计日志"), reverse("core:audit_list"), "journal-check"))
    items.append((_("接口文档"), reverse("api-docs"), "code-square"))
    return {"nav_items": items, "user_roles": sorted(scope.roles)}
