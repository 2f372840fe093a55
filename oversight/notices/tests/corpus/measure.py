"""Scores the notice reader against the corpus: fields right out of fields expected.

Each document `NN-….{txt,html,docx}` has `NN-….json` beside it: the notice's title and, per task,
[number, title, lead units, units, deadlines] (a deadline is an ISO date or "standing"). Tasks are
matched in order by their titles; a task the reader invents counts five wrong fields, a task it
misses five fields not found. Run `python -m oversight.notices.tests.corpus.measure` for the table.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

from oversight.notices.parsing import NoticeError, parse_notice
from oversight.notices.parsing.text import clean_line

HERE = Path(__file__).parent
FIELDS = ("number", "title", "lead_units", "units", "deadlines")


@dataclass
class Score:
    name: str
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.right / self.total if self.total else 1.0


def documents() -> list[Path]:
    return sorted(p for p in HERE.iterdir() if p.suffix in {".txt", ".html", ".docx"})


def _canon(value):
    if isinstance(value, str):
        return clean_line(value).rstrip("。")
    if isinstance(value, list):
        return sorted(_canon(v) for v in value)
    return value


def _deadlines(task: dict) -> list[str]:
    return ["standing" if d.get("standing") else (d.get("date") or "?") for d in task["deadlines"]]


def score(path: Path) -> Score:
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    result = Score(path.name)
    try:
        parsed = parse_notice(path.read_bytes(), filename=path.name).to_json()
    except NoticeError as exc:  # a document the reader refuses scores nothing
        parsed = {"title": None, "tasks": []}
        result.misses.append(f"未能读取:{exc}")
    if expected.get("title"):
        result.total += 1
        if _canon(parsed["title"]) == _canon(expected["title"]):
            result.right += 1
        else:
            result.misses.append(f"标题:{parsed['title']!r} ≠ {expected['title']!r}")
    got = [
        [t["number"], t["title"], t["lead_units"], t["units"], _deadlines(t)]
        for t in parsed["tasks"]
    ]
    want = expected["tasks"]
    matcher = difflib.SequenceMatcher(
        a=[_canon(t[1]) for t in want], b=[_canon(t[1]) for t in got], autojunk=False
    )
    pairs: list[tuple[list | None, list | None]] = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and a2 - a1 == b2 - b1):
            pairs += list(zip(want[a1:a2], got[b1:b2], strict=True))
        else:
            pairs += [(w, None) for w in want[a1:a2]] + [(None, g) for g in got[b1:b2]]
    for w, g in pairs:
        result.total += len(FIELDS)
        if w is None:
            result.misses.append(f"多出的任务:{g[0]} {g[1]}")
            continue
        if g is None:
            result.misses.append(f"漏掉的任务:{w[0]} {w[1]}")
            continue
        for name, a, b in zip(FIELDS, w, g, strict=True):
            if _canon(a) == _canon(b):
                result.right += 1
            else:
                result.misses.append(f"任务 {w[0]} 的 {name}:{b!r} ≠ {a!r}")
    return result


def main() -> None:
    scores = [score(p) for p in documents()]
    for s in scores:
        print(f"{s.ratio:6.1%}  {s.right:3d}/{s.total:<3d}  {s.name}")
        for miss in s.misses:
            print(f"          {miss}")
    right, total = sum(s.right for s in scores), sum(s.total for s in scores)
    print(f"{right / total:6.1%}  {right}/{total}  全部 {len(scores)} 份")


if __name__ == "__main__":
    main()
