"""The service API (/api/v1/problems/, /problem-figures/, /meetings/, /problem-categories/).

Scope on every read (out of scope is a 404 that never names the problem), a 403 with the
reason for those who see a problem or meeting but may not take that step, every step through
the services with their Chinese refusals keyed by field (and nothing written), a fixed number
of queries per list page, and figures equal to the selectors' with links that list exactly the
problems behind each number.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import Attachment, AuditEvent
from core.testing import Case, api_client_for, login_as, make_person, run_matrix
from organizations.choices import Role
from service import selectors, services
from service.models import Decision, Meeting, Problem, ProblemAssignment, ProblemCategory, ProblemEvent

pytestmark = pytest.mark.django_db

PROBLEMS = "/api/v1/problems/"
FIGURES = "/api/v1/problem-figures/"
MEETINGS = "/api/v1/meetings/"
CATEGORIES = "/api/v1/problem-categories/"
CJK = re.compile(r"[\u4e00-\u9fff]")
TODAY = datetime.date.today()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

TITLE = "珠宝厂房扩建用地"
MEETING_TITLE = "盐湖区夜沙龙（珠宝首饰企业专场）"
CATEGORY_NAME = "珠宝产业专项"

EVERYONE = ("office", "team_leader", "team_member", "county", "department", "leader", "sysadmin", "auditadmin")
EVERYONE += ("outsider", "other_county", "team", "power")
# Who sees the problem of the project at 盐湖区: the city's readers, the host county, the project's service team
# (专班小吴, who raised it) and the department it is assigned to (自然资源局); not 供电中心, not assigned.
SEES = ("office", "county", "team", "department", "leader", "sysadmin", "auditadmin")
BLIND = tuple(p for p in EVERYONE if p not in SEES)
ASSIGNS = ("office", "county", "team")  # the office and those who work the project
CONFIRMS = ("office", "county", "team")  # the raiser's side
RAISES = ("office", "team_leader", "team_member", "county", "department", "outsider", "other_county", "team", "power")
# Who sees the meeting hosted by 盐湖区: the city's readers and the county's own staff.
MEETING_READERS = ("office", "county", "team", "leader", "sysadmin", "auditadmin")
MEETING_KEEPERS = ("office", "county", "team")
MEETING_ROLES = ("office", "county", "department", "outsider", "other_county", "team", "power")
CITY_PEOPLE = tuple(p for p in EVERYONE if p != "outsider")


def only(*personas, code=200, default=404, **overrides):
    expect = dict.fromkeys(EVERYONE, default)
    expect.update(dict.fromkeys(personas, code))
    expect.update(overrides)
    return expect


def api(world, persona):
    return api_client_for(world[persona] if isinstance(persona, str) else persona)


def one(problem):
    return f"{PROBLEMS}{problem.pk}/"


def act(problem, name):
    return f"{PROBLEMS}{problem.pk}/{name}/"


def pdf(name="现场照片说明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def counts():
    """What a refused request must leave as it was."""
    return (
        tuple(
            Problem.objects.order_by("pk").values_list(
                "status", "lead_department", "due_on", "answer", "satisfaction", "reopen_count", "escalated"
            )
        ),
        tuple(ProblemAssignment.objects.order_by("pk").values_list("department", "is_lead", "accepted_at", "note")),
        ProblemEvent.objects.count(),
        tuple(Meeting.objects.order_by("pk").values_list("title", "held_on")),
        tuple(Decision.objects.order_by("pk").values_list("text", "done_on")),
        tuple(ProblemCategory.objects.order_by("pk").values_list("name", "due_days", "active")),
        Attachment.objects.count(),
        AuditEvent.objects.exclude(action="login").count(),
    )


def assert_error_on(response, field, *fragments):
    assert response.status_code == 400, response.content.decode()
    body = response.json()
    assert field in body, body
    messages = " ".join(str(m) for m in body[field])
    assert CJK.search(messages), messages
    for fragment in fragments:
        assert fragment in messages, messages


@pytest.fixture
def world(org, power_staff, team_member_of_project, category):
    org.people["other_county"] = make_person("ly_staff", org.other_county, Role.COUNTY_STAFF, "临猗县小周")
    org.people["team"] = team_member_of_project
    org.people["power"] = power_staff
    services.categories_for(org.other_city)  # reading them later writes nothing
    return org


@pytest.fixture
def accepted(world, raise_one):
    """A problem of the project at 盐湖区, raised by its service team, assigned to 自然资源局, which accepted it."""
    problem = raise_one(title=TITLE)
    services.assign_problem(actor=world["office"], problem=problem, departments=[world.department])
    services.accept_problem(actor=world["department"], problem=problem)
    problem.refresh_from_db()
    return problem


@pytest.fixture
def meeting(world, project):
    found = services.create_meeting(
        actor=world["county"],
        host_unit=world.county,
        kind="salon",
        title=MEETING_TITLE,
        held_on=TODAY,
        place="盐湖区企业服务中心",
        attendees="盐湖区副区长、自然资源局、供电中心",
        companies=list(project.investors.all()),
        projects=[project],
    )
    services.add_decision(
        actor=world["county"], meeting=found, text="自然资源局一周内提出用地方案", owner_unit=world.department
    )
    return found


@pytest.fixture
def custom_category(world):
    return services.save_category(
        actor=world["office"], owner=world.city, code="jewellery", name=CATEGORY_NAME, due_days=3
    )


# --- The permission matrix ---------------------------------------------------------------------------


def test_problems_show_each_persona_only_its_scope(world, accepted):
    run_matrix(
        world,
        [
            Case(
                PROBLEMS,
                only(*EVERYONE),
                api=True,
                anonymous=401,
                shown={p: [TITLE] for p in SEES},
                hidden={p: [TITLE] for p in BLIND},
            ),
            Case(
                PROBLEMS + "?inbox=1",
                only(*EVERYONE),
                api=True,
                anonymous=401,
                shown={"department": [TITLE]},
                hidden={p: [TITLE] for p in EVERYONE if p != "department"},
            ),
            Case(
                PROBLEMS + "?supervision=1",
                only(*EVERYONE),
                api=True,
                anonymous=401,
                hidden={p: [TITLE] for p in EVERYONE},
            ),
            Case(
                one(accepted),
                only(*SEES),
                api=True,
                anonymous=401,
                shown={p: [TITLE, "events", "assignments", "运城市自然资源局"] for p in SEES},
                hidden={p: [TITLE] for p in BLIND},
            ),
            Case(one(Problem(pk=999999)), only(default=404), api=True),
        ],
        personas=list(EVERYONE),
    )


def test_each_step_on_a_problem_answers_each_persona_by_its_part(world, accepted):
    """Those who may take a step reach the service (a 400 on the bad body); those who see the problem but may not
    take that step get a 403 with the reason before their body is read; the others a 404 that names nothing."""
    hidden = {p: [TITLE] for p in BLIND}

    def seen_but(*allowed):
        return dict.fromkeys(set(SEES) - set(allowed), 403)

    before = counts()
    cases = [
        Case(
            PROBLEMS,
            only(*RAISES, code=400, default=403),
            method="post",
            data={"title": "", "description": "", "category": accepted.category_id},
            api=True,
            anonymous=401,
        ),
        Case(
            act(accepted, "assign"),
            only(*ASSIGNS, code=400, **seen_but(*ASSIGNS)),
            method="post",
            data={"departments": [world.county.pk]},
            api=True,
            anonymous=401,
            hidden=hidden,
        ),
        Case(
            act(accepted, "accept"),
            only("department", code=400, **seen_but("department")),
            method="post",
            api=True,
            anonymous=401,
            hidden=hidden,
        ),
        Case(
            act(accepted, "answer"),
            only("department", code=400, **seen_but("department")),
            method="post",
            data={"answer": "", "solved": True},
            api=True,
            anonymous=401,
            hidden=hidden,
        ),
        Case(
            act(accepted, "confirm"),
            only(*CONFIRMS, code=400, **seen_but(*CONFIRMS)),
            method="post",
            data={"satisfaction": 9},
            api=True,
            anonymous=401,
            hidden=hidden,
        ),
        Case(
            act(accepted, "reopen"),
            only(*CONFIRMS, code=400, **seen_but(*CONFIRMS)),
            method="post",
            data={"reason": ""},
            api=True,
            anonymous=401,
            hidden=hidden,
        ),
        Case(
            act(Problem(pk=999999), "assign"),
            only(default=404, auditadmin=403),
            method="post",
            data={},
            api=True,
        ),
    ]
    run_matrix(world, cases, personas=list(EVERYONE))
    assert counts() == before


def test_a_refusal_says_why_in_chinese(world, accepted):
    response = api(world, "department").post(act(accepted, "assign"), {"departments": []}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有招商中心或项目服务专班可以交办问题。"
    response = api(world, "office").post(act(accepted, "answer"), {"answer": "已办"}, format="json")
    assert response.status_code == 403 and response.json()["detail"] == "该问题未交办给您的部门。"
    response = api(world, "leader").post(act(accepted, "confirm"), {"satisfaction": 5}, format="json")
    assert response.status_code == 403 and "确认办结" in response.json()["detail"]
    response = api(world, "power").post(act(accepted, "answer"), {"answer": "已办"}, format="json")
    assert response.status_code == 404 and TITLE not in response.content.decode()


def test_a_department_that_sees_a_problem_it_raised_may_not_answer_it_unassigned(world, category):
    """供电中心 raised it (so it sees it) but it is assigned to 自然资源局: answering is refused with the reason."""
    problem = services.raise_problem(
        actor=world["power"],
        title="园区供电线路迁改",
        description="园区道路拓宽需迁改 10kV 线路。",
        category=category["utilities"],
        owner=world.city,
    )
    services.assign_problem(actor=world["office"], problem=problem, departments=[world.department])
    before = counts()
    client = api(world, "power")
    assert client.get(one(problem)).status_code == 200
    for step, body in (("accept", {}), ("answer", {"answer": "已迁改", "solved": True})):
        response = client.post(act(problem, step), body, format="json")
        assert response.status_code == 403 and response.json()["detail"] == "该问题未交办给您的部门。"
    assert counts() == before


def test_meetings_show_each_persona_only_its_scope_and_only_their_keepers_record_decisions(world, meeting):
    url = f"{MEETINGS}{meeting.pk}/"
    decision = meeting.decisions.get()
    hidden = {p: [MEETING_TITLE] for p in EVERYONE if p not in MEETING_READERS}
    readers_403 = dict.fromkeys(set(MEETING_READERS) - set(MEETING_KEEPERS), 403)
    before = counts()
    run_matrix(
        world,
        [
            Case(
                MEETINGS,
                only(*EVERYONE),
                api=True,
                anonymous=401,
                shown={p: [MEETING_TITLE] for p in MEETING_READERS},
                hidden=hidden,
            ),
            Case(
                url,
                only(*MEETING_READERS),
                api=True,
                anonymous=401,
                shown={p: [MEETING_TITLE, "一周内提出用地方案"] for p in MEETING_READERS},
                hidden=hidden,
            ),
            Case(
                MEETINGS,
                only(*MEETING_ROLES, code=400, default=403),
                method="post",
                data={"host_unit": world.county.pk, "kind": "salon", "title": "", "held_on": "2024-05-01"},
                api=True,
                anonymous=401,
            ),
            Case(
                url + "decisions/",
                only(*MEETING_KEEPERS, code=400, **readers_403),
                method="post",
                data={"text": ""},
                api=True,
                anonymous=401,
                hidden=hidden,
            ),
            Case(
                url + "decision-done/",
                only(*MEETING_KEEPERS, code=400, **readers_403),
                method="post",
                data={"decision": decision.pk, "done_on": "昨天"},
                api=True,
                anonymous=401,
                hidden=hidden,
            ),
        ],
        personas=list(EVERYONE),
    )
    assert counts() == before


def test_categories_are_read_by_the_city_and_set_by_its_office(world, custom_category):
    url = f"{CATEGORIES}{custom_category.pk}/"
    before = counts()
    run_matrix(
        world,
        [
            Case(
                CATEGORIES,
                only(*EVERYONE),
                api=True,
                anonymous=401,
                shown={**{p: [CATEGORY_NAME, "用地"] for p in CITY_PEOPLE}, "outsider": ["临汾市", "用地"]},
                hidden={"outsider": [CATEGORY_NAME]},
            ),
            Case(CATEGORIES + f"?city={world.other_city.pk}", only("outsider"), api=True),
            Case(url, only(*CITY_PEOPLE), api=True, anonymous=401, hidden={"outsider": [CATEGORY_NAME]}),
            Case(
                CATEGORIES,
                only("office", code=400, default=403),
                method="post",
                data={"code": "new", "name": "新类别", "due_days": 0},
                api=True,
                anonymous=401,
            ),
            Case(
                url,
                only("office", code=400, default=403, outsider=404),
                method="patch",
                data={"due_days": 91},
                api=True,
                anonymous=401,
                hidden={"outsider": [CATEGORY_NAME]},
            ),
        ],
        personas=list(EVERYONE),
    )
    assert counts() == before


def test_figures_count_only_what_each_persona_may_see(world, accepted):
    run_matrix(
        world,
        [
            Case(
                FIGURES,
                only(*EVERYONE),
                api=True,
                anonymous=401,
                shown={p: ["运城市自然资源局"] for p in SEES},
                hidden={p: ["运城市自然资源局"] for p in BLIND},
            )
        ],
        personas=list(EVERYONE),
    )
    for persona in EVERYONE:
        raised = api(world, persona).get(FIGURES).json()["totals"]["raised"]
        assert raised == (1 if persona in SEES else 0), persona


# --- The walk, through the API ------------------------------------------------------------------------------


def test_a_problem_raised_at_a_salon_goes_to_two_departments_is_reopened_and_supervised(
    world, project, category, meeting, media_root
):
    team = api(world, "team")
    response = team.post(
        PROBLEMS,
        {
            "title": "扩大厂房并解决流动资金",
            "description": "订单增长，需新增用地约 20 亩，并需流动资金 500 万元。",
            "category": category["land"].pk,
            "project": project.pk,
            "meeting": meeting.pk,
            "urgency": "urgent",
            "files": [pdf()],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("WT") and body["status"] == "raised" and body["status_display"] == "待交办"
    assert body["source"] == "meeting" and body["meeting_title"] == MEETING_TITLE
    assert body["project_name"] == project.name and body["company_name"] == "运城市金玉珠宝有限公司"
    assert body["raised_by_name"] == "专班小吴" and body["raised_unit_name"] == "盐湖区"
    [attachment] = body["attachments"]
    assert attachment["name"] == "现场照片说明.pdf" and attachment["url"] == f"/files/{attachment['id']}/"
    assert [e["kind"] for e in body["events"]] == ["raised"]
    problem = Problem.objects.get(pk=body["id"])

    response = api(world, "office").post(
        act(problem, "assign"),
        {
            "departments": [world.department.pk, world.people["power"].home_unit_id],
            "lead_department": world.department.pk,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "assigned" and body["lead_department_name"] == "运城市自然资源局"
    assert [(a["department_name"], a["is_lead"]) for a in body["assignments"]] == [
        ("运城市自然资源局", True),
        ("运城市供电服务中心", False),
    ]
    assert body["due_on"] and body["due_on"] > body["raised_on"]

    department, power = api(world, "department"), api(world, "power")
    for client in (department, power):
        assert [row["id"] for row in client.get(PROBLEMS + "?inbox=1").json()["results"]] == [problem.pk]
    response = power.post(act(problem, "answer"), {"answer": "配套电力容量可满足"}, format="json")
    assert response.status_code == 200, response.json()
    assert_error_on(
        power.post(act(problem, "answer"), {"answer": "已办结", "solved": True}, format="json"), "solved", "牵头部门"
    )
    assert department.post(act(problem, "accept"), format="json").json()["status"] == "accepted"
    response = department.post(
        act(problem, "answer"), {"answer": "已安排 20 亩用地指标", "solved": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "solved" and response.json()["same_day"] is True
    assert department.get(PROBLEMS + "?inbox=1").json()["count"] == 0

    response = team.post(act(problem, "reopen"), {"reason": "流动资金问题尚未落实"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "reopened" and body["reopen_count"] == 1 and body["escalated"] == "reopened"
    for persona in ("office", "leader"):
        listed = api(world, persona).get(PROBLEMS + "?supervision=1").json()["results"]
        assert [row["id"] for row in listed] == [problem.pk], persona
    assert [row["id"] for row in department.get(PROBLEMS + "?inbox=1").json()["results"]] == [problem.pk]

    department.post(act(problem, "answer"), {"answer": "已对接银行授信 500 万元", "solved": True}, format="json")
    response = team.post(act(problem, "confirm"), {"satisfaction": 4, "note": "问题已解决"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "closed" and body["satisfaction"] == 4 and body["satisfaction_display"] == "满意"
    kinds = [e["kind"] for e in body["events"]]
    assert kinds == [
        "raised",
        "assigned",
        "answered",
        "accepted",
        "solved",
        "reopened",
        "escalated",
        "solved",
        "closed",
    ]
    assert body["events"][1]["actor_name"] == "招商中心小王"

    # The meeting lists the problem raised at it; the file is served to those who see the problem only.
    detail = api(world, "county").get(f"{MEETINGS}{meeting.pk}/").json()
    assert [p["id"] for p in detail["problems"]] == [problem.pk] and detail["projects"][0]["name"] == project.name
    assert login_as(Client(), world["department"]).get(attachment["url"]).status_code == 200
    assert login_as(Client(), world["other_county"]).get(attachment["url"]).status_code == 404


def test_a_complaints_phone_is_whole_only_for_the_office_of_its_city(world, category):
    complaint = services.submit_complaint(
        owner=world.city,
        company_name="运城市金玉珠宝有限公司",
        contact_name="王彬",
        contact_phone="139 0359 1234",
        category=category["environment"],
        description="办理消防验收时多次往返，材料要求不一致。",
    )
    services.assign_problem(actor=world["office"], problem=complaint, departments=[world.department])
    for persona, phone in (("office", "13903591234"), ("leader", "139****1234"), ("department", "139****1234")):
        client = api(world, persona)
        assert client.get(one(complaint)).json()["contact_phone"] == phone, persona
        [row] = client.get(PROBLEMS).json()["results"]
        assert row["contact_phone"] == phone and row["is_complaint"] is True, persona
        assert "13903591234" not in client.get(PROBLEMS).content.decode() or persona == "office"


def test_a_meeting_is_recorded_with_decisions_through_the_api(world, project):
    county = api(world, "county")
    response = county.post(
        MEETINGS,
        {
            "host_unit": world.county.pk,
            "kind": "breakfast",
            "title": "盐湖区政企早餐会",
            "held_on": TODAY.isoformat(),
            "place": "盐湖区政务服务中心",
            "attendees": "区长、企业代表",
            "projects": [project.pk],
            "companies": list(project.investors.values_list("pk", flat=True)),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind_display"] == "早餐会" and body["host_unit_name"] == "盐湖区"
    assert body["companies"][0]["name"] == "运城市金玉珠宝有限公司" and body["decisions"] == []
    url = f"{MEETINGS}{body['id']}/"
    due = TODAY + datetime.timedelta(days=7)
    response = county.post(
        url + "decisions/",
        {
            "text": "供电中心两周内完成线路迁改",
            "owner_unit": world.people["power"].home_unit_id,
            "due_on": due.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    [decision] = response.json()["decisions"]
    assert decision["owner_unit_name"] == "运城市供电服务中心" and decision["done_on"] is None
    response = api(world, "office").post(url + "decision-done/", {"decision": decision["id"]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["decisions"][0]["done_on"] == TODAY.isoformat()
    listed = county.get(MEETINGS).json()["results"][0]
    assert (listed["decision_count"], listed["open_decision_count"], listed["problem_count"]) == (1, 0, 0)


def test_a_decision_of_another_meeting_is_refused_and_a_due_date_before_the_meeting_too(world, meeting):
    other = services.create_meeting(
        actor=world["office"], host_unit=world.county, kind="tea", title="下午茶", held_on=TODAY
    )
    before = counts()
    county = api(world, "county")
    decision = meeting.decisions.get()
    assert_error_on(
        county.post(f"{MEETINGS}{other.pk}/decision-done/", {"decision": decision.pk}, format="json"),
        "decision",
        "本次会议没有",
    )
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    assert_error_on(
        county.post(f"{MEETINGS}{other.pk}/decisions/", {"text": "x", "due_on": yesterday}, format="json"),
        "due_on",
        "不能早于会议日期",
    )
    assert counts() == before


def test_the_office_sets_a_category_and_its_due_days(world):
    office = api(world, "office")
    response = office.post(CATEGORIES, {"code": "jewellery", "name": "珠宝专项", "due_days": 3}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner_name"] == "运城市" and body["due_days"] == 3
    response = office.patch(f"{CATEGORIES}{body['id']}/", {"due_days": 5, "active": False}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["due_days"], response.json()["active"], response.json()["code"]) == (5, False, "jewellery")
    assert_error_on(
        office.post(CATEGORIES, {"code": "jewellery", "name": "重复", "due_days": 3}, format="json"), "code"
    )
    names = [row["name"] for row in api(world, "county").get(CATEGORIES).json()["results"]]
    assert names[0] == "审批" and "用地" in names and "珠宝专项" in names


# --- Bad input: a clear message on its field, nothing written --------------------------------------------------


@pytest.fixture
def raised(raise_one):
    return raise_one(title=TITLE, raised_on=datetime.date(2024, 5, 10))


def test_assigning_to_a_unit_that_is_not_a_department_is_refused(world, raised):
    before = counts()
    response = api(world, "office").post(act(raised, "assign"), {"departments": [world.county.pk]}, format="json")
    assert_error_on(response, "departments", "不是职能部门")
    # Another city's department is not even a unit the office may name.
    response = api(world, "office").post(
        act(raised, "assign"), {"departments": [world.other_city_county.pk]}, format="json"
    )
    assert_error_on(response, "departments", "不在您所在的城市")
    assert counts() == before


def test_a_due_date_before_the_raising_date_is_refused(world, raised):
    before = counts()
    response = api(world, "team").post(
        act(raised, "assign"), {"departments": [world.department.pk], "due_on": "2024-05-01"}, format="json"
    )
    assert_error_on(response, "due_on", "不能早于提出日期", "2024-05-10")
    assert counts() == before


def test_the_lead_department_must_be_one_of_the_departments(world, raised, power):
    before = counts()
    response = api(world, "office").post(
        act(raised, "assign"),
        {"departments": [world.department.pk], "lead_department": power.pk},
        format="json",
    )
    assert_error_on(response, "lead_department", "牵头部门须是承办部门之一")
    assert counts() == before


def test_solving_what_is_not_yours_to_solve_is_refused(world, raised, power):
    services.assign_problem(
        actor=world["office"], problem=raised, departments=[world.department, power], lead_department=world.department
    )
    before = counts()
    # 供电中心 is assigned, but not in the lead: it may answer, not solve.
    response = api(world, "power").post(act(raised, "answer"), {"answer": "已办结", "solved": True}, format="json")
    assert_error_on(response, "solved", "只有牵头部门可以办结问题")
    # A department it is not assigned to does not even see it.
    other = make_person("gt_staff", make_department(world), Role.DEPARTMENT_STAFF, "国土小孙")
    response = api(world, other).post(act(raised, "answer"), {"answer": "已办结", "solved": True}, format="json")
    assert response.status_code == 404 and TITLE not in response.content.decode()
    assert counts() == before


def make_department(world):
    from core.testing import make_unit
    from organizations.choices import UnitKind

    return make_unit("YC-ZJ", "运城市住建局", UnitKind.DEPARTMENT, world.city)


def test_an_empty_answer_is_refused(world, accepted):
    before = counts()
    for body in ({"answer": "   ", "solved": True}, {"solved": True}):
        assert_error_on(
            api(world, "department").post(act(accepted, "answer"), body, format="json"), "answer", "请填写办理答复"
        )
    assert counts() == before


@pytest.mark.parametrize("satisfaction", [2, 9, "很满意", None])
def test_a_bad_satisfaction_is_refused(world, accepted, satisfaction):
    services.answer_problem(actor=world["department"], problem=accepted, answer="已办结", solved=True)
    before = counts()
    response = api(world, "team").post(act(accepted, "confirm"), {"satisfaction": satisfaction}, format="json")
    assert_error_on(response, "satisfaction", "满意度")
    assert counts() == before


def test_a_step_the_status_does_not_allow_is_refused(world, accepted):
    before = counts()
    response = api(world, "team").post(act(accepted, "confirm"), {"satisfaction": 5}, format="json")
    assert_error_on(response, "non_field_errors", "已受理办理中")
    assert_error_on(api(world, "team").post(act(accepted, "reopen"), {"reason": ""}, format="json"), "reason", "原因")
    assert counts() == before


def test_a_raised_problem_needs_a_title_a_description_and_a_category_of_the_city(world, project, category):
    from service.services import categories_for

    other_category = categories_for(world.other_city)[0]
    before = counts()
    team = api(world, "team")
    body = {"title": "  ", "description": "需新增用地", "category": category["land"].pk, "project": project.pk}
    assert_error_on(team.post(PROBLEMS, body, format="json"), "title", "不能为空")
    body = {"title": "用地", "description": "需新增用地", "category": other_category.pk, "project": project.pk}
    assert_error_on(team.post(PROBLEMS, body, format="json"), "category", "不属于您所在的城市")
    body = {"title": "用地", "description": "需新增用地", "category": category["land"].pk, "raised_on": "2999-01-01"}
    assert_error_on(team.post(PROBLEMS, body, format="json"), "raised_on", "不能晚于今天")
    body = {
        "title": "用地",
        "description": "需",
        "category": category["land"].pk,
        "files": [SimpleUploadedFile("a.exe", b"MZ")],
    }
    assert_error_on(team.post(PROBLEMS, body, format="multipart"), "files", "不支持的文件类型")
    body = {"title": "用地", "description": "需", "category": category["land"].pk, "status": "closed"}
    assert_error_on(team.post(PROBLEMS, body, format="json"), "status", "不能在此填写")
    assert counts() == before


def test_a_meeting_host_out_of_ones_scope_or_of_a_wrong_kind_is_refused(world):
    before = counts()
    body = {"host_unit": world.other_county.pk, "kind": "salon", "title": "夜沙龙", "held_on": "2024-05-01"}
    assert_error_on(api(world, "county").post(MEETINGS, body, format="json"), "host_unit", "无权查看")
    body = {"host_unit": world.county.pk, "kind": "party", "title": "夜沙龙", "held_on": "2024-05-01"}
    assert_error_on(api(world, "county").post(MEETINGS, body, format="json"), "kind")
    assert counts() == before


# --- Figures, and the lists behind them ------------------------------------------------------------------------


@pytest.fixture
def many(world, project, category, raise_one, power):
    """Problems in every state: solved the same day, reopened, overdue, closed with a grade, a complaint unassigned."""
    office, dept = world["office"], world["department"]
    made = []
    for i, code in enumerate(("land", "approval", "utilities", "financing", "land")):
        made.append(raise_one(title=f"问题{i}", code=code, raised_on=datetime.date(2024, 3, 1 + i)))
    solved, reopened, overdue, closed, fresh = made
    for problem in (solved, reopened, closed):
        services.assign_problem(actor=office, problem=problem, departments=[world.department])
        services.answer_problem(actor=dept, problem=problem, answer="已办", solved=True)
    services.assign_problem(
        actor=office,
        problem=overdue,
        departments=[power, world.department],
        lead_department=power,
        due_on=datetime.date(2024, 3, 20),
    )
    services.reopen_problem(actor=world["team"], problem=reopened, reason="未落实")
    services.confirm_problem(actor=world["team"], problem=closed, satisfaction=3)
    services.raise_problem(
        actor=world["other_county"],
        title="临猗县果品冷库用电",
        description="冷库扩建需增容。",
        category=category["utilities"],
        raised_on=datetime.date(2024, 6, 1),
    )
    services.submit_complaint(
        owner=world.city,
        company_name="运城市某物流公司",
        contact_name="李四",
        contact_phone="13900001111",
        category=category["environment"],
        description="办理道路运输许可证多次被要求补充材料。",
    )
    return made


FIGURE_KEYS = ("raised", "solved", "on_time", "same_day", "reopened", "overdue", "satisfaction")
FIGURE_KEYS += ("on_time_share", "same_day_share")


def figures_of(row):
    return {key: row[key] for key in FIGURE_KEYS}


@pytest.mark.parametrize(
    ("persona", "query"),
    [("office", {}), ("office", {"unit": "county", "start": "2024-03-02", "end": "2024-12-31"}), ("county", {})],
)
def test_figures_through_the_api_equal_the_selectors_and_each_links_to_exactly_its_problems(
    world, many, persona, query
):
    from django.db.models import Q

    params = {}
    problems = selectors.problems_for(world[persona])
    if "unit" in query:
        unit = getattr(world, query["unit"])
        params["unit"] = unit.pk
        problems = problems.filter(
            Q(raised_unit__path__startswith=unit.path) | Q(project__host_unit__path__startswith=unit.path)
        )
    if "start" in query:
        params["start"] = query["start"]
        problems = problems.filter(raised_on__gte=query["start"])
    if "end" in query:
        params["end"] = query["end"]
        problems = problems.filter(raised_on__lte=query["end"])
    client = api(world, persona)
    response = client.get(FIGURES, params)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert figures_of(body["totals"]) == figures_of(selectors.figures(problems))
    for key, field in (
        ("by_lead_department", "lead_department"),
        ("by_raised_unit", "raised_unit"),
        ("by_category", "category"),
    ):
        expected = selectors.figures_by(problems, field)
        assert [(r["key"], r["name"]) for r in body[key]] == [(r["key"], r["name"]) for r in expected], key
        for got, want in zip(body[key], expected, strict=True):
            assert figures_of(got) == figures_of(want), (key, got["name"])
    rows = [body["totals"], *body["by_lead_department"], *body["by_raised_unit"], *body["by_category"]]
    for row in rows:
        assert row["link"] == row["links"]["raised"]
        for measure, link in row["links"].items():
            listed = client.get(link).json()
            assert listed["count"] == row[measure], (row.get("name"), measure, link)
    if persona == "office" and not query:
        totals = body["totals"]
        assert (totals["raised"], totals["solved"], totals["reopened"], totals["overdue"]) == (7, 2, 1, 2)
        assert totals["same_day_share"] == 100.0 and totals["satisfaction"] == 3.0
        assert any(row["key"] is None and row["name"] is None for row in body["by_lead_department"])


def test_figures_refuse_a_bad_period_or_unit(world):
    assert_error_on(api(world, "office").get(FIGURES, {"start": "2024-05-01", "end": "2024-04-01"}), "end", "不能早于")
    assert_error_on(api(world, "office").get(FIGURES, {"start": "五月"}), "start")
    assert_error_on(api(world, "county").get(FIGURES, {"unit": world.other_county.pk}), "unit", "无权查看")


def test_the_list_filters_as_the_page_does(world, many, category):
    office = api(world, "office")

    def titles(**params):
        return sorted(row["title"] for row in office.get(PROBLEMS, {"page_size": 500, **params}).json()["results"])

    assert titles(status="closed") == ["问题3"]
    # 问题1 was reopened after its due date passed, 问题2 was never solved: both are overdue.
    assert titles(overdue="true") == ["问题1", "问题2"]
    assert titles(escalated="true") == ["问题1"]
    assert titles(category=category["approval"].pk) == ["问题1"]
    assert titles(unit=world.other_county.pk) == ["临猗县果品冷库用电"]
    assert titles(source="hotline") == ["运城市某物流公司：营商环境问题"]
    assert_error_on(office.get(PROBLEMS, {"status": "flying"}), "status")


# --- Query budgets -----------------------------------------------------------------------------------------


def grow(world, project, category, n, start=0):
    """n problems, each with its own company, category and meeting, assigned, some overdue; meetings with decisions."""
    codes = list(category)
    for i in range(start, start + n):
        held = datetime.date(2024, 1, 1) + datetime.timedelta(days=i)
        meeting = services.create_meeting(
            actor=world["county"], host_unit=world.county, kind="salon", title=f"预算夜沙龙{i}", held_on=held
        )
        services.add_decision(actor=world["county"], meeting=meeting, text=f"议定事项{i}", owner_unit=world.department)
        problem = services.raise_problem(
            actor=world["team"],
            title=f"预算问题{i}",
            description="预算测试",
            category=category[codes[i % len(codes)]],
            project=project if i % 2 else None,
            company_name=f"预算企业{i}有限公司",
            meeting=meeting,
            raised_on=held,
        )
        services.assign_problem(
            actor=world["office"],
            problem=problem,
            departments=[world.department, world.people["power"].home_unit],
            due_on=held + datetime.timedelta(days=3),
        )
        services.answer_problem(actor=world["power"], problem=problem, answer="协办意见")


@pytest.mark.parametrize(
    ("url", "persona"),
    [
        (PROBLEMS, "office"),
        (PROBLEMS, "team"),
        (PROBLEMS + "?inbox=1", "department"),
        (PROBLEMS + "?supervision=1", "office"),
        (PROBLEMS + "?supervision=1", "leader"),
        (PROBLEMS + "?status=assigned&overdue=true&department=" + "{department}", "county"),
        (MEETINGS, "office"),
        (MEETINGS, "county"),
    ],
)
def test_api_lists_keep_a_fixed_query_count_as_data_grows(
    world, project, category, url, persona, django_assert_max_num_queries
):
    url = url.format(department=world.department.pk)
    grow(world, project, category, 2)
    client = api(world, persona)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(world, project, category, 8, start=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(url).json()
    assert body["count"] >= 10, body["count"]


def test_detail_pages_keep_a_fixed_query_count_however_long_their_history(
    world, project, category, raise_one, django_assert_max_num_queries
):
    grow(world, project, category, 1)
    problem = Problem.objects.get()
    meeting = Meeting.objects.get()
    client = api(world, "county")
    with CaptureQueriesContext(connection) as small:
        assert client.get(one(problem)).status_code == 200
    with CaptureQueriesContext(connection) as small_meeting:
        assert client.get(f"{MEETINGS}{meeting.pk}/").status_code == 200
    services.answer_problem(actor=world["department"], problem=problem, answer="已办", solved=True)
    services.reopen_problem(actor=world["team"], problem=problem, reason="未落实")
    services.answer_problem(actor=world["department"], problem=problem, answer="已办", solved=True)
    services.confirm_problem(actor=world["team"], problem=problem, satisfaction=5)
    for i in range(4):
        raise_one(title=f"会上问题{i}", meeting=meeting)
        services.add_decision(actor=world["county"], meeting=meeting, text=f"议定事项追加{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(one(problem)).json()
    assert len(body["events"]) >= 8 and len(body["assignments"]) == 2
    with django_assert_max_num_queries(len(small_meeting.captured_queries)):
        body = client.get(f"{MEETINGS}{meeting.pk}/").json()
    assert len(body["problems"]) == 5 and len(body["decisions"]) == 5


def test_api_lists_are_paginated(world, raise_one):
    for i in range(7):
        raise_one(title=f"分页问题{i}", code=("land", "approval", "labour")[i % 3])
    body = api(world, "office").get(PROBLEMS + "?page_size=5").json()
    assert body["count"] == 7 and len(body["results"]) == 5 and body["next"]
