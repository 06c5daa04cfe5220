"""Positions of a segment along a chain, and how a company leads one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SegmentPosition(models.TextChoices):
    UPSTREAM = "upstream", _("上游")
    MIDSTREAM = "midstream", _("中游")
    DOWNSTREAM = "downstream", _("下游")


class LeaderKind(models.TextChoices):
    CHAIN_LEADER = "chain_leader", _("链主")
    CHAIN_CORE = "chain_core", _("链核")


class SegmentState(models.TextChoices):
    """Where the city stands in a segment of a chain (有 / 弱 / 缺): "缺什么引什么、弱什么补什么" (seed 003)."""

    PRESENT = "present", _("有")
    WEAK = "weak", _("弱")
    MISSING = "missing", _("缺")


class Progress(models.IntegerChoices):
    """How far the city has come with a company it courts, as its records show (higher is further)."""

    NONE = 0, _("未接触")
    VISITED = 1, _("已走访")
    LEAD = 2, _("已报送线索")
    LEAD_PUSHED = 3, _("线索已推送/接收")
    SIGNED = 4, _("已签约项目")
