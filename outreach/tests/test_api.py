"""The outreach API (/api/v1/visits/, inspections/, promotion-events/, outbound-trips/, stationings/).

Scope on every read, writes through the services, Chinese errors keyed by field, masked
phone numbers, and a fixed number of queries per list page.
"""

import datetime
import re
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditAction, AuditEvent
from core.testing import PERSONAS, Case, api_client_for, run_matrix, statuses
from enterprises.models import Company, Contact
from outreach.models import Inspection, OutboundTrip, PromotionEvent, Stationing, Visit

from . import factories as f
from .test_views import CITY_READERS, grow, only, team_reads, team_writes

D = datetime.date
TODAY = f.TODAY
VISITS = "/api/v1/visits/"
INSPECTIONS = "/api/v1/inspections/"
EVENTS = "/api/v1/promotion-events/"
TRIPS = "/api/v1/outbound-trips/"
STATIONINGS = "/api/v1/stationings/"
ENDPOINTS = [VISITS, INSPECTIONS, EVENTS, TRIPS, STATIONINGS]
NON_WRITERS = ["office", "leader", "department", "sysadmin", "auditadmin"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def api(org, persona):
    return api_client_for(org[persona] if isinstance(persona, str) else persona)


def counts():
    return (
        Visit.objects.count(),
        Inspection.objects.count(),
        PromotionEvent.objects.count(),
        OutboundTrip.objects.count(),
        Stationing.objects.count(),
        Company.objects.count(),
        Contact.objects.count(),
        AuditEvent.objects.count(),
    )


@contextmanager
def nothing_written():
    before = counts()
    yield
    assert counts() == before, "a refused request wrote something"


def assert_error_on(response, field, *fragments):
    assert response.status_code == 400, response.content.decode()
    body = response.json()
    assert field in body, body
    messages = " ".join(str(m) for m in body[field])
    assert CJK.search(messages), messages
    for fragment in fragments:
        assert fragment in messages, messages


@pytest.fixture
def records(org, chain):
    return {
        "team_visit": f.visit(org, company_name="宁德时代新能源", content="北京组走访", chain=chain),
        "other_visit": f.visit(org, org.other_team_member, company_name="蔚来汽车", content="上海组走访"),
        "outsider_visit": f.visit(org, "outsider", company_name="焦化集团", content="古县走访"),
        "hosted": f.inspection(org, company_name="比亚迪汽车", host_units=[org.county]),
        "other_inspection": f.inspection(org, org.other_team_member, company_name="宝钢股份"),
        "event": f.event(org, title="北京专场推介会"),
        "trip": f.trip(org, "county", destinations="深圳南山"),
        "stationing": f.stationing(org, start=D(2025, 3, 1), end=D(2025, 3, 10), place="中关村驻点"),
    }


# --- The permission matrix ---------------------------------------------------------------------


def test_api_lists_show_each_persona_only_its_scope(org, records):
    not_team = ("county", "department", "outsider")
    cases = [
        Case(
            VISITS,
            statuses(200),
            api=True,
            anonymous=401,
            hidden={
                **{p: ["焦化集团"] for p in CITY_READERS},
                "team_member": ["蔚来汽车", "焦化集团"],
                "county": ["宁德时代", "蔚来汽车", "焦化集团"],
                "department": ["宁德时代", "蔚来汽车", "焦化集团"],
                "outsider": ["宁德时代", "蔚来汽车"],
            },
            shown={"office": ["宁德时代", "蔚来汽车"], "team_member": ["宁德时代"], "outsider": ["焦化集团"]},
        ),
        Case(
            INSPECTIONS,
            statuses(200),
            api=True,
            anonymous=401,
            hidden={"team_member": ["宝钢股份"], "county": ["宝钢股份"], "outsider": ["比亚迪", "宝钢股份"]},
            shown={"office": ["比亚迪", "宝钢股份"], "county": ["比亚迪"]},
        ),
        Case(EVENTS, statuses(200), api=True, anonymous=401, hidden={p: ["北京专场推介会"] for p in not_team}),
        Case(
            TRIPS,
            statuses(200),
            api=True,
            anonymous=401,
            hidden={p: ["深圳南山"] for p in ("team_member", "department", "outsider")},
            shown={"county": ["深圳南山"], "office": ["深圳南山"]},
        ),
        Case(STATIONINGS, statuses(200), api=True, anonymous=401, hidden={p: ["中关村驻点"] for p in not_team}),
    ]
    run_matrix(org, cases)


def test_api_records_are_404_out_of_scope_and_403_when_visible_but_not_editable(org, records):
    r = records
    outside = {p: ["宁德时代"] for p in ("county", "department", "outsider")}
    cases = [
        Case(f"{VISITS}{r['team_visit'].pk}/", team_reads(), api=True, hidden=outside, anonymous=401),
        Case(f"{VISITS}{r['team_visit'].pk}/", team_writes(), api=True, method="patch", data={}, hidden=outside),
        Case(f"{VISITS}{r['other_visit'].pk}/", only(*CITY_READERS), api=True, hidden={"team_member": ["蔚来汽车"]}),
        Case(f"{VISITS}{r['outsider_visit'].pk}/", only("outsider"), api=True),
        Case(f"{INSPECTIONS}{r['hosted'].pk}/", team_reads(county=200), api=True),
        Case(f"{INSPECTIONS}{r['hosted'].pk}/", {**team_writes(), "county": 403}, api=True, method="patch", data={}),
        Case(f"{INSPECTIONS}{r['other_inspection'].pk}/", only(*CITY_READERS), api=True),
        Case(f"{EVENTS}{r['event'].pk}/", team_reads(), api=True),
        Case(f"{EVENTS}{r['event'].pk}/", team_writes(), api=True, method="patch", data={}),
        Case(f"{TRIPS}{r['trip'].pk}/", only(*CITY_READERS, "county"), api=True),
        Case(
            f"{TRIPS}{r['trip'].pk}/",
            only("county", **dict.fromkeys(CITY_READERS, 403)),
            api=True,
            method="patch",
            data={},
        ),
        Case(f"{STATIONINGS}{r['stationing'].pk}/", team_reads(), api=True),
        Case(f"{STATIONINGS}{r['stationing'].pk}/", team_writes(), api=True, method="patch", data={}),
        Case(f"{VISITS}999999/", statuses(404), api=True),
    ]
    run_matrix(org, cases)
    # DELETE by everyone who may not: nothing goes.
    deletes = [
        Case(f"{VISITS}{r['team_visit'].pk}/", team_writes(), api=True, method="delete"),
        Case(f"{INSPECTIONS}{r['hosted'].pk}/", {**team_writes(), "county": 403}, api=True, method="delete"),
        Case(f"{EVENTS}{r['event'].pk}/", team_writes(), api=True, method="delete"),
        Case(f"{TRIPS}{r['trip'].pk}/", only(*CITY_READERS, code=403), api=True, method="delete"),
        Case(f"{STATIONINGS}{r['stationing'].pk}/", team_writes(), api=True, method="delete"),
    ]
    others = [p for p in PERSONAS if p not in ("team_leader", "team_member", "county")]
    run_matrix(org, deletes, personas=others)
    assert Visit.objects.filter(pk=r["team_visit"].pk).exists() and OutboundTrip.objects.exists()


@pytest.mark.parametrize("persona", NON_WRITERS)
def test_those_who_do_not_keep_ledgers_cannot_create_through_the_api(org, persona):
    bodies = {
        VISITS: {"visit_date": TODAY.isoformat(), "company_name": "宁德时代", "content": "洽谈"},
        INSPECTIONS: {"inspection_date": TODAY.isoformat(), "company_name": "比亚迪"},
        EVENTS: {"title": "推介会", "event_date": TODAY.isoformat(), "place": "北京"},
        TRIPS: {"start_date": "2025-05-01", "end_date": "2025-05-02", "destinations": "深圳"},
        STATIONINGS: {"person": org[persona].pk, "start_date": "2025-05-01", "end_date": "2025-05-02", "place": "京"},
    }
    client = api(org, persona)
    with nothing_written():
        for url, body in bodies.items():
            response = client.post(url, body, format="json")
            assert response.status_code == 403, (url, response.content.decode())
            assert CJK.search(response.json()["detail"])


# --- Visits ---------------------------------------------------------------------------------------


def test_a_team_member_creates_a_visit_by_company_name_through_the_api(org, chain):
    member = org["team_member"]
    response = api(org, member).post(
        VISITS,
        {
            "visit_date": TODAY.isoformat(),
            "company_name": "隆基绿能科技股份有限公司",
            "credit_code": "",
            "chain": chain.pk,
            "way": "via_chamber",
            "contact_name": "李经理",
            "contact_phone": "13712345678",
            "content": "介绍光伏产业园",
        },
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    company = Company.objects.get(name="隆基绿能科技股份有限公司")
    assert body["company"] == company.pk and body["company_name"] == company.name
    assert body["unit"] == org.team.pk and body["unit_name"] == "北京招商组"
    assert body["visitors"] == [{"id": member.pk, "name": "北京组小李"}]
    assert body["contact_phone"] == "13712345678" and body["way_display"] == "商会招商"
    assert body["contact"] == Contact.objects.get(company=company).pk
    visit = Visit.objects.get(pk=body["id"])
    assert AuditEvent.objects.filter(object_type="outreach.visit", object_id=str(visit.pk), action="create").exists()


def test_a_visit_can_name_an_existing_company_by_id_but_not_one_out_of_scope(org):
    mine = f.company(org, "比亚迪股份有限公司")
    elsewhere = f.other_city_company(org)
    client = api(org, "team_member")
    body = {"visit_date": TODAY.isoformat(), "content": "回访"}
    response = client.post(VISITS, {**body, "company": mine.pk}, format="json")
    assert response.status_code == 201 and response.json()["company"] == mine.pk
    with nothing_written():
        assert_error_on(client.post(VISITS, {**body, "company": elsewhere.pk}, format="json"), "company", "无权查看")
        assert_error_on(client.post(VISITS, body, format="json"), "company_name", "请填写企业名称")


def test_a_duplicate_visit_through_the_api_is_refused_and_nothing_is_written(org):
    client = api(org, "team_member")
    body = {"visit_date": TODAY.isoformat(), "company_name": "宁德时代", "content": "洽谈"}
    assert client.post(VISITS, body, format="json").status_code == 201
    with nothing_written():
        response = client.post(VISITS, {**body, "contact_name": "新人"}, format="json")
        assert_error_on(response, "non_field_errors", "该走访已登记：同一单位、同一天、同一企业、相同内容")


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"visit_date": (TODAY + datetime.timedelta(days=1)).isoformat()}, "visit_date", "不能晚于今天"),
        ({"visit_date": "1999-01-01"}, "visit_date", "不能早于 2000 年"),
        ({"visit_date": "2025-02-30"}, "visit_date", "日期"),
        ({"way": "carrier_pigeon"}, "way", ""),
        ({"credit_code": "123"}, "credit_code", "统一社会信用代码"),
        ({"unit": 999999}, "unit", "不存在，或您无权查看"),
        ({"visitors": [999999]}, "visitors", "不存在"),
        ({"dedupe_key": "x"}, "dedupe_key", "不能在此填写"),
    ],
)
def test_bad_visit_input_gets_a_chinese_message_on_the_field_and_writes_nothing(org, body, field, fragment):
    client = api(org, "team_member")
    base = {"visit_date": TODAY.isoformat(), "company_name": "宁德时代", "content": "洽谈"}
    with nothing_written():
        assert_error_on(client.post(VISITS, {**base, **body}, format="json"), field, fragment)


