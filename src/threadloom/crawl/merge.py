"""Shards to a release: the Parquet shards that crawl workers wrote, merged into one normal,
versioned release folder (the same files `threadloom build` writes, which `threadloom validate`
checks).

A work folder holds, per task (rank):

    shards/<config>/<rank>.parquet    rows of threads, comments, speakers (the release's schemas)
    shards/documents/<rank>.parquet   thread_id, source_sha256 and the raw bytes of each document
    summary/<rank>.json               what the task read, threaded, skipped and rejected

Rows are sorted by thread id, so the release does not depend on how many workers or which
engine wrote the shards. A thread id that two records with different text share is dropped with
both records (counted as rejected: duplicate id); exact duplicates are kept once.

Memory is bounded whatever the size of the crawl: the sort is an external merge sort (each row
group of a shard is a sorted run; FAN_IN runs are merged at a time, through intermediate runs
in the work folder when there are more), the release is written a row group at a time, and raw
documents are streamed. Only the thread ids and checksums are held, for the duplicate check and
the manifest (~100 bytes a thread).

The raw documents go to raw/, one file per thread, or (`raw_as="parquet"`) into the release's
`raw` config, merged in thread id order like the other configs: a Hugging Face repository should
hold fewer than 100,000 files, which a crawl of more threads than that would need.
"""

from __future__ import annotations

import heapq
import json
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby, pairwise
from operator import itemgetter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..errors import ThreadloomError
from ..release import install_release, write_release_files
from ..schemas import CONFIGS, RAW_CONFIG, arrow_schema, validate_instance
from ..sources import DEFAULT_COLLECTION, Collection, RawDocument
from ..stats import ReleaseStats
from .records import crawl_source_file

DOCUMENTS = "documents"
DOCUMENTS_SCHEMA = pa.schema([
    pa.field("thread_id", pa.string(), nullable=False),
    pa.field("source_sha256", pa.string(), nullable=False),
    pa.field("data", pa.binary(), nullable=False),
])
_ROW_KEYS = {"threads": "thread_id", "comments": "comment_id", "speakers": "speaker_id"}


PLAN = "plan.json"  # what a crawl reads and how (run.check_plan), and the shards' format
# What the shards hold, and where a release puts their raw copies; shards of another format are
# neither resumed nor merged. 2: raw copies spread over folders (records.crawl_source_file).
WORK_FORMAT = 2
RAW_AS = ("files", "parquet")  # where a release keeps its raw documents (write_merged)


def check_raw_as(raw_as: str) -> None:
    if raw_as not in RAW_AS:
        raise ThreadloomError("--raw-as", f"{raw_as!r} is not a way to keep raw documents",
                              f"give one of {', '.join(RAW_AS)}")


def check_work_format(work: Path) -> None:
    """Refuse a work folder whose plan records another format of shards (or none: before 2)."""
    path = work / PLAN
    if path.is_file():
        found = json.loads(path.read_text(encoding="utf-8")).get("work_format")
        if found != WORK_FORMAT:
            raise ThreadloomError(str(work), f"these shards are in work format {found or 1}, this threadloom "
                                  f"reads format {WORK_FORMAT}", "rerun the crawl into a new work folder")


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


@dataclass
class MergeProgress:
    """How far a merge is: raw documents written, and rows handed to each config's writer, each of
    its total (a config's total counts the shards' rows, duplicates included)."""

    raw_written: int = 0
    raw_total: int = 0
    rows_done: dict[str, int] = field(default_factory=dict)
    rows_total: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def render(self) -> str:
        rows = ", ".join(f"{config} {self.rows_done.get(config, 0) * 100 // max(total, 1)}%"
                         for config, total in self.rows_total.items())
        return f"threadloom merge: {self.raw_written} of {self.raw_total} raw documents, rows: {rows}"


def terminal_merge_progress(progress: MergeProgress) -> None:
    """One self-overwriting line on stderr."""
    sys.stderr.write(f"\r{progress.render()}   ")
    sys.stderr.flush()


