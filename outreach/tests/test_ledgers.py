"""《走访企业台账》 and 《邀请企业来运考察台账》: import as teams keep them, export, round trip."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from chains.models import ChainSegment, IndustryChain, IndustryCluster
from core.ledgers import export_ledger, get_ledger, import_ledger
from core.models import AuditEvent
from core.testing import login_as
from core.tests.ledger_helpers import make_xlsx, read_xlsx
from enterprises.models import Company, Contact
from outreach.keys import visit_key
from outreach.ledgers import split_contact, split_location
from outreach.models import Inspection, Visit

VISIT_HEADERS = [
    "序号",
    "走访日期",
    "走访单位\n(招商组/小分队)",
    "走访人员",
    "企业名称",
    "统一社会信用代码",
    "企业所在地",
    "所属产业链",
    "企业类别（链主/上下游/高校院所/商协会/其他）",
    "对接人及职务",
    "联系电话",
    "走访方式（敲门招商/以商招商/商会招商/中介招商/其他）",
    "对接内容",
    "投资意向",
    "下步计划",
    "备注",
]
INSPECTION_HEADERS = [
    "序号",
    "考察日期",
    "企业名称",
    "考察人员及职务",
    "邀请单位",
    "考察地点",
    "陪同领导",
    "考察成果",
    "下步计划",
    "备注",
]


@pytest.fixture
def copper(org):
    cluster = IndustryCluster.objects.create(owner=org.city, name="铜精深加工")
    chain = IndustryChain.objects.create(cluster=cluster, name="铜精深加工")
    ChainSegment.objects.create(chain=chain, position="midstream", name="铜箔")
    return chain


def visit_row(n, date="2023年4月5日", unit="北京招商组", company=None, **overrides):
    row = {
        "序号": n,
        "走访日期": date,
        "走访单位": unit,
        "走访人员": "王峰、北京组小李",
        "企业名称": company or f"北京测试{n}号科技有限公司",
        "统一社会信用代码": "",
        "企业所在地": "北京市海淀区",
        "所属产业链": "铜精深加工产业链",
        "企业类别": "上下游",
        "对接人及职务": f"张{n}（总经理）",
        "联系电话": "13900001111",
        "走访方式": "敲门招商",
        "对接内容": f"推介运城铜产业政策，第{n}次对接",
        "投资意向": "有意向",
        "下步计划": "邀请来运考察",
        "备注": "",
    }
    row.update(overrides)
    return list(row.values())


def visit_file(rows, title="北京招商组走访企业台账（2023年）"):
    return make_xlsx([[title], VISIT_HEADERS, *rows])


def run(org, data, persona="team_member", **kwargs):
    return import_ledger(get_ledger("visits"), data, actor=org[persona], org=org.team, **kwargs)


def test_a_team_imports_its_visit_ledger_under_a_title_row(org, copper):
    data = visit_file(
        [
            visit_row(1, date="2023年4月5日"),
            visit_row(2, date="2023.4.6"),
            visit_row(3, date="2023/4/7", 企业名称="中国农业大学", 企业类别="高校院所", 统一社会信用代码=""),
            visit_row(4, date=datetime.date(2023, 4, 8)),
        ]
    )
    result = run(org, data)
    assert result.ok and result.created == 4, result.problems
    visits = Visit.objects.filter(unit=org.team).order_by("visit_date")
    assert [v.visit_date.day for v in visits] == [5, 6, 7, 8]
    first = visits[0]
    assert first.chain == copper
    assert first.contact_name == "张1" and first.contact_title == "总经理"
    assert first.way == "knocking"
    # The visitors the system knows are linked; the names stay as written.
    assert set(first.visitors.values_list("username", flat=True)) == {"team_leader", "team_member"}
    # New companies enter the directory with their place and category; the directory learns the contact.
    company = first.company
    assert (company.province, company.city, company.owner) == ("北京市", "北京市", org.city)
    assert Company.objects.get(name="中国农业大学").kind == "university"
    assert Contact.objects.filter(company=company, name="张1", phone="13900001111").exists()
    assert AuditEvent.objects.filter(action="import", object_type="ledger.visits").count() == 1


def test_one_bad_row_imports_nothing_and_every_bad_row_is_named(org, copper):
    data = visit_file(
        [
            visit_row(1),
            visit_row(2, date="2023年2月30日"),
            visit_row(3, 统一社会信用代码="91110000600037341X"),
            visit_row(4, 走访单位="上海招商组"),
            visit_row(5, 所属产业链="不存在的链"),
            visit_row(6, 对接内容=""),
            visit_row(7, 走访方式="上门"),
            visit_row(8, date="2999年1月1日"),
        ]
    )
    result = run(org, data)
    assert not result.ok and result.created == 0
    assert Visit.objects.count() == 0 and Company.objects.count() == 0
    by_row = {p.row: p for p in result.problems}
    # Row 1 is the title, row 2 the headers: data starts on Excel row 3.
    assert set(by_row) == {4, 5, 6, 7, 8, 9, 10}
    assert by_row[4].column == "走访日期" and by_row[4].value == "2023年2月30日"
    assert "统一社会信用代码" in by_row[5].column
    assert "上海招商组" in by_row[6].reason
    assert "不存在的链" in by_row[7].reason
    assert by_row[8].column == "对接内容" and "必填" in by_row[8].reason
    assert "敲门招商" in by_row[9].reason
    assert "晚于今天" in by_row[10].reason


def test_good_rows_only_imports_the_good_ones_and_returns_the_bad_ones(org, copper):
    data = visit_file([visit_row(1), visit_row(2, date="昨天"), visit_row(3)])
    rejected = io.BytesIO()
    result = run(org, data, good_rows_only=True, rejected_out=rejected)
    assert result.created == 2 and result.rejected == 1
    sheet = read_xlsx(rejected.getvalue())
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # headers + the one bad row
    assert rows[1][0] == "昨天" and "走访日期" in rows[1][-1]


def test_importing_the_same_file_twice_creates_nothing_the_second_time(org, copper):
    rows = [visit_row(n) for n in range(1, 6)]
    assert run(org, visit_file(rows)).created == 5
    again = run(org, visit_file(rows))
    assert again.created == 0 and again.skipped_existing == 5
    assert Visit.objects.count() == 5 and Company.objects.count() == 5


def test_a_visit_typed_on_the_form_is_recognised_in_the_import(org, copper):
    run(org, visit_file([visit_row(1)]))
    visit = Visit.objects.get()
    assert visit.dedupe_key == visit_key(
        unit_id=org.team.pk, visit_date=visit.visit_date, company_id=visit.company_id, content=visit.content
    )


def test_the_same_company_written_differently_is_one_company(org, copper):
    Company.objects.create(owner=org.city, name="新锦源(广东)能源科技有限公司", normalized_name="新锦源能源科技")
    result = run(org, visit_file([visit_row(1, 企业名称="新锦源能源科技股份有限公司")]))
    assert result.created == 1
    assert Company.objects.count() == 1


def test_merged_date_cells_apply_to_every_row_they_span(org, copper):
    rows = [visit_row(1, date="2023年5月6日"), visit_row(2, date=None), visit_row(3, date=None)]
    data = make_xlsx([["标题"], VISIT_HEADERS, *rows], merges=[(2, 1, 4, 1)])
    result = run(org, data)
    assert result.created == 3, result.problems
    assert set(Visit.objects.values_list("visit_date", flat=True)) == {datetime.date(2023, 5, 6)}


def test_export_then_import_changes_nothing(org, copper):
    run(org, visit_file([visit_row(n) for n in range(1, 4)] + [visit_row(9, 对接内容='=HYPERLINK("http://x")')]))
    out = io.BytesIO()
    count = export_ledger(get_ledger("visits"), actor=org["team_member"], org=org.team, out=out)
    assert count == 4
    sheet = read_xlsx(out.getvalue())
    cells = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("http://x")']
    assert cells and all(c.data_type == "s" for c in cells)  # text, never a live formula
    assert sheet.cell(row=2, column=2).value == "走访日期"
    before = (Visit.objects.count(), Company.objects.count(), Contact.objects.count())
    out.seek(0)
    again = run(org, out)
    assert again.created == 0 and again.skipped_existing == 4 and not again.problems
    assert (Visit.objects.count(), Company.objects.count(), Contact.objects.count()) == before


def test_the_office_exports_a_teams_ledger_with_phones_and_a_leader_reads_figures_not_ledgers(org, copper):
    run(org, visit_file([visit_row(1)]))
    out = io.BytesIO()
    export_ledger(get_ledger("visits"), actor=org["office"], org=org.team, out=out)
    values = [c.value for row in read_xlsx(out.getvalue()).iter_rows() for c in row]
    assert "13900001111" in values
    # City leaders read aggregated figures (domain.md §7): the ledger with investors' phones is not theirs to take.
    with pytest.raises(PermissionDenied):
        export_ledger(get_ledger("visits"), actor=org["leader"], org=org.team, out=io.BytesIO())


def test_a_team_cannot_import_into_or_export_another_team(org):
    with pytest.raises(PermissionDenied):
        import_ledger(get_ledger("visits"), visit_file([]), actor=org["team_member"], org=org.other_team)
    with pytest.raises(PermissionDenied):
        export_ledger(get_ledger("visits"), actor=org["team_member"], org=org.other_team, out=io.BytesIO())


def test_inspections_import_finds_the_counties_visited_and_round_trips(org):
    data = make_xlsx(
        [
            ["邀请企业来运考察台账"],
            INSPECTION_HEADERS,
            [
                1,
                "2023年6月1日",
                "江苏弘盛新材料股份有限公司",
                "王总（董事长）等3人",
                "",
                "盐湖区、运城经开区",
                "市长",
                "达成意向",
                "再洽谈",
                "",
            ],
            [2, "2023.6.2", "浙江吉利集团", "李总", "北京招商组", "临猗县", "", "", "", ""],
        ]
    )
    result = import_ledger(get_ledger("inspections"), data, actor=org["team_leader"], org=org.team)
    assert result.created == 2, result.problems
    first = Inspection.objects.get(company__name="江苏弘盛新材料股份有限公司")
    assert set(first.host_units.values_list("name", flat=True)) == {"盐湖区", "运城经开区"}
    assert first.unit == org.team
    # The county it visited reads it; another county does not.
    assert Inspection.objects.visible_to(org["county"]).filter(pk=first.pk).exists()
    out = io.BytesIO()
    export_ledger(get_ledger("inspections"), actor=org["team_leader"], org=org.team, out=out)
    out.seek(0)
    again = import_ledger(get_ledger("inspections"), out, actor=org["team_leader"], org=org.team)
    assert again.created == 0 and again.skipped_existing == 2


def test_the_commands_import_and_export_with_a_summary_or_the_errors(org, copper, tmp_path):
    good = tmp_path / "visits.xlsx"
    good.write_bytes(visit_file([visit_row(1), visit_row(2)]).getvalue())
    out = io.StringIO()
    call_command("import_ledger", "visits", str(good), "--org", "YC-T-BJ", stdout=out)
    assert "新增 2 行" in out.getvalue()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(visit_file([visit_row(3), visit_row(4, date="不是日期")]).getvalue())
    with pytest.raises(CommandError):
        call_command(
            "import_ledger", "visits", str(bad), "--org", "YC-T-BJ", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert Visit.objects.count() == 2
    target = tmp_path / "out.xlsx"
    call_command("export_ledger", "visits", "--org", "YC-T-BJ", "--out", str(target), stdout=io.StringIO())
    assert read_xlsx(target.read_bytes()).max_row == 4  # title, headers, two visits


def test_the_upload_page_previews_then_imports(org, copper):
    client = login_as(Client(), org["team_member"])
    data = visit_file([visit_row(1), visit_row(2)])
    data.name = "走访台账.xlsx"
    response = client.post(
        reverse("core:import_upload", args=["visits"]), {"org": org.team.pk, "file": data}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200 and "北京测试1号科技有限公司" in page
    assert Visit.objects.count() == 0  # a preview writes nothing
    job_id = response.resolver_match.kwargs["pk"]
    client.post(reverse("core:import_confirm", args=[job_id]))
    assert Visit.objects.filter(unit=org.team).count() == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("浙江省杭州市", ("浙江省", "杭州市")),
        ("上海", ("上海市", "上海市")),
        ("广西壮族自治区南宁市", ("广西壮族自治区", "南宁市")),
        ("杭州", ("", "杭州")),
        ("", ("", "")),
    ],
)
def test_company_locations_split_into_province_and_city(text, expected):
    assert split_location(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张伟（总经理）", ("张伟", "总经理")),
        ("张伟 总经理", ("张伟", "总经理")),
        ("张伟/总经理", ("张伟", "总经理")),
        ("张伟", ("张伟", "")),
    ],
)
def test_contact_and_title_split(text, expected):
    assert split_contact(text) == expected


def test_rows_naming_one_new_company_by_its_code_enter_it_once(org, copper):
    rows = [
        visit_row(1, 企业名称="江苏弘盛新材料股份有限公司", 统一社会信用代码="91110000600037341L"),
        visit_row(2, 企业名称="弘盛新材料（江苏）", 统一社会信用代码="91110000600037341L"),
        visit_row(3, 企业名称="江苏弘盛新材料有限公司"),
    ]
    assert run(org, visit_file(rows)).created == 3
    company = Company.objects.get()
    assert company.credit_code == "91110000600037341L"
    assert Visit.objects.filter(company=company).count() == 3


def test_a_ledger_exported_by_someone_using_english_imports_again(org, copper):
    from django.utils import translation

    run(org, visit_file([visit_row(1), visit_row(2, 走访方式="以商招商", 企业类别="链主")]))
    out = io.BytesIO()
    with translation.override("en"):
        export_ledger(get_ledger("visits"), actor=org["team_member"], org=org.team, out=out)
        values = [c.value for row in read_xlsx(out.getvalue()).iter_rows() for c in row]
        # The file keeps the ledger's own labels, whatever the language of the screen.
        assert "以商招商" in values and "链主" in values
        out.seek(0)
        again = run(org, out)
    assert again.created == 0 and again.skipped_existing == 2 and not again.problems


def test_after_a_merge_the_same_ledger_imports_to_nothing_new(org, copper):
    from enterprises.services import merge_companies

    rows = [visit_row(1, 企业名称="杭州甲铜业有限公司"), visit_row(2, 企业名称="杭州乙铜业有限公司")]
    run(org, visit_file(rows))
    keep = Company.objects.get(name="杭州甲铜业有限公司")
    absorb = Company.objects.get(name="杭州乙铜业有限公司")
    merge_companies(actor=org["office"], keep=keep, absorb=absorb)
    # The moved visit now carries the key its new company gives it ...
    moved = Visit.objects.get(content__contains="第2次")
    assert moved.company == keep
    assert moved.dedupe_key == visit_key(
        unit_id=moved.unit_id, visit_date=moved.visit_date, company_id=keep.pk, content=moved.content
    )
    # ... and the old name still means the kept company: nothing is entered twice.
    again = run(org, visit_file(rows))
    assert again.created == 0 and again.skipped_existing == 2
    assert Company.objects.current().count() == 1


def test_the_lists_offer_the_month_end_ledger_to_those_who_keep_or_read_it(org, copper):
    run(org, visit_file([visit_row(1, date="2023年4月5日"), visit_row(2, date="2023年5月6日")]))
    url = reverse("outreach:visit_list")
    member = login_as(Client(), org["team_member"]).get(url, {"date_from": "2023-04-01", "date_to": "2023-04-30"})
    page = member.content.decode()
    assert 'data-testid="import-link"' in page and 'data-testid="export-link"' in page
    assert "start=2023-04-01" in page and "end=2023-04-30" in page
    office = login_as(Client(), org["office"]).get(url).content.decode()
    assert 'data-testid="export-link"' in office and 'data-testid="import-link"' not in office
    # The office picks the team and the month and gets that month's ledger.
    response = login_as(Client(), org["office"]).get(
        reverse("core:export_ledger", args=["visits"]), {"org": org.team.pk, "start": "2023-04-01", "end": "2023-04-30"}
    )
    sheet = read_xlsx(b"".join(response.streaming_content))
    assert sheet.max_row == 3 and sheet.cell(row=3, column=2).value == datetime.datetime(2023, 4, 5)
    # A bad date is a form error on the chooser, not an error page, and nothing is exported.
    bad = login_as(Client(), org["office"]).get(
        reverse("core:export_ledger", args=["visits"]), {"org": org.team.pk, "start": "2023-13-40"}
    )
    assert bad.status_code == 200 and 'data-testid="export-form"' in bad.content.decode()
    # The office reads the teams' ledgers but does not write them: it may not import into one.
    with pytest.raises(PermissionDenied):
        import_ledger(get_ledger("visits"), visit_file([visit_row(3)]), actor=org["office"], org=org.team)
