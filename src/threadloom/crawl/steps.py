"""threadloom's per-document work as datatrove pipeline steps:

    CrawlReader -> TriageStep -> ThreadloomStep -> ShardWriter

Every document flows through every step (a skipped or rejected one carries its outcome in its
metadata), so the writer can count everything; only threaded documents produce rows. Each step
counts what it did in datatrove's stats. Needs the `crawl` extra.
"""

from __future__ import annotations

import io
import json
import math
import os
import sys
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pyarrow as pa
import pyarrow.parquet as pq
from datatrove.data import Document, DocumentsPipeline
from datatrove.io import get_datafolder
from datatrove.pipeline.base import PipelineStep

from ..errors import ThreadloomError
from ..schemas import CONFIGS, arrow_schema
from ..triage import DEFAULT_TRIAGE, TriageConfig
from .merge import DOCUMENTS, DOCUMENTS_SCHEMA, shard_path, summary_path
from .records import (
    DEFAULT_COLUMNS,
    DEFAULT_SPLIT_BYTES,
    MAX_DOCUMENT_BYTES,
    CrawlColumns,
    CrawlOutcome,
    crawl_thread_id,
    process_record,
    record_metadata,
)
from .wet import WET_SUFFIXES, WarcFormatError, wet_pages

# What a WET record's headers give, under the names record_metadata reads (WET has no title, and
# its date is the fetch's)
WET_COLUMNS = CrawlColumns(text="text", id=None, url="url", date=None, title=None)
OUTCOME = "threadloom_outcome"  # metadata key of a document's CrawlOutcome
REJECT = "threadloom_reject"  # metadata key: why the reader could not make a document of a record
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".json.gz", ".ndjson")
PLAIN_JSONL_SUFFIXES = (".jsonl", ".ndjson")  # can be read from any byte offset
COMPRESSED_JSONL_SUFFIXES = (".jsonl.gz", ".json.gz", ".jsonl.zst")  # read from the start only
# A compressed file is read from its start, so a share further in decompresses what comes before it
# and throws it away: a file is cut in at most this many shares. The last share then decompresses
# three quarters of the file for nothing, at ~0.4 GB/s here against threadloom's 8-40 MB/s per
# core on a crawl: a few percent of the file's work, for tasks half or a quarter the size.
MAX_COMPRESSED_SHARES = 4
PARQUET_SUFFIXES = (".parquet",)
TEXT_SUFFIXES = (".txt",)
INPUT_SUFFIXES = JSONL_SUFFIXES + PARQUET_SUFFIXES + TEXT_SUFFIXES + WET_SUFFIXES


def quiet_datatrove_console() -> None:
    """datatrove logs every task at INFO on stderr; keep only its warnings there."""
    from datatrove.utils.logging import logger

    logger.remove()
    logger.add(sys.stderr, level="WARNING", format="datatrove: {level}: {message}")


TASK_LOG_FORMAT = "{time:YYYY-MM-DD HH:mm:ss.SSS} | {level: <8} | {name}:{function}:{line} - {message}"


@contextmanager
def quiet_task_logs() -> Iterator[None]:
    """While a crawl runs here (or in workers forked from here), datatrove's per-task logger
    writes its INFO lines (task launched, the pipeline, the stats) to the task's log file only,
    and only warnings to stderr: `threadloom crawl` prints its own progress and summary."""
    import datatrove.executor.base as executor_base
    from datatrove.utils.logging import logger

    def add_task_logger(logging_dir: Any, rank: int, *args: Any, **kwargs: Any) -> Any:
        logger.remove()
        logfile = logging_dir.open(f"logs/task_{rank:05d}.log", "w")
        logger.add(logfile, level="DEBUG", colorize=False, format=TASK_LOG_FORMAT)
        logger.add(sys.stderr, level="WARNING", format="datatrove: {level}: {message}")
        logger.info(f"Launching pipeline for rank={rank}")
        return logfile

    def close_task_logger(logfile: Any) -> None:
        logger.complete()
        quiet_datatrove_console()
        logfile.close()

    saved = executor_base.add_task_logger, executor_base.close_task_logger
    executor_base.add_task_logger, executor_base.close_task_logger = add_task_logger, close_task_logger
    try:
        yield
    finally:
        executor_base.add_task_logger, executor_base.close_task_logger = saved


