"""Leads (线索): reported by teams, assessed together by the office, pushed to a county or zone.

A lead belongs to a city (its owner, whose office assesses it). It is read by the office
and leaders of that city, by the unit that reported it, by the county or zone it was
pushed to while it holds it, and by any unit the office shared it with (domain.md §7).
Every change is a LeadEvent on its timeline, with who and when.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopedQuerySet
from organizations.choices import Role

from .choices import ConflictStatus, LeadEventKind, LeadSource, LeadStatus, PoolKind

READER_ROLES = (Role.OFFICE_STAFF, Role.LEADER, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN)
# The statuses in which the receiving county or zone holds the lead.
HELD_STATUSES = (LeadStatus.DISPATCHED, LeadStatus.ACCEPTED, LeadStatus.CLOSED)


class LeadSettingsQuerySet(ScopedQuerySet):
    """A city's lead rules are its office's own: only the office reads and changes them here."""

    def visibility_q(self, scope):
        return scope.subtree_q("owner__path", Role.OFFICE_STAFF)

    def editability_q(self, scope):
        return scope.subtree_q("owner__path", Role.OFFICE_STAFF)


class LeadSettings(TimeStampedModel):
    """A city office's rules for leads: what makes one effective, the grades, the deadlines."""

    owner = models.OneToOneField(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.CASCADE, related_name="lead_settings"
    )
    grades = models.JSONField(_("线索等级"), default=list)
    requires_investor = models.BooleanField(_("实效线索须有明确投资方"), default=True)
    requires_content = models.BooleanField(_("实效线索须有具体项目内容"), default=True)
    requires_amount = models.BooleanField(_("实效线索须有拟投资额"), default=True)
    requires_contact = models.BooleanField(_("实效线索须已与投资方取得联系"), default=True)
    min_content_length = models.PositiveSmallIntegerField(_("项目内容最少字数"), default=10)
    assess_working_days = models.PositiveSmallIntegerField(_("研判时限（工作日）"), default=3)
    feedback_days = models.PositiveSmallIntegerField(_("反馈时限（自然日）"), default=7)

    objects = LeadSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("线索规则")
        verbose_name_plural = _("线索规则")

    def __str__(self):
        return str(self.owner)


class LeadPoolQuerySet(ScopedQuerySet):
    """Everyone working in a city reads its pools (a county moves its leads between them); its office sets them."""

    def visibility_q(self, scope):
        return scope.within_q("owner")

    def editability_q(self, scope):
        return scope.subtree_q("owner__path", Role.OFFICE_STAFF)


class LeadPool(TimeStampedModel):
    """One of a city's pools (by default 线索库 → 在谈库 → 签约库 → 落地库, and 已失效)."""

    owner = models.ForeignKey(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.CASCADE, related_name="+"
    )
    code = models.SlugField(_("编码"), max_length=32)
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("性质"), max_length=8, choices=PoolKind.choices, default=PoolKind.OPEN)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    objects = LeadPoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("线索库")
        verbose_name_plural = _("线索库")
        ordering = ["owner_id", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "code"], name="lead_pool_unique_code")]

    def __str__(self):
        return self.name


class NegativeListQuerySet(ScopedQuerySet):
    """The city's readers see every county's and zone's negative list, a county or zone its own; the office sets it."""

    def visibility_q(self, scope):
        return scope.subtree_q("unit__path", *READER_ROLES, Role.COUNTY_STAFF)

    def editability_q(self, scope):
        return scope.subtree_q("unit__path", Role.OFFICE_STAFF)


class NegativeListEntry(TimeStampedModel):
    """An industry a zone refuses (负面清单, seed 001), checked and shown when a lead is pushed there."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("县区/开发区"), on_delete=models.CASCADE, related_name="negative_list"
    )
    industry = models.CharField(_("限制或禁止的产业"), max_length=100)
    chain = models.ForeignKey(
        "chains.IndustryChain",
        verbose_name=_("产业链"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    keywords = models.CharField(_("关键词"), max_length=200, blank=True, help_text=_("多个关键词用顿号或逗号分隔"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    objects = NegativeListQuerySet.as_manager()

    class Meta:
        verbose_name = _("负面清单")
        verbose_name_plural = _("负面清单")
        ordering = ["unit_id", "industry"]

    def __str__(self):
        return f"{self.unit} · {self.industry}"


class LeadQuerySet(ScopedQuerySet):
    def visibility_q(self, scope):
        rest = scope.beyond(*READER_ROLES)  # where the owner branch already covers a city, nothing more to OR
        shared = LeadShare.objects.filter(rest.subtree_q("unit__path")).values("lead_id")
        return (
            scope.subtree_q("owner__path", *READER_ROLES)
            | rest.subtree_q("reporting_unit__path")
            | (rest.subtree_q("receiving_unit__path") & Q(status__in=HELD_STATUSES))
            | Q(pk__in=shared)
        )

    def editability_q(self, scope):
        # Which change each may make (assess, accept, follow up …) the services decide.
        return (
            scope.subtree_q("owner__path", Role.OFFICE_STAFF)
            | scope.subtree_q("reporting_unit__path", Role.TEAM_LEADER, Role.TEAM_MEMBER, Role.COUNTY_STAFF)
            | (scope.subtree_q("receiving_unit__path", Role.COUNTY_STAFF) & Q(status__in=HELD_STATUSES))
        )

    def counted(self):
        """Leads that count in totals: a lead found to be another's duplicate is never counted twice."""
        return self.filter(duplicate_of__isnull=True)


