"""A release: one folder that is a Hugging Face dataset repository.

    README.md                     dataset card (YAML header: configs, features, sizes)
    DATASHEET.md                  Gebru et al. datasheet, its figures block rendered from this build
    data/<config>/train-00000-of-00001.parquet
    raw/<source_file>             the raw documents, byte for byte, so every span can be checked
                                  (and a reviewer's NAME.corrections.json, when the build applied one)
                                  or, for a crawl merged with --raw-as parquet, the `raw` config:
    data/raw/train-00000-of-00001.parquet   the same documents as rows (thread_id, text, ...)
    plots/*.png                   small bar charts the card and the datasheet show (plots.py)
    croissant.json                Croissant (MLCommons) JSON-LD: files, fields, Responsible-AI
    manifest.json                 sha256 and size of every other file, versions, raw checksums

The folder is written next to its final place and renamed into it, so a failed or interrupted
build never leaves a partial release; an existing release is never changed unless asked.
"""

from __future__ import annotations

import contextlib
import filecmp
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import __version__
from .atomic import recover, staging_prefix, swap_in, write_failure
from .card import render_card, render_datasheet
from .croissant import write_croissant
from .errors import ThreadloomError
from .hffeatures import features_dict
from .intake import release_child
from .model import Thread
from .plots import write_plots
from .records import Row, comment_rows, speaker_rows, thread_row
from .schemas import CONFIGS, RAW_CONFIG, SCHEMA_VERSION, arrow_schema, release_configs
from .skipped import skipped_section, write_skipped
from .sources import Collection
from .stats import Figures, ReleaseStats, compute_stats

MANIFEST = "manifest.json"
DEPENDENCIES = ("pyarrow", "datasets", "ftfy", "click", "jsonschema", "pyyaml", "huggingface_hub")


def parquet_path(config: str) -> str:
    return f"data/{config}/train-00000-of-00001.parquet"


def raw_in_parquet(folder: Path) -> bool:
    """Does the release keep its raw documents as the `raw` config rather than in raw/?"""
    return (Path(folder) / parquet_path(RAW_CONFIG)).is_file()


@dataclass(frozen=True)
class BuildResult:
    out: Path
    stats: ReleaseStats
    unchanged: bool  # an identical release was already there; nothing was written


def config_rows(threads: Iterable[Thread]) -> dict[str, list[Row]]:
    rows: dict[str, list[Row]] = {config: [] for config in CONFIGS}
    for thread in threads:
        rows["threads"].append(thread_row(thread))
        rows["comments"].extend(comment_rows(thread))
        rows["speakers"].extend(speaker_rows(thread))
    return rows


def file_metadata(info: dict[str, Any], config: str) -> dict[bytes, bytes]:
    """Key-value metadata of every Parquet file: versions, and the HF features so that
    `datasets` reads back exactly the declared types."""
    features = features_dict(arrow_schema(config))
    values = {
        "threadloom.dataset": info["name"],
        "threadloom.dataset_version": info["version"],
        "threadloom.schema_version": SCHEMA_VERSION,
        "threadloom.version": __version__,
        "threadloom.config": config,
        "huggingface": json.dumps({"info": {"features": features}}, sort_keys=True),
    }
    return {k.encode(): v.encode() for k, v in values.items()}


ROW_GROUP_SIZE = 100_000
# A row group also ends at the row that brings its text to this many bytes: a thread row holds its
# whole article, so 100,000 of them could need gigabytes to write (or to read back).
ROW_GROUP_TEXT_BYTES = 64_000_000
_TEXT_COLUMN = {"threads": "article_text", "comments": "text", RAW_CONFIG: "text"}
# The raw rows are read one row group at a time for one thread (`view --thread`), and held whole
# while written: smaller groups (16 MB: the 1 GB crawl's merge peaked at 826 MB with 64 MB groups).
_TEXT_BYTES = {RAW_CONFIG: 16_000_000}
# Fixed writer settings: the same rows give byte-identical files.
_PARQUET_SETTINGS: dict[str, Any] = {
    "compression": "zstd", "compression_level": 9, "use_dictionary": True, "write_statistics": True,
}


