"""The audit log pages: the audit administrator reads them; nobody else, and nobody writes."""

import datetime
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from core.audit import record, verify_chain
from core.models import AuditAction, AuditEvent, AuditResult
from core.testing import Case, login_as, make_person, run_matrix
from organizations.choices import Role

pytestmark = pytest.mark.django_db

LIST = reverse("core:audit_list")


def detail_url(event):
    return reverse("core:audit_detail", args=[event.pk])


def at(utc_text):
    """Record an event as if it happened at this UTC time."""
    moment = datetime.datetime.fromisoformat(utc_text).replace(tzinfo=datetime.UTC)
    return mock.patch("core.audit.timezone.now", return_value=moment)


@pytest.fixture
def auditor(org):
    return login_as(Client(), org["auditadmin"])


@pytest.fixture
def events(org):
    """A small log: a unit renamed by the system administrator and a failed login."""
    with at("2026-03-01 16:30:00"):
        renamed = record(
            action=AuditAction.UPDATE,
            actor=org["sysadmin"],
            obj=org.team,
            before={"name": "北京组", "focus": "钢"},
            after={"name": "北京招商组", "focus": "精品钢、碳基新材料"},
            message="更名",
        )
    with at("2026-03-03 02:00:00"):
        failed = record(
            action=AuditAction.LOGIN_FAILED,
            actor_name="guess_who",
            result=AuditResult.FAILURE,
            message="口令错误",
        )
    return renamed, failed


def page(client, params=None, **headers):
    response = client.get(LIST, params or {}, **headers)
    assert response.status_code == 200
    return response.content.decode()


# --- who may read ----------------------------------------------------------------------


def test_only_the_audit_administrator_may_open_the_audit_pages(org, events):
    renamed, _ = events
    run_matrix(
        org,
        [
            Case(LIST, expect={"auditadmin": 200}, default=403, anonymous=302, shown={"auditadmin": ["北京招商组"]}),
            Case(
                detail_url(renamed),
                expect={"auditadmin": 200},
                default=403,
                anonymous=302,
                hidden={p: ["精品钢、碳基新材料"] for p in org.people if p != "auditadmin"},
            ),
        ],
    )


def test_the_system_administrator_is_refused_with_a_reason_in_chinese(org, events):
    client = login_as(Client(), org["sysadmin"])
    response = client.get(LIST)
    assert response.status_code == 403
    assert "无权" in response.content.decode() or "三员分立" in response.content.decode()


def test_holding_the_audit_role_does_not_let_a_system_administrator_in(org, events):
    from organizations.models import Membership

    both = make_person("both", org.city, Role.SYSTEM_ADMIN, "兼任者")
    Membership.objects.create(user=both, unit=org.city, role=Role.AUDIT_ADMIN)
    client = login_as(Client(), both)
    assert client.get(LIST).status_code == 403
    assert client.get(detail_url(events[0])).status_code == 403
    assert "三员分立" in client.get(LIST).content.decode()


def test_the_audit_administrator_cannot_change_anything(auditor, events):
    renamed, _ = events
    before = list(AuditEvent.objects.order_by("id").values())
    for url in (LIST, detail_url(renamed)):
        for method in ("post", "put", "patch", "delete"):
            response = getattr(auditor, method)(url, {"message": "改过了"})
            assert response.status_code == 405, (method, url)
    assert list(AuditEvent.objects.order_by("id").values()) == before
    assert verify_chain().ok


def all_views(patterns):
    from django.urls import URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from all_views(pattern.url_patterns)
        else:
            yield getattr(pattern.callback, "view_class", pattern.callback)


def test_there_is_no_page_that_writes_the_audit_log():
    from django.urls import get_resolver

    from core.audit_views import AuditDetailView, AuditListView

    audit_views = {v for v in all_views(get_resolver().url_patterns) if getattr(v, "model", None) is AuditEvent}
    assert audit_views == {AuditListView, AuditDetailView}
    for view in audit_views:
        assert set(view.http_method_names) <= {"get", "head"}


# --- the list --------------------------------------------------------------------------


def test_the_list_shows_time_in_beijing_actor_ip_action_object_and_result(auditor, events):
    body = page(auditor)
    # 16:30 UTC on 1 March is 00:30 on 2 March in Beijing.
    assert "2026-03-02 00:30:00" in body
    assert "2026-03-03 10:00:00" in body
    assert "sysadmin" in body
    assert "guess_who" in body
    assert "修改" in body
    assert "登录失败" in body
    assert "北京招商组" in body
    assert "organizations.unit" in body
    assert "成功" in body
    assert "失败" in body
    assert "审计日志" in body


def test_the_list_shows_the_clients_address(org, auditor):
    request = mock.Mock(META={"REMOTE_ADDR": "10.12.3.4"}, user=org["sysadmin"])
    record(action=AuditAction.EXPORT, request=request, message="导出")
    assert "10.12.3.4" in page(auditor)


def test_the_list_is_newest_first(auditor, events):
    renamed, failed = events
    body = page(auditor)
    assert body.index(detail_url(failed)) < body.index(detail_url(renamed))


def test_the_list_is_paginated(auditor):
    created = [record(action=AuditAction.LOGIN, actor_name=f"用户{i:02d}") for i in range(30)]
    first = page(auditor)
    assert detail_url(created[-1]) in first
    assert detail_url(created[0]) not in first
    second = page(auditor, {"page": 2})
    assert detail_url(created[0]) in second
    assert detail_url(created[-1]) not in second


