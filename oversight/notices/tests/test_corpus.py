"""The reader against a corpus of notices laid out as other offices lay them out.

Eighteen documents were written first in the layouts of public notices from a dozen provinces
(2016–2025, text in UTF-8/GBK/UTF-16, Word with merged cells, web pages) and scored before the
reader was changed for them; five more (19–23) were written afterwards and scored before any
change made for them. `python -m oversight.notices.tests.corpus.measure` prints the table.
"""

import pytest

from oversight.notices.parsing import parse_notice

from .corpus.measure import documents, score
from .test_seed import SEED

FLOOR = 0.95  # fields right over the whole corpus (the issue asks for 90 % on unseen notices)
DOCUMENT_FLOOR = 0.85


def test_the_corpus_has_every_format_and_enough_documents():
    paths = documents()
    assert len(paths) >= 15
    assert {p.suffix for p in paths} == {".txt", ".html", ".docx"}
    assert all(p.with_suffix(".json").exists() for p in paths)


def test_fields_right_across_the_corpus():
    scores = [score(p) for p in documents()]
    right, total = sum(s.right for s in scores), sum(s.total for s in scores)
    misses = [f"{s.name}: {m}" for s in scores for m in s.misses]
    assert right / total >= FLOOR, "\n".join(misses)


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.stem)
def test_each_document_reads(path):
    result = score(path)
    assert result.ratio >= DOCUMENT_FLOOR, "\n".join(result.misses)


def test_the_seed_still_reads_exactly():
    notice = parse_notice(SEED.read_bytes(), filename=SEED.name)
    assert len(notice.tasks) == 24
    assert [t.ref for t in notice.tasks] == [t.number for t in notice.tasks]
    assert not any(t.doubts for t in notice.tasks)
