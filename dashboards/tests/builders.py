"""Records built by hand for the dashboard's tests, and the check that every figure equals its list.

`build_world(org, n)` writes, straight through the ORM (the dashboard only reads), a period's ledgers, leads,
projects, a round and problems across the persona tree (core.testing.Org): n chains, and for each of n
companies a visit, a lead and a signed project, spread over the two city teams, the county's squad, the
county, the zone and the other city; plus the records that must NOT count (out of the period, duplicates,
re-signings, below the city's minimum, another city's) and the ones only some may see.
"""

import datetime
import itertools
from decimal import Decimal

from django.test import Client

from core.testing import api_client_for, login_as

D = datetime.date
PERIOD = (D(2024, 1, 1), D(2024, 12, 31))
IN = D(2024, 5, 10)
LATER = D(2024, 9, 20)
BEFORE = D(2023, 11, 30)
PROVINCES = ["浙江省", "广东省", "北京市", "四川省", "上海市", "山西省", "", "江苏"]
_serial = itertools.count(1)


def company(org, name, province, owner=None):
    from enterprises.identity import normalize_company_name
    from enterprises.models import Company

    return Company.objects.create(
        owner=owner or org.city, name=name, normalized_name=normalize_company_name(name), province=province
    )


def _key():
    return f"k{next(_serial)}"


def visit(unit, day, firm, chain=None):
    from outreach.models import Visit

    return Visit.objects.create(unit=unit, visit_date=day, company=firm, chain=chain, content="对接", dedupe_key=_key())


def inspection(unit, day, firm, hosts=()):
    from outreach.models import Inspection

    record = Inspection.objects.create(unit=unit, inspection_date=day, company=firm, dedupe_key=_key())
    record.host_units.set(hosts)
    return record


def pools(owner):
    from leads.services.settings import ensure_pools

    return {p.code: p for p in ensure_pools(owner)}


def lead(owner, reporter, day, investor, *, pool, chain=None, effective=True, receiving=None, status="reported", **kw):
    from leads.models import Lead

    return Lead.objects.create(
        owner=owner,
        reporting_unit=reporter,
        name=f"线索{next(_serial)}",
        collected_date=day,
        investor=investor,
        content="建设年产 20GWh 动力电池生产基地项目" if effective else "",
        estimated_amount=Decimal("5000") if effective else None,
        contact_reached=effective,
        chain=chain,
        pool=pool,
        status=status,
        receiving_unit=receiving,
        dedupe_key=_key(),
        **kw,
    )


def project(owner, host, *, investors=(), total="10000", funds="0", signed=IN, started=None, producing=None, **kw):
    from projects.models import Project

    stage = "producing" if producing else "started" if started else "signed" if signed else "negotiating"
    record = Project.objects.create(
        owner=owner,
        host_unit=host,
        name=f"项目{next(_serial)}",
        total_investment=Decimal(total) if total is not None else None,
        funds_arrived=Decimal(funds),
        signed_on=signed,
        started_on=started,
        producing_on=producing,
        stage=stage,
        verified_stage=stage,
        dedupe_key=_key(),
        **kw,
    )
    record.investors.set(investors)
    return record


def problem(org, *, owner=None, status="assigned", due=None, raised_unit=None, project=None):
    from service.models import Problem
    from service.services import categories_for

    owner = owner or org.city
    category = categories_for(owner)[0]
    return Problem.objects.create(
        owner=owner,
        number=f"WT{next(_serial):06d}",
        title="用地问题",
        description="需新增用地",
        category=category,
        raised_on=IN,
        raised_unit=raised_unit,
        project=project,
        status=status,
        due_on=due,
    )


