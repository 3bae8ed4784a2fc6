"""Shards to a release: the Parquet shards that crawl workers wrote, merged into one normal,
versioned release folder (the same files `threadloom build` writes, which `threadloom validate`
checks).

A work folder holds, per task (rank):

    shards/<config>/<rank>.parquet    rows of threads, comments, speakers (the release's schemas)
    shards/documents/<rank>.parquet   thread_id, source_sha256 and the raw bytes of each document
    summary/<rank>.json               what the task read, threaded, skipped and rejected

Rows are sorted by thread id, so the release does not depend on how many workers or which
engine wrote the shards. A thread id that two records with different text share is dropped with
both records (counted as rejected: duplicate id); exact duplicates are kept once. Memory grows
with the threaded output (its rows), never with the crawl; raw documents are streamed.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..errors import ThreadloomError
from ..records import Row
from ..release import install_release, write_release_files
from ..schemas import CONFIGS, validate_instance
from ..sources import DEFAULT_COLLECTION, Collection, RawDocument
from ..stats import ReleaseStats

DOCUMENTS = "documents"
DOCUMENTS_SCHEMA = pa.schema([
    pa.field("thread_id", pa.string(), nullable=False),
    pa.field("source_sha256", pa.string(), nullable=False),
    pa.field("data", pa.binary(), nullable=False),
])
_ROW_KEYS = {"threads": "thread_id", "comments": "comment_id", "speakers": "speaker_id"}


def shard_path(kind: str, rank: int) -> str:
    return f"shards/{kind}/{rank:05d}.parquet"


def summary_path(rank: int) -> str:
    return f"summary/{rank:05d}.json"


@dataclass
class CrawlSummary:
    """What a crawl did, summed over its tasks (and the merge's duplicate check)."""

    documents: int = 0
    megabytes: float = 0.0
    threaded: int = 0
    article_only: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    comments: int = 0
    seconds: float = 0.0  # the whole run: crawl_seconds + merge_seconds
    peak_rss_mb: float = 0.0  # the largest peak resident memory of any task's process
    cpu_seconds: float = 0.0  # CPU time of the tasks, summed (read, triage, threading, shards)
    crawl_seconds: float = 0.0  # wall time of the parallel phase (the executor's run)
    merge_seconds: float = 0.0  # wall time of the merge into the release (one process)

    def add(self, other: dict[str, Any]) -> None:
        self.documents += int(other.get("documents", 0))
        self.megabytes += float(other.get("megabytes", 0.0))
        self.threaded += int(other.get("threaded", 0))
        self.article_only += int(other.get("article_only", 0))
        self.comments += int(other.get("comments", 0))
        self.cpu_seconds += float(other.get("cpu_seconds", 0.0))
        self.peak_rss_mb = max(self.peak_rss_mb, float(other.get("peak_rss_mb", 0.0)))
        for key in ("skipped", "rejected"):
            counts = Counter(getattr(self, key))
            counts.update(other.get(key, {}))
            setattr(self, key, dict(sorted(counts.items())))

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents, "megabytes": round(self.megabytes, 3), "threaded": self.threaded,
            "article_only": self.article_only, "skipped": self.skipped, "rejected": self.rejected,
            "comments": self.comments, "seconds": round(self.seconds, 2),
            "crawl_seconds": round(self.crawl_seconds, 2), "merge_seconds": round(self.merge_seconds, 2),
            "cpu_seconds": round(self.cpu_seconds, 2), "peak_rss_mb_per_worker": round(self.peak_rss_mb, 1),
        }

    def render(self) -> str:
        def reasons(counts: dict[str, int]) -> str:
            total = sum(counts.values())
            detail = ", ".join(f"{n} {reason}" for reason, n in counts.items())
            return f"{total}" + (f" ({detail})" if detail else "")

        rate = self.megabytes / self.seconds if self.seconds > 0 else 0.0
        lines = [
            f"documents read  {self.documents} ({self.megabytes:.1f} MB, {rate:.1f} MB/s)",
            f"threaded        {self.threaded} ({self.comments} comments)",
            f"skipped         {reasons(self.skipped)}",
            f"rejected        {reasons(self.rejected)}",
            f"time            {self.seconds:.1f} s (crawl {self.crawl_seconds:.1f} s, merge "
            f"{self.merge_seconds:.1f} s; {self.cpu_seconds:.1f} s CPU in the tasks)",
            f"peak memory     {self.peak_rss_mb:.0f} MB per worker",
        ]
        if self.article_only:
            lines.insert(2, f"article only    {self.article_only}")
        return "\n".join(lines)


def read_summaries(work: Path) -> CrawlSummary:
    summary = CrawlSummary()
    for path in sorted((work / "summary").glob("*.json")):
        summary.add(json.loads(path.read_text(encoding="utf-8")))
    return summary


@dataclass(frozen=True)
class MergeResult:
    out: Path
    stats: ReleaseStats
    summary: CrawlSummary
    unchanged: bool


def _read_shard(path: Path, schema: pa.Schema) -> pa.Table:
    """One shard, read as a plain Parquet file (pq.read_table goes through pyarrow.dataset: its
    import and per-file set-up were a third of a 100 MB crawl's merge)."""
    with pq.ParquetFile(path) as shard:
        table = shard.read()
    return table if table.schema.equals(schema) else table.cast(schema)


