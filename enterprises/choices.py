"""What kind of organisation a directory entry is, its place in a chain, and its size."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CompanyKind(models.TextChoices):
    COMPANY = "company", _("企业")
    UNIVERSITY = "university", _("高校")
    INSTITUTE = "institute", _("科研院所")
    CHAMBER = "chamber", _("商协会")


class CompanyCategory(models.TextChoices):
    """The 企业类别 column of 《走访企业台账》 (plus 链核, which the seeds name beside 链主)."""

    CHAIN_LEADER = "chain_leader", _("链主")
    CHAIN_CORE = "chain_core", _("链核")
    SUPPLY_CHAIN = "supply_chain", _("上下游")
    ACADEMIC = "academic", _("高校院所")
    CHAMBER = "chamber", _("商协会")
    OTHER = "other", _("其他")


class CompanySize(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")
    UNKNOWN = "", _("未知")


# The category a new entry of each kind gets when nobody says otherwise.
DEFAULT_CATEGORY = {
    CompanyKind.COMPANY: CompanyCategory.OTHER,
    CompanyKind.UNIVERSITY: CompanyCategory.ACADEMIC,
    CompanyKind.INSTITUTE: CompanyCategory.ACADEMIC,
    CompanyKind.CHAMBER: CompanyCategory.CHAMBER,
}

# Roles that need investors' phone numbers to do their work; the rest see them masked.
CONTACT_PHONE_ROLES = ("office_staff", "team_leader", "team_member", "county_staff", "system_admin")
