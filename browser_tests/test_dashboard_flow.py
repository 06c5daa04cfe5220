"""The city leader's dashboard in the browser: the charts are drawn from their json_script data by
static/js/dashboard.js, a real click on a bar of the teams' ranking opens the list behind it, and the list
holds as many records as the bar says. The strict CSP must refuse nothing the page does.
"""

from core.testing import PERSONA_PASSWORD, Org
from dashboards.tests.builders import build_world

DASHBOARD = "/dashboards/?start=2024-01-01&end=2024-12-31"


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


# Where the tallest bar of a series is drawn, in the page's coordinates: the chart's own layout of the bar
# (its rectangle), checked against convertToPixel (the category's place on the axis and the value's height).
BAR_POSITION = """([key, series]) => {
  const element = document.querySelector(`[data-chart="${key}"]`);
  element.scrollIntoView({block: "center", behavior: "instant"});  // Bootstrap makes scrolling smooth
  const chart = echarts.getInstanceByDom(element);
  const points = chart.getOption().series[series].data;
  let index = 0;
  points.forEach((p, i) => { if (p.value > points[index].value) { index = i; } });
  const bar = chart.getModel().getSeriesByIndex(series).getData().getItemLayout(index);
  const axis = chart.convertToPixel({seriesIndex: series}, [index, points[index].value / 2]);
  const box = element.getBoundingClientRect();
  return {
    x: box.left + bar.x + bar.width / 2,
    y: box.top + bar.y + bar.height / 2,
    axisY: box.top + axis[1],
    value: points[index].value,
    name: points[index].name,
    url: points[index].url,
  };
}"""


def test_a_click_on_a_teams_bar_opens_the_list_behind_it(browser, live_server, transactional_db):
    org = Org()
    build_world(org, 6)
    violations = []
    context, page = open_as(browser, live_server, "leader", violations)
    try:
        page.goto(DASHBOARD)
        assert "运城市领导驾驶舱" in page.inner_text("[data-testid=dashboard-title]")
        assert "数据更新于" in page.inner_text("[data-testid=updated-at]")
        for key in ("funnel", "teams", "areas", "regions", "chains"):
            page.wait_for_selector(f'[data-chart="{key}"][data-rendered="1"]')
            assert page.locator(f'[data-chart="{key}"] canvas').count() == 1
        # The first series of the teams' chart is 走访 (visits): click its tallest bar where it is drawn.
        bar = page.evaluate(BAR_POSITION, ["teams", 0])
        assert bar["value"] > 0 and abs(bar["axisY"] - bar["y"]) < 2
        page.mouse.click(bar["x"], bar["y"])
        page.wait_for_url("**/outreach/visits/**")
        assert page.url.endswith(bar["url"])
        assert f"共 {bar['value']} 条" in page.inner_text("main")
        assert "date_from=2024-01-01" in page.url and "unit=" in page.url

        # Back on the dashboard, a number in a table is a link to the same kind of list.
        page.goto(DASHBOARD)
        signed = page.inner_text("[data-testid=figure-signed]")
        page.click("[data-testid=figure-signed]")
        page.wait_for_url("**/projects/**")
        assert f"共 {signed} 条" in page.inner_text("main")

        # The print view draws the same charts (as SVG) without the menu.
        page.goto(DASHBOARD.replace("/dashboards/", "/dashboards/print/"))
        page.wait_for_selector('[data-chart="funnel"][data-rendered="1"]')
        assert page.locator('[data-chart="funnel"] svg').count() == 1
        assert not page.locator("nav.navbar").is_visible()
        assert not violations, violations
    finally:
        context.close()
