"""A release folder: loadable by `datasets` offline, deterministic, immutable, atomic, and typed
exactly as the JSON Schemas say."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

import threadloom
from conftest import SEED_RAW
from release_tools import read_rows
from threadloom import release
from threadloom.api import build, default_release_dir
from threadloom.errors import ThreadloomError
from threadloom.schemas import CONFIGS, SCHEMA_VERSION, SCHEMA_VERSIONS, arrow_schema, load_schema

SEED_VERSION = json.loads((SEED_RAW / "dataset.json").read_text(encoding="utf-8"))["version"]


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".building-" in p.name or ".replaced-" in p.name)


def _card_header(folder: Path) -> dict[str, object]:
    text = (folder / "README.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    header: dict[str, object] = yaml.safe_load(text.split("---\n")[1])
    return header


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True, raising=False)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True, raising=False)


@pytest.mark.parametrize("config", CONFIGS)
def test_each_config_loads_offline_with_the_declared_features(
    seed_release: Path, config: str, tmp_path: Path, offline: None
) -> None:
    loaded = datasets.load_dataset(
        str(seed_release), config, split="train", cache_dir=str(tmp_path / "hf-cache")
    )
    assert loaded.features == datasets.Features.from_arrow_schema(arrow_schema(config))
    assert loaded.num_rows == pq.read_metadata(seed_release / release.parquet_path(config)).num_rows


def test_comments_load_with_their_text_and_ids(small_release: Path, tmp_path: Path, offline: None) -> None:
    loaded = datasets.load_dataset(
        str(small_release), "comments", split="train", cache_dir=str(tmp_path / "hf-cache")
    )
    table = pq.read_table(small_release / release.parquet_path("comments"))
    assert loaded["comment_id"] == table["comment_id"].to_pylist()
    assert loaded["text"] == table["text"].to_pylist()


@pytest.mark.parametrize("config", CONFIGS)
def test_parquet_files_carry_version_metadata(seed_release: Path, config: str) -> None:
    meta = pq.read_schema(seed_release / release.parquet_path(config)).metadata
    assert meta[b"threadloom.dataset_version"] == SEED_VERSION.encode()
    assert meta[b"threadloom.schema_version"] == SCHEMA_VERSION.encode()
    assert meta[b"threadloom.version"] == threadloom.__version__.encode()
    assert meta[b"threadloom.config"] == config.encode()


@pytest.mark.parametrize("config", CONFIGS)
def test_parquet_schema_is_the_arrow_schema_of_the_json_schema(seed_release: Path, config: str) -> None:
    schema = pq.read_schema(seed_release / release.parquet_path(config))
    assert schema.remove_metadata().equals(arrow_schema(config))


def _assert_fields_match(properties: dict[str, Any], fields: list[pa.Field], where: str) -> None:
    assert [f.name for f in fields] == list(properties), where
    for field, (name, prop) in zip(fields, properties.items(), strict=True):
        types = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
        assert field.nullable == ("null" in types), f"{where}.{name}"
        items = prop.get("items", {})
        if "properties" in items:  # an array of objects is a list of structs
            struct = field.type.value_type
            _assert_fields_match(items["properties"], list(struct), f"{where}.{name}[]")


@pytest.mark.parametrize("config", CONFIGS)
def test_every_json_schema_property_is_a_column_with_its_nullability(config: str) -> None:
    _assert_fields_match(load_schema(config)["properties"], list(arrow_schema(config)), config)


@pytest.mark.parametrize("config", CONFIGS)
def test_every_json_schema_column_is_required_but_those_added_later(config: str) -> None:
    """A column added by a later schema version is optional, so that the rows of releases made
    before it stay valid against the schema; the Arrow schema of each version requires it."""
    schema = load_schema(config)
    added = {name for name, prop in schema["properties"].items() if "x-since" in prop}
    assert sorted(schema["required"]) == sorted(set(schema["properties"]) - added)
    assert schema["additionalProperties"] is False
    assert {schema["properties"][name]["x-since"] for name in added} <= set(SCHEMA_VERSIONS[1:])


def test_each_schema_version_has_the_columns_it_had() -> None:
    """An earlier schema version's Arrow schema is the current one without the columns added since."""
    for config in ("threads", "speakers"):
        assert arrow_schema(config, "1.0.0") == arrow_schema(config)
    assert arrow_schema("comments", "1.0.0") == pa.schema(list(arrow_schema("comments"))[:-2])
    assert arrow_schema("comments", SCHEMA_VERSION).names[-2:] == ["published", "published_evidence"]
    with pytest.raises(ValueError, match=r"unknown schema version '2\.0\.0'"):
        arrow_schema("comments", "2.0.0")