def estimated_text_bytes(path: str) -> int:
    """About how many bytes of records a crawl file holds, to balance tasks and cut shares: a .gz
    file's own trailer (its uncompressed size, modulo 4 GiB; of a file of many gzip members, as
    WET's, only the last member's, which reads too small), a .zst file's first frame header (the
    size it declares, as the zstd tool writes it; of a file of many frames, the first one's),
    else the size on disk, times 4 if compressed."""
    size = os.path.getsize(path)
    if path.endswith(".gz") and size >= 18:
        with open(path, "rb") as handle:
            handle.seek(-4, os.SEEK_END)
            isize = int.from_bytes(handle.read(4), "little")
        return isize if isize >= size else 4 * size  # a wrapped trailer (> 4 GiB) or a last member's
    if path.endswith(".zst"):
        declared = _zstd_declared_size(path)
        return declared if declared >= size else 4 * size
    return 4 * size if path.endswith(".parquet") else size


ZSTD_FRAME_HEADER_MAX = 18  # bytes: a zstd frame header is at most this long


def _zstd_declared_size(path: str) -> int:
    """The decompressed size a .zst file's first frame declares, or -1 (none declared, or no zstd
    frame: reading the file will say what is wrong with it)."""
    try:
        import zstandard
    except ImportError:  # pragma: no cover - zstandard comes with the crawl extra
        return -1
    with open(path, "rb") as handle:
        head = handle.read(ZSTD_FRAME_HEADER_MAX)
    try:
        return int(zstandard.frame_content_size(head))
    except zstandard.ZstdError:
        return -1


def balanced_assignment(sizes: list[int], tasks: int) -> list[list[int]]:
    """File indexes per task, largest first, each to the task with the fewest bytes so far
    (ties: the lower task): tasks get equal work, and task 0, which a pool starts first, the
    largest files, so no worker is left with a big file at the end. Deterministic."""
    load = [0] * tasks
    assigned: list[list[int]] = [[] for _ in range(tasks)]
    for index in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        task = min(range(tasks), key=lambda t: (load[t], t))
        load[task] += sizes[index]
        assigned[task].append(index)
    return assigned


def _igzip() -> Any:
    """ISA-L's gzip reader (the `isal` package, part of the crawl extra): the same bytes as the
    gzip module's, decompressed ~3x as fast (50 -> 17 ms for 13 MB of JSONL here)."""
    try:
        from isal import igzip
    except ImportError:  # pragma: no cover - isal comes with the crawl extra
        return None
    return igzip


_IGZIP = _igzip()


def _damaged_file_errors() -> tuple[type[BaseException], ...]:
    """What the decoders raise on a damaged file (truncated or corrupt gzip, zstd or Parquet)."""
    errors: list[type[BaseException]] = [EOFError, OSError, zlib.error, pa.ArrowException, WarcFormatError]
    try:
        import zstandard

        errors.append(zstandard.ZstdError)
    except ImportError:  # pragma: no cover - zstandard comes with the crawl extra
        pass
    if _IGZIP is not None:
        from isal import isal_zlib

        errors.append(cast(type[BaseException], isal_zlib.error))  # typed as an instance in its stubs
    return tuple(errors)


_DAMAGED_FILE_ERRORS = _damaged_file_errors()


@dataclass(frozen=True)
class ReadUnit:
    """The share of one crawl file that one task reads: a byte range of a JSONL file (the lines
    that start in it; of a compressed file, a range of its decompressed bytes), a range of a
    Parquet file's row groups, or a whole file (WET and .txt). Which task reads a unit changes
    nothing in the release, so a crawl of a few big files still keeps every worker busy."""

    path: str
    start: int = 0  # first byte (JSONL, decompressed) or row group (Parquet)
    stop: int | None = None  # end, exclusive; None: the end of the file
    size: int = 0  # estimated bytes of records, to balance tasks


