import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from oversight.bulletins.documents import bulletin_docx, bulletin_xlsx
from oversight.bulletins.figures import compute
from oversight.bulletins.models import Bulletin
from oversight.bulletins.services import default_bulletin_title
from oversight.workplans.models import Plan


class Command(BaseCommand):
    help = "生成工作计划的定期通报(Word 与 Excel 台账),写入目录;不保存到平台,用于脚本。"

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, required=True)
        parser.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="输出目录")

    def handle(self, *args, plan, date_from, date_to, out, **options):
        try:
            start = datetime.date.fromisoformat(date_from)
            end = datetime.date.fromisoformat(date_to)
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        if start > end:
            raise CommandError("--from 不能晚于 --to。")
        if end > timezone.localdate():
            raise CommandError("--to 不能晚于今天。")
        # Run by the server's administrator for scripts: the whole plan, no user scope.
        found = Plan.objects.filter(pk=plan).first()
        if found is None:
            raise CommandError(f"工作计划 {plan} 不存在。")
        period = "custom"
        bulletin = Bulletin(
            plan=found,
            period=period,
            date_from=start,
            date_to=end,
            title=default_bulletin_title(found, start, end, period),
        )
        figures = compute(found, start, end)
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        stem = f"通报-{start:%Y%m%d}-{end:%Y%m%d}"
        (directory / f"{stem}.docx").write_bytes(bulletin_docx(bulletin, figures))
        (directory / f"{stem}.xlsx").write_bytes(bulletin_xlsx(bulletin, figures))
        self.stdout.write(
            f"已生成:{directory / (stem + '.docx')}、{directory / (stem + '.xlsx')}({len(figures.units)} 个单位)"
        )
