"""The per-record work of a crawl (no datatrove needed): ids, metadata, outcomes, and the proof
that the repair's ASCII fast path is exact."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from threadloom.crawl.proof import ascii_skip_mismatches
from threadloom.crawl.records import CrawlColumns, crawl_thread_id, process_record, record_metadata
from threads import ROSES, ROSES_ARTICLE_END

THREAD = "\n".join(ROSES)
ARTICLE = "\n".join(ROSES[:ROSES_ARTICLE_END])


def test_a_path_safe_record_id_is_the_thread_id() -> None:
    assert crawl_thread_id("page-0001") == "page-0001"


def test_an_unsafe_record_id_gives_a_readable_path_safe_id_from_the_url() -> None:
    tid = crawl_thread_id("<urn:uuid:1234>", "https://blog.example/2021/06/roses?x=1")
    assert tid.startswith("blog.example_2021_06_roses-")
    assert crawl_thread_id("<urn:uuid:1234>", "https://blog.example/2021/06/roses?x=1") == tid
    assert "/" not in tid and ":" not in tid


def test_records_with_the_same_url_but_different_ids_get_different_thread_ids() -> None:
    url = "https://blog.example/post"
    assert crawl_thread_id("<a>", url) != crawl_thread_id("<b>", url)


def test_record_metadata_carries_url_site_title_and_date() -> None:
    record = {"text": "x", "url": "https://blog.example/p", "title": "Roses", "date": dt.date(2021, 6, 1)}
    assert record_metadata(record, CrawlColumns()) == {
        "url": "https://blog.example/p", "site": "blog.example", "title": "Roses", "published": "2021-06-01"}


def test_a_thread_record_gives_release_rows() -> None:
    outcome = process_record(THREAD, "roses", {"url": "https://blog.example/p"})
    assert outcome.status == "threaded"
    assert outcome.rows["threads"][0]["thread_id"] == "roses"
    assert outcome.rows["threads"][0]["url"] == "https://blog.example/p"
    assert outcome.n_comments >= 3
    assert outcome.data == THREAD.encode("utf-8")


def test_an_article_record_is_skipped_or_kept_as_article_only() -> None:
    assert process_record(ARTICLE, "a", {}).status == "skipped"
    kept = process_record(ARTICLE, "a", {}, keep_article_only=True)
    assert kept.status == "article-only"
    assert kept.rows["comments"] == [] and kept.rows["threads"][0]["n_comments"] == 0


def test_empty_and_nul_records_are_rejected_with_a_reason() -> None:
    assert process_record("  \n", "e", {}).reason == "empty text"
    assert process_record("a\x00b", "n", {}).reason == "NUL characters"


def test_ascii_fast_path_of_the_repair_is_exact_on_crawl_like_text() -> None:
    cases = json.loads((Path(__file__).parent / "data" / "repair_cases.json").read_text(encoding="utf-8"))
    texts = [THREAD, *(Path(__file__).parents[1] / "raw").glob("*.txt")]
    texts = [t if isinstance(t, str) else t.read_text(encoding="utf-8") for t in texts]
    texts += [json.dumps(cases), "Tabs\tand  spaces, &amp; entities, \\u00e9 escapes, A  at ends A"]
    checked, changed = ascii_skip_mismatches(texts)
    assert checked > 50
    assert changed == []
