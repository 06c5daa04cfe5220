"""A lead's page offers the county that accepted it "转为项目", and once converted links to the project."""

import datetime

import pytest
from django.urls import reverse

from core.testing import login_as
from projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted_lead(org):
    from leads import services as lead_services

    lead = lead_services.create_lead(
        actor=org["team_member"],
        name="宁德时代动力电池项目",
        collected_date=datetime.date(2022, 9, 1),
        investor_name="宁德时代新能源科技股份有限公司",
        content="建设年产 20GWh 动力电池生产基地，配套电池回收产线",
        estimated_amount="约50亿元",
        contact_reached=True,
    )
    lead_services.assess_lead(actor=org["office"], lead=lead, grade="A", receiving_unit=org.county, opinion="推送")
    lead_services.accept_lead(actor=org["county"], lead=lead)
    return lead


def test_the_county_converts_its_accepted_lead_from_the_leads_page(client, org, accepted_lead):
    login_as(client, org["county"])
    page = client.get(accepted_lead.get_absolute_url()).content.decode()
    convert = reverse("projects:project_from_lead", args=[accepted_lead.pk])
    assert convert in page and "转为项目" in page
    form = client.get(convert)
    assert form.status_code == 200 and "宁德时代" in form.content.decode()


def test_after_conversion_the_lead_links_to_its_project(client, org, accepted_lead):
    from projects import services

    project = services.create_project_from_lead(actor=org["county"], lead=accepted_lead)
    login_as(client, org["county"])
    page = client.get(accepted_lead.get_absolute_url()).content.decode()
    assert project.get_absolute_url() in page
    assert reverse("projects:project_from_lead", args=[accepted_lead.pk]) not in page
    # The team that reported it sees the link too (it may read the project its lead became).
    login_as(client, org["team_member"])
    assert project.get_absolute_url() in client.get(accepted_lead.get_absolute_url()).content.decode()


def test_the_reporting_team_is_not_offered_the_conversion(client, org, accepted_lead):
    login_as(client, org["team_member"])
    page = client.get(accepted_lead.get_absolute_url()).content.decode()
    assert reverse("projects:project_from_lead", args=[accepted_lead.pk]) not in page
    assert not Project.objects.exists()
