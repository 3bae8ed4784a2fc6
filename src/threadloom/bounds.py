"""The view of a document that structure inference reads, and its bounds.

Structure inference reads at most INFERENCE_LINE_CHARS characters of each line: the head and the
tail, where its cues are (greetings, names, signatures), so a hostile document (one 50 MB line,
say) does not cost minutes and gigabytes. It reads every line without the whitespace around it,
as segmentation always did, with every other kind of space inside it (a no-break space, a tab, a
thin space) read as a plain one, invisible characters (a soft hyphen, a zero-width space)
dropped, HTML entities a crawl left undecoded ("I&#8217;m") decoded,
curly quotes and apostrophes as straight ones, and accents written as combining marks composed
(NFC): an extractor that indents the page or writes "Thanks,&nbsp;Steve.", or a blog that shows
"I'm" as "I’m" (WordPress does, on display), must not hide a salutation, a signature or an
opening from models trained on typed text. A line of a comment widget's links ("Reply", "Reply
Share ›") or a comment's header ("Paul says:", "March 3, 2013 at 10:14 am"), which some crawls
keep with every comment, is read as empty: it is nobody's words, and it says where a comment ended
or begins (structure.text_lines). Nothing is
cut from the dataset, and its typography is not touched: the Thread that comes back carries
every line whole, and all text and offsets come from those.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from .furniture import comment_header, is_furniture_line, lone_name
from .model import Thread

INFERENCE_LINE_CHARS = 20_000
# Every whitespace character but the line ends, to a plain space; curly quotes to straight ones
# (one for one); invisible format characters dropped ("Th\u00adanks" reads "Thanks"). The spaces
# are all below U+3001 (the last is the ideographic space): a scan of every code point would cost
# ~40 ms at import.
_PLAIN = {
    **{c: " " for c in range(0x3001) if chr(c).isspace() and chr(c) not in " \n\r"},
    **{ord(c): "'" for c in "‘’‚‛′"},
    **{ord(c): '"' for c in "“”„‟″"},
    # invisible: soft hyphen, zero-width space and joiners, word joiner, BOM, direction marks
    **{c: None for c in (0xAD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x200E, 0x200F,
                         *range(0x202A, 0x202F), *range(0x2066, 0x206A))},
}


def viewed_text(text: str) -> str:
    """One line as inference reads it (the module's docstring)."""
    text = plain_text(text)
    if len(text) <= 100 and is_furniture_line(text):
        return ""  # a widget's "Reply", a header's "Paul says:": not anyone's words (structure.text_lines)
    if len(text) > INFERENCE_LINE_CHARS:
        half = INFERENCE_LINE_CHARS // 2
        text = text[:half] + " " + text[-half:]
    return text


def plain_text(text: str) -> str:
    """The line stripped, its entities decoded, its spaces plain, its quotes straight and its
    accents composed: what viewed_text reads (and what the page furniture is recognised in)."""
    if "&" in text and ";" in text:  # "I&#8217;m", "Thanks,&nbsp;Steve": entities a crawl left
        text = html.unescape(text)
    # Most lines hold nothing to translate: ASCII, and no space but " " (the others are unprintable).
    if not text.isascii() or not text.isprintable():
        text = text.translate(_PLAIN)
        if not unicodedata.is_normalized("NFC", text):  # "e" + U+0301 reads as "é"
            text = unicodedata.normalize("NFC", text)
    return text.strip()


def header_name_lines(raws: Sequence[str], texts: list[str]) -> list[int]:
    """The indexes of lines that hold a name and nothing else right above a dated comment header
    with no name in it ("Paul Smith", then "March 3, 2013 at 10:14 am"): the header's first line,
    where a theme shows the writer's name and the date on lines of their own. `raws`: the lines as
    received; `texts`: as viewed_text reads them. Only when at least two of the thread's dated
    headers, and two in three, have one: a signature that ends a comment above one date header
    stays the comment's."""
    names: list[int] = []
    dated = 0
    for i in [i for i, text in enumerate(texts) if not text]:  # the lines not read: few
        if not raws[i].strip():
            continue  # a blank line
        found = comment_header(plain_text(raws[i]))
        if found is not None and found.name is None:
            dated += 1
            above = i - 1  # the line read last before it, over blank lines only
            while above >= 0 and not texts[above] and not raws[above].strip():
                above -= 1
            if above >= 0 and texts[above] and lone_name(texts[above]) is not None:
                names.append(above)
    return names if len(names) >= 2 and 3 * len(names) >= 2 * dated else []


def inference_view(thread: Thread) -> Thread:
    """The Thread structure inference sees: every line as `viewed_text` gives it (stripped, its
    entities decoded, its spaces plain, its quotes straight, its accents composed, its head and
    tail when longer than INFERENCE_LINE_CHARS). Put the full lines back into the result with
    `with_lines_of`."""
    texts = [viewed_text(line.text) for line in thread.lines]
    for i in header_name_lines([line.raw for line in thread.lines], texts):
        texts[i] = ""  # "Paul Smith" over "March 3, 2013": the header's first line
    if all(text == line.text for text, line in zip(texts, thread.lines, strict=True)):
        return thread
    lines = tuple(line if text == line.text else replace(line, text=text)
                  for text, line in zip(texts, thread.lines, strict=True))
    view = replace(thread, lines=lines)
    # the width a client wrapped at is the raw text's (decoded entities make a line shorter)
    view.__dict__["wrap_width"] = thread.wrap_width
    return view


def with_lines_of(inferred: Thread, original: Thread) -> Thread:
    """The inferred structure with the original, whole lines (and the layout found on the view,
    the same for both: the wrap width and the paragraph breaks, not scanned for again)."""
    if inferred.lines is original.lines:
        return inferred
    unread = frozenset(line.number for line, seen in zip(original.lines, inferred.lines, strict=True)
                       if not seen.text and line.text.strip())
    return replace(inferred, lines=original.lines, unread_lines=unread).with_layout_of(inferred)
