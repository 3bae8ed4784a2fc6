"""Hugging Face `datasets` features of an Arrow schema, in the two forms a release carries: the
dict in each Parquet file's "huggingface" metadata and the list in the card's YAML header.

Written out here for the few Arrow types the schemas use, so that building a release does not
import `datasets` (about half a second of a seed build, and of every crawl merge); a test checks
both forms against `datasets.Features` itself for every config.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

_DTYPES = {
    pa.string(): "string",
    pa.int32(): "int32",
    pa.int64(): "int64",
    pa.float64(): "float64",
    pa.bool_(): "bool",
}


def _dtype(arrow_type: pa.DataType) -> str:
    try:
        return _DTYPES[arrow_type]
    except KeyError:
        raise TypeError(f"no Hugging Face dtype written out for Arrow type {arrow_type}") from None


def _feature(arrow_type: pa.DataType) -> dict[str, Any]:
    if pa.types.is_list(arrow_type):
        return {"feature": _feature(arrow_type.value_type), "_type": "List"}
    if pa.types.is_struct(arrow_type):
        return {field.name: _feature(field.type) for field in arrow_type}
    return {"dtype": _dtype(arrow_type), "_type": "Value"}


def features_dict(schema: pa.Schema) -> dict[str, Any]:
    """`datasets.Features.from_arrow_schema(schema).to_dict()`."""
    return {field.name: _feature(field.type) for field in schema}


def _yaml_entry(arrow_type: pa.DataType) -> dict[str, Any]:
    if pa.types.is_list(arrow_type):
        inner = _yaml_entry(arrow_type.value_type)
        return {"list": inner.get("dtype", inner.get("struct"))}
    if pa.types.is_struct(arrow_type):
        return {"struct": [{"name": field.name, **_yaml_entry(field.type)} for field in arrow_type]}
    return {"dtype": _dtype(arrow_type)}


def features_yaml(schema: pa.Schema) -> list[dict[str, Any]]:
    """`datasets.Features.from_arrow_schema(schema)._to_yaml_list()` (the card's form)."""
    return [{"name": field.name, **_yaml_entry(field.type)} for field in schema]
