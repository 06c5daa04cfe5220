"""Every benchmark of a province in one run: the main lists, a company's timeline, the dashboard, progress and bulletin
figures, and the ledger export, each against a minimal endpoint running hand-written SQL for the same rows.

quality.md: a list page or API list (first page, filtered page, deep page) within 3× a minimal endpoint in the same
process that runs the hand-written SQL for the same rows and encodes them as JSON; a dashboard or bulletin figure
within 2×; medians over repeated runs. This makes a fresh database (SQLite in a temporary folder, or PostgreSQL
`zs_bench`, dropped and made again), generates the province with bench.generator at --scale, then, in this one
process, logs in a city office's staff member on Django's test Client (second factor as core.testing.login_as) and
times, alternately, each of our pages and API lists against a bare view added to the URLconf here: the SQL statement
with the same WHERE / ORDER BY / LIMIT / OFFSET and the COUNT of the same rows, returned as JSON. The API lists'
ids are checked equal to the minimal endpoint's before anything is timed.

    python bench/run_all.py --scale 0.1                      # SQLite; prints the table
    python bench/run_all.py --scale 0.1 --db postgres --write
    python bench/run_all.py --scale 1.0 --db postgres --reuse --only leads problems   # keep the data, re-measure
"""

import argparse
import csv
import datetime
import io
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgres://postgres@127.0.0.1:5432/zs_bench"
YEAR = 2024
PAGE, API_PAGE = 25, 50  # core.views.ScopedListView.per_page, core.api.pagination.StandardPagination.page_size
LIST_GOAL, FIGURE_GOAL = 3.0, 2.0
SECTION = "## 全量基准（省级数据）"
SEED = 2026

# --- The minimal endpoints: one hand-written statement per list ----------------------------------------------------

SUBTREE = "(SELECT id FROM organizations_unit WHERE path LIKE %s)"
LISTS = {
    "visits": {
        "sql": "SELECT v.id, v.visit_date, u.name, c.name, ch.name, v.way, v.content FROM outreach_visit v"
        " JOIN organizations_unit u ON u.id = v.unit_id JOIN enterprises_company c ON c.id = v.company_id"
        " LEFT JOIN chains_industrychain ch ON ch.id = v.chain_id"
        f" WHERE v.unit_id IN {SUBTREE} {{where}} ORDER BY v.visit_date DESC, v.id DESC LIMIT %s OFFSET %s",
        "filter": ("v.visit_date BETWEEN %s AND %s", "date_from", "date_to"),
    },
    "leads": {
        "sql": "SELECT l.id, l.name, l.collected_date, l.status, r.name, c.name, l.estimated_amount FROM leads_lead l"
        " JOIN organizations_unit r ON r.id = l.reporting_unit_id"
        " LEFT JOIN enterprises_company c ON c.id = l.investor_id"
        f" WHERE l.owner_id IN {SUBTREE} {{where}} ORDER BY l.collected_date DESC, l.id DESC LIMIT %s OFFSET %s",
        "filter": ("l.collected_date BETWEEN %s AND %s", "date_from", "date_to"),
    },
    "projects": {
        "sql": "SELECT p.id, p.name, p.stage, p.total_investment, p.signed_on, h.name FROM projects_project p"
        " JOIN organizations_unit h ON h.id = p.host_unit_id"
        f" WHERE p.owner_id IN {SUBTREE} {{where}} ORDER BY p.id DESC LIMIT %s OFFSET %s",
        "filter": ("p.signed_on BETWEEN %s AND %s", "signed_from", "signed_to"),
    },
    "companies": {
        "sql": "SELECT c.id, c.name, c.credit_code, c.kind, c.category, c.province, c.city FROM enterprises_company c"
        f" WHERE (c.owner_id IN {SUBTREE} OR c.owner_id = %s) {{where}} ORDER BY c.name, c.id LIMIT %s OFFSET %s",
        "filter": ("c.province LIKE %s", "province", None),
    },
    "problems": {
        "sql": "SELECT p.id, p.number, p.title, p.status, p.raised_on, p.due_on, u.name FROM service_problem p"
        " LEFT JOIN organizations_unit u ON u.id = p.raised_unit_id"
        f" WHERE p.owner_id IN {SUBTREE} {{where}} ORDER BY p.raised_on DESC, p.id DESC LIMIT %s OFFSET %s",
        "filter": ("p.raised_on BETWEEN %s AND %s", "raised_from", "raised_to"),
    },
}
PAGES = {
    "visits": ("/outreach/visits/", "/api/v1/visits/"),
    "leads": ("/leads/", "/api/v1/leads/"),
    "projects": ("/projects/", "/api/v1/projects/"),
    "companies": ("/companies/", "/api/v1/companies/"),
    "problems": ("/service/", "/api/v1/problems/"),
}
LABELS = {"visits": "走访", "leads": "线索", "projects": "项目", "companies": "企业", "problems": "问题"}
CTX = {}  # the city, its path and the province's id, set once the data are made