def test_a_team_member_cannot_log_a_visit_for_the_other_team_through_the_api(org):
    body = {"visit_date": TODAY.isoformat(), "company_name": "宁德时代", "content": "洽谈", "unit": org.other_team.pk}
    with nothing_written():
        response = api(org, "team_member").post(VISITS, body, format="json")
    # 上海招商组 is not even visible to 北京招商组: refused as if it did not exist.
    assert_error_on(response, "unit", "不存在，或您无权查看")


def test_contact_phones_in_visits_are_masked_for_roles_that_do_not_call_investors(org):
    visit = f.visit(org, contact_name="李经理", contact_phone="13712345678")
    for persona, expected in [
        ("team_member", "13712345678"),
        ("team_leader", "13712345678"),
        ("office", "13712345678"),
        ("sysadmin", "13712345678"),
        ("leader", "137****5678"),
        ("auditadmin", "137****5678"),
    ]:
        assert api(org, persona).get(f"{VISITS}{visit.pk}/").json()["contact_phone"] == expected, persona
        listed = api(org, persona).get(VISITS).json()["results"][0]
        assert listed["contact_phone"] == expected, persona


def test_patching_a_visit_goes_through_the_service_and_is_audited(org):
    visit = f.visit(org)
    client = api(org, "team_leader")
    response = client.patch(f"{VISITS}{visit.pk}/", {"content": "改为储能项目", "way": "via_agent"}, format="json")
    assert response.status_code == 200, response.content.decode()
    assert response.json()["content"] == "改为储能项目"
    event = AuditEvent.objects.get(object_type="outreach.visit", action=AuditAction.UPDATE)
    assert event.before == {"content": "洽谈电池项目", "way": "knocking"}
    with nothing_written():
        assert_error_on(client.patch(f"{VISITS}{visit.pk}/", {"content": " "}, format="json"), "content", "不能为空")
        bad_date = {"visit_date": (TODAY + datetime.timedelta(days=3)).isoformat()}
        assert_error_on(client.patch(f"{VISITS}{visit.pk}/", bad_date, format="json"), "visit_date")


