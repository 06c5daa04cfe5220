"""/api/v1/projects/, /stage-changes/, /project-rounds/ and /project-settings/: projects for integrators.

Thin views: the input serializer checks the shape, one service in projects.services makes the
change (and its audit record), the answer is the record read back in scope. Lists use the
page's FilterSet and cost a fixed number of queries per page.

A project, move or round out of the user's scope is a 404; one the user may see but not change
in that way is a 403 with the reason, given before the request body is looked at, by the
same predicates the services check (may_manage, may_work, may_verify).
"""

import django_filters
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
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
from core.scope import forget_scope, scope_of
from leads.models import Lead
from organizations.choices import Role, UnitKind

from .. import selectors, services
from ..choices import Batch, RateBasis, Stage, Verification
from ..filtersets import ProjectFilterSet
from ..models import (
    Amendment,
    MonthlyProgress,
    Project,
    ProjectDuty,
    ProjectSettings,
    ProjectTeamMember,
    Round,
    RoundEntry,
    StageChange,
)
from . import serializers as s

# Who may take each action on a project, as the service checks it, and the refusal it gives.
ACTION_RIGHTS = {
    "partial_update": (services.may_manage, gettext_lazy("只有本市招商中心或落地县区可以修改项目信息。")),
    "advance": (services.may_work, gettext_lazy("只有本市招商中心、落地县区、责任单位或服务专班可以变更项目阶段。")),
    "assignment": (services.may_manage, gettext_lazy("只有本市招商中心或落地县区可以安排项目包联。")),
    "duties": (services.may_manage, gettext_lazy("只有本市招商中心或落地县区可以安排四包职责。")),
    "progress": (services.may_work, gettext_lazy("只有服务专班、责任单位、落地县区或招商中心可以报送项目进展。")),
    "amend": (services.may_manage, gettext_lazy("只有本市招商中心或落地县区可以登记项目变更。")),
    "library": (services.may_manage, gettext_lazy("只有本市招商中心或落地县区可以办理入库和备案。")),
}
# Roles that enter projects and hold rounds (the service then checks for which county or zone).
ENTERING_ROLES = (Role.OFFICE_STAFF, Role.COUNTY_STAFF)
# Small reference tables, read beside the page (core.refs) rather than joined.
LIST_REFS = ("owner", "host_unit", "chain", "segment", "responsible_unit")
TRUE_VALUES = ("1", "true", "yes", "True")


def refuse(message):
    raise PermissionDenied(str(message))


def require_entering_role(user, message):
    if not scope_of(user).has(*ENTERING_ROLES):
        refuse(message)


def project_action(input_serializer, summary, description="", code=200):
    """Schema for one POST action on a project: the answer is the project as the user now sees it."""
    return extend_schema(
        summary=summary,
        description=description,
        request=input_serializer,
        responses={code: s.ProjectDetailSerializer},
    )


def detail_queryset(queryset, user):
    """Everything the project page shows, fetched in a fixed number of queries."""
    return (
        queryset.select_related("lead", "predecessor")
        .with_refs(*LIST_REFS)
        .prefetch_related(
            "investors",
            "attachments",
            Prefetch("team", queryset=ProjectTeamMember.objects.select_related("user").order_by("-is_head", "id")),
            Prefetch("duties", queryset=ProjectDuty.objects.select_related("unit").order_by("duty")),
            Prefetch(
                "stage_changes",
                queryset=StageChange.objects.select_related("actor", "verified_by")
                .prefetch_related("attachments")
                .order_by("id"),
            ),
            Prefetch(
                "progress_reports", queryset=MonthlyProgress.objects.select_related("reported_by").order_by("-month")
            ),
            Prefetch("amendments", queryset=Amendment.objects.select_related("actor").order_by("happened_on", "id")),
            Prefetch(
                "round_entries",
                queryset=RoundEntry.objects.filter(round__in=selectors.rounds_for(user))
                .select_related("round")
                .order_by("round__held_on", "id"),
                to_attr="visible_round_entries",
            ),
        )
        .annotate(
            lead_visible=Exists(Lead.objects.visible_to(user).filter(pk=OuterRef("lead_id"))),
            predecessor_visible=Exists(Project.objects.visible_to(user).filter(pk=OuterRef("predecessor_id"))),
        )
    )


