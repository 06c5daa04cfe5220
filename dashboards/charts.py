"""The dashboard's charts as data for static/js/dashboard.js: each point carries the URL of its list (a click on a
bar or a slice opens it). Rendered into the page with `json_script`; no script is written into the page."""

from decimal import Decimal

from django.utils.translation import gettext as _


def _point(figure, name=None):
    value = float(figure["display"]) if figure["kind"] == "amount" else figure["value"]
    return {"name": name or figure["label"], "value": value, "url": figure["url"]}


def _bars(key, title, rows, name_of, series):
    """A bar chart: one category per row that has anything to show, one series per (label, figure key, axis)."""
    rows = [r for r in rows if any(Decimal(str(r[field]["value"])) for _l, field, _a in series)]
    return {
        "key": key,
        "type": "bar",
        "title": title,
        "categories": [name_of(r) for r in rows],
        "series": [
            {"name": label, "axis": axis, "data": [_point(r[field], name_of(r)) for r in rows]}
            for label, field, axis in series
        ],
        "axes": sorted({axis for _l, _f, axis in series}),
    }


def dashboard_charts(figures):
    common = {"save_label": _("保存为图片"), "empty_label": _("暂无数据")}
    charts = [
        {
            "key": "funnel",
            "type": "funnel",
            "title": _("招商漏斗"),
            "data": [_point(f) for f in figures["funnel"]],
        },
        _bars(
            "teams",
            _("招商组、小分队排名"),
            figures["teams"],
            lambda r: r["unit"]["name"],
            [
                (_("走访"), "visits", 0),
                (_("实效线索"), "leads", 0),
                (_("考察"), "inspections", 0),
                (_("签约项目"), "signed", 0),
            ],
        ),
        _bars(
            "areas",
            _("县（市、区）、开发区排名"),
            figures["areas"],
            lambda r: r["unit"]["name"],
            [(_("签约项目"), "signed", 0), (_("开工项目"), "started", 0), (_("签约总投资（亿元）"), "investment", 1)],
        ),
        {
            "key": "regions",
            "type": "pie",
            "title": _("线索来源区域"),
            "data": [_point(r["leads"], r["name"]) for r in figures["regions"] if r["leads"]["value"]],
        },
        _bars(
            "chains",
            _("按产业链"),
            figures["chains"],
            lambda r: r["chain"]["name"],
            [(_("线索"), "leads", 0), (_("签约项目"), "projects", 0), (_("签约总投资（亿元）"), "investment", 1)],
        ),
    ]
    for chart in charts:
        chart.update(common, element_id=f"dash-chart-data-{chart['key']}")
    return charts
