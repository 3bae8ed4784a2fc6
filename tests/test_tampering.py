"""Tampering and corruption that tests/test_validate.py does not already cover: every file of a
release damaged in every way, the integrity rules not exercised there, and paths in rows or the
manifest that try to leave the release. `validate` must name the file (and thread) each time.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from release_tools import Row, read_rows, refresh_manifest, rewrite_config
from threadloom.release import MANIFEST, parquet_path
from threadloom.sources import sha256_hex
from threadloom.validate import validate_release

COMMENTS, THREADS, SPEAKERS = (parquet_path(c) for c in ("comments", "threads", "speakers"))
Copy = Callable[[Path], Path]


def _files(release: Path) -> list[str]:
    manifest = json.loads((release / MANIFEST).read_text(encoding="utf-8"))
    return [entry["path"] for entry in manifest["files"]]


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _append(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\n")


DAMAGE = {"flipped-bit": _flip, "truncated": _truncate, "emptied": _empty, "appended-to": _append}


@pytest.fixture
def copy(mixed_release: Path, release_copy: Copy) -> Path:
    return release_copy(mixed_release)


def _names(problems: list[str], where: str, what: str = "") -> bool:
    return any(p.startswith(where) and what in p for p in problems)


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_any_damaged_file_of_the_release_is_named(
    damage: str, mixed_release: Path, tmp_path: Path
) -> None:
    files = _files(mixed_release)
    assert len(files) >= 10
    missed = []
    for index, rel in enumerate(files):
        folder = Path(shutil.copytree(mixed_release, tmp_path / str(index)))
        DAMAGE[damage](folder / rel)
        problems = validate_release(folder).problems
        if not _names(problems, rel, "checksum does not match the manifest"):
            missed.append(rel)
    assert missed == []


def test_any_deleted_file_of_the_release_is_named(mixed_release: Path, tmp_path: Path) -> None:
    missed = []
    for index, rel in enumerate(_files(mixed_release)):
        folder = Path(shutil.copytree(mixed_release, tmp_path / str(index)))
        (folder / rel).unlink()
        if not _names(validate_release(folder).problems, rel, "missing"):
            missed.append(rel)
    assert missed == []


def test_extra_file_at_the_top_of_the_release_is_named(copy: Path) -> None:
    (copy / "notes.md").write_text("added later", encoding="utf-8")
    assert _names(validate_release(copy).problems, "notes.md", "not listed in the manifest")


def test_extra_raw_document_is_named(copy: Path) -> None:
    (copy / "raw" / "smuggled.txt").write_text("Not part of the build.\n", encoding="utf-8")
    assert _names(validate_release(copy).problems, "raw/smuggled.txt", "not listed in the manifest")


def test_file_removed_from_the_manifest_is_named_as_extra(copy: Path) -> None:
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"] = [f for f in manifest["files"] if f["path"] != "DATASHEET.md"]
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert _names(validate_release(copy).problems, "DATASHEET.md", "not listed in the manifest")


def test_truncated_manifest_is_named(copy: Path) -> None:
    _truncate(copy / MANIFEST)
    assert _names(validate_release(copy).problems, MANIFEST, "unreadable")


def test_manifest_whose_files_are_not_a_list_is_named(copy: Path) -> None:
    (copy / MANIFEST).write_text('{"files": 3}', encoding="utf-8")
    assert _names(validate_release(copy).problems, MANIFEST, "unreadable")


def test_manifest_naming_a_raw_file_outside_the_release_is_reported_not_followed(copy: Path) -> None:
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["raw_documents"][0]["source_file"] = "../../../../etc/passwd"
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert _names(validate_release(copy).problems, MANIFEST, "outside raw/")


def test_manifest_with_a_different_schema_version_is_reported(copy: Path) -> None:
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["schema_version"] = "0.0.1"
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert _names(validate_release(copy).problems, MANIFEST, "schema_version")


# --- rows that break an integrity rule --------------------------------------------------------


def _break(copy: Path, config: str, change: Callable[[list[Row]], None]) -> list[str]:
    rows = read_rows(copy, config)
    change(rows)
    rewrite_config(copy, config, rows)
    problems = validate_release(copy).problems
    assert not any("manifest" in p for p in problems), problems
    return problems


def _first_thread(copy: Path) -> str:
    return str(read_rows(copy, "threads")[0]["thread_id"])


def test_duplicate_thread_id_is_reported(copy: Path) -> None:
    def change(rows: list[Row]) -> None:
        rows[1]["thread_id"] = rows[0]["thread_id"]

    assert _names(_break(copy, "threads", change), THREADS, "is not unique")


def test_duplicate_speaker_id_is_reported(copy: Path) -> None:
    def change(rows: list[Row]) -> None:
        rows[1]["speaker_id"] = rows[0]["speaker_id"]

    assert _names(_break(copy, "speakers", change), SPEAKERS, "is not unique")


def test_speaker_of_an_unknown_thread_is_reported(copy: Path) -> None:
    def change(rows: list[Row]) -> None:
        rows.append(dict(rows[0], thread_id="ghost", speaker_id="ghost/anon-1"))

    assert _names(_break(copy, "speakers", change), f"{SPEAKERS} row", "'ghost' is not in threads")


def test_comment_id_that_does_not_say_where_it_starts_is_reported(copy: Path) -> None:
    def change(rows: list[Row]) -> None:
        rows[0]["comment_id"] = rows[0]["comment_id"] + "0"

    assert _names(_break(copy, "comments", change), COMMENTS, "id does not say where the comment starts")


def test_wrong_n_raw_lines_is_reported(copy: Path) -> None:
    def change(rows: list[Row]) -> None:
        rows[0]["n_raw_lines"] += 1

    assert _names(_break(copy, "threads", change), f"{THREADS} thread", "n_raw_lines is")


def test_article_ending_past_the_raw_file_is_reported(copy: Path) -> None:
    def change(rows: list[Row]) -> None:
        rows[0]["article_raw_line_start"] = 1
        rows[0]["article_raw_line_end"] = rows[0]["n_raw_lines"] + 5

    assert _names(_break(copy, "threads", change), f"{THREADS} thread", "past the raw file")


def test_post_author_speaker_id_that_is_not_the_post_author_is_reported(copy: Path) -> None:
    def change(rows: list[Row]) -> None:
        rows[0]["post_author_speaker_id"] = f"{rows[0]['thread_id']}/anon-404"

    assert _names(_break(copy, "threads", change), f"{THREADS} thread", "is not its post author")


COUNTS = ["n_top_level_comments", "n_post_author_comments", "n_speakers", "max_depth", "n_repairs"]


@pytest.mark.parametrize("column", COUNTS)
def test_every_thread_count_that_disagrees_with_the_rows_is_reported(copy: Path, column: str) -> None:
    def change(rows: list[Row]) -> None:
        rows[0][column] += 1

    assert _names(_break(copy, "threads", change), f"{THREADS} thread", f"threads.{column} is")


def test_source_file_leading_outside_the_release_is_reported_not_read(copy: Path) -> None:
    def change(rows: list[Row]) -> None:
        rows[0]["source_file"] = "../../../../../../etc/passwd"

    problems = _break(copy, "threads", change)
    assert _names(problems, "raw/../../", "would lead outside the release's raw/ folder")


def test_raw_file_that_is_not_utf8_is_reported_without_a_crash(copy: Path) -> None:
    thread = read_rows(copy, "threads")[0]
    raw = copy / "raw" / thread["source_file"]
    raw.write_bytes(b"\xff\xfe" + raw.read_bytes())

    rows = read_rows(copy, "threads")
    rows[0]["source_sha256"] = sha256_hex(raw.read_bytes())
    rewrite_config(copy, "threads", rows)
    problems = validate_release(copy).problems
    assert _names(problems, f"raw/{thread['source_file']}", "is not valid UTF-8")


def test_column_with_another_type_is_reported(copy: Path) -> None:
    path = copy / SPEAKERS
    table = pq.read_table(path)
    index = table.schema.get_field_index("n_comments")
    as_float = table["n_comments"].cast(pa.float64())
    table = table.set_column(index, pa.field("n_comments", pa.float64()), as_float)
    pq.write_table(table, path)
    refresh_manifest(copy)
    assert _names(validate_release(copy).problems, SPEAKERS, "Arrow schema differs")


def test_parquet_file_without_its_version_metadata_is_reported(copy: Path) -> None:
    path = copy / THREADS
    table = pq.read_table(path)
    meta = {k: v for k, v in (table.schema.metadata or {}).items() if k != b"threadloom.dataset_version"}
    pq.write_table(table.replace_schema_metadata(meta), path)
    refresh_manifest(copy)
    assert _names(validate_release(copy).problems, THREADS, "lacks threadloom.dataset_version")


# --- the skipped list -------------------------------------------------------------------------


def test_skipped_list_naming_a_thread_that_is_in_the_release_is_reported(copy: Path) -> None:
    source = read_rows(copy, "threads")[0]["source_file"]
    (copy / "skipped.json").write_text(json.dumps({"skipped": [{"file": source, "reason": "x"}]}), "utf-8")
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"].append({"path": "skipped.json", "bytes": 0, "sha256": ""})
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    refresh_manifest(copy)
    assert _names(validate_release(copy).problems, "skipped.json", "is also a thread")


def test_unreadable_skipped_list_is_reported(copy: Path) -> None:
    (copy / "skipped.json").write_text("[1, 2", encoding="utf-8")
    assert _names(validate_release(copy).problems, "skipped.json", "unreadable")
