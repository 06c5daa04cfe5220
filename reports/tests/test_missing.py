"""The office's 未报清单 across weeks and months: 未报, 草稿未提交, 逾期提交; a report not yet due is not missing;
and the list costs the same number of queries for two teams as for many."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.testing import make_unit
from organizations.choices import UnitKind
from reports import selectors, services
from reports.choices import ReportKind
from reports.models import TeamReport
from reports.periods import due_on, periods_ending

from .conftest import draft, submitted

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2023, 5, 22)  # a Monday: the week of 15–21 May is due today, so not yet missing
W1, W2, W3, W4 = D(2023, 4, 24), D(2023, 5, 1), D(2023, 5, 8), D(2023, 5, 15)
APRIL = D(2023, 4, 1)


def sent_on(report, day):
    """The day the team submitted it (the service stamps the moment the test runs)."""
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(18)))
    TeamReport.objects.filter(pk=report.pk).update(submitted_at=at, first_submitted_at=at)


@pytest.fixture
def weeks(org):
    """北京: W1 on time, W2 two days late, W3 still a draft, W4 none yet (due today); 上海: W1 none, W2 read on
    time, W3 none, W4 submitted. April: 北京 on its due day (the 3rd), 上海 on the 4th."""
    sh = org.other_team_member
    sent_on(submitted(org, start=W1), D(2023, 4, 30))
    sent_on(submitted(org, start=W2), D(2023, 5, 10))
    draft(org, start=W3)
    report = services.submit_report(actor=sh, report=ready_for(org, sh, W2))
    sent_on(report, D(2023, 5, 8))
    services.mark_read(actor=org["office"], report=report)
    sent_on(services.submit_report(actor=sh, report=ready_for(org, sh, W4)), D(2023, 5, 20))
    sent_on(submitted(org, kind=ReportKind.MONTHLY, start=APRIL), D(2023, 5, 3))
    sent_on(services.submit_report(actor=sh, report=ready_for(org, sh, APRIL, ReportKind.MONTHLY)), D(2023, 5, 4))
    return org


def ready_for(org, person, start, kind=ReportKind.WEEKLY):
    from reports.choices import PLANS_PLACEHOLDER

    report = services.draft_report(actor=person, unit=org.other_team, kind=kind, start=start)
    return services.update_report(actor=person, report=report, body=report.body.replace(PLANS_PLACEHOLDER, "计划"))


def rows(org, kind, start, end, today=TODAY):
    return [
        (r.unit.name, r.kind, r.start, r.state) for r in selectors.missing_reports(org.city, kind, start, end, today)
    ]


def test_missing_weekly_reports_across_four_weeks(weeks):
    assert rows(weeks, ReportKind.WEEKLY, W1, D(2023, 5, 31)) == [
        ("北京招商组", "weekly", W3, "draft"),
        ("上海招商组", "weekly", W3, "none"),
        ("北京招商组", "weekly", W2, "late"),
        ("上海招商组", "weekly", W1, "none"),
    ]


def test_a_week_becomes_missing_the_day_after_its_due_day(weeks):
    assert due_on(ReportKind.WEEKLY, W4 + datetime.timedelta(days=6)) == TODAY
    on_due_day = rows(weeks, ReportKind.WEEKLY, W4, W4 + datetime.timedelta(days=6))
    assert on_due_day == []
    day_after = rows(weeks, ReportKind.WEEKLY, W4, W4 + datetime.timedelta(days=6), TODAY + datetime.timedelta(days=1))
    assert day_after == [("北京招商组", "weekly", W4, "none")]


def test_a_month_is_due_on_the_third_and_one_sent_on_the_fourth_is_late(weeks):
    assert due_on(ReportKind.MONTHLY, D(2023, 4, 30)) == D(2023, 5, 3)
    assert rows(weeks, ReportKind.MONTHLY, APRIL, D(2023, 5, 31)) == [("上海招商组", "monthly", APRIL, "late")]
    # Both kinds at once, newest period first.
    both = rows(weeks, None, D(2023, 4, 30), D(2023, 5, 14))
    assert both[0][2] == W3 and ("上海招商组", "monthly", APRIL, "late") in both


def test_only_periods_ended_before_today_and_ending_in_the_range_count(weeks):
    # A range ending in the future stops at yesterday; a range before every report finds the weeks unreported.
    assert {r[2] for r in rows(weeks, ReportKind.WEEKLY, W3, D(2030, 1, 1))} == {W3}
    early = rows(weeks, ReportKind.WEEKLY, D(2023, 4, 10), D(2023, 4, 23))
    assert early == [
        ("北京招商组", "weekly", D(2023, 4, 17), "none"),
        ("上海招商组", "weekly", D(2023, 4, 17), "none"),
        ("北京招商组", "weekly", D(2023, 4, 10), "none"),
        ("上海招商组", "weekly", D(2023, 4, 10), "none"),
    ]
    assert rows(weeks, ReportKind.WEEKLY, D(2023, 5, 1), D(2023, 4, 1)) == []


def test_a_returned_report_is_a_draft_not_sent_and_a_squad_owes_none(org):
    report = submitted(org, start=W1)
    sent_on(report, D(2023, 4, 30))
    services.return_report(actor=org["office"], report=report, reason="请补充")
    found = {(r[0], r[3]) for r in rows(org, ReportKind.WEEKLY, W1, W1 + datetime.timedelta(days=6))}
    assert found == {("北京招商组", "draft"), ("上海招商组", "none")}
    assert "盐湖区驻点招商小分队" not in {r[0] for r in rows(org, None, W1, TODAY)}


def test_periods_end_where_they_should(org):
    weeks = periods_ending(ReportKind.WEEKLY, D(2022, 12, 28), D(2023, 1, 15))
    assert weeks == [(D(2022, 12, 26), D(2023, 1, 1)), (D(2023, 1, 2), D(2023, 1, 8)), (D(2023, 1, 9), D(2023, 1, 15))]
    months = periods_ending(ReportKind.MONTHLY, D(2023, 1, 31), D(2023, 3, 30))
    assert months == [(D(2023, 1, 1), D(2023, 1, 31)), (D(2023, 2, 1), D(2023, 2, 28))]


def test_the_missing_list_costs_the_same_queries_for_two_teams_as_for_many(weeks):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            found = selectors.missing_reports(weeks.city, None, D(2023, 1, 1), D(2023, 5, 31), TODAY)
        return len(ctx.captured_queries), len(found)

    few, rows_few = count()
    for i in range(6):
        make_unit(f"YC-T-X{i}", f"第{i}招商组", UnitKind.TEAM, weeks.city)
    many, rows_many = count()
    assert rows_many > rows_few
    assert few == many == 2
