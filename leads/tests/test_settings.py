"""The office's lead settings page (/leads/settings/): the rule, the pools, the negative lists.

Held here: only the office of the city keeps them (everyone else 403; another city's
office meets a 404 on this city's records and never sees them); each change goes through
its service and leaves an audit record; bad input is refused with a Chinese message on
the field and writes nothing; the page costs a fixed number of queries however many
pools and entries it lists, and the negative list is paginated.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from core.testing import Case, login_as, make_person, run_matrix, statuses
from leads import services
from leads.models import Lead, LeadPool, LeadSettings, NegativeListEntry
from organizations.choices import Role

from .conftest import OUR_ENTRY, OUR_POOL


def u(name, *args, city=None):
    url = reverse(f"leads:{name}", args=args)
    return f"{url}?city={city.pk}" if city is not None else url


def office_only(code, *, other_office, **overrides):
    """`code` for the city's office, 403 for every other persona, `other_office` for another city's office."""
    expect = statuses(403, office=code, other_office=other_office)
    expect.update(overrides)
    return expect


def client_for(world, persona):
    return login_as(Client(), world[persona] if isinstance(persona, str) else persona)


def text(response):
    return response.content.decode()


def records():
    """What the settings' services write: a refused request must change none of it."""
    return (
        tuple(LeadSettings.objects.order_by("pk").values_list("pk", "grades", "feedback_days")),
        tuple(LeadPool.objects.order_by("pk").values_list("pk", "code", "name", "kind", "sort_order", "active")),
        tuple(NegativeListEntry.objects.order_by("pk").values_list("pk", "unit_id", "industry", "keywords")),
        AuditEvent.objects.exclude(action="login").count(),
    )


@pytest.fixture
def world(org, other_office):
    """The persona tree plus another city's office (临汾市), which must meet 运城's settings as strangers."""
    org.people["other_office"] = other_office
    return org


# --- The permission matrix ---------------------------------------------------------------------------------


def test_permission_matrix_for_the_settings_page_and_its_forms(world, ours):
    pool, entry = ours["pool"], ours["entry"]
    city = world.city
    hidden = {"other_office": [OUR_POOL, OUR_ENTRY, "运城市"]}
    before = records()
    cases = [
        Case(
            u("settings"),
            office_only(200, other_office=200),
            anonymous=302,
            hidden=hidden,
            shown={"office": [OUR_POOL, OUR_ENTRY, "线索库", "运城市"], "other_office": ["临汾市"]},
        ),
        Case(u("settings", city=city), office_only(200, other_office=404), hidden=hidden),
        # Each form sent with something the form or service refuses, so no persona's turn changes the next one's.
        Case(
            u("settings_rule", city=city),
            office_only(200, other_office=404),
            method="post",
            data={
                "rule-grades": "",
                "rule-min_content_length": 10,
                "rule-assess_working_days": 3,
                "rule-feedback_days": 7,
            },
            shown={"office": ["请至少设置一个线索等级"]},
        ),
        Case(
            u("pool_create", city=city),
            office_only(200, other_office=404),
            method="post",
            data={"new_pool-code": "x", "new_pool-name": "", "new_pool-kind": "open"},
            shown={"office": ["请填写线索库名称"]},
        ),
        Case(
            u("pool_update", pool.pk),
            office_only(200, other_office=404),
            method="post",
            data={f"pool_{pool.pk}-code": "key", f"pool_{pool.pk}-name": "", f"pool_{pool.pk}-kind": "open"},
            hidden=hidden,
        ),
        Case(
            u("negative_create", city=city),
            office_only(200, other_office=404),
            method="post",
            data={"negative-unit": world.county.pk, "negative-industry": ""},
            shown={"office": ["请填写限制或禁止的产业"]},
        ),
        Case(u("negative_edit", entry.pk), office_only(200, other_office=404), hidden=hidden),
        Case(
            u("negative_edit", entry.pk),
            office_only(200, other_office=404),
            method="post",
            data={"negative-unit": world.county.pk, "negative-industry": ""},
            hidden=hidden,
        ),
        Case(u("negative_delete", 999999), office_only(404, other_office=404), method="post"),
    ]
    run_matrix(world, cases)
    assert records() == before, "no refused request may write anything"
    # Deleting is the one form with nothing to fill in: only the office's request goes through.
    run_matrix(
        world,
        [Case(u("negative_delete", entry.pk), office_only(302, other_office=404), method="post")],
        personas=[p for p in world.people if p != "office"] + ["office"],
    )
    assert not NegativeListEntry.objects.filter(pk=entry.pk).exists()


