"""/api/v1/problems/, /problem-figures/, /meetings/ and /problem-categories/: service to investors for integrators.

Thin views: the input serializer checks the shape, one service in service.services makes the
change (and its audit record and timeline event), the answer is the record read back in
scope. Lists use the page's FilterSet (service.filtersets) and cost a fixed number of
queries per page.

A problem or meeting out of the user's scope is a 404; one the user may see but not act on
in that way is a 403 with the reason, given before the request body is looked at, by the
same predicates the services check (may_assign, the assigned department, may_confirm).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api.exceptions import NOT_FOUND_MESSAGE
from core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet, ScopedViewSet, ServiceCreateMixin
from core.scope import scope_of
from organizations.choices import Role
from projects.api.serializers import user_cities
from projects.models import Project

from .. import selectors, services
from ..filtersets import ProblemFilterSet, city_categories
from ..models import Decision, Meeting, Problem, ProblemAssignment, ProblemCategory, ProblemEvent
from . import serializers as s

TRUE_VALUES = ("1", "true", "yes", "True")
LIST_SELECT_RELATED = ("project", "company")
# Small reference tables, read beside the page (core.refs) rather than joined.
LIST_REFS = ("owner", "category", "raised_unit", "lead_department")
# Roles that raise problems and hold meetings (the service then checks for which city or unit).
RAISING_ROLES = (Role.OFFICE_STAFF, Role.COUNTY_STAFF, Role.DEPARTMENT_STAFF, Role.TEAM_LEADER, Role.TEAM_MEMBER)
MEETING_ROLES = (Role.OFFICE_STAFF, Role.COUNTY_STAFF, Role.DEPARTMENT_STAFF)


def refuse(message):
    raise PermissionDenied(str(message))


def require_role(user, roles, message):
    if not scope_of(user).has(*roles):
        refuse(message)


def assigned_to(user, problem):
    """Whether the user works in a department the problem is assigned to (what the service's check finds)."""
    paths = scope_of(user).paths(Role.DEPARTMENT_STAFF)
    return any(a.department.path.startswith(p) for a in problem.assignments.all() for p in paths)


NOT_ASSIGNED = gettext_lazy("该问题未交办给您的部门。")
# Who may take each step on a problem, as the service checks it, and the refusal it gives.
ACTION_RIGHTS = {
    "assign": (services.may_assign, gettext_lazy("只有招商中心或项目服务专班可以交办问题。")),
    "accept": (assigned_to, NOT_ASSIGNED),
    "answer": (assigned_to, NOT_ASSIGNED),
    "confirm": (services.may_confirm, gettext_lazy("只有问题提出方（服务专班、招商中心或提出人）可以确认办结。")),
    "reopen": (services.may_confirm, gettext_lazy("只有问题提出方（服务专班、招商中心或提出人）可以退回重办。")),
}


def problem_action(input_serializer, summary, description=""):
    """Schema for one POST action on a problem: the answer is the problem as the user now sees it."""
    return extend_schema(
        summary=summary, description=description, request=input_serializer, responses=s.ProblemDetailSerializer
    )


def query_input(request, serializer_class):
    serializer = serializer_class(data=request.query_params, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Problems -------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="问题诉求列表",
        description="当前用户可见的问题，最新提出的在前；筛选同问题列表页（状态、类别、渠道、承办部门、单位、逾期、督办、"
        "项目、企业、会议、牵头部门、提出单位等）。?inbox=1：本人部门待办（已交办、未办结），期限最近的在前；"
        "?supervision=1：督办清单（屡诉督办：已督办未确认，或已逾期）。联系电话仅本市招商中心可见全号。",
        parameters=[
            OpenApiParameter("inbox", OpenApiTypes.BOOL, description="只列本人部门待办"),
            OpenApiParameter("supervision", OpenApiTypes.BOOL, description="只列督办清单"),
        ],
    ),
    retrieve=extend_schema(summary="问题诉求详情", description="含承办部门、时间线和附件。"),
    create=extend_schema(
        summary="提出问题诉求",
        description="为项目或企业提出问题（会上、月度调度、走访……）；附件用 multipart 上传（字段 files）。"
        "同一企业同类问题第三次提出即进入督办。",
        request={"application/json": s.ProblemCreateSerializer, "multipart/form-data": s.ProblemCreateSerializer},
    ),
)
class ProblemViewSet(ServiceCreateMixin, ScopedReadOnlyViewSet):
    model = Problem
    serializer_class = s.ProblemDetailSerializer
    filterset_class = ProblemFilterSet
    input_serializer_classes = {
        "create": s.ProblemCreateSerializer,
        "assign": s.ProblemAssignSerializer,
        "accept": None,
        "answer": s.ProblemAnswerSerializer,
        "confirm": s.ProblemConfirmSerializer,
        "reopen": s.ProblemReopenSerializer,
    }

    def flag(self, name):
        return self.request.query_params.get(name) in TRUE_VALUES

    def get_queryset(self):
        user = self.request.user
        if self.action != "list":
            return self.detail_queryset(selectors.problems_for(user))
        if self.flag("inbox"):
            queryset = selectors.inbox(user).order_by(F("due_on").asc(nulls_last=True), "id")
        elif self.flag("supervision"):
            queryset = selectors.supervision(user).order_by(F("due_on").asc(nulls_last=True), "id")
        else:
            queryset = selectors.problems_for(user).order_by("-raised_on", "-id")
        return queryset.select_related(*LIST_SELECT_RELATED).with_refs(*LIST_REFS)

    @staticmethod
    def detail_queryset(queryset):
        """Everything a problem's page shows, in a fixed number of queries however long its timeline."""
        return (
            queryset.select_related(*LIST_SELECT_RELATED, "meeting", "raised_by")
            .with_refs(*LIST_REFS)
            .prefetch_related(
                "attachments",
                Prefetch("assignments", queryset=ProblemAssignment.objects.select_related("department")),
                Prefetch("events", queryset=ProblemEvent.objects.select_related("actor", "unit").order_by("at", "id")),
            )
        )

    def get_serializer_class(self):
        return s.ProblemSerializer if self.action == "list" else s.ProblemDetailSerializer

    def get_object(self):
        """The problem from what the user may see (404); for a step, the service's own right to take it (403)."""
        try:
            problem = self.get_queryset().get(pk=self.kwargs["pk"])
        except (Problem.DoesNotExist, ValueError, TypeError):
            raise Http404(NOT_FOUND_MESSAGE)
        if self.action in ACTION_RIGHTS:
            allowed, message = ACTION_RIGHTS[self.action]
            if not allowed(self.request.user, problem):
                refuse(message)
        return problem

    def create(self, request, *args, **kwargs):
        require_role(request.user, RAISING_ROLES, _("只有招商中心、县区、部门或招商组工作人员可以提出问题。"))
        return super().create(request, *args, **kwargs)

    def create_object(self, data):
        return services.raise_problem(actor=self.request.user, **data)

    def act(self, call):
        problem = self.get_object()
        data = dict(self.validated_input())
        call(problem, data)
        return self.respond(problem)

    @problem_action(
        s.ProblemAssignSerializer,
        "交办问题",
        "招商中心或项目服务专班交办给一个部门，或多个部门并指定牵头部门（有诉联办）；期限默认按类别的工作日计，"
        "不能早于提出日期。已交办的问题再次交办即调整承办部门。",
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, *args, **kwargs):
        return self.act(lambda problem, data: services.assign_problem(actor=request.user, problem=problem, **data))

    @problem_action(None, "受理问题", "承办部门受理；牵头部门受理后问题为“已受理办理中”。")
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        return self.act(lambda problem, data: services.accept_problem(actor=request.user, problem=problem))

    @problem_action(
        s.ProblemAnswerSerializer, "答复问题", "承办部门填写办理答复；牵头部门 solved=true 即办结，待提出方确认。"
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        return self.act(lambda problem, data: services.answer_problem(actor=request.user, problem=problem, **data))

    @problem_action(
        s.ProblemConfirmSerializer, "确认办结", "提出方（服务专班、招商中心或提出人）确认答复并评价满意度。"
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, *args, **kwargs):
        return self.act(lambda problem, data: services.confirm_problem(actor=request.user, problem=problem, **data))

    @problem_action(s.ProblemReopenSerializer, "退回重办", "提出方不认可答复：退回承办部门并进入督办（须说明原因）。")
    @action(detail=True, methods=["post"])
    def reopen(self, request, *args, **kwargs):
        return self.act(lambda problem, data: services.reopen_problem(actor=request.user, problem=problem, **data))


# --- Figures ------------------------------------------------------------------------------------------------

GROUPS = (("by_lead_department", "lead_department"), ("by_raised_unit", "raised_unit"), ("by_category", "category"))
QUERY_TO_FILTER = {"unit": "unit", "start": "raised_from", "end": "raised_to"}


class ProblemFiguresViewSet(ScopedViewSet):
    """Raised, solved, on time, same day (日清日结), reopened, overdue and satisfaction, each linked to its list."""

    model = Problem
    pagination_class = None
    filterset_class = None

    @extend_schema(
        summary="问题办理数字",
        description="本人可见问题的提出、办结、按期、日清日结、退回、逾期和满意度，合计及按牵头部门、提出单位、类别；"
        "每个数字给出其背后的问题列表（接口，筛选同问题列表）。?unit= 提出单位或项目落地单位（含下级），"
        "?start= / ?end= 提出日期。",
        parameters=[s.ProblemFiguresQuerySerializer],
        responses=s.ProblemFiguresResponseSerializer,
    )
    def list(self, request, *args, **kwargs):
        query = query_input(request, s.ProblemFiguresQuerySerializer)
        unit, start, end = query.get("unit"), query.get("start"), query.get("end")
        params = []
        if unit is not None:
            params.append(("unit", str(unit.pk)))
        if start:
            params.append(("raised_from", start.isoformat()))
        if end:
            params.append(("raised_to", end.isoformat()))
        problems = self.filtered(request, params)
        totals = s.with_links(selectors.figures(problems), params)
        body = {
            "unit": unit.pk if unit is not None else None,
            "unit_name": unit.name if unit is not None else "",
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
            "totals": totals,
        }
        for key, field in GROUPS:
            body[key] = [
                s.with_links(row, [*params, (field, "null" if row["key"] is None else str(row["key"]))])
                for row in selectors.figures_by(problems, field)
            ]
        return Response(body)

    @staticmethod
    def filtered(request, params):
        """The user's problems through the list's own FilterSet, so a link lists exactly what was counted."""
        data = QueryDict(mutable=True)
        for key, value in params:
            data.appendlist(key, value)
        filterset = ProblemFilterSet(data=data, queryset=selectors.problems_for(request.user), request=request)
        if not filterset.is_valid():
            back = {v: k for k, v in QUERY_TO_FILTER.items()}
            raise DjangoValidationError(
                {back.get(name, name): list(errors) for name, errors in filterset.errors.items()}
            )
        return filterset.qs


# --- Meetings -------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="会议列表",
        description="政企对接会议（早餐会、下午茶、夜沙龙）、月度调度会、联席会议和专家评审会，最近的在前；"
        "本市招商中心和领导看全市，县区和部门看本单位主办的。",
    ),
    retrieve=extend_schema(
        summary="会议详情", description="含参会企业、涉及项目、议定事项和会上提出的问题（仅列您可查看的）。"
    ),
    create=extend_schema(summary="登记会议", description="本市招商中心，或以本单位名义登记的县区、开发区、部门。"),
)
class MeetingViewSet(ServiceCreateMixin, ScopedReadOnlyViewSet):
    model = Meeting
    serializer_class = s.MeetingDetailSerializer
    input_serializer_classes = {
        "create": s.MeetingCreateSerializer,
        "decisions": s.MeetingDecisionCreateSerializer,
        "decision_done": s.MeetingDecisionDoneSerializer,
    }

    def get_queryset(self):
        user = self.request.user
        queryset = selectors.meetings_for(user).select_related("owner", "host_unit")
        if self.action == "list":
            problems = (
                selectors.problems_for(user)
                .filter(meeting=OuterRef("pk"))
                .order_by()
                .values("meeting")
                .annotate(n=Count("pk"))
                .values("n")
            )
            decisions = Decision.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting")
            return queryset.annotate(
                problem_count=Coalesce(Subquery(problems, output_field=IntegerField()), 0),
                decision_count=Coalesce(
                    Subquery(decisions.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
                ),
                open_decision_count=Coalesce(
                    Subquery(
                        decisions.filter(done_on__isnull=True).annotate(n=Count("pk")).values("n"),
                        output_field=IntegerField(),
                    ),
                    0,
                ),
            ).order_by("-held_on", "-id")
        return queryset.prefetch_related(
            "companies",
            Prefetch("decisions", queryset=Decision.objects.select_related("owner_unit").order_by("id")),
            Prefetch("projects", queryset=Project.objects.visible_to(user).order_by("id"), to_attr="visible_projects"),
            Prefetch(
                "problems",
                queryset=selectors.problems_for(user)
                .select_related(*LIST_SELECT_RELATED)
                .with_refs(*LIST_REFS)
                .order_by("id"),
                to_attr="visible_problems",
            ),
        )

    def get_serializer_class(self):
        return s.MeetingSerializer if self.action == "list" else s.MeetingDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "meeting": getattr(self, "meeting", None)}

    def check_editable(self, obj):
        if not Meeting.objects.editable_by(self.request.user).filter(pk=obj.pk).exists():
            refuse(_("只有本市招商中心或会议主办单位可以登记议定事项。"))

    def create(self, request, *args, **kwargs):
        require_role(request.user, MEETING_ROLES, _("只有招商中心、县区或部门工作人员可以登记会议。"))
        return super().create(request, *args, **kwargs)

    def create_object(self, data):
        return services.create_meeting(actor=self.request.user, **data)

    @extend_schema(
        summary="登记议定事项",
        description="会议的议定事项，含责任单位、责任人和完成时限（不早于会议日期）。",
        request=s.MeetingDecisionCreateSerializer,
        responses={201: s.MeetingDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def decisions(self, request, *args, **kwargs):
        self.meeting = self.get_object()
        data = self.validated_input()
        services.add_decision(actor=request.user, meeting=self.meeting, **data)
        return self.respond(self.meeting, status.HTTP_201_CREATED)

    @extend_schema(
        summary="议定事项完成",
        description="标记本次会议的一项议定事项已完成（完成日期默认今天）。",
        request=s.MeetingDecisionDoneSerializer,
        responses=s.MeetingDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="decision-done", url_name="decision-done")
    def decision_done(self, request, *args, **kwargs):
        self.meeting = self.get_object()
        data = self.validated_input()
        services.complete_decision(actor=request.user, decision=data["decision"], done_on=data.get("done_on"))
        return self.respond(self.meeting)


# --- Categories ---------------------------------------------------------------------------------------------


def chosen_city(request, *, office=False):
    """The city whose categories the caller reads (any city they work in) or sets (one where they are office staff).

    `?city=<id>` picks one of them; one they do not work in is a 404.
    """
    cities = list(user_cities(request.user))
    if office:
        cities = [city for city in cities if services.is_office(request.user, city)]
        if not cities:
            refuse(_("只有本市招商中心可以设置问题类别。"))
    wanted = request.query_params.get("city")
    if not wanted:
        if not cities:
            raise Http404(NOT_FOUND_MESSAGE)
        return cities[0]
    for city in cities:
        if str(city.pk) == wanted:
            return city
    raise Http404(NOT_FOUND_MESSAGE)


CITY_PARAMETER = OpenApiParameter("city", OpenApiTypes.INT, description="城市ID（默认：本人所在的第一个城市）")


@extend_schema_view(
    list=extend_schema(
        summary="问题类别",
        description="本市（?city= 可选）的问题类别及办理时限（工作日）；首次使用时按默认类别生成。",
        parameters=[CITY_PARAMETER],
    ),
    retrieve=extend_schema(summary="问题类别详情"),
    create=extend_schema(
        summary="新增问题类别", description="仅本市招商中心；办理时限 1–90 个工作日。", parameters=[CITY_PARAMETER]
    ),
    partial_update=extend_schema(summary="修改问题类别", description="仅本市招商中心；编码不可修改。"),
)
class ProblemCategoryViewSet(ScopedModelViewSet):
    model = ProblemCategory
    serializer_class = s.ProblemCategorySerializer
    input_serializer_classes = {
        "create": s.ProblemCategoryCreateSerializer,
        "partial_update": s.ProblemCategoryUpdateSerializer,
    }

    def get_queryset(self):
        if self.action == "list":
            if not self.request.query_params.get("city") and not user_cities(self.request.user).exists():
                return ProblemCategory.objects.none()
            city = chosen_city(self.request)
            services.categories_for(city)  # the defaults, made the first time a city's categories are read
            return ProblemCategory.objects.filter(owner=city).select_related("owner").order_by("sort_order", "id")
        return city_categories(self.request)

    def get_object(self):
        try:
            category = self.get_queryset().get(pk=self.kwargs["pk"])
        except (ProblemCategory.DoesNotExist, ValueError, TypeError):
            raise Http404(NOT_FOUND_MESSAGE)
        if self.is_write() and not services.is_office(self.request.user, category.owner):
            refuse(_("只有本市招商中心可以设置问题类别。"))
        return category

    def create(self, request, *args, **kwargs):
        self.city = chosen_city(request, office=True)
        return super().create(request, *args, **kwargs)

    def create_object(self, data):
        return services.save_category(actor=self.request.user, owner=self.city, **data)

    def update_object(self, category, data):
        return services.save_category(
            actor=self.request.user,
            owner=category.owner,
            category=category,
            code=category.code,
            name=data.get("name", category.name),
            due_days=data.get("due_days", category.due_days),
            sort_order=data.get("sort_order", category.sort_order),
            active=data.get("active", category.active),
        )
