"""The one FilterSet for targets: the list page and the API filter the same way.

Choices offered (units, people) are only those the user may see; a period filter keeps the
targets whose period overlaps it.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filtering import StartEndFilterForm, StyledFilterSet
from core.scope import scope_of
from organizations.models import Unit, User
from outreach.forms import PersonChoiceField, UnitChoiceField

from .choices import Indicator, Template
from .models import Target
from .services import TARGET_UNIT_KINDS

DATE = {"type": "date"}


def _user(request):
    return getattr(request, "user", None)


def target_units(user):
    """Units whose targets the user may ask for: those at or under a unit where they hold a role."""
    if user is None:
        return Unit.objects.none()
    return Unit.objects.filter(scope_of(user).subtree_q("path"), kind__in=TARGET_UNIT_KINDS, active=True).order_by(
        "path"
    )


def filter_units(request):
    return target_units(_user(request))


def filter_people(request):
    user = _user(request)
    if user is None:
        return User.objects.none()
    return User.objects.visible_to(user).filter(is_active=True).order_by("name", "username")


@extend_schema_field(OpenApiTypes.INT)
class UnitChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


@extend_schema_field(OpenApiTypes.INT)
class PersonChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


class TargetFilterSet(StyledFilterSet):
    unit = UnitChoiceFilter(label=_("单位"), queryset=filter_units)
    person = PersonChoiceFilter(label=_("个人"), queryset=filter_people)
    indicator = django_filters.ChoiceFilter(label=_("指标"), choices=Indicator.choices)
    start = django_filters.DateFilter(
        label=_("期间起"), method="filter_start", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    end = django_filters.DateFilter(
        label=_("期间止"), method="filter_end", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    template = django_filters.ChoiceFilter(label=_("来源模板"), choices=Template.choices)

    class Meta:
        model = Target
        form = StartEndFilterForm
        fields = ["unit", "person", "indicator", "start", "end", "template"]

    # A period filter keeps every target whose own period overlaps it.
    def filter_start(self, queryset, name, value):
        return queryset.filter(end__gte=value)

    def filter_end(self, queryset, name, value):
        return queryset.filter(start__lte=value)


def overlapping(queryset, start, end):
    return queryset.filter(Q(start__lte=end) & Q(end__gte=start))
