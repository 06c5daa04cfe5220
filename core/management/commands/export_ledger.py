"""Export a unit's ledger to an Excel file from the command line (audited like the download)."""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.ledgers import export_ledger, get_ledger, ledgers

from .import_ledger import find_org, find_user


class Command(BaseCommand):
    help = "把单位的台账导出为 Excel 文件（.xlsx）。"

    def add_arguments(self, parser):
        parser.add_argument("ledger", choices=[ledger.name for ledger in ledgers()], help="台账名称")
        parser.add_argument("--org", required=True, help="单位编码")
        parser.add_argument("--out", required=True, help="输出文件（.xlsx）")
        parser.add_argument("--user", help="以此用户的身份导出（检查其权限）；不填则记为“命令行”")

    def handle(self, *args, ledger, org, out, user, **options):
        ledger = get_ledger(ledger)
        org = find_org(org)
        actor = find_user(user)
        try:
            count = export_ledger(ledger, actor=actor, org=org, out=out)
        except PermissionDenied as exc:
            raise CommandError(str(exc))
        except OSError as exc:
            raise CommandError(_("无法写入文件 %(path)s：%(reason)s") % {"path": out, "reason": exc})
        self.stdout.write(
            self.style.SUCCESS(
                _("导出完成：%(title)s，共 %(count)d 行，已写入 %(path)s")
                % {"title": f"{org}{ledger.title}", "count": count, "path": out}
            )
        )
