"""A period's ranking as an Excel workbook, written the way core.ledgers writes its exports (xlsxwriter, every text
a text cell, never a formula) and audited like them.

Layout: the title ("<方案> <期间> 考核排名") merged across row 1, a line saying whether the results are locked,
two header rows (名次 / 单位 / 总分, then per indicator 完成 · 目标 · 完成比例 · 得分), then one row per unit.
When a locked period's records changed since, the published figures are written and a last column says what
the records give today.
"""

from django.utils.translation import gettext as _

from core import audit
from core.ledgers import _CellWriter, _new_workbook, _write_headers
from core.models import AuditAction
from targets.choices import AMOUNT_INDICATORS

from .tables import china_time, item_label, period_label


def export_results(*, actor, results, items, out):
    """Write `results` (assessment.selectors.results) as .xlsx to `out`; returns the number of units written."""
    scheme = results.scheme
    period = period_label(scheme, results.start, results.end)
    title = _("%(scheme)s %(period)s 考核排名") % {"scheme": scheme.name, "period": period}
    per_item = [_("完成"), _("目标"), _("完成比例（%）"), _("得分")]
    headers = [_("名次"), _("单位"), _("总分")]
    for item in items:
        headers += [f"{item_label(item.indicator)}·{h}" for h in per_item]
    changed = results.changed_after_lock
    if changed:
        headers += [_("锁定后记录变动")]

    workbook = _new_workbook(out)
    sheet = workbook.add_worksheet(_("考核排名"))
    cells = _CellWriter(workbook, sheet, len(headers))
    title_format = workbook.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    sheet.set_row(0, 30)
    sheet.merge_range(0, 0, 0, len(headers) - 1, title, title_format)
    lock = results.lock
    if lock is not None:
        status = _("已锁定（%(who)s于%(when)s）") % {
            "who": lock.locked_by.name or lock.locked_by.username,
            "when": china_time(lock.locked_at),
        }
    else:
        status = _("未锁定：按当前台账记录计算，记录变动时随之变化。")
    sheet.write_string(1, 0, status)
    _write_headers(workbook, sheet, 2, headers, cells)
    sheet.freeze_panes(3, 3)
    row = 3
    for score in results.scores:
        cells.write(row, 0, score.rank)
        cells.write(row, 1, score.unit.name)
        cells.write(row, 2, score.total)
        col = 3
        notes = []
        for item in score.items:
            scale = 10000 if item.indicator in AMOUNT_INDICATORS else 1  # amounts in 亿元, as on the page
            cells.write(row, col, item.reached / scale)
            cells.write(row, col + 1, None if item.target is None else item.target / scale)
            cells.write(row, col + 2, item.share)
            cells.write(row, col + 3, item.points)
            col += 4
            if item.changed_after_lock:
                notes.append(_("%(i)s现为 %(v)s") % {"i": item_label(item.indicator), "v": item.live_reached / scale})
        if changed and notes:
            notes.append(_("按当前记录总分 %(t)s、名次 %(r)s") % {"t": score.live_total, "r": score.live_rank})
            cells.write(row, col, "；".join(notes))
        row += 1
    cells.set_widths()
    workbook.close()
    audit.record(
        action=AuditAction.EXPORT,
        actor=actor,
        obj=scheme,
        after={"start": str(results.start), "end": str(results.end), "rows": len(results.scores)},
        message=_("导出%(title)s：共 %(count)d 个单位") % {"title": title, "count": len(results.scores)},
    )
    return len(results.scores)
