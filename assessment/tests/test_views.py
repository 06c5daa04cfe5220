"""The assessment pages as each persona meets them: the permission matrix, the office's scheme form (a formset
whose refusals come from the service), the results page with its month picker, the lock, the Excel export, and
query budgets.

Decided here and held by the matrix: everyone working in 运城 reads its schemes and rankings; only its office
creates, edits, deletes and locks (403 for the others); a scheme of another city is a 404 that never shows its name,
nor the names of the units it ranks.
"""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment import selectors
from assessment.models import PeriodLock, Scheme
from core.models import AuditEvent
from core.testing import Case, login_as, make_person, run_matrix, statuses
from organizations.choices import Role

from .builders import MAY, D, extra_teams, item, scheme, target, visits, written

pytestmark = pytest.mark.django_db

YC_PERSONAS = ("office", "team_leader", "team_member", "county", "department", "leader", "sysadmin", "auditadmin")
OUTSIDE = ("outsider", "lf_office")
ITEMS = [item("visits", 60, cap=120), item("inspections", 40, rule="rank")]


def u(name, *args):
    return reverse(f"assessment:{name}", args=args)


def client_for(org, persona):
    return login_as(Client(), org[persona])


@pytest.fixture
def world(org):
    lf_office = make_person("lf_office", org.other_city, Role.OFFICE_STAFF, "临汾招商中心")
    org.people["lf_office"] = lf_office
    visits(org["team_member"], 3)
    visits(org.other_team_member, 1)
    target(org, org.team, "visits", 10)
    org.scheme = scheme(org, ITEMS, name="运城组考核方案")
    org.elsewhere = scheme(org, ITEMS, name="临汾考核方案", actor=lf_office, owner=org.other_city)
    return org


def test_the_list_shows_each_persona_the_schemes_of_its_city(world):
    yc, lf = ["运城组考核方案"], ["临汾考核方案"]
    case = Case(
        url=u("scheme_list"),
        expect=statuses(200, lf_office=200),
        shown={**dict.fromkeys(YC_PERSONAS, yc), **dict.fromkeys(OUTSIDE, lf)},
        hidden={**dict.fromkeys(YC_PERSONAS, lf), **dict.fromkeys(OUTSIDE, yc)},
        anonymous=302,
    )
    run_matrix(world, [case])


def test_the_permission_matrix_of_the_pages(world):
    pk = world.scheme.pk
    readers = {p: 200 for p in YC_PERSONAS}
    office_only = statuses(403, office=200, outsider=404, lf_office=404)
    never = {p: ["运城组考核方案", "北京招商组"] for p in OUTSIDE}
    month = {"month": "2023-05"}
    cases = [
        Case(url=u("scheme_create"), expect=statuses(403, office=200, lf_office=200), anonymous=302),
        Case(
            url=u("results", pk),
            data=month,
            expect=statuses(404, **readers),
            hidden=never,
            anonymous=302,
            shown={p: ["运城组考核方案", "北京招商组"] for p in YC_PERSONAS},
        ),
        Case(url=u("export", pk), data=month, expect=statuses(404, **readers), hidden=never, anonymous=302),
        Case(url=u("scheme_edit", pk), expect=office_only, hidden=never, anonymous=302),
        Case(url=u("scheme_delete", pk), expect=office_only, hidden=never, anonymous=302),
        Case(
            url=u("lock", pk),
            method="post",
            data={"start": "2023-05-01", "end": "2023-05-31", "note": "五月"},
            expect=statuses(403, office=302, outsider=404, lf_office=404),
            hidden=never,
            anonymous=302,
        ),
        # The other city's scheme, from 运城's side: a 404 that never names it.
        Case(
            url=u("results", world.elsewhere.pk),
            expect=statuses(404, outsider=200, lf_office=200),
            hidden={p: ["临汾考核方案"] for p in YC_PERSONAS},
        ),
        Case(url=u("scheme_edit", world.elsewhere.pk), expect=statuses(404, outsider=403, lf_office=200)),
    ]
    run_matrix(world, cases)
    assert PeriodLock.objects.filter(scheme=world.scheme).count() == 1


def test_a_posted_write_by_anyone_but_the_office_changes_nothing(world):
    pk = world.scheme.pk
    before = written()
    for persona in ("team_leader", "leader", "county", "auditadmin", "outsider", "lf_office"):
        client = client_for(world, persona)
        assert client.post(u("scheme_edit", pk), form_data(name="改名")).status_code in (403, 404)
        assert client.post(u("scheme_delete", pk)).status_code in (403, 404)
    for persona in ("team_leader", "leader", "county", "auditadmin"):
        assert client_for(world, persona).post(u("scheme_create"), form_data()).status_code == 403
    assert written() == before


