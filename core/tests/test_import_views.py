"""The upload page, its preview, the confirmation, the rejected rows and the export download."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from core.ledgers import register, unregister
from core.models import AuditAction, AuditEvent, ImportJob, ImportJobStatus
from core.testing import login_as
from organizations.models import Unit

from .ledger_helpers import HEADERS, UnitLedger, make_xlsx, read_xlsx, unit_rows, zeros_zip

pytestmark = pytest.mark.django_db

UPLOAD = reverse("core:import_upload", args=["test_units"])


@pytest.fixture
def ledger():
    registered = register(UnitLedger())
    yield registered
    unregister(registered.name)


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.ZS_IMPORT_DIR = tmp_path / "imports"
    return settings.ZS_IMPORT_DIR


@pytest.fixture
def member(org):
    return login_as(Client(), org["team_member"])


def upload_file(data, name="北京组台账.xlsx"):
    content = data.getvalue() if hasattr(data, "getvalue") else data
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def upload(client, org, data, name="北京组台账.xlsx", good_rows_only=False, unit=None):
    payload = {"org": (unit or org.team).pk, "file": upload_file(data, name)}
    if good_rows_only:
        payload["good_rows_only"] = "on"
    return client.post(UPLOAD, payload)


def stored_files(directory):
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []


def mixed():
    bad = [["T90001", "坏日期单位", "北京", "2023年2月30日", 10], ["T90002", None, "北京", "", ""]]
    return make_xlsx([HEADERS, *unit_rows(3), *bad])


# --- The upload page ------------------------------------------------------------------------


def test_the_upload_page_offers_only_the_users_units(org, ledger, member):
    response = member.get(UPLOAD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "导入测试单位台账" in html
    assert f'value="{org.team.pk}"' in html
    assert f'value="{org.other_team.pk}"' not in html


def test_pages_are_for_ledger_keepers_only(org, ledger):
    assert login_as(Client(), org["department"]).get(UPLOAD).status_code == 403
    assert login_as(Client(), org["auditadmin"]).get(UPLOAD).status_code == 403
    assert Client().get(UPLOAD).status_code == 302


def test_an_unknown_ledger_is_not_found(org, ledger, member):
    assert member.get(reverse("core:import_upload", args=["nope"])).status_code == 404
    assert member.get(reverse("core:export_ledger", args=["nope"])).status_code == 404


def test_pages_carry_no_inline_script_or_style(org, ledger, member):
    response = upload(member, org, mixed())
    for url in (UPLOAD, response["Location"]):
        html = member.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert "style=" not in html, url


# --- Preview and confirm --------------------------------------------------------------------


def test_a_good_file_is_previewed_then_imported_on_confirmation(org, ledger, member, import_dir):
    response = upload(member, org, make_xlsx([HEADERS, *unit_rows(3)]))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:import_preview", args=[job.pk])
    assert job.status == ImportJobStatus.PREVIEWED
    assert job.original_name == "北京组台账.xlsx"
    # Kept privately, under a random name.
    [path] = stored_files(import_dir)
    assert path.suffix == ".xlsx" and "北京" not in path.name
    assert not Unit.objects.filter(parent=org.team).exists()

    html = member.get(response["Location"]).content.decode()
    assert 'data-testid="count-new">3<' in html
    assert "测试单位1" in html and "2023年2月2日" in html
    assert re.search(r'data-testid="confirm"\s*>', html)  # enabled

    done = member.post(reverse("core:import_confirm", args=[job.pk]), follow=True)
    html = done.content.decode()
    assert "导入完成：新增 3 行，已存在跳过 0 行，拒绝 0 行" in html
    assert "已导入" in html
    assert Unit.objects.filter(parent=org.team).count() == 3
    job.refresh_from_db()
    assert job.status == ImportJobStatus.IMPORTED
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, actor_name="team_member").count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="core.importjob").count() == 1


def test_an_upload_spooled_to_disk_is_read_the_same(org, ledger, member, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # as for any upload over 2.5 MB
    upload(member, org, make_xlsx([HEADERS, *unit_rows(3)]))
    assert ImportJob.objects.get().summary["new_rows"] == 3


def test_a_job_imports_once(org, ledger, member):
    upload(member, org, make_xlsx([HEADERS, *unit_rows(2)]))
    job = ImportJob.objects.get()
    confirm = reverse("core:import_confirm", args=[job.pk])
    member.post(confirm)
    html = member.post(confirm, follow=True).content.decode()
    assert "该文件已经导入，不能重复导入。" in html
    assert Unit.objects.filter(parent=org.team).count() == 2


def test_bad_rows_are_listed_and_nothing_can_be_imported(org, ledger, member):
    upload(member, org, mixed())
    job = ImportJob.objects.get()
    html = member.get(reverse("core:import_preview", args=[job.pk])).content.decode()
    assert 'data-testid="count-rejected">2<' in html
    assert "日期不存在：2023年2月30日" in html
    assert '<td>5</td><td>成立日期</td><td class="text-break">2023年2月30日</td>' in html
    assert "<td>6</td><td>单位名称</td>" in html
    assert re.search(r'data-testid="confirm"\s+disabled', html)

    # Posting anyway (the button is only a hint) writes nothing.
    html = member.post(reverse("core:import_confirm", args=[job.pk]), follow=True).content.decode()
    assert "文件中有 2 行有错误，未导入任何数据" in html
    assert not Unit.objects.filter(parent=org.team).exists()


def test_good_rows_only_imports_the_good_and_offers_the_bad_for_download(org, ledger, member):
    upload(member, org, mixed(), good_rows_only=True)
    job = ImportJob.objects.get()
    html = member.get(reverse("core:import_preview", args=[job.pk])).content.decode()
    assert re.search(r'data-testid="confirm"\s*>', html)

    member.post(reverse("core:import_confirm", args=[job.pk]))
    assert Unit.objects.filter(parent=org.team).count() == 3

    response = member.get(reverse("core:import_rejected", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = [[c.value for c in row] for row in read_xlsx(b"".join(response.streaming_content)).iter_rows()]
    assert rows[0][-1] == "错误原因"
    assert [row[0] for row in rows[1:]] == ["T90001", "T90002"]


def test_the_rejected_rows_are_rebuilt_when_the_kept_copy_is_gone(org, ledger, member):
    upload(member, org, mixed())
    job = ImportJob.objects.get()
    job.rejected_file.delete(save=True)
    response = member.get(reverse("core:import_rejected", args=[job.pk]))
    rows = [[c.value for c in row] for row in read_xlsx(b"".join(response.streaming_content)).iter_rows()]
    assert [row[0] for row in rows[1:]] == ["T90001", "T90002"]


def test_a_crash_during_the_import_is_reported_and_writes_nothing(org, ledger, member, monkeypatch):
    upload(member, org, make_xlsx([HEADERS, *unit_rows(3)]))
    job = ImportJob.objects.get()

    def crash(self, rows, context):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(UnitLedger, "save_rows", crash)
    response = member.post(reverse("core:import_confirm", args=[job.pk]), follow=True)
    assert response.status_code == 200
    assert "导入失败，未写入任何数据" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert not Unit.objects.filter(parent=org.team).exists()


# --- Bad files and other people's jobs ------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (zeros_zip(32), "炸弹.xlsx", "压缩比异常"),
        (b"not a spreadsheet at all", "假的.xlsx", "文件不是有效的 Excel（.xlsx）文件"),
        (make_xlsx([HEADERS, *unit_rows(1)]), "台账.csv", "请上传 Excel（.xlsx）文件"),
        (make_xlsx([["随便"], ["什么"]]), "无表头.xlsx", "未找到表头"),
    ],
)
def test_a_bad_file_is_a_form_error_and_nothing_is_stored(org, ledger, member, import_dir, content, name, message):
    response = upload(member, org, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()
    assert stored_files(import_dir) == []


def test_a_unit_outside_the_users_ledgers_is_a_form_error(org, ledger, member):
    response = upload(member, org, make_xlsx([HEADERS, *unit_rows(1)]), unit=org.other_team)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_another_users_job_is_not_found(org, ledger, member):
    upload(member, org, mixed())
    job = ImportJob.objects.get()
    leader = login_as(Client(), org["team_leader"])  # same team, but not their upload
    for name in ("core:import_preview", "core:import_rejected"):
        assert leader.get(reverse(name, args=[job.pk])).status_code == 404
    assert leader.post(reverse("core:import_confirm", args=[job.pk])).status_code == 404
    assert member.get(reverse("core:import_preview", args=[job.pk + 100])).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJobStatus.PREVIEWED


def test_the_upload_page_lists_the_users_recent_jobs_only(org, ledger, member):
    upload(member, org, mixed(), name="我的台账.xlsx")
    assert "我的台账.xlsx" in member.get(UPLOAD).content.decode()
    assert "我的台账.xlsx" not in login_as(Client(), org["team_leader"]).get(UPLOAD).content.decode()


# --- Export ---------------------------------------------------------------------------------


def test_the_export_downloads_the_units_ledger_and_is_audited(org, ledger, member):
    upload(member, org, make_xlsx([HEADERS, *unit_rows(3)]))
    member.post(reverse("core:import_confirm", args=[ImportJob.objects.get().pk]))

    url = reverse("core:export_ledger", args=["test_units"])
    response = member.get(url, {"org": org.team.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = read_xlsx(b"".join(response.streaming_content))
    assert sheet["A1"].value == "北京招商组测试单位台账"
    assert sheet.max_row == 5
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor_name="team_member").count() == 1


def test_the_export_takes_the_only_unit_when_none_is_named(org, ledger, member):
    url = reverse("core:export_ledger", args=["test_units"])
    assert member.get(url).status_code == 200
    # The office keeps ledgers for many units: it is asked which, and nothing is exported yet.
    page = login_as(Client(), org["office"]).get(url)
    assert page.status_code == 200 and 'data-testid="export-form"' in page.content.decode()
    assert "北京招商组" in page.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT, actor_name="office").exists()


@pytest.mark.parametrize("org_param", ["other_team", "other_city_county", "garbage"])
def test_the_export_of_a_unit_outside_the_users_is_not_found(org, ledger, member, org_param):
    unit = getattr(org, org_param, None)
    url = reverse("core:export_ledger", args=["test_units"])
    response = member.get(url, {"org": unit.pk if unit else "x1"})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_export_passes_on_only_the_ledgers_filters(org, ledger, member, monkeypatch):
    seen = {}

    def export_queryset(self, unit, user, **filters):
        seen.update(filters)
        return Unit.objects.none()

    monkeypatch.setattr(UnitLedger, "export_queryset", export_queryset)
    url = reverse("core:export_ledger", args=["test_units"])
    member.get(url, {"org": org.team.pk, "city": "北京", "evil": "1"})
    assert seen == {"city": "北京"}
