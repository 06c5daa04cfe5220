"""The tables of the reminder pages: a person's notifications, and a city's channels with their last attempt."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import china_time

from .choices import kind_label
from .models import Channel, Notification

TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
TIME_FORMAT = "%Y-%m-%d %H:%M"


def severity_badge(severity, label):
    css = "text-bg-danger" if severity == "danger" else "text-bg-warning"
    return format_html('<span class="badge {}" data-testid="severity">{}</span>', css, label)


class NotificationTable(tables.Table):
    created_at = tables.Column(verbose_name=_("时间"))
    severity = tables.Column(verbose_name=_("程度"))
    kind = tables.Column(verbose_name=_("类型"))
    title = tables.Column(verbose_name=_("提醒"))
    read_at = tables.Column(verbose_name=_("状态"), empty_values=())
    actions = tables.TemplateColumn(
        template_name="reminders/_notification_actions.html", verbose_name="", orderable=False
    )

    class Meta:
        model = Notification
        fields = ("created_at", "severity", "kind", "title", "read_at", "actions")
        orderable = False
        attrs = {**TABLE_ATTRS, "data-testid": "notification-table"}
        empty_text = _("没有提醒。")

    def render_created_at(self, value):
        return china_time(value)[:16]

    def render_severity(self, value, record):
        return severity_badge(value, record.get_severity_display())

    def render_kind(self, value):
        return kind_label(value)

    def render_title(self, value, record):
        detail = format_html(' <span class="text-muted small">{}</span>', record.detail) if record.detail else ""
        if record.url:
            return format_html('<a href="{}">{}</a>{}', record.url, value, detail)
        return format_html("{}{}", value, detail)

    def render_read_at(self, value, record):
        if record.read_at is None:
            return format_html('<span class="badge text-bg-primary" data-testid="unread">{}</span>', _("未读"))
        return format_html('<span class="text-muted small">{} {}</span>', _("已读"), china_time(record.read_at)[:16])


class ChannelTable(tables.Table):
    name = tables.Column(verbose_name=_("名称"))
    owner = tables.Column(verbose_name=_("所属城市"), accessor="owner__name")
    kind = tables.Column(verbose_name=_("渠道类型"))
    webhook_url = tables.Column(verbose_name=_("地址"), empty_values=())
    kinds = tables.Column(verbose_name=_("发送的提醒类型"), empty_values=())
    active = tables.Column(verbose_name=_("状态"))
    last_sent_at = tables.Column(verbose_name=_("最近发送"), empty_values=())
    actions = tables.TemplateColumn(template_name="reminders/_channel_actions.html", verbose_name="", orderable=False)

    class Meta:
        model = Channel
        fields = ("name", "owner", "kind", "webhook_url", "kinds", "active", "last_sent_at", "actions")
        orderable = False
        attrs = {**TABLE_ATTRS, "data-testid": "channel-table"}
        empty_text = _("尚未设置提醒渠道：提醒只在系统内显示。")

    def render_kind(self, value, record):
        return record.get_kind_display()

    def render_webhook_url(self, value, record):
        if not record.webhook_url:
            return _("发送至本市人员的电子邮箱")
        secret = format_html(' <span class="badge text-bg-light">{}</span>', _("加签")) if record.secret else ""
        return format_html('<code class="small">{}</code>{}', record.masked_url, secret)

    def render_kinds(self, record):
        return record.kinds_display()

    def render_active(self, value):
        if value:
            return format_html('<span class="badge text-bg-success">{}</span>', _("启用"))
        return format_html('<span class="badge text-bg-secondary">{}</span>', _("已停用"))

    def render_last_sent_at(self, record):
        if record.last_sent_at is None:
            return "—"
        when = china_time(record.last_sent_at)[:16]
        if record.last_error:
            return format_html(
                '{} <span class="badge text-bg-danger">{}</span>'
                '<div class="small text-danger" data-testid="last-error">{}</div>',
                when,
                _("失败"),
                record.last_error,
            )
        return format_html('{} <span class="badge text-bg-success">{}</span>', when, _("成功"))
