"""The JSON Schemas in `schemas/` are the single source of truth for the dataset's columns: the
Arrow schema of every Parquet file is derived from them here, and rows are checked against them.

Each config schema describes one row as an object; property order is column order. Integer
widths, which JSON Schema cannot say, come from the `x-arrow-type` keyword.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pyarrow as pa

CONFIGS = ("threads", "comments", "speakers")
SCHEMA_VERSION = "1.0.0"


def _schema_dir() -> Path:
    """Installed wheels carry the schemas inside the package; a source checkout reads the
    repository's `schemas/` folder itself."""
    packaged = Path(str(resources.files("threadloom") / "_schemas"))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "schemas"


@cache
def load_schema(name: str) -> dict[str, Any]:
    path = _schema_dir() / f"{name}.schema.json"
    value: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return value


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def validate_instance(name: str, value: Any) -> str | None:
    """The first problem of `value` against schema `name`, as one line; None when it is valid."""
    error = jsonschema.exceptions.best_match(_validator(name).iter_errors(value))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path)
    return f"{where + ': ' if where else ''}{error.message}"


def _arrow_type(prop: dict[str, Any]) -> tuple[pa.DataType, bool]:
    """Arrow type of one JSON Schema property, and whether it is nullable."""
    types = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
    nullable = "null" in types
    (kind,) = [t for t in types if t != "null"]
    if kind == "string":
        return pa.string(), nullable
    if kind == "boolean":
        return pa.bool_(), nullable
    if kind == "number":
        return pa.float64(), nullable
    if kind == "integer":
        return {"int32": pa.int32(), "int64": pa.int64()}[prop.get("x-arrow-type", "int64")], nullable
    if kind == "array":
        item, _ = _arrow_type(prop["items"])
        return pa.list_(item), nullable
    if kind == "object":
        return pa.struct(_fields(prop)), nullable
    raise ValueError(f"no Arrow type for JSON Schema type {kind!r}")


def _fields(schema: dict[str, Any]) -> list[pa.Field]:
    fields = []
    for name, prop in schema["properties"].items():
        dtype, nullable = _arrow_type(prop)
        fields.append(pa.field(name, dtype, nullable=nullable))
    return fields


@cache
def arrow_schema(config: str) -> pa.Schema:
    """The Arrow schema of a config's Parquet files, derived from its JSON Schema."""
    return pa.schema(_fields(load_schema(config)))
