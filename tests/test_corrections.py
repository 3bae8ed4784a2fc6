"""A reviewer's corrections: the file beside the raw document, how build applies it, and the
`threadloom correct` command. Every correction is made here, from a fresh inference, so the tests
do not depend on what the inference currently gets wrong."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED_RAW, SEED_TXT
from release_tools import read_rows
from threadloom.api import build
from threadloom.cli import main
from threadloom.corrections import apply_corrections, corrections_from_options
from threadloom.errors import ThreadloomError
from threadloom.model import Comment, Thread
from threadloom.pipeline import process_text
from threadloom.release import parquet_path
from threadloom.sources import load_collection
from threadloom.validate import validate_release

THREAD_ID = SEED_TXT.stem
CORRECTIONS = f"{THREAD_ID}.corrections.json"


@pytest.fixture(scope="module")
def inferred() -> Thread:
    return process_text(SEED_TXT.read_text(encoding="utf-8"), SEED_TXT.name)


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    target = tmp_path / "raw"
    shutil.copytree(SEED_RAW, target)
    assert not list(target.glob("*.corrections.json")), "the seed ships no corrections"
    return target


def _ref(thread: Thread, position: int) -> str:
    return f"L{thread.comments[position].raw_line_start}"


def _by_start(thread: Thread, line: int) -> int:
    return next(c.position for c in thread.comments if c.raw_line_start == line)


def _first_reply(thread: Thread) -> int:
    return next(c.position for c in thread.comments if c.parent is not None)


def _is_human(evidence: tuple[str, ...] | list[str]) -> bool:
    return bool(evidence) and evidence[0].startswith("human correction:")


def test_seed_ships_no_corrections_file() -> None:
    assert not list(SEED_RAW.glob("*.corrections.json"))


def test_parent_correction_is_applied_with_full_confidence_and_human_evidence(inferred: Thread) -> None:
    reply = _first_reply(inferred)
    fix = {"parents": [{"comment": _ref(inferred, reply), "parent": None}]}
    fixed = apply_corrections(inferred, fix, "x.json")
    assert fixed.comments[reply].parent is None
    assert fixed.comments[reply].parent_decision.confidence == 1.0
    assert _is_human(fixed.comments[reply].parent_decision.evidence)
    assert "x.json" in fixed.comments[reply].parent_decision.evidence[0]


def test_parent_correction_to_the_previous_comment_nests_it(inferred: Thread) -> None:
    i = next(c.position for c in inferred.comments[1:] if c.parent != c.position - 1)
    fix = {"parents": [{"comment": _ref(inferred, i), "parent": _ref(inferred, i - 1)}]}
    fixed = apply_corrections(inferred, fix)
    assert fixed.comments[i].parent == i - 1


def test_parent_off_the_depth_first_path_is_refused_naming_the_file(inferred: Thread) -> None:
    later_top = next(c.position for c in inferred.comments[1:] if c.parent is None)
    if later_top + 1 >= len(inferred.comments):
        pytest.skip("the inference gives no comment after the second top-level one")
    bad = {"parents": [{"comment": _ref(inferred, later_top + 1), "parent": _ref(inferred, 0)}]}
    with pytest.raises(ThreadloomError) as err:
        apply_corrections(inferred, bad, "000.corrections.json")
    assert err.value.subject == "000.corrections.json"
    assert "depth-first" in err.value.reason


def test_correction_naming_no_comment_is_refused(inferred: Thread) -> None:
    with pytest.raises(ThreadloomError, match="no comment starts at line 1 "):
        apply_corrections(inferred, {"parents": [{"comment": "L1", "parent": None}]}, "f.json")


def test_speaker_corrections_name_mark_author_and_make_anonymous(inferred: Thread) -> None:
    a, b, c = 0, 1, 2
    fixes = {"speakers": [
        {"comment": _ref(inferred, a), "speaker_name": "Zelda Reviewed", "is_post_author": False},
        {"comment": _ref(inferred, b), "speaker_name": None, "is_post_author": True},
        {"comment": _ref(inferred, c), "speaker_name": None, "is_post_author": False},
    ]}
    fixed = apply_corrections(inferred, fixes)
    first, second, third = fixed.comments[a], fixed.comments[b], fixed.comments[c]
    assert fixed.speaker(first.speaker_key).name == "Zelda Reviewed" and not first.is_post_author
    assert second.is_post_author and fixed.speaker(second.speaker_key).is_post_author
    assert fixed.speaker(third.speaker_key).name is None and third.speaker_key.startswith("anon-")
    assert all(_is_human(x.speaker_decision.evidence) and x.speaker_decision.confidence == 1.0
               for x in (first, second, third))
    used = {x.speaker_key for x in fixed.comments}
    assert all(s.is_post_author or s.key in used for s in fixed.speakers)


def test_boundary_correction_splits_a_comment_and_keeps_every_line_covered(inferred: Thread) -> None:
    def text_lines(start: int, end: int) -> list[int]:
        return [n for n in range(start, end + 1) if not inferred.line(n).is_blank]

    multi = next(c for c in inferred.comments if len(text_lines(c.raw_line_start, c.raw_line_end)) > 1)
    first_end = text_lines(multi.raw_line_start, multi.raw_line_end)[0]
    fixed = apply_corrections(inferred, {"boundaries": [
        {"raw_line_start": multi.raw_line_start, "raw_line_end": first_end}]})
    assert len(fixed.comments) == len(inferred.comments) + 1
    head = fixed.comments[_by_start(fixed, multi.raw_line_start)]
    assert (head.raw_line_end, head.boundary.confidence) == (first_end, 1.0)
    assert _is_human(head.boundary.evidence)
    covered = {n for c in fixed.comments for n in range(c.raw_line_start, c.raw_line_end + 1)}
    lines = [line.number for line in fixed.lines[fixed.article_line_end:] if not line.is_blank]
    assert set(lines) <= covered


def test_a_split_comments_date_stays_with_its_first_piece(inferred: Thread) -> None:
    """The header that dates a comment is over its first line: the pieces after it are undated."""
    def lines(c: Comment) -> int:
        return sum(not inferred.line(n).is_blank for n in range(c.raw_line_start, c.raw_line_end + 1))

    multi = next(c for c in inferred.comments if lines(c) > 1)
    evidence = ("date: 'March 3, 2014' in 'Ivy, March 3, 2014'",)
    dated = replace(inferred, comments=tuple(replace(c, published="2014-03-03", published_evidence=evidence)
                                             if c == multi else c for c in inferred.comments))
    fixed = apply_corrections(dated, {"boundaries": [
        {"raw_line_start": multi.raw_line_start, "raw_line_end": multi.raw_line_start}]})
    head = fixed.comments[_by_start(fixed, multi.raw_line_start)]
    rest = fixed.comments[head.position + 1]
    assert (head.published, head.published_evidence) == ("2014-03-03", evidence)
    assert (rest.published, rest.published_evidence) == (None, ())


def test_boundary_correction_merges_two_comments(inferred: Thread) -> None:
    one, two = inferred.comments[0], inferred.comments[1]
    fixed = apply_corrections(inferred, {"boundaries": [
        {"raw_line_start": one.raw_line_start, "raw_line_end": two.raw_line_end}]})
    assert len(fixed.comments) == len(inferred.comments) - 1
    merged = fixed.comments[0]
    assert (merged.raw_line_start, merged.raw_line_end) == (one.raw_line_start, two.raw_line_end)


def test_boundary_on_a_blank_line_or_outside_the_file_is_refused(inferred: Thread) -> None:
    n = len(inferred.lines)
    with pytest.raises(ThreadloomError, match="not inside the raw file"):
        apply_corrections(inferred, {"boundaries": [{"raw_line_start": n, "raw_line_end": n + 5}]}, "f")


def test_build_applies_the_corrections_file_and_no_corrections_ignores_it(raw_copy: Path, tmp_path: Path,
                                                                          inferred: Thread) -> None:
    reply = _first_reply(inferred)
    ref = _ref(inferred, reply)
    (raw_copy / CORRECTIONS).write_text(json.dumps(
        {"reviewer": "test", "parents": [{"comment": ref, "parent": None, "note": "checked by hand"}]}),
        encoding="utf-8")
    corrected = build(raw_copy, tmp_path / "corrected").out
    assert validate_release(corrected).ok, validate_release(corrected).problems
    row = next(r for r in read_rows(corrected, "comments") if r["comment_id"].endswith("/" + ref))
    assert row["parent_id"] is None and row["parent_confidence"] == 1.0
    assert _is_human(row["parent_evidence"]) and "reviewer's note: checked by hand" in row["parent_evidence"]
    assert (corrected / "raw" / CORRECTIONS).read_bytes() == (raw_copy / CORRECTIONS).read_bytes()
    plain = build(raw_copy, tmp_path / "plain", corrections=False).out
    row = next(r for r in read_rows(plain, "comments") if r["comment_id"].endswith("/" + ref))
    assert row["parent_id"] is not None and not _is_human(row["parent_evidence"])
    assert not (plain / "raw" / CORRECTIONS).exists()


def test_build_cli_no_corrections_flag(raw_copy: Path, tmp_path: Path, inferred: Thread) -> None:
    ref = _ref(inferred, _first_reply(inferred))
    (raw_copy / CORRECTIONS).write_text(json.dumps({"parents": [{"comment": ref, "parent": None}]}),
                                        encoding="utf-8")
    args = ["build", str(raw_copy), "--out", str(tmp_path / "r"), "--no-corrections", "-q"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path / "r", "comments")
    assert not any(_is_human(r["parent_evidence"]) for r in rows)


def test_invalid_corrections_file_stops_the_build_naming_it(raw_copy: Path, tmp_path: Path) -> None:
    (raw_copy / CORRECTIONS).write_text('{"parents": [{"comment": "first one"}]}', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(raw_copy), "--out", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert result.output.startswith(f"threadloom: {CORRECTIONS}: ")
    assert not (tmp_path / "r").exists()


def test_corrections_without_their_document_are_refused(raw_copy: Path) -> None:
    (raw_copy / "ghost.corrections.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ThreadloomError, match="corrections for a document that does not exist"):
        load_collection(raw_copy)


def test_correct_command_writes_and_updates_the_file(raw_copy: Path, inferred: Thread) -> None:
    reply = _first_reply(inferred)
    ref, prev = _ref(inferred, reply), _ref(inferred, reply - 1)
    runner = CliRunner()
    first = runner.invoke(main, ["correct", str(raw_copy), THREAD_ID, "--parent", f"{ref}=post",
                                 "--speaker", f"{ref}=Zelda", "--reviewer", "me"])
    assert first.exit_code == 0, first.output
    assert first.output.strip() == str(raw_copy / CORRECTIONS)
    second = runner.invoke(main, ["correct", str(raw_copy), THREAD_ID, "--parent", f"{ref}={prev}"])
    assert second.exit_code == 0, second.output
    saved = json.loads((raw_copy / CORRECTIONS).read_text(encoding="utf-8"))
    assert saved["parents"] == [{"comment": ref, "parent": prev}]
    assert saved["speakers"] == [{"comment": ref, "speaker_name": "Zelda", "is_post_author": False}]
    assert saved["reviewer"] == "me"
    assert not [p for p in raw_copy.iterdir() if p.name.startswith(".")], "no temporary file is left"


def test_correct_command_refuses_a_correction_that_breaks_the_thread(raw_copy: Path,
                                                                    inferred: Thread) -> None:
    later_top = next(c.position for c in inferred.comments[1:] if c.parent is None)
    if later_top + 1 >= len(inferred.comments):
        pytest.skip("the inference gives no comment after the second top-level one")
    bad = f"{_ref(inferred, later_top + 1)}={_ref(inferred, 0)}"
    result = CliRunner().invoke(main, ["correct", str(raw_copy), THREAD_ID, "--parent", bad])
    assert result.exit_code == 1
    assert result.output.startswith(f"threadloom: {CORRECTIONS}: ") and "depth-first" in result.output
    assert not (raw_copy / CORRECTIONS).exists()


def test_correct_command_usage_errors_exit_2(raw_copy: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["correct", str(raw_copy), THREAD_ID]).exit_code == 2
    assert runner.invoke(main, ["correct", str(raw_copy), THREAD_ID, "--parent", "L44"]).exit_code == 2


def test_correct_command_unknown_thread_exits_1(raw_copy: Path) -> None:
    result = CliRunner().invoke(main, ["correct", str(raw_copy), "nope", "--parent", "L44=post"])
    assert result.exit_code == 1 and result.output.startswith("threadloom: nope: no such document")


def test_correct_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["correct", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_option_notation_reads_every_kind() -> None:
    got = corrections_from_options(["40-42"], ["L44=L40", "45=post"], ["L46=@author", "L47=@anonymous"])
    assert got == {
        "boundaries": [{"raw_line_start": 40, "raw_line_end": 42}],
        "parents": [{"comment": "L44", "parent": "L40"}, {"comment": "L45", "parent": None}],
        "speakers": [{"comment": "L46", "speaker_name": None, "is_post_author": True},
                     {"comment": "L47", "speaker_name": None, "is_post_author": False}],
    }


def test_corrected_release_parquet_is_what_validate_accepts(raw_copy: Path, tmp_path: Path,
                                                            inferred: Thread) -> None:
    multi = inferred.comments[0]
    two = inferred.comments[1]
    (raw_copy / CORRECTIONS).write_text(json.dumps({
        "boundaries": [{"raw_line_start": multi.raw_line_start, "raw_line_end": two.raw_line_end}],
        "speakers": [{"comment": f"L{multi.raw_line_start}", "speaker_name": "Merged Person"}],
    }), encoding="utf-8")
    out = build(raw_copy, tmp_path / "r").out
    report = validate_release(out)
    assert report.ok, report.problems
    assert (out / parquet_path("comments")).is_file()
