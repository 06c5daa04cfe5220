"""/api/v1/units/ and /api/v1/people/: the org tree, people and roles for integrators.

Thin views: the input serializer checks the shape, one service in organizations.services
makes the change (and its audit record), the answer is the record read back in scope.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action

from core.api.viewsets import ScopedModelViewSet

from .. import services
from ..filtersets import PersonFilterSet, UnitFilterSet
from ..models import Membership, Unit, User
from .serializers import (
    PasswordResetSerializer,
    PersonCreateSerializer,
    PersonSerializer,
    PersonUpdateSerializer,
    ReasonSerializer,
    RoleAssignSerializer,
    RoleRevokeSerializer,
    UnitCreateSerializer,
    UnitMoveSerializer,
    UnitSerializer,
    UnitUpdateSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="单位列表", description="当前用户可见的单位，按树的顺序。"),
    retrieve=extend_schema(summary="单位详情"),
    create=extend_schema(summary="新建单位", description="只有上级单位的系统管理员可以新建。"),
    partial_update=extend_schema(
        summary="修改单位", description="可改编码、名称、排序，及驻点组的驻点城市、目标区域和重点方向。"
    ),
)
class UnitViewSet(ScopedModelViewSet):
    model = Unit
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    input_serializer_classes = {
        "create": UnitCreateSerializer,
        "partial_update": UnitUpdateSerializer,
        "move": UnitMoveSerializer,
        "deactivate": ReasonSerializer,
        "activate": None,
    }

    def create_object(self, data):
        return services.create_unit(actor=self.request.user, **data)

    def update_object(self, unit, data):
        return services.update_unit(actor=self.request.user, unit=unit, **data)

    @extend_schema(summary="移动单位", description="把单位（连同其下级）移到另一个上级单位之下。")
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        unit = self.get_object()
        data = self.validated_input()
        return self.respond(services.move_unit(actor=request.user, unit=unit, new_parent=data["parent"]))

    @extend_schema(summary="停用单位", description="没有启用的下级单位、在岗人员和未办结事项的单位才能停用。")
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        unit = self.get_object()
        data = self.validated_input()
        return self.respond(services.deactivate_unit(actor=request.user, unit=unit, reason=data["reason"]))

    @extend_schema(summary="启用单位")
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        unit = self.get_object()
        return self.respond(services.activate_unit(actor=request.user, unit=unit))


@extend_schema_view(
    list=extend_schema(summary="人员列表", description="当前用户可见的人员；手机号按角色脱敏。"),
    retrieve=extend_schema(summary="人员详情"),
    create=extend_schema(summary="新增人员", description="初始密码须在首次登录时修改；可同时在所属单位分配一个角色。"),
    partial_update=extend_schema(summary="修改人员", description="可改姓名、手机号、职务、邮箱和所属单位。"),
)
class PersonViewSet(ScopedModelViewSet):
    model = User
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    list_select_related = ("home_unit",)
    input_serializer_classes = {
        "create": PersonCreateSerializer,
        "partial_update": PersonUpdateSerializer,
        "deactivate": ReasonSerializer,
        "activate": None,
        "reset_password": PasswordResetSerializer,
        "assign_role": RoleAssignSerializer,
        "revoke_role": RoleRevokeSerializer,
    }

    def visible_units(self):
        return Unit.objects.visible_to(self.request.user).values("pk")

    def get_prefetches(self):
        # Only memberships in units the viewer may see: a person's roles elsewhere are not theirs to know.
        memberships = (
            Membership.objects.filter(unit__in=self.visible_units())
            .select_related("unit")
            .order_by("unit__path", "role")
        )
        return [Prefetch("memberships", queryset=memberships, to_attr="visible_memberships")]

    def create_object(self, data):
        return services.create_person(actor=self.request.user, **data)

    def update_object(self, person, data):
        return services.update_person(actor=self.request.user, person=person, **data)

    @extend_schema(summary="停用人员", description="停用后不能登录，其接口令牌随即作废。")
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        person = self.get_object()
        data = self.validated_input()
        person = services.set_person_active(actor=request.user, person=person, active=False, reason=data["reason"])
        return self.respond(person)

    @extend_schema(summary="启用人员")
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        person = self.get_object()
        return self.respond(services.set_person_active(actor=request.user, person=person, active=True))

    @extend_schema(summary="重置密码", description="管理员设置临时密码，该人员下次登录时必须修改。")
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request, pk=None):
        person = self.get_object()
        data = self.validated_input()
        return self.respond(services.reset_password(actor=request.user, person=person, new_password=data["password"]))

    @extend_schema(
        summary="分配角色",
        description="在某单位给该人员分配一个角色；角色须与单位类型相符。",
        responses={201: PersonSerializer},
    )
    @action(detail=True, methods=["post"], url_path="roles")
    def assign_role(self, request, pk=None):
        person = self.get_object()
        data = self.validated_input()
        services.assign_role(actor=request.user, person=person, unit=data["unit"], role=data["role"])
        return self.respond(person, status.HTTP_201_CREATED)

    @extend_schema(summary="撤销角色", description="撤销该人员的一项任职；记录保留为“无效”，以备查。")
    @action(detail=True, methods=["post"], url_path="revoke-role")
    def revoke_role(self, request, pk=None):
        person = self.get_object()
        data = self.validated_input()
        membership = Membership.objects.filter(
            pk=data["membership"], user=person, unit__in=self.visible_units()
        ).first()
        if membership is None:
            raise ValidationError(
                {"membership": _("该人员没有编号为 %(id)d 的任职，或您无权查看。") % {"id": data["membership"]}}
            )
        services.revoke_role(actor=request.user, membership=membership)
        return self.respond(person)
