"""Safety: nothing is unpickled or evaluated, paths built from file names or ids never leave the
output folder, and a hub token never reaches an output, a message or a file."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SMALL_RAW
from threadloom import api
from threadloom.cli import main
from threadloom.errors import ThreadloomError
from threadloom.intake import release_child, safe_child
from threadloom.pipeline import process_document
from threadloom.release import build_release
from threadloom.sources import load_collection

SRC = Path(__file__).resolve().parents[1] / "src" / "threadloom"
UNSAFE_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "joblib", "cloudpickle"}
UNSAFE_CALLS = {"eval", "exec", "compile", "__import__"}
TOKEN = "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123"


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_no_module_imports_a_deserialiser_that_runs_code() -> None:
    found = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module.split(".")[0]]
            found += [f"{path.name}: {name}" for name in names if name in UNSAFE_MODULES]
    assert found == []


def test_no_module_evaluates_code_or_loads_yaml_unsafely() -> None:
    found = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in UNSAFE_CALLS:
                found.append(f"{path.name}:{node.lineno}: {func.id}")
            if isinstance(func, ast.Attribute) and func.attr in {"load", "load_all", "unsafe_load"}:
                if isinstance(func.value, ast.Name) and func.value.id == "yaml":
                    found.append(f"{path.name}:{node.lineno}: yaml.{func.attr}")
                if func.attr in {"read_pickle"}:
                    found.append(f"{path.name}:{node.lineno}: {func.attr}")
    assert found == []


@pytest.mark.parametrize("rel", ["../x.txt", "a/../../x.txt", "/etc/passwd", "", "a\x00b.txt", "..\\x.txt"])
def test_a_path_that_would_leave_the_folder_is_refused(rel: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        safe_child(tmp_path, rel)


def test_a_path_through_a_link_leading_outside_is_refused(tmp_path: Path) -> None:
    (tmp_path / "inside").mkdir()
    (tmp_path / "inside" / "out").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(ValueError):
        safe_child(tmp_path / "inside", "out/x.txt")


def test_a_plain_nested_path_is_accepted(tmp_path: Path) -> None:
    assert safe_child(tmp_path, "2013/04/the post.txt") == tmp_path / "2013" / "04" / "the post.txt"


def test_a_release_file_named_to_leave_the_release_is_a_threadloom_error(tmp_path: Path) -> None:
    with pytest.raises(ThreadloomError, match="tried to leave the release"):
        release_child(tmp_path, "raw/../../evil.txt")


def test_release_writing_refuses_a_source_file_outside_and_writes_nothing(tmp_path: Path) -> None:
    collection = load_collection(SMALL_RAW)
    evil = dataclasses.replace(collection.documents[0], source_file="../../evil.txt")
    collection = dataclasses.replace(collection, documents=(evil, *collection.documents[1:]))
    with pytest.raises(ThreadloomError):
        build_release(collection, tmp_path / "dist" / "rel", process_document)
    assert list(tmp_path.rglob("*")) == []


def test_load_collection_gives_only_source_files_inside_the_raw_directory(tmp_path: Path) -> None:
    for name in ["a..b.txt", "-..txt", "...x/y.txt", "sub/..hidden.txt", " lead.txt", "dots../z.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("A post.\nA comment.\n", encoding="utf-8")
    for doc in load_collection(tmp_path).documents:
        assert safe_child(tmp_path, doc.source_file).is_file()


def test_a_token_in_an_error_never_reaches_the_output(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)

    def leak(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"401 Unauthorized for token {TOKEN}")

    monkeypatch.setattr("threadloom.cli.build", leak)
    result = CliRunner().invoke(main, ["build", str(SMALL_RAW), "--out", str(tmp_path / "rel")])
    assert result.exit_code == 1
    assert TOKEN not in result.output and "***" in result.stderr


def test_anything_shaped_like_a_hub_token_is_blanked_in_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)

    def leak(*args: object, **kwargs: object) -> None:
        raise ThreadloomError("hub", f"refused {TOKEN}", "check it")

    monkeypatch.setattr("threadloom.cli.build", leak)
    result = CliRunner().invoke(main, ["build", str(SMALL_RAW), "--out", str(tmp_path / "rel")])
    assert TOKEN not in result.output and "hf_***" in result.stderr


def test_a_token_in_the_environment_is_in_no_file_of_a_release(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    out = api.build(SMALL_RAW, tmp_path / "rel").out
    for path in out.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
