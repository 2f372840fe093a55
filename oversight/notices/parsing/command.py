"""`oversight parse-notice` without Django: when no environment is configured (no SECRET_KEY, no
OVERSIGHT_MODE) the command reads the notice with the unit names the platform ships with and prints
the JSON; with a configured platform it runs as a Django command and uses the unit registry."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import NoticeError, parse_notice


def shipped_resolver():
    """Names of the units and groups the platform ships with (the seed notice's), normalised."""
    from oversight.organisations.names import normalise_name
    from oversight.organisations.seed import ROOT, SEED_GROUPS, SEED_UNITS

    known = set()
    for full, short, _kind, _enforcement, aliases in [ROOT, *SEED_UNITS]:
        known |= {full, short, *aliases}
    for group in SEED_GROUPS:
        known |= {group["name"], *group["aliases"]}
    known = {normalise_name(n) for n in known}
    return lambda name: normalise_name(name) in known


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="oversight parse-notice",
        description="解析通知(文本、.docx、.html),以 UTF-8 JSON 输出工作计划;格式见 docs/notice-json.md。",
    )
    parser.add_argument("file", help="通知文件;- 表示标准输入")
    parser.add_argument(
        "--year", type=int, help="通知未写日期时,相对日期(3月底前、年底前)按此年份换算"
    )
    parser.add_argument("--indent", type=int, default=2)
    args = parser.parse_args(argv)
    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as exc:
        sys.stderr.write(f"无法读取文件 {args.file}:{exc.strerror}\n")
        return 1
    try:
        notice = parse_notice(data, filename=args.file, year=args.year, resolver=shipped_resolver())
    except NoticeError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    sys.stdout.write(
        json.dumps(notice.to_json(), ensure_ascii=False, indent=args.indent or None) + "\n"
    )
    return 0
