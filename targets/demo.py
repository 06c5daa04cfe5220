"""Demo targets for 运城 (2022) from seed 000's "二级目标体系", set through targets.services as the office would.

- 常态化目标: each of the seven teams' routine monthly targets (20 visits incl. 2 universities, 10 effective
  leads, 5 invitations, 2 signed projects, 1 promotion event) for every month from January to August 2022;
- 阶段性目标: the 百日大会战, September 1 to December 31 2022, per team (60 / 30 / 15 / 6 / 3), and the
  city-wide "1521" goal over the same months (1000 companies, 500 leads, 200 invited, 100 signed);
- people's yearly targets for 2022: each team or squad leader (组长/队长) stationed ≥ 30 days; each
  county or zone head who leads outbound trips (外出招商带队领导, a person in the city) ≥ 6 trips.

The campaign replaces the routine targets during its run: seed 000 describes the 百日大会战 as the autumn
drive of the same teams on the same indicators, and the services refuse two targets of one indicator for
one unit in overlapping periods — so the routine monthly targets cover January to August only, and the
teams' September–December targets are the campaign's.

Idempotent: a unit (or person) that already has a target of the template's indicators in the period is
skipped, so a second run adds nothing (and a target the office changed is left as it is).
"""

import datetime

from django.db import transaction

from organizations.choices import Role
from organizations.models import Membership, User

from . import selectors, services
from .choices import TEMPLATE_VALUES, Indicator, Template
from .models import Target

YEAR = 2022
YEAR_START, YEAR_END = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
ROUTINE_END = datetime.date(YEAR, 8, 31)
CAMPAIGN_START, CAMPAIGN_END = datetime.date(YEAR, 9, 1), datetime.date(YEAR, 12, 31)
# The day the story is told up to (the outreach demo's "截至发稿日", early November 2022).
STORY_DAY = datetime.date(YEAR, 11, 4)


def _missing_units(units, template, start, end):
    """Those of `units` without any target of the template's indicators overlapping start–end."""
    indicators = list(TEMPLATE_VALUES[template])
    taken = set(
        Target.objects.filter(unit__in=units, indicator__in=indicators, start__lte=end, end__gte=start).values_list(
            "unit_id", flat=True
        )
    )
    return [u for u in units if u.pk not in taken]


def _team_leaders(city):
    return list(
        User.objects.filter(
            pk__in=Membership.objects.filter(
                role=Role.TEAM_LEADER, active=True, unit__path__startswith=city.path
            ).values("user_id"),
            is_active=True,
            home_unit__path__startswith=city.path,
        ).order_by("id")
    )


def _trip_leaders(city):
    from outreach.models import OutboundTrip

    return list(
        User.objects.filter(
            pk__in=OutboundTrip.objects.filter(leader__isnull=False, unit__path__startswith=city.path).values(
                "leader_id"
            ),
            is_active=True,
            home_unit__path__startswith=city.path,
        ).order_by("id")
    )


def _person_targets(*, city, actor, people, indicator):
    made = 0
    taken = set(
        Target.objects.filter(
            person__in=people, indicator=indicator, start__lte=YEAR_END, end__gte=YEAR_START
        ).values_list("person_id", flat=True)
    )
    for person in people:
        if person.pk in taken:
            continue
        services.create_target(
            actor=actor,
            owner=city,
            indicator=indicator,
            start=YEAR_START,
            end=YEAR_END,
            value=TEMPLATE_VALUES[Template.PEOPLE_YEARLY][indicator],
            person=person,
            name=str(Template.PEOPLE_YEARLY.label),
            template=Template.PEOPLE_YEARLY,
        )
        made += 1
    return made


@transaction.atomic
def load_targets_demo(*, city, actor):
    """Set 运城's 2022 demo targets once; return counts of the city's targets afterwards.

    `city` is 运城 (its organisation and outreach demo loaded), `actor` its office person (黄锋斌).
    """
    teams = services.teams_of(city)
    routine = _missing_units(teams, Template.ROUTINE_MONTHLY, YEAR_START, ROUTINE_END)
    if routine:
        services.apply_template(
            actor=actor, owner=city, template=Template.ROUTINE_MONTHLY, start=YEAR_START, end=ROUTINE_END, units=routine
        )
    campaign = _missing_units(teams, Template.HUNDRED_DAYS, CAMPAIGN_START, CAMPAIGN_END)
    if campaign:
        services.apply_template(
            actor=actor,
            owner=city,
            template=Template.HUNDRED_DAYS,
            start=CAMPAIGN_START,
            end=CAMPAIGN_END,
            units=campaign,
            name="百日大会战",
        )
    if _missing_units([city], Template.CITY_1521, CAMPAIGN_START, CAMPAIGN_END):
        services.apply_template(
            actor=actor, owner=city, template=Template.CITY_1521, start=CAMPAIGN_START, end=CAMPAIGN_END
        )
    _person_targets(city=city, actor=actor, people=_team_leaders(city), indicator=Indicator.DAYS_STATIONED)
    _person_targets(city=city, actor=actor, people=_trip_leaders(city), indicator=Indicator.OUTBOUND_TRIPS)
    return counts(city)


def counts(city):
    """How many targets the city has, per template, and how many are behind on the story day."""
    targets = Target.objects.filter(owner=city)
    out = {str(label): targets.filter(template=value).count() for value, label in Template.choices}
    running = targets.filter(start__lte=STORY_DAY, end__gte=STORY_DAY).select_related("unit", "person")
    out["目标"] = targets.count()
    out["落后"] = sum(1 for p in selectors.progress(running, today=STORY_DAY) if p.behind)
    return out
