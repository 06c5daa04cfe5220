"""The demo's bulletin: 运城's October 2022, generated through the services and published; it prints the very
figures the city progress page shows for October 2022, and loading the demo again adds nothing.

The whole demo is loaded once for the module (root conftest's `loaded_demo`); each test is rolled back.
"""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document as read_docx

from bulletins.choices import Status
from bulletins.demo import load_bulletins_demo
from bulletins.models import Bulletin
from core.testing import login_as
from organizations.models import User

from .test_services import docx_team_cells, page_team_cells, text_of


@pytest.fixture(autouse=True)
def media_root():
    """The demo's files live in the module's media folder (root conftest): keep it."""


@pytest.fixture
def city(loaded_demo, db):
    return loaded_demo


def test_octobers_bulletin_is_published_and_prints_the_progress_pages_figures(city):
    bulletin = Bulletin.objects.get(owner=city, year=2022, month=10)
    assert (bulletin.status, bulletin.is_published, bulletin.number) == (Status.DONE, True, "运招促〔2022〕10号")
    with bulletin.file.open("rb") as handle:
        doc = read_docx(io.BytesIO(handle.read()))
    text = text_of(doc)
    assert "关于2022年10月份驻点招商工作情况的通报" in text and text.rstrip().endswith("2022年11月3日")
    office = User.objects.get(username="zhongxin")
    page_labels, page_cells = page_team_cells(office, "2022-10")
    doc_labels, doc_cells = docx_team_cells(doc)
    assert len(page_cells) == 7 and doc_labels == page_labels
    assert doc_cells == {name: [list(c) for c in cells] for name, cells in page_cells.items()}
    # The "1521" goal: the same reached / target as the page's city-wide table.
    html = login_as(Client(), office).get(reverse("targets:city_progress"), {"month": "2022-10"}).content.decode()
    goals_html = html.split('data-testid="city-targets"')[1]
    page_goals = [
        re.search(r"([\d,.]+)\s*/\s*([\d,.]+)", re.sub(r"<[^>]+>", " ", row)).groups()
        for row in goals_html.split('data-testid="progress-row"')[1:]
    ]
    kept = [(g["reached"], g["value"]) for g in bulletin.figures["city_targets"]]
    assert kept == page_goals and len(kept) == 4
    assert bulletin.figures["rankings"] and "三、考核排名" in text


def test_loading_the_demo_again_adds_no_bulletin(city):
    before = Bulletin.objects.count()
    load_bulletins_demo(city=city, actor=User.objects.get(username="zhongxin"))
    assert Bulletin.objects.count() == before
