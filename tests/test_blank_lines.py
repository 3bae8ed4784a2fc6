"""What a page's blank lines, and the rules it draws between comments, say of its comments
(blank_lines.py), alone and through the pipeline."""

from __future__ import annotations

import pytest

from threadloom import furniture
from threadloom.blank_lines import BlankLayout, blank_line_layout
from threadloom.model import Thread
from threadloom.pipeline import process_text
from threadloom.records import comment_rows

# A comment section of 40 lines, 20 comments of 1 to 4 lines, as the start model might read it:
# the lines that start a comment (S) at log odds +1.5, the others (c) at -1.0, but it is wrong on
# five lines (s: a start it doubts, C: a line it takes for a start).
SECTION = "SSccSCSScccscSSccSScScsSccSScSCccSSCSccS"
STARTS = [kind in "Ss" for kind in SECTION]
LOGITS = [{"S": 1.5, "s": -1.0, "c": -1.0, "C": 1.5}[kind] for kind in SECTION]
# (name, a blank line before each line?, does the layout open comments, does a blank line say
# "no start here")
CASES = [
    ("blank line before every comment", STARTS, True, False),
    ("and before a few paragraphs inside them", [s or i % 7 == 3 for i, s in enumerate(STARTS)], True, False),
    ("blank lines inside comments only", [not s and i % 3 == 1 for i, s in enumerate(STARTS)], False, True),
]  # fmt: skip
UNRELATED = [[i % n == n - 1 for i in range(len(SECTION))] for n in (2, 3, 5)]  # agree on 20-22 lines


@pytest.mark.parametrize(("after_blank", "opens", "inside"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_blank_lines_that_go_with_the_comments_are_read_as_a_layout(
    after_blank: list[bool], opens: bool, inside: bool
) -> None:
    layout = blank_line_layout(after_blank, LOGITS)
    assert layout is not None
    assert layout.opens_comments is opens
    assert (layout.logit(True) < -1.0) is inside


@pytest.mark.parametrize(
    "after_blank",
    [[False] * len(SECTION), [True] * len(SECTION), *UNRELATED],
    ids=["none", "every line", "every other line", "every third line", "every fifth line"],
)
def test_blank_lines_that_do_not_go_with_the_comments_say_nothing(after_blank: list[bool]) -> None:
    """No spacing, spacing everywhere, and spacing that agrees with the comment starts on about
    half the lines, as chance would."""
    assert blank_line_layout(after_blank, LOGITS) is None


def test_a_layouts_odds_follow_its_rates() -> None:
    layout = BlankLayout(at_start=0.9, within=0.1)
    assert layout.logit(True) == pytest.approx(2.197, abs=1e-3)
    assert layout.logit(False) == pytest.approx(-2.197, abs=1e-3)
    assert layout.opens_comments
    assert not BlankLayout(at_start=0.6, within=0.4).opens_comments


ARTICLE = [
    "Rain barrels are the cheapest way to water a garden through a dry summer.",
    "Two barrels sit on the downpipe of the shed, joined by a diverter kit from the hardware store.",
    "The overflow runs into a gravel soakaway so the foundations stay dry.",
    "After one season the barrels saved about four thousand litres of tap water.",
    "Next spring I want to add a third barrel and a small pump for the greenhouse.",
]
COMMENTS = [
    ["Great post! How do you keep mosquitoes out of the barrels?"],
    ["A fine mesh over the inlet does it for me.", "A few drops of oil on the surface every month help too."],
    ["Thanks for sharing this, the soakaway is a clever touch."],
    ["Did you need planning permission for the shed gutter?",
     "Our council is very strict about anything near the boundary.", "Thanks in advance!"],
    ["No permission needed here, it is under the size limit."],
    ["Love it. We run five barrels in a chain and still run dry in August."],
    ["Is the water safe for vegetables?"],
    ["Rainwater from a shed roof is fine for the soil.",
     "I would not spray it on leaves you eat raw, though."],
    ["Nice write-up, thank you!"],
    ["Where did you buy the diverter kit?", "Ours cracked in the first frost.",
     "Any advice would be welcome."],
    ["Any hardware store has them. Take it off before winter and it lasts for years."],
    ["Great tips, bookmarked for next spring."],
    ["How big is the soakaway?"],
    ["About a metre square and half a metre deep, filled with rubble and gravel."],
    ["Thanks, that is smaller than I expected.", "I will dig mine this weekend."],
]  # fmt: skip


def _page(between_comments: bool, every_line: bool = False) -> tuple[str, list[int]]:
    """The page's text and the raw line each comment starts at."""
    lines, starts = list(ARTICLE), []
    for comment in COMMENTS:
        for k, paragraph in enumerate(comment):
            if every_line or (between_comments and k == 0):
                lines.append("")
            if k == 0:
                starts.append(len(lines) + 1)
            lines.append(paragraph)
    return "\n".join(lines) + "\n", starts


def test_blank_lines_between_comments_delimit_them() -> None:
    """The words alone split and join these comments wrongly; a blank line before each, and none
    between a comment's paragraphs, says where each starts, and the decisions say so."""
    text, starts = _page(between_comments=False)
    assert [c.raw_line_start for c in process_text(text, "rain.txt").comments] != starts
    text, starts = _page(between_comments=True)
    thread = process_text(text, "rain.txt")
    assert [c.raw_line_start for c in thread.comments] == starts
    assert thread.article_line_end == starts[0] - 2  # the article's last line, over the blank one
    assert any("layout: a blank line before it" in e for e in thread.article_decision.evidence)
    assert any("layout: a blank line before it" in c.boundary.evidence[0] for c in thread.comments[1:])


def test_blank_lines_after_every_paragraph_say_nothing() -> None:
    """A page that spaces every paragraph reads as the same page unspaced."""
    spaced, _ = _page(between_comments=False, every_line=True)
    unspaced, _ = _page(between_comments=False)

    def read(text: str) -> list[str]:
        thread = process_text(text, "rain.txt")
        return [thread.span_text(c.raw_line_start, c.raw_line_end) for c in thread.comments]

    assert read(spaced) == read(unspaced)


# (a line, stripped; does it only separate, as a blank line would?)
SEPARATOR_CASES = [
    ("----------", True), ("* * *", True), ("___", True), ("=====", True), ("~~~", True),
    ("• • •", True), ("———", True), ("---", True),
    ("--", False), ("* *", False), ("-- Joe", False), ("***bold***", False), ("--->", False),
    ("+---+", False), ("- item", False),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), SEPARATOR_CASES)
def test_a_separator_line_is_told_from_text(text: str, expected: bool) -> None:
    assert furniture.is_separator_line(text) is expected


def test_a_separator_between_comments_delimits_them_as_a_blank_line_does() -> None:
    """A rule between comments ("* * *", as html2text writes <hr>) is no one's words: it ends
    the comment above (the article, over the first), and says what a blank line would."""
    blank, starts = _page(between_comments=True)
    ruled = blank.replace("\n\n", "\n* * *\n")
    thread = process_text(ruled, "rain.txt")
    assert [c.raw_line_start for c in thread.comments] == starts
    assert thread.article_line_end == starts[0] - 1  # the rule over the first comment
    assert [c.raw_line_end for c in thread.comments[:-1]] == [start - 1 for start in starts[1:]]
    assert not any("* * *" in text for text in _texts(thread))


def _texts(thread: Thread) -> list[str]:
    return [str(row["text"]) for row in comment_rows(thread)]
