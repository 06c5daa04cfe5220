"""《收集线索台账》: a team imports the ledger it keeps in Excel, exports it, and nothing is counted twice."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chains.models import IndustryChain, IndustryCluster
from core.ledgers import export_ledger, get_ledger, import_ledger
from core.models import AuditEvent
from core.testing import login_as
from core.tests.ledger_helpers import make_xlsx, read_xlsx
from core.workdays import add_working_days
from enterprises.models import Company
from leads.choices import LeadEventKind, LeadSource, LeadStatus
from leads.keys import investor_key, lead_key
from leads.ledgers import first_open_pool
from leads.models import FollowUp, Lead, LeadEvent, LeadPool
from outreach.models import Visit

# The columns of domain.md §4, as a team types them (full-width brackets, a wrapped header).
HEADERS = [
    "序号",
    "收集日期",
    "线索名称",
    "信息来源",
    "投资方",
    "项目内容",
    "拟投资额\n（万元）",
    "所属产业链",
    "拟落地区域",
    "线索等级",
    "研判意见",
    "推送单位",
    "跟进情况",
    "状态",
    "备注",
]
EXPORTED_HEADERS = [h.replace("\n", "").replace("（", "(").replace("）", ")") for h in HEADERS]


@pytest.fixture
def copper(org):
    cluster = IndustryCluster.objects.create(owner=org.city, name="有色金属集群")
    return IndustryChain.objects.create(cluster=cluster, name="铜精深加工")


def lead_row(n, date="2023年4月5日", **overrides):
    row = {
        "序号": n,
        "收集日期": date,
        "线索名称": f"年产{n}万吨铜箔项目",
        "信息来源": "走访",
        "投资方": f"北京测试{n}号铜业有限公司",
        "项目内容": f"拟在运城建设年产{n}万吨高端电解铜箔生产线及配套研发中心",
        "拟投资额": 30000,
        "所属产业链": "铜精深加工产业链",
        "拟落地区域": "运城经开区",
        "线索等级": "",
        "研判意见": "",
        "推送单位": "",
        "跟进情况": "",
        "状态": "",
        "备注": "",
    }
    row.update(overrides)
    return list(row.values())


def lead_file(rows, headers=HEADERS, title="北京招商组收集线索台账（2023年）"):
    return make_xlsx([[title], headers, *rows])


def run(org, data, persona="team_member", unit=None, **kwargs):
    return import_ledger(get_ledger("leads"), data, actor=org[persona], org=unit or org.team, **kwargs)


def test_a_team_imports_its_lead_ledger_under_a_title_row(org, copper):
    data = lead_file(
        [
            lead_row(1),
            lead_row(2, date="2023.4.6", 拟投资额="约5000万", 信息来源="推介会", 线索等级="A级"),
            lead_row(
                3,
                date=datetime.date(2023, 4, 7),
                推送单位="盐湖区",
                状态="已接收跟进",
                研判意见="符合盐湖区铜产业布局",
                跟进情况="县区领导已带队赴企业洽谈",
            ),
        ]
    )
    result = run(org, data)
    assert result.ok and result.created == 3, result.problems
    leads = {lead.name: lead for lead in Lead.objects.all()}
    first = leads["年产1万吨铜箔项目"]
    assert (first.owner, first.reporting_unit, first.status) == (org.city, org.team, LeadStatus.REPORTED)
    assert first.estimated_amount == Decimal(30000) and first.chain == copper
    assert first.source == LeadSource.VISIT
    # The city's first open pool (线索库), created the first time, holds every imported lead.
    assert {lead.pool.name for lead in leads.values()} == {"线索库"}
    assert first.pool == first_open_pool(org.city)
    # Assessment is due within 3 working days of the day collected; feedback within a week of the day it reached
    # the office (the import), as for a lead typed in (leads.services.lead_due_dates).
    assert first.assess_due == add_working_days(datetime.date(2023, 4, 5), 3)
    assert first.feedback_due == timezone.localdate() + datetime.timedelta(days=7)
    # New investors enter the city's directory.
    assert first.investor.name == "北京测试1号铜业有限公司" and first.investor.owner == org.city
    second = leads["年产2万吨铜箔项目"]
    assert second.estimated_amount == Decimal(5000) and second.grade == "A" and second.source == LeadSource.EVENT
    third = leads["年产3万吨铜箔项目"]
    assert (third.status, third.receiving_unit) == (LeadStatus.ACCEPTED, org.county)
    assert FollowUp.objects.get(lead=third).note == "县区领导已带队赴企业洽谈"
    # Every lead has its 报送 line on the timeline; the importer is its reporter.
    assert LeadEvent.objects.filter(kind=LeadEventKind.REPORTED).count() == 3
    assert set(first.reporters.all()) == {org["team_member"]}
    # The county holding the third lead reads it; the other county does not.
    assert Lead.objects.visible_to(org["county"]).filter(pk=third.pk).exists()
    assert not Lead.objects.visible_to(org["county"]).filter(pk=first.pk).exists()
    assert AuditEvent.objects.filter(action="import", object_type="ledger.leads").count() == 1


def test_amounts_are_read_in_the_unit_the_header_declares(org, copper):
    headers = [h if not h.startswith("拟投资额") else "拟投资额（亿元）" for h in HEADERS]
    data = lead_file(
        [lead_row(1, 拟投资额=1.2), lead_row(2, 拟投资额="约5000万"), lead_row(3, 拟投资额="5亿元")], headers=headers
    )
    result = run(org, data)
    assert result.created == 3, result.problems
    amounts = dict(Lead.objects.values_list("name", "estimated_amount"))
    assert amounts == {
        "年产1万吨铜箔项目": Decimal(12000),
        "年产2万吨铜箔项目": Decimal(5000),  # the cell's own 万 wins over the header's 亿元
        "年产3万吨铜箔项目": Decimal(50000),
    }


def test_a_push_to_a_unit_that_is_not_a_county_or_zone_of_the_city_is_refused_by_row_and_column(org, copper):
    data = lead_file(
        [
            lead_row(1, 推送单位="运城经开区", 状态="已推送待接收"),
            lead_row(2, 推送单位="不存在县", 状态="已推送待接收"),
            lead_row(3, 推送单位="运城市自然资源局", 状态="已推送待接收"),
            lead_row(4, 推送单位="古县", 状态="已推送待接收"),
        ]
    )
    result = run(org, data)
    assert not result.ok and result.created == 0
    by_row = {p.row: p for p in result.problems}
    # Row 1 is the title, row 2 the headers: data starts on Excel row 3.
    assert set(by_row) == {4, 5, 6}
    assert by_row[4].column == "推送单位" and by_row[4].value == "不存在县"
    assert "不存在县" in by_row[4].reason and "县（市、区）或开发区" in by_row[4].reason
    assert "第 4 行，列「推送单位」" in by_row[4].describe()
    assert by_row[5].value == "运城市自然资源局"
    assert by_row[6].value == "古县"  # another city's county
    assert Lead.objects.count() == 0


def test_one_bad_row_imports_nothing_and_every_bad_row_is_named(org, copper):
    data = lead_file(
        [
            lead_row(1),
            lead_row(2, date="2023年2月30日"),
            lead_row(3, 拟投资额="三千万"),
            lead_row(4, 线索等级="D"),
            lead_row(5, 信息来源="朋友介绍"),
            lead_row(6, 状态="已推送待接收"),
            lead_row(7, 状态="研判不予推送"),
            lead_row(8, 状态="待研判", 推送单位="盐湖区"),
            lead_row(9, 所属产业链="不存在的链"),
            lead_row(10, 线索名称=""),
            lead_row(11, date="2999年1月1日"),
        ]
    )
    result = run(org, data)
    assert not result.ok and result.created == 0
    assert Lead.objects.count() == 0 and Company.objects.count() == 0 and LeadEvent.objects.count() == 0
    by_row = {p.row: p for p in result.problems}
    assert set(by_row) == set(range(4, 14))
    assert by_row[4].column == "收集日期" and "不存在" in by_row[4].reason
    # The column is named as the file wrote it.
    assert by_row[5].column == "拟投资额\n（万元）" and "无法识别的金额" in by_row[5].reason
    assert by_row[6].column == "线索等级" and "A、B、C" in by_row[6].reason
    assert by_row[7].column == "信息来源" and "招商大使" in by_row[7].reason
    assert by_row[8].column == "推送单位" and "须填写推送单位" in by_row[8].reason
    assert by_row[9].column == "研判意见" and "原因" in by_row[9].reason
    assert by_row[10].column == "推送单位" and "不应填写" in by_row[10].reason
    assert "不存在的链" in by_row[11].reason
    assert by_row[12].column == "线索名称" and "必填" in by_row[12].reason
    assert "晚于今天" in by_row[13].reason


def test_a_row_naming_where_it_was_pushed_without_a_status_is_a_pushed_lead(org, copper):
    result = run(org, lead_file([lead_row(1, 推送单位="盐湖区")]))
    assert result.created == 1, result.problems
    lead = Lead.objects.get()
    assert (lead.status, lead.receiving_unit) == (LeadStatus.DISPATCHED, org.county)


def test_a_rejected_lead_keeps_its_reason(org, copper):
    result = run(org, lead_file([lead_row(1, 状态="研判不予推送", 研判意见="属高耗能项目，不符合产业政策")]))
    assert result.created == 1, result.problems
    lead = Lead.objects.get()
    assert lead.status == LeadStatus.REJECTED and lead.closing_reason == "属高耗能项目，不符合产业政策"


def test_export_then_import_creates_nothing(org, copper):
    rows = [
        lead_row(1),
        lead_row(2, 拟投资额="约5000万", 线索等级="B"),
        lead_row(3, 推送单位="盐湖区", 状态="已接收跟进", 跟进情况="企业来运考察"),
        lead_row(4, 投资方="", 拟投资额=""),
        lead_row(5, 项目内容='=HYPERLINK("http://x")'),
    ]
    assert run(org, lead_file(rows)).created == 5
    out = io.BytesIO()
    assert export_ledger(get_ledger("leads"), actor=org["team_member"], org=org.team, out=out) == 5
    sheet = read_xlsx(out.getvalue())
    assert [c.value for c in sheet[2]] == EXPORTED_HEADERS
    values = [c.value for row in sheet.iter_rows(min_row=3) for c in row]
    assert "企业来运考察" in values and "已接收跟进" in values and "盐湖区" in values and "走访" in values
    cells = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("http://x")']
    assert cells and all(c.data_type == "s" for c in cells)  # text, never a live formula
    before = (Lead.objects.count(), Company.objects.count(), FollowUp.objects.count(), LeadEvent.objects.count())
    out.seek(0)
    again = run(org, out)
    assert again.created == 0 and again.skipped_existing == 5 and not again.problems
    after = (Lead.objects.count(), Company.objects.count(), FollowUp.objects.count(), LeadEvent.objects.count())
    assert after == before


def test_a_typed_lead_and_the_same_lead_in_the_ledger_are_one_lead(org, copper):
    from leads import services

    typed = services.create_lead(
        actor=org["team_leader"],
        name=" 年产1万吨铜箔项目 ",
        collected_date=datetime.date(2023, 4, 5),
        investor_name="北京测试1号铜业有限公司",
        content="拟在运城建设年产1万吨高端电解铜箔生产线",
        estimated_amount=Decimal(30000),
        contact_reached=True,
    )
    assert typed.dedupe_key == lead_key(
        unit_id=org.team.pk,
        collected_date=datetime.date(2023, 4, 5),
        investor_key=investor_key(company_id=typed.investor_id),
        name="年产1万吨铜箔项目",
    )
    result = run(org, lead_file([lead_row(1), lead_row(2)]))
    assert result.created == 1 and result.skipped_existing == 1
    assert Lead.objects.count() == 2 and Company.objects.count() == 2


def test_the_upload_page_previews_then_imports_the_lead_ledger(org, copper):
    client = login_as(Client(), org["team_member"])
    data = lead_file([lead_row(1), lead_row(2, 拟投资额="约5000万")])
    data.name = "线索台账.xlsx"
    response = client.post(
        reverse("core:import_upload", args=["leads"]), {"org": org.team.pk, "file": data}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200 and "年产2万吨铜箔项目" in page
    assert Lead.objects.count() == 0  # a preview writes nothing
    client.post(reverse("core:import_confirm", args=[response.resolver_match.kwargs["pk"]]))
    assert Lead.objects.filter(reporting_unit=org.team).count() == 2
    assert Lead.objects.get(name="年产2万吨铜箔项目").estimated_amount == Decimal(5000)


def test_an_imported_lead_links_the_visit_it_came_from_and_counts_the_contact_as_reached(org, copper):
    from outreach.keys import visit_key

    investor = Company.objects.create(owner=org.city, name="北京测试1号铜业有限公司", normalized_name="北京测试1号铜业")
    visit = Visit.objects.create(
        unit=org.team,
        visit_date=datetime.date(2023, 4, 1),
        company=investor,
        contact_name="张总",
        content="推介铜产业政策",
        dedupe_key=visit_key(
            unit_id=org.team.pk, visit_date=datetime.date(2023, 4, 1), company_id=investor.pk, content="推介铜产业政策"
        ),
    )
    assert run(org, lead_file([lead_row(1), lead_row(2)])).created == 2
    linked = Lead.objects.get(investor=investor)
    assert (linked.visit, linked.contact_reached, linked.contact_name) == (visit, True, "张总")
    assert not Lead.objects.exclude(pk=linked.pk).get().contact_reached


def test_importing_twice_creates_nothing_the_second_time_and_the_pools_once(org, copper):
    rows = [lead_row(n) for n in range(1, 6)]
    assert run(org, lead_file(rows)).created == 5
    again = run(org, lead_file(rows))
    assert again.created == 0 and again.skipped_existing == 5
    assert Lead.objects.count() == 5 and Company.objects.count() == 5
    assert LeadPool.objects.filter(owner=org.city).count() == 5


def test_two_rows_for_the_same_lead_in_one_file_are_refused(org, copper):
    result = run(org, lead_file([lead_row(1), lead_row(1, 序号=2)]))
    assert not result.ok and result.problems[0].row == 4 and "重复" in result.problems[0].reason


def test_the_office_exports_the_citys_ledger_but_does_not_write_a_teams(org, copper):
    run(org, lead_file([lead_row(1)]))
    run(org, lead_file([lead_row(2)]), persona="county", unit=org.county)
    out = io.BytesIO()
    assert export_ledger(get_ledger("leads"), actor=org["office"], org=org.city, out=out) == 2
    with pytest.raises(PermissionDenied):
        run(org, lead_file([lead_row(3)]), persona="office")
    # A team neither imports into nor exports another team; a county does not export a team's ledger.
    with pytest.raises(PermissionDenied):
        import_ledger(get_ledger("leads"), lead_file([]), actor=org["team_member"], org=org.other_team)
    with pytest.raises(PermissionDenied):
        export_ledger(get_ledger("leads"), actor=org["county"], org=org.team, out=io.BytesIO())
    # The county's own ledger holds its own leads only.
    out = io.BytesIO()
    assert export_ledger(get_ledger("leads"), actor=org["county"], org=org.county, out=out) == 1


def test_the_commands_import_and_export_the_lead_ledger(org, copper, tmp_path):
    source = tmp_path / "leads.xlsx"
    source.write_bytes(lead_file([lead_row(1), lead_row(2)]).getvalue())
    out = io.StringIO()
    call_command("import_ledger", "leads", str(source), "--org", "YC-T-BJ", stdout=out)
    assert "新增 2 行" in out.getvalue()
    target = tmp_path / "out.xlsx"
    call_command("export_ledger", "leads", "--org", "YC-T-BJ", "--out", str(target), stdout=io.StringIO())
    assert read_xlsx(target.read_bytes()).max_row == 4  # title, headers, two leads


def test_an_imported_lead_gets_the_deadlines_a_typed_one_gets(org, copper):
    """Both count the feedback from the day the lead reached the office, the assessment from the day collected."""
    from leads import services

    # Collected in a 调休 week; the office has a different feedback time limit than the default.
    services.update_lead_settings(actor=org["office"], owner=org.city, feedback_days=10)
    assert run(org, lead_file([lead_row(1, date="2023年9月28日")])).ok
    imported = Lead.objects.get()
    typed = services.create_lead(
        actor=org["team_member"],
        name="手工录入的铜箔项目",
        collected_date=datetime.date(2023, 9, 28),
        investor_name="北京测试9号铜业有限公司",
    )
    assert (imported.assess_due, imported.feedback_due) == (typed.assess_due, typed.feedback_due)
    assert imported.assess_due == datetime.date(2023, 10, 9), "three working days after 9-28 skip 国庆, count 调休"
    assert imported.feedback_due == timezone.localdate() + datetime.timedelta(days=10)
    # An old ledger's leads are not born past their feedback deadline.
    assert imported.feedback_due > timezone.localdate()
