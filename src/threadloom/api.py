"""The library calls behind the CLI: what `threadloom build` does, a Python user can do too."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from .pipeline import process_document
from .release import BuildResult, build_release
from .skipped import process_each
from .sources import load_collection


def default_release_dir(info: dict[str, Any], base: Path = Path("dist")) -> Path:
    """Where a release goes when no --out is given: dist/<name>/<version>/."""
    return base / str(info["name"]) / str(info["version"])


def build(
    raw_dir: Path,
    out: Path | None = None,
    *,
    datasheet: Path | None = None,
    force: bool = False,
    corrections: bool = True,
    skip_bad: bool = False,
) -> BuildResult:
    """Build the release of every document in `raw_dir`; `corrections=False` ignores reviewers'
    NAME.corrections.json files (the release then shows what inference alone gives).

    A bad document stops the build before anything is written, naming it; with `skip_bad` it is
    left out and listed in the release's skipped.json instead.

    The datasheet template defaults to DATASHEET.md beside `raw_dir` (the repository's own)."""
    collection = load_collection(Path(raw_dir), skip_bad=skip_bad)
    if not corrections:
        documents = tuple(replace(d, corrections=None) for d in collection.documents)
        collection = replace(collection, documents=documents)
    if datasheet is None and (Path(raw_dir).resolve().parent / "DATASHEET.md").is_file():
        datasheet = Path(raw_dir).resolve().parent / "DATASHEET.md"
    template = datasheet.read_text(encoding="utf-8") if datasheet is not None else None
    target = out if out is not None else default_release_dir(collection.info)
    collection, threads = process_each(collection, process_document, skip_bad=skip_bad)
    return build_release(
        collection, target, lambda doc: threads[doc.source_file], datasheet_template=template, force=force
    )
