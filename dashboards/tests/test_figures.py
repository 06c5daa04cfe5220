"""Every figure of the dashboard equals the size (or the sum) of the list behind it, fetched as the same user
through the list pages and the API, for several scopes; and the figures are those of the records built."""

from decimal import Decimal

import pytest

from dashboards import selectors
from leads.models import Lead
from outreach.models import Inspection, Visit
from projects.models import Project

from .builders import PERIOD, assert_every_figure_is_its_list, build_world, every_figure

pytestmark = pytest.mark.django_db


def figures_of(user, unit):
    return selectors.dashboard(user, unit, *PERIOD)


def by_key(figures, part="funnel"):
    return {f["key"]: f["value"] for f in figures[part]}


@pytest.mark.parametrize("persona", ["office", "leader"])
def test_the_citys_figures_are_its_lists_for_the_office_and_the_leader(org, world, persona):
    figures = figures_of(org[persona], org.city)
    assert_every_figure_is_its_list(org[persona], figures)
    # Something in every table, so the check above checked something.
    assert figures["teams"] and figures["areas"] and figures["provinces"] and figures["chains"]
    assert figures["rates"]["rows"][0]["listed"]["value"] > 0
    assert len(every_figure(figures)) > 60


def test_a_countys_figures_are_its_lists(org, world):
    figures = figures_of(org["county"], org.county)
    assert_every_figure_is_its_list(org["county"], figures)
    assert [row["unit"]["name"] for row in figures["teams"]] == [org.squad.name]


def test_a_team_members_figures_are_their_lists(org, world):
    units = selectors.units_for(org["team_member"])
    assert units == [org.city]
    figures = figures_of(org["team_member"], org.city)
    assert_every_figure_is_its_list(org["team_member"], figures)
    # They rank their own team only; no county is shown to them.
    assert [row["unit"]["name"] for row in figures["teams"]] == [org.team.name]
    assert figures["areas"] == []


def test_another_citys_office_counts_its_own_city(org, world, lf_office):
    assert selectors.units_for(lf_office)[0] == org.other_city
    figures = figures_of(lf_office, org.other_city)
    assert_every_figure_is_its_list(lf_office, figures)
    funnel = by_key(figures)
    assert (funnel["visited"], funnel["leads"], funnel["signed"]) == (1, 1, 1)


def test_the_funnel_counts_what_was_built(org):
    """Derived from the records: distinct companies, counted leads, the city's 统计口径."""
    made = build_world(org, 5)
    start, end = PERIOD
    figures = figures_of(org["office"], org.city)
    funnel = by_key(figures)
    visits = Visit.objects.filter(unit__path__startswith=org.city.path, visit_date__range=PERIOD)
    assert funnel["visited"] == visits.values("company").distinct().count() == 5
    leads = made["leads"]
    assert funnel["leads"] == len(leads)  # the duplicate and the one before the period are not counted
    assert funnel["effective_leads"] == sum(1 for lead in leads if lead.contact_reached)
    assert funnel["connected"] == sum(1 for lead in leads if lead.pool.code in ("negotiating", "signed"))
    inspected = Inspection.objects.filter(unit__path__startswith=org.city.path, inspection_date__range=PERIOD)
    assert funnel["inspected"] == inspected.values("company").distinct().count()
    signed = made["projects"]
    assert funnel["signed"] == len(signed)
    assert funnel["started"] == sum(1 for p in signed if p.started_on) + 1  # + the one signed the year before
    assert funnel["producing"] == sum(1 for p in signed if p.producing_on)
    money = {f["key"]: f for f in figures["money"]}
    assert Decimal(money["signed_investment"]["value"]) == sum(p.total_investment for p in signed)
    assert Decimal(money["funds_arrived"]["value"]) == sum(p.funds_arrived for p in signed)
    assert money["signed_investment"]["display"] == str(
        (sum(p.total_investment for p in signed) / 10000).quantize(Decimal("0.01"))
    )
    # Not counted: the re-signing, the one below the minimum, the unsigned, the other city's.
    assert Project.objects.filter(owner=org.city).count() > len(signed) + 1
    assert Lead.objects.filter(owner=org.city).count() == len(leads) + 2
    assert start <= min(p.signed_on for p in signed) and max(p.signed_on for p in signed) <= end


