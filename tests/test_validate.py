"""`validate` accepts a good release and names the file of every problem in a damaged one.

Each test damages a fresh copy of one session build. Integrity cases rewrite a config with the
same schema and metadata and refresh the manifest, so that only the rule under test can fail.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from release_tools import Row, raw_line_offsets, raw_lines, read_rows, refresh_manifest, rewrite_config
from threadloom.release import MANIFEST, parquet_path
from threadloom.validate import validate_release

SEED = "000_d56ce07caea43617"
COMMENTS, THREADS, SPEAKERS = (parquet_path(c) for c in ("comments", "threads", "speakers"))

Copy = Callable[[Path], Path]


def _reported(problems: list[str], where: str, what: str) -> bool:
    return any(p.startswith(where) and what in p for p in problems)


def _assert_reported(problems: list[str], where: str, what: str) -> None:
    assert _reported(problems, where, what), "\n".join(problems) or "no problems reported"


def _break(copy: Path, config: str, change: Callable[[list[Row], Path], None]) -> list[str]:
    """Change the rows of one config, rewrite it consistently, and validate."""
    rows = read_rows(copy, config)
    change(rows, copy)
    rewrite_config(copy, config, rows)
    problems = validate_release(copy).problems
    assert not any("manifest" in p for p in problems), problems
    return problems


@pytest.fixture
def copy(mixed_release: Path, release_copy: Copy) -> Path:
    return release_copy(mixed_release)


def _seed(rows: list[Row]) -> list[int]:
    return [i for i, r in enumerate(rows) if r["thread_id"] == SEED]


def _three_top_level_in_a_row(rows: list[Row]) -> int:
    seed = _seed(rows)
    for i in seed[:-2]:
        if all(rows[j]["parent_id"] is None and rows[j]["thread_id"] == SEED for j in (i, i + 1, i + 2)):
            return i
    raise AssertionError("the seed thread has no three top-level comments in a row")


def _multi_line_comment(rows: list[Row], folder: Path) -> int:
    lines = raw_lines(folder, f"{SEED}.txt")
    for i in _seed(rows):
        r = rows[i]
        if r["raw_line_end"] > r["raw_line_start"] and lines[r["raw_line_end"] - 2].strip():
            return i
    raise AssertionError("the seed thread has no comment of two non-blank lines")


# --- valid releases ---------------------------------------------------------------------------


def test_seed_release_is_valid(seed_release: Path) -> None:
    report = validate_release(seed_release)
    assert report.problems == []
    assert report.ok


def test_mixed_release_is_valid_and_counts_its_rows(mixed_release: Path) -> None:
    report = validate_release(mixed_release)
    assert report.problems == []
    assert report.counts["threads"] == 3
    assert set(report.counts) == {"threads", "comments", "speakers"}


def test_an_untouched_copy_is_valid(copy: Path) -> None:
    assert validate_release(copy).ok


def test_rewriting_rows_unchanged_keeps_the_release_valid(copy: Path) -> None:
    assert _break(copy, "comments", lambda rows, folder: None) == []


# A release built by threadloom 0.6.7 (commit 4d09d7e) from tests/data/raw_small, before the
# comments' `published` columns (schema 1.1.0): kept byte for byte as that version wrote it.
RELEASE_1_0_0 = Path(__file__).parent / "data" / "release_schema_1_0_0"


def test_a_release_of_an_earlier_schema_version_is_valid() -> None:
    """Releases made before a minor schema version stay valid: their files have the columns of
    the version they declare, and their rows lack only the columns added since."""
    assert json.loads((RELEASE_1_0_0 / MANIFEST).read_text(encoding="utf-8"))["schema_version"] == "1.0.0"
    report = validate_release(RELEASE_1_0_0)
    assert report.problems == []
    # every row of every config was read (the files' own row counts)
    rows = {config: pq.read_metadata(RELEASE_1_0_0 / parquet_path(config)).num_rows
            for config in ("threads", "comments", "speakers")}
    assert report.counts == rows and all(rows.values())


def test_a_release_missing_a_column_of_its_schema_version_is_reported(copy: Path) -> None:
    """A release that says it is of this schema version must have all of its columns."""
    path = copy / COMMENTS
    table = pq.read_table(path)
    pq.write_table(table.drop_columns(["published_evidence"]), path)
    refresh_manifest(copy)
    _assert_reported(validate_release(copy).problems, COMMENTS, "Arrow schema differs")


def test_a_release_of_a_schema_version_this_threadloom_does_not_know_is_reported(
        release_copy: Copy) -> None:
    copy = release_copy(RELEASE_1_0_0)
    path = copy / COMMENTS
    table = pq.read_table(path)
    metadata = {**table.schema.metadata, b"threadloom.schema_version": b"2.0.0"}
    pq.write_table(table.replace_schema_metadata(metadata), path)
    refresh_manifest(copy)
    _assert_reported(validate_release(copy).problems, COMMENTS,
                     "schema_version '2.0.0' is not one this threadloom reads (1.0.0, 1.1.0)")


# --- files against the manifest ---------------------------------------------------------------


def test_flipped_byte_in_a_parquet_file_is_reported(copy: Path) -> None:
    path = copy / COMMENTS
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    _assert_reported(validate_release(copy).problems, COMMENTS, "checksum does not match")


def test_truncated_parquet_file_is_reported_as_unreadable(copy: Path) -> None:
    path = copy / SPEAKERS
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    problems = validate_release(copy).problems
    _assert_reported(problems, SPEAKERS, "checksum does not match")
    _assert_reported(problems, SPEAKERS, "not a readable Parquet file")


def test_missing_parquet_file_is_reported(copy: Path) -> None:
    (copy / THREADS).unlink()
    problems = validate_release(copy).problems
    _assert_reported(problems, THREADS, "listed in the manifest but missing")


def test_missing_raw_file_is_reported(copy: Path) -> None:
    (copy / "raw" / f"{SEED}.txt").unlink()
    problems = validate_release(copy).problems
    _assert_reported(problems, f"raw/{SEED}.txt", "missing")


def test_edited_raw_file_is_reported(copy: Path) -> None:
    path = copy / "raw" / "sourdough.txt"
    path.write_text(path.read_text(encoding="utf-8") + "One more line.\n", encoding="utf-8")
    refresh_manifest(copy)
    _assert_reported(validate_release(copy).problems, "raw/sourdough.txt", "does not match source_sha256")


def test_extra_file_is_reported(copy: Path) -> None:
    (copy / "data" / "notes.txt").write_text("scratch", encoding="utf-8")
    _assert_reported(validate_release(copy).problems, "data/notes.txt", "not listed in the manifest")


def test_edited_card_is_reported(copy: Path) -> None:
    card = copy / "README.md"
    card.write_text(card.read_text(encoding="utf-8").replace("Three configs", "Two configs"), "utf-8")
    assert validate_release(copy).problems == [
        "README.md: checksum does not match the manifest (the file was changed or damaged)"
    ]


def test_manifest_with_a_wrong_checksum_names_the_file(copy: Path) -> None:
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    entry = next(f for f in manifest["files"] if f["path"] == "DATASHEET.md")
    entry["sha256"] = "0" * 64
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    _assert_reported(validate_release(copy).problems, "DATASHEET.md", "checksum does not match")


def test_manifest_with_a_different_dataset_version_is_reported(copy: Path) -> None:
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["dataset_version"] = "9.9.9"
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    _assert_reported(validate_release(copy).problems, MANIFEST, "dataset_version '9.9.9' differs")


def test_manifest_with_a_wrong_raw_checksum_is_reported(copy: Path) -> None:
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["raw_documents"][0]["sha256"] = "f" * 64
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    _assert_reported(validate_release(copy).problems, MANIFEST, "raw_documents")


def test_manifest_that_is_not_json_is_reported(copy: Path) -> None:
    (copy / MANIFEST).write_text('{"files": [', encoding="utf-8")
    _assert_reported(validate_release(copy).problems, MANIFEST, "unreadable")


def test_missing_manifest_is_reported(copy: Path) -> None:
    (copy / MANIFEST).unlink()
    assert "manifest.json: missing" in validate_release(copy).problems


def test_folder_that_does_not_exist_is_reported(tmp_path: Path) -> None:
    assert validate_release(tmp_path / "nowhere").problems[0].endswith("not a directory")


def test_every_problem_is_listed_not_just_the_first(copy: Path) -> None:
    (copy / "extra.bin").write_bytes(b"\x00")
    (copy / "DATASHEET.md").write_text("changed", encoding="utf-8")
    problems = validate_release(copy).problems
    _assert_reported(problems, "extra.bin", "not listed")
    _assert_reported(problems, "DATASHEET.md", "checksum")


# --- rows against the JSON Schemas ------------------------------------------------------------


def test_confidence_above_one_is_reported_with_its_row(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        rows[3]["parent_confidence"] = 1.5

    problems = _break(copy, "comments", change)
    _assert_reported(problems, f"{COMMENTS} row 3", "1.5 is greater than the maximum of 1")


def test_malformed_speaker_id_is_reported_with_its_row(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        rows[0]["speaker_id"] = "somebody"

    _assert_reported(_break(copy, "speakers", change), f"{SPEAKERS} row 0", "does not match")


# --- integrity rules --------------------------------------------------------------------------


def test_duplicate_comment_id_is_reported(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        i = _seed(rows)[1]
        rows[i]["comment_id"] = rows[i - 1]["comment_id"]

    _assert_reported(_break(copy, "comments", change), COMMENTS, "is not unique")


def test_parent_in_another_thread_is_reported(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        other = next(r for r in rows if r["thread_id"] == "sourdough")
        i = _three_top_level_in_a_row(rows)
        rows[i + 1]["parent_id"], rows[i + 1]["depth"] = other["comment_id"], 2

    _assert_reported(
        _break(copy, "comments", change),
        f"{COMMENTS} thread {SEED}",
        "is not an earlier comment of the same thread",
    )


def test_parent_later_in_display_order_is_reported(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        i = _three_top_level_in_a_row(rows)
        rows[i]["parent_id"], rows[i]["depth"] = rows[i + 1]["comment_id"], 2

    _assert_reported(
        _break(copy, "comments", change),
        f"{COMMENTS} thread {SEED}",
        "is not an earlier comment of the same thread",
    )


def test_parent_off_the_depth_first_path_is_reported(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        i = _three_top_level_in_a_row(rows)
        rows[i + 2]["parent_id"], rows[i + 2]["depth"] = rows[i]["comment_id"], 2

    _assert_reported(
        _break(copy, "comments", change),
        f"{COMMENTS} thread {SEED}",
        "is not on the path from the previous comment to the post",
    )


def test_wrong_depth_is_reported(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        i = _three_top_level_in_a_row(rows)
        rows[i]["depth"] = 2

    _assert_reported(_break(copy, "comments", change), f"{COMMENTS} thread {SEED}", "depth 2, expected 1")


def test_rows_out_of_display_order_are_reported(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        i = _three_top_level_in_a_row(rows)
        rows[i]["position"] += 1

    _assert_reported(
        _break(copy, "comments", change), f"{COMMENTS} thread {SEED}", "rows out of display order"
    )


def test_span_outside_the_raw_file_is_reported(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        last = _seed(rows)[-1]
        rows[last]["raw_line_end"] = len(raw_lines(folder, f"{SEED}.txt")) + 3

    _assert_reported(
        _break(copy, "comments", change), f"{COMMENTS} thread {SEED}", "are not inside the raw file"
    )


def test_overlapping_spans_are_reported(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        offsets = raw_line_offsets(folder, f"{SEED}.txt")
        i = _three_top_level_in_a_row(rows)
        end = rows[i + 1]["raw_line_start"]  # the first comment now also covers the next one's start
        rows[i]["raw_line_end"], rows[i]["raw_char_end"] = end, offsets[end - 1][1]

    _assert_reported(
        _break(copy, "comments", change),
        f"{COMMENTS} thread {SEED}",
        "inside the article or an earlier comment",
    )


def test_character_offsets_that_miss_the_lines_are_reported(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        rows[_seed(rows)[0]]["raw_char_start"] += 1

    _assert_reported(
        _break(copy, "comments", change), f"{COMMENTS} thread {SEED}", "character offsets do not match"
    )


def test_raw_line_in_no_comment_is_reported(copy: Path) -> None:
    lost: list[int] = []

    def change(rows: list[Row], folder: Path) -> None:
        offsets = raw_line_offsets(folder, f"{SEED}.txt")
        i = _multi_line_comment(rows, folder)
        lost.append(rows[i]["raw_line_end"])
        end = rows[i]["raw_line_end"] - 1
        rows[i]["raw_line_end"], rows[i]["raw_char_end"] = end, offsets[end - 1][1]

    problems = _break(copy, "comments", change)
    _assert_reported(
        problems,
        f"{COMMENTS} thread {SEED}",
        f"raw line {lost[0]} is neither in the article nor in any comment",
    )


def test_speaker_that_does_not_exist_is_reported(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        rows[_seed(rows)[0]]["speaker_id"] = f"{SEED}/anon-999"

    _assert_reported(
        _break(copy, "comments", change), f"{COMMENTS} thread {SEED}", "is not a speaker of this thread"
    )


def test_speaker_of_another_thread_is_reported(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        other = next(r for r in rows if r["thread_id"] == "trail-repair")
        rows[_seed(rows)[0]]["speaker_id"] = other["speaker_id"]

    _assert_reported(
        _break(copy, "comments", change), f"{COMMENTS} thread {SEED}", "is not a speaker of this thread"
    )


def test_speaker_name_disagreeing_with_the_speaker_is_reported(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        rows[_seed(rows)[0]]["speaker_name"] = "Somebody Else"

    _assert_reported(
        _break(copy, "comments", change),
        f"{COMMENTS} thread {SEED}",
        "speaker_name differs from its speaker's name",
    )


def test_is_post_author_disagreeing_with_the_speaker_is_reported(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        i = _seed(rows)[0]
        rows[i]["is_post_author"] = not rows[i]["is_post_author"]

    _assert_reported(
        _break(copy, "comments", change),
        f"{COMMENTS} thread {SEED}",
        "is_post_author differs from its speaker's",
    )


def test_wrong_n_comments_in_threads_names_the_threads_file(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        seed = next(r for r in rows if r["thread_id"] == SEED)
        seed["n_comments"] += 1

    _assert_reported(_break(copy, "threads", change), f"{THREADS} thread {SEED}", "threads.n_comments is")


def test_wrong_speaker_n_comments_names_the_speakers_file(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        seed = next(r for r in rows if r["thread_id"] == SEED)
        seed["n_comments"] += 1

    _assert_reported(
        _break(copy, "speakers", change),
        f"{SPEAKERS} thread {SEED}",
        "comment_ids/n_comments disagree with the comments",
    )


def test_two_post_authors_in_a_thread_are_reported(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        other = next(r for r in rows if r["thread_id"] == SEED and not r["is_post_author"])
        other["is_post_author"] = True

    _assert_reported(
        _break(copy, "speakers", change),
        f"{SPEAKERS} thread {SEED}",
        "2 speakers are marked as the post author",
    )


def test_comment_of_an_unknown_thread_is_reported(copy: Path) -> None:
    def change(rows: list[Row], folder: Path) -> None:
        rows[:] = [r for r in rows if r["thread_id"] != "sourdough"]

    _assert_reported(_break(copy, "threads", change), COMMENTS, "'sourdough' is not in threads")


def test_a_speaker_id_of_another_thread_is_reported(copy: Path) -> None:
    """Speaker ids are unique because each starts with its own thread's id; validate checks the
    prefix, thread by thread, instead of holding every id of the release."""

    def change(rows: list[Row], folder: Path) -> None:
        other = next(r for r in rows if r["thread_id"] == "sourdough")
        i = next(i for i in _seed(rows) if not rows[i]["is_post_author"])
        rows[i]["speaker_id"] = other["speaker_id"]

    _assert_reported(_break(copy, "speakers", change), f"{SPEAKERS} thread {SEED}",
                     "id does not start with its thread id")


def test_rows_of_a_thread_that_are_not_together_are_reported(copy: Path) -> None:
    """Validation reads the configs side by side, thread by thread: a config must hold each
    thread's rows together, threads in the order of `threads` (as every release is written)."""

    def change(rows: list[Row], folder: Path) -> None:
        first = rows[0]["thread_id"]
        moved = [r for r in rows if r["thread_id"] == first][:1]
        rows[:] = [r for r in rows if r not in moved] + moved

    problems = _break(copy, "comments", change)
    _assert_reported(problems, COMMENTS, "are not together, in threads' order")
