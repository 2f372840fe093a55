from django.core.management import call_command
from django.core.management.base import BaseCommand

from oversight.core.calendar import calendar_seed_from_package
from oversight.core.context import acting_as_system
from oversight.core.setup_hooks import run_all
from oversight.core.uploads import ensure_bucket


class Command(BaseCommand):
    help = "迁移数据库并载入基础数据(工作日历、通知所列单位与单位组、默认提醒规则);可重复执行。"

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable")  # only with CACHE_URL=db: the shared cache's table
        self.stdout.write("数据库已迁移。")
        bucket = ensure_bucket()
        if bucket:
            self.stdout.write(f"对象存储：存储桶 {bucket} 已就绪。")
        with acting_as_system("系统初始化"):
            years = calendar_seed_from_package()
            results = run_all()
        self.stdout.write(
            f"工作日历:{'新导入 ' + '、'.join(map(str, years)) + ' 年' if years else '已是最新'}。"
        )
        for label, added in results:
            self.stdout.write(f"{label}:新增 {added} 条。")
