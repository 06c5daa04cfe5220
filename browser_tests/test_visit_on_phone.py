"""A team member logs a visit on her phone in the car park, then finds it on the company's timeline.

Run on a phone-sized screen (iPhone SE, 375 × 667): the form must be usable there without
zooming or sideways scrolling, and the company she types must be offered from the
directory when it is already there.
"""

from django.utils import timezone

from core.testing import PERSONA_PASSWORD, Org
from enterprises.models import Company
from outreach.models import Visit

PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def test_a_visit_logged_on_a_phone_appears_on_the_companys_timeline(browser, live_server, transactional_db):
    org = Org()
    company = Company.objects.create(
        owner=org.city, name="杭州铜联精密材料有限公司", normalized_name="杭州铜联精密材料"
    )
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, **PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    # The strict CSP must not have to refuse anything the pages try (an inline style, a script).
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto("/accounts/login/")
        page.fill("input[name=username]", "team_member")
        page.fill("input[name=password]", PERSONA_PASSWORD)
        page.click("[data-testid=login-submit]")
        page.wait_for_url(f"{live_server.url}/")

        page.goto("/outreach/visits/new/")
        # Nothing wider than the phone: no sideways scrolling on the form.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.locator("input[name=company_name]").press_sequentially("杭州铜联", delay=50)
        # The directory offers the company already there, as she types.
        page.wait_for_selector('#company-options option[value="杭州铜联精密材料有限公司"]', state="attached")
        page.fill("input[name=company_name]", "杭州铜联精密材料有限公司")
        page.fill("input[name=contact_name]", "陈总")
        page.fill("textarea[name=content]", "推介运城铜精深加工产业链，企业有意在运城设立铜箔生产基地。")
        page.click("[data-testid=submit]")
        page.wait_for_selector(".alert-success")

        visit = Visit.objects.get()
        assert visit.company_id == company.pk and visit.unit == org.team
        assert visit.visit_date == timezone.localdate()
        assert Company.objects.count() == 1  # matched, not entered twice

        page.goto(f"/companies/{company.pk}/")
        timeline = page.inner_text("body")
        assert "推介运城铜精深加工产业链" in timeline
        assert "北京招商组" in timeline  # the team in touch with it
        assert not violations, violations
    finally:
        context.close()