@extend_schema_view(
    list=extend_schema(
        summary="项目列表",
        description="当前用户可见的项目，最新的在前；筛选同项目列表页（单位、阶段、产业链、“三个一批”活动与批次、"
        "包联领导、金额区间、待核验、上月进展逾期等）。",
    ),
    retrieve=extend_schema(
        summary="项目详情",
        description="含包联（领导、责任单位、服务专班）、四包职责、阶段变更及其佐证材料和核验、月度进展、项目变更、"
        "所在“三个一批”活动和周期天数。",
    ),
    create=extend_schema(
        summary="录入项目",
        description="从“谋划/储备”或“在谈”开始；签约须作为阶段变更录入并上传合同。金额可写“约5000万”“5亿元”。",
    ),
    partial_update=extend_schema(summary="修改项目", description="本市招商中心或落地县区；阶段和累计数另有接口。"),
)
class ProjectViewSet(ScopedModelViewSet):
    model = Project
    serializer_class = s.ProjectDetailSerializer
    filterset_class = ProjectFilterSet
    input_serializer_classes = {
        "create": s.ProjectCreateSerializer,
        "partial_update": s.ProjectUpdateSerializer,
        "from_lead": s.FromLeadSerializer,
        "advance": s.AdvanceSerializer,
        "assignment": s.AssignmentSerializer,
        "duties": s.DutiesSerializer,
        "progress": s.ProgressSerializer,
        "amend": s.AmendSerializer,
        "library": s.LibrarySerializer,
    }

    def get_queryset(self):
        user = self.request.user
        queryset = selectors.projects_for(user)
        if self.action == "list":
            return queryset.with_refs(*LIST_REFS).prefetch_related("investors")
        return detail_queryset(queryset, user)

    def get_serializer_class(self):
        return s.ProjectSerializer if self.action == "list" else s.ProjectDetailSerializer

    def get_object(self):
        """The project from what the user may see (404); for a write, the service's own right to it (403)."""
        try:
            project = self.get_queryset().get(pk=self.kwargs["pk"])
        except (Project.DoesNotExist, ValueError, TypeError):
            raise Http404(NOT_FOUND_MESSAGE)
        if self.action in ACTION_RIGHTS:
            allowed, message = ACTION_RIGHTS[self.action]
            if not allowed(self.request.user, project):
                refuse(message)
        return project

    def create(self, request, *args, **kwargs):
        require_entering_role(request.user, _("只有招商中心或县区、开发区工作人员可以录入项目。"))
        return super().create(request, *args, **kwargs)

    def create_object(self, data):
        return services.create_project(actor=self.request.user, **data)

    def update_object(self, project, data):
        return services.update_project(actor=self.request.user, project=project, **data)

    def act(self, call, status_code=status.HTTP_200_OK):
        project = self.get_object()
        data = dict(self.validated_input())
        call(project, data)
        return self.respond(project, status_code)

    @project_action(
        s.FromLeadSerializer,
        "线索转为项目",
        "已接收跟进的线索转为“在谈”项目，投资方、建设内容、拟投资额和产业链随之带入；一条线索只能转为一个项目。",
        code=201,
    )
    @action(detail=False, methods=["post"], url_path="from-lead", url_name="from-lead")
    def from_lead(self, request, *args, **kwargs):
        require_entering_role(request.user, _("只有招商中心或县区、开发区工作人员可以将线索转为项目。"))
        data = dict(self.validated_input())
        project = services.create_project_from_lead(actor=request.user, **data)
        return self.respond(project, status.HTTP_201_CREATED)

    @project_action(
        s.AdvanceSerializer,
        "变更项目阶段",
        "按阶段流转表变更（不能跳过阶段；退回、停建、终止须说明原因）。签约、开工、投产、达效须上传佐证材料"
        "（multipart，字段 files），由记录人以外的核验员核验后才计入统计。",
        code=201,
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, *args, **kwargs):
        return self.act(
            lambda project, data: services.advance_stage(actor=request.user, project=project, **data),
            status.HTTP_201_CREATED,
        )

    @project_action(
        s.AssignmentSerializer,
        "安排项目包联",
        "包联领导、责任单位和服务专班（三级包联）；未给出的字段保持不变，team 给出时即为完整的专班名单。",
    )
    @action(detail=True, methods=["post"])
    def assignment(self, request, *args, **kwargs):
        def call(project, data):
            current_head = next((m.user for m in project.team.all() if m.is_head), None)
            team = data.get("team", [m.user for m in project.team.all()])
            head = data.get("head", current_head if current_head in team else None)
            services.set_assignment(
                actor=request.user,
                project=project,
                leader=data.get("leader", project.leader),
                leader_name=data.get("leader_name", "" if "leader" in data else project.leader_name),
                responsible_unit=data.get("responsible_unit", project.responsible_unit),
                team=team,
                head=head,
            )

        return self.act(call)

    @project_action(s.DutiesSerializer, "安排四包职责", "总投资 2 亿元及以上的项目：包协调、包服务、包落地、包投产。")
    @action(detail=True, methods=["post"])
    def duties(self, request, *args, **kwargs):
        def call(project, data):
            duties = {row["duty"]: (row.get("person_name", ""), row.get("unit")) for row in data["duties"]}
            services.set_duties(actor=request.user, project=project, duties=duties)

        return self.act(call)

    @project_action(
        s.ProgressSerializer,
        "报送月度进展",
        "累计完成投资、本月到位资金（固定资产/非固定资产，省外/省内市外）、进展和问题；同一月份再次报送即更正。",
        code=201,
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, *args, **kwargs):
        return self.act(
            lambda project, data: services.report_progress(actor=request.user, project=project, **data),
            status.HTTP_201_CREATED,
        )

    @project_action(s.AmendSerializer, "登记项目变更", "增资（只增加金额，不计为新项目）、更名或重新签约。", code=201)
    @action(detail=True, methods=["post"])
    def amend(self, request, *args, **kwargs):
        return self.act(
            lambda project, data: services.amend_project(actor=request.user, project=project, **data),
            status.HTTP_201_CREATED,
        )

    @project_action(s.LibrarySerializer, "入库与备案", "in_library / filed 给出 true 或 false，日期默认今天。")
    @action(detail=True, methods=["post"])
    def library(self, request, *args, **kwargs):
        return self.act(lambda project, data: services.set_library(actor=request.user, project=project, **data))


