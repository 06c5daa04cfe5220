"""The project pages as each persona meets them: the permission matrix over every page and action, the walk
from entry to a confirmed signing and a round's rate, bad input, and the lists' query budgets.

Decided here and held by the matrix: a project or round out of scope is a 404 that never
shows its name; one in scope whose action the viewer may not take is a 403; the verifier's
queue and the counting rules are for their roles only (403 for the rest); the reading
pages (list, dispatch, library, rounds, rates) are everyone's, scoped.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Attachment, AuditEvent
from core.testing import Case, login_as, make_person, run_matrix
from organizations.choices import Role
from projects import services
from projects.choices import Batch, Stage, Verification
from projects.models import Amendment, MonthlyProgress, Project, ProjectSettings, RoundEntry, StageChange

from .conftest import pdf

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
PERSONAS = ["office", "county", "other_county", "team_member", "department", "leader", "outsider", "verifier"]
SIGNED_ON = datetime.date(2022, 3, 1)


def u(name, *args):
    return reverse(f"projects:{name}", args=args)


def expect(default=404, **codes):
    """Expected status per persona: `default`, except those named."""
    return {persona: codes.get(persona, default) for persona in PERSONAS}


def only(*personas, code=200, default=404, **others):
    return expect(default, **dict.fromkeys(personas, code), **others)


def client_for(world, persona):
    return login_as(Client(), world[persona] if isinstance(persona, str) else persona)


def text(response):
    return response.content.decode()


def counts():
    """Everything a refused page or action must leave as it was."""
    return (
        Project.objects.count(),
        StageChange.objects.count(),
        MonthlyProgress.objects.count(),
        Amendment.objects.count(),
        RoundEntry.objects.count(),
        Attachment.objects.count(),
        AuditEvent.objects.exclude(action="login").count(),
        tuple(Project.objects.order_by("pk").values_list("stage", "verified_stage", "total_investment", "in_library")),
    )


def txt(name="说明.txt"):
    return SimpleUploadedFile(name, b"just some text", content_type="text/plain")


@pytest.fixture
def world(org):
    """The persona tree plus 临猗县's staff and the city's verifier, as personas of the matrix."""
    org.people["other_county"] = make_person("ly_staff", org.other_county, Role.COUNTY_STAFF, "临猗县小周")
    org.people["verifier"] = org.verifier
    return org


@pytest.fixture
def accepted_lead(world):
    """A lead the Beijing team reported, the office pushed to 盐湖区 and 盐湖区 accepted."""
    from leads import services as lead_services

    def make(name="宁德时代电池基地线索"):
        lead = lead_services.create_lead(
            actor=world["team_member"],
            name=name,
            collected_date=TODAY - datetime.timedelta(days=30),
            investor_name="宁德时代新能源科技股份有限公司",
            content="建设年产 20GWh 动力电池生产基地",
            estimated_amount=Decimal("300000"),
            contact_reached=True,
        )
        lead = lead_services.assess_lead(
            actor=world["office"], lead=lead, grade="A", opinion="", receiving_unit=world.county
        )
        return lead_services.accept_lead(actor=world["county"], lead=lead)

    return make


@pytest.fixture
def projects(world, make_project, move, accepted_lead):
    """In 盐湖区: one project in 在谈 (the responsible unit is the department), one signed and awaiting the
    verifier, one converted from the team's lead; one in 临猗县, one in another city's 古县."""
    main = make_project(name="盐湖区新材料项目")
    services.set_assignment(actor=world["office"], project=main, responsible_unit=world.department)
    main.refresh_from_db()
    pending = make_project(name="盐湖区待核验项目", total_investment=Decimal("30000"))
    change = move(pending, Stage.SIGNED, SIGNED_ON, confirm=False)
    from_lead = services.create_project_from_lead(actor=world["county"], lead=accepted_lead())
    other = make_project(name="临猗县光伏项目", host=world.other_county)
    outside = services.create_project(
        actor=world["outsider"], host_unit=world.other_city_county, name="古县煤化工项目", total_investment="2亿"
    )
    return {
        "main": main,
        "pending": pending,
        "change": change,
        "from_lead": from_lead,
        "other": other,
        "outside": outside,
    }


@pytest.fixture
def a_round(world, projects, walk, make_project):
    """A round held by 盐湖区 listing a signed project under 签约一批."""
    signed = make_project(name="盐湖区已签约项目", total_investment=Decimal("40000"))
    walk(signed, Stage.SIGNED)
    found = services.create_round(
        actor=world["office"], host_unit=world.county, name="盐湖区2022年“三个一批”", held_on=SIGNED_ON
    )
    entry = services.add_to_round(actor=world["office"], round=found, project=signed, batch=Batch.SIGNED)
    return found, entry, signed


# --- The permission matrix --------------------------------------------------------------------------


def test_permission_matrix_for_the_reading_pages(world, projects, a_round):
    names = {key: p.name for key, p in projects.items() if key != "change"}
    yanhu = [names["main"], names["pending"], names["from_lead"]]
    everything = [*yanhu, names["other"], names["outside"]]
    found, _entry, _signed = a_round
    cases = [
        Case(
            u("project_list"),
            expect(200),
            anonymous=302,
            shown={
                "office": [*yanhu, names["other"]],
                "leader": [*yanhu, names["other"]],
                "verifier": [*yanhu, names["other"]],
                "county": yanhu,
                "other_county": [names["other"]],
                "department": [names["main"]],
                "team_member": [names["from_lead"]],
                "outsider": [names["outside"]],
            },
            hidden={
                "office": [names["outside"]],
                "county": [names["other"], names["outside"]],
                "other_county": [*yanhu, names["outside"]],
                "department": [n for n in everything if n != names["main"]],
                "team_member": [n for n in everything if n != names["from_lead"]],
                "outsider": [*yanhu, names["other"]],
            },
        ),
        Case(
            u("verify_queue"),
            only("verifier", default=403),
            anonymous=302,
            shown={"verifier": [names["pending"]]},
            hidden={"verifier": [names["outside"]]},
        ),
        Case(
            u("dispatch") + "?month=2022-03",
            expect(200),
            anonymous=302,
            shown={"office": [names["pending"]], "county": [names["pending"]]},
            hidden={p: [names["pending"]] for p in ("other_county", "department", "team_member", "outsider")},
        ),
        Case(u("library"), expect(200), anonymous=302),
        Case(
            u("round_list"),
            expect(200),
            anonymous=302,
            shown={p: [found.name] for p in ("office", "county", "leader", "verifier")},
            hidden={p: [found.name] for p in ("other_county", "department", "team_member", "outsider")},
        ),
        Case(
            u("round_rates"),
            expect(200),
            anonymous=302,
            hidden={p: [found.name] for p in ("other_county", "department", "team_member", "outsider")},
        ),
        Case(u("settings"), only("office", default=403), anonymous=302),
        Case(u("project_create"), only("office", "county", "other_county", "outsider", default=403), anonymous=302),
        Case(u("round_create"), only("office", "county", "other_county", "outsider", default=403), anonymous=302),
        # A unit out of the user's scope is not a filter they may apply: 404, not an empty page.
        Case(
            u("dispatch") + f"?unit={world.county.pk}",
            only("office", "county", "leader", "verifier"),
            hidden={p: [names["pending"]] for p in ("other_county", "outsider")},
        ),
    ]
    before = counts()
    run_matrix(world, cases, PERSONAS)
    assert counts() == before


def test_permission_matrix_for_a_projects_pages(world, projects):
    main, pending, from_lead = projects["main"], projects["pending"], projects["from_lead"]
    outside = ("other_county", "team_member", "outsider")
    hidden_main = {p: [main.name] for p in outside}
    cases = [
        Case(
            u("project_detail", main.pk),
            only("office", "county", "department", "leader", "verifier"),
            anonymous=302,
            hidden=hidden_main,
            shown={
                "office": [main.name, "提交阶段变更", "登记变更", "运城市自然资源局"],
                "county": ["提交阶段变更", "报送"],
                "department": ["提交阶段变更", "报送"],
            },
        ),
        Case(
            u("project_edit", main.pk),
            only("office", "county", department=403, leader=403, verifier=403),
            anonymous=302,
            hidden=hidden_main,
        ),
        Case(
            u("assignment", main.pk),
            only("office", "county", department=403, leader=403, verifier=403),
            hidden=hidden_main,
        ),
        Case(
            u("duties", main.pk),
            only("office", "county", department=403, leader=403, verifier=403),
            hidden=hidden_main,
        ),
        # The team that reported the lead follows the project it became; 临猗县 does not see it.
        Case(
            u("project_detail", from_lead.pk),
            only("office", "county", "team_member", "leader", "verifier"),
            hidden={p: [from_lead.name] for p in ("other_county", "department", "outsider")},
            shown={"team_member": [from_lead.lead.name]},
        ),
        Case(
            u("project_detail", pending.pk),
            only("office", "county", "leader", "verifier"),
            shown={"verifier": ["form-verify-", "核验通过", "退回"], "county": ["待核验"]},
            hidden={"county": ["form-verify-"], "office": ["form-verify-"], "leader": ["form-verify-"]},
        ),
        Case(
            u("project_detail", projects["outside"].pk),
            only("outsider"),
            hidden={p: [projects["outside"].name] for p in PERSONAS if p != "outsider"},
        ),
        Case(u("project_detail", 999999), expect(404)),
    ]
    run_matrix(world, cases, PERSONAS)


def test_permission_matrix_for_the_actions_on_a_project(world, projects):
    """Every action as every persona, each request one the form or the service refuses: nothing is written."""
    main, change = projects["main"], projects["change"]
    outside = ("other_county", "team_member", "outsider")
    hidden = {p: [main.name] for p in outside}
    workers = only("office", "county", "department", leader=403, verifier=403)
    managers = only("office", "county", department=403, leader=403, verifier=403)
    before = counts()
    cases = [
        Case(u("project_move", main.pk), workers, method="post", data={"move-to": "started"}, hidden=hidden),
        Case(
            u("project_progress", main.pk),
            workers,
            method="post",
            data={"progress-month": "2022-03", "progress-completed_investment": "", "progress-progress": ""},
            hidden=hidden,
            shown={"county": ["请填写累计完成投资"]},
        ),
        Case(u("project_amend", main.pk), managers, method="post", data={"amend-kind": "capital_increase"}),
        Case(
            u("project_library", main.pk),
            managers,
            method="post",
            data={"library-in_library": "on", "library-library_date": "不是日期"},
        ),
        Case(u("project_edit", main.pk), managers, method="post", data={"name": ""}, hidden=hidden),
        Case(u("assignment", main.pk), managers, method="post", data={"leader": "999999"}),
        Case(u("duties", main.pk), managers, method="post", data={"coordinate_unit": "999999"}),
        # Only a verifier confirms; a send-back without a reason is refused by the service, on the page.
        Case(
            u("change_verify", change.pk),
            only("verifier", office=403, county=403, leader=403),
            method="post",
            data={f"verify_{change.pk}-decision": "reject", f"verify_{change.pk}-note": ""},
            shown={"verifier": ["退回须说明原因"]},
        ),
        Case(u("change_verify", 999999), expect(404), method="post", data={}),
    ]
    run_matrix(world, cases, PERSONAS)
    assert counts() == before, "no refused action may write anything"


def test_permission_matrix_for_a_rounds_pages_and_actions(world, projects, a_round):
    found, entry, signed = a_round
    outside = ("other_county", "department", "team_member", "outsider")
    hidden = {p: [found.name, signed.name] for p in outside}
    before = counts()
    cases = [
        Case(
            u("round_detail", found.pk),
            only("office", "county", "leader", "verifier"),
            anonymous=302,
            hidden=hidden,
            shown={"office": [signed.name, "列入项目"], "leader": [signed.name]},
        ),
        Case(
            u("round_entry_add", found.pk),
            only("office", "county", leader=403, verifier=403),
            method="post",
            data={"entry-project": str(signed.pk), "entry-batch": "signed"},
            hidden=hidden,
            shown={"county": ["已列入本次活动"]},
        ),
        Case(
            u("round_entry_remove", entry.pk),
            only(leader=403, verifier=403),
            method="post",
            hidden=hidden,
        ),
    ]
    run_matrix(world, cases, [p for p in PERSONAS if p not in ("office", "county")])
    run_matrix(world, cases[:2], ["office", "county"])
    assert counts() == before
    response = client_for(world, "county").post(u("round_entry_remove", entry.pk))
    assert response.status_code == 302
    assert not RoundEntry.objects.filter(pk=entry.pk).exists()


def test_only_the_receiving_county_or_the_office_turns_a_lead_into_a_project(world, accepted_lead):
    lead = accepted_lead("宁德时代储能线索")
    before = counts()
    run_matrix(
        world,
        [
            Case(
                u("project_from_lead", lead.pk),
                only("office", "county"),
                anonymous=302,
                hidden={p: [lead.name] for p in PERSONAS if p not in ("office", "county")},
                shown={"county": [lead.name, "宁德时代新能源科技股份有限公司"]},
            )
        ],
        PERSONAS,
    )
    assert counts() == before


# --- From entry to a confirmed signing, and a round's rate ----------------------------------------------


def test_a_county_enters_a_project_signs_it_and_a_verifier_confirms_it_from_the_queue(world, media_root):
    county = client_for(world, "county")
    response = county.post(
        u("project_create"),
        {
            "host_unit": world.county.pk,
            "name": "盐湖区氢能装备项目",
            "company_name": "山西氢能装备有限公司",
            "other_investors": "运城投资集团、河东资本",
            "kind": "industrial",
            "stage": "negotiating",
            "total_investment": "约5亿元",
            "fixed_investment": "3亿",
            "first_contact_on": "2022-01-06",
        },
    )
    assert response.status_code == 302, text(response)
    project = Project.objects.get(name="盐湖区氢能装备项目")
    assert project.total_investment == Decimal("50000") and project.fixed_investment == Decimal("30000")
    assert project.investor_names == "山西氢能装备有限公司、运城投资集团、河东资本"
    page = text(county.get(project.get_absolute_url()))
    assert "50,000 万元（5.00 亿元）" in page
    assert '<option value="signed">签约</option>' in page
    assert '<option value="started">' not in page, "only the moves the table allows are offered"

    response = county.post(
        u("project_move", project.pk),
        {
            "move-to": "signed",
            "move-happened_on": "2022-02-28",
            "move-evidence_kind": "contract",
            "move-files": [pdf("投资协议.pdf")],
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED and project.pending and project.signed_on is None
    page = text(county.get(project.get_absolute_url()))
    assert "待核验" in page and "投资协议.pdf" in page
    change = project.stage_changes.get()
    evidence = change.attachments.get()
    assert reverse("core:attachment", args=[evidence.pk]) in page

    verifier = client_for(world, "verifier")
    queue = text(verifier.get(u("verify_queue")))
    assert "盐湖区氢能装备项目" in queue and "投资协议.pdf" in queue
    response = verifier.post(
        u("change_verify", change.pk), {f"verify_{change.pk}-decision": "confirm", "next": "queue"}
    )
    assert response.status_code == 302 and response["Location"] == u("verify_queue")
    project.refresh_from_db()
    assert project.signed_on == datetime.date(2022, 2, 28) and not project.pending
    page = text(county.get(project.get_absolute_url()))
    assert "市核验员" in page and "已核验" in page
    # First contact → signing: 53 days, shown on the page (侯马's 54 days is the same figure).
    assert "53 天" in page
    assert "盐湖区氢能装备项目" not in text(verifier.get(u("verify_queue")))

    response = county.post(
        u("project_progress", project.pk),
        {
            "progress-month": "2022-03",
            "progress-completed_investment": "1.2亿",
            "progress-funds_fixed": "8000",
            "progress-funds_non_fixed": "2000",
            "progress-progress": "完成场地平整，主厂房基础施工",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.completed_investment == Decimal("12000") and project.funds_arrived == Decimal("10000")
    page = text(county.get(project.get_absolute_url()))
    assert "完成场地平整" in page and "<svg" in page and "<progress" in page


def test_a_verifier_sends_a_move_back_with_a_reason_and_the_stage_reverts(world, projects):
    change = projects["change"]
    response = client_for(world, "verifier").post(
        u("change_verify", change.pk),
        {f"verify_{change.pk}-decision": "reject", f"verify_{change.pk}-note": "合同未盖章"},
    )
    assert response.status_code == 302
    change.refresh_from_db()
    project = Project.objects.get(pk=change.project_id)
    assert change.verification == Verification.REJECTED and project.stage == Stage.NEGOTIATING
    assert "合同未盖章" in text(client_for(world, "county").get(project.get_absolute_url()))


def test_the_verifier_cannot_confirm_a_move_they_recorded(world, make_project):
    project = make_project(name="核验员参与专班的项目")
    services.set_assignment(actor=world["office"], project=project, team=[world.verifier])
    verifier = client_for(world, "verifier")
    response = verifier.post(
        u("project_move", project.pk),
        {
            "move-to": "signed",
            "move-happened_on": "2022-02-28",
            "move-evidence_kind": "contract",
            "move-files": [pdf()],
        },
    )
    assert response.status_code == 302
    change = StageChange.objects.get(project=project)
    page = text(verifier.get(project.get_absolute_url()))
    assert "须由其他核验员核验" in page and f"form-verify-{change.pk}" not in page
    assert project.name not in text(verifier.get(u("verify_queue")))
    before = counts()
    response = verifier.post(u("change_verify", change.pk), {f"verify_{change.pk}-decision": "confirm"})
    assert response.status_code == 200
    assert "记录人以外的核验员核验" in text(response)
    assert counts() == before
    change.refresh_from_db()
    assert change.verification == Verification.PENDING


def test_a_rounds_page_states_each_rate_with_its_basis_and_links_to_its_projects(world, make_project, walk):
    found = services.create_round(
        actor=world["county"], host_unit=world.county, name="2022年第一次“三个一批”", held_on=SIGNED_ON, rate_decimals=0
    )
    started = make_project(name="已开工项目", total_investment=Decimal("30000"))
    walk(started, Stage.STARTED)
    signed = make_project(name="仅签约项目", total_investment=Decimal("10000"))
    walk(signed, Stage.SIGNED)
    office = client_for(world, "office")
    for project in (started, signed):
        response = office.post(u("round_entry_add", found.pk), {"entry-project": project.pk, "entry-batch": "signed"})
        assert response.status_code == 302
    page = text(office.get(found.get_absolute_url()))
    assert "75% （按投资额：3.00亿元 / 4.00亿元）" in page
    assert f"round={found.pk}" in page and "reached=started" in page
    page = text(office.get(found.get_absolute_url() + "?basis=count"))
    assert "50% （按项目个数：1 / 2）" in page
    # The figure's link lists exactly the projects behind it.
    listed = text(office.get(u("project_list") + f"?batch=signed&round={found.pk}&reached=started"))
    assert "已开工项目" in listed and "仅签约项目" not in listed
    rates = text(office.get(u("round_rates") + f"?unit={world.county.pk}&start=2022-01-01&end=2022-12-31"))
    # A whole share is published whole (75%, not 75.0%), as the seeds write 100%.
    assert "75% （按投资额：3.00亿元 / 4.00亿元）" in rates
    assert "50% （按项目个数：1 / 2）" in rates  # 开工率 of the signed projects, by count
    assert "履约率" in rates and "资金到位率" in rates


def test_the_office_sets_the_counting_rules_and_the_rates_page_counts_by_them(world, make_project, walk):
    office = client_for(world, "office")
    response = office.post(u("settings"), {"min_count_amount": "1亿", "progress_due_day": "10", "city": world.city.pk})
    assert response.status_code == 302
    settings = ProjectSettings.objects.get(owner=world.city)
    assert settings.min_count_amount == Decimal("10000") and settings.progress_due_day == 10
    small = make_project(name="小项目", total_investment=Decimal("5000"))
    walk(small, Stage.STARTED)
    big = make_project(name="大项目", total_investment=Decimal("20000"))
    walk(big, Stage.SIGNED)
    page = text(office.get(u("round_rates") + "?start=2022-01-01&end=2022-12-31"))
    # Only the 2亿 project counts: 0 of 1 started.
    assert "0% （按项目个数：0 / 1）" in page
    assert "总投资不低于 1.00 亿元" in page


def test_a_lead_becomes_a_project_in_negotiation_from_its_form(world, accepted_lead):
    lead = accepted_lead()
    county = client_for(world, "county")
    page = text(county.get(u("project_from_lead", lead.pk)))
    assert 'value="300000"' in page and lead.name in page
    response = county.post(
        u("project_from_lead", lead.pk),
        {
            "host_unit": world.county.pk,
            "name": "宁德时代电池基地项目",
            "kind": "industrial",
            "total_investment": "30亿",
        },
    )
    assert response.status_code == 302, text(response)
    project = Project.objects.get(lead=lead)
    assert project.stage == Stage.NEGOTIATING and project.investor_names == "宁德时代新能源科技股份有限公司"
    assert project.total_investment == Decimal("300000")
    page = text(county.get(project.get_absolute_url()))
    assert lead.get_absolute_url() in page
    # Opening the form again leads to the project: a lead becomes one project only.
    assert county.get(u("project_from_lead", lead.pk))["Location"] == project.get_absolute_url()


def test_the_office_binds_the_assignment_and_the_team_member_then_sees_and_reports(world, make_project):
    project = make_project(name="包联项目", total_investment=Decimal("30000"))
    office = client_for(world, "office")
    member = world["team_member"]
    assert client_for(world, member).get(project.get_absolute_url()).status_code == 404
    response = office.post(
        u("assignment", project.pk),
        {
            "leader": world["leader"].pk,
            "responsible_unit": world.department.pk,
            "team": [member.pk, world["county"].pk],
            "head": member.pk,
        },
    )
    assert response.status_code == 302, text(response)
    project.refresh_from_db()
    assert project.leader_name == "市领导" and project.responsible_unit == world.department
    page = text(client_for(world, member).get(project.get_absolute_url()))
    assert "报送月度进展" in page and "负责人" in page
    response = office.post(
        u("duties", project.pk),
        {"coordinate_person": "张副县长", "coordinate_unit": world.county.pk, "service_person": "李局长"},
    )
    assert response.status_code == 302
    page = text(office.get(project.get_absolute_url()))
    assert "包协调" in page and "张副县长" in page and "李局长" in page


def test_a_head_outside_the_team_is_refused_on_the_form(world, make_project):
    project = make_project(name="专班项目")
    response = client_for(world, "office").post(
        u("assignment", project.pk), {"team": [world["county"].pk], "head": world["team_member"].pk}
    )
    assert response.status_code == 200 and "专班负责人须是服务专班成员" in text(response)
    assert not project.team.exists()


def test_the_four_duties_are_only_offered_from_two_hundred_million(world, make_project):
    small = make_project(name="一亿项目", total_investment=Decimal("10000"))
    office = client_for(world, "office")
    page = text(office.get(small.get_absolute_url()))
    assert u("duties", small.pk) not in page
    page = text(office.get(u("duties", small.pk)))
    assert "适用于总投资 2 亿元及以上" in page and "duties-form" not in page


def test_editing_a_project_replaces_its_investors_and_keeps_the_old_values_in_the_audit(world, make_project):
    project = make_project(name="改投资方项目")
    office = client_for(world, "office")
    page = text(office.get(u("project_edit", project.pk)))
    assert "山西示范新材料有限公司" in page and 'value="50000"' in page
    response = office.post(
        u("project_edit", project.pk),
        {
            "host_unit": world.county.pk,
            "name": "改投资方项目",
            "company_name": "新的投资有限公司",
            "kind": "industrial",
            "total_investment": "6亿",
        },
    )
    assert response.status_code == 302, text(response)
    project.refresh_from_db()
    assert project.investor_names == "新的投资有限公司" and project.total_investment == Decimal("60000")


def test_amendments_and_the_library_are_recorded_from_the_page(world, make_project, walk):
    project = make_project(name="增资项目", total_investment=Decimal("20000"))
    walk(project, Stage.SIGNED)
    office = client_for(world, "office")
    response = office.post(
        u("project_amend", project.pk),
        {"amend-kind": "capital_increase", "amend-happened_on": "2022-06-01", "amend-amount": "5000"},
    )
    assert response.status_code == 302
    response = office.post(
        u("project_library", project.pk),
        {"library-in_library": "on", "library-library_date": "2022-06-02", "library-filed": "on"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.total_investment == Decimal("25000") and project.in_library and project.filed
    page = text(office.get(project.get_absolute_url()))
    assert "增资" in page and "增加投资 5000 万元" in page
    library = text(office.get(u("library")))
    assert "?in_library=true&amp;kind=industrial" in library and "2.50" in library
    listed = text(office.get(u("project_list") + "?in_library=true&kind=industrial"))
    assert "增资项目" in listed


def test_the_dispatch_flags_missing_and_late_reports(world, make_project, walk):
    reported = make_project(name="已报项目")
    walk(reported, Stage.SIGNED)
    missing = make_project(name="未报项目")
    walk(missing, Stage.SIGNED)
    services.report_progress(
        actor=world["county"],
        project=reported,
        month=datetime.date(2022, 4, 1),
        completed_investment="3000",
        progress="设备进场",
    )
    page = text(client_for(world, "county").get(u("dispatch") + f"?unit={world.county.pk}&month=2022-04"))
    assert "设备进场" in page and "逾期报送" in page  # reported long after its due day
    assert 'data-testid="missing"' in page and "未报项目" in page


# --- Bad input: a message in Chinese on the page, nothing written ------------------------------------------


def test_a_skipped_stage_is_refused_on_the_form(world, make_project):
    project = make_project(name="跳级项目")
    before = counts()
    response = client_for(world, "county").post(
        u("project_move", project.pk),
        {"move-to": "started", "move-happened_on": "2022-03-01", "move-evidence_kind": "permit", "move-files": [pdf()]},
    )
    assert response.status_code == 200
    assert "不能跳过“签约”直接改为“开工”" in text(response)
    assert counts() == before


def test_evidence_that_is_not_a_document_or_image_is_refused(world, make_project, media_root):
    project = make_project(name="文本佐证项目")
    before = counts()
    response = client_for(world, "county").post(
        u("project_move", project.pk),
        {
            "move-to": "signed",
            "move-happened_on": "2022-03-01",
            "move-evidence_kind": "contract",
            "move-files": [txt()],
        },
    )
    assert response.status_code == 200
    assert "不支持的文件类型“说明.txt”" in text(response)
    assert counts() == before
    assert not list(media_root.rglob("*.txt")) if media_root.exists() else True


def test_completed_investment_above_the_total_is_refused(world, make_project, walk):
    project = make_project(name="超额项目")
    walk(project, Stage.SIGNED)
    before = counts()
    response = client_for(world, "county").post(
        u("project_progress", project.pk),
        {"progress-month": "2022-04", "progress-completed_investment": "6亿", "progress-progress": "进展"},
    )
    assert response.status_code == 200
    assert "累计完成投资（60000 万元）不能超过总投资（50000 万元）" in text(response)
    assert counts() == before


def test_funds_before_the_signing_are_refused(world, make_project):
    project = make_project(name="未签约项目")
    before = counts()
    response = client_for(world, "county").post(
        u("project_progress", project.pk),
        {
            "progress-month": "2022-04",
            "progress-completed_investment": "0",
            "progress-funds_fixed": "100",
            "progress-progress": "洽谈中",
        },
    )
    assert response.status_code == 200
    assert "项目签约之前不能有到位资金" in text(response)
    assert counts() == before


def test_a_round_listing_a_project_twice_is_refused(world, projects, a_round):
    found, _entry, signed = a_round
    before = counts()
    response = client_for(world, "office").post(
        u("round_entry_add", found.pk), {"entry-project": signed.pk, "entry-batch": "signed"}
    )
    assert response.status_code == 200
    assert f"项目“{signed.name}”已列入本次活动" in text(response)
    assert counts() == before


def test_an_amount_that_cannot_be_understood_is_refused_on_its_field(world):
    before = counts()
    response = client_for(world, "county").post(
        u("project_create"),
        {
            "host_unit": world.county.pk,
            "name": "金额不明项目",
            "kind": "industrial",
            "stage": "negotiating",
            "total_investment": "好几个亿",
        },
    )
    assert response.status_code == 200
    assert "无法识别的金额" in text(response)
    assert counts() == before


# --- Navigation and paging -----------------------------------------------------------------------------------


def test_the_menu_offers_each_role_its_project_pages(world):
    def menu(persona):
        return text(client_for(world, persona).get("/"))

    office = menu("office")
    assert "全部项目" in office and "新建项目" in office and "统计口径" in office and "待核验" not in office
    verifier = menu("verifier")
    assert "待核验" in verifier and "新建项目" not in verifier
    assert "新建项目" in menu("county") and "统计口径" not in menu("county")
    assert "月度调度" in menu("leader") and "新建项目" not in menu("leader")
    assert "三个一批" in menu("department")


def test_the_list_shows_the_ledger_links_and_the_pending_badge(world, projects):
    page = text(client_for(world, "county").get(u("project_list")))
    assert reverse("core:export_ledger", args=["signed"]) in page
    assert reverse("core:import_upload", args=["signed"]) in page
    assert 'data-testid="pending"' in page and "3.00" in page


def test_lists_are_paginated(world, make_project):
    for i in range(30):
        make_project(name=f"批量项目{i:03d}")
    page = text(client_for(world, "office").get(u("project_list")))
    assert "page=2" in page and page.count("批量项目") <= 25


# --- Query budgets ----------------------------------------------------------------------------------------------


def grow(world, make_project, move, n, start=0):
    """`n` projects in 盐湖区, each signed (every other one still awaiting the verifier), half reporting, each
    listed in a round of its own and in the shared one."""
    shared = services.create_round(
        actor=world["office"], host_unit=world.county, name=f"共享活动{start}", held_on=SIGNED_ON
    )
    for i in range(start, start + n):
        project = make_project(name=f"预算项目{i:03d}", total_investment=Decimal(10000 + i))
        move(project, Stage.SIGNED, SIGNED_ON, confirm=i % 2 == 0)
        if i % 2 == 0:
            services.report_progress(
                actor=world["county"],
                project=project,
                month=datetime.date(2022, 4, 1),
                completed_investment="100",
                progress=f"进展{i}",
            )
            services.set_assignment(actor=world["office"], project=project, team=[world["county"]])
            services.add_to_round(actor=world["office"], round=shared, project=project, batch=Batch.SIGNED)
            own = services.create_round(
                actor=world["office"], host_unit=world.county, name=f"活动{i:03d}", held_on=SIGNED_ON
            )
            services.add_to_round(actor=world["office"], round=own, project=project, batch=Batch.SIGNED)
    return shared


@pytest.mark.parametrize(
    ("name", "persona", "query"),
    [
        ("project_list", "office", ""),
        ("project_list", "county", "?stage=signed&pending=false"),
        ("verify_queue", "verifier", ""),
        ("dispatch", "county", "?month=2022-04"),
        ("round_list", "office", ""),
        ("round_rates", "office", ""),
        ("library", "office", ""),
    ],
)
def test_list_pages_keep_a_fixed_query_count_as_data_grows(
    world, make_project, move, name, persona, query, django_assert_max_num_queries
):
    grow(world, make_project, move, 3)
    client = client_for(world, persona)
    url = u(name) + query
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(world, make_project, move, 12, start=3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_rounds_page_keeps_a_fixed_query_count_however_many_entries(
    world, make_project, move, django_assert_max_num_queries
):
    shared = grow(world, make_project, move, 3)
    client = client_for(world, "office")
    url = shared.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(12):
        project = make_project(name=f"追加项目{i:03d}", total_investment=Decimal(20000 + i))
        move(project, Stage.SIGNED, SIGNED_ON)
        services.add_to_round(actor=world["office"], round=shared, project=project, batch=Batch.SIGNED)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = text(client.get(url))
    assert "追加项目011" in page


def test_a_projects_page_keeps_a_fixed_query_count_however_long_its_history(
    world, make_project, walk, django_assert_max_num_queries
):
    project = make_project(name="历史项目")
    walk(project, Stage.SIGNED)
    client = client_for(world, "county")
    url = project.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    walk(project, Stage.PRODUCING, start=datetime.date(2022, 4, 1))
    for month in range(1, 13):
        services.report_progress(
            actor=world["county"],
            project=project,
            month=datetime.date(2023, month, 1),
            completed_investment=str(month * 1000),
            progress=f"第{month}月进展",
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = text(client.get(url))
    assert "第12月进展" in page
