import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEvent
from organizations import services
from organizations.choices import Role, TargetRegion, UnitKind
from organizations.models import Membership, Unit, User

STRONG = "Yuncheng#2026abc"


def counts():
    return Unit.objects.count(), User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()


def assert_rejected(call, field=None, text=None, exc=ValidationError):
    before = counts()
    with pytest.raises(exc) as info:
        call()
    assert counts() == before, "a rejected change must write nothing"
    if field is not None:
        assert field in info.value.message_dict
    if text is not None:
        assert text in " ".join(info.value.messages if exc is ValidationError else [str(info.value)])
    return info.value


def test_system_admin_creates_a_county_and_a_team_under_it_with_audit(org, sysadmin):
    county = services.create_unit(actor=sysadmin, code="YC-WR", name="万荣县", kind=UnitKind.COUNTY, parent=org.city)
    squad = services.create_unit(
        actor=sysadmin,
        code="YC-WR-XFD",
        name="万荣县驻点招商小分队",
        kind=UnitKind.SQUAD,
        parent=county,
        base_city="苏州",
        target_regions=[TargetRegion.YANGTZE_DELTA],
        focus="新材料",
    )
    assert squad.path == f"{org.city.path}{county.pk}/{squad.pk}/"
    assert squad.depth == 3
    events = AuditEvent.objects.filter(object_type="organizations.unit", action="create")
    assert {e.object_id for e in events} == {str(county.pk), str(squad.pk)}
    assert events.get(object_id=str(squad.pk)).after["base_city"] == "苏州"
    assert events.get(object_id=str(squad.pk)).actor_name == "sysadmin"


def test_a_duplicate_unit_code_is_refused_in_chinese_and_writes_nothing(org, sysadmin):
    assert_rejected(
        lambda: services.create_unit(actor=sysadmin, code="yc-yh", name="重复", kind=UnitKind.COUNTY, parent=org.city),
        field="code",
        text="已被其他单位使用",
    )


def test_a_unit_cannot_move_under_its_own_descendant(org, sysadmin):
    assert_rejected(
        lambda: services.move_unit(actor=sysadmin, unit=org.county, new_parent=org.squad),
        field="parent",
    )


def test_moving_a_unit_rewrites_the_paths_of_everything_under_it(org, sysadmin):
    services.move_unit(actor=sysadmin, unit=org.squad, new_parent=org.other_county)
    org.squad.refresh_from_db()
    assert org.squad.path == f"{org.other_county.path}{org.squad.pk}/"
    assert Unit.objects.visible_to(org["county"]).filter(pk=org.squad.pk).count() == 0


def test_moving_to_the_same_parent_is_refused(org, sysadmin):
    assert_rejected(lambda: services.move_unit(actor=sysadmin, unit=org.county, new_parent=org.city), field="parent")


def test_a_subtree_moves_with_its_root(org, sysadmin):
    zone = services.create_unit(actor=sysadmin, code="YC-YH-Z", name="盐湖园区", kind=UnitKind.ZONE, parent=org.county)
    squad = services.create_unit(actor=sysadmin, code="YC-YH-Z-X", name="园区小分队", kind=UnitKind.SQUAD, parent=zone)
    services.move_unit(actor=sysadmin, unit=zone, new_parent=org.other_county)
    squad.refresh_from_db()
    zone.refresh_from_db()
    assert squad.path == f"{org.other_county.path}{zone.pk}/{squad.pk}/"
    assert squad.depth == zone.depth + 1 == 4
    assert AuditEvent.objects.filter(action="move", object_id=str(zone.pk)).count() == 1


def test_a_unit_kind_must_fit_under_its_parent(org, sysadmin):
    assert_rejected(
        lambda: services.create_unit(
            actor=sysadmin, code="X-1", name="县下的市", kind=UnitKind.CITY, parent=org.county
        ),
        field="parent",
        text="不能设在",
    )


def test_only_teams_have_a_base_city(org, sysadmin):
    assert_rejected(
        lambda: services.create_unit(
            actor=sysadmin, code="X-2", name="某县", kind=UnitKind.COUNTY, parent=org.city, base_city="杭州"
        ),
        field="base_city",
    )


def test_deactivating_a_unit_with_active_people_is_refused(org, sysadmin):
    error = assert_rejected(lambda: services.deactivate_unit(actor=sysadmin, unit=org.team))
    assert "在岗人员" in " ".join(error.messages)


def test_deactivating_a_unit_with_active_children_is_refused(org, sysadmin):
    error = assert_rejected(lambda: services.deactivate_unit(actor=sysadmin, unit=org.county))
    assert "下级单位" in " ".join(error.messages)


def test_open_work_registered_by_a_later_app_blocks_deactivation(org, sysadmin):
    from core import registry

    def open_leads(unit):
        return ["还有 3 条未办结的线索"] if unit.pk == org.zone.pk else []

    registry.open_work_checks.append(open_leads)
    try:
        error = assert_rejected(lambda: services.deactivate_unit(actor=sysadmin, unit=org.zone))
        assert "未办结的线索" in " ".join(error.messages)
    finally:
        registry.open_work_checks.remove(open_leads)


