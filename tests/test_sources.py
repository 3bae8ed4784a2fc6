"""Reading raw documents: strict UTF-8, fixity against the sidecar, clear one-line errors."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from conftest import SEED_RAW, SMALL_RAW
from threadloom.errors import ThreadloomError
from threadloom.sources import load_collection, thread_id_for

TEXT = "A short post about repotting cacti.\nGreat tips, thanks!\n"


def _write(folder: Path, name: str, data: bytes | str, meta: dict[str, object] | None = None) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    if meta is not None:
        sidecar = path.with_name(path.name[: -len(".txt")] + ".meta.json")
        sidecar.write_text(json.dumps(meta), encoding="utf-8")
    return path


def _error(folder: Path) -> ThreadloomError:
    with pytest.raises(ThreadloomError) as info:
        load_collection(folder)
    message = str(info.value)
    assert "\n" not in message, "errors are one line"
    return info.value


def test_seed_collection_loads_with_its_metadata_and_collection_info() -> None:
    collection = load_collection(SEED_RAW)
    (doc,) = collection.documents
    assert doc.source_file == "000_d56ce07caea43617.txt"
    assert doc.sha256 == doc.metadata["sha256"] == hashlib.sha256(doc.data).hexdigest()
    assert collection.info["name"] == "threadloom-blog-threads"


def test_fixity_mismatch_is_refused_naming_the_file(tmp_path: Path) -> None:
    _write(tmp_path, "cacti.txt", TEXT, {"sha256": "0" * 64})
    error = _error(tmp_path)
    assert error.subject == "cacti.txt"
    assert "fixity" in error.reason and "0" * 64 in error.reason


def test_edited_seed_copy_fails_its_fixity_check(tmp_path: Path) -> None:
    raw = Path(shutil.copytree(SEED_RAW, tmp_path / "raw"))
    doc = raw / "000_d56ce07caea43617.txt"
    doc.write_bytes(doc.read_bytes().replace(b"the", b"teh", 1))
    assert _error(raw).subject == "000_d56ce07caea43617.txt"


def test_matching_fixity_is_accepted(tmp_path: Path) -> None:
    _write(tmp_path, "cacti.txt", TEXT, {"sha256": hashlib.sha256(TEXT.encode()).hexdigest()})
    (doc,) = load_collection(tmp_path).documents
    assert doc.text == TEXT


def test_invalid_utf8_is_refused_naming_the_file_and_the_byte(tmp_path: Path) -> None:
    _write(tmp_path, "latin1.txt", "Caf\u00e9 au lait, s'il vous pla\u00eet.\n".encode("latin-1"))
    error = _error(tmp_path)
    assert error.subject == "latin1.txt"
    assert "not valid UTF-8 at byte 3" in str(error)


def test_empty_document_is_refused_naming_the_file(tmp_path: Path) -> None:
    _write(tmp_path, "blank.txt", " \n\n \t\n")
    error = _error(tmp_path)
    assert error.subject == "blank.txt" and "empty" in error.reason


def test_document_with_nul_bytes_is_refused_naming_the_file(tmp_path: Path) -> None:
    _write(tmp_path, "binary.txt", b"looks like text\x00\x00\x01 but is not\n")
    error = _error(tmp_path)
    assert error.subject == "binary.txt" and "NUL" in error.reason


def test_one_bad_document_refuses_the_whole_collection(tmp_path: Path) -> None:
    _write(tmp_path, "a-good.txt", TEXT)
    _write(tmp_path, "b-bad.txt", b"\xff\xfe broken\n")
    assert _error(tmp_path).subject == "b-bad.txt"


def test_sidecar_without_its_document_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "cacti.txt", TEXT)
    (tmp_path / "orphan.meta.json").write_text('{"title": "lost"}', encoding="utf-8")
    error = _error(tmp_path)
    assert error.subject == "orphan.meta.json"
    assert "does not exist" in error.reason


def test_sidecar_that_is_not_json_is_refused_naming_it(tmp_path: Path) -> None:
    _write(tmp_path, "cacti.txt", TEXT)
    (tmp_path / "cacti.meta.json").write_text('{"title": "unterminated', encoding="utf-8")
    error = _error(tmp_path)
    assert error.subject == "cacti.meta.json" and "not valid JSON" in error.reason


def test_sidecar_breaking_the_meta_schema_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "cacti.txt", TEXT, {"sha256": "not-a-checksum"})
    error = _error(tmp_path)
    assert error.subject == "cacti.meta.json" and "sha256" in error.reason


def test_sidecar_that_is_a_json_array_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "cacti.txt", TEXT)
    (tmp_path / "cacti.meta.json").write_text("[]", encoding="utf-8")
    assert _error(tmp_path).subject == "cacti.meta.json"


def test_bad_collection_file_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "cacti.txt", TEXT)
    (tmp_path / "dataset.json").write_text('{"name": "x", "version": "one"}', encoding="utf-8")
    error = _error(tmp_path)
    assert error.subject == "dataset.json" and "version" in error.reason


def test_folder_without_documents_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("nothing here", encoding="utf-8")
    assert "no .txt documents" in _error(tmp_path).reason


def test_missing_folder_is_refused(tmp_path: Path) -> None:
    assert "not a directory" in _error(tmp_path / "nowhere").reason


def test_non_txt_files_are_ignored_and_listed(tmp_path: Path) -> None:
    _write(tmp_path, "cacti.txt", TEXT)
    (tmp_path / "README.md").write_text("about this folder", encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    collection = load_collection(tmp_path)
    assert [d.source_file for d in collection.documents] == ["cacti.txt"]
    assert collection.ignored == ("README.md", "scan.pdf")


def test_hidden_files_are_neither_read_nor_listed(tmp_path: Path) -> None:
    _write(tmp_path, "cacti.txt", TEXT)
    _write(tmp_path, ".git/broken.txt", b"\xff")
    assert load_collection(tmp_path).ignored == ()


def test_documents_come_in_a_stable_sorted_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "sub/c.txt"):
        _write(tmp_path, name, TEXT)
    assert [d.thread_id for d in load_collection(tmp_path).documents] == ["a", "b", "sub/c"]


def test_thread_id_is_the_path_without_txt() -> None:
    assert thread_id_for("2013/04/the-post.txt") == "2013/04/the-post"


def test_thread_id_replaces_runs_of_other_characters_with_one_underscore() -> None:
    assert thread_id_for("my blog (copy)/post #1.txt").startswith("my_blog_copy_/post_1-")


def test_thread_id_keeps_a_clean_file_name_as_it_is() -> None:
    assert thread_id_for("blog/post-1.txt") == "blog/post-1"


def test_thread_ids_of_names_that_differ_only_in_replaced_characters_stay_apart() -> None:
    assert thread_id_for("日本.txt") != thread_id_for("中文.txt")


def test_thread_ids_are_the_same_on_every_load() -> None:
    first = [(d.thread_id, d.sha256) for d in load_collection(SMALL_RAW).documents]
    second = [(d.thread_id, d.sha256) for d in load_collection(SMALL_RAW).documents]
    assert (
        first
        == second
        == [
            ("sourdough", hashlib.sha256((SMALL_RAW / "sourdough.txt").read_bytes()).hexdigest()),
            ("trail-repair", hashlib.sha256((SMALL_RAW / "trail-repair.txt").read_bytes()).hexdigest()),
        ]
    )


def test_two_files_whose_names_sanitise_alike_get_different_thread_ids(tmp_path: Path) -> None:
    _write(tmp_path, "post 1.txt", TEXT)
    _write(tmp_path, "post_1.txt", TEXT)
    ids = [d.thread_id for d in load_collection(tmp_path).documents]
    assert len(set(ids)) == 2


def test_default_collection_name_comes_from_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "My Threads"
    _write(folder, "cacti.txt", TEXT)
    assert load_collection(folder).info["name"] == "My-Threads"
