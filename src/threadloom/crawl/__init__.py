"""threadloom on a web crawl: crawl shards in, a normal versioned release out.

`records` (pure per-document work), `wet` (Common Crawl's WET files as records) and `merge`
(shards to a release) need only threadloom's own dependencies; `steps` and `run` drive them with
datatrove, the optional `crawl` extra (`pip install 'threadloom[crawl]'`).
"""

from __future__ import annotations

from .records import CrawlColumns, CrawlOutcome, crawl_thread_id, process_record

__all__ = ["CrawlColumns", "CrawlOutcome", "crawl_thread_id", "process_record"]
