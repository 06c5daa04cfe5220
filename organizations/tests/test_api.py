"""The org API (/api/v1/units/, /api/v1/people/): scope, writes through services, errors, cost."""

import re
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.models import AuditAction, AuditEvent
from core.testing import PERSONAS, Case, api_client_for, login_as, make_person, make_unit, run_matrix
from organizations.choices import Role, TargetRegion, UnitKind
from organizations.models import Membership, Unit, User

UNITS = "/api/v1/units/"
PEOPLE = "/api/v1/people/"
STRONG_PASSWORD = "Zs-Strong-Pass-2026!"
CITY_READERS = ["office", "leader", "sysadmin", "auditadmin"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def unit_url(unit, suffix=""):
    return f"{UNITS}{unit.pk}/{suffix}"


def person_url(person, suffix=""):
    return f"{PEOPLE}{person.pk}/{suffix}"


def expect(default=404, **overrides):
    """Status per persona: `default` unless named."""
    return {p: overrides.get(p, default) for p in PERSONAS}


def everyone_but(persona, texts):
    return {p: texts for p in PERSONAS if p != persona}


def counts():
    return (
        Unit.objects.count(),
        User.objects.count(),
        Membership.objects.filter(active=True).count(),
        AuditEvent.objects.count(),
    )


@contextmanager
def nothing_written():
    before = counts()
    yield
    assert counts() == before, "a refused request wrote something"


def assert_error_on(response, field, *fragments):
    """A 400 whose body names `field` with a Chinese message (containing each fragment)."""
    assert response.status_code == 400, response.content.decode()
    body = response.json()
    assert field in body, body
    messages = " ".join(str(m) for m in body[field])
    assert CJK.search(messages), messages
    for fragment in fragments:
        assert fragment in messages, messages


def last_audit():
    return AuditEvent.objects.order_by("-id").first()


def assert_audited(before_count, action, obj, actor, n=1):
    assert AuditEvent.objects.count() == before_count + n
    event = AuditEvent.objects.filter(action=action, object_id=str(obj.pk)).order_by("-id").first()
    assert event is not None, f"no {action} audit record for {obj}"
    assert event.actor_id == actor.pk
    return event


@pytest.fixture
def admin_api(org):
    return api_client_for(org["sysadmin"])


# --- The permission matrix ------------------------------------------------------------


def test_unit_list_shows_each_persona_only_its_own_subtree(org):
    run_matrix(
        org,
        [
            Case(
                UNITS,
                api=True,
                anonymous=401,
                expect=expect(200),
                hidden={
                    "office": ["古县", "临汾市"],
                    "team_member": ["上海招商组", "盐湖区", "临猗县", "古县"],
                    "county": ["临猗县", "古县", "北京招商组", "运城经开区"],
                    "department": ["北京招商组", "临猗县", "古县"],
                    "leader": ["古县", "临汾市"],
                    "sysadmin": ["古县", "临汾市"],
                    "auditadmin": ["古县", "临汾市"],
                    "outsider": ["运城", "盐湖区", "临猗县", "临汾市"],
                },
                shown={
                    "office": ["北京招商组", "盐湖区", "运城经开区"],
                    "team_member": ["北京招商组"],
                    "county": ["盐湖区", "盐湖区驻点招商小分队"],
                    "sysadmin": ["运城市", "临猗县", "运城经开区"],
                    "outsider": ["古县"],
                },
            )
        ],
    )


def test_unit_detail_is_404_out_of_scope_and_never_leaks_the_name(org):
    run_matrix(
        org,
        [
            Case(
                unit_url(org.county),
                api=True,
                anonymous=401,
                expect=expect(404, county=200, **dict.fromkeys(CITY_READERS, 200)),
                hidden={p: ["盐湖区"] for p in ["team_leader", "team_member", "department", "outsider"]},
            ),
            Case(
                unit_url(org.team),
                api=True,
                anonymous=401,
                expect=expect(404, team_leader=200, team_member=200, **dict.fromkeys(CITY_READERS, 200)),
                hidden={p: ["北京招商组"] for p in ["county", "department", "outsider"]},
            ),
            Case(
                unit_url(org.other_city_county),
                api=True,
                anonymous=401,
                expect=expect(404, outsider=200),
                hidden=everyone_but("outsider", ["古县"]),
            ),
        ],
    )


def test_only_the_system_admin_of_the_parent_can_create_a_unit(org):
    data = {"parent": org.city.pk, "code": "YC-XJ", "name": "新绛县", "kind": UnitKind.COUNTY}
    run_matrix(
        org,
        [
            # The city is visible to its readers (a refusal is 403); to the rest it does not
            # exist, so the parent field is refused like any unknown id (400).
            Case(
                UNITS,
                method="post",
                data=data,
                api=True,
                anonymous=401,
                expect=expect(400, office=403, leader=403, sysadmin=201, auditadmin=403),
            )
        ],
    )
    assert Unit.objects.filter(code="YC-XJ").count() == 1


def test_updating_a_unit_is_for_its_system_admin_only(org):
    run_matrix(
        org,
        [
            Case(
                unit_url(org.team),
                method="patch",
                data={"focus": "精品钢"},
                api=True,
                anonymous=401,
                expect=expect(
                    404, office=403, team_leader=403, team_member=403, leader=403, sysadmin=200, auditadmin=403
                ),
            ),
            Case(
                unit_url(org.other_city_county),
                method="patch",
                data={"name": "改名"},
                api=True,
                anonymous=401,
                expect=expect(404, outsider=403, auditadmin=403),
                hidden=everyone_but("outsider", ["古县"]),
            ),
        ],
    )
    assert Unit.objects.get(pk=org.other_city_county.pk).name == "古县"


def test_moving_a_unit_is_for_its_system_admin_only(org):
    run_matrix(
        org,
        [
            Case(
                unit_url(org.squad, "move/"),
                method="post",
                data={"parent": org.other_county.pk},
                api=True,
                anonymous=401,
                expect=expect(404, office=403, county=403, leader=403, sysadmin=200, auditadmin=403),
            ),
            Case(
                unit_url(org.other_city_county, "move/"),
                method="post",
                data={"parent": org.city.pk},
                api=True,
                anonymous=401,
                expect=expect(404, outsider=403, auditadmin=403),
                hidden=everyone_but("outsider", ["古县"]),
            ),
        ],
    )
    assert Unit.objects.get(pk=org.other_city_county.pk).parent_id == org.other_city.pk


def test_deactivating_a_unit_is_for_its_system_admin_only(org):
    run_matrix(
        org,
        [
            Case(
                unit_url(org.zone, "deactivate/"),
                method="post",
                data={"reason": "并入盐湖区"},
                api=True,
                anonymous=401,
                expect=expect(404, office=403, leader=403, sysadmin=200, auditadmin=403),
            ),
            Case(
                unit_url(org.other_city_county, "deactivate/"),
                method="post",
                data={},
                api=True,
                anonymous=401,
                expect=expect(404, outsider=403, auditadmin=403),
                hidden=everyone_but("outsider", ["古县"]),
            ),
        ],
    )
    assert Unit.objects.get(pk=org.other_city_county.pk).active


def test_people_list_shows_each_persona_only_the_people_in_its_scope(org):
    run_matrix(
        org,
        [
            Case(
                PEOPLE,
                api=True,
                anonymous=401,
                expect=expect(200),
                hidden={
                    "team_member": ["上海组小陈", "盐湖区小张", "古县小刘", "系统管理员"],
                    "county": ["北京组小李", "王峰", "古县小刘"],
                    "office": ["古县小刘"],
                    "sysadmin": ["古县小刘"],
                    "auditadmin": ["古县小刘"],
                    "outsider": ["王峰", "北京组小李", "系统管理员"],
                },
                shown={
                    "office": ["北京组小李", "盐湖区小张"],
                    "team_member": ["王峰", "北京组小李"],
                    "sysadmin": ["上海组小陈", "盐湖区小张"],
                    "outsider": ["古县小刘"],
                },
            )
        ],
    )


def test_person_detail_is_404_out_of_scope(org):
    run_matrix(
        org,
        [
            Case(
                person_url(org["team_member"]),
                api=True,
                anonymous=401,
                expect=expect(404, team_leader=200, team_member=200, **dict.fromkeys(CITY_READERS, 200)),
                hidden={p: ["北京组小李"] for p in ["county", "department", "outsider"]},
            ),
            Case(
                person_url(org["outsider"]),
                api=True,
                anonymous=401,
                expect=expect(404, outsider=200),
                hidden=everyone_but("outsider", ["古县小刘"]),
            ),
        ],
    )


def test_only_the_system_admin_can_add_a_person(org):
    data = {
        "username": "new_staff",
        "name": "新来的小周",
        "password": STRONG_PASSWORD,
        "home_unit": org.county.pk,
        "role": Role.COUNTY_STAFF,
    }
    run_matrix(
        org,
        [
            Case(
                PEOPLE,
                method="post",
                data=data,
                api=True,
                anonymous=401,
                expect=expect(400, office=403, county=403, leader=403, sysadmin=201, auditadmin=403),
            )
        ],
    )
    assert User.objects.filter(username="new_staff").count() == 1


def test_updating_a_person_is_for_the_system_admin_only(org):
    run_matrix(
        org,
        [
            Case(
                person_url(org["team_member"]),
                method="patch",
                data={"title": "组员"},
                api=True,
                anonymous=401,
                expect=expect(
                    404, office=403, team_leader=403, team_member=403, leader=403, sysadmin=200, auditadmin=403
                ),
            ),
            Case(
                person_url(org["outsider"]),
                method="patch",
                data={"title": "科长"},
                api=True,
                anonymous=401,
                expect=expect(404, outsider=403, auditadmin=403),
                hidden=everyone_but("outsider", ["古县小刘"]),
            ),
        ],
    )


def test_deactivating_a_person_is_for_the_system_admin_only(org):
    run_matrix(
        org,
        [
            Case(
                person_url(org.other_team_member, "deactivate/"),
                method="post",
                data={"reason": "调离"},
                api=True,
                anonymous=401,
                expect=expect(404, office=403, leader=403, sysadmin=200, auditadmin=403),
            ),
            Case(
                person_url(org["outsider"], "deactivate/"),
                method="post",
                data={},
                api=True,
                anonymous=401,
                expect=expect(404, outsider=403, auditadmin=403),
                hidden=everyone_but("outsider", ["古县小刘"]),
            ),
        ],
    )
    assert not User.objects.get(pk=org.other_team_member.pk).is_active
    assert User.objects.get(pk=org["outsider"].pk).is_active


# --- What the system administrator can do ---------------------------------------------


def test_the_system_admin_creates_a_county_and_a_team_under_the_city(org, admin_api):
    audits = AuditEvent.objects.count()
    response = admin_api.post(
        UNITS, {"parent": org.city.pk, "code": "YC-XJ", "name": "新绛县", "kind": "county"}, format="json"
    )
    assert response.status_code == 201, response.content.decode()
    county = response.json()
    assert county["kind"] == "county"
    assert county["kind_display"] == "县（市、区）"
    assert county["parent"] == org.city.pk
    assert county["depth"] == org.city.depth + 1
    assert county["active"] is True
    assert_audited(audits, AuditAction.CREATE, Unit.objects.get(pk=county["id"]), org["sysadmin"])

    response = admin_api.post(
        UNITS,
        {
            "parent": org.city.pk,
            "code": "YC-T-SZ",
            "name": "深圳招商组",
            "kind": "team",
            "base_city": "深圳",
            "target_regions": [TargetRegion.PEARL_DELTA],
            "focus": "电子信息",
            "sort_order": 3,
        },
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    team = response.json()
    assert team["base_city"] == "深圳"
    assert team["target_regions"] == ["pearl_delta"]
    assert team["target_region_labels"] == ["珠三角"]
    assert team["sort_order"] == 3
    assert AuditEvent.objects.count() == audits + 2


def test_the_system_admin_edits_a_team(org, admin_api):
    audits = AuditEvent.objects.count()
    response = admin_api.patch(
        unit_url(org.team), {"name": "北京驻点招商组", "target_regions": ["jingjinji", "other"]}, format="json"
    )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["name"] == "北京驻点招商组"
    assert response.json()["target_regions"] == ["jingjinji", "other"]
    event = assert_audited(audits, AuditAction.UPDATE, org.team, org["sysadmin"])
    assert event.after["name"] == "北京驻点招商组"


def test_the_system_admin_moves_a_unit_with_everything_under_it(org, admin_api):
    bureau = make_unit("YC-JKQ-JSJ", "经开区建设局", UnitKind.DEPARTMENT, org.zone)
    audits = AuditEvent.objects.count()
    response = admin_api.post(unit_url(org.zone, "move/"), {"parent": org.county.pk}, format="json")
    assert response.status_code == 200, response.content.decode()
    assert response.json()["parent"] == org.county.pk
    assert response.json()["depth"] == org.county.depth + 1
    bureau.refresh_from_db()
    assert bureau.path == f"{org.county.path}{org.zone.pk}/{bureau.pk}/"
    assert bureau.depth == org.county.depth + 2
    assert_audited(audits, AuditAction.MOVE, org.zone, org["sysadmin"])


def test_the_system_admin_deactivates_an_empty_unit_and_activates_it_again(org, admin_api):
    audits = AuditEvent.objects.count()
    response = admin_api.post(unit_url(org.zone, "deactivate/"), {"reason": "并入盐湖区"}, format="json")
    assert response.status_code == 200, response.content.decode()
    assert response.json()["active"] is False
    event = assert_audited(audits, AuditAction.DEACTIVATE, org.zone, org["sysadmin"])
    assert event.message == "并入盐湖区"

    response = admin_api.post(unit_url(org.zone, "activate/"), format="json")
    assert response.status_code == 200, response.content.decode()
    assert response.json()["active"] is True
    assert_audited(audits + 1, AuditAction.ACTIVATE, org.zone, org["sysadmin"])


def test_the_system_admin_adds_a_person_with_a_role(org, admin_api):
    audits = AuditEvent.objects.count()
    response = admin_api.post(
        PEOPLE,
        {
            "username": "new_staff",
            "name": "新来的小周",
            "password": STRONG_PASSWORD,
            "home_unit": org.county.pk,
            "role": Role.COUNTY_STAFF,
            "phone": "13912345678",
            "title": "科员",
            "email": "zhou@example.cn",
        },
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    person = User.objects.get(username="new_staff")
    assert body["id"] == person.pk
    assert body["home_unit"] == org.county.pk
    assert body["home_unit_name"] == "盐湖区"
    assert body["phone"] == "13912345678"
    assert body["must_change_password"] is True
    assert [(m["unit"], m["role"], m["role_display"], m["active"]) for m in body["memberships"]] == [
        (org.county.pk, "county_staff", "县区/开发区工作人员", True)
    ]
    assert "password" not in body
    assert person.password not in response.content.decode()
    assert person.check_password(STRONG_PASSWORD)
    assert_audited(audits, AuditAction.CREATE, person, org["sysadmin"], n=2)
    assert_audited(audits, AuditAction.ASSIGN_ROLE, person, org["sysadmin"], n=2)


def test_the_system_admin_edits_a_person(org, admin_api):
    person = org["county"]
    audits = AuditEvent.objects.count()
    response = admin_api.patch(
        person_url(person), {"title": "副科长", "phone": "0359-2345678", "home_unit": org.zone.pk}, format="json"
    )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["title"] == "副科长"
    assert response.json()["phone"] == "0359-2345678"
    assert response.json()["home_unit"] == org.zone.pk
    event = assert_audited(audits, AuditAction.UPDATE, person, org["sysadmin"])
    assert event.after == {"title": "副科长", "phone": "0359-2345678", "home_unit": org.zone.pk}


def test_the_system_admin_resets_a_password_that_must_be_changed_at_next_login(org, admin_api):
    person = org["team_member"]
    audits = AuditEvent.objects.count()
    response = admin_api.post(person_url(person, "reset-password/"), {"password": STRONG_PASSWORD}, format="json")
    assert response.status_code == 200, response.content.decode()
    person.refresh_from_db()
    assert person.check_password(STRONG_PASSWORD)
    assert person.must_change_password
    assert response.json()["must_change_password"] is True
    assert person.password not in response.content.decode()
    assert STRONG_PASSWORD not in response.content.decode()
    assert_audited(audits, AuditAction.RESET_PASSWORD, person, org["sysadmin"])


def test_the_system_admin_assigns_and_revokes_a_role(org, admin_api):
    person = org["county"]
    audits = AuditEvent.objects.count()
    response = admin_api.post(
        person_url(person, "roles/"), {"unit": org.zone.pk, "role": Role.COUNTY_STAFF}, format="json"
    )
    assert response.status_code == 201, response.content.decode()
    zone_roles = [m for m in response.json()["memberships"] if m["unit"] == org.zone.pk]
    assert [(m["unit_name"], m["role"], m["active"]) for m in zone_roles] == [("运城经开区", "county_staff", True)]
    assert_audited(audits, AuditAction.ASSIGN_ROLE, person, org["sysadmin"])

    response = admin_api.post(person_url(person, "revoke-role/"), {"membership": zone_roles[0]["id"]}, format="json")
    assert response.status_code == 200, response.content.decode()
    revoked = [m for m in response.json()["memberships"] if m["id"] == zone_roles[0]["id"]]
    assert revoked[0]["active"] is False
    assert not Membership.objects.get(pk=zone_roles[0]["id"]).active
    assert_audited(audits + 1, AuditAction.REVOKE_ROLE, person, org["sysadmin"])


def test_revoking_a_membership_of_someone_else_is_refused(org, admin_api):
    others = Membership.objects.get(user=org["team_member"])
    with nothing_written():
        response = admin_api.post(person_url(org["county"], "revoke-role/"), {"membership": others.pk}, format="json")
    assert_error_on(response, "membership", "任职")
    assert Membership.objects.get(pk=others.pk).active


# --- Bad input: a Chinese message naming the field, nothing written -------------------


def test_a_duplicate_unit_code_is_refused(org, admin_api):
    with nothing_written():
        response = admin_api.post(
            UNITS, {"parent": org.city.pk, "code": "yc-yh", "name": "重复", "kind": "county"}, format="json"
        )
    assert_error_on(response, "code", "已被其他单位使用")


def test_renaming_a_unit_to_a_taken_code_is_refused(org, admin_api):
    with nothing_written():
        response = admin_api.patch(unit_url(org.zone), {"code": "YC-LY"}, format="json")
    assert_error_on(response, "code", "已被其他单位使用")
    assert Unit.objects.get(pk=org.zone.pk).code == "YC-JKQ"


def test_moving_a_unit_under_its_own_descendant_is_refused(org, admin_api):
    with nothing_written():
        response = admin_api.post(unit_url(org.county, "move/"), {"parent": org.squad.pk}, format="json")
    assert_error_on(response, "parent", "下级单位")
    org.county.refresh_from_db()
    assert org.county.parent_id == org.city.pk


def test_moving_a_unit_under_a_parent_of_the_wrong_kind_is_refused(org, admin_api):
    with nothing_written():
        response = admin_api.post(unit_url(org.county, "move/"), {"parent": org.team.pk}, format="json")
    assert_error_on(response, "parent")


def test_deactivating_a_unit_with_active_people_is_refused(org, admin_api):
    with nothing_written():
        response = admin_api.post(unit_url(org.team, "deactivate/"), {"reason": "撤销"}, format="json")
    assert_error_on(response, "non_field_errors", "在岗人员")
    assert Unit.objects.get(pk=org.team.pk).active


def test_a_role_the_unit_kind_does_not_admit_is_refused(org, admin_api):
    with nothing_written():
        response = admin_api.post(
            person_url(org["county"], "roles/"), {"unit": org.county.pk, "role": Role.TEAM_MEMBER}, format="json"
        )
    assert_error_on(response, "role", "组员/队员")


def test_creating_a_person_with_a_role_the_home_unit_does_not_admit_writes_nobody(org, admin_api):
    with nothing_written():
        response = admin_api.post(
            PEOPLE,
            {
                "username": "wrong_role",
                "name": "错角色",
                "password": STRONG_PASSWORD,
                "home_unit": org.county.pk,
                "role": Role.TEAM_MEMBER,
            },
            format="json",
        )
    assert_error_on(response, "role")


@pytest.mark.parametrize("password", ["12345678", "short", "password123", "new_person2026"])
def test_a_weak_password_for_a_new_person_is_refused(org, admin_api, password):
    with nothing_written():
        response = admin_api.post(
            PEOPLE,
            {"username": "new_person2026", "name": "新人", "password": password, "home_unit": org.county.pk},
            format="json",
        )
    assert_error_on(response, "password")


def test_a_weak_password_on_reset_is_refused_and_the_old_one_kept(org, admin_api):
    person = org["team_member"]
    old_hash = person.password
    with nothing_written():
        response = admin_api.post(person_url(person, "reset-password/"), {"password": "abc"}, format="json")
    assert_error_on(response, "password")
    person.refresh_from_db()
    assert person.password == old_hash


def test_a_taken_username_is_refused(org, admin_api):
    with nothing_written():
        response = admin_api.post(
            PEOPLE,
            {"username": "COUNTY", "name": "重名", "password": STRONG_PASSWORD, "home_unit": org.county.pk},
            format="json",
        )
    assert_error_on(response, "username", "已被使用")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"code": "YC-A1", "name": "甲", "kind": "county"}, "parent"),
        ({"parent": 1, "name": "甲", "kind": "county"}, "code"),
        ({"parent": 1, "code": "YC-A1", "kind": "county"}, "name"),
        ({"parent": 1, "code": "YC-A1", "name": "甲", "kind": "village"}, "kind"),
        ({"parent": 1, "code": "YC-A1", "name": "甲", "kind": "team", "target_regions": ["mars"]}, "target_regions"),
        ({"parent": 1, "code": "YC-A1", "name": "甲", "kind": "team", "sort_order": "first"}, "sort_order"),
        ({"parent": 1, "code": "YC-A1", "name": "甲", "kind": "team", "sort_order": -1}, "sort_order"),
        ({"parent": 1, "code": "坏编码!", "name": "甲", "kind": "county"}, "code"),
        ({"parent": 1, "code": "YC-A1", "name": "甲", "kind": "county", "base_city": "北京"}, "base_city"),
        ({"parent": 999999, "code": "YC-A1", "name": "甲", "kind": "county"}, "parent"),
        ({"parent": "one", "code": "YC-A1", "name": "甲", "kind": "county"}, "parent"),
        ({"parent": 1, "code": "YC-A1", "name": "甲", "kind": "county", "path": "/1/"}, "path"),
    ],
)
def test_bad_unit_input_names_the_field_in_chinese(org, admin_api, payload, field):
    if payload.get("parent") == 1:
        payload = {**payload, "parent": org.city.pk}
    with nothing_written():
        response = admin_api.post(UNITS, payload, format="json")
    assert_error_on(response, field)


