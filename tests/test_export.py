"""`threadloom export convokit|jsonl`: the release in the field's formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from release_tools import read_rows
from threadloom.cli import main
from threadloom.export import CONVOKIT_FILES, export_convokit, export_jsonl


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_convokit_export_has_the_five_files_and_the_post_as_root(mixed_release: Path,
                                                                 tmp_path: Path) -> None:
    out = export_convokit(mixed_release, tmp_path / "corpus")
    assert sorted(p.name for p in out.iterdir()) == sorted(CONVOKIT_FILES)
    utterances = {u["id"]: u for u in _lines(out / "utterances.jsonl")}
    threads, comments = read_rows(mixed_release, "threads"), read_rows(mixed_release, "comments")
    assert len(utterances) == len(comments) + len(threads)
    for thread in threads:
        root = utterances[thread["thread_id"]]
        assert root["reply-to"] is None and root["speaker"] == thread["post_author_speaker_id"]
    for c in comments:
        assert utterances[c["comment_id"]]["reply-to"] == (c["parent_id"] or c["thread_id"])
        assert utterances[c["comment_id"]]["speaker"] == c["speaker_id"]


def test_convokit_loads_the_export_with_the_right_reply_structure(seed_release: Path,
                                                                  tmp_path: Path) -> None:
    convokit = pytest.importorskip(
        "convokit", reason="convokit is optional: pip install --no-deps convokit==5.0.0 plus "
                           "the [convokit] extra (see README)")
    out = export_convokit(seed_release, tmp_path / "corpus")
    corpus = convokit.Corpus(filename=str(out))
    comments = read_rows(seed_release, "comments")
    (thread,) = read_rows(seed_release, "threads")
    assert len(list(corpus.iter_utterances())) == len(comments) + 1
    conversation = corpus.get_conversation(thread["thread_id"])
    assert conversation.get_utterance(thread["thread_id"]).reply_to is None
    for c in comments:
        utterance = corpus.get_utterance(c["comment_id"])
        assert utterance.reply_to == (c["parent_id"] or thread["thread_id"])
        assert utterance.speaker.id == c["speaker_id"]
        assert utterance.meta["depth"] == c["depth"]
    speakers = {s["speaker_id"]: s for s in read_rows(seed_release, "speakers")}
    assert {s.id for s in corpus.iter_speakers()} == set(speakers)
    for speaker in corpus.iter_speakers():
        assert speaker.meta["speaker_name"] == speakers[speaker.id]["speaker_name"]
    # the reply tree ConvoKit builds spans every utterance of the thread
    assert len(conversation.get_chronological_utterance_list()) == len(comments) + 1
    assert next(iter(conversation.traverse("bfs"))).id == thread["thread_id"]


def test_jsonl_export_is_one_nested_record_per_thread(mixed_release: Path, tmp_path: Path) -> None:
    records = _lines(export_jsonl(mixed_release, tmp_path / "threads.jsonl"))
    threads, comments = read_rows(mixed_release, "threads"), read_rows(mixed_release, "comments")
    assert [r["thread_id"] for r in records] == [t["thread_id"] for t in threads]

    def walk(nodes: list[dict[str, Any]], parent: str | None) -> list[str]:
        ids = []
        for node in nodes:
            assert node["parent_id"] == parent
            ids += [node["comment_id"], *walk(node["replies"], node["comment_id"])]
        return ids

    for record in records:
        in_thread = [c["comment_id"] for c in comments if c["thread_id"] == record["thread_id"]]
        assert walk(record["comments"], None) == in_thread  # depth-first = display order
        assert {s["thread_id"] for s in record["speakers"]} == {record["thread_id"]}


def test_export_refuses_to_overwrite(small_release: Path, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    for command in ("convokit", "jsonl"):
        result = CliRunner().invoke(main, ["export", command, str(small_release),
                                           str(tmp_path / "taken")])
        assert result.exit_code == 1
        assert result.output.strip() == (f"threadloom: {tmp_path / 'taken'}: already exists "
                                         "(choose a new path or remove it first)")


def test_export_commands_print_where_they_wrote(small_release: Path, tmp_path: Path) -> None:
    for command, name in (("convokit", "corpus"), ("jsonl", "threads.jsonl")):
        result = CliRunner().invoke(main, ["export", command, str(small_release), str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert result.output.strip() == str(tmp_path / name)


def test_export_of_a_folder_that_is_not_a_release_is_one_line_exit_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "jsonl", str(tmp_path), str(tmp_path / "x.jsonl")])
    assert result.exit_code == 1
    assert "not a threadloom release" in result.output
    assert not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize("command", ["convokit", "jsonl"])
def test_export_help_has_a_worked_example(command: str) -> None:
    result = CliRunner().invoke(main, ["export", command, "--help"])
    assert "Example:" in result.output and f"threadloom export {command} " in result.output


def test_jsonl_export_of_rows_out_of_thread_order_stops_with_one_line(
    mixed_release: Path, release_copy: Any, tmp_path: Path
) -> None:
    """The export reads the configs side by side, thread by thread (a release of any size): rows
    that are not in that order stop it with an error that names the file and the row."""
    from release_tools import rewrite_config
    from threadloom.errors import ThreadloomError

    copy = release_copy(mixed_release)
    rows = read_rows(copy, "comments")
    moved = rows.pop(0)
    rewrite_config(copy, "comments", [*rows, moved])
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ThreadloomError, match=r"row \d+: thread .* comes apart from the rest of its thread"):
        export_jsonl(copy, out / "threads.jsonl")
    assert list(out.iterdir()) == []  # no file, no staging folder left


def test_exported_lines_split_the_same_way_for_every_reader(tmp_path: Path) -> None:
    """A comment holding U+2028, U+2029 or U+0085 (str.splitlines() ends a line at each) is one
    record per line in both exports, and reads back with the same text."""
    raw = tmp_path / "raw"
    raw.mkdir()
    comment = "Great post! One\u2028two\u2029three, and a NEL\x85here."
    (raw / "a.txt").write_text(f"A post about trails.\nThe trail reopens on Saturday.\n{comment}\n"
                               "Thanks for sharing this, it helped.\n", encoding="utf-8")
    release = tmp_path / "rel"
    assert CliRunner().invoke(main, ["build", str(raw), "--out", str(release)]).exit_code == 0
    texts = {c["text"] for c in read_rows(release, "comments")}
    runner = CliRunner()
    assert runner.invoke(main, ["export", "jsonl", str(release), str(tmp_path / "t.jsonl")]).exit_code == 0
    assert runner.invoke(main, ["export", "convokit", str(release), str(tmp_path / "ck")]).exit_code == 0
    (record,) = _lines(tmp_path / "t.jsonl")

    def nested(nodes: list[dict[str, Any]]) -> set[str]:
        return {n["text"] for n in nodes} | {t for n in nodes for t in nested(n["replies"])}

    assert nested(record["comments"]) == texts
    assert any("\u2028" in text for text in texts)
    utterances = _lines(tmp_path / "ck" / "utterances.jsonl")
    assert texts <= {u["text"] for u in utterances}
