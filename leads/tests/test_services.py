"""The leads services: report, assess, push, accept or send back, share, pools, follow-up, conflicts, audit.

Each refusal is checked for its Chinese message and for writing nothing.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditAction, AuditEvent
from core.testing import make_person, make_unit
from enterprises.models import Company
from leads import selectors, services
from leads.choices import ConflictStatus, LeadEventKind, LeadStatus, PoolKind
from leads.models import FollowUp, Lead, LeadConflict, LeadEvent, LeadPool, LeadShare, NegativeListEntry
from organizations.choices import Role, UnitKind
from outreach import services as outreach_services

from .conftest import CONTENT, INVESTOR

D = datetime.date
TODAY = datetime.date.today()


def counts():
    return (
        Lead.objects.count(),
        LeadEvent.objects.count(),
        LeadShare.objects.count(),
        FollowUp.objects.count(),
        LeadConflict.objects.count(),
        Company.objects.count(),
        AuditEvent.objects.count(),
    )


def assert_refused(call, field=None, text=None, exc=ValidationError):
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


def audits(obj, action=None):
    found = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return found.filter(action=action) if action else found


def kinds(lead):
    return list(LeadEvent.objects.filter(lead=lead).order_by("at", "id").values_list("kind", flat=True))


def fresh(lead):
    return Lead.objects.get(pk=lead.pk)


def visible(user, lead):
    return Lead.objects.visible_to(user).filter(pk=lead.pk).exists()


# --- Reporting -----------------------------------------------------------------------------


def test_a_team_member_reports_a_lead_to_the_office_of_the_city(org, make_lead, chain):
    lead = make_lead(chain=chain, proposed_location="盐湖区", contact_name="张经理")
    assert lead.owner == org.city
    assert lead.reporting_unit == org.team
    assert lead.status == LeadStatus.REPORTED
    assert lead.pool.code == "collected" and lead.pool.name == "线索库"
    assert lead.investor.name == INVESTOR and lead.investor.owner == org.city
    assert lead.estimated_amount == Decimal("500000")
    assert list(lead.reporters.all()) == [org["team_member"]]
    assert kinds(lead) == [LeadEventKind.REPORTED]
    assert audits(lead, AuditAction.CREATE).count() == 1
    assert visible(org["office"], lead) and visible(org["leader"], lead)
    assert not visible(org["county"], lead), "a county sees a lead only once it is pushed there"
    assert not visible(org.other_team_member, lead)


def test_the_first_lead_of_a_city_creates_its_settings_and_default_pools_once(org, make_lead):
    make_lead()
    make_lead(name="第二条线索")
    pools = list(LeadPool.objects.filter(owner=org.city).values_list("name", "kind"))
    assert pools == [
        ("线索库", PoolKind.OPEN),
        ("在谈库", PoolKind.OPEN),
        ("签约库", PoolKind.OPEN),
        ("落地库", PoolKind.LANDED),
        ("已失效", PoolKind.LOST),
    ]
    assert services.lead_settings_for(org.city).grades == ["A", "B", "C"]


def test_the_assessment_deadline_skips_the_national_day_holiday(org, make_lead):
    lead = make_lead(collected_date=D(2023, 9, 28))
    assert lead.assess_due == D(2023, 10, 9)
    assert lead.feedback_due == TODAY + datetime.timedelta(days=7)


def test_a_lead_captured_from_a_visit_takes_the_investor_chain_and_contact_in_one_step(org, chain):
    visit = outreach_services.create_visit(
        actor=org["team_member"],
        visit_date=TODAY - datetime.timedelta(days=2),
        company_name="比亚迪股份有限公司",
        content="洽谈储能项目",
        intention="拟在运城建设储能电池 PACK 生产线",
        chain=chain,
        contact_name="王总",
    )
    lead = services.create_lead_from_visit(
        actor=org["team_member"], visit=visit, name="比亚迪储能项目", estimated_amount="约5000万"
    )
    assert lead.visit == visit and lead.investor == visit.company and lead.chain == chain
    assert lead.contact_name == "王总" and lead.contact_reached
    assert lead.collected_date == visit.visit_date
    assert lead.content == "拟在运城建设储能电池 PACK 生产线"
    assert lead.estimated_amount == Decimal("5000")
    assert lead.reporting_unit == org.team and lead.source == "visit"


@pytest.mark.parametrize(
    ("typed", "wan"),
    [("约5000万", "5000"), ("5亿元", "50000"), ("1.2亿", "12000"), ("3,000", "3000"), ("5000万元左右", "5000")],
)
def test_an_amount_typed_in_words_is_understood_in_wan_yuan(make_lead, typed, wan):
    assert make_lead(estimated_amount=typed).estimated_amount == Decimal(wan)


@pytest.mark.parametrize("typed", ["若干", "五千万", "-5", "99999999999999"])
def test_an_amount_that_cannot_be_understood_is_refused_and_nothing_is_written(make_lead, typed):
    assert_refused(lambda: make_lead(estimated_amount=typed), field="estimated_amount", text="拟投资额")


def test_the_same_lead_reported_twice_is_refused(make_lead):
    make_lead()
    assert_refused(make_lead, text="该线索已报送")


def test_a_lead_without_a_name_or_in_the_future_is_refused(make_lead):
    assert_refused(lambda: make_lead(name="  "), field="name", text="请填写线索名称")
    future = TODAY + datetime.timedelta(days=1)
    assert_refused(lambda: make_lead(collected_date=future), field="collected_date", text="不能晚于今天")


def test_a_segment_of_another_chain_is_refused(org, make_lead, chain, steel_chain):
    from chains.models import ChainSegment

    segment = ChainSegment.objects.create(chain=steel_chain, position="upstream", name="铁矿采选")
    assert_refused(lambda: make_lead(chain=chain, segment=segment), field="segment", text="不属于产业链")
    lead = make_lead(segment=segment)
    assert lead.chain == steel_chain


@pytest.mark.parametrize("persona", ["office", "leader", "department", "sysadmin"])
def test_those_without_a_reporting_unit_cannot_report_a_lead(org, make_lead, persona):
    assert_refused(lambda: make_lead(persona), exc=PermissionDenied, text="没有可报送线索的单位")


def test_a_team_member_cannot_report_for_another_team(org, make_lead):
    assert_refused(lambda: make_lead(reporting_unit=org.other_team), exc=PermissionDenied)


def test_a_county_reports_for_itself_and_its_squad(org, make_lead):
    assert make_lead("county").reporting_unit == org.county
    assert make_lead("county", reporting_unit=org.squad, name="小分队线索").reporting_unit == org.squad


def test_the_reporting_team_edits_its_lead_until_it_is_assessed_then_only_the_office(org, make_lead):
    lead = make_lead()
    lead = services.update_lead(actor=org["team_member"], lead=lead, estimated_amount="8亿", contact_name="李总")
    assert lead.estimated_amount == Decimal("80000")
    assert LeadEventKind.EDITED in kinds(lead)
    update = audits(lead, AuditAction.UPDATE).get()
    assert update.before["estimated_amount"] == "500000.0000" and update.after["estimated_amount"] == "80000.0000"
    assert_refused(
        lambda: services.update_lead(actor=org.other_team_member, lead=lead, name="改名"), exc=PermissionDenied
    )
    services.assess_lead(actor=org["office"], lead=lead, grade="B", opinion="", receiving_unit=org.county)
    assert_refused(
        lambda: services.update_lead(actor=org["team_member"], lead=lead, name="改名"), text="报送单位不能再修改"
    )
    assert services.update_lead(actor=org["office"], lead=lead, name="改名").name == "改名"


# --- Assessment ----------------------------------------------------------------------------


def test_the_office_grades_and_pushes_a_lead_to_a_county_which_then_sees_it(org, make_lead, chain):
    lead = make_lead()
    lead = services.assess_lead(
        actor=org["office"], lead=lead, grade="A", opinion="符合新能源布局", chain=chain, receiving_unit=org.county
    )
    assert lead.status == LeadStatus.DISPATCHED
    assert lead.grade == "A" and lead.chain == chain and lead.receiving_unit == org.county
    assert lead.assessed_by == org["office"] and lead.dispatched_at is not None
    assert kinds(lead) == [LeadEventKind.REPORTED, LeadEventKind.ASSESSED, LeadEventKind.DISPATCHED]
    change = audits(lead, AuditAction.STATE_CHANGE).get()
    assert change.before["status"] == "reported" and change.after["status"] == "dispatched"
    assert change.before["chain"] is None and change.after["chain"] == chain.pk
    assert change.after["receiving_unit"] == org.county.pk and change.actor_name == "office"
    assert visible(org["county"], lead)
    assert not visible(org["outsider"], lead)


def test_a_grade_outside_the_citys_grades_is_refused(org, make_lead):
    lead = make_lead()
    assert_refused(
        lambda: services.assess_lead(actor=org["office"], lead=lead, grade="S", opinion="", receiving_unit=org.county),
        field="grade",
        text="A、B、C",
    )
    services.update_lead_settings(actor=org["office"], owner=org.city, grades="S、A、B")
    lead = services.assess_lead(actor=org["office"], lead=lead, grade="S", opinion="", receiving_unit=org.county)
    assert lead.grade == "S"


def test_rejecting_a_lead_needs_a_reason(org, make_lead):
    lead = make_lead()
    assert_refused(
        lambda: services.assess_lead(actor=org["office"], lead=lead, grade="C", opinion="信息不足"),
        field="receiving_unit",
        text="请填写原因",
    )
    lead = services.assess_lead(actor=org["office"], lead=lead, grade="C", opinion="", reject_reason="投资方无实际意向")
    assert lead.status == LeadStatus.REJECTED and lead.closing_reason == "投资方无实际意向"
    assert kinds(lead)[-1] == LeadEventKind.REJECTED
    assert not visible(org["county"], lead)


def test_pushing_and_rejecting_at_once_is_refused(org, make_lead):
    lead = make_lead()
    assert_refused(
        lambda: services.assess_lead(
            actor=org["office"], lead=lead, grade="A", opinion="", receiving_unit=org.county, reject_reason="重复"
        ),
        field="reject_reason",
    )


@pytest.mark.parametrize("unit_name", ["department", "team", "city", "other_city_county"])
def test_a_lead_can_only_be_pushed_to_a_county_or_zone_of_the_city(org, make_lead, unit_name):
    lead = make_lead()
    unit = getattr(org, unit_name)
    assert_refused(
        lambda: services.assess_lead(actor=org["office"], lead=lead, grade="A", opinion="", receiving_unit=unit),
        field="receiving_unit",
        text="推送单位须为县（市、区）或开发区",
    )


def test_a_lead_can_be_pushed_to_a_zone(org, make_lead, zone_staff):
    lead = services.assess_lead(actor=org["office"], lead=make_lead(), grade="B", opinion="", receiving_unit=org.zone)
    assert visible(zone_staff, lead) and not visible(org["county"], lead)


@pytest.mark.parametrize("persona", ["team_leader", "team_member", "county", "leader", "department", "outsider"])
def test_only_the_office_assesses(org, make_lead, persona):
    lead = make_lead()
    assert_refused(
        lambda: services.assess_lead(actor=org[persona], lead=lead, grade="A", opinion="", receiving_unit=org.county),
        exc=PermissionDenied,
    )


def test_assessing_a_lead_already_assessed_is_refused_naming_who_did_it(org, make_lead, second_office):
    lead = make_lead()
    stale = Lead.objects.get(pk=lead.pk)
    services.assess_lead(actor=org["office"], lead=lead, grade="A", opinion="", receiving_unit=org.county)
    error = assert_refused(
        lambda: services.assess_lead(
            actor=second_office, lead=stale, grade="B", opinion="", receiving_unit=org.other_county
        ),
        text="该线索已由 招商中心小王 于",
    )
    assert "请刷新" in error.messages[0]
    assert fresh(lead).receiving_unit == org.county


def test_the_negative_list_of_the_zone_is_shown_and_pushing_needs_confirmation(org, make_lead, steel_chain):
    NegativeListEntry.objects.create(unit=org.zone, industry="焦化", keywords="焦化、焦炭", reason="环境容量不足")
    NegativeListEntry.objects.create(unit=org.zone, industry="普钢冶炼", chain=steel_chain)
    NegativeListEntry.objects.create(unit=org.county, industry="电池回收")  # another unit's list does not apply
    lead = make_lead(name="焦炭深加工项目", chain=steel_chain)
    hits = selectors.negative_list_hits(lead, org.zone)
    assert sorted(h.industry for h in hits) == sorted(["普钢冶炼", "焦化"])
    error = assert_refused(
        lambda: services.assess_lead(actor=org["office"], lead=lead, grade="A", opinion="", receiving_unit=org.zone),
        field="receiving_unit",
        text="焦化（环境容量不足）",
    )
    assert error.error_dict["receiving_unit"][0].code == "negative_list"
    assert "普钢冶炼" in error.messages[0] and "如确需推送，请确认" in error.messages[0]
    lead = services.assess_lead(
        actor=org["office"], lead=lead, grade="A", opinion="", receiving_unit=org.zone, confirm_negative_list=True
    )
    assert lead.status == LeadStatus.DISPATCHED
    assert "已确认负面清单提示" in LeadEvent.objects.get(lead=lead, kind=LeadEventKind.DISPATCHED).note


def test_a_lead_outside_every_negative_list_is_pushed_without_a_question(org, make_lead):
    NegativeListEntry.objects.create(unit=org.zone, industry="焦化", keywords="焦化")
    lead = services.assess_lead(actor=org["office"], lead=make_lead(), grade="A", opinion="", receiving_unit=org.zone)
    assert lead.status == LeadStatus.DISPATCHED


# --- Dispatch: accept, return, reassign, share --------------------------------------------------


def test_the_county_accepts_a_lead_pushed_to_it(org, dispatched):
    lead = services.accept_lead(actor=org["county"], lead=dispatched())
    assert lead.status == LeadStatus.ACCEPTED and lead.accepted_at is not None
    assert kinds(lead)[-1] == LeadEventKind.ACCEPTED
    assert audits(lead, AuditAction.STATE_CHANGE).count() == 2
    assert_refused(lambda: services.accept_lead(actor=org["county"], lead=lead), text="无需重复操作")


def test_another_county_cannot_accept_or_return_a_lead_it_was_never_sent(org, dispatched, other_county_staff):
    lead = dispatched()
    assert not visible(other_county_staff, lead)
    assert_refused(lambda: services.accept_lead(actor=other_county_staff, lead=lead), exc=PermissionDenied)
    assert_refused(
        lambda: services.return_lead(actor=other_county_staff, lead=lead, reason="不要"), exc=PermissionDenied
    )
    assert_refused(lambda: services.accept_lead(actor=org["outsider"], lead=lead), exc=PermissionDenied)
    assert_refused(
        lambda: services.accept_lead(actor=org["office"], lead=lead), exc=PermissionDenied, text="只有承接该线索"
    )


def test_a_returned_lead_goes_back_to_the_office_and_is_reassigned_to_another_county(
    org, dispatched, other_county_staff
):
    lead = dispatched()
    assert_refused(lambda: services.return_lead(actor=org["county"], lead=lead, reason=" "), field="reason")
    lead = services.return_lead(actor=org["county"], lead=lead, reason="我区无相应用地")
    assert lead.status == LeadStatus.RETURNED and lead.receiving_unit is None
    returned = LeadEvent.objects.get(lead=lead, kind=LeadEventKind.RETURNED)
    assert returned.unit == org.county and returned.note == "我区无相应用地"
    assert not visible(org["county"], lead)
    assert lead in selectors.assessment_queue(org["office"])
    lead = services.reassign_lead(
        actor=org["office"], lead=lead, receiving_unit=org.other_county, opinion="改由临猗县承接"
    )
    assert lead.status == LeadStatus.DISPATCHED and lead.receiving_unit == org.other_county
    event = LeadEvent.objects.filter(lead=lead, kind=LeadEventKind.DISPATCHED).last()
    assert (event.from_value, event.to_value) == ("盐湖区", "临猗县")
    assert services.accept_lead(actor=other_county_staff, lead=lead).status == LeadStatus.ACCEPTED


def test_accepting_a_lead_reassigned_meanwhile_is_refused_with_a_message(org, dispatched):
    lead = dispatched()
    seen_by_county = Lead.objects.get(pk=lead.pk)
    services.reassign_lead(actor=org["office"], lead=lead, receiving_unit=org.other_county)
    assert_refused(lambda: services.accept_lead(actor=org["county"], lead=seen_by_county), text="已改派其他单位")
    assert fresh(lead).status == LeadStatus.DISPATCHED and fresh(lead).receiving_unit == org.other_county


def test_accepting_a_lead_a_colleague_returned_meanwhile_is_refused_with_a_message(org, dispatched):
    lead = dispatched()
    colleague = make_person("yh2", org.county, Role.COUNTY_STAFF, "盐湖区小吴")
    services.return_lead(actor=colleague, lead=lead, reason="不符合产业定位")
    assert_refused(lambda: services.accept_lead(actor=org["county"], lead=lead), text="已退回招商中心")


def test_reassigning_is_for_the_office_and_to_another_unit(org, dispatched, make_lead):
    lead = dispatched()
    assert_refused(
        lambda: services.reassign_lead(actor=org["county"], lead=lead, receiving_unit=org.zone), exc=PermissionDenied
    )
    assert_refused(
        lambda: services.reassign_lead(actor=org["office"], lead=lead, receiving_unit=org.county),
        field="receiving_unit",
    )
    reported = make_lead(name="未研判的线索")
    assert_refused(
        lambda: services.reassign_lead(actor=org["office"], lead=reported, receiving_unit=org.zone),
        text="只有已退回或待接收的线索可以改派",
    )


def test_sharing_makes_the_lead_visible_to_the_second_unit_only(org, accepted, zone_staff, other_county_staff):
    lead = accepted()
    assert not visible(zone_staff, lead)
    services.share_lead(actor=org["office"], lead=lead, unit=org.zone)
    assert visible(zone_staff, lead)
    assert not visible(other_county_staff, lead) and not visible(org["outsider"], lead)
    assert LeadEvent.objects.filter(lead=lead, kind=LeadEventKind.SHARED, unit=org.zone).exists()
    assert_refused(lambda: services.share_lead(actor=org["office"], lead=lead, unit=org.zone), field="unit")
    assert_refused(lambda: services.share_lead(actor=org["office"], lead=lead, unit=org.county), field="unit")
    assert_refused(
        lambda: services.share_lead(actor=org["office"], lead=lead, unit=org.other_city_county), field="unit"
    )
    assert_refused(
        lambda: services.share_lead(actor=org["county"], lead=lead, unit=org.other_county), exc=PermissionDenied
    )
    services.unshare_lead(actor=org["office"], lead=lead, unit=org.zone)
    assert not visible(zone_staff, lead)
    assert AuditEvent.objects.filter(object_type="leads.leadshare", action=AuditAction.DELETE).exists()
    assert LeadEvent.objects.filter(lead=lead, kind=LeadEventKind.SHARED, note="取消共享").exists()


# --- Pools, follow-up, closing ---------------------------------------------------------------


def pool(org, code):
    return LeadPool.objects.get(owner=org.city, code=code)


def test_an_accepted_lead_moves_through_the_pools_and_each_move_is_recorded(org, accepted):
    lead = accepted()
    lead = services.move_pool(actor=org["county"], lead=lead, pool=pool(org, "negotiating"))
    lead = services.move_pool(actor=org["office"], lead=lead, pool=pool(org, "signed"), note="已签订投资协议")
    assert lead.pool.name == "签约库"
    moves = LeadEvent.objects.filter(lead=lead, kind=LeadEventKind.POOL_MOVED).order_by("id")
    assert [(m.from_value, m.to_value, m.actor) for m in moves] == [
        ("线索库", "在谈库", org["county"]),
        ("在谈库", "签约库", org["office"]),
    ]
    assert audits(lead, AuditAction.STATE_CHANGE).filter(after__pool=pool(org, "signed").pk).exists()


def test_only_an_accepted_lead_leaves_the_first_pool(org, dispatched, make_lead):
    lead = dispatched()
    assert_refused(
        lambda: services.move_pool(actor=org["office"], lead=lead, pool=pool(org, "negotiating")),
        field="pool",
        text="只有已接收的线索才能移出“线索库”",
    )
    reported = make_lead(name="待研判")
    assert_refused(
        lambda: services.move_pool(actor=org["team_member"], lead=reported, pool=pool(org, "negotiating")),
        exc=PermissionDenied,
    )


def test_moving_to_the_lost_pool_needs_a_reason_and_closes_the_lead_which_can_be_reopened(org, accepted):
    lead = services.move_pool(actor=org["county"], lead=accepted(), pool=pool(org, "negotiating"))
    assert_refused(
        lambda: services.move_pool(actor=org["county"], lead=lead, pool=pool(org, "lost")),
        field="note",
        text="须填写原因",
    )
    lead = services.move_pool(actor=org["county"], lead=lead, pool=pool(org, "lost"), note="投资方转投他省")
    assert lead.status == LeadStatus.CLOSED and lead.closing_reason == "投资方转投他省"
    assert_refused(
        lambda: services.move_pool(actor=org["county"], lead=lead, pool=pool(org, "signed")), text="请先重新打开"
    )
    lead = services.reopen_lead(actor=org["county"], lead=lead, reason="投资方重新联系")
    assert lead.status == LeadStatus.ACCEPTED and lead.pool.name == "在谈库" and lead.closing_reason == ""


def test_closing_a_lead_needs_a_reason_and_puts_it_in_the_lost_pool(org, accepted, other_county_staff):
    lead = accepted()
    assert_refused(lambda: services.close_lead(actor=org["county"], lead=lead, reason=""), field="reason")
    assert_refused(lambda: services.close_lead(actor=other_county_staff, lead=lead, reason="x"), exc=PermissionDenied)
    lead = services.close_lead(actor=org["county"], lead=lead, reason="项目取消")
    assert lead.status == LeadStatus.CLOSED and lead.pool.kind == PoolKind.LOST
    assert kinds(lead)[-2:] == [LeadEventKind.CLOSED, LeadEventKind.POOL_MOVED]
    assert services.reopen_lead(actor=org["office"], lead=lead).pool.name == "线索库"


def test_a_rejected_lead_reopened_by_the_office_goes_back_to_its_queue(org, make_lead):
    lead = services.assess_lead(actor=org["office"], lead=make_lead(), grade="C", opinion="", reject_reason="意向不明")
    assert_refused(lambda: services.reopen_lead(actor=org["team_member"], lead=lead), exc=PermissionDenied)
    lead = services.reopen_lead(actor=org["office"], lead=lead, reason="投资方补充了材料")
    assert lead.status == LeadStatus.REPORTED
    assert lead in selectors.assessment_queue(org["office"])
    assert_refused(lambda: services.reopen_lead(actor=org["office"], lead=lead), text="只有已关闭或不予推送")


def test_follow_ups_are_written_by_the_receiving_shared_and_reporting_units(org, dispatched, zone_staff):
    lead = dispatched()
    assert_refused(
        lambda: services.add_follow_up(actor=org["county"], lead=lead, follow_date=TODAY, note="电话沟通"),
        text="请先接收",
    )
    lead = services.accept_lead(actor=org["county"], lead=lead)
    services.share_lead(actor=org["office"], lead=lead, unit=org.zone)
    a = services.add_follow_up(actor=org["county"], lead=lead, follow_date=TODAY, note="邀请来运考察")
    b = services.add_follow_up(actor=zone_staff, lead=lead, follow_date=TODAY, note="提供园区厂房方案")
    c = services.add_follow_up(actor=org["team_member"], lead=lead, follow_date=TODAY, note="在京拜访总部")
    assert (a.unit, b.unit, c.unit) == (org.county, org.zone, org.team)
    assert LeadEvent.objects.filter(lead=lead, kind=LeadEventKind.FOLLOW_UP).count() == 3
    assert_refused(
        lambda: services.add_follow_up(actor=org.other_team_member, lead=lead, follow_date=TODAY, note="x"),
        exc=PermissionDenied,
    )
    assert_refused(
        lambda: services.add_follow_up(actor=org["county"], lead=lead, follow_date=TODAY, note=" "), field="note"
    )
    later = TODAY + datetime.timedelta(days=3)
    assert_refused(
        lambda: services.add_follow_up(actor=org["county"], lead=lead, follow_date=later, note="x"),
        field="follow_date",
    )


def test_a_follow_up_links_an_inspection_the_county_can_see(org, accepted):
    lead = accepted()
    inspection = outreach_services.create_inspection(
        actor=org["county"], inspection_date=TODAY, company_name=INVESTOR, delegation="宁德时代考察团"
    )
    note = services.add_follow_up(
        actor=org["county"], lead=lead, follow_date=TODAY, note="陪同考察", inspection=inspection
    )
    assert note.inspection == inspection
    hidden = outreach_services.create_inspection(
        actor=org.other_team_member, inspection_date=TODAY, company_name="另一家企业有限公司"
    )
    assert_refused(
        lambda: services.add_follow_up(actor=org["county"], lead=lead, follow_date=TODAY, note="x", inspection=hidden),
        field="inspection",
    )


# --- Settings and pools ---------------------------------------------------------------------


def test_only_the_office_changes_the_lead_rules(org, make_lead):
    make_lead()
    assert_refused(
        lambda: services.update_lead_settings(actor=org["team_leader"], owner=org.city, grades=["甲"]),
        exc=PermissionDenied,
    )
    assert_refused(
        lambda: services.update_lead_settings(actor=org["office"], owner=org.city, assess_working_days=-1),
        field="assess_working_days",
    )
    assert_refused(
        lambda: services.update_lead_settings(actor=org["office"], owner=org.city, grades=[" "]), field="grades"
    )
    settings = services.update_lead_settings(actor=org["office"], owner=org.city, assess_working_days=5)
    assert settings.assess_working_days == 5
    assert audits(settings, AuditAction.UPDATE).get().after == {"assess_working_days": 5}
    lead = make_lead(name="国庆前的线索", collected_date=D(2023, 9, 28))
    assert lead.assess_due == D(2023, 10, 11)


def test_the_office_renames_adds_and_retires_pools(org, accepted):
    lead = accepted()
    office = org["office"]
    negotiating = pool(org, "negotiating")
    renamed = services.save_pool(
        actor=office,
        owner=org.city,
        code="negotiating",
        name="洽谈库",
        kind=PoolKind.OPEN,
        sort_order=20,
        active=True,
        pool=negotiating,
    )
    assert renamed.name == "洽谈库"
    added = services.save_pool(
        actor=office, owner=org.city, code="started", name="开工库", kind=PoolKind.OPEN, sort_order=35, active=True
    )
    assert [p.name for p in selectors.pools_for(office)][:4] == ["线索库", "洽谈库", "签约库", "开工库"]
    services.move_pool(actor=office, lead=lead, pool=added)
    assert_refused(
        lambda: services.save_pool(
            actor=office,
            owner=org.city,
            code="started",
            name="开工库",
            kind=PoolKind.OPEN,
            sort_order=35,
            active=False,
            pool=added,
        ),
        field="active",
        text="还有 1 条线索",
    )
    assert_refused(
        lambda: services.save_pool(
            actor=office, owner=org.city, code="x", name="签约库", kind=PoolKind.OPEN, sort_order=1, active=True
        ),
        field="name",
    )
    assert_refused(
        lambda: services.save_pool(
            actor=org["county"], owner=org.city, code="y", name="新库", kind=PoolKind.OPEN, sort_order=1, active=True
        ),
        exc=PermissionDenied,
    )
    retired = services.save_pool(
        actor=office,
        owner=org.city,
        code="negotiating",
        name="洽谈库",
        kind=PoolKind.OPEN,
        sort_order=20,
        active=False,
        pool=renamed,
    )
    assert not retired.active
    assert "洽谈库" not in [p.name for p in selectors.pools_for(office)]


def test_the_last_open_pool_cannot_be_retired(org, make_lead):
    make_lead()
    office = org["office"]
    LeadPool.objects.filter(owner=org.city, code__in=["negotiating", "signed"]).update(active=False)
    collected = pool(org, "collected")
    Lead.objects.update(pool=pool(org, "landed"))  # empty the first pool so only the rule stops it
    assert_refused(
        lambda: services.save_pool(
            actor=office,
            owner=org.city,
            code="collected",
            name="线索库",
            kind=PoolKind.OPEN,
            sort_order=10,
            active=False,
            pool=collected,
        ),
        field="active",
        text="至少要保留一个启用的",
    )


# --- Conflicts (撞单) ------------------------------------------------------------------------


def test_a_second_units_lead_for_the_same_investor_is_a_conflict_told_to_both(org, make_lead):
    first = make_lead()
    second = make_lead(org.other_team_member, name="宁德时代储能项目")
    conflict = LeadConflict.objects.get()
    assert (conflict.lead, conflict.other_lead, conflict.company) == (second, first, first.investor)
    assert conflict.status == ConflictStatus.OPEN
    assert LeadEvent.objects.get(lead=first, kind=LeadEventKind.CONFLICT).unit == org.other_team
    assert LeadEvent.objects.get(lead=second, kind=LeadEventKind.CONFLICT).unit == org.team
    assert list(selectors.open_conflicts(org["office"])) == [conflict]
    assert list(selectors.open_conflicts(org["team_member"])) == [conflict]
    assert list(selectors.open_conflicts(org["outsider"])) == []
    # Editing the lead or reporting a third one from the same team makes no duplicate pair.
    services.update_lead(actor=org["team_member"], lead=first, content=CONTENT + "，二期")
    make_lead(name="宁德时代二期")
    assert LeadConflict.objects.filter(other_lead=first).count() + LeadConflict.objects.filter(lead=first).count() == 1


def test_the_same_team_or_the_county_holding_the_lead_is_no_conflict(org, accepted, make_lead):
    lead = accepted()
    make_lead(name="同一组的另一条线索")
    make_lead("county", name="县里自己报的线索")
    outreach_services.create_visit(actor=org["county"], visit_date=TODAY, company_name=INVESTOR, content="回访")
    outreach_services.create_visit(
        actor=org["team_member"], visit_date=TODAY, company_name=INVESTOR, content="总部回访"
    )
    assert not LeadConflict.objects.filter(lead=lead).exists()
    assert not LeadConflict.objects.filter(other_lead=lead).exists()


def test_a_visit_by_another_unit_is_a_conflict_once_per_unit(org, make_lead):
    lead = make_lead()
    outreach_services.create_visit(
        actor=org.other_team_member, visit_date=TODAY, company_name=INVESTOR, content="上海分部拜访"
    )
    conflict = LeadConflict.objects.get()
    assert conflict.lead == lead and conflict.other_visit.unit == org.other_team and conflict.other_lead is None
    outreach_services.create_visit(
        actor=org.other_team_member, visit_date=TODAY, company_name=INVESTOR, content="再次拜访"
    )
    assert LeadConflict.objects.count() == 1
    assert LeadEvent.objects.filter(lead=lead, kind=LeadEventKind.CONFLICT).count() == 1


def test_a_recent_visit_by_another_unit_is_found_when_the_lead_is_reported(org, make_lead):
    outreach_services.create_visit(
        actor=org.other_team_member,
        visit_date=TODAY - datetime.timedelta(days=30),
        company_name=INVESTOR,
        content="上海分部拜访",
    )
    outreach_services.create_visit(
        actor=org["county"],
        visit_date=TODAY - datetime.timedelta(days=200),
        company_name=INVESTOR,
        content="很久以前的拜访",
    )
    lead = make_lead()
    assert [c.other_visit.unit for c in LeadConflict.objects.filter(lead=lead)] == [org.other_team]


def test_the_office_decides_who_leads_and_a_duplicate_is_never_counted_twice(org, make_lead):
    first = make_lead()
    second = make_lead(org.other_team_member, name="宁德时代储能项目")
    conflict = LeadConflict.objects.get()
    investor = first.investor
    assert Lead.objects.counted().filter(investor=investor).count() == 2
    assert_refused(
        lambda: services.decide_conflict(actor=org["team_leader"], conflict=conflict, leading_unit=org.team),
        exc=PermissionDenied,
    )
    assert_refused(
        lambda: services.decide_conflict(actor=org["office"], conflict=conflict, leading_unit=org.zone),
        field="leading_unit",
    )
    conflict = services.decide_conflict(
        actor=org["office"], conflict=conflict, leading_unit=org.team, same_lead=True, decision="由北京组牵头对接"
    )
    assert conflict.status == ConflictStatus.DECIDED and conflict.leading_unit == org.team
    assert fresh(second).duplicate_of == first and fresh(first).duplicate_of is None
    assert Lead.objects.counted().filter(investor=investor).count() == 1
    assert Lead.objects.filter(investor=investor).count() == 2, "the duplicate stays on record"
    counts_by_pool = {p.code: p.lead_count for p in selectors.pool_counts(org["office"])}
    assert counts_by_pool["collected"] == 1
    assert LeadEvent.objects.filter(kind=LeadEventKind.CONFLICT_DECIDED).count() == 2
    assert audits(conflict, AuditAction.STATE_CHANGE).exists()
    assert_refused(
        lambda: services.decide_conflict(actor=org["office"], conflict=conflict, leading_unit=org.other_team),
        text="该撞单已由 招商中心小王 于",
    )
    # A later lead for the same investor by the second team meets only the lead that counts.
    make_lead(org.other_team_member, name="宁德时代三期")
    assert not LeadConflict.objects.filter(other_lead=second).exists()


def test_a_conflict_with_a_visit_is_decided_without_a_duplicate(org, make_lead):
    lead = make_lead()
    outreach_services.create_visit(
        actor=org.other_team_member, visit_date=TODAY, company_name=INVESTOR, content="上海分部拜访"
    )
    conflict = LeadConflict.objects.get()
    assert_refused(
        lambda: services.decide_conflict(actor=org["office"], conflict=conflict, leading_unit=org.team, same_lead=True),
        field="same_lead",
    )
    services.decide_conflict(actor=org["office"], conflict=conflict, leading_unit=org.other_team)
    assert fresh(lead).duplicate_of is None


# --- Hooks -----------------------------------------------------------------------------------


def test_a_unit_holding_open_leads_names_them_as_open_work(org, accepted):
    from core.registry import open_work_for

    accepted()
    assert "还有 1 条承接中的线索" in open_work_for(org.county)
    assert "还有 1 条报送中的线索" in open_work_for(org.team)
    assert open_work_for(org.other_county) == []


def test_merging_two_investors_keeps_a_reimported_lead_recognised(org, make_lead):
    from enterprises.services import create_company, merge_companies

    keep = create_company(actor=org["team_member"], name=INVESTOR)
    alias = create_company(actor=org["team_member"], name="宁德新能源电池有限公司")
    lead = make_lead(investor=alias)
    merge_companies(actor=org["office"], keep=keep, absorb=alias)
    lead = fresh(lead)
    assert lead.investor == keep
    assert lead.dedupe_key == services.lead_key(
        reporting_unit_id=lead.reporting_unit_id,
        collected_date=lead.collected_date,
        investor_id=keep.pk,
        name=lead.name,
    )
    assert_refused(lambda: make_lead(investor=keep), text="该线索已报送")


def test_a_scratch_city_gets_its_own_pools(org):
    city = make_unit("DT", "大同市", UnitKind.CITY, org.province)
    pools = services.ensure_pools(city)
    assert [p.code for p in pools] == ["collected", "negotiating", "signed", "landed", "lost"]
    assert all(p.owner == city for p in pools)


# --- Queues and timelines ----------------------------------------------------------------------


def test_the_office_queue_lists_waiting_leads_oldest_deadline_first_and_flags_the_late_ones(org, make_lead):
    late = make_lead(name="国庆前报送", collected_date=D(2023, 9, 28))
    fresh_lead = make_lead(name="今天报送")
    sent = make_lead(name="已推送")
    services.assess_lead(actor=org["office"], lead=sent, grade="A", opinion="", receiving_unit=org.county)
    queue = list(selectors.assessment_queue(org["office"]))
    assert [lead.name for lead in queue] == ["国庆前报送", "今天报送"]
    assert [lead.overdue for lead in queue] == [True, False]
    assert list(selectors.overdue(Lead.objects.all())) == [late]
    assert fresh_lead in selectors.team_leads(org["team_member"])
    for persona in ("team_member", "county", "leader", "outsider"):
        assert not selectors.assessment_queue(org[persona]).exists(), persona


def test_a_county_queue_holds_only_the_leads_pushed_to_it_and_waiting(org, dispatched, other_county_staff):
    mine = dispatched()
    theirs = dispatched(unit=org.other_county, name="临猗的线索")
    assert list(selectors.incoming_queue(org["county"])) == [mine]
    assert list(selectors.incoming_queue(other_county_staff)) == [theirs]
    services.accept_lead(actor=org["county"], lead=mine)
    assert not selectors.incoming_queue(org["county"]).exists()
    assert not selectors.incoming_queue(org["office"]).exists()


def test_each_team_sees_its_own_leads(org, make_lead):
    ours = make_lead()
    theirs = make_lead(org.other_team_member, investor_name="比亚迪股份有限公司", name="比亚迪项目")
    assert list(selectors.team_leads(org["team_member"])) == [ours]
    assert list(selectors.team_leads(org["team_leader"])) == [ours]
    assert list(selectors.team_leads(org.other_team_member)) == [theirs]
    assert not selectors.team_leads(org["office"]).exists()


def test_pool_counts_show_only_the_leads_the_user_may_see(org, accepted, make_lead):
    services.move_pool(actor=org["county"], lead=accepted(), pool=pool(org, "negotiating"))
    make_lead(name="第二条")
    office = {p.code: p.lead_count for p in selectors.pool_counts(org["office"])}
    county = {p.code: p.lead_count for p in selectors.pool_counts(org["county"])}
    assert office == {"collected": 1, "negotiating": 1, "signed": 0, "landed": 0, "lost": 0}
    assert county == {"collected": 0, "negotiating": 1, "signed": 0, "landed": 0, "lost": 0}
    assert selectors.pool_counts(org["outsider"]) == []


def test_the_timeline_merges_events_and_follow_ups_in_two_queries(org, accepted, django_assert_num_queries):
    lead = accepted()
    services.add_follow_up(actor=org["county"], lead=lead, follow_date=TODAY, note="电话沟通")
    with django_assert_num_queries(2):
        entries = selectors.timeline(lead)
        [(e.actor and e.actor.name, e.unit and e.unit.name) for e in entries]
    kinds_shown = [e.kind for e in entries]
    assert kinds_shown.count(LeadEventKind.FOLLOW_UP) == 1, "a follow-up is shown once"
    assert kinds_shown[:3] == [LeadEventKind.REPORTED, LeadEventKind.ASSESSED, LeadEventKind.DISPATCHED]
    for day in range(1, 6):
        services.add_follow_up(
            actor=org["county"], lead=lead, follow_date=TODAY - datetime.timedelta(days=day), note=f"第{day}次"
        )
        services.move_pool(actor=org["county"], lead=lead, pool=pool(org, "negotiating" if day % 2 else "collected"))
    with django_assert_num_queries(2):
        entries = selectors.timeline(lead)
        [(e.actor and e.actor.name, e.unit and e.unit.name) for e in entries]
    assert len(entries) == 4 + 6 + 5
    assert entries[0].kind == LeadEventKind.FOLLOW_UP and entries[0].note == "第5次"


def test_the_office_queue_keeps_a_fixed_query_count_as_leads_grow(org, make_lead, django_assert_max_num_queries):
    def read():
        return [
            (lead.reporting_unit.name, lead.investor and lead.investor.name, lead.pool.name, lead.overdue)
            for lead in selectors.assessment_queue(org["office"])
        ]

    make_lead(name="线索0")
    # The scope, the leads with their investors, then one query for each small table they name, read beside
    # them rather than joined (core.refs): units, chains, segments, pools.
    with django_assert_max_num_queries(6) as few:
        read()
    for n in range(1, 15):
        make_lead(name=f"线索{n}", investor_name=f"测试企业{n}有限公司")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(read()) == 15
