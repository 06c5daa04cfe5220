"""The directory's rules: one company once per city, edits re-checked, merging moves everything and is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chains.models import ChainLeader
from core.models import AuditAction, AuditEvent
from enterprises import services
from enterprises.models import Company, Contact
from outreach.models import Inspection, Visit

from .helpers import make_chain, make_company, make_contact, make_event, make_inspection, make_trip, make_visit

CODE = "91110000600037341L"
OTHER_CODE = "91350100M000100Y43"


def audit_count():
    return AuditEvent.objects.count()


# --- Entering companies -----------------------------------------------------------------


def test_a_team_member_enters_a_company_into_their_citys_directory(org):
    member = org["team_member"]
    company = services.create_company(actor=member, name=" 新锦源能源科技 有限公司 ", credit_code=CODE.lower())
    assert company.owner == org.city
    assert company.name == "新锦源能源科技 有限公司"
    assert company.credit_code == CODE
    assert company.created_by == member and company.created_by_unit == org.team
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(company.pk))
    assert event.actor_id == member.pk and event.after["credit_code"] == CODE


def test_a_university_gets_the_academic_category_unless_told_otherwise(org):
    company = services.create_company(actor=org["office"], name="太原理工大学", kind="university")
    assert company.category == "academic"


def test_the_same_credit_code_cannot_be_entered_twice(org):
    existing = services.create_company(actor=org["team_member"], name="新锦源能源科技有限公司", credit_code=CODE)
    before = (Company.objects.count(), audit_count())
    with pytest.raises(services.DuplicateCompany) as caught:
        services.create_company(actor=org["county"], name="完全不同的名字", credit_code=CODE)
    assert caught.value.existing == existing
    assert "credit_code" in caught.value.message_dict
    assert "已属于" in caught.value.message_dict["credit_code"][0]
    assert (Company.objects.count(), audit_count()) == before


def test_the_same_company_written_another_way_is_recognised_as_a_duplicate(org):
    existing = services.create_company(actor=org["team_member"], name="新锦源(广东)能源科技有限公司")
    with pytest.raises(services.DuplicateCompany) as caught:
        services.create_company(actor=org["county"], name="新锦源能源科技股份公司")
    assert caught.value.existing == existing
    assert "视为同一家企业" in caught.value.message_dict["name"][0]


def test_two_companies_with_the_same_name_but_different_codes_may_both_exist(org):
    first = services.create_company(actor=org["office"], name="运城创新科技有限公司", credit_code=CODE)
    second = services.create_company(actor=org["office"], name="运城创新科技有限公司", credit_code=OTHER_CODE)
    assert first.pk != second.pk


def test_a_same_named_company_without_a_code_is_still_a_duplicate(org):
    services.create_company(actor=org["office"], name="运城创新科技有限公司", credit_code=CODE)
    with pytest.raises(services.DuplicateCompany):
        services.create_company(actor=org["office"], name="运城创新科技有限公司")


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        ({"name": "  "}, "name", "请填写企业名称"),
        ({"name": "某公司", "credit_code": "12345"}, "credit_code", "无效"),
        ({"name": "某公司", "kind": "bank"}, "kind", "无效的机构类型"),
        ({"name": "某公司", "size": "huge"}, "size", "无效的企业规模"),
        ({"name": "甲" * 201}, "name", "200"),
    ],
)
def test_bad_company_input_names_the_field_and_writes_nothing(org, fields, field, fragment):
    before = (Company.objects.count(), audit_count())
    with pytest.raises(ValidationError) as caught:
        services.create_company(actor=org["office"], **fields)
    assert fragment in " ".join(caught.value.message_dict[field])
    assert (Company.objects.count(), audit_count()) == before


@pytest.mark.parametrize("persona", ["department", "leader", "sysadmin", "auditadmin"])
def test_people_who_do_not_do_outreach_cannot_enter_companies(org, persona):
    with pytest.raises(PermissionDenied):
        services.create_company(actor=org[persona], name="某某科技有限公司")
    assert not Company.objects.exists()


def test_a_company_of_one_city_is_not_visible_to_another_city(org):
    company = services.create_company(actor=org["team_member"], name="新锦源能源科技有限公司")
    assert not Company.objects.visible_to(org["outsider"]).filter(pk=company.pk).exists()
    for persona in ("office", "team_member", "county", "department", "leader"):
        assert Company.objects.visible_to(org[persona]).filter(pk=company.pk).exists(), persona


def test_another_citys_outreach_staff_write_to_their_own_directory(org):
    theirs = services.create_company(actor=org["outsider"], name="新锦源能源科技有限公司")
    ours = services.create_company(actor=org["team_member"], name="新锦源能源科技有限公司")
    assert theirs.owner == org.other_city and ours.owner == org.city


def test_outreach_staff_cannot_enter_into_another_citys_directory(org):
    with pytest.raises(PermissionDenied):
        services.create_company(actor=org["outsider"], owner=org.city, name="某某科技有限公司")


def test_resolve_company_returns_the_existing_record_or_enters_a_new_one(org):
    existing = services.create_company(actor=org["office"], name="新锦源能源科技有限公司")
    found, created = services.resolve_company(actor=org["team_member"], name="新锦源能源科技股份公司")
    assert (found, created) == (existing, False)
    fresh, created = services.resolve_company(actor=org["team_member"], name="另一家科技有限公司")
    assert created and fresh.owner == org.city


# --- Editing ----------------------------------------------------------------------------


def test_an_edit_is_checked_for_duplicates_again(org):
    services.create_company(actor=org["office"], name="新锦源能源科技有限公司", credit_code=CODE)
    other = services.create_company(actor=org["office"], name="山西建龙实业有限公司")
    with pytest.raises(services.DuplicateCompany):
        services.update_company(actor=org["office"], company=other, name="新锦源能源科技股份公司")
    with pytest.raises(services.DuplicateCompany):
        services.update_company(actor=org["office"], company=other, credit_code=CODE)
    other.refresh_from_db()
    assert other.name == "山西建龙实业有限公司" and other.credit_code == ""


def test_an_edit_is_audited_with_old_and_new_values(org):
    company = services.create_company(actor=org["team_member"], name="山西建龙实业有限公司")
    chain, (seg, _) = make_chain(org.city)
    services.update_company(actor=org["team_member"], company=company, industry="钢铁", segments=[seg])
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(company.pk)).get()
    assert event.before == {"industry": "", "segments": []}
    assert event.after == {"industry": "钢铁", "segments": [seg.pk]}


def test_a_team_corrects_what_it_entered_but_not_what_others_entered(org):
    ours = services.create_company(actor=org["team_member"], name="山西建龙实业有限公司")
    theirs = services.create_company(actor=org["county"], name="盐湖区某某有限公司")
    services.update_company(actor=org["team_leader"], company=ours, city="北京")
    with pytest.raises(PermissionDenied):
        services.update_company(actor=org["team_member"], company=theirs, city="北京")
    services.update_company(actor=org["office"], company=theirs, city="运城")


def test_segments_the_user_cannot_see_are_refused(org):
    company = services.create_company(actor=org["office"], name="山西建龙实业有限公司")
    _, (foreign, _) = make_chain(org.other_city, name="临汾焦化")
    with pytest.raises(ValidationError) as caught:
        services.update_company(actor=org["office"], company=company, segments=[foreign])
    assert "segments" in caught.value.message_dict


# --- Contacts ---------------------------------------------------------------------------


def test_contacts_are_added_and_edited_with_an_audit_record(org):
    company = services.create_company(actor=org["office"], name="山西建龙实业有限公司")
    contact = services.add_contact(actor=org["team_member"], company=company, name=" 王 总 ", phone="13912345678")
    assert contact.name == "王 总"
    services.update_contact(actor=org["county"], contact=contact, title="副总经理", active=False)
    contact.refresh_from_db()
    assert contact.title == "副总经理" and not contact.active
    assert AuditEvent.objects.filter(object_type="enterprises.contact", object_id=str(contact.pk)).count() == 2


def test_a_department_cannot_add_contacts(org):
    company = services.create_company(actor=org["office"], name="山西建龙实业有限公司")
    with pytest.raises(PermissionDenied):
        services.add_contact(actor=org["department"], company=company, name="王总")


def test_a_contact_without_a_name_is_refused(org):
    company = services.create_company(actor=org["office"], name="山西建龙实业有限公司")
    with pytest.raises(ValidationError) as caught:
        services.add_contact(actor=org["office"], company=company, name="  ")
    assert "请填写对接人姓名" in caught.value.message_dict["name"][0]
    assert not Contact.objects.exists()


# --- Merging ----------------------------------------------------------------------------


@pytest.fixture
def duplicates(org):
    """The same company entered twice (before the checks caught it), with work recorded on both."""
    keep = make_company(org.city, "新锦源能源科技有限公司", created_by_unit=org.team)
    absorb = make_company(
        org.city, "新锦源(广东)能源科技股份公司", credit_code=CODE, created_by_unit=org.county, address="广东省东莞市"
    )
    return keep, absorb


def test_merging_moves_every_record_to_the_company_kept(org, duplicates):
    keep, absorb = duplicates
    chain, (up, mid) = make_chain(org.city)
    other_chain, _ = make_chain(org.city, name="新能源汽车", segments=(("downstream", "整车"),))
    keep.segments.add(up)
    absorb.segments.add(up, mid)
    visit = make_visit(org.team, absorb)
    kept_visit = make_visit(org.other_team, keep)
    inspection = make_inspection(org.county, absorb)
    event = make_event(org.team, [absorb])
    shared_event = make_event(org.team, [keep, absorb], title="两家都参加的推介会")
    trip = make_trip(org.county, [absorb])
    contact = make_contact(absorb)
    ChainLeader.objects.create(chain=chain, company=keep)
    ChainLeader.objects.create(chain=chain, company=absorb)  # leads the same chain: one row must remain
    ChainLeader.objects.create(chain=other_chain, company=absorb, kind="chain_core")

    services.merge_companies(actor=org["office"], keep=keep, absorb=absorb, reason="重复录入")

    absorb.refresh_from_db()
    keep.refresh_from_db()
    assert absorb.merged_into == keep and absorb.credit_code == ""
    assert keep.credit_code == CODE and keep.address == "广东省东莞市"
    assert set(Visit.objects.filter(company=keep)) == {visit, kept_visit}
    assert Inspection.objects.get(pk=inspection.pk).company == keep
    assert list(event.companies.all()) == [keep]
    assert list(shared_event.companies.all()) == [keep]
    assert list(trip.companies.all()) == [keep]
    assert Contact.objects.get(pk=contact.pk).company == keep
    assert set(ChainLeader.objects.filter(company=keep).values_list("chain__name", flat=True)) == {
        "铜精深加工",
        "新能源汽车",
    }
    assert not ChainLeader.objects.filter(company=absorb).exists()
    assert set(keep.segments.all()) == {up, mid} and not absorb.segments.exists()
    assert Company.objects.current().filter(pk=absorb.pk).count() == 0


def test_merging_leaves_an_audit_record_on_both_companies(org, duplicates):
    keep, absorb = duplicates
    make_visit(org.team, absorb)
    services.merge_companies(actor=org["office"], keep=keep, absorb=absorb, reason="重复录入")
    on_keep = AuditEvent.objects.get(action=AuditAction.MERGE, object_id=str(keep.pk))
    on_absorb = AuditEvent.objects.get(action=AuditAction.MERGE, object_id=str(absorb.pk))
    assert on_keep.actor_id == on_absorb.actor_id == org["office"].pk
    assert on_keep.after["absorbed"] == absorb.pk and on_keep.after["moved"]["outreach.visit"] == 1
    assert on_absorb.before == {"merged_into": None, "credit_code": CODE}
    assert on_absorb.after == {"merged_into": keep.pk, "credit_code": ""}
    assert "重复录入" in on_absorb.message


@pytest.mark.parametrize("persona", ["team_leader", "team_member", "county", "leader", "department", "sysadmin"])
def test_only_the_office_may_merge(org, duplicates, persona):
    keep, absorb = duplicates
    before = audit_count()
    with pytest.raises(PermissionDenied):
        services.merge_companies(actor=org[persona], keep=keep, absorb=absorb)
    absorb.refresh_from_db()
    assert absorb.merged_into is None and audit_count() == before


def test_another_citys_company_cannot_be_merged_in(org, duplicates):
    keep, _ = duplicates
    foreign = make_company(org.other_city, "新锦源能源科技有限公司")
    with pytest.raises(PermissionDenied):
        services.merge_companies(actor=org["office"], keep=keep, absorb=foreign)


def test_companies_of_different_directories_are_not_merged(org, duplicates):
    keep, _ = duplicates
    provincial = make_company(org.province, "新锦源能源科技有限公司")  # the office sees the province's directory
    with pytest.raises(ValidationError) as caught:
        services.merge_companies(actor=org["office"], keep=keep, absorb=provincial)
    assert "同一目标企业库" in caught.value.messages[0]
    provincial.refresh_from_db()
    assert provincial.merged_into is None


def test_companies_with_different_credit_codes_are_not_merged(org, duplicates):
    keep, absorb = duplicates
    keep.credit_code = OTHER_CODE
    keep.save()
    with pytest.raises(ValidationError) as caught:
        services.merge_companies(actor=org["office"], keep=keep, absorb=absorb)
    assert "不是同一家企业" in caught.value.messages[0]


def test_a_merged_company_cannot_be_merged_again_or_edited(org, duplicates):
    keep, absorb = duplicates
    third = make_company(org.city, "新锦源能源科技集团")
    services.merge_companies(actor=org["office"], keep=keep, absorb=absorb)
    absorb.refresh_from_db()
    with pytest.raises(ValidationError):
        services.merge_companies(actor=org["office"], keep=third, absorb=absorb)
    with pytest.raises(ValidationError):
        services.update_company(actor=org["office"], company=absorb, city="北京")
    with pytest.raises(ValidationError):
        services.merge_companies(actor=org["office"], keep=keep, absorb=keep)


def test_after_a_merge_the_name_is_free_of_the_absorbed_duplicate(org, duplicates):
    keep, absorb = duplicates
    services.merge_companies(actor=org["office"], keep=keep, absorb=absorb)
    matches = services.find_matches(owner=org.city, name="新锦源能源科技股份有限公司")
    assert matches == [keep]


def test_a_name_merged_away_still_finds_the_company_it_was_merged_into(org):
    from enterprises.services import create_company, find_matches, merge_companies, resolve_company

    keep = create_company(actor=org["office"], owner=org.city, name="杭州铜联精密材料有限公司")
    absorb = create_company(
        actor=org["office"], owner=org.city, name="铜联精密（杭州）材料科技", credit_code="91110000600037341L"
    )
    merge_companies(actor=org["office"], keep=keep, absorb=absorb)
    assert find_matches(owner=org.city, name="铜联精密材料科技有限公司") == [keep]
    company, created = resolve_company(actor=org["team_member"], owner=org.city, name="铜联精密（杭州）材料科技")
    assert company == keep and not created
