"""/api/v1/dashboard/: every figure of a unit's dashboard with its filters and the URLs of the lists behind it,
for the provincial platform or a big screen (大屏). The same form, selectors and cache as the page."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import API_PERMISSION_CLASSES

from .. import selectors
from ..forms import DashboardForm, asked_unit_is_foreign
from ..views import figures_for


class DashboardAPIView(APIView):
    permission_classes = API_PERMISSION_CLASSES

    @extend_schema(
        summary="领导驾驶舱数据",
        description="某单位（市、县区或开发区）某期间的全部指标：招商漏斗、签约投资与到位资金、“三个一批”比率、"
        "招商组与县区排名、投资方来源（省份、区域）、产业链、项目周期、问题诉求。每个指标附其筛选条件（filters）、"
        "背后记录列表的页面地址（url）和接口地址（api_url），列表的条数或合计与指标一致。只统计当前用户有权查看的记录；"
        "数据随任何写入即时更新（computed_at 为计算时间）。",
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT, description="单位编号；默认本人可查看的最高一级单位"),
            OpenApiParameter("start", OpenApiTypes.DATE, description="开始日期；默认今年或最近有记录的一年"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="结束日期；默认与开始日期同年的 12 月 31 日"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        user = request.user
        units = selectors.units_for(user)
        if not units or asked_unit_is_foreign(request.query_params, units):
            raise Http404(_("未找到该记录，或您无权查看。"))
        form = DashboardForm(request.query_params, units=units)
        if not form.is_valid():
            raise ValidationError(
                {
                    (f if f != "__all__" else "non_field_errors"): [str(e) for e in errs]
                    for f, errs in form.errors.items()
                }
            )
        unit = form.chosen_unit()
        start, end = form.period(fallback=lambda: selectors.default_period(user, unit))
        figures = figures_for(user, unit, start, end)
        return Response({**figures, "units": [{"id": u.pk, "name": u.name, "kind": u.kind} for u in units]})
