"""API shapes for the outreach ledgers.

Output serializers say what a record looks like to the requesting user (investors' phone
numbers masked for roles that do not call them). Input serializers only check the shape
of a request body; every rule lives in outreach.services.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chains.models import IndustryChain
from core.api.fields import ChoiceLabelField
from core.api.viewsets import InputSerializer, VisiblePrimaryKeyRelatedField
from core.masking import mask_phone
from core.scope import scope_of
from enterprises.choices import CONTACT_PHONE_ROLES, CompanyCategory
from enterprises.models import Company
from organizations.models import Unit, User

from .. import selectors
from ..choices import VisitWay
from ..models import Inspection, OutboundTrip, PromotionEvent, Stationing, Visit

# --- Output ---------------------------------------------------------------------------------


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    size = serializers.IntegerField(read_only=True)
    mime_type = serializers.CharField(read_only=True)
    is_image = serializers.BooleanField(read_only=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, attachment):
        return reverse("core:attachment", args=[attachment.pk])


class CompanyBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class PersonBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class LedgerSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    created_by_name = serializers.CharField(source="created_by.name", read_only=True, default="")

    common_fields = ["id", "unit", "unit_name", "remarks", "attachments", "created_by", "created_by_name"]
    stamps = ["created_at", "updated_at"]


class VisitSerializer(LedgerSerializer):
    company_name = serializers.CharField(source="company.name", read_only=True)
    company_credit_code = serializers.CharField(source="company.credit_code", read_only=True)
    company_category = serializers.CharField(source="company.category", read_only=True)
    chain_name = serializers.CharField(source="chain.name", read_only=True, default="")
    way_display = ChoiceLabelField("way")
    visitors = PersonBriefSerializer(many=True, read_only=True)
    contact_phone = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            *LedgerSerializer.common_fields[:3],
            "visit_date",
            "company",
            "company_name",
            "company_credit_code",
            "company_category",
            "chain",
            "chain_name",
            "way",
            "way_display",
            "visitors",
            "visitor_names",
            "contact",
            "contact_name",
            "contact_title",
            "contact_phone",
            "content",
            "intention",
            "next_step",
            *LedgerSerializer.common_fields[3:],
            *LedgerSerializer.stamps,
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_contact_phone(self, visit):
        request = self.context.get("request")
        if request is not None and scope_of(request.user).has(*CONTACT_PHONE_ROLES):
            return visit.contact_phone
        return mask_phone(visit.contact_phone)


class InspectionSerializer(LedgerSerializer):
    company_name = serializers.CharField(source="company.name", read_only=True)
    host_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    host_unit_names = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            *LedgerSerializer.common_fields[:3],
            "inspection_date",
            "company",
            "company_name",
            "delegation",
            "host_units",
            "host_unit_names",
            "places",
            "accompanying_leader",
            "result",
            "next_step",
            *LedgerSerializer.common_fields[3:],
            *LedgerSerializer.stamps,
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_host_unit_names(self, inspection):
        return [u.name for u in inspection.host_units.all()]


class EventSerializer(LedgerSerializer):
    companies = CompanyBriefSerializer(many=True, read_only=True)
    signed_amount = serializers.DecimalField(max_digits=14, decimal_places=4, read_only=True)

    class Meta:
        model = PromotionEvent
        fields = [
            *LedgerSerializer.common_fields[:3],
            "title",
            "event_date",
            "place",
            "co_organisers",
            "attendees",
            "attendee_count",
            "companies",
            "projects_signed",
            "signed_amount",
            *LedgerSerializer.common_fields[3:],
            *LedgerSerializer.stamps,
        ]
        read_only_fields = fields


class TripSerializer(LedgerSerializer):
    leader_display = serializers.SerializerMethodField()
    members = PersonBriefSerializer(many=True, read_only=True)
    companies = CompanyBriefSerializer(many=True, read_only=True)
    days = serializers.IntegerField(read_only=True)

    class Meta:
        model = OutboundTrip
        fields = [
            *LedgerSerializer.common_fields[:3],
            "start_date",
            "end_date",
            "days",
            "leader",
            "leader_name",
            "leader_display",
            "members",
            "destinations",
            "companies",
            "purpose",
            "result",
            "projects_connected",
            *LedgerSerializer.common_fields[3:],
            *LedgerSerializer.stamps,
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_leader_display(self, trip):
        return trip.leader_name or (trip.leader.name if trip.leader_id else "")


class StationingSerializer(LedgerSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Stationing
        fields = [
            *LedgerSerializer.common_fields[:3],
            "person",
            "person_name",
            "start_date",
            "end_date",
            "days",
            "place",
            *LedgerSerializer.common_fields[3:],
            *LedgerSerializer.stamps,
        ]
        read_only_fields = fields


# --- Input ----------------------------------------------------------------------------------


class HostUnitField(serializers.PrimaryKeyRelatedField):
    """A county or zone of the requesting user's own city (the ones an inspection can be hosted by)."""

    default_error_messages = {
        "does_not_exist": _("编号为 {pk_value} 的县区/开发区不存在，或不在本市。"),
        "incorrect_type": _("请填写单位的编号（整数）。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Unit.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return selectors.host_unit_choices(getattr(request, "user", None))


def text(max_length=None, **kwargs):
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    if max_length:
        kwargs["max_length"] = max_length
    return serializers.CharField(**kwargs)


def ref(model, **kwargs):
    kwargs.setdefault("required", False)
    return VisiblePrimaryKeyRelatedField(model, **kwargs)


def refs(model, **kwargs):
    kwargs.setdefault("required", False)
    return VisiblePrimaryKeyRelatedField(model, many=True, **kwargs)


class CompanyInputMixin(serializers.Serializer):
    company = ref(Company, allow_null=True, help_text="目标企业ID（与 company_name 二选一）")
    company_name = text(200, help_text="企业名称：库中没有时自动加入目标企业库")
    credit_code = text(30, help_text="统一社会信用代码（可选）")
    company_province = text(20)
    company_city = text(50)
    company_category = serializers.ChoiceField(choices=CompanyCategory.choices, required=False, allow_blank=True)


def company_required(data):
    if data.get("company") is None and not (data.get("company_name") or "").strip():
        raise serializers.ValidationError({"company_name": [_("请填写企业名称，或给出已有企业的编号 company。")]})
    return data


class VisitCreateSerializer(CompanyInputMixin, InputSerializer):
    unit = ref(Unit, help_text="走访单位ID（默认：本人所在的组）")
    visit_date = serializers.DateField()
    chain = ref(IndustryChain, allow_null=True)
    way = serializers.ChoiceField(choices=VisitWay.choices, required=False)
    contact_name = text(50)
    contact_title = text(100)
    contact_phone = text(30)
    content = serializers.CharField()
    intention = text()
    next_step = text()
    visitors = refs(User, help_text="走访人员ID列表（默认：本人）")
    visitor_names = text(200)
    remarks = text()

    def validate(self, data):
        return company_required(data)


class VisitUpdateSerializer(VisitCreateSerializer):
    def validate(self, data):
        return data


class InspectionCreateSerializer(CompanyInputMixin, InputSerializer):
    unit = ref(Unit, help_text="邀请单位ID（默认：本人所在的组）")
    inspection_date = serializers.DateField()
    delegation = text()
    host_units = HostUnitField(many=True, required=False, help_text="考察县区/开发区ID列表")
    places = text()
    accompanying_leader = text(200)
    result = text()
    next_step = text()
    remarks = text()

    def validate(self, data):
        return company_required(data)


class InspectionUpdateSerializer(InspectionCreateSerializer):
    def validate(self, data):
        return data


class CompanyListMixin(serializers.Serializer):
    companies = refs(Company, help_text="企业ID列表")
    company_names = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, help_text="企业名称列表：库中没有的自动加入"
    )


class EventCreateSerializer(CompanyListMixin, InputSerializer):
    unit = ref(Unit, help_text="主办单位ID（默认：本人所在的组）")
    title = serializers.CharField(max_length=200)
    event_date = serializers.DateField()
    place = serializers.CharField(max_length=200)
    co_organisers = text(200)
    attendees = text()
    attendee_count = serializers.IntegerField(required=False, allow_null=True)
    projects_signed = serializers.IntegerField(required=False)
    signed_amount = serializers.DecimalField(max_digits=14, decimal_places=4, required=False, help_text="万元")
    remarks = text()


class EventUpdateSerializer(EventCreateSerializer):
    pass


class TripCreateSerializer(CompanyListMixin, InputSerializer):
    unit = ref(Unit, help_text="单位ID（默认：本人所在的单位）")
    leader = ref(User, allow_null=True, help_text="带队领导ID")
    leader_name = text(100)
    members = refs(User)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    destinations = serializers.CharField(max_length=200)
    purpose = text()
    result = text()
    projects_connected = serializers.IntegerField(required=False)
    remarks = text()


class TripUpdateSerializer(TripCreateSerializer):
    pass


class StationingCreateSerializer(InputSerializer):
    unit = ref(Unit, help_text="单位ID（默认：本人所在的组）")
    person = VisiblePrimaryKeyRelatedField(User, help_text="驻点人员ID")
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    place = serializers.CharField(max_length=100)
    remarks = text()


class StationingUpdateSerializer(StationingCreateSerializer):
    pass
