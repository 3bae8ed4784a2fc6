"""The JSON Schemas in `schemas/` are the single source of truth for the dataset's columns: the
Arrow schema of every Parquet file is derived from them here, and rows are checked against them.

Each config schema describes one row as an object; property order is column order. Integer
widths, which JSON Schema cannot say, come from the `x-arrow-type` keyword.
"""

from __future__ import annotations

import json
import numbers
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pyarrow as pa

CONFIGS = ("threads", "comments", "speakers")
# The raw documents as a config of their own: a crawl's release may hold them in Parquet instead
# of one raw/ file per thread (crawl --raw-as parquet), for releases too large for one file each.
RAW_CONFIG = "raw"
SCHEMA_VERSION = "1.1.0"
# The schema versions whose releases this version reads and validates. A minor version adds
# columns (each property says since when with `x-since`); rows of earlier releases lack them.
SCHEMA_VERSIONS = ("1.0.0", "1.1.0")


def release_configs(raw_rows: bool) -> tuple[str, ...]:
    """A release's configs, in order: the three, then `raw` when it keeps its raw documents as rows."""
    return (*CONFIGS, RAW_CONFIG) if raw_rows else CONFIGS


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
    """The first problem of `value` against schema `name`, as one line; None when it is valid.

    A row that `quick_check` accepts is valid (it is never looser than jsonschema); jsonschema
    itself, ~50x slower, runs only on the others, for its message (a release's rows are checked
    one by one: 145,000 of them took 17 s)."""
    if _quick_check(name)(value):
        return None
    error = jsonschema.exceptions.best_match(_validator(name).iter_errors(value))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path)
    return f"{where + ': ' if where else ''}{error.message}"


Check = Callable[[Any], bool]
# Keywords that only annotate: they never make an instance invalid.
_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "x-arrow-type", "x-since"})
_TYPE_TESTS: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    # bool is an int in Python, never in JSON Schema; an integral float is an integer to
    # jsonschema but not here (stricter only sends the instance on to jsonschema)
    "integer": lambda v: type(v) is int,
    "number": lambda v: type(v) in (int, float),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


_CHECKED = frozenset({"type", "properties", "required", "additionalProperties", "items", "minimum",
                      "maximum", "minLength", "pattern"})


def _never(value: Any) -> bool:
    return False


@cache
def _quick_check(name: str) -> Check:
    return quick_check(load_schema(name))


