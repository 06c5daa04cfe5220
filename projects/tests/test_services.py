"""Projects through the services: entering, stage moves with evidence and four eyes, 包联, progress, rounds.

Each refusal is a message a user reads (Chinese, naming the field) and writes nothing.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEvent
from core.testing import make_person
from organizations.choices import Role
from projects import services
from projects.choices import AmendmentKind, Batch, Duty, EvidenceKind, Stage, Verification
from projects.models import MonthlyProgress, Project, RoundEntry, StageChange

from .conftest import pdf, png

pytestmark = pytest.mark.django_db

D = datetime.date


def messages(exc):
    return " ".join(exc.value.messages)


# --- Entering -------------------------------------------------------------------------------


def test_the_office_enters_a_project_with_amounts_typed_as_people_type_them(org):
    project = services.create_project(
        actor=org["office"],
        host_unit=org.zone,
        name="年产5万吨锂电池负极材料项目",
        investor_names=["上海杉杉科技有限公司"],
        total_investment="约5亿元",
        fixed_investment="3.2亿",
        land_mu="200",
        stage=Stage.NEGOTIATING,
    )
    assert project.total_investment == Decimal("50000")
    assert project.fixed_investment == Decimal("32000")
    assert project.owner == org.city
    assert project.investor_names == "上海杉杉科技有限公司"
    assert AuditEvent.objects.filter(object_type="projects.project", object_id=str(project.pk)).exists()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("total_investment", "五千万元", "总投资"),
        ("fixed_investment", "9亿", "固定资产投资不能大于总投资"),
        ("total_investment", "-5", "总投资"),
    ],
)
def test_bad_amounts_are_refused_with_the_field_named_and_nothing_written(org, field, value, message):
    kwargs = {"total_investment": "5亿", field: value}
    with pytest.raises(ValidationError) as exc:
        services.create_project(actor=org["office"], host_unit=org.zone, name="某项目", **kwargs)
    assert message in messages(exc)
    assert not Project.objects.exists()


def test_a_project_is_hosted_by_a_county_or_zone_only(org):
    with pytest.raises(ValidationError) as exc:
        services.create_project(actor=org["office"], host_unit=org.team, name="某项目")
    assert "不是县（市、区）或开发区" in messages(exc)


def test_a_county_cannot_enter_a_project_for_another_county(org):
    with pytest.raises(ValidationError) as exc:
        services.create_project(actor=org["county"], host_unit=org.other_county, name="某项目")
    assert "无权" in messages(exc)


def test_a_new_project_cannot_start_signed_without_the_contract(org):
    with pytest.raises(ValidationError) as exc:
        services.create_project(actor=org["office"], host_unit=org.county, name="某项目", stage=Stage.SIGNED)
    assert "签约须作为阶段变更录入" in messages(exc)


def test_the_same_project_twice_at_one_host_is_refused(org, make_project):
    make_project(name="年产10万吨新能源材料项目")
    with pytest.raises(ValidationError) as exc:
        make_project(name="年产10万吨 新能源材料项目")
    assert "已有同名项目" in messages(exc)
    assert Project.objects.count() == 1


# --- Stages -----------------------------------------------------------------------------------


def test_a_stage_cannot_be_skipped(org, make_project):
    project = make_project()
    with pytest.raises(ValidationError) as exc:
        services.advance_stage(
            actor=org["county"],
            project=project,
            to=Stage.STARTED,
            happened_on=D(2022, 3, 1),
            evidence_kind=EvidenceKind.PERMIT,
            files=[pdf()],
        )
    assert "不能跳过“签约”" in messages(exc)
    assert not StageChange.objects.exists()


def test_a_step_back_needs_a_reason(org, make_project):
    project = make_project()
    with pytest.raises(ValidationError) as exc:
        services.advance_stage(actor=org["county"], project=project, to=Stage.PLANNED, happened_on=D(2022, 3, 1))
    assert "须说明原因" in messages(exc)
    services.advance_stage(
        actor=org["county"], project=project, to=Stage.PLANNED, happened_on=D(2022, 3, 1), reason="投资方暂缓决策"
    )
    project.refresh_from_db()
    assert project.stage == Stage.PLANNED and not project.pending


def test_signing_needs_a_contract_file(org, make_project):
    project = make_project()
    with pytest.raises(ValidationError) as exc:
        services.advance_stage(
            actor=org["county"],
            project=project,
            to=Stage.SIGNED,
            happened_on=D(2022, 3, 1),
            evidence_kind=EvidenceKind.PERMIT,
            files=[pdf()],
        )
    assert "签约合同/协议" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.advance_stage(
            actor=org["county"],
            project=project,
            to=Stage.SIGNED,
            happened_on=D(2022, 3, 1),
            evidence_kind=EvidenceKind.CONTRACT,
        )
    assert "请上传佐证材料" in messages(exc)
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING


def test_evidence_that_is_not_a_document_or_image_is_refused(org, make_project):
    project = make_project()
    text = SimpleUploadedFile("合同.txt", b"not a contract", content_type="text/plain")
    with pytest.raises(ValidationError) as exc:
        services.advance_stage(
            actor=org["county"],
            project=project,
            to=Stage.SIGNED,
            happened_on=D(2022, 3, 1),
            evidence_kind=EvidenceKind.CONTRACT,
            files=[text],
        )
    assert "不支持的文件类型" in messages(exc)
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING and not StageChange.objects.exists()


def test_a_signing_counts_only_after_a_verifier_other_than_the_recorder_confirms_it(org, make_project, move):
    project = make_project()
    change = move(project, Stage.SIGNED, D(2022, 3, 1), confirm=False)
    assert project.stage == Stage.SIGNED and project.pending
    assert project.signed_on is None
    assert not Project.objects.counted().exists()
    with pytest.raises(PermissionDenied):
        services.verify_stage(actor=org["county"], change=change, confirm=True)
    services.verify_stage(actor=org.verifier, change=change, confirm=True)
    project.refresh_from_db()
    assert project.signed_on == D(2022, 3, 1) and not project.pending
    assert list(Project.objects.counted()) == [project]


def test_a_verifier_cannot_confirm_a_move_they_recorded(org, make_project):
    county_verifier = make_person("county_verifier", org.county, Role.VERIFIER, "盐湖区核验员")
    make_person("county_verifier_staff", org.county, Role.COUNTY_STAFF)
    project = make_project()
    # The city's verifier records it (the office role is not theirs, so use a verifier who also works the county).
    from organizations.models import Membership

    Membership.objects.create(user=county_verifier, unit=org.county, role=Role.COUNTY_STAFF)
    from core.scope import forget_scope

    forget_scope(county_verifier)
    change = services.advance_stage(
        actor=county_verifier,
        project=project,
        to=Stage.SIGNED,
        happened_on=D(2022, 3, 1),
        evidence_kind=EvidenceKind.CONTRACT,
        files=[pdf()],
    )
    with pytest.raises(ValidationError) as exc:
        services.verify_stage(actor=county_verifier, change=change, confirm=True)
    assert "记录人以外" in messages(exc)
    services.verify_stage(actor=org.verifier, change=change, confirm=True)


def test_a_move_sent_back_by_the_verifier_reverts_the_stage(org, make_project, move):
    project = make_project()
    change = move(project, Stage.SIGNED, D(2022, 3, 1), confirm=False)
    with pytest.raises(ValidationError) as exc:
        services.verify_stage(actor=org.verifier, change=change, confirm=False)
    assert "退回须说明原因" in messages(exc)
    services.verify_stage(actor=org.verifier, change=change, confirm=False, note="合同未盖章")
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING and project.signed_on is None
    assert StageChange.objects.get().verification == Verification.REJECTED


def test_a_second_move_waits_for_the_first_to_be_verified(org, make_project, move):
    project = make_project()
    move(project, Stage.SIGNED, D(2022, 3, 1), confirm=False)
    with pytest.raises(ValidationError) as exc:
        services.advance_stage(
            actor=org["county"],
            project=project,
            to=Stage.STARTED,
            happened_on=D(2022, 4, 1),
            evidence_kind=EvidenceKind.SITE_PHOTO,
            files=[png()],
        )
    assert "尚待核验" in messages(exc)


def test_a_move_cannot_be_dated_before_the_previous_one(org, make_project, move):
    project = make_project()
    move(project, Stage.SIGNED, D(2022, 3, 1))
    with pytest.raises(ValidationError) as exc:
        move(project, Stage.STARTED, D(2022, 2, 1))
    assert "不能早于上一阶段" in messages(exc)


def test_cycle_dates_come_from_the_confirmed_moves(org, make_project, walk):
    from projects.selectors import cycle_days

    project = make_project(first_contact_on=D(2022, 1, 6))
    walk(project, Stage.PRODUCING, start=D(2022, 3, 1))
    project.refresh_from_db()
    assert (project.signed_on - project.first_contact_on).days == 54
    days = cycle_days(Project.objects.filter(pk=project.pk))
    assert days["contact_to_signing"]["average"] == 54
    assert days["signing_to_production"]["average"] == 60


def test_suspended_resumes_to_the_stage_it_stopped_at(org, make_project, move):
    project = make_project()
    move(project, Stage.SIGNED, D(2022, 3, 1))
    move(project, Stage.STARTED, D(2022, 4, 1))
    move(project, Stage.SUSPENDED, D(2022, 5, 1), reason="环评补充材料")
    assert project.stage == Stage.SUSPENDED
    assert set(services.allowed_moves(project)) == {Stage.STARTED, Stage.TERMINATED}
    move(project, Stage.STARTED, D(2022, 6, 1))
    assert project.stage == Stage.STARTED and project.started_on == D(2022, 4, 1)


def test_a_team_member_cannot_move_a_stage(org, make_project):
    project = make_project()
    with pytest.raises(PermissionDenied):
        services.advance_stage(
            actor=org["team_member"], project=project, to=Stage.PLANNED, happened_on=D(2022, 3, 1), reason="x"
        )


# --- 包联 and the service team ------------------------------------------------------------------


def test_the_service_team_sees_and_works_its_project(org, make_project, move):
    project = make_project()
    member = make_person("zhuanban", org.other_county, Role.COUNTY_STAFF, "专班小吴")
    assert not Project.objects.visible_to(member).filter(pk=project.pk).exists()
    services.set_assignment(
        actor=org["office"],
        project=project,
        leader_name="张副县长",
        responsible_unit=org.department,
        team=[member],
        head=member,
    )
    assert Project.objects.visible_to(member).filter(pk=project.pk).exists()
    assert Project.objects.visible_to(org["department"]).filter(pk=project.pk).exists()
    move(project, Stage.SIGNED, D(2022, 3, 1))
    report = services.report_progress(
        actor=member, project=project, month=D(2022, 4, 1), completed_investment="8000", progress="主体厂房开工建设"
    )
    assert report.completed_investment == Decimal("8000")


def test_four_duties_are_for_projects_of_two_yi_or_more(org, make_project):
    small = make_project(name="小项目", total_investment=Decimal("15000"))
    with pytest.raises(ValidationError) as exc:
        services.set_duties(actor=org["office"], project=small, duties={Duty.SERVICE: ("李局长", None)})
    assert "2 亿元及以上" in messages(exc)
    big = make_project(name="大项目", total_investment=Decimal("20000"))
    made = services.set_duties(
        actor=org["office"],
        project=big,
        duties={Duty.COORDINATE: ("王副市长", None), Duty.SERVICE: ("李局长", org.department)},
    )
    assert {d.duty for d in made} == {Duty.COORDINATE, Duty.SERVICE}


# --- Monthly progress --------------------------------------------------------------------------


def test_completed_investment_above_the_total_is_refused(org, make_project, move):
    project = make_project(total_investment=Decimal("10000"))
    move(project, Stage.SIGNED, D(2022, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.report_progress(
            actor=org["county"], project=project, month=D(2022, 4, 1), completed_investment="1.2亿", progress="x"
        )
    assert "不能超过总投资" in messages(exc)
    assert not MonthlyProgress.objects.exists()


def test_funds_before_signing_are_refused(org, make_project, move):
    project = make_project()
    with pytest.raises(ValidationError) as exc:
        services.report_progress(
            actor=org["county"],
            project=project,
            month=D(2022, 2, 1),
            completed_investment="0",
            progress="洽谈",
            funds_fixed="100",
        )
    assert "签约之前不能有到位资金" in messages(exc)
    move(project, Stage.SIGNED, D(2022, 3, 15))
    with pytest.raises(ValidationError):
        services.report_progress(
            actor=org["county"],
            project=project,
            month=D(2022, 2, 1),
            completed_investment="0",
            progress="x",
            funds_fixed="100",
        )
    services.report_progress(
        actor=org["county"],
        project=project,
        month=D(2022, 3, 1),
        completed_investment="100",
        progress="x",
        funds_fixed="100",
        funds_non_fixed="40",
        funds_outside_province="120",
    )
    project.refresh_from_db()
    assert project.funds_arrived == Decimal("140")


def test_a_late_report_is_flagged(org, make_project, move):
    project = make_project()
    move(project, Stage.SIGNED, D(2022, 3, 1))
    report = services.report_progress(
        actor=org["county"], project=project, month=D(2022, 4, 1), completed_investment="100", progress="x"
    )
    assert report.due_on == D(2022, 5, 5) and report.late


def test_cumulative_investment_cannot_go_down(org, make_project, move):
    project = make_project()
    move(project, Stage.SIGNED, D(2022, 3, 1))
    services.report_progress(
        actor=org["county"], project=project, month=D(2022, 4, 1), completed_investment="3000", progress="x"
    )
    with pytest.raises(ValidationError) as exc:
        services.report_progress(
            actor=org["county"], project=project, month=D(2022, 5, 1), completed_investment="2000", progress="x"
        )
    assert "不能少于" in messages(exc)


# --- Counting rules and rounds ---------------------------------------------------------------------


def test_a_capital_increase_adds_its_amount_not_a_project(org, make_project, move):
    project = make_project(total_investment=Decimal("10000"))
    move(project, Stage.SIGNED, D(2022, 3, 1))
    services.amend_project(
        actor=org["office"],
        project=project,
        kind=AmendmentKind.CAPITAL_INCREASE,
        happened_on=D(2022, 6, 1),
        amount="5000万",
    )
    project.refresh_from_db()
    assert project.total_investment == Decimal("15000")
    assert Project.objects.counted().count() == 1


def test_a_round_cannot_list_a_project_twice(org, make_project, move):
    project = make_project()
    move(project, Stage.SIGNED, D(2022, 3, 1))
    rnd = services.create_round(actor=org["county"], host_unit=org.county, name="第一次", held_on=D(2022, 3, 20))
    services.add_to_round(actor=org["county"], round=rnd, project=project, batch=Batch.SIGNED)
    with pytest.raises(ValidationError) as exc:
        services.add_to_round(actor=org["county"], round=rnd, project=project, batch=Batch.STARTED)
    assert "已列入本次活动" in messages(exc)
    assert RoundEntry.objects.count() == 1


def test_a_round_batch_needs_the_stage_reached(org, make_project, move):
    project = make_project()
    move(project, Stage.SIGNED, D(2022, 3, 1))
    rnd = services.create_round(actor=org["county"], host_unit=org.county, name="第一次", held_on=D(2022, 3, 20))
    with pytest.raises(ValidationError) as exc:
        services.add_to_round(actor=org["county"], round=rnd, project=project, batch=Batch.PRODUCING)
    assert "尚未投产" in messages(exc)


def test_a_round_lists_only_its_hosts_projects(org, make_project, move):
    project = make_project(host=org.zone)
    move(project, Stage.SIGNED, D(2022, 3, 1), actor=org["office"])
    rnd = services.create_round(actor=org["office"], host_unit=org.county, name="第一次", held_on=D(2022, 3, 20))
    with pytest.raises(ValidationError) as exc:
        services.add_to_round(actor=org["office"], round=rnd, project=project, batch=Batch.SIGNED)
    assert "不在盐湖区" in messages(exc)


# --- From a lead -------------------------------------------------------------------------------------


def test_a_lead_accepted_by_a_county_becomes_its_project_with_investor_content_and_amount(org):
    from leads import services as lead_services

    lead = lead_services.create_lead(
        actor=org["team_member"],
        name="宁德时代动力电池项目",
        collected_date=D(2022, 9, 1),
        investor_name="宁德时代新能源科技股份有限公司",
        content="建设年产 20GWh 动力电池生产基地，配套电池回收产线",
        estimated_amount="约50亿元",
        contact_reached=True,
    )
    with pytest.raises(ValidationError):
        services.create_project_from_lead(actor=org["office"], lead=lead)
    lead_services.assess_lead(actor=org["office"], lead=lead, grade="A", receiving_unit=org.county, opinion="推送")
    lead_services.accept_lead(actor=org["county"], lead=lead)
    project = services.create_project_from_lead(actor=org["county"], lead=lead)
    assert project.host_unit == org.county and project.stage == Stage.NEGOTIATING
    assert project.total_investment == Decimal("500000")
    assert project.investors.get().name == "宁德时代新能源科技股份有限公司"
    assert project.first_contact_on == D(2022, 9, 1)
    with pytest.raises(ValidationError) as exc:
        services.create_project_from_lead(actor=org["county"], lead=lead)
    assert "已转为项目" in messages(exc)
    # The team that found the lead sees what became of it.
    assert Project.objects.visible_to(org["team_member"]).filter(pk=project.pk).exists()
    assert not Project.objects.visible_to(org["outsider"]).filter(pk=project.pk).exists()


def test_the_list_behind_the_signed_rates_leaves_out_a_re_signed_project(org, make_project, move, rf):
    from projects.filtersets import ProjectFilterSet

    first = make_project(name="原项目")
    move(first, Stage.SIGNED, D(2022, 3, 1))
    again = make_project(name="重新签约项目", predecessor=first)
    move(again, Stage.SIGNED, D(2022, 9, 1))
    request = rf.get("/projects/")
    request.user = org["office"]
    found = ProjectFilterSet(
        {"reached": "signed", "first_signing": "true"}, queryset=Project.objects.all(), request=request
    ).qs
    assert list(found) == [first] == list(Project.objects.counted())
