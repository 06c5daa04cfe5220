"""A chain's "六个一": who may change it (pages and API), bad input writing nothing, the audit trail, the policy
package's files, the figures equal to the lists they link to, and the overview's cost."""

import datetime
import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chains import services
from chains.models import ChainPromotion, PolicyDocument
from core.models import Attachment, AuditEvent
from core.testing import PERSONAS, Case, api_client_for, login_as, make_person, run_matrix, statuses
from organizations.choices import Role

from .factories import Taxonomy, chain, cluster, company, lead, leader, project

pytestmark = pytest.mark.django_db

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CJK = re.compile(r"[\u4e00-\u9fff]")
OFFICE_LAST = [p for p in PERSONAS if p != "office"] + ["office"]
IN_CITY = [p for p in PERSONAS if p != "outsider"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tax(org):
    return Taxonomy(org)


@pytest.fixture
def chief(org):
    """A county-level leader of 运城 (盐湖区's 区长), who may be named a chain's 链长."""
    return make_person("quzhang", org.county, Role.LEADER, "李区长", title="盐湖区人民政府区长")


def pdf(name="铜产业支持政策.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def u(name, *args):
    return reverse(f"chains:{name}", args=args)


def counts():
    return (
        ChainPromotion.objects.count(),
        PolicyDocument.objects.count(),
        Attachment.objects.count(),
        AuditEvent.objects.count(),
    )


@contextmanager
def nothing_written():
    before = counts()
    yield
    assert counts() == before, "a refused change wrote something"


# --- Services -------------------------------------------------------------------------------------------------


def test_the_office_fills_in_the_six_ones_and_each_change_is_audited(org, tax, chief):
    office = org["office"]
    promotion = services.set_chain_promotion(
        actor=office, chain=tax.chain, leader=chief, team=org.team, chain_leader=tax.leader
    )
    # Naming a person fills in their name and title.
    assert (promotion.leader_name, promotion.leader_title) == ("李区长", "盐湖区人民政府区长")
    assert promotion.leader_label == "李区长（盐湖区人民政府区长）"
    created = AuditEvent.objects.get(object_type="chains.chainpromotion", action="create")
    assert created.after["team"] == org.team.pk and created.after["chain_leader"] == tax.leader.pk
    services.set_chain_promotion(actor=office, chain=tax.chain, leader_title="盐湖区区长")
    updated = AuditEvent.objects.filter(object_type="chains.chainpromotion", action="update").get()
    assert updated.before == {"leader_title": "盐湖区人民政府区长"} and updated.after == {"leader_title": "盐湖区区长"}
    assert ChainPromotion.objects.get(chain=tax.chain).team == org.team  # untouched fields stay


@pytest.mark.parametrize(
    "change, field, message",
    [
        (lambda org, tax: {"team": org.city}, "team", "招商专班须为本市"),
        (lambda org, tax: {"team": org.other_city_county}, "team", "招商专班须为本市"),
        (lambda org, tax: {"chain_leader": tax.other_leader}, "chain_leader", "链主企业须为该产业链"),
        (lambda org, tax: {"leader": org["county"]}, "leader", "链长须为本市在职的领导"),
        (lambda org, tax: {"leader_name": "很" * 51}, "leader_name", "不能超过 50 个字"),
        (lambda org, tax: {"colour": "红"}, "__all__", "不能在此修改"),
    ],
)
def test_bad_six_ones_are_refused_with_a_chinese_message_and_nothing_is_written(org, tax, change, field, message):
    with nothing_written(), pytest.raises(ValidationError) as exc:
        services.set_chain_promotion(actor=org["office"], chain=tax.chain, **change(org, tax))
    errors = exc.value.message_dict[field] if hasattr(exc.value, "error_dict") else exc.value.messages
    assert field in ("__all__", *getattr(exc.value, "error_dict", ()))
    assert message in " ".join(errors)


@pytest.mark.parametrize("persona", ["county", "leader", "team_leader", "sysadmin"])
def test_only_the_office_changes_the_six_ones(org, tax, persona):
    with nothing_written(), pytest.raises(PermissionDenied):
        services.set_chain_promotion(actor=org[persona], chain=tax.chain, leader_name="张三")
    with nothing_written(), pytest.raises(PermissionDenied):
        services.add_policy_document(actor=org[persona], chain=tax.chain, title="政策", file=pdf())


def test_a_policy_document_is_stored_with_its_file_and_removed_with_it(org, tax):
    office = org["office"]
    document = services.add_policy_document(
        actor=office, chain=tax.chain, title="  铜产业  支持政策 ", file=pdf(), issued_on=D(2025, 3, 1)
    )
    assert document.title == "铜产业 支持政策" and document.promotion.chain == tax.chain
    assert [a.original_name for a in document.attachments.all()] == ["铜产业支持政策.pdf"]
    assert AuditEvent.objects.filter(object_type="chains.policydocument", action="create").count() == 1
    services.remove_policy_document(actor=office, document=document)
    assert not PolicyDocument.objects.exists() and not Attachment.objects.exists()
    assert AuditEvent.objects.filter(object_type="chains.policydocument", action="delete").count() == 1


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"title": "  "}, "title", "请填写政策文件名称"),
        ({"title": "长" * 201}, "title", "不能超过 200 个字"),
        ({"file": None}, "file", "请上传政策文件"),
        ({"file": SimpleUploadedFile("政策.exe", b"MZ\x90\x00")}, "file", "不支持的文件类型"),
        ({"file": SimpleUploadedFile("政策.pdf", b"\x89PNG\r\n\x1a\n0000")}, "file", "内容与扩展名不符"),
        ({"issued_on": D(2999, 1, 1)}, "issued_on", "不能晚于今天"),
        ({"issued_on": "2025年3月1日"}, "issued_on", "印发日期须为日期"),
    ],
)
def test_a_bad_policy_document_is_refused_and_nothing_is_written(org, tax, kwargs, field, message):
    data = {"title": "铜产业支持政策", "file": pdf(), **kwargs}
    with nothing_written(), pytest.raises(ValidationError) as exc:
        services.add_policy_document(actor=org["office"], chain=tax.chain, **data)
    assert message in " ".join(exc.value.message_dict[field])


