"""Property tests: the parser never crashes, and a rendered plan parses back to itself."""

import contextlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.notices.parsing import NoticeError, parse_notice
from oversight.notices.parsing.render import render_text

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "xialu-notice-2024.txt"
SEED_LINES = SEED.read_text(encoding="utf-8").splitlines()

# Text drawn from what notices are made of: Chinese, numbering, brackets, dates, units.
ALPHABET = st.sampled_from(
    list(
        "一二三四五六七八九十、,,。;:()()[]【】〔〕0123456789年月日底前旬上中下区司法局各街办园区长期坚持关于通知 \n\t."
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=400) | st.text(max_size=300))
def test_arbitrary_text_never_crashes(text):
    with contextlib.suppress(NoticeError):
        parse_notice(text.encode("utf-8"), year=2024)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_never_crash(data):
    with contextlib.suppress(NoticeError):
        parse_notice(data)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(SEED_LINES), min_size=1, max_size=60), st.randoms())
def test_shuffled_seed_lines_never_crash(lines, rnd):
    rnd.shuffle(lines)
    with contextlib.suppress(NoticeError):
        parse_notice("\n".join(lines).encode("utf-8"))


def comparable(notice):
    return [
        (
            t.number,
            t.section,
            t.title,
            t.text,
            t.lead_units,
            t.units,
            [(x.date, x.standing) for x in t.deadlines],
        )
        for t in notice.tasks
    ]


def test_seed_round_trip():
    first = parse_notice(SEED.read_bytes())
    again = parse_notice(render_text(first).encode("utf-8"), year=first.year)
    assert comparable(again) == comparable(first)
    assert again.title == first.title and again.addressees == first.addressees


@settings(max_examples=40, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=23), min_size=1))
def test_any_subset_of_seed_tasks_round_trips(keep):
    seed = parse_notice(SEED.read_bytes())
    seed.tasks = [t for i, t in enumerate(seed.tasks) if i in keep]
    again = parse_notice(render_text(seed).encode("utf-8"), year=seed.year)
    assert comparable(again) == comparable(seed)
