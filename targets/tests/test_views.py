"""The target pages as each persona meets them: the permission matrix, the office's edits and templates, bad input,
query budgets, and the city's month showing the figures the selectors count.

Decided here and held by the matrix: a team sees its own targets and progress, a county its own and its squads',
the office and the city's leaders everything of the city; a target or unit of another city (or another team) is a
404 that never shows its name; a visible target only the office may change is a 403; the city's month is for the
office and leaders (and the city's administrators) only.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from core.testing import Case, login_as, make_person, make_unit, run_matrix, statuses
from organizations.choices import Role, UnitKind
from outreach import services as outreach_services
from targets import selectors, services
from targets.choices import Indicator, Template
from targets.models import Target

pytestmark = pytest.mark.django_db

D = datetime.date
MAY = (D(2023, 5, 1), D(2023, 5, 31))
READERS = ("office", "leader", "sysadmin", "auditadmin")


def u(name, *args):
    return reverse(f"targets:{name}", args=args)


def client_for(org, persona):
    return login_as(Client(), org[persona] if isinstance(persona, str) else persona)


def make(org, unit, indicator=Indicator.VISITS, value=20, name="", period=MAY, actor=None, owner=None, person=None):
    return services.create_target(
        actor=actor or org["office"],
        owner=owner or org.city,
        indicator=indicator,
        start=period[0],
        end=period[1],
        value=value,
        unit=None if person else unit,
        person=person,
        name=name,
    )


def written():
    return Target.objects.count(), AuditEvent.objects.exclude(action="login").count()


@pytest.fixture
def world(org):
    org.people["other_team"] = org.other_team_member
    org.lf_office = make_person("lf_office", org.other_city, Role.OFFICE_STAFF, "临汾招商中心")
    org.targets = {
        "team": make(org, org.team, name="北京组走访目标"),
        "other_team": make(org, org.other_team, name="上海组走访目标"),
        "county": make(org, org.county, name="盐湖区走访目标"),
        "squad": make(org, org.squad, name="小分队走访目标"),
        "city": make(org, org.city, value=1000, name="全市走访目标"),
        "elsewhere": make(org, org.other_city_county, name="古县走访目标", actor=org.lf_office, owner=org.other_city),
    }
    return org


ALL_YC = ("北京组走访目标", "上海组走访目标", "盐湖区走访目标", "小分队走访目标", "全市走访目标")


def hidden_except(*shown):
    return [n for n in (*ALL_YC, "古县走访目标") if n not in shown]


def test_each_persona_sees_only_the_targets_in_its_scope(world):
    visible = {
        "office": ALL_YC,
        "leader": ALL_YC,
        "sysadmin": ALL_YC,
        "auditadmin": ALL_YC,
        "team_leader": ("北京组走访目标",),
        "team_member": ("北京组走访目标",),
        "other_team": ("上海组走访目标",),
        "county": ("盐湖区走访目标", "小分队走访目标"),
        "department": (),
        "outsider": ("古县走访目标",),
    }
    case = Case(
        url=u("target_list"),
        expect=statuses(200, other_team=200),
        shown={p: list(names) for p, names in visible.items()},
        hidden={p: hidden_except(*names) for p, names in visible.items()},
        anonymous=302,
    )
    run_matrix(world, [case])


def test_the_permission_matrix_of_the_pages(world):
    team, elsewhere = world.targets["team"], world.targets["elsewhere"]
    office_only = statuses(403, office=200, other_team=403)
    cases = [
        Case(url=u("target_create"), expect=office_only, anonymous=302),
        Case(url=u("apply_template"), expect=office_only, anonymous=302),
        Case(
            url=u("target_edit", team.pk),
            expect=statuses(
                404, office=200, team_leader=403, team_member=403, leader=403, sysadmin=403, auditadmin=403
            ),
            hidden={p: ["北京组走访目标"] for p in ("other_team", "county", "department", "outsider")},
        ),
        Case(
            url=u("target_delete", team.pk),
            expect=statuses(
                404, office=200, team_leader=403, team_member=403, leader=403, sysadmin=403, auditadmin=403
            ),
        ),
        Case(url=u("target_edit", elsewhere.pk), expect=statuses(404, outsider=403), hidden={"office": ["古县"]}),
        Case(url=u("city_progress"), expect=statuses(403, **dict.fromkeys(READERS, 200), other_team=403)),
        Case(
            url=f"{u('unit_progress')}?unit={world.team.pk}&period=2023-05",
            expect=statuses(404, **dict.fromkeys(READERS, 200), team_leader=200, team_member=200),
            shown={p: ["北京组走访目标"] for p in (*READERS, "team_leader", "team_member")},
            hidden={p: ["北京组走访目标"] for p in ("other_team", "county", "department", "outsider")},
        ),
        Case(
            url=f"{u('unit_progress')}?unit={world.county.pk}&period=2023-05",
            expect=statuses(404, **dict.fromkeys(READERS, 200), county=200),
            shown={"county": ["盐湖区走访目标"]},
        ),
        Case(
            url=f"{u('unit_progress')}?unit={world.other_city_county.pk}&period=2023-05",
            expect=statuses(404, outsider=200),
            shown={"outsider": ["古县走访目标"]},
            hidden={p: ["古县走访目标"] for p in READERS},
        ),
        Case(url=f"{u('unit_progress')}?period=2023-05", expect=statuses(200, other_team=200), anonymous=302),
    ]
    run_matrix(world, cases)


def test_a_posted_write_by_anyone_but_the_office_changes_nothing(world):
    team = world.targets["team"]
    before = written()
    for persona in ("team_leader", "leader", "county", "outsider"):
        client = client_for(world, persona)
        assert client.post(
            u("target_edit", team.pk), {"value": "1", "start": "2023-05-01", "end": "2023-05-31"}
        ).status_code in (403, 404)
        assert client.post(u("target_delete", team.pk)).status_code in (403, 404)
        assert client.post(u("target_create"), {"indicator": "visits", "unit": world.team.pk}).status_code == 403
    assert written() == before
    team.refresh_from_db()
    assert team.value == 20


def test_the_office_sets_changes_and_removes_a_target(org):
    client = client_for(org, "office")
    response = client.post(
        u("target_create"),
        {
            "indicator": "events",
            "unit": org.team.pk,
            "start": "2023-06-01",
            "end": "2023-06-30",
            "value": "2",
            "name": "六月推介",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get(name="六月推介")
    assert (target.unit, target.value, target.owner) == (org.team, 2, org.city)
    page = client.get(u("target_list")).content.decode()
    assert "六月推介" in page and u("target_edit", target.pk) in page
    response = client.post(
        u("target_edit", target.pk), {"value": "3", "start": "2023-06-01", "end": "2023-06-30", "name": "六月推介"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value == 3
    assert client.post(u("target_delete", target.pk)).status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()


def test_a_persons_target_is_set_for_a_person(org):
    client = client_for(org, "office")
    data = {
        "indicator": "days_stationed",
        "person": org["team_leader"].pk,
        "start": "2023-01-01",
        "end": "2023-12-31",
        "value": "30",
    }
    assert client.post(u("target_create"), data).status_code == 302
    target = Target.objects.get(indicator="days_stationed")
    assert target.person == org["team_leader"] and target.unit is None
    page = client_for(org, "team_leader").get(
        f"{u('unit_progress')}?unit={org.team.pk}&start=2023-01-01&end=2023-12-31"
    )
    assert "驻点天数" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value": "-5"}, "value", "不能为负数"),
        ({"start": "2023-05-20", "end": "2023-06-10"}, "start", "期间不能重叠"),
        ({"unit": "department"}, "unit", "不能设定目标"),
        ({"start": "2023-07-31", "end": "2023-07-01"}, "end", "结束日期不能早于开始日期"),
        ({"value": "很多"}, "value", "无法识别"),
    ],
)
def test_bad_input_on_the_page_is_named_in_chinese_and_nothing_is_written(org, data, field, message):
    make(org, org.team, name="已有目标")
    post = {"indicator": "visits", "unit": org.team.pk, "start": "2023-07-01", "end": "2023-07-31", "value": "20"}
    post.update(data)
    if post["unit"] == "department":
        post["unit"] = org.department.pk
    before = written()
    response = client_for(org, "office").post(u("target_create"), post)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'data-testid="error-{field}"' in page
    assert written() == before


def test_an_edit_overlapping_another_target_is_refused(org):
    make(org, org.team, name="五月")
    june = make(org, org.team, period=(D(2023, 6, 1), D(2023, 6, 30)), name="六月")
    before = written()
    response = client_for(org, "office").post(
        u("target_edit", june.pk), {"value": "20", "start": "2023-05-15", "end": "2023-06-30", "name": "六月"}
    )
    assert response.status_code == 200 and "期间不能重叠" in response.content.decode()
    june.refresh_from_db()
    assert june.start == D(2023, 6, 1) and written() == before


def test_a_template_fills_the_citys_teams_by_default_all_or_nothing(org):
    client = client_for(org, "office")
    page = client.get(u("apply_template")).content.decode()
    # The city's teams are ticked by default.
    assert re.search(rf'value="{org.team.pk}"[^>]*checked', page) and re.search(
        rf'value="{org.other_team.pk}"[^>]*checked', page
    )
    data = {
        "template": Template.ROUTINE_MONTHLY,
        "month_from": "2023-05",
        "month_to": "2023-06",
        "units": [org.team.pk, org.other_team.pk],
    }
    assert client.post(u("apply_template"), data).status_code == 302
    assert Target.objects.filter(template=Template.ROUTINE_MONTHLY).count() == 2 * 2 * 6
    # June is already set for one team: the whole batch (July and June, both teams) is refused.
    before = written()
    data = {**data, "month_from": "2023-06", "month_to": "2023-07"}
    response = client.post(u("apply_template"), data)
    assert response.status_code == 200 and "期间不能重叠" in response.content.decode()
    assert written() == before


def test_template_bad_input(org):
    client = client_for(org, "office")
    before = written()
    response = client.post(
        u("apply_template"),
        {"template": Template.HUNDRED_DAYS, "start": "2022-12-31", "end": "2022-09-01", "units": [org.team.pk]},
    )
    assert "结束日期不能早于开始日期" in response.content.decode()
    response = client.post(
        u("apply_template"),
        {"template": Template.HUNDRED_DAYS, "start": "2022-09-01", "end": "2022-12-31", "units": [org.department.pk]},
    )
    assert response.status_code == 200 and "不能设定目标" in response.content.decode()
    response = client.post(u("apply_template"), {"template": Template.ROUTINE_MONTHLY, "units": [org.team.pk]})
    assert "请选择起始月份" in response.content.decode()
    assert written() == before


def test_the_city_1521_goal_is_set_for_the_city(org):
    client = client_for(org, "office")
    data = {"template": Template.CITY_1521, "start": "2023-01-01", "end": "2023-12-31"}
    assert client.post(u("apply_template"), data).status_code == 302
    assert set(Target.objects.values_list("unit", flat=True)) == {org.city.pk}


def test_the_list_filters_and_refuses_a_backward_period(world):
    client = client_for(world, "office")
    page = client.get(f"{u('target_list')}?unit={world.county.pk}").content.decode()
    assert "盐湖区走访目标" in page and "北京组走访目标" not in page
    page = client.get(f"{u('target_list')}?start=2023-06-01").content.decode()
    assert "北京组走访目标" not in page
    page = client.get(f"{u('target_list')}?start=2023-06-01&end=2023-05-01").content.decode()
    assert "结束日期不能早于开始日期" in page


def visits(org, n, day=None, member=None):
    day = day or D(2023, 5, 10)
    for i in range(n):
        outreach_services.create_visit(
            actor=member or org["team_member"], visit_date=day, content="对接", company_name=f"走访企业{i}号有限公司"
        )


def test_the_list_shows_reached_share_elapsed_and_the_behind_flag(org):
    visits(org, 3)
    target = make(org, org.team, name="北京组走访目标")
    page = client_for(org, "office").get(u("target_list")).content.decode()
    assert "15.0%" in page and "100.0%" in page and "落后" in page
    visit_url = f"{reverse('outreach:visit_list')}?unit={org.team.pk}&amp;date_from=2023-05-01&amp;date_to=2023-05-31"
    assert f'href="{visit_url}"' in page
    assert selectors.reached([target])[target.pk] == 3


UNITS = ("team", "other_team", "county", "squad", "zone")
BUDGET_INDICATORS = (
    Indicator.VISITS,
    Indicator.EFFECTIVE_LEADS,
    Indicator.INSPECTIONS,
    Indicator.SIGNED_PROJECTS,
    Indicator.EVENTS,
)


def targets_for_units(org, units):
    for name in units:
        for indicator in BUDGET_INDICATORS:
            make(org, getattr(org, name), indicator=indicator)


def test_the_list_costs_the_same_queries_for_5_or_25_targets(org, django_assert_max_num_queries):
    targets_for_units(org, UNITS[:1])
    client = client_for(org, "office")
    url = u("target_list")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    targets_for_units(org, UNITS[1:])
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('data-testid="share"') == 25


def test_a_units_page_costs_the_same_queries_however_many_of_its_people_have_targets(
    org, django_assert_max_num_queries
):
    targets_for_units(org, UNITS[:1])
    make(org, None, Indicator.DAYS_STATIONED, 30, person=org["team_leader"])
    client = client_for(org, "office")
    url = f"{u('unit_progress')}?unit={org.team.pk}&period=2023-05"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(8):
        person = make_person(f"member{i}", org.team, Role.TEAM_MEMBER, f"组员{i}")
        make(org, None, Indicator.DAYS_STATIONED, 30, person=person)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('data-testid="progress-row"') == 14 and "组员7" in page


def test_the_city_page_costs_the_same_queries_however_many_teams(org, django_assert_max_num_queries):
    office = org["office"]
    month = {"template": Template.ROUTINE_MONTHLY, "start": MAY[0], "end": MAY[1]}
    services.apply_template(actor=office, owner=org.city, units=services.teams_of(org.city), **month)
    services.apply_template(
        actor=office, owner=org.city, template=Template.CITY_1521, start=D(2023, 1, 1), end=D(2023, 12, 31)
    )
    client = client_for(org, "office")
    url = f"{u('city_progress')}?month=2023-05"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    more = [make_unit(f"YC-T-{i}", f"新增{i}组", UnitKind.TEAM, org.city) for i in range(6)]
    services.apply_template(actor=office, owner=org.city, units=more[:4], **month)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('data-testid="team-row"') == 8
    assert "新增5组" in page


def test_the_city_page_shows_what_the_selectors_count_and_links_to_the_records(org):
    office = org["office"]
    visits(org, 3)
    visits(org, 2, member=org.other_team_member)
    visits(org, 4, day=D(2023, 6, 2))
    services.apply_template(
        actor=office, owner=org.city, template=Template.ROUTINE_MONTHLY, start=MAY[0], end=MAY[1], units=[org.team]
    )
    services.apply_template(
        actor=office, owner=org.city, template=Template.CITY_1521, start=D(2023, 1, 1), end=D(2023, 12, 31)
    )
    team_visits = Target.objects.get(unit=org.team, indicator=Indicator.VISITS)
    city_visits = Target.objects.get(unit=org.city, indicator=Indicator.VISITS)
    counted = selectors.reached([team_visits, city_visits])
    assert (counted[team_visits.pk], counted[city_visits.pk]) == (3, 9)

    client = client_for(org, "office")
    response = client.get(f"{u('city_progress')}?month=2023-05")
    page = response.content.decode()
    table = page.split('data-testid="city-table"')[1].split("</table>")[0]
    rows = dict(
        re.findall(r'<tr data-testid="team-row">\s*<th scope="row"><a[^>]*>([^<]+)</a></th>(.*?)</tr>', table, re.S)
    )
    team_row, other_row = rows["北京招商组"], rows["上海招商组"]
    link = f"{reverse('outreach:visit_list')}?unit={org.team.pk}&amp;date_from=2023-05-01&amp;date_to=2023-05-31"
    assert re.search(rf'href="{re.escape(link)}" data-testid="reached-link">3</a> / 20', team_row)
    assert "落后" in team_row  # the month is over and 3 of 20 is behind
    # A team without targets still shows its month's count, against no target.
    assert re.search(r'data-testid="reached-link">2</a> / —', other_row)
    city_part = page.split('data-testid="city-targets"')[1]
    assert "全市“1521”目标" in city_part and re.search(r'data-testid="reached-link">9</a> / 1,000', city_part)
    # The link lands on the list of exactly those visits.
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert all(f"走访企业{i}号有限公司" in listed for i in range(3))
    assert "共 3 条" in listed


def test_a_bad_month_is_said_in_chinese(org):
    page = client_for(org, "office").get(f"{u('city_progress')}?month=2023-13").content.decode()
    assert "请按“年-月”填写月份" in page
    page = client_for(org, "office").get(f"{u('unit_progress')}?start=2023-05-31&end=2023-05-01").content.decode()
    assert "结束日期不能早于开始日期" in page


def test_the_menu_offers_the_target_pages_by_role(org):
    office = client_for(org, "office").get(reverse("core:home")).content.decode()
    assert "目标任务" in office and u("city_progress") in office and u("apply_template") in office
    member = client_for(org, "team_member").get(reverse("core:home")).content.decode()
    assert u("unit_progress") in member and u("city_progress") not in member and u("apply_template") not in member
