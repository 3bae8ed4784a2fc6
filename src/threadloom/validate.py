"""Check a release folder: files against the manifest, Parquet against the schemas, rows against
the JSON Schemas, and the integrity rules no schema can express.

Every problem is one line naming the file (and the row) and what is wrong; checking goes on
after a problem so that one run lists them all.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from .intake import safe_child
from .reading import Stray, ThreadRows, batch_rows
from .release import MANIFEST, file_digest, parquet_path, raw_in_parquet
from .repair import split_raw_lines
from .schemas import (
    CONFIGS,
    RAW_CONFIG,
    SCHEMA_VERSION,
    SCHEMA_VERSIONS,
    arrow_schema,
    batch_is_valid,
    release_configs,
    validate_instance,
)
from .skipped import check_skipped
from .sources import sha256_hex

Row = dict[str, Any]


@dataclass
class Report:
    folder: Path
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def summary(self) -> str:
        return ", ".join(f"{n} {config}" for config, n in self.counts.items())

    def to_dict(self) -> dict[str, Any]:
        return {"release": str(self.folder), "ok": self.ok, "counts": self.counts, "problems": self.problems}


def validate_release(folder: Path) -> Report:
    """Every problem of the release in `folder`. Rows are read a batch at a time, thread by thread
    (each config holds a thread's rows together, threads in the same order in all three), so a
    release of any size is checked in bounded memory and in one pass."""
    folder = Path(folder)
    report = Report(folder)
    if not folder.is_dir():
        report.add(str(folder), "not a directory")
        return report
    manifest = check_manifest(folder, report)
    # the raw documents are files under raw/, or (a crawl's --raw-as parquet) the raw config's rows
    configs = release_configs(raw_in_parquet(folder))
    with contextlib.ExitStack() as files:
        readable = {config: open_config(folder, config, report) for config in configs}
        for file in readable.values():
            if file is not None:
                files.callback(file.close)
        report.counts.update({config: 0 for config, file in readable.items() if file is not None})  # in order
        if manifest is not None:
            check_manifest_versions(folder, manifest, report, configs)
        opened = {config: file for config, file in readable.items() if file is not None}
        source_files: set[str] = set()
        if len(opened) == len(configs):
            source_files = check_integrity(folder, opened, report, manifest)
        else:  # the rows of the readable configs are still checked against their schemas
            for config, file in opened.items():
                for _ in config_rows(file, config, report):
                    pass
    for where, what in check_skipped(folder, source_files):
        report.add(where, what)
    return report


def check_manifest(folder: Path, report: Report) -> dict[str, Any] | None:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        listed = {entry["path"]: entry for entry in manifest["files"]}
    except FileNotFoundError:
        report.add(MANIFEST, "missing")
        return None
    except (ValueError, KeyError, TypeError) as err:
        report.add(MANIFEST, f"unreadable: {err}")
        return None
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    present.discard(MANIFEST)
    for rel in sorted(present - set(listed)):
        report.add(rel, "not listed in the manifest (an extra file)")
    for rel in sorted(set(listed) - present):
        report.add(rel, "listed in the manifest but missing")
    for rel in sorted(present & set(listed)):
        size, digest = file_digest(folder / rel)
        if size != listed[rel].get("bytes") or digest != listed[rel].get("sha256"):
            report.add(rel, "checksum does not match the manifest (the file was changed or damaged)")
    return dict(manifest)


def check_manifest_versions(folder: Path, manifest: dict[str, Any], report: Report,
                            configs: tuple[str, ...] = CONFIGS) -> None:
    """The manifest's versions and raw checksums, which no file checksum covers, must agree with
    the Parquet metadata and the raw files (raw rows: `check_integrity`)."""
    for config in configs:
        rel = parquet_path(config)
        try:
            meta = pq.read_schema(folder / rel).metadata or {}
        except Exception:  # a missing or damaged file is reported by open_config
            continue
        for key in ("dataset_version", "schema_version"):
            value = meta.get(f"threadloom.{key}".encode())
            if value is not None and manifest.get(key) != value.decode():
                report.add(MANIFEST, f"{key} {manifest.get(key)!r} differs from {value.decode()!r} in {rel}")
    if RAW_CONFIG in configs:
        return  # no raw files: the listed checksums are checked against the raw rows
    for entry in manifest.get("raw_documents", []):
        try:
            raw = safe_child(folder / "raw", str(entry.get("source_file")))
        except ValueError:
            report.add(MANIFEST, f"raw_documents names {entry.get('source_file')!r}, outside raw/")
            continue
        if raw.is_file() and sha256_hex(raw.read_bytes()) != entry.get("sha256"):
            report.add(
                MANIFEST,
                f"raw_documents records a sha256 for {entry.get('source_file')} "
                "that its raw file does not have",
            )


def open_config(folder: Path, config: str, report: Report) -> pq.ParquetFile | None:
    """A config's Parquet file, if it can be opened and has the config's Arrow schema and the
    release's metadata."""
    rel = parquet_path(config)
    try:
        file = pq.ParquetFile(folder / rel)
    except FileNotFoundError:
        report.add(rel, "missing")
        return None
    except Exception as err:  # pyarrow raises several types for damaged files
        report.add(rel, f"not a readable Parquet file ({type(err).__name__}: {err})")
        return None
    schema = file.schema_arrow
    version = schema_version_of(file)
    if version not in SCHEMA_VERSIONS:
        report.add(rel, f"schema_version {version!r} is not one this threadloom reads "
                        f"({', '.join(SCHEMA_VERSIONS)}): a newer threadloom may read it")
        return None
    if not schema.remove_metadata().equals(arrow_schema(config, version)):
        report.add(rel, f"Arrow schema differs from schemas/{config}.schema.json (schema {version})")
        return None
    meta = schema.metadata or {}
    for key in (b"threadloom.dataset_version", b"threadloom.schema_version", b"threadloom.version"):
        if key not in meta:
            report.add(rel, f"Parquet metadata lacks {key.decode()}")
    return file


def schema_version_of(file: pq.ParquetFile) -> str:
    """The schema version a config's file was written with (this version's when it does not say:
    its metadata is then reported missing)."""
    value = (file.schema_arrow.metadata or {}).get(b"threadloom.schema_version")
    return SCHEMA_VERSION if value is None else value.decode("utf-8", "replace")


def config_rows(file: pq.ParquetFile, config: str, report: Report) -> Iterator[Row]:
    """The rows of a config, a batch at a time, each checked against the config's JSON Schema (a
    column at a time; row by row, for the messages, in a batch that fails); counted in the report.
    A file damaged part-way is reported, and its rows end there."""
    rel = parquet_path(config)
    index = 0
    version = schema_version_of(file)
    try:
        for batch in file.iter_batches(batch_size=batch_rows(config)):
            checked = batch_is_valid(config, batch, version)
            for row in batch.to_pylist():
                problem = None if checked else validate_instance(config, row)
                if problem:
                    report.add(f"{rel} row {index}", problem)
                index += 1
                yield row
    except Exception as err:  # damaged pages can decode to invalid UTF-8 only when read
        report.add(rel, f"not a readable Parquet file ({type(err).__name__}: {err})")
    finally:
        report.counts[config] = index


def _stray(config: str, report: Report) -> Stray:
    """Report a row of a thread that is not in threads, and the first row that comes apart from
    the rest of its thread (once per config: the rows after it are then out of step)."""
    where = parquet_path(config)
    reported = False

    def stray(index: int, row: Row, in_threads: bool) -> None:
        nonlocal reported
        if not in_threads:
            report.add(f"{where} row {index}", f"thread {row['thread_id']!r} is not in threads")
        elif not reported:
            reported = True
            report.add(where, f"the rows of thread {row['thread_id']!r} are not together, in threads' order")

    return stray


def _duplicates(values: list[str]) -> list[str]:
    return sorted(v for v, n in Counter(values).items() if n > 1)


def check_integrity(folder: Path, files: dict[str, pq.ParquetFile], report: Report,
                    manifest: dict[str, Any] | None = None) -> set[str]:
    """The rules no schema can express, thread by thread; returns the threads' source files.
    With a `raw` config in `files`, each thread's raw document is its row there (and the
    manifest's raw checksums are checked against those rows)."""
    where_t = parquet_path("threads")
    thread_ids = set(files["threads"].read(columns=["thread_id"])["thread_id"].to_pylist())
    others = [config for config in ("comments", "speakers", RAW_CONFIG) if config in files]
    readers = [
        ThreadRows(config_rows(files[config], config, report), thread_ids, _stray(config, report))
        for config in others
    ]
    seen: set[str] = set()
    source_files: set[str] = set()
    # what the raw rows give, for a manifest that lists raw documents (a release of rows need not)
    listed = RAW_CONFIG in files and manifest is not None and "raw_documents" in manifest
    raw_checksums: dict[str, str] | None = {} if listed else None
    for thread in config_rows(files["threads"], "threads", report):
        tid = thread["thread_id"]
        source_files.add(thread["source_file"])
        if tid in seen:
            report.add(where_t, f"thread_id {tid!r} is not unique")
            continue
        seen.add(tid)
        comments, speakers, *raw = (reader.take(tid) for reader in readers)
        document = _raw_row(thread, raw[0], raw_checksums) if raw else None
        for config, problem in thread_problems(folder, thread, comments, speakers, document):
            where = parquet_path(config) if config in release_configs(raw_rows=True) else config
            report.add(f"{where} thread {tid}", problem)
    for reader in readers:
        reader.rest()
    if manifest is not None and raw_checksums is not None:
        for problem in _listed_raw_problems(manifest, raw_checksums):
            report.add(MANIFEST, problem)
    return source_files


def _raw_row(thread: Row, rows: list[Row], checksums: dict[str, str] | None) -> Row | str:
    """The thread's one raw row (its source_file and checksum noted in `checksums`, if given), or
    what is wrong."""
    if len(rows) != 1:
        return f"{len(rows)} rows in the raw config, expected 1"
    row = rows[0]
    if checksums is not None:
        checksums[row["source_file"]] = row["source_sha256"]
    if row["source_file"] != thread["source_file"]:
        return f"the raw row names {row['source_file']!r}, the thread {thread['source_file']!r}"
    return row


def _listed_raw_problems(manifest: dict[str, Any], checksums: dict[str, str]) -> Iterator[str]:
    """The manifest's raw_documents against the raw rows' source files and checksums."""
    listed = {str(e.get("source_file")): e.get("sha256") for e in manifest.get("raw_documents", [])}
    for name in sorted(set(listed) - set(checksums))[:20]:
        yield f"raw_documents lists {name}, which no raw row holds"
    for name in sorted(set(checksums) - set(listed))[:20]:
        yield f"raw_documents does not list {name}, which a raw row holds"
    for name in sorted(n for n in set(listed) & set(checksums) if listed[n] != checksums[n])[:20]:
        yield f"raw_documents records a sha256 for {name} that its raw row does not have"


def thread_problems(folder: Path, thread: Row, comments: list[Row], speakers: list[Row],
                    raw: Row | str | None = None) -> Iterator[tuple[str, str]]:
    """Every integrity rule of one thread, each problem with the config (or file) it is in.
    `raw`: the thread's row of the raw config (or what is wrong with it), when the release keeps
    its raw documents as rows; else they are read from raw/."""
    for dup in _duplicates([c["comment_id"] for c in comments]):
        yield "comments", f"comment_id {dup!r} is not unique"
    for dup in _duplicates([s["speaker_id"] for s in speakers]):
        yield "speakers", f"speaker_id {dup!r} is not unique"
    speakers_by_id = {s["speaker_id"]: s for s in speakers}
    yield from (("comments", problem) for problem in _order_and_parents(comments))
    yield from _spans(folder, thread, comments, raw)
    yield from _speakers(thread, comments, speakers, speakers_by_id)
    yield from (("threads", problem) for problem in _counts(thread, comments, speakers))


def _order_and_parents(comments: list[Row]) -> Iterator[str]:
    position_of: dict[str, int] = {}
    depth_of: dict[str, int] = {}
    path: list[str] = []  # the previous comment and its ancestors, root first
    for index, c in enumerate(comments):
        cid = c["comment_id"]
        if c["position"] != index:
            yield f"{cid}: position {c['position']}, expected {index} (rows out of display order)"
        if cid != f"{c['thread_id']}/L{c['raw_line_start']}":
            yield f"{cid}: id does not say where the comment starts (L{c['raw_line_start']})"
        parent = c["parent_id"]
        if parent is None:
            expected_depth = 1
            path = [cid]
        elif parent not in position_of:
            yield f"{cid}: parent {parent!r} is not an earlier comment of the same thread"
            expected_depth = c["depth"]
            path = [cid]
        elif parent not in path:
            yield (
                f"{cid}: parent {parent!r} is not on the path from the previous comment to the "
                "post (breaks depth-first display order)"
            )
            expected_depth = depth_of[parent] + 1
            path = [cid]
        else:
            expected_depth = depth_of[parent] + 1
            path = [*path[: path.index(parent) + 1], cid]
        if c["depth"] != expected_depth:
            yield f"{cid}: depth {c['depth']}, expected {expected_depth}"
        position_of[cid] = index
        depth_of[cid] = c["depth"]


def _raw_lines(folder: Path, thread: Row) -> list[tuple[int, str]] | str:
    try:
        path = safe_child(folder / "raw", thread["source_file"])
    except ValueError:
        return f"source_file {thread['source_file']!r} would lead outside the release's raw/ folder"
    try:
        data = path.read_bytes()
    except OSError:
        return f"raw file raw/{thread['source_file']} is missing"
    if sha256_hex(data) != thread["source_sha256"]:
        return f"raw file raw/{thread['source_file']} does not match source_sha256"
    try:
        return list(split_raw_lines(data.decode("utf-8")))
    except UnicodeDecodeError as err:
        return f"raw file raw/{thread['source_file']} is not valid UTF-8 (byte {err.start})"


def _row_lines(thread: Row, row: Row | str) -> list[tuple[int, str]] | str:
    """The raw config's version of `_raw_lines`."""
    if isinstance(row, str):
        return row
    data = row["text"].encode("utf-8", "surrogatepass")
    if sha256_hex(data) != row["source_sha256"]:
        return "the raw row's text does not match its source_sha256"
    if row["source_sha256"] != thread["source_sha256"]:
        return "the raw row's source_sha256 differs from the thread's"
    return list(split_raw_lines(row["text"]))


def _spans(folder: Path, thread: Row, comments: list[Row], raw: Row | str | None = None
           ) -> Iterator[tuple[str, str]]:
    lines = _raw_lines(folder, thread) if raw is None else _row_lines(thread, raw)
    if isinstance(lines, str):
        yield (f"raw/{thread['source_file']}" if raw is None else RAW_CONFIG), lines
        return
    n = len(lines)
    if thread["n_raw_lines"] != n:
        yield "threads", f"n_raw_lines is {thread['n_raw_lines']}, the raw file has {n} lines"
    article_end = thread["article_raw_line_end"] or 0
    if article_end > n:
        yield "threads", f"the article ends at line {article_end}, past the raw file's {n} lines"
    owner: dict[int, str] = {}
    previous_end = article_end
    for c in comments:
        cid, start, end = c["comment_id"], c["raw_line_start"], c["raw_line_end"]
        if not 1 <= start <= end <= n:
            yield "comments", f"{cid}: lines {start}-{end} are not inside the raw file (1-{n})"
            continue
        if start <= previous_end:
            yield "comments", f"{cid}: starts at line {start}, inside the article or an earlier comment"
        previous_end = max(previous_end, end)
        if c["raw_char_start"] != lines[start - 1][0] or c["raw_char_end"] != lines[end - 1][0] + len(
            lines[end - 1][1]
        ):
            yield "comments", f"{cid}: character offsets do not match lines {start}-{end} of the raw file"
        for number in range(start, end + 1):
            owner.setdefault(number, cid)
    for number in range(article_end + 1, n + 1):
        if lines[number - 1][1].strip() and number not in owner:
            yield "comments", f"raw line {number} is neither in the article nor in any comment"


def _speakers(
    thread: Row, comments: list[Row], speakers: list[Row], speakers_by_id: dict[str, Row]
) -> Iterator[tuple[str, str]]:
    for s in speakers:  # ids are unique across the release because each starts with its thread's
        if not s["speaker_id"].startswith(f"{thread['thread_id']}/"):
            yield "speakers", f"speaker {s['speaker_id']}: id does not start with its thread id"
    authors = [s for s in speakers if s["is_post_author"]]
    if len(authors) != 1:
        yield "speakers", f"{len(authors)} speakers are marked as the post author, expected 1"
    if thread["post_author_speaker_id"] not in {s["speaker_id"] for s in authors}:
        yield "threads", f"post_author_speaker_id {thread['post_author_speaker_id']!r} is not its post author"
    for c in comments:
        speaker = speakers_by_id.get(c["speaker_id"])
        if speaker is None or speaker["thread_id"] != c["thread_id"]:
            yield (
                "comments",
                f"{c['comment_id']}: speaker {c['speaker_id']!r} is not a speaker of this thread",
            )
            continue
        if c["speaker_name"] is not None and speaker["speaker_name"] != c["speaker_name"]:
            yield "comments", f"{c['comment_id']}: speaker_name differs from its speaker's name"
        if speaker["is_post_author"] != c["is_post_author"]:
            yield "comments", f"{c['comment_id']}: is_post_author differs from its speaker's"
    comment_ids: dict[str, list[str]] = {}
    for c in comments:
        comment_ids.setdefault(c["speaker_id"], []).append(c["comment_id"])
    for s in speakers:
        ids = comment_ids.get(s["speaker_id"], [])
        if s["comment_ids"] != ids or s["n_comments"] != len(ids):
            yield "speakers", f"speaker {s['speaker_id']}: comment_ids/n_comments disagree with the comments"


def _counts(thread: Row, comments: list[Row], speakers: list[Row]) -> Iterator[str]:
    expected = {
        "n_comments": len(comments),
        "n_top_level_comments": sum(c["parent_id"] is None for c in comments),
        "n_post_author_comments": sum(c["is_post_author"] for c in comments),
        "n_speakers": len(speakers),
        "max_depth": max((c["depth"] for c in comments), default=0),
        "n_repairs": len(thread["article_repairs"]) + sum(len(c["repairs"]) for c in comments),
    }
    for key, value in expected.items():
        if thread[key] != value:
            yield f"threads.{key} is {thread[key]}, the rows give {value}"
