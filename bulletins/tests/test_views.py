"""The bulletin pages as each persona meets them: the permission matrix, the 生成通报 form and its errors, the page
refreshing itself while the bulletin is generated, the download, publish and delete, and the list's query budget.

Decided here and held by the matrix: the city's office and leaders (and its administrators) read every bulletin
of the city; the units of the city read the published ones only; another city's bulletin is a 404 that never
shows its title; only the office generates, publishes and deletes (a reader who may see it gets a 403).
"""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bulletins import services
from bulletins.choices import Status
from bulletins.models import Bulletin
from core.models import AuditEvent
from core.testing import Case, login_as, make_person, run_matrix, statuses
from organizations.choices import Role

from .conftest import AFTER_MAY, D

pytestmark = pytest.mark.django_db

READERS = ("office", "leader", "sysadmin", "auditadmin")
UNITS = ("team_leader", "team_member", "county", "department")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def u(name, *args):
    return reverse(f"bulletins:{name}", args=args)


def generated(org, capture, month, title, actor=None, owner=None, publish=False):
    with capture(execute=True):
        bulletin = services.request_bulletin(
            actor=actor or org["office"], owner=owner or org.city, year=2023, month=month, title=title, today=AFTER_MAY
        )
    bulletin.refresh_from_db()
    assert bulletin.status == Status.DONE, bulletin.error
    if publish:
        services.publish_bulletin(actor=actor or org["office"], bulletin=bulletin)
    return bulletin


@pytest.fixture
def world(org, django_capture_on_commit_callbacks):
    cap = django_capture_on_commit_callbacks
    org.lf_office = make_person("lf_office", org.other_city, Role.OFFICE_STAFF, "临汾招商中心")
    org.published = generated(org, cap, 5, "运城五月通报", publish=True)
    org.draft = generated(org, cap, 4, "运城四月通报草稿")
    org.elsewhere = generated(org, cap, 5, "临汾五月通报", actor=org.lf_office, owner=org.other_city, publish=True)
    return org


def test_the_permission_matrix_of_reading(world):
    org = world
    yc = ("运城五月通报", "运城四月通报草稿")
    hidden = {p: ["临汾五月通报"] for p in (*READERS, *UNITS)}
    hidden.update({p: ["运城四月通报草稿", "临汾五月通报"] for p in UNITS})
    hidden["outsider"] = list(yc)
    shown = {p: list(yc) for p in READERS} | {p: ["运城五月通报"] for p in UNITS} | {"outsider": ["临汾五月通报"]}
    published, draft, elsewhere = org.published.pk, org.draft.pk, org.elsewhere.pk
    cases = [
        Case(u("bulletin_list"), statuses(200), hidden=hidden, shown=shown, anonymous=302),
        Case(u("bulletin_detail", published), statuses(200, outsider=404), hidden=hidden),
        Case(u("bulletin_detail", draft), {p: 200 for p in READERS}, hidden={p: ["运城四月通报草稿"] for p in UNITS}),
        # 临汾's published bulletin: read by the units of 临汾 (the outsider is one), by no one of 运城.
        Case(
            u("bulletin_detail", elsewhere), {"outsider": 200}, hidden={p: ["临汾五月通报"] for p in (*READERS, *UNITS)}
        ),
        Case(u("bulletin_create"), statuses(403, office=200), anonymous=302),
        Case(u("bulletin_publish", draft), {"office": 200, "leader": 403, "sysadmin": 403, "auditadmin": 403}),
        Case(u("bulletin_delete", elsewhere), {"outsider": 403}),
    ]
    run_matrix(org, cases)
    # Downloads stream the file: the same rule, checked by status.
    for pk, expect in (
        (published, statuses(200, outsider=404)),
        (draft, statuses(404, **dict.fromkeys(READERS, 200))),
        (elsewhere, statuses(404, outsider=200)),
    ):
        for persona, status in expect.items():
            response = login_as(Client(), org[persona]).get(u("bulletin_download", pk))
            assert response.status_code == status, (persona, pk)
    assert Client().get(u("bulletin_download", published)).status_code == 302


def test_the_permission_matrix_of_publishing_and_deleting(world, django_capture_on_commit_callbacks):
    org = world
    office_last = [p for p in org.people if p != "office"] + ["office"]
    to_delete = generated(org, django_capture_on_commit_callbacks, 3, "运城三月通报")
    writers = {"office": 302, "leader": 403, "sysadmin": 403, "auditadmin": 403}
    cases = [
        Case(u("bulletin_publish", org.draft.pk), writers, method="post"),
        Case(u("bulletin_delete", to_delete.pk), writers, method="post"),
        Case(u("bulletin_publish", org.elsewhere.pk), {"outsider": 403}, method="post"),
        Case(u("bulletin_delete", org.elsewhere.pk), {"outsider": 403}, method="post"),
    ]
    run_matrix(org, cases, personas=office_last)
    org.draft.refresh_from_db()
    assert org.draft.published_by == org["office"]
    assert not Bulletin.objects.filter(pk=to_delete.pk).exists()
    assert Bulletin.objects.filter(pk=org.elsewhere.pk).exists()