def test_a_parent_out_of_scope_is_refused_like_one_that_does_not_exist(org, admin_api):
    missing = admin_api.post(UNITS, {"parent": 999999, "code": "YC-A1", "name": "甲", "kind": "county"}, format="json")
    hidden = admin_api.post(
        UNITS, {"parent": org.other_city.pk, "code": "YC-A1", "name": "甲", "kind": "county"}, format="json"
    )
    assert_error_on(missing, "parent")
    assert_error_on(hidden, "parent")
    assert missing.json()["parent"][0].replace("999999", "") == hidden.json()["parent"][0].replace(
        str(org.other_city.pk), ""
    )
    assert "临汾" not in hidden.content.decode()


def test_a_patch_cannot_change_what_only_a_move_may(org, admin_api):
    with nothing_written():
        response = admin_api.patch(unit_url(org.county), {"kind": "zone", "parent": org.province.pk}, format="json")
    assert_error_on(response, "kind")
    assert_error_on(response, "parent")
    assert Unit.objects.get(pk=org.county.pk).kind == UnitKind.COUNTY


def test_a_bad_phone_number_is_refused(org, admin_api):
    with nothing_written():
        response = admin_api.patch(person_url(org["county"]), {"phone": "12345"}, format="json")
    assert_error_on(response, "phone", "电话")


