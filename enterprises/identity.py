"""How one company is recognised: its 统一社会信用代码, else its normalised name.

Teams write the same company many ways ("新锦源(广东)能源科技有限公司", "新锦源能源科技",
"新锦源能源科技股份公司"); the normalised name strips what varies — legal-form suffixes,
bracketed place names, spaces and full-width forms — so the directory keeps one record.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc

PROVINCES = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 "
    "四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 中国"
).split()
PLACE_SUFFIXES = ("省", "市", "区", "县", "自治区", "特别行政区")
# Longest first, so "股份有限公司" goes before "有限公司" would leave "股份".
LEGAL_SUFFIXES = sorted(
    (
        "股份有限公司",
        "有限责任公司",
        "有限公司",
        "集团股份有限公司",
        "集团有限公司",
        "集团有限责任公司",
        "集团公司",
        "集团",
        "股份公司",
        "股份",
        "公司",
        "总公司",
        "分公司",
        "co.,ltd.",
        "co.,ltd",
        "co.ltd",
        "ltd.",
        "ltd",
        "inc.",
        "inc",
    ),
    key=len,
    reverse=True,
)
BRACKETED = re.compile(r"[(\[【]([^()\[\]【】]{1,12})[)\]】]")
# A partnership's legal form is written in brackets: 某某基金(有限合伙) is 某某基金.
BRACKETED_LEGAL_FORMS = ("有限合伙", "普通合伙", "特殊普通合伙")
# Short bracketed words that belong to the name itself rather than name a place.
NAME_WORDS = ("集团", "控股", "股份", "实业", "科技", "投资", "国际", "中心", "总部")
CJK = re.compile(r"[\u4e00-\u9fff]+")


def _is_place(text):
    text = text.strip()
    if text in PROVINCES:
        return True
    if any(text.endswith(s) for s in PLACE_SUFFIXES) and len(text) <= 8:
        return True
    # The naming rules put the administrative division in brackets after the trade name, usually
    # without 市: 腾讯科技(深圳)有限公司. A bare two- or three-character word there is a city.
    return 2 <= len(text) <= 3 and CJK.fullmatch(text) is not None and text not in NAME_WORDS


def normalize_company_name(name):
    """The form two spellings of the same company share; empty for an empty name."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = re.sub(r"\s+", "", text)
    # Drop bracketed place names: 新锦源(广东)能源科技 → 新锦源能源科技; keep other brackets' text.
    text = BRACKETED.sub(
        lambda m: "" if _is_place(m.group(1)) or m.group(1) in BRACKETED_LEGAL_FORMS else m.group(1), text
    )
    changed = True
    while changed:
        changed = False
        for suffix in LEGAL_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix) + 1:
                text = text[: -len(suffix)]
                changed = True
                break
    return text


def clean_credit_code(code):
    """The 18-character 统一社会信用代码, upper-cased and checked (GB 32100-2015); empty stays empty."""
    code = unicodedata.normalize("NFKC", code or "").strip().upper().replace(" ", "")
    if not code:
        return ""
    try:
        return uscc.validate(code)
    except Exception:  # stdnum raises several ValidationError subclasses; all mean "not a valid code"
        raise ValidationError(
            {"credit_code": _("统一社会信用代码“%(code)s”无效：应为 18 位，且校验位正确。") % {"code": code}}
        )