# --- Stage changes: the verifier's queue and the four-eyes confirmation -----------------------------------


class StageChangeFilterSet(django_filters.FilterSet):
    # A number, not a choice of projects: an id out of scope filters to nothing rather than saying it exists.
    project = django_filters.NumberFilter(field_name="project_id")
    verification = django_filters.ChoiceFilter(choices=Verification.choices)
    to_stage = django_filters.ChoiceFilter(choices=Stage.choices)

    class Meta:
        model = StageChange
        fields = ["project", "verification", "to_stage"]


@extend_schema_view(
    list=extend_schema(
        summary="阶段变更列表",
        description="当前用户可见项目的阶段变更，最新的在前。?pending=1：本人可核验的待核验变更（不含本人记录的），最早的在前。",
        parameters=[
            OpenApiParameter("pending", OpenApiTypes.BOOL, description="只列本人可核验的待核验变更"),
        ],
    ),
    retrieve=extend_schema(summary="阶段变更详情"),
)
class StageChangeViewSet(ScopedReadOnlyViewSet):
    model = StageChange
    serializer_class = s.StageChangeSerializer
    filterset_class = StageChangeFilterSet
    input_serializer_classes = {"verify": s.VerifySerializer, "evidence": s.EvidenceSerializer}

    def get_queryset(self):
        user = self.request.user
        if self.action == "list" and self.request.query_params.get("pending") in TRUE_VALUES:
            queryset = selectors.pending_changes_for(user)
        else:
            queryset = StageChange.objects.visible_to(user).order_by("-at", "-id")
        return queryset.select_related("project", "project__host_unit", "actor", "verified_by").prefetch_related(
            "attachments"
        )

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (StageChange.DoesNotExist, ValueError, TypeError):
            raise Http404(NOT_FOUND_MESSAGE)

    @extend_schema(
        summary="核验阶段变更",
        description="核验员确认佐证材料（阶段计入统计）或退回（阶段恢复，须说明原因）；记录人本人不能核验。",
        request=s.VerifySerializer,
        responses=s.StageChangeSerializer,
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, *args, **kwargs):
        change = self.get_object()
        if not services.may_verify(request.user, change.project):
            refuse(_("只有项目核验员可以核验阶段变更。"))
        data = self.validated_input()
        services.verify_stage(actor=request.user, change=change, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=change.pk)).data)

    @extend_schema(
        summary="补充佐证材料",
        description="为待核验、尚无佐证材料的阶段变更（如台账导入的签约）上传合同、许可证或照片（multipart）。",
        request={"multipart/form-data": s.EvidenceSerializer},
        responses=s.StageChangeSerializer,
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request, *args, **kwargs):
        change = self.get_object()
        project = change.project
        if not (services.may_work(request.user, project) or services.may_verify(request.user, project)):
            refuse(_("只有本市招商中心、落地县区、责任单位、服务专班或核验员可以补充佐证材料。"))
        data = self.validated_input()
        services.attach_stage_evidence(actor=request.user, change=change, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=change.pk)).data)


