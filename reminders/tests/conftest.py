"""Builders for the reminders tests: late leads, problems, projects and targets written straight into the database,
so each test states exactly which records are late and which are not; and a real local robot (an HTTP server on
127.0.0.1) that records what the WeCom / DingTalk notifiers post to it."""

import datetime
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count

import pytest
from django.utils import timezone

from core.testing import make_person, make_unit
from organizations.choices import Role, UnitKind

DAY = datetime.timedelta(days=1)
_numbers = count(1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def lf_office(org):
    """The office of 临汾市, another city: it must see nothing of 运城's."""
    person = make_person("lf_office", org.other_city, Role.OFFICE_STAFF, "临汾招商中心小吴")
    org.people["lf_office"] = person
    return person


@pytest.fixture
def other_department(org):
    unit = make_unit("YC-FGW", "运城市发改委", UnitKind.DEPARTMENT, org.city)
    org.fgw_staff = make_person("fgw_staff", unit, Role.DEPARTMENT_STAFF, "发改委小钱")
    return unit


def make_lead(
    org, name, *, status="reported", owner=None, reporting=None, receiving=None, assess_due=None, feedback_due=None
):
    from leads.models import Lead, LeadPool

    owner = owner or org.city
    pool, _ = LeadPool.objects.get_or_create(owner=owner, code="collected", defaults={"name": "线索库"})
    return Lead.objects.create(
        owner=owner,
        reporting_unit=reporting or org.team,
        name=name,
        collected_date=timezone.localdate() - 20 * DAY,
        status=status,
        pool=pool,
        receiving_unit=receiving,
        assess_due=assess_due,
        feedback_due=feedback_due,
        dedupe_key=f"k{next(_numbers)}",
    )


def make_problem(org, title, *, due_on, status="assigned", owner=None, departments=(), project=None, escalated=""):
    from service.models import Problem, ProblemAssignment, ProblemCategory

    owner = owner or org.city
    category, _ = ProblemCategory.objects.get_or_create(owner=owner, code="other", defaults={"name": "其他"})
    problem = Problem.objects.create(
        owner=owner,
        number=f"WT{next(_numbers):06d}",
        title=title,
        description=title,
        category=category,
        raised_on=due_on - 10 * DAY,
        status=status,
        due_on=due_on,
        project=project,
        escalated=escalated,
        lead_department=departments[0] if departments else None,
    )
    for i, department in enumerate(departments):
        ProblemAssignment.objects.create(problem=problem, department=department, is_lead=i == 0)
    return problem


def make_project(org, name, *, host=None, responsible=None, stage="signed", leader=None, owner=None):
    from projects.models import Project

    return Project.objects.create(
        owner=owner or org.city,
        host_unit=host or org.county,
        responsible_unit=responsible,
        name=name,
        stage=stage,
        verified_stage=stage,
        signed_on=datetime.date(2023, 1, 10) if stage != "negotiating" else None,
        total_investment=Decimal("20000"),
        leader=leader,
        dedupe_key=f"p{next(_numbers)}",
    )


def report_progress(project, month, *, late=False):
    from projects.models import MonthlyProgress

    following = (month.replace(day=28) + 4 * DAY).replace(day=1)
    return MonthlyProgress.objects.create(
        project=project,
        month=month,
        completed_investment=Decimal("1000"),
        progress="按计划推进",
        due_on=following.replace(day=5),
        late=late,
    )


def make_target(org, indicator, start, end, value, *, unit=None, person=None, owner=None):
    from targets.models import Target

    return Target.objects.create(
        owner=owner or org.city, indicator=indicator, unit=unit, person=person, start=start, end=end, value=value
    )


def make_visits(org, unit, day, n):
    from enterprises.models import Company
    from outreach.models import Visit

    for _ in range(n):
        i = next(_numbers)
        company = Company.objects.create(owner=org.city, name=f"测试企业{i}", normalized_name=f"测试企业{i}")
        Visit.objects.create(unit=unit, visit_date=day, company=company, content="对接洽谈", dedupe_key=f"v{i}")


def titles(reminders):
    return [r.title for r in reminders]


# --- A robot to post to ----------------------------------------------------------------------------------------------


class _Robot(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        self.server.calls.append(
            {"path": self.path, "body": json.loads(raw.decode("utf-8")), "type": self.headers.get("Content-Type")}
        )
        status, answer = self.server.reply
        payload = json.dumps(answer).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


class Robot:
    """A WeCom / DingTalk robot stand-in on 127.0.0.1: every POST is kept; `reply` is what it answers."""

    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Robot)
        self.server.calls = []
        self.server.reply = (200, {"errcode": 0, "errmsg": "ok"})
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def calls(self):
        return self.server.calls

    def answer(self, status, body):
        self.server.reply = (status, body)

    def url(self, path):
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    server = Robot()
    yield server
    server.close()


@pytest.fixture
def second_robot():
    server = Robot()
    yield server
    server.close()


@pytest.fixture
def refused_url():
    """An address where nothing listens: a port taken from the OS and closed again."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=gone"
