"""The official-document writer (GB/T 9704-2012): page, head, fonts, sizes, line pitch, headings, tables, ending and
page numbers, read back from the saved .docx with python-docx."""

import datetime
import io

from docx import Document as read_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from core.documents import Document, chinese_date

TITLE = "关于2022年10月份驻点招商工作情况的通报"


def written(**kw):
    doc = Document(
        title=TITLE,
        issuer="运城市招商投资促进中心",
        number="运招促〔2022〕10号",
        date=datetime.date(2022, 11, 3),
        **kw,
    )
    doc.heading1("一、总体情况")
    doc.paragraph("2022年10月，全市共走访企业159家。")
    doc.heading2("（一）走访情况", "各组按计划走访。")
    doc.heading3("1.北京招商组。", "走访企业48家。")
    doc.table(["招商组", "走访企业"], [["北京招商组", "48/60"], ["上海招商组", "50/60\n12/20"]])
    out = io.BytesIO()
    doc.save(out)
    return read_docx(io.BytesIO(out.getvalue()))


def paragraph(doc, text):
    return next(p for p in doc.paragraphs if p.text.startswith(text))


def east_asia(run):
    return run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_the_page_is_a4_with_the_standards_margins():
    section = written().sections[0]
    measured = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    measured += [section.left_margin, section.right_margin]
    # Word stores twentieths of a point: millimetres come back within a hundredth.
    assert [round(length.mm, 1) for length in measured] == [210, 297, 37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "560"  # 28 pt: 22 lines a page


def test_the_head_has_the_red_mark_the_number_the_red_rule_and_the_title_in_xiaobiaosong_erhao():
    doc = written()
    mark = doc.paragraphs[0]
    assert mark.text == "运城市招商投资促进中心文件" and mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert mark.runs[0].font.color.rgb == RGBColor(0xFF, 0, 0) and east_asia(mark.runs[0]) == "方正小标宋简体"
    number = paragraph(doc, "运招促")
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"
    title = paragraph(doc, TITLE)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22) and east_asia(title.runs[0]) == "方正小标宋简体"


def test_the_body_is_fangsong_sanhao_at_a_fixed_28_points_indented_two_characters():
    doc = written()
    body = paragraph(doc, "2022年10月")
    run = body.runs[0]
    assert east_asia(run) == "仿宋_GB2312" and run.font.size == Pt(16)
    fmt = body.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY and fmt.line_spacing == Pt(28)
    assert fmt.first_line_indent == Pt(32)
    assert body._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    normal = doc.styles["Normal"]
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_headings_are_heiti_kaiti_and_bold_fangsong():
    doc = written()
    assert east_asia(paragraph(doc, "一、总体情况").runs[0]) == "黑体"
    level2 = paragraph(doc, "（一）走访情况")
    assert east_asia(level2.runs[0]) == "楷体_GB2312" and east_asia(level2.runs[1]) == "仿宋_GB2312"
    level3 = paragraph(doc, "1.北京招商组")
    assert level3.runs[0].font.bold and not level3.runs[1].font.bold
    assert east_asia(level3.runs[0]) == "仿宋_GB2312"


def test_tables_have_borders_a_bold_repeated_header_and_small_text():
    doc = written()
    [table] = doc.tables
    assert [c.text for c in table.rows[0].cells] == ["招商组", "走访企业"]
    assert table.rows[2].cells[1].text == "50/60\n12/20"
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.tag.split("}")[1] for b in borders} == {"top", "left", "bottom", "right", "insideH", "insideV"}
    header_run = table.rows[0].cells[0].paragraphs[0].runs[0]
    assert header_run.font.bold and Pt(10.5) <= header_run.font.size <= Pt(12)
    assert not table.rows[1].cells[0].paragraphs[0].runs[0].font.bold
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_issuer_and_date_close_it_right_aligned_and_pages_are_numbered_with_dashes():
    doc = written()
    issuer, date = [p for p in doc.paragraphs if p.text][-2:]
    assert (issuer.text, date.text) == ("运城市招商投资促进中心", "2022年11月3日")
    assert issuer.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    section = doc.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        foot = footer.paragraphs[0]
        assert foot.alignment == align
        xml = foot._p.xml
        assert "PAGE" in xml and foot.text.startswith("— ") and foot.text.endswith(" —")
    assert doc.settings.odd_and_even_pages_header_footer


def test_dates_are_written_as_documents_write_them():
    assert chinese_date(datetime.date(2022, 11, 3)) == "2022年11月3日"
    assert chinese_date(datetime.date(2023, 1, 20)) == "2023年1月20日"


def test_the_mark_may_be_named_and_the_number_left_out():
    doc = Document(title="测试", issuer="运城市招商投资促进中心", mark="招商引资工作通报")
    out = io.BytesIO()
    doc.save(out)
    doc.save(io.BytesIO())  # saving twice adds the ending once
    read = read_docx(io.BytesIO(out.getvalue()))
    assert read.paragraphs[0].text == "招商引资工作通报"
    assert sum(1 for p in read.paragraphs if p.text == "运城市招商投资促进中心") == 1
