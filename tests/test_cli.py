"""The `threadloom` command through click's CliRunner: output streams, exit codes, messages."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from conftest import SEED_RAW, SMALL_RAW
from release_tools import read_rows, write_rows
from threadloom import cli
from threadloom.cli import main

SEED = "000_d56ce07caea43617"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _assert_one_error_line(result: Result, *needles: str) -> None:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("threadloom: ")
    for needle in needles:
        assert needle in lines[0]
    assert "Traceback" not in result.output


def test_build_prints_the_release_path_on_stdout(tmp_path: Path) -> None:
    out = tmp_path / "rel"
    result = run("build", SMALL_RAW, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out.resolve()}\n"
    assert (out / "manifest.json").is_file()


def test_build_reports_progress_on_stderr_only(tmp_path: Path) -> None:
    result = run("build", SMALL_RAW, "--out", tmp_path / "rel")
    assert result.stderr.startswith("threadloom: wrote ")
    assert "2 threads" in result.stderr


def test_build_quiet_prints_only_the_path(tmp_path: Path) -> None:
    result = run("build", SMALL_RAW, "--out", tmp_path / "rel", "--quiet")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.strip() == str((tmp_path / "rel").resolve())


def test_rebuild_says_unchanged(tmp_path: Path) -> None:
    run("build", SMALL_RAW, "--out", tmp_path / "rel")
    result = run("build", SMALL_RAW, "--out", tmp_path / "rel")
    assert result.exit_code == 0
    assert "unchanged" in result.stderr


def test_build_of_a_different_release_into_the_same_folder_exits_1(tmp_path: Path) -> None:
    run("build", SMALL_RAW, "--out", tmp_path / "rel")
    result = run("build", SEED_RAW, "--out", tmp_path / "rel")
    assert result.exit_code == 1
    _assert_one_error_line(result, "already there", "--force")


def test_build_with_force_replaces_it(tmp_path: Path) -> None:
    run("build", SMALL_RAW, "--out", tmp_path / "rel")
    assert run("build", SEED_RAW, "--out", tmp_path / "rel", "--force").exit_code == 0


def test_build_of_an_invalid_utf8_document_exits_1_with_one_line_naming_it(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text("A post.\nA comment.\n", encoding="utf-8")
    (raw / "mangled.txt").write_bytes("Cr\u00e8me br\u00fbl\u00e9e for dessert.\n".encode("cp1252"))
    result = run("build", raw, "--out", tmp_path / "rel")
    assert result.exit_code == 1
    _assert_one_error_line(result, "mangled.txt", "not valid UTF-8")
    assert result.stdout == ""
    assert not (tmp_path / "rel").exists()


def test_build_of_a_missing_folder_exits_1(tmp_path: Path) -> None:
    result = run("build", tmp_path / "nowhere", "--out", tmp_path / "rel")
    assert result.exit_code == 1
    _assert_one_error_line(result, "nowhere", "not a directory")


def test_build_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--debug", "build", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "Traceback" in result.stderr


def test_unexpected_error_is_one_line_without_traceback(
    seed_release: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr(cli, "render_tree", broken)
    result = run("show", seed_release)
    assert result.exit_code == 1
    _assert_one_error_line(result, "RuntimeError", "something unexpected", "--debug")


def test_validate_valid_release_exits_0(seed_release: Path) -> None:
    result = run("validate", seed_release)
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout
    assert result.stderr == ""


def test_validate_quiet_prints_nothing_for_a_valid_release(seed_release: Path) -> None:
    result = run("validate", seed_release, "--quiet")
    assert result.exit_code == 0
    assert result.output == ""


@pytest.fixture
def corrupted(seed_release: Path, release_copy: Callable[[Path], Path]) -> Path:
    folder = release_copy(seed_release)
    path = folder / "data" / "comments" / "train-00000-of-00001.parquet"
    path.write_bytes(path.read_bytes()[:-100])
    return folder


def test_validate_corrupted_release_exits_1_and_lists_problems(corrupted: Path) -> None:
    result = run("validate", corrupted)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert all(line.startswith("threadloom: ") for line in lines)
    assert any("data/comments/train-00000-of-00001.parquet" in line for line in lines)
    assert lines[-1].endswith("problem(s)")


def test_validate_json_of_a_valid_release_parses(seed_release: Path) -> None:
    result = run("validate", seed_release, "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["problems"] == []
    assert report["counts"]["threads"] == 1


def test_validate_json_of_a_corrupted_release_parses_and_exits_1(corrupted: Path) -> None:
    result = run("validate", corrupted, "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["problems"]


def test_validate_of_a_missing_folder_exits_1(tmp_path: Path) -> None:
    result = run("validate", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "not a directory" in result.stderr


def test_show_prints_an_indented_tree_with_the_post_author_mark(seed_release: Path) -> None:
    result = run("show", seed_release, SEED)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(SEED)
    heads = [line for line in lines if line.lstrip().startswith("└ L")]
    assert any(line.startswith("└ L") for line in heads)
    assert any(line.startswith("    └ L") for line in heads), "no reply is indented under its parent"
    assert any("[post author]" in line for line in heads)


def test_show_without_a_thread_shows_the_first(seed_release: Path) -> None:
    assert run("show", seed_release).stdout.startswith(SEED)


def test_show_of_an_unknown_thread_exits_1_with_one_line(seed_release: Path) -> None:
    result = run("show", seed_release, "no-such-thread")
    assert result.exit_code == 1
    _assert_one_error_line(result, "no-such-thread", "no such thread")


@pytest.mark.parametrize("command", ["show", "view", "export jsonl", "export convokit", "diff"])
@pytest.mark.parametrize("given", ["folder", "file"])
def test_a_folder_or_file_that_is_not_a_release_is_named_in_one_line(command: str, given: str,
                                                                     tmp_path: Path) -> None:
    """Every command that reads a release says the same, before reading any Parquet (a file
    given for the release once read as "t.txt/data/...: not a readable Parquet file")."""
    target = tmp_path / "not-a-release"
    target.mkdir() if given == "folder" else target.write_text("a page\n", encoding="utf-8")
    extra = {"export jsonl": [tmp_path / "out"], "export convokit": [tmp_path / "out"], "diff": [target]}
    result = run(*command.split(), target, *extra.get(command, []))
    assert result.exit_code == 1
    _assert_one_error_line(result, f"{target}: not a threadloom release (no manifest.json)")
    assert not (tmp_path / "out").exists()


def test_show_respects_the_width(small_release: Path) -> None:
    result = run("show", small_release, "trail-repair", "--width", "40")
    body = [line for line in result.stdout.splitlines()[3:] if not line.lstrip().startswith("└")]
    assert body and all(len(line) <= 40 for line in body)


def test_build_validate_and_show_a_page_that_dates_its_comments(tmp_path: Path) -> None:
    """A crawled page with a header over each comment: the release dates each comment, validates,
    and `show` prints the dates; a release of schema 1.0.0 (no dates) shows as before."""
    raw = tmp_path / "raw"
    raw.mkdir()
    article = ["Pruning roses is easier than most gardeners think, and late winter is the time.",
               "Start by removing any dead or damaged canes, cutting back to healthy white pith."]
    comments = [("Ivy", "Great post! I always wondered when to prune mine."),
                ("Pete Hall", "Do you seal the cuts afterwards, or leave them open to the air?"),
                ("Marta", "I leave mine open and they heal fine by spring.")]
    lines = [*article, "3 Responses"]
    for k, (name, words) in enumerate(comments):
        lines += [f"{name} says:", f"March {k + 3}, 2014 at 9:{k}5 pm", words, "Reply"]
    (raw / "roses.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "release"
    assert run("build", raw, "--out", out).exit_code == 0
    assert run("validate", out).exit_code == 0
    assert [r["published"] for r in read_rows(out, "comments")] == [
        "2014-03-03T21:05", "2014-03-04T21:15", "2014-03-05T21:25"]
    shown = run("show", out).stdout
    assert "└ L4-7 Ivy 2014-03-03T21:05 (span" in shown
    old = run("show", Path(__file__).parent / "data" / "release_schema_1_0_0", "sourdough")
    assert old.exit_code == 0 and "└ L" in old.stdout


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[list[str]]:
    paths = [list(prefix)]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            paths += _command_paths(command, (*prefix, name))
        else:
            paths.append([*prefix, name])
    return paths


@pytest.mark.parametrize("command", _command_paths(main), ids=lambda c: " ".join(c) or "threadloom")
def test_every_help_shows_an_example(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_the_core_commands_exist() -> None:
    assert {"build", "validate", "show"} <= set(main.commands)


@pytest.mark.parametrize(
    "args",
    [["validate"], ["show"], ["frobnicate"], ["build", "--no-such-option"], ["show", ".", "--width", "x"]],
)
def test_wrong_usage_exits_2(args: list[str]) -> None:
    assert run(*args).exit_code == 2


def test_version_option_prints_the_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert "threadloom" in result.stdout


def test_build_default_raw_dir_and_out_are_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SMALL_RAW, tmp_path / "raw")
    monkeypatch.chdir(tmp_path)
    result = run("build", "--quiet")
    assert result.exit_code == 0, result.output
    assert Path(result.stdout.strip()) == (tmp_path / "dist" / "threadloom-test-small" / "0.0.1").resolve()


def test_show_says_when_a_thread_has_no_article(
    small_release: Path, release_copy: Callable[[Path], Path]
) -> None:
    folder = release_copy(small_release)
    threads = read_rows(folder, "threads")
    for row in threads:
        row["article_raw_line_start"] = row["article_raw_line_end"] = None
    write_rows(folder, "threads", threads)
    result = run("show", folder, "trail-repair")
    assert result.exit_code == 0, result.output
    assert "; no article (confidence" in result.stdout.splitlines()[1]
