"""The list of bulletins: each with its month, version, state and progress (a bar while it is generated)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .choices import Status
from .models import Bulletin

STATUS_BADGES = {
    Status.QUEUED: "text-bg-secondary",
    Status.RUNNING: "text-bg-info",
    Status.DONE: "text-bg-success",
    Status.FAILED: "text-bg-danger",
}


def status_badge(bulletin):
    return format_html(
        '<span class="badge {}" data-testid="status">{}</span>',
        STATUS_BADGES.get(bulletin.status, "text-bg-light"),
        bulletin.get_status_display(),
    )


class BulletinTable(tables.Table):
    title = tables.Column(verbose_name=_("标题"), order_by=("year", "month", "version"))
    period = tables.Column(verbose_name=_("月份"), empty_values=(), order_by=("year", "month"))
    number = tables.Column(verbose_name=_("文号"), default="—")
    status = tables.Column(verbose_name=_("状态"))
    progress = tables.Column(verbose_name=_("进度"), orderable=False)
    issued_on = tables.Column(verbose_name=_("成文日期"))
    published_at = tables.Column(verbose_name=_("印发"), empty_values=())
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = Bulletin
        fields = ("title", "period", "number", "status", "progress", "issued_on", "published_at", "actions")
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "bulletin-table"}
        empty_text = _("还没有通报。")

    def render_title(self, record):
        return format_html('<a href="{}" data-testid="bulletin-link">{}</a>', record.get_absolute_url(), record)

    def render_period(self, record):
        return record.period_label

    def render_status(self, record):
        return status_badge(record)

    def render_progress(self, record):
        return format_html(
            '<progress class="w-100" max="100" value="{}" aria-label="{}"></progress>'
            '<div class="small text-body-secondary">{}%</div>',
            record.progress,
            _("生成进度"),
            record.progress,
        )

    def render_issued_on(self, value):
        return f"{value.year}年{value.month}月{value.day}日"

    def render_published_at(self, record):
        if record.published_at is None:
            return format_html('<span class="text-muted">{}</span>', _("未印发"))
        return timezone.localtime(record.published_at).strftime("%Y-%m-%d %H:%M")

    def render_actions(self, record):
        if record.status != Status.DONE:
            return ""
        return format_html(
            '<a class="btn btn-sm btn-outline-primary" href="{}" data-testid="download-link">'
            '<i class="bi bi-file-earmark-word"></i> {}</a>',
            reverse("bulletins:bulletin_download", args=[record.pk]),
            _("下载"),
        )
