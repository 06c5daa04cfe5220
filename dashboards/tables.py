"""The dashboard's tables, built once from its figures: the page shows them (every number a link), the print view
prints them and the Excel export writes them, so the three always hold the same numbers."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _


@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: list = field(default_factory=list)  # lists of cells: {"text", "value", "url"}
    note: str = ""


def cell(value, url=None):
    """A plain cell (a name, a label)."""
    num = isinstance(value, (int, Decimal)) and not isinstance(value, bool)
    return {"text": "—" if value is None else str(value), "value": value, "url": url, "num": num}


def fig(figure):
    """A figure's cell: its number as shown, the number Excel gets, the list behind it."""
    value = Decimal(figure["display"]) if figure["kind"] == "amount" else figure["value"]
    return {"text": figure["display"], "value": value, "url": figure["url"], "num": True}


def dashboard_tables(figures):
    tables = [
        Table(
            "funnel",
            _("招商漏斗"),
            [_("环节"), _("数量"), _("单位")],
            [[cell(f["label"]), fig(f), cell(f["unit"])] for f in figures["funnel"]],
        ),
        Table(
            "money",
            _("签约投资与到位资金"),
            [_("项目"), _("金额（亿元）")],
            [[cell(f["label"]), fig(f)] for f in figures["money"]],
            _("到位资金为本期签约项目至今的累计到位资金。"),
        ),
    ]
    rates = Table(
        "rates",
        _("“三个一批”"),
        [
            _("比率"),
            _("按投资额"),
            _("分子（亿元）"),
            _("分母（亿元）"),
            _("按项目个数"),
            _("已达到项目"),
            _("列入项目"),
        ],
        note=_("按投资额为公布口径；开工投产率的分子为已投产项目的累计完成投资。"),
    )
    for row in figures["rates"]["rows"]:
        rates.rows.append(
            [
                cell(row["label"]),
                cell(row["display"]),
                cell(Decimal(row["numerator"])),
                cell(Decimal(row["denominator"])),
                cell(row["count_display"]),
                fig(row["reached"]),
                fig(row["listed"]),
            ]
        )
    tables.append(rates)
    tables.append(
        Table(
            "teams",
            _("招商组、小分队排名"),
            [_("招商组/小分队"), _("走访"), _("实效线索"), _("考察"), _("签约项目")],
            [
                [cell(r["unit"]["name"]), fig(r["visits"]), fig(r["leads"]), fig(r["inspections"]), fig(r["signed"])]
                for r in figures["teams"]
            ],
        )
    )
    tables.append(
        Table(
            "areas",
            _("县（市、区）、开发区排名"),
            [_("县（市、区）/开发区"), _("签约项目"), _("签约总投资（亿元）"), _("开工项目")],
            [
                [cell(r["unit"]["name"]), fig(r["signed"]), fig(r["investment"]), fig(r["started"])]
                for r in figures["areas"]
            ],
        )
    )
    origin_headers = [_("线索"), _("签约项目"), _("签约总投资（亿元）")]
    tables.append(
        Table(
            "regions",
            _("投资方来源（区域）"),
            [_("区域"), *origin_headers],
            [[cell(r["name"]), fig(r["leads"]), fig(r["projects"]), fig(r["investment"])] for r in figures["regions"]],
            _("一个项目有多个投资方时，按每个投资方所在区域各计一次。"),
        )
    )
    tables.append(
        Table(
            "provinces",
            _("投资方来源（省份）"),
            [_("省份"), *origin_headers],
            [
                [cell(r["name"]), fig(r["leads"]), fig(r["projects"]), fig(r["investment"])]
                for r in figures["provinces"]
            ],
        )
    )
    tables.append(
        Table(
            "chains",
            _("按产业链"),
            [_("产业链"), *origin_headers],
            [
                [cell(r["chain"]["name"]), fig(r["leads"]), fig(r["projects"]), fig(r["investment"])]
                for r in figures["chains"]
            ],
        )
    )
    tables.append(
        Table(
            "cycles",
            _("项目周期"),
            [_("周期"), _("项目数"), _("中位数（天）"), _("平均（天）")],
            [
                [
                    cell(f["label"]),
                    fig(f),
                    cell(Decimal(f["median"]) if f["median"] is not None else None),
                    cell(Decimal(f["average"]) if f["average"] is not None else None),
                ]
                for f in figures["cycles"]
            ],
        )
    )
    tables.append(
        Table(
            "problems",
            _("问题诉求"),
            [_("问题"), _("数量")],
            [[cell(f["label"]), fig(f)] for f in figures["problems"]],
        )
    )
    return tables
