"""The demo's projects and rounds reproduce the seeds: 运城's 22 signed projects (seed 000) and the rates
古县, 阳城 and 交城 publish for their "三个一批" rounds (seeds 001, 004), and they load once.

The whole demo is loaded once for the module (as `load_demo` does: organisation, chains, ledgers, leads,
projects); each test runs inside it and is rolled back, and the module's load is rolled back at the end.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F

from core.models import Attachment
from enterprises.models import Company
from leads.models import Lead
from organizations.choices import Role
from organizations.models import Membership, Unit, User
from projects import selectors
from projects.choices import Batch, RateBasis, Stage, Verification
from projects.models import MonthlyProgress, Project, Round, RoundEntry, StageChange

# What each zone's round pages must show, as the seed publishes it: {basis: {rate: display}}.
PUBLISHED = {
    "LF-GX-KFQ": {
        RateBasis.AMOUNT: {"signed_started": "96%", "started_producing": "62%", "producing_capacity": "100%"},
        RateBasis.COUNT: {"signed_started": "91%"},
    },
    "JC-YC-KFQ": {
        RateBasis.AMOUNT: {"signed_started": "100%", "started_producing": "71.7%", "producing_capacity": "100%"},
    },
    "LL-JC-KFQ": {RateBasis.AMOUNT: {"signed_started": "100%", "producing_capacity": "100%"}},
}
# Per batch: (projects, 万元) as the seed lists them; and what reached the next stage (projects, 万元 listed).
BATCHES = {
    "LF-GX-KFQ": {
        Batch.SIGNED: ((11, 239000), (10, 229000)),
        Batch.STARTED: ((9, 101200), (7, 84000)),
        Batch.PRODUCING: ((7, 278800), (7, 278800)),
    },
    "JC-YC-KFQ": {
        Batch.SIGNED: ((12, 381400), (12, 381400)),
        Batch.STARTED: ((10, 288700), (9, 282700)),
        Batch.PRODUCING: ((9, 257000), (9, 257000)),
    },
    "LL-JC-KFQ": {
        Batch.SIGNED: ((6, 76400), (6, 76400)),
        Batch.STARTED: ((8, 116300), None),
        Batch.PRODUCING: ((5, 485400), (5, 485400)),
    },
}
ROUNDS = {"LF-GX-KFQ": (7, 0), "JC-YC-KFQ": (4, 1), "LL-JC-KFQ": (4, 0)}
RATE_BATCH = {"signed_started": Batch.SIGNED, "started_producing": Batch.STARTED, "producing_capacity": Batch.PRODUCING}


@pytest.fixture
def city(loaded_demo, db):
    return loaded_demo


@pytest.mark.parametrize("zone_code", list(PUBLISHED))
def test_each_zones_round_pages_show_the_published_rates(city, zone_code):
    rounds = Round.objects.filter(host_unit__code=zone_code)
    count, decimals = ROUNDS[zone_code]
    assert rounds.count() == count and set(rounds.values_list("rate_decimals", flat=True)) == {decimals}
    for basis, published in PUBLISHED[zone_code].items():
        found = {r.key: r for r in selectors.round_rates(rounds, basis, decimals=decimals)}
        assert {key: found[key].display for key in published} == published
        for key in published:
            assert found[key].basis == basis
    by_amount = {r.key: r for r in selectors.round_rates(rounds, RateBasis.AMOUNT, decimals=decimals)}
    for key, batch in RATE_BATCH.items():
        (listed, listed_amount), reached = BATCHES[zone_code][batch]
        rate = by_amount[key]
        assert (rate.extra["listed"], rate.extra["listed_amount"]) == (listed, listed_amount)
        if reached is not None:
            assert (rate.extra["reached"], rate.extra["reached_amount"]) == reached


def test_the_completed_investment_behind_the_production_rates_comes_from_monthly_reports(city):
    """古县 6.31亿 of 10.12亿; 阳城 20.7亿 of 28.87亿 (seed 001)."""
    for zone_code, completed in (("LF-GX-KFQ", Decimal(63100)), ("JC-YC-KFQ", Decimal(207000))):
        entries = RoundEntry.objects.filter(
            round__host_unit__code=zone_code, batch=Batch.STARTED, project__producing_on__isnull=False
        )
        projects = Project.objects.filter(pk__in=entries.values("project_id"))
        assert sum(p.completed_investment for p in projects) == completed
        for project in projects:
            latest = project.progress_reports.order_by("-month").first()
            assert latest.completed_investment == project.completed_investment
            assert project.completed_investment <= project.total_investment


def test_the_rounds_amounts_are_varied_and_each_project_is_listed_once(city):
    for zone_code in PUBLISHED:
        entries = RoundEntry.objects.filter(round__host_unit__code=zone_code)
        amounts = list(entries.values_list("investment", flat=True))
        assert max(amounts) > 5 * min(amounts) and len(set(amounts)) > len(amounts) // 2
        assert entries.values("project").distinct().count() == entries.count()
        # Every entry's project is at the zone and reached its batch's stage, confirmed.
        for entry in entries.select_related("project", "project__host_unit"):
            assert entry.project.host_unit.code == zone_code and entry.project.signed_on is not None
            assert entry.investment == entry.project.total_investment


def test_yuncheng_has_the_22_signed_projects_of_the_funnel(city):
    """781 : 579 : 112 : 22 — the leads in 签约库 and 落地库 became the 22 counted projects."""
    projects = Project.objects.filter(owner=city)
    counted = projects.counted()
    assert counted.count() == 22
    signed_leads = Lead.objects.filter(owner=city).counted().filter(pool__code__in=("signed", "landed"))
    assert set(counted.values_list("lead_id", flat=True)) == set(signed_leads.values_list("id", flat=True))
    landed = counted.filter(lead__pool__code="landed")
    assert landed.count() == 6 and not landed.filter(started_on__isnull=True).exists()
    assert counted.filter(producing_on__isnull=False).count() == 2
    assert counted.filter(stage=Stage.SUSPENDED).count() == 1
    # A few moves await the verifier: they show as pending and are in 陈静's queue.
    hejian = User.objects.get(username="hejian")
    pending = selectors.pending_changes_for(hejian)
    assert pending.count() == 3 and {c.project.owner_id for c in pending} == {city.pk}
    assert counted.exclude(stage=F("verified_stage")).count() == 3
    for project in counted.prefetch_related("team", "progress_reports"):
        # Signed between the lead's collection and the report in early November 2022, each with its 包联.
        assert project.lead.collected_date <= project.signed_on <= datetime.date(2022, 11, 4)
        assert project.leader_name and project.responsible_unit_id and project.team.exists()
        assert project.chain_id and project.in_library
        # Monthly reports through October 2022 (one signed in November has none yet).
        months = [r.month for r in project.progress_reports.all()]
        assert bool(months) == (project.signed_on < datetime.date(2022, 11, 1))
        assert all(project.signed_on.replace(day=1) <= month <= datetime.date(2022, 10, 1) for month in months)
        assert project.completed_investment <= project.total_investment
    # The biggest is the city leader's; those of 2亿 or more carry the 四包.
    biggest = counted.order_by("-total_investment").first()
    assert biggest.leader.username == "leader"
    for project in counted.filter(total_investment__gte=20000):
        assert project.duties.count() == 4


def test_every_confirmed_move_has_evidence_and_a_second_person(city):
    changes = StageChange.objects.filter(verification=Verification.CONFIRMED).select_related("project")
    assert changes.count() > 200
    verifiers = set(Membership.objects.filter(role=Role.VERIFIER).values_list("user_id", flat=True))
    for change in changes:
        assert change.verified_by_id in verifiers and change.verified_by_id != change.actor_id
        assert change.attachments.exists()
        # Recorded and confirmed on the days of the history they describe.
        assert change.at.date() == change.happened_on and change.verified_at.date() > change.happened_on
    # Each city's moves are confirmed by that city's verifier.
    for code in ("LF", "JC", "LL"):
        by = set(changes.filter(project__owner__code=code).values_list("verified_by__home_unit__code", flat=True))
        assert by == {code}
    # Monthly reports were mostly on time; a few late, flagged.
    reports = MonthlyProgress.objects.all()
    late = reports.filter(late=True).count()
    assert 0 < late < reports.count() // 5


def test_loading_the_demo_twice_adds_nothing(city):
    models = (Project, StageChange, MonthlyProgress, Round, RoundEntry, Attachment, Company, User, Membership)
    before = [model.objects.count() for model in models]
    call_command("load_demo", stdout=io.StringIO())
    assert [model.objects.count() for model in models] == before


def test_gu_countys_period_page_publishes_96_percent_as_the_seed_does(city, client):
    """The seed's 96% is 古县's figure over its seven rounds since 2022: the period page shows it, whole."""
    from django.urls import reverse

    from core.testing import login_as

    zone = Unit.objects.get(code="LF-GX-KFQ")
    user = Membership.objects.filter(unit=zone, role=Role.COUNTY_STAFF).first().user
    login_as(client, user)
    page = client.get(reverse("projects:round_rates"), {"unit": zone.pk, "basis": "amount"}).content.decode()
    assert "96%" in page and "62%" in page
    by_count = client.get(reverse("projects:round_rates"), {"unit": zone.pk, "basis": "count"}).content.decode()
    assert "91%" in by_count
