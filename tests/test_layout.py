"""The structure inferred from a document does not depend on its layout: line ends, blank lines
between paragraphs, a byte-order mark, whitespace around every line (an extractor that indents
the whole page), other spaces than the plain one inside lines (no-break spaces, tabs), curly
quotes for straight ones, accents written as combining marks, HTML entities left undecoded, or
invisible characters (soft hyphens, zero-width spaces) give the same article, comments, parents,
speakers and confidences."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pytest

from threadloom import bounds
from threadloom.model import Decision, Thread
from threadloom.pipeline import process_text
from threads import BREAD, KAYAK, ROSES, make_thread

LAYOUTS: dict[str, Callable[[str], str]] = {
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "blank-lines-between": lambda text: text.replace("\n", "\n\n"),
    "byte-order-mark": lambda text: "\ufeff" + text,
    "indented-by-spaces": lambda text: "\n".join("    " + line for line in text.split("\n")),
    "indented-by-a-tab": lambda text: "\n".join("\t" + line for line in text.split("\n")),
    "no-break-space-indent": lambda text: "\n".join("\u00a0" + line for line in text.split("\n")),
    "trailing-spaces": lambda text: "\n".join(line + "   " for line in text.split("\n")),
    "no-break-spaces-inside": lambda text: text.replace(" ", "\u00a0"),
    "no-break-space-after-commas": lambda text: text.replace(", ", ",\u00a0"),
    "tabs-inside": lambda text: text.replace(" ", "\t"),
    # WordPress curls quotes and apostrophes on display: a crawl of it reads "I’m" and “so”
    "curly-quotes": lambda text: text.replace("'", "’").replace(' "', " “").replace('" ', "” "),
    "decomposed-accents": lambda text: unicodedata.normalize("NFD", text),
    # a crawl that kept the HTML entities of the page
    "html-entities": lambda text: text.replace("'", "&#8217;").replace(", ", ",&nbsp;"),
    # zero-width spaces and soft hyphens an editor or a hyphenator left in
    "invisible-characters": lambda text: re.sub(r"\b(\w{4})(\w{4,})", "\\1\u00ad\\2",
                                                text.replace(" ", " \u200b")),
}
DOCUMENTS = {"roses": ROSES, "bread": BREAD, "kayak": KAYAK}
LINE_NUMBER = re.compile(r"\blines? \d+")


def unnumbered(decision: Decision) -> Decision:
    """The decision with raw line numbers in its evidence blanked: blank lines move them."""
    return Decision(decision.confidence, tuple(LINE_NUMBER.sub("line N", e) for e in decision.evidence))


def structure(thread: Thread) -> list[tuple[object, ...]]:
    """What inference decided, without line numbers or offsets (the layouts move those)."""
    def words(start: int, end: int) -> str:  # as inference reads them: the layouts change the text
        return " ".join(bounds.viewed_text(thread.span_text(start, end)).split())

    names = {s.key: s.name for s in thread.speakers}
    article = ("article", words(1, thread.article_line_end), unnumbered(thread.article_decision))
    rows: list[tuple[object, ...]] = [article]
    for c in thread.comments:
        decisions = (c.boundary, c.parent_decision, c.post_author_decision, c.speaker_decision)
        text = words(c.raw_line_start, c.raw_line_end)
        rows.append((text, c.parent, c.is_post_author, names[c.speaker_key], *map(unnumbered, decisions)))
    return rows


@pytest.mark.parametrize("layout", LAYOUTS, ids=list(LAYOUTS))
@pytest.mark.parametrize("document", DOCUMENTS, ids=list(DOCUMENTS))
def test_layout_does_not_change_the_inferred_structure(document: str, layout: str) -> None:
    text = "\n".join(DOCUMENTS[document])
    plain = structure(process_text(text, "doc.txt"))
    assert len(plain) > 3  # the document has comments to get wrong
    assert structure(process_text(LAYOUTS[layout](text), "doc.txt")) == plain


def test_every_space_but_a_plain_one_is_read_as_one() -> None:
    """All of str's whitespace but line ends, one for one (line lengths stay: they tell a wrapped
    document)."""
    spaces = "".join(chr(c) for c in range(0x110000) if chr(c).isspace() and chr(c) not in "\n\r")
    thread = make_thread(["Article line.", f"A{spaces}B"])  # not repaired: ftfy reads U+0085 as "…"
    assert bounds.inference_view(thread).lines[1].text == "A" + " " * len(spaces) + "B"


def test_indentation_is_kept_in_the_comment_text() -> None:
    """Inference reads lines stripped; the dataset keeps them as they were."""
    text = "\n".join("  " + line for line in ROSES)
    thread = process_text(text, "doc.txt")
    last = thread.comments[-1]
    assert thread.span_text(last.raw_line_start, last.raw_line_end).startswith("  ")

