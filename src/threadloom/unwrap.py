"""Hard-wrapped paragraphs: lines that a fixed-width client broke inside a paragraph.

Crawled comment sections hold one paragraph per line, except where a commenter's client (mail,
a terminal, some forums) wrapped the text at a fixed width W: then a paragraph arrives as several
lines, each filled to within a word of W. Read line by line, every such line looks like a short
paragraph and the segmentation cuts comments apart, so inference reads each wrapped paragraph as
one logical line, and a comment's `text` joins it back with spaces (the raw lines stay as they
are and spans still name them).

The signs, from the text alone:
- a width: many lines end just short of some W (within `BAND`), nearly all because the next
  line's first word would not have fitted, and almost none run past it (`wrap_width`; code,
  lists of short sentences and a phrase repeated are not evidence of one);
- where a width is found, a line that fills it (and is not shaped like code) goes on into the
  next when the next one's first word would not have fitted, whatever the punctuation, or when
  it stops mid-sentence and the next carries on in lower case (`joins`). A line fills the width
  when it ends within `BAND` of it, or, stopping mid-sentence, short of it by a longer next word
  ("understanding."); and a finished sentence does not go on into a line that addresses someone
  ("Thanks, Rick.", "@joe"): that line opens the next comment;
- where none is found, only that last sign joins lines, and only in a comment's `text`: the
  segmentation weighs it itself (`is_hard_wrap`, the start model's `hard_wrap` feature);
- a blank line ends a paragraph, in a document whose blank lines say something: one that also
  has lines with none between them (plain-text archives put a blank line after each wrapped
  paragraph). Where every line has a blank one after it, blank lines are only spacing
  (`blank_line_breaks`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .cues import ANSWERING_CUES, ends_sentence, first_word, has_code_shape, is_code, mentions, opener_lexicon
from .furniture import is_separator_line

MIN_WIDTH, MAX_WIDTH = 50, 100  # widths clients wrap at (72 and 80 are the common ones)
BAND = 12  # a wrapped line ends within about a word of the width
MIN_FULL_LINES = 6  # lines in the band below W needed to call a document wrapped
CLIFF = 4  # ... and at least this many times as many as in the band just above W
FIT_SHARE = 0.8  # share of the band's lines whose next word would not have fitted
MIN_DISTINCT_LENGTHS = 4  # different lengths among the band's lines
MAX_SENTENCE_END_SHARE = 0.5  # of the band's lines that end a sentence


def is_hard_wrap(previous: str, following: str) -> bool:
    """A long line that stops mid-sentence, followed by a line that carries on in lower case, reads
    as one paragraph wrapped by a fixed-width client rather than as two paragraphs."""
    previous = previous.rstrip()
    following = following.lstrip()
    if len(previous) < 40 or not following or ends_sentence(previous):
        return False
    return following[0].islower()


def wrap_width(texts: Sequence[str]) -> int | None:
    """The width W the document's text was wrapped at, or None. Signs of W: many lines end within
    `BAND` characters short of it, nearly all of them because the next line's first word would not
    have fitted (`FIT_SHARE`), and few lines are just longer than W (`CLIFF`). `texts`: the
    document's lines, stripped (as every caller has them already)."""
    size = MAX_WIDTH + 2
    band = [0] * (size + 1)  # difference arrays over W: lines in the band below W ...
    full = [0] * (size + 1)  # ... and those of them whose next line's first word did not fit
    lengths = [len(text) for text in texts]
    for i, n in enumerate(lengths):
        if n > MAX_WIDTH or n + BAND <= MIN_WIDTH or is_code(texts[i]):
            continue  # code keeps its own line breaks
        band[n] += 1
        band[min(n + BAND, size)] -= 1
        if i + 1 < len(texts):
            following = texts[i + 1].split(None, 1)
            need = n + 1 + len(following[0]) if following else n
            high = min(n + BAND, need, size)  # W in [n, high) leaves the next word no room
            if high > n:
                full[n] += 1
                full[high] -= 1
    candidates: list[tuple[int, int]] = []  # (-score, width)
    in_band = wrapped = 0
    for width in range(size):
        in_band += band[width]
        wrapped += full[width]
        if not MIN_WIDTH <= width <= MAX_WIDTH or wrapped < MIN_FULL_LINES or wrapped < FIT_SHARE * in_band:
            continue
        above = sum(1 for n in lengths if width < n <= width + BAND)
        if wrapped >= CLIFF * (above + 1):
            candidates.append((CLIFF * above - wrapped, width))
    for _, width in sorted(candidates):
        in_band_lines = [text for text, n in zip(texts, lengths, strict=True) if width - BAND < n <= width]
        # A client breaks lines anywhere, mostly mid-sentence, so they fill the band unevenly;
        # a list of short sentences, or a phrase repeated, does neither.
        ends = sum(1 for text in in_band_lines if ends_sentence(text))
        distinct = len({len(text) for text in in_band_lines})
        if ends <= MAX_SENTENCE_END_SHARE * len(in_band_lines) and distinct >= MIN_DISTINCT_LENGTHS:
            return width
    return None


