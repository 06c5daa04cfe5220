"""A weekly report (一周一专报) in the browser: a team member has the system draft it from the week's ledgers, is
told the plans are still to write, edits the text, submits it; the office finds it submitted and marks it read.

Each person works in their own browser; the strict CSP must refuse nothing the pages do.
"""

import datetime

from core.testing import Org
from outreach import services as outreach_services
from reports.choices import PLANS_PLACEHOLDER
from reports.models import TeamReport

from .test_lead_flow import open_action, open_as

D = datetime.date
TITLE = "北京招商组2023年第19周（5月8日—5月14日）工作专报"
PLANS = "1. 邀请宁德时代来运实地考察；\n2. 对接北京科技大学开展校企合作。"


def test_a_team_member_drafts_edits_and_submits_a_weekly_report_and_the_office_reads_it(
    browser, live_server, transactional_db
):
    org = Org()
    outreach_services.create_visit(
        actor=org["team_member"],
        visit_date=D(2023, 5, 10),
        company_name="宁德时代新能源科技股份有限公司",
        content="推介运城新能源电池产业链",
    )
    outreach_services.create_visit(
        actor=org["team_member"], visit_date=D(2023, 5, 12), company_name="北京科技大学", content="校企合作"
    )
    violations = []
    contexts = []
    try:
        # 1. The team member asks for the week's draft.
        context, team = open_as(browser, live_server, "team_member", violations)
        contexts.append(context)
        team.goto("/reports/")
        team.click("[data-testid=draft-weekly]")
        team.wait_for_selector("[data-testid=draft-form]")
        team.fill("input[name=period]", "2023-W19")
        team.click("[data-testid=submit]")
        team.wait_for_selector("[data-testid=record-title]")
        assert team.inner_text("[data-testid=record-title]") == TITLE
        body = team.inner_text("[data-testid=report-body]")
        assert "一、本周工作开展情况" in body and "宁德时代新能源科技股份有限公司" in body
        assert team.inner_text("[data-testid=figure-visits]") == "2"
        assert team.inner_text("[data-testid=report-status]") == "草稿"

        # 2. Submitting before the plans are written is refused, with the reason.
        team.click("[data-testid=submit-submit]")
        team.wait_for_selector("[data-testid=form-errors]")
        assert "请先填写“下周工作打算”" in team.inner_text("[data-testid=action-submit]")

        # 3. She writes the plans into the text and submits.
        team.click("[data-testid=edit-link]")
        text = team.input_value("textarea[name=body]")
        assert PLANS_PLACEHOLDER in text
        team.fill("textarea[name=body]", text.replace(PLANS_PLACEHOLDER, PLANS))
        team.click("[data-testid=save]")
        team.wait_for_selector(".alert-success")
        assert "邀请宁德时代来运实地考察" in team.inner_text("[data-testid=report-body]")
        team.click("[data-testid=submit-submit]")
        team.wait_for_selector(".alert-success")
        assert team.inner_text("[data-testid=report-status]") == "已提交"
        assert team.locator("[data-testid=edit-link]").count() == 0
        report = TeamReport.objects.get()
        assert report.status == "submitted" and report.submitted_by == org["team_member"]

        # 4. The office finds it among the submitted reports and marks it read.
        context, office = open_as(browser, live_server, "office", violations)
        contexts.append(context)
        office.goto("/reports/?status=submitted")
        office.click(f"text={TITLE}")
        office.wait_for_selector("[data-testid=record-title]")
        assert office.inner_text("[data-testid=report-status]") == "已提交"
        assert "邀请宁德时代来运实地考察" in office.inner_text("[data-testid=report-body]")
        open_action(office, "read")
        office.fill("textarea[name=read-comment]", "已阅，抓紧邀请企业来运考察。")
        office.click("[data-testid=submit-read]")
        office.wait_for_selector(".alert-success")
        assert office.inner_text("[data-testid=report-status]") == "已阅"
        assert "抓紧邀请企业来运考察" in office.inner_text("[data-testid=comment]")
        assert not violations, violations
    finally:
        for context in contexts:
            context.close()
