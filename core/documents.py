"""Official documents in the GB/T 9704-2012 style (党政机关公文格式), written with python-docx.

Offices exchange bulletins and reports as Word documents laid out as official documents are
(domain.md §2): A4 with the standard's margins, the issuing unit's red mark and a red rule under
it, the document number, a title in 小标宋 二号, a body in 仿宋_GB2312 三号 at a fixed 28-point
line pitch (22 lines a page), numbered sections 一、（一）1., tables, the issuing unit and date
at the end, and page numbers "— 1 —" at the foot, right on odd pages and left on even ones.

    doc = Document(title="关于2022年10月份驻点招商工作情况的通报", issuer="运城市招商投资促进中心",
                   number="运招促〔2022〕10号", date=datetime.date(2022, 11, 3))
    doc.heading1("一、总体情况")
    doc.paragraph("……")
    doc.table(["招商组", "走访企业"], [["北京招商组", "21/20"]])
    doc.save(fileobj)

Chinese font names go into w:eastAsia (as well as w:ascii and w:hAnsi): Word and LibreOffice
choose a run's Chinese glyphs from w:eastAsia alone, so setting only `font.name` would leave the
body in the template's Latin font.
"""

import datetime

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

# Fonts the standard names (a machine without them substitutes its own CJK fonts).
XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"

# Sizes: 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt, 小四 12 pt.
ERHAO = Pt(22)
SANHAO = Pt(16)
SIHAO = Pt(14)
TABLE_SIZE = Pt(12)
HEADER_SIZE = Pt(30)
LINE_PITCH = Pt(28)  # 22 lines on the 225 mm type area
RED = RGBColor(0xFF, 0x00, 0x00)
TWO_CHARS = Pt(32)  # two characters of 三号


def chinese_date(day):
    """The date as documents write it: 2022年11月3日."""
    return f"{day.year}年{day.month}月{day.day}日"


def set_run_font(run, name, size=None, *, bold=None, color=None):
    """Give a run its font for Chinese and Latin text alike, its size, weight and colour."""
    run.font.name = name
    _east_asian_fonts(run._element.get_or_add_rPr(), name).set(qn("w:hint"), "eastAsia")
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _style_fonts(style, name, size):
    style.font.name = name
    style.font.size = size
    _east_asian_fonts(style.element.get_or_add_rPr(), name)


