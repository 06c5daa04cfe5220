"""Service to investors: problems and requests (问题/诉求), who solves them, and the meetings they are raised at.

A problem belongs to a city (its owner, whose office oversees it). It is read by the
city's office and leaders, by the departments it is assigned to, by those who may see its
project (its 包联 leader, unit and service team, its host county or zone), and by the unit
that raised it (domain.md §7). Every step is a ProblemEvent on its timeline. A complaint
from the public form (接诉即办) is a problem too, found later by its number and phone.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopedQuerySet
from organizations.choices import Role

from .choices import EscalationReason, MeetingKind, ProblemEventKind, ProblemStatus, Satisfaction, Source, Urgency

READER_ROLES = (Role.OFFICE_STAFF, Role.LEADER, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN)


class ProblemCategory(TimeStampedModel):
    """A category of problem a city uses (审批, 用地 …) and how many working days its departments have."""

    owner = models.ForeignKey(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.CASCADE, related_name="+"
    )
    code = models.SlugField(_("编码"), max_length=32)
    name = models.CharField(_("名称"), max_length=50)
    due_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"), default=10)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["owner", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "code"], name="problem_category_code")]

    def __str__(self):
        return self.name


class ProblemQuerySet(ScopedQuerySet):
    def visibility_q(self, scope):
        from projects.models import Project

        # A problem's owner is its project's; where the owner branch already covers a city, the projects,
        # departments and raising units there add nothing more to OR.
        rest = scope.beyond(*READER_ROLES)
        assigned = ProblemAssignment.objects.filter(rest.subtree_q("department__path")).values("problem_id")
        projects = Project.objects.filter(Project.objects.none().visibility_q(rest)).values("pk")
        return (
            scope.subtree_q("owner__path", *READER_ROLES)
            | Q(pk__in=assigned)
            | Q(project__in=projects)
            | rest.subtree_q("raised_unit__path")
        )

    def editability_q(self, scope):
        # Which step each may take (assign, accept, answer, confirm) the services decide.
        return self.visibility_q(scope)

    def open(self):
        from .choices import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)


class Problem(TimeStampedModel):
    """A problem or request of a project or a company, until the investor accepts the answer."""

    owner = models.ForeignKey(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("编号"), max_length=20, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("问题描述"))
    category = models.ForeignKey(ProblemCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="+")
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    source = models.CharField(_("提出渠道"), max_length=16, choices=Source.choices, default=Source.SERVICE_TEAM)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    company = models.ForeignKey(
        "enterprises.Company",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    meeting = models.ForeignKey(
        "service.Meeting",
        verbose_name=_("提出的会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    raised_on = models.DateField(_("提出日期"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("提出单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="raised_problems",
    )
    # A complaint from the public form: who filed it (their phone finds it again, and is masked elsewhere).
    is_complaint = models.BooleanField(_("企业投诉"), default=False)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    status = models.CharField(_("状态"), max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.RAISED)
    due_on = models.DateField(_("办理期限"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    lead_department = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("牵头部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_problems",
    )
    answer = models.TextField(_("办理答复"), blank=True)
    solved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    # 日清日结: solved on the day it was assigned (交城 ≥ 80%, seed 004).
    same_day = models.BooleanField(_("当日办结"), default=False)
    on_time = models.BooleanField(_("按期办结"), default=False)
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), choices=Satisfaction.choices, null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    escalated = models.CharField(_("督办原因"), max_length=12, choices=EscalationReason.choices, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    attachments = GenericRelation("core.Attachment")

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题诉求")
        verbose_name_plural = _("问题诉求")
        ordering = ["-raised_on", "-id"]
        indexes = [
            models.Index(fields=["owner", "status", "-raised_on"], name="problem_owner_status_idx"),
            models.Index(fields=["project", "status"], name="problem_project_idx"),
            models.Index(fields=["company", "category"], name="problem_company_cat_idx"),
            models.Index(fields=["status", "due_on"], name="problem_due_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("service:problem_detail", args=[self.pk])


class ProblemAssignment(models.Model):
    """A department a problem is assigned to; several with one in the lead (有诉联办)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(
        "organizations.Unit", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    is_lead = models.BooleanField(_("牵头"), default=False)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    note = models.TextField(_("办理意见"), blank=True)

    class Meta:
        verbose_name = _("交办部门")
        verbose_name_plural = _("交办部门")
        ordering = ["problem", "-is_lead", "id"]
        constraints = [models.UniqueConstraint(fields=["problem", "department"], name="problem_assignment_once")]
        indexes = [models.Index(fields=["department", "problem"], name="problem_assign_dept_idx")]

    def __str__(self):
        return f"{self.problem} · {self.department}"


class ProblemEvent(models.Model):
    """One step on a problem's timeline: who, which unit, when, what."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=12, choices=ProblemEventKind.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("organizations.Unit", null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["problem", "at", "id"]

    def __str__(self):
        return f"{self.problem} · {self.get_kind_display()}"


class MeetingQuerySet(ScopedQuerySet):
    def visibility_q(self, scope):
        return scope.subtree_q("owner__path", *READER_ROLES) | scope.subtree_q("host_unit__path")

    def editability_q(self, scope):
        return scope.subtree_q("owner__path", Role.OFFICE_STAFF) | scope.subtree_q(
            "host_unit__path", Role.COUNTY_STAFF, Role.DEPARTMENT_STAFF, Role.OFFICE_STAFF
        )


class Meeting(TimeStampedModel):
    """A 政企对接 meeting (早餐会, 下午茶, 夜沙龙), a monthly dispatch, a joint meeting or an expert review."""

    owner = models.ForeignKey(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.PROTECT, related_name="+"
    )
    host_unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="hosted_meetings"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=MeetingKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    attendees = models.TextField(_("参加人员"), blank=True)
    companies = models.ManyToManyField("enterprises.Company", verbose_name=_("参会企业"), blank=True, related_name="+")
    projects = models.ManyToManyField("projects.Project", verbose_name=_("涉及项目"), blank=True, related_name="+")
    summary = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["host_unit", "-held_on"], name="meeting_host_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("service:meeting_detail", args=[self.pk])


class Decision(models.Model):
    """A decision of a meeting, with who carries it out and by when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("议定事项"))
    owner_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_name = models.CharField(_("责任人"), max_length=50, blank=True)
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["meeting", "id"]

    def __str__(self):
        return self.text[:40]
