import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from oversight.notices.parsing import NoticeError, parse_notice


def _resolver():
    """Names known to the unit registry; before `oversight setup`, the built-in list of the seed."""
    from oversight.organisations.selectors import resolve_name

    try:
        resolve_name("区司法局")
        return lambda name: resolve_name(name) is not None
    except DatabaseError:
        from oversight.organisations.initial import ROOT, SEED_GROUPS, SEED_UNITS
        from oversight.organisations.selectors import normalise_name

        known = set()
        for full, short, _kind, _enf, aliases in [ROOT, *SEED_UNITS]:
            known |= {full, short, *aliases}
        for group in SEED_GROUPS:
            known |= {group["name"], *group["aliases"]}
        known = {normalise_name(n) for n in known}
        return lambda name: normalise_name(name) in known


class Command(BaseCommand):
    help = "解析通知(文本、.docx、.html),以 UTF-8 JSON 输出工作计划;格式见 docs/notice-json.md。"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="通知文件;- 表示标准输入")
        parser.add_argument(
            "--year", type=int, help="通知未写日期时,相对日期(3月底前、年底前)按此年份换算"
        )
        parser.add_argument("--indent", type=int, default=2)

    def handle(self, *args, file, year, indent, **options):
        try:
            data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {file}:{exc.strerror}") from exc
        try:
            notice = parse_notice(data, filename=file, year=year, resolver=_resolver())
        except NoticeError as exc:
            raise CommandError(str(exc)) from exc
        sys.stdout.write(
            json.dumps(notice.to_json(), ensure_ascii=False, indent=indent or None) + "\n"
        )
