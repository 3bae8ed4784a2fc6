"""Hard-wrapped paragraphs (unwrap.py): the width is found from the text alone, and a thread whose
comments a client wrapped reads the same as the thread with one paragraph per line."""

from __future__ import annotations

import textwrap

import pytest

from threadloom import unwrap
from threadloom.structure import infer_structure
from threadloom.triage import TriageConfig, triage_text
from threads import BREAD, BREAD_ARTICLE_END, ROSES, make_thread


def wrap_comments(lines: list[str], article_end: int, width: int,
                  blank_between: bool = False) -> tuple[list[str], dict[int, int]]:
    """The comment lines wrapped at `width` the way a mail client does (with `blank_between`, a
    blank line after every paragraph, as plain-text archives have them); and where each old
    line's first physical line now is (1-based)."""
    out: list[str] = []
    first_of: dict[int, int] = {}
    for number, line in enumerate(lines, start=1):
        first_of[number] = len(out) + 1
        out.extend(textwrap.wrap(line, width) if number > article_end else [line])
        if blank_between and number < len(lines):
            out.append("")
    return out, first_of


@pytest.mark.parametrize("width", [60, 72, 80])
def test_the_width_is_found_from_the_line_lengths(width: int) -> None:
    wrapped, _ = wrap_comments(BREAD, BREAD_ARTICLE_END, width)
    assert unwrap.wrap_width(wrapped) == width


@pytest.mark.parametrize("lines", [BREAD, ROSES], ids=["bread", "roses"])
def test_one_paragraph_per_line_has_no_width(lines: list[str]) -> None:
    assert unwrap.wrap_width(lines) is None


def test_short_lines_alone_are_not_a_wrapped_document() -> None:
    """Many short comments of similar length pile up below some width too, but the next line's
    first word would often have fitted on them: no width."""
    lines = [f"Thanks for this, it helped me a lot with my roses number {i}." for i in range(30)]
    assert unwrap.wrap_width(lines) is None


# (paragraph so far, its last line, the next line, width, does the next line carry it on?)
JOIN_CASES = [
    # a full line whose next word did not fit: broken by the client, even after a full stop
    ("x" * 50 + " the jar sits next to a draughty", "the jar sits next to a draughty window and the",
     "starter never rises.", 50, True),
    ("a", "Thanks, Jonas. A box with a small lamp works well.", "Warmer than that and the bread",
     52, True),
    # the next word would have fitted: the paragraph ended there
    ("a", "Thanks, Jonas. A box with a small lamp works.", "It is cheap.", 52, False),
    # a short line is the end of its paragraph
    ("a", "Thanks!", "Warmer than that and the bread", 52, False),
    # in a wrapped document a short line is not carried on, even in lower case (a config block)
    ("dn: cn=default,ou=policies,dc=example,dc=com", "dn: cn=default,ou=policies,dc=example,dc=com",
     "objectClass: top", 72, False),
    # before a word longer than the band, a line stopping mid-sentence is full short of it by that word
    ("a", "The starter needs a warm spot, a little patience and a very",
     "straightforward routine of feeding.", 72, True),
    # ... but not one that ends a sentence, nor one less than half full (a link on a line of its own)
    ("a", "The starter needs a warm spot and a bit of patience, sure.", "Straightforward enough for anyone.",
     72, False),
    ("a", "See the recipe at", "https://example.com/a-long-path-to-the-sourdough-recipe-page", 72, False),
    # after a finished sentence, a line addressing someone opens the next comment, though the word
    # would not have fitted; a plain "Thank you for ..." goes on (a comment's last sentence says it)
    ("a", "Proof it overnight in the fridge, then bake it early in the morning.",
     "Thanks, Rick. The fridge trick works.", 72, False),
    ("a", "Proof it overnight in the fridge, then bake it early in the morning.",
     "Hello all, a question about rye.", 72, False),
    ("a", "Proof it overnight in the fridge, then bake it early in the morning.",
     "@rick the fridge trick works.", 72, False),
    ("a", "Proof it overnight in the fridge, then bake it early in the morning.",
     "Thank you for the tip about the fridge.", 72, True),
    # no width found: only a line stopping mid-sentence, carried on in lower case, joins
    ("I tried this last weekend and the bushes looked much tidier, but the",
     "I tried this last weekend and the bushes looked much tidier, but the",
     "thorns scratched my arms.", None, True),
    ("a", "I tried this last weekend and the bushes looked much tidier.", "Thorns scratched my arms.",
     None, False),
]


