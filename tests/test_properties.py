"""Properties over generated threads flattened the way the seed was (paragraphs one per line):
they build without error, their rows pass validation's rules, and no text is lost: every raw line
after the article is in exactly one comment, each comment's offsets give back its raw text, and
replaying the recorded repairs on each raw line gives exactly the repaired line."""

from __future__ import annotations

import itertools
import tempfile
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threadloom.api import build
from threadloom.model import Line, Repair, Thread
from threadloom.pipeline import process_text
from threadloom.records import comment_rows, speaker_rows, thread_row
from threadloom.repair import split_raw_lines
from threadloom.validate import thread_problems, validate_release

WORDS = ["the", "trail", "bridge", "thanks", "great", "post", "I", "agree", "why", "rain", "Nora",
         "café", "naïve", "Zürich", "日本", "привет", "🙂", "it’s", "“quoted”", "—"]
DAMAGE = ["Ã©", "â€™", "Â ", "Â", "\u00a0", "Ã¨", "â€œ", "ï»¿", "\ufeff", "\x85", "\x0c"]  # \x85: a C1 "…"
token = st.one_of(st.sampled_from(WORDS), st.sampled_from(DAMAGE), st.text(min_size=1, max_size=6).filter(
    lambda s: "\n" not in s and "\r" not in s and "\x00" not in s))


paragraph = st.lists(token, min_size=1, max_size=14).map(" ".join).filter(lambda p: bool(p.strip()))
comment = st.lists(paragraph, min_size=1, max_size=3)


@st.composite
def flattened_threads(draw: st.DrawFn) -> str:
    article = draw(st.lists(paragraph, min_size=0, max_size=4))
    comments = draw(st.lists(comment, min_size=0, max_size=6))
    lines: list[str] = list(article)
    for paragraphs in comments:
        for text in paragraphs:
            lines.append(text)
            if draw(st.booleans()) and draw(st.booleans()):
                lines.append("")  # a blank line now and then
    if not any(line.strip() for line in lines):
        lines.append("A post about trails.")
    end = draw(st.sampled_from(["\n", "\r\n"]))
    return end.join(lines) + draw(st.sampled_from(["", end]))


def replay(line: Line) -> str:
    """The repaired line rebuilt from its raw text and its recorded repairs alone, step by step
    (repairs of one rule, in order, are one step; a later step's offsets point into the raw line
    through the characters earlier steps produced)."""
    text, origin = line.raw, list(range(len(line.raw)))
    for _, group in itertools.groupby(line.repairs, key=lambda r: r.rule):
        parts: list[str] = []
        new_origin: list[int] = []
        cursor = 0
        for r in group:
            start = r.raw_char_start - line.raw_char_start
            i = _locate(text, origin, cursor, start, r)
            parts.append(text[cursor:i] + r.after)
            new_origin += origin[cursor:i] + [start] * len(r.after)
            cursor = i + len(r.before)
        parts.append(text[cursor:])
        new_origin += origin[cursor:]
        text, origin = "".join(parts), new_origin
    return text


def _locate(text: str, origin: list[int], cursor: int, start: int, repair: Repair) -> int:
    """Where in the current text a repair applies: the first place at or after `cursor` whose
    character comes from raw offset `start` and reads `before` (the end, for an insertion there)."""
    for i in range(cursor, len(text)):
        if origin[i] == start and text.startswith(repair.before, i):
            return i
    if repair.before == "":
        return len(text)
    raise AssertionError(f"repair {repair} does not apply to {text!r}")


def _check_no_text_lost(raw: str, thread: Thread) -> None:
    lines = list(split_raw_lines(raw))
    assert [(line.raw_char_start, line.raw) for line in thread.lines] == lines
    owners = [0] * (len(lines) + 1)
    for row in comment_rows(thread):
        first, last = thread.line(row["raw_line_start"]), thread.line(row["raw_line_end"])
        assert (row["raw_char_start"], row["raw_char_end"]) == (first.raw_char_start, last.raw_char_end)
        span = raw[row["raw_char_start"] : row["raw_char_end"]]
        for line in thread.lines[first.number - 1 : last.number]:
            assert line.raw in span
            assert " ".join(line.text.split()) in " ".join(row["text"].split())
        for number in range(row["raw_line_start"], row["raw_line_end"] + 1):
            owners[number] += 1
    for line in thread.lines:
        if line.number > thread.article_line_end and not line.is_blank:
            assert owners[line.number] == 1, (line.number, line.raw)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flattened_threads())
def test_a_generated_thread_loses_no_raw_line(raw: str) -> None:
    _check_no_text_lost(raw, process_text(raw, "t.txt"))


long_paragraph = st.lists(token, min_size=20, max_size=60).map(" ".join).filter(lambda p: bool(p.strip()))


@st.composite
def wrapped_threads(draw: st.DrawFn) -> str:
    """Paragraphs long enough to wrap, wrapped at one width the way a mail client does (unwrap.py)."""
    width = draw(st.integers(min_value=50, max_value=100))
    lines: list[str] = []
    for text in draw(st.lists(long_paragraph, min_size=6, max_size=20)):  # enough to show a width
        lines += textwrap.wrap(text, width) or [text]
    return "\n".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wrapped_threads())
def test_a_wrapped_thread_loses_no_raw_line(raw: str) -> None:
    """Paragraphs joined for reading still leave every raw line in exactly one comment."""
    _check_no_text_lost(raw, process_text(raw, "t.txt"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flattened_threads())
def test_every_repaired_character_is_accounted_for_by_a_recorded_repair(raw: str) -> None:
    for line in process_text(raw, "t.txt").lines:
        assert replay(line) == line.text, line


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flattened_threads())
def test_the_rows_of_a_generated_thread_pass_the_integrity_rules(raw: str) -> None:
    thread = process_text(raw, "t.txt")
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "raw").mkdir()
        (Path(folder) / "raw" / "t.txt").write_bytes(raw.encode("utf-8"))
        rows = thread_row(thread), comment_rows(thread), speaker_rows(thread)
        problems = list(thread_problems(Path(folder), *rows))
    assert problems == []


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(flattened_threads(), min_size=1, max_size=3))
def test_generated_threads_build_into_a_valid_release(raws: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw_dir = Path(tmp) / "raw"
        raw_dir.mkdir()
        for index, raw in enumerate(raws):
            (raw_dir / f"thread-{index}.txt").write_bytes(raw.encode("utf-8"))
        out = build(raw_dir, Path(tmp) / "rel").out
        assert validate_release(out).problems == []


def test_a_line_made_blank_by_the_repair_keeps_its_repair_in_the_rows(tmp_path: Path) -> None:
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    (raw_dir / "t.txt").write_text(
        "A post about trails and bridges.\nGreat post, thanks!\nÂ\nI agree with you.\n", encoding="utf-8"
    )
    assert validate_release(build(raw_dir, tmp_path / "rel").out).problems == []
