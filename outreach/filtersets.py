"""One FilterSet per ledger: the list page, the API and the ledger export filter the same way.

Choices offered (units, chains, people) are only those the user may see; a filter by an
id outside the user's scope simply finds nothing, since the rows are already scoped.
"""

import django_filters
from django import forms
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chains.models import IndustryChain
from core.filtering import StyledFilterSet, yes_no_filter
from core.place_filters import CityFilter
from enterprises.choices import CompanyCategory
from organizations.models import Unit, User

from . import selectors
from .choices import VisitWay
from .forms import PersonChoiceField, UnitChoiceField
from .models import Inspection, OutboundTrip, PromotionEvent, Stationing, Visit


def _user(request):
    return getattr(request, "user", None)


def ledger_units(request):
    return selectors.filter_units(_user(request))


def event_units(request):
    return selectors.filter_units(_user(request), selectors.EVENT_UNIT_KINDS)


def visible_chains(request):
    user = _user(request)
    if user is None:
        return IndustryChain.objects.none()
    return IndustryChain.objects.visible_to(user).filter(active=True)


def host_units(request):
    user = _user(request)
    return selectors.host_unit_choices(user) if user is not None else Unit.objects.none()


def visible_people(request):
    user = _user(request)
    return selectors.visible_people(user) if user is not None else User.objects.none()


class UnitChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


class PersonChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


def date_from(field_name):
    return django_filters.DateFilter(
        label=_("起始日期"), field_name=field_name, lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )


def date_to(field_name):
    return django_filters.DateFilter(
        label=_("截止日期"), field_name=field_name, lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )


class LedgerFilterSet(StyledFilterSet):
    unit = UnitChoiceFilter(label=_("单位"), queryset=ledger_units, method="filter_unit")
    # A city's records, whichever of its units did the work (the dashboard's drill-down).
    city = CityFilter(method="filter_unit")

    def filter_unit(self, queryset, name, value):
        # A county's list by county includes its squads' records.
        return queryset.filter(unit__path__startswith=value.path)


class EachCompanyMixin:
    """`each_company`: one row per company among the rows the other filters keep (its first recorded), so the
    list holds as many rows as companies (the dashboard's "companies visited", "companies invited")."""

    def filter_each_company(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset, over what the other filters kept

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("each_company"):
            firsts = queryset.order_by().values("company_id").annotate(first=Min("pk")).values("first")
            queryset = queryset.filter(pk__in=firsts)
        return queryset


class VisitFilterSet(EachCompanyMixin, LedgerFilterSet):
    date_from = date_from("visit_date")
    date_to = date_to("visit_date")
    q = django_filters.CharFilter(label=_("企业名称"), field_name="company__name", lookup_expr="icontains")
    company = django_filters.NumberFilter(label=_("企业编号"), field_name="company_id", widget=forms.HiddenInput)
    chain = django_filters.ModelChoiceFilter(label=_("产业链"), queryset=visible_chains)
    category = django_filters.ChoiceFilter(
        label=_("企业类别"), field_name="company__category", choices=CompanyCategory.choices
    )
    way = django_filters.ChoiceFilter(label=_("走访方式"), choices=VisitWay.choices)
    each_company = yes_no_filter(_("每家企业一行"), method="filter_each_company")

    class Meta:
        model = Visit
        fields = ["unit", "date_from", "date_to", "q", "company", "chain", "category", "way", "city", "each_company"]


class InspectionFilterSet(EachCompanyMixin, LedgerFilterSet):
    date_from = date_from("inspection_date")
    date_to = date_to("inspection_date")
    q = django_filters.CharFilter(label=_("企业名称"), field_name="company__name", lookup_expr="icontains")
    company = django_filters.NumberFilter(label=_("企业编号"), field_name="company_id", widget=forms.HiddenInput)
    host_unit = UnitChoiceFilter(label=_("考察县区/开发区"), queryset=host_units, field_name="host_units")
    each_company = yes_no_filter(_("每家企业一行"), method="filter_each_company")

    class Meta:
        model = Inspection
        fields = ["unit", "date_from", "date_to", "q", "company", "host_unit", "city", "each_company"]


class EventFilterSet(LedgerFilterSet):
    unit = UnitChoiceFilter(label=_("单位"), queryset=event_units, method="filter_unit")
    date_from = date_from("event_date")
    date_to = date_to("event_date")
    q = django_filters.CharFilter(label=_("名称或地点"), method="filter_q")
    company = django_filters.NumberFilter(label=_("企业编号"), field_name="companies", widget=forms.HiddenInput)

    class Meta:
        model = PromotionEvent
        fields = ["unit", "date_from", "date_to", "q", "company"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(place__icontains=value))


class TripFilterSet(LedgerFilterSet):
    unit = UnitChoiceFilter(label=_("单位"), queryset=event_units, method="filter_unit")
    date_from = date_from("start_date")
    date_to = date_to("start_date")
    leader = PersonChoiceFilter(label=_("带队领导"), queryset=visible_people)
    q = django_filters.CharFilter(label=_("目的地"), field_name="destinations", lookup_expr="icontains")
    company = django_filters.NumberFilter(label=_("企业编号"), field_name="companies", widget=forms.HiddenInput)

    class Meta:
        model = OutboundTrip
        fields = ["unit", "date_from", "date_to", "leader", "q", "company"]


class StationingFilterSet(LedgerFilterSet):
    person = PersonChoiceFilter(label=_("人员"), queryset=visible_people)
    year = django_filters.NumberFilter(label=_("年度"), method="filter_year", min_value=2000, max_value=2100)

    class Meta:
        model = Stationing
        fields = ["person", "unit", "year"]

    def filter_year(self, queryset, name, value):
        return selectors.overlapping_year(queryset, int(value))

    def chosen_year(self):
        """The year asked for, else the current one (the summary always speaks of one year)."""
        form = self.form
        if form.is_valid() and form.cleaned_data.get("year"):
            return int(form.cleaned_data["year"])
        return timezone.localdate().year
