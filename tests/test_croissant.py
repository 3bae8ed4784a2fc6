"""croissant.json: written in every release, listed in the manifest, and accepted by the real
mlcroissant validator, with the Responsible-AI answers quoted from the datasheet."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from threadloom.croissant import CROISSANT, datasheet_answers, rai_properties
from threadloom.schemas import CONFIGS, arrow_schema
from threadloom.sources import sha256_hex

REPO = Path(__file__).resolve().parents[1]


def test_every_release_has_a_croissant_file_in_its_manifest(seed_release: Path) -> None:
    manifest = json.loads((seed_release / "manifest.json").read_text(encoding="utf-8"))
    assert CROISSANT in {entry["path"] for entry in manifest["files"]}


def test_croissant_describes_every_parquet_file_and_column(seed_release: Path) -> None:
    doc = json.loads((seed_release / CROISSANT).read_text(encoding="utf-8"))
    files = {f["contentUrl"]: f for f in doc["distribution"]}
    for config in CONFIGS:
        rel = f"data/{config}/train-00000-of-00001.parquet"
        assert files[rel]["sha256"] == sha256_hex((seed_release / rel).read_bytes())
        (record_set,) = [r for r in doc["recordSet"] if r["name"] == config]
        assert [f["name"] for f in record_set["field"]] == arrow_schema(config).names


def test_croissant_quotes_the_datasheets_responsible_ai_answers(seed_release: Path) -> None:
    doc = json.loads((seed_release / CROISSANT).read_text(encoding="utf-8"))
    answers = datasheet_answers((REPO / "DATASHEET.md").read_text(encoding="utf-8"))
    assert doc["rai:dataCollectionRawData"] == answers["Was the raw data saved?"]
    for prop in ("rai:dataCollection", "rai:dataLimitations", "rai:personalSensitiveInformation",
                 "rai:dataUseCases", "rai:dataReleaseMaintenancePlan", "rai:dataBiases",
                 "rai:dataAnnotationProtocol", "rai:dataPreprocessingProtocol"):
        assert doc[prop], prop


def test_no_datasheet_means_no_invented_responsible_ai_answers() -> None:
    assert rai_properties(None) == {}


def test_mlcroissant_validates_the_release(seed_release: Path) -> None:
    mlc = pytest.importorskip("mlcroissant",
                              reason="mlcroissant is not installed (pip install -e '.[test]')")
    script = Path(sys.executable).with_name("mlcroissant")
    if script.exists():  # the validator's own command, as a user would run it
        done = subprocess.run([str(script), "validate", "--jsonld", str(seed_release / CROISSANT)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
    else:
        mlc.Dataset(jsonld=str(seed_release / CROISSANT))  # raises ValidationError on any error


def test_mlcroissant_reads_the_comments_back(small_release: Path) -> None:
    mlc = pytest.importorskip("mlcroissant", reason="mlcroissant is not installed")
    dataset = mlc.Dataset(jsonld=str(small_release / CROISSANT))
    records = list(dataset.records(record_set="comments"))
    ids = [r["comments/comment_id"] for r in records]
    assert [i.decode() if isinstance(i, bytes) else i for i in ids] == \
        [r["comment_id"] for r in _comments(small_release)]


def _comments(folder: Path) -> list[dict[str, object]]:
    import pyarrow.parquet as pq

    rows: list[dict[str, object]] = pq.read_table(
        folder / "data/comments/train-00000-of-00001.parquet").to_pylist()
    return rows
