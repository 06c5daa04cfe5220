"""The rates the seeds publish, reproduced from records entered through the services (seed 001, 003, 004),
and the counting rules (统计口径) the office sets."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.scope import forget_scope
from organizations.choices import Role
from organizations.models import Membership
from projects import selectors, services
from projects.choices import AmendmentKind, Batch, RateBasis, Stage
from projects.models import Amendment, Project

pytestmark = pytest.mark.django_db

YI = Decimal(10000)


def amounts(total_yi, n):
    """`n` amounts in 万元 summing exactly to `total_yi` 亿元."""
    total = Decimal(str(total_yi)) * YI
    each = (total / n).quantize(Decimal("0.0001"))
    return [each] * (n - 1) + [total - each * (n - 1)]


@pytest.fixture
def zone_rounds(org, make_project, walk):
    """Build a zone's rounds from the seed's figures: each batch's projects, how far each got, what each completed.

    `batches` maps a batch to a list of (amount in 万元, stage reached, completed investment in 万元 or None);
    the projects are spread over `rounds` rounds, every one entered and moved through the services.
    """

    def build(name, batches, rounds, decimals):
        held = [datetime.date(2022, 3, 1) + datetime.timedelta(days=91 * i) for i in range(rounds)]
        made = [
            services.create_round(
                actor=org["office"],
                host_unit=org.county,
                name=f"{name}第{i + 1}次“三个一批”",
                held_on=day,
                rate_decimals=decimals,
            )
            for i, day in enumerate(held)
        ]
        n = 0
        for batch, projects in batches.items():
            for amount, reached, completed in projects:
                n += 1
                project = make_project(name=f"{name}{batch}项目{n}", total_investment=amount)
                walk(project, reached, start=datetime.date(2022, 1, 10))
                if completed is not None:
                    services.report_progress(
                        actor=org["county"],
                        project=project,
                        month=datetime.date(2022, 12, 1),
                        completed_investment=completed,
                        progress="主体工程完工，设备安装调试",
                    )
                services.add_to_round(actor=org["office"], round=made[n % rounds], project=project, batch=batch)
        return made

    return build


def rates(rounds, basis, decimals):
    return {r.key: r for r in selectors.round_rates(rounds, basis, decimals=decimals)}


def test_gu_countys_three_rates_as_published_and_by_count(zone_rounds):
    """古县 2022-, seven rounds: 签约 11 (23.9亿), 10 started (22.9亿) → 96%, by number 91%; 开工 9 (10.12亿),
    7 in production completing 6.31亿 → 62%; 投产 7 (27.88亿), all at capacity → 100%."""
    signed = [(a, Stage.STARTED, None) for a in amounts("22.9", 10)] + [(YI, Stage.SIGNED, None)]
    producing = amounts("8.4", 7)
    completed = amounts("6.31", 7)
    started = [(a, Stage.PRODUCING, c) for a, c in zip(producing, completed, strict=True)]
    started += [(a, Stage.STARTED, a / 2) for a in amounts("1.72", 2)]
    at_capacity = [(a, Stage.AT_CAPACITY, None) for a in amounts("27.88", 7)]
    rounds = zone_rounds(
        "古县", {Batch.SIGNED: signed, Batch.STARTED: started, Batch.PRODUCING: at_capacity}, rounds=7, decimals=0
    )
    by_amount = rates(rounds, RateBasis.AMOUNT, 0)
    by_count = rates(rounds, RateBasis.COUNT, 0)
    assert by_amount["signed_started"].display == "96%"
    assert (by_amount["signed_started"].numerator, by_amount["signed_started"].denominator) == (229000, 239000)
    assert by_count["signed_started"].display == "91%"
    assert (by_count["signed_started"].numerator, by_count["signed_started"].denominator) == (10, 11)
    assert by_amount["started_producing"].display == "62%"
    assert (by_amount["started_producing"].numerator, by_amount["started_producing"].denominator) == (63100, 101200)
    assert by_amount["started_producing"].extra["reached_amount"] == Decimal(84000)  # the 8.4亿 the seed lists
    assert by_count["started_producing"].display == "78%"
    assert by_amount["producing_capacity"].display == by_count["producing_capacity"].display == "100%"
    assert by_amount["producing_capacity"].denominator == Decimal(278800)
    # Each figure links to the list of projects behind it.
    assert by_amount["signed_started"].link_params == {"batch": Batch.SIGNED, "reached": "started"}


def test_yangchengs_three_rates_to_one_decimal(zone_rounds):
    """阳城 2023, four rounds: 签约 12 (38.14亿), all started → 100%; 开工 10 (28.87亿), 9 in production
    completing 20.7亿 → 71.7%; 投产 9 (25.7亿), all at capacity → 100%."""
    signed = [(a, Stage.STARTED, None) for a in amounts("38.14", 12)]
    started = [(a, Stage.PRODUCING, c) for a, c in zip(amounts("28.27", 9), amounts("20.7", 9), strict=True)]
    started.append((Decimal(6000), Stage.STARTED, Decimal(3000)))
    at_capacity = [(a, Stage.AT_CAPACITY, None) for a in amounts("25.7", 9)]
    rounds = zone_rounds(
        "阳城", {Batch.SIGNED: signed, Batch.STARTED: started, Batch.PRODUCING: at_capacity}, rounds=4, decimals=1
    )
    by_amount = rates(rounds, RateBasis.AMOUNT, 1)
    by_count = rates(rounds, RateBasis.COUNT, 1)
    assert [by_amount[k].display for k in ("signed_started", "started_producing", "producing_capacity")] == [
        "100%",
        "71.7%",
        "100%",
    ]
    assert by_amount["started_producing"].denominator == Decimal(288700)
    assert by_amount["started_producing"].numerator == Decimal(207000)
    assert by_count["started_producing"].display == "90%"
    assert by_count["signed_started"].display == by_count["producing_capacity"].display == "100%"


def test_jiaochengs_rates(zone_rounds):
    """交城 2023, four rounds: 签约 6 (7.64亿), all started → 100%; 开工 8 (11.63亿); 投产 5 (48.54亿) → 100%."""
    signed = [(a, Stage.STARTED, None) for a in amounts("7.64", 6)]
    started = [(a, Stage.STARTED, None) for a in amounts("11.63", 8)]
    at_capacity = [(a, Stage.AT_CAPACITY, None) for a in amounts("48.54", 5)]
    rounds = zone_rounds(
        "交城", {Batch.SIGNED: signed, Batch.STARTED: started, Batch.PRODUCING: at_capacity}, rounds=4, decimals=0
    )
    for basis in RateBasis.values:
        found = rates(rounds, basis, 0)
        assert found["signed_started"].display == found["producing_capacity"].display == "100%"
    summary = selectors.batch_summary(rounds)
    assert {b: (s["count"], s["amount"]) for b, s in summary.items()} == {
        Batch.SIGNED: (6, Decimal(76400)),
        Batch.STARTED: (8, Decimal(116300)),
        Batch.PRODUCING: (5, Decimal(485400)),
    }


def test_a_start_counts_in_the_rate_only_once_the_verifier_confirmed_it(org, make_project, walk, move):
    rnd = services.create_round(
        actor=org["office"], host_unit=org.county, name="2023年第一次“三个一批”", held_on=datetime.date(2023, 3, 1)
    )
    project = walk(make_project(total_investment=Decimal(20000)), Stage.SIGNED)
    services.add_to_round(actor=org["office"], round=rnd, project=project, batch=Batch.SIGNED)
    change = move(project, Stage.STARTED, datetime.date(2023, 4, 1), confirm=False)
    assert rates([rnd], RateBasis.AMOUNT, 1)["signed_started"].display == "0%"
    services.verify_stage(actor=org.verifier, change=change, confirm=True)
    assert rates([rnd], RateBasis.AMOUNT, 1)["signed_started"].display == "100%"


def test_a_move_counts_only_once_a_second_person_confirmed_it(org, make_project, move):
    project = make_project(total_investment=Decimal("20000"))
    change = move(project, Stage.SIGNED, datetime.date(2022, 3, 1), confirm=False)
    assert project.stage == Stage.SIGNED and project.pending and project.signed_on is None
    # Someone who is not a verifier cannot confirm.
    with pytest.raises(PermissionDenied, match="只有项目核验员"):
        services.verify_stage(actor=org["office"], change=change, confirm=True)
    # A county's own verifier who recorded the move cannot confirm it either: four eyes.
    Membership.objects.create(user=org["county"], unit=org.county, role=Role.VERIFIER)
    forget_scope(org["county"])
    with pytest.raises(ValidationError, match="记录人以外"):
        services.verify_stage(actor=org["county"], change=change, confirm=True)
    project.refresh_from_db()
    assert project.pending and not Project.objects.counted().exists()
    services.verify_stage(actor=org.verifier, change=change, confirm=True)
    project.refresh_from_db()
    assert project.signed_on == datetime.date(2022, 3, 1) and not project.pending


# --- The signed projects' rates (seed 003; 许昌's practice) --------------------------------------------


def test_performance_start_funds_and_completion_rates_of_signed_projects(org, make_project, walk, move):
    """履约率 and 开工率 by count over signed; 资金到位率 and 投资完成率 by amount over the contract amounts."""
    started = walk(make_project(name="已开工项目", total_investment=2 * YI), Stage.STARTED)
    services.report_progress(
        actor=org["county"],
        project=started,
        month=datetime.date(2022, 5, 1),
        completed_investment=Decimal(8000),
        funds_fixed=Decimal(6000),
        funds_non_fixed=Decimal(2000),
        funds_outside_province=Decimal(5000),
        progress="厂房主体施工",
    )
    late = walk(make_project(name="逾期未开工项目", total_investment=YI, expected_start="2022-06-01"), Stage.SIGNED)
    services.report_progress(
        actor=org["county"],
        project=late,
        month=datetime.date(2022, 4, 1),
        completed_investment=0,
        funds_fixed=Decimal(1000),
        progress="前期手续办理中",
    )
    walk(make_project(name="按期推进项目", total_investment=YI, expected_start="2023-06-01"), Stage.SIGNED)
    halted = walk(make_project(name="停建项目", total_investment=YI), Stage.SIGNED)
    move(halted, Stage.SUSPENDED, datetime.date(2022, 6, 1), reason="企业资金链紧张，暂停建设")
    # Not signed: in no figure.
    make_project(name="在谈项目", total_investment=9 * YI)
    figures = {r.key: r for r in selectors.signed_rates(Project.objects.counted(), today=datetime.date(2022, 12, 31))}
    assert (figures["start"].numerator, figures["start"].denominator, figures["start"].display) == (1, 4, "25%")
    # 履约: the started one and the one still within its planned start; not the late one, not the halted one.
    assert (figures["performance"].numerator, figures["performance"].display) == (2, "50%")
    assert (figures["funds"].numerator, figures["funds"].denominator) == (Decimal(9000), Decimal(50000))
    assert figures["funds"].display == "18%" and figures["funds"].basis == RateBasis.AMOUNT
    assert (figures["completion"].numerator, figures["completion"].display) == (Decimal(8000), "16%")
    assert figures["start"].basis == RateBasis.COUNT


# --- Counting rules (统计口径) ------------------------------------------------------------------------


def test_a_capital_increase_adds_its_amount_not_a_project(org, make_project, walk):
    project = walk(make_project(total_investment=YI), Stage.SIGNED)
    services.amend_project(
        actor=org["office"],
        project=project,
        kind=AmendmentKind.CAPITAL_INCREASE,
        happened_on=datetime.date(2022, 9, 1),
        amount=Decimal(5000),
        note="企业追加二期投资",
    )
    counted = Project.objects.counted()
    assert counted.count() == 1 and Project.objects.count() == 1
    assert counted.get().total_investment == Decimal(15000)
    assert Amendment.objects.get(project=project).amount == Decimal(5000)
    funds = {r.key: r for r in selectors.signed_rates(counted)}["funds"]
    assert funds.denominator == Decimal(15000)


def test_a_re_signed_project_is_not_counted_again(org, make_project, walk):
    first = walk(make_project(name="年产5万吨铝箔项目", total_investment=YI), Stage.SIGNED)
    again = make_project(name="年产5万吨铝箔项目（重新签约）", total_investment=YI, predecessor=first)
    walk(again, Stage.SIGNED, start=datetime.date(2022, 8, 1))
    again.refresh_from_db()
    assert again.signed_on is not None
    assert list(Project.objects.counted()) == [first]
    # A rename is the same project too.
    services.amend_project(
        actor=org["office"],
        project=first,
        kind=AmendmentKind.RENAME,
        happened_on=datetime.date(2022, 9, 1),
        new_name="年产8万吨高端铝箔项目",
    )
    assert [p.name for p in Project.objects.counted()] == ["年产8万吨高端铝箔项目"]


def test_the_minimum_amount_setting_excludes_smaller_projects(org, make_project, walk):
    small = walk(make_project(name="小项目", total_investment=Decimal(5000)), Stage.SIGNED)
    big = walk(make_project(name="大项目", total_investment=2 * YI), Stage.SIGNED)
    settings = services.project_settings_for(org.city)
    assert set(selectors.counted_projects(Project.objects.all(), settings)) == {small, big}
    settings = services.update_project_settings(actor=org["office"], owner=org.city, min_count_amount="1亿")
    assert settings.min_count_amount == YI
    assert list(selectors.counted_projects(Project.objects.all(), settings)) == [big]
    # Only the office sets the rules.
    with pytest.raises(PermissionDenied):
        services.update_project_settings(actor=org["county"], owner=org.city, min_count_amount=0)
