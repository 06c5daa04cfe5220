"""Tables for the lead lists (django-tables2): the columns of 《收集线索台账》 and where each lead stands.

Every value a row shows comes from the row itself or from what the view's queryset
select_related (units, investor, chain, pool) or annotated (`is_effective`), so a page of
25 costs the same queries as a page of 1. Why a lead is not effective is worked out from
the row and its city's rule, already in memory.
"""

from decimal import Decimal

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.columns import DateColumn, DateTimeColumn
from outreach.tables import company_link

from . import rules, selectors
from .choices import LeadStatus
from .models import Lead

DATE_FORMAT = "Y-m-d"
TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
STATUS_BADGES = {
    LeadStatus.REPORTED: "text-bg-warning",
    LeadStatus.RETURNED: "text-bg-danger",
    LeadStatus.DISPATCHED: "text-bg-info",
    LeadStatus.ACCEPTED: "text-bg-primary",
    LeadStatus.REJECTED: "text-bg-secondary",
    LeadStatus.CLOSED: "text-bg-dark",
}


def wan(value):
    """An amount in 万元 as people write it: no trailing zeros, thousands separated."""
    if value is None:
        return ""
    value = Decimal(value).normalize()
    if value == value.to_integral():
        return f"{int(value):,}"
    return f"{value:,f}"


def is_overdue(lead, today=None):
    """The office owes an answer on the lead and is late (the queue annotates the same in SQL)."""
    flagged = getattr(lead, "overdue", None)
    if flagged is not None:
        return bool(flagged)
    today = today or timezone.localdate()
    if lead.status not in selectors.PENDING_STATUSES:
        return False
    return any(due is not None and due < today for due in (lead.assess_due, lead.feedback_due))


def status_badge(lead):
    css = STATUS_BADGES.get(lead.status, "text-bg-light")
    return format_html('<span class="badge {}">{}</span>', css, lead.get_status_display())


def effective_badge(lead, reasons):
    if not reasons:
        return format_html('<span class="badge text-bg-success">{}</span>', _("实效"))
    return format_html('<span class="badge text-bg-light border" title="{}">{}</span>', "；".join(reasons), _("非实效"))


class LeadTable(tables.Table):
    collected_date = DateColumn(format=DATE_FORMAT, verbose_name=_("收集日期"))
    name = tables.Column(verbose_name=_("线索名称"), linkify=True)
    investor = tables.Column(verbose_name=_("投资方"), accessor="investor__name", default="—")
    estimated_amount = tables.Column(verbose_name=_("拟投资额（万元）"), default="—")
    chain = tables.Column(verbose_name=_("所属产业链"), accessor="chain__name", default="—")
    reporting_unit = tables.Column(
        verbose_name=_("报送单位"), accessor="reporting_unit__name", order_by=("reporting_unit__path",)
    )
    grade = tables.Column(verbose_name=_("线索等级"), default="—")
    receiving_unit = tables.Column(
        verbose_name=_("推送单位"), accessor="receiving_unit__name", order_by=("receiving_unit__path",), default="—"
    )
    status = tables.Column(verbose_name=_("状态"))
    pool = tables.Column(verbose_name=_("所在库"), accessor="pool__name", order_by=("pool__sort_order",))
    is_effective = tables.Column(verbose_name=_("实效线索"), empty_values=())

    class Meta:
        model = Lead
        fields = (
            "collected_date",
            "name",
            "investor",
            "estimated_amount",
            "chain",
            "reporting_unit",
            "grade",
            "receiving_unit",
            "status",
            "pool",
            "is_effective",
        )
        attrs = {**TABLE_ATTRS, "data-testid": "lead-table"}
        empty_text = _("没有符合条件的线索。")

    def __init__(self, *args, settings_by_owner=None, **kwargs):
        self.settings_by_owner = settings_by_owner or {}
        self.today = timezone.localdate()
        super().__init__(*args, **kwargs)

    def reasons(self, lead):
        return rules.effective_reasons(lead, self.settings_by_owner.get(lead.owner_id))

    def render_investor(self, record):
        return company_link(record.investor)

    def render_estimated_amount(self, value):
        return wan(value) or "—"

    def render_status(self, record):
        if is_overdue(record, self.today):
            return format_html(
                '{} <span class="badge text-bg-danger" data-testid="overdue">{}</span>', status_badge(record), _("逾期")
            )
        return status_badge(record)

    def render_is_effective(self, record):
        return effective_badge(record, self.reasons(record))


class QueueTable(LeadTable):
    """The office's assessment queue: the deadline first, and why a lead is or is not effective."""

    assess_due = DateColumn(format=DATE_FORMAT, verbose_name=_("研判截止"), default="—")
    feedback_due = DateColumn(format=DATE_FORMAT, verbose_name=_("反馈截止"), default="—")
    is_effective = tables.Column(verbose_name=_("实效线索"), empty_values=(), orderable=False)

    class Meta(LeadTable.Meta):
        sequence = (
            "assess_due",
            "feedback_due",
            "collected_date",
            "name",
            "investor",
            "estimated_amount",
            "chain",
            "reporting_unit",
            "status",
            "is_effective",
            "...",
        )
        exclude = ("grade", "receiving_unit", "pool")

    def render_is_effective(self, record):
        reasons = self.reasons(record)
        if not reasons:
            return effective_badge(record, reasons)
        items = format_html_join("", "<li>{}</li>", ((r,) for r in reasons))
        return format_html(
            '{}<ul class="small text-muted mb-0 ps-3" data-testid="effective-reasons">{}</ul>',
            effective_badge(record, reasons),
            items,
        )


class IncomingTable(LeadTable):
    """A county's incoming leads: when pushed, graded how, with what opinion."""

    dispatched_at = DateTimeColumn(format="Y-m-d H:i", verbose_name=_("推送时间"))
    opinion = tables.Column(verbose_name=_("研判意见"), default="—", orderable=False)

    class Meta(LeadTable.Meta):
        sequence = (
            "dispatched_at",
            "collected_date",
            "name",
            "investor",
            "estimated_amount",
            "chain",
            "grade",
            "opinion",
            "reporting_unit",
            "is_effective",
            "...",
        )
        exclude = ("receiving_unit", "pool", "status")

    def render_opinion(self, value):
        text = str(value or "")
        return text if len(text) <= 40 else f"{text[:40]}…"