FAN_IN = 32  # sorted runs merged at once: each holds one decoded row group (~1 MB at most)
RUN_ROWS = 1_000  # rows per row group of an intermediate run (a merge of FAN_IN runs)
DOCUMENT_RUN_ROWS = 50  # the same for whole raw documents (tens of KB each: ~1 MB a row group)


@dataclass(frozen=True)
class Run:
    """Rows in thread id order: one row group of a shard (sorted as it is read: a worker writes
    rows in the order it threads pages), or the row groups of an intermediate run's file."""

    path: Path
    row_groups: tuple[int, ...]
    rows: int

    def groups(self, schema: pa.Schema) -> Iterator[tuple[str, pa.Table]]:
        """Each thread id with its rows, in order (the sort is stable: a thread's rows keep their
        order)."""
        with pq.ParquetFile(self.path, pre_buffer=False) as file:
            for index in self.row_groups:
                table = file.read_row_group(index)
                table = table if table.schema.equals(schema) else table.cast(schema)
                ids = table["thread_id"].to_pylist()
                if any(a > b for a, b in pairwise(ids)):  # intermediate runs are sorted already
                    table = table.sort_by("thread_id")
                    ids = table["thread_id"].to_pylist()
                start = 0
                for i in range(1, len(ids) + 1):
                    if i == len(ids) or ids[i] != ids[start]:
                        yield ids[start], table.slice(start, i - start)
                        start = i


def shard_runs(work: Path, kind: str) -> list[Run]:
    """Every row group of a kind's shards, in the order the workers wrote them (rank, then row
    group): ties between equal thread ids are broken in this order, as one concatenation would."""
    runs = []
    for path in sorted((work / "shards" / kind).glob("*.parquet")):
        with pq.ParquetFile(path) as shard:
            runs += [Run(path, (index,), shard.metadata.row_group(index).num_rows)
                     for index in range(shard.num_row_groups)]
    return runs


def merged_groups(runs: list[Run], schema: pa.Schema, scratch: Path,
                  run_rows: int = RUN_ROWS) -> Iterator[tuple[str, pa.Table]]:
    """(thread id, rows) from sorted runs, in thread id order and, for one id, in run order. More
    than FAN_IN runs are first merged FAN_IN at a time into files under `scratch` (an external
    merge sort, `run_rows` rows to a row group): memory stays bounded whatever the number of
    shards."""
    level = 0
    while len(runs) > FAN_IN:
        merged = [_merge_into_file(runs[i : i + FAN_IN], schema, scratch / f"run-{level}-{i:08d}.parquet",
                                   run_rows)
                  for i in range(0, len(runs), FAN_IN)]
        if level:  # the intermediate runs just merged (never the shards) are no longer needed
            for run in runs:
                run.path.unlink()
        runs, level = merged, level + 1
    # heapq.merge breaks ties by the order of its inputs: equal thread ids come in run order
    yield from heapq.merge(*(run.groups(schema) for run in runs), key=itemgetter(0))


def _merge_into_file(runs: list[Run], schema: pa.Schema, path: Path, run_rows: int) -> Run:
    path.parent.mkdir(parents=True, exist_ok=True)
    # uncompressed: written once and read once, soon after (zstd made the merge ~35% slower)
    with pq.ParquetWriter(path, schema, compression="none", write_statistics=False) as writer:
        pending: list[pa.Table] = []
        waiting = 0
        for _, table in merged_groups(runs, schema, path.parent, run_rows):
            pending.append(table)
            waiting += table.num_rows
            if waiting >= run_rows:  # whole threads only: a thread's rows stay in one row group
                writer.write_table(pa.concat_tables(pending))
                pending, waiting = [], 0
        if pending:
            writer.write_table(pa.concat_tables(pending))
    with pq.ParquetFile(path) as written:
        return Run(path, tuple(range(written.num_row_groups)), written.metadata.num_rows)


def _first_of_each(table: pa.Table, key: str) -> pa.Table:
    """The rows of one thread id, each row key once (an exact duplicate record gives the same
    rows twice: the first copy is kept)."""
    keys = table[key].to_pylist()
    if len(set(keys)) == len(keys):
        return table
    seen: set[str] = set()
    first = []
    for k in keys:
        first.append(k not in seen)
        seen.add(k)
    return table.filter(pa.array(first))


