"""Fixtures for the projects tests: documents to upload as evidence, and builders that take a project
through the services as users would (record a move, a second person confirms it)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.choices import EvidenceKind, Stage

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EVIDENCE_FOR = {
    Stage.SIGNED: EvidenceKind.CONTRACT,
    Stage.STARTED: EvidenceKind.PERMIT,
    Stage.PRODUCING: EvidenceKind.LICENCE,
    Stage.AT_CAPACITY: EvidenceKind.OUTPUT,
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf(name="合同.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name="现场.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def make_project(org):
    """A project at the county (盐湖区), entered by the office, at 在谈 unless told otherwise."""
    from projects import services

    def make(name="年产10万吨新能源材料项目", host=None, actor=None, **kw):
        kw.setdefault("total_investment", Decimal("50000"))
        kw.setdefault("stage", Stage.NEGOTIATING)
        kw.setdefault("investor_names", ["山西示范新材料有限公司"])
        return services.create_project(actor=actor or org["office"], host_unit=host or org.county, name=name, **kw)

    return make


@pytest.fixture
def move(org):
    """Move a project to `to` on `on` with its evidence, recorded by `actor`, confirmed by the city's verifier."""
    from projects import services

    def do(project, to, on, actor=None, confirm=True, **kw):
        to = Stage(to)
        if to in EVIDENCE_FOR:
            kw.setdefault("evidence_kind", EVIDENCE_FOR[to])
            kw.setdefault("files", [pdf()])
        if to == Stage.AT_CAPACITY:
            kw.setdefault("output_value", Decimal("1000"))
        change = services.advance_stage(actor=actor or org["county"], project=project, to=to, happened_on=on, **kw)
        if confirm and change.verification == "pending":
            services.verify_stage(actor=org.verifier, change=change, confirm=True)
        project.refresh_from_db()
        return change

    return do


@pytest.fixture
def walk(move):
    """Take a project along the stages up to `until`, a month apart from `start`."""
    from projects.choices import FORWARD, RANK

    def do(project, until, start=datetime.date(2022, 3, 1)):
        day = start
        for stage in FORWARD[RANK[Stage(project.stage)] + 1 : RANK[Stage(until)] + 1]:
            move(project, stage, day)
            day += datetime.timedelta(days=30)
        return project

    return do
