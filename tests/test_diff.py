"""`threadloom diff`: what changed between two releases, for a person and as JSON."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from release_tools import read_rows, rewrite_config
from threadloom.cli import main
from threadloom.diff import diff_releases, render_diff


def _changed_copy(release_copy: Callable[[Path], Path], release: Path) -> Path:
    """A copy of `release` with one comment removed and one each of boundary, parent, speaker, text
    and date changed."""
    folder = release_copy(release)
    rows = read_rows(folder, "comments")
    rows[1]["raw_line_end"] += 1
    rows[2]["parent_id"] = rows[0]["comment_id"]
    rows[3]["speaker_name"] = "Someone Else"
    rows[4]["text"] = rows[4]["text"] + " (repaired differently)"
    rows[0]["published"] = "2013-03-03"
    rows[0]["published_evidence"] = ["date: 'March 3, 2013' in 'Ann, March 3, 2013'"]
    del rows[5]
    rewrite_config(folder, "comments", rows)
    return folder


def test_a_release_against_itself_has_no_changes(small_release: Path) -> None:
    result = diff_releases(small_release, small_release)
    assert result.same_data
    assert result.files_changed == []
    assert "no boundary, parent, speaker, text, date or thread field changed" in render_diff(result)


def test_rescored_decisions_are_counted_apart_from_changed_data(
        small_release: Path, release_copy: Callable[[Path], Path]) -> None:
    folder = release_copy(small_release)
    rows = read_rows(folder, "comments")
    rows[1]["parent_confidence"] = 0.123
    rows[2]["parent_evidence"] = [*rows[2]["parent_evidence"], "words: shares 'roses'"]
    rewrite_config(folder, "comments", rows)
    result = diff_releases(small_release, folder)
    assert result.same_data and (result.comments_rescored, result.threads_rescored) == (2, 0)
    assert "comments with a changed confidence or evidence: 2" in render_diff(result)
    assert result.to_dict()["comments"]["rescored"] == 2
    result.files_changed = [f"raw/{i:02x}/doc.txt" for i in range(30)]  # a crawl's release changes thousands
    assert render_diff(result, limit=20).splitlines()[-1].endswith("raw/13/doc.txt, ... and 10 more)")
    assert "files added, removed or changed: 30 (" in render_diff(result)
    assert diff_releases(small_release, small_release).comments_rescored == 0


def test_threads_and_comments_added_are_listed(small_release: Path, mixed_release: Path) -> None:
    result = diff_releases(small_release, mixed_release)
    seed_comments = [r["comment_id"] for r in read_rows(mixed_release, "comments")
                     if r["thread_id"].startswith("000_")]
    assert result.threads_added == ["000_d56ce07caea43617"]
    assert result.threads_removed == []
    assert result.comments_added == seed_comments
    reverse = diff_releases(mixed_release, small_release)
    assert reverse.threads_removed == ["000_d56ce07caea43617"]
    assert reverse.comments_removed == seed_comments


def test_changed_boundaries_parents_speakers_text_and_dates_are_each_reported(
        small_release: Path, release_copy: Callable[[Path], Path]) -> None:
    old_rows = read_rows(small_release, "comments")
    result = diff_releases(small_release, _changed_copy(release_copy, small_release))
    changes = {kind: [e["id"] for e in entries] for kind, entries in result.comment_changes.items()}
    assert changes == {"boundary": [old_rows[1]["comment_id"]], "parent": [old_rows[2]["comment_id"]],
                       "speaker": [old_rows[3]["comment_id"]], "text": [old_rows[4]["comment_id"]],
                       "date": [old_rows[0]["comment_id"]]}
    assert result.comments_removed == [old_rows[5]["comment_id"]]
    assert result.comment_changes["parent"][0]["new"] == {"parent_id": old_rows[0]["comment_id"]}
    assert "data/comments/train-00000-of-00001.parquet" in result.files_changed


def test_a_release_of_an_earlier_schema_version_is_compared_without_the_columns_it_lacks(
        small_release: Path) -> None:
    """A 1.0.0 release's comments have no `published`: it reads as null, so only a date this
    version read shows as changed (the small documents have none)."""
    old = Path(__file__).parent / "data" / "release_schema_1_0_0"  # built by 0.6.7 from the same raw
    result = diff_releases(old, small_release)
    assert result.comment_changes["date"] == []
    assert diff_releases(small_release, old).comment_changes["date"] == []


def test_releases_whose_threads_come_in_the_same_order_are_compared_thread_by_thread(
        small_release: Path, mixed_release: Path, release_copy: Callable[[Path], Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither release is read whole (a crawl's can be larger than memory); a thread only one of
    them has is passed on the way, and its comments still come in that release's order."""
    from threadloom import diff

    new = _changed_copy(release_copy, small_release)
    old_rows = read_rows(small_release, "comments")
    seed_comments = [r["comment_id"] for r in read_rows(mixed_release, "comments")
                     if r["thread_id"].startswith("000_")]

    def read_whole(*args: object) -> None:
        raise AssertionError("a release was read whole")

    monkeypatch.setattr(diff, "read_rows", read_whole)
    result = diff_releases(mixed_release, new)
    assert result.threads_removed == ["000_d56ce07caea43617"] and result.threads_added == []
    assert result.comments_removed == [*seed_comments, old_rows[5]["comment_id"]]
    changes = {kind: [e["id"] for e in entries] for kind, entries in result.comment_changes.items()}
    assert changes == {"boundary": [old_rows[1]["comment_id"]], "parent": [old_rows[2]["comment_id"]],
                       "speaker": [old_rows[3]["comment_id"]], "text": [old_rows[4]["comment_id"]],
                       "date": [old_rows[0]["comment_id"]]}
    assert diff_releases(new, mixed_release).comments_added == [*seed_comments, old_rows[5]["comment_id"]]