def test_each_team_and_each_area_is_ranked_by_its_own_records(org):
    made = build_world(org, 6)
    figures = figures_of(org["office"], org.city)
    teams = {row["unit"]["name"]: row for row in figures["teams"]}
    for unit in (org.team, org.other_team, org.squad):
        mine = [p for p in made["projects"] if p.lead_id and p.lead.reporting_unit_id == unit.pk]
        assert teams[unit.name]["signed"]["value"] == len(mine)
        reported = [lead for lead in made["leads"] if lead.reporting_unit_id == unit.pk and lead.contact_reached]
        assert teams[unit.name]["leads"]["value"] == len(reported)
    areas = {row["unit"]["name"]: row for row in figures["areas"]}
    for unit in (org.county, org.other_county, org.zone):
        credited = [
            p
            for p in made["projects"]
            if p.host_unit.path.startswith(unit.path)
            or (p.lead_id and p.lead.reporting_unit.path.startswith(unit.path))
        ]
        assert areas[unit.name]["signed"]["value"] == len(credited)
        assert Decimal(areas[unit.name]["investment"]["value"]) == sum(p.total_investment for p in credited)


def test_investors_are_counted_by_province_and_region_once_per_project(org):
    made = build_world(org, 8)
    figures = figures_of(org["office"], org.city)
    regions = {row["key"]: row for row in figures["regions"]}
    from core.place_filters import region_of

    expected = {}
    for p in made["projects"]:
        found = {region_of(c.province) for c in p.investors.all()} or {"other"}
        for region in found:
            expected[region] = expected.get(region, 0) + 1
    assert {k: row["projects"]["value"] for k, row in regions.items() if row["projects"]["value"]} == expected
    # A project with two investors in two regions counts in each; the regions sum to more than the projects.
    assert sum(expected.values()) > len(made["projects"])
    provinces = {row["name"] for row in figures["provinces"]}
    assert "" not in provinces and "江苏" in provinces and "浙江省" in provinces


def test_cycle_times_give_median_average_and_count(org):
    made = build_world(org, 6)
    figures = figures_of(org["office"], org.city)
    cycles = {f["key"]: f for f in figures["cycles"]}
    days = sorted((p.signed_on - p.first_contact_on).days for p in made["projects"] if p.first_contact_on)
    contact = cycles["contact_to_signing"]
    assert contact["value"] == len(days)
    assert float(contact["average"]) == round(sum(days) / len(days), 1)
    mid = len(days) // 2
    median = days[mid] if len(days) % 2 else (days[mid - 1] + days[mid]) / 2
    assert float(contact["median"]) == median


def test_a_countys_dashboard_counts_only_what_the_county_may_see(org):
    made = build_world(org, 6)
    figures = figures_of(org["county"], org.county)
    funnel = by_key(figures)
    path = org.county.path
    visits = Visit.objects.filter(unit__path__startswith=path, visit_date__range=PERIOD)
    assert funnel["visited"] == visits.values("company").distinct().count() > 0
    mine = [
        lead
        for lead in made["leads"]
        if lead.reporting_unit.path.startswith(path)
        or (lead.receiving_unit and lead.receiving_unit.path.startswith(path))
    ]
    assert funnel["leads"] == len(mine) < len(made["leads"])
    credited = [
        p
        for p in made["projects"]
        if p.host_unit.path.startswith(path) or (p.lead_id and p.lead.reporting_unit.path.startswith(path))
    ]
    assert funnel["signed"] == len(credited) < len(made["projects"])
    # The office's dashboard of the same county agrees: the county sees all of its own records.
    assert by_key(figures_of(org["office"], org.county)) == funnel
    # Nothing of the other county, the teams or the other city is named.
    text = str(figures)
    for name in (org.team.name, org.other_team.name, org.other_county.name, org.other_city.name, org.zone.name):
        assert name not in text
