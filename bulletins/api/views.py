"""/api/v1/bulletins/: list and read bulletins, request one (generated in the background), publish, download, delete.

Thin: the input serializer checks the shape, one service in bulletins.services writes (and audits); the answer is
read back in scope. A client polls the bulletin (status, progress, stage) until it is done, then downloads it.
"""

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied

from core.api.viewsets import ScopedReadOnlyViewSet, ServiceCreateMixin
from targets.forms import office_city

from .. import selectors, services
from ..filtersets import BulletinFilterSet
from ..models import Bulletin
from ..views import DOCX_TYPE
from . import serializers as s


@extend_schema_view(
    list=extend_schema(
        summary="月度通报列表",
        description="当前用户可见的通报：本市招商中心和领导可见全部，本市各单位可见已印发的。"
        "筛选：年份、月份、状态、是否已印发。",
    ),
    retrieve=extend_schema(summary="通报详情", description="状态、进度、当前步骤；生成后附通报数据和下载地址。"),
    create=extend_schema(
        summary="生成通报",
        description="本市招商中心；月份须已结束。通报在后台生成：轮询详情直到 status 为 done（或 failed）。",
    ),
    destroy=extend_schema(summary="删除通报", description="只能删除未印发的通报。"),
)
class BulletinViewSet(ServiceCreateMixin, mixins.DestroyModelMixin, ScopedReadOnlyViewSet):
    model = Bulletin
    serializer_class = s.BulletinSerializer
    filterset_class = BulletinFilterSet
    list_select_related = ("owner",)
    input_serializer_classes = {"create": s.BulletinCreateSerializer, "publish": None}
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return self.optimize_queryset(selectors.bulletins_for(self.request.user))

    def create(self, request, *args, **kwargs):
        # Refused before the body is looked at: only the office generates bulletins.
        self.city = office_city(request.user)
        if self.city is None:
            raise PermissionDenied(_("只有本市招商中心可以生成通报。"))
        return super().create(request, *args, **kwargs)

    def create_object(self, data):
        return services.request_bulletin(actor=self.request.user, owner=self.city, **data)

    def perform_destroy(self, instance):
        services.delete_bulletin(actor=self.request.user, bulletin=instance)

    @extend_schema(summary="印发通报", description="生成完成且未印发的通报；印发后本市各单位可查看。", request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        bulletin = services.publish_bulletin(actor=request.user, bulletin=self.get_object())
        return self.respond(bulletin, status.HTTP_200_OK)

    @extend_schema(
        summary="下载通报",
        description="通报的 Word 文件（.docx），文件名为通报标题。",
        responses={(200, DOCX_TYPE): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        bulletin = self.get_object()
        handle = services.open_bulletin_file(actor=request.user, bulletin=bulletin)
        return FileResponse(handle, as_attachment=True, filename=bulletin.download_name, content_type=DOCX_TYPE)