def joins(paragraph: str, last_line: str, following: str, width: int | None) -> bool:
    """Does the line `following` carry on `paragraph` (the paragraph so far, whose last line is
    `last_line`)? Non-blank lines, `last_line` and `following` stripped; `width` from `wrap_width`."""
    if width is None:
        return is_hard_wrap(paragraph, following)
    # In a wrapped document only a full line goes on: a short one (a config line, a paragraph's
    # last line) ends where its writer ended it. Full: within BAND of the width, or, before a word
    # longer than that ("understanding.", a link), short of it by that word, more than half full
    # and stopping mid-sentence.
    next_word = following.split(None, 1)[0]
    n = len(last_line)
    finished = ends_sentence(last_line)
    full = width - BAND < n <= width or (
        width - 1 - len(next_word) < n <= width and n > width // 2 and not finished)
    if not full or has_code_shape(last_line) or has_code_shape(following):
        return False
    if finished and _opens_a_reply(following):
        return False  # "... think." then "Thanks, Rick.": the next comment, not the rest of this one
    return is_hard_wrap(paragraph, following) or n + 1 + len(next_word) > width


def _opens_a_reply(line: str) -> bool:
    """Does `line` open as a reply to someone ("Thanks, Rick.", "Hi Ann,", "Hello all!", "@joe",
    "Rick, ...")? After a finished sentence such a line starts a comment of its own, though the
    line above filled the width. A plain "Thank you for ..." is not one: a comment's last sentence
    often says it."""
    if line.startswith("@") or opener_lexicon(first_word(line)) == "greeting":
        return True
    return any(m.cue in ANSWERING_CUES for m in mentions(line[:80]))


def line_kind(read: str, raw: str) -> bool | None:
    """What `blank_line_breaks` takes for one line: True when inference reads text on it (`read`,
    the line as read), False when it is blank (`raw`, as received) or only a separator ("* * *",
    furniture.is_separator_line), None for neither (a line the repair emptied, or of invisible
    characters only)."""
    if read:
        return True
    stripped = raw.strip()
    return None if stripped and not is_separator_line(stripped) else False


def blank_line_breaks(lines: Iterable[bool | None]) -> list[bool]:
    """For each of a document's lines with text, whether it begins a paragraph because a blank
    line comes before it. `lines`: one per raw line, True when it has text, False when blank, None
    for neither (a line only the repair emptied). A document that spaces every line says nothing
    by it: then no line is a break; blank lines mean something only where some lines have none
    between them."""
    after_blank: list[bool] = []
    blank_before = False
    for has_text in lines:
        if has_text:
            after_blank.append(blank_before)
            blank_before = False
        elif has_text is not None:
            blank_before = True
    if any(after_blank) and not all(after_blank[1:]):
        return after_blank
    return [False] * len(after_blank)


def paragraph_runs(texts: Sequence[str], width: int | None,
                   breaks: Sequence[bool] | None = None) -> list[tuple[int, int]]:
    """(first, last) indices into `texts` (a document's stripped, non-blank lines) of each
    paragraph: when the document is wrapped at `width` (`wrap_width`), a run of lines `joins` puts
    together, never across a break (`blank_line_breaks`, one flag per line); else one line each
    (the segmentation weighs a lone `is_hard_wrap` itself)."""
    if width is None:
        return [(i, i) for i in range(len(texts))]
    runs: list[tuple[int, int]] = []
    paragraph = ""
    for i, text in enumerate(texts):
        if runs and not (breaks and breaks[i]) and joins(paragraph, texts[i - 1], text, width):
            runs[-1] = (runs[-1][0], i)
            paragraph += " " + text
        else:
            runs.append((i, i))
            paragraph = text
    return runs


def paragraphs(texts: Sequence[str], width: int | None,
               breaks: Sequence[bool] | None = None) -> list[tuple[int, int, str]]:
    """Each paragraph of `texts` (as `paragraph_runs` finds them) as (first, last, its text): a
    wrapped paragraph's lines joined into one line by spaces, a lone line as it is."""
    return [
        (first, last, texts[first] if first == last else " ".join(texts[first : last + 1]))
        for first, last in paragraph_runs(texts, width, breaks)
    ]
