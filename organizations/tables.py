"""Tables for the unit and people lists (django-tables2)."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import Unit, User


class UnitTable(tables.Table):
    name = tables.Column(verbose_name=_("名称"), linkify=True)
    code = tables.Column(verbose_name=_("编码"))
    kind = tables.Column(verbose_name=_("类型"))
    parent = tables.Column(verbose_name=_("上级单位"), accessor="parent__name", default="—")
    base_city = tables.Column(verbose_name=_("驻点城市"), default="")
    active = tables.BooleanColumn(verbose_name=_("启用"))

    class Meta:
        model = Unit
        fields = ("name", "code", "kind", "parent", "base_city", "active")
        attrs = {"class": "table table-sm table-hover", "data-testid": "unit-table"}
        order_by = ("path",)


class PersonTable(tables.Table):
    name = tables.Column(verbose_name=_("姓名"), linkify=True)
    username = tables.Column(verbose_name=_("用户名"))
    home_unit = tables.Column(verbose_name=_("所属单位"), accessor="home_unit__name", default="—")
    roles = tables.Column(verbose_name=_("角色"), empty_values=(), orderable=False)
    title = tables.Column(verbose_name=_("职务"), default="")
    is_active = tables.BooleanColumn(verbose_name=_("在岗"))

    class Meta:
        model = User
        fields = ("name", "username", "home_unit", "roles", "title", "is_active")
        attrs = {"class": "table table-sm table-hover", "data-testid": "person-table"}

    def render_roles(self, record):
        # active_memberships is prefetched by the view: no query per row.
        return format_html_join(
            "",
            '<span class="badge text-bg-light border me-1">{} · {}</span>',
            ((m.unit.name, m.get_role_display()) for m in record.active_memberships),
        ) or format_html('<span class="text-muted">—</span>')