def test_malformed_bodies_get_400_not_500(org, admin_api):
    with nothing_written():
        broken = admin_api.generic("POST", UNITS, "{not json", content_type="application/json")
        a_list = admin_api.post(UNITS, ["YC-A1"], format="json")
        empty = admin_api.post(PEOPLE, {}, format="json")
    assert broken.status_code == 400
    assert a_list.status_code == 400
    assert_error_on(empty, "username")
    assert_error_on(empty, "password")
    assert_error_on(empty, "home_unit")


def test_an_id_that_is_not_a_number_is_a_404(org, admin_api):
    response = admin_api.get(f"{UNITS}abc/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该记录，或您无权查看。"}


def test_a_bad_filter_value_is_a_400(org, admin_api):
    response = admin_api.get(UNITS, {"kind": "village"})
    assert_error_on(response, "kind")


# --- Filters --------------------------------------------------------------------------


def test_unit_list_filters_with_the_unit_filterset(org, admin_api):
    teams = admin_api.get(UNITS, {"kind": "team"}).json()
    assert {u["name"] for u in teams["results"]} == {"北京招商组", "上海招商组"}
    found = admin_api.get(UNITS, {"q": "盐湖"}).json()
    assert {u["name"] for u in found["results"]} == {"盐湖区", "盐湖区驻点招商小分队"}
    children = admin_api.get(UNITS, {"parent": org.county.pk}).json()
    assert [u["name"] for u in children["results"]] == ["盐湖区驻点招商小分队"]


