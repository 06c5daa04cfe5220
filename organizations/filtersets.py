"""One FilterSet per list: the page, the API and exports filter the same way."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filtering import StyledFilterSet, yes_no_filter

from .choices import Role, UnitKind
from .models import Unit, User


def visible_units(request):
    """Units offered in a filter: only those the user may see."""
    if request is None:
        return Unit.objects.none()
    return Unit.objects.visible_to(request.user).filter(active=True).order_by("path")


class UnitFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("名称或编码"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=UnitKind.choices)
    active = yes_no_filter(_("启用"))
    parent = django_filters.ModelChoiceFilter(label=_("上级单位"), queryset=visible_units, field_name="parent")

    class Meta:
        model = Unit
        fields = ["q", "kind", "active", "parent"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class PersonFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("姓名或用户名"), method="filter_q")
    unit = django_filters.ModelChoiceFilter(label=_("单位"), queryset=visible_units, method="filter_unit")
    role = django_filters.ChoiceFilter(label=_("角色"), choices=Role.choices, method="filter_role")
    is_active = yes_no_filter(_("在岗"))

    class Meta:
        model = User
        fields = ["q", "unit", "role", "is_active"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(username__icontains=value))

    @extend_schema_field(OpenApiTypes.INT)
    def filter_unit(self, queryset, name, value):
        return queryset.filter(Q(home_unit=value) | Q(memberships__unit=value, memberships__active=True)).distinct()

    def filter_role(self, queryset, name, value):
        return queryset.filter(memberships__role=value, memberships__active=True).distinct()