def test_removing_the_chain_leader_clears_it_from_the_six_ones_with_an_audit_record(org, tax):
    services.set_chain_promotion(actor=org["office"], chain=tax.chain, chain_leader=tax.leader)
    services.remove_chain_leader(actor=org["office"], leader=tax.leader)
    assert ChainPromotion.objects.get(chain=tax.chain).chain_leader is None
    event = AuditEvent.objects.filter(object_type="chains.chainpromotion", action="update").get()
    assert event.before == {"chain_leader": tax.leader.pk} and event.after == {"chain_leader": None}


# --- Pages ----------------------------------------------------------------------------------------------------


def test_permission_matrix_for_the_six_ones_pages(org, tax, chief):
    services.set_chain_promotion(actor=org["office"], chain=tax.chain, leader=chief, team=org.team)
    document = services.add_policy_document(actor=org["office"], chain=tax.chain, title="铜产业支持政策", file=pdf())
    change = {"leader_name": "王副县长", "leader_title": "副县长", "team": org.zone.pk, "chain_leader": tax.leader.pk}
    city_readers = dict.fromkeys(IN_CITY, ["李区长", "铜产业支持政策"])
    cases = [
        Case(u("chain_detail", tax.chain.pk), statuses(200, outsider=404), shown=city_readers, anonymous=302),
        Case(u("promotion_list"), statuses(200), shown=dict.fromkeys(IN_CITY, ["李区长"]), anonymous=302),
        Case(u("promotion_list"), statuses(200), hidden={"outsider": ["铜精深加工", "李区长"]}),
        Case(u("promotion_edit", tax.chain.pk), statuses(403, office=200, outsider=404), anonymous=302),
        Case(u("policy_add", tax.chain.pk), statuses(403, office=200, outsider=404)),
        Case(u("promotion_edit", tax.other_chain.pk), statuses(404, outsider=403)),
        Case(
            u("promotion_edit", tax.chain.pk),
            statuses(403, office=302, outsider=404),
            method="post",
            data=change,
        ),
        Case(
            u("policy_remove", tax.chain.pk, document.pk),
            statuses(403, office=302, outsider=404),
            method="post",
        ),
    ]
    run_matrix(org, cases, personas=OFFICE_LAST)
    promotion = ChainPromotion.objects.get(chain=tax.chain)
    assert (promotion.leader_name, promotion.team, promotion.chain_leader) == ("王副县长", org.zone, tax.leader)
    assert not PolicyDocument.objects.exists()


