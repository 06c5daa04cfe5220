"""API shapes for projects, stage changes, "三个一批" rounds and their rates, and the counting rules.

Output serializers say what a record looks like to the requesting user: a project names its
source lead, its predecessor and its rounds only where the user may open them. Input
serializers only check the shape of a request body; every rule lives in projects.services.
Amounts are taken as typed (a number, "约5000万", "5亿元") and understood there, or refused
with the reason keyed by the field.
"""

import datetime
import re
from functools import reduce
from operator import or_

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chains.models import ChainSegment, IndustryChain
from core.api.fields import ChoiceLabelField
from core.api.viewsets import AmountField as TypedAmountField
from core.api.viewsets import InputSerializer, VisiblePrimaryKeyRelatedField, ref, text
from core.scope import scope_of
from enterprises.models import Company
from leads.models import Lead
from organizations.choices import UnitKind
from organizations.models import Unit, User
from outreach.api.serializers import AttachmentSerializer, CompanyBriefSerializer

from ..choices import (
    AmendmentKind,
    Batch,
    Duty,
    EvidenceKind,
    ProjectKind,
    RateBasis,
    RoundLevel,
    SigningForm,
    Stage,
)
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

AMOUNT_HELP = "万元；也可写“约5000万”“5亿元”"


def user_cities(user):
    """The cities a user works in (any role, at the city or below it, or above it for a province), in tree order."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    scope = scope_of(user)
    if not scope.by_role:
        return Unit.objects.none()
    return Unit.objects.filter(
        Q(pk__in=scope.ancestor_ids()) | scope.subtree_q("path"), kind=UnitKind.CITY, active=True
    ).order_by("path")


def person_name(user):
    return (user.name or user.username) if user is not None else ""


def days_between(start, end):
    return (end - start).days if start and end else None


# --- Output: projects ---------------------------------------------------------------------------


class ProjectSerializer(serializers.ModelSerializer):
    """A row of the project lists: what, where, how much, which stage (and whether it awaits a verifier)."""

    owner_name = serializers.CharField(source="owner.name", read_only=True)
    host_unit_name = serializers.CharField(source="host_unit.name", read_only=True)
    investors = CompanyBriefSerializer(many=True, read_only=True)
    kind_display = ChoiceLabelField("kind")
    stage_display = ChoiceLabelField("stage")
    verified_stage_display = ChoiceLabelField("verified_stage")
    pending = serializers.BooleanField(read_only=True, help_text="阶段变更尚待核验（核验后才计入统计）")
    chain_name = serializers.CharField(source="chain.name", read_only=True, default="")
    segment_name = serializers.CharField(source="segment.name", read_only=True, default="")
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True, default="")
    total_investment = serializers.DecimalField(
        max_digits=14, decimal_places=4, read_only=True, help_text="总投资（万元）"
    )
    fixed_investment = serializers.DecimalField(
        max_digits=14, decimal_places=4, read_only=True, help_text="其中固定资产投资（万元）"
    )
    completed_investment = serializers.DecimalField(
        max_digits=14, decimal_places=4, read_only=True, help_text="累计完成投资（万元）"
    )
    funds_arrived = serializers.DecimalField(
        max_digits=14, decimal_places=4, read_only=True, help_text="累计到位资金（万元）"
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "owner",
            "owner_name",
            "host_unit",
            "host_unit_name",
            "investors",
            "investor_names",
            "kind",
            "kind_display",
            "chain",
            "chain_name",
            "segment",
            "segment_name",
            "total_investment",
            "fixed_investment",
            "stage",
            "stage_display",
            "stage_date",
            "verified_stage",
            "verified_stage_display",
            "pending",
            "signed_on",
            "started_on",
            "producing_on",
            "at_capacity_on",
            "leader",
            "leader_name",
            "responsible_unit",
            "responsible_unit_name",
            "completed_investment",
            "funds_arrived",
            "last_progress_month",
            "progress_note",
            "in_library",
            "filed",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TeamMemberSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id", read_only=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = ProjectTeamMember
        fields = ["user", "name", "is_head"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_name(self, member):
        return person_name(member.user)


class DutySerializer(serializers.ModelSerializer):
    duty_display = ChoiceLabelField("duty")
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")

    class Meta:
        model = ProjectDuty
        fields = ["duty", "duty_display", "person_name", "unit", "unit_name"]
        read_only_fields = fields


class StageChangeSerializer(serializers.ModelSerializer):
    """One move: from, to, when it happened, who recorded it and why, its evidence files, the verifier's word."""

    project_name = serializers.CharField(source="project.name", read_only=True)
    host_unit_name = serializers.CharField(source="project.host_unit.name", read_only=True)
    from_stage_display = ChoiceLabelField("from_stage")
    to_stage_display = ChoiceLabelField("to_stage")
    evidence_kind_display = ChoiceLabelField("evidence_kind")
    verification_display = ChoiceLabelField("verification")
    actor_name = serializers.SerializerMethodField()
    verified_by_name = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)
    output_value = serializers.DecimalField(
        max_digits=14, decimal_places=4, read_only=True, help_text="实际年产值（万元，达效时填写）"
    )

    class Meta:
        model = StageChange
        fields = [
            "id",
            "project",
            "project_name",
            "host_unit_name",
            "from_stage",
            "from_stage_display",
            "to_stage",
            "to_stage_display",
            "happened_on",
            "reason",
            "evidence_kind",
            "evidence_kind_display",
            "output_value",
            "actor",
            "actor_name",
            "at",
            "verification",
            "verification_display",
            "verified_by",
            "verified_by_name",
            "verified_at",
            "verify_note",
            "attachments",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor_name(self, change):
        return person_name(change.actor)

    @extend_schema_field(OpenApiTypes.STR)
    def get_verified_by_name(self, change):
        return person_name(change.verified_by)


class ProjectStageChangeSerializer(StageChangeSerializer):
    """A move as listed on its project (the project's name is already there)."""

    class Meta(StageChangeSerializer.Meta):
        fields = [f for f in StageChangeSerializer.Meta.fields if f not in ("project_name", "host_unit_name")]
        read_only_fields = fields


class ProgressReportSerializer(serializers.ModelSerializer):
    reported_by_name = serializers.SerializerMethodField()
    funds_total = serializers.DecimalField(
        max_digits=15, decimal_places=4, read_only=True, help_text="本月到位资金合计（万元）"
    )

    class Meta:
        model = MonthlyProgress
        fields = [
            "id",
            "month",
            "completed_investment",
            "funds_fixed",
            "funds_non_fixed",
            "funds_total",
            "funds_outside_province",
            "funds_in_province",
            "progress",
            "problems",
            "reported_by",
            "reported_by_name",
            "reported_at",
            "due_on",
            "late",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_reported_by_name(self, report):
        return person_name(report.reported_by)


class AmendmentSerializer(serializers.ModelSerializer):
    kind_display = ChoiceLabelField("kind")
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = Amendment
        fields = ["id", "kind", "kind_display", "happened_on", "amount", "old_name", "note", "actor", "actor_name"]
        fields += ["at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor_name(self, amendment):
        return person_name(amendment.actor)


class ProjectRoundSerializer(serializers.ModelSerializer):
    """A round the project is listed in, under which batch and with which investment."""

    round = serializers.IntegerField(source="round_id", read_only=True)
    round_name = serializers.CharField(source="round.name", read_only=True)
    held_on = serializers.DateField(source="round.held_on", read_only=True)
    batch_display = ChoiceLabelField("batch")

    class Meta:
        model = RoundEntry
        fields = ["id", "round", "round_name", "held_on", "batch", "batch_display", "investment"]
        read_only_fields = fields


class AllowedMoveSerializer(serializers.Serializer):
    to = serializers.CharField(help_text="可变更至的阶段")
    label = serializers.CharField()
    needs_reason = serializers.BooleanField(help_text="须说明原因（退回、停建、终止）")


class CycleDaysSerializer(serializers.Serializer):
    contact_to_signing = serializers.IntegerField(allow_null=True, help_text="首次接洽至签约（天）")
    signing_to_start = serializers.IntegerField(allow_null=True, help_text="签约至开工（天）")
    signing_to_production = serializers.IntegerField(allow_null=True, help_text="签约至投产（天）")


class ProjectDetailSerializer(ProjectSerializer):
    """A project with its 包联 (leader, unit, service team), 四包, stage history with evidence and verification,
    monthly progress, amendments, the rounds it is in and its cycle times."""

    lead = serializers.SerializerMethodField(help_text="来源线索ID（仅当您可查看该线索时给出）")
    lead_name = serializers.SerializerMethodField()
    predecessor = serializers.SerializerMethodField(help_text="延续的项目ID（仅当您可查看时给出）")
    predecessor_name = serializers.SerializerMethodField()
    signing_form_display = ChoiceLabelField("signing_form")
    team = TeamMemberSerializer(many=True, read_only=True)
    duties = DutySerializer(many=True, read_only=True)
    stage_changes = ProjectStageChangeSerializer(many=True, read_only=True)
    progress_reports = ProgressReportSerializer(many=True, read_only=True)
    amendments = AmendmentSerializer(many=True, read_only=True)
    rounds = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)
    allowed_moves = serializers.SerializerMethodField()
    cycle_days = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "content",
            "land_mu",
            "expected_output",
            "expected_tax",
            "expected_jobs",
            "service_plan",
            "lead",
            "lead_name",
            "predecessor",
            "predecessor_name",
            "library_date",
            "filed_date",
            "first_contact_on",
            "signing_form",
            "signing_form_display",
            "expected_start",
            "expected_production",
            "note",
            "team",
            "duties",
            "allowed_moves",
            "stage_changes",
            "progress_reports",
            "amendments",
            "rounds",
            "attachments",
            "cycle_days",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_lead(self, project):
        return project.lead_id if getattr(project, "lead_visible", False) else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_lead_name(self, project):
        return project.lead.name if project.lead_id and getattr(project, "lead_visible", False) else ""

    @extend_schema_field(OpenApiTypes.INT)
    def get_predecessor(self, project):
        return project.predecessor_id if getattr(project, "predecessor_visible", False) else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_predecessor_name(self, project):
        if project.predecessor_id and getattr(project, "predecessor_visible", False):
            return project.predecessor.name
        return ""

    @extend_schema_field(ProjectRoundSerializer(many=True))
    def get_rounds(self, project):
        # Only the rounds the user may open (prefetched by the view); a service team need not see the round.
        entries = getattr(project, "visible_round_entries", [])
        return ProjectRoundSerializer(entries, many=True).data

    @extend_schema_field(AllowedMoveSerializer(many=True))
    def get_allowed_moves(self, project):
        from ..services import allowed_moves

        if project.pending:
            return []  # the pending move must be verified first
        return [
            {"to": stage.value, "label": str(stage.label), "needs_reason": needs}
            for stage, needs in allowed_moves(project).items()
        ]

    @extend_schema_field(CycleDaysSerializer)
    def get_cycle_days(self, project):
        # The same pairs selectors.cycle_days averages over many projects, here for one.
        return {
            "contact_to_signing": days_between(project.first_contact_on, project.signed_on),
            "signing_to_start": days_between(project.signed_on, project.started_on),
            "signing_to_production": days_between(project.signed_on, project.producing_on),
        }


# --- Output: rounds and rates ----------------------------------------------------------------------


class RoundSerializer(serializers.ModelSerializer):
    """A "三个一批" round: who held it, when, at which level, how many projects each batch lists."""

    owner_name = serializers.CharField(source="owner.name", read_only=True)
    host_unit_name = serializers.CharField(source="host_unit.name", read_only=True)
    level_display = ChoiceLabelField("level")
    signed_count = serializers.IntegerField(read_only=True, default=None, help_text="签约一批项目数")
    started_count = serializers.IntegerField(read_only=True, default=None, help_text="开工一批项目数")
    producing_count = serializers.IntegerField(read_only=True, default=None, help_text="投产一批项目数")

    class Meta:
        model = Round
        fields = [
            "id",
            "name",
            "held_on",
            "level",
            "level_display",
            "owner",
            "owner_name",
            "host_unit",
            "host_unit_name",
            "rate_decimals",
            "note",
            "signed_count",
            "started_count",
            "producing_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RoundEntrySerializer(serializers.ModelSerializer):
    """A project listed in a round, with where it stands now."""

    batch_display = ChoiceLabelField("batch")
    project_name = serializers.CharField(source="project.name", read_only=True)
    stage = serializers.CharField(source="project.stage", read_only=True, help_text="项目当前阶段")
    stage_display = serializers.CharField(source="project.get_stage_display", read_only=True)
    pending = serializers.BooleanField(source="project.pending", read_only=True)
    started_on = serializers.DateField(source="project.started_on", read_only=True)
    producing_on = serializers.DateField(source="project.producing_on", read_only=True)
    at_capacity_on = serializers.DateField(source="project.at_capacity_on", read_only=True)
    completed_investment = serializers.DecimalField(
        source="project.completed_investment", max_digits=14, decimal_places=4, read_only=True
    )

    class Meta:
        model = RoundEntry
        fields = [
            "id",
            "project",
            "project_name",
            "batch",
            "batch_display",
            "investment",
            "stage",
            "stage_display",
            "pending",
            "started_on",
            "producing_on",
            "at_capacity_on",
            "completed_investment",
        ]
        read_only_fields = fields


class BatchFigureSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="项目数（同一项目只计一次）")
    amount = serializers.DecimalField(max_digits=16, decimal_places=4, help_text="列入时总投资（万元）")


class BatchSummarySerializer(serializers.Serializer):
    signed = BatchFigureSerializer(help_text="签约一批")
    started = BatchFigureSerializer(help_text="开工一批")
    producing = BatchFigureSerializer(help_text="投产一批")


class RoundDetailSerializer(RoundSerializer):
    entries = RoundEntrySerializer(many=True, read_only=True)
    batches = serializers.SerializerMethodField()

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "batches", "entries"]
        read_only_fields = fields

    @extend_schema_field(BatchSummarySerializer)
    def get_batches(self, round_):
        from ..selectors import batch_summary

        return BatchSummarySerializer(batch_summary([round_])).data


class RateSerializer(serializers.Serializer):
    """One rate as the office publishes it, with the basis it is counted on and the list of projects behind it."""

    key = serializers.CharField()
    label = serializers.CharField()
    basis = serializers.ChoiceField(choices=RateBasis.choices)
    basis_label = serializers.CharField()
    numerator = serializers.DecimalField(max_digits=None, decimal_places=None)
    numerator_label = serializers.CharField()
    denominator = serializers.DecimalField(max_digits=None, decimal_places=None)
    denominator_label = serializers.CharField()
    value = serializers.DecimalField(
        max_digits=None, decimal_places=None, allow_null=True, help_text="百分数，全精度；分母为零时为空"
    )
    display = serializers.CharField(help_text="按公布口径取舍的百分数，如“96%”“71.7%”；分母为零时为“—”")
    decimals = serializers.IntegerField(help_text="公布的小数位数")
    link = serializers.SerializerMethodField(help_text="该数字背后的项目列表（页面）")
    api_link = serializers.SerializerMethodField(help_text="该数字背后的项目列表（接口，筛选同页面）")

    @extend_schema_field(OpenApiTypes.STR)
    def get_link(self, rate):
        return rate.link

    @extend_schema_field(OpenApiTypes.STR)
    def get_api_link(self, rate):
        if not rate.link_params:
            return ""
        return f"{reverse('projects_api:project-list')}?{urlencode(rate.link_params)}"


class RoundRatesSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    basis = serializers.ChoiceField(choices=RateBasis.choices)
    basis_label = serializers.CharField()
    rates = RateSerializer(many=True)
    batches = BatchSummarySerializer()


class SignedFiguresSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="计入统计的签约项目数")
    rates = RateSerializer(many=True, help_text="履约率、开工率（按个数），资金到位率、投资完成率（按金额）")


