"""The TOTP second factor: set-up for administrators, verification for anyone who has a device."""

import time

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditAction, AuditEvent, AuditResult
from core.testing import PERSONA_PASSWORD, login_as

SETUP = "/accounts/otp/setup/"
VERIFY = "/accounts/otp/verify/"


def token_for(device, steps_ahead=0):
    """The token the person's phone shows now (or `steps_ahead` 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_token(device):
    right = token_for(device)
    return "000000" if right != "000000" else "111111"


def sign_in(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": PERSONA_PASSWORD})


def confirmed_device(user):
    return TOTPDevice.objects.create(user=user, name="手机", confirmed=True)


def test_an_administrator_is_sent_to_set_up_totp_and_then_reaches_the_home_page(org):
    client = Client()
    response = sign_in(client, "sysadmin")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)

    # Nothing else is reachable before the second factor is in place.
    for path in ("/", "/accounts/profile/", "/org/units/"):
        held = client.get(path)
        assert held.status_code == 302 and held["Location"].startswith(SETUP), path

    page = client.get(SETUP)
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body and "style=" not in body
    assert "须启用动态口令" in body
    device = TOTPDevice.objects.get(user=org["sysadmin"], confirmed=False)
    secret = body.split('data-testid="otp-secret">')[1].split("<")[0].replace(" ", "")
    assert secret and secret in device.config_url

    response = client.post(SETUP, {"token": token_for(device), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.OTP_SETUP)
    assert event.actor_id == org["sysadmin"].pk
    assert device.key not in repr((event.before, event.after, event.message, event.object_repr))


def test_reloading_the_set_up_page_keeps_the_same_secret(org):
    client = Client()
    sign_in(client, "auditadmin")
    client.get(SETUP)
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=org["auditadmin"]).count() == 1


def test_a_wrong_token_at_set_up_is_refused_audited_and_confirms_nothing(org):
    client = Client()
    sign_in(client, "sysadmin")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=org["sysadmin"])
    response = client.post(SETUP, {"token": wrong_token(device)})
    assert response.status_code == 400
    assert "动态口令不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    event = AuditEvent.objects.get(action=AuditAction.OTP_FAILED)
    assert (event.actor_id, event.result) == (org["sysadmin"].pk, AuditResult.FAILURE)
    assert client.get("/")["Location"].startswith(SETUP)


def test_a_token_that_is_not_six_digits_is_refused_with_a_message(org):
    client = Client()
    sign_in(client, "sysadmin")
    client.get(SETUP)
    response = client.post(SETUP, {"token": "12ab"})
    assert "请输入 6 位数字" in response.content.decode()


def test_a_person_with_a_device_must_verify_after_the_password_even_without_an_admin_role(org):
    device = confirmed_device(org["office"])
    client = Client()
    response = sign_in(client, "office")
    assert response["Location"].startswith(VERIFY)
    held = client.get("/accounts/profile/")
    assert held["Location"].startswith(VERIFY)
    assert "next=%2Faccounts%2Fprofile%2F" in held["Location"]

    response = client.post(VERIFY + "?next=/accounts/profile/", {"token": token_for(device)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert client.get("/").status_code == 200


def test_a_wrong_token_at_verification_is_refused_and_audited(org):
    device = confirmed_device(org["office"])
    client = Client(REMOTE_ADDR="10.1.2.3")
    sign_in(client, "office")
    response = client.post(VERIFY, {"token": wrong_token(device)})
    assert response.status_code == 400
    assert "动态口令不正确" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.OTP_FAILED)
    assert (event.actor_name, event.result, event.ip) == ("office", AuditResult.FAILURE, "10.1.2.3")
    assert client.get("/")["Location"].startswith(VERIFY)


def test_verification_is_throttled_after_repeated_wrong_tokens(org):
    device = confirmed_device(org["office"])
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=10, throttling_failure_timestamp=timezone.now()
    )
    client = Client()
    sign_in(client, "office")
    response = client.post(VERIFY, {"token": token_for(device)})
    assert response.status_code == 400
    assert "错误次数过多" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)


def test_a_person_without_a_device_or_an_admin_role_is_not_asked_for_a_token(org):
    client = Client()
    response = sign_in(client, "county")
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_password_alone_cannot_replace_an_existing_device(org):
    confirmed_device(org["office"])
    client = Client()
    sign_in(client, "office")
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"token": "123456"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=org["office"]).count() == 1


def test_a_verified_person_can_set_up_a_new_phone_which_replaces_the_old_device(org):
    admin = org["sysadmin"]
    client = login_as(Client(), admin)
    old = TOTPDevice.objects.get(user=admin, confirmed=True)
    body = client.get(SETUP).content.decode()
    assert "重新绑定" in body
    new = TOTPDevice.objects.get(user=admin, confirmed=False)
    response = client.post(SETUP, {"token": token_for(new)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=admin).values_list("pk", flat=True)) == [new.pk]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert client.get("/").status_code == 200


def test_a_session_api_call_is_held_at_the_gate_until_the_second_factor(org):
    client = Client()
    sign_in(client, "sysadmin")
    response = client.get("/api/schema/")
    assert response.status_code == 403
    assert "动态口令" in response.json()["detail"]


def test_after_signing_out_and_in_again_the_device_must_be_used_again(org):
    device = confirmed_device(org["office"])
    client = Client()
    sign_in(client, "office")
    client.post(VERIFY, {"token": token_for(device)})
    assert client.get("/").status_code == 200
    client.post(reverse("accounts:logout"))
    sign_in(client, "office")
    assert client.get("/")["Location"].startswith(VERIFY)
    # The token just used may not be replayed; the next step's token is accepted.
    assert client.post(VERIFY, {"token": token_for(device, steps_ahead=1)}).status_code == 302
    assert client.get("/").status_code == 200
