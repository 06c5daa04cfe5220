"""Kinds of unit, roles, and which roles a unit of each kind can hold."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县（市、区）")
    ZONE = "zone", _("开发区")
    DEPARTMENT = "department", _("部门/局")
    TEAM = "team", _("驻点招商组")
    SQUAD = "squad", _("驻点招商小分队")


class Role(models.TextChoices):
    OFFICE_STAFF = "office_staff", _("招商中心工作人员")
    TEAM_LEADER = "team_leader", _("组长/队长")
    TEAM_MEMBER = "team_member", _("组员/队员")
    COUNTY_STAFF = "county_staff", _("县区/开发区工作人员")
    DEPARTMENT_STAFF = "department_staff", _("部门工作人员")
    LEADER = "leader", _("领导")
    # Confirms the evidence of a project's move to 签约 or beyond (four eyes): never the one who recorded it.
    VERIFIER = "verifier", _("项目核验员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


class TargetRegion(models.TextChoices):
    YANGTZE_DELTA = "yangtze_delta", _("长三角")
    PEARL_DELTA = "pearl_delta", _("珠三角")
    JINGJINJI = "jingjinji", _("京津冀")
    CHENGYU = "chengyu", _("成渝")
    OTHER = "other", _("其他")


# Which kinds of unit may be above which: a sane tree, checked on create and move.
ALLOWED_PARENT_KINDS = {
    UnitKind.PROVINCE: {None},
    UnitKind.CITY: {UnitKind.PROVINCE},
    UnitKind.COUNTY: {UnitKind.CITY},
    UnitKind.ZONE: {UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY},
    UnitKind.DEPARTMENT: {UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY, UnitKind.ZONE, UnitKind.DEPARTMENT},
    UnitKind.TEAM: {UnitKind.CITY, UnitKind.COUNTY, UnitKind.ZONE, UnitKind.DEPARTMENT},
    UnitKind.SQUAD: {UnitKind.CITY, UnitKind.COUNTY, UnitKind.ZONE, UnitKind.DEPARTMENT},
}

# Which roles a membership in a unit of each kind can carry.
ROLE_UNIT_KINDS = {
    Role.OFFICE_STAFF: {UnitKind.CITY, UnitKind.DEPARTMENT},
    Role.TEAM_LEADER: {UnitKind.TEAM, UnitKind.SQUAD},
    Role.TEAM_MEMBER: {UnitKind.TEAM, UnitKind.SQUAD},
    Role.COUNTY_STAFF: {UnitKind.COUNTY, UnitKind.ZONE},
    Role.DEPARTMENT_STAFF: {UnitKind.DEPARTMENT},
    Role.LEADER: {UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY, UnitKind.ZONE},
    Role.VERIFIER: {UnitKind.CITY, UnitKind.COUNTY, UnitKind.ZONE, UnitKind.DEPARTMENT},
    Role.SYSTEM_ADMIN: {UnitKind.PROVINCE, UnitKind.CITY},
    Role.AUDIT_ADMIN: {UnitKind.PROVINCE, UnitKind.CITY},
}

ADMIN_ROLES = {Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN}
# Roles that read everything below their unit (the office and leaders).
SUBTREE_READER_ROLES = {Role.OFFICE_STAFF, Role.LEADER, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN}
# Roles that see contact details (phone numbers) of people in their scope.
CONTACT_READER_ROLES = {Role.OFFICE_STAFF, Role.SYSTEM_ADMIN, Role.TEAM_LEADER}
