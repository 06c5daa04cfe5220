"""Projects (项目) from planning to full output, with their 包联 trio, evidence, monthly progress and rounds.

A project belongs to a city (its owner, whose office oversees it) and is hosted by a county
or zone. It is read by the city's office and leaders, by the host county or zone, by its
responsible unit, its 包联 leader and service team, and by the team whose lead it came from
(domain.md §7). Stage moves are StageChange records: who, when, the date it happened, the
evidence, and — for 签约 and beyond — the verifier who confirmed it. Only confirmed moves
set the dated fields the figures read (signed_on, started_on …).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopedQuerySet
from organizations.choices import Role

from .choices import (
    AmendmentKind,
    Batch,
    Duty,
    EvidenceKind,
    ProjectKind,
    RoundLevel,
    SigningForm,
    Stage,
    Verification,
)

READER_ROLES = (Role.OFFICE_STAFF, Role.LEADER, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.VERIFIER)
WORKER_ROLES = (Role.COUNTY_STAFF, Role.DEPARTMENT_STAFF)


def amount_field(label, **kwargs):
    return models.DecimalField(
        label, max_digits=14, decimal_places=4, null=True, blank=True, validators=[MinValueValidator(0)], **kwargs
    )


class ProjectSettings(TimeStampedModel):
    """A city office's counting rules (统计口径) and the monthly report deadline."""

    owner = models.OneToOneField(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.CASCADE, related_name="project_settings"
    )
    min_count_amount = models.DecimalField(
        _("计入统计的最低总投资（万元）"),
        max_digits=14,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("低于此金额的签约项目不计入项目个数和金额，例如 10000 即 1 亿元。"),
    )
    progress_due_day = models.PositiveSmallIntegerField(
        _("月度进展报送截止日（次月几日）"), default=5, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )

    class Meta:
        verbose_name = _("项目统计口径")
        verbose_name_plural = _("项目统计口径")

    def __str__(self):
        return str(self.owner)


class ProjectQuerySet(ScopedQuerySet):
    def visibility_q(self, scope):
        rest = scope.beyond(*READER_ROLES)  # where the owner branch already covers a city, nothing more to OR
        return (
            scope.subtree_q("owner__path", *READER_ROLES)
            | rest.subtree_q("host_unit__path")
            | rest.subtree_q("responsible_unit__path")
            | rest.subtree_q("lead__reporting_unit__path")
            | scope.projects_q("pk")  # led (包联) or served (服务专班) by the user
        )

    def editability_q(self, scope):
        # Which change each may make (stages, 包联, progress) the services decide.
        user_id = scope.user.pk if scope.user is not None else None
        return (
            scope.subtree_q("owner__path", Role.OFFICE_STAFF)
            | scope.subtree_q("host_unit__path", Role.COUNTY_STAFF)
            | scope.subtree_q("responsible_unit__path", *WORKER_ROLES)
            | Q(pk__in=ProjectTeamMember.objects.filter(user_id=user_id).values("project_id"))
        )

    def counted(self, min_amount=0):
        """Projects that count in the figures (统计口径): a first signing, confirmed, of at least the minimum.

        A re-signed or renamed project points at the one it continues (`predecessor`) and is not new.
        """
        return self.filter(signed_on__isnull=False, predecessor__isnull=True, total_investment__gte=min_amount)


