"""The profile page and the API token issued from it."""

from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.request import Request

from core.models import AuditAction, AuditEvent
from core.testing import login_as

PROFILE = "/accounts/profile/"
TOKEN = "/accounts/token/"


def test_the_profile_shows_name_username_home_unit_roles_and_phone(org):
    body = login_as(Client(), org["team_leader"]).get(PROFILE).content.decode()
    for text in ("王峰", "team_leader", "北京招商组", "组长/队长", "13800000001"):
        assert text in body
    assert reverse("accounts:password_change") in body


def test_the_profile_shows_whether_totp_is_on(org):
    client = login_as(Client(), org["county"])
    assert "未启用" in client.get(PROFILE).content.decode()
    TOTPDevice.objects.create(user=org["county"], name="手机", confirmed=True)
    admin_page = login_as(Client(), org["sysadmin"]).get(PROFILE).content.decode()
    assert "已启用" in admin_page
    assert "重新绑定" in admin_page


def test_issuing_an_api_token_shows_it_once_and_it_authenticates_api_requests(org):
    person = org["county"]
    client = login_as(Client(), person)
    response = client.post(TOKEN)
    assert response.status_code == 302
    assert response["Location"] == PROFILE

    token = Token.objects.get(user=person)
    assert token.key in client.get(PROFILE).content.decode()
    assert token.key not in client.get(PROFILE).content.decode()  # shown once only

    request = Request(RequestFactory().get("/api/v1/", HTTP_AUTHORIZATION=f"Token {token.key}"))
    user, _ = TokenAuthentication().authenticate(request)
    assert user.pk == person.pk
    try:
        people_api = reverse("organizations_api:person-list")
    except NoReverseMatch:  # the API is built in parallel; the token itself is checked above
        people_api = None
    if people_api:
        assert Client().get(people_api, HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
        assert Client().get(people_api, HTTP_AUTHORIZATION="Token not-a-real-token").status_code in (401, 403)

    event = AuditEvent.objects.get(action=AuditAction.TOKEN_CREATE)
    assert event.actor_id == person.pk
    assert token.key not in repr([getattr(event, f.name) for f in AuditEvent._meta.fields])


def test_regenerating_the_token_makes_the_old_one_stop_working(org):
    person = org["county"]
    client = login_as(Client(), person)
    client.post(TOKEN)
    old = Token.objects.get(user=person).key
    client.post(TOKEN)
    assert Token.objects.filter(user=person).count() == 1
    assert not Token.objects.filter(key=old).exists()


def test_a_token_is_issued_only_by_post(org):
    client = login_as(Client(), org["county"])
    assert client.get(TOKEN).status_code == 405
    assert not Token.objects.exists()


def test_a_person_held_at_the_second_factor_cannot_issue_a_token(org):
    client = Client()
    client.post(reverse("accounts:login"), {"username": "sysadmin", "password": "Zs-Persona-2026!"})
    response = client.post(TOKEN)
    assert response.status_code == 302
    assert not Token.objects.exists()
