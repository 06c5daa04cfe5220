"""A lead's way through the method of seed 000, in the browser: a team member captures it on her phone from a
visit, the office assesses it in its queue and pushes it to 盐湖区, the county accepts it and moves it to 签约库.

Each person works in their own browser; the strict CSP must refuse nothing the pages do.
"""

import datetime

from chains.models import IndustryChain, IndustryCluster
from core.testing import PERSONA_PASSWORD, Org
from leads.models import Lead, LeadEvent
from outreach import services as outreach_services

PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def open_as(browser, live_server, username, violations, password=PERSONA_PASSWORD, **device):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, **device)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def open_action(page, name):
    """Unfold an action's block on a lead's page (Bootstrap's collapse, no script of ours)."""
    page.click(f"[data-testid=action-{name}] .card-header a")
    page.wait_for_selector(f"[data-testid=form-{name}]", state="visible")


def test_a_lead_from_a_visit_reaches_the_signed_pool(browser, live_server, transactional_db):
    org = Org()
    cluster = IndustryCluster.objects.create(owner=org.city, name="新能源集群")
    chain = IndustryChain.objects.create(cluster=cluster, name="新能源电池")
    visit = outreach_services.create_visit(
        actor=org["team_member"],
        visit_date=datetime.date.today(),
        company_name="宁德时代新能源科技股份有限公司",
        content="推介运城新能源电池产业链",
        intention="拟在运城建设年产 20GWh 动力电池生产基地",
        chain=chain,
        contact_name="张经理",
    )
    violations = []
    contexts = []
    try:
        # 1. The team member, on her phone, captures the lead from the visit in one step.
        context, phone = open_as(browser, live_server, "team_member", violations, **PHONE)
        contexts.append(context)
        phone.goto(f"/leads/new/?visit={visit.pk}")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, "no sideways scrolling on a phone"
        assert phone.input_value("input[name=company_name]") == "宁德时代新能源科技股份有限公司"
        phone.fill("input[name=name]", "宁德时代运城电池基地")
        phone.fill("input[name=estimated_amount]", "约5000万")
        phone.click("[data-testid=submit]")
        phone.wait_for_selector("[data-testid=record-title]")
        assert "宁德时代运城电池基地" in phone.inner_text("[data-testid=record-title]")
        assert "5,000 万元" in phone.inner_text("[data-testid=amount]")
        lead = Lead.objects.get()
        assert lead.visit == visit and lead.reporting_unit == org.team

        # 2. The office finds it in its queue, grades it and pushes it to 盐湖区.
        context, office = open_as(browser, live_server, "office", violations)
        contexts.append(context)
        office.goto("/leads/queue/")
        office.click("text=宁德时代运城电池基地")
        office.wait_for_selector("[data-testid=record-title]")
        open_action(office, "assess")
        office.select_option("select[name=assess-grade]", "A")
        office.fill("textarea[name=assess-opinion]", "符合盐湖区新能源产业布局")
        office.select_option("select[name=assess-receiving_unit]", label="盐湖区")
        office.click("[data-testid=submit-assess]")
        office.wait_for_selector(".alert-success")
        assert "盐湖区" in office.inner_text("[data-testid=receiving-unit]")
        office.goto("/leads/queue/")
        assert "宁德时代运城电池基地" not in office.inner_text("main")

        # 3. 盐湖区 sees it among its incoming leads and accepts it.
        context, county = open_as(browser, live_server, "county", violations)
        contexts.append(context)
        county.goto("/leads/incoming/")
        county.click("text=宁德时代运城电池基地")
        county.wait_for_selector("[data-testid=submit-accept]")
        county.click("[data-testid=submit-accept]")
        county.wait_for_selector(".alert-success")
        assert county.inner_text("[data-testid=lead-status]") == "已接收跟进"

        # 4. It moves through 在谈库 to 签约库.
        for name in ("在谈库", "签约库"):
            open_action(county, "move-pool")
            county.select_option("select[name=move_pool-pool]", label=name)
            county.click("[data-testid=submit-move-pool]")
            county.wait_for_selector(".alert-success")
            assert county.inner_text("[data-testid=lead-pool]") == name

        lead.refresh_from_db()
        assert lead.pool.name == "签约库" and lead.receiving_unit == org.county
        timeline = county.inner_text("[data-testid=lead-timeline]")
        for label in ("报送", "研判", "推送", "接收", "转库"):
            assert label in timeline
        assert LeadEvent.objects.filter(lead=lead).count() == 6
        assert not violations, violations
    finally:
        for context in contexts:
            context.close()
