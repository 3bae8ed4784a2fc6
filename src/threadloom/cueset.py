"""Several cue regexes over one line in one pass: which of them match.

The line cues (linecues.line_cues) search every line of a document with a handful of regexes,
each a scan of the line by Python's `re` (~2 us each). google-re2's `Set`, when installed (the
`fast` extra), runs them all as one automaton: ~1 us for the lot. RE2 differs from `re` in ways
that matter only outside printable ASCII (its `\\b`, `\\w` and `\\s` are ASCII-only, and it has
no look-behind, which `cues.at_word_start` writes only as a speed-up of `\\b`), so RE2 answers
for printable lines whose characters outside ASCII are none of `re`'s word characters (curly
quotes, dashes, emoji: not word characters, nor spaces, for either engine) and `re` for the
others: the same matches either way (a test checks both engines on every line of the test
threads and on generated lines).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

# `x(?<!\wx)` (cues.at_word_start) is `\bx`; RE2 spells a code point `\x{...}`, not `\U...`.
_LOOK_BEHIND_RE = re.compile(r"(\[[^\]]+\]|\w)\(\?<!\\w(?:\[[^\]]+\]|\w)\)")
_CODE_POINT_RE = re.compile(r"\\U([0-9A-Fa-f]{8})")


def re2_pattern(pattern: str) -> str:
    """The same regex in RE2's syntax (for the constructs the cue regexes use)."""
    pattern = _LOOK_BEHIND_RE.sub(r"\\b\1", pattern)
    return _CODE_POINT_RE.sub(lambda m: "\\x{" + m.group(1).lstrip("0") + "}", pattern)


def _compile_set(regexes: Sequence[re.Pattern[str]]) -> Any:
    """An RE2 Set of these regexes, or None without google-re2, or if one has flags or a construct
    that RE2 lacks (then `re` alone answers)."""
    if any(regex.flags & ~re.UNICODE for regex in regexes):
        return None
    try:
        import re2  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        return None
    try:
        found = re2.Set.SearchSet(re2.Options())
        for regex in regexes:
            found.Add(re2_pattern(regex.pattern))
        found.Compile()
    except Exception:
        return None
    return found


# A character outside ASCII that `re` reads as a word character (RE2's `\w` and `\b` do not).
_WIDE_WORD_CHAR_RE = re.compile(r"[^\W\x00-\x7f]")


def _same_for_re2(text: str) -> bool:
    """RE2 finds what `re` finds in `text`: it is printable (no space but " ": the engines' `\\s`
    differ on the others) and holds no word character outside ASCII."""
    return text.isprintable() and (text.isascii() or not _WIDE_WORD_CHAR_RE.search(text))


class CueSet:
    """Named regexes searched together: `matching(text)` gives the names of those that match."""

    def __init__(self, named: Sequence[tuple[str, re.Pattern[str]]], use_re2: bool = True) -> None:
        self.names = tuple(name for name, _ in named)
        self.regexes = tuple(regex for _, regex in named)
        self._set = _compile_set(self.regexes) if use_re2 else None

    @property
    def uses_re2(self) -> bool:
        return self._set is not None

    def matching(self, text: str) -> frozenset[str]:
        if self._set is not None and _same_for_re2(text):
            hits = self._set.Match(text)
            return frozenset(self.names[i] for i in hits) if hits else frozenset()
        pairs = zip(self.names, self.regexes, strict=True)
        return frozenset(name for name, regex in pairs if regex.search(text))
