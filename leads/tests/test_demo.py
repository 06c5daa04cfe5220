"""The demo leads reproduce seed 000's funnel (781 : 579 : 112 : 22) and load once."""

import pytest

from leads.choices import ConflictStatus, LeadEventKind, LeadStatus
from leads.demo import load_leads_demo
from leads.models import FollowUp, Lead, LeadConflict, LeadEvent, LeadPool
from organizations.models import Unit
from outreach.models import Visit

CONNECTED_POOLS = ("negotiating", "signed", "landed")


@pytest.fixture
def demo(loaded_demo, db):
    return loaded_demo


def test_the_teams_funnel_is_seed_000s(demo):
    teams = Unit.objects.filter(parent=demo, kind="team")
    visited = Visit.objects.filter(unit__in=teams).values("company_id").distinct().count()
    counted = Lead.objects.filter(owner=demo).counted()
    connected = counted.filter(pool__code__in=CONNECTED_POOLS)
    signed = counted.filter(pool__code__in=("signed", "landed"))
    assert (visited, counted.count(), connected.count(), signed.count()) == (781, 579, 112, 22)
    # Every counted lead was reported by one of the seven teams, each team some.
    assert set(counted.values_list("reporting_unit__kind", flat=True)) == {"team"}
    assert counted.values("reporting_unit").distinct().count() == 7
    # All in the demo year, none after the report in early November.
    dates = counted.values_list("collected_date", flat=True)
    assert min(dates).year == 2022 and max(dates).isoformat() <= "2022-11-04"


def test_the_one_lead_found_twice_is_kept_but_never_counted(demo):
    duplicate = Lead.objects.get(owner=demo, duplicate_of__isnull=False)
    assert Lead.objects.filter(owner=demo).count() == 580
    assert duplicate.investor == duplicate.duplicate_of.investor
    assert duplicate.reporting_unit.kind == "squad" and duplicate.status == LeadStatus.REJECTED
    decided = LeadConflict.objects.get(lead=duplicate)
    assert decided.status == ConflictStatus.DECIDED and decided.other_lead == duplicate.duplicate_of
    # Three conflicts in all: the duplicate, one the office settled, one awaiting its decision.
    conflicts = LeadConflict.objects.filter(lead__owner=demo)
    assert conflicts.count() == 3
    assert conflicts.filter(status=ConflictStatus.OPEN).count() == 1
    for conflict in conflicts:
        assert conflict.lead.investor == conflict.other_lead.investor
        assert conflict.lead.reporting_unit != conflict.other_lead.reporting_unit


def test_every_pool_and_every_status_is_used(demo):
    leads = Lead.objects.filter(owner=demo)
    pools = LeadPool.objects.filter(owner=demo)
    assert set(leads.values_list("pool", flat=True)) == set(pools.values_list("pk", flat=True))
    assert set(leads.values_list("status", flat=True)) == set(LeadStatus.values)
    # Most are assessed and pushed, to the counties and zones of the city.
    pushed = leads.filter(receiving_unit__isnull=False)
    assert pushed.count() > 450
    assert set(pushed.values_list("receiving_unit__kind", flat=True)) <= {"county", "zone"}
    assert pushed.values("receiving_unit").distinct().count() >= 13
    assert set(leads.exclude(grade="").values_list("grade", flat=True)) == {"A", "B", "C"}
    # A rejected or lost lead says why.
    assert not leads.filter(status__in=[LeadStatus.REJECTED, LeadStatus.CLOSED], closing_reason="").exists()
    # Amounts are in 万元, between 500 and 500000.
    amounts = leads.exclude(estimated_amount=None).values_list("estimated_amount", flat=True)
    assert 500 <= min(amounts) and max(amounts) <= 500000


def test_leads_come_from_visits_mostly_and_from_every_other_source(demo):
    leads = Lead.objects.filter(owner=demo).counted()
    by_visit = leads.filter(source="visit")
    assert by_visit.count() > leads.count() / 2
    assert not by_visit.filter(visit__isnull=True).exists()
    # A lead found on a visit names the company visited, by the team that visited it.
    for lead in by_visit.select_related("visit")[:50]:
        assert (lead.visit.unit_id, lead.visit.company_id) == (lead.reporting_unit_id, lead.investor_id)
        assert lead.visit.visit_date <= lead.collected_date
    assert {"event", "trip", "chamber", "ambassador"} <= set(leads.values_list("source", flat=True))
    assert leads.filter(source="event", event__isnull=False).exists()
    assert leads.filter(source="trip", trip__isnull=False).exists()


def test_each_step_is_on_the_timeline_in_order(demo):
    leads = Lead.objects.filter(owner=demo)
    assert LeadEvent.objects.filter(lead__owner=demo, kind=LeadEventKind.REPORTED).count() == leads.count()
    # Returned leads: some still await the office, some were pushed again elsewhere and accepted.
    returned = LeadEvent.objects.filter(kind=LeadEventKind.RETURNED).values_list("lead_id", flat=True)
    assert leads.filter(status=LeadStatus.RETURNED).exists()
    assert leads.filter(pk__in=returned, status=LeadStatus.ACCEPTED).exists()
    for lead in leads.filter(pool__code="landed"):
        kinds = list(lead.events.order_by("at", "id").values_list("kind", flat=True))
        assert kinds[0] == LeadEventKind.REPORTED
        for step in (LeadEventKind.ASSESSED, LeadEventKind.DISPATCHED, LeadEventKind.ACCEPTED):
            assert step in kinds
        assert kinds.index(LeadEventKind.ACCEPTED) < len(kinds) - 1
        times = list(lead.events.order_by("at", "id").values_list("at", flat=True))
        assert times == sorted(times)
        assert lead.assessed_at <= lead.dispatched_at <= lead.accepted_at
    assert FollowUp.objects.filter(lead__owner=demo).exists()


def test_a_few_unassessed_leads_are_past_their_deadline(demo):
    waiting = Lead.objects.filter(owner=demo, status=LeadStatus.REPORTED)
    overdue = waiting.filter(assess_due__lt="2022-11-04")
    assert 1 <= overdue.count() < waiting.count() <= 15


def test_loading_the_demo_leads_twice_adds_nothing(demo):
    counts = (Lead.objects.count(), LeadEvent.objects.count(), FollowUp.objects.count(), LeadConflict.objects.count())
    again = load_leads_demo(city_code="YC")
    assert again["线索"] == 579
    assert (
        Lead.objects.count(),
        LeadEvent.objects.count(),
        FollowUp.objects.count(),
        LeadConflict.objects.count(),
    ) == counts