def form_data(items=(("visits", "60", "share", "120"), ("inspections", "40", "rank", "")), **fields):
    data = {
        "name": "2023年驻点招商组考核",
        "subjects": "teams",
        "start": "2023-01-01",
        "end": "2023-12-31",
        "description": "按月考核",
        "items-TOTAL_FORMS": str(len(items) + 1),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "20",
    }
    for n, (indicator, weight, rule, cap) in enumerate(items):
        data.update({f"items-{n}-indicator": indicator, f"items-{n}-weight": weight, f"items-{n}-rule": rule})
        data[f"items-{n}-cap"] = cap
    # One blank row, as the page offers: ignored.
    data.update({f"items-{len(items)}-rule": "share", f"items-{len(items)}-cap": "100"})
    data.update(fields)
    return data


def test_the_office_creates_edits_and_deletes_a_scheme_on_its_pages(org):
    client = client_for(org, "office")
    page = client.get(u("scheme_create")).content.decode()
    # A new scheme starts from the routine month's indicators, weighted to 100; the running sum shows it.
    assert page.count('data-testid="item-row"') >= 5 and re.search(r'data-testid="weight-sum"[^>]*>100<', page)
    assert "js/assessment-weights.js" in page and "<script>" not in page and 'style="' not in page
    response = client.post(u("scheme_create"), form_data())
    made = Scheme.objects.get()
    assert response.status_code == 302 and response["Location"] == u("results", made.pk)
    assert (made.owner, made.name, made.created_by) == (org.city, "2023年驻点招商组考核", org["office"])
    assert [(i.indicator, i.weight, i.rule, i.cap) for i in made.items.all()] == [
        ("visits", Decimal(60), "share", Decimal(120)),
        ("inspections", Decimal(40), "rank", Decimal(100)),
    ]
    edit = client.get(u("scheme_edit", made.pk)).content.decode()
    assert 'value="60"' in edit and 'value="120"' in edit and "disabled" in edit  # subjects fixed once made
    items = (("visits", "50", "share", "100"), ("events", "50", "rank", "100"))
    assert client.post(u("scheme_edit", made.pk), form_data(items=items, name="改过的方案")).status_code == 302
    made.refresh_from_db()
    assert made.name == "改过的方案" and [i.indicator for i in made.items.all()] == ["visits", "events"]
    assert client.get(u("scheme_delete", made.pk)).status_code == 200
    assert client.post(u("scheme_delete", made.pk)).status_code == 302
    assert not Scheme.objects.exists()


@pytest.mark.parametrize(
    ("items", "fields", "message"),
    [
        ((("visits", "60", "share", "120"), ("inspections", "35", "rank", "")), {}, "各项权重之和须为 100，现为 95。"),
        ((("visits", "70", "share", ""), ("days_stationed", "30", "share", "")), {}, "无效的考核指标"),
        ((("visits", "50", "share", ""), ("visits", "50", "rank", "")), {}, "指标“走访企业”重复。"),
        ((("visits", "110", "share", ""), ("inspections", "-10", "share", "")), {}, "权重须大于 0 且不超过 100"),
        ((("", "100", "share", ""),), {}, "请选择指标。"),
        (
            (("visits", "60", "share", "120"), ("inspections", "40", "rank", "")),
            {"end": "2022-01-01"},
            "结束日期不能早于开始日期",
        ),
        ((("visits", "60", "share", "120"), ("inspections", "40", "rank", "")), {"name": ""}, "该字段是必填项"),
    ],
)
def test_bad_input_on_the_form_is_said_in_chinese_and_nothing_is_written(org, items, fields, message):
    before = written()
    response = client_for(org, "office").post(u("scheme_create"), form_data(items=items, **fields))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert written() == before


def test_the_running_sum_shows_what_was_typed(org):
    items = (("visits", "60", "share", "120"), ("inspections", "35", "rank", ""))
    page = client_for(org, "office").post(u("scheme_create"), form_data(items=items)).content.decode()
    assert re.search(r'data-testid="weight-sum"[^>]*>95<', page)


def test_editing_the_items_of_a_locked_scheme_is_refused(world):
    client = client_for(world, "office")
    client.post(u("lock", world.scheme.pk), {"start": "2023-05-01", "end": "2023-05-31"})
    assert "已有锁定的考核结果" in client.get(u("scheme_edit", world.scheme.pk)).content.decode()
    before = written()
    items = (("visits", "50", "share", "120"), ("inspections", "50", "rank", ""))
    response = client.post(u("scheme_edit", world.scheme.pk), form_data(items=items, name="运城组考核方案"))
    assert response.status_code == 200 and "不能再改指标、权重或期间" in response.content.decode()
    response = client.post(u("scheme_delete", world.scheme.pk))
    assert response.status_code == 200 and "不能删除" in response.content.decode()
    assert written() == before


