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

# How a step's changes are located (`_opcodes`): a changed stretch up to this many characters (old
# and new together) is diffed exactly. SequenceMatcher's cost grows faster than the square of the
# length (about its cube on repetitive text), so a longer stretch is first cut where the two texts
# agree again (`_local_opcodes`), and a block longer than this between two such places is recorded
# as one change.
_EXACT_DIFF_CHARS = 200
# Where the texts agree again after a change (`_resync`): first the nearest place where 8
# characters match, looked for within 64 then 256 characters (a mojibake sequence is a few
# characters, and the text around it is unchanged); failing that (a whole stretch re-decoded,
# e.g. Cyrillic read as Windows-1252, where only the spaces and ASCII punctuation survive), the
# nearest single matching character, within up to 4,096; beyond, the rest is one changed block.
# Within such a stretch, the next change is sought by single characters straight away.
SyncSteps = tuple[tuple[int, int], ...]  # (characters that must match, how far to look)
_SYNC_STEPS: SyncSteps = ((8, 64), (8, 256), (1, 64), (1, 256), (1, 1_024), (1, 4_096))
_SINGLE_CHARACTER_STEPS: SyncSteps = tuple(step for step in _SYNC_STEPS if step[0] == 1)


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
    long line with one small change is cheap, and a long changed middle is cut where the texts
    agree again before it is diffed (`_local_opcodes`)."""
    prefix = _common_length(old, 0, new, 0)
    suffix = _common_suffix_length(old, new, min(len(old), len(new)) - prefix)
    old_mid, new_mid = old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]
    if prefix:
        yield "equal", 0, prefix, 0, prefix
    for tag, i1, i2, j1, j2 in _local_opcodes(old_mid, new_mid):
        yield tag, i1 + prefix, i2 + prefix, j1 + prefix, j2 + prefix
    if suffix:
        yield "equal", len(old) - suffix, len(old), len(new) - suffix, len(new)


def _local_opcodes(old: str, new: str) -> Iterator[tuple[str, int, int, int, int]]:
    """Edit script of a changed middle. A short one is diffed exactly. A long one is walked: the
    encoding fixes change a few characters at a time, so after each difference the texts agree
    again nearby; the nearest such place (`_resync`) ends a changed block, which is diffed exactly.
    About linear in the length, where SequenceMatcher alone took seconds on a few thousand
    characters."""
    if len(old) + len(new) <= _EXACT_DIFF_CHARS:
        yield from _exact_opcodes(old, new, 0, 0)
        return
    i = j = 0
    steps = _SYNC_STEPS
    while i < len(old) and j < len(new):
        same = _common_length(old, i, new, j)
        if same:
            yield "equal", i, i + same, j, j + same
            i, j = i + same, j + same
            if same >= _SYNC_STEPS[0][0]:
                steps = _SYNC_STEPS  # out of a re-decoded stretch: look for a long match first
            continue
        sync = _resync(old, new, i, j, steps)
        if sync is None:
            break
        a, b, length = sync
        yield from _exact_opcodes(old[i:a], new[j:b], i, j)
        i, j = a, b
        if length == 1:  # inside a re-decoded stretch: its next change is as dense
            steps = _SINGLE_CHARACTER_STEPS
    if i < len(old) or j < len(new):
        yield from _exact_opcodes(old[i:], new[j:], i, j)


def _exact_opcodes(old: str, new: str, i: int, j: int) -> Iterator[tuple[str, int, int, int, int]]:
    """SequenceMatcher's edit script of a changed block at old[i:], new[j:]; one changed block
    when it is too long to diff."""
    if len(old) + len(new) > _EXACT_DIFF_CHARS:
        yield "replace", i, i + len(old), j, j + len(new)
        return
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        yield tag, i1 + i, i2 + i, j1 + j, j2 + j


def _common_length(old: str, i: int, new: str, j: int) -> int:
    """How many characters old[i:] and new[j:] share at their start (compared a chunk at a time)."""
    n = 0
    limit = min(len(old) - i, len(new) - j)
    step = 64
    while n < limit:
        if old[i + n : i + n + step] == new[j + n : j + n + step]:
            n += step
            continue
        while n < limit and old[i + n] == new[j + n]:
            n += 1
        return n
    return limit


def _common_suffix_length(old: str, new: str, limit: int) -> int:
    """How many characters, up to `limit`, old and new share at their end."""
    return min(_common_length(old[::-1], 0, new[::-1], 0), limit)


def _resync(old: str, new: str, i: int, j: int, steps: SyncSteps) -> tuple[int, int, int] | None:
    """The nearest (a, b), fewest characters skipped in all, where old[a:] and new[b:] agree again
    for `length` characters (the first of `steps` that finds one; or both end), given old[i] !=
    new[j], as (a, b, length); None if there is none."""
    for length, window in steps:
        best: tuple[int, int, int] | None = None
        skipped = window * 2 + 1  # more than any place found can skip
        for a in range(i, min(i + window, len(old)) + 1):
            if a - i > skipped:
                break  # every place from here on skips more
            probe = old[a : a + length]
            if len(probe) < length:  # at the end of old: the rest must end new too
                b = len(new) - len(probe)
                found = j <= b <= j + window and new[b:] == probe
            else:
                b = new.find(probe, j, j + window + length)
                found = b >= 0
            if found and a - i + b - j < skipped:
                best, skipped = (a, b, length), a - i + b - j
        if best is not None:
            return best
    return None


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
