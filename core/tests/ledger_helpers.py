"""Test helpers for the ledger mechanism: workbooks built in the test, and a toy ledger of units.

The toy ledger ("测试单位台账") imports organizations.Unit rows under the chosen unit, so
the mechanism is tested against a real model without waiting for a domain app.
"""

import datetime
import io
import json
import zipfile
from decimal import Decimal

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from openpyxl import load_workbook

from core.ledgers import Column, Ledger, RowError, amount, date, text
from organizations.choices import UnitKind
from organizations.models import Unit, code_validator


def make_xlsx(rows, *, merges=(), formulas=(), date_cells=(), constant_memory=False):
    """An .xlsx whose first sheet holds `rows` (lists of values) from A1.

    `merges` are (first_row, first_col, last_row, last_col) 0-based ranges merged after the
    values are written (the top-left keeps its value, the rest are blank as in Excel);
    `formulas` are (row, col, formula); `date_cells` are (row, col, date) written as dates.
    """
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"constant_memory": constant_memory, "strings_to_formulas": False})
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "yyyy年m月d日"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, (datetime.date, datetime.datetime)):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                sheet.write_number(r, c, float(value))
            else:
                sheet.write_string(r, c, str(value))
    for r, c, value in date_cells:
        sheet.write_datetime(r, c, value, date_format)
    for r, c, formula in formulas:
        sheet.write_formula(r, c, formula)
    for first_row, first_col, last_row, last_col in merges:
        # As in Excel, a merged range keeps the top-left value; the other cells are blank.
        value = rows[first_row][first_col] if first_row < len(rows) and first_col < len(rows[first_row]) else None
        is_date = isinstance(value, (datetime.date, datetime.datetime))
        sheet.merge_range(first_row, first_col, last_row, last_col, value, date_format if is_date else None)
    workbook.close()
    out.seek(0)
    return out


def zeros_zip(megabytes, name="xl/worksheets/sheet1.xml"):
    """A zip holding `megabytes` MB of zeros, deflated to almost nothing: the classic bomb."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(name, "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(megabytes):
                member.write(chunk)
    out.seek(0)
    return out


def rewrite_member(data, name, change):
    """A copy of the zip `data` (bytes or file) with member `name` passed through `change(bytes) -> bytes`."""
    source = zipfile.ZipFile(io.BytesIO(data if isinstance(data, bytes) else data.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == name:
                content = change(content)
            target.writestr(info.filename, content)
    out.seek(0)
    return out


def read_xlsx(data):
    """All rows of the first sheet of an .xlsx (bytes or file), as openpyxl cells, for checking output."""
    if isinstance(data, bytes):
        data = io.BytesIO(data)
    data.seek(0)
    workbook = load_workbook(data)
    return workbook.worksheets[0]


HEADERS = ["单位编码", "单位名称", "驻点城市", "成立日期", "投资额(万元)"]


class UnitLedger(Ledger):
    """Units under the chosen unit: code is the natural key; founding date and amount kept in `focus`."""

    name = "test_units"
    title = "测试单位台账"
    min_header_matches = 3
    key_columns = ("code",)
    export_filters = ("city",)
    columns = [
        Column("code", "单位编码", aliases=("编码",), parse=text(32), required=True),
        Column("name", "单位名称", parse=text(100), required=True),
        Column("base_city", "驻点城市", parse=text(50)),
        Column(
            "founded",
            "成立日期",
            parse=date,
            export=lambda unit: (
                UnitLedger.extra(unit).get("founded") and datetime.date.fromisoformat(UnitLedger.extra(unit)["founded"])
            ),
        ),
        Column(
            "budget",
            "投资额(万元)",
            aliases=("投资额(亿元)",),
            parse=amount,
            export=lambda unit: UnitLedger.extra(unit).get("budget") and Decimal(UnitLedger.extra(unit)["budget"]),
        ),
    ]

    def __init__(self):
        self.saved_batches = []
        self.prepared = 0

    @staticmethod
    def extra(unit):
        return json.loads(unit.focus) if unit.focus.startswith("{") else {}

    def prepare(self, context):
        self.prepared += 1

    def validate_row(self, values, context):
        try:
            code_validator(values["code"])
        except ValidationError:
            raise RowError("编码只能由字母、数字、下划线和连字符组成", column="code")
        if values["name"] == "非法名称":
            raise ValidationError({"name": "名称不能叫“非法名称”"})
        if values["founded"] and values["founded"] > datetime.date(2030, 1, 1):
            raise ValidationError("成立日期不能晚于 2030 年")
        return values

    def existing_keys(self, keys, context):
        return set(Unit.objects.filter(code__in=keys).values_list("code", flat=True))

    def save_rows(self, cleaned_rows, context):
        parent = context.org
        units = [
            Unit(
                code=row["code"],
                name=row["name"],
                kind=UnitKind.SQUAD,
                parent=parent,
                base_city=row["base_city"],
                focus=json.dumps(
                    {
                        "founded": row["founded"].isoformat() if row["founded"] else None,
                        "budget": str(row["budget"]) if row["budget"] is not None else None,
                    }
                ),
            )
            for row in cleaned_rows
        ]
        Unit.objects.bulk_create(units)
        # The tree path needs the new ids: one UPDATE for the batch.
        Unit.objects.filter(pk__in=[unit.pk for unit in units]).update(
            path=Concat(Value(parent.path), Cast("id", CharField()), Value("/")), depth=parent.depth + 1
        )
        self.saved_batches.append(len(units))

    def export_queryset(self, org, user, city=None):
        units = Unit.objects.filter(parent=org) if user is None else Unit.objects.visible_to(user).filter(parent=org)
        if city:
            units = units.filter(base_city=city)
        return units.order_by("code")


def unit_rows(count, start=1, prefix="T"):
    """`count` good rows for the toy ledger."""
    return [
        [f"{prefix}{i:05d}", f"测试单位{i}", "北京", f"2023年{(i % 12) + 1}月{(i % 28) + 1}日", i * 10]
        for i in range(start, start + count)
    ]
