"""The per-document work of a crawl, pure and engine-free: record -> thread id, metadata,
triage, and the release's rows (or the reason it was skipped or rejected)."""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from ..memo import forget_lines
from ..model import Decision, Speaker, Thread
from ..pipeline import process_text
from ..records import Row, comment_rows, speaker_rows, thread_row
from ..repair import repair_text
from ..speakers import POST_AUTHOR_KEY
from ..triage import DEFAULT_TRIAGE, TriageConfig, triage_text

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_DOCUMENT_BYTES = 5_000_000  # larger pages are rejected: bounded memory and time per document


class CrawlColumns(NamedTuple):
    """Which column of a crawl record holds what; None = the crawl has no such column."""

    text: str = "text"
    id: str | None = "id"
    url: str | None = "url"
    date: str | None = "date"
    title: str | None = "title"


DEFAULT_COLUMNS = CrawlColumns()
DEFAULT_SPLIT_BYTES = 64_000_000  # a plain JSONL or Parquet file is read in shares of about this


def crawl_thread_id(record_id: str | None, url: str | None = None, fallback: str = "") -> str:
    """A thread id that is deterministic, path-safe (letters, digits, `._-`) and unique per record.

    An id that is already safe is kept as it is; otherwise the id reads like the page's URL (or
    the record id) and ends with 12 hex digits of the record id's SHA-256, so that records with
    different ids never share a thread id."""
    key = record_id or url or fallback
    if not key:
        raise ValueError("a crawl record needs an id, a url or a fallback key")
    if _SAFE_ID.fullmatch(key) and not key.endswith("."):
        return key
    readable = url if url else key
    if "://" in readable:
        parts = urlsplit(readable)
        readable = parts.netloc + parts.path
    slug = _UNSAFE.sub("_", readable).strip("._-")[:80].rstrip("._-")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return f"{slug}-{digest}" if slug else f"doc-{digest}"


def crawl_source_file(thread_id: str) -> str:
    """Where a crawl thread's raw copy goes under raw/: `<2 hex digits>/<thread id>.txt`, the
    digits from the id's SHA-256. A crawl holds thousands of threads; the Hugging Face Hub
    advises fewer than 10,000 entries per folder, so 256 folders keep 2.5 million in bounds."""
    bucket = hashlib.sha256(thread_id.encode("utf-8")).hexdigest()[:2]
    return f"{bucket}/{thread_id}.txt"


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def record_metadata(record: dict[str, Any], columns: CrawlColumns) -> dict[str, Any]:
    """What a crawl record knows that the `threads` config carries: url, site, title, published."""
    meta: dict[str, Any] = {}
    url = _as_text(record.get(columns.url)) if columns.url else None
    if url:
        meta["url"] = url
        host = urlsplit(url).netloc
        if host:
            meta["site"] = host
    if columns.title and (title := _as_text(record.get(columns.title))):
        meta["title"] = title
    if columns.date and (date := _as_text(record.get(columns.date))):
        meta["published"] = date
    return meta


@dataclass(frozen=True)
class CrawlOutcome:
    """What became of one record: threaded (rows), kept as an article only, skipped, rejected."""

    status: str  # "threaded", "article-only", "skipped", "rejected"
    reason: str
    thread_id: str
    rows: dict[str, list[Row]] = field(default_factory=dict)
    data: bytes = b""  # the raw document as the release stores it (UTF-8), when rows were made
    sha256: str = ""

    @property
    def n_comments(self) -> int:
        return len(self.rows.get("comments", ()))


def article_only_thread(text: str, thread_id: str, metadata: dict[str, Any], sha256: str,
                        reason: str) -> Thread:
    """A page kept without comments: every line is the article, the post author is unnamed."""
    lines = repair_text(text)
    thread = Thread(thread_id=thread_id, source_file=crawl_source_file(thread_id), source_sha256=sha256,
                    raw_text=text, lines=lines, metadata=dict(metadata))
    author = Speaker(POST_AUTHOR_KEY, None, True, Decision(0.0, ("not inferred: article-only page",)))
    return replace(thread, article_line_end=len(lines),
                   article_decision=Decision(1.0, (f"triage: {reason}",)), speakers=(author,))


def thread_rows(thread: Thread) -> dict[str, list[Row]]:
    return {"threads": [thread_row(thread)], "comments": comment_rows(thread),
            "speakers": speaker_rows(thread)}


def check_text(text: str) -> str | None:
    """Why a record's text cannot be a document, or None."""
    if not text.strip():
        return "empty text"
    if "\x00" in text:
        return "NUL characters"
    if len(text) > MAX_DOCUMENT_BYTES // 4 and len(text.encode("utf-8")) > MAX_DOCUMENT_BYTES:
        return f"larger than {MAX_DOCUMENT_BYTES // 1_000_000} MB"
    return None


def process_record(text: str, thread_id: str, metadata: dict[str, Any], *,
                   triage: TriageConfig = DEFAULT_TRIAGE, keep_article_only: bool = False) -> CrawlOutcome:
    """Triage one record's text and, if it has a comment section, thread it into rows."""
    try:
        return _process_record(text, thread_id, metadata, triage, keep_article_only)
    finally:
        forget_lines()  # triage read this page's lines too (memo.py)


def _process_record(text: str, thread_id: str, metadata: dict[str, Any], triage: TriageConfig,
                    keep_article_only: bool) -> CrawlOutcome:
    problem = check_text(text)
    if problem:
        return CrawlOutcome("rejected", problem, thread_id)
    verdict = triage_text(text, triage)
    if not verdict.has_comments and not keep_article_only:
        return CrawlOutcome("skipped", verdict.reason, thread_id)
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    try:
        if verdict.has_comments:
            thread = process_text(text, crawl_source_file(thread_id), metadata, thread_id=thread_id,
                                  sha256=digest)
            status = "threaded"
        else:
            thread = article_only_thread(text, thread_id, metadata, digest, verdict.reason)
            status = "article-only"
        rows = thread_rows(thread)
    except Exception as err:  # one bad page must not stop a crawl; it is counted with its reason
        return CrawlOutcome("rejected", f"pipeline failed: {type(err).__name__}", thread_id)
    return CrawlOutcome(status, verdict.reason, thread_id, rows, data, digest)
