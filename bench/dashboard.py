"""Benchmark: a city-year dashboard against hand-written SQL computing the same figures, on a province's data.

quality.md: "A dashboard or bulletin figure for a city-year: within 2× the minimal endpoint", measured as a
ratio in one run on the same database at scale. This builds a province (10 cities; at --scale 1: 10⁵ companies,
10⁶ visits, 10⁵ inspections, 2×10⁵ leads, 5×10⁴ projects, 2×10⁴ problems, the "三个一批" rounds of every zone)
with bulk_create from one seeded generator (the same data every time), on a fresh SQLite database (or the one
DATABASE_URL names, dropped and made again), then times, alternately, in one process:

- ours: GET /api/v1/dashboard/?unit=<city>&start=&end= as the city's office, the cache emptied before each call
  (the figures counted, not served from the cache); and once with the cache warm;
- minimal: GET /bench/dashboard-sql/, a bare view running hand-written SQL for the same figures (the office's
  scope is its city, so no visibility rule is needed) and returning them as JSON.

Both answers are checked to agree before anything is timed. Each figure is the median of --repeat runs.

    python bench/dashboard.py                     # a province (scale 1); prints a Markdown table row
    python bench/dashboard.py --scale 0.1         # a tenth, for a quick look
    python bench/dashboard.py --write             # also records the row in docs/performance.md
"""

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2023
PROVINCES = [
    "浙江省",
    "江苏省",
    "上海市",
    "广东省",
    "北京市",
    "天津市",
    "河北省",
    "四川省",
    "重庆市",
    "山西省",
    "河南省",
    "",
]
CITIES = 10
COUNTIES = 10
ZONES = 3
TEAMS = 7
BATCH = 5000


def day(rng, years=(2022, 2023, 2024)):
    return datetime.date(rng.choice(years), 1, 1) + datetime.timedelta(days=rng.randrange(365))


# --- The data set -----------------------------------------------------------------------------------


def make_unit(code, name, kind, parent):
    from organizations.models import Unit

    unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent)
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2
    unit.save(update_fields=["path", "depth"])
    return unit


