"""API shapes for problems (问题/诉求), their figures, meetings and the city's problem categories.

Output serializers say what a record looks like to the requesting user: a complaint's phone
is shown whole only to the office of its city (core.masking elsewhere), a meeting lists only
the problems and projects the user may open. Input serializers only check the shape of a
request body; every rule lives in service.services, whose refusals come back keyed by field.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import ChoiceLabelField
from core.api.viewsets import InputSerializer, VisiblePrimaryKeyRelatedField, ref, text
from core.masking import mask_phone
from enterprises.models import Company
from organizations.models import Unit
from outreach.api.serializers import AttachmentSerializer, CompanyBriefSerializer
from projects.api.serializers import CityUnitField, files_field, person_name
from projects.models import Project

from .. import services
from ..choices import OPEN_STATUSES, MeetingKind, Satisfaction, Source, Urgency
from ..filtersets import city_categories
from ..models import Decision, Meeting, Problem, ProblemAssignment, ProblemCategory, ProblemEvent


def viewer(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


# --- Output: problems -----------------------------------------------------------------------------


class ProblemSerializer(serializers.ModelSerializer):
    """A row of the problem lists: what, for whom, where it stands, who leads it, by when."""

    owner_name = serializers.CharField(source="owner.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    urgency_display = ChoiceLabelField("urgency")
    source_display = ChoiceLabelField("source")
    status_display = ChoiceLabelField("status")
    escalated_display = ChoiceLabelField("escalated")
    satisfaction_display = ChoiceLabelField("satisfaction", default="")
    project_name = serializers.CharField(source="project.name", read_only=True, default="")
    company_name = serializers.CharField(source="company.name", read_only=True, default="")
    raised_unit_name = serializers.CharField(source="raised_unit.name", read_only=True, default="")
    lead_department_name = serializers.CharField(source="lead_department.name", read_only=True, default="")
    contact_phone = serializers.SerializerMethodField(help_text="联系电话（仅本市招商中心可见全号，其他人为掩码）")
    overdue = serializers.SerializerMethodField(help_text="未办结且已过办理期限")

    class Meta:
        model = Problem
        fields = [
            "id",
            "number",
            "title",
            "owner",
            "owner_name",
            "category",
            "category_name",
            "urgency",
            "urgency_display",
            "source",
            "source_display",
            "status",
            "status_display",
            "project",
            "project_name",
            "company",
            "company_name",
            "meeting",
            "raised_on",
            "raised_unit",
            "raised_unit_name",
            "is_complaint",
            "contact_name",
            "contact_phone",
            "due_on",
            "overdue",
            "lead_department",
            "lead_department_name",
            "solved_at",
            "closed_at",
            "same_day",
            "on_time",
            "satisfaction",
            "satisfaction_display",
            "reopen_count",
            "escalated",
            "escalated_display",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_contact_phone(self, problem):
        user = viewer(self)
        if user is not None and services.is_office(user, problem.owner):
            return problem.contact_phone
        return mask_phone(problem.contact_phone)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, problem):
        return bool(problem.status in OPEN_STATUSES and problem.due_on and problem.due_on < timezone.localdate())


class ProblemAssignmentSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = ProblemAssignment
        fields = ["id", "department", "department_name", "is_lead", "accepted_at", "note"]
        read_only_fields = fields


class ProblemEventSerializer(serializers.ModelSerializer):
    kind_display = ChoiceLabelField("kind")
    actor_name = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")

    class Meta:
        model = ProblemEvent
        fields = ["id", "kind", "kind_display", "at", "actor", "actor_name", "unit", "unit_name", "note"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor_name(self, event):
        return person_name(event.actor)


class ProblemDetailSerializer(ProblemSerializer):
    """A problem with its description, answer, the departments it is assigned to, its timeline and files."""

    meeting_title = serializers.CharField(source="meeting.title", read_only=True, default="")
    raised_by_name = serializers.SerializerMethodField()
    assignments = ProblemAssignmentSerializer(many=True, read_only=True)
    events = ProblemEventSerializer(
        many=True, read_only=True, help_text="时间线：提出、交办、受理、答复、办结、确认、退回、督办"
    )
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(ProblemSerializer.Meta):
        fields = [
            *ProblemSerializer.Meta.fields,
            "description",
            "meeting_title",
            "raised_by",
            "raised_by_name",
            "assigned_at",
            "answer",
            "escalated_at",
            "assignments",
            "events",
            "attachments",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_raised_by_name(self, problem):
        return person_name(problem.raised_by)


# --- Output: figures -----------------------------------------------------------------------------------


class ProblemFigureLinksSerializer(serializers.Serializer):
    raised = serializers.CharField(help_text="提出的问题")
    solved = serializers.CharField(help_text="已办结（待确认或已确认）")
    on_time = serializers.CharField(help_text="按期办结")
    same_day = serializers.CharField(help_text="当日办结（日清日结）")
    reopened = serializers.CharField(help_text="曾退回重办")
    overdue = serializers.CharField(help_text="逾期未办结")


class ProblemFiguresSerializer(serializers.Serializer):
    raised = serializers.IntegerField(help_text="提出")
    solved = serializers.IntegerField(help_text="办结（含待确认）")
    on_time = serializers.IntegerField(help_text="按期办结")
    same_day = serializers.IntegerField(help_text="当日办结（日清日结）")
    reopened = serializers.IntegerField(help_text="曾退回重办")
    overdue = serializers.IntegerField(help_text="逾期未办结")
    satisfaction = serializers.FloatField(allow_null=True, help_text="平均满意度（5 非常满意 … 1 不满意）")
    on_time_share = serializers.FloatField(allow_null=True, help_text="按期办结率（%，占办结数）")
    same_day_share = serializers.FloatField(allow_null=True, help_text="日清日结率（%，占办结数）")
    link = serializers.CharField(help_text="这些问题的列表（接口）")
    links = ProblemFigureLinksSerializer(help_text="每个数字背后的问题列表（接口）")


class ProblemFigureRowSerializer(ProblemFiguresSerializer):
    key = serializers.IntegerField(allow_null=True, help_text="分组（部门、单位或类别）ID；空为未交办或企业投诉")
    name = serializers.CharField(allow_null=True)


class ProblemFiguresResponseSerializer(serializers.Serializer):
    unit = serializers.IntegerField(allow_null=True)
    unit_name = serializers.CharField()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    totals = ProblemFiguresSerializer()
    by_lead_department = ProblemFigureRowSerializer(many=True, help_text="按牵头部门")
    by_raised_unit = ProblemFigureRowSerializer(many=True, help_text="按提出单位")
    by_category = ProblemFigureRowSerializer(many=True, help_text="按问题类别")


SOLVED = (("status", "solved"), ("status", "closed"))
# The filters (service.filtersets.ProblemFilterSet) that list exactly the problems behind each figure.
FIGURE_FILTERS = {
    "raised": (),
    "solved": SOLVED,
    "on_time": (*SOLVED, ("on_time", "true")),
    "same_day": (*SOLVED, ("same_day", "true")),
    "reopened": (("reopened", "true"),),
    "overdue": (("overdue", "true"),),
}


def problem_list_link(params):
    """The API list of problems filtered by `params` (pairs: a key may repeat)."""
    url = reverse("service_api:problem-list")
    return f"{url}?{urlencode(list(params))}" if params else url


def with_links(row, params):
    """A figures row with a link to the list behind each of its numbers."""
    links = {name: problem_list_link([*params, *extra]) for name, extra in FIGURE_FILTERS.items()}
    return {**row, "link": links["raised"], "links": links}


# --- Output: meetings ------------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    host_unit_name = serializers.CharField(source="host_unit.name", read_only=True)
    kind_display = ChoiceLabelField("kind")
    problem_count = serializers.IntegerField(read_only=True, help_text="会上提出、您可查看的问题数")
    decision_count = serializers.IntegerField(read_only=True, help_text="议定事项数")
    open_decision_count = serializers.IntegerField(read_only=True, help_text="未完成的议定事项数")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "owner",
            "host_unit",
            "host_unit_name",
            "kind",
            "kind_display",
            "title",
            "held_on",
            "place",
            "problem_count",
            "decision_count",
            "open_decision_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MeetingDecisionSerializer(serializers.ModelSerializer):
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True, default="")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["id", "text", "owner_unit", "owner_unit_name", "owner_name", "due_on", "done_on", "overdue"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, decision):
        return bool(decision.done_on is None and decision.due_on and decision.due_on < timezone.localdate())


class MeetingProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class MeetingDetailSerializer(MeetingSerializer):
    """A meeting with its attendees, companies, projects, decisions and the problems raised at it."""

    attendees = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    companies = CompanyBriefSerializer(many=True, read_only=True)
    projects = serializers.SerializerMethodField(help_text="涉及项目（仅列您可查看的）")
    decisions = MeetingDecisionSerializer(many=True, read_only=True)
    problems = serializers.SerializerMethodField(help_text="会上提出的问题（仅列您可查看的）")

    class Meta(MeetingSerializer.Meta):
        fields = [
            *[f for f in MeetingSerializer.Meta.fields if not f.endswith("_count")],
            "attendees",
            "summary",
            "companies",
            "projects",
            "decisions",
            "problems",
        ]
        read_only_fields = fields

    @extend_schema_field(MeetingProjectSerializer(many=True))
    def get_projects(self, meeting):
        return MeetingProjectSerializer(getattr(meeting, "visible_projects", []), many=True).data

    @extend_schema_field(ProblemSerializer(many=True))
    def get_problems(self, meeting):
        return ProblemSerializer(getattr(meeting, "visible_problems", []), many=True, context=self.context).data


# --- Output: categories --------------------------------------------------------------------------------


class ProblemCategorySerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)

    class Meta:
        model = ProblemCategory
        fields = ["id", "owner", "owner_name", "code", "name", "due_days", "sort_order", "active"]
        read_only_fields = fields


# --- Input ----------------------------------------------------------------------------------------------


class CategoryField(serializers.PrimaryKeyRelatedField):
    """A problem category of a city the user works in (the service checks it is the problem's city's, in use)."""

    default_error_messages = {
        "does_not_exist": _("编号为 {pk_value} 的问题类别不存在，或不属于您所在的城市。"),
        "incorrect_type": _("请填写问题类别的编号（整数）。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", ProblemCategory.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        return city_categories(self.context.get("request"))


class ProblemCreateSerializer(InputSerializer):
    title = serializers.CharField(max_length=200, help_text="问题标题")
    description = serializers.CharField(help_text="问题描述")
    category = CategoryField(help_text="问题类别ID（本市在用的类别，见 /problem-categories/）")
    project = ref(Project, help_text="项目ID")
    company = ref(Company, help_text="企业ID")
    company_name = text(200, help_text="企业名称（库中没有时自动加入目标企业库）")
    source = serializers.ChoiceField(choices=Source.choices, required=False, default=Source.SERVICE_TEAM)
    meeting = ref(Meeting, help_text="提出问题的会议ID（给出时渠道为政企对接会议）")
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=Urgency.NORMAL)
    raised_on = serializers.DateField(required=False, allow_null=True, help_text="提出日期（默认今天）")
    files = files_field()


class ProblemAssignSerializer(InputSerializer):
    departments = CityUnitField(many=True, help_text="承办部门ID列表（本市职能部门；多个即有诉联办）")
    lead_department = CityUnitField(help_text="牵头部门ID（须为承办部门之一；默认第一个）")
    due_on = serializers.DateField(required=False, allow_null=True, help_text="办理期限（默认按类别的工作日计）")
    note = text(help_text="交办意见")


class ProblemAnswerSerializer(InputSerializer):
    answer = text(default="", help_text="办理答复（协办部门填写办理意见）")
    solved = serializers.BooleanField(required=False, default=False, help_text="true：牵头部门办结")


class ProblemConfirmSerializer(InputSerializer):
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices,
        help_text="满意度：5 非常满意；4 满意；3 基本满意；1 不满意",
        error_messages={
            "invalid_choice": _("请选择满意度：5 非常满意、4 满意、3 基本满意、1 不满意。"),
            "required": _("请选择满意度。"),
            "null": _("请选择满意度。"),
        },
    )
    note = text(help_text="评价")


class ProblemReopenSerializer(InputSerializer):
    reason = text(default="", help_text="退回重办的原因（必填）")


class MeetingCreateSerializer(InputSerializer):
    host_unit = VisiblePrimaryKeyRelatedField(Unit, help_text="主办单位ID：市、县（市、区）、开发区或部门")
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    place = text(200)
    attendees = text(help_text="参加人员")
    summary = text(help_text="会议纪要")
    companies = VisiblePrimaryKeyRelatedField(Company, many=True, required=False, help_text="参会企业ID列表")
    projects = VisiblePrimaryKeyRelatedField(Project, many=True, required=False, help_text="涉及项目ID列表")


# The decision's own field is called `text`, which would hide the helper inside its class body.
optional_text = text


class MeetingDecisionCreateSerializer(InputSerializer):
    text = optional_text(default="", help_text="议定事项（必填）")
    owner_unit = CityUnitField(help_text="责任单位ID（本市单位）")
    owner_name = optional_text(50, help_text="责任人")
    due_on = serializers.DateField(required=False, allow_null=True, help_text="完成时限（不早于会议日期）")


class MeetingDecisionField(serializers.PrimaryKeyRelatedField):
    """A decision of the meeting in the URL."""

    default_error_messages = {
        "does_not_exist": _("本次会议没有编号为 {pk_value} 的议定事项。"),
        "incorrect_type": _("请填写议定事项的编号（整数）。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Decision.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        meeting = self.context.get("meeting")
        if meeting is None:
            return Decision.objects.none()
        return Decision.objects.filter(meeting=meeting).select_related("meeting__host_unit", "meeting__owner")


class MeetingDecisionDoneSerializer(InputSerializer):
    decision = MeetingDecisionField(help_text="议定事项ID")
    done_on = serializers.DateField(required=False, allow_null=True, help_text="完成日期（默认今天）")


class ProblemCategoryCreateSerializer(InputSerializer):
    code = serializers.SlugField(max_length=32, help_text="编码（字母、数字、下划线或连字符）")
    name = serializers.CharField(max_length=50)
    due_days = serializers.IntegerField(help_text="办理时限（工作日，1–90）")
    sort_order = serializers.IntegerField(required=False, default=0, min_value=0, max_value=32767)
    active = serializers.BooleanField(required=False, default=True)


class ProblemCategoryUpdateSerializer(InputSerializer):
    name = serializers.CharField(max_length=50, required=False)
    due_days = serializers.IntegerField(required=False, help_text="办理时限（工作日，1–90）")
    sort_order = serializers.IntegerField(required=False, min_value=0, max_value=32767)
    active = serializers.BooleanField(required=False)


class ProblemFiguresQuerySerializer(serializers.Serializer):
    unit = VisiblePrimaryKeyRelatedField(
        Unit, required=False, allow_null=True, help_text="县（市、区）、开发区或部门ID：其提出的或落地于其的项目的问题"
    )
    start = serializers.DateField(required=False, allow_null=True, help_text="提出日期起")
    end = serializers.DateField(required=False, allow_null=True, help_text="提出日期止")

    def validate(self, attrs):
        start, end = attrs.get("start"), attrs.get("end")
        if start and end and start > end:
            raise serializers.ValidationError({"end": [_("结束日期不能早于开始日期。")]})
        return attrs
