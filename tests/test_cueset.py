"""The cue regexes searched together (cueset.py): RE2's one pass gives the matches `re` gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadloom import cues
from threadloom.cueset import CueSet, re2_pattern
from threadloom.linecues import _LINE_REGEXES, _WORDING_CUES
from threads import ROSES

REPO = Path(__file__).resolve().parents[1]
NAMED = (*_WORDING_CUES, ("call_to_action", cues.CALL_TO_ACTION_RE))

# (regex in Python's syntax, the same in RE2's)
TRANSLATIONS = [
    ("y(?<!\\wy)ou\\b", "\\byou\\b"),
    ("(?:[Tt](?<!\\w[Tt])hanks|g(?<!\\wg)reat)", "(?:\\b[Tt]hanks|\\bgreat)"),
    ("[\\U0001F600-\\U0001F64F]", "[\\x{1F600}-\\x{1F64F}]"),
    ("plain (?:text|words)", "plain (?:text|words)"),
]


@pytest.mark.parametrize(("python", "re2"), TRANSLATIONS)
def test_regexes_are_written_in_re2_syntax(python: str, re2: str) -> None:
    assert re2_pattern(python) == re2


def _engines() -> tuple[CueSet, CueSet]:
    pytest.importorskip("re2", reason="google-re2 (the `fast` extra) is not installed")
    fast, plain = CueSet(NAMED), CueSet(NAMED, use_re2=False)
    assert fast.uses_re2 and not plain.uses_re2
    return fast, plain


def _lines() -> list[str]:
    """Lower-cased lines as line_cues searches them: the test threads and the seed."""
    texts = list(ROSES)
    for path in sorted((REPO / "raw").glob("*.txt")):
        texts += path.read_text(encoding="utf-8").split("\n")
    return [cues.head_tail(t.strip()).lower() for t in texts]


def test_re2_and_re_find_the_same_cues_on_real_lines() -> None:
    fast, plain = _engines()
    lines = _lines()
    assert sum(bool(plain.matching(line)) for line in lines) > 100  # the cues do fire
    for line in lines:
        assert fast.matching(line) == plain.matching(line), line


# Where the engines' classes differ: Python's \s also matches \v and \x1c-\x1f, its \w and \b
# are Unicode-aware. Such lines are left to `re`; curly quotes, dashes and emoji are not.
TRICKY = ["great\x0bpost", "great\x1cpost", "great\tpost", "caféyou", "you\u00e9", "naïve i", "ïi", "i\u0301",
          "you²", "great\u2003post", "thanks again—you’re “great” 🙂", "lol…i wrote"]


@pytest.mark.parametrize("line", TRICKY)
def test_lines_where_the_engines_differ_are_left_to_re(line: str) -> None:
    fast, plain = _engines()
    assert fast.matching(line) == plain.matching(line)


# Cue words glued to letters, digits, accents, emoji and odd spaces: where word boundaries and
# Unicode could make the two engines differ.
PIECES = ["you", "i", "great post", "your article", "thanks for sharing", "i wrote", "let me know",
          "comments below", ":)", ";-p", "lol", "haha", "🙂", "😀", "é", "ü", "x", "9", "_", "'", "’",
          " ", "\t", "\u00a0", "\x0b", ".", "!", "?", "-", "my post", "keep up", "hope this helps",
          "—", "…", "“", "”", "²", "\u0301"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join))
def test_re2_and_re_find_the_same_cues_on_generated_lines(line: str) -> None:
    fast, plain = _engines()
    assert fast.matching(line) == plain.matching(line)


def test_line_cues_use_the_shared_set() -> None:
    """linecues.line_cues searches the wording cues and the call to action with one CueSet."""
    assert _LINE_REGEXES.names == tuple(name for name, _ in NAMED)
    assert _LINE_REGEXES.matching("great post, thanks for sharing! let me know :)") == frozenset(
        {"praise_post", "reader", "has_i", "author_self", "emoticon", "call_to_action"}
    )
    assert _LINE_REGEXES.matching("the bridge was closed for repairs") == frozenset()