def list_params(kind, request):
    """The statement and parameters for a list, from the same query string as ours (+ limit and offset)."""
    spec = LISTS[kind]
    params = [CTX["path"] + "%"]
    if kind == "companies":
        params.append(CTX["province_id"])
    where = ""
    clause, first, second = spec["filter"]
    if request.GET.get(first):
        where = "AND " + clause
        if second:
            params += [request.GET[first], request.GET[second]]
        else:
            params.append(request.GET[first].removesuffix("省").removesuffix("市") + "%")
    params += [int(request.GET["limit"]), int(request.GET["offset"])]
    return spec["sql"].format(where=where), params


def list_view(request, kind):
    from django.db import connection
    from django.http import JsonResponse

    sql, params = list_params(kind, request)
    with connection.cursor() as cur:
        # The total, as our pages and API show it ("共 N 条", "count"): the same FROM and WHERE, counted.
        cur.execute("SELECT COUNT(*) FROM (" + sql.split(" ORDER BY ")[0] + ") t", params[:-2])  # noqa: S608
        count = cur.fetchone()[0]
        cur.execute(sql, params)
        rows = [[str(v) if v is not None else None for v in row] for row in cur.fetchall()]
    return JsonResponse({"count": count, "results": rows})


TIMELINE_SQL = (
    "SELECT * FROM ("
    " SELECT 'visit' AS kind, v.id, v.visit_date AS day, u.name AS unit, v.content AS text FROM outreach_visit v"
    " JOIN organizations_unit u ON u.id = v.unit_id WHERE v.company_id = %s"
    " UNION ALL SELECT 'inspection', i.id, i.inspection_date, u.name, i.result FROM outreach_inspection i"
    " JOIN organizations_unit u ON u.id = i.unit_id WHERE i.company_id = %s"
    " UNION ALL SELECT 'lead', l.id, l.collected_date, u.name, l.name FROM leads_lead l"
    " JOIN organizations_unit u ON u.id = l.reporting_unit_id WHERE l.investor_id = %s"
    " UNION ALL SELECT 'project', p.id, COALESCE(p.signed_on, p.first_contact_on), u.name, p.name"
    " FROM projects_project p JOIN projects_project_investors pi ON pi.project_id = p.id"
    " JOIN organizations_unit u ON u.id = p.host_unit_id WHERE pi.company_id = %s"
    " UNION ALL SELECT 'problem', s.id, s.raised_on, '', s.title FROM service_problem s WHERE s.company_id = %s"
    ") t ORDER BY day DESC, id DESC LIMIT 50"
)
TOUCHES_SQL = (
    "SELECT unit, MAX(day), COUNT(*) FROM ("
    " SELECT u.name AS unit, v.visit_date AS day FROM outreach_visit v JOIN organizations_unit u ON u.id = v.unit_id"
    " WHERE v.company_id = %s UNION ALL SELECT u.name, i.inspection_date FROM outreach_inspection i"
    " JOIN organizations_unit u ON u.id = i.unit_id WHERE i.company_id = %s"
    " UNION ALL SELECT u.name, l.collected_date FROM leads_lead l JOIN organizations_unit u"
    " ON u.id = l.reporting_unit_id WHERE l.investor_id = %s) t GROUP BY unit ORDER BY 2 DESC"
)


def timeline_view(request, pk):
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cur:
        cur.execute(
            "SELECT id, name, credit_code, province, city, address FROM enterprises_company WHERE id = %s", [pk]
        )
        company = [str(v) for v in cur.fetchone()]
        cur.execute(TIMELINE_SQL, [pk] * 5)
        entries = [[str(v) for v in row] for row in cur.fetchall()]
        cur.execute(TOUCHES_SQL, [pk] * 3)
        touches = [[str(v) for v in row] for row in cur.fetchall()]
    return JsonResponse({"company": company, "entries": entries, "touches": touches})


