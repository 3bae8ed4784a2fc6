"""Encoding repair: mojibake undone, genuine text untouched, every change recorded with raw offsets.

The cases live in data/repair_cases.json (kinds: in_the_wild mojibake, synthetic stray-Â cases,
negatives that must not change, known failures kept as strict xfails), run by one parametrized
test, as in python-ftfy.
"""

from __future__ import annotations

import itertools
import json
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SEED_TXT
from threadloom import repair
from threadloom.model import Line
from threadloom.repair import repair_line, repair_text, split_raw_lines

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "repair_cases.json").read_text(encoding="utf-8")
)


def _family(rule: str) -> str:
    return "ftfy" if rule.startswith("ftfy") else rule


def _repaired(lines: tuple[Line, ...]) -> str:
    return "\n".join(line.text for line in lines)


def _param(case: dict[str, Any]) -> Any:
    if case["kind"] == "known_failure":
        return pytest.param(case, id=case["id"], marks=pytest.mark.xfail(strict=True, reason=case["note"]))
    return pytest.param(case, id=case["id"])


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_repair_case(case: dict[str, Any]) -> None:
    lines = repair_text(case["text"])
    assert _repaired(lines) == case["expected"]
    rules = [r.rule for line in lines for r in line.repairs]
    assert sorted({_family(rule) for rule in rules}) == sorted(case["rules"])
    if case["kind"] == "negative":
        assert rules == []
    for line in lines:
        if len({r.rule for r in line.repairs}) == 1:  # one step: offsets point into the raw text
            for r in line.repairs:
                assert case["text"][r.raw_char_start : r.raw_char_end] == r.before
                assert r.raw_line == line.number


def test_repair_case_ids_are_unique() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))


def test_single_step_repairs_replayed_on_the_raw_line_give_the_repaired_line() -> None:
    for case in CASES:
        if case["kind"] == "known_failure":
            continue
        for line in repair_text(case["text"]):
            if len({r.rule for r in line.repairs}) != 1:
                continue
            rebuilt, cursor = [], line.raw_char_start
            for r in line.repairs:
                rebuilt.append(case["text"][cursor : r.raw_char_start] + r.after)
                cursor = r.raw_char_end
            rebuilt.append(case["text"][cursor : line.raw_char_end])
            assert "".join(rebuilt) == line.text, case["id"]


def test_stray_a_circumflex_is_recorded_with_its_rule_and_raw_offset() -> None:
    line = repair_line("Thanks for this.Â", number=7, raw_char_start=100)
    assert line.text == "Thanks for this."
    (r,) = line.repairs
    assert (r.raw_line, r.raw_char_start, r.raw_char_end) == (7, 116, 117)
    assert (r.before, r.after, r.rule) == ("Â", "", "stray_a_circumflex")


def test_repair_offsets_are_relative_to_the_whole_raw_text() -> None:
    text = "First line is plain.\r\nSecond has a cafÃ© in it.\r\n"
    lines = repair_text(text)
    (r,) = lines[1].repairs
    assert text[r.raw_char_start : r.raw_char_end] == r.before == "Ã©"
    assert r.raw_line == 2


def test_carriage_return_is_part_of_the_line_end_not_of_the_text() -> None:
    lines = repair_text("One.Â\r\nTwo.\r\n")
    assert [line.raw for line in lines] == ["One.Â", "Two."]
    assert [line.text for line in lines] == ["One.", "Two."]


def test_pure_ascii_line_is_returned_unchanged_without_running_any_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(text: str) -> tuple[str, str]:
        raise AssertionError("a repair step ran on an ASCII line")

    monkeypatch.setattr(repair, "STEPS", (refuse,))
    line = repair_line("Plain ASCII, with &amp; and 'quotes' -- unchanged.", 3, 40)
    assert line.text == line.raw
    assert line.repairs == ()


def test_non_ascii_line_does_run_the_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def spy(text: str) -> tuple[str, str]:
        seen.append(text)
        return text, "spy"

    monkeypatch.setattr(repair, "STEPS", (spy,))
    repair_line("Straße", 1, 0)
    assert seen == ["Straße"]


def test_seed_document_loses_exactly_its_four_stray_a_circumflex() -> None:
    raw = SEED_TXT.read_text(encoding="utf-8")
    lines = repair_text(raw)
    repairs = [r for line in lines for r in line.repairs]
    assert len(repairs) == 4
    assert {(r.before, r.after, r.rule) for r in repairs} == {("Â", "", "stray_a_circumflex")}
    assert all(raw[r.raw_char_start : r.raw_char_end] == "Â" for r in repairs)
    removed = {r.raw_char_start for r in repairs}
    expected = "".join(ch for i, ch in enumerate(raw) if i not in removed)
    repaired = "".join(line.text + raw[line.raw_char_end : line.raw_char_end + 1] for line in lines)
    assert repaired == expected


def test_seed_document_has_no_a_circumflex_left_after_repair() -> None:
    lines = repair_text(SEED_TXT.read_text(encoding="utf-8"))
    assert not any("Â" in line.text for line in lines)


def test_split_raw_lines_does_not_invent_a_line_after_the_final_newline() -> None:
    assert list(split_raw_lines("a\nb\n")) == [(0, "a"), (2, "b")]
    assert list(split_raw_lines("a\n\nb")) == [(0, "a"), (2, ""), (3, "b")]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_raw_lines_cover_the_text_exactly(text: str) -> None:
    lines = repair_text(text)
    for line in lines:
        assert text[line.raw_char_start : line.raw_char_end] == line.raw
    for line, following in itertools.pairwise(lines):
        assert text[line.raw_char_end : following.raw_char_start] in ("\n", "\r\n", "\r")
    assert text[lines[-1].raw_char_end :] in ("", "\n", "\r\n", "\r")


