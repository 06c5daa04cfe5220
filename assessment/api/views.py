"""/api/v1/assessment-schemes/ and /api/v1/assessment-locks/: schemes with their items, a period's results, the
office's lock, and the locks as published.

Thin views: the input serializer checks the shape, one service in assessment.services writes (and audits); results
are read by assessment.selectors, the same the page shows. A scheme list page costs a fixed number of queries.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from targets.forms import office_city

from .. import periods, selectors, services
from ..filtersets import PeriodLockFilterSet, SchemeFilterSet
from ..models import LockedScore, PeriodLock, Scheme
from ..tables import results_json
from . import serializers as s

PERIOD_PARAMETERS = [
    OpenApiParameter("month", OpenApiTypes.STR, description="月份，如 2022-09；all 为全期；默认最近一个已结束的月份"),
    OpenApiParameter("start", OpenApiTypes.DATE, description="开始日期（与 end 同用，须在方案期间内）"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="结束日期"),
]


def require_office_city(user):
    city = office_city(user)
    if city is None:
        raise PermissionDenied(_("只有本市招商中心可以管理考核。"))
    return city


@extend_schema_view(
    list=extend_schema(
        summary="考核方案列表", description="当前用户可见的考核方案（本市人员均可查看），含指标与权重。"
    ),
    retrieve=extend_schema(summary="考核方案详情"),
    create=extend_schema(
        summary="新建考核方案",
        description="本市招商中心；items 为指标、权重、计分规则（share 按完成目标比例封顶计分，rank 按排名计分）、"
        "封顶比例；各项权重之和须为 100。",
    ),
    partial_update=extend_schema(summary="修改考核方案", description="已有锁定结果的方案不能再改指标、权重或期间。"),
    destroy=extend_schema(summary="删除考核方案", description="已有锁定结果的方案不能删除。"),
)
class SchemeViewSet(mixins.DestroyModelMixin, ScopedModelViewSet):
    model = Scheme
    serializer_class = s.SchemeSerializer
    filterset_class = SchemeFilterSet
    list_select_related = ("owner",)
    list_prefetch_related = ("items", "locks")
    input_serializer_classes = {
        "create": s.SchemeCreateSerializer,
        "partial_update": s.SchemeUpdateSerializer,
        "lock": s.LockInputSerializer,
        "results": None,
    }
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        # Refused before the body is looked at: only the office keeps schemes.
        self.city = require_office_city(request.user)
        return super().create(request, *args, **kwargs)

    def create_object(self, data):
        return services.create_scheme(actor=self.request.user, owner=self.city, **data)

    def update_object(self, obj, data):
        return services.update_scheme(actor=self.request.user, scheme=obj, **data)

    def perform_destroy(self, instance):
        services.delete_scheme(actor=self.request.user, scheme=instance)

    @extend_schema(
        summary="考核结果",
        description="某期（月份、全期或起止日期）各单位的名次、总分和每项指标的完成数、目标、完成比例、得分及计入记录的链接；"
        "已锁定的期间给出公布的结果，锁定后记录有变动的指标标出 changed_after_lock 和当前数 live_reached，"
        "并给出按当前记录计算的 live_total、live_rank。金额以万元计。",
        parameters=PERIOD_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def results(self, request, *args, **kwargs):
        scheme = self.get_object()
        params = request.query_params
        start, end = periods.read_period(
            scheme, month=params.get("month"), start=params.get("start"), end=params.get("end")
        )
        return Response(results_json(selectors.results(scheme, start, end), list(scheme.items.all())))

    @extend_schema(
        summary="锁定考核结果",
        description="本市招商中心锁定已结束期间的考核结果（month 或 start、end，可附 note）；"
        "锁定后名次和得分不再随记录变动。",
        request=s.LockInputSerializer,
        responses={201: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["post"])
    def lock(self, request, *args, **kwargs):
        scheme = self.get_object()
        data = self.validated_input()
        start, end = periods.read_period(scheme, month=data.get("month"), start=data.get("start"), end=data.get("end"))
        services.lock_period(actor=request.user, scheme=scheme, start=start, end=end, note=data.get("note", ""))
        body = results_json(selectors.results(scheme, start, end), list(scheme.items.all()))
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="已锁定的考核结果", description="各期锁定（公布）的名次和总分；可按 scheme 筛选。"),
    retrieve=extend_schema(summary="锁定的考核结果详情"),
)
class PeriodLockViewSet(ScopedReadOnlyViewSet):
    model = PeriodLock
    serializer_class = s.PeriodLockSerializer
    filterset_class = PeriodLockFilterSet
    list_select_related = ("scheme", "locked_by")

    def get_prefetches(self):
        return [Prefetch("scores", queryset=LockedScore.objects.select_related("unit"))]