EXPORT_SQL = (
    "SELECT v.visit_date, u.name, v.visitor_names, c.name, c.credit_code, c.province, ch.name, c.category,"
    " v.contact_name, v.contact_title, v.contact_phone, v.way, v.content, v.intention, v.next_step, v.remarks"
    " FROM outreach_visit v JOIN organizations_unit u ON u.id = v.unit_id"
    " JOIN enterprises_company c ON c.id = v.company_id LEFT JOIN chains_industrychain ch ON ch.id = v.chain_id"
    f" WHERE v.unit_id IN {SUBTREE} ORDER BY v.visit_date, v.id"
)


def export_view(request, pk):
    from django.db import connection
    from django.http import HttpResponse

    with connection.cursor() as cur:
        cur.execute("SELECT path FROM organizations_unit WHERE id = %s", [pk])
        path = cur.fetchone()[0]
        cur.execute(EXPORT_SQL, [path + "%"])
        out = io.StringIO()
        writer = csv.writer(out)
        for row in cur:
            writer.writerow(row)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="visits.csv"'
    return response


def dashboard_view(request):
    from django.http import JsonResponse

    from bench import dashboard

    d = datetime.date.fromisoformat
    figures = dashboard.sql_figures(
        int(request.GET["unit"]), d(request.GET["start"]), d(request.GET["end"]), d(request.GET["today"])
    )
    return JsonResponse(figures)


def urlpatterns_with_bench():
    from django.urls import include, path

    return [
        path("bench/list/<str:kind>/", list_view),
        path("bench/timeline/<int:pk>/", timeline_view),
        path("bench/export/<int:pk>/", export_view),
        path("bench/dashboard/", dashboard_view),
        path("", include("config.urls")),
    ]


urlpatterns = []  # filled once Django is set up (ROOT_URLCONF points at this module while measuring)


# --- Measuring ---------------------------------------------------------------------------------------------------


def fresh_database(db, scale, reuse=False):
    """Point Django at the bench database; drop and make it again unless `reuse` keeps one of this scale.

    With `reuse`, the database is named after the scale (PostgreSQL `zs_bench_1_0`, SQLite in
    /tmp/zs-bench-1.0/) and kept, so that measuring again after a change skips the minutes of generating.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if db == "postgres":
        import psycopg

        url = PG_URL + (f"_{scale}".replace(".", "_") if reuse else "")
        os.environ["DATABASE_URL"] = url
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not (reuse and exists):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
    else:
        os.environ.pop("DATABASE_URL", None)
        if reuse:
            folder = Path(tempfile.gettempdir()) / f"zs-bench-{scale}"
            folder.mkdir(exist_ok=True)
            os.environ["ZS_DATA_DIR"] = str(folder)
        else:
            os.environ["ZS_DATA_DIR"] = tempfile.mkdtemp(prefix="zs-bench-all-")


def timed(client, url, check=200):
    t = time.perf_counter()
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    else:
        response.content  # noqa: B018 -- read the whole body, as a client would
    elapsed = time.perf_counter() - t
    assert response.status_code == check, (url, response.status_code)
    return elapsed


def compare(client, ours_url, sql_url, repeat, before=None):
    """Medians of `repeat` alternate runs after one warm-up each, and our side's query count."""
    from django.db import connection

    if before:
        before()
    timed(client, ours_url)
    timed(client, sql_url)
    seen = []
    if before:
        before()
    with connection.execute_wrapper(lambda execute, sql, *args: seen.append(sql) or execute(sql, *args)):
        timed(client, ours_url)
    ours, minimal = [], []
    for n in range(repeat):
        for which in ("ours", "sql") if n % 2 == 0 else ("sql", "ours"):
            if which == "ours":
                if before:
                    before()
                ours.append(timed(client, ours_url))
            else:
                minimal.append(timed(client, sql_url))
    return {"ours": statistics.median(ours), "sql": statistics.median(minimal), "queries": len(seen)}


