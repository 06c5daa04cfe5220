"""The reports' reminder source: a team's report due soon or overdue, the office's count of teams with reports
missing, nothing for anyone else; registered with core.reminders; a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import reminders
from core.testing import make_person, make_unit
from organizations.choices import Role, UnitKind
from organizations.models import Membership
from reports.choices import REMINDER_LOOKBACK_DAYS, ReportKind
from reports.reminders import report_reminders

from .conftest import draft, submitted
from .test_missing import sent_on

pytestmark = pytest.mark.django_db

D = datetime.date
SATURDAY = D(2023, 5, 20)  # the week of 15–21 May is due on Monday the 22nd: two days away


@pytest.fixture
def beijing(org):
    """北京's weeks in the look-back window: two on time, one not reported, one late, one a draft; April none."""
    sent_on(submitted(org, start=D(2023, 4, 10)), D(2023, 4, 17))
    sent_on(submitted(org, start=D(2023, 4, 17)), D(2023, 4, 24))
    sent_on(submitted(org, start=D(2023, 5, 1)), D(2023, 5, 10))
    draft(org, start=D(2023, 5, 8))
    return org


def titles(user, today=SATURDAY):
    return sorted(r.title for r in report_reminders(user, today))


def test_a_team_is_reminded_of_its_report_due_soon_and_of_those_overdue(beijing):
    expected = ["4月总结逾期未报", "本周专报待报送", "第17周专报逾期未报", "第19周专报逾期未报"]
    assert titles(beijing["team_member"]) == titles(beijing["team_leader"]) == sorted(expected)
    found = {r.title: r for r in report_reminders(beijing["team_member"], SATURDAY)}
    assert found["第19周专报逾期未报"].severity == "danger"
    assert "草稿未提交" in found["第19周专报逾期未报"].detail
    # The draft's reminder opens the draft; a missing one opens the draft form for that week.
    assert found["第19周专报逾期未报"].url.startswith("/reports/") and "new" not in found["第19周专报逾期未报"].url
    assert found["第17周专报逾期未报"].url == f"/reports/new/?kind=weekly&unit={beijing.team.pk}&start=2023-04-24"
    soon = found["本周专报待报送"]
    assert soon.severity == "warning" and "2023-05-22" in soon.detail


def test_nothing_is_due_soon_mid_week_and_a_sent_report_is_not_reminded(beijing):
    wednesday, monday = D(2023, 5, 17), D(2023, 5, 22)
    assert "本周专报待报送" not in titles(beijing["team_member"], wednesday)
    # On Monday, last week's report is due that very day.
    assert "上周专报待报送" in titles(beijing["team_member"], monday)
    sent_on(submitted(beijing, start=D(2023, 5, 15)), D(2023, 5, 19))
    assert "本周专报待报送" not in titles(beijing["team_member"])
    assert "上周专报待报送" not in titles(beijing["team_member"], monday)
    assert "第19周专报逾期未报" in titles(beijing["team_member"], monday)


def test_the_office_is_told_how_many_teams_have_reports_missing(beijing):
    [reminder] = report_reminders(beijing["office"], SATURDAY)
    # 北京 (a week not reported, a draft, April) and 上海 (nothing at all).
    assert reminder.title == "2个驻点招商组有逾期未报的工作报告"
    first = SATURDAY - datetime.timedelta(days=REMINDER_LOOKBACK_DAYS)
    assert reminder.url == f"/reports/missing/?start={first.isoformat()}&end=2023-05-19"
    assert reminder.severity == "danger"


def test_nobody_else_is_reminded(beijing):
    for persona in ("county", "department", "leader", "sysadmin", "auditadmin", "outsider"):
        assert report_reminders(beijing[persona], SATURDAY) == [], persona


def test_the_source_is_registered_with_the_home_pages_reminders(beijing):
    collected = [r.title for r in reminders.collect(beijing["team_member"], SATURDAY)]
    assert "第19周专报逾期未报" in collected
    first = [r for r in reminders.collect(beijing["team_member"], SATURDAY) if r.kind.startswith("team_report")]
    assert first[0].severity == "danger"


def test_the_reminders_cost_the_same_queries_for_one_team_as_for_many(beijing):
    def count(user):
        user = type(user).objects.get(pk=user.pk)  # a fresh user: its scope is read again
        with CaptureQueriesContext(connection) as ctx:
            report_reminders(user, SATURDAY)
        return len(ctx.captured_queries)

    office_before = count(beijing["office"])
    member = beijing["team_member"]
    member_before = count(member)
    for i in range(4):
        team = make_unit(f"YC-T-Y{i}", f"第{i}招商组", UnitKind.TEAM, beijing.city)
        make_person(f"member{i}", team, Role.TEAM_MEMBER)
        Membership.objects.create(user=member, unit=team, role=Role.TEAM_MEMBER)
    assert count(beijing["office"]) == office_before
    assert count(member) == member_before
    assert len(report_reminders(type(member).objects.get(pk=member.pk), SATURDAY)) > 4 * 5


def test_a_monthly_summary_is_reminded_too(org):
    # 1 June: May's summary is due on the 3rd (two days away); nothing of April or May has been sent.
    june_first = D(2023, 6, 1)
    found = titles(org["team_member"], june_first)
    assert "上月总结待报送" in found and "4月总结逾期未报" in found
    sent_on(submitted(org, kind=ReportKind.MONTHLY, start=D(2023, 5, 1)), D(2023, 5, 31))
    assert "上月总结待报送" not in titles(org["team_member"], june_first)
