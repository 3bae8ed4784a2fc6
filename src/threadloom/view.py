"""A release as one self-contained HTML page, for a person reviewing the rebuilt conversations.

The page embeds the threads, comments, speakers and raw text of the release as JSON and renders
them with a small inline script (view_template.html): no network, no external scripts or fonts
(its Content-Security-Policy forbids every request). Comments render in chunks as the reader
scrolls, so a thread of thousands stays usable.
"""

from __future__ import annotations

import html
import io
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from .errors import ThreadloomError
from .reading import read_rows, release_manifest, threads_with
from .release import raw_in_parquet
from .repair import split_raw_lines
from .schemas import release_configs

Row = dict[str, Any]
KINDS = ("boundary", "parent", "speaker", "post_author")
DATA_MARKER = "/*THREADLOOM_DATA*/"
TITLE_MARKER = "<!--THREADLOOM_TITLE-->"


def _short(comment_id: str | None) -> str | None:
    return None if comment_id is None else comment_id.rsplit("/", 1)[-1]


def _repairs(repairs: list[Row], offsets: list[int]) -> list[list[Any]]:
    """[line, start, end, after, rule] with start/end relative to the line's first character."""
    return [
        [r["raw_line"], r["raw_char_start"] - offsets[r["raw_line"] - 1],
         r["raw_char_end"] - offsets[r["raw_line"] - 1], r["after"], r["rule"]]
        for r in repairs
    ]


def _comment(row: Row, offsets: list[int]) -> Row:
    return {
        "id": _short(row["comment_id"]),
        "start": row["raw_line_start"],
        "end": row["raw_line_end"],
        "parent": _short(row["parent_id"]),
        "depth": row["depth"],
        "speaker": row["speaker_id"].rsplit("/", 1)[-1],
        "name": row["speaker_name"],
        "author": row["is_post_author"],
        "conf": {kind: row[f"{kind}_confidence"] for kind in KINDS},
        "ev": {kind: row[f"{kind}_evidence"] for kind in KINDS},
        "repairs": _repairs(row["repairs"], offsets),
        "date": row.get("published"),  # when the page dates it (releases of schema 1.0.0: never)
    }


def _raw_text(folder: Path, row: Row, raw_path: Path, raw_rows: list[Row] | None) -> str:
    """The thread's raw document: its row of the raw config (`raw_rows`, when the release keeps
    them as rows), or its file under raw/ (`raw_path`)."""
    if raw_rows is not None:
        if not raw_rows:
            raise ThreadloomError(str(folder / "data" / "raw"), f"no raw row for thread {row['thread_id']!r}",
                                  "run threadloom validate on it")
        return str(raw_rows[0]["text"])
    try:
        return raw_path.read_bytes().decode("utf-8")
    except OSError:
        raise ThreadloomError(str(raw_path), "missing",
                              "the release's raw/ folder must hold every document") from None


def _thread(folder: Path, row: Row, comments: list[Row], speakers: list[Row],
            raw_rows: list[Row] | None = None) -> Row:
    raw_path = folder / "raw" / row["source_file"]
    lines = list(split_raw_lines(_raw_text(folder, row, raw_path, raw_rows)))
    offsets = [offset for offset, _ in lines]
    corrections_path = raw_path.with_name(raw_path.name[: -len(".txt")] + ".corrections.json")
    corrections = None
    if corrections_path.exists():
        corrections = json.loads(corrections_path.read_text(encoding="utf-8"))
    return {
        "id": row["thread_id"],
        "source_file": row["source_file"],
        "title": row["title"],
        "url": row["url"],
        "post_author": row["post_author_name"],
        "post_author_confidence": row["post_author_name_confidence"],
        "article_end": row["article_raw_line_end"] or 0,
        "article_confidence": row["article_confidence"],
        "article_evidence": row["article_evidence"],
        "article_repairs": _repairs(row["article_repairs"], offsets),
        "raw": [content for _, content in lines],
        "corrections": corrections,
        "speakers": {
            s["speaker_id"].rsplit("/", 1)[-1]: {"name": s["speaker_name"], "author": s["is_post_author"],
                                                   "n": s["n_comments"]}
            for s in speakers
        },
        "comments": [_comment(c, offsets) for c in comments],
    }


