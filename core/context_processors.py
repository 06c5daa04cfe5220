"""Navigation by role: each person sees the entries their roles can use."""

from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.choices import Role

from .scope import scope_of

# Roles that do the promotion work and read its ledgers (everyone but the two administrators
# and department staff, who answer problems rather than court investors).
OUTREACH_ROLES = (Role.OFFICE_STAFF, Role.TEAM_LEADER, Role.TEAM_MEMBER, Role.COUNTY_STAFF, Role.LEADER)
WRITER_ROLES = (Role.OFFICE_STAFF, Role.TEAM_LEADER, Role.TEAM_MEMBER, Role.COUNTY_STAFF)


def _item(label, url_name, icon, children=None):
    return (label, reverse(url_name) if url_name else "#", icon, children or [])


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = scope_of(user)
    items = [_item(_("首页"), "core:home", "house")]
    if scope.has(*OUTREACH_ROLES):
        ledgers = [
            (_("走访"), reverse("outreach:visit_list"), "person-walking"),
            (_("考察"), reverse("outreach:inspection_list"), "binoculars"),
            (_("推介会"), reverse("outreach:event_list"), "megaphone"),
            (_("外出招商"), reverse("outreach:trip_list"), "airplane"),
            (_("驻点记录"), reverse("outreach:stationing_list"), "geo-alt"),
        ]
        if scope.has(*WRITER_ROLES):
            ledgers.insert(0, (_("登记走访"), reverse("outreach:visit_create"), "plus-circle"))
            ledgers.append((_("导入走访台账"), reverse("core:import_upload", args=["visits"]), "upload"))
            ledgers.append((_("导入考察台账"), reverse("core:import_upload", args=["inspections"]), "upload"))
        items.append(_item(_("招商台账"), None, "journal-text", ledgers))
        items.append(_item(_("目标企业库"), "enterprises:company_list", "buildings"))
        items.append(_item(_("产业链"), "chains:chain_list", "diagram-2"))
    if scope.by_role and not scope.has(Role.AUDIT_ADMIN) or scope.has(Role.SYSTEM_ADMIN):
        items.append(_item(_("组织架构"), "organizations:unit_tree", "diagram-3"))
        items.append(_item(_("人员"), "organizations:person_list", "people"))
    if scope.has(Role.AUDIT_ADMIN):
        items.append(_item(_("组织架构"), "organizations:unit_tree", "diagram-3"))
        items.append(_item(_("审计日志"), "core:audit_list", "journal-check"))
    items.append(_item(_("接口文档"), "api-docs", "code-square"))
    return {"nav_items": items, "user_roles": sorted(scope.roles)}
