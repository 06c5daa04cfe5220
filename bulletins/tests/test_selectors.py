"""The month's figures against the records built by hand, and their cost: a fixed number of queries whatever the
number of teams or records (2 teams and 6 teams, a few visits and many)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletins.selectors import monthly_figures, pct, yi
from core.testing import make_person, make_unit
from organizations.choices import Role, UnitKind
from targets import services as target_services
from targets.choices import Template

from .conftest import MAY, D, visit

pytestmark = pytest.mark.django_db


def test_the_months_figures_are_counted_from_the_records(org, may):
    figures = monthly_figures(org.city, 2023, 5)
    totals = {code: (row["month"], row["ytd"]) for code, row in figures["totals"].items()}
    visits = may.team_visits + may.other_team_visits
    signed = sum(amount for _p, amount in may.signed)
    assert totals["visits"] == (str(visits), str(visits + may.april_visits))
    assert totals["university_visits"] == (str(may.team_universities),) * 2
    assert totals["effective_leads"] == (str(may.effective_leads),) * 2  # the lead without content does not count
    assert totals["inspections"] == (str(may.inspections),) * 2
    assert totals["events"] == (str(may.events),) * 2
    assert totals["signed_projects"] == (str(len(may.signed)),) * 2
    assert totals["signed_investment"] == (yi(signed),) * 2
    assert totals["started_projects"] == (str(len(may.started)),) * 2
    assert totals["producing_projects"] == ("0", "0")
    # The "1521" goal over 2023, read at the end of May.
    goals = {g["indicator"]: g for g in figures["city_targets"]}
    assert (goals["visits"]["reached"], goals["visits"]["value"]) == (str(visits + may.april_visits), "1,000")
    assert goals["visits"]["elapsed"] == pct(100 * 151 / 365)  # 1 January to 31 May
    assert goals["signed_projects"]["share"] == pct(100 * len(may.signed) / 100)
    # The notable projects, biggest first.
    assert [p["name"] for p in figures["projects"]] == [p.name for p, _a in sorted(may.signed, key=lambda pa: -pa[1])]
    assert figures["issuer"] == "运城市招商投资促进中心"
    [ranking] = figures["rankings"]
    assert [row["name"] for row in ranking["rows"]] == ["北京招商组", "上海招商组"] and not ranking["locked"]


def test_a_locked_ranking_is_printed_as_locked(org, may):
    from assessment import services as assessment_services

    assessment_services.lock_period(
        actor=org["office"], scheme=may.scheme, start=MAY[0], end=MAY[1], today=D(2023, 6, 2)
    )
    visit(org.other_team_member, D(2023, 5, 31), "锁定后补录企业有限公司")
    [ranking] = monthly_figures(org.city, 2023, 5)["rankings"]
    assert ranking["locked"]
    # The locked result stands: 上海's late visit changes no published figure.
    assert ranking["rows"][1]["name"] == "上海招商组" and ranking["rows"][1]["total"] == "0.00"


def grow(org, n_teams, visits_each):
    """More teams, each with the routine month and a member who visits `visits_each` companies in May."""
    teams = []
    for i in range(n_teams):
        team = make_unit(f"YC-T-G{i}", f"增设{i}组", UnitKind.TEAM, org.city, sort_order=10 + i)
        member = make_person(f"g{i}_member", team, Role.TEAM_MEMBER, f"增设{i}组组员")
        for k in range(visits_each):
            visit(member, D(2023, 5, 1 + k % 28), f"增设{i}组企业{k}有限公司")
        teams.append(team)
    target_services.apply_template(
        actor=org["office"], owner=org.city, template=Template.ROUTINE_MONTHLY, start=MAY[0], end=MAY[1], units=teams
    )
    return teams


def test_the_figures_cost_the_same_queries_for_two_teams_and_for_six(org, may):
    with CaptureQueriesContext(connection) as two:
        small = monthly_figures(org.city, 2023, 5)
    assert len(small["teams"]["rows"]) == 2
    grow(org, 4, 6)
    with CaptureQueriesContext(connection) as six:
        big = monthly_figures(org.city, 2023, 5)
    assert len(big["teams"]["rows"]) == 6
    assert int(big["totals"]["visits"]["month"]) == int(small["totals"]["visits"]["month"]) + 4 * 6
    assert len(six.captured_queries) == len(two.captured_queries)


def test_those_who_met_every_target_are_ahead_and_those_who_missed_one_behind(org):
    june = (D(2023, 6, 1), D(2023, 6, 30))
    for unit, indicator, value in ((org.team, "visits", 1), (org.team, "events", 1), (org.other_team, "visits", 5)):
        target_services.create_target(
            actor=org["office"], owner=org.city, indicator=indicator, start=june[0], end=june[1], value=value, unit=unit
        )
    visit(org["team_member"], D(2023, 6, 2), "六月对接企业有限公司")
    from outreach import services as outreach_services

    outreach_services.create_event(actor=org["team_member"], title="六月推介会", event_date=D(2023, 6, 9), place="北京")
    visit(org.other_team_member, D(2023, 6, 3), "上海六月企业有限公司")
    figures = monthly_figures(org.city, 2023, 6)
    assert figures["ahead"] == ["北京招商组：本月各项目标任务全部完成"]
    assert figures["behind"] == [f"上海招商组：走访企业 1/5（{pct(100 * 1 / 5)}）未达进度"]
