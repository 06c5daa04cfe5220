"""The ledger mechanism: all-or-nothing imports, good rows only, no duplicates, safe exports."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from openpyxl.utils.escape import unescape

from core import ledgers
from core.ledgers import (
    Column,
    Ledger,
    choice,
    export_ledger,
    get_ledger,
    import_ledger,
    register,
    rejected_rows_workbook,
    unregister,
)
from core.models import AuditAction, AuditEvent
from core.parsing import ParseError
from core.spreadsheets import SpreadsheetError, open_sheet
from core.testing import make_unit
from organizations.choices import UnitKind
from organizations.models import Unit

from .ledger_helpers import HEADERS, UnitLedger, make_xlsx, read_xlsx, unit_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger():
    registered = register(UnitLedger())
    yield registered
    unregister(registered.name)


def imported(org):
    return Unit.objects.filter(parent=org.team)


def import_into_team(ledger, org, data, **kwargs):
    kwargs.setdefault("actor", org["office"])
    return import_ledger(ledger, data, org=org.team, **kwargs)


BAD_ROWS = [
    ["T90001", "坏日期单位", "北京", "2023年2月30日", 10],  # a date that does not exist
    ["T90002", None, "北京", "2023/4/5", 10],  # a required name missing
    ["坏 编码", "坏编码单位", "北京", "2023.4.5", 10],  # fails the ledger's own check
    ["T90004", "负金额单位", "北京", "2023.4.5", "-5"],  # a negative amount
]


def mixed_file():
    """Header, three good rows, four bad rows, one more good row: rows 2-4 and 9 are good."""
    return make_xlsx([HEADERS, *unit_rows(3), *BAD_ROWS, *unit_rows(1, start=4)])


# --- All or nothing -------------------------------------------------------------------------


def test_a_clean_file_is_imported_and_audited(org, ledger):
    result = import_into_team(ledger, org, make_xlsx([HEADERS, *unit_rows(5)]))

    assert result.ok and result.written
    assert (result.total_rows, result.created, result.skipped_existing, result.rejected) == (5, 5, 0, 0)
    units = list(imported(org).order_by("code"))
    assert [u.code for u in units] == ["T00001", "T00002", "T00003", "T00004", "T00005"]
    assert units[0].path == f"{org.team.path}{units[0].pk}/"
    assert json.loads(units[0].focus) == {"founded": "2023-02-02", "budget": "10.0000"}
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.actor_name == "office"
    assert event.object_repr == "北京招商组测试单位台账"
    assert "新增 5 行" in event.message
    assert event.after["created"] == 5


def test_one_bad_row_means_nothing_is_written_and_every_bad_row_is_listed(org, ledger):
    result = import_into_team(ledger, org, mixed_file())

    assert not result.ok and not result.written
    assert not imported(org).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()
    assert (result.total_rows, result.rejected, result.new_rows) == (8, 4, 4)
    problems = {(p.row, p.column, p.value) for p in result.problems}
    assert problems == {
        (5, "成立日期", "2023年2月30日"),
        (6, "单位名称", ""),
        (7, "单位编码", "坏 编码"),
        (8, "投资额(万元)", "-5"),
    }
    reasons = {p.row: p.reason for p in result.problems}
    assert reasons[5] == "日期不存在：2023年2月30日"
    assert reasons[6] == "必填项，不能为空"
    assert reasons[7] == "编码只能由字母、数字、下划线和连字符组成"
    assert reasons[8] == "金额不能为负数：-5"


def test_good_rows_only_writes_the_good_rows_and_returns_the_bad_ones(org, ledger):
    rejected = io.BytesIO()
    result = import_into_team(ledger, org, mixed_file(), good_rows_only=True, rejected_out=rejected)

    assert result.ok and result.written
    assert (result.created, result.rejected) == (4, 4)
    assert sorted(imported(org).values_list("code", flat=True)) == ["T00001", "T00002", "T00003", "T00004"]

    sheet = read_xlsx(rejected.getvalue())
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [*HEADERS, "错误原因"]
    assert [row[0] for row in rows[1:]] == ["T90001", "T90002", "坏 编码", "T90004"]
    assert rows[1][3] == "2023年2月30日"  # as the person typed it
    assert rows[1][5] == "第 5 行：「成立日期」日期不存在：2023年2月30日"
    assert rows[2][5] == "第 6 行：「单位名称」必填项，不能为空"
    assert rows[4][5] == "第 8 行：「投资额(万元)」金额不能为负数：-5"


def test_the_rejected_rows_workbook_can_be_rebuilt_from_the_problems(org, ledger):
    data = mixed_file()
    result = import_into_team(ledger, org, data, dry_run=True)
    content = rejected_rows_workbook(ledger, data, [p.as_dict() for p in result.problems])

    rows = [[cell.value for cell in row] for row in read_xlsx(content).iter_rows()]
    assert [row[0] for row in rows[1:]] == ["T90001", "T90002", "坏 编码", "T90004"]
    assert all(row[-1].startswith("第 ") for row in rows[1:])


def test_fixed_rejected_rows_import_cleanly(org, ledger):
    rejected = io.BytesIO()
    import_into_team(ledger, org, mixed_file(), good_rows_only=True, rejected_out=rejected)
    sheet = read_xlsx(rejected.getvalue())
    fixed = [[cell.value for cell in row][:5] for row in sheet.iter_rows(min_row=2)]
    fixed[0][3] = "2023年2月28日"
    fixed[1][1] = "补上名称"
    fixed[2][0] = "T90003"
    fixed[3][4] = 5

    result = import_into_team(ledger, org, make_xlsx([HEADERS, *fixed]))
    assert (result.created, result.rejected) == (4, 0)


def test_a_duplicate_row_in_the_file_is_an_error_on_the_later_row(org, ledger):
    rows = [HEADERS, *unit_rows(3)]
    rows.append(list(rows[2]))
    result = import_into_team(ledger, org, make_xlsx(rows))

    assert not imported(org).exists()
    [problem] = result.problems
    assert (problem.row, problem.reason) == (5, "与第 3 行重复")


# --- No duplicates --------------------------------------------------------------------------


def test_importing_the_same_file_again_creates_nothing(org, ledger):
    data = make_xlsx([HEADERS, *unit_rows(5)])
    import_into_team(ledger, org, data)
    again = import_into_team(ledger, org, data)

    assert again.ok
    assert (again.created, again.skipped_existing, again.rejected) == (0, 5, 0)
    assert imported(org).count() == 5


def test_a_file_with_old_and_new_rows_adds_only_the_new(org, ledger):
    import_into_team(ledger, org, make_xlsx([HEADERS, *unit_rows(3)]))
    preview = import_into_team(ledger, org, make_xlsx([HEADERS, *unit_rows(5)]), dry_run=True)
    assert (preview.new_rows, preview.skipped_existing) == (2, 3)

    result = import_into_team(ledger, org, make_xlsx([HEADERS, *unit_rows(5)]))
    assert (result.created, result.skipped_existing) == (2, 3)


# --- One transaction ------------------------------------------------------------------------


def test_rows_are_saved_in_batches(org, ledger, monkeypatch):
    monkeypatch.setattr(ledgers, "BATCH_SIZE", 2)
    result = import_into_team(ledger, org, make_xlsx([HEADERS, *unit_rows(5)]))
    assert result.created == 5
    assert ledger.saved_batches == [2, 2, 1]
    assert ledger.prepared == 1


def test_a_crash_mid_import_writes_nothing(org, ledger, monkeypatch):
    monkeypatch.setattr(ledgers, "BATCH_SIZE", 2)
    real_save = UnitLedger.save_rows
    calls = []

    def save_then_fail(self, rows, context):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        real_save(self, rows, context)

    monkeypatch.setattr(UnitLedger, "save_rows", save_then_fail)
    with pytest.raises(RuntimeError):
        import_into_team(ledger, org, make_xlsx([HEADERS, *unit_rows(5)]))

    assert calls == [2, 2]
    assert not imported(org).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_a_dry_run_writes_nothing_and_previews_the_first_rows(org, ledger):
    result = import_into_team(ledger, org, make_xlsx([HEADERS, *unit_rows(30)]), dry_run=True)

    assert result.ok and not result.written
    assert not imported(org).exists()
    assert result.new_rows == 30
    assert len(result.preview) == 20
    assert result.preview[0] == ["T00001", "测试单位1", "北京", "2023年2月2日", "10"]
    assert result.headers == HEADERS


# --- What is refused ------------------------------------------------------------------------


def test_a_unit_outside_the_users_ledgers_is_refused(org, ledger):
    data = make_xlsx([HEADERS, *unit_rows(2)])
    with pytest.raises(PermissionDenied):
        import_ledger(ledger, data, actor=org["team_member"], org=org.other_team)
    with pytest.raises(PermissionDenied):
        import_ledger(ledger, data, actor=org["outsider"], org=org.team)
    assert not Unit.objects.filter(code__startswith="T0").exists()
    assert import_ledger(ledger, data, actor=org["team_member"], org=org.team).created == 2


def test_a_missing_required_column_refuses_the_file(org, ledger):
    data = make_xlsx([["单位编码", "驻点城市", "成立日期", "投资额(万元)"], ["T1", "北京", "2023.4.5", 1]])
    with pytest.raises(SpreadsheetError, match="缺少必填的列：「单位名称」"):
        import_into_team(ledger, org, data)


def test_a_formula_is_refused_for_its_cell(org, ledger):
    data = make_xlsx([HEADERS, *unit_rows(2)], formulas=[(2, 4, "=E2*2")])
    result = import_into_team(ledger, org, data)
    [problem] = result.problems
    assert (problem.row, problem.column, problem.value) == (3, "投资额(万元)", "=E2*2")
    assert problem.reason == "单元格含公式，请粘贴为数值后再导入"


def test_the_number_of_listed_problems_is_capped_but_all_are_counted(org, ledger, settings):
    settings.ZS_IMPORT_MAX_REPORTED_ERRORS = 3
    rows = [[f"T{i}", None, "", "", ""] for i in range(10)]
    result = import_into_team(ledger, org, make_xlsx([HEADERS, *rows]))
    assert (len(result.problems), result.problem_count, result.rejected) == (3, 10, 10)
    assert result.problems_truncated


def test_validation_errors_name_their_column_or_the_row(org, ledger):
    rows = [["T1", "非法名称", "", "", ""], ["T2", "好名称", "", "2031年1月1日", ""]]
    result = import_into_team(ledger, org, make_xlsx([HEADERS, *rows]))
    found = {(p.row, p.column, p.value, p.reason) for p in result.problems}
    assert found == {(2, "单位名称", "非法名称", "名称不能叫“非法名称”"), (3, "", "", "成立日期不能晚于 2030 年")}


def test_amounts_follow_the_unit_in_the_files_header(org, ledger):
    headers = ["单位编码", "单位名称", "投资额（亿元）"]
    result = import_into_team(ledger, org, make_xlsx([headers, ["Y1", "亿元单位", 1.5], ["Y2", "另一个", "3000万"]]))
    assert result.created == 2
    budgets = {u.code: json.loads(u.focus)["budget"] for u in imported(org)}
    assert budgets == {"Y1": "15000.0000", "Y2": "3000.0000"}


def test_a_ledger_file_with_a_title_and_merged_cells_imports(org, ledger):
    rows = [
        ["北京招商组测试单位台账（2023年）", None, None, None, None],
        [],
        ["单位编码", "单位名称", "驻点\n城市", "成立日期", "投资额\n（万元）"],
        ["M1", "甲", "北京", "2023年4月5日", 1],
        ["M2", "乙", None, None, 2],
        ["M3", "丙", None, None, 3],
    ]
    data = make_xlsx(rows, merges=[(0, 0, 0, 4), (3, 2, 5, 2), (3, 3, 5, 3)])
    result = import_into_team(ledger, org, data)
    assert result.created == 3
    units = imported(org).order_by("code")
    assert {u.base_city for u in units} == {"北京"}
    assert {json.loads(u.focus)["founded"] for u in units} == {"2023-04-05"}


# --- Export ---------------------------------------------------------------------------------

HOSTILE = ["=1+1", "+86 138", "-1", "@SUM(A1)", "\tTAB", "\rCR", '=HYPERLINK("http://evil","点我")']


def test_an_export_writes_formula_looking_text_as_text(org, ledger):
    for i, text in enumerate(HOSTILE):
        make_unit(f"H{i}", text, UnitKind.SQUAD, org.team)
    out = io.BytesIO()
    assert export_ledger(ledger, actor=org["office"], org=org.team, out=out) == len(HOSTILE)

    sheet = read_xlsx(out.getvalue())
    names = [sheet.cell(row=r, column=3) for r in range(3, 3 + len(HOSTILE))]
    assert [cell.data_type for cell in names] == ["s"] * len(HOSTILE)
    # openpyxl leaves Excel's escape for a carriage return ("_x000D_") in place; Excel does not.
    assert [unescape(cell.value) for cell in names] == HOSTILE
    with open_sheet(io.BytesIO(out.getvalue())) as read_back:
        assert [values[2] for _, values in read_back.rows(after=2)] == HOSTILE


def test_an_export_has_a_title_headers_serial_numbers_dates_and_numbers(org, ledger):
    import_into_team(ledger, org, make_xlsx([HEADERS, *unit_rows(3)]))
    out = io.BytesIO()
    export_ledger(ledger, actor=org["office"], org=org.team, out=out)

    sheet = read_xlsx(out.getvalue())
    assert sheet["A1"].value == "北京招商组测试单位台账"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:F1"]
    assert [c.value for c in sheet[2]] == ["序号", *HEADERS]
    assert [sheet.cell(row=r, column=1).value for r in (3, 4, 5)] == [1, 2, 3]
    founded = sheet["E3"]
    assert founded.is_date and founded.value == datetime.datetime(2023, 2, 2)
    assert founded.number_format == "yyyy年m月d日"
    assert sheet["F3"].data_type == "n" and sheet["F3"].value == 10
    assert sheet.column_dimensions["C"].width >= 10
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.message == "导出北京招商组测试单位台账：共 3 行"
    assert event.actor_name == "office"


def test_an_exported_file_imports_again_to_nothing_new(org, ledger):
    import_into_team(ledger, org, make_xlsx([HEADERS, *unit_rows(25)]))
    make_unit("H1", "=1+1", UnitKind.SQUAD, org.team)
    out = io.BytesIO()
    export_ledger(ledger, actor=org["office"], org=org.team, out=out)

    result = import_into_team(ledger, org, io.BytesIO(out.getvalue()))
    assert result.ok, result.problems
    assert (result.total_rows, result.created, result.skipped_existing) == (26, 0, 26)

    # And into an empty unit it recreates the same rows.
    Unit.objects.filter(parent=org.team).delete()
    again = import_into_team(ledger, org, io.BytesIO(out.getvalue()))
    assert again.created == 26
    assert Unit.objects.get(code="T00007").focus == json.dumps({"founded": "2023-08-08", "budget": "70.0000"})


def test_an_export_is_limited_to_the_users_units_and_filters(org, ledger):
    import_into_team(ledger, org, make_xlsx([HEADERS, ["C1", "甲", "北京", "", ""], ["C2", "乙", "上海", "", ""]]))
    with pytest.raises(PermissionDenied):
        export_ledger(ledger, actor=org.other_team_member, org=org.team, out=io.BytesIO())
    out = io.BytesIO()
    assert export_ledger(ledger, actor=org["office"], org=org.team, out=out, city="上海") == 1


# --- Describing ledgers ---------------------------------------------------------------------


def test_ledgers_are_registered_by_name(ledger):
    assert get_ledger("test_units") is ledger
    assert ledger in ledgers.ledgers()
    with pytest.raises(KeyError):
        get_ledger("nope")


def test_a_choice_column_takes_labels_and_stores_values():
    parse = choice(UnitKind)
    assert parse("驻点招商组", None) == UnitKind.TEAM
    assert parse(" 驻点招商组 ", None) == UnitKind.TEAM
    assert parse("", None) == ""
    with pytest.raises(ParseError, match="不是可选的值"):
        parse("招商组", None)


def test_a_ledger_without_a_key_or_a_way_to_store_says_so():
    class Keyless(Ledger):
        name = "keyless"
        columns = [Column("a", "甲")]

    with pytest.raises(ImproperlyConfigured, match="key_columns"):
        Keyless().row_key({"a": 1}, None)
    with pytest.raises(ImproperlyConfigured, match="save_rows"):
        Keyless().save_rows([], None)
    with pytest.raises(ImproperlyConfigured, match="export_queryset"):
        Keyless().export_queryset(None, None)


def test_the_default_units_are_where_the_user_keeps_ledgers(org):
    class Plain(Ledger):
        name = "plain"

    units = Plain().allowed_orgs
    assert set(units(org["team_member"])) == {org.team}
    assert set(units(org["county"])) == {org.county, org.squad}
    assert org.team in set(units(org["office"]))
    assert not units(org["department"]).exists()
    assert not units(None).exists()
