"""First start of a real deployment: the root unit and its system administrator."""

import getpass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import audit
from core.models import AuditAction
from organizations.choices import Role, UnitKind
from organizations.models import Membership, Unit, User


class Command(BaseCommand):
    help = "新部署时建立根单位（省或市）及其系统管理员。"

    def add_arguments(self, parser):
        parser.add_argument("--unit-code", required=True)
        parser.add_argument("--unit-name", required=True)
        parser.add_argument("--kind", choices=[UnitKind.PROVINCE, UnitKind.CITY], default=UnitKind.CITY)
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", required=True)

    @transaction.atomic
    def handle(self, *args, **o):
        if Unit.objects.filter(parent__isnull=True).exists():
            raise CommandError("根单位已经存在；请由系统管理员在系统内管理组织架构。")
        if User.objects.filter(username=o["username"]).exists():
            raise CommandError("该用户名已存在。")
        password = getpass.getpass("系统管理员初始密码：")
        unit = Unit.objects.create(code=o["unit_code"], name=o["unit_name"], kind=o["kind"])
        unit.path, unit.depth = f"/{unit.pk}/", 0
        unit.save(update_fields=["path", "depth"])
        admin = User(username=o["username"], name=o["name"], home_unit=unit, must_change_password=True)
        from django.contrib.auth import password_validation

        password_validation.validate_password(password, admin)
        admin.set_password(password)
        admin.save()
        Membership.objects.create(user=admin, unit=unit, role=Role.SYSTEM_ADMIN)
        audit.record(action=AuditAction.CREATE, obj=unit, actor_name="部署命令", after={"code": unit.code})
        audit.record(
            action=AuditAction.ASSIGN_ROLE, obj=admin, actor_name="部署命令", after={"role": Role.SYSTEM_ADMIN}
        )
        self.stdout.write(self.style.SUCCESS(f"已建立根单位 {unit.name} 和系统管理员 {admin.username}。"))
