"""What the reminders API reads and writes. A channel's secret is never read back; its robot URL is shown without
its token."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import ChoiceLabelField
from core.api.viewsets import ChoiceListField, InputSerializer, ref, text
from organizations.models import Unit

from ..choices import ChannelKind, ReminderKind, kind_label
from ..models import Channel, Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    severity_label = ChoiceLabelField("severity")
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "severity",
            "severity_label",
            "title",
            "detail",
            "url",
            "day",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_kind_label(self, obj) -> str:
        return str(kind_label(obj.kind))


class ChannelSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    kind_label = ChoiceLabelField("kind")
    webhook_url = serializers.CharField(source="masked_url", read_only=True)
    has_secret = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = [
            "id",
            "owner",
            "owner_name",
            "name",
            "kind",
            "kind_label",
            "webhook_url",
            "has_secret",
            "kinds",
            "active",
            "last_sent_at",
            "last_error",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_secret(self, obj) -> bool:
        return bool(obj.secret)


class ChannelCreateSerializer(InputSerializer):
    owner = ref(Unit, help_text=_("城市编号；不填则为本人所在城市。"))
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=ChannelKind.choices)
    webhook_url = text(500, help_text=_("企业微信、钉钉群机器人的 Webhook 地址（http/https）；电子邮件不填。"))
    secret = text(200, help_text=_("钉钉“加签”密钥，可不填。"))
    kinds = ChoiceListField(ReminderKind.choices, required=False, help_text=_("发送的提醒类型；不填则全部。"))
    active = serializers.BooleanField(required=False, default=True)


class ChannelUpdateSerializer(InputSerializer):
    name = serializers.CharField(max_length=100, required=False)
    webhook_url = text(500)
    secret = text(200, help_text=_("不传则不变；传空字符串则清除。"))
    kinds = ChoiceListField(ReminderKind.choices, required=False)
    active = serializers.BooleanField(required=False)


class SendNowSerializer(InputSerializer):
    city = ref(Unit, help_text=_("城市编号；不填则为本人所在城市。"))