def test_integer_widths_come_from_x_arrow_type() -> None:
    assert str(arrow_schema("comments").field("position").type) == "int32"
    assert str(arrow_schema("comments").field("raw_char_start").type) == "int64"
    assert str(arrow_schema("threads").field("article_raw_line_end").type) == "int32"


def test_two_builds_into_different_folders_are_byte_identical(seed_release: Path, tmp_path: Path) -> None:
    again = build(SEED_RAW, tmp_path / "again").out
    assert _tree(again) == _tree(seed_release)
    first = json.loads((seed_release / "manifest.json").read_text(encoding="utf-8"))
    second = json.loads((again / "manifest.json").read_text(encoding="utf-8"))
    assert first == second


def test_manifest_lists_every_file_with_its_checksum(seed_release: Path) -> None:
    manifest = json.loads((seed_release / "manifest.json").read_text(encoding="utf-8"))
    tree = _tree(seed_release)
    del tree["manifest.json"]
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == tree
    assert manifest["dataset_version"] == SEED_VERSION
    assert manifest["schema_version"] == SCHEMA_VERSION


def test_release_carries_the_raw_documents_byte_for_byte(seed_release: Path) -> None:
    for doc in SEED_RAW.glob("*.txt"):
        assert (seed_release / "raw" / doc.name).read_bytes() == doc.read_bytes()


