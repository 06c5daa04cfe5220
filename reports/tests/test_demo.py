"""The demo's reports: 运城's seven teams' weeks of autumn 2022, drafted from the demo ledgers. Their figures are
counted here again by hand with plain queries (not reports.drafting), and every state a report meets is there.

The whole demo is loaded once for the module (root conftest's `loaded_demo`); each test is rolled back.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from leads.models import Lead
from organizations.choices import UnitKind
from organizations.models import Unit
from outreach.models import Inspection, PromotionEvent, Visit
from reports import selectors
from reports.choices import PLANS_PLACEHOLDER, ReportKind, ReportStatus
from reports.demo import FIRST_WEEK, LAST_WEEK
from reports.models import TeamReport
from reports.periods import due_on

D = datetime.date


@pytest.fixture
def city(loaded_demo, db):
    return loaded_demo


def test_every_team_reported_its_weeks_through_the_service(city):
    teams = Unit.objects.filter(path__startswith=city.path, kind=UnitKind.TEAM)
    weekly = TeamReport.objects.filter(owner=city, kind=ReportKind.WEEKLY)
    weeks = (LAST_WEEK - FIRST_WEEK).days // 7 + 1
    assert teams.count() == 7 and weeks == 8
    # Two team-weeks were never reported (the 国庆 week of one team, the last week of another).
    assert weekly.count() == 7 * weeks - 2
    assert set(weekly.values_list("start", flat=True)) == {FIRST_WEEK + datetime.timedelta(weeks=i) for i in range(8)}
    assert TeamReport.objects.filter(owner=city, kind=ReportKind.MONTHLY, start=D(2022, 9, 1)).count() == 7
    statuses = set(weekly.values_list("status", flat=True))
    assert statuses == {ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.READ}
    # What was sent has its plans filled in; a draft still waits for them, unless it was returned.
    assert not weekly.exclude(status=ReportStatus.DRAFT).filter(body__contains=PLANS_PLACEHOLDER).exists()
    returned = weekly.filter(status=ReportStatus.DRAFT, events__from_status=ReportStatus.SUBMITTED)
    assert returned.count() == 1 and returned.get().return_reason


def test_the_figures_are_the_demo_ledgers_counted_by_hand(city):
    for report in TeamReport.objects.filter(owner=city).select_related("unit"):
        path, period = report.unit.path, (report.start, report.end)
        visits = Visit.objects.filter(unit__path__startswith=path, visit_date__range=period)
        leads = Lead.objects.filter(
            reporting_unit__path__startswith=path, collected_date__range=period, duplicate_of__isnull=True
        )
        expected = {
            "visits": visits.count(),
            "visited_companies": visits.values("company").distinct().count(),
            "university_visits": visits.filter(company__kind="university").count(),
            "leads": leads.count(),
            "inspections": Inspection.objects.filter(
                unit__path__startswith=path, inspection_date__range=period
            ).count(),
            "events": PromotionEvent.objects.filter(unit__path__startswith=path, event_date__range=period).count(),
        }
        assert {k: report.figures[k] for k in expected} == expected, report.title
    autumn = TeamReport.objects.filter(owner=city, kind=ReportKind.WEEKLY)
    assert sum(r.figures["visits"] for r in autumn) > 0 and sum(r.figures["leads"] for r in autumn) > 0


def test_sent_reports_were_sent_in_2022_and_the_missing_list_finds_the_gaps(city):
    sent = TeamReport.objects.filter(owner=city).exclude(first_submitted_at=None)
    assert all(r.first_submitted_at.year == 2022 for r in sent)
    late = [r for r in sent if timezone.localtime(r.first_submitted_at).date() > due_on(r.kind, r.end)]
    assert len(late) == 1
    rows = selectors.missing_reports(city, ReportKind.WEEKLY, FIRST_WEEK, D(2022, 11, 6), today=D(2022, 11, 8))
    states = {(row.unit.code, row.start, row.state) for row in rows}
    assert ("YC-T-CD", D(2022, 10, 3), "none") in states
    assert (late[0].unit.code, late[0].start, "late") in states
    assert {s for _u, _d, s in states} == {"none", "draft", "late"}
    # Each gap is a team-week the demo left without a submitted report, and nothing else.
    reported = set(
        TeamReport.objects.filter(owner=city, kind=ReportKind.WEEKLY)
        .filter(~Q(status=ReportStatus.DRAFT))
        .values_list("unit__code", "start")
    )
    assert all((code, start) not in reported for code, start, state in states if state != "late")


def test_loading_the_demo_again_adds_no_report(city):
    before = TeamReport.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert TeamReport.objects.count() == before
