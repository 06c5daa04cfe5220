"""/api/v1/clusters/, /api/v1/chains/, /api/v1/chain-segments/: the chain taxonomy for integrators.

Also, per chain: its map (/chains/<pk>/map/), its gap list (/chains/<pk>/gaps/) and its
"六个一" (/chains/<pk>/six-ones/, with the policy package), and the overview of every chain's
"六个一" (/chains/six-ones/). Thin views: the input serializer checks the shape, one service
in chains.services makes the change (and its audit record), the answer is read back in scope.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import ScopedModelViewSet

from .. import selectors, services
from ..filtersets import ChainFilterSet, ClusterFilterSet, GapFilterSet, SegmentFilterSet
from ..models import ChainLeader, ChainSegment, IndustryChain, IndustryCluster, PolicyDocument
from .serializers import (
    ChainCreateSerializer,
    ChainSerializer,
    ChainUpdateSerializer,
    ClusterCreateSerializer,
    ClusterSerializer,
    ClusterUpdateSerializer,
    GapCandidateSerializer,
    GapSegmentSerializer,
    LeaderAddSerializer,
    LeaderRemoveSerializer,
    PolicyAddSerializer,
    PolicyRemoveSerializer,
    PromotionDetailSerializer,
    PromotionSerializer,
    PromotionUpdateSerializer,
    SegmentCreateSerializer,
    SegmentSerializer,
    SegmentUpdateSerializer,
)

GAP_LIST = inline_serializer(
    "ChainGapList",
    {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": GapCandidateSerializer(many=True),
        "gaps": GapSegmentSerializer(many=True),
        "rule": serializers.CharField(),
    },
)


@extend_schema_view(
    list=extend_schema(
        summary="产业集群列表", description="当前用户所在城市的产业集群（如运城“415”十大工业产业集群）。"
    ),
    retrieve=extend_schema(summary="产业集群详情"),
    create=extend_schema(summary="新建产业集群", description="只有本市招商中心工作人员可以新建；名称在本市内唯一。"),
    partial_update=extend_schema(summary="修改产业集群", description="可改名称、说明、排序和启用状态。"),
)
class ClusterViewSet(ScopedModelViewSet):
    model = IndustryCluster
    serializer_class = ClusterSerializer
    filterset_class = ClusterFilterSet
    list_select_related = ("owner",)
    input_serializer_classes = {"create": ClusterCreateSerializer, "partial_update": ClusterUpdateSerializer}

    def optimize_queryset(self, queryset):
        return (
            super()
            .optimize_queryset(queryset)
            .annotate(chain_count=Count("chains"))
            .order_by("owner__path", "sort_order", "id")
        )

    def create_object(self, data):
        return services.create_cluster(actor=self.request.user, **data)

    def update_object(self, cluster, data):
        return services.update_cluster(actor=self.request.user, cluster=cluster, **data)


@extend_schema_view(
    list=extend_schema(
        summary="产业链列表",
        description="可按产业集群（cluster）、名称（q）和启用状态筛选；每条产业链带上中下游环节和链主/链核企业。",
    ),
    retrieve=extend_schema(summary="产业链详情"),
    create=extend_schema(summary="新建产业链", description="只有本市招商中心工作人员可以新建；名称在所属集群内唯一。"),
    partial_update=extend_schema(summary="修改产业链", description="可改名称、说明、排序和启用状态。"),
)
class ChainViewSet(ScopedModelViewSet):
    model = IndustryChain
    serializer_class = ChainSerializer
    filterset_class = ChainFilterSet
    input_serializer_classes = {
        "create": ChainCreateSerializer,
        "partial_update": ChainUpdateSerializer,
        "add_leader": LeaderAddSerializer,
        "remove_leader": LeaderRemoveSerializer,
        "six_ones": PromotionUpdateSerializer,
        "add_policy": PolicyAddSerializer,
        "remove_policy": PolicyRemoveSerializer,
    }

    def get_queryset(self):
        return selectors.chains_for_list(self.request.user)

    def create_object(self, data):
        return services.create_chain(actor=self.request.user, **data)

    def update_object(self, chain, data):
        return services.update_chain(actor=self.request.user, chain=chain, **data)

    @extend_schema(
        summary="添加链主/链核企业",
        description="从本市目标企业库中选一家企业，列为该产业链的链主（chain_leader）或链核（chain_core）。",
        responses={201: ChainSerializer},
    )
    @action(detail=True, methods=["post"], url_path="leaders")
    def add_leader(self, request, pk=None):
        chain = self.get_object()
        data = self.validated_input()
        services.add_chain_leader(actor=request.user, chain=chain, company=data["company"], kind=data["kind"])
        return self.respond(chain, status.HTTP_201_CREATED)

    @extend_schema(summary="移除链主/链核企业", description="企业本身仍保留在目标企业库中。")
    @action(detail=True, methods=["post"], url_path="remove-leader")
    def remove_leader(self, request, pk=None):
        chain = self.get_object()
        data = self.validated_input()
        leader = ChainLeader.objects.filter(pk=data["leader"], chain=chain).first()
        if leader is None:
            raise ValidationError({"leader": _("该产业链没有编号为 %(id)d 的链主/链核记录。") % {"id": data["leader"]}})
        services.remove_chain_leader(actor=request.user, leader=leader)
        return self.respond(chain)

    # --- The map, the gaps and "六个一" ---------------------------------------------------------

    def _chain(self):
        """The chain in scope (404 otherwise; 403 for a write it may not make), with its cluster and city."""
        chain = self.get_object()
        return IndustryChain.objects.select_related("cluster__owner").get(pk=chain.pk)

    @extend_schema(
        summary="产业链招商图谱",
        description=(
            "各环节（上游→下游）的状态（present 有、weak 弱、missing 缺，判定规则见 rule）、本地企业数及其中已投产数、"
            "链主/链核、目标企业（外地）数、线索数、项目数；urls 为每个数字对应的列表页（列表条数与数字一致）。"
            "只计入当前用户有权查看的记录。"
        ),
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"], url_path="map")
    def map_data(self, request, pk=None):
        return Response(selectors.chain_map(request.user, self._chain()).as_data())

    @extend_schema(
        summary="补链延链目标",
        description=(
            "“缺”“弱”环节（gaps）及目标企业库中该环节的外地企业（results，分页），按对接进展排序："
            "已签约项目 > 线索已推送/接收 > 已报送线索 > 已走访 > 未接触。可按 segment（环节ID）、progress 筛选。"
        ),
        parameters=[
            OpenApiParameter("segment", OpenApiTypes.INT, description="环节ID（须为缺或弱的环节）"),
            OpenApiParameter("progress", OpenApiTypes.INT, description="进展（0–4）"),
        ],
        responses={200: GAP_LIST},
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="gaps", filterset_class=None)
    def gaps(self, request, pk=None):
        chain = self._chain()
        chain_map = selectors.chain_map(request.user, chain)
        gaps = chain_map.gaps
        candidates = selectors.gap_candidates(request.user, chain, [s.pk for s in gaps])
        filterset = GapFilterSet(request.GET, queryset=candidates, request=request, gaps=gaps)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        page = self.paginate_queryset(filterset.qs)
        response = self.get_paginated_response(GapCandidateSerializer(page, many=True).data)
        response.data["gaps"] = GapSegmentSerializer(gaps, many=True).data
        response.data["rule"] = chain_map.rule
        return response

    def _promotion_response(self, chain, status_code=status.HTTP_200_OK):
        figures = selectors.promotion_overview(self.request.user).get(pk=chain.pk)
        figures.policy_list = list(selectors.policy_documents(chain))
        return Response(PromotionDetailSerializer(figures).data, status=status_code)

    @extend_schema(
        methods=["GET"],
        summary="产业链“六个一”",
        description="链长、招商专班、链主企业、招商图谱、支持政策，及线索、项目、签约投资（由记录统计）。",
        responses={200: PromotionDetailSerializer},
    )
    @extend_schema(
        methods=["PATCH"],
        summary="修改产业链“六个一”",
        description="只有本市招商中心可以修改；只改所给字段，null 或空串清除该项。",
        request=PromotionUpdateSerializer,
        responses={200: PromotionDetailSerializer},
    )
    @action(detail=True, methods=["get", "patch"], url_path="six-ones", filterset_class=None)
    def six_ones(self, request, pk=None):
        chain = self._chain()
        if request.method == "PATCH":
            data = dict(self.validated_input(partial=True))
            if "chain_leader" in data and data["chain_leader"] is not None:
                leader = ChainLeader.objects.filter(pk=data["chain_leader"], chain=chain).first()
                if leader is None:
                    message = _("该产业链没有编号为 %(id)d 的链主/链核记录。") % {"id": data["chain_leader"]}
                    raise ValidationError({"chain_leader": message})
                data["chain_leader"] = leader
            services.set_chain_promotion(actor=request.user, chain=chain, **data)
        return self._promotion_response(chain)

    @extend_schema(
        summary="添加支持政策文件",
        description="multipart 上传：title（名称）、issued_on（印发日期，可选）、file（文件）。",
        request={"multipart/form-data": PolicyAddSerializer},
        responses={201: PromotionDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="policies")
    def add_policy(self, request, pk=None):
        chain = self._chain()
        data = self.validated_input()
        services.add_policy_document(actor=request.user, chain=chain, **data)
        return self._promotion_response(chain, status.HTTP_201_CREATED)

    @extend_schema(summary="移除支持政策文件", responses={200: PromotionDetailSerializer})
    @action(detail=True, methods=["post"], url_path="remove-policy")
    def remove_policy(self, request, pk=None):
        chain = self._chain()
        data = self.validated_input()
        document = PolicyDocument.objects.filter(pk=data["document"], promotion__chain=chain).first()
        if document is None:
            raise ValidationError({"document": _("该产业链没有编号为 %(id)d 的政策文件。") % {"id": data["document"]}})
        services.remove_policy_document(actor=request.user, document=document)
        return self._promotion_response(chain)

    @extend_schema(
        summary="各产业链“六个一”总览",
        description="当前用户可查看的全部产业链：链长、招商专班、链主企业、支持政策件数、线索、项目、签约投资。",
        responses={200: PromotionSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="six-ones")
    def six_ones_overview(self, request):
        chains = self.filter_queryset(selectors.promotion_overview(request.user))
        page = self.paginate_queryset(chains)
        return self.get_paginated_response(PromotionSerializer(page, many=True).data)


SEGMENT_ORDER = ("chain__cluster__sort_order", "chain__sort_order", "chain_id", "position_rank", "sort_order", "id")


@extend_schema_view(
    list=extend_schema(
        summary="产业链环节列表", description="可按产业链（chain）、产业集群（cluster）、环节位置（position）筛选。"
    ),
    retrieve=extend_schema(summary="产业链环节详情"),
    create=extend_schema(
        summary="添加环节", description="position 须为 upstream（上游）、midstream（中游）或 downstream（下游）。"
    ),
    partial_update=extend_schema(summary="修改环节", description="可改位置、名称、说明和排序。"),
    destroy=extend_schema(summary="删除环节", description="仍有企业或记录引用的环节不能删除。"),
)
class SegmentViewSet(mixins.DestroyModelMixin, ScopedModelViewSet):
    model = ChainSegment
    serializer_class = SegmentSerializer
    filterset_class = SegmentFilterSet
    list_select_related = ("chain__cluster",)
    input_serializer_classes = {"create": SegmentCreateSerializer, "partial_update": SegmentUpdateSerializer}

    def optimize_queryset(self, queryset):
        return (
            super().optimize_queryset(queryset).annotate(position_rank=selectors.POSITION_RANK).order_by(*SEGMENT_ORDER)
        )

    def create_object(self, data):
        return services.add_segment(actor=self.request.user, **data)

    def update_object(self, segment, data):
        return services.update_segment(actor=self.request.user, segment=segment, **data)

    def destroy(self, request, *args, **kwargs):
        segment = self.get_object()
        services.remove_segment(actor=request.user, segment=segment)
        return Response(status=status.HTTP_204_NO_CONTENT)
