"""The dashboard's one write: its Excel export, audited (quality.md: exports are in the audit log)."""

import io
from decimal import Decimal

import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction

from .selectors import units_for
from .tables import dashboard_tables

SHEET_NAME_MAX = 31


@transaction.atomic
def export_dashboard(*, actor, unit, figures):
    """Every table of the dashboard of `unit` (as `figures` holds it) as one .xlsx, a sheet per table; returns bytes.

    Strings are never formulas: a name starting with = + - @ stays text (core.ledgers writes the same way).
    """
    if unit.pk not in {u.pk for u in units_for(actor)}:
        raise PermissionDenied(_("您无权导出该单位的驾驶舱数据。"))
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        out,
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True},
    )
    bold = workbook.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter"})
    title = workbook.add_format({"bold": True, "font_size": 13})
    amount = workbook.add_format({"num_format": "0.00"})
    period = _("%(unit)s · %(start)s 至 %(end)s · 数据更新于 %(at)s") % {
        "unit": unit.name,
        "start": figures["start"],
        "end": figures["end"],
        "at": figures.get("computed_at", "")[:16].replace("T", " "),
    }
    for table in dashboard_tables(figures):
        sheet = workbook.add_worksheet(table.title[:SHEET_NAME_MAX])
        sheet.write_string(0, 0, table.title, title)
        sheet.write_string(1, 0, period)
        widths = [len(h) * 2 + 2 for h in table.headers]
        for col, header in enumerate(table.headers):
            sheet.write_string(3, col, header, bold)
        for r, row in enumerate(table.rows, start=4):
            for col, c in enumerate(row):
                value = c["value"]
                if value is None:
                    continue
                if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
                    sheet.write_string(r, col, c["text"])
                    widths[col] = max(widths[col], len(c["text"]) * 2 + 2)
                elif isinstance(value, Decimal):
                    sheet.write_number(r, col, float(value), amount)
                else:
                    sheet.write_number(r, col, value)
        if table.note:
            sheet.write_string(len(table.rows) + 5, 0, table.note)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, min(max(width, 8), 40))
    workbook.close()
    audit.record(
        action=AuditAction.EXPORT,
        actor=actor,
        object_type="dashboards.dashboard",
        object_id=str(unit.pk),
        object_repr=unit.name,
        message=_("导出驾驶舱：%(unit)s，%(start)s 至 %(end)s")
        % {
            "unit": unit.name,
            "start": figures["start"],
            "end": figures["end"],
        },
    )
    return out.getvalue()
