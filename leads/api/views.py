"""/api/v1/leads/, /api/v1/lead-conflicts/ and the office's settings (/api/v1/lead-settings/, /api/v1/lead-pools/,
/api/v1/negative-list/): leads, conflicts (撞单) and the rules they follow, for integrators.

Thin views: the input serializer checks the shape, one service in leads.services makes
the change (and its audit record), the answer is the lead read back in scope. Lists use
the page's FilterSet and cost a fixed number of queries per page.

The actions (assess, accept, return, reassign, share, unshare, move-pool, follow-up, close, reopen)
are POSTs on a lead the user may see (otherwise 404); who may take which the service
decides (otherwise 403 with its message), since a unit a lead is shared with may follow
it up without being able to edit it.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from core.api.exceptions import NOT_FOUND_MESSAGE
from core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet, ScopedViewSet
from core.scope import forget_scope, scope_of
from organizations.choices import Role

from .. import selectors, services
from ..filtersets import LeadFilterSet, settings_for, with_effective_for
from ..models import Lead, LeadConflict, LeadPool, LeadSettings, NegativeListEntry
from ..views import ACTION_PARTIES, DENIED, lead_conflict_annotations, lead_queryset, may, parties
from . import serializers as s

# Lists besides the whole list: each is a selector and the roles it is for.
QUEUES = {
    "assessment_queue": (selectors.assessment_queue, (Role.OFFICE_STAFF,)),
    "incoming": (selectors.incoming_queue, (Role.COUNTY_STAFF,)),
    "team": (selectors.team_leads, selectors.LEAD_WRITER_ROLES),
}
LIST_ACTIONS = ("list", *QUEUES)
# Actions a county takes on a lead pushed to it, which may have been taken away meanwhile.
TELLS_WHEN_GONE = ("accept", "return_lead")
# The API's action names as the pages name them (leads.views.ACTION_PARTIES).
ACTION_NAMES = {
    "assess": "assess",
    "accept": "accept",
    "return_lead": "return",
    "reassign": "reassign",
    "share": "share",
    "unshare": "unshare",
    "move_pool": "move-pool",
    "follow_up": "follow-up",
    "close": "close",
    "reopen": "reopen",
}


def lead_action(input_serializer, summary, description=""):
    """Schema for one POST action on a lead."""
    return extend_schema(
        summary=summary, description=description, request=input_serializer, responses=s.LeadDetailSerializer
    )


def with_duplicate_visibility(queryset, user):
    """Annotate `duplicate_of_visible`: the lead a duplicate was merged into is named only to those who may open it.

    Evaluated only for the rare duplicate rows (CASE), so a list page costs no extra query.
    """
    visible = Exists(Lead.objects.visible_to(user).filter(pk=OuterRef("duplicate_of_id")))
    return queryset.annotate(
        duplicate_of_visible=Case(
            When(duplicate_of__isnull=True, then=Value(False)), default=visible, output_field=BooleanField()
        )
    )


@extend_schema_view(
    list=extend_schema(summary="线索列表", description="当前用户可见的线索，最新的在前；筛选同列表页。"),
    retrieve=extend_schema(summary="线索详情", description="含是否实效线索及原因、动态（时间线）、附件和共享单位。"),
    create=extend_schema(
        summary="报送线索",
        description="investor（企业ID）与 investor_name（名称，库中没有时自动加入）二选一；"
        "给出 visit（走访ID）时投资方、收集日期、产业链和联系人随之带入。estimated_amount 可写“约5000万”“5亿元”。",
    ),
    partial_update=extend_schema(summary="修改线索", description="报送单位在研判前可改；招商中心随时可改。"),
)
class LeadViewSet(ScopedModelViewSet):
    model = Lead
    serializer_class = s.LeadSerializer
    filterset_class = LeadFilterSet
    input_serializer_classes = {
        "create": s.LeadCreateSerializer,
        "partial_update": s.LeadUpdateSerializer,
        "assess": s.AssessSerializer,
        "accept": None,
        "return_lead": s.ReturnSerializer,
        "reassign": s.ReassignSerializer,
        "share": s.ShareSerializer,
        "unshare": s.UnshareSerializer,
        "move_pool": s.MovePoolSerializer,
        "follow_up": s.FollowUpSerializer,
        "close": s.CloseSerializer,
        "reopen": s.ReopenSerializer,
    }

    def get_queryset(self):
        user = self.request.user
        if self.action in QUEUES:
            selector, roles = QUEUES[self.action]
            if not scope_of(user).has(*roles):
                raise PermissionDenied(_("您的角色无权使用此列表。"))
            queryset = selector(user).prefetch_related("reporters")
        elif self.action in LIST_ACTIONS:
            queryset = selectors.leads_for(user).prefetch_related("reporters")
        else:
            queryset = lead_queryset(user)
        return with_duplicate_visibility(with_effective_for(queryset, settings_for(user)), user)

    def get_serializer_class(self):
        return s.LeadSerializer if self.action in LIST_ACTIONS else s.LeadDetailSerializer

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["today"] = timezone.localdate()
        return ctx

    def create_object(self, data):
        data = dict(data)
        visit = data.pop("visit", None)
        if visit is not None:
            return services.create_lead_from_visit(actor=self.request.user, visit=visit, **data)
        # No date given: the service takes today.
        data.setdefault("collected_date", None)
        return services.create_lead(actor=self.request.user, **data)

    def update_object(self, obj, data):
        return services.update_lead(actor=self.request.user, lead=obj, **data)

    # --- The queues ------------------------------------------------------------------------

    @extend_schema(summary="研判队列", description="招商中心待研判（含被退回）的线索，研判截止日期最早的在前。")
    @action(detail=False, methods=["get"], url_path="assessment-queue")
    def assessment_queue(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    @extend_schema(summary="待接收线索", description="推送至本县区/开发区、尚待接收或退回的线索，推送最早的在前。")
    @action(detail=False, methods=["get"], url_path="incoming")
    def incoming(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    @extend_schema(summary="本组线索", description="本组（或本县区）报送的线索，最新的在前。")
    @action(detail=False, methods=["get"], url_path="team")
    def team(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    # --- Actions on one lead -----------------------------------------------------------------

    def visible_lead(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (Lead.DoesNotExist, ValueError, TypeError):
            raise Http404(NOT_FOUND_MESSAGE)

    def act(self, call, status_code=status.HTTP_200_OK):
        try:
            lead = self.visible_lead()
        except Http404:
            return self.gone(call, status_code)
        # Someone who may not take the action at all is told so before their body is looked at.
        action_name = ACTION_NAMES[self.action]
        shares = list(lead.shares.select_related("unit")) if "shared" in ACTION_PARTIES[action_name] else []
        if not may(parties(self.request.user, lead, shares), action_name):
            raise PermissionDenied(DENIED[action_name])
        data = self.validated_input()
        result = call(lead, dict(data))
        return self.respond_lead(result if isinstance(result, Lead) else lead, status_code)

    def gone(self, call, status_code):
        """A lead the user can no longer see: 404, unless their unit held it and it moved on meanwhile.

        Accepting or sending back a lead reassigned (or returned) meanwhile gets the service's
        400 saying so, but only for the unit that held it; anyone else gets the 404.
        """
        lead = Lead.objects.filter(pk=self.kwargs["pk"]).first() if self.action in TELLS_WHEN_GONE else None
        if lead is None:
            raise Http404(NOT_FOUND_MESSAGE)
        try:
            # A bad body must not tell a stranger more than a 404 would.
            data = self.validated_input()
            result = call(lead, dict(data))
        except (DjangoPermissionDenied, ValidationError):
            raise Http404(NOT_FOUND_MESSAGE)
        return self.respond_lead(result, status_code)

    def respond_lead(self, lead, status_code=status.HTTP_200_OK):
        forget_scope(self.request.user)
        fresh = self.get_queryset().filter(pk=lead.pk).first()
        if fresh is None:
            # Sent back or reassigned away: no longer the unit's to see; say only where it went.
            lead = Lead.objects.get(pk=lead.pk)
            return Response(
                {
                    "id": lead.pk,
                    "status": lead.status,
                    "status_display": lead.get_status_display(),
                    "detail": _("该线索已不在您的办理范围内。"),
                },
                status=status_code,
            )
        return Response(self.get_serializer(fresh).data, status=status_code)

    @lead_action(
        s.AssessSerializer,
        "研判线索",
        "给出 receiving_unit 即推送，给出 reject_reason 即不予推送；推送单位命中负面清单时须 confirm_negative_list。",
    )
    @action(detail=True, methods=["post"])
    def assess(self, request, *args, **kwargs):
        return self.act(lambda lead, data: services.assess_lead(actor=request.user, lead=lead, **data))

    @lead_action(None, "接收线索")
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        return self.act(lambda lead, data: services.accept_lead(actor=request.user, lead=lead))

    @lead_action(s.ReturnSerializer, "退回线索", "县区/开发区退回招商中心，须写明原因。")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_lead(self, request, *args, **kwargs):
        return self.act(lambda lead, data: services.return_lead(actor=request.user, lead=lead, **data))

    @lead_action(s.ReassignSerializer, "改派线索")
    @action(detail=True, methods=["post"])
    def reassign(self, request, *args, **kwargs):
        return self.act(lambda lead, data: services.reassign_lead(actor=request.user, lead=lead, **data))

    @lead_action(s.ShareSerializer, "共享线索")
    @action(detail=True, methods=["post"])
    def share(self, request, *args, **kwargs):
        return self.act(lambda lead, data: services.share_lead(actor=request.user, lead=lead, **data))

    @lead_action(s.UnshareSerializer, "取消共享", "招商中心不再与该单位共享线索，该单位随即不能再查看。")
    @action(detail=True, methods=["post"])
    def unshare(self, request, *args, **kwargs):
        return self.act(lambda lead, data: services.unshare_lead(actor=request.user, lead=lead, **data))

    @lead_action(s.MovePoolSerializer, "转库")
    @action(detail=True, methods=["post"], url_path="move-pool", url_name="move-pool")
    def move_pool(self, request, *args, **kwargs):
        return self.act(lambda lead, data: services.move_pool(actor=request.user, lead=lead, **data))

    @lead_action(s.FollowUpSerializer, "添加跟进记录")
    @action(detail=True, methods=["post"], url_path="follow-up", url_name="follow-up")
    def follow_up(self, request, *args, **kwargs):
        return self.act(
            lambda lead, data: services.add_follow_up(actor=request.user, lead=lead, **data),
            status.HTTP_201_CREATED,
        )

    @lead_action(s.CloseSerializer, "关闭线索")
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        return self.act(lambda lead, data: services.close_lead(actor=request.user, lead=lead, **data))

    @lead_action(s.ReopenSerializer, "重新打开线索")
    @action(detail=True, methods=["post"])
    def reopen(self, request, *args, **kwargs):
        return self.act(lambda lead, data: services.reopen_lead(actor=request.user, lead=lead, **data))


def _office_of(user, conflict):
    owner = conflict.lead.owner
    return any(owner.path.startswith(p) for p in scope_of(user).paths(Role.OFFICE_STAFF))


@extend_schema_view(
    list=extend_schema(summary="撞单列表", description="涉及本人可见线索或走访的撞单，待裁定的在前。"),
    retrieve=extend_schema(summary="撞单详情"),
)
class LeadConflictViewSet(ScopedReadOnlyViewSet):
    model = LeadConflict
    serializer_class = s.LeadConflictSerializer
    filterset_fields = ["status"]
    input_serializer_classes = {"decide": s.ConflictDecideSerializer}

    def get_queryset(self):
        user = self.request.user
        return selectors.conflicts_for(user).annotate(**lead_conflict_annotations(user))

    def get_object(self):
        # Conflicts have no editable_by: who decides is the service's question (the office).
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (LeadConflict.DoesNotExist, ValueError, TypeError):
            raise Http404(NOT_FOUND_MESSAGE)

    @extend_schema(summary="裁定撞单", request=s.ConflictDecideSerializer, responses=s.LeadConflictSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, *args, **kwargs):
        conflict = self.get_object()
        if not _office_of(request.user, conflict):
            raise PermissionDenied(DENIED["decide"])
        data = self.validated_input()
        services.decide_conflict(actor=request.user, conflict=conflict, **data)
        fresh = self.get_queryset().get(pk=conflict.pk)
        return Response(self.get_serializer(fresh).data)


# --- The office's settings: /api/v1/lead-settings/, /api/v1/lead-pools/, /api/v1/negative-list/ -------------


def office_city(request, wanted=None):
    """The city whose settings the caller keeps: the first where they are office staff, or `?city=<id>` of those."""
    cities = list(selectors.office_cities(request.user))
    if not cities:
        raise PermissionDenied(_("只有城市招商中心工作人员可以设置线索规则。"))
    wanted = wanted if wanted is not None else request.query_params.get("city")
    if not wanted:
        return cities[0]
    for city in cities:
        if str(city.pk) == str(getattr(wanted, "pk", wanted)):
            return city
    raise Http404(NOT_FOUND_MESSAGE)


CITY_PARAMETER = OpenApiParameter(
    "city", int, description="城市ID（可选，限您任招商中心工作人员的城市；默认第一个）", required=False
)


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[CITY_PARAMETER],
        summary="线索规则",
        description="本市（?city= 可选，限您任招商中心工作人员的城市）的实效线索规则、线索等级和时限；"
        "从未修改过的城市显示默认值（id 为空）。",
    ),
    partial_update=extend_schema(
        parameters=[CITY_PARAMETER],
        summary="修改线索规则",
        description="只改给出的字段；grades 为从高到低的等级列表，不能为空。",
    ),
)
class LeadSettingsViewSet(ScopedViewSet):
    """One city's lead rules, read and changed by its office only (everyone else 403)."""

    model = LeadSettings
    serializer_class = s.LeadSettingsSerializer
    input_serializer_classes = {"partial_update": s.LeadSettingsUpdateSerializer}
    pagination_class = None

    def retrieve(self, request, *args, **kwargs):
        city = office_city(request)
        return Response(self.get_serializer(selectors.settings_or_defaults(city)).data)

    def partial_update(self, request, *args, **kwargs):
        city = office_city(request)
        data = self.validated_input(partial=True)
        settings = services.update_lead_settings(actor=request.user, owner=city, **data)
        return Response(self.get_serializer(settings).data)


