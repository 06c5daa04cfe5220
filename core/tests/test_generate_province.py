"""The province generator (`manage.py generate_province`, bench/generator.py) at a small scale.

It must create the counts its scale asks for, the same data for the same seed, records the apps' own rules accept
(scope, effective-lead rule, keys, credit codes, stage dates), figures the dashboard and the targets count from them,
and refuse a database that already holds units.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Q

from bench.generator import LAST_DAY, TARGET_YEAR, digest, scaled_counts
from organizations.choices import Role, UnitKind

pytestmark = pytest.mark.django_db

SCALE = 0.001


def generate(seed=2026, *args):
    out = io.StringIO()
    call_command("generate_province", "--scale", str(SCALE), "--seed", str(seed), *args, stdout=out)
    return out.getvalue()


def office_of(city):
    from organizations.models import User

    return User.objects.filter(memberships__unit=city, memberships__role=Role.OFFICE_STAFF).order_by("username")[0]


def test_counts_follow_the_scale_and_the_org_tree():
    from enterprises.models import Company
    from leads.models import Lead
    from organizations.models import Membership, Unit, User
    from outreach.models import Visit
    from projects.models import MonthlyProgress, Project
    from service.models import Problem, ProblemAssignment
    from targets.choices import TEMPLATE_VALUES, Template
    from targets.models import Target

    printed = generate()

    expected = scaled_counts(SCALE)
    assert Company.objects.count() == expected["companies"]
    assert Visit.objects.count() == expected["visits"]
    assert Lead.objects.count() == expected["leads"]
    assert Project.objects.count() == expected["projects"]
    assert Problem.objects.count() == expected["problems"]
    assert "走访 Visit" in printed and "秒" in printed
    # The tree: one province, 11 cities, ~120 counties and zones, 5–8 teams a city.
    assert Unit.objects.filter(kind=UnitKind.PROVINCE).count() == 1
    cities = list(Unit.objects.filter(kind=UnitKind.CITY))
    assert len(cities) == 11
    areas = Unit.objects.filter(kind__in=(UnitKind.COUNTY, UnitKind.ZONE)).count()
    assert 100 <= areas <= 140
    teams = dict(
        Unit.objects.filter(kind=UnitKind.TEAM)
        .values_list("parent_id")
        .annotate(n=Count("id"))
        .values_list("parent_id", "n")
    )
    assert set(teams) == {c.pk for c in cities} and all(5 <= n <= 8 for n in teams.values())
    # Every unit's path and depth as the services set them; every person holds a role, none can log in.
    for unit in Unit.objects.select_related("parent"):
        assert unit.path == f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
        assert unit.depth == unit.path.count("/") - 2
    assert Membership.objects.count() == User.objects.count()
    assert not any(u.has_usable_password() for u in User.objects.all())
    # Targets: the routine monthly ones of every team for the year, and each city's "1521".
    routine = len(TEMPLATE_VALUES[Template.ROUTINE_MONTHLY])
    assert Target.objects.filter(template=Template.ROUTINE_MONTHLY).count() == sum(teams.values()) * 12 * routine
    assert Target.objects.filter(template=Template.CITY_1521).count() == 11 * len(TEMPLATE_VALUES[Template.CITY_1521])
    # Monthly progress only for signed projects; assignments only for assigned problems.
    assert MonthlyProgress.objects.exists()
    assert not MonthlyProgress.objects.filter(project__signed_on__isnull=True).exists()
    assert not ProblemAssignment.objects.filter(problem__status="raised").exists()


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    digests = []
    for seed in (7, 7, 8):
        with transaction.atomic():
            generate(seed)
            digests.append(digest())
            transaction.set_rollback(True)
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


def test_records_pass_the_apps_rules():
    from enterprises.identity import clean_credit_code, normalize_company_name
    from enterprises.models import Company
    from leads.choices import LeadStatus, PoolKind
    from leads.models import Lead
    from leads.rules import effective_q, is_effective
    from leads.services.common import lead_key
    from organizations.models import Unit
    from outreach.keys import visit_key
    from outreach.models import Visit
    from projects.choices import RANK, Stage
    from projects.models import Project
    from service.models import Problem

    generate()

    # Derived fields recomputed with the services' helpers agree with what was stored.
    for company in Company.objects.all():
        assert company.normalized_name == normalize_company_name(company.name)
        if company.credit_code:
            assert clean_credit_code(company.credit_code) == company.credit_code
    codes = [c for c in Company.objects.values_list("owner_id", "credit_code") if c[1]]
    assert len(codes) == len(set(codes))
    for visit in Visit.objects.all():
        assert visit.dedupe_key == visit_key(
            unit_id=visit.unit_id, visit_date=visit.visit_date, company_id=visit.company_id, content=visit.content
        )
    leads = list(Lead.objects.select_related("pool"))
    for lead in leads:
        assert lead.dedupe_key == lead_key(
            reporting_unit_id=lead.reporting_unit_id,
            collected_date=lead.collected_date,
            investor_id=lead.investor_id,
            name=lead.name,
        )
        held = lead.status in (LeadStatus.DISPATCHED, LeadStatus.ACCEPTED, LeadStatus.CLOSED)
        assert (lead.receiving_unit_id is not None) == held
        assert (lead.assessed_by_id is None) == (lead.status == LeadStatus.REPORTED)
        assert (lead.pool.kind == PoolKind.LOST) == (lead.status == LeadStatus.CLOSED)
        assert lead.assess_due >= lead.collected_date
    # The effective-lead rule, in Python and as a query, gives the same answer on the generated leads.
    from leads.services.settings import lead_settings_for

    for city in Unit.objects.filter(kind=UnitKind.CITY):
        settings = lead_settings_for(city)
        mine = [lead for lead in leads if lead.owner_id == city.pk]
        in_python = {lead.pk for lead in mine if is_effective(lead, settings)}
        in_sql = set(Lead.objects.filter(effective_q(settings), owner=city).values_list("pk", flat=True))
        assert in_python == in_sql
    # Stage and dates agree; the fixed investment stays within the total (a DB constraint).
    date_of = {Stage.SIGNED: "signed_on", Stage.STARTED: "started_on", Stage.PRODUCING: "producing_on"}
    for project in Project.objects.all():
        for stage, field in date_of.items():
            assert (getattr(project, field) is not None) == (RANK[project.stage] >= RANK[stage])
        assert project.fixed_investment <= project.total_investment
        assert project.signed_on is None or project.signed_on <= LAST_DAY
    for problem in Problem.objects.filter(status__in=("solved", "closed")):
        assert problem.on_time == (problem.solved_at.date() <= problem.due_on)

    # Scope: a city's office sees its city's records, and only those.
    city = Unit.objects.filter(kind=UnitKind.CITY).order_by("sort_order")[0]
    office = office_of(city)
    assert Lead.objects.visible_to(office).count() == Lead.objects.filter(owner=city).count() > 0
    assert Project.objects.visible_to(office).count() == Project.objects.filter(owner=city).count() > 0
    assert Company.objects.visible_to(office).count() == Company.objects.filter(owner=city).count() > 0
    in_city = Visit.objects.filter(unit__path__startswith=city.path).count()
    assert Visit.objects.visible_to(office).count() == in_city > 0
    assert Problem.objects.visible_to(office).filter(~Q(owner=city)).count() == 0


def test_dashboard_and_target_progress_count_the_generated_records():
    from dashboards.selectors import dashboard
    from organizations.models import Unit
    from outreach.models import Visit
    from targets.choices import Indicator
    from targets.models import Target
    from targets.selectors import progress

    generate()
    city = Unit.objects.filter(kind=UnitKind.CITY).order_by("sort_order")[0]
    office = office_of(city)
    start, end = datetime.date(2023, 1, 1), LAST_DAY

    figures = dashboard(office, city, start, end, today=LAST_DAY)
    visited = Visit.objects.filter(unit__path__startswith=city.path).values("company").distinct().count()
    assert figures["funnel"][0]["value"] == visited
    for row in figures["teams"]:
        team = Unit.objects.get(pk=row["unit"]["id"])
        assert row["visits"]["value"] == Visit.objects.filter(unit__path__startswith=team.path).count()

    # The routine targets of a month: reached visits are the team's visits of that month.
    month = datetime.date(TARGET_YEAR, 6, 1), datetime.date(TARGET_YEAR, 6, 30)
    targets = Target.objects.visible_to(office).filter(owner=city, start=month[0], indicator=Indicator.VISITS)
    rows = progress(targets.select_related("unit"), today=LAST_DAY)
    assert rows
    for row in rows:
        counted = Visit.objects.filter(unit__path__startswith=row.target.unit.path, visit_date__range=month).count()
        assert row.reached == counted


def test_refuses_a_database_that_holds_units_unless_forced():
    from core.testing import make_unit
    from organizations.models import Unit
    from outreach.models import Visit

    make_unit("SX", "山西省", UnitKind.PROVINCE)
    with pytest.raises(CommandError, match="已有组织单位"):
        generate()
    assert (Unit.objects.count(), Visit.objects.count()) == (1, 0)

    generate(2026, "--force")
    assert Visit.objects.count() == scaled_counts(SCALE)["visits"]
    with pytest.raises(CommandError, match="已有组织单位"):
        generate()
    assert Visit.objects.count() == scaled_counts(SCALE)["visits"]
