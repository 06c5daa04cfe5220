"""What the team reports API reads and writes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import ChoiceLabelField
from core.api.viewsets import InputSerializer, ref, text
from organizations.models import Unit

from ..choices import ReportKind
from ..models import TeamReport
from ..periods import due_on, period_label


def person(user):
    return (user.name or user.username) if user else None


class TeamReportSerializer(serializers.ModelSerializer):
    """A report: its period, text, the counts its draft was made from (figures), and where it stands."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_label = ChoiceLabelField("kind")
    status_label = ChoiceLabelField("status")
    period_label = serializers.SerializerMethodField()
    due = serializers.SerializerMethodField()
    submitted_by_name = serializers.SerializerMethodField()
    read_by_name = serializers.SerializerMethodField()

    class Meta:
        model = TeamReport
        fields = [
            "id",
            "owner",
            "unit",
            "unit_name",
            "kind",
            "kind_label",
            "start",
            "end",
            "period_label",
            "due",
            "title",
            "body",
            "figures",
            "status",
            "status_label",
            "submitted_by",
            "submitted_by_name",
            "submitted_at",
            "read_by",
            "read_by_name",
            "read_at",
            "comment",
            "return_reason",
            "returned_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_period_label(self, obj) -> str:
        return period_label(obj.kind, obj.start, obj.end)

    def get_due(self, obj) -> str:
        return due_on(obj.kind, obj.end).isoformat()

    def get_submitted_by_name(self, obj) -> str | None:
        return person(obj.submitted_by)

    def get_read_by_name(self, obj) -> str | None:
        return person(obj.read_by)


class TeamReportCreateSerializer(InputSerializer):
    unit = ref(Unit, required=True, allow_null=False)
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    start = serializers.DateField(help_text=_("期间中的任一天：周报取其所在周（周一至周日），月报取其所在月。"))


class TeamReportUpdateSerializer(InputSerializer):
    title = text(200)
    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class ReportReadSerializer(InputSerializer):
    comment = text(2000)


class ReportReturnSerializer(InputSerializer):
    reason = text()


class MissingRowSerializer(serializers.Serializer):
    """One team and period whose report was not submitted by its due day."""

    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    period_label = serializers.CharField()
    due = serializers.DateField()
    status = serializers.CharField(source="state")
    status_label = serializers.CharField(source="state_label")
    report = serializers.SerializerMethodField()

    def get_report(self, row) -> int | None:
        # A draft is the team's own: the office learns that one exists, not which.
        if row.report is None or row.state == "draft":
            return None
        return row.report.pk
