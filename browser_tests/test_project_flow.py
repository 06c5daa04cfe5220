"""A signed project starts, in the browser: 盐湖区 records the start with the construction permit, the city's
verifier confirms it from the queue (four eyes), and the round's 签约开工率 moves from 50% to 100%.

Each person works in their own browser; the strict CSP must refuse nothing the pages do.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from core.testing import Org
from projects import services
from projects.choices import Batch, EvidenceKind, Stage
from projects.models import Project, StageChange

from .test_lead_flow import open_action, open_as

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def signed(org, name, amount, *, started=False):
    project = services.create_project(
        actor=org["office"],
        host_unit=org.county,
        name=name,
        investor_names=["山西示范新材料有限公司"],
        total_investment=amount,
        stage=Stage.NEGOTIATING,
    )
    moves = [(Stage.SIGNED, EvidenceKind.CONTRACT, datetime.date(2023, 3, 1))]
    if started:
        moves.append((Stage.STARTED, EvidenceKind.PERMIT, datetime.date(2023, 5, 1)))
    for to, kind, day in moves:
        change = services.advance_stage(
            actor=org["county"],
            project=project,
            to=to,
            happened_on=day,
            evidence_kind=kind,
            files=[SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")],
        )
        services.verify_stage(actor=org.verifier, change=change, confirm=True)
    return Project.objects.get(pk=project.pk)


def test_a_start_with_its_permit_counts_once_the_verifier_confirms_it(
    browser, live_server, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    org = Org()
    running = signed(org, "年产10万吨新能源材料项目", Decimal("30000"), started=True)
    waiting = signed(org, "锂电池负极材料项目", Decimal("30000"))
    rnd = services.create_round(
        actor=org["office"],
        host_unit=org.county,
        name="2023年第一次“三个一批”",
        held_on=datetime.date(2023, 3, 20),
        rate_decimals=0,
    )
    for project in (running, waiting):
        services.add_to_round(actor=org["office"], round=rnd, project=project, batch=Batch.SIGNED)

    violations, contexts = [], []
    try:
        # The round shows half of its signed investment started.
        context, office = open_as(browser, live_server, "office", violations)
        contexts.append(context)
        office.goto(rnd.get_absolute_url())
        assert office.inner_text("[data-testid=figure-signed_started]").startswith("50%")

        # 1. 盐湖区 records the start with a photo of the construction permit.
        context, county = open_as(browser, live_server, "county", violations)
        contexts.append(context)
        county.goto(waiting.get_absolute_url())
        open_action(county, "move")
        county.select_option("select[name=move-to]", Stage.STARTED.value)
        county.fill("input[name=move-happened_on]", "2023-06-01")
        county.select_option("select[name=move-evidence_kind]", EvidenceKind.PERMIT.value)
        county.set_input_files(
            "input[name=move-files]", files=[{"name": "施工许可证.png", "mimeType": "image/png", "buffer": PNG}]
        )
        county.click("[data-testid=submit-move]")
        county.wait_for_selector("[data-testid=pending-alert]")
        change = StageChange.objects.get(project=waiting, to_stage=Stage.STARTED)
        assert change.verification == "pending" and change.attachments.count() == 1

        # Until confirmed, the round's rate does not move.
        office.reload()
        assert office.inner_text("[data-testid=figure-signed_started]").startswith("50%")

        # 2. The city's verifier confirms it from the queue.
        context, verifier = open_as(browser, live_server, "verifier", violations)
        contexts.append(context)
        verifier.goto("/projects/verify/")
        assert "锂电池负极材料项目" in verifier.inner_text("main")
        verifier.click(f"[data-testid=confirm-{change.pk}]")
        verifier.wait_for_selector(".alert-success")
        waiting.refresh_from_db()
        assert waiting.started_on == datetime.date(2023, 6, 1) and not waiting.pending

        # 3. The round's 签约开工率 now counts it.
        office.reload()
        assert office.inner_text("[data-testid=figure-signed_started]").startswith("100%")
        assert not violations, violations
    finally:
        for context in contexts:
            context.close()


def test_the_demos_gu_county_rate_moves_when_its_last_signed_project_starts(
    browser, live_server, transactional_db, settings, tmp_path
):
    """On the demo: 古县经开区 records the start of 甲醇汽车示范运营项目 with its permit, 临汾's verifier confirms it,
    and 古县's 签约开工率 over its seven rounds goes from the published 96% to 100%."""
    import io

    from django.core.management import call_command

    from organizations.demo import DEMO_PASSWORD
    from organizations.models import Unit

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())
    zone = Unit.objects.get(code="LF-GX-KFQ")
    project = Project.objects.get(host_unit=zone, name__contains="甲醇汽车示范运营")
    assert project.stage == Stage.SIGNED and project.started_on is None
    rates = f"/projects/rounds/rates/?unit={zone.pk}&basis=amount"

    violations, contexts = [], []
    try:
        context, zone_staff = open_as(browser, live_server, "guxian_kfq", violations, DEMO_PASSWORD)
        contexts.append(context)
        zone_staff.goto(rates)
        assert zone_staff.inner_text("[data-testid=figure-signed_started]").startswith("96%")

        zone_staff.goto(project.get_absolute_url())
        open_action(zone_staff, "move")
        zone_staff.select_option("select[name=move-to]", Stage.STARTED.value)
        zone_staff.fill("input[name=move-happened_on]", "2023-12-20")
        zone_staff.select_option("select[name=move-evidence_kind]", EvidenceKind.SITE_PHOTO.value)
        zone_staff.set_input_files(
            "input[name=move-files]", files=[{"name": "开工现场.png", "mimeType": "image/png", "buffer": PNG}]
        )
        zone_staff.click("[data-testid=submit-move]")
        zone_staff.wait_for_selector("[data-testid=pending-alert]")
        change = StageChange.objects.get(project=project, to_stage=Stage.STARTED)

        context, verifier = open_as(browser, live_server, "linfen_hy", violations, DEMO_PASSWORD)
        contexts.append(context)
        verifier.goto("/projects/verify/")
        verifier.click(f"[data-testid=confirm-{change.pk}]")
        verifier.wait_for_selector(".alert-success")

        zone_staff.goto(rates)
        assert zone_staff.inner_text("[data-testid=figure-signed_started]").startswith("100%")
        assert not violations, violations
    finally:
        for context in contexts:
            context.close()
