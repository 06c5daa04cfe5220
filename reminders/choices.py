"""What a reminder is about, how bad it is, and the channels a city's office sends them through."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    """The kinds of reminder the sources return (core.reminders.Reminder.kind), the overdue first: the order a
    robot's summary follows. A channel may carry some only."""

    LEAD_OVERDUE = "lead_overdue", _("线索逾期")
    PROBLEM_OVERDUE = "problem_overdue", _("问题诉求逾期")
    PROGRESS_LATE = "progress_late", _("项目进展逾期")
    # The reports app's (reports/reminders.py): the office's count of teams behind, a team's report overdue, due.
    TEAM_REPORTS_MISSING = "team_reports_missing", _("工作报告未报")
    TEAM_REPORT_OVERDUE = "team_report_overdue", _("工作报告逾期未报")
    TEAM_REPORT_DUE = "team_report_due", _("工作报告待报送")
    TARGET_BEHIND = "target_behind", _("目标进度落后")


class Severity(models.TextChoices):
    DANGER = "danger", _("逾期")
    WARNING = "warning", _("提醒")


class ChannelKind(models.TextChoices):
    """Where a city's reminders go besides the in-app list: e-mail, or the group robots offices use."""

    EMAIL = "email", _("电子邮件")
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")


WEBHOOK_KINDS = (ChannelKind.WECOM, ChannelKind.DINGTALK)


def kind_label(kind):
    """The Chinese name of a reminder kind; a kind no choice names yet (a new source) is "其他提醒"."""
    try:
        return ReminderKind(kind).label
    except ValueError:
        return _("其他提醒")
