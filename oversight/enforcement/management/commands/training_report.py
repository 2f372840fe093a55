from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.core.roles import Role
from oversight.enforcement.reports import training_workbook


class _District:
    """The whole district, as the bureau sees it (the command runs on the server, not as a user)."""

    is_authenticated = True
    is_active = True
    role_codes = frozenset({Role.SUPERVISOR})
    scope_unit_ids = frozenset()
    pk = None


class Command(BaseCommand):
    help = "写出某年度执法人员培训学时达标情况的 Excel 工作簿(各单位、人员学时、培训计划)。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True, help="输出文件 .xlsx")

    def handle(self, *args, year, out, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("年度应在 2000 到 2100 之间。")
        path = Path(out)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("输出文件应以 .xlsx 结尾。")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(training_workbook(user=_District(), year=year))
        self.stdout.write(f"已写出 {path}")
