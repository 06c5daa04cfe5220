"""The bulletin from request to a fixed Word document: refused months, generation end to end against the records
built by hand and the city progress page, immutability, versions, failure, publish and delete."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from docx import Document as read_docx

from assessment.models import SchemeItem
from bulletins import services
from bulletins.choices import Status
from bulletins.models import Bulletin
from bulletins.selectors import yi
from core.models import AuditEvent
from core.testing import login_as

from .conftest import AFTER_MAY, D, visit

pytestmark = pytest.mark.django_db


def written():
    return Bulletin.objects.count(), AuditEvent.objects.exclude(action="login").count()


def request(org, capture, month=5, year=2023, today=AFTER_MAY, actor=None, **kw):
    with capture(execute=True):
        bulletin = services.request_bulletin(
            actor=actor or org["office"], owner=org.city, year=year, month=month, today=today, **kw
        )
    bulletin.refresh_from_db()
    return bulletin


def docx_of(bulletin):
    with bulletin.file.open("rb") as handle:
        return read_docx(io.BytesIO(handle.read()))


def table_starting(doc, first):
    return next(t for t in doc.tables if t.rows[0].cells[0].text == first)


def table_rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def text_of(doc):
    return "\n".join(p.text for p in doc.paragraphs)


def page_team_cells(reader, month):
    """{team name: [(reached, target or "—") per indicator]} as the city progress page shows them to `reader`."""
    page = login_as(Client(), reader).get(reverse("targets:city_progress"), {"month": month})
    assert page.status_code == 200
    body = page.content.decode()
    header = re.search(r'data-testid="city-table">\s*<thead><tr>(.*?)</tr>', body, re.S).group(1)
    labels = [re.sub(r"<[^>]+>", "", th).strip() for th in re.findall(r"<th[^>]*>(.*?)</th>", header, re.S)][1:]
    out = {}
    for chunk in body.split('data-testid="team-row"')[1:]:
        row = chunk.split("</tr>")[0]
        name = re.search(r'<th scope="row"><a [^>]*>([^<]+)</a>', row).group(1)
        cells = []
        for td in re.findall(r'<td class="text-end text-nowrap">(.*?)</td>', row, re.S):
            text = re.sub(r"<[^>]+>", " ", td)
            cells.append(re.findall(r"([\d,.]+)\s*/\s*([\d,.]+|—)", text))
        out[name] = cells
    return labels, out


def docx_team_cells(doc):
    table = table_starting(doc, "招商组")
    rows = table_rows(table)
    labels = rows[0][1:]
    out = {}
    for row in rows[1:]:
        out[row[0]] = [
            [tuple(line.split("/")) if "/" in line else (line, "—") for line in cell.split("\n")] for cell in row[1:]
        ]
    return labels, out


# --- refusals ---------------------------------------------------------------------------------------------------


def test_a_month_not_yet_over_is_refused_and_nothing_is_written(org, django_capture_on_commit_callbacks):
    before = written()
    with pytest.raises(ValidationError) as exc:
        services.request_bulletin(actor=org["office"], owner=org.city, year=2022, month=11, today=D(2022, 11, 30))
    assert exc.value.message_dict["month"] == ["2022年11月尚未结束，不能生成该月通报。"]
    with pytest.raises(ValidationError) as exc:
        services.request_bulletin(actor=org["office"], owner=org.city, year=2023, month=1, today=D(2022, 11, 30))
    assert exc.value.message_dict["month"] == ["2023年1月尚未到来，不能生成该月通报。"]
    for year, month, field in ((2022, 13, "month"), (1999, 5, "year"), ("二〇二二", 5, "year")):
        with pytest.raises(ValidationError) as exc:
            services.request_bulletin(actor=org["office"], owner=org.city, year=year, month=month, today=AFTER_MAY)
        assert field in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.request_bulletin(
            actor=org["office"], owner=org.city, year=2023, month=5, number="号" * 61, today=AFTER_MAY
        )
    assert "文号不能超过 60 个字" in exc.value.message_dict["number"][0]
    assert written() == before


def test_only_the_citys_office_may_request_a_bulletin(org):
    before = written()
    for persona in ("leader", "team_leader", "county", "sysadmin", "outsider"):
        with pytest.raises(PermissionDenied):
            services.request_bulletin(actor=org[persona], owner=org.city, year=2023, month=5, today=AFTER_MAY)
    with pytest.raises(ValidationError):
        services.request_bulletin(actor=org["office"], owner=org.county, year=2023, month=5, today=AFTER_MAY)
    assert written() == before


# --- generation end to end --------------------------------------------------------------------------------------


def test_a_generated_bulletin_prints_the_months_figures_the_team_table_of_the_progress_page_and_the_rankings(
    org, may, django_capture_on_commit_callbacks
):
    bulletin = request(org, django_capture_on_commit_callbacks, number="运招促〔2023〕5号")
    assert (bulletin.status, bulletin.progress, bulletin.error) == (Status.DONE, 100, "")
    assert bulletin.title == "关于2023年5月份驻点招商工作情况的通报"
    assert bulletin.file.name.endswith(".docx") and bulletin.finished_at is not None
    doc = docx_of(bulletin)
    text = text_of(doc)
    assert doc.paragraphs[0].text == "运城市招商投资促进中心文件"
    assert "运招促〔2023〕5号" in text and bulletin.title in text
    assert text.rstrip().endswith("运城市招商投资促进中心\n2023年6月5日")
    for heading in ("一、总体情况", "二、各驻点招商组工作情况", "三、考核排名", "四、比学赶超情况", "五、重点项目进展"):
        assert heading in text
    assert "六、下步工作要求" in text

    # The city's month, against what was built.
    visits = may.team_visits + may.other_team_visits
    signed = sum(amount for _p, amount in may.signed)
    assert (
        f"2023年5月，全市共走访企业{visits}家，其中高校院所{may.team_universities}家；"
        f"收集实效线索{may.effective_leads}条；邀请{may.inspections}家企业来考察；举办专场推介会{may.events}场；"
        f"签约项目{len(may.signed)}个，签约投资额{yi(signed)}亿元；开工项目{len(may.started)}个"
    ) in text
    totals = {row[0]: row[1:] for row in table_rows(table_starting(doc, "指标"))}
    assert totals["走访企业"] == [str(visits), str(visits + may.april_visits)]
    assert totals["签约投资额（亿元）"] == [yi(signed), yi(signed)]

    # The teams' table holds the very numbers of the city progress page for May.
    page_labels, page_cells = page_team_cells(org["office"], "2023-05")
    doc_labels, doc_cells = docx_team_cells(doc)
    assert doc_labels == page_labels
    assert doc_cells == {name: [list(c) for c in cells] for name, cells in page_cells.items()}
    beijing = dict(zip(doc_labels, doc_cells["北京招商组"], strict=True))
    assert beijing["走访企业"] == [(str(may.team_visits), "20")]
    assert beijing["其中走访高校"] == [(str(may.team_universities), "2")]
    assert beijing["签约项目"] == [("1", "2")]
    shanghai = dict(zip(doc_labels, doc_cells["上海招商组"], strict=True))
    assert shanghai["走访企业"] == [(str(may.other_team_visits), "—")]

    # The ranking: 60 points for visits against the target, 40 for signings; 上海 has no targets and scores 0.
    ranking = table_rows(table_starting(doc, "名次"))
    points = 60 * may.team_visits / 20 + 40 * 1 / 2
    assert ranking[0] == ["名次", "单位", "走访企业（60分）", "签约项目（40分）", "总分"]
    assert ranking[1] == ["1", "北京招商组", f"{60 * may.team_visits / 20:.2f}", "20.00", f"{points:.2f}"]
    assert ranking[2][:2] == ["2", "上海招商组"] and ranking[2][-1] == "0.00"
    assert "（一）2023年驻点招商组月度考核（未锁定）" in text
    assert "北京招商组：“2023年驻点招商组月度考核”排名第1" in text
    assert "上海招商组：“2023年驻点招商组月度考核”排名末位" in text
    # 北京 missed its month (e.g. 4 of 20 visits): behind, with each figure.
    assert f"北京招商组：走访企业 {may.team_visits}/20（{may.team_visits * 5}%）" in text

    # Notable projects, biggest first, with the host and the amount in 亿元.
    projects = table_rows(table_starting(doc, "序号"))
    (big, big_amount), (small, small_amount) = sorted(may.signed, key=lambda pa: -pa[1])
    assert projects[1] == ["1", big.name, "盐湖区", yi(big_amount), "签约（5月12日）、开工（5月20日）"]
    assert projects[2] == ["2", small.name, "盐湖区", yi(small_amount), "签约（5月15日）"]

    # The figures kept with the file are the ones printed.
    assert bulletin.figures["totals"]["visits"]["month"] == str(visits)
    assert bulletin.figures["issuer"] == "运城市招商投资促进中心"
    assert AuditEvent.objects.filter(object_type="bulletins.bulletin", object_id=str(bulletin.pk)).count() == 2


def test_records_added_after_generation_leave_the_bulletin_unchanged_and_generating_again_makes_a_new_version(
    org, may, django_capture_on_commit_callbacks
):
    first = request(org, django_capture_on_commit_callbacks)
    with first.file.open("rb") as handle:
        content = handle.read()
    figures = first.figures
    visit(org["team_member"], D(2023, 5, 30), "补录对接企业有限公司")
    services.publish_bulletin(actor=org["office"], bulletin=first)
    first.refresh_from_db()
    with first.file.open("rb") as handle:
        assert handle.read() == content
    assert first.figures == figures
    second = request(org, django_capture_on_commit_callbacks)
    assert (second.version, second.status) == (2, Status.DONE)
    assert second.file.name != first.file.name
    visits = may.team_visits + may.other_team_visits
    assert (first.figures["totals"]["visits"]["month"], second.figures["totals"]["visits"]["month"]) == (
        str(visits),
        str(visits + 1),
    )
    assert str(second) == "关于2023年5月份驻点招商工作情况的通报（第2版）"


def test_a_failure_marks_the_bulletin_failed_with_the_message_and_its_page_shows_it(
    org, may, django_capture_on_commit_callbacks
):
    SchemeItem.objects.create(scheme=may.scheme, indicator="no_such_indicator", weight=1)
    bulletin = request(org, django_capture_on_commit_callbacks)
    assert bulletin.status == Status.FAILED
    assert not bulletin.file and bulletin.figures == {}
    assert bulletin.error.startswith("在“计算考核排名”时出错：") and "no_such_indicator" in bulletin.error
    page = login_as(Client(), org["office"]).get(bulletin.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="error"' in body and "计算考核排名" in body and "重新生成" in body
    with pytest.raises(ValidationError) as exc:
        services.publish_bulletin(actor=org["office"], bulletin=bulletin)
    assert "尚未生成完成" in exc.value.messages[0]


def test_publish_once_and_delete_only_what_is_not_published(org, may, django_capture_on_commit_callbacks):
    bulletin = request(org, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        services.publish_bulletin(actor=org["leader"], bulletin=bulletin)
    services.publish_bulletin(actor=org["office"], bulletin=bulletin)
    bulletin.refresh_from_db()
    assert bulletin.published_by == org["office"] and bulletin.published_at is not None
    before = written()
    with pytest.raises(ValidationError) as exc:
        services.publish_bulletin(actor=org["office"], bulletin=bulletin)
    assert "已于" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        services.delete_bulletin(actor=org["office"], bulletin=bulletin)
    assert exc.value.messages == ["已印发的通报不能删除。"]
    assert written() == before
    draft = request(org, django_capture_on_commit_callbacks)
    path = draft.file.path
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_bulletin(actor=org["office"], bulletin=draft)
    assert not Bulletin.objects.filter(pk=draft.pk).exists()
    import os

    assert not os.path.exists(path)
    assert AuditEvent.objects.filter(object_id=str(draft.pk), action="delete").exists()


def test_a_bulletin_requested_from_an_english_page_is_still_written_in_chinese(
    org, may, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with translation.override("en"):
        bulletin = request(org, django_capture_on_commit_callbacks)
    assert bulletin.figures["totals"]["visits"]["label"] == "走访企业"
    assert [i["label"] for i in bulletin.figures["teams"]["indicators"]][:2] == ["走访企业", "其中走访高校"]
    assert "一、总体情况" in text_of(docx_of(bulletin))
