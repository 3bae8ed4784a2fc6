"""Triage: a page with a comment section is threaded, an article alone is skipped, cheaply."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadloom.article import _comment_likeness, article_cut, best_cut
from threadloom.triage import (
    _OPENER_WORDS,
    OPENER_RE,
    TriageConfig,
    count_openers,
    prefix_tree_regex,
    triage_text,
)
from threads import ROSES, ROSES_ARTICLE_END, text_lines_of

ARTICLE = "\n".join(ROSES[:ROSES_ARTICLE_END])
THREAD = "\n".join(ROSES)


def test_a_flattened_thread_is_kept_for_threading() -> None:
    result = triage_text(THREAD)
    assert result.has_comments and result.reason == "threaded"


def test_an_article_without_comments_is_skipped() -> None:
    result = triage_text(ARTICLE)
    assert not result.has_comments
    assert result.reason == "no comment openers"


@pytest.mark.parametrize("comments", [[4, 5, 7, 9], [4, 5, 9]], ids=["four comments", "three"])
def test_a_headers_name_over_its_date_is_read_as_inference_reads_it(comments: list[int]) -> None:
    """A theme that shows each comment's writer and date on lines of their own ("Ivy", then
    "March 3, 2014 at 9:00 am"): the name lines are the headers' (bounds.furniture_in_context), so
    the page is triaged as it is without them. (Read as text, they made the comments look like
    a list of short lines after the article cut: 9 of 43 bench threads with them were skipped.)"""
    def page(names: bool) -> str:
        lines = ROSES[:ROSES_ARTICLE_END]
        for k, index in enumerate(comments):
            lines += ([f"Writer{k}"] if names else []) + [f"March {k + 3}, 2014 at 9:{k}0 am", ROSES[index]]
        return "\n".join(lines)

    with_names = triage_text(page(True))
    assert 0 < with_names.openers < TriageConfig().strong_openers  # decided by stage 2
    assert with_names == triage_text(page(False))
    assert with_names.has_comments


PROSE = ["The canes are cut back to a third of their height in late winter.",
         "A sharp pair of secateurs makes a clean cut that heals quickly.",
         "Roses grown against a wall need less pruning than those in beds."]


def test_a_page_that_ends_its_comments_with_a_widget_is_a_thread_whatever_its_words() -> None:
    """Comments that open like no comment ("The canes ...") under a widget's "Reply" each: the
    page's comment box says it is a thread (before 0.6.8 it was skipped: no comment openers)."""
    page = "\n".join([*ROSES[:ROSES_ARTICLE_END], *(line for text in PROSE for line in (text, "Reply"))])
    result = triage_text(page)
    assert (result.has_comments, result.reason, result.openers) == (True, "comment furniture", 0)
    one_link = "\n".join([*ROSES[:ROSES_ARTICLE_END], "Reply", *PROSE])  # one widget's line is no box
    assert not triage_text(one_link).has_comments


def test_writers_headers_make_a_thread_of_comments_that_read_like_prose() -> None:
    """Stage 2 counts the page's comment box too: three writers' headers over lines that read like
    the article's, one of which opens like a comment, are a thread."""
    lines = [*ROSES[:ROSES_ARTICLE_END], "Ivy says:", PROSE[0], "Pete Hall says:", PROSE[1],
             "Marta says:", "Thanks for this.", PROSE[2]]
    result = triage_text("\n".join(lines))
    assert 0 < result.openers < TriageConfig().strong_openers
    assert (result.has_comments, result.reason) == (True, "comment furniture")


def test_lines_opening_like_comments_are_counted_anywhere_in_the_page() -> None:
    assert count_openers("Intro line.\nThanks, Nora!\n  @pete agreed\nGreat post.") == 3


def test_an_indent_of_any_spaces_does_not_hide_an_opener() -> None:
    """An extractor may indent with no-break spaces or tabs; every line still opens as it does."""
    plain = "Intro line.\nThanks, Nora!\n@pete agreed\nGreat post."
    for indent in ("  ", "\t", "\u00a0", "\u2003\u00a0"):
        indented = "\n".join(indent + line for line in plain.split("\n"))
        assert count_openers(indented) == count_openers(plain) == 3, repr(indent)


def test_too_few_lines_after_the_cut_is_not_a_thread() -> None:
    strict = TriageConfig(min_comment_lines=50, strong_openers=1000)
    result = triage_text(THREAD, strict)
    assert not result.has_comments
    assert result.reason == "too few lines after the article cut"


