"""The leads API (/api/v1/leads/, its queues and actions, /api/v1/lead-conflicts/).

Scope on every read (out of scope is a 404 that never names the lead), the actions
through the services with their Chinese refusals keyed by field, and a fixed number of
queries per list page.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing import Case, api_client_for, run_matrix
from leads.choices import LeadEventKind, LeadStatus
from leads.models import Lead, LeadConflict, LeadEvent, LeadPool, NegativeListEntry

from .test_views import CITY_READERS, EVERYONE_ELSE, counts, everyone, only

TODAY = datetime.date.today()
LEADS = "/api/v1/leads/"
CONFLICTS = "/api/v1/lead-conflicts/"
CJK = re.compile(r"[\u4e00-\u9fff]")


def api(world, persona):
    return api_client_for(world[persona] if isinstance(persona, str) else persona)


def one(lead):
    return f"{LEADS}{lead.pk}/"


def act(lead, name):
    return f"{LEADS}{lead.pk}/{name}/"


def pool_id(world, code):
    return LeadPool.objects.get(owner=world.city, code=code).pk


def assert_error_on(response, field, *fragments):
    assert response.status_code == 400, response.content.decode()
    body = response.json()
    assert field in body, body
    messages = " ".join(str(m) for m in body[field])
    assert CJK.search(messages), messages
    for fragment in fragments:
        assert fragment in messages, messages


@pytest.fixture
def world(org, other_county_staff):
    org.people["other_county"] = other_county_staff
    org.people["other_team"] = org.other_team_member
    return org


@pytest.fixture
def leads(world, make_lead, dispatched, accepted):
    return {
        "reported": make_lead(name="北京组待研判线索", investor_name="甲新能源有限公司"),
        "pushed": dispatched(name="推送盐湖区待接收线索", investor_name="乙储能有限公司"),
        "held": accepted(name="盐湖区已接收线索", investor_name="丙材料有限公司"),
        "other_team": make_lead(world.other_team_member, name="上海组氢能线索", investor_name="丁氢能有限公司"),
    }


# --- The permission matrix ---------------------------------------------------------------------------


def test_api_lists_show_each_persona_only_its_scope(world, leads):
    names = {key: lead.name for key, lead in leads.items()}
    all_names = list(names.values())
    team_names = [names["reported"], names["pushed"], names["held"]]
    writers = ("team_leader", "team_member", "county", "outsider", "other_county", "other_team")
    cases = [
        Case(
            LEADS,
            everyone(200),
            api=True,
            anonymous=401,
            hidden={
                "team_member": [names["other_team"]],
                "county": [names["reported"], names["other_team"]],
                "other_county": all_names,
                "other_team": team_names,
                "department": all_names,
                "outsider": all_names,
            },
            shown={"office": all_names, "leader": all_names, "county": [names["pushed"], names["held"]]},
        ),
        Case(
            LEADS + "assessment-queue/",
            only("office", default=403),
            api=True,
            anonymous=401,
            shown={"office": [names["reported"], names["other_team"]]},
            hidden={"office": [names["pushed"], names["held"]]},
        ),
        Case(
            LEADS + "incoming/",
            only("county", "outsider", "other_county", default=403),
            api=True,
            shown={"county": [names["pushed"]]},
            hidden={"county": [names["held"], names["reported"]], "other_county": all_names},
        ),
        Case(
            LEADS + "team/",
            only(*writers, default=403),
            api=True,
            shown={"team_member": team_names},
            hidden={"team_member": [names["other_team"]], "county": all_names, "other_team": team_names},
        ),
        Case(CONFLICTS, everyone(200), api=True, anonymous=401),
    ]
    run_matrix(world, cases)


def test_api_detail_and_patch_follow_the_scope(world, leads):
    reported, pushed = leads["reported"], leads["pushed"]
    team = ("team_leader", "team_member")
    outside = ("county", *EVERYONE_ELSE)
    bad = {"estimated_amount": "若干"}
    before = counts()
    cases = [
        Case(
            one(reported),
            only(*CITY_READERS, *team),
            api=True,
            anonymous=401,
            hidden={p: [reported.name] for p in outside},
            shown={"office": ["effective_reasons", "timeline"]},
        ),
        Case(
            one(pushed),
            only(*CITY_READERS, *team, "county"),
            api=True,
            hidden={p: [pushed.name] for p in EVERYONE_ELSE},
        ),
        # A bad amount from those who may edit is a 400 on the field; the rest never get to say it.
        Case(
            one(reported),
            only("office", *team, code=400, leader=403, sysadmin=403, auditadmin=403),
            method="patch",
            data=bad,
            api=True,
            hidden={p: [reported.name] for p in outside},
        ),
        # Once assessed the team is told why it may not correct it; the county may not at all.
        Case(
            one(pushed),
            only(*team, code=400, office=200, county=403, leader=403, sysadmin=403, auditadmin=403),
            method="patch",
            data={"name": "改名"},
            api=True,
            hidden={p: [pushed.name] for p in EVERYONE_ELSE},
        ),
        Case(one(Lead(pk=999999)), everyone(404), api=True),
    ]
    run_matrix(world, cases[:3])
    assert counts() == before
    run_matrix(world, cases[3:])
    assert Lead.objects.get(pk=pushed.pk).name == "改名", "the office corrects an assessed lead"


def test_api_create_is_for_those_who_report_leads(world):
    before = counts()
    run_matrix(
        world,
        [
            Case(
                LEADS,
                only(*CITY_READERS, "department", code=403, default=400),
                method="post",
                data={"name": "某项目", "estimated_amount": "若干"},
                api=True,
                anonymous=401,
            )
        ],
    )
    assert counts() == before


def test_api_actions_answer_each_persona_by_its_part(world, leads):
    reported, pushed, held = leads["reported"], leads["pushed"], leads["held"]
    team = ("team_leader", "team_member")
    readers_403 = dict.fromkeys(CITY_READERS[1:], 403)
    before = counts()
    cases = [
        Case(
            act(reported, "assess"),
            only("office", code=400, **dict.fromkeys(team, 403), **readers_403),
            method="post",
            data={"grade": "A"},
            api=True,
            hidden={p: [reported.name] for p in ("county", *EVERYONE_ELSE)},
        ),
        Case(
            act(pushed, "reassign"),
            only("office", code=400, **dict.fromkeys((*team, "county"), 403), **readers_403),
            method="post",
            data={},
            api=True,
        ),
        Case(
            act(pushed, "share"),
            only("office", code=400, **dict.fromkeys((*team, "county"), 403), **readers_403),
            method="post",
            data={},
            api=True,
        ),
        Case(
            act(pushed, "return"),
            only("county", code=400, **dict.fromkeys(("office", *team), 403), **readers_403),
            method="post",
            data={"reason": ""},
            api=True,
            hidden={p: [pushed.name] for p in EVERYONE_ELSE},
        ),
        Case(
            act(held, "move-pool"),
            only("office", "county", code=400, **dict.fromkeys(team, 403), **readers_403),
            method="post",
            data={},
            api=True,
        ),
        Case(
            act(held, "follow-up"),
            only("county", *team, code=400, office=403, **readers_403),
            method="post",
            data={"note": ""},
            api=True,
        ),
        Case(
            act(held, "close"),
            only("office", "county", code=400, **dict.fromkeys(team, 403), **readers_403),
            method="post",
            data={},
            api=True,
        ),
        Case(
            act(held, "reopen"),
            only("office", "county", code=400, **dict.fromkeys(team, 403), **readers_403),
            method="post",
            data={},
            api=True,
        ),
    ]
    run_matrix(world, cases)
    assert counts() == before
    run_matrix(
        world,
        [
            Case(
                act(pushed, "accept"),
                only("county", **dict.fromkeys(("office", *team), 403), **readers_403),
                method="post",
                api=True,
                hidden={p: [pushed.name] for p in EVERYONE_ELSE},
            )
        ],
    )
    assert Lead.objects.get(pk=pushed.pk).status == LeadStatus.ACCEPTED


# --- The walk, through the API ---------------------------------------------------------------------------


def test_a_lead_walks_through_the_api_from_a_team_to_the_signed_pool(world, chain):
    response = api(world, "team_member").post(
        LEADS,
        {
            "name": "宁德时代运城电池基地",
            "investor_name": "宁德时代新能源科技股份有限公司",
            "content": "拟建设年产 20GWh 动力电池生产基地",
            "estimated_amount": "约5000万",
            "chain": chain.pk,
            "contact_reached": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["estimated_amount"] == "5000.0000" and body["status"] == "reported"
    assert body["effective_reasons"] == [] and body["is_effective"] is True
    lead_id = body["id"]
    lead = Lead.objects.get(pk=lead_id)

    office = api(world, "office")
    queue = office.get(LEADS + "assessment-queue/").json()
    assert [row["id"] for row in queue["results"]] == [lead_id]
    response = office.post(
        act(lead, "assess"), {"grade": "A", "opinion": "符合布局", "receiving_unit": world.county.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["receiving_unit_name"] == "盐湖区"

    county = api(world, "county")
    assert [row["id"] for row in county.get(LEADS + "incoming/").json()["results"]] == [lead_id]
    assert county.post(act(lead, "accept"), format="json").json()["status"] == "accepted"
    for code in ("negotiating", "signed"):
        response = county.post(act(lead, "move-pool"), {"pool": pool_id(world, code)}, format="json")
        assert response.status_code == 200, response.json()
    response = county.post(
        act(lead, "follow-up"), {"follow_date": TODAY.isoformat(), "note": "已签订投资协议"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["pool_name"] == "签约库"
    labels = [entry["label"] for entry in body["timeline"]]
    assert labels == ["报送", "研判", "推送", "接收", "转库", "转库", "跟进"]
    assert body["timeline"][-1]["note"] == "已签订投资协议"


def test_a_lead_is_captured_from_a_visit_through_the_api(world, chain):
    from outreach import services as outreach_services

    visit = outreach_services.create_visit(
        actor=world["team_member"],
        visit_date=TODAY - datetime.timedelta(days=3),
        company_name="比亚迪股份有限公司",
        content="洽谈储能项目",
        intention="拟在运城建设储能电池 PACK 生产线",
        chain=chain,
    )
    response = api(world, "team_member").post(
        LEADS, {"visit": visit.pk, "name": "比亚迪储能项目", "estimated_amount": "5亿元"}, format="json"
    )
    assert response.status_code == 201, response.json()
    lead = Lead.objects.get()
    assert lead.visit == visit and lead.investor == visit.company and lead.collected_date == visit.visit_date
    assert lead.estimated_amount == Decimal("50000") and lead.contact_reached


def test_a_county_sending_a_lead_back_is_told_where_it_went_and_nothing_more(world, dispatched):
    lead = dispatched()
    response = api(world, "county").post(act(lead, "return"), {"reason": "不符合产业定位"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "returned" and "name" not in response.json()
    assert api(world, "county").get(one(lead)).status_code == 404


def test_accepting_a_lead_reassigned_meanwhile_is_refused_with_the_reason(world, dispatched):
    from leads import services

    lead = dispatched()
    services.reassign_lead(actor=world["office"], lead=lead, receiving_unit=world.zone)
    before = counts()
    assert_error_on(api(world, "county").post(act(lead, "accept"), format="json"), "non_field_errors", "已改派其他单位")
    assert api(world, "other_county").post(act(lead, "accept"), format="json").status_code == 404
    assert counts() == before


# --- Bad input ---------------------------------------------------------------------------------------------


def test_dispatching_to_a_department_is_refused_with_the_reason(world, make_lead):
    lead = make_lead()
    before = counts()
    response = api(world, "office").post(
        act(lead, "assess"), {"grade": "A", "receiving_unit": world.department.pk}, format="json"
    )
    assert_error_on(response, "receiving_unit", "县（市、区）或开发区", "运城市自然资源局")
    assert counts() == before


def test_the_negative_list_needs_a_confirmation_through_the_api_too(world, make_lead):
    NegativeListEntry.objects.create(unit=world.zone, industry="焦化", keywords="焦炭", reason="环境容量不足")
    lead = make_lead(name="焦炭深加工项目")
    office = api(world, "office")
    data = {"grade": "B", "receiving_unit": world.zone.pk}
    before = counts()
    assert_error_on(office.post(act(lead, "assess"), data, format="json"), "receiving_unit", "焦化（环境容量不足）")
    assert counts() == before
    response = office.post(act(lead, "assess"), {**data, "confirm_negative_list": True}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "dispatched"


def test_two_assessments_of_one_lead_give_one_result_and_one_clear_refusal(world, make_lead, second_office):
    lead = make_lead()
    first = api(world, "office").post(
        act(lead, "assess"), {"grade": "A", "receiving_unit": world.county.pk}, format="json"
    )
    assert first.status_code == 200
    before = counts()
    second = api(world, second_office).post(
        act(lead, "assess"), {"grade": "B", "receiving_unit": world.zone.pk}, format="json"
    )
    assert_error_on(second, "non_field_errors", "已由 招商中心小王")
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"name": "某项目", "estimated_amount": "若干"}, "estimated_amount", "拟投资额"),
        ({"name": "  "}, "name", ""),
        ({"name": "某项目", "collected_date": "2099-01-01"}, "collected_date", "不能晚于今天"),
        ({"name": "某项目", "collected_date": "昨天"}, "collected_date", ""),
        ({"name": "某项目", "status": "accepted"}, "status", "不能在此填写"),
        ({"name": "某项目", "chain": 999999}, "chain", "不存在"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(world, body, field, fragment):
    before = counts()
    assert_error_on(api(world, "team_member").post(LEADS, body, format="json"), field, fragment)
    assert counts() == before


def test_an_unparseable_body_is_a_chinese_400(world, leads):
    response = api(world, "office").generic(
        "POST", act(leads["reported"], "assess"), "{", content_type="application/json"
    )
    assert response.status_code == 400 and CJK.search(response.json()["detail"])


# --- Conflicts -------------------------------------------------------------------------------------------


def test_a_conflict_tells_both_teams_without_naming_the_others_lead_and_the_office_decides(world, make_lead):
    mine = make_lead(name="北京组宁德时代线索")
    theirs = make_lead(world.other_team_member, name="上海组宁德时代线索")
    conflict = LeadConflict.objects.get()
    body = api(world, "team_member").get(CONFLICTS).json()
    assert [row["id"] for row in body["results"]] == [conflict.pk]
    row = body["results"][0]
    assert theirs.name not in str(body), "told of the other team's lead, not shown it"
    assert {row["lead_unit_name"], row["other_unit_name"]} == {"北京招商组", "上海招商组"}
    assert mine.name in (row["lead_name"], row["other_lead_name"])
    assert api(world, "county").get(CONFLICTS).json()["count"] == 0
    assert api(world, "county").get(f"{CONFLICTS}{conflict.pk}/").status_code == 404
    office_view = api(world, "office").get(f"{CONFLICTS}{conflict.pk}/").json()
    assert {office_view["lead_name"], office_view["other_lead_name"]} == {mine.name, theirs.name}

    decide = f"{CONFLICTS}{conflict.pk}/decide/"
    assert api(world, "team_member").post(decide, {"leading_unit": world.team.pk}, format="json").status_code == 403
    assert_error_on(
        api(world, "office").post(decide, {"leading_unit": world.zone.pk}, format="json"), "leading_unit", "牵头单位"
    )
    response = api(world, "office").post(
        decide, {"leading_unit": world.team.pk, "same_lead": True, "decision": "由北京组牵头"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "decided"
    assert Lead.objects.get(pk=theirs.pk).duplicate_of_id == mine.pk
    assert Lead.objects.counted().filter(investor=mine.investor).count() == 1
    assert LeadEvent.objects.filter(kind=LeadEventKind.CONFLICT_DECIDED).count() == 2


# --- Query budgets -----------------------------------------------------------------------------------------


def _grow(world, make_lead, n, start=0):
    from leads import services

    for i in range(start, start + n):
        lead = make_lead(name=f"批量线索{i:03d}", investor_name=f"批量企业{i:03d}有限公司")
        if i % 3 == 0:
            lead = services.assess_lead(
                actor=world["office"], lead=lead, grade="B", opinion="", receiving_unit=world.county
            )
        if i % 6 == 3:
            services.accept_lead(actor=world["county"], lead=lead)
        if i % 5 == 0:
            make_lead(world.other_team_member, name=f"上海组撞单{i:03d}", investor_name=f"批量企业{i:03d}有限公司")


@pytest.mark.parametrize(
    ("url", "persona"),
    [
        (LEADS, "office"),
        (LEADS + "assessment-queue/", "office"),
        (LEADS + "incoming/", "county"),
        (LEADS + "team/", "team_member"),
        (CONFLICTS, "office"),
        (CONFLICTS, "team_member"),
    ],
)
def test_api_lists_keep_a_fixed_query_count_as_data_grows(
    world, make_lead, url, persona, django_assert_max_num_queries
):
    _grow(world, make_lead, 6)
    client = api(world, persona)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, make_lead, 30, start=6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(url).json()
    assert body["count"] > 0


def test_api_detail_keeps_a_fixed_query_count_however_long_its_timeline(world, accepted, django_assert_max_num_queries):
    from leads import services

    lead = accepted()
    client = api(world, "county")
    with CaptureQueriesContext(connection) as small:
        assert client.get(one(lead)).status_code == 200
    for i in range(12):
        services.add_follow_up(actor=world["county"], lead=lead, follow_date=TODAY, note=f"第{i}次跟进")
    services.share_lead(actor=world["office"], lead=lead, unit=world.zone)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(one(lead)).json()
    assert len(body["timeline"]) > 12


def test_api_lists_are_paginated(world, make_lead):
    _grow(world, make_lead, 8)
    body = api(world, "office").get(LEADS + "?page_size=5").json()
    assert len(body["results"]) == 5 and body["next"]