POOL_FIELDS = ("code", "name", "kind", "sort_order", "active")


@extend_schema_view(
    list=extend_schema(summary="线索库列表", description="本人所在城市的线索库（含已停用的），按排序。"),
    retrieve=extend_schema(summary="线索库详情"),
    create=extend_schema(
        summary="添加线索库",
        description="仅招商中心。kind：open 跟进中、landed 已落地、lost 已失效；不给 sort_order 则排在最后。",
    ),
    partial_update=extend_schema(
        summary="修改线索库",
        description="改名、调整排序、改变性质或停用（active=false）；库中还有线索时不能停用或改变性质。",
    ),
)
class LeadPoolViewSet(ScopedModelViewSet):
    """A city's pools: read by everyone working in the city (a county moves leads between them), set by its office."""

    model = LeadPool
    serializer_class = s.LeadPoolSerializer
    filterset_fields = ["owner", "active"]
    input_serializer_classes = {"create": s.LeadPoolCreateSerializer, "partial_update": s.LeadPoolUpdateSerializer}

    def get_queryset(self):
        return (
            LeadPool.objects.visible_to(self.request.user)
            .select_related("owner")
            .annotate(lead_count=Count("leads"))
            .order_by("owner__path", "sort_order", "id")
        )

    def create(self, request, *args, **kwargs):
        office_city(request)  # anyone who keeps no city's settings is refused before their body is looked at
        return super().create(request, *args, **kwargs)

    def create_object(self, data):
        data = dict(data)
        city = office_city(self.request)
        owner = data.pop("owner", None)
        if owner is not None and owner.pk not in {c.pk for c in selectors.office_cities(self.request.user)}:
            raise DjangoValidationError({"owner": _("所属城市须为您任招商中心工作人员的城市。")})
        owner = owner or city
        fields = {field: data.get(field) for field in POOL_FIELDS}
        return services.save_pool(actor=self.request.user, owner=owner, **fields)

    def update_object(self, pool, data):
        fields = {field: data.get(field, getattr(pool, field)) for field in POOL_FIELDS}
        return services.save_pool(actor=self.request.user, owner=pool.owner, pool=pool, **fields)


