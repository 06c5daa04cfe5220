"""What a team report is (一周一专报、一月一总结), where it stands, and when it is due (seed 000)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.choices import Role, UnitKind


class ReportKind(models.TextChoices):
    WEEKLY = "weekly", _("周报（一周一专报）")
    MONTHLY = "monthly", _("月报（一月一总结）")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    READ = "read", _("已阅")


# The only moves a report may make: the team submits its draft; the office reads it or returns it (退回修改).
TRANSITIONS = {
    ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
    ReportStatus.SUBMITTED: {ReportStatus.READ, ReportStatus.DRAFT},
    ReportStatus.READ: set(),
}
SENT_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.READ)


class MissingStatus(models.TextChoices):
    """Why a team's period shows on the office's 未报清单."""

    NONE = "none", _("未报")
    DRAFT = "draft", _("草稿未提交")
    LATE = "late", _("逾期提交")


# Units that send reports: stationed teams and squads. The city's teams owe one every period (the office's
# 未报清单 and the reminders follow them); a squad reports when it has something to say.
REPORTING_KINDS = (UnitKind.TEAM, UnitKind.SQUAD)
DUE_KINDS = (UnitKind.TEAM,)
# Who drafts, edits and submits a unit's report: its own people.
WRITER_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER)
# Who reads every submitted report of the city, and who marks them read or returns them.
READER_ROLES = (Role.OFFICE_STAFF, Role.LEADER)
OFFICE_ROLES = (Role.OFFICE_STAFF,)
# Who uses the report pages: the teams, the counties over squads, the office and leaders, the audit administrators.
USER_ROLES = (*WRITER_ROLES, Role.COUNTY_STAFF, *READER_ROLES, Role.AUDIT_ADMIN)

# When a report is due: a week's on the Monday after it (days after its Sunday), a month's on the 3rd of the next.
WEEKLY_DUE_DAYS_AFTER = 1
MONTHLY_DUE_DAY = 3
# Reminders name a report due within this many days, and look this far back (days) for periods not reported.
DUE_SOON_DAYS = 2
REMINDER_LOOKBACK_DAYS = 35
# The line the team replaces with its plans; a report still holding it is not submitted.
PLANS_PLACEHOLDER = "（请在此填写下一步工作打算。）"