# Pages for the exactness checks: the thread, the article, each cut short, with code lines, a
# one-line page, and a page whose comments sit among several article-like lines.
PAGES = [
    ROSES,
    ROSES[:ROSES_ARTICLE_END],
    ROSES[:ROSES_ARTICLE_END + 1],
    ROSES[:ROSES_ARTICLE_END + 3],
    ROSES[2:],
    ROSES[:1],
    [*ROSES[:3], "pip install roses==1.2", "def prune(cane): return cane[:3]", *ROSES[3:]],
    ROSES[:ROSES_ARTICLE_END] * 3 + ROSES[ROSES_ARTICLE_END:] + ROSES[:2],
    [*ROSES, "Cheers,", "Paul Hendricks", "Orchard manager, Kent", "-Joe", "Best,", "Anne", *ROSES[-3:]],
]


@pytest.mark.parametrize("lines", PAGES)
def test_stage_two_is_the_structure_article_cut_and_likeness(lines: list[str]) -> None:
    """Triage's stage 2 is article.best_cut (whose exactness tests/test_article.py checks against
    the exhaustive definition) and _comment_likeness, computed without feature dicts."""
    text_lines = text_lines_of(lines)
    first, decision = article_cut(text_lines)
    expected = [_comment_likeness(text_lines, i) for i in range(len(text_lines))]
    assert best_cut(lines) == (first, decision.confidence, expected)
    cut, _, probs = best_cut(lines, posterior=False)  # what triage calls: the same cut
    assert (cut, probs) == (first, expected)


def test_opener_count_is_the_line_start_regex_count() -> None:
    texts = ["\n".join(page) for page in PAGES] + [
        "", "\n", "Hi", "\nhi", "hi\n", " \tWow, nice", "x\nthank you\r\n@y\n\n  Thanks!\nathanks",
        "@\n@a\n  @ b\nHELLO there\nhellothere", "Great\nGreat\nGreat"]
    for text in texts:
        assert count_openers(text) == len(OPENER_RE.findall(text)) == sum(
            1 for line in text.split("\n") if OPENER_RE.match(line)), text


WORD_LISTS = [["a"], ["ab", "a"], ["thanks", "thank", "thx"], ["great", "greetings", "good"],
              sorted(_OPENER_WORDS)]


@pytest.mark.parametrize("words", WORD_LISTS)
def test_a_prefix_tree_regex_matches_exactly_its_words(words: list[str]) -> None:
    tree = re.compile(f"(?:{prefix_tree_regex(words)})")
    candidates = {w[:i] for w in words for i in range(len(w) + 1)} | {w + "s" for w in words} | {"zz"}
    for candidate in sorted(candidates):
        assert (tree.fullmatch(candidate) is not None) == (candidate in words), candidate


# Lines made of opener words, their beginnings and longer words that start with them, in any case,
# after spaces, tabs, no-break spaces or an "@", and followed by what can or cannot end a word.
_PIECES = st.sampled_from([
    *sorted(_OPENER_WORDS), "thank", "great", "hiya", "agre", "congratu", "@", "@x", "é", "ſ", "K", "ı", "_",
    "1", " ", "\t", "\u00a0", ",", "!", "'", "’", "\n", "\r", "x", "S", "D",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_PIECES, st.booleans()), max_size=12))
def test_the_opener_count_is_the_readable_regex_s_on_any_text(pieces: list[tuple[str, bool]]) -> None:
    text = "".join(piece.upper() if upper else piece for piece, upper in pieces)
    assert count_openers(text) == len(OPENER_RE.findall(text)), repr(text)


LONG_PAGES = [
    ROSES[:ROSES_ARTICLE_END] * 8 + ROSES[ROSES_ARTICLE_END:],  # long article, short comment section
    ROSES[:ROSES_ARTICLE_END] + ROSES[ROSES_ARTICLE_END:] * 6,  # comments longer than the window
    ROSES[:ROSES_ARTICLE_END] * 8,  # an article alone
]


@pytest.mark.parametrize("lines", LONG_PAGES)
@pytest.mark.parametrize("window", [3, 8, 25])
def test_stage_two_in_a_window_decides_as_on_the_whole_page(lines: list[str], window: int) -> None:
    """The cut is sought in the page's last lines, or on the whole page when it lands on the
    window's first line: the same decision, and the same cut when the whole page's falls inside
    the window (a comment section longer than the window may be cut lower in it)."""
    assert len(lines) > window
    windowed = triage_text("\n".join(lines), TriageConfig(strong_openers=1000, window_lines=window))
    whole = triage_text("\n".join(lines), TriageConfig(strong_openers=1000, window_lines=0))
    assert (windowed.has_comments, windowed.reason) == (whole.has_comments, whole.reason)
    if whole.comment_lines < window:
        assert windowed.comment_lines == whole.comment_lines
