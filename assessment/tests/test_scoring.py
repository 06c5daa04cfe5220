"""Scores and ranks against records built by hand: visits and inspections recorded through outreach's services,
targets set through targets' services. Every expected figure is worked out here from the records the test made,
by the rules the scheme states: share = reached / target capped; rank = weight × (n − r + 1) / n with ties."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.test import Client
from django.urls import reverse

from assessment import selectors, services
from assessment.selectors import competition_ranks
from core.testing import login_as

from .builders import MAY, D, inspections, item, scheme, target, third_team, visits

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")


def pts(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def by_unit(scores):
    return {s.unit.pk: s for s in scores}


def test_a_share_is_capped_and_a_unit_without_a_target_scores_nothing_on_it(org):
    third_team(org)
    made = {org.team: 15, org.other_team: 5, org.third_team: 3}
    visits(org["team_member"], made[org.team])
    visits(org.other_team_member, made[org.other_team])
    visits(org.third_member, made[org.third_team])
    inspections(org["team_member"], 2)
    inspections(org.other_team_member, 4)
    goals = {org.team: 10, org.other_team: 10}  # the third team has no visit target
    for team, value in goals.items():
        target(org, team, "visits", value)
        target(org, team, "inspections", 4)
    s = scheme(org, [item("visits", 60, cap=120), item("inspections", 40)])

    scores = by_unit(selectors.live_scores(s, *MAY))
    beijing, shanghai, hangzhou = (scores[t.pk] for t in (org.team, org.other_team, org.third_team))
    # 15 of 10 is 150%: capped at 120%, so 60 × 1.2; 2 of 4 inspections: 40 × 0.5.
    assert beijing.items[0].share == Decimal("150.0")
    assert beijing.items[0].points == pts(60 * Decimal("1.2"))
    assert beijing.items[1].points == pts(Decimal(40) * 2 / 4)
    # 4 of 4 inspections, capped at 100%: the weight and no more.
    assert shanghai.items[0].points == pts(Decimal(60) * 5 / 10) and shanghai.items[1].points == pts(40)
    # Three visits but no target: nothing on the share item (and no share shown).
    assert hangzhou.items[0].reached == 3 and hangzhou.items[0].target is None
    assert hangzhou.items[0].share is None and hangzhou.total == 0
    assert beijing.total == pts(60 * Decimal("1.2") + 20)
    assert [sc.unit for sc in selectors.live_scores(s, *MAY)] == [org.team, org.other_team, org.third_team]
    assert (beijing.rank, shanghai.rank, hangzhou.rank) == (1, 2, 3)


def test_a_rank_rule_shares_a_rank_on_a_tie_and_skips_the_next(org):
    third_team(org)
    visits(org["team_member"], 4)
    visits(org.other_team_member, 4)
    visits(org.third_member, 2)
    s = scheme(org, [item("visits", 100, rule="rank")])
    scores = by_unit(selectors.live_scores(s, *MAY))
    n = 3
    ranks = {pk: sc.items[0].rank for pk, sc in scores.items()}
    assert sorted(ranks.values()) == [1, 1, 3]
    assert ranks[org.team.pk] == ranks[org.other_team.pk] == 1 and ranks[org.third_team.pk] == 3
    for sc in scores.values():
        r = sc.items[0].rank
        assert sc.items[0].points == pts(Decimal(100) * (n - r + 1) / n)
    assert (scores[org.team.pk].rank, scores[org.other_team.pk].rank, scores[org.third_team.pk].rank) == (1, 1, 3)
    assert competition_ranks({"a": 5, "b": 3, "c": 5, "d": 1}) == {"a": 1, "c": 1, "b": 3, "d": 4}


def test_a_unit_that_reached_nothing_scores_nothing_on_a_rank_item(org):
    visits(org["team_member"], 1)
    s = scheme(org, [item("visits", 100, rule="rank")])
    scores = by_unit(selectors.live_scores(s, *MAY))
    assert scores[org.team.pk].items[0].points == 100
    assert scores[org.other_team.pk].items[0].points == 0


def test_a_yearly_target_read_for_a_month_is_prorated_by_days(org):
    visits(org["team_member"], 5)
    target(org, org.team, "visits", 120, period=(D(2023, 1, 1), D(2023, 12, 31)))
    # Monthly targets read for a quarter add up.
    for month in (4, 5, 6):
        first, last = services.month_period(2023, month)
        target(org, org.other_team, "visits", 20, period=(first, last))
    s = scheme(org, [item("visits", 100, cap=120)])
    scores = by_unit(selectors.live_scores(s, *MAY))
    expected = pts(Decimal(120) * 31 / 365)
    line = scores[org.team.pk].items[0]
    assert line.target == expected
    assert line.points == pts(Decimal(100) * min(Decimal(5) / expected, Decimal("1.2")))
    quarter = by_unit(selectors.live_scores(s, D(2023, 4, 1), D(2023, 6, 30)))
    assert quarter[org.other_team.pk].items[0].target == 60
    assert quarter[org.team.pk].items[0].target == pts(Decimal(120) * 91 / 365)


def test_each_figure_links_to_exactly_the_records_it_counts(org):
    counted = visits(org["team_member"], 3)
    others = visits(org.other_team_member, 2, prefix="上海")
    outside = visits(org["team_member"], 1, day=D(2023, 6, 2), prefix="六月")
    s = scheme(org, [item("visits", 100, rule="rank")])
    line = by_unit(selectors.live_scores(s, *MAY))[org.team.pk].items[0]
    assert line.reached == 3
    listed = login_as(Client(), org["office"]).get(line.url).content.decode()
    assert all(name in listed for name in counted)
    assert not any(name in listed for name in others + outside)
    assert "共 3 条" in listed


def test_a_locked_period_keeps_its_published_ranks_and_shows_the_change(org):
    visits(org["team_member"], 3)
    visits(org.other_team_member, 2)
    s = scheme(org, [item("visits", 100, rule="rank")])
    services.lock_period(actor=org["office"], scheme=s, start=MAY[0], end=MAY[1], note="五月通报")
    published = {sc.unit.pk: (sc.rank, sc.total) for sc in selectors.results(s, *MAY).scores}
    assert published == {org.team.pk: (1, Decimal("100.00")), org.other_team.pk: (2, Decimal("50.00"))}

    visits(org.other_team_member, 2, day=D(2023, 5, 20), prefix="补录")  # recorded after the lock
    after = selectors.results(s, *MAY)
    assert after.lock is not None and after.changed_after_lock
    assert {sc.unit.pk: (sc.rank, sc.total) for sc in after.scores} == published
    shanghai = by_unit(after.scores)[org.other_team.pk]
    assert shanghai.items[0].reached == 2 and shanghai.items[0].live_reached == 4
    assert shanghai.changed_after_lock and shanghai.live_rank == 1 and shanghai.live_total == 100
    beijing = by_unit(after.scores)[org.team.pk]
    # Its own records did not change, but the others' did: today it would come second.
    assert not beijing.changed_after_lock and (beijing.live_rank, beijing.live_total) == (2, 50)

    page = login_as(Client(), org["team_member"]).get(reverse("assessment:results", args=[s.pk]), {"month": "2023-05"})
    html = page.content.decode()
    assert "已锁定（招商中心小王于" in html and "五月通报" in html
    assert "锁定后记录变动：现为 4" in html and "按当前记录：100.00 分，第 1 名" in html
    assert "按当前记录：50.00 分，第 2 名" in html
    # A month not locked reads the records as they are.
    june = selectors.results(s, D(2023, 6, 1), D(2023, 6, 30))
    assert june.lock is None and not june.changed_after_lock