class PeriodRatesSerializer(serializers.Serializer):
    unit = serializers.IntegerField(allow_null=True)
    unit_name = serializers.CharField()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    basis = serializers.ChoiceField(choices=RateBasis.choices)
    basis_label = serializers.CharField()
    rounds = serializers.IntegerField(help_text="计入的活动场次")
    rates = RateSerializer(many=True)
    batches = BatchSummarySerializer()
    signed = SignedFiguresSerializer()


class ProjectSettingsSerializer(serializers.ModelSerializer):
    """A city's counting rules; a city that never changed them shows the defaults (id is then null)."""

    owner_name = serializers.CharField(source="owner.name", read_only=True)

    class Meta:
        model = ProjectSettings
        fields = ["id", "owner", "owner_name", "min_count_amount", "progress_due_day", "updated_at"]
        read_only_fields = fields


# --- Input ----------------------------------------------------------------------------------------


class AmountField(TypedAmountField):
    """An amount in 万元 as typed (projects.services.parse_money reads it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", AMOUNT_HELP)
        super().__init__(**kwargs)


@extend_schema_field({"type": "string", "example": "2024-05"})
class MonthField(serializers.Field):
    """A month: "2024-05" or any day of it ("2024-05-01"); the service takes its first day."""

    default_error_messages = {"invalid": _("月份格式错误，请填写如 2024-05。")}

    def to_internal_value(self, data):
        if isinstance(data, datetime.date):
            return data.replace(day=1)
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*", str(data))
        if not match:
            self.fail("invalid")
        try:
            return datetime.date(int(match[1]), int(match[2]), int(match[3] or 1)).replace(day=1)
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value):
        return f"{value:%Y-%m}"


class CityUnitField(serializers.PrimaryKeyRelatedField):
    """A unit of a city the user works in (a responsible unit may be a department the county does not see).

    Whether it is of the project's own city the service checks.
    """

    default_error_messages = {
        "does_not_exist": _("编号为 {pk_value} 的单位不存在，或不在您所在的城市。"),
        "incorrect_type": _("请填写单位的编号（整数）。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Unit.objects.all())
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        cities = list(user_cities(getattr(request, "user", None)))
        if not cities:
            return Unit.objects.none()
        return Unit.objects.filter(reduce(or_, (Q(path__startswith=city.path) for city in cities)), active=True)


def files_field():
    return serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="附件（multipart 上传，可多个）：照片、PDF、Word、Excel 或 OFD",
    )


class ProjectUpdateSerializer(InputSerializer):
    name = serializers.CharField(max_length=200, required=False)
    host_unit = ref(Unit, help_text="落地县（市、区）或开发区ID（限本市）")
    investors = VisiblePrimaryKeyRelatedField(Company, many=True, required=False, help_text="投资方企业ID列表")
    investor_names = serializers.ListField(
        child=serializers.CharField(max_length=200, allow_blank=True),
        required=False,
        help_text="投资方名称列表：库中没有时自动加入目标企业库",
    )
    kind = serializers.ChoiceField(choices=ProjectKind.choices, required=False)
    content = text()
    total_investment = AmountField(help_text=f"总投资，{AMOUNT_HELP}")
    fixed_investment = AmountField(help_text=f"其中固定资产投资，{AMOUNT_HELP}")
    land_mu = AmountField(help_text="用地（亩）")
    expected_output = AmountField(help_text=f"预计年产值，{AMOUNT_HELP}")
    expected_tax = AmountField(help_text=f"预计年税收，{AMOUNT_HELP}")
    expected_jobs = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    chain = ref(IndustryChain)
    segment = ref(ChainSegment)
    service_plan = text(help_text="服务方案（一项目一清单一方案）")
    first_contact_on = serializers.DateField(required=False, allow_null=True)
    signing_form = serializers.ChoiceField(choices=SigningForm.choices, required=False, allow_blank=True)
    expected_start = serializers.DateField(required=False, allow_null=True)
    expected_production = serializers.DateField(required=False, allow_null=True)
    progress_note = text(500)
    note = text()
    files = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="附件（multipart 上传，可多个）"
    )


class ProjectCreateSerializer(ProjectUpdateSerializer):
    name = serializers.CharField(max_length=200)
    host_unit = VisiblePrimaryKeyRelatedField(Unit, help_text="落地县（市、区）或开发区ID")
    stage = serializers.ChoiceField(
        choices=Stage.choices, required=False, help_text="起始阶段：planned 谋划/储备（默认）或 negotiating 在谈"
    )
    predecessor = ref(Project, help_text="延续的项目ID（更名或重新签约，不计为新项目）")
    progress_note = None  # set from the monthly reports, not when entering


class FromLeadSerializer(InputSerializer):
    lead = VisiblePrimaryKeyRelatedField(Lead, help_text="已接收跟进的线索ID")
    name = serializers.CharField(max_length=200, required=False, help_text="项目名称（默认：线索名称）")
    host_unit = ref(Unit, help_text="落地单位ID（默认：接收线索的县区或开发区）")
    kind = serializers.ChoiceField(choices=ProjectKind.choices, required=False)
    total_investment = AmountField(help_text=f"总投资（默认：线索拟投资额），{AMOUNT_HELP}")
    fixed_investment = AmountField(help_text=f"其中固定资产投资，{AMOUNT_HELP}")
    land_mu = AmountField(help_text="用地（亩）")
    signing_form = serializers.ChoiceField(choices=SigningForm.choices, required=False, allow_blank=True)
    expected_start = serializers.DateField(required=False, allow_null=True)
    expected_production = serializers.DateField(required=False, allow_null=True)
    service_plan = text()
    note = text()


class AdvanceSerializer(InputSerializer):
    to = serializers.ChoiceField(choices=Stage.choices, help_text="变更至的阶段")
    happened_on = serializers.DateField(help_text="发生日期（签约日、开工日……）")
    reason = text(help_text="原因/说明：退回、停建、终止须填写")
    evidence_kind = serializers.ChoiceField(
        choices=EvidenceKind.choices, required=False, allow_blank=True, default="", help_text="佐证材料类型"
    )
    output_value = AmountField(help_text=f"实际年产值（达效时必填），{AMOUNT_HELP}")
    files = files_field()


class EvidenceSerializer(InputSerializer):
    evidence_kind = serializers.ChoiceField(choices=EvidenceKind.choices, help_text="佐证材料类型")
    files = files_field()


class VerifySerializer(InputSerializer):
    confirm = serializers.BooleanField(help_text="true 确认佐证材料，阶段计入统计；false 退回，阶段恢复")
    note = text(help_text="核验意见；退回须说明原因")


class AssignmentSerializer(InputSerializer):
    """Fields not given keep their current value."""

    leader = ref(User, help_text="包联领导（人员ID）")
    leader_name = text(100, help_text="包联领导姓名（系统外人员时填写）")
    responsible_unit = CityUnitField(help_text="责任单位ID（本市单位）")
    team = VisiblePrimaryKeyRelatedField(User, many=True, required=False, help_text="服务专班成员ID列表")
    head = ref(User, help_text="专班负责人（须为专班成员）")


class DutyInputSerializer(serializers.Serializer):
    duty = serializers.ChoiceField(choices=Duty.choices)
    person_name = text(100, help_text="负责人；留空即取消该项职责")
    unit = CityUnitField(help_text="单位ID（本市单位）")


class DutiesSerializer(InputSerializer):
    duties = DutyInputSerializer(many=True, help_text="四包职责：每项给出负责人和单位；未列出的职责不变")


class ProgressSerializer(InputSerializer):
    month = MonthField(help_text="月份，如 2024-05")
    completed_investment = AmountField(
        required=True, allow_null=False, allow_blank=False, help_text=f"截至本月累计完成投资，{AMOUNT_HELP}"
    )
    progress = serializers.CharField(help_text="进展情况")
    funds_fixed = AmountField(help_text=f"本月到位资金：固定资产投资，{AMOUNT_HELP}")
    funds_non_fixed = AmountField(help_text=f"本月到位资金：非固定资产投资，{AMOUNT_HELP}")
    funds_outside_province = AmountField(help_text=f"其中省外资金，{AMOUNT_HELP}")
    funds_in_province = AmountField(help_text=f"其中省内市外资金，{AMOUNT_HELP}")
    problems = text(help_text="存在问题")


class AmendSerializer(InputSerializer):
    kind = serializers.ChoiceField(
        choices=AmendmentKind.choices, help_text="capital_increase 增资；rename 更名；resign 重新签约"
    )
    happened_on = serializers.DateField()
    amount = AmountField(help_text=f"增资金额（增资时必填），{AMOUNT_HELP}")
    new_name = text(200, help_text="新名称（更名时必填）")
    note = text()


class LibrarySerializer(InputSerializer):
    in_library = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="入库")
    library_date = serializers.DateField(required=False, allow_null=True, default=None)
    filed = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="备案")
    filed_date = serializers.DateField(required=False, allow_null=True, default=None)


class RoundCreateSerializer(InputSerializer):
    host_unit = VisiblePrimaryKeyRelatedField(Unit, help_text="举办单位：县（市、区）或开发区ID")
    name = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    level = serializers.ChoiceField(choices=RoundLevel.choices, required=False, default=RoundLevel.PROVINCE)
    rate_decimals = serializers.IntegerField(
        required=False, default=1, help_text="比率公布的小数位数（0、1 或 2：古县 96%，阳城 71.7%）"
    )
    note = text(default="")


class RoundEntryCreateSerializer(InputSerializer):
    project = VisiblePrimaryKeyRelatedField(Project, help_text="项目ID")
    batch = serializers.ChoiceField(
        choices=Batch.choices, help_text="signed 签约一批；started 开工一批；producing 投产一批"
    )
    investment = AmountField(help_text=f"列入时总投资（默认：项目总投资），{AMOUNT_HELP}")


class RatesQuerySerializer(serializers.Serializer):
    basis = serializers.ChoiceField(
        choices=RateBasis.choices, required=False, default=RateBasis.AMOUNT, help_text="amount 按投资额；count 按个数"
    )


class PeriodRatesQuerySerializer(RatesQuerySerializer):
    unit = VisiblePrimaryKeyRelatedField(
        Unit, required=False, allow_null=True, help_text="举办单位（县区、开发区或城市）ID，含下级"
    )
    start = serializers.DateField(required=False, allow_null=True, help_text="活动日期起")
    end = serializers.DateField(required=False, allow_null=True, help_text="活动日期止")
    decimals = serializers.IntegerField(
        required=False, min_value=0, max_value=2, help_text="公布的小数位数；默认取这些活动共同的公布口径，否则 1"
    )

    def validate(self, attrs):
        start, end = attrs.get("start"), attrs.get("end")
        if start and end and start > end:
            raise serializers.ValidationError({"end": [_("结束日期不能早于开始日期。")]})
        return attrs


class ProjectSettingsUpdateSerializer(InputSerializer):
    min_count_amount = AmountField(
        allow_null=False, allow_blank=False, help_text=f"计入统计的最低总投资，{AMOUNT_HELP}（如“1亿”；0 即不设下限）"
    )
    progress_due_day = serializers.IntegerField(required=False, help_text="月度进展报送截止日（次月几日，1–28）")