def test_people_list_filters_with_the_person_filterset(org, admin_api):
    members = admin_api.get(PEOPLE, {"role": "team_member"}).json()
    assert {p["username"] for p in members["results"]} == {"team_member", "sh_member"}
    in_team = admin_api.get(PEOPLE, {"unit": org.team.pk}).json()
    assert {p["username"] for p in in_team["results"]} == {"team_leader", "team_member"}


def test_a_filter_never_widens_the_scope(org):
    response = api_client_for(org["county"]).get(UNITS, {"q": "古县"})
    assert response.json()["count"] == 0


# --- Contact details ------------------------------------------------------------------


def test_a_team_member_sees_a_colleagues_phone_masked(org):
    client = api_client_for(org["team_member"])
    colleague = client.get(person_url(org["team_leader"])).json()
    assert colleague["phone"] == "138****0001"
    listing = client.get(PEOPLE).content.decode()
    assert "13800000001" not in listing
    assert "138****0001" in listing
    assert client.get(person_url(org["team_member"])).json()["phone"] == "13800000002"


def test_the_office_sees_phones_unmasked(org):
    client = api_client_for(org["office"])
    response = client.get(person_url(org["team_member"]))
    assert response.status_code == 200
    assert response.json()["phone"] == "13800000002"
    assert "13800000001" in client.get(PEOPLE).content.decode()


