"""A visit's page offers "报送线索" to those who may report a lead for the visit's unit, and to no one else.

Who reports for a unit is who writes its ledgers: its team leader and members, or the
staff of the county (or zone) it belongs to. The office and leaders read the visit but
do not report leads; another team does not even see it.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from core.testing import login_as, make_person
from organizations.choices import Role
from outreach import services as outreach_services

TODAY = datetime.date.today()
LINK = 'data-testid="report-lead-link"'


def visit_page(user, visit):
    return login_as(Client(), user).get(visit.get_absolute_url())


@pytest.fixture
def team_visit(org):
    return outreach_services.create_visit(
        actor=org["team_member"], visit_date=TODAY, company_name="比亚迪股份有限公司", content="洽谈储能项目"
    )


@pytest.fixture
def squad_visit(org):
    """A visit by 盐湖区's squad: the squad's own people and 盐湖区's staff report for it."""
    member = make_person("squad_member", org.squad, Role.TEAM_MEMBER, "小分队小钱")
    return outreach_services.create_visit(
        actor=member, visit_date=TODAY, company_name="隆基绿能科技股份有限公司", content="光伏组件项目洽谈"
    )


def test_the_team_of_the_visit_is_offered_to_report_a_lead_from_it(org, team_visit):
    create = reverse("leads:lead_create") + f"?visit={team_visit.pk}"
    for persona in ("team_member", "team_leader"):
        response = visit_page(org[persona], team_visit)
        assert response.status_code == 200
        assert LINK in response.content.decode() and create in response.content.decode(), persona
    # The link leads to the lead form with the visit's company filled in.
    form = login_as(Client(), org["team_member"]).get(create).content.decode()
    assert "比亚迪股份有限公司" in form


@pytest.mark.parametrize("persona", ["office", "leader", "county"])
def test_those_who_read_a_teams_visit_but_do_not_report_for_the_team_are_not_offered_it(org, team_visit, persona):
    response = visit_page(org[persona], team_visit)
    if response.status_code == 200:
        assert LINK not in response.content.decode()
    else:
        assert response.status_code == 404


def test_another_team_does_not_see_the_visit_at_all(org, team_visit):
    assert visit_page(org.other_team_member, team_visit).status_code == 404


def test_the_county_above_a_squad_is_offered_to_report_from_the_squads_visit(org, squad_visit):
    assert LINK in visit_page(org["county"], squad_visit).content.decode()
    assert LINK not in visit_page(org["office"], squad_visit).content.decode()
