"""The bulletin as a Word document, written from its figures alone (so the file and the kept figures agree).

Sections as the centre's bulletins have them: 一、总体情况 二、各驻点招商组工作情况 三、考核排名 四、比学赶超情况
五、重点项目进展 六、下步工作要求; the issuing unit (the city's 招商投资促进中心) and the date at the end.

The bulletin is an official document in Chinese: its text is Chinese whatever language the reader's pages are
in (services.generate_bulletin generates it under the site's language), and it is kept as printed.
"""

import datetime
import io

from core.documents import Document, chinese_date

NUMERALS = "一二三四五六七八九十"

REQUIREMENTS = [
    (
        "（一）对标对表，补齐短板。",
        "各驻点招商组要对照月度目标任务，逐项查找差距，坚持“时间过半、任务过半”，未完成目标的要分析原因、"
        "制定措施，下月补齐；走访企业要落实到天、到企业，每月走访高校院所不少于2所。",
    ),
    (
        "（二）紧盯线索，加快转化。",
        "对收集的线索及时报送、集中研判、精准推送，县（市、区）和开发区要主动对接、跟踪落实，"
        "推动实效线索尽快转化为考察、签约项目。",
    ),
    (
        "（三）强化服务，推动落地。",
        "严格落实项目包联责任，推动签约项目早开工、开工项目早投产、投产项目早达效，"
        "项目推进中遇到的问题要及时报送、限时解决。",
    ),
    (
        "（四）压实责任，严明纪律。",
        "坚持“一周一专报、一月一总结”，如实报送台账，按月通报、排名，让领先者有动力、落后者有压力，"
        "确保全年目标任务圆满完成。",
    ),
]


def _date(iso):
    return chinese_date(datetime.date.fromisoformat(iso))


def _section_number(n):
    return f"（{NUMERALS[n] if n < len(NUMERALS) else n + 1}）"


def _totals(doc, figures):
    t = figures["totals"]
    year, month = figures["year"], figures["month"]

    def line(key):
        return (
            f"全市共走访企业{t['visits'][key]}家，其中高校院所{t['university_visits'][key]}家；"
            f"收集实效线索{t['effective_leads'][key]}条；邀请{t['inspections'][key]}家企业来考察；"
            f"举办专场推介会{t['events'][key]}场；签约项目{t['signed_projects'][key]}个，"
            f"签约投资额{t['signed_investment'][key]}亿元；开工项目{t['started_projects'][key]}个，"
            f"投产项目{t['producing_projects'][key]}个；到位资金{t['funds_arrived'][key]}亿元。"
        )

    doc.heading1("一、总体情况")
    doc.paragraph(f"{year}年{month}月，{line('month')}")
    if month > 1:
        doc.paragraph(f"{year}年1—{month}月，{line('ytd')}")
    doc.table(
        ["指标", f"{month}月", f"1—{month}月累计"],
        [[row["label"], row["month"], row["ytd"]] for row in figures["totals"].values()],
    )
    goals = figures.get("city_targets") or []
    if goals:
        doc.paragraph("全市目标任务完成情况如下（完成比例低于时间进度的为未达进度）：")
        doc.table(
            ["目标", "期间", "目标值", "已完成", "完成比例", "时间进度"],
            [
                [
                    f"{g['label']}{'（' + g['name'] + '）' if g['name'] else ''}",
                    f"{_date(g['start'])}—{_date(g['end'])}",
                    g["value"],
                    g["reached"],
                    g["share"] + ("（未达进度）" if g["behind"] else ""),
                    g["elapsed"],
                ]
                for g in goals
            ],
        )


def cell_text(cells):
    """A team's figure for one indicator: "已完成/目标" per target (one line each), or the month's count alone."""
    return "\n".join(f"{c['reached']}/{c['value']}" if c["has_target"] else c["reached"] for c in cells)


def _teams(doc, figures):
    doc.heading1("二、各驻点招商组工作情况")
    teams = figures["teams"]
    if not teams["rows"]:
        doc.paragraph("本市暂无驻点招商组。")
        return
    doc.paragraph("各驻点招商组本月目标任务完成情况见下表（已完成数/目标数；未设目标的指标只列本月完成数）。")
    doc.table(
        ["招商组", *[i["label"] for i in teams["indicators"]]],
        [[row["name"], *[cell_text(cells) for cells in row["cells"]]] for row in teams["rows"]],
    )


def _rankings(doc, figures):
    doc.heading1("三、考核排名")
    ranks = figures["rankings"]
    if not ranks:
        doc.paragraph("本月没有适用的考核方案。")
        return
    for n, ranking in enumerate(ranks):
        locked = "" if ranking["locked"] else "（未锁定）"
        doc.heading2(f"{_section_number(n)}{ranking['name']}{locked}")
        state = "考核结果已锁定" if ranking["locked"] else "考核结果未锁定，以下按当前台账记录计算"
        doc.paragraph(
            f"考核对象：{ranking['subjects']}；考核期间：{_date(ranking['start'])}至{_date(ranking['end'])}；{state}。"
        )
        if not ranking["rows"]:
            doc.paragraph("暂无考核对象。")
            continue
        doc.table(
            ["名次", "单位", *[f"{i['label']}（{i['weight']}分）" for i in ranking["items"]], "总分"],
            [[str(row["rank"]), row["name"], *row["points"], row["total"]] for row in ranking["rows"]],
        )


def _standing(doc, figures):
    doc.heading1("四、比学赶超情况")
    for n, (label, lines) in enumerate((("先进", figures["ahead"]), ("后进", figures["behind"]))):
        doc.heading2(f"{_section_number(n)}{label}")
        if not lines:
            doc.paragraph("无。")
        for k, text in enumerate(lines, start=1):
            doc.paragraph(f"{k}.{text}。")


def _projects(doc, figures):
    doc.heading1("五、重点项目进展")
    projects = figures["projects"]
    if not projects:
        doc.paragraph("本月没有新签约、开工或投产的项目。")
        return
    doc.paragraph("本月签约、开工、投产的重点项目如下（按总投资由大到小，列前10个）。")
    doc.table(
        ["序号", "项目名称", "落地县（市、区）/开发区", "总投资（亿元）", "本月进展"],
        [[str(n), p["name"], p["host"], p["amount"], p["events"]] for n, p in enumerate(projects, start=1)],
    )


def _requirements(doc):
    doc.heading1("六、下步工作要求")
    for heading, text in REQUIREMENTS:
        doc.heading2(heading, text)


def write_bulletin(figures, *, title, number, issued_on):
    """The .docx bytes of a bulletin from its figures."""
    doc = Document(title=title, issuer=figures["issuer"], number=number, date=issued_on)
    _totals(doc, figures)
    _teams(doc, figures)
    _rankings(doc, figures)
    _standing(doc, figures)
    _projects(doc, figures)
    _requirements(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