def test_deleting_a_visit_through_the_api(org):
    visit = f.visit(org)
    response = api(org, "team_member").delete(f"{VISITS}{visit.pk}/")
    assert response.status_code == 204
    assert not Visit.objects.exists()
    assert AuditEvent.objects.filter(object_type="outreach.visit", action=AuditAction.DELETE).exists()


def test_the_visit_list_filters_like_the_page(org, chain):
    f.visit(org, "county", company_name="甲科技", content="一", chain=chain, visit_date=D(2025, 1, 10))
    f.visit(org, "county", unit=org.squad, company_name="乙材料", content="二", way="via_agent")
    client = api(org, "county")

    def names(query):
        return sorted(v["company_name"] for v in client.get(VISITS + query).json()["results"])

    assert names("") == ["乙材料", "甲科技"]
    assert names(f"?unit={org.squad.pk}") == ["乙材料"]
    assert names("?date_from=2025-01-01&date_to=2025-01-31") == ["甲科技"]
    assert names(f"?chain={chain.pk}") == ["甲科技"]
    assert names("?way=via_agent") == ["乙材料"]
    assert names(f"?company={Company.objects.get(name='甲科技').pk}") == ["甲科技"]
    assert names("?q=材料") == ["乙材料"]


# --- The other ledgers ----------------------------------------------------------------------------


