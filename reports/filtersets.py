"""The one FilterSet for team reports: the list page and the API filter the same way.

Units offered are the teams and squads the user may see; a period filter keeps the reports whose period
overlaps it.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filtering import StartEndFilterForm, StyledFilterSet
from leads.filtersets import UnitChoiceFilter
from organizations.models import Unit

from .choices import REPORTING_KINDS, ReportKind, ReportStatus
from .models import TeamReport

DATE = {"type": "date"}


def report_units(request):
    user = getattr(request, "user", None)
    if user is None:
        return Unit.objects.none()
    return Unit.objects.visible_to(user).filter(kind__in=REPORTING_KINDS).order_by("path")


class TeamReportFilterSet(StyledFilterSet):
    unit = UnitChoiceFilter(label=_("报送单位"), queryset=report_units, method="filter_unit")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=ReportKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ReportStatus.choices)
    start = django_filters.DateFilter(
        label=_("期间起"), method="filter_start", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    end = django_filters.DateFilter(
        label=_("期间止"), method="filter_end", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )

    class Meta:
        model = TeamReport
        form = StartEndFilterForm
        fields = ["unit", "kind", "status", "start", "end"]

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path)

    # A period filter keeps every report whose own period overlaps it.
    def filter_start(self, queryset, name, value):
        return queryset.filter(end__gte=value)

    def filter_end(self, queryset, name, value):
        return queryset.filter(start__lte=value)