def write_parquet(tables: Iterable[pa.Table], config: str, path: Path, info: dict[str, Any],
                  figures: Figures | None = None, row_group_size: int = ROW_GROUP_SIZE,
                  row_group_text_bytes: int | None = None) -> None:
    """Write a config's rows, given as Arrow tables in order, in row groups of `row_group_size`
    rows, or fewer when their text reaches `row_group_text_bytes`. Where a row group ends depends
    only on the rows, not on how they were split into tables, and only one row group is held at a
    time. Each row group is counted into `figures` before it is written."""
    schema = arrow_schema(config).with_metadata(file_metadata(info, config))
    text_column = _TEXT_COLUMN.get(config)
    if row_group_text_bytes is None:
        row_group_text_bytes = _TEXT_BYTES.get(config, ROW_GROUP_TEXT_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(path, schema, **_PARQUET_SETTINGS) as writer:
        compacted: list[pa.Table] = []  # the row group so far, as a few contiguous tables
        recent: list[pa.Table] = []  # a merge yields one small table per thread (a shard's slice)
        rows = text = written = 0

        def flush() -> None:
            nonlocal compacted, recent, rows, text, written
            # one contiguous table, as from_pylist makes: the writer's pages do not depend on how
            # the rows were chunked
            pieces = [*compacted, *recent]
            table = pa.concat_tables(pieces).combine_chunks() if pieces else schema.empty_table()
            table = table.replace_schema_metadata(schema.metadata)
            if figures is not None:
                figures.add(config, table)
            writer.write_table(table, row_group_size=max(1, table.num_rows))
            compacted, recent, rows, text, written = [], [], 0, 0, written + 1

        for table in tables:
            while table.num_rows:
                take = min(table.num_rows, row_group_size - rows)
                if text_column is not None:
                    sizes = pc.cumulative_sum(pc.cast(pc.binary_length(table[text_column]), pa.int64()))
                    below = pc.sum(pc.less(sizes, row_group_text_bytes - text)).as_py() or 0
                    take = min(take, below + 1)  # up to the row that reaches the bound
                    text += sizes[take - 1].as_py()
                recent.append(table.slice(0, take))
                rows += take
                table = table.slice(take)
                if len(recent) >= 256:  # copied together, so the shard row groups they slice can go
                    compacted.append(pa.concat_tables(recent).combine_chunks())
                    recent = []
                if rows >= row_group_size or text >= row_group_text_bytes:
                    flush()
        if rows or not written:  # pq.write_table writes one empty row group for no rows
            flush()


def rows_table(rows: list[Row], config: str) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=arrow_schema(config))


def environment() -> dict[str, str]:
    versions = {"threadloom": __version__}
    for name in DEPENDENCIES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:  # pragma: no cover - deps are required
            versions[name] = "not installed"
    return versions


