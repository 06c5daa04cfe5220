"""Whom a scheme ranks and how an indicator turns into points."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.choices import UnitKind


class Subjects(models.TextChoices):
    TEAMS = "teams", _("驻点招商组")
    COUNTIES = "counties", _("县（市、区）和开发区")


SUBJECT_KINDS = {
    Subjects.TEAMS: (UnitKind.TEAM,),
    Subjects.COUNTIES: (UnitKind.COUNTY, UnitKind.ZONE),
}


class Rule(models.TextChoices):
    # points = weight × min(reached / target, cap) — a unit without a target for the indicator scores 0 on it.
    SHARE = "share", _("按完成目标比例计分（封顶）")
    # points = weight × (n − rank + 1) / n among the n units ranked, ties sharing a rank; nothing reached scores 0.
    RANK = "rank", _("按排名计分")
