"""The one FilterSet for problems: the list page, the API and the figures' drill-down filter the same way.

Every figure on the figures page links to this list filtered so that it holds exactly the
problems counted: the exact filters (lead_department, raised_unit, category, each with a
"null" value for the blank group) match selectors.figures_by's grouping, and solved/on
time/same day/reopened/overdue/rated match selectors.figures' conditions.

Choices offered (categories, departments, units) are those of the user's own cities; the
rows are already scoped, so a filter by an id outside them finds nothing it may not see.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filtering import StyledFilterSet, yes_no_filter
from core.place_filters import CityFilter
from core.scope import scope_of
from leads.filtersets import UnitChoiceFilter
from organizations.choices import UnitKind
from organizations.models import Unit
from projects.filtersets import filter_units

from . import selectors
from .choices import MeetingKind, ProblemStatus, Source, Urgency
from .models import Meeting, Problem, ProblemAssignment, ProblemCategory

NULL = "null"
SOLVED_STATUSES = (ProblemStatus.SOLVED, ProblemStatus.CLOSED)


def _user(request):
    return getattr(request, "user", None)


def city_paths(user):
    """Tree paths of the cities the user works in or over (one query, memoised on the user for the request)."""
    cached = getattr(user, "_zs_service_cities", None)
    if cached is not None:
        return cached
    scope = scope_of(user)
    if not scope.by_role:
        return []
    cities = Unit.objects.filter(kind=UnitKind.CITY).filter(Q(pk__in=scope.ancestor_ids()) | scope.subtree_q("path"))
    found = list(cities.values_list("path", flat=True))
    try:
        user._zs_service_cities = found
    except AttributeError:  # AnonymousUser and the like
        pass
    return found


def _under(paths, field="path"):
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def city_units(request):
    """Every unit of the user's cities (the raised unit of a problem they see may be any of them)."""
    user = _user(request)
    if user is None:
        return Unit.objects.none()
    return Unit.objects.filter(_under(city_paths(user))).order_by("path")


def city_departments(request):
    """The departments (职能部门) of the user's cities: who problems are assigned to."""
    user = _user(request)
    if user is None:
        return Unit.objects.none()
    return Unit.objects.filter(_under(city_paths(user)), kind=UnitKind.DEPARTMENT, active=True).order_by(
        "sort_order", "path"
    )


def city_categories(request):
    user = _user(request)
    if user is None:
        return ProblemCategory.objects.none()
    scope = scope_of(user)
    return (
        ProblemCategory.objects.filter(scope.within_q("owner"))
        .select_related("owner")
        .order_by("owner", "sort_order", "id")
    )


class NamedChoiceField(filter_fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


@extend_schema_field(OpenApiTypes.INT)
class ExactUnitFilter(django_filters.ModelChoiceFilter):
    """A unit by id, exactly (no subtree), or "null" for none: a figures_by row's group."""

    field_class = NamedChoiceField


@extend_schema_field(OpenApiTypes.INT)
class CategoryFilter(django_filters.ModelChoiceFilter):
    """A category by id."""


class ProblemFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("编号/标题/企业/项目"), method="filter_q")
    status = django_filters.MultipleChoiceFilter(label=_("状态"), choices=ProblemStatus.choices)
    category = CategoryFilter(label=_("类别"), queryset=city_categories)
    source = django_filters.ChoiceFilter(label=_("提出渠道"), choices=Source.choices)
    urgency = django_filters.ChoiceFilter(label=_("紧急程度"), choices=Urgency.choices)
    department = UnitChoiceFilter(label=_("承办部门"), queryset=city_departments, method="filter_department")
    unit = UnitChoiceFilter(label=_("提出单位或项目落地单位"), queryset=filter_units, method="filter_unit")
    overdue = yes_no_filter(_("已逾期"), method="filter_overdue")
    escalated = yes_no_filter(_("督办"), method="filter_escalated")
    reopened = yes_no_filter(_("曾退回重办"), method="filter_reopened")
    same_day = yes_no_filter(_("日清日结"), field_name="same_day")
    on_time = yes_no_filter(_("按期办结"), field_name="on_time")
    rated = yes_no_filter(_("已评价满意度"), method="filter_rated")
    raised_from = django_filters.DateFilter(
        label=_("提出日期起"), field_name="raised_on", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    raised_to = django_filters.DateFilter(
        label=_("提出日期止"), field_name="raised_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    # By id, from a project's or a company's page and the figures' links (no list of every one to choose from).
    project = django_filters.NumberFilter(label=_("项目编号"), field_name="project", widget=forms.HiddenInput)
    company = django_filters.NumberFilter(label=_("企业编号"), field_name="company", widget=forms.HiddenInput)
    meeting = django_filters.NumberFilter(label=_("会议编号"), field_name="meeting", widget=forms.HiddenInput)
    lead_department = ExactUnitFilter(
        label=_("牵头部门"),
        queryset=city_departments,
        null_label=_("未交办"),
        null_value=NULL,
        widget=forms.HiddenInput,
    )
    raised_unit = ExactUnitFilter(
        label=_("提出单位"), queryset=city_units, null_label=_("企业投诉"), null_value=NULL, widget=forms.HiddenInput
    )
    # A city's problems, complaints included (the dashboard's drill-down).
    city = CityFilter(field_name="owner")

    class Meta:
        model = Problem
        fields = [
            "q",
            "status",
            "category",
            "source",
            "urgency",
            "department",
            "unit",
            "overdue",
            "escalated",
            "reopened",
            "same_day",
            "on_time",
            "rated",
            "raised_from",
            "raised_to",
            "project",
            "company",
            "meeting",
            "lead_department",
            "raised_unit",
            "city",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(company__name__icontains=value)
            | Q(project__name__icontains=value)
        )

    def filter_department(self, queryset, name, value):
        assigned = ProblemAssignment.objects.filter(department__path__startswith=value.path, problem=OuterRef("pk"))
        return queryset.filter(Exists(assigned))

    def filter_unit(self, queryset, name, value):
        return queryset.filter(
            Q(raised_unit__path__startswith=value.path) | Q(project__host_unit__path__startswith=value.path)
        )

    def filter_overdue(self, queryset, name, value):
        overdue = selectors.overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_escalated(self, queryset, name, value):
        return queryset.exclude(escalated="") if value else queryset.filter(escalated="")

    def filter_reopened(self, queryset, name, value):
        return queryset.filter(reopen_count__gt=0) if value else queryset.filter(reopen_count=0)

    def filter_rated(self, queryset, name, value):
        return queryset.filter(satisfaction__isnull=not value)


class MeetingFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("名称/地点"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=MeetingKind.choices)
    host_unit = UnitChoiceFilter(label=_("主办单位"), queryset=filter_units, method="filter_host")
    held_from = django_filters.DateFilter(
        label=_("日期起"), field_name="held_on", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    held_to = django_filters.DateFilter(
        label=_("日期止"), field_name="held_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Meeting
        fields = ["q", "kind", "host_unit", "held_from", "held_to"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(place__icontains=value))

    def filter_host(self, queryset, name, value):
        return queryset.filter(host_unit__path__startswith=value.path)