NEGATIVE_FIELDS = ("unit", "industry", "chain", "keywords", "reason")


@extend_schema_view(
    list=extend_schema(
        summary="负面清单列表",
        description="招商中心和市领导看本市各县区、开发区的负面清单，县区/开发区看本单位的；可按 unit、chain 筛选。",
    ),
    retrieve=extend_schema(summary="负面清单条目"),
    create=extend_schema(
        summary="添加负面清单条目",
        description="仅本市招商中心。unit 须为本市的县（市、区）或开发区；chain 与 keywords 至少给一项。",
    ),
    partial_update=extend_schema(summary="修改负面清单条目"),
    destroy=extend_schema(summary="删除负面清单条目", description="审计日志保留被删除条目的内容。"),
)
class NegativeListViewSet(ScopedModelViewSet):
    """The industries each county or zone refuses (负面清单, seed 001), checked when a lead is pushed there."""

    model = NegativeListEntry
    serializer_class = s.NegativeListEntrySerializer
    filterset_fields = ["unit", "chain"]
    input_serializer_classes = {
        "create": s.NegativeListEntryCreateSerializer,
        "partial_update": s.NegativeListEntryUpdateSerializer,
    }

    def get_queryset(self):
        return (
            NegativeListEntry.objects.visible_to(self.request.user)
            .select_related("unit", "chain")
            .order_by("unit__path", "industry", "id")
        )

    def create(self, request, *args, **kwargs):
        # Only an office keeps negative lists: anyone else is refused before their body is looked at.
        if not scope_of(request.user).has(Role.OFFICE_STAFF):
            raise PermissionDenied(services.NEGATIVE_LIST_DENIED)
        return super().create(request, *args, **kwargs)

    def create_object(self, data):
        return services.save_negative_list_entry(actor=self.request.user, **data)

    def update_object(self, entry, data):
        fields = {field: data.get(field, getattr(entry, field)) for field in NEGATIVE_FIELDS}
        return services.save_negative_list_entry(actor=self.request.user, entry=entry, **fields)

    def destroy(self, request, *args, **kwargs):
        entry = self.get_object()
        services.delete_negative_list_entry(actor=request.user, entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)
