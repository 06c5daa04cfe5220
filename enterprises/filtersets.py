"""The directory's filters: one FilterSet for the list page and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filtering import StyledFilterSet

from .choices import CompanyCategory, CompanyKind, CompanySize
from .identity import normalize_company_name
from .models import Company, Contact


def visible_chains(request):
    """Chains offered in the filter: only those the user may see."""
    from chains.models import IndustryChain

    if request is None:
        return IndustryChain.objects.none()
    return IndustryChain.objects.visible_to(request.user).filter(active=True)


def visible_segments(request):
    """Segments offered in the filter (the chain map's counts link here with ?segment=): those the user may see."""
    from chains.models import ChainSegment

    if request is None:
        return ChainSegment.objects.none()
    segments = ChainSegment.objects.visible_to(request.user).select_related("chain")
    return segments.order_by("chain_id", "sort_order", "id")


class CompanyFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("名称或信用代码"), method="filter_q")
    category = django_filters.ChoiceFilter(label=_("企业类别"), choices=CompanyCategory.choices)
    kind = django_filters.ChoiceFilter(label=_("机构类型"), choices=CompanyKind.choices)
    province = django_filters.CharFilter(label=_("所在省份"), method="filter_province")
    chain = django_filters.ModelChoiceFilter(label=_("产业链"), queryset=visible_chains, method="filter_chain")
    size = django_filters.ChoiceFilter(label=_("规模"), choices=[c for c in CompanySize.choices if c[0]])
    segment = django_filters.ModelChoiceFilter(
        label=_("产业链环节"), queryset=visible_segments, method="filter_segment"
    )

    class Meta:
        model = Company
        fields = ["q", "category", "kind", "province", "chain", "size", "segment"]

    def filter_q(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        match = Q(name__icontains=value) | Q(credit_code__iexact=value.replace(" ", ""))
        normalized = normalize_company_name(value)
        if normalized:
            match |= Q(normalized_name__contains=normalized)
        return queryset.filter(match)

    def filter_province(self, queryset, name, value):
        # 山西 and 山西省 are the same province, whichever way it was typed.
        value = value.strip().removesuffix("省").removesuffix("市")
        return queryset.filter(province__startswith=value) if value else queryset

    @extend_schema_field(OpenApiTypes.INT)
    def filter_chain(self, queryset, name, value):
        # Exists, not a join: a company with three segments of the chain is still one row.
        links = Company.segments.through.objects.filter(company_id=OuterRef("pk"), chainsegment__chain=value)
        return queryset.filter(Exists(links))

    @extend_schema_field(OpenApiTypes.INT)
    def filter_segment(self, queryset, name, value):
        links = Company.segments.through.objects.filter(company_id=OuterRef("pk"), chainsegment=value)
        return queryset.filter(Exists(links))


class ContactFilterSet(django_filters.FilterSet):
    company = django_filters.NumberFilter(label=_("企业"), field_name="company_id")
    active = django_filters.BooleanFilter(label=_("有效"))

    class Meta:
        model = Contact
        fields = ["company", "active"]
