"""Benchmark: parsing the seed notice (goal: well under a second).

    .venv/bin/python bench/parse_seed.py [--repeat 50]

Prints one JSON line per measurement: {"name", "n", "seconds", "per_parse_ms"}. Pure parser, no
database. Also measures a .docx and an .html notice built by the tests' fixtures.
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from oversight.notices.parsing import parse_notice  # noqa: E402
from oversight.notices.tests.fixtures import build_docx, build_html  # noqa: E402

SEED = ROOT / "oversight" / "notices" / "fixtures" / "xialu-notice-2024.txt"


def measure(name: str, data: bytes, filename: str, repeat: int) -> dict:
    parse_notice(data, filename=filename)  # warm-up: regex compilation, imports
    start = time.perf_counter()
    for _ in range(repeat):
        parse_notice(data, filename=filename)
    seconds = time.perf_counter() - start
    return {
        "name": name,
        "n": repeat,
        "seconds": round(seconds, 4),
        "per_parse_ms": round(seconds / repeat * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    cold_start = time.perf_counter()
    parse_notice(SEED.read_bytes(), filename=SEED.name)
    cold = time.perf_counter() - cold_start
    print(
        json.dumps(
            {"name": "seed_first_parse", "n": 1, "seconds": round(cold, 4)}, ensure_ascii=False
        )
    )
    print(
        json.dumps(
            measure("seed_text", SEED.read_bytes(), SEED.name, args.repeat), ensure_ascii=False
        )
    )
    print(json.dumps(measure("docx", build_docx(), "plan.docx", args.repeat), ensure_ascii=False))
    print(
        json.dumps(
            measure("html", build_html().encode("utf-8"), "notice.html", args.repeat),
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