def test_a_leader_does_not_need_phones_and_sees_them_masked(org):
    body = api_client_for(org["leader"]).get(person_url(org["team_member"])).json()
    assert body["phone"] == "138****0002"


def test_team_leader_and_system_admin_see_phones(org):
    for persona in ("team_leader", "sysadmin"):
        body = api_client_for(org[persona]).get(person_url(org["team_member"])).json()
        assert body["phone"] == "13800000002", persona


def test_person_output_never_carries_a_password_hash(org, admin_api):
    body = admin_api.get(PEOPLE, {"page_size": 100}).content.decode()
    for person in User.objects.all():
        assert person.password not in body
    assert 'password"' not in body.replace("must_change_password", "")


def test_memberships_in_units_out_of_the_viewers_scope_are_not_shown(org):
    both = make_person("both_teams", org.team, Role.TEAM_MEMBER, "两组兼任")
    Membership.objects.create(user=both, unit=org.other_team, role=Role.TEAM_MEMBER)
    response = api_client_for(org["team_member"]).get(person_url(both))
    assert [m["unit_name"] for m in response.json()["memberships"]] == ["北京招商组"]
    assert "上海招商组" not in response.content.decode()
    body = api_client_for(org["sysadmin"]).get(person_url(both)).json()
    assert sorted(m["unit_name"] for m in body["memberships"]) == ["上海招商组", "北京招商组"]


