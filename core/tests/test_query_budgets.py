"""Query budgets for every list page, detail page, dashboard and API list of the project (issue 9, item 3).

One table, `BUDGETS`, names each such route with how to build its URL and who asks for it. The records are
those of core/tests/budget_world.py, grown twice in one module-scoped load: first 2 of every kind (and 2
children under each detail page's subject), then 6 more. Every route is asked at both sizes and must run the
same number of queries; a list must also run the same number whatever its page size (?per_page= for the
pages, ?page_size= for the API), and must show more rows at the larger size (else the check proved nothing).

`test_every_route_has_a_budget_or_a_reason` walks the whole URL tree: a route that is neither in `BUDGETS`
nor in `NOT_LISTS` (forms, actions, downloads, exports, log-in…, each group with its reason) fails, so a
list added later without a budget fails here.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.testing import api_client_for, login_as

from .budget_world import World, grow

pytestmark = pytest.mark.django_db

FEW, MORE = 2, 6  # records of each kind at the first size; added for the second (2 → 8)
YEAR = "start=2024-01-01&end=2024-12-31"
MONTH = "month=2024-05"


@dataclass(frozen=True)
class Budget:
    """One route under a budget: `url(world)` asked by `persona` (a persona of the Org, an attribute of it such
    as `verifier`, or a person among the world's subjects)."""

    route: str
    url: Callable
    persona: str = "office"
    kind: str = "list"  # list | detail | dashboard
    api: bool = False
    # The query parameter that sets a list's page size, when it has one (django-tables2 pages, DRF lists).
    page_size: str | None = None
    # Whether the list must show more rows at the larger size (False for fixed sets such as the city's pools,
    # and for lists whose response does not say its row count).
    grows: bool = True
    # Queries the larger size may run beyond the smaller, with the reason (a constant, not per row).
    slack: int = 0
    # Queries one page size may run beyond another, with the reason (a constant, not per row).
    page_slack: int = 0


def _r(name, *args, query=""):
    def build(w):
        values = [w[a].pk if isinstance(a, str) else a(w) for a in args]
        url = reverse(name, args=values)
        asked = query(w) if callable(query) else query
        return f"{url}?{asked}" if asked else url

    return build


def page(route, *args, query="", persona="office", kind="list", page_size="per_page", **kw):
    return Budget(route, _r(route, *args, query=query), persona, kind, page_size=page_size, **kw)


def detail(route, *subject, query="", persona="office", **kw):
    return Budget(route, _r(route, *subject, query=query), persona, "detail", page_size=None, grows=False, **kw)


def board(route, *args, query="", persona="office", **kw):
    return Budget(route, _r(route, *args, query=query), persona, "dashboard", page_size=None, grows=False, **kw)


def api(route, *args, query="", persona="office", kind="list", **kw):
    kw.setdefault("page_size", "page_size" if kind == "list" else None)
    kw.setdefault("grows", kind == "list")
    return Budget(route, _r(route, *args, query=query), persona, kind, api=True, **kw)


def api_detail(route, *subject, query="", persona="office", **kw):
    return api(route, *subject, query=query, persona=persona, kind="detail", **kw)


def api_board(route, *args, query="", persona="office", **kw):
    return api(route, *args, query=query, persona=persona, kind="dashboard", **kw)


def _first_pool(w):
    from leads.models import LeadPool

    return LeadPool.objects.filter(owner=w.org.city).order_by("pk").first().pk


BUDGETS = [
    # --- core ------------------------------------------------------------------------------------------
    board("core:home"),
    page("core:audit_list", persona="auditadmin"),
    detail("core:audit_detail", "audit", persona="auditadmin"),
    detail("core:import_preview", "import_job"),
    board("accounts:profile", persona="person"),  # the person's roles, grown by one per record
    page("core:workdays", persona="sysadmin", page_size=None),
    # --- organizations -----------------------------------------------------------------------------------
    board("organizations:unit_tree", persona="sysadmin"),
    page("organizations:unit_list", persona="sysadmin"),
    detail("organizations:unit_detail", lambda w: w.org.city.pk, persona="sysadmin"),
    page("organizations:person_list", persona="sysadmin"),
    detail("organizations:person_detail", "person", persona="sysadmin"),
    api("organizations_api:unit-list", persona="sysadmin"),
    api_detail("organizations_api:unit-detail", lambda w: w.org.city.pk, persona="sysadmin"),
    api("organizations_api:person-list", persona="sysadmin"),
    api_detail("organizations_api:person-detail", "person", persona="sysadmin"),
    # --- chains ----------------------------------------------------------------------------------------
    page("chains:chain_list"),
    detail("chains:chain_detail", "chain"),
    page("chains:chain_gaps", "chain"),
    page("chains:promotion_list"),
    page("chains:segment_companies", "segment"),
    page("chains:cluster_list"),
    page("chains:leader_company_options", "chain", query="q=企业", page_size=None, grows=False),
    api("chains_api:cluster-list"),
    api_detail("chains_api:cluster-detail", "cluster"),
    api("chains_api:chain-list"),
    api_board("chains_api:chain-six-ones-overview"),
    api_detail("chains_api:chain-detail", "chain"),
    api("chains_api:chain-gaps", "chain"),
    api_board("chains_api:chain-map-data", "chain"),
    api_detail("chains_api:chain-six-ones", "chain"),
    api("chains_api:chain-segment-list"),
    api_detail("chains_api:chain-segment-detail", "segment"),
    # --- enterprises -------------------------------------------------------------------------------------
    page("enterprises:company_list"),
    page("enterprises:company_check", query="name=预算增长企业", page_size=None, grows=False),
    page("enterprises:company_suggest", query="q=企业", page_size=None, grows=False),
    detail("enterprises:company_detail", "company"),
    api("enterprises_api:company-list"),
    api("enterprises_api:company-match", query="name=预算增长企业", grows=False, page_size=None),
    api_detail("enterprises_api:company-detail", "company"),
    api("enterprises_api:contact-list"),
    api_detail("enterprises_api:contact-detail", "contact"),
    # --- outreach ----------------------------------------------------------------------------------------
    page("outreach:visit_list"),
    detail("outreach:visit_detail", "visit"),
    page("outreach:inspection_list"),
    detail("outreach:inspection_detail", "inspection"),
    page("outreach:event_list"),
    detail("outreach:event_detail", "event"),
    page("outreach:trip_list"),
    detail("outreach:trip_detail", "trip"),
    page("outreach:stationing_list"),
    detail("outreach:stationing_detail", "stationing"),
    api("outreach_api:visit-list"),
    api_detail("outreach_api:visit-detail", "visit"),
    api("outreach_api:inspection-list"),
    api_detail("outreach_api:inspection-detail", "inspection"),
    api("outreach_api:promotion-event-list"),
    api_detail("outreach_api:promotion-event-detail", "event"),
    api("outreach_api:outbound-trip-list"),
    api_detail("outreach_api:outbound-trip-detail", "trip"),
    api("outreach_api:stationing-list"),
    api_detail("outreach_api:stationing-detail", "stationing"),
    # --- leads -------------------------------------------------------------------------------------------
    page("leads:lead_list"),
    page("leads:assessment_queue"),
    page("leads:incoming", persona="county"),
    page("leads:team_leads", persona="team_leader"),
    detail("leads:lead_detail", "lead"),
    board("leads:settings"),
    api_detail("leads_api:lead-settings"),
    api("leads_api:lead-list"),
    api("leads_api:lead-assessment-queue"),
    api("leads_api:lead-incoming", persona="county"),
    api("leads_api:lead-team", persona="team_leader"),
    api_detail("leads_api:lead-detail", "lead"),
    api("leads_api:lead-conflict-list"),
    api_detail("leads_api:lead-conflict-detail", "conflict"),
    api("leads_api:lead-pool-list", grows=False),  # the city's pools: a fixed set, not grown
    api_detail("leads_api:lead-pool-detail", _first_pool),
    api("leads_api:negative-list-list"),
    api_detail("leads_api:negative-list-detail", "negative"),
    # --- projects ----------------------------------------------------------------------------------------
    page("projects:project_list"),
    page("projects:verify_queue", persona="verifier", page_size=None),
    page("projects:dispatch", page_size=None),
    board("projects:library"),
    page("projects:round_list"),
    board("projects:round_rates", query=YEAR),
    detail("projects:round_detail", "round"),
    detail("projects:project_detail", "project"),
    api_detail("projects_api:project-settings"),
    api("projects_api:project-list"),
    api_detail("projects_api:project-detail", "project"),
    api("projects_api:stage-change-list"),
    api_detail("projects_api:stage-change-detail", "stage_change"),
    api("projects_api:project-round-list"),
    api_board("projects_api:project-round-period-rates", query=YEAR),
    api_detail("projects_api:project-round-detail", "round"),
    api_board("projects_api:project-round-rates", "round"),
    # --- targets -----------------------------------------------------------------------------------------
    # A page of targets counts progress with one aggregate query per indicator on it (two for the project
    # indicators, which read the city's minimum amount too): a page of 2 here holds one of the two indicators
    # the records use, a longer page both — a constant bounded by the indicators, not by the rows.
    page("targets:target_list", page_slack=2),
    board("targets:unit_progress", query=lambda w: f"{YEAR}&unit={w.org.team.pk}"),
    board("targets:city_progress", query=MONTH),
    api("targets_api:target-list", page_slack=2),  # as targets:target_list
    api_detail("targets_api:target-detail", "target"),
    api_board("targets_api:city-progress", query=MONTH),
    # --- bulletins ---------------------------------------------------------------------------------------
    page("bulletins:bulletin_list"),
    detail("bulletins:bulletin_detail", "bulletin"),
    api("bulletins_api:bulletin-list"),
    api_detail("bulletins_api:bulletin-detail", "bulletin"),
    # --- reports -----------------------------------------------------------------------------------------
    page("reports:report_list"),
    page("reports:missing", page_size=None),
    detail("reports:report_detail", "report"),
    api("reports_api:team-report-list"),
    api("reports_api:team-report-missing"),
    api_detail("reports_api:team-report-detail", "report"),
    # --- reminders ---------------------------------------------------------------------------------------
    page("reminders:notification_list"),
    page("reminders:channel_list"),
    api("reminders_api:notification-list"),
    api_detail("reminders_api:notification-detail", "notification"),
    api("reminders_api:notification-channel-list"),
    api_detail("reminders_api:notification-channel-detail", "channel"),
    # --- assessment --------------------------------------------------------------------------------------
    page("assessment:scheme_list"),
    # The live results of a period not locked (a locked one shows the scores as they were frozen).
    board("assessment:results", "scheme", query=MONTH),
    board("assessment:results", "county_scheme", query=MONTH),
    board("assessment:results", "scheme", query=YEAR, persona="leader"),  # the locked year
    api("assessment_api:scheme-list"),
    api_detail("assessment_api:scheme-detail", "scheme"),
    api_board("assessment_api:scheme-results", "scheme", query=MONTH),
    api("assessment_api:lock-list"),
    api_detail("assessment_api:lock-detail", "lock"),
    # --- dashboards --------------------------------------------------------------------------------------
    board("dashboards:dashboard", query=YEAR),
    board("dashboards:dashboard", query=YEAR, persona="leader"),
    board("dashboards:print", query=YEAR),
    api_board("dashboards_api:dashboard", query=YEAR),
    # --- service -----------------------------------------------------------------------------------------
    page("service:problem_list"),
    page("service:inbox", persona="department"),
    page("service:supervision"),
    board("service:figures", query=YEAR),
    board("service:dispatch_agenda"),
    page("service:categories", page_size=None, grows=False),  # the city's categories: a fixed set
    page("service:meeting_list"),
    detail("service:meeting_detail", "meeting"),
    detail("service:problem_detail", "problem"),
    api("service_api:problem-list"),
    api_detail("service_api:problem-detail", "problem"),
    api_board("service_api:problem-figures-list", query=YEAR),
    api("service_api:meeting-list"),
    api_detail("service_api:meeting-detail", "meeting"),
    api("service_api:problem-category-list", grows=False),  # a fixed set
    api_detail("service_api:problem-category-detail", lambda w: w["problem"].category_id),
]


# --- Routes that are not lists, detail pages or dashboards ---------------------------------------------------
# Only routes that answer GET need a place here: a route that only takes POST (or PATCH/DELETE) is an action by
# construction and is left out mechanically (`_answers_get`). Each group says why its routes have no budget.
NOT_LISTS = {
    # Forms: a GET shows an empty or filled-in form of one record (a fixed number of queries, no rows); the
    # pages they save into are budgeted above.
    "forms": [
        "core:workday_edit",
        "accounts:password_change",
        "accounts:otp_setup",
        "accounts:otp_verify",
        "organizations:unit_create",
        "organizations:unit_edit",
        "organizations:unit_move",
        "organizations:person_create",
        "organizations:person_edit",
        "organizations:person_assign_role",
        "chains:chain_create",
        "chains:chain_edit",
        "chains:promotion_edit",
        "chains:policy_add",
        "chains:segment_add",
        "chains:leader_add",
        "chains:segment_edit",
        "chains:cluster_create",
        "chains:cluster_edit",
        "enterprises:company_create",
        "enterprises:company_edit",
        "enterprises:company_merge",
        "enterprises:contact_add",
        "enterprises:contact_edit",
        "outreach:visit_create",
        "outreach:visit_edit",
        "outreach:inspection_create",
        "outreach:inspection_edit",
        "outreach:event_create",
        "outreach:event_edit",
        "outreach:trip_create",
        "outreach:trip_edit",
        "outreach:stationing_create",
        "outreach:stationing_edit",
        "leads:lead_create",
        "leads:lead_edit",
        "leads:negative_edit",
        "projects:project_create",
        "projects:project_from_lead",
        "projects:settings",
        "projects:round_create",
        "projects:project_edit",
        "projects:assignment",
        "projects:duties",
        "targets:target_create",
        "targets:apply_template",
        "targets:target_edit",
        "bulletins:bulletin_create",
        "reports:report_create",
        "reports:report_edit",
        "reminders:channel_create",
        "reminders:channel_edit",
        "assessment:scheme_create",
        "assessment:scheme_edit",
        "service:problem_create",
        "service:category_edit",
        "service:meeting_create",
    ],
    # Confirmation pages of one action on one record (delete, deactivate, return…): a form with a button.
    "confirmations": [
        "organizations:unit_deactivate",
        "organizations:unit_activate",
        "organizations:person_deactivate",
        "organizations:person_activate",
        "organizations:person_reset_password",
        "organizations:membership_revoke",
        "chains:policy_remove",
        "chains:leader_remove",
        "chains:segment_remove",
        "outreach:visit_delete",
        "outreach:inspection_delete",
        "outreach:event_delete",
        "outreach:trip_delete",
        "outreach:stationing_delete",
        "targets:target_delete",
        "bulletins:bulletin_publish",
        "bulletins:bulletin_delete",
        "assessment:scheme_delete",
    ],
    # Files: uploads, downloads and exports stream a file (the ledgers' exports are measured by bench/, not
    # by page queries); the import's upload form and its rejected rows' workbook.
    "files": [
        "core:import_upload",
        "core:import_rejected",
        "core:export_ledger",
        "core:attachment",
        "bulletins:bulletin_download",
        "bulletins_api:bulletin-download",
        "assessment:export",
        "dashboards:export",
    ],
    # Signing in and out, the public complaint form (no user, no list), the language switch, the API's schema.
    "session and public": [
        "accounts:login",
        "complaint:file",
        "complaint:done",
        "complaint:status",
        "set_language",
        "api-schema",
        "api-docs",
    ],
}


# --- Walking the URL tree -------------------------------------------------------------------------------------


def _answers_get(callback):
    actions = getattr(callback, "actions", None)  # a DRF router route: {method: action}
    if actions is not None:
        return "get" in actions
    view = getattr(callback, "view_class", None)
    if view is not None:
        return "get" in view.http_method_names and hasattr(view, "get")
    return True  # a function view: assume it answers GET, so it must be listed


def every_route(patterns=None, namespace=""):
    """(name, answers GET) of every named route of the project, includes walked."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from every_route(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name or ""
            yield name, _answers_get(entry.callback)


# --- Measuring ------------------------------------------------------------------------------------------------


def _user(w, persona):
    org = w.org
    if persona in org.people:
        return org[persona]
    return getattr(org, persona, None) or w[persona]


def _ask(client, url):
    """The response and the number of queries of one request, after a first one (not counted) has warmed the
    process-wide caches (content types, translations); the app's own cache is emptied before each, so a cached
    dashboard is measured computing, at both sizes alike."""
    cache.clear()
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries.captured_queries]


def _rows(response, budget):
    """(rows the list holds in all, rows on this page), each None where the response does not say."""
    if budget.api:
        data = response.json()
        if isinstance(data, dict) and "count" in data:
            return data["count"], len(data["results"])
        return (len(data), len(data)) if isinstance(data, list) else (None, None)
    context = response.context or {}
    table = context.get("table")
    if table is not None and getattr(table, "page", None) is not None:
        return table.page.paginator.count, len(table.page.object_list)
    for key in ("page", "page_obj"):
        found = context.get(key)
        if found is not None and hasattr(found, "paginator"):
            return found.paginator.count, len(found.object_list)
    return None, None


def _with(url, param, value):
    return f"{url}{'&' if '?' in url else '?'}{param}={value}"


@dataclass
class Measure:
    url: str
    status: int
    queries: list
    rows: int | None
    shown: int | None = None
    error: str = ""


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every budget measured at both sizes (and, at the larger, at two page sizes), in one load of the
    records rolled back at the end of the module."""
    from django.db import transaction
    from django.test import override_settings

    from core.testing import Org

    results = {}
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = World(Org())
            clients = {}

            def client_for(budget):
                key = (budget.persona, budget.api)
                if key not in clients:
                    user = _user(world, budget.persona)
                    clients[key] = api_client_for(user) if budget.api else login_as(Client(), user)
                return clients[key]

            def run(stage, page_size=None):
                for i, budget in enumerate(BUDGETS):
                    if page_size and not budget.page_size:
                        continue
                    url = budget.url(world)
                    if page_size:
                        url = _with(url, budget.page_size, page_size)
                    try:
                        response, queries = _ask(client_for(budget), url)
                    except Exception as exc:  # the page fails: its own test says so, the others still run
                        results[(i, stage)] = Measure(url, 500, [], None, None, f"{type(exc).__name__}: {exc}")
                        continue
                    rows, shown = _rows(response, budget) if response.status_code == 200 else (None, None)
                    results[(i, stage)] = Measure(url, response.status_code, queries, rows, shown)

            grow(world, "a", FEW)
            run("few")
            grow(world, "b", MORE)
            run("many")
            run("small page", 2)
            run("large page", 100)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
    return results


def _diff(few, many):
    """The queries the larger size ran beyond the smaller, for the failure message."""
    import difflib

    lines = difflib.unified_diff(few, many, "smaller", "larger", n=0, lineterm="")
    return "\n".join(line[:300] for line in list(lines)[:40])


def _id(budget):
    return f"{budget.route}[{budget.persona}]"


@pytest.mark.parametrize("index", range(len(BUDGETS)), ids=[_id(b) for b in BUDGETS])
def test_queries_do_not_grow_with_the_data_or_the_page_size(measured, index):
    budget = BUDGETS[index]
    few, many = measured[(index, "few")], measured[(index, "many")]
    for m in (few, many):
        assert m.status == 200, f"{budget.route}: GET {m.url} as {budget.persona} gave {m.status}, not 200 {m.error}"
    grown = len(many.queries) - len(few.queries)
    assert grown == 0 or 0 < grown <= budget.slack, (
        f"{budget.route} ({many.url} as {budget.persona}): {len(few.queries)} queries with {FEW} records of each "
        f"kind, {len(many.queries)} with {FEW + MORE} — the count grows with the data (N+1):\n"
        + _diff(few.queries, many.queries)
    )
    if budget.grows:
        assert few.rows is not None and many.rows is not None, f"{budget.route}: the response does not say its rows"
        assert many.rows > few.rows, (
            f"{budget.route} ({many.url} as {budget.persona}): {few.rows} rows, then {many.rows}: "
            "the records grown are not shown, so the budget proves nothing"
        )
    if budget.page_size:
        small, large = measured[(index, "small page")], measured[(index, "large page")]
        for m in (small, large):
            assert m.status == 200, f"{budget.route}: GET {m.url} gave {m.status}"
        assert small.shown is not None and small.shown <= 2 < large.shown, (
            f"{budget.route}: {small.shown} rows shown with {budget.page_size}=2, {large.shown} with 100 "
            f"(of {many.rows}): the page size is not what was asked, so the check proves nothing"
        )
        sizes = {len(small.queries), len(large.queries), len(many.queries)}
        assert max(sizes) - min(sizes) <= budget.page_slack, (
            f"{budget.route}: {len(small.queries)} queries for a page of 2, {len(large.queries)} for 100, "
            f"{len(many.queries)} for the default — the count grows with the page size:\n"
            + _diff(small.queries, large.queries)
        )


def test_every_route_has_a_budget_or_a_reason():
    """A list, detail page or dashboard added later without a budget fails here, naming itself."""
    budgeted = {b.route for b in BUDGETS}
    allowed = {name for names in NOT_LISTS.values() for name in names}
    routes = dict(every_route())
    missing = sorted(name for name, gets in routes.items() if gets and name not in budgeted | allowed)
    assert not missing, (
        "routes answering GET with neither a query budget (BUDGETS in core/tests/test_query_budgets.py) nor a "
        "reason to have none (NOT_LISTS there): " + ", ".join(missing)
    )
    stale = sorted(name for name in budgeted | allowed if name not in routes)
    assert not stale, "no such routes (renamed or removed?): " + ", ".join(stale)
    needless = sorted(name for name in allowed if name in routes and not routes[name])
    assert not needless, "these routes do not answer GET and need no place in NOT_LISTS: " + ", ".join(needless)
    assert not budgeted & allowed, "both budgeted and excused: " + ", ".join(sorted(budgeted & allowed))
