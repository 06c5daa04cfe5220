"""/api/v1/assessment-schemes/ and /api/v1/assessment-locks/ as each persona meets them: scope, the office's writes
through the same services as the pages, bad input as a 400 in Chinese with nothing written, the results and the
lock, and a fixed number of queries per page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import selectors, services
from assessment.models import PeriodLock, Scheme
from core.testing import Case, api_client_for, make_person, run_matrix, statuses
from organizations.choices import Role

from .builders import MAY, D, extra_teams, item, scheme, target, visits, written

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assessment-schemes/"
LOCKS = "/api/v1/assessment-locks/"
YC_PERSONAS = ("office", "team_leader", "team_member", "county", "department", "leader", "sysadmin", "auditadmin")
OUTSIDE = ("outsider", "lf_office")
ITEMS = [item("visits", 60, cap=120), item("inspections", 40, rule="rank")]
BODY = {
    "name": "接口建的方案",
    "subjects": "teams",
    "start": "2023-01-01",
    "end": "2023-12-31",
    "items": [
        {"indicator": "visits", "weight": 60, "rule": "share", "cap": 120},
        {"indicator": "inspections", "weight": "40", "rule": "rank"},
    ],
}


@pytest.fixture
def world(org):
    lf_office = make_person("lf_office", org.other_city, Role.OFFICE_STAFF, "临汾招商中心")
    org.people["lf_office"] = lf_office
    visits(org["team_member"], 3)
    visits(org.other_team_member, 1)
    target(org, org.team, "visits", 10)
    org.scheme = scheme(org, ITEMS, name="运城组考核方案")
    org.elsewhere = scheme(org, ITEMS, name="临汾考核方案", actor=lf_office, owner=org.other_city)
    services.lock_period(actor=lf_office, scheme=org.elsewhere, start=MAY[0], end=MAY[1])
    return org


def test_the_permission_matrix_of_the_api(world):
    pk = world.scheme.pk
    readers = dict.fromkeys(YC_PERSONAS, 200)
    never = {p: ["运城组考核方案", "北京招商组"] for p in OUTSIDE}
    yc_never = {p: ["临汾考核方案"] for p in YC_PERSONAS}
    cases = [
        Case(
            url=LIST,
            expect=statuses(200, lf_office=200),
            api=True,
            anonymous=401,
            shown={**dict.fromkeys(YC_PERSONAS, ["运城组考核方案"]), **dict.fromkeys(OUTSIDE, ["临汾考核方案"])},
            hidden={**yc_never, **never},
        ),
        Case(url=f"{LIST}{pk}/", expect=statuses(404, **readers), api=True, hidden=never),
        Case(
            url=f"{LIST}{pk}/results/?month=2023-05",
            expect=statuses(404, **readers),
            api=True,
            hidden=never,
            shown={p: ["北京招商组"] for p in YC_PERSONAS},
        ),
        Case(
            url=f"{LIST}{pk}/",
            method="patch",
            data={"name": "运城组考核方案"},
            expect=statuses(403, office=200, outsider=404, lf_office=404),
            api=True,
            hidden=never,
        ),
        Case(
            url=f"{LIST}{pk}/lock/",
            method="post",
            data={"month": "2023-05", "note": "五月"},
            expect=statuses(403, office=201, outsider=404, lf_office=404),
            api=True,
            hidden=never,
        ),
        Case(
            url=LOCKS,
            expect=statuses(200, lf_office=200),
            api=True,
            anonymous=401,
            hidden={**yc_never, **never},
            shown={"outsider": ["临汾考核方案"], "office": ["运城组考核方案"]},
        ),
        Case(
            url=f"{LIST}{world.elsewhere.pk}/",
            method="delete",
            # Locked: even its own office is told why not; 运城 never learns it exists.
            expect=statuses(404, outsider=403, lf_office=400, auditadmin=403),
            api=True,
            hidden=yc_never,
        ),
        Case(url=LIST, method="post", data=BODY, expect=statuses(403, office=201, lf_office=201), api=True),
    ]
    run_matrix(world, cases)
    assert PeriodLock.objects.filter(scheme=world.scheme).count() == 1
    assert set(Scheme.objects.filter(name="接口建的方案").values_list("owner", flat=True)) == {
        world.city.pk,
        world.other_city.pk,
    }


def test_the_office_creates_reads_changes_and_deletes_through_the_api(org):
    client = api_client_for(org["office"])
    response = client.post(LIST, BODY, format="json")
    assert response.status_code == 201, response.json()
    made = response.json()
    assert made["owner_name"] == "运城市" and made["subjects_label"] == "驻点招商组"
    assert [(i["indicator"], i["weight"], i["rule"], i["cap"]) for i in made["items"]] == [
        ("visits", "60.00", "share", "120.00"),
        ("inspections", "40.00", "rank", "100.00"),
    ]
    response = client.patch(
        f"{LIST}{made['id']}/", {"items": [{"indicator": "events", "weight": 100}], "name": "改名"}, format="json"
    )
    assert response.status_code == 200 and response.json()["name"] == "改名"
    assert [i["indicator"] for i in response.json()["items"]] == ["events"]
    assert client.delete(f"{LIST}{made['id']}/").status_code == 204
    assert not Scheme.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"items": [{"indicator": "visits", "weight": 95}]}, "items", "各项权重之和须为 100，现为 95。"),
        ({"items": [{"indicator": "outbound_trips", "weight": 100}]}, "items", "无效的考核指标"),
        (
            {"items": [{"indicator": "visits", "weight": 50}, {"indicator": "visits", "weight": 50}]},
            "items",
            "重复",
        ),
        ({"items": [{"indicator": "visits", "weight": -100}]}, "items", "权重须大于 0"),
        ({"end": "2022-01-01"}, "end", "结束日期不能早于开始日期"),
        ({"colour": "red"}, "colour", "不能在此填写"),
    ],
)
def test_bad_input_on_the_api_is_named_in_chinese_and_nothing_is_written(org, change, field, message):
    before = written()
    response = api_client_for(org["office"]).post(LIST, {**BODY, **change}, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field]), response.json()
    assert written() == before


def test_the_results_are_what_the_selectors_give(world):
    client = api_client_for(world["team_member"])
    body = client.get(f"{LIST}{world.scheme.pk}/results/", {"month": "2023-05"}).json()
    assert (body["start"], body["end"], body["period"], body["locked"]) == (
        "2023-05-01",
        "2023-05-31",
        "2023-05",
        False,
    )
    live = selectors.live_scores(world.scheme, *MAY)
    assert [(r["unit_name"], r["rank"], Decimal(r["total"])) for r in body["ranks"]] == [
        (s.unit.name, s.rank, s.total) for s in live
    ]
    beijing = next(r for r in body["ranks"] if r["unit_name"] == "北京招商组")
    visits_line = beijing["items"][0]
    assert (visits_line["reached"], visits_line["target"], visits_line["share"], visits_line["points"]) == (
        "3",
        "10.00",
        "30.0",
        "18.00",
    )
    assert visits_line["url"].startswith("/outreach/visits/") and visits_line["changed_after_lock"] is False
    same = client.get(f"{LIST}{world.scheme.pk}/results/", {"start": "2023-05-01", "end": "2023-05-31"}).json()
    assert same["ranks"] == body["ranks"]
    whole = client.get(f"{LIST}{world.scheme.pk}/results/", {"month": "all"}).json()
    assert whole["period"] == "all" and whole["end"] == "2023-12-31"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"month": "2023-13"}, "month", "请按“年-月”填写月份"),
        ({"month": "2022-12"}, "month", "月份须在方案期间"),
        ({"start": "2023-05-31", "end": "2023-05-01"}, "end", "结束日期不能早于开始日期。"),
        ({"start": "2023-05-01", "end": "2024-01-31"}, "start", "期间须在方案期间"),
        ({"start": "五月", "end": "2023-05-31"}, "start", "请按“年-月-日”填写"),
    ],
)
def test_a_bad_period_is_a_400_in_chinese(world, query, field, message):
    response = api_client_for(world["office"]).get(f"{LIST}{world.scheme.pk}/results/", query)
    assert response.status_code == 400
    assert message in str(response.json()[field])


def test_the_office_locks_through_the_api_and_later_records_show_as_changes(world):
    client = api_client_for(world["office"])
    url = f"{LIST}{world.scheme.pk}/lock/"
    response = client.post(url, {"month": "2023-05", "note": "五月通报"}, format="json")
    assert response.status_code == 201
    locked = response.json()
    assert locked["locked"] and locked["lock"]["locked_by"] == "招商中心小王" and locked["lock"]["note"] == "五月通报"
    before = written()
    again = client.post(url, {"start": "2023-05-01", "end": "2023-05-31"}, format="json")
    assert again.status_code == 400 and "已锁定" in again.json()["start"][0]
    assert client.post(url, {"note": "没有期间"}, format="json").status_code == 400
    assert written() == before

    visits(world.other_team_member, 4, day=D(2023, 5, 30), prefix="补录")
    body = client.get(f"{LIST}{world.scheme.pk}/results/", {"month": "2023-05"}).json()
    assert [(r["unit"], r["rank"], r["total"]) for r in body["ranks"]] == [
        (r["unit"], r["rank"], r["total"]) for r in locked["ranks"]
    ]
    shanghai = next(r for r in body["ranks"] if r["unit_name"] == "上海招商组")
    assert body["changed_after_lock"] and shanghai["changed_after_lock"]
    assert (shanghai["items"][0]["reached"], shanghai["items"][0]["live_reached"]) == ("1", "5")
    assert shanghai["live_total"] is not None
    locks = client.get(LOCKS, {"scheme": world.scheme.pk}).json()
    assert locks["count"] == 1 and locks["results"][0]["scores"][0]["rank"] == 1


def test_a_locked_scheme_keeps_its_items_through_the_api(world):
    services.lock_period(actor=world["office"], scheme=world.scheme, start=MAY[0], end=MAY[1])
    before = written()
    response = api_client_for(world["office"]).patch(
        f"{LIST}{world.scheme.pk}/", {"items": [{"indicator": "visits", "weight": 100}]}, format="json"
    )
    assert response.status_code == 400 and "不能再改指标" in response.json()["items"][0]
    assert written() == before


def test_a_month_not_over_cannot_be_locked_through_the_api(org):
    running = scheme(org, ITEMS, period=(D(2023, 1, 1), D(2099, 12, 31)))
    before = written()
    response = api_client_for(org["office"]).post(f"{LIST}{running.pk}/lock/", {"month": "2099-12"}, format="json")
    assert response.status_code == 400 and "尚未结束" in response.json()["end"][0]
    assert written() == before


def test_the_list_and_the_results_cost_the_same_queries_however_many(world, django_assert_max_num_queries):
    client = api_client_for(world["office"])
    services.lock_period(actor=world["office"], scheme=world.scheme, start=MAY[0], end=MAY[1])
    results = f"{LIST}{world.scheme.pk}/results/?month=2023-05"
    client.get(LIST)
    with CaptureQueriesContext(connection) as small_list:
        client.get(LIST)
    budget_small_list = len(small_list.captured_queries)  # read now: the query log is bounded
    with CaptureQueriesContext(connection) as small_results:
        client.get(results)
    budget_small_results = len(small_results.captured_queries)  # read now: the query log is bounded
    with CaptureQueriesContext(connection) as small_locks:
        client.get(LOCKS)
    budget_small_locks = len(small_locks.captured_queries)  # read now: the query log is bounded
    for _team, member in extra_teams(world, 6):
        visits(member, 1)
    for n in range(6):
        made = scheme(world, ITEMS, name=f"方案{n}")
        services.lock_period(actor=world["office"], scheme=made, start=MAY[0], end=MAY[1])
    results = f"{LIST}{made.pk}/results/?month=2023-05"  # locked with the eight teams
    with django_assert_max_num_queries(budget_small_list):
        assert client.get(LIST).json()["count"] == 7
    with django_assert_max_num_queries(budget_small_results):
        assert len(client.get(results).json()["ranks"]) == 8
    with django_assert_max_num_queries(budget_small_locks):
        assert client.get(LOCKS).json()["count"] == 7