def build(scale, seed=2023):
    """The province, deterministic; returns the measured city and its office's API token."""
    from rest_framework.authtoken.models import Token

    from chains.models import IndustryChain, IndustryCluster
    from enterprises.models import Company
    from leads.choices import DEFAULT_POOLS
    from leads.models import Lead, LeadPool
    from organizations.models import Membership, User
    from outreach.models import Inspection, Visit
    from projects.models import Project, Round, RoundEntry
    from service.models import Problem, ProblemCategory

    rng = random.Random(seed)
    province = make_unit("SX", "山西省", "province", None)
    cities = []
    for c in range(CITIES):
        city = make_unit(f"C{c}", f"城市{c}", "city", province)
        counties = [make_unit(f"C{c}-X{i}", f"城市{c}县{i}", "county", city) for i in range(COUNTIES)]
        zones = [make_unit(f"C{c}-Z{i}", f"城市{c}开发区{i}", "zone", city) for i in range(ZONES)]
        squads = [
            make_unit(f"C{c}-X{i}-S", f"城市{c}县{i}小分队", "squad", county) for i, county in enumerate(counties)
        ]
        teams = [make_unit(f"C{c}-T{i}", f"城市{c}招商组{i}", "team", city) for i in range(TEAMS)]
        departments = [make_unit(f"C{c}-D{i}", f"城市{c}部门{i}", "department", city) for i in range(3)]
        cluster = IndustryCluster.objects.create(owner=city, name=f"城市{c}集群")
        chains = [IndustryChain.objects.create(cluster=cluster, name=f"城市{c}产业链{i}") for i in range(16)]
        pools = [
            LeadPool.objects.create(owner=city, code=code, name=str(name), kind=kind, sort_order=(i + 1) * 10)
            for i, (code, name, kind) in enumerate(DEFAULT_POOLS)
        ]
        category = ProblemCategory.objects.create(owner=city, code="land", name="用地", due_days=10)
        cities.append(
            {
                "city": city,
                "areas": counties + zones,
                "zones": zones,
                "reporters": teams + squads,
                "departments": departments,
                "chains": chains,
                "pools": pools,
                "category": category,
            }
        )

    def per_city(total):
        return max(1, int(total * scale) // CITIES)

    companies = []
    for c, spec in enumerate(cities):
        companies += [
            Company(
                owner=spec["city"],
                name=f"城市{c}企业{i}有限公司",
                normalized_name=f"城市{c}企业{i}",
                province=rng.choice(PROVINCES),
            )
            for i in range(per_city(100_000))
        ]
    Company.objects.bulk_create(companies, batch_size=BATCH)
    by_city = {}
    for pk, owner in Company.objects.values_list("pk", "owner_id"):
        by_city.setdefault(owner, []).append(pk)

    for c, spec in enumerate(cities):
        firms = by_city[spec["city"].pk]
        visits = [
            Visit(
                unit=rng.choice(spec["reporters"]),
                visit_date=day(rng),
                company_id=rng.choice(firms),
                chain=rng.choice(spec["chains"]),
                content="推介招商政策",
                dedupe_key=f"v{c}-{i}",
            )
            for i in range(per_city(1_000_000))
        ]
        Visit.objects.bulk_create(visits, batch_size=BATCH)
        del visits
        Inspection.objects.bulk_create(
            [
                Inspection(
                    unit=rng.choice(spec["reporters"]),
                    inspection_date=day(rng),
                    company_id=rng.choice(firms),
                    dedupe_key=f"i{c}-{i}",
                )
                for i in range(per_city(100_000))
            ],
            batch_size=BATCH,
        )
        leads = []
        for i in range(per_city(200_000)):
            effective = rng.random() < 0.8
            leads.append(
                Lead(
                    owner=spec["city"],
                    reporting_unit=rng.choice(spec["reporters"]),
                    name=f"线索{c}-{i}",
                    collected_date=day(rng),
                    investor_id=rng.choice(firms) if rng.random() < 0.95 else None,
                    content="建设年产 20 万吨新材料生产基地项目" if effective else "",
                    estimated_amount=Decimal(rng.randrange(500, 500_000)) if effective else None,
                    contact_reached=effective,
                    chain=rng.choice(spec["chains"]),
                    pool=rng.choice(spec["pools"]),
                    status="accepted",
                    receiving_unit=rng.choice(spec["areas"]),
                    dedupe_key=f"l{c}-{i}",
                )
            )
        made_leads = Lead.objects.bulk_create(leads, batch_size=BATCH)
        del leads
        lead_ids = [lead.pk for lead in made_leads]
        rng.shuffle(lead_ids)
        projects = []
        for i in range(per_city(50_000)):
            signed = day(rng) if rng.random() < 0.7 else None
            started = (
                signed + datetime.timedelta(days=rng.randrange(20, 200)) if signed and rng.random() < 0.6 else None
            )
            producing = (
                started + datetime.timedelta(days=rng.randrange(60, 400)) if started and rng.random() < 0.5 else None
            )
            total = Decimal(rng.randrange(500, 300_000))
            projects.append(
                Project(
                    owner=spec["city"],
                    host_unit=rng.choice(spec["areas"]),
                    name=f"项目{c}-{i}",
                    dedupe_key=f"p{c}-{i}",
                    total_investment=total,
                    funds_arrived=(total * Decimal(rng.random())).quantize(Decimal("1")),
                    completed_investment=(total * Decimal(rng.random())).quantize(Decimal("1")),
                    signed_on=signed,
                    started_on=started,
                    producing_on=producing,
                    stage="producing" if producing else "started" if started else "signed" if signed else "negotiating",
                    chain=rng.choice(spec["chains"]),
                    lead_id=lead_ids[i] if i < len(lead_ids) and rng.random() < 0.5 else None,
                    first_contact_on=signed - datetime.timedelta(days=rng.randrange(10, 300)) if signed else None,
                )
            )
        made = Project.objects.bulk_create(projects, batch_size=BATCH)
        del projects
        through = Project.investors.through
        through.objects.bulk_create(
            [
                through(project_id=p.pk, company_id=firm)
                for p in made
                for firm in set(rng.sample(firms, rng.choice((1, 1, 2))))
            ],
            batch_size=BATCH,
        )
        for zone in spec["zones"]:
            hosted = [p for p in made if p.host_unit_id == zone.pk and p.signed_on]
            for year in (2022, 2023, 2024):
                for quarter in range(4):
                    round_ = Round.objects.create(
                        owner=spec["city"],
                        host_unit=zone,
                        name=f"{zone.name}{year}年第{quarter + 1}次",
                        held_on=datetime.date(year, quarter * 3 + 3, 28),
                    )
                    picked = rng.sample(hosted, min(15, len(hosted)))
                    RoundEntry.objects.bulk_create(
                        [
                            RoundEntry(
                                round=round_,
                                project=p,
                                batch=rng.choice(["signed", "started", "producing"]),
                                investment=p.total_investment,
                            )
                            for p in picked
                        ]
                    )
        problem_projects = [p.pk for p in made[:2000]]
        Problem.objects.bulk_create(
            [
                Problem(
                    owner=spec["city"],
                    number=f"B{c}-{i:07d}",
                    title="用地问题",
                    description="需新增用地",
                    category=spec["category"],
                    raised_on=day(rng),
                    raised_unit=rng.choice(spec["areas"] + spec["reporters"]) if rng.random() < 0.9 else None,
                    project_id=rng.choice(problem_projects) if rng.random() < 0.6 else None,
                    status=rng.choice(["raised", "assigned", "accepted", "solved", "closed", "closed"]),
                    due_on=day(rng),
                )
                for i in range(per_city(20_000))
            ],
            batch_size=BATCH,
        )
    city = cities[0]["city"]
    office = User(username="bench_office", name="招商中心", home_unit=city)
    office.set_password("Bench-Pass-2026!")
    office.save()
    Membership.objects.create(user=office, unit=city, role="office_staff")
    token, _ = Token.objects.get_or_create(user=office)
    return city, token.key


# --- The minimal endpoint: hand-written SQL ----------------------------------------------------------------

OPEN = ("raised", "assigned", "accepted", "reopened")


def sql_figures(city_id, start, end, today):
    """The dashboard's figures for the office of city `city_id` (it sees all of its city), in hand-written SQL."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT path FROM organizations_unit WHERE id = %s", [city_id])
        path = cur.fetchone()[0]
        like = path + "%"
        s, e = start, end  # dates, not text: PostgreSQL compares a date column with a date

        def rows(sql, params):
            cur.execute(sql, params)
            return cur.fetchall()

        every_unit = rows(
            "SELECT id, name, path, kind, active FROM organizations_unit WHERE path LIKE %s ORDER BY sort_order, path",
            [like],
        )
        path_of = {row[0]: row[2] for row in every_unit}
        units = [
            row[:4]
            for row in every_unit
            if row[4] and row[0] != city_id and row[3] in ("team", "squad", "county", "zone")
        ]

        def ledger(table, date_column):
            """Distinct companies and rows per unit of a ledger in the period: the (unit, date) index sought for
            each unit of the city, its ids given as a list (both planners then seek the index)."""
            ids = list(path_of)
            where = f"{date_column} BETWEEN %s AND %s AND unit_id IN ({', '.join(['%s'] * len(ids))})"
            companies = rows(f"SELECT COUNT(DISTINCT company_id) FROM {table} WHERE {where}", [s, e, *ids])  # noqa: S608
            by_unit = rows(f"SELECT unit_id, COUNT(*) FROM {table} WHERE {where} GROUP BY unit_id", [s, e, *ids])  # noqa: S608
            return companies[0][0], [(path_of[unit], n) for unit, n in by_unit]

        visited, visits_by = ledger("outreach_visit", "visit_date")
        inspected, inspections_by = ledger("outreach_inspection", "inspection_date")
        lead_where = "l.owner_id = %s AND l.duplicate_of_id IS NULL AND l.collected_date BETWEEN %s AND %s"
        effective = (
            "(l.investor_id IS NOT NULL AND LENGTH(TRIM(l.content)) >= 10 AND l.estimated_amount > 0"
            " AND l.contact_reached)"
        )
        connected = (
            "(p.kind <> 'lost' AND EXISTS (SELECT 1 FROM leads_leadpool q WHERE q.owner_id = l.owner_id"
            " AND q.kind = 'open' AND q.sort_order < p.sort_order))"
        )
        # One scan of the period's leads, grouped by reporting unit, investor's province and chain.
        lead_groups = rows(
            f"SELECT u.path, c.province, l.chain_id, COUNT(*),"  # noqa: S608 -- constants only
            f" SUM(CASE WHEN {effective} THEN 1 ELSE 0 END), SUM(CASE WHEN {connected} THEN 1 ELSE 0 END)"
            " FROM leads_lead l JOIN leads_leadpool p ON p.id = l.pool_id"
            " JOIN organizations_unit u ON u.id = l.reporting_unit_id"
            f" LEFT JOIN enterprises_company c ON c.id = l.investor_id WHERE {lead_where}"
            " GROUP BY u.path, c.province, l.chain_id",
            [city_id, s, e],
        )
        counted = sum(g[3] for g in lead_groups)
        effective_n = sum(g[4] for g in lead_groups)
        connected_n = sum(g[5] for g in lead_groups)
        effective_by, leads_by_province, leads_by_chain = {}, {}, {}
        for path_, province, chain, n, eff, _conn in lead_groups:
            effective_by[path_] = effective_by.get(path_, 0) + eff
            leads_by_province[province] = leads_by_province.get(province, 0) + n
            if chain is not None:
                leads_by_chain[chain] = leads_by_chain.get(chain, 0) + n
        effective_by = list(effective_by.items())
        leads_by_province = list(leads_by_province.items())
        leads_by_chain = list(leads_by_chain.items())
        project_where = (
            "p.owner_id = %s AND p.signed_on IS NOT NULL AND p.predecessor_id IS NULL AND p.total_investment >="
            " COALESCE((SELECT min_count_amount FROM projects_projectsettings WHERE owner_id = p.owner_id), 0)"
        )
        signed = "p.signed_on BETWEEN %s AND %s"
        totals = rows(
            f"SELECT SUM(CASE WHEN {signed} THEN 1 ELSE 0 END),"  # noqa: S608
            f" SUM(CASE WHEN {signed} THEN p.total_investment ELSE 0 END),"
            f" SUM(CASE WHEN {signed} THEN p.funds_arrived ELSE 0 END),"
            " SUM(CASE WHEN p.started_on BETWEEN %s AND %s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN p.producing_on BETWEEN %s AND %s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN p.at_capacity_on BETWEEN %s AND %s THEN 1 ELSE 0 END)"
            f" FROM projects_project p WHERE {project_where}",
            [s, e, s, e, s, e, s, e, s, e, s, e, city_id],
        )[0]
        credited = rows(
            f"SELECT h.path, r.path, SUM(CASE WHEN {signed} THEN 1 ELSE 0 END),"  # noqa: S608
            f" SUM(CASE WHEN {signed} THEN p.total_investment ELSE 0 END),"
            " SUM(CASE WHEN p.started_on BETWEEN %s AND %s THEN 1 ELSE 0 END)"
            " FROM projects_project p JOIN organizations_unit h ON h.id = p.host_unit_id"
            " LEFT JOIN leads_lead l ON l.id = p.lead_id LEFT JOIN organizations_unit r ON r.id = l.reporting_unit_id"
            f" WHERE {project_where} AND ({signed} OR p.started_on BETWEEN %s AND %s) GROUP BY h.path, r.path",
            [s, e, s, e, s, e, city_id, s, e, s, e],
        )
        origins = rows(
            "SELECT p.id, c.province, p.total_investment FROM projects_project p"  # noqa: S608
            " LEFT JOIN projects_project_investors pi ON pi.project_id = p.id"
            f" LEFT JOIN enterprises_company c ON c.id = pi.company_id WHERE {project_where} AND {signed}",
            [city_id, s, e],
        )
        projects_by_chain = rows(
            f"SELECT p.chain_id, COUNT(*), SUM(p.total_investment) FROM projects_project p"  # noqa: S608
            f" WHERE {project_where} AND {signed} AND p.chain_id IS NOT NULL GROUP BY p.chain_id",
            [city_id, s, e],
        )
        cycles = rows(
            "SELECT p.first_contact_on, p.signed_on, p.started_on, p.producing_on FROM projects_project p"  # noqa: S608
            f" WHERE {project_where} AND ({signed} OR p.started_on BETWEEN %s AND %s"
            " OR p.producing_on BETWEEN %s AND %s)",
            [city_id, s, e, s, e, s, e],
        )
        entries = rows(
            "SELECT e.project_id, e.batch, e.investment, p.started_on, p.producing_on, p.at_capacity_on,"
            " p.completed_investment FROM projects_roundentry e JOIN projects_round r ON r.id = e.round_id"
            " JOIN organizations_unit h ON h.id = r.host_unit_id JOIN projects_project p ON p.id = e.project_id"
            " WHERE h.path LIKE %s AND r.held_on BETWEEN %s AND %s ORDER BY r.held_on, r.id, e.id",
            [like, s, e],
        )
        problems = rows(
            "SELECT SUM(CASE WHEN status IN (%s, %s, %s, %s) THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN status IN (%s, %s, %s, %s) AND due_on < %s THEN 1 ELSE 0 END)"
            " FROM service_problem WHERE owner_id = %s",
            [*OPEN, *OPEN, today, city_id],
        )[0]
        chain_names = dict(rows("SELECT id, name FROM chains_industrychain WHERE active", []))

    def under(unit_path, grouped):
        return sum(n for p, n in grouped if p and p.startswith(unit_path))

    def money(value):
        return str(Decimal(str(value or 0)))

    def to_date(value):
        return datetime.date.fromisoformat(value) if isinstance(value, str) else value

    teams = [
        {
            "name": name,
            "visits": under(p, visits_by),
            "leads": under(p, effective_by),
            "inspections": under(p, inspections_by),
            "signed": sum(row[2] for row in credited if any(x and x.startswith(p) for x in row[:2])),
        }
        for _id, name, p, kind in units
        if kind in ("team", "squad")
    ]
    areas = [
        {
            "name": name,
            "signed": sum(row[2] for row in credited if any(x and x.startswith(p) for x in row[:2])),
            "investment": money(
                sum(Decimal(str(row[3] or 0)) for row in credited if any(x and x.startswith(p) for x in row[:2]))
            ),
            "started": sum(row[4] for row in credited if any(x and x.startswith(p) for x in row[:2])),
        }
        for _id, name, p, kind in units
        if kind in ("county", "zone")
    ]
    seen, kept = set(), []
    for entry in entries:
        if (entry[0], entry[1]) not in seen:
            seen.add((entry[0], entry[1]))
            kept.append(entry)
    rates = {}
    for batch, field in (("signed", 3), ("started", 4), ("producing", 5)):
        listed = [x for x in kept if x[1] == batch]
        done = [x for x in listed if x[field] is not None]
        numerator = sum(Decimal(str(x[6] if batch == "started" else x[2])) for x in done)
        rates[batch] = {"listed": len(listed), "reached": len(done), "numerator": money(numerator)}
    days = {"contact_to_signing": [], "signing_to_start": [], "signing_to_production": []}
    for row in cycles:
        first, signed_on, started, producing = map(to_date, row)
        if first and signed_on and start <= signed_on <= end:
            days["contact_to_signing"].append((signed_on - first).days)
        if signed_on and started and start <= started <= end:
            days["signing_to_start"].append((started - signed_on).days)
        if signed_on and producing and start <= producing <= end:
            days["signing_to_production"].append((producing - signed_on).days)
    provinces = {}
    for _pk, province, amount in set(origins):
        entry = provinces.setdefault(province or "", [0, Decimal(0)])
        entry[0] += 1
        entry[1] += Decimal(str(amount or 0))
    return {
        "funnel": [
            visited,
            counted,
            effective_n or 0,
            inspected,
            connected_n or 0,
            *(int(x or 0) for x in (totals[0], totals[3], totals[4], totals[5])),
        ],
        "money": [money(totals[1]), money(totals[2])],
        "teams": teams,
        "areas": areas,
        "rates": rates,
        "leads_by_province": {p or "": n for p, n in leads_by_province},
        "projects_by_province": {p: [n, money(a)] for p, (n, a) in provinces.items()},
        "chains": {
            chain_names.get(cid, ""): {"leads": dict(leads_by_chain).get(cid, 0), "projects": n, "investment": money(a)}
            for cid, n, a in projects_by_chain
        },
        "cycles": {k: {"count": len(v), "median": statistics.median(v) if v else None} for k, v in days.items()},
        "problems": [int(problems[0] or 0), int(problems[1] or 0)],
    }


def sql_view(request):
    from django.http import JsonResponse

    start = datetime.date.fromisoformat(request.GET["start"])
    end = datetime.date.fromisoformat(request.GET["end"])
    today = datetime.date.fromisoformat(request.GET["today"])
    return JsonResponse(sql_figures(int(request.GET["unit"]), start, end, today))


def urlpatterns_with_bench():
    from django.urls import include, path

    return [path("bench/dashboard-sql/", sql_view), path("", include("config.urls"))]


urlpatterns = []  # filled in the child, once Django is set up (ROOT_URLCONF points here)


# --- Measuring ---------------------------------------------------------------------------------------------


def measure(scale, repeat):
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    global urlpatterns  # noqa: PLW0603 -- the bench's own urlconf, made after django.setup()
    urlpatterns = urlpatterns_with_bench()
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    city, token = build(scale)
    built_s = time.perf_counter() - t0
    counts = {}
    with connection.cursor() as cur:
        for table in ("enterprises_company", "outreach_visit", "leads_lead", "projects_project", "service_problem"):
            cur.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 -- table names are constants
            counts[table] = cur.fetchone()[0]
        cur.execute("ANALYZE")  # fresh statistics for both databases' planners
    start, end = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    today = timezone.localdate()
    query = f"unit={city.pk}&start={start}&end={end}"
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    # DEBUG off, as in production: no SQL kept in memory for either endpoint.
    with override_settings(ROOT_URLCONF="__main__", ALLOWED_HOSTS=["*"], DEBUG=False):
        ours_url = f"/api/v1/dashboard/?{query}"
        sql_url = f"/bench/dashboard-sql/?{query}&today={today}"
        cache.clear()
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
            ours = client.get(ours_url).json()
        minimal = client.get(sql_url).json()
        check(ours, minimal)
        timings = {"ours": [], "minimal": [], "cached": []}
        for n in range(repeat):
            order = ("ours", "minimal") if n % 2 == 0 else ("minimal", "ours")
            for which in order:
                cache.clear()
                t = time.perf_counter()
                response = client.get(ours_url if which == "ours" else sql_url)
                timings[which].append(time.perf_counter() - t)
                assert response.status_code == 200
            client.get(ours_url)
            t = time.perf_counter()
            assert client.get(ours_url).json()["cached"] is True
            timings["cached"].append(time.perf_counter() - t)
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "scale": scale,
                "counts": counts,
                "built_s": built_s,
                "queries": len(queries),
                "city_visits": ours["funnel"][0]["value"],
                "signed": ours["funnel"][5]["value"],
                **{k: statistics.median(v) for k, v in timings.items()},
                "runs": repeat,
            }
        )
    )


def amount(value):
    """万元, to the 万元: the two databases return sums as Decimal or as float."""
    return Decimal(str(value)).quantize(Decimal("1"))


def check(ours, minimal):
    """The two answers hold the same figures (else the comparison means nothing)."""
    assert [f["value"] for f in ours["funnel"]] == minimal["funnel"], (ours["funnel"], minimal["funnel"])
    assert [amount(f["value"]) for f in ours["money"]] == [amount(v) for v in minimal["money"]]
    assert [f["value"] for f in ours["problems"]] == minimal["problems"]
    assert sorted(
        (t["unit"]["name"], t["visits"]["value"], t["leads"]["value"], t["inspections"]["value"], t["signed"]["value"])
        for t in ours["teams"]
    ) == sorted((t["name"], t["visits"], t["leads"], t["inspections"], t["signed"]) for t in minimal["teams"])
    assert sorted(
        (a["unit"]["name"], a["signed"]["value"], amount(a["investment"]["value"]), a["started"]["value"])
        for a in ours["areas"]
    ) == sorted((a["name"], a["signed"], amount(a["investment"]), a["started"]) for a in minimal["areas"])
    for row, batch in zip(ours["rates"]["rows"], ("signed", "started", "producing"), strict=True):
        found = minimal["rates"][batch]
        assert (row["listed"]["value"], row["reached"]["value"]) == (found["listed"], found["reached"])
    for row in ours["provinces"]:
        assert row["leads"]["value"] == minimal["leads_by_province"].get(row["name"], 0)
        n, total = minimal["projects_by_province"].get(row["name"], [0, 0])
        assert (row["projects"]["value"], amount(row["investment"]["value"])) == (n, amount(total))
    for row in ours["chains"]:
        found = minimal["chains"].get(row["chain"]["name"], {"projects": 0, "investment": 0})
        assert (row["projects"]["value"], amount(row["investment"]["value"])) == (
            found["projects"],
            amount(found["investment"]),
        )
    for cycle in ours["cycles"]:
        found = minimal["cycles"][cycle["key"]]
        assert cycle["value"] == found["count"]
        median = None if found["median"] is None else Decimal(str(found["median"])).quantize(Decimal("0.1"))
        assert (Decimal(cycle["median"]) if cycle["median"] else None) == median


def child(scale, repeat):
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if "DATABASE_URL" not in env:
        env["ZS_DATA_DIR"] = tempfile.mkdtemp(prefix="zs-bench-")
    else:
        _fresh_postgres(env["DATABASE_URL"])
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--scale", str(scale), "--repeat", str(repeat)],
        env=env,
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(out.returncode)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fresh_postgres(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1: a province (10⁶ visits …)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each endpoint; medians are reported")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--write", action="store_true", help="record the result in docs/performance.md")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child:
        measure(args.scale, args.repeat)
        return
    r = child(args.scale, args.repeat)
    ratio = r["ours"] / r["minimal"]
    verdict = "达标" if ratio <= 2 else "未达标"
    c = r["counts"]
    line = (
        f"| {datetime.date.today()} | {platform.processor() or platform.machine()}, {os.cpu_count()} 核 "
        f"| {r['vendor']} | 10 市：企业 {c['enterprises_company']:,}，走访 {c['outreach_visit']:,}，"
        f"线索 {c['leads_lead']:,}，项目 {c['projects_project']:,}，问题 {c['service_problem']:,} "
        f"| 一市一年（走访企业 {r['city_visits']:,} 家，签约 {r['signed']:,} 个），{r['runs']} 次取中位数 "
        f"| {r['ours'] * 1000:,.0f} ms（{r['queries']} 次查询） | {r['minimal'] * 1000:,.0f} ms "
        f"| {ratio:.2f}× | {r['cached'] * 1000:,.1f} ms | ≤ 2× | {verdict} |"
    )
    print(line)
    if args.write:
        record(line)


MARKER = "<!-- dashboard-results -->"


def record(line):
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text(encoding="utf-8")
    text = text.replace(MARKER, f"{MARKER}\n{line}", 1)
    doc.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
