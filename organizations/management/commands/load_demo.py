"""Load (or refresh) the demo organisation and people from the seeds, and print the logins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from organizations.choices import Role
from organizations.demo import DEMO_PASSWORD, PEOPLE, load_demo


class Command(BaseCommand):
    help = "载入演示数据（运城市组织架构、7 个驻点招商组、17 支小分队和每个角色的演示账号）。"

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境不能载入演示数据。")
        units, people = load_demo()
        self.stdout.write(self.style.SUCCESS(f"演示数据已载入：{units} 个单位，{people} 个演示账号。"))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, name, title, _home, role, _unit in PEOPLE:
            note = "（首次登录须绑定动态口令）" if role in settings.OTP_REQUIRED_ROLES else ""
            self.stdout.write(f"  {username:<12} {Role(role).label:<12} {name}，{title}{note}")
