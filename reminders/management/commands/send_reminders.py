"""`manage.py send_reminders [--date YYYY-MM-DD] [--city CODE]`: send the day's reminders now (what the daily task
does), e.g. from cron where no Celery beat runs."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from organizations.choices import UnitKind
from organizations.models import Unit
from reminders.services import send_reminders


class Command(BaseCommand):
    help = "发送当天的待办提醒（站内消息，及已设置的电子邮件、企业微信和钉钉群机器人）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="提醒日期（YYYY-MM-DD），默认今天")
        parser.add_argument("--city", help="只发送该城市（单位编码，如 YC）")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD。")
        cities = None
        if options.get("city"):
            city = Unit.objects.filter(code=options["city"], kind=UnitKind.CITY).first()
            if city is None:
                raise CommandError(f"没有编码为 {options['city']} 的城市。")
            cities = [city.pk]
        run = send_reminders(today=today, cities=cities)
        count = sum(len(d.reminders) for d in run.deliveries)
        sent = "，".join(f"{k} {v}" for k, v in run.sent.items())
        self.stdout.write(self.style.SUCCESS(f"已发送待办提醒：{len(run.deliveries)} 人，{count} 条（{sent}）。"))
