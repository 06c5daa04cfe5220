"""Import a ledger file from the command line: the same checks and all-or-nothing as the upload page.

For an office moving years of Excel ledgers in at once, or a scheduled import. Exits
non-zero, listing every bad row, when nothing was imported.
"""

import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.ledgers import get_ledger, import_ledger, ledgers
from core.spreadsheets import SpreadsheetError


def find_org(code):
    """The unit with this code; CommandError naming the code if there is none."""
    from organizations.models import Unit

    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(_("没有编码为「%(code)s」的单位") % {"code": code})
    return unit


def find_user(username):
    """The active user to act as, or None (the command line) when no username is given."""
    from organizations.models import User

    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("没有用户名为「%(username)s」的有效用户") % {"username": username})
    return user


class Command(BaseCommand):
    help = "导入台账 Excel 文件：先检查每一行，有错误则不写入任何数据（或用 --good-rows-only 只导入正确的行）。"

    def add_arguments(self, parser):
        parser.add_argument("ledger", choices=[ledger.name for ledger in ledgers()], help="台账名称")
        parser.add_argument("file", help="Excel 文件（.xlsx）")
        parser.add_argument("--org", required=True, help="导入到的单位编码")
        parser.add_argument(
            "--good-rows-only", action="store_true", help="只导入正确的行，错误的行另存为 FILE.rejected.xlsx"
        )
        parser.add_argument("--user", help="以此用户的身份导入（检查其权限）；不填则记为“命令行”")

    def handle(self, *args, ledger, file, org, good_rows_only, user, **options):
        ledger = get_ledger(ledger)
        org = find_org(org)
        actor = find_user(user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": path})
        rejected_path = path.with_name(path.name + ".rejected.xlsx")
        with tempfile.TemporaryFile() as rejected:
            try:
                result = import_ledger(
                    ledger,
                    path,
                    actor=actor,
                    org=org,
                    good_rows_only=good_rows_only,
                    rejected_out=rejected if good_rows_only else None,
                )
            except SpreadsheetError as exc:
                raise CommandError(_("文件被拒绝：%(reason)s") % {"reason": exc})
            except PermissionDenied as exc:
                raise CommandError(str(exc))
            if not result.ok:
                for problem in result.problems:
                    self.stderr.write(problem.describe())
                if result.problems_truncated:
                    self.stderr.write(
                        _("……共 %(total)d 个问题，只列出前 %(shown)d 个")
                        % {"total": result.problem_count, "shown": len(result.problems)}
                    )
                raise CommandError(
                    _("有 %(count)d 行错误，未导入任何数据。请修改后重试，或使用 --good-rows-only 只导入正确的行。")
                    % {"count": result.rejected}
                )
            if good_rows_only and result.rejected:
                rejected.seek(0)
                rejected_path.write_bytes(rejected.read())
        self.stdout.write(self.style.SUCCESS(result.message()))
        if good_rows_only and result.rejected:
            self.stdout.write(
                _("被拒绝的 %(count)d 行及原因已写入：%(path)s") % {"count": result.rejected, "path": rejected_path}
            )