def test_an_inspection_hosted_by_a_county_is_created_and_read_by_that_county(org):
    body = {
        "inspection_date": TODAY.isoformat(),
        "company_name": "比亚迪股份有限公司",
        "host_units": [org.county.pk],
        "delegation": "王总（董事长）",
    }
    response = api(org, "team_member").post(INSPECTIONS, body, format="json")
    assert response.status_code == 201, response.content.decode()
    pk = response.json()["id"]
    assert response.json()["host_unit_names"] == ["盐湖区"]
    assert api(org, "county").get(f"{INSPECTIONS}{pk}/").status_code == 200
    assert api(org, "county").get(f"{INSPECTIONS}?host_unit={org.county.pk}").json()["count"] == 1
    with nothing_written():
        other_city = {**body, "inspection_date": "2025-01-01", "host_units": [org.other_city_county.pk]}
        assert_error_on(api(org, "team_member").post(INSPECTIONS, other_city, format="json"), "host_units", "本市")


def test_an_event_takes_companies_by_id_and_by_name_and_refuses_a_negative_amount(org):
    known = f.company(org, "比亚迪股份有限公司")
    client = api(org, "team_member")
    body = {"title": "重庆推介会", "event_date": "2025-06-01", "place": "重庆", "signed_amount": "235000.5"}
    response = client.post(
        EVENTS, {**body, "companies": [known.pk], "company_names": ["长安汽车"], "projects_signed": 7}, format="json"
    )
    assert response.status_code == 201, response.content.decode()
    data = response.json()
    assert sorted(c["name"] for c in data["companies"]) == ["比亚迪股份有限公司", "长安汽车"]
    assert data["signed_amount"] == "235000.5000"
    with nothing_written():
        assert_error_on(client.post(EVENTS, {**body, "signed_amount": "-1"}, format="json"), "signed_amount", "负数")
        assert_error_on(client.post(EVENTS, {**body, "projects_signed": -1}, format="json"), "projects_signed", "负数")
        assert_error_on(client.post(EVENTS, {**body, "signed_amount": "1.123456"}, format="json"), "signed_amount")


