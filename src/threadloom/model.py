"""The one data model that flows through every stage: a Thread holding Lines, Comments, Speakers.

Stages never edit a Thread in place: each takes a Thread and returns a new one
(``dataclasses.replace``), so any stage can be run, tested or swapped on its own.

Conventions used everywhere:
- line numbers are 1-based and inclusive, counted in the raw file (``raw_line_*``);
- character offsets are 0-based code-point offsets into the decoded raw text, end exclusive;
- every inferred value carries a ``Decision``: a confidence in [0, 1] and its evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from . import unwrap


@dataclass(frozen=True)
class Repair:
    """One change made to the raw text by the encoding repair."""

    raw_line: int  # 1-based line of the raw file
    raw_char_start: int  # 0-based offset of `before` in the raw text
    raw_char_end: int  # exclusive
    before: str
    after: str
    rule: str  # which rule made the change, e.g. "ftfy:fix_encoding" or "stray_a_circumflex"


@dataclass(frozen=True)
class Line:
    """One line of the raw document, as received and as repaired."""

    number: int  # 1-based
    raw_char_start: int  # offset of the line's first character in the raw text
    raw: str  # as received, without its line end
    text: str  # after encoding repair
    repairs: tuple[Repair, ...] = ()

    @property
    def raw_char_end(self) -> int:
        return self.raw_char_start + len(self.raw)

    @property
    def is_blank(self) -> bool:
        # Nothing in it, as received nor as repaired: a line that only the repair empties (a lone
        # stray "Â") still belongs to a span, so its repair is recorded in a row and no raw text is
        # unaccounted for; and so does one that only the repair fills (a lone C1 "\x85", which
        # Python counts as whitespace, repaired to "…"), as inference reads it.
        return not self.raw.strip() and not self.text.strip()


@dataclass(frozen=True)
class Decision:
    """An inferred value's confidence in [0, 1] and the cues that support it."""

    confidence: float
    evidence: tuple[str, ...] = ()


UNDECIDED = Decision(0.0, ("not inferred",))


@dataclass(frozen=True)
class Comment:
    """One comment: a run of raw lines, its parent, and who wrote it."""

    position: int  # 0-based display order within the thread
    raw_line_start: int  # 1-based, inclusive
    raw_line_end: int  # 1-based, inclusive
    boundary: Decision = UNDECIDED
    parent: int | None = None  # position of the parent comment; None = a reply to the post
    parent_decision: Decision = UNDECIDED
    speaker_key: str = ""  # key of a Speaker of the same thread
    speaker_decision: Decision = UNDECIDED
    is_post_author: bool = False
    post_author_decision: Decision = UNDECIDED
    published: str | None = None  # when it was written, as its header or footer says (dates.py)
    published_evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Speaker:
    """A person in one thread: named from the text or metadata, or anonymous."""

    key: str  # unique within the thread, readable: "post-author", "name-steve", "anon-3"
    name: str | None  # None when the text never names them
    is_post_author: bool
    name_decision: Decision = UNDECIDED