def config_tables(runs: list[Run], config: str, drop: set[str], scratch: Path,
                  progress: MergeProgress | None = None) -> Iterator[pa.Table]:
    """A config's release rows from its shards' runs (`shard_runs`), thread by thread in thread
    id order, without the thread ids in `drop`."""
    schema, key = arrow_schema(config), _ROW_KEYS[config]
    merged = merged_groups(runs, schema, scratch / config)
    for thread_id, groups in groupby(merged, key=itemgetter(0)):
        tables = [table for _, table in groups]
        if progress is not None:
            progress.rows_done[config] = progress.rows_done.get(config, 0) + sum(t.num_rows for t in tables)
        if thread_id in drop:
            continue
        yield _first_of_each(tables[0] if len(tables) == 1 else pa.concat_tables(tables), key)


def thread_checksums(work: Path) -> tuple[dict[str, str], set[str], int]:
    """The sha256 of every thread id's document, the ids that records with different text share
    (dropped), and how many records those are. Reads only two columns of the threads' shards."""
    first: dict[str, str] = {}
    copies: Counter[str] = Counter()
    conflicting: set[str] = set()
    for path in sorted((work / "shards" / "threads").glob("*.parquet")):
        with pq.ParquetFile(path) as shard:
            table = shard.read(columns=["thread_id", "source_sha256"])
        for tid, sha in zip(table["thread_id"].to_pylist(), table["source_sha256"].to_pylist(), strict=True):
            if tid not in first:
                first[tid] = sha
                continue
            copies[tid] += 1
            if first[tid] != sha:
                conflicting.add(tid)
    kept = {tid: sha for tid, sha in first.items() if tid not in conflicting}
    return kept, conflicting, sum(copies[tid] + 1 for tid in conflicting)


def _write_raw(work: Path, folder: Path, kept: dict[str, str], progress: MergeProgress | None = None) -> None:
    written: set[str] = set()
    folders: set[Path] = set()
    for path in sorted((work / "shards" / DOCUMENTS).glob("*.parquet")):
        for batch in pq.ParquetFile(path).iter_batches(batch_size=256):
            for tid, sha, data in zip(batch.column("thread_id").to_pylist(),
                                      batch.column("source_sha256").to_pylist(),
                                      batch.column("data").to_pylist(), strict=True):
                if kept.get(tid) == sha and tid not in written:
                    target = folder / "raw" / crawl_source_file(tid)
                    if target.parent not in folders:
                        target.parent.mkdir(exist_ok=True)
                        folders.add(target.parent)
                    target.write_bytes(data)
                    written.add(tid)
                    if progress is not None:
                        progress.raw_written = len(written)
    missing = sorted(set(kept) - written)
    if missing:
        raise ThreadloomError(str(work), f"no raw document for thread {missing[0]!r} in the shards",
                              "the shards are incomplete; rerun the crawl")


def raw_tables(work: Path, kept: dict[str, str], scratch: Path,
               progress: MergeProgress | None = None) -> Iterator[pa.Table]:
    """The `raw` config's rows, one table per thread in thread id order: each kept document once
    (the copy whose checksum the threads' rows give), its bytes as UTF-8 text."""
    schema = arrow_schema(RAW_CONFIG)
    merged = merged_groups(shard_runs(work, DOCUMENTS), DOCUMENTS_SCHEMA, scratch / DOCUMENTS,
                           DOCUMENT_RUN_ROWS)
    written = 0
    for thread_id, groups in groupby(merged, key=itemgetter(0)):
        sha = kept.get(thread_id)
        if sha is None:
            continue  # a thread id the duplicate check dropped (groupby skips its rows)
        rows = pa.concat_tables([table for _, table in groups])
        copies = rows.filter(pc.equal(rows["source_sha256"], sha))
        if not copies.num_rows:
            continue  # reported below, as missing
        text = copies["data"].combine_chunks().slice(0, 1).cast(pa.string())  # checks the UTF-8
        yield pa.table([[thread_id], [crawl_source_file(thread_id)], [sha], text], schema=schema)
        written += 1
        if progress is not None:
            progress.raw_written = written
    if written != len(kept):
        raise ThreadloomError(str(work), f"{len(kept) - written} thread(s) have no raw document in the "
                              "shards", "the shards are incomplete; rerun the crawl")


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


