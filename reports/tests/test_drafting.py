"""A draft is made from the period's records: each figure equals the records built by hand (conftest.build_week),
the text names what was done, and each figure links to a list holding exactly the records it counts."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from core.testing import login_as, make_person
from organizations.choices import Role, UnitKind
from reports.choices import PLANS_PLACEHOLDER, ReportKind
from reports.drafting import figure_links
from targets import selectors as target_selectors
from targets.choices import Indicator

from .conftest import MONDAY, build_week, draft

pytestmark = pytest.mark.django_db


def test_the_weekly_draft_counts_the_teams_records_of_the_week_and_nothing_else(org):
    w = build_week(org)
    report = draft(org)
    assert (report.start, report.end) == (MONDAY, MONDAY.replace(day=14))
    assert report.owner == org.city and report.unit == org.team and report.created_by == org["team_member"]
    assert report.figures == {
        "visits": w.visits,
        "visited_companies": len(w.companies),
        "university_visits": w.universities,
        "leads": len(w.leads),
        "effective_leads": len(w.effective),
        "inspections": w.inspections,
        "events": w.events,
        "signed_projects": len(w.projects),
        "signed_investment": str(w.investment),
        "problems": len(w.problems),
        "open_problems": w.open_problems,
        "project_problems": len(w.project_problems),
    }
    # The ineffective lead is reported but not effective.
    assert report.figures["leads"] - report.figures["effective_leads"] == 1


def test_the_figures_are_the_targets_figures_for_the_same_unit_and_week(org):
    build_week(org)
    report = draft(org)
    counted = {
        key: target_selectors.unit_counts(indicator, report.start, report.end, [org.team], org.city.pk)[org.team.pk]
        for key, indicator in [
            ("visits", Indicator.VISITS),
            ("university_visits", Indicator.UNIVERSITY_VISITS),
            ("effective_leads", Indicator.EFFECTIVE_LEADS),
            ("inspections", Indicator.INSPECTIONS),
            ("events", Indicator.EVENTS),
            ("signed_projects", Indicator.SIGNED_PROJECTS),
            ("signed_investment", Indicator.SIGNED_INVESTMENT),
        ]
    }
    assert {k: Decimal(report.figures[k]) for k in counted} == counted


def test_the_text_has_the_numbered_sections_and_names_what_was_done(org):
    w = build_week(org)
    body = draft(org).body
    sections = [
        "一、本周工作开展情况",
        "二、线索收集与对接情况",
        "三、邀请考察与签约情况",
        "四、存在的问题",
        "五、下周工作打算",
    ]
    positions = [body.index(s) for s in sections]
    assert positions == sorted(positions)
    for name in [*w.companies, *w.leads, *w.projects, *w.problems, *w.project_problems]:
        assert name in body
    for name in w.not_counted:
        assert name not in body
    assert body.count("【实效】") == len(w.effective)
    assert f"开展走访{w.visits}次" in body and f"其中走访高校{w.universities}次" in body
    assert "总投资10.00亿元" in body
    assert body.rstrip().endswith(PLANS_PLACEHOLDER)


def test_a_month_counts_every_week_of_it_and_says_next_month(org):
    w = build_week(org)
    report = draft(org, kind=ReportKind.MONTHLY, start=MONDAY)
    assert (report.start.day, report.end.day) == (1, 31)
    assert report.figures["visits"] == w.visits + 1  # the visit of 15 May is in May too
    assert "一、本月工作开展情况" in report.body and "五、下月工作打算" in report.body
    assert report.title == "北京招商组2023年5月工作总结"


def test_an_empty_week_says_so(org):
    report = draft(org)
    assert set(report.figures.values()) <= {0, "0"}
    assert "本周未报送新的线索。" in report.body and "本周暂无签约项目。" in report.body
    assert "本周未提出新的问题诉求。" in report.body


def test_a_squads_report_counts_the_squad_and_a_countys_records_are_not_its_own(org):
    member = make_person("squad_member", org.squad, Role.TEAM_MEMBER, "小分队小孙")
    from outreach import services as outreach_services

    outreach_services.create_visit(actor=member, visit_date=MONDAY, content="对接", company_name="小分队走访有限公司")
    outreach_services.create_visit(
        actor=org["county"], visit_date=MONDAY, content="对接", company_name="县区走访有限公司", unit=org.county
    )
    report = draft(org, member, unit=org.squad)
    assert report.figures["visits"] == 1 and "小分队走访有限公司" in report.body
    assert "县区走访有限公司" not in report.body
    assert org.squad.kind == UnitKind.SQUAD


def listed(client, url):
    """How many records the list page at `url` says it holds."""
    response = client.get(url)
    assert response.status_code == 200, url
    found = re.search(r"共 (\d+) 条", response.content.decode())
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("persona", ["team_member", "office"])
def test_each_figure_links_to_a_list_holding_exactly_the_records_it_counts(org, persona):
    build_week(org)
    report = draft(org)
    client = login_as(Client(), org[persona])
    links = figure_links(report)
    for key in ("visits", "leads", "effective_leads", "inspections", "events", "signed_projects", "problems"):
        assert listed(client, links[key]) == report.figures[key], key
    assert listed(client, links["open_problems"]) == report.figures["open_problems"]
