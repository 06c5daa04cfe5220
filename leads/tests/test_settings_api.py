"""The office's settings through the API: /api/v1/lead-settings/, /api/v1/lead-pools/, /api/v1/negative-list/.

Decided here and held by the matrix: the rule is the office's alone (403 for anyone
else; another city's office reads its own city and gets a 404 for this one); the pools
are read by everyone working in the city (a county moves its leads between them through
the API and needs their ids) and set by its office only; a negative list is read by the
city's readers and by the county or zone it belongs to, and set by the office only.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing import Case, api_client_for, run_matrix, statuses
from leads import services
from leads.choices import PoolKind
from leads.models import LeadPool, LeadSettings, NegativeListEntry

from .conftest import OUR_ENTRY, OUR_POOL
from .test_settings import records

SETTINGS = "/api/v1/lead-settings/"
POOLS = "/api/v1/lead-pools/"
NEGATIVE = "/api/v1/negative-list/"
CJK = re.compile(r"[\u4e00-\u9fff]")
IN_CITY = ("office", "team_leader", "team_member", "county", "department", "leader", "sysadmin", "auditadmin")


def api(world, persona):
    return api_client_for(world[persona] if isinstance(persona, str) else persona)


def assert_error_on(response, field, *fragments):
    assert response.status_code == 400, response.content.decode()
    body = response.json()
    assert field in body, body
    messages = " ".join(str(m) for m in body[field])
    assert CJK.search(messages), messages
    for fragment in fragments:
        assert fragment in messages, messages


@pytest.fixture
def world(org, other_office):
    org.people["other_office"] = other_office
    return org


def expect(default, **codes):
    result = statuses(default, other_office=default)
    result.update(codes)
    return result


# --- The permission matrix ---------------------------------------------------------------------------------


def test_api_permission_matrix_for_the_rule(world, ours):
    city = world.city.pk
    before = records()
    cases = [
        Case(
            SETTINGS,
            expect(403, office=200, other_office=200),
            api=True,
            anonymous=401,
            shown={"office": ["运城市", '"grades"'], "other_office": ["临汾市"]},
            hidden={"other_office": ["运城市"]},
        ),
        Case(f"{SETTINGS}?city={city}", expect(403, office=200, other_office=404), api=True),
        Case(
            f"{SETTINGS}?city={city}",
            expect(403, office=400, other_office=404),
            method="patch",
            data={"grades": []},
            api=True,
            shown={"office": ["请至少设置一个线索等级"]},
        ),
    ]
    run_matrix(world, cases)
    assert records() == before


def test_api_permission_matrix_for_the_pools(world, ours):
    pool = ours["pool"]
    one = f"{POOLS}{pool.pk}/"
    readers = dict.fromkeys(IN_CITY, 200)
    before = records()
    cases = [
        Case(
            POOLS,
            expect(200),
            api=True,
            anonymous=401,
            shown={p: [OUR_POOL] for p in IN_CITY},
            hidden={"other_office": [OUR_POOL], "outsider": [OUR_POOL]},
        ),
        Case(one, expect(404, **readers), api=True, hidden={"other_office": [OUR_POOL], "outsider": [OUR_POOL]}),
        Case(
            one,
            expect(404, **{**dict.fromkeys(IN_CITY, 403), "office": 400}),
            method="patch",
            data={"name": ""},
            api=True,
            shown={"office": ["请填写线索库名称"]},
        ),
        # Another city's office adds to its own city; with a body this bad, it is refused like ours.
        Case(
            POOLS,
            expect(403, office=400, other_office=400),
            method="post",
            data={"code": "", "name": ""},
            api=True,
        ),
        Case(one, expect(405, auditadmin=403), method="delete", api=True),
    ]
    run_matrix(world, cases)
    assert records() == before


def test_api_permission_matrix_for_the_negative_list(world, ours):
    entry = ours["entry"]
    one = f"{NEGATIVE}{entry.pk}/"
    readers = {p: 200 for p in ("office", "county", "leader", "sysadmin", "auditadmin")}
    strangers = ("team_leader", "team_member", "department", "other_office", "outsider")
    before = records()
    cases = [
        Case(
            NEGATIVE,
            expect(200),
            api=True,
            shown={p: [OUR_ENTRY] for p in readers},
            hidden={p: [OUR_ENTRY] for p in strangers},
        ),
        Case(one, expect(404, **readers), api=True, hidden={p: [OUR_ENTRY] for p in strangers}),
        Case(
            one,
            expect(404, office=400, county=403, leader=403, sysadmin=403, auditadmin=403),
            method="patch",
            data={"industry": ""},
            api=True,
            shown={"office": ["请填写限制或禁止的产业"]},
        ),
        Case(
            NEGATIVE,
            expect(403, office=400, other_office=400),
            method="post",
            data={"unit": world.team.pk, "industry": "造纸", "keywords": "纸浆"},
            api=True,
            shown={"office": ["负面清单只能设在县（市、区）或开发区"]},
        ),
    ]
    run_matrix(world, cases)
    assert records() == before
    run_matrix(
        world,
        [Case(one, expect(404, county=403, leader=403, sysadmin=403, auditadmin=403, office=204), "delete", api=True)],
        personas=[p for p in world.people if p != "office"] + ["office"],
    )
    assert not NegativeListEntry.objects.exists()


# --- What the office does through them ------------------------------------------------------------------------


def test_the_office_reads_and_changes_its_rule_through_the_api(world):
    client = api(world, "office")
    body = client.get(SETTINGS).json()
    assert body["id"] is None and body["grades"] == ["A", "B", "C"] and body["owner_name"] == "运城市"
    response = client.patch(SETTINGS, {"grades": ["甲", "乙"], "requires_contact": False}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["grades"] == ["甲", "乙"] and body["requires_contact"] is False and body["id"]
    assert LeadSettings.objects.get(owner=world.city).grades == ["甲", "乙"]


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"grades": []}, "grades", "请至少设置一个线索等级"),
        ({"grades": ["A"] * 3 + ["超过十六个字的线索等级名称真的很长"]}, "grades", "过长"),
        ({"assess_working_days": 61}, "assess_working_days", "须在 0 至 60 之间"),
        ({"feedback_days": "七天"}, "feedback_days", ""),
        ({"owner": 1}, "owner", "不能在此填写"),
    ],
)
def test_a_bad_rule_through_the_api_is_refused_on_its_field_and_nothing_is_written(world, data, field, fragment):
    before = records()
    assert_error_on(api(world, "office").patch(SETTINGS, data, format="json"), field, fragment)
    assert records() == before


def test_the_office_adds_renames_and_retires_a_pool_through_the_api(world):
    client = api(world, "office")
    response = client.post(POOLS, {"code": "visiting", "name": "考察库"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["active"], body["lead_count"], body["owner_name"]) == ("open", True, 0, "运城市")
    assert body["sort_order"] == 60, "after the five default pools"
    pool = f"{POOLS}{body['id']}/"
    body = client.patch(pool, {"name": "来运考察库", "sort_order": 25}, format="json").json()
    assert (body["name"], body["code"], body["sort_order"]) == ("来运考察库", "visiting", 25)
    assert client.patch(pool, {"active": False}, format="json").json()["active"] is False
    names = [row["name"] for row in client.get(POOLS).json()["results"]]
    assert names == ["线索库", "在谈库", "来运考察库", "签约库", "落地库", "已失效"]


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"code": "extra", "name": ""}, "name", "请填写线索库名称"),
        ({"code": "collected", "name": "另一个库"}, "code", "已被本市其他线索库使用"),
        ({"code": "extra", "name": "另一个库", "kind": "done"}, "kind", "无效的线索库性质"),
        ({"code": "extra", "name": "另一个库", "owner": "county"}, "owner", "所属城市须为您任招商中心工作人员的城市"),
    ],
)
def test_a_bad_pool_through_the_api_is_refused_on_its_field_and_nothing_is_written(world, data, field, fragment):
    services.ensure_pools(world.city)
    if data.get("owner") == "county":
        data = {**data, "owner": world.county.pk}
    before = records()
    assert_error_on(api(world, "office").post(POOLS, data, format="json"), field, fragment)
    assert records() == before


def test_a_pool_holding_leads_cannot_be_retired_through_the_api(world, make_lead):
    lead = make_lead()
    before = records()
    response = api(world, "office").patch(f"{POOLS}{lead.pool_id}/", {"active": False}, format="json")
    assert_error_on(response, "active", "还有 1 条线索，不能停用")
    assert records() == before


def test_the_office_keeps_a_negative_list_through_the_api(world, chain):
    client = api(world, "office")
    response = client.post(
        NEGATIVE, {"unit": world.zone.pk, "industry": "新能源电池", "chain": chain.pk, "reason": "园区已饱和"}, "json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["unit_name"], body["chain_name"], body["keywords"]) == ("运城经开区", "新能源电池", "")
    one = f"{NEGATIVE}{body['id']}/"
    body = client.patch(one, {"keywords": "电池，储能"}, format="json").json()
    assert (body["keywords"], body["chain"]) == ("电池、储能", chain.pk)
    # The zone reads its own list; the county does not see the zone's.
    assert api(world, "county").get(NEGATIVE).json()["count"] == 0
    assert client.get(f"{NEGATIVE}?unit={world.zone.pk}").json()["count"] == 1
    assert client.delete(one).status_code == 204
    assert not NegativeListEntry.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"unit": "team", "industry": "造纸", "keywords": "纸浆"}, "unit", "“北京招商组”是驻点招商组"),
        ({"unit": "city", "industry": "造纸", "keywords": "纸浆"}, "unit", "只能设在县（市、区）或开发区"),
        ({"unit": "other_city_county", "industry": "造纸", "keywords": "纸浆"}, "unit", "不存在"),
        ({"unit": "county", "industry": "", "keywords": "纸浆"}, "industry", "请填写限制或禁止的产业"),
        ({"unit": "county", "industry": "造纸"}, "keywords", "请选择产业链或填写关键词"),
        ({"industry": "造纸", "keywords": "纸浆"}, "unit", ""),
    ],
)
def test_a_bad_negative_list_entry_through_the_api_is_refused_and_nothing_is_written(world, data, field, fragment):
    if "unit" in data:
        data = {**data, "unit": getattr(world, data["unit"]).pk}
    before = records()
    assert_error_on(api(world, "office").post(NEGATIVE, data, format="json"), field, fragment)
    assert records() == before


# --- Query budgets -------------------------------------------------------------------------------------------


def _grow(world, n, start=0):
    office = world["office"]
    for i in range(start, start + n):
        services.save_pool(
            actor=office,
            owner=world.city,
            code=f"p{i}",
            name=f"库{i:02d}",
            kind=PoolKind.OPEN,
            sort_order=None,
            active=True,
        )
        unit = world.county if i % 2 else world.zone
        services.save_negative_list_entry(actor=office, unit=unit, industry=f"限制产业{i:02d}", keywords="x")


@pytest.mark.parametrize(("url", "persona"), [(POOLS, "office"), (POOLS, "county"), (NEGATIVE, "office")])
def test_api_lists_keep_a_fixed_query_count_as_data_grows(world, url, persona, django_assert_max_num_queries):
    _grow(world, 2)
    client = api(world, persona)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, 20, start=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(url).json()
    assert body["count"] > 20


def test_api_lists_are_paginated(world):
    _grow(world, 8)
    body = api(world, "office").get(NEGATIVE + "?page_size=5").json()
    assert len(body["results"]) == 5 and body["next"]
    assert LeadPool.objects.filter(owner=world.city).count() == 13
