"""The ledger pages as each persona meets them: the permission matrix, the phone entry flow, bad input, query budgets.

Decided here and held by the matrix: the office and city leaders read every team's
ledgers but do not write them — the create pages are 403 for them, and a team's
record is visible (200) but its edit and delete pages are 403.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Attachment, AuditEvent
from core.testing import Case, login_as, make_person, run_matrix, statuses
from enterprises.models import Company, Contact
from organizations.choices import Role
from outreach.models import Inspection, OutboundTrip, PromotionEvent, Stationing, Visit

from . import factories as f

D = datetime.date
TODAY = f.TODAY
CITY_READERS = ("office", "leader", "sysadmin", "auditadmin")
WRITERS = ("team_leader", "team_member", "county", "outsider")


def u(name, *args):
    return reverse(f"outreach:{name}", args=args)


def only(*personas, code=200, default=404, **others):
    """`code` for the named personas, `default` for the rest (with per-persona overrides)."""
    expect = statuses(default, **dict.fromkeys(personas, code))
    expect.update(others)
    return expect


def team_reads(default=404, **others):
    return only(*CITY_READERS, "team_leader", "team_member", default=default, **others)


def team_writes():
    """Edit pages of a team's record: the team changes it; the city's readers see it but may not (403)."""
    return only("team_leader", "team_member", **dict.fromkeys(CITY_READERS, 403))


def client_for(org, persona):
    user = org[persona] if isinstance(persona, str) else persona
    return login_as(Client(), user)


@pytest.fixture
def records(org, chain):
    """One record of each kind, each with a name that must not leak outside its scope."""
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


def test_permission_matrix_for_the_list_pages(org, records):
    not_team = ("county", "department", "outsider")
    cases = [
        Case(
            u("visit_list"),
            statuses(200),
            anonymous=302,
            hidden={
                **{p: ["焦化集团"] for p in CITY_READERS},
                "team_leader": ["蔚来汽车", "焦化集团"],
                "team_member": ["蔚来汽车", "焦化集团"],
                "county": ["宁德时代", "蔚来汽车", "焦化集团"],
                "department": ["宁德时代", "蔚来汽车", "焦化集团"],
                "outsider": ["宁德时代", "蔚来汽车"],
            },
            shown={"office": ["宁德时代", "蔚来汽车"], "team_member": ["宁德时代"], "outsider": ["焦化集团"]},
        ),
        Case(
            u("inspection_list"),
            statuses(200),
            anonymous=302,
            hidden={
                "team_member": ["宝钢股份"],
                "county": ["宝钢股份"],
                "department": ["比亚迪", "宝钢股份"],
                "outsider": ["比亚迪", "宝钢股份"],
            },
            shown={"office": ["比亚迪", "宝钢股份"], "team_member": ["比亚迪"], "county": ["比亚迪"]},
        ),
        Case(
            u("event_list"),
            statuses(200),
            anonymous=302,
            hidden={p: ["北京专场推介会"] for p in not_team},
            shown={"office": ["北京专场推介会"], "team_member": ["北京专场推介会"]},
        ),
        Case(
            u("trip_list"),
            statuses(200),
            anonymous=302,
            hidden={p: ["深圳南山"] for p in ("team_leader", "team_member", "department", "outsider")},
            shown={"office": ["深圳南山"], "county": ["深圳南山"]},
        ),
        Case(
            u("stationing_list") + "?year=2025",
            statuses(200),
            anonymous=302,
            hidden={p: ["中关村驻点", "王峰"] for p in not_team},
            shown={"office": ["中关村驻点", "王峰"], "team_member": ["中关村驻点"]},
        ),
    ]
    run_matrix(org, cases)


def test_permission_matrix_for_the_create_pages(org):
    writers = only(*WRITERS, default=403)
    cases = [Case(u(f"{kind}_create"), writers, anonymous=302) for kind in ("visit", "inspection", "event", "trip")]
    cases.append(Case(u("stationing_create"), writers, anonymous=302))
    # A POST by someone who may not write is refused before anything is looked at.
    cases.append(Case(u("visit_create"), writers, method="post", data={"content": ""}))
    run_matrix(org, cases)
    assert Visit.objects.count() == 0


def test_permission_matrix_for_detail_edit_and_delete_pages(org, records):
    r = records
    hidden_outside = {p: ["宁德时代"] for p in ("county", "department", "outsider")}
    cases = [
        # A team's own visit: the team writes it; the city reads it; the rest get a 404 that leaks nothing.
        Case(u("visit_detail", r["team_visit"].pk), team_reads(), hidden=hidden_outside, anonymous=302),
        Case(u("visit_edit", r["team_visit"].pk), team_writes(), hidden=hidden_outside, anonymous=302),
        Case(u("visit_delete", r["team_visit"].pk), team_writes(), hidden=hidden_outside),
        Case(u("visit_edit", r["team_visit"].pk), team_writes(), method="post", data={"content": ""}),
        # 上海招商组's visit: 北京招商组 does not see it at all.
        Case(
            u("visit_detail", r["other_visit"].pk),
            only(*CITY_READERS),
            hidden={"team_member": ["蔚来汽车"], "team_leader": ["蔚来汽车"]},
        ),
        Case(u("visit_edit", r["other_visit"].pk), only(*CITY_READERS, code=403)),
        # Another city's visit: only its own county sees it.
        Case(u("visit_detail", r["outsider_visit"].pk), only("outsider"), hidden={"office": ["焦化集团"]}),
        # An inspection 北京招商组 invited and 盐湖区 hosted: the county reads it but does not change it.
        Case(u("inspection_detail", r["hosted"].pk), team_reads(county=200)),
        Case(u("inspection_edit", r["hosted"].pk), {**team_writes(), "county": 403}),
        Case(u("inspection_delete", r["hosted"].pk), {**team_writes(), "county": 403}),
        Case(u("inspection_detail", r["other_inspection"].pk), only(*CITY_READERS)),
        Case(u("event_detail", r["event"].pk), team_reads()),
        Case(u("event_edit", r["event"].pk), team_writes()),
        Case(u("event_delete", r["event"].pk), team_writes()),
        # The county's own trip.
        Case(u("trip_detail", r["trip"].pk), only(*CITY_READERS, "county")),
        Case(u("trip_edit", r["trip"].pk), only("county", **dict.fromkeys(CITY_READERS, 403))),
        Case(u("trip_delete", r["trip"].pk), only("county", **dict.fromkeys(CITY_READERS, 403))),
        Case(u("stationing_detail", r["stationing"].pk), team_reads()),
        Case(u("stationing_edit", r["stationing"].pk), team_writes()),
        Case(u("stationing_delete", r["stationing"].pk), team_writes()),
        Case(u("visit_detail", 999999), statuses(404)),
    ]
    run_matrix(org, cases)


# --- The phone flow --------------------------------------------------------------------------


def test_a_team_member_logs_a_visit_from_a_phone_with_a_new_company_a_contact_and_a_photo(org, chain):
    member = org["team_member"]
    client = client_for(org, member)
    url = u("visit_create")
    page = client.get(url, HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert f'type="date" name="visit_date" value="{TODAY:%Y-%m-%d}"' in page
    assert 'accept="image/*,application/pdf"' in page and 'capture="environment"' in page
    assert re.search(r'<input type="file" name="files"[^>]* multiple', page)
    suggest = reverse("enterprises:company_suggest")
    assert f'hx-get="{suggest}"' in page and 'hx-trigger="input changed delay:300ms"' in page
    assert 'hx-target="#company-options"' in page and 'list="company-options"' in page
    assert '<datalist id="company-options">' in page
    assert 'data-bs-toggle="collapse" href="#more-fields"' in page  # the credit code folds away under 更多
    assert '<select name="unit"' not in page  # one team: nothing to choose
    assert "btn-lg" in page  # a big button for a thumb

    response = client.post(
        url,
        {
            "visit_date": TODAY.isoformat(),
            "unit": org.team.pk,
            "company_name": "隆基绿能科技股份有限公司",
            "chain": chain.pk,
            "way": "via_chamber",
            "contact_name": "李经理",
            "contact_title": "投资部经理",
            "contact_phone": "13712345678",
            "content": "介绍运城光伏产业园政策，对方有意考察",
            "intention": "拟投资 5 亿元建设组件工厂",
            "visitors": [member.pk],
            "files": [f.png_upload("现场.png")],
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    company = Company.objects.get(name="隆基绿能科技股份有限公司")
    assert visit.company == company and visit.chain == chain and visit.way == "via_chamber"
    assert Contact.objects.get(company=company).name == "李经理"
    attachment = Attachment.objects.get()
    assert attachment.original_name == "现场.png" and attachment.is_image

    detail = client.get(response["Location"]).content.decode()
    assert "走访已保存" in detail
    assert reverse("enterprises:company_detail", args=[company.pk]) in detail  # the message links to the company
    attachment_url = reverse("core:attachment", args=[attachment.pk])
    assert f'<img src="{attachment_url}"' in detail

    served = client.get(attachment_url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == f.tiny_png()
    assert client_for(org, org.other_team_member).get(attachment_url).status_code == 404
    assert client_for(org, "county").get(attachment_url).status_code == 404
    assert client_for(org, "office").get(attachment_url).status_code == 200


def test_a_county_chooses_between_itself_and_its_squad(org):
    page = client_for(org, "county").get(u("visit_create")).content.decode()
    assert '<select name="unit"' in page
    assert "盐湖区驻点招商小分队" in page and "北京招商组" not in page


def test_the_same_visit_posted_twice_is_refused_with_the_message_and_nothing_is_written(org):
    client = client_for(org, "team_member")
    data = {"visit_date": TODAY.isoformat(), "unit": org.team.pk, "company_name": "宁德时代", "content": "洽谈"}
    data["way"] = "knocking"
    assert client.post(u("visit_create"), data).status_code == 302
    before = (Visit.objects.count(), Company.objects.count(), AuditEvent.objects.count())
    response = client.post(u("visit_create"), {**data, "contact_name": "新对接人"})
    assert response.status_code == 200
    assert "该走访已登记：同一单位、同一天、同一企业、相同内容" in response.content.decode()
    assert (Visit.objects.count(), Company.objects.count(), AuditEvent.objects.count()) == before
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("visit", {"visit_date": (TODAY + datetime.timedelta(days=1)).isoformat()}, "走访日期不能晚于今天"),
        ("visit", {"visit_date": "2024-02-30"}, "有效的日期"),
        ("visit", {"content": ""}, "该字段是必填项"),
        ("visit", {"credit_code": "91110000ABC"}, "统一社会信用代码“91110000ABC”无效"),
        ("visit", {"files": "not-a-file-upload"}, ""),
        ("event", {"signed_amount": "-3"}, "签约金额（万元）不能为负数"),
        ("event", {"signed_amount": "abc"}, "输入一个数字"),
        ("event", {"event_date": "1999-10-01"}, "举办日期不能早于 2000 年 1 月 1 日"),
        ("trip", {"start_date": "2025-05-10", "end_date": "2025-05-01"}, "返回日期不能早于出发日期"),
        ("stationing", {"start_date": "2025-05-10", "end_date": "2025-05-01"}, "结束日期不能早于开始日期"),
        ("inspection", {"host_units": ["999999"]}, "选择一个有效的选项"),
    ],
)
def test_bad_input_on_the_pages_gets_a_chinese_message_and_writes_nothing(org, kind, data, message):
    member = org["team_member"]
    base = {
        "visit": {"visit_date": TODAY.isoformat(), "company_name": "宁德时代", "content": "洽谈", "way": "knocking"},
        "inspection": {"inspection_date": TODAY.isoformat(), "company_name": "比亚迪"},
        "event": {"title": "推介会", "event_date": TODAY.isoformat(), "place": "北京", "signed_amount": "1"},
        "trip": {"start_date": "2025-05-01", "end_date": "2025-05-03", "destinations": "深圳"},
        "stationing": {"person": member.pk, "start_date": "2025-05-01", "end_date": "2025-05-03", "place": "北京"},
    }[kind]
    client = client_for(org, member)  # logging in is audited too: do it before counting
    before = (
        Visit.objects.count(),
        Inspection.objects.count(),
        PromotionEvent.objects.count(),
        OutboundTrip.objects.count(),
        Stationing.objects.count(),
        Company.objects.count(),
        AuditEvent.objects.count(),
    )
    response = client.post(u(f"{kind}_create"), {"unit": org.team.pk, **base, **data})
    if kind == "visit" and "files" in data:
        # A text value where files belong is simply no file: the visit is written, without attachments.
        assert response.status_code == 302
        assert not Attachment.objects.exists()
        return
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (
        Visit.objects.count(),
        Inspection.objects.count(),
        PromotionEvent.objects.count(),
        OutboundTrip.objects.count(),
        Stationing.objects.count(),
        Company.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_a_file_that_is_not_what_it_claims_is_refused_on_the_page(org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a jpeg", content_type="image/jpeg")
    data = {"visit_date": TODAY.isoformat(), "unit": org.team.pk, "company_name": "宁德时代", "content": "洽谈"}
    response = client_for(org, "team_member").post(u("visit_create"), {**data, "way": "knocking", "files": [fake]})
    assert response.status_code == 200
    assert "内容与扩展名不符" in response.content.decode()
    assert not Visit.objects.exists() and not Company.objects.exists()


def test_an_overlapping_stationing_is_refused_on_the_page_naming_the_other_period(org):
    f.stationing(org, start=D(2025, 3, 1), end=D(2025, 3, 31), place="北京中关村")
    leader = org["team_leader"]
    response = client_for(org, leader).post(
        u("stationing_create"),
        {
            "person": leader.pk,
            "unit": org.team.pk,
            "start_date": "2025-03-20",
            "end_date": "2025-04-10",
            "place": "天津",
        },
    )
    assert response.status_code == 200
    assert "与已有的驻点记录重叠：北京中关村，2025-03-01 至 2025-03-31" in response.content.decode()
    assert Stationing.objects.count() == 1


def test_each_kind_is_created_through_its_page(org, chain):
    member = org["team_member"]
    client = client_for(org, member)
    cases = {
        "inspection": {
            "inspection_date": TODAY.isoformat(),
            "company_name": "比亚迪股份有限公司",
            "delegation": "王总（董事长）",
            "host_units": [org.county.pk, org.zone.pk],
        },
        "event": {
            "title": "北京专场推介会",
            "event_date": TODAY.isoformat(),
            "place": "北京",
            "company_names": "甲科技有限公司\n乙材料有限公司\n\n甲科技有限公司",
            "projects_signed": "7",
            "signed_amount": "235000.5",
        },
        "trip": {
            "start_date": "2025-05-01",
            "end_date": "2025-05-03",
            "destinations": "深圳、东莞",
            "leader_name": "张副县长",
            "members": [member.pk],
            "company_names": "华为技术有限公司",
            "projects_connected": "2",
        },
        "stationing": {"person": member.pk, "start_date": "2025-05-01", "end_date": "2025-05-31", "place": "北京"},
    }
    for kind, data in cases.items():
        response = client.post(u(f"{kind}_create"), {"unit": org.team.pk, **data})
        assert response.status_code == 302, (kind, response.content.decode()[-2000:])
    inspection = Inspection.objects.get()
    assert set(inspection.host_units.all()) == {org.county, org.zone}
    event = PromotionEvent.objects.get()
    assert sorted(c.name for c in event.companies.all()) == ["乙材料有限公司", "甲科技有限公司"]
    assert str(event.signed_amount) == "235000.5000"
    trip = OutboundTrip.objects.get()
    assert trip.leader_name == "张副县长" and [c.name for c in trip.companies.all()] == ["华为技术有限公司"]
    assert Stationing.objects.get().days == 31
    detail = client.get(event.get_absolute_url()).content.decode()
    assert "甲科技有限公司" in detail and "235000.50" in detail


def test_editing_a_visit_through_the_page_keeps_it_and_audits_the_change(org):
    visit = f.visit(org, visitors=[org["team_member"], org["team_leader"]])
    client = client_for(org, "team_member")
    page = client.get(u("visit_edit", visit.pk)).content.decode()
    assert 'value="宁德时代新能源科技股份有限公司"' in page
    form = {
        "visit_date": visit.visit_date.isoformat(),
        "unit": org.team.pk,
        "company_name": visit.company.name,
        "way": "via_business",
        "content": "改为储能项目",
        "visitors": [org["team_member"].pk, org["team_leader"].pk],
    }
    response = client.post(u("visit_edit", visit.pk), form)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.content == "改为储能项目" and visit.way == "via_business"
    assert visit.visitors.count() == 2 and Company.objects.count() == 1
    update = AuditEvent.objects.get(object_type="outreach.visit", action="update")
    assert update.before == {"content": "洽谈电池项目", "way": "knocking"}


def test_deleting_a_visit_takes_a_post_and_only_the_team_may(org):
    visit = f.visit(org)
    assert client_for(org, "office").post(u("visit_delete", visit.pk)).status_code == 403
    assert client_for(org, org.other_team_member).post(u("visit_delete", visit.pk)).status_code == 404
    assert Visit.objects.filter(pk=visit.pk).exists()
    response = client_for(org, "team_member").post(u("visit_delete", visit.pk))
    assert response.status_code == 302 and response["Location"] == u("visit_list")
    assert not Visit.objects.filter(pk=visit.pk).exists()


def test_the_detail_page_offers_edit_only_to_the_team_and_masks_the_phone_for_leaders(org):
    visit = f.visit(org, contact_name="李经理", contact_phone="13712345678")
    member_page = client_for(org, "team_member").get(visit.get_absolute_url()).content.decode()
    assert u("visit_edit", visit.pk) in member_page and "13712345678" in member_page
    leader_page = client_for(org, "leader").get(visit.get_absolute_url()).content.decode()
    assert u("visit_edit", visit.pk) not in leader_page
    assert "13712345678" not in leader_page and "137****5678" in leader_page
    assert "13712345678" in client_for(org, "office").get(visit.get_absolute_url()).content.decode()


def test_the_visit_list_filters_by_unit_period_company_chain_category_and_way(org, chain):
    county = org["county"]
    f.visit(org, "county", company_name="甲科技", content="一", chain=chain, visit_date=D(2025, 1, 10))
    f.visit(org, "county", unit=org.squad, company_name="乙材料", content="二", way="via_agent")
    f.visit(org, "county", company_name="丙能源", content="三", company_category="chain_leader")
    client = client_for(org, county)

    def names(query):
        page = client.get(u("visit_list") + query).content.decode()
        return {n for n in ("甲科技", "乙材料", "丙能源") if n in page}

    assert names("") == {"甲科技", "乙材料", "丙能源"}
    assert names(f"?unit={org.squad.pk}") == {"乙材料"}
    assert names(f"?unit={org.county.pk}") == {"甲科技", "乙材料", "丙能源"}
    assert names("?date_from=2025-01-01&date_to=2025-01-31") == {"甲科技"}
    assert names(f"?chain={chain.pk}") == {"甲科技"}
    assert names("?way=via_agent") == {"乙材料"}
    assert names("?category=chain_leader") == {"丙能源"}
    assert names("?q=材料") == {"乙材料"}
    assert names(f"?company={Company.objects.get(name='丙能源').pk}") == {"丙能源"}
    # An htmx request gets only the table.
    partial = client.get(u("visit_list") + "?q=材料", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "乙材料" in partial


def test_the_stationing_list_shows_days_per_person_and_flags_a_leader_short_of_thirty(org):
    f.stationing(org, start=D(2025, 3, 1), end=D(2025, 3, 20))
    f.stationing(org, "team_leader", person=org["team_member"], start=D(2025, 3, 1), end=D(2025, 4, 30))
    page = client_for(org, "office").get(u("stationing_list") + "?year=2025").content.decode()
    summary = page[page.index('data-testid="stationing-summary"') : page.index('data-testid="stationing-table"')]
    assert re.search(r"王峰.*?<td class=\"text-end\">20</td>.*?不足 30 天", summary, re.S)
    assert re.search(r"北京组小李</td>\s*<td class=\"text-end\">61</td>\s*<td></td>", summary)


def test_the_trip_list_counts_trips_per_leader_for_the_year(org):
    head = org["county"]
    for month in (3, 6):
        f.trip(org, leader=head, start_date=D(2025, month, 1), end_date=D(2025, month, 2))
    page = client_for(org, head).get(u("trip_list") + "?date_from=2025-01-01").content.decode()
    assert re.search(r"2025 年带队外出次数.*?盐湖区小张</span><span>2</span>", page, re.S)


def test_pages_carry_no_inline_script_style_or_handler(org, records):
    client = client_for(org, "team_member")
    r = records
    urls = [
        u("visit_list"),
        u("visit_create"),
        u("visit_detail", r["team_visit"].pk),
        u("visit_edit", r["team_visit"].pk),
        u("inspection_create"),
        u("event_create"),
        u("trip_create"),
        u("stationing_list"),
        u("stationing_create"),
        u("stationing_delete", r["stationing"].pk),
    ]
    for url in urls:
        page = client.get(url).content.decode()
        assert " style=" not in page, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert not re.search(r"\son[a-z]+=", page), url


# --- Query budgets ---------------------------------------------------------------------------


def grow(org, chain, n):
    """Many records of each kind, for every team, with their related rows."""
    member, other, county = org["team_member"], org.other_team_member, org["county"]
    extra = make_person(f"bj_extra_{n}", org.team, Role.TEAM_MEMBER, f"北京组新人{n}")
    for i in range(n):
        day = D(2025, 1, 1) + datetime.timedelta(days=3 * i)
        for who in (member, other):
            f.visit(
                org,
                who,
                company_name=f"企业{who.pk}-{n}-{i}",
                content=f"内容{i}",
                chain=chain,
                contact_name=f"联系人{i}",
                visit_date=day,
                visitors=[who],
            )
            f.inspection(org, who, company_name=f"考察企业{who.pk}-{n}-{i}", inspection_date=day)
            f.event(org, who, title=f"推介会{n}-{i}", company_names=[f"参会{n}-{i}"])
        f.inspection(org, member, company_name=f"托管{n}-{i}", host_units=[org.county, org.zone], inspection_date=day)
        f.trip(org, county, leader=county, members=[county], start_date=day, end_date=day, company_names=[f"对接{i}"])
        f.stationing(org, "team_leader", person=extra, start=day, end=day + datetime.timedelta(days=1))


LIST_PAGES = ["visit_list", "inspection_list", "event_list", "trip_list", "stationing_list"]


@pytest.mark.parametrize("name", LIST_PAGES)
@pytest.mark.parametrize("persona", ["office", "team_member", "county"])
def test_list_pages_keep_a_fixed_query_count_as_data_grows(org, chain, name, persona, django_assert_max_num_queries):
    client = client_for(org, persona)
    url = u(name)
    grow(org, chain, 2)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(org, chain, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url + "?page=2").status_code in (200, 404)


@pytest.mark.parametrize("kind", ["visit", "inspection", "event", "trip"])
def test_detail_pages_keep_a_fixed_query_count(org, chain, kind, django_assert_max_num_queries):
    grow(org, chain, 3)
    model = {"visit": Visit, "inspection": Inspection, "event": PromotionEvent, "trip": OutboundTrip}[kind]
    obj = model.objects.order_by("-id").first()
    client = client_for(org, "office")
    client.get(obj.get_absolute_url())
    with django_assert_max_num_queries(16):
        assert client.get(obj.get_absolute_url()).status_code == 200


def test_lists_are_paginated_by_25(org, chain):
    grow(org, chain, 14)  # 28 visits visible to the office
    page = client_for(org, "office").get(u("visit_list")).content.decode()
    assert "page=2" in page
    assert len(re.findall(r'href="/outreach/visits/\d+/"', page)) == 25


@pytest.mark.parametrize(
    "query",
    ["?unit=abc", "?date_from=not-a-date", "?company=x", "?chain=999999", "?way=fax", "?page=999", "?sort=nonsense"],
)
@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_bad_filter_never_breaks_a_list_page(org, name, query):
    f.stationing(org, start=D(2025, 3, 1), end=D(2025, 3, 2))
    response = client_for(org, "office").get(u(name) + query + "&year=abc")
    assert response.status_code in (200, 404)
