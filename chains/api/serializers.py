"""API shapes for clusters, chains, segments and chain leaders.

Output serializers say what a record looks like; input serializers only check the shape
of a request body. Every rule about the taxonomy lives in chains.services.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.viewsets import InputSerializer, VisiblePrimaryKeyRelatedField
from enterprises.models import Company

from ..choices import LeaderKind, SegmentPosition
from ..models import ChainLeader, ChainSegment, IndustryChain, IndustryCluster

ORDER_LIMITS = {"min_value": 0, "max_value": 2147483647}


# Named LeaderKindEnum in the schema (settings.SPECTACULAR_SETTINGS['ENUM_NAME_OVERRIDES']).
class LeaderKindField(serializers.ChoiceField):
    default_error_messages = {
        "invalid_choice": _("“{input}”不是有效的类型，须为 chain_leader（链主）或 chain_core（链核）。")
    }

    def __init__(self, **kwargs):
        super().__init__(choices=LeaderKind.choices, **kwargs)


# --- Output ---------------------------------------------------------------------------


class ClusterSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    chain_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = IndustryCluster
        fields = ["id", "owner", "owner_name", "name", "description", "sort_order", "active", "chain_count"]
        read_only_fields = fields


class ChainSegmentSerializer(serializers.ModelSerializer):
    """A segment inside a chain's output."""

    position_display = serializers.CharField(source="get_position_display", read_only=True)

    class Meta:
        model = ChainSegment
        fields = ["id", "position", "position_display", "name", "description", "sort_order"]
        read_only_fields = fields


class SegmentSerializer(ChainSegmentSerializer):
    """A segment on its own (/chain-segments/): with the chain and cluster it belongs to."""

    chain_name = serializers.CharField(source="chain.name", read_only=True)
    cluster = serializers.IntegerField(source="chain.cluster_id", read_only=True)
    cluster_name = serializers.CharField(source="chain.cluster.name", read_only=True)

    class Meta(ChainSegmentSerializer.Meta):
        fields = ["id", "chain", "chain_name", "cluster", "cluster_name", *ChainSegmentSerializer.Meta.fields[1:]]
        read_only_fields = fields


class ChainLeaderSerializer(serializers.ModelSerializer):
    company_name = serializers.CharField(source="company.name", read_only=True)
    kind = LeaderKindField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ChainLeader
        fields = ["id", "company", "company_name", "kind", "kind_display"]
        read_only_fields = fields


class ChainSerializer(serializers.ModelSerializer):
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    # Prefetched by the view (upstream → downstream; leaders whose companies the viewer may see).
    segments = ChainSegmentSerializer(source="ordered_segments", many=True, read_only=True)
    leaders = ChainLeaderSerializer(source="visible_leaders", many=True, read_only=True)

    class Meta:
        model = IndustryChain
        fields = ["id", "cluster", "cluster_name", "name", "description", "sort_order", "active", "segments", "leaders"]
        read_only_fields = fields


# --- Input ----------------------------------------------------------------------------


class ClusterCreateSerializer(InputSerializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    sort_order = serializers.IntegerField(required=False, default=0, **ORDER_LIMITS)
    active = serializers.BooleanField(required=False, default=True)


class ClusterUpdateSerializer(InputSerializer):
    name = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    sort_order = serializers.IntegerField(required=False, **ORDER_LIMITS)
    active = serializers.BooleanField(required=False)


class ChainCreateSerializer(InputSerializer):
    cluster = VisiblePrimaryKeyRelatedField(IndustryCluster, help_text="产业集群ID")
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    sort_order = serializers.IntegerField(required=False, default=0, **ORDER_LIMITS)
    active = serializers.BooleanField(required=False, default=True)


class ChainUpdateSerializer(ClusterUpdateSerializer):
    pass


class PositionField(serializers.ChoiceField):
    default_error_messages = {
        "invalid_choice": _(
            "“{input}”不是有效的环节位置，须为 upstream（上游）、midstream（中游）或 downstream（下游）。"
        )
    }

    def __init__(self, **kwargs):
        super().__init__(choices=SegmentPosition.choices, **kwargs)


class SegmentCreateSerializer(InputSerializer):
    chain = VisiblePrimaryKeyRelatedField(IndustryChain, help_text="产业链ID")
    position = PositionField(help_text="upstream / midstream / downstream")
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    sort_order = serializers.IntegerField(required=False, default=0, **ORDER_LIMITS)


class SegmentUpdateSerializer(InputSerializer):
    position = PositionField(required=False, help_text="upstream / midstream / downstream")
    name = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    sort_order = serializers.IntegerField(required=False, **ORDER_LIMITS)


class LeaderAddSerializer(InputSerializer):
    company = VisiblePrimaryKeyRelatedField(Company, help_text="目标企业ID")
    kind = LeaderKindField(default=LeaderKind.CHAIN_LEADER)


class LeaderRemoveSerializer(InputSerializer):
    leader = serializers.IntegerField(min_value=1, help_text="要移除的链主/链核记录ID（见产业链的 leaders）")