def build_world(org, n, *, extra_teams=0, tag=""):
    """Records across the tree: n of each (chains, companies with a visit, a lead and a signed project).

    Built again with another `tag`, it adds as much again beside the first (the query-budget tests grow it)."""
    from chains.models import IndustryChain, IndustryCluster
    from core.testing import make_unit
    from organizations.choices import UnitKind
    from projects.models import ProjectSettings, ProjectTeamMember, Round, RoundEntry

    cluster = IndustryCluster.objects.create(owner=org.city, name=f"新能源集群{tag}")
    chains = [IndustryChain.objects.create(cluster=cluster, name=f"产业链{tag}{i}") for i in range(n)]
    teams = [org.team, org.other_team]
    for i in range(extra_teams):
        teams.append(make_unit(f"YC-T-X{tag}{i}", f"新增招商组{tag}{i}", UnitKind.TEAM, org.city))
    reporters = [*teams, org.squad]
    hosts = [org.county, org.other_county, org.zone]
    city_pools = pools(org.city)
    ProjectSettings.objects.get_or_create(owner=org.city, defaults={"min_count_amount": Decimal("1000")})

    made = {"projects": [], "leads": []}
    for i in range(n):
        reporter = reporters[i % len(reporters)]
        host = hosts[i % len(hosts)]
        chain = chains[i % len(chains)]
        firm = company(org, f"测试企业{tag}{i}有限公司", PROVINCES[i % len(PROVINCES)])
        second = company(org, f"合作企业{tag}{i}有限公司", PROVINCES[(i + 3) % len(PROVINCES)])
        # Visited twice (one company), and once out of the period.
        visit(reporter, IN, firm, chain)
        visit(reporter, LATER, firm, chain)
        visit(reporter, BEFORE, second)
        if i % 2 == 0:
            inspection(reporter, LATER, firm, hosts=[host])
            inspection(reporter, LATER + datetime.timedelta(days=3), firm, hosts=[host])
        pool = [city_pools["collected"], city_pools["negotiating"], city_pools["signed"], city_pools["lost"]][i % 4]
        made_lead = lead(
            org.city,
            reporter,
            IN,
            firm,
            pool=pool,
            chain=chain,
            effective=i % 3 != 2,
            receiving=host if i % 2 else None,
            status="accepted" if i % 2 else "reported",
        )
        made["leads"].append(made_lead)
        made["projects"].append(
            project(
                org.city,
                host,
                investors=[firm, second] if i % 3 == 0 else [firm] if i % 3 == 1 else [],
                total=str(20000 + 1000 * i),
                funds=str(500 * i),
                signed=IN,
                started=LATER if i % 2 == 0 else None,
                producing=LATER + datetime.timedelta(days=30) if i % 4 == 0 else None,
                chain=chain,
                lead=made_lead if i % 2 == 0 else None,
                first_contact_on=IN - datetime.timedelta(days=40 + i) if i % 3 else None,
            )
        )
    # What must not count: a duplicate lead, a lead out of the period, a re-signing, a project below the
    # minimum, one signed before the period, one not signed; another city's records.
    first = made["leads"][0]
    lead(org.city, org.team, IN, first.investor, pool=city_pools["collected"], duplicate_of=first)
    lead(org.city, org.team, BEFORE, first.investor, pool=city_pools["collected"])
    original = made["projects"][0]
    project(org.city, org.county, investors=[first.investor], predecessor=original)
    project(org.city, org.county, total="500")
    project(org.city, org.county, signed=BEFORE, started=IN)
    project(org.city, org.county, signed=None, total="90000")
    other_firm = company(org, f"临汾外地企业{tag}有限公司", "河北省", owner=org.other_city)
    visit(org.other_city_county, IN, other_firm)
    lead(org.other_city, org.other_city_county, IN, other_firm, pool=pools(org.other_city)["collected"])
    project(org.other_city, org.other_city_county, investors=[other_firm], total="30000")
    problem(org, owner=org.other_city, due=BEFORE)
    # A project only its 包联 leader (the team member) and the city see; not credited to the team.
    personal = project(org.city, org.zone, total="7000", leader=org["team_member"])
    ProjectTeamMember.objects.create(project=personal, user=org["team_member"])
    made["projects"].append(personal)
    # A round at the zone in the period: the zone's first projects listed in batches.
    round_ = Round.objects.create(
        owner=org.city, host_unit=org.zone, name="经开区“三个一批”", held_on=IN, rate_decimals=0
    )
    zone_projects = [p for p in made["projects"] if p.host_unit_id == org.zone.pk]
    for p in zone_projects:
        RoundEntry.objects.create(round=round_, project=p, batch="signed", investment=p.total_investment)
    for p in [p for p in made["projects"] if p.started_on][:2]:
        RoundEntry.objects.get_or_create(
            round=round_, project=p, defaults={"batch": "started", "investment": p.total_investment}
        )
    # Problems: open, overdue, solved, a complaint (no unit), at the county and on a county project.
    county_project = next(p for p in made["projects"] if p.host_unit_id == org.county.pk)
    problem(org, status="assigned", due=D(2020, 1, 1), raised_unit=org.county)
    problem(org, status="raised", raised_unit=org.team)
    problem(org, status="closed", raised_unit=org.county)
    problem(org, status="accepted", due=D(2099, 1, 1), project=county_project)
    problem(org, status="raised", due=D(2020, 1, 1))
    return made


# --- Checking every figure against its list --------------------------------------------------------------


def every_figure(figures):
    """(where, figure) for every figure of the dashboard that links to a list."""
    out = [("funnel", f) for f in figures["funnel"]]
    out += [("money", f) for f in figures["money"]]
    for row in figures["rates"]["rows"]:
        out += [(f"rates/{row['key']}", row["reached"]), (f"rates/{row['key']}", row["listed"])]
    for row in figures["teams"]:
        out += [(f"teams/{row['unit']['name']}", row[k]) for k in ("visits", "leads", "inspections", "signed")]
    for row in figures["areas"]:
        out += [(f"areas/{row['unit']['name']}", row[k]) for k in ("signed", "investment", "started")]
    for table in ("provinces", "regions"):
        for row in figures[table]:
            out += [(f"{table}/{row['name']}", row[k]) for k in ("leads", "projects", "investment")]
    for row in figures["chains"]:
        out += [(f"chains/{row['chain']['name']}", row[k]) for k in ("leads", "projects", "investment")]
    out += [("cycles", f) for f in figures["cycles"]]
    out += [("problems", f) for f in figures["problems"]]
    return out


def api_rows(client, url):
    rows, count = [], None
    url = f"{url}&page_size=500"
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        data = response.json()
        count = data["count"] if count is None else count
        rows += data["results"]
        url = data.get("next")
    assert len(rows) == count
    return rows


def page_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.context["table"].page.paginator.count


def assert_every_figure_is_its_list(user, figures, *, pages=True):
    """Each count equals the size of its list, each amount the sum over its list — through the API (all of them)
    and the list pages (every count), fetched as `user`."""
    api = api_client_for(user)
    page = login_as(Client(), user)
    mismatches = []
    for where, figure in every_figure(figures):
        rows = api_rows(api, figure["api_url"])
        if figure["kind"] == "count":
            found = len(rows)
            expected = figure["value"]
            if pages:
                shown = page_count(page, figure["url"])
                if shown != expected:
                    mismatches.append(f"{where} {figure['key']}: page lists {shown}, figure {expected}")
        else:
            found = sum((Decimal(r[figure["sum_field"]] or 0) for r in rows), Decimal(0))
            expected = Decimal(figure["value"])
        if found != expected:
            mismatches.append(f"{where} {figure['key']}: list {found}, figure {expected} ({figure['api_url']})")
    assert not mismatches, "\n".join(mismatches)
