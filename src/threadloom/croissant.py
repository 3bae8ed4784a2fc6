"""The release's Croissant (MLCommons) JSON-LD description: `croissant.json`.

One FileObject per Parquet file (with its sha256), one RecordSet per config whose fields come from
the same Arrow schema the files are written with, and the Responsible-AI (`rai:`) properties that
DATASHEET.md already answers, quoted from it so the two cannot disagree.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyarrow as pa

from . import __version__
from .schemas import arrow_schema, load_schema, release_configs

CROISSANT = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.1"

CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

# rai: property -> the DATASHEET.md questions (bold openings) whose answers it quotes.
RAI_QUESTIONS: dict[str, tuple[str, ...]] = {
    "rai:dataCollection": ("How was the data acquired?", "Mechanisms and validation:"),
    "rai:dataCollectionMissingData": ("Is any information missing?",),
    "rai:dataCollectionRawData": ("Was the raw data saved?",),
    "rai:dataPreprocessingProtocol": ("Encoding repair.",),
    "rai:dataAnnotationProtocol": ('Structure inference (the "labels").',),
    "rai:dataBiases": ("Is it a sample?",),
    "rai:dataUseCases": ("Suitable uses:", "Uses to avoid:"),
    "rai:dataLimitations": ("Errors, noise, redundancy?", "Composition-related risks for future uses:"),
    "rai:dataSocialImpact": ("Impact analysis:", "Were the individuals notified, and did they consent?"),
    "rai:personalSensitiveInformation": ("Can individuals be identified?",
                                         "Sensitive data (race, religion, health, ...)?"),
    "rai:dataReleaseMaintenancePlan": ("Errata and updates.", "Contact and removal requests.",
                                       "Older versions."),
}
RAI_SINGLE = {"rai:dataCollection", "rai:dataCollectionMissingData", "rai:dataCollectionRawData",
              "rai:dataSocialImpact", "rai:dataReleaseMaintenancePlan"}


def datasheet_answers(text: str) -> dict[str, str]:
    """Each `**Question?** answer` paragraph of a datasheet, as question -> answer (one line)."""
    answers: dict[str, str] = {}
    for paragraph in re.split(r"\n\s*\n", text):
        match = re.match(r"\*\*(.+?)\*\*\s*(.*)", " ".join(paragraph.split()), re.S)
        if match:
            answers[match.group(1).strip()] = match.group(2).replace("**", "").strip()
    return answers


def rai_properties(datasheet: str | None) -> dict[str, Any]:
    if datasheet is None:
        return {}
    answers = datasheet_answers(datasheet)
    result: dict[str, Any] = {}
    for prop, questions in RAI_QUESTIONS.items():
        quoted = [answers[q] for q in questions if answers.get(q)]
        if quoted:
            result[prop] = " ".join(quoted) if prop in RAI_SINGLE else quoted
    return result


def _data_type(dtype: pa.DataType) -> str:
    if pa.types.is_boolean(dtype):
        return "sc:Boolean"
    if pa.types.is_integer(dtype):
        return "sc:Integer"
    if pa.types.is_floating(dtype):
        return "sc:Float"
    return "sc:Text"


def _field(config: str, name: str, dtype: pa.DataType, description: str, source: dict[str, Any],
           parent: str | None = None) -> dict[str, Any]:
    field_id = f"{parent or config}/{name}"
    node: dict[str, Any] = {"@type": "cr:Field", "@id": field_id, "name": name,
                            "description": description or name}
    if pa.types.is_list(dtype):
        node["isArray"] = True
        node["arrayShape"] = "-1"
        dtype = dtype.value_type
    if pa.types.is_struct(dtype):
        node["subField"] = [
            _field(config, child.name, child.type, child.name,
                   {**source, "transform": {"jsonPath": child.name}}, parent=field_id)
            for child in dtype
        ]
    else:
        node["dataType"] = _data_type(dtype)
        node["source"] = source
    return node


def record_set(config: str) -> dict[str, Any]:
    props = load_schema(config)["properties"]
    file_id = f"parquet-{config}"
    fields = [
        _field(config, f.name, f.type, props[f.name].get("description", ""),
               {"fileObject": {"@id": file_id}, "extract": {"column": f.name}})
        for f in arrow_schema(config)
    ]
    key = {"comments": "comment_id", "speakers": "speaker_id"}.get(config, "thread_id")  # threads, raw
    return {"@type": "cr:RecordSet", "@id": config, "name": config,
            "description": load_schema(config).get("title", config),
            "key": {"@id": f"{config}/{key}"}, "field": fields}


def croissant_metadata(folder: Path, info: dict[str, Any], datasheet: str | None) -> dict[str, Any]:
    """The Croissant document of the release in `folder` (its Parquet files must be written)."""
    from .release import file_digest, parquet_path, raw_in_parquet

    configs = release_configs(raw_in_parquet(folder))
    distribution = []
    for config in configs:
        rel = parquet_path(config)
        size, digest = file_digest(folder / rel)  # read a megabyte at a time: the raw config is large
        distribution.append({
            "@type": "cr:FileObject", "@id": f"parquet-{config}", "name": f"parquet-{config}",
            "description": f"the {config} config, train split", "contentUrl": rel,
            "contentSize": f"{size} B", "encodingFormat": "application/x-parquet",
            "sha256": digest,
        })
    repo_id = info.get("hub_repo_id")
    metadata: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": info["name"],
        "alternateName": info.get("pretty_name", info["name"]),
        "description": info.get("description", "") or info["name"],
        "version": info["version"],
        "license": info.get("license", "other"),
        "inLanguage": list(info.get("language", ["en"])),
        "citeAs": f"{info.get('pretty_name', info['name'])}, version {info['version']} "
                  f"(built with threadloom {__version__}).",
        "isLiveDataset": False,
        "keywords": ["conversational", "comments", "blogs", "reply-threads"],
        **({"url": f"https://huggingface.co/datasets/{repo_id}"} if repo_id else {}),
        "rai:machineAnnotationTools": [f"threadloom {__version__}"],
        **rai_properties(datasheet),
        "distribution": distribution,
        "recordSet": [record_set(config) for config in configs],
    }
    return metadata


def write_croissant(folder: Path, info: dict[str, Any], datasheet: str | None) -> None:
    text = json.dumps(croissant_metadata(folder, info, datasheet), indent=2, ensure_ascii=False)
    (folder / CROISSANT).write_text(text + "\n", encoding="utf-8")
