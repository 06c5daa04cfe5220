"""/api/v1/notifications/ (one's own, mark read) and /api/v1/notification-channels/ (the office's channels).

Thin views: the input serializer checks the shape, one service in reminders.services acts (and audits), the
answer is read back in scope. Someone else's notification, another city's channel: 404.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet

from .. import selectors, services
from ..filtersets import NotificationFilterSet
from ..models import Channel, Notification
from . import serializers as s

COUNT = inline_serializer("ReadAllResult", {"count": serializers.IntegerField()})
TEST_RESULT = inline_serializer(
    "ChannelTestResult", {"ok": serializers.BooleanField(), "error": serializers.CharField()}
)
SEND_RESULT = inline_serializer("SendNowResult", {"city": serializers.IntegerField()})


@extend_schema_view(
    list=extend_schema(summary="我的提醒", description="当前用户自己的提醒消息，最新在前；可按未读、类型筛选。"),
    retrieve=extend_schema(summary="提醒详情"),
)
class NotificationViewSet(ScopedReadOnlyViewSet):
    model = Notification
    serializer_class = s.NotificationSerializer
    filterset_class = NotificationFilterSet
    input_serializer_classes = {"read": None, "read_all": None}

    def get_queryset(self):
        return selectors.notifications_for(self.request.user)

    @extend_schema(summary="标为已读", request=None, responses={200: s.NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        obj = services.mark_read(actor=request.user, notification=self.get_object())
        return self.respond(obj)

    @extend_schema(summary="全部标为已读", request=None, responses={200: COUNT})
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all")
    def read_all(self, request):
        return Response({"count": services.mark_all_read(actor=request.user)})


def default_city(user):
    city = selectors.channel_cities(user).first()
    if city is None:
        raise PermissionDenied(_("只有本市招商中心或系统管理员可以设置提醒渠道和发送提醒。"))
    return city


@extend_schema_view(
    list=extend_schema(
        summary="提醒渠道", description="本市招商中心（及系统管理员）设置的电子邮件、企业微信和钉钉群机器人。"
    ),
    retrieve=extend_schema(summary="提醒渠道详情"),
    create=extend_schema(summary="新增提醒渠道"),
    partial_update=extend_schema(summary="修改提醒渠道", description="渠道类型和所属城市不能修改。"),
)
class ChannelViewSet(ScopedModelViewSet):
    model = Channel
    serializer_class = s.ChannelSerializer
    list_select_related = ("owner",)
    input_serializer_classes = {
        "create": s.ChannelCreateSerializer,
        "partial_update": s.ChannelUpdateSerializer,
        "deactivate": None,
        "test": None,
        "send_now": s.SendNowSerializer,
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return self.optimize_queryset(selectors.channels_for(self.request.user))

    def create_object(self, data):
        data = dict(data)
        owner = data.pop("owner", None) or default_city(self.request.user)
        return services.create_channel(actor=self.request.user, owner=owner, **data)

    def update_object(self, obj, data):
        return services.update_channel(actor=self.request.user, channel=obj, **data)

    @extend_schema(summary="停用提醒渠道", request=None, responses={200: s.ChannelSerializer})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        return self.respond(services.deactivate_channel(actor=request.user, channel=self.get_object()))

    @extend_schema(summary="发送测试消息", request=None, responses={200: TEST_RESULT})
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        error = services.send_test_message(actor=request.user, channel=self.get_object())
        return Response({"ok": not error, "error": error})

    @extend_schema(
        summary="立即发送提醒",
        description="立即发送本市当天的待办提醒（有后台任务时在后台发送）。",
        request=s.SendNowSerializer,
        responses={202: SEND_RESULT},
    )
    @action(detail=False, methods=["post"], url_path="send-now", url_name="send-now")
    def send_now(self, request):
        city = self.validated_input().get("city") or default_city(request.user)
        services.request_reminders(actor=request.user, city=city)
        return Response({"city": city.pk}, status=status.HTTP_202_ACCEPTED)
