"""The directory API (/api/v1/companies/, /api/v1/contacts/): scope, duplicates, merging, masking, cost."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditAction, AuditEvent
from core.testing import PERSONAS, Case, api_client_for, run_matrix, statuses
from enterprises.models import Company, Contact

from .helpers import make_chain, make_company, make_contact, make_visit

COMPANIES = "/api/v1/companies/"
CONTACTS = "/api/v1/contacts/"
CODE = "91110000600037341L"
OTHER_CODE = "91350100M000100Y43"
CJK = re.compile(r"[\u4e00-\u9fff]")
YC = [p for p in PERSONAS if p != "outsider"]
WRITERS = {"office": 201, "team_leader": 201, "team_member": 201, "county": 201}


def company_url(company, suffix=""):
    return f"{COMPANIES}{company.pk}/{suffix}"


def contact_url(contact):
    return f"{CONTACTS}{contact.pk}/"


@pytest.fixture
def scene(org):
    company = make_company(org.city, "新锦源能源科技有限公司", credit_code=CODE, created_by_unit=org.team)
    contact = make_contact(company, name="张总", phone="13912345678")
    make_visit(org.team, company, content="北京组走访")
    make_visit(org.other_team, company, content="上海组走访")
    foreign = make_company(org.other_city, "临汾晶旭新材料有限公司", created_by_unit=org.other_city_county)
    foreign_contact = make_contact(foreign, name="刘总")
    return {"company": company, "contact": contact, "foreign": foreign, "foreign_contact": foreign_contact}


def writes():
    return (Company.objects.count(), Contact.objects.count(), AuditEvent.objects.count())


# --- The matrix -----------------------------------------------------------------------------


def test_permission_matrix_for_the_directory_api(org, scene):
    company, contact, foreign = scene["company"], scene["contact"], scene["foreign"]
    hide_foreign = {p: ["临汾晶旭", "刘总"] for p in YC}
    hide_ours = {"outsider": ["新锦源", "张总"]}
    bad_name = {"name": ""}  # every write in the matrix is refused: nothing changes between personas
    cases = [
        Case(COMPANIES, statuses(200), api=True, hidden={**hide_foreign, **hide_ours}, anonymous=401),
        Case(company_url(company), statuses(200, outsider=404), api=True, hidden=hide_ours, anonymous=401),
        Case(company_url(foreign), statuses(404, outsider=200), api=True, hidden=hide_foreign),
        # Writers get the shape check (400); the rest are refused before (403: audit admin) or by the service.
        Case(
            COMPANIES,
            statuses(400, auditadmin=403),
            method="post",
            data=bad_name,
            api=True,
        ),
        Case(
            COMPANIES,
            statuses(403, office=400, team_leader=400, team_member=400, county=400, outsider=400),
            method="post",
            data={"name": "无权录入测试有限公司", "credit_code": "bad"},
            api=True,
        ),
        Case(
            company_url(company),
            statuses(403, outsider=404, office=400, team_leader=400, team_member=400),
            method="patch",
            data=bad_name,
            api=True,
        ),
        Case(
            company_url(company, "merge/"),
            statuses(403, outsider=404, office=400),
            method="post",
            data={"absorb": company.pk},
            api=True,
        ),
        Case(
            f"{COMPANIES}match/?name=新锦源能源科技股份公司",
            statuses(200),
            api=True,
            hidden={**hide_ours, **hide_foreign},
            shown={p: ["新锦源能源科技有限公司"] for p in YC},
        ),
        Case(CONTACTS, statuses(200), api=True, hidden={**hide_foreign, **hide_ours}, anonymous=401),
        Case(contact_url(contact), statuses(200, outsider=404), api=True, hidden=hide_ours),
        # A body of the wrong shape is a 400 for anyone who may write through the API at all.
        Case(
            CONTACTS, statuses(400, auditadmin=403), method="post", data={"company": company.pk, "name": ""}, api=True
        ),
        # A well-formed one: the service refuses those who do not do outreach; the outsider does not see
        # the company, so its id is refused like one that does not exist.
        Case(
            CONTACTS,
            statuses(403, office=201, team_leader=201, team_member=201, county=201, outsider=400),
            method="post",
            data={"company": company.pk, "name": "李经理"},
            api=True,
            hidden=hide_ours,
        ),
        Case(
            contact_url(contact),
            statuses(403, outsider=404, office=400, team_leader=400, team_member=400, county=400),
            method="patch",
            data=bad_name,
            api=True,
        ),
    ]
    before = writes()
    run_matrix(org, cases)
    # Only the four writers' contacts were added; no company was.
    assert writes()[:2] == (before[0], before[1] + 4)


def test_people_who_do_not_do_outreach_cannot_create_companies_through_the_api(org):
    for persona in ("department", "leader", "sysadmin", "auditadmin"):
        response = api_client_for(org[persona]).post(COMPANIES, {"name": "某某科技有限公司"}, format="json")
        assert response.status_code == 403, persona
        assert CJK.search(response.json()["detail"])
    assert not Company.objects.exists()


# --- Reading ---------------------------------------------------------------------------------


def test_a_company_reads_with_its_contacts_segments_and_the_viewers_visit_count(org, scene):
    company = scene["company"]
    chain, (up, mid) = make_chain(org.city)
    company.segments.add(up, mid)
    body = api_client_for(org["team_member"]).get(company_url(company)).json()
    assert body["name"] == "新锦源能源科技有限公司" and body["credit_code"] == CODE
    assert sorted(body["segments"]) == sorted([up.pk, mid.pk]) and body["chains"] == ["铜精深加工"]
    assert body["contacts"][0]["name"] == "张总" and body["contacts"][0]["phone"] == "13912345678"
    assert body["visit_count"] == 1  # 上海招商组's visit is not the team member's to see
    assert body["url"] == company.get_absolute_url()
    office = api_client_for(org["office"]).get(company_url(company)).json()
    assert office["visit_count"] == 2


@pytest.mark.parametrize("persona", ["leader", "department", "auditadmin"])
def test_phones_are_masked_for_roles_that_do_not_need_them(org, scene, persona):
    client = api_client_for(org[persona])
    detail = client.get(company_url(scene["company"])).content.decode()
    contacts = client.get(CONTACTS).content.decode()
    for body in (detail, contacts):
        assert "13912345678" not in body and "139****5678" in body


def test_the_list_filters_like_the_page(org, scene):
    chain, (up, mid) = make_chain(org.city)
    scene["company"].segments.add(up, mid)
    make_company(org.city, "山西建龙实业有限公司", category="chain_leader", province="山西")
    client = api_client_for(org["office"])

    def names(query):
        return [c["name"] for c in client.get(COMPANIES + query).json()["results"]]

    assert names(f"?chain={chain.pk}") == ["新锦源能源科技有限公司"]
    assert names("?category=chain_leader") == ["山西建龙实业有限公司"]
    assert names("?q=建龙") == ["山西建龙实业有限公司"]
    assert names("?province=山西省") == ["山西建龙实业有限公司"]


def test_contacts_filter_by_company(org, scene):
    other = make_company(org.city, "山西建龙实业有限公司")
    make_contact(other, name="王总")
    body = api_client_for(org["office"]).get(CONTACTS, {"company": scene["company"].pk}).json()
    assert [c["name"] for c in body["results"]] == ["张总"]


def test_a_merged_company_still_answers_by_id_and_points_to_the_kept_one(org, scene):
    old = make_company(org.city, "新锦源能源科技股份公司", merged_into=scene["company"])
    client = api_client_for(org["office"])
    assert client.get(company_url(old)).json()["merged_into"] == scene["company"].pk
    assert "新锦源能源科技股份公司" not in client.get(COMPANIES).content.decode()


def test_the_list_keeps_a_fixed_query_count_as_data_grows(org, scene, django_assert_max_num_queries):
    client = api_client_for(org["team_member"])
    client.get(COMPANIES)
    with CaptureQueriesContext(connection) as small:
        assert client.get(COMPANIES).status_code == 200
    chain, segments = make_chain(org.city, name="扩容产业链")
    for i in range(40):
        company = make_company(org.city, f"扩容企业{i:03d}")
        company.segments.add(*segments)
        make_contact(company, name=f"联系人{i}")
        make_visit(org.team, company)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(COMPANIES).json()
    assert body["count"] == 41
    with CaptureQueriesContext(connection) as contacts_small:
        client.get(CONTACTS)
    for i in range(20):
        make_contact(scene["company"], name=f"新联系人{i}")
    with django_assert_max_num_queries(len(contacts_small.captured_queries)):
        client.get(CONTACTS)


# --- Writing ---------------------------------------------------------------------------------


def test_creating_a_company_enters_it_in_the_callers_directory(org):
    chain, (up, _) = make_chain(org.city)
    response = api_client_for(org["team_member"]).post(
        COMPANIES,
        {"name": "山西建龙实业有限公司", "credit_code": CODE.lower(), "kind": "company", "segments": [up.pk]},
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    company = Company.objects.get(pk=body["id"])
    assert company.owner == org.city and company.credit_code == CODE and body["segments"] == [up.pk]
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(company.pk)).exists()


def test_a_duplicate_answers_400_with_the_message_and_the_existing_record(org, scene):
    client = api_client_for(org["county"])
    before = writes()
    response = client.post(COMPANIES, {"name": "新锦源（广东）能源科技股份公司"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "视为同一家企业" in body["name"][0]
    company = scene["company"]
    assert body["existing"] == {"id": company.pk, "name": company.name, "url": company.get_absolute_url()}
    by_code = client.post(COMPANIES, {"name": "别的名字", "credit_code": CODE}, format="json").json()
    assert "已属于" in by_code["credit_code"][0] and by_code["existing"]["id"] == company.pk
    assert writes() == before


def test_a_rename_into_a_duplicate_answers_400_with_the_existing_record(org, scene):
    other = make_company(org.city, "山西建龙实业有限公司", created_by_unit=org.team)
    response = api_client_for(org["team_member"]).patch(
        company_url(other), {"name": "新锦源能源科技集团有限公司"}, format="json"
    )
    assert response.status_code == 400 and response.json()["existing"]["id"] == scene["company"].pk


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"name": "某公司", "credit_code": "12345"}, "credit_code", "无效"),
        ({"name": "某公司", "kind": "bank"}, "kind", ""),
        ({"name": "某公司", "segments": [999999]}, "segments", "不存在"),
        ({"name": "某公司", "owner": 1}, "owner", "不能"),
        ({}, "name", ""),
    ],
)
def test_bad_company_input_names_the_field_in_chinese_and_writes_nothing(org, data, field, fragment):
    before = writes()
    response = api_client_for(org["office"]).post(COMPANIES, data, format="json")
    assert response.status_code == 400
    messages = " ".join(str(m) for m in response.json()[field])
    assert CJK.search(messages) and fragment in messages
    assert writes() == before


def test_another_citys_segments_are_refused_as_unknown(org):
    _, (foreign_segment, _) = make_chain(org.other_city, name="临汾焦化")
    response = api_client_for(org["office"]).post(
        COMPANIES, {"name": "某公司", "segments": [foreign_segment.pk]}, format="json"
    )
    assert response.status_code == 400 and "segments" in response.json()


def test_patching_a_company_is_audited(org, scene):
    company = scene["company"]
    response = api_client_for(org["team_leader"]).patch(company_url(company), {"city": "东莞"}, format="json")
    assert response.status_code == 200 and response.json()["city"] == "东莞"
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(company.pk))
    assert event.after == {"city": "东莞"}


def test_contacts_are_added_and_patched_through_the_api(org, scene):
    client = api_client_for(org["county"])
    response = client.post(
        CONTACTS, {"company": scene["company"].pk, "name": "李经理", "phone": "13700001111"}, format="json"
    )
    assert response.status_code == 201, response.content.decode()
    contact_id = response.json()["id"]
    response = client.patch(f"{CONTACTS}{contact_id}/", {"title": "投资总监", "active": False}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "投资总监" and response.json()["active"] is False


# --- Matching and merging ------------------------------------------------------------------------


def test_match_finds_the_company_by_code_or_by_normalised_name(org, scene):
    client = api_client_for(org["team_member"])
    by_name = client.get(f"{COMPANIES}match/", {"name": "新锦源(广东)能源科技股份公司"}).json()
    assert [c["id"] for c in by_name["results"]] == [scene["company"].pk]
    by_code = client.get(f"{COMPANIES}match/", {"credit_code": CODE.lower()}).json()
    assert by_code["count"] == 1
    assert client.get(f"{COMPANIES}match/", {"name": "不存在的公司"}).json() == {"count": 0, "results": []}
    empty = client.get(f"{COMPANIES}match/")
    assert empty.status_code == 400 and CJK.search(empty.json()["name"][0])


def test_the_office_merges_a_duplicate_through_the_api(org, scene):
    keep = scene["company"]
    dup = make_company(org.city, "新锦源能源科技股份公司", created_by_unit=org.county)
    make_contact(dup, name="赵总")
    make_visit(org.county, dup)
    response = api_client_for(org["office"]).post(
        company_url(keep, "merge/"), {"absorb": dup.pk, "reason": "重复录入"}, format="json"
    )
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert body["id"] == keep.pk and body["merge"]["absorbed"] == dup.pk
    assert body["merge"]["moved"] == {"enterprises.contact": 1, "outreach.visit": 1}
    assert {c["name"] for c in body["contacts"]} == {"张总", "赵总"}
    dup.refresh_from_db()
    assert dup.merged_into == keep
    assert AuditEvent.objects.filter(action=AuditAction.MERGE).count() == 2


@pytest.mark.parametrize("persona", ["team_leader", "team_member"])
def test_a_team_cannot_merge_even_the_companies_it_entered(org, scene, persona):
    dup = make_company(org.city, "新锦源能源科技股份公司", created_by_unit=org.team)
    response = api_client_for(org[persona]).post(
        company_url(scene["company"], "merge/"), {"absorb": dup.pk}, format="json"
    )
    assert response.status_code == 403 and CJK.search(response.json()["detail"])
    dup.refresh_from_db()
    assert dup.merged_into is None


def test_merging_refuses_different_codes_and_unseen_companies(org, scene):
    client = api_client_for(org["office"])
    other = make_company(org.city, "新锦源储能有限公司", credit_code=OTHER_CODE)
    response = client.post(company_url(scene["company"], "merge/"), {"absorb": other.pk}, format="json")
    assert response.status_code == 400 and "不是同一家企业" in response.json()["non_field_errors"][0]
    response = client.post(company_url(scene["company"], "merge/"), {"absorb": scene["foreign"].pk}, format="json")
    assert response.status_code == 400 and "不存在" in response.json()["absorb"][0]
