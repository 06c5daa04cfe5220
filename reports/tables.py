"""What the report pages list: the reports in scope, and the office's 未报清单."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .choices import MissingStatus, ReportStatus
from .models import TeamReport
from .periods import period_label

TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
STATUS_BADGES = {
    ReportStatus.DRAFT: "text-bg-secondary",
    ReportStatus.SUBMITTED: "text-bg-primary",
    ReportStatus.READ: "text-bg-success",
}
MISSING_BADGES = {
    MissingStatus.NONE: "text-bg-danger",
    MissingStatus.DRAFT: "text-bg-warning",
    MissingStatus.LATE: "text-bg-secondary",
}


def status_badge(report):
    return format_html(
        '<span class="badge {}" data-testid="report-status">{}</span>',
        STATUS_BADGES.get(report.status, "text-bg-light"),
        report.get_status_display(),
    )


def when(value):
    return f"{value:%Y-%m-%d %H:%M}" if value else "—"


class TeamReportTable(tables.Table):
    title = tables.Column(verbose_name=_("标题"), linkify=False)
    unit = tables.Column(verbose_name=_("报送单位"), accessor="unit__name", order_by=("unit__path",))
    kind = tables.Column(verbose_name=_("类型"))
    period = tables.Column(verbose_name=_("期间"), empty_values=(), order_by=("start", "end"))
    status = tables.Column(verbose_name=_("状态"))
    submitted_at = tables.Column(verbose_name=_("提交时间"), empty_values=())
    read_at = tables.Column(verbose_name=_("阅示时间"), empty_values=())

    class Meta:
        model = TeamReport
        fields = ("title", "unit", "kind", "period", "status", "submitted_at", "read_at")
        attrs = {**TABLE_ATTRS, "data-testid": "report-table"}
        empty_text = _("没有符合条件的工作报告。")

    def render_title(self, value, record):
        return format_html('<a href="{}" data-testid="report-link">{}</a>', record.get_absolute_url(), value)

    def render_kind(self, record):
        return record.get_kind_display()

    def render_period(self, record):
        return period_label(record.kind, record.start, record.end)

    def render_status(self, record):
        return status_badge(record)

    def render_submitted_at(self, record):
        return when(record.submitted_at)

    def render_read_at(self, record):
        return when(record.read_at)


class MissingTable(tables.Table):
    """The office's 未报清单: rows of selectors.PeriodState, already in their order."""

    unit = tables.Column(verbose_name=_("驻点招商组"), accessor="unit__name")
    kind = tables.Column(verbose_name=_("类型"), accessor="kind_label")
    period = tables.Column(verbose_name=_("期间"), accessor="period_label")
    due = tables.Column(verbose_name=_("报送截止"))
    state = tables.Column(verbose_name=_("情况"))
    report = tables.Column(verbose_name=_("报告"), empty_values=())

    class Meta:
        orderable = False
        attrs = {**TABLE_ATTRS, "data-testid": "missing-table"}
        empty_text = _("该期间各驻点招商组均已按时报送。")

    def render_due(self, value):
        return f"{value:%Y-%m-%d}"

    def render_state(self, record):
        return format_html(
            '<span class="badge {}" data-testid="missing-state">{}</span>',
            MISSING_BADGES.get(record.state, "text-bg-light"),
            record.state_label,
        )

    def render_report(self, record):
        report = record.report
        # A draft is the team's own: the office sees that one exists, not its text.
        if report is None or report.status == ReportStatus.DRAFT:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("reports:report_detail", args=[report.pk]), report.title)