# --- Query budget ---------------------------------------------------------------------


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"page_size": 100})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def _add_teams(org, n, start):
    for i in range(start, start + n):
        make_unit(f"YC-T-X{i}", f"测试招商组{i}", UnitKind.TEAM, org.city, base_city="杭州", target_regions=["other"])


def _add_people(org, n, start):
    for i in range(start, start + n):
        person = make_person(f"member{i}", org.team, Role.TEAM_MEMBER, f"组员{i}", phone="13600000000")
        Membership.objects.create(user=person, unit=org.other_team, role=Role.TEAM_MEMBER)


def test_unit_list_costs_a_fixed_number_of_queries(org, admin_api, django_assert_max_num_queries):
    _add_teams(org, 5, 0)
    with django_assert_max_num_queries(5):
        few, few_count = _list_queries(admin_api, UNITS)
    _add_teams(org, 55, 5)
    many, many_count = _list_queries(admin_api, UNITS)
    assert many_count - few_count == 55
    assert many == few


def test_people_list_costs_a_fixed_number_of_queries(org, admin_api, django_assert_max_num_queries):
    _add_people(org, 5, 0)
    with django_assert_max_num_queries(6):
        few, few_count = _list_queries(admin_api, PEOPLE)
    _add_people(org, 55, 5)
    many, many_count = _list_queries(admin_api, PEOPLE)
    assert many_count - few_count == 55
    assert many == few


