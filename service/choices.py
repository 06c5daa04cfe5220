"""Problems and requests (问题/诉求): where they are raised, how urgent, where they stand, and the meetings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where a problem was raised (seed 002: 早餐会, 下午茶, 夜沙龙; the monthly dispatch; the complaint line)."""

    MEETING = "meeting", _("政企对接会议")
    DISPATCH = "dispatch", _("月度调度")
    HOTLINE = "hotline", _("接诉即办（投诉）")
    VISIT = "visit", _("走访")
    SERVICE_TEAM = "service_team", _("服务专班")
    OTHER = "other", _("其他")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class ProblemStatus(models.TextChoices):
    RAISED = "raised", _("待交办")
    ASSIGNED = "assigned", _("已交办待受理")
    ACCEPTED = "accepted", _("已受理办理中")
    SOLVED = "solved", _("已办结待确认")
    CLOSED = "closed", _("已确认办结")
    REOPENED = "reopened", _("退回重办")


# The only moves a problem's status may make.
STATUS_TRANSITIONS = {
    ProblemStatus.RAISED: {ProblemStatus.ASSIGNED},
    ProblemStatus.ASSIGNED: {ProblemStatus.ACCEPTED, ProblemStatus.SOLVED, ProblemStatus.ASSIGNED},
    ProblemStatus.ACCEPTED: {ProblemStatus.SOLVED, ProblemStatus.ASSIGNED},
    ProblemStatus.SOLVED: {ProblemStatus.CLOSED, ProblemStatus.REOPENED},
    ProblemStatus.REOPENED: {ProblemStatus.ACCEPTED, ProblemStatus.SOLVED, ProblemStatus.ASSIGNED},
    ProblemStatus.CLOSED: set(),
}
OPEN_STATUSES = (
    ProblemStatus.RAISED,
    ProblemStatus.ASSIGNED,
    ProblemStatus.ACCEPTED,
    ProblemStatus.REOPENED,
)


class Satisfaction(models.IntegerChoices):
    VERY = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASIC = 3, _("基本满意")
    UNSATISFIED = 1, _("不满意")


# The default categories and their due days (working days), which each city's office may change.
DEFAULT_CATEGORIES = [
    ("approval", _("审批"), 5),
    ("land", _("用地"), 15),
    ("financing", _("融资"), 10),
    ("utilities", _("水电气"), 5),
    ("labour", _("人才用工"), 10),
    ("policy", _("政策兑现"), 10),
    ("environment", _("营商环境"), 5),
    ("other", _("其他"), 10),
]


class ProblemEventKind(models.TextChoices):
    RAISED = "raised", _("提出")
    ASSIGNED = "assigned", _("交办")
    ACCEPTED = "accepted", _("受理")
    ANSWERED = "answered", _("答复")
    SOLVED = "solved", _("办结")
    CLOSED = "closed", _("确认办结")
    REOPENED = "reopened", _("退回重办")
    ESCALATED = "escalated", _("督办")


class EscalationReason(models.TextChoices):
    """屡诉督办: why a problem went to supervision."""

    OVERDUE = "overdue", _("逾期未办结")
    REOPENED = "reopened", _("退回重办")
    REPEATED = "repeated", _("同一企业同类问题第三次提出")


class MeetingKind(models.TextChoices):
    BREAKFAST = "breakfast", _("早餐会")
    TEA = "tea", _("下午茶")
    SALON = "salon", _("夜沙龙")
    DISPATCH = "dispatch", _("月度调度会")
    JOINT = "joint", _("联席会议")
    EXPERT = "expert", _("专家评审会")
    OTHER = "other", _("其他")
