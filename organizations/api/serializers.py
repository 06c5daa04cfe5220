"""API shapes for units and people.

Output serializers say what a record looks like to the requesting user (contact details
masked for roles that do not need them). Input serializers only check the shape of a
request body; every rule about the organisation lives in organizations.services.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import ChoiceLabelField
from core.api.viewsets import ChoiceListField, InputSerializer, VisiblePrimaryKeyRelatedField
from core.masking import can_see_contacts, phone_for

from ..choices import Role, TargetRegion, UnitKind
from ..models import Membership, Unit, User


def mask_email(email):
    """zhang.san@example.com → z***@example.com."""
    if not email:
        return ""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


# --- Output ---------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    kind_display = ChoiceLabelField("kind")
    target_regions = serializers.ListField(child=serializers.ChoiceField(choices=TargetRegion.choices), read_only=True)
    target_region_labels = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_display",
            "parent",
            "depth",
            "active",
            "sort_order",
            "base_city",
            "target_regions",
            "target_region_labels",
            "focus",
        ]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role_display = ChoiceLabelField("role")

    class Meta:
        model = Membership
        fields = ["id", "unit", "unit_name", "role", "role_display", "active"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    home_unit_name = serializers.CharField(source="home_unit.name", read_only=True, default="")
    # Only the memberships in units the viewer may see (the view prefetches them).
    memberships = MembershipSerializer(source="visible_memberships", many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "title",
            "phone",
            "email",
            "home_unit",
            "home_unit_name",
            "is_active",
            "must_change_password",
            "memberships",
        ]
        read_only_fields = fields

    def _viewer(self):
        return self.context["request"].user

    @extend_schema_field(OpenApiTypes.STR)
    def get_phone(self, person):
        return phone_for(self._viewer(), person)

    @extend_schema_field(OpenApiTypes.STR)
    def get_email(self, person):
        return person.email if can_see_contacts(self._viewer(), person) else mask_email(person.email)


# --- Input: units ---------------------------------------------------------------------


class UnitCreateSerializer(InputSerializer):
    parent = VisiblePrimaryKeyRelatedField(Unit, allow_null=True, help_text="上级单位ID")
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    base_city = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    target_regions = ChoiceListField(TargetRegion.choices, required=False, default=list)
    focus = serializers.CharField(required=False, allow_blank=True, default="")
    sort_order = serializers.IntegerField(min_value=0, max_value=2147483647, required=False, default=0)


class UnitUpdateSerializer(InputSerializer):
    code = serializers.CharField(max_length=32, required=False)
    name = serializers.CharField(max_length=100, required=False)
    sort_order = serializers.IntegerField(min_value=0, max_value=2147483647, required=False)
    base_city = serializers.CharField(max_length=50, required=False, allow_blank=True)
    target_regions = ChoiceListField(TargetRegion.choices, required=False)
    focus = serializers.CharField(required=False, allow_blank=True)


class UnitMoveSerializer(InputSerializer):
    parent = VisiblePrimaryKeyRelatedField(Unit, help_text="新的上级单位ID")


class ReasonSerializer(InputSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --- Input: people --------------------------------------------------------------------


class PersonCreateSerializer(InputSerializer):
    username = serializers.CharField(max_length=150)
    name = serializers.CharField(max_length=50)
    password = serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    home_unit = VisiblePrimaryKeyRelatedField(Unit, help_text="所属单位ID")
    role = serializers.ChoiceField(choices=Role.choices, required=False, allow_null=True, default=None)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")


class PersonUpdateSerializer(InputSerializer):
    name = serializers.CharField(max_length=50, required=False)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    home_unit = VisiblePrimaryKeyRelatedField(Unit, required=False, help_text="所属单位ID")


class PasswordResetSerializer(InputSerializer):
    password = serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )


class RoleAssignSerializer(InputSerializer):
    unit = VisiblePrimaryKeyRelatedField(Unit, help_text="任职单位ID")
    role = serializers.ChoiceField(choices=Role.choices)


class RoleRevokeSerializer(InputSerializer):
    membership = serializers.IntegerField(min_value=1, help_text="要撤销的任职ID（见人员的 memberships）")
