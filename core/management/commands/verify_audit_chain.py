"""Walk the audit chain and say whether it holds; exit 1 naming the first broken record.

Meant for cron and for the audit administrator's own checks: a non-zero exit is the alarm.
"""

from django.core.management.base import BaseCommand, CommandError

from core.audit import verify_chain
from core.models import AuditAction, AuditEvent
from core.tables import china_time


def describe(event_id):
    """'#ID（时间 … 操作 …）' for a record, read as it now stands (it may be the altered one)."""
    row = AuditEvent.objects.filter(pk=event_id).values("created_at", "action").first()
    if row is None:
        return f"#{event_id}"
    labels = dict(AuditAction.choices)
    action = labels.get(row["action"], row["action"])
    return f"#{event_id}（时间 {china_time(row['created_at'])} 操作 {action}）"


class Command(BaseCommand):
    help = "校验审计日志的 SM3 哈希链，指出第一条被改动或其前被删除的记录。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000, help="每批读取的记录数")

    def handle(self, *args, batch_size, **options):
        report = verify_chain(batch_size=batch_size)
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"审计链完整：共 {report.checked} 条记录"))
            return
        if report.broken_id is None:
            raise CommandError(f"审计链已被破坏：{report.reason}（已校验 {report.checked} 条）")
        raise CommandError(f"第一条被破坏的记录：{describe(report.broken_id)}：{report.reason}")
