"""The one FilterSet for projects: the list page, the API and the figures' drill-down filter the same way.

A rate's link (selectors.Rate.link) is this list filtered by round (or host and period),
batch and the stage reached, so the list behind a figure always holds exactly its projects.
"""

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filtering import StyledFilterSet, yes_no_filter
from core.place_filters import CityFilter, region_filter, region_q
from enterprises.models import Company
from leads.filtersets import UnitChoiceFilter, visible_chains, visible_segments
from organizations.choices import TargetRegion, UnitKind
from organizations.models import Unit, User

from . import selectors
from .choices import Batch, ProjectKind, Stage
from .models import Project, ProjectSettings, Round, RoundEntry

REACHED = (
    ("signed", _("已签约")),
    ("started", _("已开工")),
    ("producing", _("已投产")),
    ("at_capacity", _("已达效")),
)
REACHED_FIELD = {
    "signed": "signed_on",
    "started": "started_on",
    "producing": "producing_on",
    "at_capacity": "at_capacity_on",
}


def counted_q():
    """Projects that count in the figures (统计口径), as targets.selectors counts them: a first signing, confirmed,
    of at least its own city's minimum amount (ProjectSettings; none stored: 0)."""
    minimum = Coalesce(
        Subquery(ProjectSettings.objects.filter(owner=OuterRef("owner")).values("min_count_amount")[:1]),
        Value(Decimal(0)),
    )
    return Q(signed_on__isnull=False, predecessor__isnull=True, total_investment__gte=minimum)


def investors_q(condition):
    """Projects with at least one investor meeting `condition` (a Q on Company)."""
    return Q(Exists(Company.objects.filter(condition, projects=OuterRef("pk"))))


def region_projects_q(region):
    """Projects with an investor from `region`; 其他 also takes projects without any investor."""
    q = investors_q(region_q(region, "province"))
    if region == TargetRegion.OTHER:
        q |= ~Q(Exists(Company.objects.filter(projects=OuterRef("pk"))))
    return q


def _user(request):
    return getattr(request, "user", None)


def filter_units(request):
    user = _user(request)
    if user is None:
        return Unit.objects.none()
    kinds = (UnitKind.COUNTY, UnitKind.ZONE, UnitKind.DEPARTMENT)
    return Unit.objects.visible_to(user).filter(kind__in=kinds, active=True).order_by("path")


def credited_units(request):
    from leads.filtersets import filter_units as lead_filter_units

    return lead_filter_units(request)


def visible_rounds(request):
    user = _user(request)
    if user is None:
        return Round.objects.none()
    return selectors.rounds_for(user)


def visible_leaders(request):
    user = _user(request)
    if user is None:
        return User.objects.none()
    return User.objects.visible_to(user).filter(led_projects__isnull=False).distinct()


@extend_schema_field(OpenApiTypes.INT)
class RoundChoiceFilter(django_filters.ModelChoiceFilter):
    """A round by id (typed for the API schema: its filter method says nothing of the type)."""


class ProjectFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("名称/投资方"), method="filter_q")
    unit = UnitChoiceFilter(label=_("落地或责任单位"), queryset=filter_units, method="filter_unit")
    # As the targets count a signing: for the team whose lead it was and for the host county or zone.
    credited_to = UnitChoiceFilter(
        label=_("计入单位"), queryset=credited_units, method="filter_credited_to", widget=forms.HiddenInput
    )
    stage = django_filters.MultipleChoiceFilter(label=_("阶段"), choices=Stage.choices)
    kind = django_filters.ChoiceFilter(label=_("项目类别"), choices=ProjectKind.choices)
    chain = django_filters.ModelChoiceFilter(label=_("产业链"), queryset=visible_chains)
    segment = django_filters.ModelChoiceFilter(label=_("产业链环节"), queryset=visible_segments)
    round = RoundChoiceFilter(label=_("“三个一批”活动"), queryset=visible_rounds, method="filter_round")
    batch = django_filters.ChoiceFilter(label=_("批次"), choices=Batch.choices, method="filter_batch")
    # The host and period of the rounds (a period's rates drill down with these instead of one round).
    round_host = UnitChoiceFilter(label=_("活动举办单位"), queryset=filter_units, method="filter_round_host")
    round_from = django_filters.DateFilter(label=_("活动日期起"), method="filter_round_from", widget=forms.HiddenInput)
    round_to = django_filters.DateFilter(label=_("活动日期止"), method="filter_round_to", widget=forms.HiddenInput)
    reached = django_filters.ChoiceFilter(label=_("已达到"), choices=REACHED, method="filter_reached")
    leader = django_filters.ModelChoiceFilter(label=_("包联领导"), queryset=visible_leaders)
    amount_min = django_filters.NumberFilter(
        label=_("总投资不低于（万元）"), field_name="total_investment", lookup_expr="gte"
    )
    amount_max = django_filters.NumberFilter(
        label=_("总投资不高于（万元）"), field_name="total_investment", lookup_expr="lte"
    )
    signed_from = django_filters.DateFilter(
        label=_("签约日期起"), field_name="signed_on", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    signed_to = django_filters.DateFilter(
        label=_("签约日期止"), field_name="signed_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    # 统计口径: a renamed or re-signed project continues another and is not counted again.
    first_signing = yes_no_filter(_("计入统计的首次签约（不含更名、重签）"), method="filter_first_signing")
    pending = yes_no_filter(_("阶段变更待核验"), method="filter_pending")
    overdue_report = yes_no_filter(_("上月进展未报或逾期"), method="filter_overdue_report")
    in_library = yes_no_filter(_("已入库"), field_name="in_library")
    company = django_filters.NumberFilter(label=_("企业编号"), field_name="investors", widget=forms.HiddenInput)
    # The dashboard's drill-down (dashboards.selectors): a city's projects, the counted ones, the date a stage
    # was reached (with `reached`; without it, the signing), where the investors come from, a first contact.
    city = CityFilter(field_name="owner")
    counted = yes_no_filter(_("计入统计（统计口径）"), method="filter_counted")
    reached_from = django_filters.DateFilter(
        label=_("达到日期起"), method="filter_reached_from", widget=forms.HiddenInput
    )
    reached_to = django_filters.DateFilter(label=_("达到日期止"), method="filter_reached_to", widget=forms.HiddenInput)
    province = django_filters.CharFilter(label=_("投资方所在省份"), method="filter_province", widget=forms.HiddenInput)
    region = region_filter("filter_region")
    first_contact = yes_no_filter(_("有首次接洽日期"), method="filter_first_contact")

    class Meta:
        model = Project
        fields = [
            "q",
            "unit",
            "credited_to",
            "stage",
            "kind",
            "chain",
            "segment",
            "round",
            "batch",
            "round_host",
            "round_from",
            "round_to",
            "reached",
            "leader",
            "amount_min",
            "amount_max",
            "signed_from",
            "signed_to",
            "first_signing",
            "pending",
            "overdue_report",
            "in_library",
            "company",
            "city",
            "counted",
            "reached_from",
            "reached_to",
            "province",
            "region",
            "first_contact",
        ]

    def _entries(self):
        """The round entries the round/batch/host/period filters select, applied once to the projects."""
        data = self.form.cleaned_data
        entries = RoundEntry.objects.filter(round__in=selectors.rounds_for(_user(self.request)))
        if data.get("round"):
            entries = entries.filter(round=data["round"])
        if data.get("batch"):
            entries = entries.filter(batch=data["batch"])
        if data.get("round_host"):
            entries = entries.filter(round__host_unit__path__startswith=data["round_host"].path)
        if data.get("round_from"):
            entries = entries.filter(round__held_on__gte=data["round_from"])
        if data.get("round_to"):
            entries = entries.filter(round__held_on__lte=data["round_to"])
        return entries

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if any(data.get(k) for k in ("round", "batch", "round_host", "round_from", "round_to")):
            queryset = queryset.filter(Exists(self._entries().filter(project=OuterRef("pk"))))
        date_field = REACHED_FIELD[data.get("reached") or "signed"]
        if data.get("reached_from"):
            queryset = queryset.filter(**{f"{date_field}__gte": data["reached_from"]})
        if data.get("reached_to"):
            queryset = queryset.filter(**{f"{date_field}__lte": data["reached_to"]})
        return queryset

    # The stage dates are applied with `reached` in filter_queryset.
    def filter_reached_from(self, queryset, name, value):
        return queryset

    filter_reached_to = filter_reached_from

    def filter_counted(self, queryset, name, value):
        return queryset.filter(counted_q()) if value else queryset.exclude(counted_q())

    def filter_province(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(investors_q(Q(province=value))) if value else queryset

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_projects_q(value))

    def filter_first_contact(self, queryset, name, value):
        return queryset.filter(first_contact_on__isnull=not value)

    # The round filters are applied together in filter_queryset.
    def filter_round(self, queryset, name, value):
        return queryset

    filter_batch = filter_round_host = filter_round_from = filter_round_to = filter_round

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(investor_names__icontains=value))

    def filter_unit(self, queryset, name, value):
        return queryset.filter(
            Q(host_unit__path__startswith=value.path) | Q(responsible_unit__path__startswith=value.path)
        )

    def filter_credited_to(self, queryset, name, value):
        return queryset.filter(
            Q(lead__reporting_unit__path__startswith=value.path) | Q(host_unit__path__startswith=value.path)
        )

    def filter_reached(self, queryset, name, value):
        return queryset.filter(**{f"{REACHED_FIELD[value]}__isnull": False})

    def filter_first_signing(self, queryset, name, value):
        return queryset.filter(predecessor__isnull=value)

    def filter_pending(self, queryset, name, value):
        pending = ~Q(stage=F("verified_stage"))
        return queryset.filter(pending) if value else queryset.exclude(pending)

    def filter_overdue_report(self, queryset, name, value):
        month = selectors.previous_month()
        overdue = Q(stage__in=selectors.REPORTING_STAGES) & selectors.overdue_report_q(month, timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