def test_an_empty_unit_is_deactivated_and_audited(org, sysadmin):
    services.deactivate_unit(actor=sysadmin, unit=org.zone, reason="合并")
    org.zone.refresh_from_db()
    assert org.zone.active is False
    event = AuditEvent.objects.get(action="deactivate", object_id=str(org.zone.pk))
    assert event.message == "合并" and event.before == {"active": True}


def test_a_role_must_fit_the_kind_of_unit(org, sysadmin):
    person = org["county"]
    error = assert_rejected(
        lambda: services.assign_role(actor=sysadmin, person=person, unit=org.county, role=Role.TEAM_MEMBER),
        field="role",
    )
    assert "只能在" in " ".join(error.messages)


def test_system_and_audit_administrator_are_never_the_same_person(org, sysadmin):
    assert_rejected(
        lambda: services.assign_role(actor=sysadmin, person=org["auditadmin"], unit=org.city, role=Role.SYSTEM_ADMIN),
        field="role",
        text="不能由同一人担任",
    )


def test_an_administrator_cannot_change_units_outside_their_subtree(org, sysadmin):
    assert_rejected(
        lambda: services.create_unit(
            actor=sysadmin, code="LF-X", name="某区", kind=UnitKind.COUNTY, parent=org.other_city
        ),
        exc=PermissionDenied,
    )
    assert_rejected(
        lambda: services.update_unit(actor=org["office"], unit=org.county, name="改名"), exc=PermissionDenied
    )


def test_the_audit_administrator_cannot_change_data(org):
    auditor = org["auditadmin"]
    assert_rejected(lambda: services.update_unit(actor=auditor, unit=org.county, name="改名"), exc=PermissionDenied)
    assert_rejected(
        lambda: services.reset_password(actor=auditor, person=org["county"], new_password=STRONG), exc=PermissionDenied
    )


def test_a_new_person_gets_a_role_and_must_change_the_initial_password(org, sysadmin):
    person = services.create_person(
        actor=sysadmin,
        username="lisi",
        name="李四",
        password=STRONG,
        home_unit=org.team,
        role=Role.TEAM_MEMBER,
        phone="13912345678",
    )
    assert person.must_change_password
    assert person.check_password(STRONG)
    assert list(person.memberships.values_list("role", flat=True)) == [Role.TEAM_MEMBER]
    actions = list(AuditEvent.objects.filter(object_id=str(person.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["assign_role", "create"]
    assert "password" not in str(AuditEvent.objects.filter(object_id=str(person.pk)).values_list("after", flat=True))


@pytest.mark.parametrize(
    ("password", "text"),
    [("Ab1!", "太短"), ("abcdefgh12", "至少 3 类"), ("Password1", "太常见")],
)
def test_weak_passwords_are_refused_for_new_people(org, sysadmin, password, text):
    error = assert_rejected(
        lambda: services.create_person(actor=sysadmin, username="wr", name="弱", password=password, home_unit=org.team),
        field="password",
    )
    assert text in " ".join(error.messages)


def test_a_bad_phone_number_is_refused(org, sysadmin):
    assert_rejected(
        lambda: services.create_person(
            actor=sysadmin, username="ph", name="电话", password=STRONG, home_unit=org.team, phone="12345"
        ),
        field="phone",
    )


def test_a_duplicate_username_is_refused(org, sysadmin):
    assert_rejected(
        lambda: services.create_person(
            actor=sysadmin, username="OFFICE", name="重名", password=STRONG, home_unit=org.team
        ),
        field="username",
    )


def test_deactivating_a_person_ends_their_api_token(org, sysadmin):
    from rest_framework.authtoken.models import Token

    member = org["team_member"]
    Token.objects.create(user=member)
    services.set_person_active(actor=sysadmin, person=member, active=False)
    member.refresh_from_db()
    assert not member.is_active
    assert not Token.objects.filter(user=member).exists()


def test_an_administrator_cannot_deactivate_themselves(org, sysadmin):
    assert_rejected(lambda: services.set_person_active(actor=sysadmin, person=sysadmin, active=False))


def test_reset_password_forces_a_change_and_is_audited(org, sysadmin):
    member = org["team_member"]
    services.reset_password(actor=sysadmin, person=member, new_password=STRONG)
    member.refresh_from_db()
    assert member.must_change_password and member.check_password(STRONG)
    assert AuditEvent.objects.filter(action="reset_password", object_id=str(member.pk)).exists()


def test_revoking_a_role_narrows_what_the_person_sees(org, sysadmin):
    member = org["team_member"]
    assert Unit.objects.visible_to(member).filter(pk=org.team.pk).exists()
    membership = member.memberships.get()
    services.revoke_role(actor=sysadmin, membership=membership)
    member = User.objects.get(pk=member.pk)
    assert not Unit.objects.visible_to(member).exists()
    assert AuditEvent.objects.filter(action="revoke_role", object_id=str(member.pk)).exists()


def test_editing_a_unit_records_only_what_changed(org, sysadmin):
    services.update_unit(actor=sysadmin, unit=org.team, name="北京驻点招商组", focus="精品钢")
    event = AuditEvent.objects.get(action="update", object_id=str(org.team.pk))
    assert event.before == {"name": "北京招商组", "focus": "精品钢、碳基新材料"}
    assert event.after == {"name": "北京驻点招商组", "focus": "精品钢"}