def ranking(page):
    """{unit name: (rank, total)} as the ranking table shows them."""
    rows = re.findall(
        r'data-testid="rank-row".*?data-testid="rank">(\d+)</td>\s*<th scope="row"><a[^>]*>([^<]+)</a></th>\s*'
        r'<td[^>]*><strong data-testid="total">([\d.]+)</strong>',
        page,
        re.S,
    )
    return {name: (int(rank), Decimal(total)) for rank, name, total in rows}


def test_the_results_page_shows_what_the_selectors_count_and_links_to_the_records(world):
    client = client_for(world, "team_member")
    page = client.get(u("results", world.scheme.pk), {"month": "2023-05"}).content.decode()
    live = selectors.live_scores(world.scheme, *MAY)
    assert ranking(page) == {s.unit.name: (s.rank, s.total) for s in live}
    beijing = next(s for s in live if s.unit == world.team)
    # 3 of 10 visits: 30% of 60 points; the count links to exactly those visits.
    assert beijing.items[0].points == Decimal("18.00")
    link = beijing.items[0].url.replace("&", "&amp;")
    assert f'<a href="{link}" data-testid="reached-link">3</a> / 10' in page
    assert "30%" in page and 'data-testid="breakdown"' in page and "未锁定" in page
    assert 'data-testid="lock-form"' not in page  # only the office locks


def test_the_month_picker_defaults_to_the_last_finished_month_and_offers_the_whole_period(world):
    client = client_for(world, "office")
    page = client.get(u("results", world.scheme.pk)).content.decode()
    # The scheme (2023) is over: its last month.
    assert '<option value="2023-12" selected>' in page and '<option value="all"' in page
    page = client.get(u("results", world.scheme.pk), {"month": "all"}).content.decode()
    assert "全期（2023-01-01 至 2023-12-31）考核排名" in page
    whole = selectors.live_scores(world.scheme)
    assert ranking(page) == {s.unit.name: (s.rank, s.total) for s in whole}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"month": "2023-13"}, "请按“年-月”填写月份"),
        ({"month": "2024-02"}, "月份须在方案期间 2023-01-01 至 2023-12-31 之内。"),
        ({"start": "2023-05-31", "end": "2023-05-01"}, "结束日期不能早于开始日期。"),
        ({"start": "2022-12-01", "end": "2023-01-31"}, "期间须在方案期间"),
        ({"start": "2023-05-01"}, "请同时填写开始日期和结束日期。"),
    ],
)
def test_a_bad_period_is_said_in_chinese(world, query, message):
    response = client_for(world, "office").get(u("results", world.scheme.pk), query)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_office_locks_a_finished_month_and_it_stays_published(world):
    client = client_for(world, "office")
    url = u("results", world.scheme.pk)
    page = client.get(url, {"month": "2023-05"}).content.decode()
    assert 'data-testid="lock-form"' in page
    response = client.post(u("lock", world.scheme.pk), {"start": "2023-05-01", "end": "2023-05-31", "note": "五月通报"})
    assert response.status_code == 302 and response["Location"] == f"{url}?month=2023-05"
    page = client.get(response["Location"]).content.decode()
    assert "已锁定2023年5月的考核结果" in page and "已锁定（招商中心小王于" in page and "五月通报" in page
    published = ranking(page)
    visits(world.other_team_member, 5, day=D(2023, 5, 30), prefix="补录")
    page = client.get(url, {"month": "2023-05"}).content.decode()
    assert ranking(page) == published
    assert "锁定后记录变动：现为 6" in page and 'data-testid="changed-after-lock"' in page


def test_a_second_lock_and_a_month_not_over_are_refused_with_the_services_message(world, settings):
    client = client_for(world, "office")
    client.post(u("lock", world.scheme.pk), {"start": "2023-05-01", "end": "2023-05-31"})
    before = written()
    response = client.post(u("lock", world.scheme.pk), {"start": "2023-05-01", "end": "2023-05-31"}, follow=True)
    assert "2023-05-01 至 2023-05-31 的考核结果已锁定。" in response.content.decode()
    running = scheme(world, ITEMS, name="今年方案", period=(D(2023, 1, 1), D(2099, 12, 31)))
    before = written()
    response = client.post(u("lock", running.pk), {"start": "2099-12-01", "end": "2099-12-31"}, follow=True)
    assert "2099-12-31 尚未结束，期满后才能锁定考核结果。" in response.content.decode()
    response = client.post(u("lock", running.pk), {"note": "缺期间"}, follow=True)
    assert "请指定要锁定的期间。" in response.content.decode()
    assert written() == before


