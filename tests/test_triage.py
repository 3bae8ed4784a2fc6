"""Triage: a page with a comment section is threaded, an article alone is skipped, cheaply."""

from __future__ import annotations

from threadloom.triage import TriageConfig, count_openers, triage_text
from threads import ROSES, ROSES_ARTICLE_END

ARTICLE = "\n".join(ROSES[:ROSES_ARTICLE_END])
THREAD = "\n".join(ROSES)


def test_a_flattened_thread_is_kept_for_threading() -> None:
    result = triage_text(THREAD)
    assert result.has_comments and result.reason == "threaded"


def test_an_article_without_comments_is_skipped() -> None:
    result = triage_text(ARTICLE)
    assert not result.has_comments
    assert result.reason == "no comment openers"


def test_lines_opening_like_comments_are_counted_anywhere_in_the_page() -> None:
    assert count_openers("Intro line.\nThanks, Nora!\n  @pete agreed\nGreat post.") == 3


def test_too_few_lines_after_the_cut_is_not_a_thread() -> None:
    strict = TriageConfig(min_comment_lines=50, strong_openers=1000)
    result = triage_text(THREAD, strict)
    assert not result.has_comments
    assert result.reason == "too few lines after the article cut"