def view_data(folder: Path, *, limit: int | None = None, thread_ids: Sequence[str] = ()) -> Row:
    """Everything the page shows, as one JSON-ready object: every thread, the first `limit`, or
    the threads `thread_ids` names (a crawl's release holds thousands: the page of a 1 GB crawl's
    3,715 threads was 113 MB). `write_view` writes the same page a thread at a time."""
    dataset, version = _identity(Path(folder))
    return {"dataset": dataset, "version": version,
            "threads": list(view_threads(folder, limit=limit, thread_ids=thread_ids))}


def _identity(folder: Path) -> tuple[str, str]:
    """The dataset's name and version, from the manifest (a folder without one is no release)."""
    manifest = release_manifest(folder)
    return manifest.get("dataset", folder.name), manifest.get("dataset_version", "")


def view_threads(folder: Path, *, limit: int | None = None, thread_ids: Sequence[str] = ()) -> Iterator[Row]:
    """`view_data`'s threads, one at a time (read thread by thread: a release of any size)."""
    folder = Path(folder)
    configs = release_configs(raw_in_parquet(folder))[1:]  # beside each thread: comments, speakers (raw)
    if thread_ids:
        chosen: Iterable[tuple[Row, list[list[Row]]]] = (
            (thread, [read_rows(folder, config, tid) for config in configs])
            for tid in thread_ids for thread in _one_thread(folder, tid))
    else:
        chosen = islice(threads_with(folder, configs), limit)
    for thread, (comments, speakers, *raw) in chosen:
        yield _thread(folder, thread, comments, speakers, raw[0] if raw else None)


def _one_thread(folder: Path, thread_id: str) -> list[Row]:
    found = read_rows(folder, "threads", thread_id)
    if not found:
        raise ThreadloomError(thread_id, "no such thread in the release", "see threadloom show RELEASE_DIR")
    return found[:1]


def script_json(value: Any) -> str:
    """JSON that is safe inside <script>: no "<" (so no "</script>" or "<!--"), no U+2028/9."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render_view(folder: Path, *, limit: int | None = None, thread_ids: Sequence[str] = ()) -> str:
    return render_page(view_data(folder, limit=limit, thread_ids=thread_ids))


def render_page(data: Row) -> str:
    """The page for `view_data`'s object."""
    page = io.StringIO()
    _write_page(page, data["dataset"], data["version"], data["threads"])
    return page.getvalue()


def _write_page(handle: TextIO, dataset: str, version: str, threads: Iterable[Row]) -> None:
    """The page, its embedded JSON written a thread at a time: the same bytes as `script_json` of
    the whole object {"dataset", "threads", "version"} (its keys in sorted order)."""
    template = (resources.files("threadloom") / "view_template.html").read_text(encoding="utf-8")
    title = html.escape(f"{dataset} {version}".strip())
    head, tail = template.replace(TITLE_MARKER, title).split(DATA_MARKER, 1)
    handle.write(head + '{"dataset":' + script_json(dataset) + ',"threads":[')
    for i, thread in enumerate(threads):
        handle.write(("," if i else "") + script_json(thread))
    handle.write('],"version":' + script_json(version) + "}" + tail)


def default_view_path(folder: Path) -> Path:
    """Beside the release, never inside it (its manifest lists every file): <release>.html."""
    folder = Path(folder).resolve()
    return folder.parent / f"{folder.name}.html"


def write_view(folder: Path, out: Path | None = None, *, limit: int | None = None,
               thread_ids: Sequence[str] = ()) -> Path:
    dataset, version = _identity(Path(folder))
    target = Path(out) if out is not None else default_view_path(folder)
    threads = view_threads(folder, limit=limit, thread_ids=thread_ids)
    # written beside the target and renamed onto it: a failure leaves no half page
    staging = target.with_name(f".{target.name}.{os.getpid()}.writing")
    try:
        with open(staging, "w", encoding="utf-8") as handle:
            _write_page(handle, dataset, version, threads)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    return target