def test_releases_whose_threads_come_in_another_order_give_the_same_findings(
        small_release: Path, release_copy: Callable[[Path], Path], tmp_path: Path) -> None:
    changed = _changed_copy(release_copy, small_release)
    reordered = Path(shutil.copytree(changed, tmp_path / "reordered"))
    order = [t["thread_id"] for t in read_rows(reordered, "threads")][::-1]
    assert len(order) == 2
    for config in ("threads", "comments", "speakers"):
        rows = sorted(read_rows(reordered, config), key=lambda r: order.index(r["thread_id"]))
        rewrite_config(reordered, config, rows)
    straight, crossed = diff_releases(small_release, changed), diff_releases(small_release, reordered)
    assert crossed.comment_changes == straight.comment_changes
    assert crossed.comments_removed == straight.comments_removed != []
    assert crossed.comments_added == straight.comments_added == []
    assert crossed.thread_changes == straight.thread_changes


def test_diff_command_prints_a_readable_summary(small_release: Path,
                                               release_copy: Callable[[Path], Path]) -> None:
    new = _changed_copy(release_copy, small_release)
    result = CliRunner().invoke(main, ["diff", str(small_release), str(new)])
    assert result.exit_code == 0, result.output
    assert "comments removed: 1" in result.output
    assert "comments with a changed parent: 1" in result.output
    assert "comments with a changed boundary: 1" in result.output


def test_diff_command_json_is_machine_readable(small_release: Path, mixed_release: Path) -> None:
    result = CliRunner().invoke(main, ["diff", str(small_release), str(mixed_release), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["threads"]["added"] == ["000_d56ce07caea43617"]
    assert data["same_data"] is False
    assert set(data["comments"]["changed"]) == {"boundary", "parent", "speaker", "text", "date"}


def test_diff_of_a_folder_that_is_not_a_release_is_one_line_exit_1(tmp_path: Path,
                                                                    small_release: Path) -> None:
    result = CliRunner().invoke(main, ["diff", str(tmp_path), str(small_release)])
    assert result.exit_code == 1
    assert result.output.startswith("threadloom: ")
    assert f"{tmp_path}: not a threadloom release (no manifest.json)" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_diff_help_has_a_worked_example() -> None:
    result = CliRunner().invoke(main, ["diff", "--help"])
    assert "Example:" in result.output and "threadloom diff " in result.output
