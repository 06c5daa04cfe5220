"""Problems through the services: raised, assigned to departments, solved, confirmed or reopened, escalated."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from service import selectors, services
from service.choices import EscalationReason, ProblemStatus
from service.models import Problem, ProblemAssignment

pytestmark = pytest.mark.django_db


def messages(exc):
    return " ".join(exc.value.messages)


def test_a_problem_goes_to_two_departments_the_lead_solves_it_the_team_confirms(org, power, power_staff, raise_one):
    problem = raise_one()
    assert problem.status == ProblemStatus.RAISED and problem.number.startswith("WT")
    services.assign_problem(
        actor=org["office"], problem=problem, departments=[org.department, power], lead_department=org.department
    )
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.ASSIGNED and problem.due_on > problem.raised_on
    assert list(selectors.inbox(org["department"])) == [problem]
    assert list(selectors.inbox(power_staff)) == [problem]
    services.answer_problem(actor=power_staff, problem=problem, answer="配套电力容量可满足")
    with pytest.raises(ValidationError) as exc:
        services.answer_problem(actor=power_staff, problem=problem, answer="办结", solved=True)
    assert "只有牵头部门可以办结" in messages(exc)
    services.accept_problem(actor=org["department"], problem=problem)
    services.answer_problem(actor=org["department"], problem=problem, answer="已安排 20 亩用地指标", solved=True)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.SOLVED and problem.same_day and problem.on_time
    services.confirm_problem(actor=problem.raised_by, problem=problem, satisfaction=5)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED and problem.satisfaction == 5
    assert selectors.figures(Problem.objects.all())["same_day_share"] == 100.0


def test_assigning_to_a_unit_that_is_not_a_department_is_refused(org, raise_one):
    problem = raise_one()
    with pytest.raises(ValidationError) as exc:
        services.assign_problem(actor=org["office"], problem=problem, departments=[org.county])
    assert "不是职能部门" in messages(exc)
    assert not ProblemAssignment.objects.exists()


def test_a_due_date_before_the_raising_date_is_refused(org, raise_one):
    problem = raise_one(raised_on=datetime.date(2023, 5, 10))
    with pytest.raises(ValidationError) as exc:
        services.assign_problem(
            actor=org["office"], problem=problem, departments=[org.department], due_on=datetime.date(2023, 5, 1)
        )
    assert "不能早于提出日期" in messages(exc)


def test_a_department_cannot_solve_what_is_not_assigned_to_it(org, power_staff, raise_one):
    problem = raise_one()
    services.assign_problem(actor=org["office"], problem=problem, departments=[org.department])
    with pytest.raises(PermissionDenied):
        services.answer_problem(actor=power_staff, problem=problem, answer="x", solved=True)


def test_a_reopened_problem_goes_to_supervision(org, raise_one):
    problem = raise_one()
    services.assign_problem(actor=org["office"], problem=problem, departments=[org.department])
    services.answer_problem(actor=org["department"], problem=problem, answer="已协调", solved=True)
    with pytest.raises(ValidationError):
        services.reopen_problem(actor=problem.raised_by, problem=problem, reason="")
    services.reopen_problem(actor=problem.raised_by, problem=problem, reason="用地指标仍未落实")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.REOPENED and problem.escalated == EscalationReason.REOPENED
    assert problem in selectors.supervision(org["office"])
    assert problem in selectors.supervision(org["leader"])


def test_the_same_companys_third_problem_of_a_category_is_escalated(org, raise_one):
    first, second = raise_one(title="一"), raise_one(title="二")
    assert not first.escalated and not second.escalated
    third = raise_one(title="三")
    assert third.escalated == EscalationReason.REPEATED


def test_an_overdue_problem_is_on_the_supervision_list(org, raise_one):
    problem = raise_one(raised_on=datetime.date(2023, 1, 3))
    services.assign_problem(actor=org["office"], problem=problem, departments=[org.department])
    assert problem in selectors.supervision(org["office"])
    assert services.escalate_overdue() == 1
    problem.refresh_from_db()
    assert problem.escalated == EscalationReason.OVERDUE


def test_a_department_sees_only_what_is_assigned_to_it(org, power_staff, raise_one):
    problem = raise_one()
    assert not Problem.objects.visible_to(org["department"]).exists()
    services.assign_problem(actor=org["office"], problem=problem, departments=[org.department])
    assert list(Problem.objects.visible_to(org["department"])) == [problem]
    assert not Problem.objects.visible_to(power_staff).exists()
    assert not Problem.objects.visible_to(org["outsider"]).exists()
    assert not Problem.objects.visible_to(
        org["other_team_member"] if "other_team_member" in org.people else org.other_team_member
    ).exists()


def test_a_public_complaint_is_found_only_with_its_number_and_phone(org, category):
    complaint = services.submit_complaint(
        owner=org.city,
        company_name="运城市金玉珠宝有限公司",
        contact_name="王彬",
        contact_phone="139 0359 1234",
        category=category["environment"],
        description="办理消防验收时多次往返，材料要求不一致。",
    )
    assert complaint.number.startswith("TS") and complaint.source == "hotline"
    assert services.find_complaint(complaint.number, "13903591234") == complaint
    assert services.find_complaint(complaint.number, "13900000000") is None
    assert services.find_complaint("TS2023-00001X", "13903591234") is None
    with pytest.raises(ValidationError) as exc:
        services.submit_complaint(
            owner=org.city,
            company_name="x",
            contact_name="y",
            contact_phone="12",
            category=category["other"],
            description="太短",
        )
    assert "联系电话" in messages(exc)


def test_a_companys_page_lists_its_problems_for_those_who_may_see_them(org, raise_one):
    from enterprises.timeline import company_timeline

    problem = raise_one()
    seen = [e.summary for e in company_timeline(problem.company, org["office"]).entries]
    assert any("扩大厂房用地" in s for s in seen)
    assert not company_timeline(problem.company, org["outsider"]).entries


def test_the_daily_command_escalates_overdue_problems_once(org, raise_one):
    import io

    from django.core.management import call_command

    problem = raise_one(raised_on=datetime.date(2023, 1, 3))
    services.assign_problem(actor=org["office"], problem=problem, departments=[org.department])
    out = io.StringIO()
    call_command("escalate_overdue", stdout=out)
    assert "1" in out.getvalue()
    call_command("escalate_overdue", stdout=io.StringIO())
    problem.refresh_from_db()
    assert problem.escalated == EscalationReason.OVERDUE
    assert problem.events.filter(kind="escalated").count() == 1
