"""Load (or refresh) the demo data from the seeds, and print the logins.

The organisation comes first; then each app adds its part in the order the work flows
(chains → outreach ledgers → …), each loader idempotent.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from organizations.choices import Role
from organizations.demo import DEMO_PASSWORD, PEOPLE, load_demo
from organizations.models import Unit, User


class Command(BaseCommand):
    help = "载入演示数据（运城市组织架构、驻点招商组和小分队、产业链、全年走访考察台账，及每个角色的演示账号）。"

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境不能载入演示数据。")
        with transaction.atomic():
            units, people = load_demo()
            self.load_domains()
        self.stdout.write(self.style.SUCCESS(f"演示数据已载入：{units} 个单位，{people} 个演示账号。"))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, name, title, _home, role, _unit in PEOPLE:
            note = "（首次登录须绑定动态口令）" if role in settings.OTP_REQUIRED_ROLES else ""
            self.stdout.write(f"  {username:<12} {Role(role).label:<12} {name}，{title}{note}")

    def load_domains(self):
        from assessment.demo import load_assessment_demo
        from chains.demo import load_chain_map_demo, load_chains_demo
        from leads.demo import load_leads_demo
        from outreach.demo import load_outreach_demo
        from projects.demo import OTHER_PEOPLE, load_projects_demo
        from reports.demo import load_reports_demo
        from service.demo import STAFF, demo_complaint, load_service_demo
        from targets.demo import STORY_DAY, load_targets_demo

        city = Unit.objects.get(code="YC")
        office = User.objects.get(username="zhongxin")
        chains = load_chains_demo(city=city, actor=office)
        self.stdout.write(f"产业链：{len(chains)} 条。")
        counts = load_outreach_demo(city_code="YC")
        self.stdout.write("台账：" + "，".join(f"{k} {v}" for k, v in counts.items()) + "。")
        leads = load_leads_demo(city_code="YC")
        self.stdout.write("线索：" + "，".join(f"{k} {v}" for k, v in leads.items()) + "。")
        projects = load_projects_demo(city=city, actor=office)
        self.stdout.write("项目：" + "，".join(f"{k} {v}" for k, v in projects.items()) + "。")
        mapped = load_chain_map_demo(city=city, actor=office)
        if mapped is not None:
            self.stdout.write(f"招商图谱与“六个一”：{mapped.name}。")
        problems = load_service_demo(city=city, actor=office)
        self.stdout.write("问题诉求：" + "，".join(f"{k} {v}" for k, v in problems.items()) + "。")
        targets = load_targets_demo(city=city, actor=office)
        day = f"{STORY_DAY.year}年{STORY_DAY.month}月{STORY_DAY.day}日"
        self.stdout.write(f"目标：{targets['目标']} 个，其中落后 {targets['落后']} 个（截至{day}）。")
        reports = load_reports_demo(city=city, office=office)
        self.stdout.write("工作报告：" + "，".join(f"{k} {v}" for k, v in reports.items()) + "。")
        assessment = load_assessment_demo(city=city, actor=office)
        self.stdout.write(f"考核：{assessment['方案']} 个方案，锁定 {assessment['锁定']} 期结果。")
        from bulletins.demo import load_bulletins_demo

        bulletins = load_bulletins_demo(city=city, actor=office)
        self.stdout.write(f"月度通报：{bulletins['通报']} 份（已印发《{bulletins['标题']}》）。")
        self.stdout.write("部门演示账号：" + "、".join(f"{u}（{n}）" for u, n, _t, _c in STAFF if n) + "。")
        complaint = demo_complaint(city)
        if complaint:
            self.stdout.write(f"接诉即办查询演示（/complaint/status/）：编号 {complaint[0]}，联系电话 {complaint[1]}。")
        self.stdout.write("古县、阳城、交城的演示账号：" + "、".join(f"{p[0]}（{p[1]}）" for p in OTHER_PEOPLE) + "。")
