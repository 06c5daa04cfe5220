"""Parse what people type into Excel cells: Chinese dates, amounts in 万元 or 亿元, and text.

Teams have kept their ledgers in Excel for years, each in its own habits: "2023年4月5日",
"2023.4.5", a real Excel date, "1.2亿" in a column headed 万元, full-width digits typed
with a Chinese input method. The database holds dates and Decimal 万元 only, so every
such cell is parsed here, at the edge, and a cell that cannot be understood is refused
with a reason the person can act on, never guessed at.
"""

import datetime
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

WAN = "万元"
YI = "亿元"
# 1 亿 = 10,000 万.
YI_IN_WAN = Decimal(10000)
YUAN_IN_WAN = Decimal("0.0001")
AMOUNT_QUANTUM = Decimal("0.0001")
# Above this a figure in 万元 is a typo (a missing decimal point, 元 typed as 万元), not a project.
MAX_AMOUNT_WAN = Decimal(10) ** 12

# Excel's 1900 date system: serial 1 is 1900-01-01; the last day Excel knows is 9999-12-31.
EXCEL_MAX_SERIAL = 2958465
EARLIEST_YEAR = 1900

_DATE_CN = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
# A time after the date is allowed: text copied from another system often carries "00:00:00".
_DATE_SEPARATED = re.compile(
    r"^(\d{4})\s*([./\-])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Figures in leads are often approximate ("约5000万", "超1亿元", "3000余万元", "5亿元左右"):
# the words of approximation are dropped and the figure kept, since an estimate is what
# the column asks for.
_AMOUNT = re.compile(
    r"^(?:约|大约|近|将近|超|超过|逾)?(?P<sign>[-+]?)(?P<number>\d+(?:\.\d*)?|\.\d+)"
    r"(?:余|多)?(?P<unit>(?:亿|万)(?:余|多)?元?|元)?(?:左右|余|多)?$"
)
_HEADER_UNIT = re.compile(r"\((?:单位[:：]?)?\s*(万元|亿元|万|亿)\s*\)")
# Control characters other than tab and newline: PostgreSQL refuses NUL, and none is ever meant.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Whitespace other than a plain space, a tab or a line break: the ideographic space, NBSP …
_ODD_SPACE = re.compile(r"[^\S \t\n]")


class ParseError(ValueError):
    """A cell that cannot be read; the message says why, in Chinese, for the person who typed it."""


def is_blank(value):
    """True for an empty cell or one holding only spaces: such a cell means "nothing entered"."""
    if value is None:
        return True
    return isinstance(value, str) and not value.strip()


def display(value):
    """A cell value as a person would read it back in an error report or a preview."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return format_date(value.date())
        return f"{format_date(value.date())} {value:%H:%M}"
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def format_date(value):
    """The way Chinese offices write a date: 2023年4月5日."""
    return _("%(year)d年%(month)d月%(day)d日") % {"year": value.year, "month": value.month, "day": value.day}


def _fold(text):
    # NFKC turns full-width digits and punctuation typed with a Chinese input method
    # (２０２３．４．５, （万元）) into their ASCII forms, so one pattern reads both.
    return unicodedata.normalize("NFKC", text).strip()


def _make_date(year, month, day, original):
    if year < EARLIEST_YEAR:
        raise ParseError(_("日期不合理：%(value)s") % {"value": original})
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ParseError(_("日期不存在：%(value)s") % {"value": original})


def _date_from_serial(value, original):
    if not math.isfinite(value):
        raise ParseError(_("无法识别的日期：%(value)s") % {"value": original})
    whole = int(value)
    # A plain number like 20230405 is a date typed without separators, not a serial:
    # serials stop at 2958465.
    if whole == value and 19000101 <= whole <= 29991231:
        text = str(whole)
        return _make_date(int(text[:4]), int(text[4:6]), int(text[6:]), original)
    if not 1 <= value <= EXCEL_MAX_SERIAL:
        raise ParseError(_("无法识别的日期：%(value)s") % {"value": original})
    # Excel believes 1900 was a leap year: serial 60 is a 29 February that never was,
    # and the serials after it are one day "late".
    if whole == 60:
        raise ParseError(_("日期不存在：%(value)s") % {"value": original})
    base = datetime.date(1899, 12, 31) if whole < 60 else datetime.date(1899, 12, 30)
    return base + datetime.timedelta(days=whole)


def parse_date(value):
    """A cell as a date, or None if empty; ParseError if it is not a real date.

    Accepts real Excel dates, serial numbers (1900 date system) and the ways people type
    dates in Chinese offices: 2023年4月5日, 2023年4月5号, 2023.4.5, 2023/4/5, 2023-4-5,
    20230405, with full-width digits too. Nothing else is guessed at: "4/5/2023" could be
    April or May.
    """
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise ParseError(_("无法识别的日期：%(value)s") % {"value": display(value)})
    if isinstance(value, (int, float, Decimal)):
        return _date_from_serial(float(value), display(value))
    original = str(value).strip()
    text = _fold(original)
    match = _DATE_CN.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day, original)
    match = _DATE_SEPARATED.match(text)
    if match:
        return _make_date(int(match.group(1)), int(match.group(3)), int(match.group(4)), original)
    match = _DATE_COMPACT.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day, original)
    raise ParseError(
        _("无法识别的日期：%(value)s，请使用 2023年4月5日、2023.4.5 或 2023/4/5 的格式") % {"value": original}
    )


def unit_from_header(header):
    """Which unit a column's header declares: "总投资(亿元)" → "亿元"; None when it says none."""
    if not header:
        return None
    text = _fold(str(header)).replace(" ", "")
    match = _HEADER_UNIT.search(text)
    if match:
        return YI if match.group(1).startswith("亿") else WAN
    if YI in text:
        return YI
    if WAN in text:
        return WAN
    return None


def _factor(unit):
    if unit is None or unit in (WAN, "万"):
        return Decimal(1)
    if unit in (YI, "亿"):
        return YI_IN_WAN
    if unit == "元":
        return YUAN_IN_WAN
    raise ValueError(f"unknown unit {unit!r}")


def parse_amount(value, unit=WAN):
    """A cell as an amount in 万元 (Decimal, 4 places), or None if empty.

    `unit` is what the column's header declares (万元 or 亿元); a cell may carry its own
    ("1.2亿", "3,000万元"), which wins, since people paste figures from other reports.
    Words of approximation around the figure (约, 大约, 近, 超, 逾 before it; 余, 多, 左右
    after it) are dropped: "约5000万" is 5000 万元. Negative amounts and anything that is
    not a number are refused.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ParseError(_("无法识别的金额：%(value)s") % {"value": display(value)})
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ParseError(_("无法识别的金额：%(value)s") % {"value": display(value)})
        # repr gives the shortest text that reads back as the same float: 0.1, not 0.1000000000000000055.
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        cell_unit = None
        original = display(value)
    else:
        original = str(value).strip()
        text = _fold(original).replace(",", "").replace(" ", "")
        match = _AMOUNT.match(text)
        if not match:
            raise ParseError(
                _("无法识别的金额：%(value)s，请填写数字，如 3000 或 1.2亿") % {"value": original},
            )
        if match.group("sign") == "-":
            number = -Decimal(match.group("number"))
        else:
            number = Decimal(match.group("number"))
        # "2亿多元": the 多 inside the unit is approximation too.
        cell_unit = (match.group("unit") or "").replace("余", "").replace("多", "") or None
    if number == 0:
        number = Decimal(0)  # "-0" is zero, not a negative amount
    if number < 0:
        raise ParseError(_("金额不能为负数：%(value)s") % {"value": original})
    try:
        amount = (number * _factor(cell_unit or unit)).quantize(AMOUNT_QUANTUM, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ParseError(_("金额过大：%(value)s") % {"value": original})
    if amount >= MAX_AMOUNT_WAN:
        raise ParseError(_("金额过大：%(value)s") % {"value": original})
    return amount


def parse_text(value, max_length=None):
    """A cell as text: stripped, whitespace folded, numbers without a spurious ".0".

    Excel stores a typed phone number or code as a float (13800000001.0); it is read back
    as the digits the person typed. Empty cells give "" (Django's empty text). Too long
    is refused rather than cut, so nothing is silently lost.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, (bool, int, float, Decimal, datetime.date)):
        text = display(value)
    else:
        text = str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Only whitespace is folded (the ideographic space, no-break space …): Chinese
    # punctuation stays as typed, since "，" and "," mean different things to a reader.
    if not text.isprintable():
        # Only then can there be control characters or odd spaces; most cells skip the regexes.
        text = _ODD_SPACE.sub(" ", _CONTROL.sub("", text))
    text = text.strip()
    if max_length is not None and len(text) > max_length:
        raise ParseError(
            _("内容过长（%(length)d 字），最多 %(max)d 字") % {"length": len(text), "max": max_length},
        )
    return text