def compare_calls(ours, raw, repeat):
    """As `compare`, for two functions (the figures bench/monthly.py measures)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ours()
    raw()
    with CaptureQueriesContext(connection) as ctx:
        ours()
    a, b = [], []
    for n in range(repeat):
        for which in (ours, raw) if n % 2 == 0 else (raw, ours):
            t = time.perf_counter()
            which()
            (a if which is ours else b).append(time.perf_counter() - t)
    return {"ours": statistics.median(a), "sql": statistics.median(b), "queries": len(ctx.captured_queries)}


def measure(scale, repeat, only=None):  # noqa: C901, PLR0915 -- one straight run through every benchmark
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from bench.generator import generate
    from core.testing import login_as
    from organizations.models import Membership, Unit

    global urlpatterns  # noqa: PLW0603 -- the bench's own URLconf, made after django.setup()
    urlpatterns = urlpatterns_with_bench()
    call_command("migrate", verbosity=0)
    built_s = None  # a kept database (--reuse) was generated by an earlier run
    if not Unit.objects.exists():
        t0 = time.perf_counter()
        generate(scale=scale, seed=SEED)
        built_s = time.perf_counter() - t0
    counts = {}
    with connection.cursor() as cur:
        for table in ("enterprises_company", "outreach_visit", "leads_lead", "projects_project", "service_problem"):
            cur.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 -- table names are constants
            counts[table] = cur.fetchone()[0]
        # As the database stands in use, autovacuum having run: statistics, and the visibility map that lets
        # counts read an index alone.
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    membership = (
        Membership.objects.filter(role="office_staff", unit__kind="city").select_related("user", "unit").order_by("id")
    ).first()
    user, city = membership.user, membership.unit
    CTX.update(path=city.path, province_id=city.parent_id, city=city)
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    # The generated people never signed in: as if this one had just set a password, so the gate lets it through.
    user.password_changed_at, user.must_change_password = timezone.now(), False
    user.save(update_fields=["password_changed_at", "must_change_password"])
    client = login_as(Client(), user)
    token, _ = Token.objects.get_or_create(user=user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")  # the API takes tokens, as integrators call it
    rows = []

    def row(group, name, result, goal, note=""):
        result.update(group=group, name=name, goal=goal, note=note)
        rows.append(result)
        print(
            f"{name}: ours {result['ours'] * 1000:.1f} ms ({result['queries']} q), sql {result['sql'] * 1000:.1f} ms,"
            f" {result['ours'] / result['sql']:.2f}×",
            file=sys.stderr,
        )

    start, end = f"{YEAR}-01-01", f"{YEAR}-12-31"
    with override_settings(ROOT_URLCONF="__main__", ALLOWED_HOSTS=["*"], DEBUG=False):
        # --- Lists ---
        for kind, (page_url, api_url) in PAGES.items():
            if only and kind not in only:
                continue
            first, second = LISTS[kind]["filter"][1:]
            filtered = f"{first}={'浙江省' if kind == 'companies' else start}" + (f"&{second}={end}" if second else "")
            for case, query in (("首页", ""), ("筛选", filtered), ("末页", "")):
                total = api.get(f"{api_url}?{query}").json()["count"]
                for side, base, size, who in (("页面", page_url, PAGE, client), ("API", api_url, API_PAGE, api)):
                    page = max(1, math.ceil(total / size)) if case == "末页" else 1
                    offset = (page - 1) * size
                    extra = f"&page_size={size}" if side == "API" else ""
                    ours_url = f"{base}?{query}&page={page}{extra}"
                    sql_url = f"/bench/list/{kind}/?{query}&limit={size}&offset={offset}"
                    note = ""
                    if side == "API":
                        mine = [r["id"] for r in api.get(ours_url).json()["results"]]
                        theirs = [int(r[0]) for r in api.get(sql_url).json()["results"]]
                        note = "" if mine == theirs else "行不一致"
                        if note:
                            print(f"{kind} {case}: ids differ {mine[:5]} vs {theirs[:5]}", file=sys.stderr)
                    name = f"{LABELS[kind]}列表 {side} {case}（第 {page} 页，共 {total:,} 条）"
                    row("列表", name, compare(who, ours_url, sql_url, repeat), LIST_GOAL, note)
        if only and "others" not in only:
            print(
                json.dumps(
                    {"vendor": connection.vendor, "scale": scale, "counts": counts, "built_s": built_s, "rows": rows}
                )
            )
            return
        # --- A company's timeline: the company of the city with the most visits ---
        with connection.cursor() as cur:
            cur.execute(
                "SELECT v.company_id FROM outreach_visit v JOIN enterprises_company c ON c.id = v.company_id"
                " WHERE c.owner_id = %s GROUP BY v.company_id ORDER BY COUNT(*) DESC, v.company_id LIMIT 1",
                [city.pk],
            )
            company = cur.fetchone()[0]
        row(
            "时间线",
            "企业页与时间线",
            compare(client, f"/companies/{company}/", f"/bench/timeline/{company}/", repeat),
            LIST_GOAL,
        )
        # --- The dashboard (bench/dashboard.py's minimal endpoint, if its figures agree on these data) ---
        from bench import dashboard

        today = datetime.date.today()
        query = f"unit={city.pk}&start={start}&end={end}"
        cache.clear()
        try:
            dashboard.check(
                api.get(f"/api/v1/dashboard/?{query}").json(),
                api.get(f"/bench/dashboard/?{query}&today={today}").json(),
            )
        except (AssertionError, KeyError, TypeError) as exc:
            print(f"dashboard skipped: the figures differ on the generated data ({exc!r:.300})", file=sys.stderr)
            rows.append({"group": "驾驶舱", "name": f"领导驾驶舱（一市 {YEAR} 年）", "skipped": "dashboard.py"})
        else:
            row(
                "驾驶舱",
                f"领导驾驶舱（一市 {YEAR} 年，缓存清空）",
                compare(
                    api,
                    f"/api/v1/dashboard/?{query}",
                    f"/bench/dashboard/?{query}&today={today}",
                    repeat,
                    before=cache.clear,
                ),
                FIGURE_GOAL,
            )
        # --- Monthly progress and bulletin (bench/monthly.py's functions, on the generated targets' year) ---
        from bench import monthly
        from bench.generator import TARGET_YEAR

        monthly.MONTH = (datetime.date(TARGET_YEAR, 5, 1), datetime.date(TARGET_YEAR, 5, 31))
        for name, ours, raw in (
            (
                f"目标进度（全市，{TARGET_YEAR}年5月）",
                lambda: monthly.ours_progress(city),
                lambda: monthly.raw_progress(city, connection),
            ),
            (
                f"月度通报数字（{TARGET_YEAR}年5月）",
                lambda: monthly.ours_bulletin(city, TARGET_YEAR, 5),
                lambda: monthly.raw_bulletin(city, TARGET_YEAR, 5, connection),
            ),
        ):
            try:
                assert json.loads(ours()) == json.loads(raw())
            except Exception as exc:  # noqa: BLE001 -- any mismatch or builder assumption: skip, say why
                print(f"{name} skipped: {exc!r:.300}", file=sys.stderr)
                rows.append({"group": "月度", "name": name, "skipped": "monthly.py"})
            else:
                row("月度", name, compare_calls(ours, raw, repeat), FIGURE_GOAL)
        # --- The ledger export of one team's visits: ours (.xlsx) against a raw-SQL CSV of the same rows ---
        team = Unit.objects.filter(kind="team", path__startswith=city.path).order_by("path").first()
        n_team = connection.cursor()
        n_team.execute(f"SELECT COUNT(*) FROM outreach_visit WHERE unit_id IN {SUBTREE}", [team.path + "%"])  # noqa: S608
        exported = n_team.fetchone()[0]
        row(
            "导出",
            f"走访台账导出（{team.name}，{exported:,} 行；本系统 .xlsx，对照 CSV）",
            compare(client, f"/exports/visits/?org={team.pk}", f"/bench/export/{team.pk}/", max(3, repeat // 2)),
            None,
        )
    print(json.dumps({"vendor": connection.vendor, "scale": scale, "counts": counts, "built_s": built_s, "rows": rows}))


# --- The report --------------------------------------------------------------------------------------------------


def table(result, repeat):
    lines = [
        "| 组 | 指标 | 本系统（中位数） | 手写 SQL（中位数） | 比值 | 目标 | 结论 |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in result["rows"]:
        if "skipped" in r:
            lines.append(
                f"| {r['group']} | {r['name']} | — | — | — | ≤ 2× "
                f"| 生成的数据与该脚本的构造不兼容，见 `bench/{r['skipped']}` 一节 |"
            )
            continue
        ratio = r["ours"] / r["sql"]
        goal = f"≤ {r['goal']:.0f}×" if r["goal"] else "—（参考）"
        verdict = "—" if not r["goal"] else ("达标" if ratio <= r["goal"] else "未达标")
        if r.get("note"):
            verdict += f"（{r['note']}）"
        lines.append(
            f"| {r['group']} | {r['name']} | {r['ours'] * 1000:,.1f} ms（{r['queries']} 次查询） "
            f"| {r['sql'] * 1000:,.1f} ms | {ratio:.2f}× | {goal} | {verdict} |"
        )
    return "\n".join(lines)


def heading(result, repeat):
    c = result["counts"]
    built = "沿用先前生成的库" if result["built_s"] is None else f"生成用时 {result['built_s']:.0f} 秒"
    return (
        f"### {datetime.date.today()} · {result['vendor']} · 倍数 {result['scale']} · "
        f"{platform.machine()}, {os.cpu_count()} 核, Python {platform.python_version()}\n\n"
        f"数据：11 市，企业 {c['enterprises_company']:,}，走访 {c['outreach_visit']:,}，线索 {c['leads_lead']:,}，"
        f"项目 {c['projects_project']:,}，问题 {c['service_problem']:,}（`generate_province --scale {result['scale']}"
        f" --seed {SEED}`，{built}）；每项 {repeat} 次取中位数（先各预热一次），两侧交替。"
    )


INTRO = f"""{SECTION}

