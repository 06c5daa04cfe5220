"""The audit log as a table: newest first, times in Beijing time."""

from zoneinfo import ZoneInfo

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, AuditResult

# Offices read times as Beijing time, whatever the server's clock is set to.
CHINA_TZ = ZoneInfo("Asia/Shanghai")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def china_time(value):
    return timezone.localtime(value, CHINA_TZ).strftime(TIME_FORMAT) if value else ""


class AuditEventTable(tables.Table):
    id = tables.Column(verbose_name="#")
    created_at = tables.Column(verbose_name=_("时间（北京时间）"))
    actor_name = tables.Column(verbose_name=_("操作人"))
    ip = tables.Column(verbose_name=_("IP 地址"))
    action = tables.Column(verbose_name=_("操作"))
    object_repr = tables.Column(verbose_name=_("对象"), empty_values=())
    result = tables.Column(verbose_name=_("结果"))

    class Meta:
        model = AuditEvent
        fields = ("id", "created_at", "actor_name", "ip", "action", "object_repr", "result")
        # Sorting a log of millions by an arbitrary column is not something to offer;
        # the order is the chain's, newest first.
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("没有符合条件的审计记录。")

    def render_id(self, value, record):
        return format_html('<a href="{}">#{}</a>', reverse("core:audit_detail", args=[record.pk]), value)

    def render_created_at(self, value):
        return china_time(value)

    def render_action(self, value, record):
        return record.get_action_display()

    def render_object_repr(self, value, record):
        if not (record.object_repr or record.object_type or record.object_id):
            return "—"
        return format_html(
            '{} <span class="text-muted small">{} #{}</span>', record.object_repr, record.object_type, record.object_id
        )

    def render_result(self, value, record):
        css = "text-bg-success" if record.result == AuditResult.SUCCESS else "text-bg-danger"
        return format_html('<span class="badge {}">{}</span>', css, record.get_result_display())
