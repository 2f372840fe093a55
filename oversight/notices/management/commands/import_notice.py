from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from oversight.core.context import acting_as_system
from oversight.notices.services import DuplicateNotice, notice_import


class Command(BaseCommand):
    help = "导入通知并直接生成工作计划(不经网页审核);单位库中没有的单位会被拒绝,除非指定 --create-units。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, help="通知未写日期时,相对日期按此年份换算")
        parser.add_argument(
            "--create-units", action="store_true", help="自动新建单位库中没有的单位"
        )

    def handle(self, *args, file, year, create_units, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {file}:{exc.strerror}") from exc
        try:
            with acting_as_system("命令行导入"):
                plan, created = notice_import(
                    data=data, filename=Path(file).name, year=year, create_units=create_units
                )
        except DuplicateNotice as exc:
            self.stdout.write(f"{exc.messages[0]}(计划编号 {exc.plan.pk})")
            return
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        tasks = plan.tasks.filter(kind="table").count()
        self.stdout.write(f"已导入工作计划《{plan}》(编号 {plan.pk}):{tasks} 项任务。")
        if created:
            self.stdout.write(f"新建单位:{'、'.join(created)}")
