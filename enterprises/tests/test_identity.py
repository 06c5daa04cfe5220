"""Recognising one company however a team writes it: the normalised name and the credit code."""

import pytest
from django.core.exceptions import ValidationError

from enterprises.identity import clean_credit_code, normalize_company_name


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("新锦源能源科技有限公司", "新锦源能源科技"),
        ("新锦源能源科技股份有限公司", "新锦源能源科技有限公司"),
        ("新锦源能源科技股份公司", "新锦源能源科技有限责任公司"),
        ("中国宝武钢铁集团有限公司", "中国宝武钢铁集团"),
        ("海螺水泥(集团)股份有限公司", "海螺水泥集团有限公司"),
        ("新锦源(广东)能源科技有限公司", "新锦源能源科技有限公司"),
        ("华为技术有限公司（北京）", "华为技术有限公司"),
        ("腾讯科技（深圳）有限公司", "腾讯科技有限公司"),
        ("建龙（山西省）实业有限公司", "建龙实业有限公司"),
        ("【山西】建龙实业", "建龙实业有限公司"),
        ("高瓴创投基金（有限合伙）", "高瓴创投基金"),
        ("ＢＹＤ 汽车 有限公司", "byd汽车有限公司"),
        ("  比亚迪   股份有限公司 ", "比亚迪"),
        ("Tesla Co.,Ltd.", "tesla"),
    ],
)
def test_two_spellings_of_the_same_company_normalise_alike(one, other):
    assert normalize_company_name(one) == normalize_company_name(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("新锦源能源科技有限公司", "新锦源材料科技有限公司"),
        ("运城创新投资有限公司", "运城创新控股有限公司"),
        ("甲乙（控股）有限公司", "甲乙有限公司"),
    ],
)
def test_different_companies_stay_apart(one, other):
    assert normalize_company_name(one) != normalize_company_name(other)


def test_a_name_that_is_only_a_legal_form_is_not_emptied():
    assert normalize_company_name("有限公司")
    assert normalize_company_name("集团") == "集团"
    assert normalize_company_name("") == ""
    assert normalize_company_name(None) == ""


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("91110000600037341L", "91110000600037341L"),
        ("91350100M000100Y43", "91350100M000100Y43"),
        ("91350100m000100y43", "91350100M000100Y43"),
        (" 9111 0000 6000 3734 1L ", "91110000600037341L"),
        ("９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),
        ("", ""),
    ],
)
def test_valid_credit_codes_are_stored_in_one_form(typed, stored):
    assert clean_credit_code(typed) == stored


@pytest.mark.parametrize(
    "code",
    ["91110000600037341X", "9111000060003734", "911100006000373411L", "ABCDEFGHIJKLMNOPQR", "91350100M000100Y44"],
)
def test_an_invalid_credit_code_is_refused_with_a_chinese_message_on_the_field(code):
    with pytest.raises(ValidationError) as caught:
        clean_credit_code(code)
    messages = caught.value.message_dict["credit_code"]
    assert "统一社会信用代码" in messages[0] and "无效" in messages[0]
