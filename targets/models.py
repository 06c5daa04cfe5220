"""Targets (目标): an indicator, a unit (team, squad, county, zone, city) or a person, a period and a value.

What has been reached is always counted from the records (selectors), never typed in. A
target belongs to a city (its owner, whose office sets it); it is read by the city's office
and leaders and by the unit (or person) it is set for (domain.md §6–7).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopedQuerySet
from organizations.choices import Role

from .choices import Indicator, Template

READER_ROLES = (Role.OFFICE_STAFF, Role.LEADER, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN)


class TargetQuerySet(ScopedQuerySet):
    def visibility_q(self, scope):
        me = Q(person_id=scope.user.pk) if scope.user is not None and scope.user.pk else Q(pk__in=[])
        return scope.subtree_q("owner__path", *READER_ROLES) | scope.subtree_q("unit__path") | me

    def editability_q(self, scope):
        return scope.subtree_q("owner__path", Role.OFFICE_STAFF)


class Target(TimeStampedModel):
    """One target: how much of an indicator a unit or a person should reach in a period."""

    owner = models.ForeignKey(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.CharField(_("指标"), max_length=24, choices=Indicator.choices)
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("个人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    value = models.DecimalField(_("目标值"), max_digits=14, decimal_places=4, validators=[MinValueValidator(0)])
    template = models.CharField(_("来源模板"), max_length=20, choices=Template.choices, blank=True)
    name = models.CharField(_("任务名称"), max_length=100, blank=True, help_text=_("如“百日大会战”"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["-start", "unit__path", "indicator", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, person__isnull=True) | Q(unit__isnull=True, person__isnull=False),
                name="target_unit_or_person",
            ),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="target_period_order"),
        ]
        indexes = [
            models.Index(fields=["owner", "start", "end"], name="target_period_idx"),
            models.Index(fields=["unit", "indicator", "start"], name="target_unit_idx"),
        ]

    def __str__(self):
        who = self.unit or self.person
        return f"{who} · {self.get_indicator_display()} · {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"