@pytest.mark.parametrize(("paragraph", "last", "following", "width", "expected"), JOIN_CASES)
def test_joins(paragraph: str, last: str, following: str, width: int | None, expected: bool) -> None:
    assert unwrap.joins(paragraph, last, following, width) is expected


@pytest.mark.parametrize("blank_between", [False, True], ids=["", "blank-between"])
@pytest.mark.parametrize("width", [60, 72, 80])
def test_a_wrapped_thread_reads_like_the_unwrapped_one(width: int, blank_between: bool) -> None:
    wrapped, first_of = wrap_comments(BREAD, BREAD_ARTICLE_END, width, blank_between)
    plain = infer_structure(make_thread(BREAD))
    built = infer_structure(make_thread(wrapped))
    assert built.article_line_end == first_of[plain.article_line_end]
    assert [c.raw_line_start for c in built.comments] == [first_of[c.raw_line_start] for c in plain.comments]
    assert [c.parent for c in built.comments] == [c.parent for c in plain.comments]
    assert [c.is_post_author for c in built.comments] == [c.is_post_author for c in plain.comments]
    # the comment's text is its paragraphs, joined back; its raw lines are all still named
    assert [built.span_text(c.raw_line_start, c.raw_line_end) for c in built.comments] == [
        plain.span_text(c.raw_line_start, c.raw_line_end) for c in plain.comments
    ]
    assert built.comments[-1].raw_line_end == len(wrapped)
    assert bool(built.paragraph_breaks) is blank_between
    assert f"hard-wrapped at {width} columns" in " ".join(built.article_decision.evidence)
    assert "hard-wrapped" not in " ".join(plain.article_decision.evidence)


# One flag per raw line: True has text, False is blank, None only the repair emptied; and for each
# line with text, whether a blank line before it begins a paragraph.
BLANK_LINE_CASES = [
    ("no blank lines", [True, True, True], [False, False, False]),
    ("a blank line after some paragraphs", [True, True, False, True, False, True, True],
     [False, False, True, True, False]),
    ("every line spaced: blank lines say nothing", [True, False, True, False, True], [False, False, False]),
    ("spaced, with blank lines at both ends", [False, True, False, False, True, False], [False, False]),
    ("a line the repair emptied is not a blank line", [True, None, True, True, False, True],
     [False, False, False, True]),
]


@pytest.mark.parametrize(("lines", "expected"), [c[1:] for c in BLANK_LINE_CASES],
                         ids=[c[0] for c in BLANK_LINE_CASES])
def test_blank_line_breaks(lines: list[bool | None], expected: list[bool]) -> None:
    assert unwrap.blank_line_breaks(lines) == expected


def test_a_wrapped_paragraph_is_not_joined_across_a_blank_line_that_ends_it() -> None:
    """A line that fills the width and stops mid-sentence would go on into a next line in lower
    case; not when a blank line, in a document whose blank lines end paragraphs, is between."""
    texts = ["Proofing in a cold oven overnight gives the crumb its open structure and its flavour but",
             "you", "lower case after a full line goes on, as a client wraps it"]
    assert unwrap.paragraph_runs(texts, 90) == [(0, 1), (2, 2)]
    assert unwrap.paragraph_runs(texts, 90, [False, True, False]) == [(0, 0), (1, 1), (2, 2)]


def test_a_line_of_invisible_characters_moves_no_paragraph_break_in_triage() -> None:
    """Triage reads lines as inference does: a line of zero-width spaces only is neither read nor
    blank, so the blank lines after it still end the paragraphs they end."""
    wrapped, _ = wrap_comments(BREAD, BREAD_ARTICLE_END, 72, blank_between=True)
    stage_2 = TriageConfig(strong_openers=1000)
    page = "\n".join(wrapped)
    assert triage_text("\u200b\u200b\n" + page, stage_2) == triage_text(page, stage_2)


def test_triage_reads_a_wrapped_page_as_the_unwrapped_one() -> None:
    wrapped, _ = wrap_comments(BREAD, BREAD_ARTICLE_END, 72)
    stage_2 = TriageConfig(strong_openers=1000)  # no page is a thread on its openers alone
    plain, folded = triage_text("\n".join(BREAD), stage_2), triage_text("\n".join(wrapped), stage_2)
    assert plain.comment_lines == len(BREAD) - BREAD_ARTICLE_END
    assert (folded.has_comments, folded.comment_lines) == (plain.has_comments, plain.comment_lines)