def _read_config(work: Path, kind: str, schema: pa.Schema) -> pa.Table:
    paths = sorted((work / "shards" / kind).glob("*.parquet"))
    tables = [_read_shard(p, schema) for p in paths]
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    # stable order: by thread id, then the order the worker wrote (a thread's rows are contiguous)
    table = table.append_column("_order", pa.array(range(table.num_rows), pa.int64()))
    return table.sort_by([("thread_id", "ascending"), ("_order", "ascending")]).drop_columns(["_order"])


def _unique_rows(table: pa.Table, config: str, drop: set[str]) -> list[Row]:
    keep = pc.invert(pc.is_in(table["thread_id"], pa.array(sorted(drop), pa.string())))
    rows: list[Row] = table.filter(keep).to_pylist()
    key = _ROW_KEYS[config]
    seen: set[str] = set()
    unique = []
    for row in rows:  # an exact duplicate record gives the same rows twice: keep them once
        if row[key] not in seen:
            seen.add(row[key])
            unique.append(row)
    return unique


def merge_rows(work: Path) -> tuple[dict[str, list[Row]], dict[str, str], int]:
    """The release's rows from the shards, the sha256 of every kept thread, and how many records
    were dropped for a duplicate thread id."""
    from ..schemas import arrow_schema

    threads = _read_config(work, "threads", arrow_schema("threads"))
    shas: dict[str, set[str]] = {}
    for tid, sha in zip(threads["thread_id"].to_pylist(), threads["source_sha256"].to_pylist(), strict=True):
        shas.setdefault(tid, set()).add(sha)
    conflicting = {tid for tid, found in shas.items() if len(found) > 1}
    n_conflicting = sum(1 for tid in threads["thread_id"].to_pylist() if tid in conflicting)
    rows = {"threads": _unique_rows(threads, "threads", conflicting)}
    for config in CONFIGS[1:]:
        rows[config] = _unique_rows(_read_config(work, config, arrow_schema(config)), config, conflicting)
    kept = {tid: next(iter(found)) for tid, found in shas.items() if tid not in conflicting}
    return rows, kept, n_conflicting


def _write_raw(work: Path, folder: Path, kept: dict[str, str]) -> None:
    written: set[str] = set()
    for path in sorted((work / "shards" / DOCUMENTS).glob("*.parquet")):
        for batch in pq.ParquetFile(path).iter_batches(batch_size=256):
            for tid, sha, data in zip(batch.column("thread_id").to_pylist(),
                                      batch.column("source_sha256").to_pylist(),
                                      batch.column("data").to_pylist(), strict=True):
                if kept.get(tid) == sha and tid not in written:
                    (folder / "raw" / f"{tid}.txt").write_bytes(data)
                    written.add(tid)
    missing = sorted(set(kept) - written)
    if missing:
        raise ThreadloomError(str(work), f"no raw document for thread {missing[0]!r} in the shards",
                              "the shards are incomplete; rerun the crawl")


def collection_info(name: str | None = None, version: str | None = None,
                    extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The release's description: defaults, then `extra` (a dataset.json), then name/version."""
    info = dict(DEFAULT_COLLECTION, name="threadloom-crawl")
    info.update(extra or {})
    if name:
        info["name"] = name
    if version:
        info["version"] = version
    problem = validate_instance("collection", info)
    if problem:
        raise ThreadloomError("dataset description", problem, "see schemas/collection.schema.json")
    return info


def write_merged(folder: Path, work: Path, info: dict[str, Any], datasheet_template: str | None
                 ) -> tuple[ReleaseStats, int]:
    rows, kept, duplicates = merge_rows(work)
    (folder / "raw").mkdir(parents=True, exist_ok=True)
    _write_raw(work, folder, kept)
    # the manifest lists every raw document with its checksum; their bytes are already on disk
    documents = tuple(RawDocument(f"{tid}.txt", tid, b"", "", sha) for tid, sha in sorted(kept.items()))
    stats = write_release_files(folder, Collection(work, info, documents), rows, datasheet_template)
    return stats, duplicates


def merge_shards(work: Path, out: Path, info: dict[str, Any], *, datasheet_template: str | None = None,
                 force: bool = False) -> MergeResult:
    """Merge the shards under `work` into the release folder `out`, atomically, exactly as
    `build` installs a release (release.install_release)."""
    work = Path(work)
    if not (work / "shards" / "threads").is_dir():
        raise ThreadloomError(str(work), "no crawl shards here (shards/threads/ is missing)",
                              "give the --work folder of a finished `threadloom crawl`")
    summary = read_summaries(work)
    started = time.monotonic()
    duplicates = 0

    def write(staging: Path) -> ReleaseStats:
        nonlocal duplicates
        stats, duplicates = write_merged(staging, work, info, datasheet_template)
        return stats

    result = install_release(Path(out), write, version=str(info["version"]), force=force,
                             bump_hint="bump --version, or pass --force")
    if duplicates:
        summary.add({"rejected": {"duplicate id": duplicates}})
        summary.threaded -= duplicates  # they were counted as threaded by their workers
    summary.merge_seconds = summary.seconds = time.monotonic() - started
    return MergeResult(result.out, result.stats, summary, result.unchanged)
