"""/api/v1/targets/ and /api/v1/target-progress/city/: targets with their progress, the city's month as JSON.

Thin views: the input serializer checks the shape, one service in targets.services writes (and audits), the
answer is read back in scope. A list page's progress is counted over its rows only (one aggregate query per
indicator and period), so a page costs a fixed number of queries however long it is.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import API_PERMISSION_CLASSES
from core.api.viewsets import ScopedModelViewSet
from core.scope import scope_of
from projects.forms.common import parse_month

from .. import selectors, services
from ..filtersets import TargetFilterSet
from ..forms import cities_of, office_city
from ..models import READER_ROLES, Target
from ..tables import city_progress, city_progress_json
from . import serializers as s


def require_office_city(user):
    city = office_city(user)
    if city is None:
        raise PermissionDenied(_("只有本市招商中心可以设定目标。"))
    return city


@extend_schema_view(
    list=extend_schema(
        summary="目标列表",
        description="当前用户可见的目标，每个目标附已完成数（由台账记录统计）、完成比例、时间进度和是否落后；"
        "筛选同目标列表页（单位、个人、指标、期间、来源模板）。",
    ),
    retrieve=extend_schema(summary="目标详情"),
    create=extend_schema(
        summary="新建目标", description="本市招商中心；驻点天数、外出招商次数为个人指标，需填 person。"
    ),
    partial_update=extend_schema(summary="修改目标", description="可改目标值、期间和任务名称。"),
    destroy=extend_schema(summary="删除目标"),
)
class TargetViewSet(mixins.DestroyModelMixin, ScopedModelViewSet):
    model = Target
    serializer_class = s.TargetSerializer
    filterset_class = TargetFilterSet
    list_select_related = ("unit", "person")
    input_serializer_classes = {
        "create": s.TargetCreateSerializer,
        "partial_update": s.TargetUpdateSerializer,
        "apply_template": s.ApplyTemplateSerializer,
    }
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return self.optimize_queryset(selectors.targets_for(self.request.user))

    def with_progress(self, targets, many=True):
        progress = {p.target.pk: p for p in selectors.progress(targets)}
        context = {**self.get_serializer_context(), "progress": progress}
        return s.TargetSerializer(targets if many else targets[0], many=many, context=context).data

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self.with_progress(list(page)))
        return Response(self.with_progress(list(queryset)))

    def retrieve(self, request, *args, **kwargs):
        return Response(self.with_progress([self.get_object()], many=False))

    def respond(self, obj, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().filter(pk=obj.pk).first() or obj
        return Response(self.with_progress([fresh], many=False), status=status_code)

    def create(self, request, *args, **kwargs):
        # Refused before the body is looked at: only the office sets targets.
        self.city = require_office_city(request.user)
        return super().create(request, *args, **kwargs)

    def create_object(self, data):
        return services.create_target(actor=self.request.user, owner=self.city, **data)

    def update_object(self, obj, data):
        return services.update_target(actor=self.request.user, target=obj, **data)

    def perform_destroy(self, instance):
        services.delete_target(actor=self.request.user, target=instance)

    @extend_schema(
        summary="按模板设定目标",
        description="驻点招商组月度常规目标、百日大会战、全市“1521”目标、个人年度目标；整批设定，"
        "任一目标与已有目标期间重叠则整批不设定。",
        request=s.ApplyTemplateSerializer,
        responses={201: s.TargetSerializer(many=True)},
    )
    @action(detail=False, methods=["post"], url_path="apply-template", url_name="apply-template")
    def apply_template(self, request, *args, **kwargs):
        city = require_office_city(request.user)
        data = dict(self.validated_input())
        if "units" not in data and "people" not in data:
            data["units"] = services.teams_of(city)
        made = services.apply_template(actor=request.user, owner=city, **data)
        targets = list(self.get_queryset().filter(pk__in=[t.pk for t in made]))
        return Response(self.with_progress(targets), status=status.HTTP_201_CREATED)


class CityProgressView(APIView):
    """The city's month: each team × indicator (reached / target, behind) and the city-wide targets covering it."""

    permission_classes = API_PERMISSION_CLASSES

    @extend_schema(
        summary="全市目标进度（按月）",
        description="各驻点招商组每项指标的已完成数与目标、完成比例、时间进度、是否落后，以及覆盖该月的全市目标"
        "（如“1521”）。仅本市招商中心和领导可查看。",
        parameters=[
            OpenApiParameter("month", OpenApiTypes.STR, description="月份，如 2022-09；默认本月"),
            OpenApiParameter("city", OpenApiTypes.INT, description="城市编号；默认本人所在城市"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        user = request.user
        if not scope_of(user).has(*READER_ROLES):
            raise PermissionDenied(_("只有本市招商中心和领导可以查看全市目标进度。"))
        month = request.query_params.get("month")
        if month:
            try:
                first = parse_month(month)
            except Exception:
                raise ValidationError({"month": [_("请按“年-月”填写月份，如 2024-05。")]})
        else:
            first = timezone.localdate().replace(day=1)
        cities = list(cities_of(user, *READER_ROLES))
        asked = request.query_params.get("city")
        if asked:
            cities = [c for c in cities if str(c.pk) == asked]
        if not cities:
            raise Http404
        start, end = services.month_range(first.year, first.month)
        return Response(city_progress_json(city_progress(user, cities[0], start, end)))
