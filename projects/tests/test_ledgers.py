"""《签约项目台账》: the office or a county imports the ledger it keeps in Excel, exports it, and nothing doubles.

An imported signing awaits the contract and a verifier: it shows as pending and counts nowhere until then.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from chains.models import IndustryChain, IndustryCluster
from core.ledgers import export_ledger, get_ledger, import_ledger
from core.tests.ledger_helpers import make_xlsx, read_xlsx
from enterprises.models import Company
from projects import services
from projects.choices import SigningForm, Stage, Verification
from projects.models import Project, StageChange

from .conftest import pdf

pytestmark = pytest.mark.django_db

# domain.md §4, as a county types it: full-width brackets, a header wrapped onto two lines.
HEADERS = [
    "序号",
    "项目名称",
    "签约日期",
    "投资方",
    "落地县（市、区）/开发区",
    "总投资\n（亿元）",
    "其中固定资产投资（亿元）",
    "建设内容",
    "所属产业链",
    "签约形式",
    "预计开工时间",
    "预计投产时间",
    "包联领导",
    "责任单位",
    "目前进展",
    "备注",
]
EXPORTED_HEADERS = [
    "序号",
    "项目名称",
    "签约日期",
    "投资方",
    "落地县(市、区)/开发区",
    "总投资(亿元)",
    "其中固定资产投资(亿元)",
    "建设内容",
    "所属产业链",
    "签约形式",
    "预计开工时间",
    "预计投产时间",
    "包联领导",
    "责任单位",
    "目前进展",
    "备注",
]


@pytest.fixture
def copper(org):
    cluster = IndustryCluster.objects.create(owner=org.city, name="有色金属集群")
    return IndustryChain.objects.create(cluster=cluster, name="铜精深加工")


def signed_row(n, date="2023年4月5日", **overrides):
    row = {
        "序号": n,
        "项目名称": f"年产{n}万吨高端铜箔项目",
        "签约日期": date,
        "投资方": f"浙江测试{n}号铜业有限公司",
        "落地县": "盐湖区",
        "总投资": 1.2,
        "固定资产投资": 0.8,
        "建设内容": f"新建年产{n}万吨电解铜箔生产线及配套研发中心",
        "所属产业链": "铜精深加工产业链",
        "签约形式": "投资协议",
        "预计开工时间": "2023年6月",
        "预计投产时间": "2024.6.30",
        "包联领导": "王副县长",
        "责任单位": "运城市自然资源局",
        "目前进展": "正在办理项目备案和环评手续",
        "备注": "",
    }
    row.update(overrides)
    return list(row.values())


def ledger_file(rows, headers=HEADERS, title="盐湖区签约项目台账（2023年）", merges=()):
    return make_xlsx([[title], headers, *rows], merges=merges)


def run(org, data, persona="office", unit=None, **kwargs):
    return import_ledger(get_ledger("signed"), data, actor=org[persona], org=unit or org.city, **kwargs)


def test_the_office_imports_the_ledger_as_pending_signings_without_a_contract(org, copper):
    data = ledger_file(
        [
            signed_row(1),
            signed_row(2, date="2023.4.6", 总投资="5000万", 固定资产投资="", 落地县="运城经开区", 签约形式="框架协议"),
            signed_row(
                3,
                date=datetime.date(2023, 4, 7),
                投资方="上海测试3号新材料有限公司、浙江测试1号铜业有限公司",
                落地县="YC-LY",
                总投资="约2亿",
                预计开工时间="",
                预计投产时间="",
                包联领导="",
                责任单位="",
            ),
        ]
    )
    result = run(org, data)
    assert result.ok and result.created == 3, result.problems
    projects = {p.name: p for p in Project.objects.all()}
    first = projects["年产1万吨高端铜箔项目"]
    assert (first.owner, first.host_unit, first.chain) == (org.city, org.county, copper)
    # 亿元 in the sheet, 万元 inside.
    assert (first.total_investment, first.fixed_investment) == (Decimal(12000), Decimal(8000))
    assert first.signing_form == SigningForm.INVESTMENT
    assert (first.expected_start, first.expected_production) == (datetime.date(2023, 6, 1), datetime.date(2024, 6, 30))
    assert (first.leader_name, first.responsible_unit) == ("王副县长", org.department)
    assert first.progress_note == "正在办理项目备案和环评手续"
    assert first.investor_names == "浙江测试1号铜业有限公司"
    # The signing is recorded on its date and awaits the contract and a verifier: pending, counted nowhere.
    assert (first.stage, first.verified_stage, first.signed_on) == (Stage.SIGNED, Stage.NEGOTIATING, None)
    assert first.pending and not Project.objects.counted().exists()
    change = StageChange.objects.get(project=first)
    assert (change.from_stage, change.to_stage, change.happened_on) == (
        Stage.NEGOTIATING,
        Stage.SIGNED,
        datetime.date(2023, 4, 5),
    )
    assert change.verification == Verification.PENDING and change.reason == "台账导入，待补充合同并核验"
    assert change.actor == org["office"] and not change.attachments.exists()
    second = projects["年产2万吨高端铜箔项目"]
    assert (second.host_unit, second.total_investment, second.fixed_investment) == (org.zone, Decimal(5000), None)
    assert second.signing_form == SigningForm.FRAMEWORK
    third = projects["年产3万吨高端铜箔项目"]
    assert (third.host_unit, third.total_investment) == (org.other_county, Decimal(20000))
    # Two investors; the one already entered by row 1 is the same directory company.
    assert third.investors.count() == 2 and Company.objects.count() == 3
    assert (third.leader_name, third.responsible_unit) == ("", None)


def test_an_imported_signing_is_confirmed_only_once_its_contract_is_attached(org, copper):
    assert run(org, ledger_file([signed_row(1)])).created == 1
    project = Project.objects.get()
    change = project.stage_changes.get()
    with pytest.raises(ValidationError, match="尚无佐证材料"):
        services.verify_stage(actor=org.verifier, change=change, confirm=True)
    with pytest.raises(ValidationError):
        services.attach_stage_evidence(actor=org["county"], change=change, evidence_kind="permit", files=[pdf()])
    services.attach_stage_evidence(actor=org["county"], change=change, evidence_kind="contract", files=[pdf()])
    services.verify_stage(actor=org.verifier, change=change, confirm=True)
    project.refresh_from_db()
    assert project.signed_on == datetime.date(2023, 4, 5) and not project.pending
    assert list(Project.objects.counted()) == [project]


def test_a_county_imports_its_own_ledger_and_no_other(org, copper):
    result = run(org, ledger_file([signed_row(1, 落地县=""), signed_row(2)]), persona="county", unit=org.county)
    assert result.created == 2, result.problems
    assert set(Project.objects.values_list("host_unit", flat=True)) == {org.county.pk}
    # Another county's project in its file is refused, by row and column.
    result = run(org, ledger_file([signed_row(3, 落地县="临猗县")]), persona="county", unit=org.county)
    assert result.created == 0 and result.problems[0].column == "落地县（市、区）/开发区"
    assert "临猗县" in result.problems[0].reason and "盐湖区" in result.problems[0].reason
    # A county does not import for the city, a team keeps no signed-project ledger, the office of another city none.
    for persona, unit in (("county", org.city), ("team_member", org.team), ("outsider", org.county)):
        with pytest.raises(PermissionDenied):
            run(org, ledger_file([signed_row(4)]), persona=persona, unit=unit)
    # The city's office must say where each project lands.
    result = run(org, ledger_file([signed_row(5, 落地县="")]))
    assert result.created == 0 and "须填写落地县" in result.problems[0].reason


def test_a_project_already_there_is_updated_and_signed_not_entered_again(org, copper, make_project):
    typed = make_project(name="年产1万吨高端铜箔项目", total_investment=Decimal(9000), note="页面录入")
    planned = make_project(name="年产2万吨 高端铜箔 项目", stage=Stage.PLANNED, total_investment=None)
    result = run(org, ledger_file([signed_row(1, 备注=""), signed_row(2), signed_row(3)]))
    assert result.created == 3, result.problems
    assert Project.objects.count() == 3
    typed.refresh_from_db()
    # The row's figures replace the typed ones; what the row leaves empty is kept.
    assert (typed.total_investment, typed.note, typed.stage, typed.pending) == (
        Decimal(12000),
        "页面录入",
        "signed",
        True,
    )
    assert typed.investors.count() == 2  # the one typed, and the ledger's
    planned.refresh_from_db()
    # From 谋划 the project passes 在谈 on the signing day, then awaits the verifier at 签约.
    assert [(c.from_stage, c.to_stage) for c in planned.stage_changes.all()] == [
        (Stage.PLANNED, Stage.NEGOTIATING),
        (Stage.NEGOTIATING, Stage.SIGNED),
    ]
    assert planned.total_investment == Decimal(12000) and planned.leader_name == "王副县长"


def test_a_project_ended_before_signing_is_refused(org, copper, make_project, move):
    ended = make_project(name="年产1万吨高端铜箔项目")
    move(ended, Stage.TERMINATED, datetime.date(2023, 3, 1), reason="企业投资计划调整")
    result = run(org, ledger_file([signed_row(1)]))
    assert result.created == 0 and "终止" in result.problems[0].reason


def test_export_then_import_creates_nothing(org, copper):
    rows = [
        signed_row(1),
        signed_row(2, 总投资=3.456789, 固定资产投资=2.5, 落地县="运城经开区"),
        signed_row(3, 建设内容='=HYPERLINK("http://x")', 签约形式="", 包联领导="", 责任单位=""),
    ]
    assert run(org, ledger_file(rows)).created == 3
    # One signing confirmed since: the export and the second import treat it the same.
    change = StageChange.objects.get(project__name="年产1万吨高端铜箔项目")
    services.attach_stage_evidence(actor=org["office"], change=change, evidence_kind="contract", files=[pdf()])
    services.verify_stage(actor=org.verifier, change=change, confirm=True)
    out = io.BytesIO()
    assert export_ledger(get_ledger("signed"), actor=org["office"], org=org.city, out=out) == 3
    sheet = read_xlsx(out.getvalue())
    assert sheet["A1"].value == "运城市签约项目台账"
    assert [c.value for c in sheet[2]] == EXPORTED_HEADERS
    by_name = {row[1].value: row for row in sheet.iter_rows(min_row=3)}
    second = [c.value for c in by_name["年产2万吨高端铜箔项目"]]
    assert second[4:7] == ["运城经开区", pytest.approx(3.456789), 2.5]
    assert second[2] == datetime.datetime(2023, 4, 5) and second[9] == "投资协议" and second[13] == "运城市自然资源局"
    formula = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("http://x")']
    assert formula and all(c.data_type == "s" for c in formula)  # text, never a live formula
    before = (Project.objects.count(), StageChange.objects.count(), Company.objects.count())
    out.seek(0)
    again = run(org, out)
    assert again.created == 0 and again.skipped_existing == 3 and not again.problems
    assert (Project.objects.count(), StageChange.objects.count(), Company.objects.count()) == before
    # The same file twice: nothing the second time either.
    assert run(org, ledger_file(rows)).skipped_existing == 3
    assert Project.objects.get(name="年产2万吨高端铜箔项目").total_investment == Decimal("34567.89")


def test_the_export_is_the_units_and_the_periods(org, copper):
    rows = [signed_row(1, date="2023年1月5日"), signed_row(2, date="2023年5月5日"), signed_row(3, 落地县="临猗县")]
    assert run(org, ledger_file(rows)).created == 3
    ledger = get_ledger("signed")
    assert export_ledger(ledger, actor=org["county"], org=org.county, out=io.BytesIO()) == 2
    period = {"start": datetime.date(2023, 3, 1), "end": datetime.date(2023, 12, 31)}
    assert export_ledger(ledger, actor=org["office"], org=org.county, out=io.BytesIO(), **period) == 1
    # A county exports neither the city's ledger nor another county's.
    with pytest.raises(PermissionDenied):
        export_ledger(ledger, actor=org["county"], org=org.other_county, out=io.BytesIO())


def test_a_sheet_with_merged_cells_fills_each_row(org, copper):
    rows = [
        signed_row(1, date="2023年4月5日", 落地县="盐湖区", 包联领导="李县长"),
        signed_row(2, date=None, 落地县=None, 包联领导=None),
        signed_row(3, date=None, 落地县=None, 包联领导=None),
    ]
    # Rows 3-5 of the sheet (0-based 2-4): one signing day, one county, one leader for the three.
    merges = [(2, 2, 4, 2), (2, 4, 4, 4), (2, 12, 4, 12)]
    result = run(org, ledger_file(rows, merges=merges))
    assert result.created == 3, result.problems
    assert set(Project.objects.values_list("host_unit", "leader_name")) == {(org.county.pk, "李县长")}
    assert set(StageChange.objects.values_list("happened_on", flat=True)) == {datetime.date(2023, 4, 5)}


def test_amounts_follow_the_unit_the_header_declares(org, copper):
    headers = [
        h.replace("总投资\n（亿元）", "总投资（万元）").replace("其中固定资产投资（亿元）", "其中固定资产投资（万元）")
        for h in HEADERS
    ]
    rows = [signed_row(1, 总投资=12000, 固定资产投资=8000), signed_row(2, 总投资="1.5亿", 固定资产投资="")]
    assert run(org, ledger_file(rows, headers=headers)).created == 2
    assert dict(Project.objects.values_list("name", "total_investment")) == {
        "年产1万吨高端铜箔项目": Decimal(12000),
        "年产2万吨高端铜箔项目": Decimal(15000),  # the cell's own 亿 wins over the header's 万元
    }


def test_one_bad_row_imports_nothing_and_every_bad_row_is_named(org, copper):
    rows = [
        signed_row(1),
        signed_row(2, date="2023年2月30日"),
        signed_row(3, 总投资="三亿"),
        signed_row(4, 固定资产投资=2),
        signed_row(5, 责任单位="不存在局"),
        signed_row(6, 落地县="古县"),
        signed_row(7, 所属产业链="不存在的链"),
        signed_row(8, date="2999年1月1日"),
        signed_row(9, 签约形式="口头约定"),
        signed_row(10, 预计开工时间="2024年6月", 预计投产时间="2023年1月"),
        signed_row(11, 项目名称=""),
        signed_row(12, 总投资=""),
        signed_row(1, 序号=13),
    ]
    companies = Company.objects.count()
    result = run(org, ledger_file(rows))
    assert not result.ok and result.created == 0 and result.rejected == 12
    assert Project.objects.count() == 0 and StageChange.objects.count() == 0 and Company.objects.count() == companies
    by_row = {p.row: p for p in result.problems}
    # Row 1 is the title, row 2 the headers: data starts on Excel row 3.
    assert set(by_row) == set(range(4, 16))
    assert (by_row[4].column, by_row[4].value) == ("签约日期", "2023年2月30日") and "不存在" in by_row[4].reason
    assert by_row[5].column == "总投资\n（亿元）" and "无法识别的金额" in by_row[5].reason
    assert by_row[6].column == "其中固定资产投资（亿元）" and "不能大于总投资" in by_row[6].reason
    assert (by_row[7].column, by_row[7].value) == ("责任单位", "不存在局") and "本市" in by_row[7].reason
    assert by_row[8].value == "古县" and "不是运城市的县" in by_row[8].reason
    assert "不存在的链" in by_row[9].reason
    assert by_row[10].column == "签约日期" and "晚于今天" in by_row[10].reason
    assert by_row[11].column == "签约形式" and "投资协议" in by_row[11].reason
    assert by_row[12].column == "预计投产时间"
    assert by_row[13].column == "项目名称" and "必填" in by_row[13].reason
    assert by_row[14].column == "总投资\n（亿元）" and "必填" in by_row[14].reason
    assert "与第 3 行重复" in by_row[15].reason
    assert "第 4 行，列「签约日期」" in by_row[4].describe()


def test_only_the_good_rows_are_imported_when_asked_and_the_rest_come_back(org, copper):
    rows = [signed_row(1), signed_row(2, date="2023年2月30日"), signed_row(3), signed_row(4, 总投资="三亿")]
    rejected = io.BytesIO()
    result = run(org, ledger_file(rows), good_rows_only=True, rejected_out=rejected)
    assert result.ok and result.created == 2 and result.rejected == 2
    assert sorted(Project.objects.values_list("name", flat=True)) == ["年产1万吨高端铜箔项目", "年产3万吨高端铜箔项目"]
    sheet = read_xlsx(rejected.getvalue())
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["年产2万吨高端铜箔项目", "年产4万吨高端铜箔项目"]
    assert "签约日期" in sheet.cell(row=2, column=sheet.max_column).value


def test_a_dry_run_previews_and_writes_nothing(org, copper):
    result = run(org, ledger_file([signed_row(1), signed_row(2)]), dry_run=True)
    assert result.ok and result.new_rows == 2 and not result.written
    assert result.preview[0][0] == "年产1万吨高端铜箔项目"
    assert Project.objects.count() == 0 and Company.objects.count() == 0


def test_the_commands_import_and_export_the_signed_ledger(org, copper, tmp_path):
    source = tmp_path / "signed.xlsx"
    source.write_bytes(ledger_file([signed_row(1, 落地县=""), signed_row(2, 落地县="")]).getvalue())
    out = io.StringIO()
    call_command("import_ledger", "signed", str(source), "--org", "YC-YH", "--user", "county", stdout=out)
    assert "新增 2 行" in out.getvalue()
    assert Project.objects.filter(host_unit=org.county, stage=Stage.SIGNED).count() == 2
    # Signings need a person to record them, whom the verifier is not.
    with pytest.raises(CommandError, match="--user"):
        call_command("import_ledger", "signed", str(source), "--org", "YC-YH", stdout=io.StringIO())
    target = tmp_path / "out.xlsx"
    call_command("export_ledger", "signed", "--org", "YC", "--out", str(target), stdout=io.StringIO())
    assert read_xlsx(target.read_bytes()).max_row == 4  # title, headers, two projects
    again = io.StringIO()
    call_command("import_ledger", "signed", str(target), "--org", "YC", "--user", "office", stdout=again)
    assert "新增 0 行" in again.getvalue() and Project.objects.count() == 2
