"""The org pages as each persona meets them: the permission matrix, forms, bad input, query budgets."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from core.testing import Case, login_as, make_person, make_unit, run_matrix, statuses
from organizations.choices import Role, UnitKind
from organizations.models import Membership, Unit, User


def test_permission_matrix_for_unit_pages(org):
    county, other_city_county, team = org.county, org.other_city_county, org.team
    u = lambda name, *args: reverse(f"organizations:{name}", args=args)  # noqa: E731
    cases = [
        Case(
            u("unit_tree"),
            statuses(200),
            hidden={
                "county": ["临猗县", "古县", "北京招商组"],
                "team_member": ["盐湖区", "古县", "上海招商组"],
                "outsider": ["运城市", "盐湖区"],
                "office": ["古县"],
                "sysadmin": ["古县"],
            },
            shown={"county": ["盐湖区", "盐湖区驻点招商小分队"], "office": ["临猗县", "北京招商组"]},
            anonymous=302,
        ),
        Case(u("unit_list"), statuses(200), hidden={"county": ["临猗县"], "outsider": ["盐湖区"]}, anonymous=302),
        # In scope for the city's readers and the county itself; a 404 (not 403) for the rest.
        Case(
            u("unit_detail", county.pk),
            statuses(404, office=200, county=200, leader=200, sysadmin=200, auditadmin=200),
            hidden={p: ["盐湖区小张"] for p in ("team_member", "department", "outsider")},
        ),
        Case(u("unit_detail", other_city_county.pk), statuses(404, outsider=200)),
        Case(
            u("unit_detail", team.pk),
            statuses(404, office=200, leader=200, sysadmin=200, auditadmin=200, team_leader=200, team_member=200),
        ),
        Case(u("unit_create"), statuses(403, sysadmin=200), anonymous=302),
        # Change pages: visible but not theirs to change → 403; not visible → 404.
        Case(
            u("unit_edit", county.pk), statuses(404, office=403, county=403, leader=403, auditadmin=403, sysadmin=200)
        ),
        Case(
            u("unit_move", county.pk), statuses(404, office=403, county=403, leader=403, auditadmin=403, sysadmin=200)
        ),
        Case(
            u("unit_deactivate", county.pk),
            statuses(404, office=403, county=403, leader=403, auditadmin=403, sysadmin=200),
        ),
        Case(u("unit_edit", other_city_county.pk), statuses(404, outsider=403)),
        Case(
            u("unit_edit", county.pk),
            statuses(404, office=403, county=403, leader=403, auditadmin=403, sysadmin=200),
            method="post",
            data={"code": ""},
        ),
    ]
    run_matrix(org, cases)


def test_permission_matrix_for_people_pages(org):
    u = lambda name, *args: reverse(f"organizations:{name}", args=args)  # noqa: E731
    county_person, member, stranger = org["county"], org["team_member"], org["outsider"]
    cases = [
        Case(
            u("person_list"),
            statuses(200),
            hidden={
                "county": ["北京组小李", "古县小刘"],
                "team_member": ["盐湖区小张", "上海组小陈"],
                "outsider": ["盐湖区小张", "北京组小李"],
                "office": ["古县小刘"],
            },
            shown={"team_member": ["王峰", "北京组小李"], "office": ["盐湖区小张", "北京组小李"]},
            anonymous=302,
        ),
        Case(
            u("person_detail", county_person.pk),
            statuses(404, office=200, county=200, leader=200, sysadmin=200, auditadmin=200),
        ),
        Case(u("person_detail", stranger.pk), statuses(404, outsider=200)),
        Case(
            u("person_detail", member.pk),
            statuses(404, office=200, team_leader=200, team_member=200, leader=200, sysadmin=200, auditadmin=200),
        ),
        Case(u("person_create"), statuses(403, sysadmin=200)),
        Case(
            u("person_edit", member.pk),
            statuses(404, office=403, team_leader=403, team_member=403, leader=403, auditadmin=403, sysadmin=200),
        ),
        Case(
            u("person_reset_password", member.pk),
            statuses(404, office=403, team_leader=403, team_member=403, leader=403, auditadmin=403, sysadmin=200),
        ),
        Case(
            u("person_assign_role", member.pk),
            statuses(404, office=403, team_leader=403, team_member=403, leader=403, auditadmin=403, sysadmin=200),
        ),
        Case(
            u("person_deactivate", member.pk),
            statuses(404, office=403, team_leader=403, team_member=403, leader=403, auditadmin=403, sysadmin=200),
        ),
        Case(u("person_edit", stranger.pk), statuses(404, outsider=403)),
    ]
    run_matrix(org, cases)


def logs_in(username, password):
    """Whether the login page lets this username and password in (axes and all)."""
    response = Client().post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code == 302


def admin_client(org):
    return login_as(Client(), org["sysadmin"])


def test_admin_creates_a_county_and_a_team_under_it_through_the_pages(org):
    client = admin_client(org)
    response = client.post(
        reverse("organizations:unit_create"),
        {"parent": org.city.pk, "kind": UnitKind.COUNTY, "code": "YC-WR", "name": "万荣县", "sort_order": 3},
    )
    county = Unit.objects.get(code="YC-WR")
    assert response.status_code == 302 and response["Location"] == county.get_absolute_url()
    response = client.post(
        reverse("organizations:unit_create"),
        {
            "parent": county.pk,
            "kind": UnitKind.SQUAD,
            "code": "YC-WR-XFD",
            "name": "万荣县驻点招商小分队",
            "base_city": "苏州",
            "target_regions": ["yangtze_delta", "jingjinji"],
            "focus": "新材料",
        },
    )
    squad = Unit.objects.get(code="YC-WR-XFD")
    assert squad.parent == county and squad.target_regions == ["yangtze_delta", "jingjinji"]
    page = client.get(county.get_absolute_url()).content.decode()
    assert "万荣县驻点招商小分队" in page
    tree = client.get(reverse("organizations:unit_tree")).content.decode()
    assert tree.index("万荣县") < tree.index("万荣县驻点招商小分队")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "county", "code": "YC-YH", "name": "重复"}, "已被其他单位使用"),
        ({"kind": "county", "code": "bad code!", "name": "坏编码"}, "编码只能由"),
        ({"kind": "city", "code": "X-9", "name": "错位"}, "不能设在"),
        ({"kind": "county", "code": "", "name": ""}, "该字段是必填项"),
    ],
)
def test_bad_unit_input_gets_a_chinese_message_and_writes_nothing(org, data, message):
    client = admin_client(org)
    before = (Unit.objects.count(), AuditEvent.objects.count())
    response = client.post(reverse("organizations:unit_create"), {"parent": org.city.pk, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Unit.objects.count(), AuditEvent.objects.count()) == before


def test_moving_a_unit_under_its_own_descendant_is_not_offered_and_refused(org):
    client = admin_client(org)
    url = reverse("organizations:unit_move", args=[org.county.pk])
    page = client.get(url).content.decode()
    assert f'value="{org.squad.pk}"' not in page
    response = client.post(url, {"parent": org.squad.pk})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    org.county.refresh_from_db()
    assert org.county.parent == org.city


def test_moving_a_unit_through_the_page(org):
    client = admin_client(org)
    response = client.post(reverse("organizations:unit_move", args=[org.squad.pk]), {"parent": org.other_county.pk})
    assert response.status_code == 302
    org.squad.refresh_from_db()
    assert org.squad.parent == org.other_county


def test_deactivating_a_unit_with_people_shows_why_and_keeps_it(org):
    client = admin_client(org)
    response = client.post(reverse("organizations:unit_deactivate", args=[org.team.pk]), {"reason": "撤并"})
    assert response.status_code == 200
    assert "在岗人员" in response.content.decode()
    org.team.refresh_from_db()
    assert org.team.active


def test_deactivating_and_reactivating_an_empty_unit(org):
    client = admin_client(org)
    assert (
        client.post(reverse("organizations:unit_deactivate", args=[org.zone.pk]), {"reason": "撤并"}).status_code == 302
    )
    org.zone.refresh_from_db()
    assert not org.zone.active
    tree = client.get(reverse("organizations:unit_tree")).content.decode()
    assert "运城经开区" not in tree
    assert "运城经开区" in client.get(reverse("organizations:unit_tree") + "?inactive=1").content.decode()
    assert client.post(reverse("organizations:unit_activate", args=[org.zone.pk])).status_code == 302
    org.zone.refresh_from_db()
    assert org.zone.active


def test_admin_adds_a_member_with_a_role_and_the_member_can_log_in(org):
    client = admin_client(org)
    response = client.post(
        reverse("organizations:person_create"),
        {
            "username": "liuyang",
            "name": "刘洋",
            "home_unit": org.team.pk,
            "role": Role.TEAM_MEMBER,
            "phone": "13711112222",
            "password1": "Beijing#Team2026",
            "password2": "Beijing#Team2026",
        },
    )
    person = User.objects.get(username="liuyang")
    assert response.status_code == 302
    assert Membership.objects.filter(user=person, unit=org.team, role=Role.TEAM_MEMBER, active=True).exists()
    assert logs_in("liuyang", "Beijing#Team2026")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": Role.COUNTY_STAFF}, "不能在"),
        ({"password2": "Different#2026"}, "两次输入的密码不一致"),
        ({"password1": "short", "password2": "short"}, "至少"),
        ({"phone": "123"}, "有效的电话号码"),
        ({"username": "OFFICE"}, "已被使用"),
    ],
)
def test_bad_person_input_gets_a_chinese_message_and_writes_nothing(org, data, message):
    client = admin_client(org)
    form = {
        "username": "newbie",
        "name": "新人",
        "home_unit": org.team.pk,
        "role": Role.TEAM_MEMBER,
        "password1": "Beijing#Team2026",
        "password2": "Beijing#Team2026",
    }
    form.update(data)
    before = (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    response = client.post(reverse("organizations:person_create"), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before


def test_assigning_a_role_that_does_not_fit_the_unit_is_refused(org):
    client = admin_client(org)
    member = org["team_member"]
    response = client.post(
        reverse("organizations:person_assign_role", args=[member.pk]), {"unit": org.county.pk, "role": Role.TEAM_LEADER}
    )
    assert response.status_code == 200
    assert "不能在“县（市、区）”类单位任职" in response.content.decode()
    response = client.post(
        reverse("organizations:person_assign_role", args=[member.pk]), {"unit": org.team.pk, "role": Role.TEAM_LEADER}
    )
    assert response.status_code == 302
    assert member.memberships.filter(role=Role.TEAM_LEADER, active=True).exists()


def test_revoking_a_role_and_resetting_a_password_through_the_pages(org):
    client = admin_client(org)
    member = org["team_member"]
    membership = member.memberships.get()
    assert client.post(reverse("organizations:membership_revoke", args=[member.pk, membership.pk])).status_code == 302
    membership.refresh_from_db()
    assert not membership.active
    response = client.post(
        reverse("organizations:person_reset_password", args=[member.pk]),
        {"password1": "Temp#Reset2026", "password2": "Temp#Reset2026"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.must_change_password and member.check_password("Temp#Reset2026")


def test_deactivated_person_is_logged_out_and_cannot_log_in(org):
    member = org["team_member"]
    member_client = login_as(Client(), member)
    assert member_client.get(reverse("core:home")).status_code == 200
    client = admin_client(org)
    assert (
        client.post(reverse("organizations:person_deactivate", args=[member.pk]), {"reason": "调离"}).status_code == 302
    )
    assert member_client.get(reverse("core:home")).status_code == 302
    assert not logs_in("team_member", "Zs-Persona-2026!")


def test_phone_numbers_are_masked_for_roles_that_do_not_need_them(org):
    member = org["team_member"]
    colleague = org["team_leader"]
    page = login_as(Client(), member).get(reverse("organizations:person_detail", args=[colleague.pk])).content.decode()
    assert "13800000001" not in page and "138****0001" in page
    page = (
        login_as(Client(), org["office"])
        .get(reverse("organizations:person_detail", args=[colleague.pk]))
        .content.decode()
    )
    assert "13800000001" in page
    own = login_as(Client(), member).get(reverse("organizations:person_detail", args=[member.pk])).content.decode()
    assert "13800000002" in own


def _grow(org, n):
    for i in range(n):
        unit = make_unit(f"YC-X{i:03d}", f"测试县{i}", UnitKind.COUNTY, org.city)
        make_person(f"p{i:03d}", unit, Role.COUNTY_STAFF, f"测试人员{i}")


@pytest.mark.parametrize("name", ["unit_tree", "unit_list", "person_list"])
def test_list_pages_keep_a_fixed_query_count_as_data_grows(org, name, django_assert_max_num_queries):
    client = admin_client(org)
    url = reverse(f"organizations:{name}")
    client.get(url)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(org, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_unit_detail_keeps_a_fixed_query_count(org, django_assert_max_num_queries):
    client = admin_client(org)
    url = org.county.get_absolute_url()
    client.get(url)
    for i in range(30):
        make_person(f"yh{i:02d}", org.county, Role.COUNTY_STAFF, f"盐湖人员{i}")
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert "盐湖人员29" in page


def test_pages_are_paginated(org):
    _grow(org, 30)
    client = admin_client(org)
    page = client.get(reverse("organizations:person_list")).content.decode()
    assert "测试人员29" not in page or "测试人员0" not in page
    assert "page=2" in page
