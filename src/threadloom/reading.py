"""Reading a release back: the rows of one config, or thread by thread with its comments and
speakers, with one clear error for a folder that is not a release or a damaged file (validate
reports damage in detail; the other commands stop)."""

from __future__ import annotations

import json
from collections.abc import Callable, Container, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

from .errors import ThreadloomError
from .release import MANIFEST, parquet_path
from .schemas import RAW_CONFIG

Row = dict[str, Any]


def release_manifest(folder: Path) -> Row:
    """The release's manifest.json: what every command that reads a release checks first, so a
    file or a folder that is no release is named as such in one line."""
    path = Path(folder) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        raise ThreadloomError(str(folder), "not a threadloom release (no manifest.json)",
                              "give the folder that threadloom build wrote") from None
    except (OSError, ValueError) as err:
        raise ThreadloomError(str(path), f"not readable JSON ({type(err).__name__})",
                              "run threadloom validate on the release") from None
    if not isinstance(manifest, dict):
        raise ThreadloomError(str(path), "not a manifest (no JSON object)",
                              "run threadloom validate on the release")
    return manifest


@contextmanager
def _reading(folder: Path, config: str) -> Iterator[pq.ParquetFile]:
    """A config's Parquet file, open; a missing file, or one damaged where it is read, raises one
    ThreadloomError that names it."""
    path = Path(folder) / parquet_path(config)
    try:
        with pq.ParquetFile(path) as file:
            yield file
    except FileNotFoundError:
        raise ThreadloomError(str(path), "missing", "is this a threadloom release folder?") from None
    except ThreadloomError:
        raise
    except Exception as err:  # pyarrow raises several types for damaged files
        raise ThreadloomError(str(path), f"not a readable Parquet file ({type(err).__name__})",
                              "run threadloom validate on it") from None


def read_rows(folder: Path, config: str, thread_id: str | None = None) -> list[Row]:
    """Every row of `config` in the release at `folder` (only `thread_id`'s rows when given: only
    the row groups whose thread id range holds it are read, so one thread of a crawl's release,
    sorted by thread id, costs one row group)."""
    with _reading(folder, config) as file:
        if thread_id is None:
            table = file.read()
        else:
            table = file.read_row_groups(_groups_holding(file, thread_id))
            table = table.filter(pc.equal(table["thread_id"], thread_id))
    rows: list[Row] = table.to_pylist()
    return rows


def _groups_holding(file: pq.ParquetFile, thread_id: str) -> list[int]:
    """The row groups whose thread_id statistics do not rule `thread_id` out."""
    column = file.schema_arrow.get_field_index("thread_id")
    groups = []
    for index in range(file.num_row_groups):
        stats = file.metadata.row_group(index).column(column).statistics
        if stats is None or not stats.has_min_max or stats.min <= thread_id <= stats.max:
            groups.append(index)
    return groups


def first_thread_ids(folder: Path, limit: int) -> list[str]:
    """The ids of the release's first `limit` threads (reading only their column)."""
    ids: list[str] = []
    with _reading(folder, "threads") as file:
        for batch in file.iter_batches(batch_size=limit, columns=["thread_id"]):
            ids += batch.column(0).to_pylist()
            if len(ids) >= limit:
                break
    return ids[:limit]


def batch_rows(config: str) -> int:
    """Rows of `config` read at a time: a raw row is a whole document, so fewer of those."""
    return 64 if config == RAW_CONFIG else 4096


def iter_rows(folder: Path, config: str, batch_size: int | None = None) -> Iterator[Row]:
    """The rows of `config`, read a batch at a time (a crawl's release can be larger than memory)."""
    batch_size = batch_size or batch_rows(config)
    with _reading(folder, config) as file:
        for batch in file.iter_batches(batch_size=batch_size):
            yield from batch.to_pylist()


# what to do with a row passed over: (its index, the row, whether its thread is in `threads`)
Stray = Callable[[int, Row, bool], None]


class ThreadRows:
    """One config's rows, handed out thread by thread in the order of `threads`: a release holds
    each thread's rows together, threads in the same order in all three configs."""

    def __init__(self, rows: Iterator[Row], thread_ids: Container[str], stray: Stray) -> None:
        self.rows, self.thread_ids, self.stray = rows, thread_ids, stray
        self.index = -1
        self.next: Row | None = None
        self.done: set[str] = set()  # threads whose rows were handed out
        self._advance()

    def _advance(self) -> None:
        self.next = next(self.rows, None)
        self.index += 1

    def _pass_over(self) -> None:
        assert self.next is not None
        self.stray(self.index, self.next, self.next["thread_id"] in self.thread_ids)
        self._advance()

    def take(self, thread_id: str) -> list[Row]:
        """The rows of `thread_id`, which come next (rows of a thread that is not in `threads`, or
        that came before, are passed to `stray`)."""
        taken: list[Row] = []
        while self.next is not None:
            tid = self.next["thread_id"]
            if tid == thread_id:
                taken.append(self.next)
                self._advance()
            elif tid in self.thread_ids and tid not in self.done:
                break  # the next thread's
            else:
                self._pass_over()
        self.done.add(thread_id)
        return taken

    def rest(self) -> None:
        while self.next is not None:
            self._pass_over()


def thread_ids(folder: Path) -> set[str]:
    return set(thread_order(folder))


def thread_order(folder: Path) -> list[str]:
    """The release's thread ids, in its order (reading only their column)."""
    with _reading(folder, "threads") as file:
        ids: list[str] = file.read(columns=["thread_id"])["thread_id"].to_pylist()
    return ids


def threads_with_rows(folder: Path) -> Iterator[tuple[Row, list[Row], list[Row]]]:
    """Each thread row with its comments and its speakers, the three configs read side by side a
    batch at a time: memory does not grow with the release."""
    for thread, (comments, speakers) in threads_with(folder, ("comments", "speakers")):
        yield thread, comments, speakers


def threads_with(folder: Path, configs: tuple[str, ...], known: Container[str] | None = None
                 ) -> Iterator[tuple[Row, list[list[Row]]]]:
    """Each thread row with its rows of each of `configs`, read side by side a batch at a time.
    `known`: the release's thread ids, when the caller has read them already."""
    if known is None:
        known = thread_ids(folder)

    def refuse(config: str) -> Stray:
        def stray(index: int, row: Row, in_threads: bool) -> None:
            what = "comes apart from the rest of its thread" if in_threads else "is not in threads"
            raise ThreadloomError(str(Path(folder) / parquet_path(config)),
                                  f"row {index}: thread {row['thread_id']!r} {what}",
                                  "run threadloom validate on it")
        return stray

    readers = [ThreadRows(iter_rows(folder, config), known, refuse(config)) for config in configs]
    for thread in iter_rows(folder, "threads"):
        yield thread, [reader.take(thread["thread_id"]) for reader in readers]
    for reader in readers:
        reader.rest()
