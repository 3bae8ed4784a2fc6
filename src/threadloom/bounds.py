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

from .furniture import (
    comment_header,
    is_comment_number,
    is_comments_heading,
    is_furniture_line,
    is_widget_line,
    is_widget_word,
    lone_name,
)
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


def viewed_texts(texts: Sequence[str], raws: Sequence[str]) -> list[str]:
    """Every line of a document as inference reads it: `viewed_text` of each of `texts`, and the
    lines that are furniture where they stand emptied (`furniture_in_context`; `raws`: the lines
    as received). The inference view and triage read a page through it."""
    viewed = [viewed_text(text) for text in texts]
    for i in furniture_in_context(raws, viewed):
        viewed[i] = ""  # "Paul Smith" over "March 3, 2013": the header's first line; "Like" by "Reply"
    return viewed


def furniture_in_context(raws: Sequence[str], texts: list[str]) -> list[int]:
    """The indexes of lines that read as text but are page furniture where they stand: a comment
    header's first lines, where a theme gives the header's parts lines of their own (a name alone
    over a dated header with no name in it: "Paul Smith", then "March 3, 2013 at 10:14 am"; a
    comment's number over a header or over such a name: "#12"; a name alone between a widget's
    line and the comment's words: "Like · Reply · 3y", then "Paul Smith", as Facebook's comment
    box shows them), and a widget's words beside its line ("Reply", then "Like"). `raws`: the
    lines as received; `texts`: as viewed_text reads them. Each kind of header part only when at
    least two of the places it may stand, and two in three, have one: a signature that ends a
    comment above one date header stays the comment's, as a one-word comment after a "Reply"
    stays a comment."""
    names: list[int] = []
    numbers: list[int] = []
    after_widgets: list[int] = []
    widget_words: list[int] = []
    headers: set[int] = set()  # the header lines met so far
    dated = headed = widgets = 0
    for i in [i for i, text in enumerate(texts) if not text]:  # the lines not read: few
        if not raws[i].strip():
            continue  # a blank line
        plain = plain_text(raws[i])
        found = comment_header(plain)
        if found is None:
            if is_widget_line(plain):
                above, below = _last_read(raws, texts, i), _next_read(raws, texts, i)
                widget_words += [k for k in (above, below)
                                 if k is not None and texts[k] and is_widget_word(texts[k])]
                if below is not None and not is_widget_word(texts[below]):
                    widgets += 1  # a widget's line with words under it: a name may open them
                    if _next_read(raws, texts, below) is not None and lone_name(texts[below]) is not None:
                        after_widgets.append(below)
            continue
        headers.add(i)
        above = _last_read(raws, texts, i)
        if above in headers:
            continue  # the header's second line ("Paul says:", then the date)
        headed += 1
        if found.name is None:
            dated += 1
            if above is not None and texts[above] and lone_name(texts[above]) is not None:
                names.append(above)
                above = _last_read(raws, texts, above)
        if above is not None and texts[above] and is_comment_number(texts[above]):
            numbers.append(above)
    names = names if most_places(len(names), dated) else []
    if most_places(len(after_widgets), widgets):
        after_widgets += _name_under_heading(texts, after_widgets[0])
    else:
        after_widgets = []
    numbers = numbers if most_places(len(numbers), headed) else []
    return sorted({*names, *numbers, *after_widgets, *widget_words})


def _name_under_heading(texts: list[str], second: int) -> list[int]:
    """The first comment's name, where a name under a widget's line opens every other one: the
    first name alone with words under it below the section's counted heading ("5 Comments") and
    its bar ("Sort by Oldest"), above the second comment's name."""
    heading = next((k for k in range(second - 1, -1, -1) if texts[k] and is_comments_heading(texts[k])), None)
    if heading is None:
        return []
    below = next((k for k in range(heading + 1, second) if texts[k]), None)
    after = next((k for k in range(below + 1, second) if texts[k]), None) if below is not None else None
    return [below] if below is not None and after is not None and lone_name(texts[below]) is not None else []


def most_places(found: int, places: int) -> bool:
    """Found at two places at least, and at two in three of them: how often a page's furniture
    must show a convention before it is read as one (here, and for the post author's name in
    speakers.named_by_headers)."""
    return found >= 2 and 3 * found >= 2 * places


def _last_read(raws: Sequence[str], texts: list[str], i: int) -> int | None:
    """The line read last before line i, over blank lines only."""
    above = i - 1
    while above >= 0 and not texts[above] and not raws[above].strip():
        above -= 1
    return above if above >= 0 else None


def _next_read(raws: Sequence[str], texts: list[str], i: int) -> int | None:
    """The first line with text after line i, over blank lines only (None at a furniture line or
    the end)."""
    below = i + 1
    while below < len(texts) and not texts[below] and not raws[below].strip():
        below += 1
    return below if below < len(texts) and texts[below] else None


def inference_view(thread: Thread) -> Thread:
    """The Thread structure inference sees: every line as `viewed_text` gives it (stripped, its
    entities decoded, its spaces plain, its quotes straight, its accents composed, its head and
    tail when longer than INFERENCE_LINE_CHARS). Put the full lines back into the result with
    `with_lines_of`."""
    texts = viewed_texts([line.text for line in thread.lines], [line.raw for line in thread.lines])
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
    # the lines the view emptied as furniture: a line of invisible characters only ("\u00a0\ufeff")
    # is emptied too, but it is nobody's furniture, and its text stays where it is
    unread = frozenset(line.number for line, seen in zip(original.lines, inferred.lines, strict=True)
                       if not seen.text and plain_text(line.text))
    return replace(inferred, lines=original.lines, unread_lines=unread).with_layout_of(inferred)
