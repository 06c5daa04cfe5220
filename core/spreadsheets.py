"""Reading an uploaded .xlsx safely and in a stream.

An upload is whatever someone chose to send. Before openpyxl parses a byte, the file is
checked as a zip from its central directory (a zip bomb is refused from its declared
sizes without decompressing anything), and every XML part's prolog is checked for a
DOCTYPE (the door to entity expansion). Only then does openpyxl open the workbook in
read-only mode (defusedxml guarding it as a second line), and the first worksheet is
read one row at a time, so a 100,000-row ledger never sits in memory.

Teams' ledgers are not clean tables: a title row sits above the header, headers wrap
onto two lines, and a visit date or a team is merged down several rows. `find_header`
finds the header among the first rows by the column names it knows, and the rows come
back with each merged range's value filled into all its cells.
"""

import logging
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree
from xml.parsers import expat

from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.utils.escape import unescape
from openpyxl.worksheet._reader import ROW_TAG, VALUE_TAG, WorkSheetParser, _cast_number
from openpyxl.xml.constants import SHEET_MAIN_NS

from .parsing import is_blank

logger = logging.getLogger(__name__)

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ZIP_MEMBERS = 1000
# A ledger's header is among its first rows (a title and a blank row may come first).
HEADER_SCAN_ROWS = 20
# Columns read from a row before the header is known; a ledger has a few dozen at most.
MAX_COLUMNS = 256
INLINE_TAG = f"{{{SHEET_MAIN_NS}}}is"
TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
# More merged ranges than this is not a ledger someone keeps by hand.
MAX_MERGED_RANGES = 100_000
# Parts smaller than this cannot hurt whatever their ratio, and tiny, regular parts
# (a styles.xml of empty defaults) compress far better than any sheet.
RATIO_CHECK_MIN_BYTES = 1 << 20
PROLOG_SCAN_BYTES = 64 * 1024
READ_CHUNK = 1 << 16

_MERGE_HINT = re.compile(rb"mergeCell\b")


class SpreadsheetError(ValueError):
    """The file as a whole is refused; the message says why, in Chinese."""


class RefusedCell:
    """A cell the import must not take as data: a live formula or an error value (#N/A …).

    It stands in the row where the cell was, so the import reports it against its row and
    column instead of refusing the whole file.
    """

    __slots__ = ("text", "reason")

    def __init__(self, text, reason):
        self.text = text
        self.reason = reason

    def __str__(self):
        return self.text

    def __repr__(self):
        return f"RefusedCell({self.text!r})"


def _setting(name, default):
    return getattr(settings, name, default)


def normalize_header(text):
    """A header cell as comparable text: "走访单位\\n（招商组/小分队）" → "走访单位(招商组/小分队)".

    Spaces and line breaks are dropped (people wrap long headers in the cell), full-width
    brackets become half-width (NFKC), and a required-field star is ignored.
    """
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    return "".join(folded.split()).strip("*")


def _megabytes(size):
    return f"{size / (1 << 20):.0f}"


def _refuse_dtd(*args):
    raise SpreadsheetError(_("文件含有 XML 实体或文档类型声明（DOCTYPE/ENTITY），出于安全原因拒绝导入"))


class _RootReached(Exception):
    pass


def _safe_expat():
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.UnparsedEntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _check_prolog(archive, info):
    """Refuse a part whose prolog declares a DOCTYPE; stop reading at its root element.

    A DOCTYPE can only come before the root element, so the prolog is all that needs
    reading: a few bytes per part, whatever its size.
    """
    parser = _safe_expat()

    def root(name, attrs):
        raise _RootReached

    parser.StartElementHandler = root
    read = 0
    try:
        with archive.open(info) as src:
            while read < PROLOG_SCAN_BYTES:
                chunk = src.read(4096)
                if not chunk:
                    parser.Parse(b"", True)
                    return
                read += len(chunk)
                parser.Parse(chunk, False)
    except _RootReached:
        return
    except expat.ExpatError:
        raise SpreadsheetError(_("文件不是有效的 Excel（.xlsx）文件，或已损坏"))
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        raise SpreadsheetError(_("文件不是有效的 Excel（.xlsx）文件，或已损坏"))
    # A prolog this long is padding meant to hide something further on.
    raise SpreadsheetError(_("文件结构异常，拒绝导入"))


