"""Benchmark: a city's monthly target progress, assessment ranking and bulletin, against hand-written SQL for the same
figures.

quality.md asks that a dashboard figure for a city come from a fixed number of aggregate queries and stay within
2× a minimal endpoint that runs the hand-written SQL for the same figures and encodes them as JSON. This builds a
city with 10 stationed teams and 4 counties on a fresh database (SQLite in a temporary folder, or the PostgreSQL
database DATABASE_URL names, emptied first), bulk-creates N visits and, in proportion, leads (N/5), inspections
(N/20), promotion events (N/500) and signed projects (N/50) over 2023 with a fixed random seed (about half of the
projects started later, some of those producing, each started one with a monthly report of funds arrived), sets the
routine monthly targets of May 2023 for every team and the city's yearly "1521" goal, and a team scheme weighted as
the demo's. Then it times, each the median of several runs:

- targets.selectors.progress over the targets covering May 2023 (the city's progress page), against the same
  counts in raw SQL per indicator and period;
- assessment.selectors.live_scores for May 2023 and for the whole year, against raw SQL counts per team and
  indicator, targets prorated by days and points and ranks worked out in a few lines of Python;
- bulletins.selectors.monthly_figures for May 2023 (every figure the month's bulletin prints), against the same raw
  SQL for the city's month and year-to-date counts, the teams' and the city's targets, the rankings and the notable
  projects, with a few lines of Python; our side is cut down by `normalise()` to the figures the raw side computes.

Both sides encode their figures as JSON; the two sides' figures are checked equal before anything is timed.

    python bench/monthly.py --scale 100000            # prints the Markdown rows
    python bench/monthly.py --scale 100000 --write    # also records them in docs/performance.md
"""

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2023
MONTH = (datetime.date(YEAR, 5, 1), datetime.date(YEAR, 5, 31))
WHOLE = (datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))
TEAMS = ["北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "苏州"]
COUNTIES = ["盐湖区", "临猗县", "永济市", "运城经开区"]
SECTION = "## 月度进度与考核排名 Monthly progress and ranking (`bench/monthly.py`)"
MARKER = "<!-- monthly-results -->"
GOAL = 2.0  # quality.md: a dashboard or bulletin figure within 2× the minimal endpoint
CENT, TENTH = Decimal("0.01"), Decimal("0.1")


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        os.environ["ZS_DATA_DIR"] = tempfile.mkdtemp(prefix="zs-bench-monthly-")
    elif url.startswith(("postgres://", "postgresql://")):
        _fresh_postgres(url)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fresh_postgres(url):
    """Each run starts from an empty database, as the SQLite runs do."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


# --- The data ---------------------------------------------------------------------------------------------


def _day(rng, start=WHOLE[0], days=365):
    return start + datetime.timedelta(days=rng.randrange(days))


def _project(i, city, rng, later, *, counties, lead_ids):
    """A signed project (drawn from `rng` as before), about half started later, some of those producing."""
    from projects.models import Project

    host, amount, signed = rng.choice(counties), Decimal(rng.randrange(500, 500000)), _day(rng)
    lead_id = lead_ids[i] if rng.random() < 0.7 else None
    started = signed + datetime.timedelta(days=later.randrange(10, 200)) if later.random() < 0.5 else None
    producing = None
    if started and later.random() < 0.4:
        producing = started + datetime.timedelta(days=later.randrange(30, 240))
    stage = "producing" if producing else "started" if started else "signed"
    return Project(
        owner=city,
        host_unit=host,
        name=f"项目{i}",
        total_investment=amount,
        stage=stage,
        verified_stage=stage,
        signed_on=signed,
        started_on=started,
        producing_on=producing,
        lead_id=lead_id,
        dedupe_key=f"p{i}",
    )


def build(scale, seed=2023):
    """The city, its people and targets (through the services), and the records (bulk_create, seeded)."""
    from assessment import services as assessment_services
    from core.testing import make_person, make_unit
    from enterprises.models import Company
    from leads.models import Lead, LeadPool
    from organizations.choices import Role, UnitKind
    from outreach.models import Inspection, PromotionEvent, Visit
    from projects.models import MonthlyProgress, Project
    from targets import services as target_services
    from targets.choices import Template

    rng = random.Random(seed)
    province = make_unit("BX", "基准省", UnitKind.PROVINCE)
    city = make_unit("BX-C", "基准市", UnitKind.CITY, province)
    centre = make_unit("BX-C-ZX", "基准市招商中心", UnitKind.DEPARTMENT, city)
    teams = [make_unit(f"BX-T{i}", f"{n}招商组", UnitKind.TEAM, city, sort_order=i) for i, n in enumerate(TEAMS)]
    counties = [make_unit(f"BX-X{i}", n, UnitKind.COUNTY, city, sort_order=20 + i) for i, n in enumerate(COUNTIES)]
    office = make_person("bench_office", centre, Role.OFFICE_STAFF, "基准中心", role_unit=city)

    n_companies = max(scale // 10, 200)
    Company.objects.bulk_create(
        (
            Company(
                owner=city,
                name=f"基准{i:07d}号科技有限公司",
                normalized_name=f"基准{i:07d}号科技",
                kind="university" if i % 25 == 0 else "company",
            )
            for i in range(n_companies)
        ),
        batch_size=5000,
    )
    company_ids = list(Company.objects.filter(owner=city).values_list("id", flat=True))
    Visit.objects.bulk_create(
        (
            Visit(
                unit=rng.choice(teams),
                visit_date=_day(rng),
                company_id=rng.choice(company_ids),
                content="对接投资意向",
                dedupe_key=f"v{i}",
                created_by=office,
            )
            for i in range(scale)
        ),
        batch_size=5000,
    )
    Inspection.objects.bulk_create(
        (
            Inspection(
                unit=rng.choice(teams),
                inspection_date=_day(rng),
                company_id=rng.choice(company_ids),
                dedupe_key=f"i{i}",
                created_by=office,
            )
            for i in range(scale // 20)
        ),
        batch_size=5000,
    )
    PromotionEvent.objects.bulk_create(
        PromotionEvent(unit=rng.choice(teams), title=f"推介会{i}", event_date=_day(rng), place="基准市")
        for i in range(max(scale // 500, 10))
    )
    pool = LeadPool.objects.create(owner=city, code="open", name="线索库", sort_order=1)
    Lead.objects.bulk_create(
        (
            Lead(
                owner=city,
                reporting_unit=rng.choice(teams),
                name=f"线索{i}",
                collected_date=_day(rng),
                investor_id=rng.choice(company_ids) if rng.random() < 0.8 else None,
                content="拟投资建设年产十万吨新材料生产线项目" if rng.random() < 0.85 else "待定",
                estimated_amount=Decimal(rng.randrange(1000, 200000)) if rng.random() < 0.9 else None,
                contact_reached=rng.random() < 0.8,
                pool=pool,
                dedupe_key=f"l{i}",
            )
            for i in range(scale // 5)
        ),
        batch_size=5000,
    )
    lead_ids = list(Lead.objects.filter(owner=city).values_list("id", flat=True))
    rng.shuffle(lead_ids)
    later = random.Random(seed + 1)  # the projects' later stages: the draws above stay those of earlier runs
    Project.objects.bulk_create(
        (_project(i, city, rng, later, counties=counties, lead_ids=lead_ids) for i in range(scale // 50)),
        batch_size=5000,
    )
    MonthlyProgress.objects.bulk_create(
        (
            MonthlyProgress(
                project_id=pk,
                month=started.replace(day=1),
                completed_investment=Decimal(later.randrange(100, 5000)),
                funds_fixed=Decimal(later.randrange(0, 3000)),
                funds_non_fixed=Decimal(later.randrange(0, 1000)),
                progress="按计划推进",
                due_on=(started.replace(day=1) + datetime.timedelta(days=35)).replace(day=5),
            )
            for pk, started in Project.objects.filter(owner=city, started_on__isnull=False)
            .order_by("id")
            .values_list("id", "started_on")
        ),
        batch_size=5000,
    )
    target_services.apply_template(
        actor=office, owner=city, template=Template.ROUTINE_MONTHLY, start=MONTH[0], end=MONTH[1], units=teams
    )
    target_services.apply_template(actor=office, owner=city, template=Template.CITY_1521, start=WHOLE[0], end=WHOLE[1])
    scheme = assessment_services.create_scheme(
        actor=office,
        owner=city,
        name="基准月度考核",
        subjects="teams",
        start=WHOLE[0],
        end=WHOLE[1],
        items=[
            {"indicator": "visits", "weight": 20, "rule": "share", "cap": 120},
            {"indicator": "effective_leads", "weight": 25, "rule": "share", "cap": 120},
            {"indicator": "inspections", "weight": 15, "rule": "share", "cap": 120},
            {"indicator": "signed_projects", "weight": 30, "rule": "share", "cap": 120},
            {"indicator": "events", "weight": 10, "rule": "rank"},
        ],
    )
    return city, office, scheme


# --- Ours: the selectors the pages and the API use --------------------------------------------------------


def ours_progress(city):
    from targets import selectors
    from targets.models import Target

    targets = Target.objects.filter(owner=city, start__lte=MONTH[1], end__gte=MONTH[0]).select_related("unit", "person")
    rows = [
        {"target": p.target.pk, "reached": str(p.reached), "share": None if p.share is None else str(p.share)}
        for p in selectors.progress(targets, today=MONTH[1])
    ]
    return json.dumps(sorted(rows, key=lambda r: r["target"]))


def ours_scores(scheme, period):
    from assessment import selectors

    rows = [
        {
            "unit": s.unit.pk,
            "rank": s.rank,
            "total": str(s.total),
            "items": [[i.indicator, str(i.reached), str(i.target), str(i.points)] for i in s.items],
        }
        for s in selectors.live_scores(scheme, *period)
    ]
    return json.dumps(sorted(rows, key=lambda r: r["unit"]))


def ours_bulletin(city, year, month):
    from bulletins.selectors import monthly_figures

    return json.dumps(normalise(monthly_figures(city, year, month)))


def normalise(figures):
    """The bulletin's figures cut down to those the raw side computes, each as one string (see `canon`): the city's
    month and year to date, each team's targets (and the city's) with reached, target, share and whether behind, the
    rankings' ranks, totals and points, and the notable projects with their amount and the month's events."""
    cells = [
        [row["unit"], *_cell(cell)] for row in figures["teams"]["rows"] for column in row["cells"] for cell in column
    ]
    return {
        "totals": {code: [canon(t["month"]), canon(t["ytd"])] for code, t in figures["totals"].items()},
        "teams": sorted(cells),
        "city_targets": sorted(_cell(cell) for cell in figures["city_targets"]),
        "rankings": [
            {
                "scheme": r["scheme"],
                "start": r["start"],
                "end": r["end"],
                "locked": r["locked"],
                "rows": [
                    [row["unit"], row["rank"], canon(row["total"]), [canon(p) for p in row["points"]]]
                    for row in r["rows"]
                ],
            }
            for r in figures["rankings"]
        ],
        "projects": [[p["project"], canon(p["amount"]), p["events"]] for p in figures["projects"]],
    }


def _cell(cell):
    return [
        cell["indicator"],
        cell["start"],
        cell["end"],
        canon(cell["reached"]),
        canon(cell["value"]),
        canon(cell["share"]),
        cell["behind"],
    ]


# --- The minimal endpoint: hand-written SQL, the same figures ---------------------------------------------

# One grouped statement per indicator: the period's records counted by the unit that holds them (for projects, by
# the pair of units credited: the lead's reporting unit and the host county). A unit's figure covers its subtree,
# so the counts are then rolled up in Python over the units whose path starts with its own.
COUNT_SQL = {
    "visits": """
        SELECT u.path, COUNT(*) FROM outreach_visit r JOIN organizations_unit u ON u.id = r.unit_id
        WHERE r.visit_date BETWEEN %s AND %s GROUP BY u.path""",
    "university_visits": """
        SELECT u.path, COUNT(*) FROM outreach_visit r JOIN organizations_unit u ON u.id = r.unit_id
        JOIN enterprises_company c ON c.id = r.company_id
        WHERE r.visit_date BETWEEN %s AND %s AND c.kind = 'university' GROUP BY u.path""",
    "inspections": """
        SELECT u.path, COUNT(*) FROM outreach_inspection r JOIN organizations_unit u ON u.id = r.unit_id
        WHERE r.inspection_date BETWEEN %s AND %s GROUP BY u.path""",
    "events": """
        SELECT u.path, COUNT(*) FROM outreach_promotionevent r JOIN organizations_unit u ON u.id = r.unit_id
        WHERE r.event_date BETWEEN %s AND %s GROUP BY u.path""",
    # The city's default rule for an effective lead: a named investor, ≥ 10 characters of content, an amount,
    # the investor reached; a duplicate never counts.
    "effective_leads": """
        SELECT u.path, COUNT(*) FROM leads_lead r JOIN organizations_unit u ON u.id = r.reporting_unit_id
        WHERE r.owner_id = %s AND r.collected_date BETWEEN %s AND %s AND r.duplicate_of_id IS NULL
          AND r.investor_id IS NOT NULL AND LENGTH(TRIM(r.content)) >= 10 AND r.estimated_amount > 0
          AND r.contact_reached = %s
        GROUP BY u.path""",
    # First signings of the city at or above its counting amount (none set: 0), credited to the team whose lead it
    # was and to the host county.
    "signed_projects": """
        SELECT lu.path, hu.path, COUNT(*) FROM projects_project r
        LEFT JOIN leads_lead l ON l.id = r.lead_id
        LEFT JOIN organizations_unit lu ON lu.id = l.reporting_unit_id
        JOIN organizations_unit hu ON hu.id = r.host_unit_id
        WHERE r.owner_id = %s AND r.predecessor_id IS NULL AND r.signed_on BETWEEN %s AND %s
          AND r.total_investment >= 0
        GROUP BY lu.path, hu.path""",
    "signed_investment": """
        SELECT lu.path, hu.path, SUM(r.total_investment) FROM projects_project r
        LEFT JOIN leads_lead l ON l.id = r.lead_id
        LEFT JOIN organizations_unit lu ON lu.id = l.reporting_unit_id
        JOIN organizations_unit hu ON hu.id = r.host_unit_id
        WHERE r.owner_id = %s AND r.predecessor_id IS NULL AND r.signed_on BETWEEN %s AND %s
          AND r.total_investment >= 0
        GROUP BY lu.path, hu.path""",
    # Counted projects (a first signing at or above the counting amount) started or producing in the period.
    "started_projects": """
        SELECT lu.path, hu.path, COUNT(*) FROM projects_project r
        LEFT JOIN leads_lead l ON l.id = r.lead_id
        LEFT JOIN organizations_unit lu ON lu.id = l.reporting_unit_id
        JOIN organizations_unit hu ON hu.id = r.host_unit_id
        WHERE r.owner_id = %s AND r.predecessor_id IS NULL AND r.signed_on IS NOT NULL
          AND r.started_on BETWEEN %s AND %s AND r.total_investment >= 0
        GROUP BY lu.path, hu.path""",
    "producing_projects": """
        SELECT lu.path, hu.path, COUNT(*) FROM projects_project r
        LEFT JOIN leads_lead l ON l.id = r.lead_id
        LEFT JOIN organizations_unit lu ON lu.id = l.reporting_unit_id
        JOIN organizations_unit hu ON hu.id = r.host_unit_id
        WHERE r.owner_id = %s AND r.predecessor_id IS NULL AND r.signed_on IS NOT NULL
          AND r.producing_on BETWEEN %s AND %s AND r.total_investment >= 0
        GROUP BY lu.path, hu.path""",
    # The funds arrived reported for the months of the period, credited as the project is.
    "funds_arrived": """
        SELECT lu.path, hu.path, SUM(m.funds_fixed + m.funds_non_fixed) FROM projects_monthlyprogress m
        JOIN projects_project r ON r.id = m.project_id
        LEFT JOIN leads_lead l ON l.id = r.lead_id
        LEFT JOIN organizations_unit lu ON lu.id = l.reporting_unit_id
        JOIN organizations_unit hu ON hu.id = r.host_unit_id
        WHERE r.owner_id = %s AND m.month BETWEEN %s AND %s
        GROUP BY lu.path, hu.path""",
}
# Credited to two units: the team whose lead it was and the host county.
CREDITED = {"signed_projects", "signed_investment", "started_projects", "producing_projects", "funds_arrived"}


def _num(value):
    """A figure from the database as a Decimal (SQLite gives integers or floats, PostgreSQL Decimals)."""
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def raw_counts(cursor, indicator, period, units, owner_id):
    """{unit id: count (or sum)} over `period` for `units` ({id: path}), each covering its subtree."""
    start, end = period
    if indicator == "effective_leads":
        params = [owner_id, start, end, True]
    elif indicator == "funds_arrived":
        params = [owner_id, start.replace(day=1), end]
    elif indicator in CREDITED:
        params = [owner_id, start, end]
    else:
        params = [start, end]
    cursor.execute(COUNT_SQL[indicator], params)
    rows = cursor.fetchall()
    out = {}
    for unit_id, path in units.items():
        if indicator in CREDITED:
            n = sum(
                _num(c)
                for lead_path, host_path, c in rows
                if (lead_path or "").startswith(path) or host_path.startswith(path)
            )
        else:
            n = sum(c for holder, c in rows if holder.startswith(path))
        out[unit_id] = Decimal(n)
    return out


def _progress_rows(city, period, cursor):
    """(target, unit, indicator, start, end, value, reached, share) for the city's targets overlapping `period`."""
    cursor.execute(
        'SELECT t.id, t.unit_id, u.path, t.indicator, t.start, t."end", t.value FROM targets_target t '
        'JOIN organizations_unit u ON u.id = t.unit_id WHERE t.owner_id = %s AND t.start <= %s AND t."end" >= %s',
        [city.pk, period[1], period[0]],
    )
    targets = [
        (pk, unit, path, ind, _date(s), _date(e), Decimal(str(v))) for pk, unit, path, ind, s, e, v in cursor.fetchall()
    ]
    groups = {}
    for _pk, unit, path, ind, s, e, _v in targets:
        groups.setdefault((ind, s, e), {})[unit] = path
    counts = {key: raw_counts(cursor, key[0], key[1:], units, city.pk) for key, units in groups.items()}
    rows = []
    for pk, unit, _path, ind, s, e, v in targets:
        reached = counts[(ind, s, e)].get(unit, Decimal(0))
        share = (reached * 100 / v).quantize(TENTH, rounding=ROUND_HALF_UP) if v else None
        rows.append((pk, unit, ind, s, e, v, reached, share))
    return rows


