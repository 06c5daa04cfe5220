"""The demo's copper chain (issue 8's done-when): its page shows the 补链 gaps, segments present, weak and
missing, targets in the directory for a missing one, and its "六个一" filled in.

The whole demo is loaded once for the module (root conftest's `loaded_demo`); each test is rolled back.
"""

import pytest
from django.test import Client

from chains import selectors
from chains.choices import Progress, SegmentState
from chains.demo import MAP_CHAIN, MAP_POLICY_TITLE, load_chain_map_demo
from chains.models import ChainPromotion, IndustryChain
from core.models import AuditEvent
from core.testing import login_as
from enterprises.models import Company
from organizations.models import User


@pytest.fixture
def city(loaded_demo, db):
    return loaded_demo


@pytest.fixture
def copper(city):
    return IndustryChain.objects.select_related("cluster__owner").get(cluster__owner=city, name=MAP_CHAIN)


@pytest.fixture
def office():
    return User.objects.get(username="zhongxin")


def test_the_demo_chain_has_segments_present_weak_and_missing_and_targets_for_a_missing_one(copper, office):
    chain_map = selectors.chain_map(office, copper)
    assert {s.state for s in chain_map.segments} == set(SegmentState)
    missing_with_targets = [s for s in chain_map.gaps if s.state == SegmentState.MISSING and s.target_count]
    assert missing_with_targets
    # The targets are the directory's own companies, outside 运城, furthest along first.
    rows = list(selectors.gap_candidates(office, copper, [missing_with_targets[0].pk]))
    assert rows and all(r.company.city not in selectors.local_place_names(copper.cluster.owner) for r in rows)
    assert [r.progress for r in rows] == sorted((r.progress for r in rows), reverse=True)
    everywhere = list(selectors.gap_candidates(office, copper, [s.pk for s in chain_map.gaps]))
    assert {r.progress for r in everywhere} >= {Progress.SIGNED, Progress.LEAD_PUSHED, Progress.NONE}


def test_the_demo_chain_page_shows_its_gaps_and_its_six_ones(copper, office):
    page = login_as(Client(), office).get(copper.get_absolute_url()).content.decode()
    gaps = page.split('data-testid="chain-gaps"')[1].split('data-testid="chain-leaders"')[0]
    assert gaps.count('data-testid="gap"') == len(selectors.chain_map(office, copper).gaps) > 0
    assert 'data-testid="gap-candidate"' in gaps and "已签约项目" in gaps
    promotion = ChainPromotion.objects.select_related("team", "chain_leader__company").get(chain=copper)
    assert promotion.leader_name and promotion.team is not None and promotion.chain_leader is not None
    six = page.split('data-testid="chain-promotion"')[1].split('data-testid="chain-map"')[0]
    assert promotion.leader_name in six and promotion.team.name in six
    assert promotion.chain_leader.company.name in six and MAP_POLICY_TITLE in six
    assert promotion.policies.get().attachments.count() == 1


def test_loading_the_chain_map_demo_again_changes_nothing(city, copper, office):
    before = (Company.objects.count(), AuditEvent.objects.count(), ChainPromotion.objects.count())
    assert load_chain_map_demo(city=city, actor=office) == copper
    assert (Company.objects.count(), AuditEvent.objects.count(), ChainPromotion.objects.count()) == before
