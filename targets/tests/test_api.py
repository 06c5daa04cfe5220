"""/api/v1/targets/ and /api/v1/target-progress/city/ as each persona meets them: scope, the office's writes, bad
input in Chinese with nothing written, a fixed number of queries per page, and the same figures as the selectors."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from core.testing import Case, api_client_for, make_person, make_unit, run_matrix, statuses
from organizations.choices import Role, UnitKind
from outreach import services as outreach_services
from targets import selectors, services
from targets.choices import Indicator, Template
from targets.models import Target

pytestmark = pytest.mark.django_db

D = datetime.date
MAY = (D(2023, 5, 1), D(2023, 5, 31))
READERS = ("office", "leader", "sysadmin", "auditadmin")
LIST = "/api/v1/targets/"
CITY = "/api/v1/target-progress/city/"


def make(org, unit, indicator=Indicator.VISITS, value=20, name="", period=MAY, actor=None, owner=None):
    return services.create_target(
        actor=actor or org["office"],
        owner=owner or org.city,
        indicator=indicator,
        start=period[0],
        end=period[1],
        value=value,
        unit=unit,
        name=name,
    )


def written():
    return Target.objects.count(), AuditEvent.objects.exclude(action="login").count()


@pytest.fixture
def world(org):
    org.people["other_team"] = org.other_team_member
    lf_office = make_person("lf_office", org.other_city, Role.OFFICE_STAFF, "临汾招商中心")
    org.targets = {
        "team": make(org, org.team, name="北京组走访目标"),
        "other_team": make(org, org.other_team, name="上海组走访目标"),
        "county": make(org, org.county, name="盐湖区走访目标"),
        "squad": make(org, org.squad, name="小分队走访目标"),
        "elsewhere": make(org, org.other_city_county, name="古县走访目标", actor=lf_office, owner=org.other_city),
    }
    return org


def test_the_permission_matrix_of_the_api(world):
    team = world.targets["team"]
    yc = ["北京组走访目标", "上海组走访目标", "盐湖区走访目标", "小分队走访目标"]
    cases = [
        Case(
            url=LIST,
            expect=statuses(200, other_team=200),
            api=True,
            anonymous=401,
            shown={"office": yc, "leader": yc, "team_member": ["北京组走访目标"], "county": ["小分队走访目标"]},
            hidden={
                "office": ["古县走访目标"],
                "team_member": ["上海组走访目标", "盐湖区走访目标"],
                "other_team": ["北京组走访目标"],
                "county": ["北京组走访目标", "上海组走访目标"],
                "department": [*yc, "古县走访目标"],
                "outsider": yc,
            },
        ),
        Case(
            url=f"{LIST}{team.pk}/",
            expect=statuses(404, **dict.fromkeys(READERS, 200), team_leader=200, team_member=200),
            api=True,
            hidden={p: ["北京组走访目标"] for p in ("other_team", "county", "department", "outsider")},
        ),
        Case(
            url=f"{LIST}{team.pk}/",
            method="patch",
            data={"value": "30"},
            expect=statuses(
                404, office=200, team_leader=403, team_member=403, leader=403, sysadmin=403, auditadmin=403
            ),
            api=True,
        ),
        Case(
            url=f"{LIST}{world.targets['elsewhere'].pk}/",
            method="delete",
            # The audit administrator never writes through the API: refused before any lookup.
            expect=statuses(404, outsider=403, auditadmin=403),
            api=True,
        ),
        Case(url=CITY, expect=statuses(403, **dict.fromkeys(READERS, 200), other_team=403), api=True, anonymous=401),
    ]
    run_matrix(world, cases)


def test_nobody_but_the_office_creates_or_applies_a_template(world):
    before = written()
    body = {"indicator": "events", "unit": world.team.pk, "start": "2023-06-01", "end": "2023-06-30", "value": "1"}
    for persona in ("team_leader", "county", "leader", "outsider", "auditadmin"):
        client = api_client_for(world[persona])
        assert client.post(LIST, body, format="json").status_code == 403
        response = client.post(
            f"{LIST}apply-template/",
            {"template": "hundred_days", "start": "2022-09-01", "end": "2022-12-31"},
            format="json",
        )
        assert response.status_code == 403
    assert written() == before


def test_the_office_creates_updates_and_deletes_through_the_api(org):
    client = api_client_for(org["office"])
    body = {"indicator": "events", "unit": org.team.pk, "start": "2023-06-01", "end": "2023-06-30", "value": "2"}
    response = client.post(LIST, body, format="json")
    assert response.status_code == 201, response.json()
    made = response.json()
    assert (made["unit_name"], made["value"], made["reached"], made["elapsed"]) == (
        "北京招商组",
        "2.0000",
        "0",
        "100.0",
    )
    assert made["behind"] is True
    response = client.patch(f"{LIST}{made['id']}/", {"value": 3}, format="json")
    assert response.status_code == 200 and response.json()["value"] == "3.0000"
    assert client.delete(f"{LIST}{made['id']}/").status_code == 204
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"value": -5}, "value", "不能为负数"),
        ({"start": "2023-05-20", "end": "2023-06-10"}, "start", "期间不能重叠"),
        ({"unit": "department"}, "unit", "不能设定目标"),
        ({"start": "2023-07-31", "end": "2023-07-01"}, "end", "结束日期不能早于开始日期"),
        ({"indicator": "days_stationed"}, "person", "个人指标"),
        ({"colour": "red"}, "colour", "不能在此填写"),
    ],
)
def test_bad_input_on_the_api_is_named_in_chinese_and_nothing_is_written(org, change, field, message):
    make(org, org.team, name="已有目标")
    body = {"indicator": "visits", "unit": org.team.pk, "start": "2023-07-01", "end": "2023-07-31", "value": "20"}
    body.update(change)
    if body["unit"] == "department":
        body["unit"] = org.department.pk
    before = written()
    response = api_client_for(org["office"]).post(LIST, body, format="json")
    assert response.status_code == 400
    assert any(message in m for m in response.json()[field]), response.json()
    assert written() == before


def test_a_template_through_the_api_is_all_or_nothing(org):
    client = api_client_for(org["office"])
    response = client.post(
        f"{LIST}apply-template/",
        {"template": "hundred_days", "start": "2022-09-01", "end": "2022-12-31"},
        format="json",
    )
    assert response.status_code == 201
    assert {t["unit_name"] for t in response.json()} == {"北京招商组", "上海招商组"}
    assert len(response.json()) == 2 * 5
    before = written()
    response = client.post(
        f"{LIST}apply-template/",
        {"template": "routine_monthly", "start": "2022-08-01", "end": "2022-09-30", "units": [org.other_team.pk]},
        format="json",
    )
    assert response.status_code == 400 and "期间不能重叠" in response.json()["start"][0]
    response = client.post(
        f"{LIST}apply-template/",
        {"template": "hundred_days", "start": "2023-12-31", "end": "2023-09-01"},
        format="json",
    )
    assert response.status_code == 400 and "结束日期不能早于开始日期" in response.json()["end"][0]
    assert written() == before


def test_the_list_filters_like_the_page(world):
    client = api_client_for(world["office"])
    names = {t["name"] for t in client.get(LIST, {"unit": world.county.pk}).json()["results"]}
    assert names == {"盐湖区走访目标"}
    assert client.get(LIST, {"start": "2023-06-01"}).json()["count"] == 0
    response = client.get(LIST, {"start": "2023-06-01", "end": "2023-05-01"})
    assert response.status_code == 400 and "结束日期不能早于开始日期" in str(response.json())


INDICATORS = (
    Indicator.VISITS,
    Indicator.EFFECTIVE_LEADS,
    Indicator.INSPECTIONS,
    Indicator.SIGNED_PROJECTS,
    Indicator.EVENTS,
)


def test_a_page_of_5_or_25_targets_costs_the_same_queries(org, django_assert_max_num_queries):
    for indicator in INDICATORS:
        make(org, org.team, indicator)
    client = api_client_for(org["office"])
    client.get(LIST)
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST).json()["count"] == 5
    for unit in (org.other_team, org.county, org.squad, org.zone):
        for indicator in INDICATORS:
            make(org, unit, indicator)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(LIST).json()["count"] == 25


def test_the_city_table_gives_the_selectors_figures_at_a_fixed_cost(org, django_assert_max_num_queries):
    office = org["office"]
    for i in range(3):
        outreach_services.create_visit(
            actor=org["team_member"], visit_date=D(2023, 5, 3 + i), content="对接", company_name=f"企业{i}有限公司"
        )
    services.apply_template(
        actor=office, owner=org.city, template=Template.ROUTINE_MONTHLY, start=MAY[0], end=MAY[1], units=[org.team]
    )
    services.apply_template(
        actor=office, owner=org.city, template=Template.CITY_1521, start=D(2023, 1, 1), end=D(2023, 12, 31)
    )
    client = api_client_for(office)
    with CaptureQueriesContext(connection) as small:
        body = client.get(CITY, {"month": "2023-05"}).json()
    row = next(r for r in body["rows"] if r["unit"] == org.team.pk)
    [visits] = row["cells"]["visits"]
    target = Target.objects.get(unit=org.team, indicator="visits")
    assert visits["reached"] == str(selectors.reached([target])[target.pk]) == "3"
    assert (visits["value"], visits["behind"], visits["target"]) == ("20.0000", True, target.pk)
    other = next(r for r in body["rows"] if r["unit"] == org.other_team.pk)
    assert other["cells"]["visits"][0]["target"] is None and other["cells"]["visits"][0]["reached"] == "0"
    city_visits = next(t for t in body["city_targets"] if t["indicator"] == "visits")
    assert city_visits["reached"] == "3" and city_visits["value"] == "1000.0000"
    for i in range(5):
        make_unit(f"YC-T-N{i}", f"新组{i}", UnitKind.TEAM, org.city)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(CITY, {"month": "2023-05"}).json()["rows"]) == 7
    response = client.get(CITY, {"month": "五月"})
    assert response.status_code == 400 and "请按“年-月”填写月份" in response.json()["month"][0]