def check_archive(fileobj):
    """Refuse a file that is not a plausible .xlsx, reading only its zip directory and prologs.

    Every limit is a setting. Sizes come from the central directory, which zipfile then
    holds each member to (a member that inflates past its declared size fails its CRC),
    so a bomb is refused before a byte of it is inflated.
    """
    max_file = _setting("ZS_IMPORT_MAX_FILE_BYTES", 50 << 20)
    max_total = _setting("ZS_IMPORT_MAX_UNCOMPRESSED_BYTES", 200 << 20)
    max_ratio = _setting("ZS_IMPORT_MAX_COMPRESSION_RATIO", 100)

    fileobj.seek(0, os.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    if size > max_file:
        raise SpreadsheetError(
            _("文件过大（%(size)s MB），上限为 %(max)s MB") % {"size": _megabytes(size), "max": _megabytes(max_file)}
        )
    magic = fileobj.read(8)
    if magic == OLE_MAGIC:
        # Both an old .xls and a password-protected .xlsx are OLE compound files.
        raise SpreadsheetError(
            _("文件不是有效的 Excel（.xlsx）文件：旧版 .xls 或设置了密码的文件请在 Excel 中取消密码并另存为 .xlsx")
        )
    if magic[:4] != ZIP_MAGIC:
        raise SpreadsheetError(_("文件不是有效的 Excel（.xlsx）文件"))
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise SpreadsheetError(_("文件不是有效的 Excel（.xlsx）文件，或已损坏"))
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise SpreadsheetError(_("文件内部结构异常（部件过多），拒绝导入"))
        total = 0
        for info in members:
            if info.flag_bits & 0x1:
                raise SpreadsheetError(_("文件已加密，请先取消密码保护再导入"))
            total += info.file_size
            if info.file_size >= RATIO_CHECK_MIN_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
                raise SpreadsheetError(_("文件压缩比异常（疑似压缩炸弹），拒绝导入"))
        if total > max_total:
            raise SpreadsheetError(
                _("文件解压后过大（%(size)s MB），上限为 %(max)s MB")
                % {"size": _megabytes(total), "max": _megabytes(max_total)}
            )
        names = {info.filename for info in members}
        if "[Content_Types].xml" not in names:
            raise SpreadsheetError(_("文件不是有效的 Excel（.xlsx）文件"))
        for info in members:
            if info.filename.endswith((".xml", ".rels", ".vml")):
                _check_prolog(archive, info)
    fileobj.seek(0)


def read_merged_ranges(archive, path):
    """The merged ranges of a worksheet as (min_row, max_row, min_col, max_col), sorted by row.

    openpyxl's read-only mode does not report them, and they are written after the rows,
    so the sheet XML is scanned for them first: a cheap byte search decides whether there
    are any, and only then is the XML parsed, with expat and no DTD allowed.
    """
    hint = False
    tail = b""
    with archive.open(path) as src:
        while chunk := src.read(1 << 20):
            if _MERGE_HINT.search(tail + chunk):
                hint = True
                break
            tail = chunk[-16:]
    if not hint:
        return []

    ranges = []
    parser = _safe_expat()

    def start(name, attrs):
        if name == "mergeCell" or name.endswith("}mergeCell"):
            ref = attrs.get("ref", "")
            if ":" not in ref:
                return
            try:
                min_col, min_row, max_col, max_row = range_boundaries(ref)
            except (ValueError, TypeError):
                return
            if len(ranges) >= MAX_MERGED_RANGES:
                raise SpreadsheetError(_("文件中的合并单元格过多，拒绝导入"))
            ranges.append((min_row, max_row, min_col, max_col))

    parser.StartElementHandler = start
    try:
        with archive.open(path) as src:
            while chunk := src.read(READ_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError:
        raise SpreadsheetError(_("文件不是有效的 Excel（.xlsx）文件，或已损坏"))
    ranges.sort()
    return ranges


@dataclass
class Header:
    """Where the header row is and which known column each of its cells names."""

    row: int
    # 0-based position in the row → the key it was matched to.
    columns: dict = field(default_factory=dict)
    # key → the header text as written in the file (it may say 万元 or 亿元).
    texts: dict = field(default_factory=dict)

    @property
    def width(self):
        return max(self.columns) + 1 if self.columns else 0


class Sheet:
    """The first worksheet of a checked .xlsx, read one row at a time.

    Iterating gives the non-blank rows as tuples of cell values; `rows()` gives them with
    their Excel row numbers (1-based), which error reports name. Each call re-reads the
    file from its start, so an import can make two passes without keeping rows.
    """

    def __init__(self, workbook, worksheet, merged, max_rows, owned_file=None):
        self._workbook = workbook
        self._worksheet = worksheet
        self._merged = merged
        self.max_rows = max_rows
        self._owned_file = owned_file
        # After the header is found only its columns are kept, so a hostile row reaching
        # column XFD costs nothing past them.
        self.width = None

    def __iter__(self):
        for _number, values in self.rows():
            yield values

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Release the workbook (and the file, if this sheet opened it from a path)."""
        self._workbook.close()
        if self._owned_file is not None:
            self._owned_file.close()

    def _stream(self):
        """(number, values, blank) for every row, merged ranges filled in."""
        try:
            yield from self._parse()
        except SpreadsheetError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, IndexError, SyntaxError):
            # Found only now, while inflating or parsing the rows: a member that lied about
            # its size fails its CRC, a broken sheet its XML (ParseError is a SyntaxError),
            # a cell its shared-string index.
            logger.info("a worksheet failed while streaming", exc_info=True)
            raise SpreadsheetError(_("文件不是有效的 Excel（.xlsx）文件，或已损坏"))

    def _parse(self):
        formula_reason = _("单元格含公式，请粘贴为数值后再导入")
        error_reason = _("单元格为错误值（%(value)s），请改为实际内容后再导入")
        width = self.width or MAX_COLUMNS
        merged = self._merged
        pending = 0
        active = []
        for number, cells in self._row_cells():
            if not cells:
                continue
            last = min(max(cell[0] for cell in cells), width)
            values = [None] * last
            blank = True
            for col, value, data_type in cells:
                if col > last:
                    continue
                if data_type == "f":
                    value = RefusedCell(str(getattr(value, "text", value)), formula_reason)  # noqa: PLW2901
                elif data_type == "e":
                    value = RefusedCell(str(value), error_reason % {"value": value})  # noqa: PLW2901
                elif data_type == "s" and "_x" in value:
                    # Excel stores a carriage return as "_x000D_" (and a literal "_x" as
                    # "_x005F_x"); openpyxl leaves that to the reader.
                    value = unescape(value)  # noqa: PLW2901
                if blank and not is_blank(value):
                    blank = False
                values[col - 1] = value
            if merged:
                while pending < len(merged) and merged[pending][0] <= number:
                    min_row, max_row, min_col, max_col = merged[pending]
                    top_left = values[min_col - 1] if min_row == number and min_col <= len(values) else None
                    active.append((max_row, min_row, min_col, max_col, top_left))
                    pending += 1
                if active:
                    active = [r for r in active if r[0] >= number]
                    if not blank:
                        for _max_row, min_row, min_col, max_col, top_left in active:
                            end = min(max_col, width)
                            if len(values) < end:
                                values.extend([None] * (end - len(values)))
                            for col in range(min_col, end + 1):
                                if (number, col) != (min_row, min_col) and values[col - 1] is None:
                                    values[col - 1] = top_left
            yield number, tuple(values), blank

    def _row_cells(self):
        """(row number, [(column, value, data type)]) for each row element of the sheet, in file order.

        The XML is walked with the standard library's C parser rather than through
        defusedxml's pure-Python one, which is several times slower. That is safe only
        because `check_archive` has already refused any part whose prolog declares a
        DOCTYPE: without one there is no entity to expand. The common cells (a shared
        string, a plain number) are read here; every other kind (formulas, dates by
        style, inline strings, booleans, errors) goes through openpyxl's own cell parser.
        """
        workbook = self._workbook
        parser = WorkSheetParser(
            None,
            self._worksheet._shared_strings,
            data_only=False,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        shared_strings = self._worksheet._shared_strings
        date_styles = workbook._date_formats
        columns = {}

        def openpyxl_cell(element):
            cell = parser.parse_cell(element)
            return cell["column"], cell["value"], cell["data_type"]

        def read_row(element):
            cells = []
            for c in element:
                ref = c.get("r")
                if ref is None:
                    # Cells without references are placed by counting: openpyxl knows how.
                    number, found = parser.parse_row(element)
                    return number, [(cell["column"], cell["value"], cell["data_type"]) for cell in found]
                kind = c.get("t")
                if kind == "inlineStr" and len(c) == 1 and c[0].tag == INLINE_TAG and len(c[0]) == 1:
                    # Inline text, as XlsxWriter's streaming mode (and so our own exports) write it.
                    run = c[0][0]
                    if run.tag == TEXT_TAG:
                        letters = ref.rstrip("0123456789")
                        col = columns.get(letters)
                        if col is None:
                            col = columns[letters] = column_index_from_string(letters)
                        cells.append((col, run.text or "", "s"))
                        continue
                if len(c) > 1 or (len(c) == 1 and c[0].tag != VALUE_TAG) or kind not in (None, "n", "s"):
                    cells.append(openpyxl_cell(c))
                    continue
                style = c.get("s")
                if kind != "s" and style and int(style) in date_styles:
                    cells.append(openpyxl_cell(c))
                    continue
                letters = ref.rstrip("0123456789")
                col = columns.get(letters)
                if col is None:
                    col = columns[letters] = column_index_from_string(letters)
                text_ = c[0].text if len(c) else None
                if not text_:
                    cells.append((col, None, "n"))
                elif kind == "s":
                    cells.append((col, shared_strings[int(text_)], "s"))
                else:
                    cells.append((col, _cast_number(text_), "n"))
            r = element.get("r")
            number = int(r) if r else parser.row_counter + 1
            parser.row_counter = number
            return number, cells

        with workbook._archive.open(self._worksheet._worksheet_path) as src:
            # Only "end" events: asking for "start" too would double the events for every cell.
            # A read row is emptied at once; the empty element its parent keeps costs tens of
            # bytes, and the row limit bounds how many there can be.
            # S314: every part's prolog was checked for a DOCTYPE in check_archive (see above).
            for _event, element in ElementTree.iterparse(src, events=("end",)):  # noqa: S314
                if element.tag == ROW_TAG:
                    number, cells = read_row(element)
                    element.clear()
                    yield number, cells

    def rows(self, after=0):
        """(Excel row number, values) of each non-blank row after row `after`.

        Rows are counted as they stream and the file is refused past the row limit, so a
        sheet that hid its size (no dimension, or a false one) is stopped all the same.
        Without `after` the first non-blank row is taken as the header and not counted.
        """
        counted = after > 0
        data_rows = 0
        for number, values, blank in self._stream():
            if blank or number <= after:
                continue
            if counted:
                data_rows += 1
                if data_rows > self.max_rows:
                    raise SpreadsheetError(too_many_rows(self.max_rows))
            else:
                counted = True
            yield number, values

    def find_header(self, known, min_matches, scan_rows=HEADER_SCAN_ROWS):
        """Find the header row: the first of the first rows naming at least `min_matches` known columns.

        `known` maps normalised header text (and aliases) to a column key. A title row
        ("北京招商组走访企业台账（2023年）") or a blank row above the header is skipped.
        """
        best = 0
        scanned = self.rows()
        try:
            for seen, (number, values) in enumerate(scanned, start=1):
                columns, texts = {}, {}
                for index, value in enumerate(values):
                    if not isinstance(value, str):
                        continue
                    key = known.get(normalize_header(value))
                    if key is not None and key not in texts:
                        columns[index] = key
                        texts[key] = value.strip()
                best = max(best, len(columns))
                if len(columns) >= min_matches:
                    header = Header(number, columns, texts)
                    self.width = header.width
                    return header
                if seen >= scan_rows:
                    break
        finally:
            scanned.close()
        raise SpreadsheetError(
            _("未找到表头：前 %(rows)d 行中没有一行包含至少 %(count)d 个本台账的列名，请使用台账模板的表头")
            % {"rows": scan_rows, "count": min_matches}
        )

    def data_rows(self, header):
        """(number, values) of the rows under `header`, each cut to the header's width."""
        self.width = header.width
        return self.rows(after=header.row)


def too_many_rows(max_rows):
    """The refusal for a sheet with more data rows than allowed."""
    return _("文件行数超过上限（最多 %(max)d 行数据），请分成多个文件导入") % {"max": max_rows}


def _caused_by(exc, kind):
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _first_worksheet(workbook):
    sheets = workbook.worksheets
    if not sheets:
        raise SpreadsheetError(_("文件中没有工作表"))
    for sheet in sheets:
        if getattr(sheet, "sheet_state", "visible") == "visible":
            return sheet
    return sheets[0]


def open_sheet(fileobj, *, max_rows=None):
    """Check an uploaded .xlsx and open its first worksheet for streaming; SpreadsheetError if refused.

    `fileobj` is a binary file object (an upload, an open file) or a path. The file is
    checked as a zip before openpyxl parses anything (see `check_archive`); the row
    limit is checked against the sheet's declared size first, then again while reading.
    """
    max_rows = max_rows if max_rows is not None else _setting("ZS_IMPORT_MAX_ROWS", 200_000)
    owned = None
    if isinstance(fileobj, (str, os.PathLike)):
        owned = fileobj = open(fileobj, "rb")  # noqa: SIM115 -- the Sheet closes it
    try:
        check_archive(fileobj)
        try:
            workbook = load_workbook(fileobj, read_only=True, data_only=False)
        except Exception as exc:
            # defusedxml inside openpyxl is the second line behind `check_archive`; openpyxl
            # wraps what it raises, so look down the chain.
            if _caused_by(exc, DefusedXmlException):
                raise SpreadsheetError(_("文件含有 XML 实体或文档类型声明（DOCTYPE/ENTITY），出于安全原因拒绝导入"))
            # A malformed package makes openpyxl raise nearly anything (KeyError for a
            # missing part, TypeError from a bad attribute …); all mean the same to the user.
            logger.info("openpyxl refused an upload", exc_info=True)
            raise SpreadsheetError(_("文件不是有效的 Excel（.xlsx）文件，或已损坏"))
        try:
            worksheet = _first_worksheet(workbook)
            declared = worksheet.max_row
            if declared is not None and declared - (worksheet.min_row or 1) > max_rows + HEADER_SCAN_ROWS:
                raise SpreadsheetError(too_many_rows(max_rows))
            # The rows are read without defusedxml (see Sheet._row_cells): make sure of the
            # sheet's own prolog even if its part name does not end in .xml.
            _check_prolog(workbook._archive, worksheet._worksheet_path)
            merged = read_merged_ranges(workbook._archive, worksheet._worksheet_path)
        except BaseException:
            workbook.close()
            raise
    except BaseException:
        if owned is not None:
            owned.close()
        raise
    return Sheet(workbook, worksheet, merged, max_rows, owned_file=owned)