def test_people_list_for_a_team_member_costs_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    client = api_client_for(org["team_member"])
    _add_people(org, 5, 0)
    with django_assert_max_num_queries(6):
        few, few_count = _list_queries(client, PEOPLE)
    _add_people(org, 55, 5)
    many, many_count = _list_queries(client, PEOPLE)
    assert many_count - few_count == 55
    assert many == few


# --- Authentication -------------------------------------------------------------------


def test_a_token_authenticates_an_integrator(org):
    response = api_client_for(org["team_member"]).get(UNITS)
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_an_unknown_token_is_refused(org):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(UNITS).status_code == 401


def test_a_deactivated_persons_token_stops_working(org, admin_api):
    member = api_client_for(org["team_member"])
    assert member.get(UNITS).status_code == 200
    response = admin_api.post(person_url(org["team_member"], "deactivate/"), {"reason": "离职"}, format="json")
    assert response.status_code == 200, response.content.decode()
    assert response.json()["is_active"] is False
    assert member.get(UNITS).status_code == 401
    assert not Token.objects.filter(user=org["team_member"]).exists()


def test_an_inactive_persons_leftover_token_is_refused(org):
    client = api_client_for(org["county"])
    User.objects.filter(pk=org["county"].pk).update(is_active=False)
    assert client.get(UNITS).status_code == 401