def raw_progress(city, connection):
    with connection.cursor() as cursor:
        found = _progress_rows(city, MONTH, cursor)
    rows = [
        {"target": pk, "reached": str(reached), "share": None if share is None else str(share)}
        for pk, _unit, _ind, _s, _e, _v, reached, share in found
    ]
    return json.dumps(sorted(rows, key=lambda r: r["target"]))


def _date(value):
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _score_rows(cursor, scheme_id, owner_id, owner_path, period):
    """The scheme's teams in their order, each {unit, rank, total, items: [[indicator, reached, target, points]]}."""
    start, end = period
    cursor.execute(
        "SELECT id, path FROM organizations_unit WHERE path LIKE %s AND kind = 'team' AND active = %s "
        "ORDER BY sort_order, id",
        [owner_path + "%", True],
    )
    paths = dict(cursor.fetchall())
    units = list(paths)
    cursor.execute(
        "SELECT indicator, weight, rule, cap FROM assessment_schemeitem WHERE scheme_id = %s ORDER BY sort_order, id",
        [scheme_id],
    )
    items = [(ind, Decimal(str(w)), rule, Decimal(str(cap))) for ind, w, rule, cap in cursor.fetchall()]
    unit_list = ",".join(str(u) for u in units)
    indicators = ",".join(f"'{ind}'" for ind, *_ in items)
    cursor.execute(
        f'SELECT unit_id, indicator, start, "end", value FROM targets_target WHERE unit_id IN ({unit_list}) '
        f'AND indicator IN ({indicators}) AND start <= %s AND "end" >= %s',
        [end, start],
    )
    targets = {}
    for unit, ind, first, last, value in cursor.fetchall():
        t_start, t_end = _date(first), _date(last)
        overlap = (min(t_end, end) - max(t_start, start)).days + 1
        part = Decimal(str(value)) * overlap / ((t_end - t_start).days + 1)
        targets[(unit, ind)] = targets.get((unit, ind), Decimal(0)) + part
    targets = {k: v.quantize(CENT, rounding=ROUND_HALF_UP) for k, v in targets.items()}
    reached = {ind: raw_counts(cursor, ind, period, paths, owner_id) for ind, *_ in items}
    n = len(units)
    ranks = {ind: _ranks({u: reached[ind].get(u, Decimal(0)) for u in units}) for ind, *_ in items}
    rows = []
    for unit in units:
        total, lines = Decimal(0), []
        for ind, weight, rule, cap in items:
            value, target = reached[ind].get(unit, Decimal(0)), targets.get((unit, ind))
            if rule == "rank":
                points = weight * (n - ranks[ind][unit] + 1) / n if value > 0 else Decimal(0)
            else:
                points = weight * min(value / target, cap / 100) if target else Decimal(0)
            points = points.quantize(CENT, rounding=ROUND_HALF_UP)
            total += points
            lines.append([ind, str(value), str(target), str(points)])
        rows.append({"unit": unit, "total": total.quantize(CENT), "items": lines})
    overall = _ranks({r["unit"]: r["total"] for r in rows})
    return [
        {"unit": r["unit"], "rank": overall[r["unit"]], "total": str(r["total"]), "items": r["items"]} for r in rows
    ]