def test_the_office_adds_a_policy_document_through_the_page_and_every_reader_of_the_city_may_open_it(org, tax):
    client = login_as(Client(), org["office"])
    response = client.post(
        u("policy_add", tax.chain.pk), {"title": "铜产业支持政策", "issued_on": "2025-03-01", "file": pdf()}
    )
    assert response.status_code == 302 and response["Location"] == tax.chain.get_absolute_url() + "#chain-promotion"
    attachment = PolicyDocument.objects.get().attachments.get()
    url = reverse("core:attachment", args=[attachment.pk])
    page = login_as(Client(), org["county"]).get(tax.chain.get_absolute_url()).content.decode()
    assert url in page and "铜产业支持政策" in page and "2025-03-01" in page
    assert login_as(Client(), org["county"]).get(url).status_code == 200
    assert login_as(Client(), org["outsider"]).get(url).status_code == 404


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "铜产业支持政策"}, "该字段是必填项"),
        ({"title": "铜产业支持政策", "file": "exe"}, "不支持的文件类型"),
        ({"title": "铜产业支持政策", "issued_on": "2999-01-01", "file": "pdf"}, "不能晚于今天"),
    ],
)
def test_a_bad_policy_document_on_the_page_gets_a_chinese_message_and_writes_nothing(org, tax, data, message):
    client = login_as(Client(), org["office"])  # signing in is audited too: count after it
    files = {"pdf": pdf(), "exe": SimpleUploadedFile("政策.exe", b"MZ\x90\x00")}
    data = {k: files.get(v, v) for k, v in data.items()}
    with nothing_written():
        response = client.post(u("policy_add", tax.chain.pk), data)
    assert response.status_code == 200 and message in response.content.decode()


def test_a_team_of_another_city_is_not_offered_on_the_six_ones_form(org, tax):
    client = login_as(Client(), org["office"])
    page = client.get(u("promotion_edit", tax.chain.pk)).content.decode()
    assert "北京招商组" in page and "古县" not in page and "临汾建邦集团有限公司" not in page
    with nothing_written():
        response = client.post(u("promotion_edit", tax.chain.pk), {"team": org.other_city_county.pk})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()


# --- API ------------------------------------------------------------------------------------------------------


def test_permission_matrix_for_the_six_ones_api(org, tax, chief):
    url = f"/api/v1/chains/{tax.chain.pk}/six-ones/"
    patch = {"leader": chief.pk, "team": org.team.pk, "chain_leader": tax.leader.pk}
    cases = [
        Case(url, statuses(200, outsider=404), api=True, anonymous=401),
        Case("/api/v1/chains/six-ones/", statuses(200), api=True, hidden={"outsider": ["铜精深加工"]}),
        Case(url, statuses(403, office=200, outsider=404), method="patch", data=patch, api=True),
        Case(
            f"/api/v1/chains/{tax.chain.pk}/remove-policy/",
            statuses(403, office=400, outsider=404),
            method="post",
            data={"document": 999999},
            api=True,
        ),
    ]
    run_matrix(org, cases, personas=OFFICE_LAST)
    data = api_client_for(org["county"]).get(url).json()
    assert (data["leader"], data["leader_name"], data["team_name"]) == (chief.pk, "李区长", "北京招商组")
    assert data["chain_leader_name"] == "中条山有色金属集团有限公司"


@pytest.mark.parametrize(
    "body, field, fragment",
    [
        (lambda org, tax: {"team": org.city.pk}, "team", "招商专班须为本市"),
        (lambda org, tax: {"team": org.other_city_county.pk}, "team", "无权查看"),
        (lambda org, tax: {"chain_leader": tax.other_leader.pk}, "chain_leader", "该产业链没有编号为"),
        (lambda org, tax: {"leader": org["county"].pk}, "leader", "链长须为本市在职的领导"),
        (lambda org, tax: {"leader_name": "很" * 51}, "leader_name", ""),
        (lambda org, tax: {"colour": "红"}, "colour", "不能在此填写或修改该字段"),
    ],
)
def test_bad_six_ones_through_the_api_are_a_400_in_chinese_and_write_nothing(org, tax, body, field, fragment):
    api = api_client_for(org["office"])
    with nothing_written():
        response = api.patch(f"/api/v1/chains/{tax.chain.pk}/six-ones/", body(org, tax), format="json")
    assert response.status_code == 400, response.content.decode()
    messages = " ".join(str(m) for m in response.json()[field])
    assert CJK.search(messages) and fragment in messages


def test_policy_documents_through_the_api(org, tax):
    api = api_client_for(org["office"])
    url = f"/api/v1/chains/{tax.chain.pk}/policies/"
    response = api.post(url, {"title": "铜产业支持政策", "file": pdf()}, format="multipart")
    assert response.status_code == 201, response.content.decode()
    data = response.json()
    assert data["policy_count"] == 1 and [p["title"] for p in data["policies"]] == ["铜产业支持政策"]
    assert data["policies"][0]["files"][0]["name"] == "铜产业支持政策.pdf"
    with nothing_written():
        refused = api.post(url, {"title": "无文件"}, format="multipart")
    assert refused.status_code == 400 and CJK.search(str(refused.json()["file"]))
    with nothing_written():
        forbidden = api_client_for(org["county"]).post(url, {"title": "政策", "file": pdf()}, format="multipart")
    assert forbidden.status_code == 403
    removed = api.post(
        f"/api/v1/chains/{tax.chain.pk}/remove-policy/", {"document": data["policies"][0]["id"]}, format="json"
    )
    assert removed.status_code == 200 and removed.json()["policies"] == []