def read_units(files: list[str], split_bytes: int = DEFAULT_SPLIT_BYTES) -> list[ReadUnit]:
    """Every file's read units, in file order; deterministic (every task plans the same)."""
    units: list[ReadUnit] = []
    for path in files:
        if path.endswith(PLAIN_JSONL_SUFFIXES):
            size = os.path.getsize(path)
            units += _byte_ranges(path, size, max(1, math.ceil(size / split_bytes)), exact=True)
        elif path.endswith(COMPRESSED_JSONL_SUFFIXES):  # cut by its estimated decompressed size
            size = estimated_text_bytes(path)
            parts = min(MAX_COMPRESSED_SHARES, max(1, math.ceil(size / split_bytes)))
            units += _byte_ranges(path, size, parts, exact=False)
        elif path.endswith(PARQUET_SUFFIXES):
            units += _parquet_units(path, split_bytes)
        else:
            units.append(ReadUnit(path, size=estimated_text_bytes(path)))
    return units


def _byte_ranges(path: str, size: int, parts: int, exact: bool) -> list[ReadUnit]:
    """`parts` consecutive byte ranges of a JSONL file of `size` bytes, of about equal size; the
    last ends at `size` when it is `exact`, else at the file's end whatever the estimate (a
    compressed file's size is its header's word, or a guess: `estimated_text_bytes`)."""
    bounds = [size * k // parts for k in range(parts + 1)]
    starts, stops = bounds[:-1], [*bounds[1:-1], size if exact else None]
    return [ReadUnit(path, a, b, (size if b is None else b) - a) for a, b in zip(starts, stops, strict=True)]


def _parquet_units(path: str, split_bytes: int) -> list[ReadUnit]:
    """Consecutive row groups of about split_bytes (uncompressed) each."""
    try:
        metadata = pq.ParquetFile(path).metadata
    except (OSError, pa.ArrowException) as error:
        raise ThreadloomError(path, f"not a readable Parquet file ({error})",
                              "remove or replace it and rerun") from None
    units: list[ReadUnit] = []
    start = size = 0
    for group in range(metadata.num_row_groups):
        size += metadata.row_group(group).total_byte_size
        if size >= split_bytes:
            units.append(ReadUnit(path, start, group + 1, size))
            start, size = group + 1, 0
    if start < metadata.num_row_groups or not units:
        units.append(ReadUnit(path, start, metadata.num_row_groups, size))
    return units


SKIP_CHUNK = 1024 * 1024  # 16 MiB at a time raised a worker's peak memory by ~30 MB; 1 MiB by ~3


def _skip(stream: Any, size: int) -> None:
    """Read and drop the next `size` bytes of a decompressing stream (or fewer, at its end): the
    zstd stream cannot seek."""
    while size > 0:
        chunk = stream.read(min(size, SKIP_CHUNK))
        if not chunk:
            return
        size -= len(chunk)


class CrawlReader(PipelineStep):  # type: ignore[misc]
    """Read crawl files (JSONL, plain or .gz/.zst; Parquet; WET; .txt documents), each task a share of
    their read units (`read_units`) balanced by estimated size (`balanced_assignment`; which task
    reads a unit changes nothing in the release). Records become Documents whose metadata holds the
    thread id and what the `threads` config carries (url, site, title, published). A record with
    neither id nor url is named after its place in its file: "NAME@BYTE" for JSONL (the offset of
    its line, uncompressed) and WET (of its record), "NAME#ROW" for Parquet."""

    name = "threadloom crawl reader"
    type = "📖 - READER"

    def __init__(self, files: list[str], columns: CrawlColumns = DEFAULT_COLUMNS, quiet: bool = True,
                 split_bytes: int = DEFAULT_SPLIT_BYTES, units: list[ReadUnit] | None = None) -> None:
        super().__init__()
        self.files = list(files)
        self.columns = columns
        self.quiet = quiet
        self.split_bytes = split_bytes
        # planned once by the launcher (a Parquet file's row groups are read from its footer:
        # every task of a cluster run would otherwise read every file's footer again)
        self.units = units

    def _document(self, data: dict[str, Any], place: str) -> Document:
        columns = self.columns
        record_id = data.get(columns.id) if columns.id else None
        return self._make_document(data.get(columns.text), record_id, record_metadata(data, columns), place)

    def _make_document(self, text: Any, record_id: Any, meta: dict[str, Any], place: str) -> Document:
        key = str(record_id) if record_id not in (None, "") else None
        metadata: dict[str, Any] = {"threadloom_meta": meta}
        if not isinstance(text, str) or not text:
            text, metadata[REJECT] = " ", "no text" if text in (None, "") else "text is not a string"
        return Document(text=text, id=crawl_thread_id(key, meta.get("url"), place), metadata=metadata)

    def _read_unit(self, unit: ReadUnit) -> Iterator[Document]:
        """The unit's documents; a file that turns out damaged part-way (a truncated .gz, a corrupt
        Parquet) keeps what was read before, and the rest becomes one rejected document whose
        reason names the damage, so the run finishes and its summary says so."""
        name = Path(unit.path).name
        if name.endswith(TEXT_SUFFIXES):
            yield self._read_text_file(unit.path)
            return
        if name.endswith(PARQUET_SUFFIXES):
            reading = self._read_parquet(unit)
        elif name.endswith(WET_SUFFIXES):
            reading = self._read_wet(unit)
        else:
            reading = self._read_jsonl(unit)
        try:
            yield from reading
        except _DAMAGED_FILE_ERRORS as error:
            from datatrove.utils.logging import logger

            reason = f"damaged input file ({type(error).__name__})"
            logger.warning(f"{unit.path}: {reason}: {error}; the rest of it is skipped")
            yield self._rejected(f"{name}@damaged-{unit.start}", reason)

    def _rejected(self, place: str, reason: str) -> Document:
        return Document(text=" ", id=crawl_thread_id(None, None, place),
                        metadata={"threadloom_meta": {}, REJECT: reason})

    @contextmanager
    def _open_stream(self, path: str, plain: bool) -> Iterator[Any]:
        """The file's bytes, decompressed (.gz by ISA-L when installed, .zst by zstandard); `plain`:
        the file is not compressed."""
        folder, name = str(Path(path).parent), Path(path).name
        gzipped = name.endswith(".gz") and _IGZIP is not None
        inferred = None if plain or gzipped else "infer"
        with get_datafolder(folder).open(name, "rb", compression=inferred) as raw:
            # a decompressing stream may not iterate lines itself (zstandard's does not)
            yield raw if plain else _IGZIP.IGzipFile(fileobj=raw) if gzipped else io.BufferedReader(raw)

    def _read_jsonl(self, unit: ReadUnit) -> Iterator[Document]:
        """The records whose lines start in the unit's byte range: the file is entered at the first
        line that starts at or after `start` (a compressed file's bytes before it are decompressed
        and skipped: `_skip`), and no line starting at `stop` or later is read. Damage before the
        first line of the unit's own is left to the unit that holds it to report."""
        import orjson

        name = Path(unit.path).name
        plain = name.endswith(PLAIN_JSONL_SUFFIXES)
        with self._open_stream(unit.path, plain) as handle:
            offset = 0
            if unit.start:
                try:
                    if plain:
                        handle.seek(unit.start - 1)
                    else:
                        _skip(handle, unit.start - 1)
                    offset = unit.start - 1 + len(handle.readline())  # the rest of a line begun before
                except _DAMAGED_FILE_ERRORS:
                    return  # the file is damaged before this unit's records: an earlier unit says so
            while unit.stop is None or offset < unit.stop:
                line = handle.readline()
                if not line:
                    break
                at, offset = offset, offset + len(line)
                if not line.strip():
                    continue
                try:
                    data = orjson.loads(line)
                except orjson.JSONDecodeError:
                    yield self._rejected(f"{name}@{at}", "not a JSON record")
                    continue
                if isinstance(data, dict):
                    yield self._document(data, f"{name}@{at}")
                else:
                    yield self._rejected(f"{name}@{at}", "not a JSON object")

    def _read_wet(self, unit: ReadUnit) -> Iterator[Document]:
        """The pages of a WET file: each record's text, its WARC-Record-ID as the record id and its
        WARC-Target-URI as the url. Its WARC-Date is when the page was fetched, not published: it
        is not carried. A page larger than a document may be is rejected without being kept."""
        name = Path(unit.path).name
        with self._open_stream(unit.path, plain=name.endswith(".wet")) as handle:
            for page in wet_pages(handle, MAX_DOCUMENT_BYTES):
                place = f"{name}@{page.offset}"
                if page.body is None:
                    yield self._rejected(place, f"larger than {MAX_DOCUMENT_BYTES // 1_000_000} MB")
                    continue
                try:
                    text = page.body.decode("utf-8")
                except UnicodeDecodeError:
                    yield self._rejected(place, "not valid UTF-8")
                    continue
                meta = record_metadata({"url": page.url}, WET_COLUMNS)
                yield self._make_document(text, page.record_id, meta, place)

    def _read_parquet(self, unit: ReadUnit) -> Iterator[Document]:
        """Only the columns the crawl uses (a crawl's Parquet may also hold the HTML, headers, ...:
        reading them would cost more than the text), and only the unit's row groups."""
        wanted = [c for c in self.columns if c]
        name = Path(unit.path).name
        with get_datafolder(str(Path(unit.path).parent)).open(name, "rb") as handle, \
                pq.ParquetFile(handle) as parquet:
            present = set(parquet.schema_arrow.names)
            columns = [c for c in dict.fromkeys(wanted) if c in present]
            stop = parquet.metadata.num_row_groups if unit.stop is None else unit.stop
            groups = list(range(unit.start, stop))
            index = sum(parquet.metadata.row_group(g).num_rows for g in range(unit.start))
            if not groups:
                return
            for batch in parquet.iter_batches(batch_size=256, row_groups=groups, columns=columns):
                for data in batch.to_pylist():
                    yield self._document(data, f"{name}#{index}")
                    index += 1

    def _read_text_file(self, path: str) -> Document:
        file = Path(path)
        thread_id = crawl_thread_id(file.name[: -len(".txt")])
        meta_path = file.with_name(file.name[: -len(".txt")] + ".meta.json")
        meta: dict[str, Any] = {}
        if meta_path.is_file():
            with open(meta_path, encoding="utf-8") as handle:
                sidecar = json.load(handle)
            meta = record_metadata(sidecar, self.columns) | {
                k: v for k, v in sidecar.items() if k in ("title", "site", "published", "language", "licence")
                and isinstance(v, str)}
        metadata: dict[str, Any] = {"threadloom_meta": meta}
        try:
            text = file.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            text, metadata[REJECT] = " ", "not valid UTF-8"
        return Document(text=text or " ", id=thread_id, metadata=metadata)

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if self.quiet:
            quiet_datatrove_console()
        units = self.units if self.units is not None else read_units(self.files, self.split_bytes)
        for index in balanced_assignment([unit.size for unit in units], world_size)[rank]:
            self.stat_update("read_units")
            for document in self._read_unit(units[index]):
                self.stat_update("documents")
                yield document


class TriageStep(PipelineStep):  # type: ignore[misc]
    """Triage and thread each document (see crawl.records.process_record): the outcome, with the
    rows when there are any, goes into the document's metadata."""

    name = "threadloom triage + threading"
    type = "🧵 - THREADLOOM"

    def __init__(self, triage: TriageConfig = DEFAULT_TRIAGE, keep_article_only: bool = False) -> None:
        super().__init__()
        self.triage = triage
        self.keep_article_only = keep_article_only

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for document in data or ():
            with self.track_time():
                reject = document.metadata.get(REJECT)
                if reject:
                    outcome = CrawlOutcome("rejected", reject, document.id)
                else:
                    outcome = process_record(document.text, document.id,
                                             document.metadata.get("threadloom_meta", {}),
                                             triage=self.triage, keep_article_only=self.keep_article_only)
                document.metadata[OUTCOME] = outcome
                self.stat_update(outcome.status)
            yield document


class ShardWriter(PipelineStep):  # type: ignore[misc]
    """Write the rows of each task to Parquet shards with the release's own Arrow schemas, the raw
    documents beside them, a summary at the end and a progress file every second.

    Rows are buffered until `batch_size` of a kind or `batch_bytes` of raw text (threads' text,
    which their comment rows hold again) are waiting: a bound in bytes keeps a worker's memory flat
    however long its threads are (500 threads of 50 KB buffered once cost ~50 MB more at peak; a
    4 MB bound still ~30 MB more than 1 MB, in the Parquet writer's compression buffers)."""

    name = "threadloom shard writer"
    type = "💽 - WRITER"

    def __init__(self, work: str, batch_size: int = 500, batch_bytes: int = 1_000_000) -> None:
        super().__init__()
        self.work = work
        self.batch_size = batch_size
        self.batch_bytes = batch_bytes

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        folder = get_datafolder(self.work)
        schemas = {config: arrow_schema(config) for config in CONFIGS} | {DOCUMENTS: DOCUMENTS_SCHEMA}
        handles = {kind: folder.open(shard_path(kind, rank), "wb") for kind in schemas}
        # no column statistics: shards are read whole by the merge, and each row group's min/max
        # of the text columns (whole documents) would stay in memory until the shard closes
        writers = {kind: pq.ParquetWriter(handles[kind], schemas[kind], compression="zstd",
                                          write_statistics=False)
                   for kind in schemas}
        batches: dict[str, list[dict[str, Any]]] = {kind: [] for kind in schemas}
        buffered_bytes = 0
        counts: Counter[str] = Counter()
        skipped: Counter[str] = Counter()
        rejected: Counter[str] = Counter()
        start = last = time.monotonic()
        started, cpu_start = time.time(), time.process_time()

        def flush(kind: str) -> None:
            if batches[kind]:
                writers[kind].write_table(pa.Table.from_pylist(batches[kind], schema=schemas[kind]))
                batches[kind].clear()

        def report(done: bool) -> None:
            summary = {"rank": rank, "documents": counts["documents"], "megabytes": counts["bytes"] / 1e6,
                       "threaded": counts["threaded"], "article_only": counts["article-only"],
                       "skipped": dict(sorted(skipped.items())), "rejected": dict(sorted(rejected.items())),
                       "comments": counts["comments"], "seconds": time.monotonic() - start, "done": done,
                       "peak_rss_mb": round(peak_rss_mb(), 1),
                       # where the time went: this task's CPU (read + triage + threading + write, in
                       # this process) against its wall time; a worker that gets less than a full
                       # core (a busy or throttled machine) shows cpu_seconds well below seconds
                       "cpu_seconds": round(time.process_time() - cpu_start, 3), "pid": os.getpid(),
                       "started": round(started, 3), "finished": round(time.time(), 3)}
            with folder.open(summary_path(rank) if done else f"progress/{rank:05d}.json", "w") as handle:
                json.dump(summary, handle)

        try:
            for document in data or ():
                outcome: CrawlOutcome = document.metadata.pop(OUTCOME)
                counts["documents"] += 1
                counts["bytes"] += len(document.text.encode("utf-8", "surrogatepass"))
                if outcome.status == "skipped":
                    skipped[outcome.reason] += 1
                elif outcome.status == "rejected":
                    rejected[outcome.reason] += 1
                else:
                    counts[outcome.status] += 1
                    counts["comments"] += outcome.n_comments
                    for config in CONFIGS:
                        batches[config].extend(outcome.rows[config])
                    batches[DOCUMENTS].append({"thread_id": outcome.thread_id,
                                               "source_sha256": outcome.sha256, "data": outcome.data})
                    buffered_bytes += len(outcome.data)
                    if buffered_bytes >= self.batch_bytes:
                        for kind in schemas:
                            flush(kind)
                        buffered_bytes = 0
                    for kind in schemas:
                        if len(batches[kind]) >= self.batch_size:
                            flush(kind)
                    self.stat_update(outcome.status)
                if time.monotonic() - last >= 1.0:
                    last = time.monotonic()
                    report(done=False)
                document.metadata.pop("threadloom_meta", None)
                yield document
            for kind in schemas:
                flush(kind)
        finally:
            for kind in schemas:
                writers[kind].close()
                handles[kind].close()
        report(done=True)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB, macOS bytes)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3
