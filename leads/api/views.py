"""/api/v1/leads/ and /api/v1/lead-conflicts/: leads and conflicts (撞单) for integrators.

Thin views: the input serializer checks the shape, one service in leads.services makes
the change (and its audit record), the answer is the lead read back in scope. Lists use
the page's FilterSet and cost a fixed number of queries per page.

The actions (assess, accept, return, reassign, share, move-pool, follow-up, close, reopen)
are POSTs on a lead the user may see (otherwise 404); who may take which the service
decides (otherwise 403 with its message), since a unit a lead is shared with may follow
it up without being able to edit it.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from core.api.exceptions import NOT_FOUND_MESSAGE
from core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from core.scope import forget_scope, scope_of
from organizations.choices import Role

from .. import selectors, services
from ..filtersets import LeadFilterSet, settings_for, with_effective_for
from ..models import Lead, LeadConflict
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
        return with_effective_for(queryset, settings_for(user))

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