# --- Rounds (三个一批) and their rates -------------------------------------------------------------------------


class RoundFilterSet(django_filters.FilterSet):
    host_unit = django_filters.NumberFilter(field_name="host_unit_id")
    held_from = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_to = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Round
        fields = ["host_unit", "level", "held_from", "held_to"]


def serialize_rates(rates):
    return s.RateSerializer(rates, many=True).data


def query_input(request, serializer_class):
    serializer = serializer_class(data=request.query_params, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(summary="“三个一批”活动列表", description="本人可见的活动，最近的在前，含各批次项目数。"),
    retrieve=extend_schema(
        summary="“三个一批”活动详情", description="含列入的项目（批次、列入时投资、当前阶段）和各批次合计。"
    ),
    create=extend_schema(summary="登记“三个一批”活动", description="本市招商中心，或举办的县区、开发区。"),
)
class RoundViewSet(ServiceCreateMixin, ScopedReadOnlyViewSet):
    model = Round
    serializer_class = s.RoundDetailSerializer
    filterset_class = RoundFilterSet
    input_serializer_classes = {"create": s.RoundCreateSerializer, "entries": s.RoundEntryCreateSerializer}

    def get_queryset(self):
        queryset = selectors.rounds_for(self.request.user).select_related("owner", "host_unit")
        if self.action == "list":
            # Explicit order: a query with GROUP BY does not take the model's default ordering.
            return queryset.annotate(
                signed_count=Count("entries", filter=Q(entries__batch=Batch.SIGNED)),
                started_count=Count("entries", filter=Q(entries__batch=Batch.STARTED)),
                producing_count=Count("entries", filter=Q(entries__batch=Batch.PRODUCING)),
            ).order_by("-held_on", "-id")
        return queryset.prefetch_related(
            Prefetch("entries", queryset=RoundEntry.objects.select_related("project").order_by("batch", "id"))
        )

    def get_serializer_class(self):
        return s.RoundSerializer if self.action == "list" else s.RoundDetailSerializer

    def create(self, request, *args, **kwargs):
        require_entering_role(request.user, _("只有招商中心或县区、开发区工作人员可以登记“三个一批”活动。"))
        return super().create(request, *args, **kwargs)

    def create_object(self, data):
        return services.create_round(actor=self.request.user, **data)

    def get_object(self):
        # A write (listing a project, removing one) needs the round editable: its office or its host (403).
        try:
            found = self.get_queryset().get(pk=self.kwargs["pk"])
        except (Round.DoesNotExist, ValueError, TypeError):
            raise Http404(NOT_FOUND_MESSAGE)
        if self.is_write() and not Round.objects.editable_by(self.request.user).filter(pk=found.pk).exists():
            refuse(_("只有本市招商中心或举办的县区、开发区可以调整活动的项目。"))
        return found

    @extend_schema(
        summary="列入项目",
        description="将项目列入本次活动的一个批次（项目须已达到该批次的阶段，同一活动只能列入一次）。",
        request=s.RoundEntryCreateSerializer,
        responses={201: s.RoundDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def entries(self, request, *args, **kwargs):
        found = self.get_object()
        data = self.validated_input()
        services.add_to_round(actor=request.user, round=found, **data)
        return self.respond(found, status.HTTP_201_CREATED)

    @extend_schema(
        summary="移出项目",
        parameters=[OpenApiParameter("entry_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="列入记录ID")],
        request=None,
        responses={204: None},
    )
    @action(detail=True, methods=["delete"], url_path=r"entries/(?P<entry_id>[0-9]+)", url_name="entry")
    def remove_entry(self, request, *args, **kwargs):
        found = self.get_object()
        entry = RoundEntry.objects.select_related("round__host_unit").filter(round=found, pk=kwargs["entry_id"]).first()
        if entry is None:
            raise Http404(NOT_FOUND_MESSAGE)
        services.remove_from_round(actor=request.user, entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="活动比率",
        description="签约开工率、开工投产率、投产达效率，按投资额（默认）或按个数；每项给出分子、分母、全精度百分数、"
        "按本次活动公布口径取舍的数字和背后的项目列表。",
        parameters=[s.RatesQuerySerializer],
        responses=s.RoundRatesSerializer,
    )
    @action(detail=True, methods=["get"])
    def rates(self, request, *args, **kwargs):
        found = self.get_object()
        basis = RateBasis(query_input(request, s.RatesQuerySerializer)["basis"])
        rates = selectors.round_rates([found], basis, decimals=found.rate_decimals, rounds_filter={"round": found.pk})
        return Response(
            {
                "round": found.pk,
                "basis": basis.value,
                "basis_label": str(basis.label),
                "rates": serialize_rates(rates),
                "batches": s.BatchSummarySerializer(selectors.batch_summary([found])).data,
            }
        )

    @extend_schema(
        summary="时段比率",
        description="某单位（含下级）在一段时间内各场活动合计的比率（同一项目在同一批次只计一次），以及该时段内签约、"
        "计入统计的项目的履约率、开工率、资金到位率和投资完成率。",
        parameters=[s.PeriodRatesQuerySerializer],
        responses=s.PeriodRatesSerializer,
    )
    @action(detail=False, methods=["get"], url_path="period-rates", url_name="period-rates")
    def period_rates(self, request, *args, **kwargs):
        query = query_input(request, s.PeriodRatesQuerySerializer)
        unit, start, end = query.get("unit"), query.get("start"), query.get("end")
        basis = RateBasis(query["basis"])
        rounds = selectors.rounds_in(request.user, unit=unit, start=start, end=end)
        rounds_filter = {}
        if unit is not None:
            rounds_filter["round_host"] = unit.pk
        if start:
            rounds_filter["round_from"] = start.isoformat()
        if end:
            rounds_filter["round_to"] = end.isoformat()
        decimals = query.get("decimals")
        if decimals is None:
            decimals = selectors.published_decimals(rounds)
        rates = selectors.round_rates(rounds, basis, decimals=decimals, rounds_filter=rounds_filter)
        signed = self.signed_in_period(request.user, unit, start, end)
        signed_rates = selectors.signed_rates(signed)
        for rate in signed_rates:
            rate.decimals = decimals
            rate.link_params = self.signed_link_params(unit, start, end, signed_min_amount(request.user, unit))
        return Response(
            {
                "unit": unit.pk if unit is not None else None,
                "unit_name": unit.name if unit is not None else "",
                "start": start.isoformat() if start else None,
                "end": end.isoformat() if end else None,
                "basis": basis.value,
                "basis_label": str(basis.label),
                "rounds": rounds.count(),
                "rates": serialize_rates(rates),
                "batches": s.BatchSummarySerializer(selectors.batch_summary(rounds)).data,
                "signed": {"count": signed.count(), "rates": serialize_rates(signed_rates)},
            }
        )

    @staticmethod
    def signed_in_period(user, unit, start, end):
        """The counted projects (统计口径: first signing, confirmed, at least the minimum) signed in the period."""
        projects = selectors.projects_for(user).counted(signed_min_amount(user, unit))
        if unit is not None:
            projects = projects.filter(host_unit__path__startswith=unit.path)
        if start:
            projects = projects.filter(signed_on__gte=start)
        if end:
            projects = projects.filter(signed_on__lte=end)
        return projects

    @staticmethod
    def signed_link_params(unit, start, end, min_amount):
        params = {"reached": "signed", "first_signing": "true"}
        if unit is not None:
            params["unit"] = unit.pk
        if start:
            params["signed_from"] = start.isoformat()
        if end:
            params["signed_to"] = end.isoformat()
        if min_amount:
            params["amount_min"] = f"{min_amount.normalize():f}"
        return params


def signed_min_amount(user, unit):
    """The minimum amount a project must have to count, by the rules of the unit's city (or the user's)."""
    city = None
    if unit is not None:
        city = unit if unit.kind == UnitKind.CITY else services.city_of(unit)
    if city is None:
        city = s.user_cities(user).first()
    if city is None:
        return 0
    stored = ProjectSettings.objects.filter(owner=city).first()
    return stored.min_count_amount if stored else 0


# --- The counting rules (统计口径) --------------------------------------------------------------------------


def settings_city(request, *, office=False):
    """The city whose rules the caller reads (any city they work in) or sets (one where they are office staff).

    `?city=<id>` picks one of them; one they do not work in is a 404.
    """
    cities = list(s.user_cities(request.user))
    if office:
        paths = scope_of(request.user).paths(Role.OFFICE_STAFF)
        cities = [c for c in cities if any(c.path.startswith(p) for p in paths)]
        if not cities:
            refuse(_("只有本市招商中心可以设置项目统计口径。"))
    wanted = request.query_params.get("city")
    if not wanted:
        if not cities:
            raise Http404(NOT_FOUND_MESSAGE)
        return cities[0]
    for city in cities:
        if str(city.pk) == wanted:
            return city
    raise Http404(NOT_FOUND_MESSAGE)


@extend_schema_view(
    retrieve=extend_schema(
        summary="项目统计口径",
        description="本市（?city= 可选）计入统计的最低总投资和月度进展报送截止日；"
        "从未修改过的城市显示默认值（id 为空）。",
        parameters=[OpenApiParameter("city", OpenApiTypes.INT, description="城市ID（默认：本人所在的第一个城市）")],
    ),
    partial_update=extend_schema(
        summary="修改项目统计口径",
        description="仅本市招商中心。min_count_amount 可写“1亿”；progress_due_day 为 1–28。",
        parameters=[
            OpenApiParameter("city", OpenApiTypes.INT, description="城市ID（默认：本人任招商中心的第一个城市）")
        ],
    ),
)
class ProjectSettingsViewSet(ScopedViewSet):
    """One city's counting rules: read by everyone working in it, set by its office only (others 403)."""

    model = ProjectSettings
    serializer_class = s.ProjectSettingsSerializer
    input_serializer_classes = {"partial_update": s.ProjectSettingsUpdateSerializer}
    pagination_class = None

    def get_queryset(self):
        return ProjectSettings.objects.filter(owner__in=s.user_cities(self.request.user))

    def retrieve(self, request, *args, **kwargs):
        city = settings_city(request)
        found = ProjectSettings.objects.filter(owner=city).select_related("owner").first()
        return Response(self.get_serializer(found or ProjectSettings(owner=city)).data)

    def partial_update(self, request, *args, **kwargs):
        city = settings_city(request, office=True)
        data = self.validated_input(partial=True)
        found = services.update_project_settings(actor=request.user, owner=city, **data)
        forget_scope(request.user)
        return Response(self.get_serializer(found).data)