def test_the_menu_offers_the_settings_to_the_office_only(world):
    assert u("settings") in text(client_for(world, "office").get("/"))
    for persona in ("team_member", "county", "leader"):
        assert u("settings") not in text(client_for(world, persona).get("/"))


def test_the_settings_page_links_to_the_working_day_overrides(world):
    assert reverse("core:workdays") in text(client_for(world, "office").get(u("settings")))


def test_an_office_of_two_cities_chooses_which_one(world):
    both = make_person("both", world.office, Role.OFFICE_STAFF, "两市兼任", role_unit=world.city)
    from organizations.models import Membership

    Membership.objects.create(user=both, unit=world.other_city, role=Role.OFFICE_STAFF)
    client = client_for(world, both)
    assert "运城市" in text(client.get(u("settings")))
    page = text(client.get(u("settings", city=world.other_city)))
    assert "临汾市" in page and 'data-testid="city-switch"' in page
    assert client.get(u("settings") + "?city=abc").status_code == 404


# --- The rule -------------------------------------------------------------------------------------------------


def test_the_office_changes_what_makes_a_lead_effective_and_its_deadlines(world):
    client = client_for(world, "office")
    page = text(client.get(u("settings")))
    assert "本市尚未修改过线索规则" in page
    response = client.post(
        u("settings_rule", city=world.city),
        {
            "rule-grades": "甲、乙，丙",
            "rule-requires_investor": "on",
            "rule-requires_content": "on",
            "rule-min_content_length": "20",
            "rule-assess_working_days": "5",
            "rule-feedback_days": "10",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#rule")
    settings = LeadSettings.objects.get(owner=world.city)
    assert settings.grades == ["甲", "乙", "丙"]
    assert (settings.requires_amount, settings.requires_contact) == (False, False)
    assert (settings.min_content_length, settings.assess_working_days, settings.feedback_days) == (20, 5, 10)
    event = AuditEvent.objects.filter(object_type="leads.leadsettings", action="update").get()
    assert event.actor_id == world["office"].pk and event.after["grades"] == ["甲", "乙", "丙"]
    assert "甲、乙、丙" in text(client.get(u("settings")))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"rule-grades": " 、 "}, "grades", "请至少设置一个线索等级"),
        ({"rule-assess_working_days": "99"}, "assess_working_days", "研判时限（工作日）须在 0 至 60 之间"),
        ({"rule-feedback_days": "-1"}, "feedback_days", "反馈时限（自然日）须在 0 至 365 之间"),
        ({"rule-min_content_length": "十"}, "min_content_length", "整数"),
    ],
)
def test_a_bad_rule_is_refused_on_its_field_and_nothing_is_written(world, data, field, message):
    lead_settings = {"rule-grades": "A、B", "rule-min_content_length": "10", "rule-assess_working_days": "3"}
    lead_settings["rule-feedback_days"] = "7"
    lead_settings.update(data)
    before = records()
    response = client_for(world, "office").post(u("settings_rule", city=world.city), lead_settings)
    assert response.status_code == 200
    page = text(response)
    assert f'data-testid="error-{field}"' in page and message in page
    assert records() == before


# --- The pools -----------------------------------------------------------------------------------------------


def pool_data(prefix, **values):
    data = {"code": "", "name": "", "kind": "open", "sort_order": "", "active": "on"}
    data.update(values)
    return {f"{prefix}-{k}": v for k, v in data.items() if v is not None}


