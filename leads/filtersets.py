"""The one FilterSet for leads: the list pages and the API filter the same way.

Choices offered (units, chains, pools, grades) are only those of the user's own scope and
city; a filter by an id outside it finds nothing, since the rows are already scoped.

Whether a lead is effective (实效线索) depends on its city's rule (LeadSettings), so the
lists annotate it in the database, city by city (`with_effective_for`), rather than
computing it row by row.
"""

import django_filters
from django import forms
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from chains.models import IndustryChain
from core.filtering import StyledFilterSet, yes_no_filter
from core.place_filters import CityFilter, region_filter, region_q
from core.scope import scope_of
from organizations.models import Unit
from outreach.forms import UnitChoiceField

from . import rules, selectors
from .choices import LeadSource, LeadStatus, PoolKind
from .models import Lead, LeadPool, LeadSettings

DEFAULT_GRADES = ("A", "B", "C")
FILTER_UNIT_KINDS = (*selectors.RECEIVING_UNIT_KINDS, "team", "squad")


def settings_for(user):
    """The lead rules of the cities `user` works in, by owner id (a city that never changed them has none)."""
    scope = scope_of(user)
    return {s.owner_id: s for s in LeadSettings.objects.filter(scope.within_q("owner"))}


def with_effective_for(queryset, settings_by_owner):
    """Annotate `is_effective` on each lead by its own city's rule (the default rule where none is stored)."""
    whens = [
        When(Q(owner_id=owner_id) & rules.effective_q(settings), then=Value(True))
        for owner_id, settings in settings_by_owner.items()
    ]
    whens.append(When(~Q(owner_id__in=list(settings_by_owner)) & rules.effective_q(None), then=Value(True)))
    return queryset.annotate(is_effective=Case(*whens, default=Value(False), output_field=BooleanField()))


def connected_q():
    """Leads that have moved past their city's first pool (在谈库 or beyond by default) and are not lost:
    the projects "connected" (对接) of seed 000's funnel (781 : 579 : 112 : 22)."""
    earlier_open = LeadPool.objects.filter(
        owner=OuterRef("owner"), kind=PoolKind.OPEN, sort_order__lt=OuterRef("pool__sort_order")
    )
    return ~Q(pool__kind=PoolKind.LOST) & Exists(earlier_open)


def grades_for(settings_by_owner):
    """The grades the user's cities use, in their order (the default A/B/C when none is stored)."""
    grades = []
    for settings in settings_by_owner.values():
        grades += [g for g in settings.grades or () if g not in grades]
    return grades or list(DEFAULT_GRADES)


def _user(request):
    return getattr(request, "user", None)


def filter_units(request):
    user = _user(request)
    if user is None:
        return Unit.objects.none()
    return Unit.objects.visible_to(user).filter(kind__in=FILTER_UNIT_KINDS, active=True).order_by("path")


def visible_chains(request):
    user = _user(request)
    if user is None:
        return IndustryChain.objects.none()
    return IndustryChain.objects.visible_to(user).filter(active=True)


def visible_segments(request):
    """Segments offered in the filter (the chain map's counts link here with ?segment=): those the user may see."""
    from chains.models import ChainSegment

    user = _user(request)
    if user is None:
        return ChainSegment.objects.none()
    return ChainSegment.objects.visible_to(user).select_related("chain").order_by("chain_id", "sort_order", "id")


def visible_pools(request):
    user = _user(request)
    if user is None:
        return LeadPool.objects.none()
    return selectors.pools_for(user)


@extend_schema_field(OpenApiTypes.INT)
class UnitChoiceFilter(django_filters.ModelChoiceFilter):
    """A unit by id (a county's includes its squads)."""

    field_class = UnitChoiceField


class LeadFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("名称/投资方"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=LeadStatus.choices)
    pool = django_filters.ModelChoiceFilter(label=_("所在库"), queryset=visible_pools)
    grade = django_filters.ChoiceFilter(label=_("线索等级"), choices=(), method="filter_grade")
    unit = UnitChoiceFilter(label=_("报送或承接单位"), queryset=filter_units, method="filter_unit")
    # As the targets count leads: by the unit that reported them (and its squads).
    reported_by = UnitChoiceFilter(
        label=_("报送单位"), queryset=filter_units, method="filter_reported_by", widget=forms.HiddenInput
    )
    chain = django_filters.ModelChoiceFilter(label=_("产业链"), queryset=visible_chains)
    segment = django_filters.ModelChoiceFilter(label=_("产业链环节"), queryset=visible_segments)
    source = django_filters.ChoiceFilter(label=_("信息来源"), choices=LeadSource.choices)
    date_from = django_filters.DateFilter(
        label=_("收集日期起"),
        field_name="collected_date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("收集日期止"),
        field_name="collected_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    effective = yes_no_filter(_("实效线索"), method="filter_effective")
    overdue = yes_no_filter(_("研判或反馈逾期"), method="filter_overdue")
    company = django_filters.NumberFilter(label=_("企业编号"), field_name="investor_id", widget=forms.HiddenInput)
    # The dashboard's drill-down (dashboards.selectors): a city's leads, counted ones, connected ones, and
    # where the investor comes from.
    city = CityFilter(field_name="owner")
    counted = yes_no_filter(_("计入统计（不含重复线索）"), method="filter_counted")
    connected = yes_no_filter(_("已对接（进入在谈库及以后）"), method="filter_connected")
    province = django_filters.CharFilter(
        label=_("投资方所在省份"), field_name="investor__province", widget=forms.HiddenInput
    )
    region = region_filter("filter_region")

    class Meta:
        model = Lead
        fields = [
            "q",
            "status",
            "pool",
            "grade",
            "unit",
            "reported_by",
            "chain",
            "segment",
            "source",
            "date_from",
            "date_to",
            "effective",
            "overdue",
            "company",
            "city",
            "counted",
            "connected",
            "province",
            "region",
        ]

    def __init__(self, *args, settings_by_owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self.request)
        if settings_by_owner is None:
            settings_by_owner = settings_for(user) if user is not None else {}
        self.settings_by_owner = settings_by_owner
        grades = grades_for(self.settings_by_owner)
        self.form.fields["grade"].choices = [("", "---------"), *((g, g) for g in grades)]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(investor__name__icontains=value))

    def filter_grade(self, queryset, name, value):
        return queryset.filter(grade=value)

    def filter_unit(self, queryset, name, value):
        # A county's leads are those it reported (it or its squads) and those pushed to it.
        return queryset.filter(
            Q(reporting_unit__path__startswith=value.path) | Q(receiving_unit__path__startswith=value.path)
        )

    def filter_reported_by(self, queryset, name, value):
        return queryset.filter(reporting_unit__path__startswith=value.path)

    def filter_effective(self, queryset, name, value):
        if "is_effective" not in queryset.query.annotations:
            queryset = with_effective_for(queryset, self.settings_by_owner)
        return queryset.filter(is_effective=value)

    def filter_overdue(self, queryset, name, value):
        if value:
            return selectors.overdue(queryset)
        return queryset.exclude(pk__in=selectors.overdue(Lead.objects.all()).values("pk"))

    def filter_counted(self, queryset, name, value):
        return queryset.filter(duplicate_of__isnull=value)

    def filter_connected(self, queryset, name, value):
        return queryset.filter(connected_q()) if value else queryset.exclude(connected_q())

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_q(value, "investor__province"))
