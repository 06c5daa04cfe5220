"""The life of a report: the team drafts, edits and submits; the office reads or returns it; who may take each
step; and every refusal says why in Chinese and writes nothing."""

import datetime
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEvent
from core.testing import PERSONAS, make_person
from organizations.choices import Role
from reports import services
from reports.choices import PLANS_PLACEHOLDER, ReportKind, ReportStatus
from reports.models import TeamReport, TeamReportEvent
from reports.periods import week_of

from .conftest import MONDAY, PLANS, draft, ready, submitted

pytestmark = pytest.mark.django_db


def written():
    return (
        TeamReport.objects.count(),
        TeamReportEvent.objects.count(),
        AuditEvent.objects.exclude(action="login").count(),
        list(TeamReport.objects.values_list("status", "title", "body", "comment", "return_reason")),
    )


def refused(call, exception=ValidationError):
    before = written()
    with pytest.raises(exception) as exc:
        call()
    assert written() == before
    return " ".join(exc.value.messages) if exception is ValidationError else str(exc.value)


def test_draft_submit_read_is_the_whole_way_and_each_step_is_kept(org):
    report = draft(org, "team_leader")
    assert report.status == ReportStatus.DRAFT
    report = ready(org, report)
    report = services.submit_report(actor=org["team_member"], report=report)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == org["team_member"]
    assert report.first_submitted_at == report.submitted_at
    report = services.mark_read(actor=org["office"], report=report, comment="已阅，请加大走访力度。")
    assert (report.status, report.read_by, report.comment) == (
        ReportStatus.READ,
        org["office"],
        "已阅，请加大走访力度。",
    )
    steps = list(report.events.values_list("from_status", "to_status", "actor__username"))
    assert steps == [
        ("", "draft", "team_leader"),
        ("draft", "submitted", "team_member"),
        ("submitted", "read", "office"),
    ]
    audited = AuditEvent.objects.filter(object_type="reports.teamreport", object_id=str(report.pk))
    assert list(audited.order_by("id").values_list("action", flat=True)) == [
        "create",
        "update",
        "state_change",
        "state_change",
    ]


def test_a_returned_report_is_the_teams_draft_again_and_keeps_its_first_submission(org):
    report = submitted(org)
    first = report.first_submitted_at
    report = services.return_report(actor=org["office"], report=report, reason="线索对接进展写得不具体")
    assert report.status == ReportStatus.DRAFT and report.return_reason == "线索对接进展写得不具体"
    report = services.update_report(actor=org["team_member"], report=report, body=report.body + "\n补充：已约定考察。")
    report = services.submit_report(actor=org["team_member"], report=report)
    assert report.status == ReportStatus.SUBMITTED and report.first_submitted_at == first
    assert report.events.filter(to_status="draft", from_status="submitted").get().note == "线索对接进展写得不具体"


def test_who_may_take_each_step(org):
    """Each persona against each step: only the team writes and submits, only the city's office reads or returns."""
    team = {"team_leader", "team_member"}
    for persona in PERSONAS:
        actor = org[persona]
        report = draft(org)
        if persona in team:
            services.update_report(actor=actor, report=report, title="北京组第19周专报")
        else:
            refused(partial(services.update_report, actor=actor, report=report, title="改"), PermissionDenied)
            refused(partial(services.submit_report, actor=actor, report=ready(org, report)), PermissionDenied)
        report = ready(org, report)
        services.submit_report(actor=org["team_member"], report=report)
        for step in (
            partial(services.mark_read, actor=actor, report=report),
            partial(services.return_report, actor=actor, report=report, reason="退回"),
        ):
            if persona == "office":
                continue
            assert "招商中心" in refused(step, PermissionDenied)
        if persona == "office":
            services.mark_read(actor=actor, report=report)
        TeamReport.objects.all().delete()
    # Another team's report is not ours to write; another city's office does not read ours.
    other = draft(org, org.other_team_member, unit=org.other_team)
    message = refused(
        lambda: services.update_report(actor=org["team_member"], report=other, title="改"), PermissionDenied
    )
    assert "本组" in message
    other = services.update_report(
        actor=org.other_team_member, report=other, body=other.body.replace(PLANS_PLACEHOLDER, PLANS)
    )
    services.submit_report(actor=org.other_team_member, report=other)
    lf_office = make_person("lf_office", org.other_city, Role.OFFICE_STAFF, "临汾招商中心")
    refused(lambda: services.mark_read(actor=lf_office, report=other), PermissionDenied)