def test_rebuilding_into_the_same_folder_is_a_no_op(small_raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "rel"
    build(small_raw, out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    result = build(small_raw, out)
    assert result.unchanged is True
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    assert _leftovers(tmp_path) == []


def test_first_build_is_not_reported_unchanged(small_raw: Path, tmp_path: Path) -> None:
    assert build(small_raw, tmp_path / "rel").unchanged is False


def test_different_build_into_an_existing_version_folder_is_refused(small_raw: Path, tmp_path: Path) -> None:
    out = build(small_raw, tmp_path / "rel").out
    before = _tree(out)
    with pytest.raises(ThreadloomError, match="already there"):
        build(SEED_RAW, out)
    assert _tree(out) == before
    assert _leftovers(tmp_path) == []


def test_force_replaces_a_different_release_of_the_same_version(small_raw: Path, tmp_path: Path) -> None:
    out = build(small_raw, tmp_path / "rel").out
    result = build(SEED_RAW, out, force=True)
    assert result.unchanged is False
    assert sorted(p.name for p in (out / "raw").iterdir()) == ["000_d56ce07caea43617.txt"]
    assert _leftovers(tmp_path) == []


def _fail_on_speakers(monkeypatch: pytest.MonkeyPatch) -> None:
    real = release.write_parquet

    def write_then_fail(tables: Any, config: str, path: Path, info: dict[str, Any], *args: Any) -> None:
        if config == "speakers":
            raise OSError("disk full (simulated)")
        real(tables, config, path, info, *args)

    monkeypatch.setattr(release, "write_parquet", write_then_fail)


def test_failed_build_leaves_no_folder_and_no_temporary_folder(
    small_raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_on_speakers(monkeypatch)
    with pytest.raises(OSError, match="simulated"):
        build(small_raw, tmp_path / "rel")
    assert list(tmp_path.iterdir()) == []


def test_failed_build_removes_the_folders_it_created_for_the_release(
    small_raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_on_speakers(monkeypatch)
    with pytest.raises(OSError, match="simulated"):
        build(small_raw, tmp_path / "dist" / "threadloom-test-small" / "0.0.1")
    assert list(tmp_path.iterdir()) == []


def test_failed_forced_rebuild_leaves_the_existing_release_untouched(
    small_raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = build(small_raw, tmp_path / "rel").out
    before = _tree(out)
    _fail_on_speakers(monkeypatch)
    with pytest.raises(OSError, match="simulated"):
        build(SEED_RAW, out, force=True)
    assert _tree(out) == before
    assert _leftovers(tmp_path) == []


def test_failed_build_of_a_new_version_leaves_the_earlier_version_untouched(
    small_raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = build(small_raw, tmp_path / "0.0.1").out
    before = _tree(earlier)
    _fail_on_speakers(monkeypatch)
    with pytest.raises(OSError):
        build(small_raw, tmp_path / "0.0.2")
    assert _tree(earlier) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.0.1"]


def test_card_header_parses_and_lists_the_three_configs_with_data_files(seed_release: Path) -> None:
    header = _card_header(seed_release)
    configs = header["configs"]
    assert isinstance(configs, list)
    assert [c["config_name"] for c in configs] == list(CONFIGS)
    for c in configs:
        (files,) = c["data_files"]
        assert files["split"] == "train"
        assert (seed_release / files["path"]).is_file()
    assert [c["config_name"] for c in configs if c.get("default")] == ["comments"]


def test_card_header_counts_match_the_parquet_files(seed_release: Path) -> None:
    info = {c["config_name"]: c for c in _card_header(seed_release)["dataset_info"]}
    for config in CONFIGS:
        rows = pq.read_metadata(seed_release / release.parquet_path(config)).num_rows
        assert info[config]["splits"][0]["num_examples"] == rows


def test_card_header_takes_name_and_licence_from_dataset_json(small_release: Path) -> None:
    header = _card_header(small_release)
    assert header["pretty_name"] == "threadloom test collection"
    assert header["license"] == "cc-by-4.0"


def test_default_release_dir_is_dist_name_version() -> None:
    info = {"name": "my-threads", "version": "1.2.3"}
    assert default_release_dir(info) == Path("dist/my-threads/1.2.3")


def test_build_without_datasheet_ships_a_placeholder_with_figures(small_release: Path) -> None:
    text = (small_release / "DATASHEET.md").read_text(encoding="utf-8")
    assert "No datasheet was given" in text
    assert "threadloom:figures:start" in text


def test_release_of_a_copied_raw_folder_equals_the_seed_release_data(
    seed_release: Path, tmp_path: Path
) -> None:
    raw = Path(shutil.copytree(SEED_RAW, tmp_path / "elsewhere" / "raw"))
    out = build(raw, tmp_path / "rel").out
    for config in CONFIGS:
        path = release.parquet_path(config)
        assert (out / path).read_bytes() == (seed_release / path).read_bytes()


@pytest.mark.parametrize("chunks", [[7], [3, 4, 1, 9, 2], [1] * 13, [20], []])
def test_parquet_written_in_pieces_is_the_file_written_at_once(
    seed_release: Path, tmp_path: Path, chunks: list[int]
) -> None:
    """A merge hands write_parquet one small table per thread; the file must be the one that
    pq.write_table makes of all the rows as one table, row group boundaries included."""
    info = {"name": "t", "version": "1.0.0"}
    rows = read_rows(seed_release, "comments")[: sum(chunks)]
    table = release.rows_table(rows, "comments")
    pieces, start = [], 0
    for size in chunks:
        pieces.append(table.slice(start, size))
        start += size
    release.write_parquet(pieces, "comments", tmp_path / "pieces.parquet", info, row_group_size=5)
    whole = table.replace_schema_metadata(release.file_metadata(info, "comments"))
    pq.write_table(whole, tmp_path / "whole.parquet", row_group_size=5, compression="zstd",
                   compression_level=9, use_dictionary=True, write_statistics=True)
    assert (tmp_path / "pieces.parquet").read_bytes() == (tmp_path / "whole.parquet").read_bytes()
    assert pq.ParquetFile(tmp_path / "pieces.parquet").num_row_groups == max(1, -(-sum(chunks) // 5))


def test_a_row_group_ends_where_its_text_reaches_the_bound_however_the_rows_come(
    seed_release: Path, tmp_path: Path
) -> None:
    info = {"name": "t", "version": "1.0.0"}
    table = release.rows_table(read_rows(seed_release, "comments")[:40], "comments")
    bound = 2_000
    release.write_parquet([table], "comments", tmp_path / "whole.parquet", info, row_group_text_bytes=bound)
    pieces = [table.slice(i, 3) for i in range(0, 40, 3)]
    release.write_parquet(pieces, "comments", tmp_path / "pieces.parquet", info, row_group_text_bytes=bound)
    assert (tmp_path / "pieces.parquet").read_bytes() == (tmp_path / "whole.parquet").read_bytes()
    written = pq.ParquetFile(tmp_path / "whole.parquet")
    texts = [[len(t.encode()) for t in written.read_row_group(i)["text"].to_pylist()]
             for i in range(written.num_row_groups)]
    assert len(texts) > 2 and sum(map(len, texts)) == 40
    for sizes in texts[:-1]:  # each full group: under the bound until its last row
        assert sum(sizes[:-1]) < bound <= sum(sizes)
