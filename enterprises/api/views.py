"""/api/v1/companies/ and /api/v1/contacts/: the directory for integrators and imports.

Thin views: the input serializer checks the shape, one service in enterprises.services
makes the change (and its audit record), the answer is the record read back in scope. A
duplicate is answered 400 with the existing record, so a client can use it instead.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api.exceptions import validation_error_body
from core.api.viewsets import ScopedModelViewSet
from core.scope import scope_of
from organizations.choices import Role

from .. import selectors, services
from ..filtersets import CompanyFilterSet, ContactFilterSet
from ..models import Company, Contact
from .serializers import (
    CompanyCreateSerializer,
    CompanyDetailSerializer,
    CompanyMatchSerializer,
    CompanyMergeSerializer,
    CompanySerializer,
    CompanyUpdateSerializer,
    ContactCreateSerializer,
    ContactSerializer,
    ContactUpdateSerializer,
)


def duplicate_response(exc, user):
    """400 with the field's message and, if the user may see it, the existing record to use instead."""
    body = validation_error_body(exc)
    existing = selectors.visible_companies(user).filter(pk=exc.existing.pk).first()
    if existing is not None:
        body["existing"] = {"id": existing.pk, "name": existing.name, "url": existing.get_absolute_url()}
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


@extend_schema_view(
    list=extend_schema(
        summary="目标企业列表",
        description="当前用户可见、未被合并的企业；走访次数与最近走访只计当前用户可见的走访。",
    ),
    retrieve=extend_schema(summary="企业详情", description="含对接人（联系电话按角色脱敏）和产业链环节ID。"),
    create=extend_schema(
        summary="录入企业",
        description="按统一社会信用代码、再按规范化名称查重；重复时返回 400，`existing` 为已有记录。",
    ),
    partial_update=extend_schema(summary="修改企业", description="修改后的名称和代码同样查重。"),
)
class CompanyViewSet(ScopedModelViewSet):
    model = Company
    serializer_class = CompanySerializer
    filterset_class = CompanyFilterSet
    input_serializer_classes = {
        "create": CompanyCreateSerializer,
        "partial_update": CompanyUpdateSerializer,
        "merge": CompanyMergeSerializer,
        "match": None,
    }

    def get_queryset(self):
        user = self.request.user
        # The list shows the current directory; a merged entry still answers by id, pointing at `merged_into`.
        base = selectors.visible_companies(user) if self.action == "list" else Company.objects.visible_to(user)
        queryset = selectors.with_segments(selectors.with_visit_figures(base, user), user)
        if self.action != "list":
            contacts = Contact.objects.order_by("-active", "name", "id")
            queryset = queryset.prefetch_related(Prefetch("contacts", queryset=contacts))
        return queryset

    def get_serializer_class(self):
        return CompanySerializer if self.action == "list" else CompanyDetailSerializer

    def create(self, request, *args, **kwargs):
        try:
            return super().create(request, *args, **kwargs)
        except services.DuplicateCompany as exc:
            return duplicate_response(exc, request.user)

    def partial_update(self, request, *args, **kwargs):
        try:
            return super().partial_update(request, *args, **kwargs)
        except services.DuplicateCompany as exc:
            return duplicate_response(exc, request.user)

    def create_object(self, data):
        return services.create_company(actor=self.request.user, **data)

    def update_object(self, company, data):
        return services.update_company(actor=self.request.user, company=company, **data)

    @extend_schema(
        summary="合并重复企业",
        description="只有招商中心工作人员可以合并。`absorb` 的走访、考察、推介会、外出招商、对接人等全部转到本企业；"
        "被并入的记录保留，`merged_into` 指向本企业。",
        request=CompanyMergeSerializer,
        responses={200: CompanyDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        keep = self.get_object()
        # As on the page: merging is the office's work, whatever else the caller may change.
        if not scope_of(request.user).has(Role.OFFICE_STAFF):
            raise PermissionDenied(_("只有招商中心工作人员可以合并企业。"))
        data = self.validated_input()
        absorb = data["absorb"]
        keep = services.merge_companies(actor=request.user, keep=keep, absorb=absorb, reason=data["reason"])
        response = self.respond(keep)
        details = selectors.last_merge(keep, absorb)
        response.data["merge"] = {
            "absorbed": absorb.pk,
            "moved": details.get("moved", {}),
            "filled": details.get("filled", {}),
        }
        return response

    @extend_schema(
        summary="查找已有企业",
        description="按统一社会信用代码、再按规范化名称，在当前用户所在城市的目标企业库中查找同一家企业（供对接和导入使用）。",
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, description="企业名称"),
            OpenApiParameter("credit_code", OpenApiTypes.STR, description="统一社会信用代码"),
        ],
        responses={200: CompanyMatchSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def match(self, request):
        name = request.query_params.get("name", "")[:200]
        code = request.query_params.get("credit_code", "")[:30]
        if not (name.strip() or code.strip()):
            raise serializers.ValidationError({"name": [_("请填写企业名称或统一社会信用代码。")]})
        owner = services.default_owner_for(request.user)
        matches = selectors.possible_matches(request.user, owner, name=name, credit_code=code)
        return Response({"count": len(matches), "results": CompanyMatchSerializer(matches, many=True).data})


@extend_schema_view(
    list=extend_schema(summary="对接人列表", description="可按企业筛选；联系电话按角色脱敏。"),
    retrieve=extend_schema(summary="对接人详情"),
    create=extend_schema(summary="添加对接人"),
    partial_update=extend_schema(summary="修改对接人"),
)
class ContactViewSet(ScopedModelViewSet):
    model = Contact
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
    input_serializer_classes = {"create": ContactCreateSerializer, "partial_update": ContactUpdateSerializer}

    def get_queryset(self):
        return super().get_queryset().order_by("company_id", "-active", "name", "id")

    def create_object(self, data):
        return services.add_contact(actor=self.request.user, **data)

    def update_object(self, contact, data):
        return services.update_contact(actor=self.request.user, contact=contact, **data)
