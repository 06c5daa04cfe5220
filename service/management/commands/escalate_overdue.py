"""Put every open problem past its due date on the supervision list (屡诉督办); run it daily, e.g. from cron."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from service.services import escalate_overdue


class Command(BaseCommand):
    help = "将逾期未办结的问题转入督办（建议每日运行）。"

    def handle(self, *args, **options):
        count = escalate_overdue()
        self.stdout.write(_("转入督办：%(count)d 件。") % {"count": count})
