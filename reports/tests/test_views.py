"""The report pages as each persona meets them: the permission matrix, the team's draft–edit–submit, the office's
read and return, bad input shown in Chinese with nothing written, the menu, and query budgets.

Decided here and held by the matrix: a team sees all its own reports, drafts included; a county the submitted
reports of its squads; the office and the city's leaders every submitted report of the city; the audit
administrator every report; a report out of scope is a 404 that never shows its title; a visible report the
user may not change is a 403.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from core.testing import Case, login_as, make_unit, run_matrix, statuses
from organizations.choices import UnitKind
from reports import services
from reports.choices import PLANS_PLACEHOLDER, ReportStatus
from reports.models import TeamReport

from .conftest import MONDAY, PLANS, TITLES, build_week, draft, ready
from .test_missing import sent_on

pytestmark = pytest.mark.django_db

D = datetime.date


def u(name, *args):
    return reverse(f"reports:{name}", args=args)


def client_for(org, persona):
    return login_as(Client(), org[persona] if isinstance(persona, str) else persona)


def hidden_except(*shown):
    return [t for t in TITLES if t not in shown]


def test_each_persona_lists_only_the_reports_in_its_scope(world):
    sent = ("北京组已报专报", "上海组已报专报", "小分队已报专报")
    visible = {
        "office": sent,
        "leader": sent,
        "auditadmin": ("北京组草稿专报", *sent),
        "team_leader": ("北京组草稿专报", "北京组已报专报"),
        "team_member": ("北京组草稿专报", "北京组已报专报"),
        "county": ("小分队已报专报",),
        "outsider": (),
    }
    case = Case(
        url=u("report_list"),
        expect=statuses(200, sysadmin=403, department=403),
        shown={p: list(t) for p, t in visible.items()},
        hidden={**{p: hidden_except(*t) for p, t in visible.items()}, "sysadmin": TITLES, "department": TITLES},
        anonymous=302,
    )
    run_matrix(world, [case])


def test_the_permission_matrix_of_the_pages(world):
    r = world.reports
    team = {"team_leader": 200, "team_member": 200}
    readers = {"office": 200, "leader": 200, "auditadmin": 200}
    outside = ("sysadmin", "department", "outsider", "county")
    cases = [
        Case(
            url=u("report_detail", r["draft"].pk),
            expect=statuses(404, **team, auditadmin=200),
            hidden={p: ["北京组草稿专报"] for p in ("office", "leader", *outside)},
            shown={"team_member": ["一、本周工作开展情况", "起草时的数据"]},
            anonymous=302,
        ),
        Case(
            url=u("report_detail", r["sent"].pk),
            expect=statuses(404, **team, **readers),
            hidden={p: ["北京组已报专报"] for p in outside},
        ),
        Case(
            url=u("report_detail", r["squad"].pk),
            expect=statuses(404, county=200, **readers),
            hidden={p: ["小分队已报专报"] for p in ("team_leader", "team_member", "sysadmin", "outsider")},
        ),
        Case(url=u("report_detail", r["elsewhere"].pk), expect=statuses(404), hidden={p: ["临汾组"] for p in TITLES}),
        Case(
            url=u("report_edit", r["draft"].pk),
            expect=statuses(404, **team, auditadmin=403),
            hidden={p: ["北京组草稿专报"] for p in ("office", "leader", *outside)},
        ),
        Case(
            url=u("report_edit", r["sent"].pk),
            expect=statuses(404, team_leader=403, team_member=403, office=403, leader=403, auditadmin=403),
        ),
        # Submitting a draft whose plans are not filled in is refused on the page, nothing written.
        Case(
            url=u("report_submit", r["draft"].pk),
            method="post",
            expect=statuses(404, **team, auditadmin=403),
            shown={"team_member": ["请先填写“下周工作打算”"]},
        ),
        # Returning without a reason: the office is told to give one; nobody else may return.
        Case(
            url=u("report_return", r["sent"].pk),
            method="post",
            data={"return-reason": ""},
            expect=statuses(404, office=200, leader=403, auditadmin=403, team_leader=403, team_member=403),
            shown={"office": ["请填写退回原因"]},
        ),
        Case(url=u("report_read", r["elsewhere"].pk), method="post", expect=statuses(404)),
        Case(url=u("report_create"), expect=statuses(403, **team), anonymous=302),
        Case(url=u("missing"), expect=statuses(403, office=200, leader=200), anonymous=302),
    ]
    before = list(TeamReport.objects.order_by("id").values_list("status", "title", "body"))
    run_matrix(world, cases)
    assert list(TeamReport.objects.order_by("id").values_list("status", "title", "body")) == before


def test_a_team_member_drafts_edits_and_submits_a_weekly_report(org):
    w = build_week(org)
    client = client_for(org, "team_member")
    form = client.get(u("report_create") + "?kind=weekly").content.decode()
    assert 'type="week"' in form and "起草周报" in form
    response = client.post(u("report_create") + "?kind=weekly", {"unit": org.team.pk, "period": "2023-W19"})
    report = TeamReport.objects.get()
    assert response.status_code == 302 and response["Location"] == u("report_detail", report.pk)
    page = client.get(response["Location"]).content.decode()
    assert "北京招商组2023年第19周（5月8日—5月14日）工作专报" in page
    assert w.companies[0] in page and "<br>" in page
    assert f'data-testid="figure-visits"><a href="/outreach/visits/?unit={org.team.pk}' in page
    edit = client.get(u("report_edit", report.pk))
    assert PLANS_PLACEHOLDER in edit.content.decode()
    body = report.body.replace(PLANS_PLACEHOLDER, PLANS)
    response = client.post(u("report_edit", report.pk), {"title": report.title, "body": body})
    assert response.status_code == 302
    response = client.post(u("report_submit", report.pk))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and PLANS in report.body
    page = client.get(u("report_detail", report.pk)).content.decode()
    assert "已提交" in page and 'data-testid="edit-link"' not in page


def test_the_office_reads_with_a_comment_or_returns_with_a_reason(org):
    first = ready(org, draft(org))
    services.submit_report(actor=org["team_member"], report=first)
    office = client_for(org, "office")
    page = office.get(u("report_detail", first.pk)).content.decode()
    assert 'data-testid="form-read"' in page and 'data-testid="form-return"' in page
    response = office.post(u("report_return", first.pk), {"return-reason": "请补充签约项目进展"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == ReportStatus.DRAFT
    team_page = client_for(org, "team_member").get(u("report_detail", first.pk)).content.decode()
    assert "请补充签约项目进展" in team_page and 'data-testid="edit-link"' in team_page
    services.submit_report(actor=org["team_member"], report=first)
    response = office.post(u("report_read", first.pk), {"read-comment": "已阅，抓紧推进签约项目开工。"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.comment) == (ReportStatus.READ, "已阅，抓紧推进签约项目开工。")
    page = office.get(u("report_detail", first.pk)).content.decode()
    assert 'data-testid="form-read"' not in page and "已阅，抓紧推进签约项目开工。" in page


def written():
    return TeamReport.objects.count(), AuditEvent.objects.exclude(action__in=["login", "logout"]).count()


@pytest.mark.parametrize(
    "data,message",
    [
        ({"period": "2099-W01"}, "尚未开始"),
        ({"period": "第19周"}, "请选择周次"),
        ({"period": ""}, "该字段是必填项"),
        ({"unit": "", "period": "2023-W19"}, "该字段是必填项"),
    ],
)
def test_bad_input_on_the_draft_form_is_shown_and_nothing_is_written(org, data, message):
    client = client_for(org, "team_member")
    before = written()
    response = client.post(u("report_create") + "?kind=weekly", {"unit": org.team.pk, **data})
    assert response.status_code == 200 and message in response.content.decode()
    assert written() == before


def test_a_second_draft_and_a_unit_not_ones_own_are_refused_on_the_form(org):
    draft(org)
    client = client_for(org, "team_member")
    before = written()
    response = client.post(u("report_create") + "?kind=weekly", {"unit": org.team.pk, "period": "2023-05-10"})
    assert "已经起草过" in response.content.decode()
    response = client.post(u("report_create") + "?kind=weekly", {"unit": org.other_team.pk, "period": "2023-W19"})
    assert "选择一个有效的选项" in response.content.decode()
    month = client.post(u("report_create") + "?kind=monthly", {"unit": org.team.pk, "period": "2099-01"})
    assert "尚未开始" in month.content.decode()
    assert written() == before


def test_an_empty_body_is_refused_on_the_edit_page(org):
    report = draft(org)
    client = client_for(org, "team_member")
    response = client.post(u("report_edit", report.pk), {"title": report.title, "body": "  "})
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
    report.refresh_from_db()
    assert PLANS_PLACEHOLDER in report.body


def test_the_draft_form_defaults_to_the_last_finished_week_and_a_reminders_link(org):
    client = client_for(org, "team_member")
    today = timezone.localdate()
    last_monday = today - datetime.timedelta(days=today.weekday() + 7)
    page = client.get(u("report_create")).content.decode()
    year, week, _d = last_monday.isocalendar()
    assert f'value="{year}-W{week:02d}"' in page
    page = client.get(u("report_create") + f"?kind=weekly&unit={org.team.pk}&start=2023-05-10").content.decode()
    assert 'value="2023-W19"' in page
    page = client.get(u("report_create") + "?kind=monthly&start=2023-05-10").content.decode()
    assert 'value="2023-05"' in page and "起草月报" in page


def test_the_menu_offers_the_reports_to_those_who_use_them(org):
    def nav(persona):
        return client_for(org, persona).get(reverse("core:home")).content.decode()

    assert "工作报告" in nav("team_member") and "报告未报清单" not in nav("team_member")
    assert "工作报告" in nav("office") and "报告未报清单" in nav("office")
    assert "工作报告" not in nav("department")


def test_the_missing_page_lists_the_teams_not_reported(org):
    sent_on(ready(org, draft(org, start=D(2023, 5, 1))), D(2023, 5, 5))
    services.submit_report(actor=org["team_member"], report=TeamReport.objects.get())
    sent_on(TeamReport.objects.get(), D(2023, 5, 5))
    page = client_for(org, "office").get(u("missing") + "?kind=weekly&start=2023-05-01&end=2023-05-14")
    body = page.content.decode()
    table = body[body.index('data-testid="missing-table"') :]
    assert table.count("北京招商组") == 1 and table.count("上海招商组") == 2
    assert "未报" in table and "2023年第19周" in table
    bad = client_for(org, "office").get(u("missing") + "?start=2023-05-14&end=2023-05-01")
    assert "结束日期不能早于开始日期" in bad.content.decode()


def queries(client, url):
    client.get(url)  # the first request of a session also refreshes the session and the second factor's state
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_for_one_report_as_for_many(org):
    draft(org)
    client = client_for(org, "team_member")
    one = queries(client, u("report_list"))
    for weeks in range(1, 12):
        draft(org, start=MONDAY - datetime.timedelta(weeks=weeks))
    many = queries(client, u("report_list"))
    assert one == many
    assert len(re.findall('data-testid="report-link"', client.get(u("report_list")).content.decode())) == 12


def test_the_missing_page_costs_the_same_queries_for_two_teams_as_for_many(org):
    client = client_for(org, "office")
    url = u("missing") + "?start=2023-01-01&end=2023-06-30"
    few = queries(client, url)
    for i in range(6):
        make_unit(f"YC-T-Z{i}", f"第{i}招商组", UnitKind.TEAM, org.city)
    assert queries(client, url) == few
