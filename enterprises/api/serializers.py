"""API shapes for the company directory.

Output serializers say what a record looks like to the requesting user (phones masked for
roles that do not need them; counts from visits the user may see). Input serializers only
check the shape of a request body; duplicate checks and rights live in enterprises.services.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import ChoiceLabelField
from core.api.viewsets import InputSerializer, VisiblePrimaryKeyRelatedField

from .. import selectors
from ..choices import CompanyCategory, CompanyKind, CompanySize
from ..models import Company, Contact

# --- Output ---------------------------------------------------------------------------


class ContactSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = ["id", "company", "name", "title", "phone", "email", "notes", "active", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_phone(self, contact):
        return selectors.phone_shown(self.context["request"].user, contact.phone)


class CompanyMatchSerializer(serializers.ModelSerializer):
    location = serializers.CharField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Company
        fields = ["id", "name", "credit_code", "location", "url"]
        read_only_fields = fields


class CompanySerializer(serializers.ModelSerializer):
    kind_display = ChoiceLabelField("kind")
    category_display = ChoiceLabelField("category")
    size_display = ChoiceLabelField("size")
    location = serializers.CharField(read_only=True, help_text="所在省份和城市")
    segments = serializers.SerializerMethodField()
    chains = serializers.SerializerMethodField()
    visit_count = serializers.IntegerField(read_only=True, default=0, help_text="当前用户可见的走访次数")
    last_visit = serializers.DateField(read_only=True, default=None, help_text="当前用户可见的最近一次走访日期")
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Company
        fields = [
            "id",
            "name",
            "credit_code",
            "kind",
            "kind_display",
            "category",
            "category_display",
            "size",
            "size_display",
            "province",
            "city",
            "location",
            "address",
            "industry",
            "segments",
            "chains",
            "website",
            "description",
            "owner",
            "merged_into",
            "visit_count",
            "last_visit",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_segments(self, company):
        return [s.pk for s in getattr(company, "segment_list", ())]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_chains(self, company):
        return selectors.chain_names(company)


class CompanyDetailSerializer(CompanySerializer):
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta(CompanySerializer.Meta):
        fields = [*CompanySerializer.Meta.fields, "contacts"]
        read_only_fields = fields


# --- Input ----------------------------------------------------------------------------


def _text(max_length, **kwargs):
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


def _segments_field(**kwargs):
    from chains.models import ChainSegment

    return VisiblePrimaryKeyRelatedField(
        ChainSegment, many=True, required=False, help_text="产业链环节ID列表", **kwargs
    )


class CompanyCreateSerializer(InputSerializer):
    name = serializers.CharField(max_length=200)
    credit_code = _text(30, default="")
    kind = serializers.ChoiceField(choices=CompanyKind.choices, required=False, default=CompanyKind.COMPANY)
    category = serializers.ChoiceField(
        choices=CompanyCategory.choices, required=False, allow_blank=True, default="", help_text="空：按机构类型自动"
    )
    size = serializers.ChoiceField(choices=CompanySize.choices, required=False, allow_blank=True, default="")
    province = _text(20, default="")
    city = _text(50, default="")
    address = _text(200, default="")
    industry = _text(100, default="")
    website = _text(200, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    segments = _segments_field(default=list)


class CompanyUpdateSerializer(InputSerializer):
    name = serializers.CharField(max_length=200, required=False)
    credit_code = _text(30)
    kind = serializers.ChoiceField(choices=CompanyKind.choices, required=False)
    category = serializers.ChoiceField(choices=CompanyCategory.choices, required=False)
    size = serializers.ChoiceField(choices=CompanySize.choices, required=False, allow_blank=True)
    province = _text(20)
    city = _text(50)
    address = _text(200)
    industry = _text(100)
    website = _text(200)
    description = serializers.CharField(required=False, allow_blank=True)
    segments = _segments_field()


class CompanyMergeSerializer(InputSerializer):
    absorb = VisiblePrimaryKeyRelatedField(Company, help_text="要并入本企业的重复企业ID")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ContactCreateSerializer(InputSerializer):
    company = VisiblePrimaryKeyRelatedField(Company, help_text="企业ID")
    name = serializers.CharField(max_length=50)
    title = _text(100, default="")
    phone = _text(30, default="")
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ContactUpdateSerializer(InputSerializer):
    name = serializers.CharField(max_length=50, required=False)
    title = _text(100)
    phone = _text(30)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)
