"""One FilterSet per list: the chain pages and the API filter the same way."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.filtering import StyledFilterSet, yes_no_filter
from enterprises.models import Company

from .choices import Progress, SegmentPosition
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


class SegmentCompanyFilterSet(StyledFilterSet):
    """The companies behind a segment's counts on the map: all, the local ones, those in production, the targets.

    `local` and `producing` read the flags chains.selectors.segment_companies annotates, so the
    list holds exactly what the map counted.
    """

    q = django_filters.CharFilter(label=_("企业名称"), method="filter_q")
    local = yes_no_filter(_("本地企业"), field_name="is_local")
    producing = yes_no_filter(_("已投产"), field_name="is_producing")

    class Meta:
        model = Company
        fields = ["q", "local", "producing"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset


class GapFilterSet(StyledFilterSet):
    """The gap list of one chain, narrowed to one of its missing or weak segments or to how far along."""

    segment = django_filters.ChoiceFilter(label=_("环节"), choices=(), field_name="chainsegment_id")
    progress = django_filters.ChoiceFilter(label=_("进展"), choices=Progress.choices, field_name="progress")

    class Meta:
        model = Company.segments.through
        fields = ["segment", "progress"]

    def __init__(self, *args, gaps=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The form is already built (StyledFilterSet styles it): its field takes the chain's gaps as choices.
        self.form.fields["segment"].choices = [
            (s.pk, f"{s.get_position_display()} · {s.name}（{s.state.label}）") for s in gaps
        ]
