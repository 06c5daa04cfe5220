"""manage.py import_ledger / export_ledger: the same checks as the pages, for bulk moves and cron."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.ledgers import register, unregister
from core.models import AuditAction, AuditEvent
from organizations.models import Unit

from .ledger_helpers import HEADERS, UnitLedger, make_xlsx, read_xlsx, unit_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger():
    registered = register(UnitLedger())
    yield registered
    unregister(registered.name)


def write(tmp_path, data, name="台账.xlsx"):
    path = tmp_path / name
    path.write_bytes(data.getvalue())
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


BAD = [["T90001", "坏日期单位", "北京", "2023年2月30日", 10], ["T90002", None, "北京", "", ""]]


def test_a_clean_file_is_imported_by_the_command_line_actor(org, ledger, tmp_path):
    path = write(tmp_path, make_xlsx([HEADERS, *unit_rows(4)]))
    out, _ = run("import_ledger", "test_units", str(path), "--org", org.team.code)

    assert "导入完成：新增 4 行，已存在跳过 0 行，拒绝 0 行" in out
    assert Unit.objects.filter(parent=org.team).count() == 4
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert (event.actor_id, event.actor_name) == (None, "命令行")


def test_importing_again_skips_what_exists(org, ledger, tmp_path):
    path = write(tmp_path, make_xlsx([HEADERS, *unit_rows(4)]))
    run("import_ledger", "test_units", str(path), "--org", org.team.code)
    out, _ = run("import_ledger", "test_units", str(path), "--org", org.team.code)
    assert "新增 0 行，已存在跳过 4 行" in out
    assert Unit.objects.filter(parent=org.team).count() == 4


def test_bad_rows_are_listed_and_nothing_is_written(org, ledger, tmp_path):
    path = write(tmp_path, make_xlsx([HEADERS, *unit_rows(2), *BAD]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="有 2 行错误，未导入任何数据"):
        call_command("import_ledger", "test_units", str(path), "--org", org.team.code, stderr=err)
    lines = err.getvalue().splitlines()
    assert "第 4 行，列「成立日期」，值「2023年2月30日」：日期不存在：2023年2月30日" in lines
    assert "第 5 行，列「单位名称」，值「」：必填项，不能为空" in lines
    assert not Unit.objects.filter(parent=org.team).exists()
    assert not (tmp_path / "台账.xlsx.rejected.xlsx").exists()


def test_good_rows_only_writes_the_rejected_rows_beside_the_file(org, ledger, tmp_path):
    path = write(tmp_path, make_xlsx([HEADERS, *unit_rows(2), *BAD]))
    out, _ = run("import_ledger", "test_units", str(path), "--org", org.team.code, "--good-rows-only")

    rejected = tmp_path / "台账.xlsx.rejected.xlsx"
    assert "新增 2 行，已存在跳过 0 行，拒绝 2 行" in out
    assert str(rejected) in out
    rows = [[c.value for c in row] for row in read_xlsx(rejected.read_bytes()).iter_rows()]
    assert [row[0] for row in rows[1:]] == ["T90001", "T90002"]
    assert rows[1][-1].startswith("第 4 行")


def test_a_user_is_held_to_their_scope(org, ledger, tmp_path):
    path = write(tmp_path, make_xlsx([HEADERS, *unit_rows(1)]))
    with pytest.raises(CommandError, match="您无权导入"):
        run("import_ledger", "test_units", str(path), "--org", org.other_team.code, "--user", "team_member")
    out, _ = run("import_ledger", "test_units", str(path), "--org", org.team.code, "--user", "team_member")
    assert "新增 1 行" in out
    assert AuditEvent.objects.get(action=AuditAction.IMPORT).actor_name == "team_member"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "NOPE"], "没有编码为「NOPE」的单位"),
        (["--org", "YC-T-BJ", "--user", "ghost"], "没有用户名为「ghost」的有效用户"),
    ],
)
def test_unknown_units_and_users_are_refused(org, ledger, tmp_path, args, message):
    path = write(tmp_path, make_xlsx([HEADERS, *unit_rows(1)]))
    with pytest.raises(CommandError, match=message):
        run("import_ledger", "test_units", str(path), *args)


def test_a_missing_or_hostile_file_is_refused(org, ledger, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run("import_ledger", "test_units", str(tmp_path / "none.xlsx"), "--org", org.team.code)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("单位编码,单位名称\n", encoding="utf-8")
    with pytest.raises(CommandError, match="文件被拒绝：文件不是有效的 Excel"):
        run("import_ledger", "test_units", str(fake), "--org", org.team.code)


def test_only_registered_ledgers_are_accepted(org, ledger, tmp_path):
    with pytest.raises(CommandError, match="invalid choice"):
        run("import_ledger", "nope", "x.xlsx", "--org", org.team.code)


def test_the_export_command_writes_a_file_that_imports_back_to_nothing_new(org, ledger, tmp_path):
    path = write(tmp_path, make_xlsx([HEADERS, *unit_rows(3)]))
    run("import_ledger", "test_units", str(path), "--org", org.team.code)

    exported = tmp_path / "导出.xlsx"
    out, _ = run("export_ledger", "test_units", "--org", org.team.code, "--out", str(exported))
    assert "导出完成：北京招商组测试单位台账，共 3 行" in out
    assert read_xlsx(exported.read_bytes())["A1"].value == "北京招商组测试单位台账"
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).actor_name == "命令行"

    out, _ = run("import_ledger", "test_units", str(exported), "--org", org.team.code)
    assert "新增 0 行，已存在跳过 3 行" in out


def test_the_export_command_holds_a_user_to_their_scope(org, ledger, tmp_path):
    with pytest.raises(CommandError, match="您无权"):
        run(
            "export_ledger",
            "test_units",
            "--org",
            org.team.code,
            "--out",
            str(tmp_path / "x.xlsx"),
            "--user",
            "sh_member",
        )
