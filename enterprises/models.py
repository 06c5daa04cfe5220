"""The directory of target companies and institutions (目标企业库) and their contacts.

The directory belongs to a city (its owner unit): every team, county and the office of
that city share it, so a company exists once and everyone sees who is in touch with it.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopedQuerySet
from organizations.choices import Role

from .choices import CompanyCategory, CompanyKind, CompanySize

WRITER_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER, Role.COUNTY_STAFF)


class CompanyQuerySet(ScopedQuerySet):
    def visibility_q(self, scope):
        return scope.within_q("owner")

    def editability_q(self, scope):
        # The office keeps the directory; a team or county corrects what it entered.
        return scope.subtree_q("owner__path", Role.OFFICE_STAFF) | (
            scope.within_q("owner", *WRITER_ROLES) & scope.units_q("created_by_unit_id", *WRITER_ROLES)
        )

    def current(self):
        """Entries not merged into another one."""
        return self.filter(merged_into__isnull=True)


class Company(TimeStampedModel):
    """A company, university, research institute or chamber of commerce the city courts."""

    owner = models.ForeignKey(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.PROTECT, related_name="companies"
    )
    name = models.CharField(_("名称"), max_length=200)
    normalized_name = models.CharField(max_length=200, editable=False, db_index=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    kind = models.CharField(_("机构类型"), max_length=16, choices=CompanyKind.choices, default=CompanyKind.COMPANY)
    category = models.CharField(
        _("企业类别"), max_length=16, choices=CompanyCategory.choices, default=CompanyCategory.OTHER
    )
    size = models.CharField(_("规模"), max_length=8, choices=CompanySize.choices, blank=True, default="")
    province = models.CharField(_("所在省份"), max_length=20, blank=True)
    city = models.CharField(_("所在城市"), max_length=50, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    industry = models.CharField(_("行业"), max_length=100, blank=True)
    segments = models.ManyToManyField(
        "chains.ChainSegment", verbose_name=_("产业链环节"), blank=True, related_name="companies"
    )
    website = models.CharField(_("网址"), max_length=200, blank=True)
    description = models.TextField(_("简介"), blank=True)
    created_by = models.ForeignKey(
        "organizations.User",
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("录入单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A merged entry stays, pointing at the one that absorbed it, so old links and the audit trail still lead somewhere.
    merged_into = models.ForeignKey(
        "self", verbose_name=_("已合并至"), null=True, blank=True, on_delete=models.PROTECT, related_name="absorbed"
    )

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("目标企业")
        verbose_name_plural = _("目标企业")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "credit_code"],
                condition=~Q(credit_code="") & Q(merged_into__isnull=True),
                name="company_unique_credit_code",
            ),
        ]
        indexes = [models.Index(fields=["owner", "normalized_name"], name="company_owner_norm_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:company_detail", args=[self.pk])

    @property
    def location(self):
        return "".join(dict.fromkeys(p for p in (self.province, self.city) if p))


class ContactQuerySet(ScopedQuerySet):
    def visibility_q(self, scope):
        return scope.within_q("company__owner")

    def editability_q(self, scope):
        return scope.within_q("company__owner", Role.OFFICE_STAFF, *WRITER_ROLES)


class Contact(TimeStampedModel):
    """A person at a company the teams deal with (对接人)."""

    company = models.ForeignKey(Company, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    notes = models.TextField(_("备注"), blank=True)
    active = models.BooleanField(_("有效"), default=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("对接人")
        verbose_name_plural = _("对接人")
        ordering = ["company_id", "name", "id"]

    def __str__(self):
        return f"{self.name}（{self.title}）" if self.title else self.name
