"""Password rules (等保 2.0), changing one's password, expiry and the forced change after a reset."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import change_password
from core.models import AuditAction, AuditEvent
from core.testing import PERSONA_PASSWORD, login_as, make_person
from organizations.models import User
from organizations.services import reset_password

CHANGE = "/accounts/password/"
GOOD_NEW = "Yc-Zhaoshang-2026#"
SIXTY_FOUR = "Yuncheng-Investment-Promotion-Center-Zhaoshang-Passphrase-2026!x"


def post_change(client, new, old=PERSONA_PASSWORD, repeat=None):
    return client.post(
        CHANGE, {"old_password": old, "new_password": new, "new_password_repeat": new if repeat is None else repeat}
    )


@pytest.fixture
def person(org):
    # A username long and mixed enough that, typed as a password, only the username rules trip.
    return make_person("Li.Ming-2026", org.county, "county_staff", "李明")


def test_the_sixty_four_character_password_in_these_tests_is_sixty_four_characters():
    assert len(SIXTY_FOUR) == 64


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("Ab1!xyz", "密码太短，至少需要 8 个字符。"),
        ("abcdefgh12", "密码须包含小写字母、大写字母、数字、符号中的至少 3 类。"),
        ("Li.Ming-2026", "密码不能与用户名相同。"),
        ("Password1!", "这个密码太常见了。"),
    ],
    ids=["seven-characters", "two-classes", "the-username", "a-common-password"],
)
def test_a_password_breaking_a_rule_is_refused_with_the_chinese_message_on_the_form(person, new_password, message):
    client = login_as(Client(), person)
    response = post_change(client, new_password)
    assert response.status_code == 400
    assert message in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(PERSONA_PASSWORD)
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE_PASSWORD).exists()


def test_a_sixty_four_character_password_is_accepted(person):
    client = login_as(Client(), person)
    response = post_change(client, SIXTY_FOUR)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(SIXTY_FOUR)


def test_the_form_lists_the_password_rules(person):
    body = login_as(Client(), person).get(CHANGE).content.decode()
    assert "至少 8 个字符" in body
    assert "至少 3 类" in body


def test_a_wrong_current_password_is_refused_and_nothing_changes(person):
    client = login_as(Client(), person)
    response = post_change(client, GOOD_NEW, old="Not-My-Password-1")
    assert response.status_code == 400
    assert "原密码不正确" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(PERSONA_PASSWORD)


def test_the_new_password_must_be_typed_the_same_twice(person):
    client = login_as(Client(), person)
    response = post_change(client, GOOD_NEW, repeat=GOOD_NEW + "x")
    assert "两次输入的新密码不一致" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(PERSONA_PASSWORD)


def test_changing_the_password_keeps_this_session_and_ends_the_others(person):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        client.post(reverse("accounts:login"), {"username": person.username, "password": PERSONA_PASSWORD})
    response = post_change(here, GOOD_NEW)
    assert response.status_code == 302
    assert here.get(reverse("core:home")).status_code == 200
    assert elsewhere.get(reverse("core:home")).status_code == 302


def test_the_change_password_service_stamps_the_time_clears_the_forced_change_and_is_audited(person):
    User.objects.filter(pk=person.pk).update(
        must_change_password=True, password_changed_at=timezone.now() - timedelta(days=10)
    )
    person.refresh_from_db()
    before = timezone.now()
    change_password(user=person, old_password=PERSONA_PASSWORD, new_password=GOOD_NEW)
    person.refresh_from_db()
    assert person.check_password(GOOD_NEW)
    assert not person.must_change_password
    assert person.password_changed_at >= before
    event = AuditEvent.objects.get(action=AuditAction.CHANGE_PASSWORD)
    assert event.actor_id == person.pk
    assert GOOD_NEW not in repr((event.before, event.after, event.message))


def test_the_change_password_service_refuses_the_same_password_again(person):
    with pytest.raises(ValidationError) as excinfo:
        change_password(user=person, old_password=PERSONA_PASSWORD, new_password=PERSONA_PASSWORD)
    assert "new_password" in excinfo.value.message_dict


def test_an_expired_password_sends_every_page_to_password_change_until_it_is_changed(org):
    person = org["county"]
    User.objects.filter(pk=person.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "county", "password": PERSONA_PASSWORD})
    assert response.status_code == 302

    for path in ("/", "/accounts/profile/", "/org/units/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(CHANGE), path

    page = client.get(CHANGE).content.decode()
    assert "超过 90 天" in page

    response = post_change(client, GOOD_NEW)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/accounts/profile/").status_code == 200


def test_a_password_just_under_the_age_limit_is_not_forced(org):
    person = org["county"]
    User.objects.filter(pk=person.pk).update(password_changed_at=timezone.now() - timedelta(days=89))
    client = login_as(Client(), person)
    assert client.get("/").status_code == 200


def test_after_an_administrators_reset_the_person_must_change_the_password(org):
    temporary = "Temp-Yuncheng-77!"
    reset_password(actor=org["sysadmin"], person=org["county"], new_password=temporary)
    client = Client()
    client.post(reverse("accounts:login"), {"username": "county", "password": temporary})

    response = client.get("/")
    assert response["Location"].startswith(CHANGE)
    page = client.get(CHANGE).content.decode()
    assert "管理员重置" in page

    response = post_change(client, GOOD_NEW, old=temporary)
    assert response.status_code == 302
    person = User.objects.get(username="county")
    assert not person.must_change_password
    assert client.get("/").status_code == 200


def test_the_password_change_page_comes_after_the_second_factor_for_an_administrator(org):
    admin = org["sysadmin"]
    User.objects.filter(pk=admin.pk).update(must_change_password=True)
    client = Client()
    client.post(reverse("accounts:login"), {"username": "sysadmin", "password": PERSONA_PASSWORD})
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
