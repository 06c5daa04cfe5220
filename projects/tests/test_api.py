"""The projects API (/api/v1/projects/, /stage-changes/, /project-rounds/, /project-settings/).

Scope on every read (out of scope is a 404 that never names the project), a 403 with the
reason for those who see a project but may not act on it, the actions through the services
with their Chinese refusals keyed by field (and nothing written), a fixed number of queries
per list page, and rates equal to the figures the selectors compute.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import Attachment, AuditEvent
from core.testing import Case, api_client_for, login_as, make_person, run_matrix
from organizations.choices import Role
from organizations.models import Membership
from projects import selectors, services
from projects.choices import Batch, RateBasis, Stage
from projects.models import (
    Amendment,
    MonthlyProgress,
    Project,
    ProjectDuty,
    ProjectSettings,
    ProjectTeamMember,
    Round,
    RoundEntry,
    StageChange,
)

from .conftest import pdf, png

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/projects/"
CHANGES = "/api/v1/stage-changes/"
ROUNDS = "/api/v1/project-rounds/"
SETTINGS = "/api/v1/project-settings/"
CJK = re.compile(r"[\u4e00-\u9fff]")
TODAY = datetime.date.today()
YI = Decimal(10000)

NAME = "盐湖区氢能装备制造项目"
OTHER_NAME = "临猗县果品深加工项目"
ROUND_NAME = "盐湖区2022年第一次“三个一批”"

EVERYONE = ("office", "team_leader", "team_member", "county", "department", "leader", "sysadmin", "auditadmin")
EVERYONE += ("outsider", "other_county", "verifier")
# Who sees the project at 盐湖区 (responsible unit: 自然资源局; service team: 北京组小李).
SEES = ("office", "county", "department", "team_member", "leader", "sysadmin", "auditadmin", "verifier")
BLIND = ("team_leader", "outsider", "other_county")
MANAGE = ("office", "county")
WORK = ("office", "county", "department", "team_member")
# Who sees the round held by 盐湖区: the city's readers and the host county; not the service team.
ROUND_READERS = ("office", "county", "leader", "sysadmin", "auditadmin", "verifier")
ENTERING = ("office", "county", "outsider", "other_county")


def only(*personas, code=200, default=404, **overrides):
    expect = dict.fromkeys(EVERYONE, default)
    expect.update(dict.fromkeys(personas, code))
    expect.update(overrides)
    return expect


def api(world, persona):
    return api_client_for(world[persona] if isinstance(persona, str) else persona)


def one(project):
    return f"{PROJECTS}{project.pk}/"


def act(project, name):
    return f"{PROJECTS}{project.pk}/{name}/"


def counts():
    """What a refused request must leave as it was."""
    return (
        Project.objects.count(),
        StageChange.objects.count(),
        MonthlyProgress.objects.count(),
        Amendment.objects.count(),
        ProjectTeamMember.objects.count(),
        ProjectDuty.objects.count(),
        Round.objects.count(),
        RoundEntry.objects.count(),
        ProjectSettings.objects.count(),
        Attachment.objects.count(),
        AuditEvent.objects.exclude(action="login").count(),
        tuple(
            Project.objects.order_by("pk").values_list(
                "name", "stage", "verified_stage", "total_investment", "completed_investment", "funds_arrived"
            )
        ),
        tuple(StageChange.objects.order_by("pk").values_list("verification", flat=True)),
    )


def assert_error_on(response, field, *fragments):
    assert response.status_code == 400, response.content.decode()
    body = response.json()
    assert field in body, body
    messages = " ".join(str(m) for m in body[field])
    assert CJK.search(messages), messages
    for fragment in fragments:
        assert fragment in messages, messages


def txt(name="合同.txt"):
    return SimpleUploadedFile(name, b"just some text", content_type="text/plain")


@pytest.fixture
def world(org):
    org.people["other_county"] = make_person("ly_staff", org.other_county, Role.COUNTY_STAFF, "临猗县小周")
    org.people["verifier"] = org.verifier
    return org


@pytest.fixture
def project(world, make_project):
    """A project at 盐湖区 with its 包联: the city leader, 自然资源局 responsible, 北京组小李 in the service team."""
    found = make_project(name=NAME, total_investment=Decimal("50000"))
    services.set_assignment(
        actor=world["office"],
        project=found,
        leader=world["leader"],
        responsible_unit=world.department,
        team=[world["team_member"]],
        head=world["team_member"],
    )
    found.refresh_from_db()
    return found


@pytest.fixture
def other_project(world, make_project):
    return make_project(name=OTHER_NAME, host=world.other_county)


@pytest.fixture
def signed(project, walk):
    return walk(project, Stage.SIGNED)


@pytest.fixture
def pending_change(signed, world):
    """A move to 开工 recorded by the county, awaiting the verifier."""
    change = services.advance_stage(
        actor=world["county"],
        project=signed,
        to=Stage.STARTED,
        happened_on=datetime.date(2022, 5, 1),
        evidence_kind="permit",
        files=[pdf("施工许可证.pdf")],
    )
    signed.refresh_from_db()
    return change


@pytest.fixture
def listed_round(world, signed):
    found = services.create_round(
        actor=world["office"], host_unit=world.county, name=ROUND_NAME, held_on=datetime.date(2022, 4, 20)
    )
    services.add_to_round(actor=world["office"], round=found, project=signed, batch=Batch.SIGNED)
    return found


# --- The permission matrix ---------------------------------------------------------------------------


def test_project_list_and_detail_show_each_persona_only_its_scope(world, project, other_project):
    run_matrix(
        world,
        [
            Case(
                PROJECTS,
                only(*EVERYONE),
                api=True,
                anonymous=401,
                shown={
                    **{p: [NAME] for p in SEES},
                    "office": [NAME, OTHER_NAME],
                    "other_county": [OTHER_NAME],
                },
                hidden={
                    **{p: [NAME] for p in BLIND},
                    **{p: [OTHER_NAME] for p in ("county", "department", "team_member", "team_leader", "outsider")},
                },
            ),
            Case(
                one(project),
                only(*SEES),
                api=True,
                anonymous=401,
                shown={p: [NAME, "stage_changes", "team"] for p in SEES},
                hidden={p: [NAME] for p in BLIND},
            ),
            Case(
                one(other_project),
                only("office", "leader", "sysadmin", "auditadmin", "verifier", "other_county"),
                api=True,
            ),
            Case(one(Project(pk=999999)), only(default=404), api=True),
        ],
        personas=list(EVERYONE),
    )


def test_project_writes_answer_each_persona_by_its_part(world, project):
    """Those who may act reach the service (a 400 on the bad body); those who see but may not get a 403 with the
    reason before their body is read; those who do not see the project get a 404 that names nothing."""
    seen_not_managing = dict.fromkeys(set(SEES) - set(MANAGE), 403)
    seen_not_working = dict.fromkeys(set(SEES) - set(WORK), 403)
    hidden = {p: [NAME] for p in BLIND}
    before = counts()
    cases = [
        Case(
            one(project),
            only(*MANAGE, code=400, **seen_not_managing),
            method="patch",
            data={"total_investment": "五千万元"},
            api=True,
            anonymous=401,
            hidden=hidden,
        ),
        Case(
            PROJECTS,
            only(*ENTERING, code=400, default=403),
            method="post",
            data={"host_unit": world.county.pk, "name": "新项目", "total_investment": "五千万元"},
            api=True,
            anonymous=401,
        ),
        Case(
            PROJECTS + "from-lead/",
            only(*ENTERING, code=400, default=403),
            method="post",
            data={},
            api=True,
            anonymous=401,
        ),
        Case(
            act(project, "advance"),
            only(*WORK, code=400, **seen_not_working),
            method="post",
            data={},
            api=True,
            anonymous=401,
            hidden=hidden,
        ),
        Case(
            act(project, "progress"),
            only(*WORK, code=400, **seen_not_working),
            method="post",
            data={},
            api=True,
            hidden=hidden,
        ),
        Case(
            act(project, "assignment"),
            only(*MANAGE, code=400, **seen_not_managing),
            method="post",
            data={"leader": 999999},
            api=True,
            hidden=hidden,
        ),
        Case(
            act(project, "duties"),
            only(*MANAGE, code=400, **seen_not_managing),
            method="post",
            data={"duties": [{"duty": "无此职责", "person_name": "张三"}]},
            api=True,
            hidden=hidden,
        ),
        Case(
            act(project, "amend"),
            only(*MANAGE, code=400, **seen_not_managing),
            method="post",
            data={},
            api=True,
            hidden=hidden,
        ),
        Case(
            act(project, "library"),
            only(*MANAGE, code=400, **seen_not_managing),
            method="post",
            data={"library_date": "去年"},
            api=True,
            hidden=hidden,
        ),
        Case(
            act(Project(pk=999999), "advance"),
            only(default=404, auditadmin=403),
            method="post",
            data={},
            api=True,
        ),
    ]
    run_matrix(world, cases, personas=list(EVERYONE))
    assert counts() == before


def test_a_refusal_says_why_in_chinese(world, project):
    response = api(world, "department").post(act(project, "assignment"), {"leader": None}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有本市招商中心或落地县区可以安排项目包联。"
    response = api(world, "leader").post(act(project, "advance"), {}, format="json")
    assert response.status_code == 403 and "变更项目阶段" in response.json()["detail"]
    response = api(world, "outsider").post(act(project, "advance"), {}, format="json")
    assert response.status_code == 404 and NAME not in response.content.decode()


def test_stage_changes_show_each_persona_only_its_scope_and_only_verifiers_verify(world, pending_change):
    url = f"{CHANGES}{pending_change.pk}/"
    seen_not_verifying = dict.fromkeys(set(SEES) - {"verifier"}, 403)
    before = counts()
    run_matrix(
        world,
        [
            Case(
                CHANGES,
                only(*EVERYONE),
                api=True,
                anonymous=401,
                shown={p: [NAME] for p in SEES},
                hidden={p: [NAME] for p in BLIND},
            ),
            Case(
                CHANGES + "?pending=1",
                only(*EVERYONE),
                api=True,
                shown={"verifier": [NAME]},
                hidden={p: [NAME] for p in EVERYONE if p != "verifier"},
            ),
            Case(url, only(*SEES), api=True, anonymous=401, hidden={p: [NAME] for p in BLIND}),
            Case(
                url + "verify/",
                only("verifier", code=400, **seen_not_verifying),
                method="post",
                data={},
                api=True,
                anonymous=401,
                hidden={p: [NAME] for p in BLIND},
            ),
        ],
        personas=list(EVERYONE),
    )
    assert counts() == before


def test_rounds_show_each_persona_only_its_scope_and_only_their_keepers_change_them(world, listed_round, signed):
    url = f"{ROUNDS}{listed_round.pk}/"
    entry = listed_round.entries.get()
    not_round_readers = {p: [ROUND_NAME] for p in EVERYONE if p not in ROUND_READERS}
    readers_403 = dict.fromkeys(set(ROUND_READERS) - set(MANAGE), 403)
    before = counts()
    run_matrix(
        world,
        [
            Case(
                ROUNDS,
                only(*EVERYONE),
                api=True,
                anonymous=401,
                shown={p: [ROUND_NAME] for p in ROUND_READERS},
                hidden=not_round_readers,
            ),
            Case(url, only(*ROUND_READERS), api=True, anonymous=401, hidden=not_round_readers),
            Case(url + "rates/", only(*ROUND_READERS), api=True, anonymous=401, hidden=not_round_readers),
            Case(url + "rates/?basis=count", only(*ROUND_READERS), api=True),
            Case(ROUNDS + "period-rates/", only(*EVERYONE), api=True, anonymous=401, hidden=not_round_readers),
            Case(
                ROUNDS,
                only(*ENTERING, code=400, default=403),
                method="post",
                data={"host_unit": world.county.pk, "name": "", "held_on": "2022-04-20"},
                api=True,
                anonymous=401,
            ),
            Case(
                url + "entries/",
                only(*MANAGE, code=400, **readers_403),
                method="post",
                data={"project": signed.pk, "batch": Batch.SIGNED},
                api=True,
                anonymous=401,
                hidden=not_round_readers,
            ),
        ],
        personas=list(EVERYONE),
    )
    assert counts() == before
    # Removing a project: everyone but its keepers first, then the county removes it, once.
    keepers = [p for p in EVERYONE if p not in MANAGE]
    run_matrix(
        world,
        [
            Case(
                f"{url}entries/{entry.pk}/",
                only(default=404, **readers_403),
                method="delete",
                api=True,
                anonymous=401,
                hidden=not_round_readers,
            )
        ],
        personas=keepers,
    )
    assert counts() == before
    assert api(world, "county").delete(f"{url}entries/{entry.pk}/").status_code == 204
    assert api(world, "office").delete(f"{url}entries/{entry.pk}/").status_code == 404
    assert not RoundEntry.objects.exists()


def test_the_counting_rules_are_read_by_the_city_and_set_by_its_office(world):
    before = counts()
    run_matrix(
        world,
        [
            Case(
                SETTINGS,
                only(*EVERYONE),
                api=True,
                anonymous=401,
                shown={"office": ["运城市"], "outsider": ["临汾市"]},
                hidden={"outsider": ["运城市"], "county": ["临汾市"]},
            ),
            Case(SETTINGS + f"?city={world.other_city.pk}", only("outsider"), api=True),
            Case(
                SETTINGS,
                only("office", code=400, default=403),
                method="patch",
                data={"min_count_amount": "五千万元"},
                api=True,
                anonymous=401,
            ),
        ],
        personas=list(EVERYONE),
    )
    assert counts() == before
    response = api(world, "office").patch(SETTINGS, {"min_count_amount": "1亿", "progress_due_day": 10}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["min_count_amount"] == "10000.0000" and response.json()["progress_due_day"] == 10
    assert api(world, "county").get(SETTINGS).json()["min_count_amount"] == "10000.0000"
    assert_error_on(
        api(world, "office").patch(SETTINGS, {"progress_due_day": 31}, format="json"), "progress_due_day", "1 到 28"
    )


# --- The walk, through the API -----------------------------------------------------------------------------


def test_a_project_is_entered_signed_with_its_contract_and_confirmed_through_the_api(world, media_root):
    county = api(world, "county")
    response = county.post(
        PROJECTS,
        {
            "host_unit": world.county.pk,
            "name": "年产5GW光伏组件项目",
            "investor_names": ["山西光伏科技有限公司"],
            "kind": "industrial",
            "total_investment": "5亿元",
            "fixed_investment": "约3亿",
            "stage": "negotiating",
            "first_contact_on": "2022-01-10",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["total_investment"] == "50000.0000" and body["fixed_investment"] == "30000.0000"
    assert body["stage"] == "negotiating" and body["investor_names"] == "山西光伏科技有限公司"
    assert [move["to"] for move in body["allowed_moves"]] == ["signed", "planned", "terminated"]
    project = Project.objects.get(pk=body["id"])

    response = county.post(
        act(project, "advance"),
        {"to": "signed", "happened_on": "2022-03-05", "evidence_kind": "contract", "files": [pdf("投资协议.pdf")]},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["stage"] == "signed" and body["pending"] is True and body["signed_on"] is None
    move = body["stage_changes"][-1]
    assert move["verification"] == "pending" and move["actor_name"] == "盐湖区小张"
    [evidence] = move["attachments"]
    assert evidence["name"] == "投资协议.pdf" and evidence["url"] == f"/files/{evidence['id']}/"

    verifier = api(world, "verifier")
    queue = verifier.get(CHANGES + "?pending=1").json()
    assert [row["id"] for row in queue["results"]] == [move["id"]]
    response = verifier.post(f"{CHANGES}{move['id']}/verify/", {"confirm": True, "note": "合同原件已核"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["verification"] == "confirmed" and response.json()["verified_by_name"] == "市核验员"
    assert verifier.get(CHANGES + "?pending=1").json()["count"] == 0

    body = county.get(one(project)).json()
    assert body["signed_on"] == "2022-03-05" and body["pending"] is False and body["verified_stage"] == "signed"
    assert body["cycle_days"]["contact_to_signing"] == 54
    # The evidence is served to those who see the project, and to no one else.
    assert login_as(Client(), world.verifier).get(evidence["url"]).status_code == 200
    assert login_as(Client(), world["outsider"]).get(evidence["url"]).status_code == 404


def test_a_project_is_converted_from_an_accepted_lead_once(world):
    from leads import services as lead_services

    lead = lead_services.create_lead(
        actor=world["team_member"],
        name="宁德时代动力电池基地项目",
        collected_date=TODAY,
        investor_name="宁德时代新能源科技股份有限公司",
        content="建设年产 20GWh 动力电池生产基地",
        estimated_amount=Decimal("500000"),
        contact_reached=True,
    )
    lead_services.assess_lead(
        actor=world["office"], lead=lead, grade="A", opinion="符合产业布局", receiving_unit=world.county
    )
    lead_services.accept_lead(actor=world["county"], lead=lead)
    county = api(world, "county")
    response = county.post(PROJECTS + "from-lead/", {"lead": lead.pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "宁德时代动力电池基地项目" and body["stage"] == "negotiating"
    assert body["lead"] == lead.pk and body["total_investment"] == "500000.0000"
    assert body["host_unit_name"] == "盐湖区" and body["investors"][0]["name"] == "宁德时代新能源科技股份有限公司"
    before = counts()
    assert_error_on(
        county.post(PROJECTS + "from-lead/", {"lead": lead.pk}, format="json"), "non_field_errors", "已转为项目"
    )
    # The other county does not see the lead: it is not told that it exists.
    assert_error_on(
        api(world, "other_county").post(PROJECTS + "from-lead/", {"lead": lead.pk}, format="json"), "lead", "无权查看"
    )
    assert counts() == before


def test_the_assignment_duties_progress_amendment_and_library_go_through_the_api(world, project, walk):
    office = api(world, "office")
    response = office.post(act(project, "assignment"), {"leader_name": "副县长 王强"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    # Fields not given keep their value: the unit and the team stay.
    assert body["leader_name"] == "副县长 王强" and body["responsible_unit_name"] == "运城市自然资源局"
    assert body["team"] == [{"user": world["team_member"].pk, "name": "北京组小李", "is_head": True}]

    response = office.post(
        act(project, "duties"),
        {
            "duties": [
                {"duty": "coordinate", "person_name": "王强", "unit": world.county.pk},
                {"duty": "production", "person_name": "李明", "unit": world.department.pk},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert [(d["duty_display"], d["person_name"]) for d in response.json()["duties"]] == [
        ("包协调", "王强"),
        ("包投产", "李明"),
    ]

    walk(project, Stage.STARTED)
    team = api(world, "team_member")
    response = team.post(
        act(project, "progress"),
        {
            "month": "2022-06",
            "completed_investment": "1.2亿",
            "funds_fixed": "8000",
            "funds_non_fixed": "4000万",
            "funds_outside_province": "10000",
            "progress": "主体厂房封顶",
            "problems": "用电指标待落实",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["completed_investment"] == "12000.0000" and body["funds_arrived"] == "12000.0000"
    [report] = body["progress_reports"]
    assert report["month"] == "2022-06-01" and report["funds_total"] == "12000.0000"
    assert report["reported_by_name"] == "北京组小李" and report["late"] is True

    response = office.post(
        act(project, "amend"),
        {"kind": "capital_increase", "happened_on": "2022-07-01", "amount": "1亿", "note": "二期扩产"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["total_investment"] == "60000.0000"
    assert response.json()["amendments"][0]["kind_display"] == "增资"

    response = api(world, "county").post(act(project, "library"), {"in_library": True, "filed": True}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["in_library"] and body["filed"] and body["library_date"] == TODAY.isoformat()

    response = office.patch(one(project), {"total_investment": "7亿", "note": "总投资调整"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["total_investment"] == "70000.0000" and response.json()["note"] == "总投资调整"


def test_a_project_detail_names_only_the_rounds_the_user_may_open(world, listed_round, signed):
    assert [r["round_name"] for r in api(world, "county").get(one(signed)).json()["rounds"]] == [ROUND_NAME]
    assert api(world, "team_member").get(one(signed)).json()["rounds"] == []


def test_a_verifier_cannot_confirm_a_move_they_recorded(world, signed):
    both = make_person("yh_both", world.county, Role.COUNTY_STAFF, "盐湖区核验员")
    Membership.objects.create(user=both, unit=world.county, role=Role.VERIFIER)
    client = api(world, both)
    response = client.post(
        act(signed, "advance"),
        {"to": "started", "happened_on": "2022-05-01", "evidence_kind": "site_photo", "files": [png()]},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    change = StageChange.objects.get(to_stage=Stage.STARTED)
    assert client.get(CHANGES + "?pending=1").json()["count"] == 0, "one's own move is not in one's queue"
    before = counts()
    assert_error_on(
        client.post(f"{CHANGES}{change.pk}/verify/", {"confirm": True}, format="json"), "non_field_errors", "记录人以外"
    )
    assert counts() == before
    assert api(world, "verifier").get(CHANGES + "?pending=1").json()["results"][0]["id"] == change.pk


def test_a_second_verification_of_one_move_is_refused_with_who_did_it(world, pending_change):
    second = make_person("verifier2", world.city, Role.VERIFIER, "市核验员二")
    url = f"{CHANGES}{pending_change.pk}/verify/"
    first = api(world, "verifier").post(url, {"confirm": True}, format="json")
    assert first.status_code == 200
    before = counts()
    assert_error_on(
        api(world, second).post(url, {"confirm": False, "note": "材料不全"}, format="json"),
        "non_field_errors",
        "市核验员",
    )
    assert counts() == before
    assert Project.objects.get(pk=pending_change.project_id).started_on == datetime.date(2022, 5, 1)


def test_a_move_sent_back_reverts_the_stage_and_needs_a_reason(world, pending_change):
    url = f"{CHANGES}{pending_change.pk}/verify/"
    before = counts()
    assert_error_on(api(world, "verifier").post(url, {"confirm": False}, format="json"), "note", "原因")
    assert counts() == before
    response = api(world, "verifier").post(url, {"confirm": False, "note": "许可证与项目不符"}, format="json")
    assert response.status_code == 200 and response.json()["verification"] == "rejected"
    project = Project.objects.get(pk=pending_change.project_id)
    assert project.stage == Stage.SIGNED and project.started_on is None


# --- Bad input: a clear message naming the field, nothing written --------------------------------------------


def test_a_stage_cannot_be_skipped(world, project):
    before = counts()
    response = api(world, "county").post(
        act(project, "advance"),
        {"to": "started", "happened_on": "2022-03-01", "evidence_kind": "permit", "files": [pdf()]},
        format="multipart",
    )
    assert_error_on(response, "to", "不能跳过", "签约")
    assert counts() == before


def test_a_step_back_needs_a_reason(world, project):
    before = counts()
    response = api(world, "county").post(
        act(project, "advance"), {"to": "planned", "happened_on": "2022-03-01"}, format="json"
    )
    assert_error_on(response, "reason", "须说明原因")
    assert counts() == before


def test_evidence_must_be_a_document_or_an_image(world, project, media_root):
    before = counts()
    response = api(world, "county").post(
        act(project, "advance"),
        {"to": "signed", "happened_on": "2022-03-01", "evidence_kind": "contract", "files": [txt()]},
        format="multipart",
    )
    assert_error_on(response, "files", "不支持的文件类型", "合同.txt")
    assert counts() == before
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))
    response = api(world, "county").post(
        act(project, "advance"),
        {"to": "signed", "happened_on": "2022-03-01", "evidence_kind": "contract"},
        format="json",
    )
    assert_error_on(response, "files", "佐证材料")
    assert counts() == before


def test_completed_investment_cannot_exceed_the_total(world, signed):
    before = counts()
    response = api(world, "team_member").post(
        act(signed, "progress"),
        {"month": "2022-04", "completed_investment": "6亿", "progress": "设备进场"},
        format="json",
    )
    assert_error_on(response, "completed_investment", "不能超过总投资", "50000")
    assert counts() == before


def test_no_funds_arrive_before_the_signing(world, project):
    before = counts()
    response = api(world, "county").post(
        act(project, "progress"),
        {"month": "2022-02", "completed_investment": "0", "funds_fixed": "500", "progress": "洽谈中"},
        format="json",
    )
    assert_error_on(response, "funds_fixed", "签约之前")
    assert counts() == before


def test_a_round_lists_a_project_once(world, listed_round, signed):
    before = counts()
    response = api(world, "county").post(
        f"{ROUNDS}{listed_round.pk}/entries/", {"project": signed.pk, "batch": "signed"}, format="json"
    )
    assert_error_on(response, "project", "已列入本次活动", NAME)
    assert counts() == before


@pytest.mark.parametrize("amount", ["五千万元", "若干", "-5", "5千亿亿"])
def test_an_amount_that_is_not_one_is_refused_on_its_field(world, amount):
    before = counts()
    response = api(world, "office").post(
        PROJECTS, {"host_unit": world.county.pk, "name": "某新材料项目", "total_investment": amount}, format="json"
    )
    assert_error_on(response, "total_investment", "总投资")
    assert counts() == before


def test_a_project_is_not_entered_as_signed_nor_for_a_county_one_does_not_serve(world):
    before = counts()
    response = api(world, "office").post(
        PROJECTS, {"host_unit": world.county.pk, "name": "某项目", "stage": "signed"}, format="json"
    )
    assert_error_on(response, "stage", "上传合同")
    response = api(world, "county").post(
        PROJECTS, {"host_unit": world.other_county.pk, "name": "某项目"}, format="json"
    )
    assert_error_on(response, "host_unit", "无权查看")
    response = api(world, "office").post(PROJECTS, {"host_unit": world.department.pk, "name": "某项目"}, format="json")
    assert_error_on(response, "host_unit", "不是县（市、区）或开发区")
    response = api(world, "office").post(
        PROJECTS, {"host_unit": world.county.pk, "name": "某项目", "colour": "红"}, format="json"
    )
    assert_error_on(response, "colour")
    assert counts() == before


def test_an_unknown_basis_is_refused(world, listed_round):
    assert_error_on(api(world, "office").get(f"{ROUNDS}{listed_round.pk}/rates/?basis=mood"), "basis")
    assert_error_on(api(world, "office").get(f"{ROUNDS}period-rates/?start=2023-01-01&end=2022-01-01"), "end", "早于")


# --- Rates through the API equal the figures the selectors compute ------------------------------------------


@pytest.fixture
def small_round(world, make_project, walk, move):
    """签约一批: 4 projects (3 started); 开工一批: 3 (2 producing, with investment completed); 投产一批: 2 (1 at capacity)."""
    found = services.create_round(
        actor=world["office"],
        host_unit=world.county,
        name="2022年第二次“三个一批”",
        held_on=datetime.date(2022, 3, 1),
        rate_decimals=1,
    )
    plan = [
        (Batch.SIGNED, Stage.STARTED, "12000", None),
        (Batch.SIGNED, Stage.STARTED, "8000", None),
        (Batch.SIGNED, Stage.STARTED, "5000", None),
        (Batch.SIGNED, Stage.SIGNED, "3000", None),
        (Batch.STARTED, Stage.PRODUCING, "20000", "15000"),
        (Batch.STARTED, Stage.PRODUCING, "10000", "6100"),
        (Batch.STARTED, Stage.STARTED, "9000", None),
        (Batch.PRODUCING, Stage.AT_CAPACITY, "30000", None),
        (Batch.PRODUCING, Stage.PRODUCING, "18000", None),
    ]
    for i, (batch, until, amount, completed) in enumerate(plan):
        project = make_project(name=f"三个一批项目{i + 1}", total_investment=Decimal(amount))
        walk(project, until)
        if completed:
            services.report_progress(
                actor=world["county"],
                project=project,
                month=datetime.date(2022, 9, 1),
                completed_investment=Decimal(completed),
                progress="已投产",
            )
        services.add_to_round(actor=world["office"], round=found, project=project, batch=batch)
    return found


@pytest.mark.parametrize("basis", [RateBasis.AMOUNT, RateBasis.COUNT])
def test_round_rates_through_the_api_equal_the_selectors(world, small_round, basis):
    expected = selectors.round_rates(
        [small_round], basis, decimals=small_round.rate_decimals, rounds_filter={"round": small_round.pk}
    )
    response = api(world, "county").get(f"{ROUNDS}{small_round.pk}/rates/?basis={basis.value}")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["basis"] == basis.value and body["basis_label"] == str(basis.label)
    assert [r["key"] for r in body["rates"]] == ["signed_started", "started_producing", "producing_capacity"]
    for got, rate in zip(body["rates"], expected, strict=True):
        assert got["label"] == str(rate.label) and got["basis"] == basis.value
        assert got["basis_label"] == ("按投资额" if basis == RateBasis.AMOUNT else "按项目个数")
        assert Decimal(got["numerator"]) == rate.numerator and Decimal(got["denominator"]) == rate.denominator
        assert Decimal(got["value"]) == rate.value, "the full precision, not the rounded figure"
        assert got["display"] == rate.display
    assert body["batches"]["signed"] == {"count": 4, "amount": "28000.0000"}
    displays = {r["key"]: r["display"] for r in body["rates"]}
    if basis == RateBasis.AMOUNT:
        # 25000 / 28000; (15000 + 6100) / 39000; 30000 / 48000.
        assert displays == {"signed_started": "89.3%", "started_producing": "54.1%", "producing_capacity": "62.5%"}
    else:
        # A whole share is published whole (75%, not 75.0%).
        assert displays == {"signed_started": "75%", "started_producing": "66.7%", "producing_capacity": "50%"}


def test_each_rate_links_to_exactly_the_projects_behind_it(world, small_round):
    body = api(world, "office").get(f"{ROUNDS}{small_round.pk}/rates/?basis=count").json()
    client = api(world, "office")
    for rate in body["rates"]:
        listed = client.get(rate["api_link"]).json()
        assert listed["count"] == int(Decimal(rate["numerator"])), rate
        # The page behind the figure is filtered exactly as the API list is.
        page, query = rate["link"].split("?")
        assert page == "/projects/" and query == rate["api_link"].split("?")[1]
    batch = client.get(f"{PROJECTS}?round={small_round.pk}&batch=started").json()
    assert batch["count"] == 3


def test_period_rates_add_up_the_rounds_and_the_signed_projects(world, small_round, make_project, walk):
    later = services.create_round(
        actor=world["office"], host_unit=world.county, name="2022年第三次“三个一批”", held_on=datetime.date(2022, 9, 1)
    )
    extra = walk(make_project(name="三个一批项目十", total_investment=Decimal("7000")), Stage.STARTED)
    services.add_to_round(actor=world["office"], round=later, project=extra, batch=Batch.SIGNED)
    services.update_project_settings(actor=world["office"], owner=world.city, min_count_amount=Decimal("6000"))
    query = f"?unit={world.county.pk}&start=2022-01-01&end=2022-12-31&basis=amount"
    response = api(world, "office").get(f"{ROUNDS}period-rates/{query}")
    assert response.status_code == 200, response.json()
    body = response.json()
    rounds = selectors.rounds_in(
        world["office"], unit=world.county, start=datetime.date(2022, 1, 1), end=datetime.date(2022, 12, 31)
    )
    expected = selectors.round_rates(rounds, RateBasis.AMOUNT)
    assert body["rounds"] == 2
    for got, rate in zip(body["rates"], expected, strict=True):
        assert (Decimal(got["numerator"]), Decimal(got["denominator"]), got["display"]) == (
            rate.numerator,
            rate.denominator,
            rate.display,
        )
    assert body["batches"]["signed"]["count"] == 5
    # Counted: signed in 2022 (all walked from March 2022) and at least 6000 万元: 3000 and 5000 do not count.
    counted = Project.objects.counted(Decimal("6000")).filter(signed_on__year=2022)
    assert body["signed"]["count"] == counted.count() == 8
    signed = {r["key"]: r for r in body["signed"]["rates"]}
    expected_signed = {r.key: r for r in selectors.signed_rates(counted)}
    for key, rate in expected_signed.items():
        assert Decimal(signed[key]["numerator"]) == rate.numerator, key
        assert Decimal(signed[key]["denominator"]) == rate.denominator, key
    assert signed["start"]["basis"] == "count" and signed["funds"]["basis"] == "amount"
    listed = api(world, "office").get(signed["start"]["api_link"]).json()
    assert listed["count"] == 8


# --- Query budgets ---------------------------------------------------------------------------------------------


def _grow(world, make_project, walk, n, start=0):
    for i in range(start, start + n):
        project = make_project(
            name=f"预算测试项目{i}",
            investor_names=[f"预算投资方{i}有限公司", f"预算合作方{i}有限公司"],
            total_investment=Decimal("30000"),
        )
        services.set_assignment(
            actor=world["office"],
            project=project,
            leader=world["leader"],
            responsible_unit=world.department,
            team=[world["team_member"]],
        )
        walk(project, Stage.SIGNED)
        services.advance_stage(
            actor=world["county"],
            project=project,
            to=Stage.STARTED,
            happened_on=datetime.date(2022, 6, 1),
            evidence_kind="permit",
            files=[pdf()],
        )
        found = services.create_round(
            actor=world["office"], host_unit=world.county, name=f"预算活动{i}", held_on=datetime.date(2022, 4, 1)
        )
        services.add_to_round(actor=world["office"], round=found, project=project, batch=Batch.SIGNED)


@pytest.mark.parametrize(
    ("url", "persona"),
    [
        (PROJECTS, "office"),
        (PROJECTS, "team_member"),
        (PROJECTS + "?stage=started&pending=true&amount_min=1000", "county"),
        (PROJECTS + "?batch=signed&reached=signed", "office"),
        (CHANGES, "county"),
        (CHANGES + "?pending=1", "verifier"),
        (ROUNDS, "office"),
    ],
)
def test_api_lists_keep_a_fixed_query_count_as_data_grows(
    world, make_project, walk, url, persona, django_assert_max_num_queries
):
    _grow(world, make_project, walk, 2)
    client = api(world, persona)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, make_project, walk, 8, start=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(url).json()
    assert body["count"] >= 10, body["count"]


def test_detail_pages_keep_a_fixed_query_count_however_long_their_history(
    world, project, walk, django_assert_max_num_queries
):
    def report(month):
        services.report_progress(
            actor=world["county"],
            project=project,
            month=datetime.date(2022, month, 1),
            completed_investment=Decimal(1000 * month),
            progress=f"{month}月进展",
        )

    def list_in_round(i):
        found = services.create_round(
            actor=world["office"], host_unit=world.county, name=f"活动{i}", held_on=datetime.date(2022, 4 + i, 1)
        )
        services.add_to_round(actor=world["office"], round=found, project=project, batch=Batch.SIGNED)
        return found

    walk(project, Stage.SIGNED)
    report(4)
    first_round = list_in_round(0)
    client = api(world, "county")
    with CaptureQueriesContext(connection) as small:
        assert client.get(one(project)).status_code == 200
    with CaptureQueriesContext(connection) as small_round:
        assert client.get(f"{ROUNDS}{first_round.pk}/").status_code == 200
    walk(project, Stage.AT_CAPACITY)
    for month in (5, 6, 7, 8):
        report(month)
    for i in (1, 2):
        list_in_round(i)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(one(project)).json()
    assert len(body["stage_changes"]) == 4 and len(body["progress_reports"]) == 5 and len(body["rounds"]) == 3
    for i in range(6):
        other = walk(make_listed_project(world, i), Stage.SIGNED)
        services.add_to_round(actor=world["office"], round=first_round, project=other, batch=Batch.SIGNED)
    with django_assert_max_num_queries(len(small_round.captured_queries)):
        body = client.get(f"{ROUNDS}{first_round.pk}/").json()
    assert len(body["entries"]) == 7


def make_listed_project(world, i):
    return services.create_project(
        actor=world["office"],
        host_unit=world.county,
        name=f"活动项目{i}",
        total_investment=Decimal("10000"),
        stage=Stage.NEGOTIATING,
    )


def test_api_lists_are_paginated(world, make_project):
    for i in range(7):
        make_project(name=f"分页项目{i}")
    body = api(world, "office").get(PROJECTS + "?page_size=5").json()
    assert body["count"] == 7 and len(body["results"]) == 5 and body["next"]


def test_the_list_filters_as_the_page_does(world, project, other_project, walk):
    walk(project, Stage.SIGNED)
    office = api(world, "office")
    names = lambda url: [row["name"] for row in office.get(url).json()["results"]]  # noqa: E731
    assert names(f"{PROJECTS}?unit={world.other_county.pk}") == [OTHER_NAME]
    assert names(f"{PROJECTS}?stage=signed") == [NAME]
    assert names(f"{PROJECTS}?q=果品") == [OTHER_NAME]
    assert names(f"{PROJECTS}?leader={world['leader'].pk}") == [NAME]
    assert sorted(names(f"{PROJECTS}?stage=signed&stage=negotiating")) == sorted([NAME, OTHER_NAME])
    assert_error_on(office.get(f"{PROJECTS}?stage=flying"), "stage")
