"""Tables for the ledger lists (django-tables2): the columns teams know from their Excel ledgers.

Every value a row shows comes from the row itself or from what the view's queryset
select_related / prefetched, so a page of 25 costs the same queries as a page of 1.
"""

import django_tables2 as tables
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.columns import DateColumn

from .models import Inspection, OutboundTrip, PromotionEvent, Stationing, Visit

DATE_FORMAT = "Y-m-d"
TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}


def company_url(company_id):
    """The company's page in the directory ("" if the directory pages are not installed)."""
    try:
        return reverse("enterprises:company_detail", args=[company_id])
    except NoReverseMatch:
        return ""


def company_link(company):
    if company is None:
        return "—"
    url = company_url(company.pk)
    return format_html('<a href="{}">{}</a>', url, company.name) if url else company.name


def short(text, n=30):
    return Truncator(text or "").chars(n) or "—"


class VisitTable(tables.Table):
    visit_date = DateColumn(format=DATE_FORMAT, verbose_name=_("走访日期"), linkify=True)
    unit = tables.Column(verbose_name=_("走访单位"), accessor="unit__name", order_by=("unit__path",))
    company = tables.Column(verbose_name=_("企业名称"), accessor="company__name")
    chain = tables.Column(verbose_name=_("所属产业链"), accessor="chain__name", default="—")
    category = tables.Column(verbose_name=_("企业类别"), accessor="company__category")
    way = tables.Column(verbose_name=_("走访方式"))
    contact_name = tables.Column(verbose_name=_("对接人"), default="—")
    visitor_names = tables.Column(verbose_name=_("走访人员"), default="—", orderable=False)
    content = tables.Column(verbose_name=_("对接内容"), orderable=False)

    class Meta:
        model = Visit
        fields = (
            "visit_date",
            "unit",
            "company",
            "chain",
            "category",
            "way",
            "contact_name",
            "visitor_names",
            "content",
        )
        attrs = {**TABLE_ATTRS, "data-testid": "visit-table"}
        empty_text = _("没有符合条件的走访记录。")

    def render_company(self, record):
        return company_link(record.company)

    def render_category(self, record):
        return record.company.get_category_display()

    def render_way(self, record):
        return record.get_way_display()

    def render_content(self, value):
        return short(value, 40)


class InspectionTable(tables.Table):
    inspection_date = DateColumn(format=DATE_FORMAT, verbose_name=_("考察日期"), linkify=True)
    company = tables.Column(verbose_name=_("企业名称"), accessor="company__name")
    unit = tables.Column(verbose_name=_("邀请单位"), accessor="unit__name", order_by=("unit__path",))
    host_units = tables.Column(verbose_name=_("考察县区/开发区"), empty_values=(), orderable=False)
    delegation = tables.Column(verbose_name=_("考察人员及职务"), orderable=False)
    accompanying_leader = tables.Column(verbose_name=_("陪同领导"), default="—")
    result = tables.Column(verbose_name=_("考察成果"), orderable=False)

    class Meta:
        model = Inspection
        fields = ("inspection_date", "company", "unit", "host_units", "delegation", "accompanying_leader", "result")
        attrs = {**TABLE_ATTRS, "data-testid": "inspection-table"}
        empty_text = _("没有符合条件的考察记录。")

    def render_company(self, record):
        return company_link(record.company)

    def render_host_units(self, record):
        # host_units is prefetched by the view.
        return "、".join(u.name for u in record.host_units.all()) or "—"

    def render_delegation(self, value):
        return short(value)

    def render_result(self, value):
        return short(value)


class EventTable(tables.Table):
    event_date = DateColumn(format=DATE_FORMAT, verbose_name=_("举办日期"))
    title = tables.Column(verbose_name=_("推介会名称"), linkify=True)
    unit = tables.Column(verbose_name=_("主办单位"), accessor="unit__name", order_by=("unit__path",))
    place = tables.Column(verbose_name=_("举办地点"))
    attendee_count = tables.Column(verbose_name=_("参会人数"), default="—")
    projects_signed = tables.Column(verbose_name=_("现场签约项目数"))
    signed_amount = tables.Column(verbose_name=_("签约金额（万元）"))

    class Meta:
        model = PromotionEvent
        fields = ("event_date", "title", "unit", "place", "attendee_count", "projects_signed", "signed_amount")
        attrs = {**TABLE_ATTRS, "data-testid": "event-table"}
        empty_text = _("没有符合条件的推介会。")

    def render_signed_amount(self, value):
        return f"{value.normalize():f}" if value else "0"


class TripTable(tables.Table):
    start_date = DateColumn(format=DATE_FORMAT, verbose_name=_("出发日期"), linkify=True)
    end_date = DateColumn(format=DATE_FORMAT, verbose_name=_("返回日期"))
    days = tables.Column(verbose_name=_("天数"), empty_values=(), orderable=False)
    unit = tables.Column(verbose_name=_("单位"), accessor="unit__name", order_by=("unit__path",))
    leader = tables.Column(verbose_name=_("带队领导"), empty_values=(), order_by=("leader_name",))
    destinations = tables.Column(verbose_name=_("目的地"))
    projects_connected = tables.Column(verbose_name=_("对接项目数"))

    class Meta:
        model = OutboundTrip
        fields = ("start_date", "end_date", "days", "unit", "leader", "destinations", "projects_connected")
        attrs = {**TABLE_ATTRS, "data-testid": "trip-table"}
        empty_text = _("没有符合条件的外出招商记录。")

    def render_days(self, record):
        return record.days

    def render_leader(self, record):
        if record.leader_name:
            return record.leader_name
        return record.leader.name if record.leader_id else "—"


class StationingTable(tables.Table):
    person = tables.Column(verbose_name=_("人员"), accessor="person__name", linkify=False)
    unit = tables.Column(verbose_name=_("单位"), accessor="unit__name", order_by=("unit__path",))
    place = tables.Column(verbose_name=_("驻点地"))
    start_date = DateColumn(format=DATE_FORMAT, verbose_name=_("开始日期"), linkify=True)
    end_date = DateColumn(format=DATE_FORMAT, verbose_name=_("结束日期"))
    days = tables.Column(verbose_name=_("天数"))

    class Meta:
        model = Stationing
        fields = ("person", "unit", "place", "start_date", "end_date", "days")
        attrs = {**TABLE_ATTRS, "data-testid": "stationing-table"}
        empty_text = _("没有符合条件的驻点记录。")

    def render_person(self, record):
        return record.person.name or record.person.username
