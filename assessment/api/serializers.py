"""What the assessment API reads and writes. A scheme comes with its items; the items are written through the
service with the scheme (weights summing to 100), never one by one."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import ChoiceLabelField
from core.api.viewsets import InputSerializer, text

from ..choices import Rule, Subjects
from ..models import PeriodLock, Scheme, SchemeItem


class SchemeItemSerializer(serializers.ModelSerializer):
    indicator_label = ChoiceLabelField("indicator")
    rule_label = ChoiceLabelField("rule")

    class Meta:
        model = SchemeItem
        fields = ["indicator", "indicator_label", "weight", "rule", "rule_label", "cap"]
        read_only_fields = fields


class SchemeSerializer(serializers.ModelSerializer):
    """A scheme: whom it ranks, its period, its weighted indicators, and the periods already locked."""

    owner_name = serializers.CharField(source="owner.name", read_only=True)
    subjects_label = ChoiceLabelField("subjects")
    items = SchemeItemSerializer(many=True, read_only=True)
    locked_periods = serializers.SerializerMethodField()

    class Meta:
        model = Scheme
        fields = [
            "id",
            "owner",
            "owner_name",
            "name",
            "subjects",
            "subjects_label",
            "start",
            "end",
            "description",
            "items",
            "locked_periods",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_locked_periods(self, obj) -> list[dict]:
        locks = sorted(obj.locks.all(), key=lambda lock: lock.start)
        return [{"id": lock.pk, "start": lock.start.isoformat(), "end": lock.end.isoformat()} for lock in locks]


class ItemInputSerializer(InputSerializer):
    """One indicator as typed: the service checks it (known unit indicator, weight, rule, cap)."""

    indicator = serializers.CharField(max_length=24)
    weight = serializers.CharField(max_length=20, help_text=_("分，各项之和须为 100"))
    rule = serializers.ChoiceField(choices=Rule.choices, required=False, default=Rule.SHARE)
    cap = serializers.CharField(
        max_length=20, required=False, allow_blank=True, allow_null=True, help_text=_("封顶（目标的百分比），默认 100")
    )


class SchemeCreateSerializer(InputSerializer):
    name = serializers.CharField(max_length=100)
    subjects = serializers.ChoiceField(choices=Subjects.choices)
    start = serializers.DateField()
    end = serializers.DateField()
    description = text()
    items = ItemInputSerializer(many=True)

    def validate(self, data):
        if data["end"] < data["start"]:
            raise serializers.ValidationError({"end": [_("结束日期不能早于开始日期。")]})
        return data


class SchemeUpdateSerializer(InputSerializer):
    name = serializers.CharField(max_length=100, required=False)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    description = text()
    items = ItemInputSerializer(many=True, required=False)


class LockInputSerializer(InputSerializer):
    month = serializers.CharField(required=False, max_length=10, help_text=_("月份，如 2022-09"))
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    note = text(200)

    def validate(self, data):
        if not (data.get("month") or data.get("start") or data.get("end")):
            raise serializers.ValidationError({"month": [_("请指定要锁定的月份，或开始日期和结束日期。")]})
        return data


class PeriodLockSerializer(serializers.ModelSerializer):
    scheme_name = serializers.CharField(source="scheme.name", read_only=True)
    locked_by_name = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()

    class Meta:
        model = PeriodLock
        fields = [
            "id",
            "scheme",
            "scheme_name",
            "start",
            "end",
            "locked_by",
            "locked_by_name",
            "locked_at",
            "note",
            "scores",
        ]
        read_only_fields = fields

    def get_locked_by_name(self, obj) -> str:
        return obj.locked_by.name or obj.locked_by.username

    def get_scores(self, obj) -> list[dict]:
        """The published ranks and totals (the breakdown is in the scheme's results)."""
        return [
            {"unit": s.unit_id, "unit_name": s.unit.name, "rank": s.rank, "total": str(s.total)}
            for s in obj.scores.all()
        ]
