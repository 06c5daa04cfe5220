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
