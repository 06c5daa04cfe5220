"""The bulletin opens in LibreOffice (issue 7's "done when"): converted headless to text and to PDF, it holds the
title and the figures. Never skipped: test.sh installs libreoffice-writer-nogui."""

import shutil
import subprocess
from pathlib import Path

import pytest

from bulletins import services
from bulletins.choices import Status
from bulletins.selectors import yi

from .conftest import AFTER_MAY

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


def convert(source, target, out_dir, profile):
    assert Path(SOFFICE).exists(), (
        "需要 LibreOffice（soffice）：请运行 ./test.sh，或 sudo apt-get install -y libreoffice-writer-nogui"
    )
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done


def test_the_bulletin_converts_with_libreoffice_and_the_text_holds_the_title_and_the_figures(
    org, may, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bulletin = services.request_bulletin(actor=org["office"], owner=org.city, year=2023, month=5, today=AFTER_MAY)
    bulletin.refresh_from_db()
    assert bulletin.status == Status.DONE
    source = tmp_path / "bulletin.docx"
    source.write_bytes(Path(bulletin.file.path).read_bytes())
    out_dir, profile = tmp_path / "out", tmp_path / "lo-profile"
    convert(source, "txt:Text", out_dir, profile)
    text = (out_dir / "bulletin.txt").read_text(encoding="utf-8-sig")
    assert bulletin.title in text
    visits = may.team_visits + may.other_team_visits
    signed = sum(amount for _p, amount in may.signed)
    assert f"全市共走访企业{visits}家" in text
    assert f"签约投资额{yi(signed)}亿元" in text
    assert "北京招商组" in text and "2023年6月5日" in text
    convert(source, "pdf", out_dir, profile)
    pdf = (out_dir / "bulletin.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000
