"""Filter pieces the FilterSets share with the dashboard and each other, so a figure and its list use one rule.

- Where an investor comes from: the province→region map (长三角, 珠三角, 京津冀, 成渝, 其他) lives here and
  nowhere else. A company's province is free text as typed ("浙江省", "浙江"); a province belongs to a region
  when it starts with one of the region's short names, the same test in Python (`region_of`) and in SQL
  (`region_q`). A company with no province, or none at all, is 其他.
- The city a record belongs to (`CityFilter`): the dashboard of a city drills down to its lists with it.

Imports nothing from the apps, so every FilterSet may import it.
"""

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.scope import scope_of
from organizations.choices import TargetRegion, UnitKind
from organizations.models import Unit

# Short province names, by region: the seeds' target regions (seed 000's stationed teams work in them).
PROVINCE_REGIONS = {
    TargetRegion.YANGTZE_DELTA: ("上海", "江苏", "浙江", "安徽"),
    TargetRegion.PEARL_DELTA: ("广东", "香港", "澳门"),
    TargetRegion.JINGJINJI: ("北京", "天津", "河北"),
    TargetRegion.CHENGYU: ("四川", "重庆"),
}
MAPPED_PREFIXES = tuple(p for prefixes in PROVINCE_REGIONS.values() for p in prefixes)


def region_of(province):
    """The region (TargetRegion value) of a province as stored; blank or unknown is 其他."""
    for region, prefixes in PROVINCE_REGIONS.items():
        if province and province.startswith(prefixes):
            return region
    return TargetRegion.OTHER


def _starts_q(field, prefixes):
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in prefixes))


def region_q(region, field):
    """Q for rows whose `field` (a company's province, through any path) lies in `region`; 其他 includes blank."""
    if region == TargetRegion.OTHER:
        mapped = _starts_q(field, MAPPED_PREFIXES)
        # Spelt out: a NULL province (no company) is 其他 too, and NOT (NULL LIKE …) is not true in SQL.
        return Q(**{f"{field}__isnull": True}) | ~mapped
    return _starts_q(field, PROVINCE_REGIONS[TargetRegion(region)])


def work_cities(user):
    """The cities `user` works in or over (their own city is no secret, even to a team member)."""
    if user is None:
        return Unit.objects.none()
    scope = scope_of(user)
    if not scope.by_role:
        return Unit.objects.none()
    return Unit.objects.filter(Q(pk__in=scope.ancestor_ids()) | scope.subtree_q("path"), kind=UnitKind.CITY)


def city_choices(request):
    return work_cities(getattr(request, "user", None)).order_by("path")


class CityField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


@extend_schema_field(OpenApiTypes.INT)
class CityFilter(django_filters.ModelChoiceFilter):
    """A city by id, among those the user works in: the records of that city (a dashboard's drill-down)."""

    field_class = CityField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("所属城市"))
        kwargs.setdefault("queryset", city_choices)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)


def region_filter(method):
    return django_filters.ChoiceFilter(
        label=_("投资方所在区域"), choices=TargetRegion.choices, method=method, widget=forms.HiddenInput
    )
