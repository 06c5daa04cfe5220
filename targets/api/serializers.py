"""What the targets API reads and writes. Output: a target with what it has reached (counted, never typed in)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import ChoiceLabelField
from core.api.viewsets import AmountField, InputSerializer, VisiblePrimaryKeyRelatedField, ref, text
from organizations.models import Unit, User

from ..choices import Indicator, Template
from ..models import Target


class TargetSerializer(serializers.ModelSerializer):
    """A target and its progress: reached, share of the value (%), share of the period gone (%), behind."""

    indicator_label = ChoiceLabelField("indicator")
    unit_name = serializers.SerializerMethodField()
    person_name = serializers.SerializerMethodField()
    reached = serializers.SerializerMethodField()
    share = serializers.SerializerMethodField()
    elapsed = serializers.SerializerMethodField()
    behind = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = [
            "id",
            "owner",
            "indicator",
            "indicator_label",
            "unit",
            "unit_name",
            "person",
            "person_name",
            "start",
            "end",
            "value",
            "template",
            "name",
            "reached",
            "share",
            "elapsed",
            "behind",
        ]
        read_only_fields = fields

    def _p(self, obj):
        return self.context.get("progress", {}).get(obj.pk)

    def get_unit_name(self, obj) -> str | None:
        return obj.unit.name if obj.unit_id else None

    def get_person_name(self, obj) -> str | None:
        return (obj.person.name or obj.person.username) if obj.person_id else None

    def get_reached(self, obj) -> str | None:
        p = self._p(obj)
        return str(p.reached) if p else None

    def get_share(self, obj) -> str | None:
        p = self._p(obj)
        return str(p.share) if p and p.share is not None else None

    def get_elapsed(self, obj) -> str | None:
        p = self._p(obj)
        return str(p.elapsed) if p else None

    def get_behind(self, obj) -> bool | None:
        p = self._p(obj)
        return p.behind if p else None


class TargetCreateSerializer(InputSerializer):
    indicator = serializers.ChoiceField(choices=Indicator.choices)
    unit = ref(Unit)
    person = ref(User)
    start = serializers.DateField()
    end = serializers.DateField()
    value = AmountField(required=True, allow_blank=False, allow_null=False)
    name = text(100)

    def validate(self, data):
        if data["end"] < data["start"]:
            raise serializers.ValidationError({"end": [_("结束日期不能早于开始日期。")]})
        return data


class TargetUpdateSerializer(InputSerializer):
    value = AmountField(allow_blank=False, allow_null=False)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    name = text(100)


class ApplyTemplateSerializer(InputSerializer):
    template = serializers.ChoiceField(choices=Template.choices)
    start = serializers.DateField(help_text=_("月度常规目标按月逐月设定：从开始日期所在月到结束日期所在月。"))
    end = serializers.DateField()
    units = serializers.ListField(
        child=VisiblePrimaryKeyRelatedField(Unit),
        required=False,
        help_text=_("单位编号；不填则为本市各驻点招商组（“1521”目标设定给全市）。"),
    )
    people = serializers.ListField(child=VisiblePrimaryKeyRelatedField(User), required=False)
    name = text(100)

    def validate(self, data):
        if data["end"] < data["start"]:
            raise serializers.ValidationError({"end": [_("结束日期不能早于开始日期。")]})
        return data