def test_the_list_gives_the_number_of_records_with_and_without_filters(auditor, events):
    for i in range(3):
        record(action=AuditAction.EXPORT, actor_name=f"导出人{i}")
    # Logging in may itself be audited: count what is there.
    assert f"共 {AuditEvent.objects.count()} 条" in page(auditor)
    assert "共 3 条" in page(auditor, {"action": AuditAction.EXPORT})
    assert "没有符合条件的审计记录" in page(auditor, {"action": AuditAction.IMPORT})


def test_the_unfiltered_list_takes_its_count_from_the_chain_head_not_count_star(auditor, events):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page(auditor)
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "core_auditevent" in q["sql"]]
    assert counts == []


def test_a_page_past_the_end_shows_the_last_page(auditor, events):
    body = page(auditor, {"page": 999})
    assert detail_url(events[0]) in body
    body = page(auditor, {"page": "abc"})
    assert detail_url(events[1]) in body


def test_an_htmx_request_gets_only_the_table(auditor, events):
    body = page(auditor, HTTP_HX_REQUEST="true")
    assert "<html" not in body
    assert "sysadmin" in body


def test_the_pages_carry_no_inline_script_or_style(auditor, events):
    for url in (LIST, detail_url(events[0])):
        body = auditor.get(url).content.decode()
        assert "style=" not in body
        assert "<script>" not in body
        assert "onclick" not in body


# --- filters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "shows_renamed", "shows_failed"),
    [
        ({"created_from": "2026-03-02"}, True, True),  # 00:30 Beijing on the 2nd counts as the 2nd
        ({"created_from": "2026-03-03"}, False, True),
        ({"created_to": "2026-03-01"}, False, False),
        ({"created_to": "2026-03-02"}, True, False),
        ({"created_from": "2026-03-02", "created_to": "2026-03-02"}, True, False),
        ({"actor": "SYSADM"}, True, False),
        ({"actor": "guess"}, False, True),
        ({"action": AuditAction.LOGIN_FAILED}, False, True),
        ({"action": AuditAction.UPDATE}, True, False),
        ({"object_type": "organizations.unit"}, True, False),
        ({"result": AuditResult.FAILURE}, False, True),
        ({"result": AuditResult.SUCCESS}, True, False),
    ],
)
def test_each_filter_narrows_the_list(auditor, events, params, shows_renamed, shows_failed):
    renamed, failed = events
    body = page(auditor, params)
    assert (detail_url(renamed) in body) is shows_renamed
    assert (detail_url(failed) in body) is shows_failed


def test_filter_by_object_id(auditor, events, org):
    renamed, failed = events
    body = page(auditor, {"object_id": str(org.team.pk)})
    assert detail_url(renamed) in body
    assert detail_url(failed) not in body


def test_filter_by_ip_address_or_its_prefix(auditor, org):
    def from_ip(ip):
        return record(action=AuditAction.LOGIN, request=mock.Mock(META={"REMOTE_ADDR": ip}, user=org["office"]))

    office, home = from_ip("10.12.3.4"), from_ip("192.168.1.5")
    body = page(auditor, {"ip": "10.12.3.4"})
    assert detail_url(office) in body
    assert detail_url(home) not in body
    body = page(auditor, {"ip": "10.12."})
    assert detail_url(office) in body
    assert detail_url(home) not in body


def test_a_date_range_the_wrong_way_round_is_explained_in_chinese(auditor, events):
    body = page(auditor, {"created_from": "2026-03-05", "created_to": "2026-03-01"})
    assert "结束日期不能早于开始日期" in body
    assert detail_url(events[0]) not in body


def test_a_malformed_date_is_refused_not_a_500(auditor, events):
    body = page(auditor, {"created_from": "昨天"})
    assert detail_url(events[0]) not in body


def test_the_filter_form_offers_the_actions_in_chinese(auditor, events):
    body = page(auditor)
    assert "开始日期" in body
    assert "操作人" in body
    assert "重置密码" in body


# --- the detail page -------------------------------------------------------------------


def test_the_detail_shows_every_field_pretty_json_and_both_hashes(auditor, events, org):
    renamed, _ = events
    response = auditor.get(detail_url(renamed))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "2026-03-02 00:30:00",
        "sysadmin",
        "修改",
        "organizations.unit",
        str(org.team.pk),
        "北京招商组",
        "成功",
        "更名",
        renamed.hash,
        renamed.prev_hash,
    ):
        assert text in body, text
    # Pretty-printed: one key per line, indented, Chinese kept as Chinese.
    assert "\n  &quot;focus&quot;: &quot;精品钢、碳基新材料&quot;" in body
    assert "\n  &quot;name&quot;: &quot;北京组&quot;" in body


def test_an_unknown_record_is_a_404_in_chinese(auditor):
    response = auditor.get(reverse("core:audit_detail", args=[999999]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


# --- query budget ----------------------------------------------------------------------

QUERY_BUDGET = 12


def test_the_list_costs_the_same_number_of_queries_for_10_or_200_events(auditor, org, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            record(action=AuditAction.UPDATE, actor=org["sysadmin"], obj=org.team, after={"i": i})

    add(10)
    auditor.get(LIST)  # warm the session
    with django_assert_max_num_queries(QUERY_BUDGET) as small:
        assert auditor.get(LIST).status_code == 200
    add(190)
    with django_assert_max_num_queries(QUERY_BUDGET) as large:
        assert auditor.get(LIST).status_code == 200
    with django_assert_max_num_queries(QUERY_BUDGET) as filtered:
        assert auditor.get(LIST, {"action": AuditAction.UPDATE, "page": 3}).status_code == 200
    assert len(small) == len(large) == len(filtered)