def quick_check(schema: dict[str, Any]) -> Check:
    """A function that says True only for instances valid against `schema`, built from its
    keywords (type, properties, required, additionalProperties: false, items, minimum, maximum,
    minLength, pattern, as jsonschema applies them). A schema with any other keyword gets a
    function that says False, so jsonschema decides every instance."""
    if not isinstance(schema, dict) or not set(schema) <= _ANNOTATIONS | _CHECKED:
        return _never
    if schema.get("additionalProperties", False) is not False:
        return _never
    tests: list[Check] = []
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not all(kind in _TYPE_TESTS for kind in kinds):
            return _never
        type_tests = [_TYPE_TESTS[kind] for kind in kinds]
        tests.append(lambda v: any(test(v) for test in type_tests))
    if "minimum" in schema or "maximum" in schema:
        low, high = schema.get("minimum", float("-inf")), schema.get("maximum", float("inf"))
        # jsonschema bounds every number but a bool; only int and float pass here
        tests.append(lambda v: isinstance(v, bool) or not isinstance(v, numbers.Number)
                     or (isinstance(v, int | float) and type(v) in (int, float) and low <= v <= high))
    if "minLength" in schema:
        shortest = schema["minLength"]
        tests.append(lambda v: not isinstance(v, str) or len(v) >= shortest)
    if "pattern" in schema:
        search = re.compile(schema["pattern"]).search
        tests.append(lambda v: not isinstance(v, str) or search(v) is not None)
    if "items" in schema:
        item_ok = quick_check(schema["items"])
        tests.append(lambda v: not isinstance(v, list) or all(item_ok(item) for item in v))
    if "properties" in schema or "required" in schema or "additionalProperties" in schema:
        properties = {key: quick_check(prop) for key, prop in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        closed = "additionalProperties" in schema  # and false: checked above

        def object_ok(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            if any(key not in v for key in required):
                return False
            for key, item in v.items():
                check = properties.get(key)
                if check is None:
                    if closed:
                        return False
                elif not check(item):
                    return False
            return True

        tests.append(object_ok)
    return lambda v: all(test(v) for test in tests)


def batch_is_valid(name: str, batch: pa.RecordBatch, version: str = SCHEMA_VERSION) -> bool:
    """True only if every row of `batch` is valid against schema `name`, decided a column at a
    time with Arrow compute: a batch with the config's own Arrow schema already has its types,
    required properties and no others, so what is left is nulls, bounds, lengths, patterns and
    the same inside lists and structs. Never looser than `validate_instance`; False means only
    "check the rows one by one" (for their messages, or where this cannot decide)."""
    schema = load_schema(name)
    if not set(schema) <= _ANNOTATIONS | {"type", "properties", "required", "additionalProperties"}:
        return False
    if schema.get("additionalProperties", False) is not False or not batch.schema.remove_metadata().equals(
        arrow_schema(name, version)
    ):
        return False
    properties = schema["properties"]
    return set(schema.get("required", ())) <= set(batch.schema.names) and all(
        _array_is_valid(properties[field.name], batch.column(i)) for i, field in enumerate(batch.schema)
    )


# Arrow type tests for the JSON Schema types each Arrow type's values can be
_ARROW_KINDS: tuple[tuple[Callable[[pa.DataType], bool], str], ...] = (
    (pa.types.is_string, "string"),
    (pa.types.is_boolean, "boolean"),
    (pa.types.is_integer, "integer"),
    (pa.types.is_floating, "number"),
    (pa.types.is_list, "array"),
    (pa.types.is_struct, "object"),
)
# Patterns whose meaning is the same in RE2 (Arrow) and Python's re for what RE2 matches: no
# class escapes (\d, \w, \s and their like are Unicode-wide in Python, ASCII in RE2), no
# "(?" constructs; RE2's "$" is stricter than Python's (no trailing newline before it).
_PORTABLE_PATTERN = re.compile(r"(?:[^\\(]|\\[^A-Za-z0-9]|\((?!\?))*")


def _array_is_valid(prop: dict[str, Any], array: pa.Array) -> bool:
    """Every value of `array` is valid against the property schema `prop` (see batch_is_valid)."""
    import pyarrow.compute as pc  # here: the per-page pipeline imports this module, never this (~25 ms)

    if not set(prop) <= _ANNOTATIONS | _CHECKED or "type" not in prop:
        return False
    kinds = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
    if array.null_count and "null" not in kinds:
        return False
    kind = next((k for test, k in _ARROW_KINDS if test(array.type)), None)
    if kind is None or not (kind in kinds or (kind == "integer" and "number" in kinds)):
        return False
    values = array.drop_null() if array.null_count else array
    if not len(values):
        return True
    if kind == "number" and pc.any(pc.is_nan(values)).as_py():
        return False  # NaN: jsonschema's bounds let it through, Python's comparisons do not
    if ("minimum" in prop or "maximum" in prop) and kind in ("integer", "number"):
        low, high = (bound.as_py() for bound in pc.min_max(values).values())
        if low < prop.get("minimum", float("-inf")) or high > prop.get("maximum", float("inf")):
            return False
    if kind == "string":
        if "minLength" in prop and pc.min(pc.utf8_length(values)).as_py() < prop["minLength"]:
            return False
        if "pattern" in prop:
            if not _PORTABLE_PATTERN.fullmatch(prop["pattern"]):
                return False
            try:
                if not pc.all(pc.match_substring_regex(values, prop["pattern"])).as_py():
                    return False
            except pa.ArrowInvalid:  # a pattern RE2 does not take: the rows decide
                return False
    if kind == "array" and "items" in prop:
        return _array_is_valid(prop["items"], values.flatten())
    if kind == "object":
        if prop.get("additionalProperties", False) is not False:
            return False
        fields = prop.get("properties", {})
        names = [values.type.field(i).name for i in range(values.type.num_fields)]
        if set(names) != set(fields) or not set(prop.get("required", ())) <= set(fields):
            return False
        children = values.flatten()  # with the struct's offset and validity, unlike .field(i)
        return all(_array_is_valid(fields[n], child) for n, child in zip(names, children, strict=True))
    return True


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


def _fields(schema: dict[str, Any], version: str = SCHEMA_VERSION) -> list[pa.Field]:
    fields = []
    for name, prop in schema["properties"].items():
        if _version_key(prop.get("x-since", "1.0.0")) > _version_key(version):
            continue  # a column added after `version`
        dtype, nullable = _arrow_type(prop)
        fields.append(pa.field(name, dtype, nullable=nullable))
    return fields


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@cache
def arrow_schema(config: str, version: str = SCHEMA_VERSION) -> pa.Schema:
    """The Arrow schema of a config's Parquet files, derived from its JSON Schema: as this
    version writes them, or as a release of an earlier schema `version` has them."""
    if version not in SCHEMA_VERSIONS:
        known = ", ".join(SCHEMA_VERSIONS)
        raise ValueError(f"unknown schema version {version!r} (this threadloom reads {known})")
    return pa.schema(_fields(load_schema(config), version))
