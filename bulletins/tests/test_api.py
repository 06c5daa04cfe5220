"""/api/v1/bulletins/: request (generated in the background, polled), read, publish, download and delete — the same
services and scope as the pages; bad input gets a Chinese message and writes nothing; the list's query budget."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletins.choices import Status
from bulletins.models import Bulletin
from core.models import AuditEvent
from core.testing import Case, api_client_for, run_matrix, statuses

from .conftest import D

pytestmark = pytest.mark.django_db

LIST = "/api/v1/bulletins/"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def one(pk, action=""):
    return f"{LIST}{pk}/{action + '/' if action else ''}"


def written():
    return Bulletin.objects.count(), AuditEvent.objects.exclude(action="login").count()


def test_the_office_requests_a_bulletin_polls_it_publishes_and_downloads_it(
    org, may, django_capture_on_commit_callbacks
):
    client = api_client_for(org["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, {"year": 2023, "month": 5, "number": "运招促〔2023〕5号"}, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["status"], created["version"], created["download_url"]) == ("queued", 1, None)
    body = client.get(one(created["id"])).json()
    assert (body["status"], body["progress"], body["stage"]) == ("done", 100, "已生成")
    visits = may.team_visits + may.other_team_visits
    assert body["figures"]["totals"]["visits"]["month"] == str(visits)
    assert body["download_url"].endswith(one(created["id"], "download"))
    assert body["published"] is False
    published = client.post(one(created["id"], "publish"))
    assert published.status_code == 200 and published.json()["published"] is True
    again = client.post(one(created["id"], "publish"))
    assert again.status_code == 400 and "已于" in again.json()["status"][0]
    member = api_client_for(org["team_member"])
    file = member.get(one(created["id"], "download"))
    assert file.status_code == 200 and file["Content-Type"] == DOCX
    assert f"filename*=utf-8''{quote(body['title'] + '.docx')}" in file["Content-Disposition"]
    assert b"".join(file.streaming_content).startswith(b"PK")
    assert member.get(LIST).json()["count"] == 1


def test_bad_requests_get_a_chinese_message_and_write_nothing(org):
    client = api_client_for(org["office"])
    before = written()
    from django.utils import timezone

    today = timezone.localdate()
    cases = [
        ({"year": today.year, "month": today.month}, "month", "尚未结束"),
        ({"year": 2023, "month": 0}, "month", "月份须在 1 到 12 之间"),
        ({"year": 2023}, "month", ""),
        ({"year": 2023, "month": 5, "number": "号" * 61}, "number", ""),
        ({"year": 2023, "month": 5, "status": "done"}, "status", "不能在此填写或修改该字段"),
    ]
    for data, field, message in cases:
        response = client.post(LIST, data, format="json")
        assert response.status_code == 400, data
        assert message in response.json()[field][0]
    for persona in ("leader", "team_member", "auditadmin", "outsider"):
        response = api_client_for(org[persona]).post(LIST, {"year": 2023, "month": 5}, format="json")
        assert response.status_code == 403
    assert written() == before


def test_the_api_matrix_follows_the_pages_scope(org, django_capture_on_commit_callbacks):
    from bulletins import services

    def make(month, publish=False):
        with django_capture_on_commit_callbacks(execute=True):
            bulletin = services.request_bulletin(
                actor=org["office"], owner=org.city, year=2023, month=month, today=D(2023, 6, 5)
            )
        if publish:
            services.publish_bulletin(actor=org["office"], bulletin=bulletin)
        return bulletin

    published, draft, doomed = make(5, publish=True), make(4), make(3)
    readers = ("office", "leader", "sysadmin", "auditadmin")
    cases = [
        Case(LIST, statuses(200), api=True, anonymous=401),
        Case(one(published.pk), statuses(200, outsider=404), api=True),
        Case(one(draft.pk), dict.fromkeys(readers, 200), api=True),
        Case(
            one(draft.pk, "publish"),
            {"leader": 403, "sysadmin": 403, "auditadmin": 403, "office": 200},
            method="post",
            api=True,
        ),
        Case(
            one(published.pk),
            {
                "leader": 403,
                "sysadmin": 403,
                "auditadmin": 403,
                "office": 400,
                "team_leader": 403,
                "team_member": 403,
                "county": 403,
                "department": 403,
            },
            method="delete",
            api=True,
        ),
        Case(
            one(doomed.pk),
            {"leader": 403, "sysadmin": 403, "auditadmin": 403, "office": 204},
            method="delete",
            api=True,
        ),
    ]
    # The office comes last: its writes (publish, delete) would change what the others may see.
    run_matrix(org, cases, personas=[p for p in org.people if p != "office"] + ["office"])
    assert not Bulletin.objects.filter(pk=doomed.pk).exists()
    counts = {p: api_client_for(org[p]).get(LIST).json()["count"] for p in ("office", "team_member", "outsider")}
    assert counts == {"office": 2, "team_member": 2, "outsider": 0}  # the draft was published above


def test_a_page_of_one_or_fifty_bulletins_costs_the_same_queries(org, django_assert_max_num_queries):
    def make(month, version=1):
        Bulletin.objects.create(
            owner=org.city,
            year=2022,
            month=month,
            version=version,
            title=f"关于2022年{month}月份驻点招商工作情况的通报",
            issued_on=D(2022, 12, 5),
            status=Status.DONE,
            progress=100,
            figures={"totals": {}},
            created_by=org["office"],
        )

    make(1)
    client = api_client_for(org["leader"])
    client.get(LIST)
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST).json()["count"] == 1
    for month in range(1, 13):
        for version in range(2, 7):
            make(month, version)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(LIST).json()
    assert body["count"] == 61 and len(body["results"]) == 50
    assert body["results"][0]["owner_name"] == "运城市"
