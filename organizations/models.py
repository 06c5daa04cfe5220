"""The organisation tree, people and their roles in units."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopedQuerySet

from .choices import SUBTREE_READER_ROLES, Role, TargetRegion, UnitKind

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$",
    _("编码只能由字母、数字、下划线和连字符组成，2 至 32 位，且以字母或数字开头。"),
)

phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$",
    _("请填写有效的电话号码：11 位手机号，或区号加座机号（如 0359-1234567）。"),
)


class UnitQuerySet(ScopedQuerySet):
    def visibility_q(self, scope):
        # The office, leaders and administrators read their whole subtree; everyone else
        # their own units and what lies under them (a county sees its squads).
        return scope.subtree_q("path")

    def editability_q(self, scope):
        return scope.subtree_q("path", Role.SYSTEM_ADMIN)

    def active(self):
        return self.filter(active=True)


class Unit(TimeStampedModel):
    """A node of the organisation tree: province, city, county, zone, department, team or squad.

    `path` holds the ids from the root down ("/1/4/12/"), so a whole subtree is one
    indexed prefix match and a move rewrites the subtree in one UPDATE.
    """

    code = models.CharField(_("编码"), max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    # Stationed teams and squads only.
    base_city = models.CharField(_("驻点城市"), max_length=50, blank=True)
    target_regions = models.JSONField(_("目标区域"), default=list, blank=True)
    focus = models.TextField(_("重点方向"), blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("id")), name="unit_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:unit_detail", args=[self.pk])

    @property
    def is_team(self):
        return self.kind in (UnitKind.TEAM, UnitKind.SQUAD)

    def target_region_labels(self):
        labels = dict(TargetRegion.choices)
        return [labels.get(r, r) for r in self.target_regions or []]

    def ancestor_ids(self):
        return [int(p) for p in self.path.strip("/").split("/") if p][:-1]


class UserQuerySet(ScopedQuerySet):
    self_visible = True

    def visibility_q(self, scope):
        me = Q(pk=scope.user.pk) if scope.user is not None and scope.user.pk else Q(pk__in=[])
        # Readers of a subtree see everyone whose home unit or any membership is in it;
        # the rest see the colleagues of their own units.
        subtree = Membership.objects.filter(scope.subtree_q("unit__path", *SUBTREE_READER_ROLES))
        colleagues = Membership.objects.filter(scope.units_q("unit_id"), active=True)
        return (
            me
            | scope.subtree_q("home_unit__path", *SUBTREE_READER_ROLES)
            | Q(pk__in=subtree.values("user_id"))
            | Q(pk__in=colleagues.values("user_id"))
        )

    def editability_q(self, scope):
        return scope.subtree_q("home_unit__path", Role.SYSTEM_ADMIN)


class ZhaoshangUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who works in the system. Their unit memberships carry their roles."""

    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=20, blank=True, validators=[phone_validator])
    title = models.CharField(_("职务"), max_length=100, blank=True)
    home_unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="home_people"
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    is_demo = models.BooleanField(_("演示账号"), default=False)

    objects = ZhaoshangUserManager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["username"]

    def __str__(self):
        return self.name or self.username

    def get_absolute_url(self):
        return reverse("organizations:person_detail", args=[self.pk])

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class Membership(TimeStampedModel):
    """A person holds a role in a unit; the roles give the scope."""

    user = models.ForeignKey(User, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role")]
        indexes = [models.Index(fields=["unit", "active"])]

    def __str__(self):
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
