"""Each reminder source against records built by hand: who is reminded of what, the counts, the links (the linked
list holds exactly the records counted where the list has such a filter), and that a source's query count does
not grow with the number of late records."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.reminders import collect
from core.testing import login_as
from leads.models import FollowUp
from projects.models import ProjectTeamMember
from reminders import sources
from reminders.choices import ReminderKind, Severity
from targets.choices import Indicator

from .conftest import (
    DAY,
    make_lead,
    make_problem,
    make_project,
    make_target,
    make_visits,
    report_progress,
    titles,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def fresh(user):
    """The user as a new request sees them (nothing memoised from an earlier call)."""
    return type(user).objects.get(pk=user.pk)


def of_kind(user, source, today):
    return source(fresh(user), today)


def page_names(user, url):
    body = login_as(Client(), user).get(url).content.decode()
    return body


# --- Leads --------------------------------------------------------------------------------------------------------


@pytest.fixture
def leads(org, lf_office, today):
    made = {
        "late_assess": make_lead(org, "逾期未研判线索", assess_due=today - DAY, feedback_due=today + 3 * DAY),
        "late_feedback_only": make_lead(
            org, "反馈逾期的退回线索", status="returned", assess_due=today + 2 * DAY, feedback_due=today - 2 * DAY
        ),
        "in_time": make_lead(org, "未到期线索", assess_due=today + 2 * DAY, feedback_due=today + 5 * DAY),
        "due_today": make_lead(org, "今天到期线索", assess_due=today, feedback_due=today + 5 * DAY),
        "dispatched_late": make_lead(
            org,
            "推送未接收线索",
            status="dispatched",
            receiving=org.county,
            assess_due=today - 9 * DAY,
            feedback_due=today - DAY,
        ),
        "dispatched_in_time": make_lead(
            org, "刚推送的线索", status="dispatched", receiving=org.county, feedback_due=today + DAY
        ),
        "accepted_silent": make_lead(
            org, "接收后未跟进线索", status="accepted", receiving=org.county, feedback_due=today - 3 * DAY
        ),
        "accepted_followed": make_lead(
            org, "接收后已跟进线索", status="accepted", receiving=org.county, feedback_due=today - 3 * DAY
        ),
        "other_county": make_lead(
            org, "推送临猗县线索", status="dispatched", receiving=org.other_county, feedback_due=today - DAY
        ),
        "elsewhere": make_lead(
            org,
            "临汾逾期线索",
            owner=org.other_city,
            reporting=org.other_city_county,
            assess_due=today - 5 * DAY,
            feedback_due=today - DAY,
        ),
    }
    FollowUp.objects.create(
        lead=made["accepted_followed"], unit=org.county, follow_date=today - 5 * DAY, note="已与企业对接"
    )
    return made


def test_the_office_is_reminded_of_its_citys_leads_not_assessed_in_time(org, leads, today):
    found = of_kind(org["office"], sources.lead_reminders, today)
    # Late: the one past its assessment date and the returned one past its feedback date; not the one due today.
    assert titles(found) == ["2 条线索逾期未研判"]
    reminder = found[0]
    assert reminder.kind == ReminderKind.LEAD_OVERDUE and reminder.severity == Severity.DANGER
    assert reminder.detail == "运城市"
    assert reminder.url == "/leads/queue/?overdue=true"
    assert reminder.key == f"lead_overdue:assess:{org.city.pk}"


def test_the_office_link_lists_exactly_the_leads_counted(org, leads, today):
    url = of_kind(org["office"], sources.lead_reminders, today)[0].url
    body = page_names(org["office"], url)
    for shown in ("逾期未研判线索", "反馈逾期的退回线索"):
        assert shown in body
    for hidden in ("未到期线索", "今天到期线索", "推送未接收线索", "临汾逾期线索"):
        assert hidden not in body


def test_another_citys_office_is_reminded_of_its_own_leads_only(org, leads, lf_office, today):
    found = of_kind(lf_office, sources.lead_reminders, today)
    assert titles(found) == ["1 条线索逾期未研判"]
    assert found[0].detail == "临汾市"
    assert "临汾逾期线索" in page_names(lf_office, found[0].url)
    assert "逾期未研判线索" not in page_names(lf_office, found[0].url)


def test_a_county_is_reminded_of_pushed_leads_left_unanswered_and_accepted_ones_not_followed_up(org, leads, today):
    found = of_kind(org["county"], sources.lead_reminders, today)
    assert titles(found) == ["1 条推送线索逾期未接收或退回", "1 条已接收线索逾期未反馈跟进情况"]
    assert {r.detail for r in found} == {"盐湖区"}
    assert found[0].url == f"/leads/incoming/?unit={org.county.pk}"
    assert found[1].url == f"/leads/?unit={org.county.pk}&status=accepted"
    incoming = page_names(org["county"], found[0].url)
    assert "推送未接收线索" in incoming and "推送临猗县线索" not in incoming
    accepted = page_names(org["county"], found[1].url)
    assert "接收后未跟进线索" in accepted


def test_teams_departments_and_outsiders_get_no_lead_reminders(org, leads, today):
    for persona in ("team_member", "team_leader", "department", "outsider", "leader", "auditadmin"):
        assert of_kind(org[persona], sources.lead_reminders, today) == [], persona


def test_no_lead_is_late_yet_no_reminder(org, today):
    make_lead(org, "未到期线索", assess_due=today + DAY, feedback_due=today + 5 * DAY)
    assert of_kind(org["office"], sources.lead_reminders, today) == []


# --- Problems -----------------------------------------------------------------------------------------------------


@pytest.fixture
def problems(org, other_department, today):
    project = make_project(org, "包联项目")
    ProjectTeamMember.objects.create(project=project, user=org["team_member"])
    return {
        "late": make_problem(org, "逾期未办结问题", due_on=today - DAY, departments=[org.department]),
        "in_time": make_problem(org, "未到期问题", due_on=today + 3 * DAY, departments=[org.department]),
        "answered": make_problem(
            org, "已答复问题", status="solved", due_on=today - 4 * DAY, departments=[org.department]
        ),
        "other_department": make_problem(org, "发改委逾期问题", due_on=today - 2 * DAY, departments=[other_department]),
        "escalated": make_problem(
            org,
            "督办中问题",
            status="reopened",
            due_on=today + 5 * DAY,
            escalated="reopened",
            departments=[other_department],
        ),
        "project": make_problem(org, "包联项目逾期问题", due_on=today - DAY, project=project),
        "elsewhere": make_problem(org, "临汾逾期问题", owner=org.other_city, due_on=today - DAY),
        "project_obj": project,
    }


def test_a_department_is_reminded_of_problems_assigned_to_it_past_due_and_unanswered(org, problems, today):
    found = of_kind(org["department"], sources.problem_reminders, today)
    assert titles(found) == ["1 个交办问题逾期未办结"]
    assert found[0].detail == "运城市自然资源局"
    assert found[0].url == f"/service/inbox/?overdue=true&department={org.department.pk}"
    body = page_names(org["department"], found[0].url)
    assert "逾期未办结问题" in body
    for hidden in ("未到期问题", "已答复问题", "发改委逾期问题"):
        assert hidden not in body


def test_only_the_department_a_problem_is_assigned_to_is_reminded(org, problems, today):
    found = of_kind(org.fgw_staff, sources.problem_reminders, today)
    assert titles(found) == ["1 个交办问题逾期未办结"]
    assert "发改委逾期问题" in page_names(org.fgw_staff, found[0].url)


def test_the_office_is_reminded_of_its_citys_supervision_list(org, problems, today):
    found = of_kind(org["office"], sources.problem_reminders, today)
    # Overdue and open: the department's, the other department's, the project's; escalated: the reopened one.
    assert titles(found) == ["4 个问题逾期或督办中"]
    assert found[0].url == "/service/supervision/"
    body = page_names(org["office"], found[0].url)
    for shown in ("逾期未办结问题", "发改委逾期问题", "督办中问题", "包联项目逾期问题"):
        assert shown in body
    for hidden in ("未到期问题", "已答复问题", "临汾逾期问题"):
        assert hidden not in body


def test_a_projects_service_team_is_reminded_of_its_projects_problems(org, problems, today):
    found = of_kind(org["team_member"], sources.problem_reminders, today)
    assert titles(found) == ["您包联或服务的项目有 1 个问题逾期或督办中"]
    assert found[0].url == f"/service/supervision/?project={problems['project_obj'].pk}"
    assert ":person:" in found[0].key
    assert "包联项目逾期问题" in page_names(org["team_member"], found[0].url)
    # The team's leader is not on the project's service team.
    assert of_kind(org["team_leader"], sources.problem_reminders, today) == []


def test_outsiders_get_no_problem_reminders(org, problems, lf_office, today):
    assert of_kind(org["outsider"], sources.problem_reminders, today) == []
    assert titles(of_kind(lf_office, sources.problem_reminders, today)) == ["1 个问题逾期或督办中"]


# --- Monthly progress ---------------------------------------------------------------------------------------------

MAY_20 = D(2024, 5, 20)
APRIL = D(2024, 4, 1)


@pytest.fixture
def projects(org):
    late = make_project(org, "四月未报项目")
    on_time = make_project(org, "四月已报项目")
    report_progress(on_time, APRIL)
    sent_late = make_project(org, "四月迟报项目")
    report_progress(sent_late, APRIL, late=True)
    make_project(org, "在谈项目", stage="negotiating")
    make_project(org, "临猗县未报项目", host=org.other_county)
    make_project(org, "部门负责未报项目", host=org.zone, responsible=org.department)
    return late


def test_a_county_is_reminded_of_its_signed_projects_whose_report_is_late(org, projects):
    found = of_kind(org["county"], sources.progress_reminders, MAY_20)
    # Missing after 5 May, or sent late; not the one reported in time nor the one still negotiating.
    assert titles(found) == ["2 个项目2024年4月进展未按期报送"]
    reminder = found[0]
    assert reminder.kind == ReminderKind.PROGRESS_LATE and reminder.severity == Severity.DANGER
    assert reminder.url == f"/projects/?overdue_report=true&unit={org.county.pk}"
    assert reminder.key == f"progress_late:{org.county.pk}:2024-04"


def test_the_unit_responsible_for_a_project_is_reminded_too(org, projects):
    assert titles(of_kind(org["department"], sources.progress_reminders, MAY_20)) == ["1 个项目2024年4月进展未按期报送"]


def test_before_the_due_day_a_missing_report_is_not_late_yet(org, projects):
    # On the due day itself only the report already marked as sent late counts; the missing one from the next day.
    assert titles(of_kind(org["county"], sources.progress_reminders, D(2024, 5, 5))) == [
        "1 个项目2024年4月进展未按期报送"
    ]
    assert titles(of_kind(org["county"], sources.progress_reminders, D(2024, 5, 6))) == [
        "2 个项目2024年4月进展未按期报送"
    ]


def test_teams_and_outsiders_get_no_progress_reminders(org, projects):
    for persona in ("team_member", "office", "outsider", "leader"):
        assert of_kind(org[persona], sources.progress_reminders, MAY_20) == [], persona


# --- Targets ------------------------------------------------------------------------------------------------------

MAY = (D(2024, 5, 1), D(2024, 5, 31))
MAY_16 = D(2024, 5, 16)


@pytest.fixture
def targets(org, lf_office):
    make_target(org, Indicator.VISITS, *MAY, 20, unit=org.team)
    make_visits(org, org.team, D(2024, 5, 3), 12)
    make_target(org, Indicator.INSPECTIONS, *MAY, 4, unit=org.team)
    make_target(org, Indicator.VISITS, *MAY, 2, unit=org.squad)
    make_visits(org, org.squad, D(2024, 5, 10), 2)
    make_target(org, Indicator.VISITS, *MAY, 20, unit=org.other_team)
    make_target(org, Indicator.VISITS, D(2024, 4, 1), D(2024, 4, 30), 20, unit=org.county)
    make_target(org, Indicator.DAYS_STATIONED, D(2024, 1, 1), D(2024, 12, 31), 30, person=org["team_member"])
    make_target(org, Indicator.VISITS, *MAY, 20, unit=org.other_city_county, owner=org.other_city)


def test_the_people_of_a_team_are_reminded_of_its_targets_behind(org, targets):
    # On 16 May, 51.6% of the month is gone: 12 of 20 visits (60%) is on track, 0 of 4 inspections is behind.
    found = of_kind(org["team_leader"], sources.target_reminders, MAY_16)
    assert titles(found) == ["1 项目标进度落后"]
    reminder = found[0]
    assert reminder.kind == ReminderKind.TARGET_BEHIND and reminder.severity == Severity.WARNING
    assert reminder.detail == "北京招商组"
    assert reminder.url == f"/targets/progress/?unit={org.team.pk}"


def test_a_person_is_reminded_of_their_own_targets_behind(org, targets):
    found = of_kind(org["team_member"], sources.target_reminders, MAY_16)
    assert titles(found) == ["1 项目标进度落后", "您有 1 项个人目标进度落后"]
    assert found[1].url == f"/targets/progress/?unit={org.team.pk}"


def test_a_target_on_track_or_not_covering_today_is_no_reminder(org, targets):
    # The squad reached its 2 visits; the county's April target is over.
    assert of_kind(org["county"], sources.target_reminders, MAY_16) == []


def test_the_office_gets_a_summary_of_its_citys_targets_behind(org, targets, lf_office):
    found = of_kind(org["office"], sources.target_reminders, MAY_16)
    # 北京组's inspections and 上海组's visits; a person's target is theirs, not a unit's.
    assert titles(found) == ["2 个单位的 2 项目标进度落后"]
    assert found[0].url == "/targets/progress/city/"
    assert titles(of_kind(lf_office, sources.target_reminders, MAY_16)) == ["1 个单位的 1 项目标进度落后"]


def test_an_outsider_is_reminded_of_its_own_units_targets_only(org, targets):
    found = of_kind(org["outsider"], sources.target_reminders, MAY_16)
    assert titles(found) == ["1 项目标进度落后"]
    assert found[0].detail == "古县"


def test_the_department_has_no_target_reminders(org, targets):
    assert of_kind(org["department"], sources.target_reminders, MAY_16) == []


# --- All together, and what it costs ----------------------------------------------------------------------------


def queries_for(user, today):
    user = fresh(user)
    with CaptureQueriesContext(connection) as ctx:
        for source in sources.SOURCES:
            source(user, today)
    return len(ctx.captured_queries)


def test_the_sources_cost_the_same_queries_for_one_late_record_as_for_many(org, today):
    make_lead(org, "逾期线索0", assess_due=today - DAY)
    make_problem(org, "逾期问题0", due_on=today - DAY, departments=[org.department])
    make_lead(org, "推送逾期0", status="dispatched", receiving=org.county, feedback_due=today - DAY)
    make_project(org, "未报项目0")
    make_target(org, Indicator.VISITS, today - 10 * DAY, today + 20 * DAY, 20, unit=org.team)
    people = [org["office"], org["county"], org["department"], org["team_member"]]
    before = [queries_for(p, today) for p in people]
    for i in range(1, 8):
        make_lead(org, f"逾期线索{i}", assess_due=today - DAY)
        make_problem(org, f"逾期问题{i}", due_on=today - DAY, departments=[org.department])
        make_lead(org, f"推送逾期{i}", status="dispatched", receiving=org.county, feedback_due=today - DAY)
        make_project(org, f"未报项目{i}")
        make_visits(org, org.team, today, 1)
    assert [queries_for(p, today) for p in people] == before
    assert "8 条线索逾期未研判" in titles(collect(fresh(org["office"]), today))


def test_collect_puts_overdue_before_behind(org, targets):
    make_lead(org, "逾期未研判线索", assess_due=MAY_16 - DAY)
    found = collect(fresh(org["office"]), MAY_16)
    mine = [r for r in found if r.kind in (ReminderKind.LEAD_OVERDUE, ReminderKind.TARGET_BEHIND)]
    assert titles(mine) == ["1 条线索逾期未研判", "2 个单位的 2 项目标进度落后"]
    severities = [r.severity for r in found]
    assert severities == sorted(severities, key=lambda s: s != Severity.DANGER)
