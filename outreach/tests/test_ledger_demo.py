"""The demo ledgers reproduce seed 000's figure and load once."""

import io

from django.core.management import call_command

from organizations.models import Unit
from outreach.models import Inspection, OutboundTrip, Stationing, Visit


def load():
    call_command("load_demo", stdout=io.StringIO())


def test_the_seven_teams_visited_the_781_companies_seed_000_reports(db):
    load()
    teams = Unit.objects.filter(parent__code="YC", kind="team")
    visits = Visit.objects.filter(unit__in=teams)
    assert visits.values("company_id").distinct().count() == 781
    assert set(visits.values_list("unit__name", flat=True)) == set(teams.values_list("name", flat=True))
    # A year of work: every month from January to the report in early November has visits.
    assert {d.month for d in visits.values_list("visit_date", flat=True)} == set(range(1, 12))
    # Universities are visited (a team's monthly target includes two).
    assert visits.filter(company__kind="university").exists()
    assert Inspection.objects.filter(unit__in=teams, host_units__isnull=False).exists()
    assert OutboundTrip.objects.filter(unit__kind="county").exists()


def test_every_team_leader_is_stationed_at_least_30_days(db):
    load()
    for team in Unit.objects.filter(parent__code="YC", kind="team"):
        days = sum(Stationing.objects.filter(unit=team).values_list("days", flat=True))
        assert days >= 30, team.name


def test_loading_the_demo_ledgers_twice_adds_nothing(db):
    load()
    counts = (Visit.objects.count(), Inspection.objects.count(), OutboundTrip.objects.count())
    load()
    assert (Visit.objects.count(), Inspection.objects.count(), OutboundTrip.objects.count()) == counts
