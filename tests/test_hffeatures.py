"""The features a release writes without importing `datasets` are the ones `datasets` derives."""

from __future__ import annotations

import json

import pytest
from datasets import Features

from threadloom.hffeatures import features_dict, features_yaml
from threadloom.schemas import CONFIGS, arrow_schema


@pytest.mark.parametrize("config", CONFIGS)
def test_features_are_what_datasets_derives_from_the_arrow_schema(config: str) -> None:
    schema = arrow_schema(config)
    expected = Features.from_arrow_schema(schema)
    # key order too: the card's YAML and the Parquet metadata must be byte-identical
    assert json.dumps(features_dict(schema)) == json.dumps(expected.to_dict())
    assert json.dumps(features_yaml(schema)) == json.dumps(expected._to_yaml_list())
    assert Features.from_dict(features_dict(schema)) == expected


def test_an_unknown_arrow_type_is_refused() -> None:
    import pyarrow as pa

    with pytest.raises(TypeError, match="no Hugging Face dtype"):
        features_dict(pa.schema([pa.field("when", pa.timestamp("s"))]))
