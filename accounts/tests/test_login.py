"""Signing in and out: messages, ?next=, lockout after 5 failures, session limits, audit."""

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.middleware import SESSION_SEEN, SESSION_STARTED
from core.models import AuditAction, AuditEvent, AuditResult
from core.testing import PERSONA_PASSWORD, login_as

LOGIN = "/accounts/login/"


def sign_in(client, username, password=PERSONA_PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def is_signed_in(client):
    response = client.get(reverse("core:home"))
    return response.status_code == 200


def test_the_login_page_is_in_chinese_and_has_no_inline_script_or_style(db):
    response = Client().get(LOGIN)
    body = response.content.decode()
    assert response.status_code == 200
    assert "用户名" in body and "密码" in body
    assert "<script>" not in body and "style=" not in body


def test_a_person_signs_in_with_username_and_password_and_reaches_the_home_page(org):
    client = Client()
    response = sign_in(client, "county")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert is_signed_in(client)


def test_a_wrong_password_gets_a_clear_chinese_message_and_signs_nobody_in(org):
    client = Client()
    response = sign_in(client, "county", "Not-The-Password-1")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert not is_signed_in(client)


def test_an_unknown_username_gets_the_same_message_as_a_wrong_password(org):
    response = sign_in(Client(), "nobody-here", "Whatever-1234")
    assert "用户名或密码错误" in response.content.decode()


def test_a_deactivated_person_cannot_sign_in(org):
    person = org["county"]
    person.is_active = False
    person.save(update_fields=["is_active"])
    client = Client()
    sign_in(client, "county")
    assert not is_signed_in(client)


def test_next_inside_the_site_is_honoured_after_signing_in(org):
    client = Client()
    response = client.post(f"{LOGIN}?next=/accounts/profile/", {"username": "county", "password": PERSONA_PASSWORD})
    assert response["Location"] == "/accounts/profile/"


def test_next_pointing_to_another_site_is_ignored(org):
    client = Client()
    response = client.post(
        f"{LOGIN}?next=https://evil.example.com/", {"username": "county", "password": PERSONA_PASSWORD}
    )
    assert response["Location"] == reverse("core:home")


def test_an_anonymous_visitor_is_sent_to_the_login_page_with_next(db):
    response = Client().get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "next=/accounts/profile/" in response["Location"]


def test_five_wrong_passwords_lock_the_account_and_the_right_password_is_then_refused(org):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "county", "Wrong-Password-1")
        assert response.status_code == 200
        assert "用户名或密码错误" in response.content.decode()
    fifth = sign_in(client, "county", "Wrong-Password-1")
    assert fifth.status_code == 429
    assert "账号已临时锁定" in fifth.content.decode()

    sixth = sign_in(client, "county", PERSONA_PASSWORD)
    body = sixth.content.decode()
    assert sixth.status_code == 429
    assert "账号已临时锁定" in body
    assert "之后再试" in body  # says when to come back
    assert not is_signed_in(client)
    assert not is_signed_in(Client())  # nor from another browser

    lockouts = AuditEvent.objects.filter(action=AuditAction.LOCKOUT, actor_name="county")
    assert lockouts.exists()
    assert lockouts.first().result == AuditResult.FAILURE
    assert "锁定" in lockouts.first().message


def test_a_lockout_of_one_account_does_not_lock_another(org):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "county", "Wrong-Password-1")
    other = Client()
    sign_in(other, "office")
    assert is_signed_in(other)


def test_sign_in_sign_out_and_a_failure_are_audited_with_the_client_ip(org):
    client = Client(REMOTE_ADDR="10.20.30.40")
    sign_in(client, "county", "Wrong-Password-1")
    sign_in(client, "county")
    client.post(reverse("accounts:logout"))

    person = org["county"]
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.actor_id is None
    assert failed.actor_name == "county"
    assert failed.result == AuditResult.FAILURE
    assert failed.ip == "10.20.30.40"

    login = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert (login.actor_id, login.actor_name, login.ip) == (person.pk, "county", "10.20.30.40")
    logout = AuditEvent.objects.get(action=AuditAction.LOGOUT)
    assert (logout.actor_id, logout.ip) == (person.pk, "10.20.30.40")


def test_a_failed_sign_in_never_records_the_password(org):
    sign_in(Client(), "county", "Secret-Typo-9876")
    for event in AuditEvent.objects.all():
        assert "Secret-Typo-9876" not in repr([getattr(event, f.name) for f in AuditEvent._meta.fields])


def test_logout_makes_the_old_session_cookie_useless(org):
    client = Client()
    sign_in(client, "county")
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    response = replay.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_logout_by_get_is_refused(org):
    client = login_as(Client(), org["county"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert is_signed_in(client)


def set_session_clock(client, *, started_ago, seen_ago):
    now = int(time.time())
    session = client.session
    session[SESSION_STARTED] = now - started_ago
    session[SESSION_SEEN] = now - seen_ago
    session.save()


def test_a_session_idle_for_more_than_30_minutes_is_signed_out(org):
    client = Client()
    sign_in(client, "county")
    set_session_clock(client, started_ago=31 * 60, seen_ago=31 * 60)

    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    page = client.get(response["Location"]).content.decode()
    assert "30 分钟未操作" in page
    assert not is_signed_in(client)
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, message__contains="空闲").exists()


def test_a_session_older_than_8_hours_is_signed_out_even_when_active(org):
    client = Client()
    sign_in(client, "county")
    set_session_clock(client, started_ago=8 * 3600 + 60, seen_ago=10)

    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "8 小时" in client.get(response["Location"]).content.decode()
    assert not is_signed_in(client)


def test_an_active_session_within_both_limits_goes_on(org):
    client = Client()
    sign_in(client, "county")
    set_session_clock(client, started_ago=7 * 3600, seen_ago=29 * 60)
    assert is_signed_in(client)


@pytest.mark.parametrize("path", ["/accounts/profile/", "/"])
def test_a_session_made_by_force_login_without_stamps_keeps_working(org, path):
    client = login_as(Client(), org["county"])
    assert client.get(path).status_code == 200
