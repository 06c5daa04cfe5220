"""/api/v1/team-reports/: list and read reports in scope, draft one (create), edit a draft (PATCH), submit, read
and return it; /api/v1/team-reports/missing/: the office's 未报清单.

Thin views: the input serializer checks the shape, one service in reports.services writes (and audits), the
answer is read back in scope.
"""

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError

from core.api.viewsets import ScopedModelViewSet
from core.scope import scope_of

from .. import selectors, services
from ..choices import READER_ROLES, REMINDER_LOOKBACK_DAYS, ReportKind
from ..filtersets import TeamReportFilterSet
from ..forms import MissingForm
from ..models import TeamReport
from . import serializers as s


@extend_schema_view(
    list=extend_schema(
        summary="工作报告列表",
        description="当前用户可见的驻点招商组周报（一周一专报）和月报（一月一总结）；筛选同列表页（单位、类型、状态、期间）。"
        "本组人员可见本单位全部报告（含草稿），招商中心和市领导可见本市已提交的报告。",
    ),
    retrieve=extend_schema(summary="工作报告详情"),
    create=extend_schema(
        summary="起草工作报告",
        description="本组（队）人员；系统按该期间本单位（含下属小分队）的走访、线索、考察、推介会、签约项目和问题诉求起草，"
        "figures 为起草时的统计。期间尚未开始、非驻点招商组或小分队、同一单位同一期间已有报告的，不予起草。",
    ),
    partial_update=extend_schema(summary="修改报告草稿", description="本组（队）人员；仅草稿可改标题和正文。"),
)
class TeamReportViewSet(ScopedModelViewSet):
    model = TeamReport
    serializer_class = s.TeamReportSerializer
    filterset_class = TeamReportFilterSet
    list_select_related = ("unit", "submitted_by", "read_by")
    input_serializer_classes = {
        "create": s.TeamReportCreateSerializer,
        "partial_update": s.TeamReportUpdateSerializer,
        "submit": None,
        "read": s.ReportReadSerializer,
        "return_report": s.ReportReturnSerializer,
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create_object(self, data):
        return services.draft_report(actor=self.request.user, **data)

    def update_object(self, obj, data):
        return services.update_report(actor=self.request.user, report=obj, **data)

    @extend_schema(summary="提交报告", description="草稿 → 已提交；须先填写“下一步工作打算”。", request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        report = self.get_object()
        return self.respond(services.submit_report(actor=request.user, report=report))

    @extend_schema(summary="阅示报告", description="本市招商中心；已提交 → 已阅，可附批示/意见。")
    @action(detail=True, methods=["post"])
    def read(self, request, *args, **kwargs):
        report = self.get_object()
        data = self.validated_input()
        return self.respond(services.mark_read(actor=request.user, report=report, **data))

    @extend_schema(summary="退回修改", description="本市招商中心；已提交 → 草稿，须填写退回原因。")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, *args, **kwargs):
        report = self.get_object()
        data = self.validated_input()
        return self.respond(services.return_report(actor=request.user, report=report, reason=data.get("reason", "")))

    @extend_schema(
        summary="未报清单",
        description="本市招商中心和市领导：各驻点招商组在期间内已结束、未按时报送的周报和月报（未报、草稿未提交、逾期提交）。"
        "周报于次周周一前、月报于次月3日前报送。",
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=ReportKind.values, description="不填为周报和月报"),
            OpenApiParameter(
                "start", OpenApiTypes.DATE, description=f"期间结束日起；默认近 {REMINDER_LOOKBACK_DAYS} 天"
            ),
            OpenApiParameter("end", OpenApiTypes.DATE, description="期间结束日止；默认昨天"),
            OpenApiParameter("city", OpenApiTypes.INT, description="城市编号；默认本人所在城市"),
        ],
        responses={200: s.MissingRowSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], filterset_class=None)
    def missing(self, request, *args, **kwargs):
        user = request.user
        if not scope_of(user).has(*READER_ROLES):
            raise PermissionDenied(_("只有本市招商中心和市领导可以查看未报清单。"))
        form = MissingForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        data = form.cleaned_data
        today = timezone.localdate()
        end = data.get("end") or today - datetime.timedelta(days=1)
        start = data.get("start") or end - datetime.timedelta(days=REMINDER_LOOKBACK_DAYS - 1)
        cities = list(selectors.reader_cities(user))
        if data.get("city"):
            cities = [c for c in cities if c.pk == data["city"]]
        if not cities:
            raise Http404
        rows = selectors.missing_reports(cities[0], data.get("kind") or None, start, end, today=today)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.MissingRowSerializer(page, many=True).data)