def write_manifest(folder: Path, info: dict[str, Any], collection: Collection,
                   raw_rows: bool = False) -> None:
    """The manifest: every other file's size and sha256, the versions, and each raw document's
    sha256, unless the release keeps its raw documents as rows (`raw_rows`: the raw config's rows
    carry them, and its file's checksum covers them; a crawl of 100,000 threads would otherwise list
    ~17 MB of them)."""
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel == MANIFEST:
            continue
        size, digest = file_digest(path)
        files.append({"path": rel, "bytes": size, "sha256": digest})
    manifest = {
        "dataset": info["name"],
        "dataset_version": info["version"],
        "schema_version": SCHEMA_VERSION,
        "built_with": environment(),
        **({} if raw_rows else {"raw_documents": [{"source_file": d.source_file, "sha256": d.sha256}
                                                   for d in collection.documents]}),
        "files": files,
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")


def file_digest(path: Path) -> tuple[int, str]:
    """Size and sha256 of a file, read a megabyte at a time (a release's Parquet files can be
    larger than memory)."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def write_release(
    folder: Path, collection: Collection, threads: list[Thread], datasheet_template: str | None
) -> ReleaseStats:
    """Write every file of the release of `collection` into `folder` (which must be empty)."""
    for doc in collection.documents:
        target = release_child(folder, f"raw/{doc.source_file}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(doc.data)
        if doc.corrections is not None:  # the reviewer's corrections this build applied
            target.with_name(target.name[: -len(".txt")] + ".corrections.json").write_bytes(doc.corrections)
    rows = config_rows(threads)
    tables = {config: [rows_table(rows[config], config)] for config in CONFIGS}
    return write_release_files(folder, collection, tables, datasheet_template)


def write_release_files(
    folder: Path,
    collection: Collection,
    tables: Mapping[str, Iterable[pa.Table]],
    datasheet_template: str | None,
    meanwhile: Callable[[], None] | None = None,
) -> ReleaseStats:
    """Every file of a release but the raw copies (in `folder/raw/` already, or written by
    `meanwhile`, which runs while the Parquet files are written): the Parquet files (from each
    config's rows as Arrow tables, in order: a crawl's merge streams them; `tables` may also hold
    the `raw` config, the raw documents as rows), plots, card, datasheet, Croissant description
    and, last, the manifest of them all. `build` and the crawl's merge both end here, so their
    releases hold the same files."""
    info = collection.info
    figures = Figures()
    configs = release_configs(RAW_CONFIG in tables)
    # Parquet compression runs outside the GIL: the files are written in threads (each file's
    # bytes do not depend on the others or on timing; each counts only its own figures).
    with ThreadPoolExecutor(max_workers=len(configs)) as pool:
        written = [
            pool.submit(write_parquet, tables[config], config, folder / parquet_path(config), info, figures)
            for config in configs
        ]
        write_skipped(folder, collection.skipped)
        if meanwhile is not None:
            meanwhile()
        for job in written:
            job.result()  # re-raises a writer's error here
    write_plots(folder, figures)
    stats = compute_stats(figures, folder)
    example = [figures.first_comment] if figures.first_comment is not None else []
    card = render_card(info, stats, comments=example, datasheet=datasheet_template)
    card += skipped_section(collection.skipped)
    (folder / "README.md").write_text(card, encoding="utf-8")
    (folder / "DATASHEET.md").write_text(render_datasheet(datasheet_template, stats), encoding="utf-8")
    write_croissant(folder, info, datasheet_template)
    write_manifest(folder, info, collection, raw_rows=RAW_CONFIG in tables)
    return stats


def _same_files(a: Path, b: Path) -> bool:
    def listing(folder: Path) -> list[str]:
        return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())

    names = listing(a)
    return names == listing(b) and all(filecmp.cmp(a / name, b / name, shallow=False) for name in names)


def build_release(
    collection: Collection,
    out: Path,
    process: Callable[[Any], Thread],
    *,
    datasheet_template: str | None = None,
    force: bool = False,
) -> BuildResult:
    """Process every document and write the release to `out`, atomically (see install_release)."""
    threads = [process(doc) for doc in collection.documents]
    return install_release(
        out,
        lambda staging: write_release(staging, collection, threads, datasheet_template),
        version=str(collection.info["version"]),
        force=force,
        bump_hint="bump the version in dataset.json, or pass --force",
    )


def install_release(
    out: Path, write: Callable[[Path], ReleaseStats], *, version: str, force: bool, bump_hint: str
) -> BuildResult:
    """Let `write` fill a staging folder beside `out`, then swap it in atomically.

    An identical release already at `out` is left as it is; a different one is refused unless
    `force`, since a published version must never change under the same number. A failure or a
    kill at any point leaves `out` as it was and no partial release."""
    out = out.resolve()
    recover(out)
    if out.exists() and not (out.is_dir() and (not any(out.iterdir()) or (out / MANIFEST).is_file())):
        raise ThreadloomError(str(out), "is there and is not a threadloom release (it has no manifest.json)",
                              "choose another --out; threadloom never replaces other files")
    created = [p for p in (out.parent, *out.parent.parents) if not p.exists()]  # innermost first
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(out), dir=out.parent))
    except OSError as err:
        raise write_failure(out, out.parent, err) from err
    try:
        stats = write(staging)
        _fsync_tree(staging)
        if out.exists():
            if _same_files(staging, out):
                shutil.rmtree(staging)
                return BuildResult(out, stats, unchanged=True)
            if not force:
                raise ThreadloomError(
                    str(out), f"a different release of version {version} is already there", bump_hint
                )
        swap_in(staging, out)
    except BaseException as err:
        shutil.rmtree(staging, ignore_errors=True)
        for parent in created:  # folders made for this build only, and only if still empty
            with contextlib.suppress(OSError):
                parent.rmdir()
        if isinstance(err, OSError):
            raise write_failure(out, staging, err) from err
        raise
    return BuildResult(out, stats, unchanged=False)


def _fsync_tree(folder: Path) -> None:
    """Flush file contents before the rename makes the release visible. A crawl's release holds
    thousands of raw files: their flushes wait on the disk, not the GIL, so they overlap."""
    files = [path for path in folder.rglob("*") if path.is_file()]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in pool.map(_fsync_file, files):  # re-raises the first error
            pass


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