`python bench/run_all.py --scale S [--db sqlite|postgres] [--write] [--reuse]` makes a fresh database (SQLite in
a temporary folder, or PostgreSQL `zs_bench`, dropped and made again; with `--reuse`, one kept per scale), generates
the province with `bench/generator.py` (`generate_province --scale S --seed {SEED}`), and in one process, logged in
as a city office's staff member (Django's test Client, second factor as `core.testing.login_as`), times each of our
pages and API lists against a minimal endpoint added to the URLconf in the same process: a bare view running the
hand-written statement with the same WHERE (the office's scope: its city's subtree), ORDER BY, LIMIT and OFFSET,
and the COUNT of the same FROM and WHERE (our pages show "共 N 条" and the API its "count"), and returning both as
JSON. The database is as in use: on PostgreSQL `VACUUM ANALYZE` after generating (what autovacuum does), on SQLite
`ANALYZE`. Each list is timed on its first page, a filtered page ({YEAR}'s records by date; companies by investor's
province) and its last page (the deepest one), the pages at {PAGE} rows, the API at {API_PAGE}; the API's ids are
checked equal to the minimal endpoint's. Also a company's page with its timeline (the city's most visited company)
against a UNION of its records and the units in touch; the dashboard with `bench/dashboard.py`'s hand-written
figures; target progress and the bulletin's figures with `bench/monthly.py`'s (when their figures agree on the
generated data; otherwise the row says so and those scripts' own sections above hold the figures); and one team's
《走访企业台账》 export (.xlsx) against a raw CSV dump of the same rows (no goal in quality.md: for reference).
"次查询" is our side's query count.

<!-- run-all-results -->
"""


def record(block):
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text(encoding="utf-8")  # re-read right before writing: others edit this file too
    marker = "<!-- run-all-results -->"
    if marker not in text:
        text = text.rstrip("\n") + "\n\n" + INTRO
    text = text.replace(marker, f"{marker}\n\n{block}\n", 1)
    doc.write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1, help="1: a province (10⁶ visits …)")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each side; medians are reported")
    parser.add_argument("--write", action="store_true", help="add the table to docs/performance.md")
    parser.add_argument("--reuse", action="store_true", help="keep the generated database for the next run")
    parser.add_argument("--only", nargs="*", help=f"just these lists ({', '.join(PAGES)}), and 'others'")
    args = parser.parse_args()
    fresh_database(args.db, args.scale, args.reuse)
    out = io.StringIO()
    real = sys.stdout
    sys.stdout = out
    try:
        measure(args.scale, args.repeat, args.only)
    finally:
        sys.stdout = real
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    block = heading(result, args.repeat) + "\n\n" + table(result, args.repeat)
    print(block)
    if args.write:
        record(block)


if __name__ == "__main__":
    main()
