"""Helpers for tests that rewrite a built release: change rows of one config and keep everything
else consistent (Arrow schema, Parquet key-value metadata, manifest checksums), so that only the
rule under test can fail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from threadloom.release import MANIFEST, parquet_path
from threadloom.repair import split_raw_lines
from threadloom.sources import sha256_hex

Row = dict[str, Any]


def read_rows(folder: Path, config: str) -> list[Row]:
    rows: list[Row] = pq.read_table(folder / parquet_path(config)).to_pylist()
    return rows


def write_rows(folder: Path, config: str, rows: list[Row]) -> None:
    """Rewrite a config's Parquet file with these rows, keeping its schema and metadata."""
    path = folder / parquet_path(config)
    schema = pq.read_schema(path)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def refresh_manifest(folder: Path) -> None:
    """Record the current size and sha256 of every file the manifest lists."""
    manifest_path = folder / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        data = (folder / entry["path"]).read_bytes()
        entry["bytes"], entry["sha256"] = len(data), sha256_hex(data)
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def rewrite_config(folder: Path, config: str, rows: list[Row]) -> None:
    write_rows(folder, config, rows)
    refresh_manifest(folder)


def raw_line_offsets(folder: Path, source_file: str) -> list[tuple[int, int]]:
    """(raw_char_start, raw_char_end) of every line of a raw file in the release, 1-based index
    shifted to 0."""
    text = (folder / "raw" / source_file).read_text(encoding="utf-8")
    return [(offset, offset + len(content)) for offset, content in split_raw_lines(text)]


def raw_lines(folder: Path, source_file: str) -> list[str]:
    text = (folder / "raw" / source_file).read_text(encoding="utf-8")
    return [content for _, content in split_raw_lines(text)]
