"""Demo assessment for 运城 (2022), set through assessment.services as the office would.

- "2022年驻点招商组月度考核": the seven stationed teams, January to December 2022, weighted as seed 000 stresses
  results over work ("让领先者有动力、落后者有压力"): visits 20, effective leads 25, inspections 15 and signed
  projects 30, each scored on its share of the team's targets capped at 120%; promotion events 10, by rank.
- "2022年县（市、区）和开发区考核": the counties and zones on what lands in them — signed projects, signed
  investment, started projects, funds arrived — each by rank (the city sets the counties no numeric targets in the
  demo, so a share of a target would score nothing).

September and October 2022 are locked for both, on the demo's story day (targets.demo.STORY_DAY, early November
2022): the service refuses a month not yet over, so the story day is passed as `today`. The locks are then dated
back to the office meetings they describe (the audit log keeps the true times), as projects.demo dates its history.

Idempotent: a scheme already there (by name, in the city) is kept as it is, a period already locked is skipped.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from targets.choices import Indicator
from targets.demo import STORY_DAY

from . import services
from .choices import Rule, Subjects
from .models import PeriodLock, Scheme

YEAR = 2022
TEAMS = "2022年驻点招商组月度考核"
COUNTIES = "2022年县（市、区）和开发区考核"
SCHEMES = {
    TEAMS: {
        "subjects": Subjects.TEAMS,
        "description": "按月考核各驻点招商组：工作量（走访、邀请考察、推介）与成效（实效线索、签约项目）并重，"
        "成效权重更高。按完成月度目标的比例计分，超额完成的以 120% 封顶；专场推介会按各组排名计分。"
        "每月排名由市招商中心锁定后通报，年终按全市奖惩办法兑现。",
        "items": [
            {"indicator": Indicator.VISITS, "weight": 20, "rule": Rule.SHARE, "cap": 120},
            {"indicator": Indicator.EFFECTIVE_LEADS, "weight": 25, "rule": Rule.SHARE, "cap": 120},
            {"indicator": Indicator.INSPECTIONS, "weight": 15, "rule": Rule.SHARE, "cap": 120},
            {"indicator": Indicator.SIGNED_PROJECTS, "weight": 30, "rule": Rule.SHARE, "cap": 120},
            {"indicator": Indicator.EVENTS, "weight": 10, "rule": Rule.RANK, "cap": 100},
        ],
    },
    COUNTIES: {
        "subjects": Subjects.COUNTIES,
        "description": "考核各县（市、区）和开发区项目落地：签约项目数和签约投资额、开工项目、到位资金，按排名计分。",
        "items": [
            {"indicator": Indicator.SIGNED_PROJECTS, "weight": 30, "rule": Rule.RANK},
            {"indicator": Indicator.SIGNED_INVESTMENT, "weight": 30, "rule": Rule.RANK},
            {"indicator": Indicator.STARTED_PROJECTS, "weight": 20, "rule": Rule.RANK},
            {"indicator": Indicator.FUNDS_ARRIVED, "weight": 20, "rule": Rule.RANK},
        ],
    },
}
# The months published, and the day (and time) each was locked at the office's meeting after it.
LOCKED_MONTHS = {9: datetime.datetime(YEAR, 10, 10, 9, 30), 10: datetime.datetime(YEAR, 11, 3, 16, 0)}


@transaction.atomic
def load_assessment_demo(*, city, actor):
    """Create 运城's two 2022 schemes and lock September and October; return counts of what the city has."""
    for name, spec in SCHEMES.items():
        scheme = Scheme.objects.filter(owner=city, name=name).first()
        if scheme is None:
            scheme = services.create_scheme(
                actor=actor,
                owner=city,
                name=name,
                subjects=spec["subjects"],
                start=datetime.date(YEAR, 1, 1),
                end=datetime.date(YEAR, 12, 31),
                description=spec["description"],
                items=spec["items"],
            )
        for month, at in LOCKED_MONTHS.items():
            start, end = services.month_period(YEAR, month)
            if PeriodLock.objects.filter(scheme=scheme, start=start, end=end).exists():
                continue
            lock = services.lock_period(
                actor=actor,
                scheme=scheme,
                start=start,
                end=end,
                note=f"{YEAR}年{month}月考核结果，经市招商中心主任办公会审定后通报。",
                today=STORY_DAY,
            )
            PeriodLock.objects.filter(pk=lock.pk).update(locked_at=timezone.make_aware(at))
    return counts(city)


def counts(city):
    schemes = Scheme.objects.filter(owner=city)
    return {"方案": schemes.count(), "锁定": PeriodLock.objects.filter(scheme__in=schemes).count()}
