"""The proof behind the repair's fast path: pure-ASCII lines skip ftfy (repair.py), which is
exact only if no repair step can change an ASCII line. `ascii_skip_mismatches` runs every step on
every ASCII line of the given texts and returns the lines a step would have changed (none, if the
fast path gives output identical to running the repair on everything)."""

from __future__ import annotations

from collections.abc import Iterable

from ..repair import STEPS, split_raw_lines


def ascii_skip_mismatches(texts: Iterable[str]) -> tuple[int, list[str]]:
    """(ASCII lines checked, the lines some repair step changes)."""
    checked = 0
    changed: list[str] = []
    for text in texts:
        for _, line in split_raw_lines(text):
            if not line.isascii():
                continue
            checked += 1
            current = line
            for step in STEPS:
                current, _ = step(current)
            if current != line:
                changed.append(line)
    return checked, changed
