"""The directory pages as each persona meets them: the matrix, masking, the timeline, merging, query budgets."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from core.testing import Case, login_as, run_matrix, statuses
from enterprises.models import Company, Contact
from enterprises.timeline import TimelineEntry, register_source, unregister_source
from outreach.models import Visit

from .helpers import make_chain, make_company, make_contact, make_event, make_inspection, make_trip, make_visit

CODE = "91110000600037341L"
WRITERS_200 = {"office": 200, "team_leader": 200, "team_member": 200, "county": 200}


def u(name, *args):
    return reverse(f"enterprises:{name}", args=args)


def client_for(org, persona):
    return login_as(Client(), org[persona])


@pytest.fixture
def scene(org):
    """A company of 运城 entered by 北京招商组 and visited by two teams; one of 临汾."""
    company = make_company(org.city, "新锦源能源科技有限公司", credit_code=CODE, created_by_unit=org.team)
    make_contact(company, name="张总", phone="13912345678")
    make_visit(org.team, company, content="北京组走访洽谈铜箔项目", day=datetime.date(2025, 3, 10))
    make_visit(org.other_team, company, content="上海组走访洽谈储能项目", day=datetime.date(2025, 3, 12))
    foreign = make_company(org.other_city, "临汾晶旭新材料有限公司", created_by_unit=org.other_city_county)
    return {"company": company, "foreign": foreign, "contact": company.contacts.get()}


# --- Who may open what ----------------------------------------------------------------------


def test_permission_matrix_for_the_directory_pages(org, scene):
    company, foreign, contact = scene["company"], scene["foreign"], scene["contact"]
    yc = [
        p for p in ("office", "team_leader", "team_member", "county", "department", "leader", "sysadmin", "auditadmin")
    ]
    hide_foreign = {p: ["临汾晶旭"] for p in yc}
    hide_ours = {"outsider": ["新锦源"]}
    cases = [
        Case(u("company_list"), statuses(200), hidden={**hide_foreign, **hide_ours}, anonymous=302),
        Case(
            u("company_detail", company.pk),
            statuses(200, outsider=404),
            hidden={
                "team_leader": ["上海组走访"],
                "team_member": ["上海组走访"],
                "county": ["上海组走访", "北京组走访"],
                "department": ["上海组走访", "北京组走访", "13912345678"],
                "leader": ["13912345678"],
                "auditadmin": ["13912345678"],
            },
            shown={
                "office": ["北京组走访", "上海组走访", "13912345678"],
                "team_member": ["北京组走访", "13912345678"],
                "leader": ["北京组走访", "上海组走访", "139****5678"],
                "department": ["139****5678"],
            },
            anonymous=302,
        ),
        Case(u("company_detail", foreign.pk), statuses(404, outsider=200)),
        Case(u("company_create"), statuses(403, outsider=200, **WRITERS_200), anonymous=302),
        Case(u("company_create"), statuses(403, outsider=200, **WRITERS_200), method="post", data={"name": ""}),
        # Entered by 北京招商组: the office and that team correct it; others who see it get 403.
        Case(u("company_edit", company.pk), statuses(403, outsider=404, office=200, team_leader=200, team_member=200)),
        Case(
            u("company_edit", company.pk),
            statuses(403, outsider=404, office=200, team_leader=200, team_member=200),
            method="post",
            data={"name": ""},
        ),
        Case(u("company_edit", foreign.pk), statuses(404, outsider=200)),
        Case(u("company_merge", company.pk), statuses(403, outsider=404, office=200)),
        Case(u("company_merge", company.pk), statuses(403, outsider=404, office=200), method="post", data={}),
        Case(u("company_merge", foreign.pk), statuses(404, outsider=403)),
        Case(u("contact_add", company.pk), statuses(403, outsider=404, **WRITERS_200)),
        Case(
            u("contact_add", company.pk), statuses(403, outsider=404, **WRITERS_200), method="post", data={"name": ""}
        ),
        Case(u("contact_add", foreign.pk), statuses(403, outsider=200, **{p: 404 for p in WRITERS_200})),
        Case(u("contact_edit", contact.pk), statuses(403, outsider=404, **WRITERS_200)),
        Case(
            u("contact_edit", contact.pk), statuses(403, outsider=404, **WRITERS_200), method="post", data={"name": ""}
        ),
        Case(
            u("company_check") + "?name=新锦源能源科技股份公司",
            statuses(200),
            hidden=hide_ours,
            shown={p: ["新锦源能源科技有限公司"] for p in yc},
            anonymous=302,
        ),
        Case(u("company_check") + "?name=临汾晶旭新材料", statuses(200), hidden=hide_foreign),
        Case(
            u("company_suggest") + "?q=新锦源",
            statuses(200),
            hidden=hide_ours,
            shown={p: ['value="新锦源能源科技有限公司"'] for p in yc},
            anonymous=302,
        ),
        Case(u("company_suggest") + "?q=临汾", statuses(200), hidden=hide_foreign, shown={"outsider": ["临汾晶旭"]}),
    ]
    run_matrix(org, cases)


# --- The list -------------------------------------------------------------------------------


def test_the_visit_count_only_counts_visits_the_viewer_may_see(org, scene):
    def count_cell(persona):
        page = client_for(org, persona).get(u("company_list")).content.decode()
        row = page[page.index("新锦源能源科技有限公司") :]
        return row[: row.index("</tr>")]

    assert "<td >2</td>" in count_cell("office").replace('class="visit_count"', "")
    assert "<td >1</td>" in count_cell("team_member").replace('class="visit_count"', "")
    assert "2025-03-10" in count_cell("team_member") and "2025-03-12" not in count_cell("team_member")


def test_the_list_filters_by_text_credit_code_category_and_chain_without_repeating_rows(org, scene):
    chain, (up, mid) = make_chain(org.city)
    scene["company"].segments.add(up, mid)  # two segments of one chain: still one row
    make_company(org.city, "山西建龙实业有限公司", category="chain_leader", province="山西省")
    client = client_for(org, "office")

    def names(query):
        page = client.get(u("company_list") + query).content.decode()
        return {n for n in ("新锦源能源科技有限公司", "山西建龙实业有限公司") if n in page}, page

    assert names(f"?chain={chain.pk}")[0] == {"新锦源能源科技有限公司"}
    assert names(f"?chain={chain.pk}")[1].count("新锦源能源科技有限公司") == 1
    assert names("?q=建龙")[0] == {"山西建龙实业有限公司"}
    assert names(f"?q={CODE.lower()}")[0] == {"新锦源能源科技有限公司"}
    assert names("?category=chain_leader")[0] == {"山西建龙实业有限公司"}
    assert names("?province=山西")[0] == {"山西建龙实业有限公司"}


def test_merged_companies_are_not_listed(org, scene):
    make_company(org.city, "新锦源能源科技股份公司", merged_into=scene["company"])
    page = client_for(org, "office").get(u("company_list")).content.decode()
    assert "新锦源能源科技股份公司" not in page


def _grow(org, n):
    chain, segments = make_chain(org.city, name="扩容产业链")
    for i in range(n):
        company = make_company(org.city, f"扩容企业{i:03d}有限公司", created_by_unit=org.team)
        company.segments.add(*segments)
        make_contact(company, name=f"联系人{i}")
        make_visit(org.team, company, content=f"走访{i}")
        make_visit(org.other_team, company, content=f"上海走访{i}")


def test_the_list_keeps_a_fixed_query_count_as_the_directory_grows(org, scene, django_assert_max_num_queries):
    client = client_for(org, "team_member")
    url = u("company_list")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(org, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert "扩容企业" in page


def test_the_list_is_paginated(org):
    _grow(org, 30)
    page = client_for(org, "office").get(u("company_list")).content.decode()
    assert "共 30 条" in page
    assert page.count("扩容企业") == 25


# --- The detail page and its timeline -----------------------------------------------------


def test_a_team_member_sees_their_teams_visits_but_not_another_teams_on_the_same_company(org, scene):
    page = client_for(org, "team_member").get(scene["company"].get_absolute_url()).content.decode()
    ours = Visit.objects.get(unit=org.team)
    assert "北京组走访洽谈铜箔项目" in page and f'href="{ours.get_absolute_url()}"' in page
    assert "上海组走访洽谈储能项目" not in page
    assert "上海招商组" not in page  # not even in the box of units in touch


def test_the_office_sees_every_team_in_touch_with_the_company(org, scene):
    company = scene["company"]
    make_inspection(org.county, company, day=datetime.date(2025, 4, 1), result="考察铜箔产线")
    make_event(org.team, [company], title="运城（北京）新能源推介会", day=datetime.date(2025, 4, 2))
    make_trip(org.county, [company], destinations="东莞", purpose="拜访新锦源", day=datetime.date(2025, 4, 3))
    page = client_for(org, "office").get(company.get_absolute_url()).content.decode()
    timeline = page[page.index('data-testid="company-timeline"') :]
    # Newest first, every kind of record.
    order = [timeline.index(t) for t in ("东莞", "新能源推介会", "考察铜箔产线", "上海组走访", "北京组走访")]
    assert order == sorted(order)
    touch = page[page.index('data-testid="units-in-touch"') : page.index('data-testid="company-timeline"')]
    for unit in ("北京招商组", "上海招商组", "盐湖区"):
        assert unit in touch
    # 北京招商组: a visit and the event; 盐湖区: the inspection and the trip.
    assert "2025-04-03" in touch and "2025-04-02" in touch


def test_the_county_sees_only_its_own_work_on_the_company(org, scene):
    company = scene["company"]
    make_trip(org.county, [company], destinations="东莞")
    page = client_for(org, "county").get(company.get_absolute_url()).content.decode()
    touch = page[page.index('data-testid="units-in-touch"') :]
    assert "东莞" in touch and "盐湖区" in touch
    assert "北京组走访" not in touch and "北京招商组" not in touch and "上海招商组" not in touch


@pytest.mark.parametrize("persona", ["leader", "department", "auditadmin"])
def test_contact_phones_are_masked_for_roles_that_do_not_need_them(org, scene, persona):
    page = client_for(org, persona).get(scene["company"].get_absolute_url()).content.decode()
    assert "13912345678" not in page and "139****5678" in page


@pytest.mark.parametrize("persona", ["office", "team_leader", "team_member", "county", "sysadmin"])
def test_contact_phones_are_shown_to_those_who_call_investors(org, scene, persona):
    page = client_for(org, persona).get(scene["company"].get_absolute_url()).content.decode()
    assert "13912345678" in page


def test_the_timeline_shows_the_latest_fifty_and_links_to_the_full_lists(org, scene):
    company = scene["company"]
    for i in range(55):
        make_visit(org.team, company, content=f"第{i:02d}次走访", day=datetime.date(2024, 1, 1) + datetime.timedelta(i))
    page = client_for(org, "office").get(company.get_absolute_url()).content.decode()
    timeline = page[page.index('data-testid="company-timeline"') :]
    assert timeline.count('class="list-group-item"') == 50
    assert "第54次走访" in timeline and "第00次走访" not in timeline
    assert f"/outreach/visits/?company={company.pk}" in page


def test_another_app_can_add_its_records_to_the_timeline(org, scene):
    def leads(company, user, limit):
        yield TimelineEntry(datetime.date(2030, 1, 1), "线索", org.team, "新锦源拟投资铜箔项目", "")

    register_source(leads, key="test.leads", label="线索")
    try:
        page = client_for(org, "office").get(scene["company"].get_absolute_url()).content.decode()
    finally:
        unregister_source("test.leads")
    assert "新锦源拟投资铜箔项目" in page


def test_the_detail_page_keeps_a_fixed_query_count_whatever_the_records(org, scene, django_assert_max_num_queries):
    company = scene["company"]
    chain, segments = make_chain(org.city)
    company.segments.add(*segments)
    client = client_for(org, "office")
    url = company.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(30):
        make_visit(org.team, company, content=f"追加走访{i}")
        make_inspection(org.county, company, day=datetime.date(2025, 5, 1) + datetime.timedelta(i))
        make_event(org.team, [company], title=f"推介会{i}")
        make_trip(org.county, [company], destinations=f"目的地{i}")
        make_contact(company, name=f"联系人{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert "联系人29" in page and "目的地29" in page


def test_a_merged_companys_page_redirects_to_the_company_it_was_merged_into(org, scene):
    old = make_company(org.city, "新锦源能源科技股份公司", merged_into=scene["company"])
    client = client_for(org, "team_member")
    response = client.get(old.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == scene["company"].get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "已合并至" in page


def test_an_outsider_does_not_learn_a_merged_company_exists(org, scene):
    old = make_company(org.city, "新锦源能源科技股份公司", merged_into=scene["company"])
    assert client_for(org, "outsider").get(old.get_absolute_url()).status_code == 404


# --- Entering and editing -------------------------------------------------------------------


def test_a_team_member_enters_a_company_with_its_chain_segments(org):
    chain, (up, mid) = make_chain(org.city)
    client = client_for(org, "team_member")
    form = client.get(u("company_create")).content.decode()
    assert "铜精深加工 · 上游 · 铜矿采选" in form
    response = client.post(
        u("company_create"),
        {"name": "山西建龙实业有限公司", "credit_code": CODE, "kind": "company", "segments": [up.pk, mid.pk]},
    )
    company = Company.objects.get(name="山西建龙实业有限公司")
    assert response.status_code == 302 and response["Location"] == company.get_absolute_url()
    assert company.owner == org.city and set(company.segments.all()) == {up, mid}


def test_a_duplicate_shows_the_error_and_offers_the_existing_record(org, scene):
    client = client_for(org, "county")
    before = (Company.objects.count(), AuditEvent.objects.count())
    response = client.post(u("company_create"), {"name": "新锦源(广东)能源科技股份公司", "kind": "company"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "视为同一家企业" in page
    assert 'data-testid="existing-company"' in page and "已有记录" in page
    assert f'href="{scene["company"].get_absolute_url()}"' in page
    assert (Company.objects.count(), AuditEvent.objects.count()) == before


def test_a_bad_credit_code_is_named_on_the_form(org):
    response = client_for(org, "office").post(
        u("company_create"), {"name": "某某科技有限公司", "credit_code": "12345", "kind": "company"}
    )
    assert response.status_code == 200
    assert "统一社会信用代码“12345”无效" in response.content.decode()
    assert not Company.objects.exists()


def test_the_name_field_asks_for_possible_duplicates_while_typing(org, scene):
    client = client_for(org, "team_member")
    form = client.get(u("company_create")).content.decode()
    assert f'hx-get="{u("company_check")}"' in form and 'id="company-matches"' in form
    fragment = client.get(u("company_check"), {"name": "新锦源能源科技股份有限公司"}).content.decode()
    assert "新锦源能源科技有限公司" in fragment
    by_code = client.get(u("company_check"), {"name": "", "credit_code": CODE}).content.decode()
    assert "新锦源能源科技有限公司" in by_code
    assert client.get(u("company_check"), {"name": "别的公司"}).content.decode().strip() == ""
    # On the edit page the company itself is not its own duplicate.
    own = client.get(u("company_check"), {"name": "新锦源能源科技", "exclude": scene["company"].pk}).content.decode()
    assert "新锦源能源科技有限公司" not in own


def test_suggest_offers_at_most_ten_visible_companies_as_options(org, scene):
    for i in range(12):
        make_company(org.city, f"新锦源分公司{i:02d}")
    client = client_for(org, "team_member")
    page = client.get(u("company_suggest"), {"q": "新锦源"}).content.decode()
    assert page.count("<option") == 10
    assert 'value="新锦源能源科技有限公司"' in client.get(u("company_suggest"), {"q": "能源科技"}).content.decode()
    assert client.get(u("company_suggest"), {"q": ""}).content.decode().strip() == ""


def test_suggest_matches_the_normalised_name(org, scene):
    page = client_for(org, "team_member").get(u("company_suggest"), {"q": "新锦源（广东）能源"}).content.decode()
    assert 'value="新锦源能源科技有限公司"' in page


def test_editing_a_company_through_the_page(org, scene):
    company = scene["company"]
    client = client_for(org, "team_leader")
    form = client.get(u("company_edit", company.pk)).content.decode()
    assert "新锦源能源科技有限公司" in form and f"exclude={company.pk}" in form
    response = client.post(
        u("company_edit", company.pk),
        {"name": "新锦源能源科技有限公司", "credit_code": CODE, "kind": "company", "city": "东莞", "size": "large"},
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.city == "东莞" and company.size == "large" and company.category == "other"


def test_renaming_into_a_duplicate_offers_the_existing_record(org, scene):
    other = make_company(org.city, "山西建龙实业有限公司", created_by_unit=org.team)
    response = client_for(org, "team_member").post(
        u("company_edit", other.pk), {"name": "新锦源能源科技股份公司", "kind": "company"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="existing-company"' in page
    other.refresh_from_db()
    assert other.name == "山西建龙实业有限公司"


def test_adding_and_editing_a_contact_through_the_pages(org, scene):
    company = scene["company"]
    client = client_for(org, "team_member")
    response = client.post(
        u("contact_add", company.pk), {"name": "李经理", "title": "投资部经理", "phone": "13700001111"}
    )
    assert response.status_code == 302 and response["Location"] == company.get_absolute_url()
    contact = Contact.objects.get(name="李经理")
    response = client.post(
        u("contact_edit", contact.pk), {"name": "李经理", "title": "投资总监", "phone": "13700001111"}
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.title == "投资总监" and not contact.active  # the box was left unticked


def test_a_bad_contact_email_is_named_and_nothing_is_written(org, scene):
    response = client_for(org, "team_member").post(
        u("contact_add", scene["company"].pk), {"name": "李经理", "email": "not-an-email"}
    )
    assert response.status_code == 200
    assert "合法的邮件地址" in response.content.decode()
    assert not Contact.objects.filter(name="李经理").exists()


# --- Merging --------------------------------------------------------------------------------


def test_the_office_merges_a_same_named_duplicate_from_the_page(org, scene):
    keep = scene["company"]
    dup = make_company(org.city, "新锦源（广东）能源科技股份公司", created_by_unit=org.county)
    make_visit(org.county, dup, content="盐湖区走访")
    make_contact(dup, name="赵总")
    client = client_for(org, "office")
    form = client.get(u("company_merge", keep.pk)).content.decode()
    assert "新锦源（广东）能源科技股份公司" in form
    response = client.post(u("company_merge", keep.pk), {"candidate": dup.pk, "reason": "重复录入"})
    assert response.status_code == 302 and response["Location"] == keep.get_absolute_url()
    dup.refresh_from_db()
    assert dup.merged_into == keep
    page = client.get(response["Location"]).content.decode()
    assert "已将“新锦源（广东）能源科技股份公司”合并至“新锦源能源科技有限公司”" in page
    assert "走访 1 条" in page and "对接人 1 条" in page
    assert "盐湖区走访" in page


def test_the_office_merges_by_id(org, scene):
    keep = scene["company"]
    other = make_company(org.city, "新锦源储能有限公司")
    response = client_for(org, "office").post(u("company_merge", keep.pk), {"absorb": other.pk})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.merged_into == keep


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "请选择同名企业"),
        ({"absorb": 999999}, "不存在"),
        ("self", "不能把企业合并到它自己"),
        ("foreign", "不存在"),
    ],
)
def test_a_bad_merge_request_is_explained_and_nothing_moves(org, scene, data, message):
    keep = scene["company"]
    if data == "self":
        data = {"absorb": keep.pk}
    elif data == "foreign":
        data = {"absorb": scene["foreign"].pk}
    client = client_for(org, "office")
    before = AuditEvent.objects.count()
    response = client.post(u("company_merge", keep.pk), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_merging_companies_with_different_codes_is_refused_on_the_page(org, scene):
    keep = scene["company"]
    other = make_company(org.city, "新锦源储能有限公司", credit_code="91350100M000100Y43")
    response = client_for(org, "office").post(u("company_merge", keep.pk), {"absorb": other.pk})
    assert response.status_code == 200
    assert "不是同一家企业" in response.content.decode()
    other.refresh_from_db()
    assert other.merged_into is None


def test_the_visit_forms_company_field_gets_suggestions_as_it_is_typed(org, scene):
    # The visit form's input is named company_name; htmx sends it under that name.
    page = client_for(org, "team_member").get(u("company_suggest"), {"company_name": "新锦源"}).content.decode()
    assert 'value="新锦源能源科技有限公司"' in page
