"""Reading uploaded .xlsx files: hostile files refused cheaply, real ledgers read as people keep them."""

import datetime
import io
import tracemalloc
import zipfile
from unittest import mock

import pytest
import xlsxwriter

from core.parsing import parse_date
from core.spreadsheets import RefusedCell, SpreadsheetError, normalize_header, open_sheet

from .ledger_helpers import make_xlsx, rewrite_member, zeros_zip

SHEET = "xl/worksheets/sheet1.xml"
NOT_XLSX = "文件不是有效的 Excel（.xlsx）文件"


def rows_of(fileobj, **kwargs):
    with open_sheet(fileobj, **kwargs) as sheet:
        return list(sheet.rows())


# --- Hostile files -----------------------------------------------------------------------


def test_a_zip_bomb_is_refused_from_its_directory_without_being_parsed():
    bomb = zeros_zip(64)
    assert len(bomb.getvalue()) < 200_000
    with mock.patch("core.spreadsheets.load_workbook") as load:
        with pytest.raises(SpreadsheetError, match="压缩比异常"):
            open_sheet(bomb)
    load.assert_not_called()


def test_a_zip_whose_contents_are_too_big_in_total_is_refused(settings):
    settings.ZS_IMPORT_MAX_UNCOMPRESSED_BYTES = 1 << 20
    data = make_xlsx([[f"第{i}行", i, "某某有限公司" * 5] for i in range(20000)])
    with mock.patch("core.spreadsheets.load_workbook") as load:
        with pytest.raises(SpreadsheetError, match="文件解压后过大"):
            open_sheet(data)
    load.assert_not_called()


def test_a_zip_with_too_many_parts_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for i in range(1001):
            archive.writestr(f"xl/media/p{i}.xml", "<p/>")
    with pytest.raises(SpreadsheetError, match="部件过多"):
        open_sheet(out)


def test_a_file_too_big_is_refused_before_reading(settings):
    settings.ZS_IMPORT_MAX_FILE_BYTES = 1000
    with pytest.raises(SpreadsheetError, match="文件过大"):
        open_sheet(make_xlsx([["a"] * 10 for _ in range(200)]))


@pytest.mark.parametrize(
    "content",
    [
        "单位编码,单位名称\nA1,测试\n".encode("gbk"),  # a CSV saved with the wrong extension
        b"",
        b"<html><body>not a spreadsheet</body></html>",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,  # an old .xls
    ],
)
def test_a_file_that_is_not_xlsx_is_refused(content):
    with pytest.raises(SpreadsheetError, match=NOT_XLSX):
        open_sheet(io.BytesIO(content))


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(SpreadsheetError, match=NOT_XLSX):
        open_sheet(out)


