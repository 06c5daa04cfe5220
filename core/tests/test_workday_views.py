"""The working-day overrides page (/workdays/): the office and system administrators keep the days that
win over the official calendar, e.g. when the State Council announces next year's holidays.

Held here: who may list, add, correct and delete (everyone else 403, nothing written);
each change is audited and counts in the next deadline; bad input gets a Chinese message
on its field and writes nothing; the list is paginated at a fixed query cost.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent, WorkdayOverride
from core.testing import Case, login_as, run_matrix, statuses
from core.workdays import add_working_days, is_working_day

D = datetime.date
EDITORS = ("office", "sysadmin")
LIST = reverse("core:workdays")
CREATE = reverse("core:workday_create")


def edit_url(override):
    return reverse("core:workday_edit", args=[override.pk])


def delete_url(override):
    return reverse("core:workday_delete", args=[override.pk])


def client_for(org, persona):
    return login_as(Client(), org[persona])


def text(response):
    return response.content.decode()


def state():
    """What the services write: a refused request changes none of it."""
    rows = tuple(WorkdayOverride.objects.order_by("pk").values_list("pk", "date", "is_workday", "note"))
    return rows, AuditEvent.objects.exclude(action="login").count()


def form(day="", is_workday="", note=""):
    return {"date": day, "is_workday": is_workday, "note": note}


@pytest.fixture
def national_day(db):
    return WorkdayOverride.objects.create(date=D(2031, 10, 1), is_workday=False, note="国庆节放假")


def test_permission_matrix_for_the_working_day_pages(org, national_day):
    editors = dict.fromkeys(EDITORS, 200)
    before = state()
    cases = [
        Case(LIST, statuses(403, **editors), anonymous=302, shown={p: ["国庆节放假"] for p in EDITORS}),
        Case(edit_url(national_day), statuses(403, **editors), shown={p: ["国庆节放假"] for p in EDITORS}),
        # Sent with something the service refuses (the day is already entered), so nobody's turn changes the next.
        Case(
            CREATE,
            statuses(403, **editors),
            method="post",
            data=form("2031-10-01", "0"),
            shown={p: ["2031-10-01 已有调整记录"] for p in EDITORS},
        ),
        Case(
            edit_url(national_day),
            statuses(403, **editors),
            method="post",
            data=form("2031-10-01", ""),
            shown={p: ["请选择该日上班"] for p in EDITORS},
        ),
        Case(reverse("core:workday_delete", args=[999999]), statuses(403, office=404, sysadmin=404), method="post"),
    ]
    run_matrix(org, cases)
    assert state() == before, "no refused request may write anything"
    non_editors = [p for p in org.people if p not in EDITORS]
    run_matrix(
        org,
        [Case(delete_url(national_day), statuses(403, office=302), method="post")],
        personas=[*non_editors, "office"],
    )
    assert not WorkdayOverride.objects.exists()


def test_the_office_enters_next_years_holiday_and_deadlines_follow_it(org):
    client = client_for(org, "office")
    # A Monday the calendar (or the ordinary week) counts as a working day, declared a day off.
    monday = D(2031, 6, 2)
    assert monday.weekday() == 0 and is_working_day(monday)
    response = client.post(CREATE, form(monday.isoformat(), "0", "  国务院办公厅通知：端午节   放假 "))
    assert response.status_code == 302
    override = WorkdayOverride.objects.get()
    assert (override.date, override.is_workday, override.note) == (monday, False, "国务院办公厅通知：端午节 放假")
    assert not is_working_day(monday)
    assert add_working_days(D(2031, 5, 30), 1) == D(2031, 6, 3), "Friday + 1 working day skips the Monday off"
    event = AuditEvent.objects.get(object_type="core.workdayoverride", action="create")
    assert event.actor_id == org["office"].pk and event.after == {
        "date": "2031-06-02",
        "is_workday": False,
        "note": "国务院办公厅通知：端午节 放假",
    }
    page = text(client.get(LIST))
    assert "2031-06-02" in page and "休息日" in page and "星期一" in page


def test_a_system_administrator_corrects_and_deletes_an_entry(org, national_day):
    client = client_for(org, "sysadmin")
    response = client.post(edit_url(national_day), form("2031-10-08", "1", "调休上班"))
    assert response.status_code == 302
    national_day.refresh_from_db()
    assert (national_day.date, national_day.is_workday, national_day.note) == (D(2031, 10, 8), True, "调休上班")
    update = AuditEvent.objects.get(object_type="core.workdayoverride", action="update")
    assert update.before == {"date": "2031-10-01", "is_workday": False, "note": "国庆节放假"}
    assert client.post(delete_url(national_day)).status_code == 302
    assert not WorkdayOverride.objects.exists()
    deleted = AuditEvent.objects.get(object_type="core.workdayoverride", action="delete")
    assert deleted.before["date"] == "2031-10-08" and deleted.actor_id == org["sysadmin"].pk


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (form("", "0"), "date", "请填写有效的日期"),
        (form("2031-13-40", "0"), "date", "有效的日期"),
        (form("1999-12-31", "0"), "date", "日期须在 2000 年至 2100 年之间"),
        (form("2031-10-01", "1"), "date", "2031-10-01 已有调整记录，请修改该条"),
        (form("2031-10-02", ""), "is_workday", "请选择该日上班（工作日）还是放假（休息日）"),
        (form("2031-10-02", "0", "长" * 101), "note", "100"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(org, national_day, data, field, message):
    before = state()
    response = client_for(org, "office").post(CREATE, data)
    assert response.status_code == 200
    page = text(response)
    assert f'data-testid="error-{field}"' in page and message in page, page
    assert state() == before


def test_an_entry_deleted_meanwhile_is_a_404_not_an_error(org, national_day):
    client = client_for(org, "office")
    url = edit_url(national_day)
    national_day.delete()
    assert client.get(url).status_code == 404
    assert client.post(url, form("2031-10-02", "0")).status_code == 404
    assert not WorkdayOverride.objects.exists()


def _grow(n, start=0):
    WorkdayOverride.objects.bulk_create(
        WorkdayOverride(date=D(2031, 1, 1) + datetime.timedelta(days=i), is_workday=i % 2 == 0, note=f"调整{i:03d}")
        for i in range(start, start + n)
    )


def test_the_list_is_paginated_and_filtered_by_year(org):
    _grow(30)
    WorkdayOverride.objects.create(date=D(2032, 1, 1), is_workday=False, note="元旦")
    client = client_for(org, "office")
    page = text(client.get(LIST))
    assert "page=2" in page and page.count("调整0") <= 25 and "共 31 条" in page
    assert "元旦" in page, "newest day first"
    second = text(client.get(LIST + "?page=2"))
    assert "调整000" in second
    only_2032 = text(client.get(LIST + "?year=2032"))
    assert "元旦" in only_2032 and "调整0" not in only_2032 and "共 1 条" in only_2032


def test_the_list_keeps_a_fixed_query_count_as_entries_grow(org, django_assert_max_num_queries):
    _grow(3)
    client = client_for(org, "office")
    client.get(LIST)
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST).status_code == 200
    _grow(40, start=3)
    WorkdayOverride.objects.create(date=D(2035, 5, 1), is_workday=False, note="另一年")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = text(client.get(LIST))
    assert "另一年" in page
