"""One FilterSet per list: the chain pages and the API filter the same way."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.filtering import StyledFilterSet, yes_no_filter

from .choices import SegmentPosition
from .models import ChainSegment, IndustryChain, IndustryCluster


def visible_clusters(request):
    """Clusters offered in a filter: only those the user may see (inactive ones too, to find their chains)."""
    if request is None:
        return IndustryCluster.objects.none()
    return IndustryCluster.objects.visible_to(request.user).order_by("owner__path", "sort_order", "id")


def visible_chains(request):
    if request is None:
        return IndustryChain.objects.none()
    return IndustryChain.objects.visible_to(request.user).order_by("cluster__sort_order", "sort_order", "id")


class ClusterFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("名称"), method="filter_q")
    active = yes_no_filter(_("启用"))

    class Meta:
        model = IndustryCluster
        fields = ["q", "active"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class ChainFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("产业链、集群或环节"), method="filter_q")
    cluster = django_filters.ModelChoiceFilter(label=_("产业集群"), queryset=visible_clusters, field_name="cluster")
    active = yes_no_filter(_("启用"))

    class Meta:
        model = IndustryChain
        fields = ["q", "cluster", "active"]

    def filter_q(self, queryset, name, value):
        # Exists, not a join: a chain matching through two segments must still appear once.
        segment = ChainSegment.objects.filter(chain=OuterRef("pk"), name__icontains=value)
        return queryset.filter(Q(name__icontains=value) | Q(cluster__name__icontains=value) | Q(Exists(segment)))


class SegmentFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("环节名称"), method="filter_q")
    chain = django_filters.ModelChoiceFilter(label=_("产业链"), queryset=visible_chains, field_name="chain")
    cluster = django_filters.ModelChoiceFilter(
        label=_("产业集群"), queryset=visible_clusters, field_name="chain__cluster"
    )
    position = django_filters.ChoiceFilter(label=_("环节位置"), choices=SegmentPosition.choices)

    class Meta:
        model = ChainSegment
        fields = ["q", "chain", "cluster", "position"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(name__icontains=value)
