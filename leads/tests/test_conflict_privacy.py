"""When the office decides that two units' leads are one (撞单, seed 003), each timeline says who leads
and whether the lead still counts, never the other unit's lead: a unit that cannot open
that lead must not learn its name (nor its id) from its own lead's page or the API.
"""

import pytest
from django.test import Client

from core.models import AuditEvent
from core.testing import api_client_for, login_as
from leads import services
from leads.choices import LeadEventKind
from leads.models import Lead, LeadConflict, LeadEvent

OURS = "宁德时代动力电池基地（盐湖区跟进）"
THEIRS = "宁德时代储能项目（上海组获取）"


@pytest.fixture
def decided(org, dispatched):
    """盐湖区 holds the Beijing team's lead; the Shanghai team reports the same investor; the office rules them one."""
    ours = services.accept_lead(actor=org["county"], lead=dispatched(name=OURS))
    theirs = services.create_lead(
        actor=org.other_team_member,
        name=THEIRS,
        collected_date=ours.collected_date,
        investor=ours.investor,
        content="建设储能电池产线",
    )
    conflict = LeadConflict.objects.get()
    services.decide_conflict(
        actor=org["office"], conflict=conflict, leading_unit=org.county, same_lead=True, decision="请盐湖区统一对接"
    )
    return Lead.objects.get(pk=ours.pk), Lead.objects.get(pk=theirs.pk)


def test_the_decision_on_each_timeline_names_the_leading_unit_but_not_the_other_lead(org, decided):
    ours, theirs = decided
    assert theirs.duplicate_of_id == ours.pk
    mine = LeadEvent.objects.get(lead=ours, kind=LeadEventKind.CONFLICT_DECIDED).note
    other = LeadEvent.objects.get(lead=theirs, kind=LeadEventKind.CONFLICT_DECIDED).note
    assert mine.startswith("招商中心裁定：与另一单位的线索为同一线索，由盐湖区牵头") and THEIRS not in mine
    assert "另一单位的线索不再重复计数" in mine and "请盐湖区统一对接" in mine
    assert other.startswith("招商中心裁定：与另一单位的线索为同一线索，由盐湖区牵头") and OURS not in other
    assert "本线索认定为重复线索，不再重复计数" in other
    # The audit log, read by the audit administrator, keeps both names.
    message = AuditEvent.objects.get(object_type="leads.leadconflict", action="state_change").message
    assert OURS in message and THEIRS in message


def test_a_county_reading_its_leads_page_and_api_does_not_see_the_other_leads_name(org, decided):
    ours, theirs = decided
    assert not Lead.objects.visible_to(org["county"]).filter(pk=theirs.pk).exists()
    html = login_as(Client(), org["county"]).get(ours.get_absolute_url()).content.decode()
    assert "由盐湖区牵头" in html and THEIRS not in html
    api = api_client_for(org["county"])
    detail = api.get(f"/api/v1/leads/{ours.pk}/")
    assert detail.status_code == 200
    assert THEIRS not in detail.content.decode()
    assert any("由盐湖区牵头" in entry["note"] for entry in detail.json()["timeline"])
    conflicts = api.get("/api/v1/lead-conflicts/").content.decode()
    assert THEIRS not in conflicts


def test_the_shanghai_team_learns_its_lead_is_a_duplicate_but_not_of_which_lead(org, decided):
    ours, theirs = decided
    html = login_as(Client(), org.other_team_member).get(theirs.get_absolute_url()).content.decode()
    assert "重复线索，不计数" in html and OURS not in html
    body = api_client_for(org.other_team_member).get(f"/api/v1/leads/{theirs.pk}/").json()
    assert body["is_duplicate"] is True and body["duplicate_of"] is None
    assert OURS not in str(body)
    # The office, which may open both, is given the lead it was merged into.
    office = api_client_for(org["office"]).get(f"/api/v1/leads/{theirs.pk}/").json()
    assert office["duplicate_of"] == ours.pk
    listed = api_client_for(org["office"]).get("/api/v1/leads/").json()["results"]
    assert {row["id"]: row["duplicate_of"] for row in listed} == {ours.pk: None, theirs.pk: ours.pk}
