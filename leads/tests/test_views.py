"""The lead pages as each persona meets them: the permission matrix, the walk from report to 签约库, bad input, query budgets.

Decided here and held by the matrix: a lead out of scope is a 404 that never shows its
name; a lead in scope whose action the viewer may not take is a 403 with the reason;
the queues are for their roles only (the office's queue, a county's incoming leads,
the writers' own), the list of all leads is everyone's, scoped.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from core.testing import Case, login_as, run_matrix, statuses
from leads import services
from leads.choices import LeadEventKind, LeadStatus
from leads.models import FollowUp, Lead, LeadConflict, LeadEvent, LeadPool, LeadShare, NegativeListEntry
from outreach import services as outreach_services

TODAY = datetime.date.today()
CITY_READERS = ("office", "leader", "sysadmin", "auditadmin")
EVERYONE_ELSE = ("department", "outsider", "other_county", "other_team")


def u(name, *args):
    return reverse(f"leads:{name}", args=args)


def everyone(default, **overrides):
    """Expected status per persona, the other county's staff and the other team's member included."""
    return statuses(default, **{"other_county": default, "other_team": default, **overrides})


def only(*personas, code=200, default=404, **others):
    """`code` for the named personas, `default` for the rest (with per-persona overrides)."""
    expect = everyone(default, **dict.fromkeys(personas, code))
    expect.update(others)
    return expect


def client_for(org, persona):
    return login_as(Client(), org[persona] if isinstance(persona, str) else persona)


def counts():
    return (
        Lead.objects.count(),
        LeadEvent.objects.count(),
        LeadShare.objects.count(),
        FollowUp.objects.count(),
        LeadConflict.objects.count(),
        AuditEvent.objects.exclude(action="login").count(),
        tuple(Lead.objects.order_by("pk").values_list("status", "pool_id", "receiving_unit_id")),
    )


def page_text(response):
    return response.content.decode()


def pool(org, code):
    return LeadPool.objects.get(owner=org.city, code=code)


@pytest.fixture
def world(org, other_county_staff):
    """The persona tree plus the other county's staff and the other team's member, as personas of the matrix."""
    org.people["other_county"] = other_county_staff
    org.people["other_team"] = org.other_team_member
    return org


@pytest.fixture
def leads(world, make_lead, dispatched, accepted):
    """One lead at each stage, each with a name that must not leak outside its scope (and its own investor)."""
    return {
        "reported": make_lead(name="北京组待研判线索", investor_name="甲新能源有限公司"),
        "pushed": dispatched(name="推送盐湖区待接收线索", investor_name="乙储能有限公司"),
        "held": accepted(name="盐湖区已接收线索", investor_name="丙材料有限公司"),
        "other_team": make_lead(world.other_team_member, name="上海组氢能线索", investor_name="丁氢能有限公司"),
    }


# --- The permission matrix --------------------------------------------------------------------------


def test_permission_matrix_for_the_list_pages(world, leads):
    names = {key: lead.name for key, lead in leads.items()}
    all_names = list(names.values())
    team_names = [names["reported"], names["pushed"], names["held"]]
    cases = [
        Case(
            u("lead_list"),
            everyone(200),
            anonymous=302,
            hidden={
                "team_leader": [names["other_team"]],
                "team_member": [names["other_team"]],
                "county": [names["reported"], names["other_team"]],
                "other_county": all_names,
                "other_team": team_names,
                "department": all_names,
                "outsider": all_names,
            },
            shown={
                "office": all_names,
                "leader": all_names,
                "team_member": team_names,
                "county": [names["pushed"], names["held"]],
                "other_team": [names["other_team"]],
            },
        ),
        Case(
            u("assessment_queue"),
            only("office", default=403),
            anonymous=302,
            shown={"office": [names["reported"], names["other_team"]]},
            hidden={"office": [names["pushed"], names["held"]]},
        ),
        Case(
            u("incoming"),
            only("county", "other_county", "outsider", default=403),
            anonymous=302,
            shown={"county": [names["pushed"]]},
            hidden={"county": [names["reported"], names["held"]], "other_county": all_names, "outsider": all_names},
        ),
        Case(
            u("team_leads"),
            only("team_leader", "team_member", "county", "outsider", "other_county", "other_team", default=403),
            anonymous=302,
            shown={"team_member": team_names, "other_team": [names["other_team"]]},
            hidden={
                "team_member": [names["other_team"]],
                "county": all_names,
                "other_team": team_names,
                "other_county": all_names,
            },
        ),
        Case(
            u("lead_create"),
            only("team_leader", "team_member", "county", "outsider", "other_county", "other_team", default=403),
            anonymous=302,
        ),
        # Someone who may not report is refused before anything is looked at.
        Case(u("lead_create"), only(*CITY_READERS, "department", code=403, default=200), method="post", data={}),
    ]
    before = Lead.objects.count()
    run_matrix(world, cases)
    assert Lead.objects.count() == before


def test_permission_matrix_for_a_leads_page_and_its_edit_page(world, leads):
    reported, pushed, held = leads["reported"], leads["pushed"], leads["held"]
    team = ("team_leader", "team_member")
    outside = ("county", *EVERYONE_ELSE)
    cases = [
        # Reported, not yet assessed: the city and the reporting team see it; nobody else learns it exists.
        Case(
            u("lead_detail", reported.pk),
            only(*CITY_READERS, *team),
            anonymous=302,
            hidden={p: [reported.name] for p in outside},
            shown={"office": [reported.name, "提交研判"], "team_member": [reported.name]},
        ),
        Case(
            u("lead_edit", reported.pk),
            only("office", *team, leader=403, sysadmin=403, auditadmin=403),
            anonymous=302,
            hidden={p: [reported.name] for p in outside},
        ),
        # Pushed to 盐湖区: the county now sees it; 临猗县 still does not.
        Case(
            u("lead_detail", pushed.pk),
            only(*CITY_READERS, *team, "county"),
            hidden={p: [pushed.name] for p in EVERYONE_ELSE},
            shown={"county": [pushed.name, "接收线索", "退回招商中心"]},
        ),
        # Assessed: the team no longer corrects it (the office does); the county never edits it.
        Case(
            u("lead_edit", pushed.pk),
            only("office", code=200, default=404, **dict.fromkeys((*team, "county", *CITY_READERS[1:]), 403)),
            hidden={p: [pushed.name] for p in EVERYONE_ELSE},
        ),
        Case(
            u("lead_detail", held.pk),
            only(*CITY_READERS, *team, "county"),
            hidden={p: [held.name] for p in EVERYONE_ELSE},
            shown={"county": ["转库", "添加跟进记录", "关闭线索"]},
        ),
        Case(
            u("lead_detail", leads["other_team"].pk),
            only(*CITY_READERS, "other_team"),
            hidden={p: [leads["other_team"].name] for p in (*team, "county", "department", "outsider", "other_county")},
        ),
        Case(u("lead_detail", 999999), everyone(404)),
    ]
    run_matrix(world, cases)


def test_permission_matrix_for_the_actions_on_a_lead(world, leads):
    """Every action as every persona: out of scope 404, in scope but not theirs 403, theirs answered on the page.

    Each request is one a party to the action would have refused by the form or the
    service (a missing reason, a missing unit), so no persona's turn changes the next one's.
    """
    reported, pushed, held = leads["reported"], leads["pushed"], leads["held"]
    team = ("team_leader", "team_member")
    readers_403 = dict.fromkeys(CITY_READERS[1:], 403)
    before = counts()
    cases = [
        Case(
            u("lead_assess", reported.pk),
            only("office", **dict.fromkeys(team, 403), **readers_403),
            method="post",
            data={"assess-grade": "A"},
            hidden={p: [reported.name] for p in ("county", *EVERYONE_ELSE)},
            shown={"office": ["请选择推送单位"]},
        ),
        Case(
            u("lead_reassign", pushed.pk),
            only("office", **dict.fromkeys((*team, "county"), 403), **readers_403),
            method="post",
            data={},
            hidden={p: [pushed.name] for p in EVERYONE_ELSE},
        ),
        Case(
            u("lead_share", pushed.pk),
            only("office", **dict.fromkeys((*team, "county"), 403), **readers_403),
            method="post",
            data={},
        ),
        Case(
            u("lead_return", pushed.pk),
            only("county", **dict.fromkeys(("office", *team), 403), **readers_403),
            method="post",
            data={"return-reason": ""},
            hidden={p: [pushed.name] for p in EVERYONE_ELSE},
        ),
        Case(
            u("lead_move_pool", held.pk),
            only("office", "county", **dict.fromkeys(team, 403), **readers_403),
            method="post",
            data={},
        ),
        Case(
            u("lead_close", held.pk),
            only("office", "county", **dict.fromkeys(team, 403), **readers_403),
            method="post",
            data={"close-reason": ""},
        ),
        Case(
            u("lead_reopen", held.pk),
            only("office", "county", **dict.fromkeys(team, 403), **readers_403),
            method="post",
            data={},
            shown={"county": ["只有已关闭或不予推送的线索可以重新打开"]},
        ),
        # The reporting team may add follow-ups too (it keeps in touch with the investor); the office does not.
        Case(
            u("lead_follow_up", held.pk),
            only("county", *team, office=403, **readers_403),
            method="post",
            data={"follow_up-note": ""},
            hidden={p: [held.name] for p in EVERYONE_ELSE},
        ),
    ]
    run_matrix(world, cases)
    assert counts() == before, "no refused action may write anything"
    # Accepting is the one action with nothing to fill in: only the county's request goes through.
    run_matrix(
        world,
        [
            Case(
                u("lead_accept", pushed.pk),
                only("county", code=302, **dict.fromkeys(("office", *team), 403), **readers_403),
                method="post",
                hidden={p: [pushed.name] for p in EVERYONE_ELSE},
            )
        ],
    )
    assert Lead.objects.get(pk=pushed.pk).status == LeadStatus.ACCEPTED


def test_permission_matrix_for_deciding_a_conflict(world, make_lead):
    mine = make_lead(name="北京组宁德时代线索")
    theirs = make_lead(world.other_team_member, name="上海组宁德时代线索")
    conflict = LeadConflict.objects.get()
    url = u("conflict_decide", conflict.pk)
    cases = [
        Case(
            url,
            only(
                "office",
                team_leader=403,
                team_member=403,
                other_team=403,
                leader=403,
                sysadmin=403,
                auditadmin=403,
            ),
            method="post",
            data={},
            hidden={"county": [mine.name, theirs.name], "outsider": [mine.name, theirs.name]},
        ),
        # Each team is told of the other's lead on its own lead's page, but not its name.
        Case(
            u("lead_detail", mine.pk),
            only(*CITY_READERS, "team_leader", "team_member"),
            hidden={"team_member": [theirs.name], "team_leader": [theirs.name]},
            shown={"team_member": ["上海招商组也报送了该投资方的线索"], "office": [theirs.name, "裁定"]},
        ),
    ]
    run_matrix(world, cases)
    assert LeadConflict.objects.get().status == "open"


# --- The walk ----------------------------------------------------------------------------------------


def test_a_lead_walks_from_a_team_to_the_office_to_a_county_and_into_the_signed_pool(world, chain):
    team = client_for(world, "team_member")
    response = team.post(
        u("lead_create"),
        {
            "reporting_unit": world.team.pk,
            "name": "宁德时代运城电池基地",
            "collected_date": TODAY.isoformat(),
            "source": "visit",
            "company_name": "宁德时代新能源科技股份有限公司",
            "content": "拟建设年产 20GWh 动力电池生产基地",
            "estimated_amount": "约5000万",
            "chain": chain.pk,
            "contact_reached": "on",
            "contact_name": "张经理",
        },
    )
    lead = Lead.objects.get()
    assert response.status_code == 302 and response["Location"] == lead.get_absolute_url()
    assert lead.estimated_amount == Decimal("5000") and lead.status == LeadStatus.REPORTED

    office = client_for(world, "office")
    queue = page_text(office.get(u("assessment_queue")))
    assert "宁德时代运城电池基地" in queue and "实效" in queue
    response = office.post(
        u("lead_assess", lead.pk),
        {
            "assess-grade": "A",
            "assess-chain": chain.pk,
            "assess-opinion": "符合盐湖区新能源布局",
            "assess-receiving_unit": world.county.pk,
        },
    )
    assert response.status_code == 302
    assert "宁德时代运城电池基地" not in page_text(office.get(u("assessment_queue")))

    county = client_for(world, "county")
    assert "宁德时代运城电池基地" in page_text(county.get(u("incoming")))
    assert county.post(u("lead_accept", lead.pk)).status_code == 302
    assert "宁德时代运城电池基地" not in page_text(county.get(u("incoming")))
    for code in ("negotiating", "signed"):
        response = county.post(u("lead_move_pool", lead.pk), {"move_pool-pool": pool(world, code).pk})
        assert response.status_code == 302, page_text(response)
    response = county.post(
        u("lead_follow_up", lead.pk),
        {"follow_up-follow_date": TODAY.isoformat(), "follow_up-note": "已签订投资协议"},
    )
    assert response.status_code == 302

    lead.refresh_from_db()
    assert (lead.status, lead.pool.code, lead.receiving_unit) == (LeadStatus.ACCEPTED, "signed", world.county)
    page = page_text(team.get(lead.get_absolute_url()))
    assert "签约库" in page and "已签订投资协议" in page
    kinds = list(LeadEvent.objects.filter(lead=lead).order_by("at", "id").values_list("kind", flat=True))
    assert kinds == [
        LeadEventKind.REPORTED,
        LeadEventKind.ASSESSED,
        LeadEventKind.DISPATCHED,
        LeadEventKind.ACCEPTED,
        LeadEventKind.POOL_MOVED,
        LeadEventKind.POOL_MOVED,
        LeadEventKind.FOLLOW_UP,
    ]
    # The 签约库 counts it once on the list of all leads.
    listing = page_text(office.get(u("lead_list")))
    assert re.search(r"签约库 <span class=\"badge text-bg-secondary\">1</span>", listing)


def test_a_lead_is_captured_from_a_visit_in_one_step(world, chain):
    visit = outreach_services.create_visit(
        actor=world["team_member"],
        visit_date=TODAY - datetime.timedelta(days=2),
        company_name="比亚迪股份有限公司",
        content="洽谈储能项目",
        intention="拟在运城建设储能电池 PACK 生产线",
        chain=chain,
        contact_name="王总",
    )
    client = client_for(world, "team_member")
    url = u("lead_create") + f"?visit={visit.pk}"
    page = page_text(client.get(url))
    assert "比亚迪股份有限公司" in page and "拟在运城建设储能电池 PACK 生产线" in page
    assert f'value="{visit.visit_date:%Y-%m-%d}"' in page
    response = client.post(
        url,
        {
            "reporting_unit": world.team.pk,
            "name": "比亚迪储能 PACK 项目",
            "collected_date": visit.visit_date.isoformat(),
            "source": "visit",
            "company_name": "比亚迪股份有限公司",
            "content": "拟在运城建设储能电池 PACK 生产线",
            "estimated_amount": "5亿元",
            "chain": chain.pk,
            "contact_reached": "on",
            "contact_name": "王总",
        },
    )
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert lead.visit == visit and lead.investor == visit.company and lead.chain == chain
    assert lead.estimated_amount == Decimal("50000") and lead.collected_date == visit.visit_date
    # Another team's visit cannot be the start of this team's lead: its page is a 404.
    other = outreach_services.create_visit(
        actor=world.other_team_member, visit_date=TODAY, company_name="蔚来汽车", content="上海组走访"
    )
    assert client.get(u("lead_create") + f"?visit={other.pk}").status_code == 404


def test_a_county_sends_a_lead_back_and_the_office_reassigns_it_to_the_zone(world, dispatched, zone_staff):
    lead = dispatched()
    county = client_for(world, "county")
    response = county.post(u("lead_return", lead.pk), {"return-reason": "不符合我区产业定位"})
    assert response.status_code == 302 and response["Location"] == u("incoming")
    assert county.get(lead.get_absolute_url()).status_code == 404, "sent back: no longer the county's to see"
    office = client_for(world, "office")
    assert lead.name in page_text(office.get(u("assessment_queue")))
    response = office.post(u("lead_reassign", lead.pk), {"reassign-receiving_unit": world.zone.pk})
    assert response.status_code == 302
    assert lead.name in page_text(client_for(world, zone_staff).get(u("incoming")))


def test_accepting_a_lead_reassigned_meanwhile_says_so_and_changes_nothing(world, dispatched):
    lead = dispatched()
    services.reassign_lead(actor=world["office"], lead=lead, receiving_unit=world.zone)
    before = counts()
    county = client_for(world, "county")
    response = county.post(u("lead_accept", lead.pk), follow=True)
    assert "已改派其他单位" in page_text(response)
    assert counts() == before
    # Someone who never held it learns nothing: a plain 404.
    assert client_for(world, "other_county").post(u("lead_accept", lead.pk)).status_code == 404


def test_a_second_assessment_of_the_same_lead_is_refused_with_who_did_it(world, make_lead, second_office):
    lead = make_lead()
    first, second = client_for(world, "office"), client_for(world, second_office)
    data = {"assess-grade": "A", "assess-receiving_unit": world.county.pk}
    page = page_text(second.get(lead.get_absolute_url()))
    assert "提交研判" in page
    assert first.post(u("lead_assess", lead.pk), data).status_code == 302
    before = counts()
    response = second.post(u("lead_assess", lead.pk), {**data, "assess-receiving_unit": world.zone.pk})
    assert response.status_code == 200
    assert "已由 招商中心小王" in page_text(response)
    assert counts() == before
    assert Lead.objects.get(pk=lead.pk).receiving_unit == world.county


# --- Bad input -----------------------------------------------------------------------------------------


def test_dispatching_to_a_department_is_refused_on_the_field(world, make_lead):
    lead = make_lead()
    before = counts()
    response = client_for(world, "office").post(
        u("lead_assess", lead.pk), {"assess-grade": "A", "assess-receiving_unit": world.department.pk}
    )
    assert response.status_code == 200
    page = page_text(response)
    assert 'data-testid="error-receiving_unit"' in page and "推送单位须为本市的县（市、区）或开发区" in page
    assert counts() == before


def test_the_negative_list_is_shown_and_pushing_waits_for_a_confirmation(world, make_lead):
    NegativeListEntry.objects.create(unit=world.zone, industry="焦化", keywords="焦化、焦炭", reason="环境容量不足")
    lead = make_lead(name="焦炭深加工项目")
    office = client_for(world, "office")
    data = {"assess-grade": "B", "assess-opinion": "", "assess-receiving_unit": world.zone.pk}
    before = counts()
    response = office.post(u("lead_assess", lead.pk), data)
    assert response.status_code == 200
    page = page_text(response)
    assert 'data-testid="negative-list-hits"' in page
    assert "焦化" in page and "环境容量不足" in page and "焦化、焦炭" in page
    assert 'name="assess-confirm_negative_list"' in page
    assert counts() == before
    response = office.post(u("lead_assess", lead.pk), {**data, "assess-confirm_negative_list": "on"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == LeadStatus.DISPATCHED and lead.receiving_unit == world.zone
    assert "已确认负面清单提示：焦化" in LeadEvent.objects.get(lead=lead, kind=LeadEventKind.DISPATCHED).note


def test_the_confirmation_box_is_not_offered_before_the_negative_list_is_hit(world, make_lead):
    lead = make_lead()
    page = page_text(client_for(world, "office").get(lead.get_absolute_url()))
    assert "confirm_negative_list" not in page


@pytest.mark.parametrize(("typed", "wan"), [("约5000万", "5000"), ("5亿元", "50000"), ("3,000", "3000")])
def test_an_amount_typed_in_words_on_the_form_is_understood(world, typed, wan):
    response = client_for(world, "team_member").post(
        u("lead_create"),
        {"reporting_unit": world.team.pk, "name": "某项目", "collected_date": TODAY.isoformat(), "source": "other"}
        | {"estimated_amount": typed},
    )
    assert response.status_code == 302
    assert Lead.objects.get().estimated_amount == Decimal(wan)


def test_an_amount_that_cannot_be_understood_is_refused_on_its_field_and_nothing_is_written(world):
    before = counts()
    response = client_for(world, "team_member").post(
        u("lead_create"),
        {
            "reporting_unit": world.team.pk,
            "name": "某项目",
            "collected_date": TODAY.isoformat(),
            "source": "other",
            "company_name": "若干科技有限公司",
            "estimated_amount": "五千万左右吧",
        },
    )
    assert response.status_code == 200
    page = page_text(response)
    assert 'data-testid="error-estimated_amount"' in page and "拟投资额" in page
    assert 'value="五千万左右吧"' in page, "what was typed is kept for correcting"
    assert counts() == before


def test_a_lead_without_a_name_or_in_the_future_is_refused_on_the_form(world):
    client = client_for(world, "team_member")
    before = counts()
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client.post(
        u("lead_create"),
        {"reporting_unit": world.team.pk, "name": "某项目", "collected_date": tomorrow.isoformat(), "source": "other"},
    )
    assert 'data-testid="error-collected_date"' in page_text(response) and "不能晚于今天" in page_text(response)
    response = client.post(u("lead_create"), {"reporting_unit": world.team.pk, "name": "", "source": "other"})
    assert 'data-testid="error-name"' in page_text(response)
    assert counts() == before


def test_the_team_corrects_its_lead_until_the_office_assesses_it(world, make_lead):
    lead = make_lead()
    client = client_for(world, "team_member")
    page = page_text(client.get(u("lead_edit", lead.pk)))
    assert 'value="500000"' in page and f'value="{lead.investor.name}"' in page
    response = client.post(
        u("lead_edit", lead.pk),
        {
            "name": lead.name,
            "collected_date": lead.collected_date.isoformat(),
            "source": lead.source,
            "company_name": lead.investor.name,
            "content": lead.content,
            "estimated_amount": "8亿",
            "contact_reached": "on",
            "reporters": [world["team_member"].pk],
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.estimated_amount == Decimal("80000") and lead.investor is not None
    services.assess_lead(actor=world["office"], lead=lead, grade="A", opinion="", receiving_unit=world.county)
    response = client.get(u("lead_edit", lead.pk))
    assert response.status_code == 403 and "报送单位不能再修改" in page_text(response)


def test_a_move_to_the_lost_pool_needs_a_reason(world, accepted):
    lead = accepted()
    before = counts()
    response = client_for(world, "county").post(
        u("lead_move_pool", lead.pk), {"move_pool-pool": pool(world, "lost").pk}
    )
    assert response.status_code == 200 and "须填写原因" in page_text(response)
    assert counts() == before


def test_a_lead_shows_why_it_is_not_effective(world, make_lead):
    lead = make_lead(content="电池", estimated_amount=None, contact_reached=False)
    page = page_text(client_for(world, "office").get(lead.get_absolute_url()))
    assert "非实效线索" in page
    for reason in ("项目内容不够具体", "缺少拟投资额", "尚未与投资方取得联系"):
        assert reason in page
    queue = page_text(client_for(world, "office").get(u("assessment_queue")))
    assert "缺少拟投资额" in queue


def test_an_overdue_lead_is_flagged_in_the_queue(world, make_lead):
    late = make_lead(name="逾期未研判线索", collected_date=TODAY - datetime.timedelta(days=30))
    Lead.objects.filter(pk=late.pk).update(feedback_due=TODAY - datetime.timedelta(days=20))
    make_lead(name="刚报送的线索", investor_name="另一家公司")
    office = client_for(world, "office")
    queue = page_text(office.get(u("assessment_queue")))
    assert queue.index("逾期未研判线索") < queue.index("刚报送的线索"), "oldest deadline first"
    assert queue.count('data-testid="overdue"') == 1
    overdue_only = page_text(office.get(u("lead_list") + "?overdue=true"))
    assert "逾期未研判线索" in overdue_only and "刚报送的线索" not in overdue_only


def test_the_list_filters_by_status_pool_grade_unit_chain_period_and_effectiveness(world, leads, make_lead, chain):
    make_lead(name="非实效的线索", investor_name="戊公司", estimated_amount=None, chain=chain)
    office = client_for(world, "office")

    def names(query):
        page = page_text(office.get(u("lead_list") + "?" + query))
        return {lead.name for lead in Lead.objects.all() if lead.name in page}

    assert names("status=dispatched") == {"推送盐湖区待接收线索"}
    assert names(f"unit={world.county.pk}") == {"推送盐湖区待接收线索", "盐湖区已接收线索"}
    assert names(f"unit={world.other_team.pk}") == {"上海组氢能线索"}
    assert names("grade=A") == {"推送盐湖区待接收线索", "盐湖区已接收线索"}
    assert names(f"chain={chain.pk}") == {"非实效的线索"}
    assert names("effective=false") == {"非实效的线索"}
    assert "非实效的线索" not in names("effective=true")
    assert names(f"pool={pool(world, 'collected').pk}") == set(Lead.objects.values_list("name", flat=True))
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    assert names(f"date_to={yesterday}") == set()
    assert names("q=氢能") == {"上海组氢能线索"}
    # A bad filter value is a message on the filter, never a 500.
    response = office.get(u("lead_list") + "?date_from=昨天&grade=Z")
    assert response.status_code == 200


def test_the_menu_offers_each_role_its_lead_lists(world):
    def menu(persona):
        return page_text(client_for(world, persona).get("/"))

    assert "研判队列" in menu("office") and "待接收线索" not in menu("office")
    assert "待接收线索" in menu("county") and "导入线索台账" in menu("county")
    assert "本组线索" in menu("team_member") and "研判队列" not in menu("team_member")
    assert "全部线索" in menu("leader") and "报送线索" not in menu("leader")


def test_a_companys_page_lists_its_leads_only_to_those_who_may_see_them(world, dispatched):
    lead = dispatched(name="宁德时代电池项目")
    url = reverse("enterprises:company_detail", args=[lead.investor_id])
    office_page = page_text(client_for(world, "office").get(url))
    assert "宁德时代电池项目" in office_page and "盐湖区" in office_page
    assert "宁德时代电池项目" in page_text(client_for(world, "county").get(url))
    assert "宁德时代电池项目" not in page_text(client_for(world, "other_county").get(url))


# --- Query budgets -------------------------------------------------------------------------------------


def _grow(world, make_lead, n, start=0):
    for i in range(start, start + n):
        lead = make_lead(name=f"批量线索{i:03d}", investor_name=f"批量企业{i:03d}有限公司")
        if i % 3 == 0:
            lead = services.assess_lead(
                actor=world["office"], lead=lead, grade="B", opinion="", receiving_unit=world.county
            )
        if i % 6 == 3:
            services.accept_lead(actor=world["county"], lead=lead)


@pytest.mark.parametrize(
    ("name", "persona"),
    [("lead_list", "office"), ("assessment_queue", "office"), ("incoming", "county"), ("team_leads", "team_member")],
)
def test_list_pages_keep_a_fixed_query_count_as_data_grows(
    world, make_lead, name, persona, django_assert_max_num_queries
):
    _grow(world, make_lead, 4)
    client = client_for(world, persona)
    url = u(name)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, make_lead, 30, start=4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = page_text(client.get(url))
    assert "批量线索" in page


def test_a_leads_page_keeps_a_fixed_query_count_however_long_its_timeline(
    world, accepted, django_assert_max_num_queries
):
    lead = accepted()
    client = client_for(world, "county")
    url = lead.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    county = world["county"]
    for i in range(15):
        services.add_follow_up(actor=county, lead=lead, follow_date=TODAY, note=f"第{i}次跟进")
    services.move_pool(actor=county, lead=lead, pool=pool(world, "negotiating"))
    services.share_lead(actor=world["office"], lead=lead, unit=world.zone)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = page_text(client.get(url))
    assert "第14次跟进" in page


def test_lists_are_paginated(world, make_lead):
    _grow(world, make_lead, 30)
    page = page_text(client_for(world, "office").get(u("lead_list")))
    assert "page=2" in page
    assert page.count("批量线索") <= 25
