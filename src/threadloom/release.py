"""A release: one folder that is a Hugging Face dataset repository.

    README.md                     dataset card (YAML header: configs, features, sizes)
    DATASHEET.md                  Gebru et al. datasheet, its figures block rendered from this build
    data/<config>/train-00000-of-00001.parquet
    raw/<source_file>             the raw documents, byte for byte, so every span can be checked
                                  (and a reviewer's NAME.corrections.json, when the build applied one)
    plots/*.png                   small bar charts the card and the datasheet show (plots.py)
    croissant.json                Croissant (MLCommons) JSON-LD: files, fields, Responsible-AI
    manifest.json                 sha256 and size of every other file, versions, raw checksums

The folder is written next to its final place and renamed into it, so a failed or interrupted
build never leaves a partial release; an existing release is never changed unless asked.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
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
from .schemas import CONFIGS, SCHEMA_VERSION, arrow_schema
from .skipped import skipped_section, write_skipped
from .sources import Collection, sha256_hex
from .stats import ReleaseStats, compute_stats

MANIFEST = "manifest.json"
DEPENDENCIES = ("pyarrow", "datasets", "ftfy", "click", "jsonschema", "pyyaml", "huggingface_hub")


def parquet_path(config: str) -> str:
    return f"data/{config}/train-00000-of-00001.parquet"


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


def write_parquet(rows: list[Row], config: str, path: Path, info: dict[str, Any]) -> None:
    schema = arrow_schema(config).with_metadata(file_metadata(info, config))
    table = pa.Table.from_pylist(rows, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Fixed writer settings: the same rows give byte-identical files.
    pq.write_table(
        table,
        path,
        compression="zstd",
        compression_level=9,
        use_dictionary=True,
        write_statistics=True,
        row_group_size=100_000,
    )


def environment() -> dict[str, str]:
    versions = {"threadloom": __version__}
    for name in DEPENDENCIES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:  # pragma: no cover - deps are required
            versions[name] = "not installed"
    return versions


def write_manifest(folder: Path, info: dict[str, Any], collection: Collection) -> None:
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel == MANIFEST:
            continue
        data = path.read_bytes()
        files.append({"path": rel, "bytes": len(data), "sha256": sha256_hex(data)})
    manifest = {
        "dataset": info["name"],
        "dataset_version": info["version"],
        "schema_version": SCHEMA_VERSION,
        "built_with": environment(),
        "raw_documents": [{"source_file": d.source_file, "sha256": d.sha256} for d in collection.documents],
        "files": files,
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")


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
    return write_release_files(folder, collection, config_rows(threads), datasheet_template)


def write_release_files(
    folder: Path, collection: Collection, rows: dict[str, list[Row]], datasheet_template: str | None
) -> ReleaseStats:
    """Every file of a release but the raw copies (already in `folder/raw/`): the Parquet files,
    plots, card, datasheet, Croissant description and, last, the manifest of them all. `build`
    and the crawl's merge both end here, so their releases hold the same files."""
    info = collection.info
    # Parquet compression runs outside the GIL: the three files are written in threads while
    # this one draws the plots (each file's bytes do not depend on the others or on timing).
    with ThreadPoolExecutor(max_workers=len(CONFIGS)) as pool:
        written = [
            pool.submit(write_parquet, rows[config], config, folder / parquet_path(config), info)
            for config in CONFIGS
        ]
        write_plots(folder, rows)
        write_skipped(folder, collection.skipped)
        for job in written:
            job.result()  # re-raises a writer's error here
    stats = compute_stats(rows, folder)
    card = render_card(info, stats, comments=rows["comments"], datasheet=datasheet_template)
    card += skipped_section(collection.skipped)
    (folder / "README.md").write_text(card, encoding="utf-8")
    (folder / "DATASHEET.md").write_text(render_datasheet(datasheet_template, stats), encoding="utf-8")
    write_croissant(folder, info, datasheet_template)
    write_manifest(folder, info, collection)
    return stats


def _same_files(a: Path, b: Path) -> bool:
    def listing(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    return listing(a) == listing(b)


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
