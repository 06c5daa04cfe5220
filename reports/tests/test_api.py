"""/api/v1/team-reports/ and /api/v1/team-reports/missing/ as each persona meets them: scope, the team's draft,
edit and submit, the office's read and return, bad input in Chinese with nothing written, query budgets."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from core.testing import Case, api_client_for, make_unit, run_matrix, statuses
from organizations.choices import UnitKind
from reports.choices import PLANS_PLACEHOLDER
from reports.models import TeamReport

from .conftest import MONDAY, PLANS, TITLES, build_week, draft

pytestmark = pytest.mark.django_db

LIST = "/api/v1/team-reports/"
MISSING = "/api/v1/team-reports/missing/"


def written():
    return (
        TeamReport.objects.count(),
        AuditEvent.objects.exclude(action="login").count(),
        list(TeamReport.objects.order_by("id").values_list("status", "title", "body")),
    )


def test_the_permission_matrix_of_the_api(world):
    r = world.reports
    sent = ["北京组已报专报", "上海组已报专报", "小分队已报专报"]
    team = {"team_leader": 200, "team_member": 200}
    cases = [
        Case(
            url=LIST,
            expect=statuses(200),
            api=True,
            anonymous=401,
            shown={"office": sent, "leader": sent, "team_member": ["北京组草稿专报", "北京组已报专报"]},
            hidden={
                "office": ["北京组草稿专报", "临汾组已报专报"],
                "team_member": ["上海组已报专报", "小分队已报专报", "临汾组已报专报"],
                "county": ["北京组", "上海组"],
                "sysadmin": list(TITLES),
                "department": list(TITLES),
                "outsider": list(TITLES),
            },
        ),
        Case(url=f"{LIST}{r['draft'].pk}/", expect=statuses(404, **team, auditadmin=200), api=True),
        Case(
            url=f"{LIST}{r['sent'].pk}/",
            expect=statuses(404, **team, office=200, leader=200, auditadmin=200),
            api=True,
        ),
        Case(
            url=f"{LIST}{r['draft'].pk}/",
            method="patch",
            data={"title": "  "},
            expect=statuses(404, **dict.fromkeys(team, 400), auditadmin=403),
            api=True,
        ),
        Case(
            url=f"{LIST}{r['sent'].pk}/return/",
            method="post",
            data={"reason": ""},
            expect=statuses(404, office=400, leader=403, auditadmin=403, team_leader=403, team_member=403),
            api=True,
        ),
        Case(
            url=f"{LIST}{r['sent'].pk}/submit/",
            method="post",
            expect=statuses(404, team_leader=400, team_member=400, office=403, leader=403, auditadmin=403),
            api=True,
        ),
        # The audit administrator reads only: any write is refused before the record is looked up.
        Case(url=f"{LIST}{r['elsewhere'].pk}/read/", method="post", expect=statuses(404, auditadmin=403), api=True),
        Case(url=MISSING, expect=statuses(403, office=200, leader=200), api=True, anonymous=401),
    ]
    before = written()
    run_matrix(world, cases)
    assert written() == before


def test_the_team_drafts_edits_and_submits_and_the_office_reads(org):
    w = build_week(org)
    team = api_client_for(org["team_member"])
    response = team.post(LIST, {"unit": org.team.pk, "kind": "weekly", "start": "2023-05-10"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["start"] == "2023-05-08" and body["end"] == "2023-05-14" and body["due"] == "2023-05-15"
    assert body["figures"]["visits"] == w.visits and body["figures"]["effective_leads"] == len(w.effective)
    assert body["status"] == "draft" and body["period_label"] == "2023年第19周（5月8日—5月14日）"
    url = f"{LIST}{body['id']}/"
    refused = team.post(f"{url}submit/", format="json")
    assert refused.status_code == 400 and "下周工作打算" in refused.json()["body"][0]
    text = body["body"].replace(PLANS_PLACEHOLDER, PLANS)
    assert team.patch(url, {"body": text}, format="json").status_code == 200
    submitted = team.post(f"{url}submit/", format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_by_name"] == "北京组小李"
    office = api_client_for(org["office"])
    listed = office.get(LIST, {"status": "submitted"}).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    read = office.post(f"{url}read/", {"comment": "已阅"}, format="json")
    assert read.status_code == 200 and read.json()["status"] == "read" and read.json()["comment"] == "已阅"


def test_the_office_returns_a_report_with_a_reason(org):
    report = draft(org)
    team = api_client_for(org["team_member"])
    team.patch(f"{LIST}{report.pk}/", {"body": report.body.replace(PLANS_PLACEHOLDER, PLANS)}, format="json")
    team.post(f"{LIST}{report.pk}/submit/", format="json")
    office = api_client_for(org["office"])
    response = office.post(f"{LIST}{report.pk}/return/", {"reason": "请补充考察安排"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "draft"
    assert response.json()["return_reason"] == "请补充考察安排"
    # A draft is the team's own again: the office no longer sees it.
    assert office.get(f"{LIST}{report.pk}/").status_code == 404


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"unit": "", "kind": "weekly", "start": "2023-05-10"}, "unit", ""),
        ({"kind": "daily", "start": "2023-05-10"}, "kind", ""),
        ({"kind": "weekly", "start": "2099-01-05"}, "start", "尚未开始"),
        ({"kind": "weekly", "start": "下周"}, "start", ""),
        ({"kind": "weekly", "start": "2023-05-10", "title": "自拟"}, "title", "不能在此填写"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(org, data, field, message):
    data = {"unit": org.team.pk, **data}
    before = written()
    response = api_client_for(org["team_member"]).post(LIST, data, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert message in " ".join(response.json()[field])
    assert written() == before


def test_a_unit_not_a_team_or_another_teams_is_refused(org):
    before = written()
    county = api_client_for(org["county"]).post(
        LIST, {"unit": org.county.pk, "kind": "weekly", "start": "2023-05-10"}, format="json"
    )
    assert county.status_code == 400 and "不是驻点招商组或小分队" in county.json()["unit"][0]
    other = api_client_for(org["team_member"]).post(
        LIST, {"unit": org.other_team.pk, "kind": "weekly", "start": "2023-05-10"}, format="json"
    )
    assert other.status_code == 400 and "无权查看" in other.json()["unit"][0]
    office = api_client_for(org["office"]).post(
        LIST, {"unit": org.team.pk, "kind": "weekly", "start": "2023-05-10"}, format="json"
    )
    assert office.status_code == 403
    draft(org)
    again = api_client_for(org["team_member"]).post(
        LIST, {"unit": org.team.pk, "kind": "weekly", "start": "2023-05-14"}, format="json"
    )
    assert again.status_code == 400 and "已经起草过" in again.json()["start"][0]
    assert written()[0] == before[0] + 1


def test_the_missing_list_of_the_api(org):
    draft(org, start=datetime.date(2023, 5, 1))
    response = api_client_for(org["office"]).get(
        MISSING, {"kind": "weekly", "start": "2023-05-01", "end": "2023-05-14"}
    )
    assert response.status_code == 200
    rows = [(r["unit_name"], r["start"], r["status"], r["status_label"]) for r in response.json()["results"]]
    assert rows == [
        ("北京招商组", "2023-05-08", "none", "未报"),
        ("上海招商组", "2023-05-08", "none", "未报"),
        ("北京招商组", "2023-05-01", "draft", "草稿未提交"),
        ("上海招商组", "2023-05-01", "none", "未报"),
    ]
    assert all(r["report"] is None for r in response.json()["results"])
    bad = api_client_for(org["office"]).get(MISSING, {"start": "2023-05-14", "end": "2023-05-01"})
    assert bad.status_code == 400 and "结束日期不能早于开始日期" in bad.json()["end"][0]


def count(client, url, params=None):
    client.get(url, params)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_and_the_missing_list_cost_the_same_queries_for_one_row_as_for_many(org):
    team = api_client_for(org["team_member"])
    draft(org)
    one = count(team, LIST)
    for weeks in range(1, 10):
        draft(org, start=MONDAY - datetime.timedelta(weeks=weeks))
    assert count(team, LIST) == one
    office = api_client_for(org["office"])
    params = {"start": "2023-01-01", "end": "2023-06-30"}
    few = count(office, MISSING, params)
    for i in range(5):
        make_unit(f"YC-T-W{i}", f"第{i}招商组", UnitKind.TEAM, org.city)
    assert count(office, MISSING, params) == few