def test_the_office_adds_renames_reorders_and_retires_pools(world):
    client = client_for(world, "office")
    assert "本市尚未建立线索库" in text(client.get(u("settings")))
    response = client.post(u("pool_create", city=world.city), pool_data("new_pool", code="visiting", name="考察库"))
    assert response.status_code == 302 and response["Location"].endswith("#pools")
    # The defaults were made first; the new pool goes after the last.
    names = list(LeadPool.objects.filter(owner=world.city).values_list("name", flat=True))
    assert names == ["线索库", "在谈库", "签约库", "落地库", "已失效", "考察库"]
    pool = LeadPool.objects.get(owner=world.city, code="visiting")
    data = pool_data(f"pool_{pool.pk}", code="visiting", name="来运考察库", sort_order="25")
    assert client.post(u("pool_update", pool.pk), data).status_code == 302
    names = list(LeadPool.objects.filter(owner=world.city).values_list("name", flat=True))
    assert names == ["线索库", "在谈库", "来运考察库", "签约库", "落地库", "已失效"]
    data = pool_data(f"pool_{pool.pk}", code="visiting", name="来运考察库", sort_order="25", active=None)
    assert client.post(u("pool_update", pool.pk), data).status_code == 302
    assert not LeadPool.objects.get(pk=pool.pk).active
    page = text(client.get(u("settings")))
    assert "来运考察库" in page and "已停用" in page
    actions = list(
        AuditEvent.objects.filter(object_type="leads.leadpool", object_id=str(pool.pk))
        .order_by("id")
        .values_list("action")
    )
    assert actions == [("create",), ("update",), ("update",)]


def test_a_pool_holding_leads_cannot_be_retired(world, make_lead):
    lead = make_lead()
    client = client_for(world, "office")
    before = records()
    data = pool_data(f"pool_{lead.pool_id}", code="collected", name="线索库", sort_order="10", active=None)
    response = client.post(u("pool_update", lead.pool_id), data)
    assert response.status_code == 200
    assert "中还有 1 条线索，不能停用" in text(response)
    assert records() == before


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"code": "extra", "name": "  "}, "name", "请填写线索库名称"),
        ({"code": "collected", "name": "新的库"}, "code", "编码“collected”已被本市其他线索库使用"),
        ({"code": "线索", "name": "新的库"}, "code", "请填写编码"),
        ({"code": "extra", "name": "在谈库"}, "name", "本市已有名为“在谈库”的线索库"),
        ({"code": "extra", "name": "新的库", "sort_order": "40000"}, "sort_order", "排序须在 0 至 32767 之间"),
    ],
)
def test_a_bad_pool_is_refused_on_its_field_and_nothing_is_written(world, values, field, message):
    services.ensure_pools(world.city)
    before = records()
    response = client_for(world, "office").post(u("pool_create", city=world.city), pool_data("new_pool", **values))
    assert response.status_code == 200
    page = text(response)
    assert f'data-testid="error-{field}"' in page and message in page
    assert records() == before


# --- The negative list --------------------------------------------------------------------------------------


def negative_data(unit, industry="钢铁冶炼", chain=None, keywords="炼钢、高炉", reason="能耗指标不足"):
    data = {"unit": unit.pk, "industry": industry, "chain": chain.pk if chain else "", "keywords": keywords}
    data["reason"] = reason
    return {f"negative-{k}": v for k, v in data.items()}