@dataclass(frozen=True)
class Thread:
    """One raw document turned into a conversation."""

    thread_id: str
    source_file: str  # path of the raw file relative to the raw directory, POSIX separators
    source_sha256: str
    raw_text: str
    lines: tuple[Line, ...]
    metadata: dict[str, Any] = field(default_factory=dict)
    article_line_end: int = 0  # last raw line of the article; 0 = the document has no article
    article_decision: Decision = UNDECIDED
    comments: tuple[Comment, ...] = ()
    speakers: tuple[Speaker, ...] = ()
    # Lines with text that inference did not read as anyone's words: page furniture ("Reply", "Paul
    # says:", a reply form's "Name *"), a header's name line (bounds.inference_view). Spans cover
    # them; `content_text` leaves them out at a span's edges. (A line of characters that show
    # nothing is not read either, but it is no furniture: its text stays in the span's.)
    unread_lines: frozenset[int] = frozenset()

    @property
    def repairs(self) -> tuple[Repair, ...]:
        return tuple(r for line in self.lines for r in line.repairs)

    def line(self, number: int) -> Line:
        """The raw line with this 1-based number."""
        return self.lines[number - 1]

    def last_non_blank(self, first: int, last: int) -> int:
        """The last non-blank raw line of first..last, or `first` when all are blank."""
        return next((n for n in range(last, first - 1, -1) if not self.line(n).is_blank), first)

    @cached_property
    def wrap_width(self) -> int | None:
        """The width a client hard-wrapped this document's paragraphs at, if any (unwrap.py)."""
        return unwrap.wrap_width([text for line in self.lines if (text := line.text.strip())])

    @cached_property
    def paragraph_breaks(self) -> frozenset[int]:
        """Numbers of the lines that begin a paragraph because a blank line comes before them, in a
        document whose blank lines say so (`unwrap.blank_line_breaks`): no wrapped paragraph is
        joined across one."""
        kinds = [unwrap.line_kind(line.text.strip(), line.raw) for line in self.lines]
        numbers = [line.number for line, kind in zip(self.lines, kinds, strict=True) if kind]
        breaks = unwrap.blank_line_breaks(kinds)
        return frozenset(n for n, brk in zip(numbers, breaks, strict=True) if brk)

    def with_structure(self, **changes: Any) -> Thread:
        """`dataclasses.replace` for changes that keep the lines: the new Thread keeps the wrap
        width and paragraph breaks already found (a new instance would scan every line again)."""
        if "lines" in changes:
            raise ValueError("with_structure keeps the lines: use dataclasses.replace")
        return replace(self, **changes).with_layout_of(self)

    def with_layout_of(self, other: Thread) -> Thread:
        """This Thread, given the layout `other` found already (the wrap width and the paragraph
        breaks, when computed): for a Thread of the same lines, or of a view of them (bounds.py)."""
        for name in ("wrap_width", "paragraph_breaks"):
            if name in other.__dict__:  # computed: cached_property keeps it in __dict__
                self.__dict__[name] = other.__dict__[name]
        return self

    def span_text(self, start: int, end: int) -> str:
        """Repaired text of raw lines start..end (1-based, inclusive): non-blank lines joined by
        newlines, except that a paragraph a client hard-wrapped is joined back by spaces."""
        parts: list[str] = []
        previous = ""  # the last non-blank line, stripped
        width = self.wrap_width
        breaks = self.paragraph_breaks
        for line in self._lines_between(start, end):
            text = line.text.rstrip("\r")
            stripped = text.strip()
            if not stripped:
                continue
            if parts and line.number not in breaks and unwrap.joins(parts[-1], previous, stripped, width):
                parts[-1] = parts[-1].rstrip() + " " + text.lstrip()
            else:
                parts.append(text)
            previous = stripped
        return "\n".join(parts)

    def content_text(self, start: int, end: int) -> str:
        """`span_text` of the span's words: the unread lines at its edges left out (a comment's
        header above it, a widget's "Reply" or a reply form below it). One inside stays: there it
        may be quoted ("Comments are closed." in a pasted template)."""
        first, last = start, end
        if self.unread_lines:
            while first < last and (first in self.unread_lines or self.line(first).is_blank):
                first += 1
            while last > first and (last in self.unread_lines or self.line(last).is_blank):
                last -= 1
            if first == last and first in self.unread_lines:
                first, last = start, end  # nothing but furniture (a reviewer's span): kept whole
        return self.span_text(first, last)

    def _lines_between(self, start: int, end: int) -> Sequence[Line]:
        """`self.line(n)` for n in start..end: a slice when both are line numbers of the thread."""
        if start >= 1 and end <= len(self.lines):
            return self.lines[start - 1 : end]
        return [self.line(number) for number in range(start, end + 1)]  # as line() reads them

    def speaker(self, key: str) -> Speaker:
        for speaker in self.speakers:
            if speaker.key == key:
                return speaker
        raise KeyError(key)


