"""Assessment (考核): a scheme of weighted indicators that scores and ranks a city's teams, or its counties and
zones, over a period; and the office's lock that publishes a period's results (domain.md §6, seed 000:
"让领先者有动力、落后者有压力").

Every score is computed from the records (targets.selectors counts them), never typed in. A locked period keeps
the scores and ranks as they were published (`LockedScore`); later edits to the records show on the results page
as changes after lock, they never move a published rank.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopedQuerySet
from organizations.choices import Role
from targets.choices import Indicator

from .choices import Rule, Subjects


class SchemeQuerySet(ScopedQuerySet):
    def visibility_q(self, scope):
        # Rankings are published to everyone working in the city (and read by the province above it).
        return scope.within_q("owner")

    def editability_q(self, scope):
        return scope.subtree_q("owner__path", Role.OFFICE_STAFF)


class Scheme(TimeStampedModel):
    """A scheme: whom it ranks, over which period, with which weighted indicators (weights sum to 100)."""

    owner = models.ForeignKey(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("方案名称"), max_length=100)
    subjects = models.CharField(_("考核对象"), max_length=12, choices=Subjects.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-start", "name", "id"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="scheme_period_order")]

    def __str__(self):
        return self.name


class SchemeItem(models.Model):
    """One indicator of a scheme: its weight (points out of 100), its rule and, for the share rule, its cap."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items")
    indicator = models.CharField(_("指标"), max_length=24, choices=Indicator.choices)
    weight = models.DecimalField(
        _("权重（分）"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    rule = models.CharField(_("计分规则"), max_length=8, choices=Rule.choices, default=Rule.SHARE)
    cap = models.DecimalField(
        _("封顶（目标的百分比）"),
        max_digits=6,
        decimal_places=2,
        default=100,
        validators=[MinValueValidator(1)],
        help_text=_("按比例计分时，完成超过目标的这一比例不再加分；100 即满分为权重。"),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "indicator"], name="scheme_item_unique")]

    def __str__(self):
        return f"{self.get_indicator_display()} {self.weight}"


class PeriodLockQuerySet(ScopedQuerySet):
    def visibility_q(self, scope):
        return scope.within_q("scheme__owner")

    def editability_q(self, scope):
        return scope.subtree_q("scheme__owner__path", Role.OFFICE_STAFF)


class PeriodLock(models.Model):
    """The office's publication of a scheme's results for a period: the scores as they were, kept."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="locks")
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    locked_at = models.DateTimeField(_("锁定时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = PeriodLockQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核结果锁定")
        verbose_name_plural = _("考核结果锁定")
        ordering = ["-start", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "start", "end"], name="period_lock_unique")]

    def __str__(self):
        return f"{self.scheme} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"


class LockedScore(models.Model):
    """A unit's published score and rank, with its breakdown (indicator, reached, target, share, points)."""

    lock = models.ForeignKey(PeriodLock, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField(_("名次"))
    breakdown = models.JSONField(_("得分明细"), default=list)

    class Meta:
        ordering = ["rank", "unit__sort_order", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["lock", "unit"], name="locked_score_unique")]

    def __str__(self):
        return f"{self.lock} {self.unit_id} #{self.rank}"
