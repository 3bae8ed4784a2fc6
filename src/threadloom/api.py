"""The library calls behind the CLI: what `threadloom build` does, a Python user can do too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .pipeline import process_document
from .release import BuildResult, build_release
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
) -> BuildResult:
    """Build the release of every document in `raw_dir`.

    The datasheet template defaults to DATASHEET.md beside `raw_dir` (the repository's own)."""
    collection = load_collection(Path(raw_dir))
    if datasheet is None and (Path(raw_dir).resolve().parent / "DATASHEET.md").is_file():
        datasheet = Path(raw_dir).resolve().parent / "DATASHEET.md"
    template = datasheet.read_text(encoding="utf-8") if datasheet is not None else None
    target = out if out is not None else default_release_dir(collection.info)
    return build_release(collection, target, process_document, datasheet_template=template, force=force)
