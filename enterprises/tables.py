"""The directory list (django-tables2)."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.tables import china_time

from .models import Company
from .selectors import chain_names


class CompanyTable(tables.Table):
    name = tables.Column(verbose_name=_("名称"), linkify=True)
    category = tables.Column(verbose_name=_("企业类别"))
    location = tables.Column(verbose_name=_("所在地"), empty_values=(), orderable=False)
    industry = tables.Column(verbose_name=_("行业"), default="—")
    chains = tables.Column(verbose_name=_("产业链"), empty_values=(), orderable=False)
    # Counted from the visits this viewer may see: the number never reveals other teams' work.
    visit_count = tables.Column(verbose_name=_("走访次数"), orderable=False)
    last_visit = tables.Column(verbose_name=_("最近走访"), orderable=False, default="—")
    created_at = tables.Column(verbose_name=_("录入时间"))

    class Meta:
        model = Company
        fields = ("name", "category", "location", "industry", "chains", "visit_count", "last_visit", "created_at")
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "company-table"}
        empty_text = _("没有符合条件的企业。")

    def render_name(self, value, record):
        if record.credit_code:
            return format_html('{} <span class="text-muted small">{}</span>', value, record.credit_code)
        return value

    def render_category(self, value, record):
        return record.get_category_display()

    def render_location(self, record):
        return record.location or "—"

    def render_chains(self, record):
        names = chain_names(record)
        if not names:
            return "—"
        return format_html_join("", '<span class="badge text-bg-light border me-1">{}</span>', ((n,) for n in names))

    def render_last_visit(self, value):
        return value.strftime("%Y-%m-%d") if value else "—"

    def render_created_at(self, value):
        return china_time(value)[:10]
