"""The monthly bulletin (通报): a city's month — figures, rankings, those ahead and behind, notable projects — as a
Word document in the style of an official document, generated in the background (domain.md §2, issue 7 item 5).

A bulletin belongs to a city (its owner, whose office requests, publishes and deletes it). Once generated it is
fixed: its file and `figures` (every figure printed) never change, whatever happens to the records later;
generating the month again makes a new bulletin (the next `version`). The city's office and leaders read every
bulletin; the units of the city read the published ones.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopedQuerySet
from organizations.choices import Role

from .choices import IN_PROGRESS, Status

READER_ROLES = (Role.OFFICE_STAFF, Role.LEADER, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN)


def default_title(year, month):
    return f"关于{year}年{month}月份驻点招商工作情况的通报"


class BulletinQuerySet(ScopedQuerySet):
    def visibility_q(self, scope):
        published = Q(published_at__isnull=False) & scope.within_q("owner")
        return scope.subtree_q("owner__path", *READER_ROLES) | published

    def editability_q(self, scope):
        return scope.subtree_q("owner__path", Role.OFFICE_STAFF)


class Bulletin(TimeStampedModel):
    """One generated bulletin of a city for a month: its state while generated, then its fixed file and figures."""

    owner = models.ForeignKey(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年份"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    number = models.CharField(_("文号"), max_length=60, blank=True, help_text=_("如“运招促〔2022〕10号”"))
    title = models.CharField(_("标题"), max_length=200)
    issued_on = models.DateField(_("成文日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(
        _("进度"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    stage = models.CharField(_("当前步骤"), max_length=100, blank=True)
    file = models.FileField(_("通报文件"), upload_to="bulletins/", blank=True, max_length=200)
    # Every figure printed, kept with the file: the published bulletin never changes when records do.
    figures = models.JSONField(_("通报数据"), default=dict, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("开始生成时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("生成完成时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("印发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("月度通报")
        verbose_name_plural = _("月度通报")
        ordering = ["-year", "-month", "-version", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "year", "month", "version"], name="bulletin_version_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="bulletin_month_range"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="bulletin_progress_range"),
        ]
        indexes = [models.Index(fields=["owner", "year", "month"], name="bulletin_month_idx")]

    def __str__(self):
        return f"{self.title}（第{self.version}版）" if self.version > 1 else self.title

    def get_absolute_url(self):
        return reverse("bulletins:bulletin_detail", args=[self.pk])

    @property
    def period_label(self):
        return f"{self.year}年{self.month}月"

    @property
    def in_progress(self):
        return self.status in IN_PROGRESS

    @property
    def is_done(self):
        return self.status == Status.DONE

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def download_name(self):
        """The file name offered on download: the title (and the version after the first)."""
        return f"{self}.docx"