def test_a_published_bulletin_cannot_be_deleted_from_its_page(world):
    client = login_as(Client(), world["office"])
    before = Bulletin.objects.count(), AuditEvent.objects.exclude(action="login").count()
    response = client.post(u("bulletin_delete", world.published.pk))
    assert response.status_code == 200
    assert "已印发的通报不能删除。" in response.content.decode()
    assert (Bulletin.objects.count(), AuditEvent.objects.exclude(action="login").count()) == before
    page = client.get(u("bulletin_detail", world.published.pk)).content.decode()
    assert 'data-testid="delete-link"' not in page and 'data-testid="publish"' not in page


def test_the_form_refuses_a_month_not_over_and_writes_nothing(org, django_capture_on_commit_callbacks):
    client = login_as(Client(), org["office"])
    page = client.get(u("bulletin_create"))
    assert page.status_code == 200 and "生成通报：运城市" in page.content.decode()
    before = Bulletin.objects.count(), AuditEvent.objects.exclude(action="login").count()
    from django.utils import timezone

    today = timezone.localdate()
    bad = [
        (
            {"year": today.year, "month": today.month},
            "month",
            f"{today.year}年{today.month}月尚未结束，不能生成该月通报。",
        ),
        ({"year": today.year + 1, "month": 1}, "month", f"{today.year + 1}年1月尚未到来，不能生成该月通报。"),
        ({"year": "", "month": 5}, "year", "请填写年份，如 2022。"),
        ({"year": 2023, "month": 13}, "month", "请选择月份（1—12）。"),
        ({"year": 2023, "month": 5, "number": "号" * 61}, "number", ""),
    ]
    for data, field, message in bad:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(u("bulletin_create"), data)
        body = response.content.decode()
        assert response.status_code == 200, data
        assert f'data-testid="error-{field}"' in body, data
        assert message in body
    assert (Bulletin.objects.count(), AuditEvent.objects.exclude(action="login").count()) == before


def test_the_form_generates_the_bulletin_and_shows_it(org, may, django_capture_on_commit_callbacks):
    client = login_as(Client(), org["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(u("bulletin_create"), {"year": 2023, "month": 5, "number": "运招促〔2023〕5号"})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == bulletin.get_absolute_url()
    page = client.get(response["Location"])
    body = page.content.decode()
    assert bulletin.status == Status.DONE
    assert 'http-equiv="refresh"' not in body and "Refresh" not in page
    assert 'data-testid="download-link"' in body and 'data-testid="publish"' in body
    assert "运招促〔2023〕5号" in body and 'value="100"' in body
    visits = may.team_visits + may.other_team_visits
    assert f'<td class="text-end">{visits}</td>' in body
    assert 'style="' not in body and "<script>" not in body


def test_while_queued_or_running_the_page_refreshes_itself_and_shows_the_progress(org):
    bulletin = services.request_bulletin(actor=org["office"], owner=org.city, year=2023, month=5, today=AFTER_MAY)
    client = login_as(Client(), org["office"])
    page = client.get(u("bulletin_detail", bulletin.pk))
    body = page.content.decode()
    assert page["Refresh"] == "2"
    assert '<meta http-equiv="refresh" content="2">' in body
    assert '<progress class="w-100" max="100" value="0"' in body and "排队等待生成" in body
    assert 'data-testid="download-link"' not in body
    assert client.get(u("bulletin_download", bulletin.pk)).status_code == 404
    Bulletin.objects.filter(pk=bulletin.pk).update(status=Status.RUNNING, progress=60, stage="已计算考核排名")
    body = client.get(u("bulletin_detail", bulletin.pk)).content.decode()
    assert 'value="60"' in body and "60%" in body and "已计算考核排名" in body and 'http-equiv="refresh"' in body


def test_the_download_is_the_docx_under_its_chinese_title(world):
    client = login_as(Client(), world["team_member"])
    response = client.get(u("bulletin_download", world.published.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert f"filename*=utf-8''{quote('运城五月通报.docx')}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"PK")
    assert AuditEvent.objects.filter(action="export", object_id=str(world.published.pk)).exists()


def test_the_list_costs_the_same_queries_for_one_bulletin_and_for_many(org, django_assert_max_num_queries):
    def make(month, version=1):
        return Bulletin.objects.create(
            owner=org.city,
            year=2022,
            month=month,
            version=version,
            title=f"关于2022年{month}月份驻点招商工作情况的通报",
            issued_on=D(2022, 12, 5),
            status=Status.DONE,
            progress=100,
            created_by=org["office"],
        )

    make(1)
    client = login_as(Client(), org["leader"])
    client.get(u("bulletin_list"))
    with CaptureQueriesContext(connection) as small:
        assert client.get(u("bulletin_list")).content.decode().count('data-testid="bulletin-link"') == 1
    for month in range(2, 13):
        for version in (1, 2, 3):
            make(month, version)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(u("bulletin_list")).content.decode()
    assert body.count('data-testid="bulletin-link"') == 25
    page2 = client.get(u("bulletin_list"), {"page": 2, "status": "done", "published": "false", "year": 2022})
    assert page2.status_code == 200 and page2.content.decode().count('data-testid="bulletin-link"') == 9


def test_the_menu_offers_the_bulletins_to_everyone_with_a_role(org):
    for persona in ("office", "team_member", "leader"):
        body = login_as(Client(), org[persona]).get(reverse("core:home")).content.decode()
        assert "月度通报" in body and u("bulletin_list") in body