def raw_scores(scheme, period, connection):
    with connection.cursor() as cursor:
        rows = _score_rows(cursor, scheme.pk, scheme.owner_id, scheme.owner.path, period)
    return json.dumps(sorted(rows, key=lambda r: r["unit"]))


# The bulletin: the city's figures in the order it tells them; amounts in 亿元 with two decimals.
BULLETIN_INDICATORS = [
    "visits",
    "university_visits",
    "effective_leads",
    "inspections",
    "events",
    "signed_projects",
    "signed_investment",
    "started_projects",
    "producing_projects",
    "funds_arrived",
]
BULLETIN_AMOUNTS = {"signed_investment", "funds_arrived"}
NOTABLE_SQL = """
    SELECT r.id, r.total_investment, r.signed_on, r.started_on, r.producing_on FROM projects_project r
    WHERE r.owner_id = %s AND r.signed_on IS NOT NULL AND r.predecessor_id IS NULL AND r.total_investment >= 0
      AND (r.signed_on BETWEEN %s AND %s OR r.started_on BETWEEN %s AND %s OR r.producing_on BETWEEN %s AND %s)
    ORDER BY r.total_investment IS NULL, r.total_investment DESC, r.id LIMIT 10"""


def canon(value):
    """A figure as one string whatever its printing: "1,234" → "1234", "96.0" and "96%" → "96", "" → None."""
    if value is None or value == "":
        return None
    return format(Decimal(str(value).replace(",", "").rstrip("%")).normalize(), "f")