def test_a_truncated_zip_is_refused():
    data = make_xlsx([["a", "b"]]).getvalue()
    with pytest.raises(SpreadsheetError, match=NOT_XLSX):
        open_sheet(io.BytesIO(data[: len(data) // 2]))


def _add_doctype(xml):
    declaration_end = xml.index(b"?>") + 2
    entity = b'<!DOCTYPE worksheet [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    return xml[:declaration_end] + entity + xml[declaration_end:]


@pytest.mark.parametrize("part", [SHEET, "xl/sharedStrings.xml", "xl/workbook.xml", "[Content_Types].xml"])
def test_an_xml_entity_declaration_anywhere_is_refused(part):
    data = make_xlsx([["单位编码", "单位名称"], ["A1", "测试"]])
    hostile = rewrite_member(data, part, _add_doctype)
    with mock.patch("core.spreadsheets.load_workbook") as load:
        with pytest.raises(SpreadsheetError, match="DOCTYPE/ENTITY"):
            open_sheet(hostile)
    load.assert_not_called()


def test_an_entity_declaration_hidden_behind_a_long_prolog_is_refused():
    def pad(xml):
        declaration_end = xml.index(b"?>") + 2
        return xml[:declaration_end] + b"<!--" + b"x" * 100_000 + b"-->" + xml[declaration_end:]

    hostile = rewrite_member(make_xlsx([["a"]]), SHEET, lambda xml: _add_doctype(pad(xml)))
    with pytest.raises(SpreadsheetError):
        open_sheet(hostile)


def test_defusedxml_is_the_second_line_if_a_doctype_slips_past(monkeypatch):
    monkeypatch.setattr("core.spreadsheets._check_prolog", lambda archive, info: None)
    hostile = rewrite_member(make_xlsx([["a"]]), "xl/workbook.xml", _add_doctype)
    with pytest.raises(SpreadsheetError, match="DOCTYPE/ENTITY"):
        open_sheet(hostile)


def test_a_formula_cell_is_refused_for_its_row_and_column_only():
    data = make_xlsx([["名称", "金额"], ["甲", 1], ["乙", None]], formulas=[(2, 1, "=B2*2")])
    rows = rows_of(data)
    assert rows[1][0] == 2
    assert rows[1][1][0] == "甲"
    number, values = rows[2]
    assert number == 3
    assert values[0] == "乙"
    assert isinstance(values[1], RefusedCell)
    assert values[1].text == "=B2*2"
    assert values[1].reason == "单元格含公式，请粘贴为数值后再导入"


def test_text_that_only_looks_like_a_formula_is_text():
    rows = rows_of(make_xlsx([["名称"], ["=1+1"], ["+86 138"], ["@某人"]]))
    assert [values[0] for _, values in rows[1:]] == ["=1+1", "+86 138", "@某人"]


def test_an_error_value_is_refused_for_its_cell():
    data = make_xlsx([["名称", "金额"], ["甲", 1]])

    def to_error(xml):
        return xml.replace(b'<c r="B2" s="0"><v>1</v></c>', b'<c r="B2" t="e"><v>#N/A</v></c>').replace(
            b'<c r="B2"><v>1</v></c>', b'<c r="B2" t="e"><v>#N/A</v></c>'
        )

    rows = rows_of(rewrite_member(data, SHEET, to_error))
    assert isinstance(rows[1][1][1], RefusedCell)
    assert "#N/A" in rows[1][1][1].reason


# --- Row limits --------------------------------------------------------------------------


def test_too_many_rows_declared_is_refused_before_reading(settings):
    settings.ZS_IMPORT_MAX_ROWS = 5
    data = make_xlsx([["名称"]] + [[f"单位{i}"] for i in range(40)])
    with pytest.raises(SpreadsheetError, match="最多 5 行数据"):
        open_sheet(data)


def test_too_many_rows_are_refused_while_streaming(settings):
    settings.ZS_IMPORT_MAX_ROWS = 5
    data = make_xlsx([["名称"]] + [[f"单位{i}"] for i in range(6)])
    with open_sheet(data) as sheet:
        rows = sheet.rows()
        for _ in range(6):  # the header and five data rows are fine
            next(rows)
        with pytest.raises(SpreadsheetError, match="最多 5 行数据"):
            next(rows)


def test_a_sheet_that_hides_its_size_is_still_stopped(settings):
    settings.ZS_IMPORT_MAX_ROWS = 5
    data = make_xlsx([["名称"]] + [[f"单位{i}"] for i in range(40)])
    hidden = rewrite_member(data, SHEET, lambda xml: xml.replace(b'<dimension ref="A1:A41"/>', b""))
    assert b"<dimension" not in zipfile.ZipFile(hidden).read(SHEET)
    with pytest.raises(SpreadsheetError, match="最多 5 行数据"):
        rows_of(hidden)


def test_max_rows_can_be_given_per_call():
    data = make_xlsx([["名称"]] + [[f"单位{i}"] for i in range(3)])
    with pytest.raises(SpreadsheetError):
        rows_of(data, max_rows=2)
    assert len(rows_of(data, max_rows=3)) == 4


# --- Reading ledgers as people keep them -------------------------------------------------


def test_blank_rows_are_skipped_but_rows_keep_their_excel_numbers():
    data = make_xlsx([["名称", "城市"], ["甲", "北京"], [None, None], ["", "   "], ["乙", "上海"]])
    rows = rows_of(data)
    assert [number for number, _ in rows] == [1, 2, 5]
    assert rows[2][1] == ("乙", "上海")
    with open_sheet(data) as sheet:
        assert list(sheet)[1] == ("甲", "北京")


VISIT_HEADERS = ["序号", "走访日期", "走访单位\n（招商组/小分队）", "走访人员", "企业名称", "备注"]
KNOWN = {
    normalize_header(h): key
    for h, key in [
        ("走访日期", "date"),
        ("走访单位(招商组/小分队)", "unit"),
        ("走访人员", "people"),
        ("企业名称", "company"),
        ("备注", "note"),
    ]
}


def test_the_header_is_found_under_a_title_and_a_blank_row_with_merged_cells_filled():
    rows = [
        ["北京招商组走访企业台账（2023年）", None, None, None, None, None],
        [],
        VISIT_HEADERS,
        [1, "2023年4月5日", "北京招商组", "王峰", "甲公司", None],
        [2, None, None, "李明", "乙公司", "同一天"],
        [3, None, None, "王峰", "丙公司", None],
        [4, "2023.4.7", "上海招商组", "陈", "丁公司", None],
    ]
    # The title spans the sheet; the date and the team are merged down three rows.
    data = make_xlsx(rows, merges=[(0, 0, 0, 5), (3, 1, 5, 1), (3, 2, 5, 2)])
    with open_sheet(data) as sheet:
        header = sheet.find_header(KNOWN, min_matches=4)
        assert header.row == 3
        assert header.columns == {1: "date", 2: "unit", 3: "people", 4: "company", 5: "note"}
        assert header.texts["unit"] == "走访单位\n（招商组/小分队）"
        found = list(sheet.data_rows(header))
    assert [number for number, _ in found] == [4, 5, 6, 7]
    assert [values[1] for _, values in found] == ["2023年4月5日", "2023年4月5日", "2023年4月5日", "2023.4.7"]
    assert [values[2] for _, values in found] == ["北京招商组", "北京招商组", "北京招商组", "上海招商组"]
    assert found[1][1][5] == "同一天"


def test_a_merged_real_date_is_filled_as_a_date():
    rows = [
        ["走访日期", "企业名称", "走访人员", "备注"],
        [datetime.date(2023, 4, 5), "甲", "王", None],
        [None, "乙", "李", None],
    ]
    data = make_xlsx(rows, merges=[(1, 0, 2, 0)])
    found = rows_of(data)
    assert [parse_date(values[0]) for _, values in found[1:]] == [datetime.date(2023, 4, 5)] * 2


def test_no_header_in_the_first_rows_is_refused():
    data = make_xlsx([["随便什么"]] * 30 + [VISIT_HEADERS])
    with open_sheet(data) as sheet:
        with pytest.raises(SpreadsheetError, match="未找到表头"):
            sheet.find_header(KNOWN, min_matches=4)


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("走访单位\n(招商组/小分队)", "走访单位(招商组/小分队)"),
        ("走访单位（招商组/小分队）", "走访单位(招商组/小分队)"),
        (" 总投资 （亿元） ", "总投资(亿元)"),
        ("*企业名称", "企业名称"),
        ("企业\u3000名称", "企业名称"),
    ],
)
def test_headers_are_compared_without_spaces_breaks_or_full_width_brackets(written, normal):
    assert normalize_header(written) == normal


def test_chinese_dates_in_every_format_read_from_a_sheet():
    typed = ["2023年4月5日", "2023.4.5", "2023/4/5", "2023-04-05", "２０２３年４月５日", "20230405", 45021]
    data = make_xlsx(
        [["走访日期"]] + [[value] for value in typed], date_cells=[(len(typed) + 1, 0, datetime.date(2023, 4, 5))]
    )
    values = [row[0] for _, row in rows_of(data)[1:]]
    assert len(values) == len(typed) + 1
    assert isinstance(values[-1], datetime.datetime)  # a real date cell comes back as a date
    assert {parse_date(value) for value in values} == {datetime.date(2023, 4, 5)}


def test_a_path_can_be_opened_and_is_closed_with_the_sheet(tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(make_xlsx([["名称"], ["甲"]]).getvalue())
    with open_sheet(path) as sheet:
        assert list(sheet) == [("名称",), ("甲",)]
    assert sheet._owned_file.closed


def test_each_pass_reads_the_file_again():
    with open_sheet(make_xlsx([["名称"], ["甲"], ["乙"]])) as sheet:
        assert list(sheet) == list(sheet)


# --- Memory ------------------------------------------------------------------------------


def test_a_100000_row_sheet_streams_in_bounded_memory(tmp_path):
    path = tmp_path / "big.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["单位编码", "金额"])
    for r in range(1, 100_001):
        sheet.write_string(r, 0, f"某某科技有限公司{r:06d}")
        sheet.write_number(r, 1, r)
    workbook.close()

    tracemalloc.start()
    try:
        count = 0
        with open_sheet(path) as opened:
            for _ in opened.rows():
                count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 100_001
    assert peak < 60 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
