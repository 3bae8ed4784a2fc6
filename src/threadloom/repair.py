"""Encoding repair: undo mojibake, keep real typography, record every change.

ftfy runs with a deliberate configuration: only the fixes that undo a wrong decoding are on.
Everything that would normalise genuine text (uncurling quotes, NFC, ligatures, full-width
characters, HTML entities, line breaks, control characters) is off. On top of ftfy, rules for
damage ftfy leaves behind in crawled text (see STRAY_RULES).

Work is per line and pure-ASCII lines skip ftfy entirely: none of the enabled fixes can change
ASCII text, so the output is identical to running ftfy on everything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from difflib import SequenceMatcher

import ftfy
from ftfy import TextFixerConfig

from .model import Line, Repair

FTFY_CONFIG = TextFixerConfig(
    unescape_html=False,  # "&amp;" in pasted code or prose is what the author wrote
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,  # curly quotes are real typography
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,  # NFC/NFKC would silently change legitimate text
    explain=True,
)

# A mis-decoded no-break space (bytes C2 A0 read as Latin-1: "Â" + NBSP) whose NBSP was later
# turned into an ordinary space or stripped leaves a lone "Â" before a space or at a line end.
# Legitimate "Â" starts or sits inside a word ("Âge", "ÎNTÂI"), so it is left alone when a letter
# follows, and also when an upper-case letter precedes it (an all-caps word ending in "Â").
_STRAY_A_CIRCUMFLEX = re.compile(r"Â(?= |\r?$)")


def remove_stray_a_circumflex(text: str) -> str:
    def keep_or_drop(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() else ""
        return match.group() if before.isupper() else ""

    return _STRAY_A_CIRCUMFLEX.sub(keep_or_drop, text)


def fix_with_ftfy(text: str) -> tuple[str, str]:
    fixed, steps = ftfy.fix_and_explain(text, config=FTFY_CONFIG)
    names = "+".join(f"{step.action}:{step.parameter}" for step in steps or ())
    return fixed, f"ftfy({names})" if names else "ftfy"


def _stray_rule(text: str) -> tuple[str, str]:
    return remove_stray_a_circumflex(text), "stray_a_circumflex"


def _byte_order_mark_rule(text: str) -> tuple[str, str]:
    """A byte order mark (U+FEFF) at the start of a line is an encoding artefact (the file's BOM,
    or one left where files were concatenated), not text; the raw file keeps it."""
    return text.lstrip("\ufeff"), "byte_order_mark"


# Applied in order; each returns the new text and the rule name recorded with its changes.
# The BOM rule runs after ftfy, which turns a mis-decoded BOM ("ï»¿") back into U+FEFF.
STEPS: tuple[Callable[[str], tuple[str, str]], ...] = (fix_with_ftfy, _byte_order_mark_rule, _stray_rule)

# Lines longer than this are diffed as one changed block rather than character by character.
_MAX_DIFF_CHARS = 20_000


def repair_line(raw: str, number: int, raw_char_start: int) -> Line:
    """Repair one raw line (without its line end); record each change with its raw offsets."""
    if raw.isascii():
        return Line(number, raw_char_start, raw, raw)
    text = raw
    # raw offset (within the line) of each character of `text`; a range until a step changes it
    origin: list[int] | range = range(len(raw))
    repairs: list[Repair] = []
    for step in STEPS:
        new, rule = step(text)
        if new == text:
            continue
        new_origin: list[int] = []
        for tag, i1, i2, j1, j2 in _opcodes(text, new):
            if tag == "equal":
                new_origin.extend(origin[i1:i2])
                continue
            start = origin[i1] if i1 < len(origin) else len(raw)
            end = origin[i2 - 1] + 1 if i2 > i1 else start
            repairs.append(
                Repair(number, raw_char_start + start, raw_char_start + end, text[i1:i2], new[j1:j2], rule)
            )
            new_origin.extend([start] * (j2 - j1))
        text, origin = new, new_origin
    return Line(number, raw_char_start, raw, text, tuple(repairs))


def _opcodes(old: str, new: str) -> Iterator[tuple[str, int, int, int, int]]:
    """Character-level edit script; the common prefix and suffix are trimmed first so that a
    long line with one small change is cheap, and very long changed blocks are not diffed."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    old_mid, new_mid = old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]
    if prefix:
        yield "equal", 0, prefix, 0, prefix
    if len(old_mid) + len(new_mid) > _MAX_DIFF_CHARS:
        yield "replace", prefix, prefix + len(old_mid), prefix, prefix + len(new_mid)
    else:
        matcher = SequenceMatcher(None, old_mid, new_mid, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            yield tag, i1 + prefix, i2 + prefix, j1 + prefix, j2 + prefix
    if suffix:
        yield "equal", len(old) - suffix, len(old), len(new) - suffix, len(new)


_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|\Z)")


def split_raw_lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, content) of each line. A line ends at "\\r\\n", "\\n" or a lone "\\r" (universal
    newlines, so CR-only files from old Macs split into their lines); the line end is not part of
    the content. A final line end does not start another line."""
    offset = 0
    while True:
        match = _LINE.match(text, offset)
        assert match is not None  # the pattern matches at every offset
        yield offset, match.group(1)
        offset = match.end()
        if not match.group(2) or offset == len(text):
            return


def repair_text(text: str) -> tuple[Line, ...]:
    """Every line of a raw document, as received and repaired."""
    return tuple(
        repair_line(content, number, offset)
        for number, (offset, content) in enumerate(split_raw_lines(text), start=1)
    )
