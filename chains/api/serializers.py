"""API shapes for clusters, chains, segments and chain leaders, and a chain's gaps and "六个一".

Output serializers say what a record looks like; input serializers only check the shape
of a request body. Every rule about the taxonomy lives in chains.services.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import ChoiceLabelField
from core.api.viewsets import InputSerializer, VisiblePrimaryKeyRelatedField, ref, text
from enterprises.models import Company
from organizations.models import Unit, User
from projects.tables import yi

from ..choices import LeaderKind, Progress, SegmentPosition
from ..models import ChainLeader, ChainPromotion, ChainSegment, IndustryChain, IndustryCluster, PolicyDocument
from ..selectors import figure_urls

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

    position_display = ChoiceLabelField("position")

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
    kind_display = ChoiceLabelField("kind")

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


# --- The map, the gaps and "六个一" ------------------------------------------------------------


class GapCandidateSerializer(serializers.Serializer):
    """One candidate of the gap list: a company of the directory for a missing or weak segment."""

    segment = serializers.IntegerField(source="chainsegment_id", read_only=True)
    segment_name = serializers.CharField(source="chainsegment.name", read_only=True)
    position = serializers.CharField(source="chainsegment.position", read_only=True)
    company = serializers.IntegerField(source="company_id", read_only=True)
    company_name = serializers.CharField(source="company.name", read_only=True)
    location = serializers.CharField(source="company.location", read_only=True)
    category_display = serializers.CharField(source="company.get_category_display", read_only=True)
    progress = serializers.IntegerField(
        read_only=True, help_text="0 未接触、1 已走访、2 已报送线索、3 线索已推送/接收、4 已签约项目"
    )
    progress_display = serializers.SerializerMethodField()
    company_url = serializers.SerializerMethodField()

    def get_progress_display(self, row) -> str:
        return str(Progress(row.progress).label)

    def get_company_url(self, row) -> str:
        return reverse("enterprises:company_detail", args=[row.company_id])


class GapSegmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(read_only=True)
    position = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True)
    state_display = serializers.CharField(source="state.label", read_only=True)
    local_count = serializers.IntegerField(read_only=True)
    candidate_count = serializers.IntegerField(source="target_count", read_only=True)


class PolicyDocumentSerializer(serializers.ModelSerializer):
    files = serializers.SerializerMethodField()

    class Meta:
        model = PolicyDocument
        fields = ["id", "title", "issued_on", "files"]
        read_only_fields = fields

    def get_files(self, document) -> list[dict]:
        return [
            {"id": a.pk, "name": a.original_name, "url": reverse("core:attachment", args=[a.pk])}
            for a in document.attachments.all()
        ]


class PromotionSerializer(serializers.Serializer):
    """A chain's "六个一" with its figures (from chains.selectors.promotion_overview: leads, projects, investment)."""

    chain = serializers.IntegerField(source="pk", read_only=True)
    chain_name = serializers.CharField(source="name", read_only=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    leader = serializers.SerializerMethodField()
    leader_name = serializers.SerializerMethodField()
    leader_title = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField()
    team_name = serializers.SerializerMethodField()
    chain_leader = serializers.SerializerMethodField()
    chain_leader_company = serializers.SerializerMethodField()
    chain_leader_name = serializers.SerializerMethodField()
    policy_count = serializers.IntegerField(read_only=True)
    lead_count = serializers.IntegerField(read_only=True)
    project_count = serializers.IntegerField(read_only=True)
    signed_investment = serializers.DecimalField(
        max_digits=18, decimal_places=4, read_only=True, help_text="已签约项目总投资（万元，不含更名、重签）"
    )
    signed_investment_yi = serializers.SerializerMethodField(help_text="同上，亿元，两位小数")
    urls = serializers.SerializerMethodField()

    @staticmethod
    def _promotion(chain):
        try:
            return chain.promotion
        except ChainPromotion.DoesNotExist:
            return None

    def _get(self, chain, attr):
        promotion = self._promotion(chain)
        return getattr(promotion, attr) if promotion is not None else None

    def get_leader(self, chain) -> int | None:
        return self._get(chain, "leader_id")

    def get_leader_name(self, chain) -> str:
        return self._get(chain, "leader_name") or ""

    def get_leader_title(self, chain) -> str:
        return self._get(chain, "leader_title") or ""

    def get_team(self, chain) -> int | None:
        return self._get(chain, "team_id")

    def get_team_name(self, chain) -> str:
        team = self._get(chain, "team")
        return team.name if team is not None else ""

    def get_chain_leader(self, chain) -> int | None:
        return self._get(chain, "chain_leader_id")

    def get_chain_leader_company(self, chain) -> int | None:
        leader = self._get(chain, "chain_leader")
        return leader.company_id if leader is not None else None

    def get_chain_leader_name(self, chain) -> str:
        leader = self._get(chain, "chain_leader")
        return leader.company.name if leader is not None else ""

    def get_signed_investment_yi(self, chain) -> str:
        return yi(chain.signed_investment) or "0.00"

    def get_urls(self, chain) -> dict:
        return figure_urls(chain.pk)


class PromotionDetailSerializer(PromotionSerializer):
    policies = PolicyDocumentSerializer(source="policy_list", many=True, read_only=True)


class PromotionUpdateSerializer(InputSerializer):
    leader = ref(User, help_text="链长（本市领导）的人员ID；null 清除")
    leader_name = text(50)
    leader_title = text(100)
    team = ref(Unit, help_text="招商专班的单位ID；null 清除")
    chain_leader = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="链主企业：该产业链链主/链核记录ID（见 leaders）；null 清除",
    )


class PolicyAddSerializer(InputSerializer):
    title = serializers.CharField(max_length=200)
    issued_on = serializers.DateField(required=False, allow_null=True)
    file = serializers.FileField(help_text="政策文件（multipart 上传）")


class PolicyRemoveSerializer(InputSerializer):
    document = serializers.IntegerField(min_value=1, help_text="要移除的政策文件ID（见 policies）")