def _yi(value):
    return canon((value / 10000).quantize(CENT, rounding=ROUND_HALF_UP))


def raw_bulletin(city, year, month, connection):
    """The bulletin's figures from hand-written SQL: counts, targets, rankings, notable projects."""
    start = datetime.date(year, month, 1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    year_start = datetime.date(year, 1, 1)
    with connection.cursor() as cursor:
        totals = {}
        for ind in BULLETIN_INDICATORS:
            figures = [
                raw_counts(cursor, ind, period, {city.pk: city.path}, city.pk)[city.pk]
                for period in ((start, end), (year_start, end))
            ]
            totals[ind] = [_yi(v) if ind in BULLETIN_AMOUNTS else canon(v) for v in figures]
        cursor.execute(
            "SELECT id FROM organizations_unit WHERE path LIKE %s AND kind = 'team' AND active = %s",
            [city.path + "%", True],
        )
        teams = {pk for (pk,) in cursor.fetchall()}
        # Every team has every routine target for the month, so the table needs no stand-in counted without one.
        progress = [row for row in _progress_rows(city, (start, end), cursor) if row[1] in teams or row[1] == city.pk]
        cursor.execute(
            'SELECT id, start, "end" FROM assessment_scheme WHERE owner_id = %s AND start <= %s AND "end" >= %s '
            "ORDER BY start, name, id",
            [city.pk, end, start],
        )
        rankings = []
        for scheme_id, first, last in cursor.fetchall():
            period = (max(start, _date(first)), min(end, _date(last)))
            cursor.execute(
                'SELECT COUNT(*) FROM assessment_periodlock WHERE scheme_id = %s AND start = %s AND "end" = %s',
                [scheme_id, *period],
            )
            locked = cursor.fetchone()[0] > 0
            assert not locked, "the benchmark locks no period"
            rows = sorted(_score_rows(cursor, scheme_id, city.pk, city.path, period), key=lambda r: r["rank"])
            rankings.append(
                {
                    "scheme": scheme_id,
                    "start": period[0].isoformat(),
                    "end": period[1].isoformat(),
                    "locked": locked,
                    "rows": [
                        [r["unit"], r["rank"], canon(r["total"]), [canon(item[3]) for item in r["items"]]] for r in rows
                    ],
                }
            )
        cursor.execute(NOTABLE_SQL, [city.pk, start, end, start, end, start, end])
        projects = []
        for pk, amount, *days in cursor.fetchall():
            events = [
                f"{label}（{day.month}月{day.day}日）"
                for label, day in zip(("签约", "开工", "投产"), (_date(d) if d else None for d in days), strict=True)
                if day and start <= day <= end
            ]
            projects.append([pk, _yi(_num(amount)), "、".join(events)])
    cells, goals = [], []
    for _pk, unit, ind, first, last, value, reached, share in progress:
        days = (last - first).days + 1
        gone = min(max((end - first).days + 1, 0), days)
        elapsed = (Decimal(gone) * 100 / days).quantize(TENTH, rounding=ROUND_HALF_UP)
        behind = share is not None and elapsed > 0 and share < elapsed
        cell = [ind, first.isoformat(), last.isoformat(), canon(reached), canon(value), canon(share), behind]
        if unit == city.pk:
            goals.append(cell)
        else:
            cells.append([unit, *cell])
    return json.dumps(
        {
            "totals": totals,
            "teams": sorted(cells),
            "city_targets": sorted(goals),
            "rankings": rankings,
            "projects": projects,
        }
    )


def _ranks(values):
    ordered = sorted(values.items(), key=lambda kv: kv[1], reverse=True)
    out, previous, rank = {}, None, 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        out[key] = rank
    return out


# --- Timing ----------------------------------------------------------------------------------------------


def median_seconds(call, repeat):
    call()  # warm the caches both sides would have warm in a running server
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def count_queries(call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def run(scale, repeat):
    from django.db import connection

    t0 = time.perf_counter()
    city, _office, scheme = build(scale)
    built = time.perf_counter() - t0
    figures = [
        ("目标进度（全市，2023年5月）", lambda: ours_progress(city), lambda: raw_progress(city, connection)),
        ("考核排名（2023年5月）", lambda: ours_scores(scheme, MONTH), lambda: raw_scores(scheme, MONTH, connection)),
        ("考核排名（2023年全年）", lambda: ours_scores(scheme, WHOLE), lambda: raw_scores(scheme, WHOLE, connection)),
        (
            "月度通报数字（2023年5月）",
            lambda: ours_bulletin(city, YEAR, 5),
            lambda: raw_bulletin(city, YEAR, 5, connection),
        ),
    ]
    results = []
    for name, ours, raw in figures:
        mine, theirs = json.loads(ours()), json.loads(raw())
        assert mine == theirs, f"{name}: the selectors and the SQL disagree"
        results.append(
            {
                "figure": name,
                "ours": median_seconds(ours, repeat),
                "raw": median_seconds(raw, repeat),
                "queries": count_queries(ours),
            }
        )
    return {"vendor": connection.vendor, "built_s": built, "figures": results}


def describe_size(scale):
    return (
        f"{scale:,} 走访，{scale // 5:,} 线索，{scale // 20:,} 考察，{max(scale // 500, 10):,} 推介会，"
        f"{scale // 50:,} 签约项目；10 个招商组"
    )


def lines_for(scale, repeat, report):
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} 核, Python {platform.python_version()}"
    out = []
    for f in report["figures"]:
        ratio = f["ours"] / f["raw"] if f["raw"] else float("inf")
        verdict = "达标" if ratio <= GOAL else "未达标"
        out.append(
            f"| {datetime.date.today()} | {machine} | {report['vendor']} | {describe_size(scale)} | {f['figure']} "
            f"| {f['ours'] * 1000:,.1f} ms（{f['queries']} 次查询） | {f['raw'] * 1000:,.1f} ms | {ratio:.2f}× "
            f"| ≤ {GOAL:g}× | {verdict} |"
        )
    return out


INTRO = f"""{SECTION}

Builds a city with 10 stationed teams and 4 counties on a fresh database and bulk-creates, with a fixed random
seed, N visits over 2023 and in proportion leads (N/5), inspections (N/20), promotion events (N/500) and signed
projects (N/50) — about half of them started later, some of those producing, each started one with a monthly report
of funds arrived (added with the bulletin figure, from a second generator, so the records the other figures count
are unchanged); sets every team's routine targets for May 2023 and the city's yearly "1521" goal through the
services, and a team scheme weighted as the demo's (visits 20, effective leads 25, inspections 15, signed projects
30 capped at 120%; events 10 by rank). Then it times, as the median of several runs after one warm-up,
`targets.selectors.progress` over the targets covering May 2023, `assessment.selectors.live_scores` for May and
for the whole year, and `bulletins.selectors.monthly_figures` for May 2023 (every figure the month's bulletin
prints), each encoding its figures as JSON, against a minimal endpoint: hand-written SQL (`connection.cursor()`, one
statement per indicator and period grouping the records by the unit holding them, rolled up in Python so that a
unit's figure covers its subtree) plus the few lines of Python that prorate targets and work out points and ranks,
encoding the same JSON. For the bulletin the raw side computes the city's month and year-to-date counts (visits,
universities, effective leads, inspections, events, signed projects and investment, started and producing projects,
funds arrived), each team's and the city's targets (reached, share, behind), the rankings (rank, total, points) and
the ten notable projects, and our side's output is cut down to those same figures (`normalise()`). The two sides'
figures are checked equal before anything is timed. "次查询" is the number of queries our side runs, the same for
any number of teams or records. Goal (quality.md): a dashboard or bulletin figure within {GOAL:g}× the minimal endpoint.

Run: `python bench/monthly.py --scale 100000 --write` (SQLite in a temporary folder by default; set
`DATABASE_URL=postgres://…` for PostgreSQL, whose database is emptied first).

| 日期 | 机器 | 数据库 | 数据量 | 指标 | 本系统（中位数） | 手写 SQL（中位数） | 比值 | 目标 | 结论 |
|---|---|---|---|---|---|---|---|---|---|
{MARKER}
"""


def record(lines):
    """Add the rows under this benchmark's section of docs/performance.md, creating the section if it is missing."""
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# 性能 Performance\n"
    if MARKER not in text:
        text = text.rstrip("\n") + "\n\n" + INTRO
    text = text.replace(MARKER, MARKER + "\n" + "\n".join(lines), 1)
    doc.write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100_000, help="number of visits (the rest in proportion)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each figure; the median is reported")
    parser.add_argument("--write", action="store_true", help="record the result in docs/performance.md")
    args = parser.parse_args()
    setup_django()
    report = run(args.scale, args.repeat)
    print(f"数据库：{report['vendor']}；造数 {report['built_s']:.1f} 秒")
    lines = lines_for(args.scale, args.repeat, report)
    print("\n".join(lines))
    if args.write:
        record(lines)


if __name__ == "__main__":
    main()
