"""Effective leads (实效线索): a lead says why it is or is not effective, and the SQL count agrees with it."""

from decimal import Decimal

import pytest

from leads import services
from leads.models import Lead, LeadSettings
from leads.rules import effective_q, effective_reasons, is_effective, with_effective

from .conftest import CONTENT


def test_a_lead_with_investor_content_amount_and_contact_is_effective(org, make_lead):
    lead = make_lead()
    settings = services.lead_settings_for(org.city)
    assert effective_reasons(lead, settings) == []
    assert is_effective(lead, settings)


def test_a_lead_missing_everything_says_each_reason_in_chinese(org, make_lead):
    lead = make_lead(investor_name="", content="电池项目", estimated_amount=None, contact_reached=False)
    reasons = effective_reasons(lead, services.lead_settings_for(org.city))
    assert reasons == [
        "缺少明确的投资方",
        "项目内容不够具体（少于 10 字）",
        "缺少拟投资额",
        "尚未与投资方取得联系",
    ]
    assert not is_effective(lead, services.lead_settings_for(org.city))


def test_a_zero_amount_is_not_an_estimated_amount(org, make_lead):
    lead = make_lead(estimated_amount="0")
    assert effective_reasons(lead, services.lead_settings_for(org.city)) == ["缺少拟投资额"]


def test_the_office_can_relax_the_rule_and_change_the_minimum_content(org, make_lead):
    lead = make_lead(content="电池项目", contact_reached=False)
    services.update_lead_settings(actor=org["office"], owner=org.city, requires_contact=False, min_content_length=4)
    settings = services.lead_settings_for(org.city)
    assert effective_reasons(lead, settings) == []
    services.update_lead_settings(actor=org["office"], owner=org.city, min_content_length=5)
    settings.refresh_from_db()
    assert effective_reasons(lead, settings) == ["项目内容不够具体（少于 5 字）"]


def test_without_saved_settings_the_defaults_apply(org, make_lead):
    lead = make_lead(contact_reached=False)
    assert effective_reasons(lead, None) == ["尚未与投资方取得联系"]


SETTINGS_VARIANTS = [
    {},
    {"requires_investor": False, "requires_contact": False},
    {"min_content_length": 4},
    {"requires_content": False, "requires_amount": False},
    {"requires_investor": False, "requires_content": False, "requires_amount": False, "requires_contact": False},
]


@pytest.mark.parametrize("variant", SETTINGS_VARIANTS)
def test_the_sql_filter_counts_exactly_the_leads_the_page_calls_effective(org, make_lead, variant):
    shapes = [
        {},
        {"investor_name": ""},
        {"content": "电池项目"},
        {"content": "  一二三四五六七八九十  "},
        {"content": "一二三四五六七八九"},
        {"content": ""},
        {"estimated_amount": None},
        {"estimated_amount": "0"},
        {"estimated_amount": Decimal("0.0001")},
        {"contact_reached": False},
        {"investor_name": "", "content": "短", "estimated_amount": None, "contact_reached": False},
        {"content": CONTENT + "\n第二行"},
    ]
    for n, shape in enumerate(shapes):
        make_lead(name=f"线索{n}", **shape)
    settings = LeadSettings(owner=org.city, grades=["A"], **variant)
    expected = {lead.pk for lead in Lead.objects.all() if is_effective(lead, settings)}
    assert set(Lead.objects.filter(effective_q(settings)).values_list("pk", flat=True)) == expected
    annotated = {lead.pk for lead in with_effective(Lead.objects.all(), settings) if lead.is_effective}
    assert annotated == expected
    # The shapes are varied enough that each rule both admits and refuses some.
    assert 0 < len(expected) <= len(shapes)