def write_merged(folder: Path, work: Path, info: dict[str, Any], datasheet_template: str | None,
                 progress: MergeProgress | None = None, raw_as: str = "files") -> tuple[ReleaseStats, int]:
    kept, conflicting, duplicates = thread_checksums(work)
    runs = {config: shard_runs(work, config) for config in CONFIGS}
    if progress is not None:
        progress.raw_total = len(kept)
        progress.rows_total = {config: sum(run.rows for run in runs[config]) for config in CONFIGS}
    # as files, the manifest lists every raw document with its checksum, and their bytes are
    # written to disk while the Parquet files are (creating thousands of files waits on the disk,
    # not the GIL); as rows, they are one more config, whose rows carry the checksums
    documents = () if raw_as == "parquet" else tuple(RawDocument(crawl_source_file(tid), tid, b"", "", sha)
                                                     for tid, sha in sorted(kept.items()))
    scratch = Path(tempfile.mkdtemp(prefix="merge-", dir=work))  # intermediate runs, if any
    try:
        tables: dict[str, Iterator[pa.Table]] = {
            config: config_tables(runs[config], config, conflicting, scratch, progress) for config in CONFIGS
        }
        meanwhile: Callable[[], None] | None = None
        if raw_as == "parquet":
            tables[RAW_CONFIG] = raw_tables(work, kept, scratch, progress)
        else:
            (folder / "raw").mkdir(parents=True, exist_ok=True)
            meanwhile = partial(_write_raw, work, folder, kept, progress)
        stats = write_release_files(folder, Collection(work, info, documents), tables, datasheet_template,
                                    meanwhile=meanwhile)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return stats, duplicates


def merge_shards(work: Path, out: Path, info: dict[str, Any], *, datasheet_template: str | None = None,
                 force: bool = False, progress: Callable[[MergeProgress], None] | None = None,
                 raw_as: str = "files") -> MergeResult:
    """Merge the shards under `work` into the release folder `out`, atomically, exactly as
    `build` installs a release (release.install_release). `progress`, when given, is called about
    twice a second while the merge runs, and once at its end. `raw_as`: "files" (raw/, one per
    thread) or "parquet" (the `raw` config)."""
    check_raw_as(raw_as)
    work = Path(work)
    if not (work / "shards" / "threads").is_dir():
        raise ThreadloomError(str(work), "no crawl shards here (shards/threads/ is missing)",
                              "give the --work folder of a finished `threadloom crawl`")
    check_work_format(work)
    summary = read_summaries(work)
    started = time.monotonic()
    duplicates = 0
    state = MergeProgress() if progress is not None else None

    def write(staging: Path) -> ReleaseStats:
        nonlocal duplicates
        stats, duplicates = write_merged(staging, work, info, datasheet_template, state, raw_as)
        return stats

    with _reporting(state, progress, started):
        result = install_release(Path(out), write, version=str(info["version"]), force=force,
                                 bump_hint="bump --version, or pass --force")
    if duplicates:
        summary.add({"rejected": {"duplicate id": duplicates}})
        summary.threaded -= duplicates  # they were counted as threaded by their workers
    summary.merge_seconds = summary.seconds = time.monotonic() - started
    return MergeResult(result.out, result.stats, summary, result.unchanged)


@contextmanager
def _reporting(state: MergeProgress | None, show: Callable[[MergeProgress], None] | None,
               started: float) -> Iterator[None]:
    """Call `show` with `state` every half second from a thread while the block runs, and once
    after it."""
    if state is None or show is None:
        yield
        return
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.5):
            state.seconds = time.monotonic() - started
            show(state)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()
    state.seconds = time.monotonic() - started
    show(state)