def test_the_office_adds_corrects_and_deletes_a_zones_negative_list_entry(world, chain, make_lead):
    client = client_for(world, "office")
    response = client.post(u("negative_create", city=world.city), negative_data(world.zone, chain=chain))
    assert response.status_code == 302 and response["Location"].endswith("#negative-list")
    entry = NegativeListEntry.objects.get()
    assert (entry.unit, entry.industry, entry.chain, entry.keywords) == (world.zone, "钢铁冶炼", chain, "炼钢、高炉")
    # It is checked when a lead is pushed to the zone.
    lead = make_lead(chain=chain)
    with pytest.raises(ValidationError, match="负面清单"):
        services.assess_lead(actor=world["office"], lead=lead, grade="A", opinion="", receiving_unit=world.zone)
    edit = u("negative_edit", entry.pk)
    assert "钢铁冶炼" in text(client.get(edit))
    response = client.post(edit, negative_data(world.zone, industry="钢铁", keywords="炼钢,高炉;转炉", chain=chain))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.industry, entry.keywords) == ("钢铁", "炼钢、高炉、转炉")
    assert client.post(u("negative_delete", entry.pk)).status_code == 302
    assert not NegativeListEntry.objects.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="leads.negativelistentry").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]
    assert AuditEvent.objects.filter(action="delete").get().before["industry"] == "钢铁"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"unit": "team"}, "unit", "负面清单只能设在本市的县（市、区）或开发区"),
        ({"unit": "other_city_county"}, "unit", "负面清单只能设在本市的县（市、区）或开发区"),
        ({"industry": "  "}, "industry", "请填写限制或禁止的产业"),
        ({"keywords": ""}, "keywords", "请选择产业链或填写关键词"),
        ({"industry": OUR_ENTRY}, "industry", f"“盐湖区”的负面清单中已有“{OUR_ENTRY}”"),
    ],
)
def test_a_bad_negative_list_entry_is_refused_on_its_field_and_nothing_is_written(world, ours, values, field, message):
    unit = getattr(world, values.pop("unit", "county"))
    before = records()
    response = client_for(world, "office").post(u("negative_create", city=world.city), negative_data(unit, **values))
    assert response.status_code == 200
    page = text(response)
    assert f'data-testid="error-{field}"' in page and message in page
    assert records() == before


def test_the_negative_list_services_keep_to_the_office_of_the_units_city(world, ours):
    entry = ours["entry"]
    with pytest.raises(PermissionDenied):
        services.save_negative_list_entry(
            actor=world["other_office"], unit=world.county, industry="造纸", keywords="纸"
        )
    with pytest.raises(PermissionDenied):
        services.save_negative_list_entry(actor=world["county"], unit=world.county, industry="造纸", keywords="纸")
    with pytest.raises(PermissionDenied):
        services.delete_negative_list_entry(actor=world["leader"], entry=entry)
    with pytest.raises(ValidationError) as refused:
        services.save_negative_list_entry(actor=world["office"], unit=world.team, industry="造纸", keywords="纸")
    assert refused.value.message_dict["unit"] == ["负面清单只能设在县（市、区）或开发区，“北京招商组”是驻点招商组。"]
    assert NegativeListEntry.objects.get() == entry


def test_the_negative_list_is_paginated_and_filtered_by_unit(world):
    office = world["office"]
    for i in range(30):
        services.save_negative_list_entry(actor=office, unit=world.county, industry=f"限制产业{i:02d}", keywords="x")
    services.save_negative_list_entry(actor=office, unit=world.zone, industry="经开区限制产业", keywords="y")
    client = client_for(world, "office")
    page = text(client.get(u("settings")))
    assert "page=2" in page and page.count("限制产业") <= 25 and "共 31 条" in page
    filtered = text(client.get(u("settings") + f"?city={world.city.pk}&unit={world.zone.pk}"))
    assert "经开区限制产业" in filtered and "限制产业00" not in filtered and "共 1 条" in filtered


# --- Query budget --------------------------------------------------------------------------------------------


def test_the_settings_page_keeps_a_fixed_query_count_as_pools_and_entries_grow(
    world, make_lead, django_assert_max_num_queries
):
    office = world["office"]
    make_lead()
    services.save_negative_list_entry(actor=office, unit=world.county, industry="限制产业", keywords="x")
    client = client_for(world, "office")
    client.get(u("settings"))
    with CaptureQueriesContext(connection) as small:
        assert client.get(u("settings")).status_code == 200
    for i in range(12):
        services.save_pool(
            actor=office, owner=world.city, code=f"p{i}", name=f"库{i:02d}", kind="open", sort_order=None, active=True
        )
        services.save_negative_list_entry(actor=office, unit=world.zone, industry=f"经开区限制{i:02d}", keywords="y")
        make_lead(name=f"线索{i:02d}", investor_name=f"企业{i:02d}有限公司")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = text(client.get(u("settings")))
    assert "库11" in page and "经开区限制11" in page
    assert Lead.objects.count() == 13
