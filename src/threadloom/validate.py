"""Check a release folder: files against the manifest, Parquet against the schemas, rows against
the JSON Schemas, and the integrity rules no schema can express.

Every problem is one line naming the file (and the row) and what is wrong; checking goes on
after a problem so that one run lists them all.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from .intake import safe_child
from .release import MANIFEST, parquet_path
from .repair import split_raw_lines
from .schemas import CONFIGS, arrow_schema, validate_instance
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
    folder = Path(folder)
    report = Report(folder)
    if not folder.is_dir():
        report.add(str(folder), "not a directory")
        return report
    manifest = check_manifest(folder, report)
    rows: dict[str, list[Row]] = {}
    for config in CONFIGS:
        loaded = read_config(folder, config, report)
        if loaded is not None:
            rows[config] = loaded
            report.counts[config] = len(loaded)
    if manifest is not None:
        check_manifest_versions(folder, manifest, report)
    if len(rows) == len(CONFIGS):
        check_integrity(folder, rows, report)
    for where, what in check_skipped(folder, {t["source_file"] for t in rows.get("threads", [])}):
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
        data = (folder / rel).read_bytes()
        if len(data) != listed[rel].get("bytes") or sha256_hex(data) != listed[rel].get("sha256"):
            report.add(rel, "checksum does not match the manifest (the file was changed or damaged)")
    return dict(manifest)


def check_manifest_versions(folder: Path, manifest: dict[str, Any], report: Report) -> None:
    """The manifest's versions and raw checksums, which no file checksum covers, must agree with
    the Parquet metadata and the raw files."""
    for config in CONFIGS:
        rel = parquet_path(config)
        try:
            meta = pq.read_schema(folder / rel).metadata or {}
        except Exception:  # a missing or damaged file is reported by read_config
            continue
        for key in ("dataset_version", "schema_version"):
            value = meta.get(f"threadloom.{key}".encode())
            if value is not None and manifest.get(key) != value.decode():
                report.add(MANIFEST, f"{key} {manifest.get(key)!r} differs from {value.decode()!r} in {rel}")
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


def read_config(folder: Path, config: str, report: Report) -> list[Row] | None:
    rel = parquet_path(config)
    try:
        table = pq.read_table(folder / rel)
    except FileNotFoundError:
        report.add(rel, "missing")
        return None
    except Exception as err:  # pyarrow raises several types for damaged files
        report.add(rel, f"not a readable Parquet file ({type(err).__name__}: {err})")
        return None
    expected = arrow_schema(config)
    if not table.schema.remove_metadata().equals(expected):
        report.add(rel, f"Arrow schema differs from schemas/{config}.schema.json")
        return None
    meta = table.schema.metadata or {}
    for key in (b"threadloom.dataset_version", b"threadloom.schema_version", b"threadloom.version"):
        if key not in meta:
            report.add(rel, f"Parquet metadata lacks {key.decode()}")
    try:
        rows: list[Row] = table.to_pylist()
    except Exception as err:  # damaged pages can decode to invalid UTF-8 only when read
        report.add(rel, f"not a readable Parquet file ({type(err).__name__}: {err})")
        return None
    for index, row in enumerate(rows):
        problem = validate_instance(config, row)
        if problem:
            report.add(f"{rel} row {index}", problem)
    return rows


def _duplicates(values: list[str]) -> list[str]:
    return sorted(v for v, n in Counter(values).items() if n > 1)


def check_integrity(folder: Path, rows: dict[str, list[Row]], report: Report) -> None:
    threads, comments, speakers = rows["threads"], rows["comments"], rows["speakers"]
    where_t, where_c, where_s = (parquet_path(c) for c in ("threads", "comments", "speakers"))
    for dup in _duplicates([t["thread_id"] for t in threads]):
        report.add(where_t, f"thread_id {dup!r} is not unique")
    for dup in _duplicates([c["comment_id"] for c in comments]):
        report.add(where_c, f"comment_id {dup!r} is not unique")
    for dup in _duplicates([s["speaker_id"] for s in speakers]):
        report.add(where_s, f"speaker_id {dup!r} is not unique")
    by_thread: dict[str, list[Row]] = {t["thread_id"]: [] for t in threads}
    for index, comment in enumerate(comments):
        if comment["thread_id"] not in by_thread:
            report.add(f"{where_c} row {index}", f"thread {comment['thread_id']!r} is not in threads")
            continue
        by_thread[comment["thread_id"]].append(comment)
    speakers_by_id = {s["speaker_id"]: s for s in speakers}
    speakers_by_thread: dict[str, list[Row]] = {t["thread_id"]: [] for t in threads}
    for index, speaker in enumerate(speakers):
        if speaker["thread_id"] not in speakers_by_thread:
            report.add(f"{where_s} row {index}", f"thread {speaker['thread_id']!r} is not in threads")
            continue
        speakers_by_thread[speaker["thread_id"]].append(speaker)
    for thread in threads:
        thread_comments = by_thread[thread["thread_id"]]
        thread_speakers = speakers_by_thread[thread["thread_id"]]
        for config, problem in thread_problems(
            folder, thread, thread_comments, thread_speakers, speakers_by_id
        ):
            where = parquet_path(config) if config in CONFIGS else config
            report.add(f"{where} thread {thread['thread_id']}", problem)


def thread_problems(
    folder: Path, thread: Row, comments: list[Row], speakers: list[Row], speakers_by_id: dict[str, Row]
) -> Iterator[tuple[str, str]]:
    """Every integrity rule of one thread, each problem with the config (or file) it is in."""
    yield from (("comments", problem) for problem in _order_and_parents(comments))
    yield from _spans(folder, thread, comments)
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


def _spans(folder: Path, thread: Row, comments: list[Row]) -> Iterator[tuple[str, str]]:
    lines = _raw_lines(folder, thread)
    if isinstance(lines, str):
        yield f"raw/{thread['source_file']}", lines
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