def test_a_trip_with_dates_out_of_order_is_refused_and_a_good_one_counts(org):
    client = api(org, "county")
    head = org["county"]
    body = {"start_date": "2025-05-10", "end_date": "2025-05-08", "destinations": "深圳", "leader": head.pk}
    with nothing_written():
        assert_error_on(client.post(TRIPS, body, format="json"), "end_date", "返回日期不能早于出发日期")
    response = client.post(TRIPS, {**body, "end_date": "2025-05-12", "members": [head.pk]}, format="json")
    assert response.status_code == 201, response.content.decode()
    assert response.json()["days"] == 3 and response.json()["leader_display"] == "盐湖区小张"
    assert client.get(f"{TRIPS}?leader={head.pk}").json()["count"] == 1


def test_an_overlapping_stationing_is_refused_through_the_api(org):
    leader = org["team_leader"]
    client = api(org, leader)
    body = {"person": leader.pk, "start_date": "2025-03-01", "end_date": "2025-03-31", "place": "北京中关村"}
    response = client.post(STATIONINGS, body, format="json")
    assert response.status_code == 201 and response.json()["days"] == 31
    with nothing_written():
        overlapping = {**body, "start_date": "2025-03-15", "end_date": "2025-04-15", "place": "天津"}
        response = client.post(STATIONINGS, overlapping, format="json")
        assert_error_on(response, "start_date", "与已有的驻点记录重叠：北京中关村，2025-03-01 至 2025-03-31")
    assert client.get(f"{STATIONINGS}?year=2025").json()["count"] == 1
    assert client.get(f"{STATIONINGS}?year=2024").json()["count"] == 0


def test_patch_with_an_unknown_field_is_refused(org):
    stationing = f.stationing(org, start=D(2025, 3, 1), end=D(2025, 3, 2))
    with nothing_written():
        response = api(org, "team_leader").patch(f"{STATIONINGS}{stationing.pk}/", {"days": 99}, format="json")
    assert_error_on(response, "days", "不能在此填写")


# --- Query budgets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ENDPOINTS)
def test_api_lists_keep_a_fixed_query_count_as_data_grows(org, chain, url, django_assert_max_num_queries):
    client = api(org, "office")
    grow(org, chain, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(org, chain, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and response.json()["count"] > len(response.json()["results"]) / 2
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url + "?page_size=200").status_code == 200