def _east_asian_fonts(r_pr, name):
    """Name the font for every script (w:eastAsia included), so Word and LibreOffice use it for Chinese too."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    return fonts


def _first_line_chars(paragraph, chars=2):
    """Indent the first line by `chars` characters (w:firstLineChars, which Word prefers) and the points."""
    paragraph.paragraph_format.first_line_indent = Pt(SANHAO.pt * chars)
    ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), str(chars * 100))


def _fixed_pitch(paragraph, pitch=LINE_PITCH):
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = pitch
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _bottom_rule(paragraph, color="FF0000", size=12):
    """A rule under the paragraph (the red line under the issuing unit's mark): size in eighths of a point."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size))
    bottom.set(qn("w:space"), "6")
    bottom.set(qn("w:color"), color)
    borders.append(bottom)
    p_pr.append(borders)


def _field(paragraph, instruction, placeholder="1"):
    """A Word field (e.g. PAGE) in its own runs: begin, instruction, separator, placeholder result, end."""
    runs = []

    def fld(kind):
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._element.append(char)
        runs.append(run)

    fld("begin")
    instr_run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run._element.append(instr)
    runs.append(instr_run)
    fld("separate")
    runs.append(paragraph.add_run(placeholder))
    fld("end")
    return runs


def _cell_borders(table):
    """Single borders on every edge and between every cell, whatever the template's table styles."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    tbl_pr.append(borders)


class Document:
    """One official document; add headings, paragraphs and tables in order, then `save`."""

    def __init__(self, *, title, issuer, number="", date=None, mark=None):
        self.title = title
        self.issuer = issuer
        self.number = number
        self.date = date or datetime.date.today()
        self.mark = mark if mark is not None else f"{issuer}文件"
        self._closed = False
        self.doc = new_docx()
        self._page()
        self._defaults()
        self._footer()
        self._head()

    # --- layout ------------------------------------------------------------------------------------------

    def _page(self):
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        # The page number's top sits 7 mm below the type area: 35 − 7 mm, less its own height of about 5 mm.
        section.footer_distance = Mm(23)
        # 22 lines a page on the document grid, as the standard's type area asks.
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect_pr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(int(LINE_PITCH.pt * 20)))

    def _defaults(self):
        normal = self.doc.styles["Normal"]
        _style_fonts(normal, FANGSONG, SANHAO)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        # Chinese text: language zh-CN for the East-Asian runs (hyphenation, punctuation).
        r_pr = normal.element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:eastAsia"), "zh-CN")
        r_pr.append(lang)

    def _footer(self):
        """— 1 —: 宋体 四号, right on odd pages and left on even ones, one character in from the edge."""
        self.doc.settings.odd_and_even_pages_header_footer = True
        section = self.doc.sections[0]
        for footer, align, side in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = align
            if side == "right":
                paragraph.paragraph_format.right_indent = SIHAO
            else:
                paragraph.paragraph_format.left_indent = SIHAO
            runs = [paragraph.add_run("— ")]
            runs.extend(_field(paragraph, "PAGE"))
            runs.append(paragraph.add_run(" —"))
            for run in runs:
                set_run_font(run, SONGTI, SIHAO)

    def _head(self):
        """The issuing unit's mark in red 小标宋, the number centred below, the red rule, then the title."""
        mark = self.doc.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fixed_pitch(mark, Pt(HEADER_SIZE.pt * 1.5))
        set_run_font(mark.add_run(self.mark), XIAOBIAOSONG, HEADER_SIZE, color=RED)
        self.doc.add_paragraph()
        number = self.doc.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fixed_pitch(number)
        if self.number:
            set_run_font(number.add_run(self.number), FANGSONG, SANHAO)
        _bottom_rule(number)
        self.doc.add_paragraph()
        title = self.doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fixed_pitch(title, Pt(ERHAO.pt * 1.6))
        set_run_font(title.add_run(self.title), XIAOBIAOSONG, ERHAO)
        self.doc.add_paragraph()

    # --- content -----------------------------------------------------------------------------------------

    def _body_paragraph(self, text, font, *, bold=False, indent=True):
        paragraph = self.doc.add_paragraph()
        _fixed_pitch(paragraph)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            _first_line_chars(paragraph)
        if text:
            set_run_font(paragraph.add_run(text), font, SANHAO, bold=bold)
        return paragraph

    def heading1(self, text):
        """A level-1 heading, "一、总体情况", in 黑体."""
        return self._body_paragraph(text, HEITI)

    def heading2(self, text, rest=""):
        """A level-2 heading, "（一）……", in 楷体_GB2312; `rest` runs on in the same paragraph in 仿宋."""
        paragraph = self._body_paragraph(text, KAITI)
        if rest:
            set_run_font(paragraph.add_run(rest), FANGSONG, SANHAO)
        return paragraph

    def heading3(self, text, rest=""):
        """A level-3 heading, "1. ……", in 仿宋 bold; `rest` runs on in the same paragraph, not bold."""
        paragraph = self._body_paragraph(text, FANGSONG, bold=True)
        if rest:
            set_run_font(paragraph.add_run(rest), FANGSONG, SANHAO, bold=False)
        return paragraph

    def paragraph(self, text):
        """A body paragraph: 仿宋_GB2312 三号, first line indented two characters."""
        return self._body_paragraph(text, FANGSONG)

    def table(self, header, rows, *, font=FANGSONG, size=TABLE_SIZE, caption=""):
        """A bordered table: header row bold and repeated on each page, cells centred, 10.5–12 pt text."""
        if caption:
            paragraph = self._body_paragraph(caption, FANGSONG, indent=False)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        table = self.doc.add_table(rows=1, cols=len(header))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _cell_borders(table)
        self._fill_row(table.rows[0], header, font, size, bold=True)
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for values in rows:
            self._fill_row(table.add_row(), values, font, size, bold=False)
        # A line of space after the table before the text goes on.
        self.doc.add_paragraph()
        return table

    def _fill_row(self, row, values, font, size, *, bold):
        for cell, value in zip(row.cells, values, strict=False):
            lines = str("" if value is None else value).split("\n")
            paragraph = cell.paragraphs[0]
            for n, line in enumerate(lines):
                if n:
                    paragraph = cell.add_paragraph()
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                fmt = paragraph.paragraph_format
                fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
                fmt.space_before = fmt.space_after = Pt(0)
                fmt.first_line_indent = Pt(0)
                set_run_font(paragraph.add_run(line), font, size, bold=bold)

    def blank(self):
        paragraph = self.doc.add_paragraph()
        _fixed_pitch(paragraph)
        return paragraph

    def _close(self):
        """The issuing unit and the date at the end, right-aligned, four characters in from the right."""
        if self._closed:
            return
        self._closed = True
        self.blank()
        self.blank()
        for text in (self.issuer, chinese_date(self.date)):
            paragraph = self.doc.add_paragraph()
            _fixed_pitch(paragraph)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_indent = TWO_CHARS * 2
            set_run_font(paragraph.add_run(text), FANGSONG, SANHAO)

    def save(self, fileobj):
        """Write the .docx to a path or a binary file object (the ending is added once)."""
        self._close()
        self.doc.save(fileobj)
        return fileobj
