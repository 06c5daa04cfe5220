"""The service pages as each persona meets them: the permission matrix over every page and action, a problem
raised at a 夜沙龙 and carried to supervision, the figures and the lists behind them, bad input, query budgets.

Decided here and held by the matrix: a problem or meeting out of scope is a 404 that never
shows its title; one in scope whose action the viewer may not take is a 403; a department
sees only what is assigned to it (or what it raised); the inbox is for department staff and
the categories for the office (403 for the rest); the reading pages are everyone's, scoped.
"""

import datetime
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Attachment, AuditEvent
from core.testing import Case, login_as, make_person, run_matrix
from organizations.choices import Role
from service import services
from service.choices import EscalationReason, ProblemStatus
from service.models import Decision, Meeting, Problem, ProblemAssignment, ProblemCategory, ProblemEvent

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
PAST = datetime.date(2023, 1, 3)
PERSONAS = ["office", "county", "other_county", "team", "team_member", "department", "power", "leader", "outsider"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def u(name, *args):
    return reverse(f"service:{name}", args=args)


def expect(default=404, **codes):
    return {persona: codes.get(persona, default) for persona in PERSONAS}


def only(*personas, code=200, default=404, **others):
    return expect(default, **dict.fromkeys(personas, code), **others)


def client_for(world, persona):
    return login_as(Client(), world[persona] if isinstance(persona, str) else persona)


def text(response):
    return response.content.decode()


def listed(page):
    """The number of rows a list page says it holds ("共 N 条")."""
    found = re.search(r"共 (\d+) 条", page)
    return int(found.group(1)) if found else 0


def counts():
    """Everything a refused page or action must leave as it was."""
    return (
        Problem.objects.count(),
        ProblemAssignment.objects.count(),
        ProblemEvent.objects.count(),
        Meeting.objects.count(),
        Decision.objects.count(),
        ProblemCategory.objects.count(),
        Attachment.objects.count(),
        AuditEvent.objects.exclude(action="login").count(),
        tuple(Problem.objects.order_by("pk").values_list("status", "answer", "due_on", "lead_department_id")),
        tuple(ProblemAssignment.objects.order_by("pk").values_list("accepted_at", "note")),
        tuple(Decision.objects.order_by("pk").values_list("done_on", flat=True)),
        tuple(ProblemCategory.objects.order_by("pk").values_list("name", "due_days", "active")),
    )


@pytest.fixture
def world(org, power, power_staff, team_member_of_project):
    """The persona tree plus 临猗县's staff, the project's service team member and the second department."""
    org.people["other_county"] = make_person("ly_staff", org.other_county, Role.COUNTY_STAFF, "临猗县小周")
    org.people["team"] = team_member_of_project
    org.people["power"] = power_staff
    org.power = power
    return org


@pytest.fixture
def problems(world, project, raise_one, category):
    """At 盐湖区's project: one assigned to 自然资源局 (accepted), one to the power centre, one not yet assigned;
    one raised by 临猗县, one in another city (古县, 临汾)."""
    land = raise_one("扩大厂房用地需求")
    services.assign_problem(actor=world["office"], problem=land, departments=[world.department])
    services.accept_problem(actor=world["department"], problem=land)
    power_problem = raise_one("新增用电容量需求", "utilities")
    services.assign_problem(actor=world["office"], problem=power_problem, departments=[world.power])
    fresh = raise_one("流动资金贷款需求", "financing")
    other = services.raise_problem(
        actor=world["other_county"],
        title="临猗县企业招工难",
        description="苹果加工企业旺季缺工 200 人。",
        category=category["labour"],
        company_name="临猗县果业有限公司",
    )
    outside = services.raise_problem(
        actor=world["outsider"],
        title="古县煤化工项目环评",
        description="环评批复迟迟未下。",
        category=services.categories_for(world.other_city)[0],
        company_name="古县煤化工有限公司",
    )
    for p in (land, power_problem, fresh):
        p.refresh_from_db()
    return {"land": land, "power": power_problem, "fresh": fresh, "other": other, "outside": outside}


@pytest.fixture
def meeting(world, project):
    """A 夜沙龙 held by 盐湖区 with the jewellery firm (seed 002), one decision open."""
    found = services.create_meeting(
        actor=world["county"],
        host_unit=world.county,
        kind="salon",
        title="盐湖区民营企业夜沙龙",
        held_on=TODAY,
        place="盐湖区政务服务中心",
        attendees="区长、各部门负责人、企业家代表",
        summary="",
        companies=list(project.investors.all()),
        projects=[project],
    )
    decision = services.add_decision(
        actor=world["county"], meeting=found, text="自然资源局一周内提出用地方案", owner_unit=world.department
    )
    return found, decision


# --- The permission matrix --------------------------------------------------------------------------------


def test_permission_matrix_for_the_reading_pages(world, problems, meeting):
    titles = {key: p.title for key, p in problems.items()}
    yanhu = [titles["land"], titles["power"], titles["fresh"]]
    everything = [*yanhu, titles["other"], titles["outside"]]
    found, _decision = meeting
    not_hosts = ("other_county", "team_member", "department", "power", "outsider")
    cases = [
        Case(
            u("problem_list"),
            expect(200),
            anonymous=302,
            shown={
                "office": [*yanhu, titles["other"]],
                "leader": [*yanhu, titles["other"]],
                "county": yanhu,
                "team": yanhu,
                "other_county": [titles["other"]],
                "department": [titles["land"]],
                "power": [titles["power"]],
                "outsider": [titles["outside"]],
            },
            hidden={
                "office": [titles["outside"]],
                "leader": [titles["outside"]],
                "county": [titles["other"], titles["outside"]],
                "team": [titles["other"], titles["outside"]],
                "other_county": [*yanhu, titles["outside"]],
                "team_member": everything,
                "department": [t for t in everything if t != titles["land"]],
                "power": [t for t in everything if t != titles["power"]],
                "outsider": [*yanhu, titles["other"]],
            },
        ),
        Case(
            u("inbox"),
            only("department", "power", default=403),
            anonymous=302,
            shown={"department": [titles["land"]], "power": [titles["power"]]},
            hidden={"department": [titles["power"], titles["fresh"]], "power": [titles["land"], titles["fresh"]]},
        ),
        Case(u("supervision"), expect(200), anonymous=302, hidden={p: yanhu for p in not_hosts}),
        Case(
            u("meeting_list"),
            expect(200),
            anonymous=302,
            shown={p: [found.title] for p in ("office", "leader", "county", "team")},
            hidden={p: [found.title] for p in not_hosts},
        ),
        Case(u("figures"), expect(200), anonymous=302),
        Case(
            u("dispatch_agenda"),
            expect(200),
            anonymous=302,
            shown={"county": [titles["fresh"], "据此召开月度调度会"], "office": [titles["fresh"]]},
            hidden={p: yanhu for p in not_hosts},
        ),
        # A unit out of the user's scope is not a filter they may apply: 404, not an empty page.
        Case(
            u("figures") + f"?unit={world.county.pk}",
            only("office", "county", "team", "leader"),
            hidden={p: yanhu for p in not_hosts},
        ),
        Case(
            u("dispatch_agenda") + f"?unit={world.county.pk}",
            only("office", "county", "team", "leader"),
            hidden={p: yanhu for p in not_hosts},
        ),
        Case(u("categories"), only("office", default=403), anonymous=302, shown={"office": ["用地", "水电气"]}),
        Case(u("problem_create"), expect(200, leader=403), anonymous=302),
        Case(u("meeting_create"), expect(200, leader=403, team_member=403), anonymous=302),
    ]
    before = counts()
    run_matrix(world, cases, PERSONAS)
    assert counts() == before


def test_permission_matrix_for_a_problems_and_a_meetings_pages(world, problems, meeting, project):
    land, outside = problems["land"], problems["outside"]
    found, _decision = meeting
    hidden_land = {p: [land.title] for p in ("other_county", "team_member", "power", "outsider")}
    cases = [
        Case(
            u("problem_detail", land.pk),
            only("office", "county", "team", "department", "leader"),
            anonymous=302,
            hidden=hidden_land,
            shown={
                "office": [land.title, "运城市自然资源局", "form-assign", "重新交办"],
                "county": ["form-assign", "扩大厂房用地需求"],
                "department": ["form-answer", "已办结（牵头部门）"],
            },
        ),
        Case(
            u("problem_detail", problems["power"].pk),
            only("office", "county", "team", "power", "leader"),
            hidden={p: [problems["power"].title] for p in ("department", "other_county", "outsider")},
            shown={"power": ["form-accept", "form-answer"]},
        ),
        Case(
            u("problem_detail", outside.pk),
            only("outsider"),
            hidden={p: [outside.title] for p in PERSONAS if p != "outsider"},
        ),
        Case(u("problem_detail", 999999), expect(404)),
        Case(
            u("meeting_detail", found.pk),
            only("office", "county", "team", "leader"),
            anonymous=302,
            hidden={p: [found.title] for p in ("other_county", "team_member", "department", "power", "outsider")},
            shown={
                "county": ["form-raise", "form-decision", "自然资源局一周内提出用地方案"],
                "office": ["form-raise", "form-decision"],
            },
        ),
        Case(u("meeting_detail", 999999), expect(404)),
        # Raising for a project: only those who see it get the form; the others a 404, never its name.
        Case(
            u("problem_create") + f"?project={project.pk}",
            only("office", "county", "team", leader=403),
            hidden={p: [project.name] for p in ("other_county", "team_member", "department", "power", "outsider")},
            shown={"county": [project.name]},
        ),
        Case(
            u("problem_create") + f"?meeting={found.pk}",
            only("office", "county", "team", leader=403),
            hidden={p: [found.title] for p in ("other_county", "team_member", "department", "power", "outsider")},
        ),
    ]
    run_matrix(world, cases, PERSONAS)


def test_permission_matrix_for_the_actions(world, problems, meeting):
    """Every action as every persona, each request one the form or the service refuses: nothing is written."""
    land = problems["land"]
    found, decision = meeting
    hidden = {p: [land.title] for p in ("other_county", "team_member", "power", "outsider")}
    raisers_side = only("office", "county", "team", department=403, leader=403)
    department_only = only("department", office=403, county=403, team=403, leader=403)
    hosts = only("office", "county", "team", leader=403)
    before = counts()
    cases = [
        Case(
            u("problem_assign", land.pk),
            raisers_side,
            method="post",
            data={"assign-departments": []},
            hidden=hidden,
            shown={"county": ["请选择承办部门"]},
        ),
        Case(
            u("problem_accept", land.pk),
            department_only,
            method="post",
            data={},
            hidden=hidden,
            shown={"department": ["无需受理"]},
        ),
        Case(
            u("problem_answer", land.pk),
            department_only,
            method="post",
            data={"answer-answer": "  ", "answer-solved": "on"},
            hidden=hidden,
            shown={"department": ["请填写办理答复"]},
        ),
        Case(
            u("problem_confirm", land.pk),
            raisers_side,
            method="post",
            data={"confirm-satisfaction": "5"},
            shown={"office": ["不能改为"]},
        ),
        Case(
            u("problem_reopen", land.pk),
            raisers_side,
            method="post",
            data={"reopen-reason": ""},
            shown={"team": ["请说明退回重办的原因"]},
        ),
        Case(u("problem_assign", 999999), expect(404), method="post", data={}),
        Case(
            u("meeting_raise", found.pk),
            hosts,
            method="post",
            data={"title": "", "category": ""},
            hidden={p: [found.title] for p in ("other_county", "team_member", "department", "power", "outsider")},
        ),
        Case(
            u("decision_add", found.pk),
            hosts,
            method="post",
            data={"decision-text": ""},
            shown={"county": ["请填写议定事项"]},
        ),
        Case(
            u("decision_done", decision.pk),
            hosts,
            method="post",
            data={f"done{decision.pk}-done_on": "不是日期"},
        ),
        Case(
            u("categories"),
            only("office", default=403),
            method="post",
            data={"new-code": "water", "new-name": "", "new-due_days": "5"},
            shown={"office": ["请填写类别名称"]},
        ),
        Case(u("problem_create"), expect(200, leader=403), method="post", data={"title": ""}),
        Case(u("meeting_create"), expect(200, leader=403, team_member=403), method="post", data={"title": ""}),
    ]
    run_matrix(world, cases, PERSONAS)
    assert counts() == before, "no refused action may write anything"


# --- The flow: a 夜沙龙, two departments, the lead solves, the service team reopens ---------------------------


def test_a_problem_raised_at_a_salon_goes_to_two_departments_and_back_to_supervision(world, project, meeting):
    found, _decision = meeting
    team = client_for(world, "team")
    page = text(team.get(found.get_absolute_url()))
    assert "会上提出问题" in page
    response = team.post(
        u("meeting_raise", found.pk),
        {
            "title": "扩大厂房并补充 500 万流动资金",
            "description": "订单增长，需新增厂房用地约 20 亩，并需流动资金贷款 500 万元。",
            "category": services.categories_for(world.city)[1].pk,
            "urgency": "urgent",
            "source": "meeting",
            "project": project.pk,
            "files": [SimpleUploadedFile("厂房现状.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302, text(response)
    problem = Problem.objects.get(title="扩大厂房并补充 500 万流动资金")
    assert problem.meeting == found and problem.source == "meeting" and problem.attachments.count() == 1
    assert problem.title in text(team.get(found.get_absolute_url()))

    office = client_for(world, "office")
    page = text(office.get(problem.get_absolute_url()))
    assert "form-assign" in page and "厂房现状.pdf" in page
    response = office.post(
        u("problem_assign", problem.pk),
        {
            "assign-departments": [world.department.pk, world.power.pk],
            "assign-lead_department": world.department.pk,
            "assign-note": "有诉联办",
        },
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.ASSIGNED and problem.lead_department == world.department
    assert problem.due_on is not None

    power = client_for(world, "power")
    assert problem.title in text(power.get(u("inbox")))
    page = text(power.get(problem.get_absolute_url()))
    assert "已办结（牵头部门）" not in page, "only the lead department is offered 办结"
    assert power.post(u("problem_answer", problem.pk), {"answer-answer": "供电容量可满足"}).status_code == 302

    department = client_for(world, "department")
    assert department.post(u("problem_accept", problem.pk)).status_code == 302
    response = department.post(
        u("problem_answer", problem.pk), {"answer-answer": "已安排 20 亩用地指标", "answer-solved": "on"}
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.SOLVED and problem.same_day
    assert problem.title not in text(department.get(u("inbox")))

    page = text(team.get(problem.get_absolute_url()))
    assert "form-confirm" in page and "form-reopen" in page and "日清日结" in page
    response = team.post(u("problem_reopen", problem.pk), {"reopen-reason": "用地指标仍未落实到地块"})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.REOPENED and problem.escalated == EscalationReason.REOPENED
    for persona in ("team", "office", "leader"):
        assert problem.title in text(client_for(world, persona).get(u("supervision"))), persona
    page = text(office.get(problem.get_absolute_url()))
    for step in ("提出", "交办", "受理", "办结", "退回重办", "督办", "用地指标仍未落实到地块", "供电容量可满足"):
        assert step in page, step

    # The department answers again and the raiser's side confirms with a grade.
    department.post(u("problem_answer", problem.pk), {"answer-answer": "地块已摘牌", "answer-solved": "on"})
    response = team.post(u("problem_confirm", problem.pk), {"confirm-satisfaction": "5", "confirm-note": "满意"})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED and problem.satisfaction == 5
    assert "非常满意" in text(team.get(problem.get_absolute_url()))


def test_a_problem_is_raised_from_a_projects_page(world, project, category):
    county = client_for(world, "county")
    page = text(county.get(project.get_absolute_url()))
    link = f"{u('problem_create')}?project={project.pk}"
    assert link in page
    assert link not in text(client_for(world, "leader").get(project.get_absolute_url()))
    page = text(county.get(link))
    assert f'<option value="{project.pk}" selected>' in page
    assert 'hx-get="/companies/suggest/"' in page or "company-options" in page
    response = county.post(
        link,
        {
            "title": "项目用水接入",
            "description": "需接入市政供水管网。",
            "category": category["utilities"].pk,
            "urgency": "normal",
            "source": "service_team",
            "project": project.pk,
            "company_name": "运城市金玉珠宝有限公司",
        },
    )
    assert response.status_code == 302, text(response)
    problem = Problem.objects.get(title="项目用水接入")
    assert problem.project == project and problem.company.name == "运城市金玉珠宝有限公司"
    assert response["Location"] == problem.get_absolute_url()


def test_a_meeting_is_registered_and_its_decisions_carried_out(world, project):
    county = client_for(world, "county")
    response = county.post(
        u("meeting_create"),
        {
            "kind": "breakfast",
            "title": "盐湖区政企早餐会",
            "held_on": TODAY.isoformat(),
            "place": "区政府",
            "host_unit": world.county.pk,
            "attendees": "区长",
            "company_names": "运城市金玉珠宝有限公司",
            "projects": [project.pk],
        },
    )
    assert response.status_code == 302, text(response)
    found = Meeting.objects.get(title="盐湖区政企早餐会")
    assert list(found.projects.all()) == [project] and found.companies.count() == 1
    response = county.post(
        u("decision_add", found.pk),
        {"decision-text": "供电中心三日内现场查勘", "decision-owner_unit": world.power.pk, "decision-due_on": ""},
    )
    assert response.status_code == 302
    decision = found.decisions.get()
    response = county.post(u("decision_done", decision.pk), {})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.done_on == TODAY
    assert "已完成" in text(county.get(found.get_absolute_url()))
    # A company not in the directory is named back, and nothing is written.
    before = counts()
    response = county.post(
        u("meeting_create"),
        {
            "kind": "tea",
            "title": "下午茶",
            "held_on": TODAY.isoformat(),
            "host_unit": world.county.pk,
            "company_names": "不存在的企业",
        },
    )
    assert response.status_code == 200 and "不存在的企业" in text(response) and "企业库中没有" in text(response)
    assert counts() == before


def test_the_dispatch_agenda_lists_overdue_first_and_prefills_the_dispatch_meeting(world, project, raise_one):
    late = raise_one("逾期的用地问题", raised_on=PAST)
    services.assign_problem(actor=world["office"], problem=late, departments=[world.department])
    raise_one("新提出的融资问题", "financing")
    county = client_for(world, "county")
    page = text(county.get(u("dispatch_agenda")))
    assert page.index("逾期的用地问题") < page.index("新提出的融资问题")
    overdue = page[page.index('data-testid="overdue-problems"') : page.index('data-testid="open-problems"')]
    assert "逾期的用地问题" in overdue and "新提出的融资问题" not in overdue
    link = html.unescape(re.search(r'href="([^"]+)" data-testid="hold-dispatch"', page).group(1))
    assert "kind=dispatch" in link and f"host_unit={world.county.pk}" in link and f"projects={project.pk}" in link
    form = text(county.get(link))
    assert '<option value="dispatch" selected>' in form and "项目调度会" in form
    assert f'<option value="{project.pk}" selected>' in form


def test_the_office_edits_a_categorys_due_days_and_adds_one(world, category):
    office = client_for(world, "office")
    land = category["land"]
    response = office.post(
        u("category_edit", land.pk),
        {
            "city": world.city.pk,
            f"cat{land.pk}-name": "用地保障",
            f"cat{land.pk}-due_days": "12",
            f"cat{land.pk}-sort_order": "1",
            f"cat{land.pk}-active": "on",
        },
    )
    assert response.status_code == 302
    land.refresh_from_db()
    assert land.name == "用地保障" and land.due_days == 12
    before = counts()
    response = office.post(
        u("category_edit", land.pk),
        {"city": world.city.pk, f"cat{land.pk}-name": "用地保障", f"cat{land.pk}-due_days": "200"},
    )
    assert response.status_code == 200 and "办理时限须为 1 到 90 个工作日" in text(response)
    assert counts() == before
    response = office.post(
        u("categories"), {"city": world.city.pk, "new-code": "gas", "new-name": "燃气", "new-due_days": "3"}
    )
    assert response.status_code == 302
    assert ProblemCategory.objects.get(owner=world.city, code="gas").due_days == 3
    # Another city's office categories are not this office's to edit.
    assert office.get(u("categories") + f"?city={world.other_city.pk}").status_code == 404


# --- The figures: every number is the count of the list it links to ---------------------------------------------


@pytest.fixture
def handled(world, project, raise_one, category):
    """Problems at every step: closed the same day, solved on time, reopened, overdue, not yet assigned."""
    closed = raise_one("当日办结的问题")
    services.assign_problem(actor=world["office"], problem=closed, departments=[world.department])
    services.answer_problem(actor=world["department"], problem=closed, answer="已办", solved=True)
    services.confirm_problem(actor=world["office"], problem=closed, satisfaction=4)
    solved = raise_one("联办办结的问题", "utilities")
    services.assign_problem(
        actor=world["office"], problem=solved, departments=[world.power, world.department], lead_department=world.power
    )
    services.answer_problem(actor=world["power"], problem=solved, answer="已接电", solved=True)
    reopened = raise_one("退回重办的问题", "financing")
    services.assign_problem(actor=world["office"], problem=reopened, departments=[world.department])
    services.answer_problem(actor=world["department"], problem=reopened, answer="已对接银行", solved=True)
    services.reopen_problem(actor=world["office"], problem=reopened, reason="贷款未放款")
    late = raise_one("逾期未办的问题", "approval", raised_on=PAST)
    services.assign_problem(actor=world["office"], problem=late, departments=[world.department])
    raise_one("尚未交办的问题", "labour")
    return {"closed": closed, "solved": solved, "reopened": reopened, "late": late}


def links(page):
    """Every figure on the page: data-testid → (number shown, link)."""
    found = {}
    pattern = (
        r'<a[^>]*href="([^"]+)"[^>]*data-testid="((?:total|lead_department|raised_unit|category)-[^"]+)">([^<]+)</a>'
    )
    for href, testid, number in re.findall(pattern, page):
        found[testid] = (number.strip(), html.unescape(href))
    return found


def test_every_figure_links_to_a_list_of_exactly_its_problems(world, handled):
    office = client_for(world, "office")
    page = text(office.get(u("figures")))
    figures = links(page)
    assert figures["total-raised"][0] == "5"
    assert figures["total-solved"][0] == "2"
    assert figures["total-same_day"][0] == "2" and figures["total-reopened"][0] == "1"
    assert figures["total-overdue"][0] == "1"
    assert "目标 ≥ 80%（交城）" in page
    department = world.department.pk
    checked = 0
    for testid, (number, href) in figures.items():
        if testid.endswith("share"):
            continue
        if testid.endswith("satisfaction"):
            continue
        count = listed(text(office.get(href)))
        assert count == int(number), f"{testid}: figure {number}, list {count} ({href})"
        checked += 1
    assert checked >= 30, "the totals and each row of the three groupings"
    row = figures[f"lead_department-{department}-raised"]
    assert row[0] == "3" and f"lead_department={department}" in row[1]
    # The lead department's 日清日结 link is the brief's own example.
    same_day = figures[f"lead_department-{department}-same_day"][1]
    assert f"lead_department={department}" in same_day and "same_day=true" in same_day
    assert "status=solved" in same_day and "status=closed" in same_day
    # Satisfaction: its link lists the problems graded.
    assert listed(text(office.get(figures["total-satisfaction"][1]))) == 1


def test_the_figures_count_only_what_the_user_may_see_and_filter_by_unit_and_date(world, handled, problems):
    department = client_for(world, "department")
    figures = links(text(department.get(u("figures"))))
    visible = Problem.objects.visible_to(world["department"]).count()
    assert figures["total-raised"][0] == str(visible)
    office = client_for(world, "office")
    by_county = links(text(office.get(u("figures") + f"?unit={world.other_county.pk}")))
    assert by_county["total-raised"][0] == "1"
    assert listed(text(office.get(by_county["total-raised"][1]))) == 1
    dated = links(text(office.get(u("figures") + f"?start={PAST.isoformat()}&end={PAST.isoformat()}")))
    assert dated["total-raised"][0] == "1" and dated["total-overdue"][0] == "1"


# --- Bad input: a clear message, nothing written ----------------------------------------------------------------


def test_assigning_to_a_unit_that_is_not_a_department_is_refused_on_the_page(world, problems):
    fresh = problems["fresh"]
    before = counts()
    response = client_for(world, "office").post(
        u("problem_assign", fresh.pk), {"assign-departments": [world.county.pk]}
    )
    assert response.status_code == 200
    assert "“盐湖区”不是职能部门，不能承办问题" in text(response)
    assert 'data-testid="form-assign"' in text(response)
    assert counts() == before


def test_a_due_date_before_the_raising_date_is_refused_on_the_page(world, raise_one):
    problem = raise_one(raised_on=PAST)
    before = counts()
    response = client_for(world, "office").post(
        u("problem_assign", problem.pk),
        {"assign-departments": [world.department.pk], "assign-due_on": "2022-12-30"},
    )
    assert response.status_code == 200 and "办理期限不能早于提出日期" in text(response)
    assert counts() == before


def test_the_assign_form_shows_the_categorys_default_due_date(world, problems):
    page = text(client_for(world, "office").get(problems["fresh"].get_absolute_url()))
    assert "按“融资”类 10 个工作日" in page


def test_solving_a_problem_not_assigned_to_you_is_refused(world, problems, raise_one):
    power_problem = problems["power"]
    # A co-department may answer but not mark it solved.
    services.assign_problem(
        actor=world["office"],
        problem=power_problem,
        departments=[world.power, world.department],
        lead_department=world.power,
    )
    before = counts()
    response = client_for(world, "department").post(
        u("problem_answer", power_problem.pk), {"answer-answer": "已办结", "answer-solved": "on"}
    )
    assert response.status_code == 200 and "只有牵头部门可以办结问题" in text(response)
    assert counts() == before
    # A department that sees a problem (it raised it) but was not assigned it: refused with the reason.
    raised = services.raise_problem(
        actor=world["department"],
        title="自然资源局提出的问题",
        description="需供电配合。",
        category=services.categories_for(world.city)[3],
    )
    services.assign_problem(actor=world["office"], problem=raised, departments=[world.power])
    before = counts()
    response = client_for(world, "department").post(
        u("problem_answer", raised.pk), {"answer-answer": "办结", "answer-solved": "on"}
    )
    assert response.status_code == 403 and "该问题未交办给您的部门" in text(response)
    assert counts() == before


def test_a_20_mb_file_is_refused_and_nothing_is_written(world, project, category):
    big = SimpleUploadedFile("现场照片.pdf", PDF + b"0" * (20 * 1024 * 1024), content_type="application/pdf")
    before = counts()
    response = client_for(world, "county").post(
        u("problem_create"),
        {
            "title": "厂区道路",
            "description": "道路破损。",
            "category": category["other"].pk,
            "urgency": "normal",
            "source": "visit",
            "project": project.pk,
            "files": [big],
        },
    )
    assert response.status_code == 200
    assert "超过 20 MB" in text(response)
    assert counts() == before


def test_an_empty_answer_is_refused_on_the_page(world, problems):
    before = counts()
    response = client_for(world, "department").post(u("problem_answer", problems["land"].pk), {"answer-answer": ""})
    assert response.status_code == 200 and "请填写办理答复" in text(response)
    assert counts() == before


# --- What each sees --------------------------------------------------------------------------------------------


def test_a_complainants_phone_is_masked_for_all_but_the_office(world, category):
    complaint = services.submit_complaint(
        owner=world.city,
        company_name="运城市金玉珠宝有限公司",
        contact_name="王彬",
        contact_phone="13903591234",
        category=category["environment"],
        description="办理消防验收时多次往返，材料要求不一致。",
    )
    services.assign_problem(actor=world["office"], problem=complaint, departments=[world.department])
    assert "13903591234" in text(client_for(world, "office").get(complaint.get_absolute_url()))
    for persona in ("department", "leader"):
        page = text(client_for(world, persona).get(complaint.get_absolute_url()))
        assert "139****1234" in page and "13903591234" not in page, persona


def test_the_list_filters_with_htmx_and_the_menu_offers_the_service_pages(world, problems):
    office = client_for(world, "office")
    response = office.get(u("problem_list") + "?q=用地", HTTP_HX_REQUEST="true")
    page = text(response)
    assert "<html" not in page and problems["land"].title in page and problems["fresh"].title not in page
    page = text(office.get(u("problem_list")))
    assert 'hx-get="/service/"' in page and "企业服务" in page and "问题类别" in page
    assert "本部门待办" in text(client_for(world, "department").get(u("problem_list")))
    assert "企业服务" not in text(client_for(world, "sysadmin").get(reverse("core:home")))
    # Several statuses at once.
    page = text(office.get(u("problem_list") + "?status=raised&status=accepted"))
    assert problems["land"].title in page and problems["fresh"].title in page
    assert problems["power"].title not in page


# --- Query budgets ----------------------------------------------------------------------------------------------


def grow(world, raise_one, n, start=0):
    """`n` problems at the project, assigned to both departments: every other one solved, a third raised long ago
    (overdue when still open), and a meeting with a problem raised at it."""
    for i in range(start, start + n):
        problem = raise_one(
            f"预算问题{i:03d}",
            ("land", "utilities", "financing", "approval")[i % 4],
            raised_on=PAST if i % 3 == 0 else TODAY,
        )
        services.assign_problem(actor=world["office"], problem=problem, departments=[world.department, world.power])
        if i % 2 == 1:
            services.answer_problem(actor=world["department"], problem=problem, answer="已办", solved=True)
    found = services.create_meeting(
        actor=world["county"], host_unit=world.county, kind="tea", title=f"下午茶{start}", held_on=TODAY
    )
    services.raise_problem(
        actor=world["county"],
        title=f"会上问题{start}",
        description="x",
        category=services.categories_for(world.city)[0],
        meeting=found,
    )


@pytest.mark.parametrize(
    "name,persona,query",
    [
        ("problem_list", "office", ""),
        ("problem_list", "county", "?status=assigned&overdue=true"),
        ("problem_list", "office", "?department={department}&same_day=false&q=预算"),
        ("inbox", "department", ""),
        ("supervision", "office", ""),
        ("supervision", "leader", ""),
        ("meeting_list", "office", ""),
        ("figures", "office", ""),
        ("figures", "county", "?unit={county}"),
        ("dispatch_agenda", "county", ""),
    ],
)
def test_list_pages_keep_a_fixed_query_count_as_data_grows(
    world, raise_one, name, persona, query, django_assert_max_num_queries
):
    grow(world, raise_one, 3)
    client = client_for(world, persona)
    url = u(name) + query.format(department=world.department.pk, county=world.county.pk)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(world, raise_one, 12, start=3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_problems_and_a_meetings_page_keep_a_fixed_query_count(world, raise_one, django_assert_max_num_queries):
    problem = raise_one("历史很长的问题")
    found = services.create_meeting(
        actor=world["county"], host_unit=world.county, kind="salon", title="夜沙龙", held_on=TODAY
    )
    client = client_for(world, "office")
    for url in (problem.get_absolute_url(), found.get_absolute_url()):
        client.get(url)
    with CaptureQueriesContext(connection) as small_problem:
        client.get(problem.get_absolute_url())
    with CaptureQueriesContext(connection) as small_meeting:
        client.get(found.get_absolute_url())
    for _round in range(3):
        services.assign_problem(actor=world["office"], problem=problem, departments=[world.department, world.power])
        services.answer_problem(actor=world["department"], problem=problem, answer="已办", solved=True)
        services.reopen_problem(actor=world["office"], problem=problem, reason="未落实")
    for i in range(6):
        services.raise_problem(
            actor=world["county"],
            title=f"会上问题{i}",
            description="x",
            category=services.categories_for(world.city)[0],
            meeting=found,
        )
        services.add_decision(actor=world["county"], meeting=found, text=f"议定{i}", owner_unit=world.department)
    with django_assert_max_num_queries(len(small_problem.captured_queries)):
        page = text(client.get(problem.get_absolute_url()))
    assert page.count("退回重办") >= 3
    with django_assert_max_num_queries(len(small_meeting.captured_queries)):
        page = text(client.get(found.get_absolute_url()))
    assert "会上问题5" in page and "议定5" in page
