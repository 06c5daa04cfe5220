"""API shapes for leads and conflicts (撞单).

Output serializers say what a lead looks like to the requesting user; input serializers
only check the shape of a request body. Every rule lives in leads.services: the amount is
taken as text ("约5000万", "5亿元") and understood there, or refused with the reason.

A conflict names the other side's lead only when the user may open it: a unit is told
that another courts the same investor, not what the other's lead is.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chains.models import ChainSegment, IndustryChain
from core.api.fields import ChoiceLabelField
from core.api.viewsets import AmountField as TypedAmountField
from core.api.viewsets import InputSerializer, VisiblePrimaryKeyRelatedField, ref, text
from enterprises.models import Company
from organizations.models import Unit, User
from outreach.api.serializers import AttachmentSerializer, PersonBriefSerializer
from outreach.models import Inspection, OutboundTrip, PromotionEvent, Visit

from .. import rules
from ..choices import LeadSource
from ..models import Lead, LeadConflict, LeadPool, LeadSettings, NegativeListEntry
from ..tables import is_overdue

# --- Output ---------------------------------------------------------------------------------


class LeadSerializer(serializers.ModelSerializer):
    """A row of the lead lists: what it is, where it stands, whether it is effective and late."""

    owner_name = serializers.CharField(source="owner.name", read_only=True)
    reporting_unit_name = serializers.CharField(source="reporting_unit.name", read_only=True)
    reporters = PersonBriefSerializer(many=True, read_only=True)
    source_display = ChoiceLabelField("source")
    investor_name = serializers.CharField(source="investor.name", read_only=True, default="")
    estimated_amount = serializers.DecimalField(
        max_digits=14, decimal_places=4, read_only=True, help_text="拟投资额（万元）"
    )
    chain_name = serializers.CharField(source="chain.name", read_only=True, default="")
    segment_name = serializers.CharField(source="segment.name", read_only=True, default="")
    status_display = ChoiceLabelField("status")
    pool_name = serializers.CharField(source="pool.name", read_only=True)
    receiving_unit_name = serializers.CharField(source="receiving_unit.name", read_only=True, default="")
    is_effective = serializers.BooleanField(read_only=True, default=None)
    overdue = serializers.SerializerMethodField()
    is_duplicate = serializers.SerializerMethodField(help_text="是否已被认定为另一条线索的重复线索（不计数）")
    duplicate_of = serializers.SerializerMethodField(help_text="与之重复的线索ID（仅当您可查看该线索时给出）")

    class Meta:
        model = Lead
        fields = [
            "id",
            "name",
            "collected_date",
            "source",
            "source_display",
            "source_note",
            "visit",
            "event",
            "trip",
            "owner",
            "owner_name",
            "reporting_unit",
            "reporting_unit_name",
            "reporters",
            "investor",
            "investor_name",
            "content",
            "estimated_amount",
            "chain",
            "chain_name",
            "segment",
            "segment_name",
            "proposed_location",
            "contact_reached",
            "contact_name",
            "status",
            "status_display",
            "pool",
            "pool_name",
            "grade",
            "opinion",
            "assessed_at",
            "receiving_unit",
            "receiving_unit_name",
            "dispatched_at",
            "accepted_at",
            "closing_reason",
            "assess_due",
            "feedback_due",
            "overdue",
            "is_effective",
            "is_duplicate",
            "duplicate_of",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, lead):
        return is_overdue(lead, self.context.get("today"))

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_duplicate(self, lead):
        return lead.duplicate_of_id is not None

    @extend_schema_field(OpenApiTypes.INT)
    def get_duplicate_of(self, lead):
        # Named only to those who may open that lead: a holder learns that its lead is a duplicate, not of which.
        return lead.duplicate_of_id if getattr(lead, "duplicate_of_visible", False) else None


class TimelineEntrySerializer(serializers.Serializer):
    when = serializers.SerializerMethodField()
    kind = serializers.CharField()
    label = serializers.CharField()
    actor_name = serializers.SerializerMethodField()
    unit_name = serializers.SerializerMethodField()
    from_value = serializers.CharField()
    to_value = serializers.CharField()
    note = serializers.CharField()
    inspection = serializers.SerializerMethodField()
    event = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_when(self, entry):
        return entry.when.isoformat()

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor_name(self, entry):
        return (entry.actor.name or entry.actor.username) if entry.actor is not None else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_unit_name(self, entry):
        return entry.unit.name if entry.unit is not None else ""

    @extend_schema_field(OpenApiTypes.INT)
    def get_inspection(self, entry):
        return entry.follow_up.inspection_id if entry.follow_up is not None else None

    @extend_schema_field(OpenApiTypes.INT)
    def get_event(self, entry):
        return entry.follow_up.event_id if entry.follow_up is not None else None


class LeadDetailSerializer(LeadSerializer):
    """A lead with why it is or is not effective, its timeline, attachments and the units it is shared with."""

    effective_reasons = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)
    shared_with = serializers.SerializerMethodField()
    assessed_by_name = serializers.CharField(source="assessed_by.name", read_only=True, default="")

    class Meta(LeadSerializer.Meta):
        fields = [
            *LeadSerializer.Meta.fields,
            "assessed_by",
            "assessed_by_name",
            "effective_reasons",
            "shared_with",
            "attachments",
            "timeline",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_effective_reasons(self, lead):
        return rules.effective_reasons(lead, LeadSettings.objects.filter(owner_id=lead.owner_id).first())

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, lead):
        from ..selectors import timeline

        return TimelineEntrySerializer(timeline(lead), many=True).data

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_shared_with(self, lead):
        return [{"id": s.unit_id, "name": s.unit.name} for s in lead.shares.select_related("unit").order_by("id")]


class LeadConflictSerializer(serializers.ModelSerializer):
    """A conflict as the user is told of it; the other side's lead is named only where the user may open it."""

    # Plain text, not an enum: two enums both named "status" (the lead's and this) would collide in the schema.
    status = serializers.CharField(read_only=True, help_text="open 待裁定；decided 已裁定")
    status_display = ChoiceLabelField("status")
    company_name = serializers.CharField(source="company.name", read_only=True)
    lead = serializers.SerializerMethodField()
    lead_name = serializers.SerializerMethodField()
    lead_unit_name = serializers.CharField(source="lead.reporting_unit.name", read_only=True)
    other_lead = serializers.SerializerMethodField()
    other_lead_name = serializers.SerializerMethodField()
    other_unit_name = serializers.SerializerMethodField()
    other_visit = serializers.SerializerMethodField()
    other_visit_date = serializers.DateField(source="other_visit.visit_date", read_only=True, default=None)
    leading_unit_name = serializers.CharField(source="leading_unit.name", read_only=True, default="")
    decided_by_name = serializers.CharField(source="decided_by.name", read_only=True, default="")

    class Meta:
        model = LeadConflict
        fields = [
            "id",
            "status",
            "status_display",
            "company",
            "company_name",
            "lead",
            "lead_name",
            "lead_unit_name",
            "other_lead",
            "other_lead_name",
            "other_visit",
            "other_visit_date",
            "other_unit_name",
            "leading_unit",
            "leading_unit_name",
            "decided_by_name",
            "decided_at",
            "decision",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_lead(self, conflict):
        return conflict.lead_id if getattr(conflict, "lead_visible", False) else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_lead_name(self, conflict):
        return conflict.lead.name if getattr(conflict, "lead_visible", False) else ""

    @extend_schema_field(OpenApiTypes.INT)
    def get_other_lead(self, conflict):
        return conflict.other_lead_id if getattr(conflict, "other_lead_visible", False) else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_other_lead_name(self, conflict):
        if conflict.other_lead_id and getattr(conflict, "other_lead_visible", False):
            return conflict.other_lead.name
        return ""

    @extend_schema_field(OpenApiTypes.INT)
    def get_other_visit(self, conflict):
        return conflict.other_visit_id if getattr(conflict, "other_visit_visible", False) else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_other_unit_name(self, conflict):
        if conflict.other_lead_id:
            return conflict.other_lead.reporting_unit.name
        return conflict.other_visit.unit.name if conflict.other_visit_id else ""


# --- Input ----------------------------------------------------------------------------------


class AmountField(TypedAmountField):
    """The estimated amount as typed (leads.services.parse_estimated_amount reads it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "拟投资额，默认以万元计；也可写“约5000万”“5亿元”")
        super().__init__(**kwargs)


class LeadUpdateSerializer(InputSerializer):
    name = serializers.CharField(max_length=200, required=False)
    collected_date = serializers.DateField(required=False)
    source = serializers.ChoiceField(choices=LeadSource.choices, required=False)
    source_note = text(200)
    event = ref(PromotionEvent)
    trip = ref(OutboundTrip)
    investor = ref(Company, help_text="投资方企业ID（与 investor_name 二选一）")
    investor_name = text(200, help_text="投资方名称：库中没有时自动加入目标企业库")
    credit_code = text(30)
    content = text()
    estimated_amount = AmountField()
    chain = ref(IndustryChain)
    segment = ref(ChainSegment)
    proposed_location = text(200)
    contact_reached = serializers.BooleanField(required=False)
    contact_name = text(100)
    reporters = VisiblePrimaryKeyRelatedField(User, many=True, required=False, help_text="报送人ID列表")


class LeadCreateSerializer(LeadUpdateSerializer):
    name = serializers.CharField(max_length=200)
    reporting_unit = ref(Unit, help_text="报送单位ID（默认：本人所在的组或县区）")
    visit = ref(Visit, help_text="来源走访ID：投资方、日期、产业链和联系人随之带入")


class ConfirmNegativeListMixin(serializers.Serializer):
    confirm_negative_list = serializers.BooleanField(
        required=False, default=False, help_text="已知悉推送单位负面清单提示，仍确认推送"
    )


class AssessSerializer(ConfirmNegativeListMixin, InputSerializer):
    grade = text(16, default="", help_text="线索等级（如 A/B/C，以招商中心设置为准）")
    opinion = text(default="")
    chain = ref(IndustryChain)
    segment = ref(ChainSegment)
    receiving_unit = ref(Unit, help_text="推送单位ID：本市的县（市、区）或开发区")
    reject_reason = text(default="", help_text="不予推送的原因（与 receiving_unit 二选一）")


class ReassignSerializer(ConfirmNegativeListMixin, InputSerializer):
    receiving_unit = VisiblePrimaryKeyRelatedField(Unit, help_text="改派至的县（市、区）或开发区ID")
    opinion = text()


class ReasonSerializer(InputSerializer):
    reason = serializers.CharField(error_messages={"required": _("请填写原因。"), "blank": _("请填写原因。")})


class ShareSerializer(InputSerializer):
    unit = VisiblePrimaryKeyRelatedField(Unit, help_text="共享单位ID")


class UnshareSerializer(InputSerializer):
    unit = VisiblePrimaryKeyRelatedField(Unit, help_text="取消共享的单位ID")


class PoolField(serializers.PrimaryKeyRelatedField):
    """A pool by id; the service checks it is one of the lead's own city."""

    default_error_messages = {
        "does_not_exist": _("编号为 {pk_value} 的线索库不存在。"),
        "incorrect_type": _("请填写线索库的编号（整数）。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", LeadPool.objects.all())
        super().__init__(**kwargs)


class MovePoolSerializer(InputSerializer):
    pool = PoolField(help_text="转入的线索库ID")
    note = text(help_text="说明；转入已失效库须填写原因")


class FollowUpSerializer(InputSerializer):
    follow_date = serializers.DateField()
    note = serializers.CharField()
    inspection = ref(Inspection)
    event = ref(PromotionEvent)


class CloseSerializer(ReasonSerializer):
    pass


class ReturnSerializer(ReasonSerializer):
    pass


class ReopenSerializer(InputSerializer):
    reason = text()
    pool = PoolField(required=False, allow_null=True, help_text="重新打开后所在的库（默认：关闭前的库）")


class ConflictDecideSerializer(InputSerializer):
    leading_unit = VisiblePrimaryKeyRelatedField(Unit, help_text="牵头单位ID：撞单涉及的单位之一")
    same_lead = serializers.BooleanField(required=False, default=False, help_text="认定两条线索为同一线索")
    decision = text()


# --- The office's settings ----------------------------------------------------------------------

POOL_KIND_HELP = "open 跟进中；landed 已落地；lost 已失效"


class LeadSettingsSerializer(serializers.ModelSerializer):
    """A city's lead rules; a city that never changed them shows the defaults (id is then null)."""

    owner_name = serializers.CharField(source="owner.name", read_only=True)
    grades = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="线索等级，从高到低")

    class Meta:
        model = LeadSettings
        fields = [
            "id",
            "owner",
            "owner_name",
            "grades",
            "requires_investor",
            "requires_content",
            "min_content_length",
            "requires_amount",
            "requires_contact",
            "assess_working_days",
            "feedback_days",
            "updated_at",
        ]
        read_only_fields = fields


class LeadSettingsUpdateSerializer(InputSerializer):
    grades = serializers.ListField(
        child=serializers.CharField(allow_blank=True, max_length=50),
        required=False,
        allow_empty=True,
        help_text='线索等级列表，从高到低，如 ["A", "B", "C"]',
    )
    requires_investor = serializers.BooleanField(required=False)
    requires_content = serializers.BooleanField(required=False)
    min_content_length = serializers.IntegerField(required=False)
    requires_amount = serializers.BooleanField(required=False)
    requires_contact = serializers.BooleanField(required=False)
    assess_working_days = serializers.IntegerField(required=False, help_text="研判时限（工作日），自收集之日起计")
    feedback_days = serializers.IntegerField(required=False, help_text="反馈时限（自然日），自录入之日起计")


class LeadPoolSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    # Plain text, not an enum: several models have a "kind" and their enums would collide in the schema.
    kind = serializers.CharField(read_only=True, help_text=POOL_KIND_HELP)
    kind_display = ChoiceLabelField("kind")
    lead_count = serializers.IntegerField(read_only=True, default=None, help_text="库中线索数（含重复线索）")

    class Meta:
        model = LeadPool
        fields = ["id", "owner", "owner_name", "code", "name", "kind", "kind_display", "sort_order", "active"]
        fields += ["lead_count", "updated_at"]
        read_only_fields = fields


class LeadPoolUpdateSerializer(InputSerializer):
    code = text(32, help_text="编码：字母、数字、下划线或连字符，本市唯一")
    name = text(50, help_text="名称，本市唯一")
    kind = text(8, help_text=POOL_KIND_HELP)
    sort_order = serializers.IntegerField(required=False, help_text="排序，小的在前")
    active = serializers.BooleanField(required=False, help_text="启用；库中还有线索时不能停用")


class LeadPoolCreateSerializer(LeadPoolUpdateSerializer):
    code = text(32, required=True, help_text="编码：字母、数字、下划线或连字符，本市唯一")
    name = text(50, required=True, help_text="名称，本市唯一")
    kind = text(8, default="open", help_text=POOL_KIND_HELP)
    active = serializers.BooleanField(required=False, default=True)
    owner = ref(Unit, help_text="所属城市ID（默认：您任招商中心工作人员的城市）")


class NegativeListEntrySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    chain_name = serializers.CharField(source="chain.name", read_only=True, default="")

    class Meta:
        model = NegativeListEntry
        fields = ["id", "unit", "unit_name", "industry", "chain", "chain_name", "keywords", "reason"]
        fields += ["created_at", "updated_at"]
        read_only_fields = fields


class NegativeListEntryUpdateSerializer(InputSerializer):
    unit = ref(Unit, help_text="县（市、区）或开发区ID")
    industry = text(100, help_text="限制或禁止的产业")
    chain = ref(IndustryChain, help_text="产业链ID（与关键词至少填一项）")
    keywords = text(200, help_text="关键词，多个用顿号或逗号分隔")
    reason = text(200)


class NegativeListEntryCreateSerializer(NegativeListEntryUpdateSerializer):
    unit = VisiblePrimaryKeyRelatedField(Unit, help_text="县（市、区）或开发区ID")
