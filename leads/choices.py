"""Where a lead came from, where it stands, and what can happen to it next."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadSource(models.TextChoices):
    VISIT = "visit", _("走访")
    EVENT = "event", _("推介会")
    TRIP = "trip", _("外出招商")
    INTERMEDIARY = "intermediary", _("中介机构")
    CHAMBER = "chamber", _("商协会")
    AMBASSADOR = "ambassador", _("招商大使")
    SELF_APPROACH = "self_approach", _("企业主动对接")
    OTHER = "other", _("其他")


class LeadStatus(models.TextChoices):
    """Where a lead is in the office's hands (seed 000: report → assess together → push → accept)."""

    REPORTED = "reported", _("待研判")
    DISPATCHED = "dispatched", _("已推送待接收")
    ACCEPTED = "accepted", _("已接收跟进")
    RETURNED = "returned", _("已退回待重新研判")
    REJECTED = "rejected", _("研判不予推送")
    CLOSED = "closed", _("已关闭")


# The only moves a lead's status may make; every other is refused with a message.
STATUS_TRANSITIONS = {
    LeadStatus.REPORTED: {LeadStatus.DISPATCHED, LeadStatus.REJECTED},
    LeadStatus.DISPATCHED: {LeadStatus.ACCEPTED, LeadStatus.RETURNED, LeadStatus.DISPATCHED},
    LeadStatus.RETURNED: {LeadStatus.DISPATCHED, LeadStatus.REJECTED},
    LeadStatus.ACCEPTED: {LeadStatus.CLOSED},
    LeadStatus.REJECTED: {LeadStatus.REPORTED},
    LeadStatus.CLOSED: {LeadStatus.ACCEPTED},
}


class PoolKind(models.TextChoices):
    """What reaching a pool means: still being worked, landed (the goal), or lost."""

    OPEN = "open", _("跟进中")
    LANDED = "landed", _("已落地")
    LOST = "lost", _("已失效")


# The default "四库"; each city may rename, add or retire pools (the seeds do not define them).
DEFAULT_POOLS = [
    ("collected", _("线索库"), PoolKind.OPEN),
    ("negotiating", _("在谈库"), PoolKind.OPEN),
    ("signed", _("签约库"), PoolKind.OPEN),
    ("landed", _("落地库"), PoolKind.LANDED),
    ("lost", _("已失效"), PoolKind.LOST),
]


class LeadEventKind(models.TextChoices):
    REPORTED = "reported", _("报送")
    EDITED = "edited", _("修改")
    ASSESSED = "assessed", _("研判")
    DISPATCHED = "dispatched", _("推送")
    ACCEPTED = "accepted", _("接收")
    RETURNED = "returned", _("退回")
    REJECTED = "rejected", _("不予推送")
    SHARED = "shared", _("共享")
    POOL_MOVED = "pool_moved", _("转库")
    FOLLOW_UP = "follow_up", _("跟进")
    CLOSED = "closed", _("关闭")
    REOPENED = "reopened", _("重新打开")
    CONFLICT = "conflict", _("发现撞单")
    CONFLICT_DECIDED = "conflict_decided", _("撞单裁定")
    CONVERTED = "converted", _("转为项目")


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("待裁定")
    DECIDED = "decided", _("已裁定")
