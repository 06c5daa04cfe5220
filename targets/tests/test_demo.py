"""The demo's targets are seed 000's "二级目标体系" for 运城 in 2022, and what they show reached is what the
demo's ledgers hold, counted here by hand with plain queries (not the selectors), so a selector that
counted differently would fail.

The whole demo is loaded once for the module (root conftest's `loaded_demo`); each test is rolled back.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from leads.models import Lead, LeadSettings
from organizations.choices import Role, UnitKind
from organizations.models import Membership, Unit
from outreach.models import Inspection, OutboundTrip, Visit
from projects.models import Project, ProjectSettings
from targets import selectors
from targets.choices import Indicator, Template
from targets.models import Target

SEPT_1, DEC_31 = datetime.date(2022, 9, 1), datetime.date(2022, 12, 31)
MAY_1, MAY_31 = datetime.date(2022, 5, 1), datetime.date(2022, 5, 31)


@pytest.fixture
def city(loaded_demo, db):
    return loaded_demo


def teams(city):
    return list(Unit.objects.filter(path__startswith=city.path, kind=UnitKind.TEAM, active=True))


def test_each_template_made_its_targets(city):
    targets = Target.objects.filter(owner=city)
    assert len(teams(city)) == 7
    # 7 teams × 8 months (January–August) × 6 indicators; the 百日大会战 takes September–December.
    routine = targets.filter(template=Template.ROUTINE_MONTHLY)
    assert routine.count() == 7 * 8 * 6
    assert {(t.start, t.end) for t in routine} == {
        (datetime.date(2022, m, 1), (datetime.date(2022, m + 1, 1) - datetime.timedelta(days=1))) for m in range(1, 9)
    }
    campaign = targets.filter(template=Template.HUNDRED_DAYS)
    assert campaign.count() == 7 * 5
    assert set(campaign.values_list("start", "end")) == {(SEPT_1, DEC_31)}
    assert campaign.get(unit__code="YC-T-HZ", indicator=Indicator.VISITS).value == 60
    goal = targets.filter(template=Template.CITY_1521)
    assert {t.indicator: t.value for t in goal} == {
        Indicator.VISITS: 1000,
        Indicator.EFFECTIVE_LEADS: 500,
        Indicator.INSPECTIONS: 200,
        Indicator.SIGNED_PROJECTS: 100,
    }
    assert set(goal.values_list("unit_id", "start", "end")) == {(city.pk, SEPT_1, DEC_31)}
    # No team has two targets of one indicator in overlapping periods.
    for team in teams(city):
        for indicator in Indicator.values:
            periods = sorted(targets.filter(unit=team, indicator=indicator).values_list("start", "end"))
            assert all(a_end < b_start for (_a, a_end), (b_start, _b) in zip(periods, periods[1:], strict=False))


def test_people_have_their_yearly_targets(city):
    people = Target.objects.filter(owner=city, template=Template.PEOPLE_YEARLY)
    leaders = set(
        Membership.objects.filter(role=Role.TEAM_LEADER, active=True, unit__path__startswith=city.path).values_list(
            "user_id", flat=True
        )
    )
    stationed = people.filter(indicator=Indicator.DAYS_STATIONED)
    assert len(leaders) >= 7 and set(stationed.values_list("person_id", flat=True)) == leaders
    assert set(stationed.values_list("value", flat=True)) == {30}
    assert stationed.filter(person__username="wangfeng", start=datetime.date(2022, 1, 1)).exists()
    trip_leaders = set(
        OutboundTrip.objects.filter(unit__path__startswith=city.path, leader__isnull=False).values_list(
            "leader_id", flat=True
        )
    )
    trips = people.filter(indicator=Indicator.OUTBOUND_TRIPS)
    assert set(trips.values_list("person_id", flat=True)) == trip_leaders
    assert set(trips.values_list("value", flat=True)) <= {6}
    # Each leader's stationed days in 2022, counted by hand, are what the target shows.
    counted = selectors.reached(list(stationed))
    for target in stationed.select_related("person"):
        days = sum(
            (min(s.end_date, target.end) - max(s.start_date, target.start)).days + 1
            for s in target.person.stationings.filter(start_date__lte=target.end, end_date__gte=target.start)
        )
        assert counted[target.pk] == days
    assert any(counted.values())


def _effective(lead, rule):
    return (
        (not rule.requires_investor or lead.investor_id is not None)
        and (not rule.requires_content or len((lead.content or "").strip()) >= rule.min_content_length)
        and (not rule.requires_amount or (lead.estimated_amount or 0) > 0)
        and (not rule.requires_contact or lead.contact_reached)
    )


def test_the_1521_goal_counts_the_citys_records_from_september_to_december(city):
    goal = {t.indicator: t for t in Target.objects.filter(owner=city, template=Template.CITY_1521)}
    counted = selectors.reached(list(goal.values()))

    visits = Visit.objects.filter(unit__path__startswith=city.path, visit_date__gte=SEPT_1, visit_date__lte=DEC_31)
    rule = LeadSettings.objects.filter(owner=city).first() or LeadSettings(grades=["A", "B", "C"])
    leads = Lead.objects.filter(
        owner=city,
        duplicate_of__isnull=True,
        reporting_unit__path__startswith=city.path,
        collected_date__gte=SEPT_1,
        collected_date__lte=DEC_31,
    )
    effective = [lead for lead in leads if _effective(lead, rule)]
    inspections = Inspection.objects.filter(
        unit__path__startswith=city.path, inspection_date__gte=SEPT_1, inspection_date__lte=DEC_31
    )
    settings = ProjectSettings.objects.filter(owner=city).first()
    minimum = settings.min_count_amount if settings else 0
    signed = [
        p
        for p in Project.objects.filter(owner=city, signed_on__gte=SEPT_1, signed_on__lte=DEC_31).select_related(
            "lead__reporting_unit", "host_unit"
        )
        if p.predecessor_id is None
        and p.total_investment >= minimum
        and (
            (p.lead and p.lead.reporting_unit.path.startswith(city.path))
            or (p.host_unit and p.host_unit.path.startswith(city.path))
        )
    ]
    by_hand = {
        Indicator.VISITS: visits.count(),
        Indicator.EFFECTIVE_LEADS: len(effective),
        Indicator.INSPECTIONS: inspections.count(),
        Indicator.SIGNED_PROJECTS: len(signed),
    }
    assert all(by_hand.values()), by_hand
    # Some leads of the period are not effective: the rule is applied, not every lead counted.
    assert len(effective) < leads.count()
    assert {indicator: counted[t.pk] for indicator, t in goal.items()} == {k: Decimal(v) for k, v in by_hand.items()}


def test_each_teams_routine_may_counts_that_teams_visits_in_may(city):
    may = Target.objects.filter(
        owner=city,
        template=Template.ROUTINE_MONTHLY,
        start=MAY_1,
        indicator__in=[Indicator.VISITS, Indicator.UNIVERSITY_VISITS],
    ).select_related("unit")
    counted = selectors.reached(list(may))
    assert may.count() == 14
    universities_total = 0
    for target in may:
        visits = Visit.objects.filter(
            unit__path__startswith=target.unit.path, visit_date__gte=MAY_1, visit_date__lte=MAY_31
        )
        if target.indicator == Indicator.UNIVERSITY_VISITS:
            visits = visits.filter(company__kind="university")
            universities_total += visits.count()
        else:
            assert visits.exists()
        assert counted[target.pk] == visits.count(), target
    # The university share is a part of the visits, and the demo teams do visit universities.
    assert universities_total > 0
    for team in teams(city):
        by_indicator = {t.indicator: counted[t.pk] for t in may if t.unit_id == team.pk}
        assert by_indicator[Indicator.UNIVERSITY_VISITS] <= by_indicator[Indicator.VISITS]


def test_loading_twice_adds_nothing_and_prints_the_summary(city):
    before = list(Target.objects.order_by("pk").values_list("pk", "value"))
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert list(Target.objects.order_by("pk").values_list("pk", "value")) == before
    line = next(line for line in out.getvalue().splitlines() if line.startswith("目标："))
    assert f"目标：{len(before)} 个，其中落后 " in line and "2022年11月4日" in line