class Project(TimeStampedModel):
    """One investment project: one row of 《签约项目台账》 once signed, and its life to full output."""

    owner = models.ForeignKey(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.PROTECT, related_name="+"
    )
    host_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("落地县（市、区）/开发区"),
        on_delete=models.PROTECT,
        related_name="hosted_projects",
    )
    name = models.CharField(_("项目名称"), max_length=200)
    investors = models.ManyToManyField("enterprises.Company", verbose_name=_("投资方"), related_name="projects")
    investor_names = models.CharField(_("投资方"), max_length=300, blank=True, editable=False)
    chain = models.ForeignKey(
        "chains.IndustryChain",
        verbose_name=_("所属产业链"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    segment = models.ForeignKey(
        "chains.ChainSegment",
        verbose_name=_("产业链环节"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("项目类别"), max_length=16, choices=ProjectKind.choices, default=ProjectKind.INDUSTRIAL)
    content = models.TextField(_("建设内容"), blank=True)
    total_investment = amount_field(_("总投资（万元）"))
    fixed_investment = amount_field(_("其中固定资产投资（万元）"))
    land_mu = models.DecimalField(
        _("用地（亩）"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    expected_output = amount_field(_("预计年产值（万元）"))
    expected_tax = amount_field(_("预计年税收（万元）"))
    expected_jobs = models.PositiveIntegerField(_("预计带动就业（人）"), null=True, blank=True)
    lead = models.OneToOneField(
        "leads.Lead",
        verbose_name=_("来源线索"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project",
    )
    service_plan = models.TextField(_("服务方案（一项目一清单一方案）"), blank=True)
    in_library = models.BooleanField(_("已入库"), default=False)
    library_date = models.DateField(_("入库日期"), null=True, blank=True)
    filed = models.BooleanField(_("已备案"), default=False)
    filed_date = models.DateField(_("备案日期"), null=True, blank=True)

    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices, default=Stage.PLANNED)
    stage_date = models.DateField(_("进入本阶段日期"), null=True, blank=True)
    # The stage the figures read: the last one a verifier confirmed (or that needs no verifier).
    verified_stage = models.CharField(
        _("已核验阶段"), max_length=16, choices=Stage.choices, default=Stage.PLANNED, editable=False
    )
    # 停建: the stage the project stopped at, to which it resumes.
    suspended_from = models.CharField(max_length=16, choices=Stage.choices, blank=True, editable=False)
    first_contact_on = models.DateField(_("首次接洽日期"), null=True, blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True, editable=False)
    started_on = models.DateField(_("开工日期"), null=True, blank=True, editable=False)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True, editable=False)
    at_capacity_on = models.DateField(_("达效日期"), null=True, blank=True, editable=False)
    signing_form = models.CharField(_("签约形式"), max_length=16, choices=SigningForm.choices, blank=True)
    expected_start = models.DateField(_("预计开工时间"), null=True, blank=True)
    expected_production = models.DateField(_("预计投产时间"), null=True, blank=True)

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包联领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_projects",
    )
    leader_name = models.CharField(_("包联领导"), max_length=100, blank=True)
    responsible_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_projects",
    )
    # Cumulative figures, kept from the monthly reports so lists and rates read one row.
    completed_investment = models.DecimalField(_("累计完成投资（万元）"), max_digits=14, decimal_places=4, default=0)
    funds_arrived = models.DecimalField(_("累计到位资金（万元）"), max_digits=14, decimal_places=4, default=0)
    last_progress_month = models.DateField(_("最近进展月份"), null=True, blank=True, editable=False)
    progress_note = models.CharField(_("目前进展"), max_length=500, blank=True)
    note = models.TextField(_("备注"), blank=True)

    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("延续的项目（更名或重新签约）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Host, normalised name: the same project typed twice or imported again.
    dedupe_key = models.CharField(max_length=40, editable=False)
    attachments = GenericRelation("core.Attachment")

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["host_unit", "dedupe_key"], name="project_unique_key"),
            models.CheckConstraint(
                condition=Q(fixed_investment__isnull=True)
                | Q(total_investment__isnull=True)
                | Q(fixed_investment__lte=models.F("total_investment")),
                name="project_fixed_within_total",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "stage"], name="project_owner_stage_idx"),
            models.Index(fields=["host_unit", "stage"], name="project_host_stage_idx"),
            models.Index(fields=["owner", "signed_on"], name="project_signed_idx"),
            models.Index(fields=["responsible_unit"], name="project_resp_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    @property
    def pending(self):
        return self.stage != self.verified_stage


class ProjectTeamMember(models.Model):
    """A person of the project's service team (服务专班); they report its progress and see its problems."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_teams")
    is_head = models.BooleanField(_("专班负责人"), default=False)

    class Meta:
        verbose_name = _("服务专班成员")
        verbose_name_plural = _("服务专班成员")
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="project_team_unique")]
        indexes = [models.Index(fields=["user", "project"], name="project_team_user_idx")]

    def __str__(self):
        return f"{self.project} · {self.user}"


class ProjectDuty(models.Model):
    """One of the "四包" duties of a project ≥ 2亿 (seed 003): who holds it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="duties")
    duty = models.CharField(_("职责"), max_length=16, choices=Duty.choices)
    person_name = models.CharField(_("负责人"), max_length=100)
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("四包职责")
        verbose_name_plural = _("四包职责")
        constraints = [models.UniqueConstraint(fields=["project", "duty"], name="project_duty_unique")]

    def __str__(self):
        return f"{self.get_duty_display()} · {self.person_name}"


class StageChangeQuerySet(ScopedQuerySet):
    """A move is seen by those who see its project (its evidence files are served to them alone)."""

    def visibility_q(self, scope):
        return Q(project__in=Project.objects.filter(Project.objects.none().visibility_q(scope)).values("pk"))

    def editability_q(self, scope):
        # Who may record or verify a move the services decide (may_work, may_verify).
        return Q(project__in=Project.objects.filter(Project.objects.none().editability_q(scope)).values("pk"))


class StageChange(models.Model):
    """One move of a project's stage: from, to, the date it happened, who recorded it, why, the evidence,
    and for 签约 and beyond the verifier's confirmation (four eyes)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("原阶段"), max_length=16, choices=Stage.choices)
    to_stage = models.CharField(_("新阶段"), max_length=16, choices=Stage.choices)
    happened_on = models.DateField(_("发生日期"))
    reason = models.TextField(_("原因/说明"), blank=True)
    evidence_kind = models.CharField(_("佐证材料类型"), max_length=16, choices=EvidenceKind.choices, blank=True)
    output_value = amount_field(_("实际年产值（万元）"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    verification = models.CharField(
        _("核验"), max_length=12, choices=Verification.choices, default=Verification.NOT_NEEDED
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("核验人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    verify_note = models.TextField(_("核验意见"), blank=True)
    attachments = GenericRelation("core.Attachment")

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")
        ordering = ["project", "id"]
        indexes = [models.Index(fields=["verification", "project"], name="stage_change_verif_idx")]

    def __str__(self):
        return f"{self.project} · {self.get_from_stage_display()} → {self.get_to_stage_display()}"


class Amendment(models.Model):
    """A change that is not a new project: a capital increase (its amount adds to the total), a rename, a re-signing."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="amendments")
    kind = models.CharField(_("类型"), max_length=20, choices=AmendmentKind.choices)
    happened_on = models.DateField(_("日期"))
    amount = amount_field(_("增加投资（万元）"))
    old_name = models.CharField(_("原名称"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("项目变更")
        verbose_name_plural = _("项目变更")
        ordering = ["project", "happened_on", "id"]

    def __str__(self):
        return f"{self.project} · {self.get_kind_display()}"


class MonthlyProgress(models.Model):
    """The service team's report for one month: investment completed so far, funds arrived, progress, problems."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_reports")
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    completed_investment = models.DecimalField(
        _("累计完成投资（万元）"), max_digits=14, decimal_places=4, validators=[MinValueValidator(0)]
    )
    funds_fixed = models.DecimalField(
        _("本月到位资金：固定资产投资（万元）"),
        max_digits=14,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0)],
    )
    funds_non_fixed = models.DecimalField(
        _("本月到位资金：非固定资产投资（万元）"),
        max_digits=14,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0)],
    )
    funds_outside_province = models.DecimalField(
        _("其中省外资金（万元）"), max_digits=14, decimal_places=4, default=0, validators=[MinValueValidator(0)]
    )
    funds_in_province = models.DecimalField(
        _("其中省内市外资金（万元）"), max_digits=14, decimal_places=4, default=0, validators=[MinValueValidator(0)]
    )
    progress = models.TextField(_("进展情况"))
    problems = models.TextField(_("存在问题"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    due_on = models.DateField(_("报送截止日期"))
    late = models.BooleanField(_("逾期报送"), default=False)

    class Meta:
        verbose_name = _("月度进展")
        verbose_name_plural = _("月度进展")
        ordering = ["project", "-month"]
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="progress_one_per_month")]

    def __str__(self):
        return f"{self.project} · {self.month:%Y-%m}"

    @property
    def funds_total(self):
        return self.funds_fixed + self.funds_non_fixed


class RoundQuerySet(ScopedQuerySet):
    def visibility_q(self, scope):
        return scope.subtree_q("owner__path", *READER_ROLES) | scope.beyond(*READER_ROLES).subtree_q("host_unit__path")

    def editability_q(self, scope):
        return scope.subtree_q("owner__path", Role.OFFICE_STAFF) | scope.subtree_q("host_unit__path", Role.COUNTY_STAFF)


class Round(TimeStampedModel):
    """A "三个一批" round: the projects a county or zone signs, starts and commissions on one date."""

    owner = models.ForeignKey(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.PROTECT, related_name="+"
    )
    host_unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("举办单位"), on_delete=models.PROTECT, related_name="project_rounds"
    )
    name = models.CharField(_("名称"), max_length=200)
    held_on = models.DateField(_("日期"))
    level = models.CharField(_("级别"), max_length=12, choices=RoundLevel.choices, default=RoundLevel.PROVINCE)
    # Offices publish rates to whole percents (古县 96%) or to one decimal (阳城 71.7%).
    rate_decimals = models.PositiveSmallIntegerField(
        _("比率公布的小数位数"), default=1, validators=[MaxValueValidator(2)]
    )
    note = models.TextField(_("备注"), blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("“三个一批”活动")
        verbose_name_plural = _("“三个一批”活动")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["host_unit", "-held_on"], name="round_host_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:round_detail", args=[self.pk])


class RoundEntry(models.Model):
    """A project listed in a round under one batch, with its investment as listed."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="round_entries")
    batch = models.CharField(_("批次"), max_length=12, choices=Batch.choices)
    investment = models.DecimalField(
        _("列入时总投资（万元）"), max_digits=14, decimal_places=4, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("“三个一批”项目")
        verbose_name_plural = _("“三个一批”项目")
        ordering = ["round", "batch", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "project"], name="round_entry_once")]
        indexes = [models.Index(fields=["project", "batch"], name="round_entry_project_idx")]

    def __str__(self):
        return f"{self.round} · {self.get_batch_display()} · {self.project}"
