"""/api/v1/clusters/, /api/v1/chains/, /api/v1/chain-segments/: the chain taxonomy for integrators.

Thin views: the input serializer checks the shape, one service in chains.services makes
the change (and its audit record), the answer is the record read back in scope.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import ScopedModelViewSet

from .. import selectors, services
from ..filtersets import ChainFilterSet, ClusterFilterSet, SegmentFilterSet
from ..models import ChainLeader, ChainSegment, IndustryChain, IndustryCluster
from .serializers import (
    ChainCreateSerializer,
    ChainSerializer,
    ChainUpdateSerializer,
    ClusterCreateSerializer,
    ClusterSerializer,
    ClusterUpdateSerializer,
    LeaderAddSerializer,
    LeaderRemoveSerializer,
    SegmentCreateSerializer,
    SegmentSerializer,
    SegmentUpdateSerializer,
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
