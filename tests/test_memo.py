"""Per-line memos are emptied once a document is done, and that changes no result (memo.py)."""

from __future__ import annotations

from threadloom import cues, linecues
from threadloom.crawl.records import process_record
from threadloom.memo import _LINE_MEMOS
from threadloom.pipeline import process_text
from threads import ROSES

TEXT = "\n".join(ROSES)


def test_a_processed_document_leaves_no_line_in_the_memos() -> None:
    first = process_text(TEXT, "roses.txt")
    assert {linecues.line_cues, linecues.opener_class, cues.is_code, cues.content_words} <= set(_LINE_MEMOS)
    assert all(memo.cache_info().currsize == 0 for memo in _LINE_MEMOS)
    assert process_text(TEXT, "roses.txt") == first


def test_a_crawl_record_leaves_no_line_in_the_memos_even_when_skipped() -> None:
    article = "\n".join([*ROSES[:3], "Thanks for reading, and see you next week."])  # one opener: stage 2
    assert process_record(article, "a", {}).status == "skipped"
    assert all(memo.cache_info().currsize == 0 for memo in _LINE_MEMOS)
