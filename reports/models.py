"""Team reports (一周一专报、一月一总结): a stationed team's weekly report and monthly summary to the city's office.

A report belongs to a city (its owner, whose office reads it) and to the team or squad that writes it. The
system drafts it from the period's records; the team edits and submits it; the office marks it read with a
comment or returns it for changes (退回修改), which makes it a draft again (seed 000, domain.md §7):

- the team's own people read and write their unit's reports, drafts included; the staff of a county or zone
  read the submitted reports of the squads under it;
- the city's office and leaders read every submitted report of the city (a draft is the team's own);
- the city's audit administrators read every report.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopedQuerySet
from organizations.choices import Role

from .choices import OFFICE_ROLES, READER_ROLES, SENT_STATUSES, WRITER_ROLES, ReportKind, ReportStatus


class TeamReportQuerySet(ScopedQuerySet):
    def visibility_q(self, scope):
        sent = Q(status__in=SENT_STATUSES)
        return (
            scope.subtree_q("unit__path", *WRITER_ROLES)
            | (scope.subtree_q("unit__path", Role.COUNTY_STAFF) & sent)
            | (scope.subtree_q("owner__path", *READER_ROLES) & sent)
            | scope.subtree_q("owner__path", Role.AUDIT_ADMIN)
        )

    def editability_q(self, scope):
        # The team edits and submits its own; the office reads or returns what was submitted. Which step
        # each may take, the services decide.
        return scope.subtree_q("unit__path", *WRITER_ROLES) | (
            scope.subtree_q("owner__path", *OFFICE_ROLES) & Q(status=ReportStatus.SUBMITTED)
        )


class TeamReport(TimeStampedModel):
    """One team's report for one week or month: the text it sends, and the counts its draft was made from."""

    owner = models.ForeignKey(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="team_reports"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ReportKind.choices)
    start = models.DateField(_("期间起"))
    end = models.DateField(_("期间止"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    # The counts the draft was made from, as they stood when it was drafted.
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # Whether it was sent on time is judged by the first submission: a later return does not make it late.
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("阅示人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    read_at = models.DateTimeField(_("阅示时间"), null=True, blank=True)
    comment = models.TextField(_("批示/意见"), blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TeamReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作报告")
        verbose_name_plural = _("工作报告")
        ordering = ["-start", "unit__path", "kind", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "start"], name="team_report_once_per_period"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="team_report_period_order"),
        ]
        indexes = [
            models.Index(fields=["owner", "kind", "start"], name="team_report_owner_idx"),
            models.Index(fields=["-start", "-id"], name="team_report_start_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def is_draft(self):
        return self.status == ReportStatus.DRAFT


class TeamReportEvent(models.Model):
    """One step of a report's life (起草, 提交, 已阅, 退回): from, to, who, when, why."""

    report = models.ForeignKey(TeamReport, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("原状态"), max_length=10, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=ReportStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("报告流转记录")
        verbose_name_plural = _("报告流转记录")
        ordering = ["report", "at", "id"]

    def __str__(self):
        return f"{self.report} · {self.get_to_status_display()}"