def test_an_admin_signed_in_by_session_without_the_second_factor_is_refused(org):
    client = APIClient()
    client.force_login(org["sysadmin"])
    response = client.get(UNITS)
    assert response.status_code == 403
    assert "动态口令" in response.json()["detail"]
    with nothing_written():
        response = client.post(unit_url(org.zone, "deactivate/"), {}, format="json")
    assert response.status_code == 403
    assert Unit.objects.get(pk=org.zone.pk).active


def test_an_admin_signed_in_by_session_with_the_second_factor_is_served(org):
    client = login_as(APIClient(), org["sysadmin"])
    assert client.get(UNITS).status_code == 200
    response = client.post(unit_url(org.zone, "deactivate/"), {}, format="json")
    assert response.status_code == 200, response.content.decode()


def test_a_session_user_who_set_up_totp_must_verify_it(org):
    TOTPDevice.objects.create(user=org["county"], name="phone", confirmed=True)
    client = APIClient()
    client.force_login(org["county"])
    assert client.get(UNITS).status_code == 403


def test_a_session_user_who_needs_no_second_factor_is_served(org):
    client = APIClient()
    client.force_login(org["team_member"])
    assert client.get(UNITS).status_code == 200


def test_the_audit_admin_reads_but_never_writes(org):
    for client in (api_client_for(org["auditadmin"]), login_as(APIClient(), org["auditadmin"])):
        assert client.get(UNITS).status_code == 200
        with nothing_written():
            response = client.post(unit_url(org.zone, "deactivate/"), {}, format="json")
        assert response.status_code == 403
        assert "审计管理员" in response.json()["detail"]


def test_a_service_refusal_is_a_403_with_its_chinese_message(org):
    response = api_client_for(org["leader"]).post(
        UNITS, {"parent": org.city.pk, "code": "YC-A1", "name": "甲", "kind": "county"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "您无权在该单位下新建单位。"


# --- OpenAPI --------------------------------------------------------------------------


def test_the_schema_lists_the_org_endpoints(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/units/",
        "/api/v1/units/{id}/",
        "/api/v1/units/{id}/move/",
        "/api/v1/units/{id}/deactivate/",
        "/api/v1/units/{id}/activate/",
        "/api/v1/people/",
        "/api/v1/people/{id}/",
        "/api/v1/people/{id}/deactivate/",
        "/api/v1/people/{id}/activate/",
        "/api/v1/people/{id}/reset-password/",
        "/api/v1/people/{id}/roles/",
        "/api/v1/people/{id}/revoke-role/",
    ]:
        assert path in paths, path
    assert "put" not in paths["/api/v1/units/{id}/"]