def test_a_period_not_yet_started_is_refused(org):
    next_monday = week_of(timezone.localdate())[0] + datetime.timedelta(days=7)
    message = refused(lambda: draft(org, start=next_monday))
    assert "尚未开始" in message
    first_of_next_month = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    assert "尚未开始" in refused(lambda: draft(org, kind=ReportKind.MONTHLY, start=first_of_next_month))
    # The running week may be drafted (a team writes on Friday).
    assert draft(org, start=timezone.localdate()).start == week_of(timezone.localdate())[0]


def test_only_a_team_or_squad_sends_reports(org):
    for unit, persona in ((org.county, "county"), (org.city, "office"), (org.office, "office")):
        message = refused(partial(draft, org, persona, unit=unit))
        assert f"“{unit.name}”不是驻点招商组或小分队" in message


def test_a_second_report_for_the_same_unit_and_period_is_refused(org):
    draft(org)
    message = refused(lambda: draft(org, "team_leader", start=MONDAY + datetime.timedelta(days=3)))
    assert "北京招商组2023年第19周（5月8日—5月14日）的周报已经起草过" in message
    # Another kind or another team for the same days is a report of its own.
    draft(org, kind=ReportKind.MONTHLY)
    draft(org, org.other_team_member, unit=org.other_team)
    assert TeamReport.objects.count() == 3


def test_a_bad_kind_and_someone_outside_the_team_are_refused(org):
    assert "周报或月报" in refused(lambda: draft(org, kind="daily"))
    assert "本组" in refused(lambda: draft(org, "office"), PermissionDenied)
    assert "本组" in refused(lambda: draft(org, "outsider"), PermissionDenied)
    assert "本组" in refused(lambda: draft(org, org.other_team_member), PermissionDenied)


def test_a_report_with_its_plans_not_filled_in_is_not_submitted(org):
    report = draft(org)
    message = refused(lambda: services.submit_report(actor=org["team_member"], report=report))
    assert "请先填写“下周工作打算”" in message
    month = draft(org, kind=ReportKind.MONTHLY)
    assert "下月工作打算" in refused(lambda: services.submit_report(actor=org["team_member"], report=month))


def test_what_was_sent_is_not_edited_nor_sent_again_and_a_return_needs_a_reason(org):
    report = submitted(org)
    assert "不能修改" in refused(lambda: services.update_report(actor=org["team_member"], report=report, title="改"))
    assert "不能重复提交" in refused(lambda: services.submit_report(actor=org["team_member"], report=report))
    assert "退回原因" in refused(lambda: services.return_report(actor=org["office"], report=report, reason="  "))
    services.mark_read(actor=org["office"], report=report)
    assert "只有已提交" in refused(lambda: services.mark_read(actor=org["office"], report=report))
    assert "只有已提交" in refused(lambda: services.return_report(actor=org["office"], report=report, reason="晚了"))


def test_an_empty_title_or_body_is_refused(org):
    report = draft(org)
    assert "请填写标题" in refused(lambda: services.update_report(actor=org["team_member"], report=report, title=" "))
    assert "请填写正文" in refused(lambda: services.update_report(actor=org["team_member"], report=report, body="\n"))
    assert "200" in refused(lambda: services.update_report(actor=org["team_member"], report=report, title="长" * 201))
