"""The dashboard's pages, print view, Excel export and API: who gets what, what they show, bad input."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from core.testing import Case, api_client_for, login_as, run_matrix, statuses

from .builders import PERIOD

pytestmark = pytest.mark.django_db

START, END = (d.isoformat() for d in PERIOD)


def url(name, **params):
    from django.utils.http import urlencode

    return f"{reverse(name)}?{urlencode(params)}"


def test_everyone_with_a_role_opens_a_dashboard_and_a_foreign_unit_is_a_404_without_its_name(org, world):
    city = {"unit": org.city.pk, "start": START, "end": END}
    # A county sees itself only; another city's county never sees 运城's names.
    own_city = statuses(200, county=404, outsider=404)
    hidden = {"outsider": ["运城", "北京招商组", "盐湖区", "测试企业"], "county": ["北京招商组", "上海招商组"]}
    cases = [
        Case(url("dashboards:dashboard"), statuses(200), anonymous=302),
        Case(url("dashboards:dashboard", **city), own_city, hidden=hidden, anonymous=302),
        Case(url("dashboards:print", **city), own_city, hidden=hidden, anonymous=302),
        Case(url("dashboards:export", **city), own_city, hidden=hidden, anonymous=302),
        Case(url("dashboards_api:dashboard"), statuses(200), api=True, anonymous=401),
        Case(url("dashboards_api:dashboard", **city), own_city, hidden=hidden, api=True, anonymous=401),
        Case(url("dashboards:dashboard", unit=org.other_city.pk), statuses(404), hidden={"outsider": []}),
        Case(url("dashboards:dashboard", unit="x"), statuses(404)),
    ]
    run_matrix(org, cases)


def test_a_county_gets_its_own_dashboard_and_may_not_pick_the_city(org, world):
    client = login_as(Client(), org["county"])
    response = client.get(url("dashboards:dashboard", start=START, end=END))
    assert response.context["unit"] == org.county
    assert [u.pk for u in response.context["units"]] == [org.county.pk]
    body = response.content.decode()
    assert "盐湖区领导驾驶舱" in body and "运城市领导驾驶舱" not in body


def test_the_office_picks_the_city_or_any_county_and_zone(org, world):
    response = login_as(Client(), org["office"]).get(url("dashboards:dashboard"))
    names = [u.name for u in response.context["units"]]
    assert names[0] == org.city.name
    assert {org.county.name, org.other_county.name, org.zone.name} <= set(names)
    assert org.other_city.name not in names and org.team.name not in names


def test_the_page_links_every_number_and_says_when_it_was_computed(org, world):
    response = login_as(Client(), org["office"]).get(url("dashboards:dashboard", start=START, end=END))
    body = response.content.decode()
    assert response.status_code == 200
    assert "数据更新于" in body
    figures = response.context["figures"]
    for f in figures["funnel"] + figures["money"] + figures["problems"]:
        assert f'href="{f["url"].replace("&", "&amp;")}"' in body, f["key"]
    for table in response.context["tables"].values():
        for row in table.rows:
            for cell in row:
                if cell["url"]:
                    assert cell["url"].replace("&", "&amp;") in body
    # The charts' data in json_script blocks, read by static/js/dashboard.js; no inline script.
    assert 'id="dash-chart-data-teams"' in body and "js/dashboard.js" in body
    assert "<script>" not in body and "style=" not in body
    assert "领导驾驶舱" in body


def test_the_menu_offers_the_dashboard_to_leaders_the_office_and_counties(org):
    def nav(persona):
        return login_as(Client(), org[persona]).get(reverse("core:home")).content.decode()

    link = reverse("dashboards:dashboard")
    for persona in ("leader", "office", "county"):
        assert f'href="{link}"' in nav(persona), persona
    for persona in ("team_member", "department"):
        assert f'href="{link}"' not in nav(persona), persona


def test_the_print_view_has_no_menu_and_no_form(org, world):
    response = login_as(Client(), org["office"]).get(url("dashboards:print", start=START, end=END))
    body = response.content.decode()
    assert response.status_code == 200
    assert "dashboards/print.css" in body
    assert 'data-testid="dashboard-form"' not in body
    assert f'href="{reverse("outreach:visit_list")}' not in body  # neither the menu nor links on paper
    assert "dropdown-menu" not in body
    assert "数据更新于" in body


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "2024-13-01"}, "start", "开始日期：输入一个有效的日期。"),
        ({"start": "2024-05-01", "end": "2024-01-01"}, "end", "结束日期：结束日期不能早于开始日期。"),
        ({"start": "2000-01-01", "end": "2024-01-01"}, "end", "结束日期：统计期间不能超过十年。"),
    ],
)
def test_a_bad_period_gets_a_chinese_message_and_nothing_is_written(org, world, params, field, message):
    page = login_as(Client(), org["office"])
    api_client = api_client_for(org["office"])
    audited = AuditEvent.objects.count()
    response = page.get(url("dashboards:dashboard", **params))
    assert response.status_code == 200 and message in response.content.decode()
    assert "figures" not in response.context
    export = page.get(url("dashboards:export", **params))
    assert export.status_code == 400 and message in export.content.decode()
    api = api_client.get(url("dashboards_api:dashboard", **params))
    assert api.status_code == 400 and message.split("：", 1)[1] in api.json()[field]
    assert AuditEvent.objects.count() == audited


def test_the_export_opens_with_openpyxl_and_holds_the_pages_tables(org, world):
    client = login_as(Client(), org["office"])
    page = client.get(url("dashboards:dashboard", start=START, end=END))
    response = client.get(page.context["export_url"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    tables = page.context["tables"]
    assert book.sheetnames == [t.title[:31] for t in tables.values()]
    for table in tables.values():
        rows = list(book[table.title[:31]].iter_rows(values_only=True))
        assert rows[0][0] == table.title
        assert list(rows[3][: len(table.headers)]) == table.headers
        body = [list(r[: len(table.headers)]) for r in rows[4 : 4 + len(table.rows)]]
        for found, row in zip(body, table.rows, strict=True):
            expected = [c["value"] if c["num"] else (c["text"] if c["value"] is not None else None) for c in row]
            assert [Decimal(str(v)) if isinstance(v, float) else v for v in found] == expected, table.key
    exported = AuditEvent.objects.filter(action="export", object_type="dashboards.dashboard").get()
    assert exported.actor_id == org["office"].pk and "运城市" in exported.message


def test_the_api_gives_each_figure_with_its_filters_and_both_urls(org, world):
    response = api_client_for(org["leader"]).get(url("dashboards_api:dashboard", start=START, end=END))
    assert response.status_code == 200
    data = response.json()
    assert data["unit"]["name"] == org.city.name and (data["start"], data["end"]) == (START, END)
    assert data["computed_at"] and {u["name"] for u in data["units"]} >= {org.city.name, org.county.name}
    visited = data["funnel"][0]
    assert visited["filters"] == {"city": org.city.pk, "date_from": START, "date_to": END, "each_company": "true"}
    assert visited["url"].startswith(reverse("outreach:visit_list") + "?")
    assert visited["api_url"].startswith(reverse("outreach_api:visit-list") + "?")
    for part in ("money", "problems", "cycles"):
        for f in data[part]:
            assert f["url"] and f["api_url"] and "filters" in f


def test_without_a_period_it_shows_this_year_or_else_the_latest_year_with_records(org, world):
    from django.utils import timezone

    from .builders import company, visit

    client = api_client_for(org["leader"])
    asked = client.get(url("dashboards_api:dashboard", start=START, end=END)).json()
    default = client.get(url("dashboards_api:dashboard")).json()
    # The world's records are all in 2024: an empty current year would be a page of zeros.
    assert (default["start"], default["end"]) == (START, END)
    assert default["funnel"][0]["value"] == asked["funnel"][0]["value"] > 0
    page = login_as(Client(), org["leader"]).get(reverse("dashboards:dashboard"))
    assert page.context["start"].isoformat() == START

    today = timezone.localdate()
    visit(org.team, today, company(org, "今年走访的企业", "浙江省"))
    this_year = client.get(url("dashboards_api:dashboard")).json()
    assert this_year["start"] == f"{today.year}-01-01"
    assert this_year["funnel"][0]["value"] == 1
