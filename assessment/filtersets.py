"""The FilterSets of the schemes and of the locks: the list page and the API filter the same way."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filtering import StyledFilterSet

from .choices import Subjects
from .models import PeriodLock, Scheme


class SchemeFilterSet(StyledFilterSet):
    name = django_filters.CharFilter(label=_("方案名称"), lookup_expr="icontains")
    subjects = django_filters.ChoiceFilter(label=_("考核对象"), choices=Subjects.choices)
    year = django_filters.NumberFilter(
        label=_("年度"), method="filter_year", widget=forms.NumberInput(attrs={"min": 2000, "max": 2100})
    )

    class Meta:
        model = Scheme
        fields = ["name", "subjects", "year"]

    def filter_year(self, queryset, name, value):
        # A scheme belongs to every year its period touches.
        return queryset.filter(start__year__lte=value, end__year__gte=value)


class PeriodLockFilterSet(StyledFilterSet):
    scheme = django_filters.NumberFilter(label=_("考核方案编号"), field_name="scheme_id")

    class Meta:
        model = PeriodLock
        fields = ["scheme"]