def test_the_export_is_the_ranking_on_screen(world):
    client = client_for(world, "leader")
    response = client.get(u("export", world.scheme.pk), {"month": "2023-05"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "运城组考核方案 2023年5月 考核排名" in rows[0][0] and "未锁定" in rows[1][0]
    assert rows[2][:3] == ("名次", "单位", "总分") and rows[2][3] == "走访企业·完成"
    live = selectors.live_scores(world.scheme, *MAY)
    assert [(r[0], r[1], Decimal(str(r[2]))) for r in rows[3:]] == [(s.rank, s.unit.name, s.total) for s in live]
    beijing = next(r for r in rows[3:] if r[1] == "北京招商组")
    assert beijing[3:7] == (3, 10, 30, 18)
    assert AuditEvent.objects.filter(action="export", object_id=str(world.scheme.pk)).exists()
    response = client.get(u("export", world.scheme.pk), {"month": "1999-01"})
    assert response.status_code == 302


def test_the_results_page_costs_the_same_queries_for_2_or_8_teams(world, django_assert_max_num_queries):
    client = client_for(world, "office")
    url = u("results", world.scheme.pk)
    client.get(url, {"month": "2023-05"})
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {"month": "2023-05"}).status_code == 200
    budget_small = len(small.captured_queries)  # read now: the query log is bounded
    for team, member in extra_teams(world, 6):
        visits(member, 2)
        target(world, team, "visits", 8)
    with django_assert_max_num_queries(budget_small):
        page = client.get(url, {"month": "2023-05"}).content.decode()
    assert page.count('data-testid="rank-row"') == 8 and "新增15组" in page


def test_a_locked_results_page_costs_the_same_queries_for_2_or_8_teams(world, django_assert_max_num_queries):
    client = client_for(world, "office")
    url = u("results", world.scheme.pk)
    small_scheme = world.scheme
    client.post(u("lock", small_scheme.pk), {"start": "2023-05-01", "end": "2023-05-31"})
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {"month": "2023-05"}).status_code == 200
    budget_small = len(small.captured_queries)  # read now: the query log is bounded
    for _team, member in extra_teams(world, 6):
        visits(member, 2)
    big = scheme(world, ITEMS, name="八个组的方案")
    client.post(u("lock", big.pk), {"start": "2023-05-01", "end": "2023-05-31"})
    with django_assert_max_num_queries(budget_small):
        page = client.get(u("results", big.pk), {"month": "2023-05"}).content.decode()
    assert page.count('data-testid="rank-row"') == 8


def test_the_scheme_list_costs_the_same_queries_for_1_or_many_schemes(org, django_assert_max_num_queries):
    client = client_for(org, "office")
    first = scheme(org, ITEMS, name="方案0")
    from assessment import services

    services.lock_period(actor=org["office"], scheme=first, start=MAY[0], end=MAY[1])
    client.get(u("scheme_list"))
    with CaptureQueriesContext(connection) as small:
        assert client.get(u("scheme_list")).status_code == 200
    budget_small = len(small.captured_queries)  # read now: the query log is bounded
    for n in range(1, 8):
        made = scheme(org, ITEMS, name=f"方案{n}")
        services.lock_period(actor=org["office"], scheme=made, start=MAY[0], end=MAY[1])
    with django_assert_max_num_queries(budget_small):
        page = client.get(u("scheme_list")).content.decode()
    assert page.count('data-testid="scheme-link"') == 8 and "2023年5月" in page


def test_the_list_filters(world):
    client = client_for(world, "office")
    page = client.get(u("scheme_list"), {"year": "2023", "subjects": "teams"}).content.decode()
    assert "运城组考核方案" in page
    page = client.get(u("scheme_list"), {"year": "2021"}).content.decode()
    assert "运城组考核方案" not in page


def test_the_menu_offers_the_ranking_to_everyone_in_the_city(org):
    for persona in ("office", "team_member", "county", "leader"):
        home = client_for(org, persona).get(reverse("core:home")).content.decode()
        assert "考核排名" in home and u("scheme_list") in home
    office_list = client_for(org, "office").get(u("scheme_list")).content.decode()
    member_list = client_for(org, "team_member").get(u("scheme_list")).content.decode()
    assert u("scheme_create") in office_list and u("scheme_create") not in member_list
