"""The outreach services: who may write what, the rules of each ledger, audit, and nothing written on refusal."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Attachment, AuditAction, AuditEvent
from core.testing import make_person, make_unit
from enterprises.models import Company, Contact
from organizations.choices import Role, UnitKind
from outreach import selectors, services
from outreach.models import Inspection, OutboundTrip, PromotionEvent, Stationing, Visit

from . import factories as f

D = datetime.date
TODAY = f.TODAY
YEAR = TODAY.year


def counts():
    return (
        Visit.objects.count(),
        Inspection.objects.count(),
        PromotionEvent.objects.count(),
        OutboundTrip.objects.count(),
        Stationing.objects.count(),
        Company.objects.count(),
        Contact.objects.count(),
        Attachment.objects.count(),
        AuditEvent.objects.count(),
    )


def assert_rejected(call, field=None, text=None, exc=ValidationError):
    """The call is refused with a Chinese message (on `field`, containing `text`) and writes nothing."""
    before = counts()
    with pytest.raises(exc) as info:
        call()
    assert counts() == before, "a refused change must write nothing"
    error = info.value
    if field is not None:
        assert field in error.message_dict, error
    if text is not None:
        messages = error.messages if exc is ValidationError else [str(error)]
        assert text in " ".join(messages), messages
    return error


def audits(obj, action):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action)


# --- Visits --------------------------------------------------------------------------------


def test_a_team_member_logs_a_visit_and_the_new_company_and_its_contact_enter_the_directory(org, chain):
    member = org["team_member"]
    visit = services.create_visit(
        actor=member,
        visit_date=TODAY,
        company_name="宁德时代新能源科技股份有限公司",
        company_province="福建",
        company_city="宁德",
        company_category="chain_leader",
        chain=chain,
        contact_name="张 总",
        contact_title="副总经理",
        contact_phone="13912345678",
        content="洽谈动力电池项目落地运城",
        files=[f.png_upload()],
    )
    assert visit.unit == org.team
    company = visit.company
    assert company.name == "宁德时代新能源科技股份有限公司" and company.owner == org.city
    assert company.category == "chain_leader" and company.province == "福建"
    assert visit.contact == Contact.objects.get(company=company, name="张 总")
    assert visit.contact.phone == "13912345678"
    assert list(visit.visitors.all()) == [member]
    assert visit.visitor_names == "北京组小李"
    assert visit.attachments.count() == 1
    assert audits(visit, AuditAction.CREATE).get().after["company"] == company.pk
    assert audits(company, AuditAction.CREATE).exists()
    assert audits(visit, AuditAction.ATTACH).count() == 1
    assert visit.created_by == member


def test_a_visit_to_a_company_already_in_the_directory_reuses_it_by_name(org):
    existing = f.company(org, "宁德时代新能源科技股份有限公司")
    visit = f.visit(org, company_name="宁德时代新能源科技")
    assert visit.company == existing
    assert Company.objects.count() == 1


def test_a_visit_may_name_a_company_by_record(org):
    existing = f.company(org, "比亚迪股份有限公司")
    visit = services.create_visit(actor=org["team_member"], visit_date=TODAY, company=existing, content="回访")
    assert visit.company == existing


def test_the_same_visit_twice_is_refused_with_a_clear_message_and_nothing_is_written(org):
    f.visit(org, content="洽谈电池项目")
    error = assert_rejected(
        lambda: f.visit(org, "team_leader", content="  洽谈电池项目 ", contact_name="新联系人"),
        text="该走访已登记：同一单位、同一天、同一企业、相同内容",
    )
    assert error  # and no new contact either (counted above)


def test_the_same_company_new_to_the_directory_in_a_duplicate_visit_is_not_left_behind(org):
    f.visit(org, company_name="新锦源能源科技有限公司", content="第一次")
    # A differently written name resolves to the same company, so this is the same visit.
    assert_rejected(lambda: f.visit(org, company_name="新锦源(广东)能源科技有限公司", content="第一次"))


def test_another_day_or_another_content_is_another_visit(org):
    f.visit(org, content="洽谈")
    f.visit(org, content="洽谈", visit_date=TODAY - datetime.timedelta(days=1))
    f.visit(org, content="签约前沟通")
    assert Visit.objects.count() == 3


@pytest.mark.parametrize(
    ("when", "text"),
    [
        (TODAY + datetime.timedelta(days=1), "走访日期不能晚于今天"),
        (D(1999, 12, 31), "走访日期不能早于 2000 年 1 月 1 日"),
    ],
)
def test_a_visit_date_in_the_future_or_before_2000_is_refused(org, when, text):
    assert_rejected(lambda: f.visit(org, visit_date=when), field="visit_date", text=text)


def test_a_visit_without_content_or_company_is_refused(org):
    assert_rejected(lambda: f.visit(org, content="  "), field="content", text="请填写对接内容")
    assert_rejected(lambda: f.visit(org, company_name=" "), field="company_name", text="请填写企业名称")


def test_a_bad_credit_code_is_named_on_the_visit_form_field(org):
    assert_rejected(lambda: f.visit(org, credit_code="123"), field="credit_code", text="统一社会信用代码")


@pytest.mark.parametrize("persona", ["office", "leader", "department", "sysadmin", "auditadmin"])
def test_those_who_read_but_do_not_keep_the_ledgers_cannot_log_a_visit(org, persona):
    assert_rejected(lambda: f.visit(org, persona), exc=PermissionDenied)


def test_a_team_member_cannot_log_a_visit_for_another_team(org):
    assert_rejected(lambda: f.visit(org, unit=org.other_team), exc=PermissionDenied, text="无权为该单位登记")


def test_a_county_logs_for_itself_and_for_its_squad(org):
    assert f.visit(org, "county").unit == org.county
    assert f.visit(org, "county", unit=org.squad, content="小分队走访").unit == org.squad


def test_a_department_unit_cannot_hold_visits(org):
    department = make_unit("YC-YH-SWJ", "盐湖区商务局", UnitKind.DEPARTMENT, org.county)
    assert_rejected(lambda: f.visit(org, "county", unit=department), field="unit", text="不能登记此台账")


def test_a_company_or_chain_the_actor_cannot_see_is_refused(org, other_city_chain):
    elsewhere = f.other_city_company(org)
    assert_rejected(
        lambda: services.create_visit(actor=org["team_member"], visit_date=TODAY, company=elsewhere, content="x"),
        field="company",
        text="不存在，或您无权查看",
    )
    assert_rejected(lambda: f.visit(org, chain=other_city_chain), field="chain")


def test_visitors_must_be_people_the_actor_can_see(org):
    assert_rejected(lambda: f.visit(org, visitors=[org.other_team_member]), field="visitors")
    visit = f.visit(org, visitors=[org["team_member"], org["team_leader"]])
    assert visit.visitor_names == "北京组小李、王峰"


def test_a_bad_photo_is_refused_and_the_visit_is_not_written(org):
    fake = SimpleUploadedFile("photo.png", b"not really a png", content_type="image/png")
    assert_rejected(lambda: f.visit(org, files=[fake]), field="files", text="内容与扩展名不符")


def test_updating_a_visit_audits_old_and_new_values(org):
    visit = f.visit(org)
    services.update_visit(actor=org["team_leader"], visit=visit, content="改为储能项目", way="via_chamber")
    visit.refresh_from_db()
    assert visit.content == "改为储能项目" and visit.way == "via_chamber"
    event = audits(visit, AuditAction.UPDATE).get()
    assert event.before == {"content": "洽谈电池项目", "way": "knocking"}
    assert event.after["content"] == "改为储能项目"


def test_updating_a_visit_into_a_duplicate_is_refused(org):
    f.visit(org, content="甲")
    second = f.visit(org, content="乙")
    assert_rejected(lambda: services.update_visit(actor=org["team_member"], visit=second, content="甲"))


def test_changing_the_company_name_of_a_visit_resolves_it_in_the_directory(org):
    visit = f.visit(org)
    services.update_visit(actor=org["team_member"], visit=visit, company_name="隆基绿能科技股份有限公司")
    visit.refresh_from_db()
    assert visit.company.name == "隆基绿能科技股份有限公司"


@pytest.mark.parametrize("persona", ["office", "leader", "county"])
def test_a_visit_cannot_be_changed_or_deleted_by_someone_outside_the_team(org, persona):
    visit = f.visit(org)
    assert_rejected(lambda: services.update_visit(actor=org[persona], visit=visit, content="x"), exc=PermissionDenied)
    assert_rejected(lambda: services.delete_visit(actor=org[persona], visit=visit), exc=PermissionDenied)


def test_a_visit_cannot_be_moved_to_a_unit_the_actor_does_not_write_for(org):
    visit = f.visit(org)
    assert_rejected(
        lambda: services.update_visit(actor=org["team_member"], visit=visit, unit=org.other_team),
        exc=PermissionDenied,
    )


def test_deleting_a_visit_keeps_its_content_in_the_audit_log(org):
    visit = f.visit(org, files=[f.png_upload()])
    pk = visit.pk
    services.delete_visit(actor=org["team_member"], visit=visit)
    assert not Visit.objects.filter(pk=pk).exists()
    assert not Attachment.objects.filter(object_id=pk).exists()
    event = AuditEvent.objects.get(object_type="outreach.visit", object_id=str(pk), action=AuditAction.DELETE)
    assert event.before["content"] == "洽谈电池项目"


# --- Inspections ---------------------------------------------------------------------------


def test_an_inspection_hosted_by_a_county_is_read_by_that_county_but_not_by_another(org):
    inspection = f.inspection(org, host_units=[org.county, org.zone], delegation="王总（董事长）")
    assert inspection.dedupe_key
    assert Inspection.objects.visible_to(org["county"]).filter(pk=inspection.pk).exists()
    assert not Inspection.objects.editable_by(org["county"]).filter(pk=inspection.pk).exists()
    other_county_person = make_person("ly_staff", org.other_county, Role.COUNTY_STAFF)
    assert not Inspection.objects.visible_to(other_county_person).filter(pk=inspection.pk).exists()
    assert audits(inspection, AuditAction.CREATE).get().after["host_units"] == sorted([org.county.pk, org.zone.pk])


def test_an_inspection_can_only_be_hosted_by_counties_and_zones_of_the_same_city(org):
    assert_rejected(lambda: f.inspection(org, host_units=[org.other_city_county]), field="host_units")
    assert_rejected(lambda: f.inspection(org, host_units=[org.department]), field="host_units")


def test_the_same_inspection_twice_is_refused(org):
    f.inspection(org)
    assert_rejected(lambda: f.inspection(org, "team_leader"), text="该考察已登记")


def test_an_inspection_in_the_future_is_refused(org):
    assert_rejected(
        lambda: f.inspection(org, inspection_date=TODAY + datetime.timedelta(days=2)),
        field="inspection_date",
        text="考察日期不能晚于今天",
    )


def test_updating_host_units_is_audited(org):
    inspection = f.inspection(org, host_units=[org.county])
    services.update_inspection(actor=org["team_member"], inspection=inspection, host_units=[org.zone])
    event = audits(inspection, AuditAction.UPDATE).get()
    assert event.before == {"host_units": [org.county.pk]} and event.after == {"host_units": [org.zone.pk]}


# --- Promotion events ----------------------------------------------------------------------


def test_an_event_resolves_its_companies_from_names_and_stores_the_amount_in_wan_yuan(org):
    known = f.company(org, "比亚迪股份有限公司")
    event = f.event(
        org,
        company_names=["比亚迪", "重庆长安汽车股份有限公司", "比亚迪股份有限公司", ""],
        projects_signed=7,
        signed_amount="235000",
    )
    names = sorted(c.name for c in event.companies.all())
    assert names == sorted([known.name, "重庆长安汽车股份有限公司"])
    event.refresh_from_db()
    assert event.signed_amount == Decimal("235000")
    assert audits(event, AuditAction.CREATE).get().after["signed_amount"] == "235000.0000"


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("signed_amount", "-1", "签约金额（万元）不能为负数"),
        ("signed_amount", "abc", "签约金额（万元）须为数字"),
        ("signed_amount", "100000000000", "过大"),
        ("projects_signed", -2, "现场签约项目数不能为负数"),
        ("attendee_count", -5, "参会人数不能为负数"),
        ("event_date", D(1998, 5, 1), "举办日期不能早于 2000 年"),
        ("title", " ", "请填写推介会名称"),
    ],
)
def test_bad_event_figures_are_refused_with_the_field_named(org, field, value, text):
    assert_rejected(lambda: f.event(org, **{field: value}), field=field, text=text)


def test_a_department_unit_may_record_events_and_trips(org):
    department = make_unit("YC-YH-SWJ", "盐湖区商务局", UnitKind.DEPARTMENT, org.county)
    assert f.event(org, "county", unit=department).unit == department
    assert f.trip(org, "county", unit=department).unit == department


def test_an_event_update_replaces_the_companies(org):
    event = f.event(org, company_names=["甲科技有限公司"])
    services.update_event(actor=org["team_member"], event=event, company_names=["乙科技有限公司"], signed_amount=5)
    assert [c.name for c in event.companies.all()] == ["乙科技有限公司"]
    event.refresh_from_db()
    assert event.signed_amount == Decimal("5")


# --- Outbound trips ------------------------------------------------------------------------


def test_a_trip_ending_before_it_starts_is_refused(org):
    assert_rejected(
        lambda: f.trip(org, start_date=D(2025, 5, 10), end_date=D(2025, 5, 8)),
        field="end_date",
        text="返回日期不能早于出发日期",
    )


def test_a_trip_leader_must_be_visible_and_is_written_by_name_when_not_given(org):
    assert_rejected(lambda: f.trip(org, leader=org["team_member"]), field="leader")
    county = org["county"]
    trip = f.trip(org, leader=county, members=[county])
    assert trip.leader_name == "盐湖区小张"
    assert trip.days == 4


def test_a_county_heads_trips_are_counted_per_year(org):
    head = org["county"]
    for month in (3, 6, 9):
        f.trip(org, leader=head, start_date=D(2025, month, 1), end_date=D(2025, month, 3))
    f.trip(org, leader=head, start_date=D(2024, 12, 30), end_date=D(2025, 1, 2))
    f.trip(org, leader_name="李副县长", start_date=D(2025, 4, 1), end_date=D(2025, 4, 2))
    assert selectors.trips_led(head, 2025) == 3
    assert selectors.trips_led(head, 2024) == 1
    rows = selectors.trip_counts(OutboundTrip.objects.visible_to(head), 2025)
    assert [(r["name"], r["trips"]) for r in rows] == [("盐湖区小张", 3), ("李副县长", 1)]


# --- Stationing ----------------------------------------------------------------------------


def test_stationing_stores_its_days_counting_both_ends(org):
    stationing = f.stationing(org, start=D(2025, 3, 1), end=D(2025, 3, 31))
    assert stationing.days == 31
    assert audits(stationing, AuditAction.CREATE).get().after["days"] == 31


def test_an_overlapping_stationing_for_the_same_person_is_refused_naming_the_other_one(org):
    f.stationing(org, start=D(2025, 3, 1), end=D(2025, 3, 31), place="北京中关村")
    assert_rejected(
        lambda: f.stationing(org, "team_member", person=org["team_leader"], start=D(2025, 3, 31), end=D(2025, 4, 5)),
        field="start_date",
        text="与已有的驻点记录重叠：北京中关村，2025-03-01 至 2025-03-31",
    )
    # The next day, or another person, is fine.
    f.stationing(org, start=D(2025, 4, 1), end=D(2025, 4, 5))
    f.stationing(org, "team_member", start=D(2025, 3, 1), end=D(2025, 3, 31))


def test_moving_a_stationing_onto_another_period_is_refused_and_days_follow_an_update(org):
    first = f.stationing(org, start=D(2025, 3, 1), end=D(2025, 3, 10))
    second = f.stationing(org, start=D(2025, 4, 1), end=D(2025, 4, 10))
    leader = org["team_leader"]
    assert_rejected(
        lambda: services.update_stationing(actor=leader, stationing=second, start_date=D(2025, 3, 5)),
        field="start_date",
    )
    services.update_stationing(actor=leader, stationing=first, end_date=D(2025, 3, 20))
    first.refresh_from_db()
    assert first.days == 20
    assert audits(first, AuditAction.UPDATE).get().after == {"end_date": "2025-03-20", "days": 20}


def test_stationing_end_before_start_is_refused(org):
    assert_rejected(
        lambda: f.stationing(org, start=D(2025, 3, 10), end=D(2025, 3, 1)),
        field="end_date",
        text="结束日期不能早于开始日期",
    )


def test_a_person_the_actor_cannot_see_cannot_be_recorded_as_stationed(org):
    assert_rejected(lambda: f.stationing(org, person=org.other_team_member, start=D(2025, 1, 1), end=D(2025, 1, 2)))


def test_stationing_days_per_year_count_only_the_days_inside_the_year(org):
    leader = org["team_leader"]
    f.stationing(org, start=D(2024, 12, 25), end=D(2025, 1, 5))  # 7 days in 2024, 5 in 2025
    f.stationing(org, start=D(2025, 6, 1), end=D(2025, 6, 20))
    assert selectors.stationing_days(leader, 2024) == 7
    assert selectors.stationing_days(leader, 2025) == 25


def test_the_yearly_summary_flags_team_leaders_short_of_thirty_days(org):
    f.stationing(org, start=D(2025, 6, 1), end=D(2025, 6, 20))  # the leader: 20 days
    f.stationing(org, "team_leader", person=org["team_member"], start=D(2025, 6, 1), end=D(2025, 6, 5))
    office = org["office"]
    rows = selectors.stationing_summary(user=office, queryset=Stationing.objects.visible_to(office), year=2025)
    by_name = {r["person"].name: r for r in rows}
    assert by_name["王峰"]["days"] == 20 and by_name["王峰"]["short"]
    assert by_name["北京组小李"]["days"] == 5 and not by_name["北京组小李"]["short"]
    f.stationing(org, start=D(2025, 9, 1), end=D(2025, 9, 10))
    rows = selectors.stationing_summary(user=office, queryset=Stationing.objects.visible_to(office), year=2025)
    assert not {r["person"].name: r for r in rows}["王峰"]["short"]


def test_a_team_leader_with_no_stationing_at_all_is_flagged(org):
    office = org["office"]
    rows = selectors.stationing_summary(user=office, queryset=Stationing.objects.visible_to(office), year=2025)
    assert [(r["person"].name, r["days"], r["short"]) for r in rows] == [("王峰", 0, True)]


def test_deleting_a_stationing_is_audited(org):
    stationing = f.stationing(org, start=D(2025, 3, 1), end=D(2025, 3, 2))
    pk = stationing.pk
    services.delete_stationing(actor=org["team_leader"], stationing=stationing)
    assert AuditEvent.objects.filter(object_id=str(pk), object_type="outreach.stationing", action="delete").exists()


# --- Units -----------------------------------------------------------------------------------


def test_a_person_without_a_writer_role_has_no_default_unit(org):
    assert selectors.default_unit(org["office"]) is None
    assert selectors.default_unit(org["team_member"]) == org.team
    assert selectors.default_unit(org["county"]) == org.county
    assert list(selectors.writable_units(org["county"])) == [org.county, org.squad]