# --- Figures --------------------------------------------------------------------------------------------------


def _records(org, tax):
    """Leads and projects of the copper chain: some the county may open, some it may not."""
    lead(org, "团队报送的铜线索", chain_=tax.chain)
    lead(org, "推送盐湖区的铜线索", chain_=tax.chain, status="accepted", receiver=org.county)
    lead(org, "别的链的线索", chain_=tax.other_chain)
    signed = {"stage": "signed", "signed_on": D(2024, 5, 1)}
    project(org, "盐湖区签约项目", chain_=tax.chain, amount=Decimal("23900"), **signed)
    project(org, "临猗县签约项目", chain_=tax.chain, host=org.other_county, amount=Decimal("100000"), **signed)
    first = project(org, "盐湖区原签约项目", chain_=tax.chain, amount=Decimal("5000"), **signed)
    again = project(org, "盐湖区重签项目", chain_=tax.chain, amount=Decimal("8000"), **signed)
    again.predecessor = first
    again.save(update_fields=["predecessor"])
    project(org, "盐湖区在谈项目", chain_=tax.chain, amount=Decimal("7000"))


def _rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    table = response.context["table"]
    rows = [row.record for row in table.page.object_list]
    assert table.page.paginator.count == len(rows)
    return rows


@pytest.mark.parametrize("persona", ["office", "leader", "county"])
def test_the_six_ones_figures_equal_the_lists_they_link_to(org, tax, persona):
    _records(org, tax)
    client = login_as(Client(), org[persona])
    page = client.get(tax.chain.get_absolute_url()).content.decode()

    def figure(testid):
        found = re.search(rf'<a href="([^"]+)" data-testid="{testid}">([^<]+)</a>', page)
        return found.group(1).replace("&amp;", "&"), found.group(2)

    url, shown = figure("chain-lead-count")
    assert int(shown) == len(_rows(client, url))
    url, shown = figure("chain-project-count")
    assert int(shown) == len(_rows(client, url))
    url, shown = figure("chain-signed-investment")
    total = sum(p.total_investment for p in _rows(client, url))
    assert shown == f"{total / 10000:.2f}"
    # The overview row says the same and links to the same lists.
    overview = client.get(u("promotion_list")).content.decode()
    row = overview.split(tax.chain.get_absolute_url(), 1)[1].split("</tr>")[0]
    assert f'data-testid="signed-investment">{shown}<' in row


def test_a_county_counts_only_the_leads_and_projects_it_may_open(org, tax):
    _records(org, tax)
    office = api_client_for(org["office"]).get(f"/api/v1/chains/{tax.chain.pk}/six-ones/").json()
    county = api_client_for(org["county"]).get(f"/api/v1/chains/{tax.chain.pk}/six-ones/").json()
    assert (office["lead_count"], county["lead_count"]) == (2, 1)
    assert (office["project_count"], county["project_count"]) == (5, 4)
    # Signed, first signings only: 2.39 + 10 + 0.5 亿 for the office; 临猗县's 10 亿 is not the county's.
    assert (office["signed_investment_yi"], county["signed_investment_yi"]) == ("12.89", "2.89")


def _chains_with_six_ones(org, prefix, n):
    for i in range(n):
        c = chain(cluster(org.city, f"{prefix}集群{i:02d}"), f"{prefix}链{i:02d}")
        boss = company(org.city, f"{prefix}链主{i:02d}", city="运城市")
        services.set_chain_promotion(
            actor=org["office"], chain=c, leader_name="张三", team=org.team, chain_leader=leader(c, boss)
        )
        services.add_policy_document(actor=org["office"], chain=c, title=f"{prefix}政策{i:02d}", file=pdf())
        lead(org, f"{prefix}线索{i:02d}", chain_=c)
        project(org, f"{prefix}项目{i:02d}", chain_=c, stage="signed", signed_on=D(2024, 1, 1), amount=Decimal(1))


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_overview_costs_the_same_queries_for_2_chains_or_20(org):
    _chains_with_six_ones(org, "甲", 2)
    client = login_as(Client(), org["leader"])
    api = api_client_for(org["leader"])
    small = (_queries(client, u("promotion_list")), _queries(api, "/api/v1/chains/six-ones/"))
    _chains_with_six_ones(org, "乙", 18)
    big = (_queries(client, u("promotion_list")), _queries(api, "/api/v1/chains/six-ones/"))
    assert small == big
    assert client.get(u("promotion_list")).content.decode().count('data-testid="promotion-row"') == 20


def test_the_overview_is_paginated(org):
    _chains_with_six_ones(org, "丙", 27)
    page = login_as(Client(), org["office"]).get(u("promotion_list")).content.decode()
    assert page.count('data-testid="promotion-row"') == 25 and "共 27 条" in page and "page=2" in page