@given(st.text(alphabet=st.sampled_from("abc ÂÃ©â€™\u00a0\r\n"), max_size=60))
def test_every_repair_stays_inside_its_raw_line(text: str) -> None:
    for line in repair_text(text):
        for r in line.repairs:
            assert line.raw_char_start <= r.raw_char_start <= r.raw_char_end <= line.raw_char_end


# --- long lines: where each change is found ----------------------------------------------------

def _mojibake(text: str) -> str:
    """UTF-8 read as Windows-1252: the damage the repair undoes."""
    return text.encode("utf-8").decode("cp1252")


def _long_line(sentences: int, vary: bool) -> str:
    """A line far longer than repair._EXACT_DIFF_CHARS with a curly quote or an accent every few
    words, each between ASCII characters; `vary=False` repeats one sentence (the repetitive text
    on which an exact diff of the whole line took seconds)."""
    words = ["it’s", "café", "the", "‘trail’", "bridge", "naïve", "rain", "Zoë", "over", "—", "map"]
    return " ".join(
        f"Walk {i if vary else 0}: {' '.join(words[(i * k) % len(words)] for k in range(1, 9))}."
        for i in range(sentences)
    )


@pytest.mark.parametrize("vary", [True, False], ids=["varied", "repetitive"])
def test_a_long_mojibake_line_is_repaired_one_change_at_a_time(vary: bool) -> None:
    text = _long_line(400, vary)
    raw = _mojibake(text)
    assert len(raw) > 20_000  # the line length beyond which changes were once one block
    line = repair_line(raw, number=3, raw_char_start=500)
    assert line.text == text
    damaged = [ch for ch in text if not ch.isascii()]
    assert [r.after for r in line.repairs] == damaged  # one repair per damaged character
    for r in line.repairs:
        assert r.before == _mojibake(r.after)
        assert raw[r.raw_char_start - 500 : r.raw_char_end - 500] == r.before


def test_a_long_line_read_wholly_in_the_wrong_encoding_is_repaired_word_by_word() -> None:
    """Cyrillic UTF-8 read as Latin-1: every letter changed, only the spaces agree. Each word is
    one recorded change (the walk resynchronises on single characters inside such a stretch)."""
    words = ["привет", "мир", "спасибо", "статья", "хорошо", "блог", "сегодня"]
    text = " ".join(words[(i * 3) % len(words)] for i in range(400)) + "."
    raw = text.encode("utf-8").decode("latin-1")
    line = repair_line(raw, number=1, raw_char_start=0)
    assert line.text == text
    assert [r.after for r in line.repairs] == text.rstrip(".").split(" ")
    for r in line.repairs:
        assert raw[r.raw_char_start : r.raw_char_end] == r.before == r.after.encode("utf-8").decode("latin-1")


@given(
    st.text(alphabet="ab ", min_size=600, max_size=1500),
    st.lists(st.tuples(st.integers(0, 1499), st.text(alphabet="abé ", max_size=4), st.integers(0, 3)),
             min_size=1, max_size=40),
)
def test_long_edit_scripts_are_valid_and_only_short_stretches_are_diffed_exactly(
    base: str, edits: list[tuple[int, str, int]]
) -> None:
    old = base + "x" + base  # repetitive, and longer than one exact diff
    assert len(old) > repair._EXACT_DIFF_CHARS
    new = old
    for at, inserted, removed in sorted(edits, reverse=True):
        at = min(at, len(new))
        new = new[:at] + inserted + new[at + removed :]
    sizes: list[int] = []

    class Recording(SequenceMatcher):  # type: ignore[type-arg]
        def __init__(self, isjunk: None, a: str, b: str, autojunk: bool) -> None:
            sizes.append(len(a) + len(b))
            super().__init__(isjunk, a, b, autojunk)

    with mock.patch.object(repair, "SequenceMatcher", Recording):
        script = list(repair._opcodes(old, new))
    i = j = 0
    for tag, i1, i2, j1, j2 in script:
        assert (i1, j1) == (i, j)  # blocks follow each other, covering both texts
        assert (tag == "equal") == (old[i1:i2] == new[j1:j2] and i2 > i1)
        i, j = i2, j2
    assert (i, j) == (len(old), len(new))
    assert all(size <= repair._EXACT_DIFF_CHARS for size in sizes)


LONG_TEXT = st.text(alphabet="ab é", min_size=500, max_size=1500)


@given(LONG_TEXT, LONG_TEXT)
def test_edit_scripts_of_unrelated_long_texts_are_valid(old: str, new: str) -> None:
    """Texts that agree only here and there: the walk resynchronises where it can, and a rest
    with no place to resynchronise is one block; the script is valid either way."""
    i = j = 0
    for tag, i1, i2, j1, j2 in repair._opcodes(old, new):
        assert (i1, j1) == (i, j)
        assert (tag == "equal") == (old[i1:i2] == new[j1:j2] and i2 > i1)
        i, j = i2, j2
    assert (i, j) == (len(old), len(new))


@given(st.text(alphabet="ab", max_size=300), st.text(alphabet="ab", max_size=300))
def test_shared_start_and_end_are_counted_as_one_character_at_a_time_would(a: str, b: str) -> None:
    old, new = a + "x" * 70 + b, a + "y" * 3 + b  # chunks of 64 both agree and disagree
    limit = min(len(old), len(new))
    start = next((n for n in range(limit) if old[n] != new[n]), limit)
    end = next((n for n in range(limit - start) if old[-1 - n] != new[-1 - n]), limit - start)
    assert repair._common_length(old, 0, new, 0) == start
    assert repair._common_suffix_length(old, new, limit - start) == end
