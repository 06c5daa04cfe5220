"""Parsing what people type into Excel: Chinese dates, amounts in 万元 or 亿元, and text."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.parsing import ParseError, display, parse_amount, parse_date, parse_text, unit_from_header

D = datetime.date


# --- Dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "2023年4月5日",
        "2023年4月5号",
        "2023年04月05日",
        "2023 年 4 月 5 日",
        "2023.4.5",
        "2023/4/5",
        "2023-04-05",
        "2023-4-5",
        "20230405",
        "  2023/4/5\n",
        "２０２３年４月５日",  # full-width digits from a Chinese input method
        "２０２３．４．５",
        "２０２３／４／５",
        "2023-04-05 00:00:00",
        45021,  # the serial Excel stores
        45021.0,
        45021.75,  # a date with a time of day
        20230405,
        datetime.datetime(2023, 4, 5, 9, 30),
        D(2023, 4, 5),
    ],
)
def test_every_way_people_write_a_date_is_read(typed):
    assert parse_date(typed) == D(2023, 4, 5)


@pytest.mark.parametrize("empty", [None, "", "   ", "\u3000"])
def test_an_empty_date_cell_is_none(empty):
    assert parse_date(empty) is None


@pytest.mark.parametrize("typed", ["2023年2月30日", "2023.13.1", "2023/2/29", "20230230", "2023-04-31"])
def test_a_date_that_does_not_exist_is_refused(typed):
    with pytest.raises(ParseError, match="日期不存在"):
        parse_date(typed)


@pytest.mark.parametrize("typed", ["明天", "4/5/2023", "2023年4月", "2023.4.5.6", "2023/4-5", "abc", True, "45021"])
def test_a_date_that_cannot_be_read_is_refused_with_the_formats_that_work(typed):
    with pytest.raises(ParseError) as exc:
        parse_date(typed)
    assert "无法识别的日期" in str(exc.value)


def test_the_refusal_names_the_formats_to_use():
    with pytest.raises(ParseError) as exc:
        parse_date("下周三")
    assert str(exc.value) == "无法识别的日期：下周三，请使用 2023年4月5日、2023.4.5 或 2023/4/5 的格式"


def test_excel_serials_follow_the_1900_date_system_and_its_leap_year_bug():
    assert parse_date(1) == D(1900, 1, 1)
    assert parse_date(59) == D(1900, 2, 28)
    assert parse_date(61) == D(1900, 3, 1)
    with pytest.raises(ParseError):
        parse_date(60)  # Excel's 29 February 1900, a day that never was
    with pytest.raises(ParseError):
        parse_date(0)
    with pytest.raises(ParseError):
        parse_date(3_000_000)
    with pytest.raises(ParseError):
        parse_date(float("nan"))


def test_a_year_before_1900_is_a_typo():
    with pytest.raises(ParseError, match="日期不合理"):
        parse_date("0203年4月5日")


@given(st.dates(min_value=D(1900, 3, 1), max_value=D(2999, 12, 31)))
def test_any_date_round_trips_through_every_format(day):
    y, m, d = day.year, day.month, day.day
    serial = (day - D(1899, 12, 30)).days
    written = [
        f"{y}年{m}月{d}日",
        f"{y}年{m}月{d}号",
        f"{y}.{m}.{d}",
        f"{y}/{m}/{d}",
        f"{y}-{m:02d}-{d:02d}",
        f"{y}-{m}-{d}",
        f"{y}{m:02d}{d:02d}",
        f" {y}年{m:02d}月{d:02d}日 ",
        f"{y}年{m}月{d}日".translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        serial,
        float(serial),
        datetime.datetime(y, m, d),
    ]
    for typed in written:
        assert parse_date(typed) == day, typed


# --- Amounts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "unit", "wan"),
    [
        (3000, "万元", "3000"),
        (3000.5, "万元", "3000.5"),
        ("3000", "万元", "3000"),
        ("3,000", "万元", "3000"),
        ("3,000万元", "万元", "3000"),
        ("3000万", "万元", "3000"),
        ("1.2亿", "万元", "12000"),  # the cell's own unit wins over the header's
        ("1.2亿元", "万元", "12000"),
        ("23.5亿元", "万元", "235000"),
        (1.2, "亿元", "12000"),
        ("1.2", "亿元", "12000"),
        ("3000万", "亿元", "3000"),
        ("500000元", "万元", "50"),
        ("３，０００万元", "万元", "3000"),  # full-width digits and comma
        (" 12.34567 ", "万元", "12.3457"),  # four places, rounded half up
        (Decimal("0.00005"), "万元", "0.0001"),
        (0, "万元", "0"),
        ("-0", "万元", "0"),
        (0.1, "万元", "0.1"),
    ],
)
def test_amounts_are_read_in_wan_yuan(typed, unit, wan):
    assert parse_amount(typed, unit) == Decimal(wan)


def test_an_amount_is_quantised_to_four_places():
    assert parse_amount("1.23", "亿元").as_tuple().exponent == -4


@pytest.mark.parametrize("empty", [None, "", "  "])
def test_an_empty_amount_is_none(empty):
    assert parse_amount(empty) is None


@pytest.mark.parametrize("typed", [-5, "-5", "-1.2亿", -0.5])
def test_a_negative_amount_is_refused(typed):
    with pytest.raises(ParseError, match="金额不能为负数"):
        parse_amount(typed)


@pytest.mark.parametrize(
    ("typed", "unit", "wan"),
    [
        ("约5000万", "万元", "5000"),
        ("大约5000万元", "万元", "5000"),
        ("近3亿", "万元", "30000"),
        ("超1亿元", "万元", "10000"),
        ("超过2000万", "万元", "2000"),
        ("逾1.5亿元", "万元", "15000"),
        ("3000余万元", "万元", "3000"),
        ("2亿多元", "万元", "20000"),
        ("5亿元左右", "万元", "50000"),
        ("约5000左右", "万元", "5000"),
        ("约1.2", "亿元", "12000"),
        ("５０００万元左右", "万元", "5000"),
    ],
)
def test_an_approximate_amount_is_read_as_its_figure(typed, unit, wan):
    assert parse_amount(typed, unit) == Decimal(wan)


@pytest.mark.parametrize("typed", ["约", "约万元", "左右", "约-5", "大概5000万", "5000万元以上"])
def test_words_of_approximation_alone_or_unknown_ones_are_refused(typed):
    with pytest.raises(ParseError):
        parse_amount(typed)


@pytest.mark.parametrize("typed", ["三千万", "1.2美元", "abc", "1e5", True, float("inf"), "1.2.3", "万元"])
def test_an_amount_that_is_not_a_number_is_refused(typed):
    with pytest.raises(ParseError) as exc:
        parse_amount(typed)
    assert "无法识别的金额" in str(exc.value)


def test_an_absurd_amount_is_refused():
    with pytest.raises(ParseError, match="金额过大"):
        parse_amount("1" + "0" * 40)


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("总投资(亿元)", "亿元"),
        ("总投资（亿元）", "亿元"),
        ("其中固定资产投资(亿元)", "亿元"),
        ("拟投资额（万元）", "万元"),
        ("拟投资额\n(万元)", "万元"),
        ("金额（单位：万元）", "万元"),
        ("投资额 (亿)", "亿元"),
        ("企业名称", None),
        ("", None),
        (None, None),
    ],
)
def test_the_unit_is_read_from_the_header(header, unit):
    assert unit_from_header(header) == unit


# --- Text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ("  北京某某科技有限公司 ", "北京某某科技有限公司"),
        (123.0, "123"),
        (13800000001, "13800000001"),
        (13800000001.0, "13800000001"),
        (1.5, "1.5"),
        (None, ""),
        ("\u3000对接\u00a0顺利\u3000", "对接 顺利"),  # ideographic and no-break spaces folded
        ("你好，世界（一）", "你好，世界（一）"),  # Chinese punctuation kept as typed
        ("第一行\r\n第二行", "第一行\n第二行"),
        ("a\x00b", "ab"),
        (True, "是"),
        (D(2023, 4, 5), "2023年4月5日"),
    ],
)
def test_text_is_cleaned_but_not_rewritten(typed, text):
    assert parse_text(typed) == text


def test_text_longer_than_allowed_is_refused_not_cut():
    assert parse_text("一二三", max_length=3) == "一二三"
    with pytest.raises(ParseError, match="内容过长（4 字），最多 3 字"):
        parse_text("一二三四", max_length=3)


def test_display_reads_back_as_typed():
    assert display(Decimal("3000.0000")) == "3000"
    assert display(Decimal("12.3400")) == "12.34"
    assert display(45021.0) == "45021"
    assert display(datetime.datetime(2023, 4, 5)) == "2023年4月5日"
    assert display(None) == ""
