"""A problem's way in the browser (seed 002): raised at a 夜沙龙 by the project's service team, assigned by the
office to two departments with one in the lead, solved by the lead department, reopened by the service team
and so on the supervision list; and a company files a complaint on the public page without logging in.

Each person works in their own browser; the strict CSP must refuse nothing the pages do.
"""

import datetime
from decimal import Decimal

from core.testing import Org, make_person, make_unit
from organizations.choices import Role, UnitKind
from projects import services as project_services
from service import services
from service.choices import EscalationReason, MeetingKind, ProblemStatus
from service.models import Problem

from .test_lead_flow import open_action, open_as


def test_a_problem_from_a_salon_reaches_supervision_and_a_company_complains_without_login(
    browser, live_server, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZS_COMPLAINT_MIN_SECONDS = 0
    org = Org()
    power = make_unit("YC-GD", "运城市供电服务中心", UnitKind.DEPARTMENT, org.city)
    team = make_person("zhuanban", org.county, Role.COUNTY_STAFF, "专班小吴")
    project = project_services.create_project(
        actor=org["office"],
        host_unit=org.county,
        name="年产5000件珠宝首饰加工项目",
        investor_names=["运城市金玉珠宝有限公司"],
        total_investment=Decimal("8000"),
        stage="negotiating",
    )
    project_services.set_assignment(actor=org["office"], project=project, leader_name="盐湖区副区长", team=[team])
    salon = services.create_meeting(
        actor=org["county"],
        host_unit=org.county,
        kind=MeetingKind.SALON,
        title="盐湖区民营企业夜沙龙",
        held_on=datetime.date.today(),
        projects=[project],
    )

    violations, contexts = [], []
    try:
        # 1. At the 夜沙龙 the service team raises the jeweller's need for a bigger plant.
        context, member = open_as(browser, live_server, "zhuanban", violations)
        contexts.append(context)
        member.goto(salon.get_absolute_url())
        open_action(member, "raise")
        member.fill("[data-testid=form-raise] input[name=title]", "扩大厂房用地")
        member.fill(
            "[data-testid=form-raise] textarea[name=description]", "订单增长，现有厂房不足，需新增用地约 20 亩。"
        )
        land = next(c for c in services.categories_for(org.city) if c.code == "land")
        member.select_option("[data-testid=form-raise] select[name=category]", str(land.pk))
        member.select_option("[data-testid=form-raise] select[name=project]", str(project.pk))
        member.click("[data-testid=submit-raise]")
        member.wait_for_selector(".alert-success")
        problem = Problem.objects.get(meeting=salon)
        assert problem.project == project and problem.source == "meeting"

        # 2. The office assigns it to two departments, 自然资源局 in the lead.
        context, office = open_as(browser, live_server, "office", violations)
        contexts.append(context)
        office.goto(problem.get_absolute_url())
        open_action(office, "assign")
        office.check(f"input[name=assign-departments][value='{org.department.pk}']")
        office.check(f"input[name=assign-departments][value='{power.pk}']")
        office.select_option("select[name=assign-lead_department]", str(org.department.pk))
        office.click("[data-testid=submit-assign]")
        office.wait_for_selector(".alert-success")
        problem.refresh_from_db()
        assert problem.status == ProblemStatus.ASSIGNED and problem.lead_department == org.department
        assert problem.assignments.count() == 2

        # 3. The lead department answers and marks it solved.
        context, department = open_as(browser, live_server, "department", violations)
        contexts.append(context)
        department.goto("/service/inbox/")
        department.click("text=扩大厂房用地")
        open_action(department, "answer")
        department.fill("textarea[name=answer-answer]", "已在工业园区预留 20 亩用地指标，下月挂牌。")
        department.check("input[name=answer-solved]")
        department.click("[data-testid=submit-answer]")
        department.wait_for_selector(".alert-success")
        problem.refresh_from_db()
        assert problem.status == ProblemStatus.SOLVED

        # 4. The service team does not accept the answer: back to the departments, and to supervision.
        member.goto(problem.get_absolute_url())
        open_action(member, "reopen")
        member.fill("textarea[name=reopen-reason]", "挂牌时间不确定，企业无法安排设备进场。")
        member.click("[data-testid=submit-reopen]")
        member.wait_for_selector(".alert-success")
        problem.refresh_from_db()
        assert problem.status == ProblemStatus.REOPENED and problem.escalated == EscalationReason.REOPENED
        office.goto("/service/supervision/")
        assert "扩大厂房用地" in office.inner_text("main")
        timeline = office.goto(problem.get_absolute_url()) and office.inner_text("[data-testid=problem-timeline]")
        for step in ("提出", "交办", "办结", "退回重办", "督办"):
            assert step in timeline

        # 5. A company complains on the public page, with no login, and gets a number to follow it.
        public_context = browser.new_context(locale="zh-CN", base_url=live_server.url)
        contexts.append(public_context)
        public = public_context.new_page()
        public.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        public.goto("/complaint/?city=YC")
        assert "招商中心小王" not in public.content() and "/service/" not in public.content()
        public.fill("input[name=company_name]", "运城市金玉珠宝有限公司")
        public.fill("input[name=contact_name]", "王彬")
        public.fill("input[name=contact_phone]", "13903591234")
        public.select_option("select[name=category]", label="营商环境")
        public.fill("textarea[name=description]", "办理消防验收时多次往返，各窗口材料要求不一致。")
        public.click("[data-testid=complaint-submit]")
        number = public.inner_text("[data-testid=complaint-number]").strip()
        complaint = Problem.objects.get(is_complaint=True)
        assert complaint.number == number and complaint.contact_phone == "13903591234"
        public.goto("/complaint/status/")
        public.fill("input[name=number]", number)
        public.fill("input[name=phone]", "13903591234")
        public.click("[data-testid=lookup-submit]")
        assert "待交办" in public.inner_text("[data-testid=complaint-status]")
        assert not violations, violations
    finally:
        for context in contexts:
            context.close()
