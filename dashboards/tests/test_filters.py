"""The filters added to the apps' FilterSets for the dashboard's drill-down (the list page and the API share them):
a city's records, counted leads and projects, connected leads, investors' province and region, the date a stage
was reached, a first contact, one row per company."""

import datetime

import pytest

from core.testing import api_client_for

from .builders import BEFORE, IN, LATER, company, inspection, lead, pools, problem, project, visit

pytestmark = pytest.mark.django_db


def names(user, path, **params):
    response = api_client_for(user).get(path, {**params, "page_size": 500})
    assert response.status_code == 200, response.content
    return sorted(row.get("name") or row.get("title") or str(row["id"]) for row in response.json()["results"])


def ids(user, path, **params):
    response = api_client_for(user).get(path, {**params, "page_size": 500})
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def test_leads_by_city_counted_connected_and_investors_origin(org):
    p = pools(org.city)
    zj, gd, blank = (
        company(org, "浙江甲公司", "浙江省"),
        company(org, "广东乙公司", "广东"),
        company(org, "无省份公司", ""),
    )
    collected = lead(org.city, org.team, IN, zj, pool=p["collected"])
    talking = lead(org.city, org.team, IN, gd, pool=p["negotiating"])
    landed = lead(org.city, org.squad, IN, blank, pool=p["landed"])
    lost = lead(org.city, org.team, IN, None, pool=p["lost"])
    duplicate = lead(org.city, org.team, IN, zj, pool=p["signed"], duplicate_of=collected)
    other = lead(org.other_city, org.other_city_county, IN, None, pool=pools(org.other_city)["collected"])
    office = org["office"]
    everyone = {collected.pk, talking.pk, landed.pk, lost.pk, duplicate.pk}
    assert set(ids(office, "/api/v1/leads/", city=org.city.pk)) == everyone
    assert set(ids(office, "/api/v1/leads/", counted="true")) == everyone - {duplicate.pk}
    assert set(ids(office, "/api/v1/leads/", counted="false")) == {duplicate.pk}
    assert set(ids(office, "/api/v1/leads/", connected="true")) == {talking.pk, landed.pk, duplicate.pk}
    assert set(ids(office, "/api/v1/leads/", connected="false")) == {collected.pk, lost.pk}
    assert ids(office, "/api/v1/leads/", province="浙江省") == sorted([collected.pk, duplicate.pk])
    assert ids(office, "/api/v1/leads/", region="pearl_delta") == [talking.pk]
    assert set(ids(office, "/api/v1/leads/", region="other")) == {landed.pk, lost.pk}
    # Another city's office finds nothing of 运城 with 运城's id; the city must be one they work in.
    lf = api_client_for(org["outsider"]).get("/api/v1/leads/", {"city": org.city.pk})
    assert lf.status_code == 400 and "运城" not in lf.content.decode()
    assert ids(org["outsider"], "/api/v1/leads/", counted="true") == [other.pk]


def test_projects_by_city_counted_stage_dates_origin_and_first_contact(org):
    from projects.models import ProjectSettings

    ProjectSettings.objects.create(owner=org.city, min_count_amount=1000)
    bj, sc = company(org, "北京丙公司", "北京市"), company(org, "四川丁公司", "四川省")
    counted = project(org.city, org.county, investors=[bj, sc], started=LATER, first_contact_on=BEFORE)
    started_early = project(org.city, org.county, investors=[bj], started=IN)
    nobody = project(org.city, org.zone, investors=[])
    small = project(org.city, org.county, total="500")
    again = project(org.city, org.county, predecessor=counted)
    unsigned = project(org.city, org.county, signed=None)
    office = org["office"]
    everyone = {counted.pk, started_early.pk, nobody.pk, small.pk, again.pk, unsigned.pk}
    assert set(ids(office, "/api/v1/projects/", city=org.city.pk)) == everyone
    assert set(ids(office, "/api/v1/projects/", counted="true")) == {counted.pk, started_early.pk, nobody.pk}
    started = {"reached": "started", "reached_from": (LATER - datetime.timedelta(days=1)).isoformat()}
    assert ids(office, "/api/v1/projects/", **started) == [counted.pk]
    assert ids(office, "/api/v1/projects/", reached_to=BEFORE.isoformat()) == []  # without `reached`: signed
    assert set(ids(office, "/api/v1/projects/", province="北京市")) == {counted.pk, started_early.pk}
    assert ids(office, "/api/v1/projects/", region="chengyu") == [counted.pk]
    assert set(ids(office, "/api/v1/projects/", region="other", counted="true")) == {nobody.pk}
    assert ids(office, "/api/v1/projects/", first_contact="true") == [counted.pk]


def test_visits_and_inspections_by_city_and_one_row_per_company(org):
    a, b = company(org, "走访甲公司", "浙江省"), company(org, "走访乙公司", "江苏省")
    first = visit(org.team, IN, a)
    visit(org.team, LATER, a)
    second_company = visit(org.squad, IN, b)
    visit(org.other_city_county, IN, company(org, "外市公司", "河北省", owner=org.other_city))
    office = org["office"]
    assert len(ids(office, "/api/v1/visits/", city=org.city.pk)) == 3
    assert ids(office, "/api/v1/visits/", city=org.city.pk, each_company="true") == sorted(
        [first.pk, second_company.pk]
    )
    assert ids(office, "/api/v1/visits/", unit=org.team.pk, each_company="true") == [first.pk]
    one = inspection(org.team, IN, a)
    inspection(org.team, LATER, a)
    assert ids(office, "/api/v1/inspections/", city=org.city.pk, each_company="true") == [one.pk]


def test_problems_by_city_include_complaints(org):
    raised = problem(org, raised_unit=org.county)
    complaint = problem(org)
    problem(org, owner=org.other_city)
    assert set(ids(org["office"], "/api/v1/problems/", city=org.city.pk)) == {raised.pk, complaint.pk}
