"""Load a province's worth of generated data (bench/generator.py) for benchmarks and load tests.

    python manage.py generate_province --scale 1.0 --seed 2026     # 10⁵ companies, 10⁶ visits, …
    python manage.py generate_province --scale 0.01                # a quick small set

Refuses a database that already holds units (it is meant for an empty one), unless --force.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "生成一个省的测试数据（11 个市、县区和驻点招商组，企业、走访、线索、项目、问题、目标），按种子确定。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="记录数的倍数（1.0 即一个省：10 万企业、100 万走访）"
        )
        parser.add_argument("--seed", type=int, default=2026, help="随机数种子：同一种子生成相同的数据")
        parser.add_argument("--force", action="store_true", help="数据库中已有单位时仍然生成")

    def handle(self, *args, scale, seed, force, **options):
        from bench.generator import generate, scaled_counts
        from organizations.models import Unit

        if not 0 < scale <= 100:
            raise CommandError(_("倍数须大于 0 且不超过 100。"))
        if not force and Unit.objects.exists():
            raise CommandError(_("数据库中已有组织单位，生成的数据会与之混在一起；如确需生成，请加 --force。"))
        counts = scaled_counts(scale)
        self.stdout.write(
            _("生成省级数据：倍数 %(scale)s，种子 %(seed)s，企业 %(companies)d，走访 %(visits)d，线索 %(leads)d，")
            % {"scale": scale, "seed": seed, **counts}
            + _("项目 %(projects)d，问题 %(problems)d") % counts
        )
        started = time.perf_counter()
        generate(scale=scale, seed=seed, write=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(_("完成，用时 %(s).1f 秒。") % {"s": time.perf_counter() - started}))
