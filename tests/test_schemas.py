"""`schemas.quick_check` and `schemas.batch_is_valid`: the fast checks `validate` runs first (a
row at a time; a column at a time over a batch) must never accept a row that jsonschema rejects,
and must accept the rows a real release holds (or they would save nothing)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import jsonschema
import pyarrow as pa
import pytest

from release_tools import read_rows
from threadloom.schemas import (
    _PORTABLE_PATTERN,
    CONFIGS,
    _array_is_valid,
    arrow_schema,
    batch_is_valid,
    load_schema,
    quick_check,
    validate_instance,
)

# Values that break (or keep) a column in every way the schemas' keywords can tell apart.
REPLACEMENTS: list[Any] = [
    None, "", "x", "bad id!", "a/b", -1, 0, 1, 2, 0.5, 1.5, -0.5, 3.0, math.nan, math.inf, True, False,
    [], ["x"], [""], [1], [None], {}, {"rule": "x"}, 10**20,
]


def _jsonschema_valid(config: str, row: Any) -> bool:
    schema = load_schema(config)
    return jsonschema.validators.validator_for(schema)(schema).is_valid(row)


def _variants(row: dict[str, Any]) -> list[Any]:
    """The row with one column dropped, replaced or added, and its list items replaced."""
    out: list[Any] = [row, dict(row, extra_column=1), [row], None, "row"]
    for key, value in row.items():
        out.append({k: v for k, v in row.items() if k != key})
        out += [dict(row, **{key: replacement}) for replacement in REPLACEMENTS]
        if isinstance(value, list) and value:
            out += [dict(row, **{key: [replacement, *value[1:]]}) for replacement in REPLACEMENTS]
            if isinstance(value[0], dict):  # a repair: break each of its fields in turn
                for field in value[0]:
                    out += [dict(row, **{key: [dict(value[0], **{field: replacement})]})
                            for replacement in REPLACEMENTS]
    return out


@pytest.mark.parametrize("config", CONFIGS)
def test_quick_check_accepts_a_release_s_rows(seed_release: Path, config: str) -> None:
    check = quick_check(load_schema(config))
    rows = read_rows(seed_release, config)
    assert rows and all(check(row) for row in rows)


@pytest.mark.parametrize("config", CONFIGS)
def test_quick_check_never_accepts_what_jsonschema_rejects(seed_release: Path, config: str) -> None:
    check = quick_check(load_schema(config))
    # rows with repairs first: their nested objects get broken too
    rows = sorted(read_rows(seed_release, config),
                  key=lambda r: -len(r.get("repairs") or r.get("article_repairs") or []))
    rejected = 0
    for variant in (v for row in rows[:3] for v in _variants(row)):
        valid = _jsonschema_valid(config, variant)
        assert not check(variant) or valid, variant
        if not valid:
            rejected += 1
            assert validate_instance(config, variant)  # the message still comes from jsonschema
    assert rejected > 100  # the variants did break the rows


def test_a_schema_with_a_keyword_it_does_not_know_leaves_every_row_to_jsonschema() -> None:
    check = quick_check({"type": "object", "properties": {"a": {"type": "string", "format": "date"}}})
    assert not check({"a": "2020-01-01"})
    assert not quick_check({"type": "string", "enum": ["a"]})("a")
    assert quick_check({"type": "string", "minLength": 1})("a")


@pytest.mark.parametrize("config", CONFIGS)
def test_a_release_s_batches_pass_a_column_at_a_time(seed_release: Path, config: str) -> None:
    rows = read_rows(seed_release, config)
    assert rows and batch_is_valid(config, pa.RecordBatch.from_pylist(rows, schema=arrow_schema(config)))


@pytest.mark.parametrize("config", CONFIGS)
def test_batch_check_never_accepts_what_jsonschema_rejects(seed_release: Path, config: str) -> None:
    rows = sorted(read_rows(seed_release, config),
                  key=lambda r: -len(r.get("repairs") or r.get("article_repairs") or []))
    rejected = 0
    for variant in (v for row in rows[:3] for v in _variants(row) if isinstance(v, dict)):
        try:  # what Arrow can hold of the variant: the row a Parquet file would give back
            batch = pa.RecordBatch.from_pylist([variant], schema=arrow_schema(config))
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, TypeError):
            continue
        (held,) = batch.to_pylist()
        if not _jsonschema_valid(config, held):
            rejected += 1
            assert not batch_is_valid(config, batch), held
            # one bad row among good ones fails the whole batch
            mixed = pa.RecordBatch.from_pylist([rows[0], held, rows[0]], schema=arrow_schema(config))
            assert not batch_is_valid(config, mixed)
    assert rejected > 20  # the variants did break rows Arrow can hold


def test_a_batch_check_leaves_what_it_cannot_decide_to_the_rows() -> None:
    assert _PORTABLE_PATTERN.fullmatch("^[A-Za-z0-9._/-]+/L[1-9][0-9]*$")
    assert _PORTABLE_PATTERN.fullmatch(r"^(ftfy(\(.*\))?|stray_a_circumflex)$")
    assert not _PORTABLE_PATTERN.fullmatch(r"^\d+$")  # Unicode digits in Python, ASCII in RE2
    assert not _PORTABLE_PATTERN.fullmatch("^(?i)abc$")
    strings = pa.array(["ab"])
    assert _array_is_valid({"type": "string", "pattern": "^a"}, strings)
    assert not _array_is_valid({"type": "string", "pattern": "^a{2,1}"}, strings)  # RE2 refuses it
    batch = pa.RecordBatch.from_pylist([{"thread_id": "a"}], schema=pa.schema([("thread_id", pa.string())]))
    assert not batch_is_valid("threads", batch)  # not the config's Arrow schema