class Lead(TimeStampedModel):
    """An investment intention: investor, content, amount, chain, source — one row of 《收集线索台账》."""

    owner = models.ForeignKey(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.PROTECT, related_name="+"
    )
    reporting_unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="reported_leads"
    )
    reporters = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), blank=True, related_name="+")
    name = models.CharField(_("线索名称"), max_length=200)
    collected_date = models.DateField(_("收集日期"))
    source = models.CharField(_("信息来源"), max_length=16, choices=LeadSource.choices, default=LeadSource.VISIT)
    source_note = models.CharField(_("来源说明"), max_length=200, blank=True)
    visit = models.ForeignKey(
        "outreach.Visit",
        verbose_name=_("来源走访"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    event = models.ForeignKey(
        "outreach.PromotionEvent",
        verbose_name=_("来源推介会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    trip = models.ForeignKey(
        "outreach.OutboundTrip",
        verbose_name=_("来源外出招商"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    investor = models.ForeignKey(
        "enterprises.Company",
        verbose_name=_("投资方"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
    )
    content = models.TextField(_("项目内容"), blank=True)
    estimated_amount = models.DecimalField(
        _("拟投资额（万元）"), max_digits=14, decimal_places=4, null=True, blank=True, validators=[MinValueValidator(0)]
    )
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
    proposed_location = models.CharField(_("拟落地区域"), max_length=200, blank=True)
    contact_reached = models.BooleanField(_("已与投资方取得联系"), default=False)
    contact_name = models.CharField(_("投资方联系人"), max_length=100, blank=True)

    status = models.CharField(_("状态"), max_length=16, choices=LeadStatus.choices, default=LeadStatus.REPORTED)
    pool = models.ForeignKey(LeadPool, verbose_name=_("所在库"), on_delete=models.PROTECT, related_name="leads")
    grade = models.CharField(_("线索等级"), max_length=16, blank=True)
    opinion = models.TextField(_("研判意见"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("研判人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("研判时间"), null=True, blank=True)
    receiving_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("推送单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_leads",
    )
    dispatched_at = models.DateTimeField(_("推送时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    closing_reason = models.TextField(_("不予推送/关闭原因"), blank=True)
    assess_due = models.DateField(_("研判截止日期"), null=True, blank=True)
    feedback_due = models.DateField(_("反馈截止日期"), null=True, blank=True)
    # Set when the office finds this lead to be another's (撞单): it is then never counted twice.
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("与之重复的线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Same reporting unit, day, investor and name: the same lead, typed twice or imported again.
    dedupe_key = models.CharField(max_length=40, editable=False)
    attachments = GenericRelation("core.Attachment")

    objects = LeadQuerySet.as_manager()

    class Meta:
        verbose_name = _("线索")
        verbose_name_plural = _("线索")
        ordering = ["-collected_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reporting_unit", "dedupe_key"], name="lead_unique_key"),
        ]
        indexes = [
            models.Index(fields=["owner", "status", "-collected_date"], name="lead_owner_status_idx"),
            models.Index(fields=["reporting_unit", "-collected_date"], name="lead_reporter_date_idx"),
            models.Index(fields=["receiving_unit", "status"], name="lead_receiver_idx"),
            models.Index(fields=["investor", "status"], name="lead_investor_idx"),
            models.Index(fields=["-collected_date", "-id"], name="lead_date_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("leads:lead_detail", args=[self.pk])


class LeadShare(TimeStampedModel):
    """The office lets a second unit see and work a lead (e.g. a zone beside the county)."""

    lead = models.ForeignKey(Lead, verbose_name=_("线索"), on_delete=models.CASCADE, related_name="shares")
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("共享单位"), on_delete=models.PROTECT, related_name="+"
    )
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("线索共享")
        verbose_name_plural = _("线索共享")
        constraints = [models.UniqueConstraint(fields=["lead", "unit"], name="lead_share_unique")]


class LeadEvent(models.Model):
    """One line of a lead's timeline: what happened, who did it, when, from what to what."""

    lead = models.ForeignKey(Lead, verbose_name=_("线索"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=20, choices=LeadEventKind.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_value = models.CharField(_("变更前"), max_length=100, blank=True)
    to_value = models.CharField(_("变更后"), max_length=100, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("线索动态")
        verbose_name_plural = _("线索动态")
        ordering = ["lead_id", "at", "id"]

    def __str__(self):
        return f"{self.lead} · {self.get_kind_display()}"


class FollowUp(TimeStampedModel):
    """A dated follow-up note by the unit working the lead; an inspection or event may be linked."""

    lead = models.ForeignKey(Lead, verbose_name=_("线索"), on_delete=models.CASCADE, related_name="follow_ups")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    follow_date = models.DateField(_("跟进日期"))
    note = models.TextField(_("跟进情况"))
    inspection = models.ForeignKey(
        "outreach.Inspection",
        verbose_name=_("关联考察"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event = models.ForeignKey(
        "outreach.PromotionEvent",
        verbose_name=_("关联推介会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        ordering = ["lead_id", "-follow_date", "-id"]


class LeadConflict(TimeStampedModel):
    """Two units hold the same investor or project (撞单, seed 003); the office decides who leads."""

    lead = models.ForeignKey(Lead, verbose_name=_("线索"), on_delete=models.CASCADE, related_name="conflicts")
    other_lead = models.ForeignKey(
        Lead, verbose_name=_("冲突线索"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    other_visit = models.ForeignKey(
        "outreach.Visit", verbose_name=_("冲突走访"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    company = models.ForeignKey(
        "enterprises.Company", verbose_name=_("投资方"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=8, choices=ConflictStatus.choices, default=ConflictStatus.OPEN)
    leading_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("牵头单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("裁定时间"), null=True, blank=True)
    decision = models.TextField(_("裁定意见"), blank=True)

    class Meta:
        verbose_name = _("撞单")
        verbose_name_plural = _("撞单")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(other_lead__isnull=False) | Q(other_visit__isnull=False), name="conflict_has_other"
            ),
        ]
