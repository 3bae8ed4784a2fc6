"""Raw documents: finding them, reading them strictly, their metadata sidecars and their fixity.

A raw directory holds documents `NAME.txt` (UTF-8 text), optional sidecars `NAME.meta.json`
beside them, and optionally one `dataset.json` describing the collection (name, version,
licence). Nothing in it is ever modified.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ThreadloomError
from .schemas import validate_instance

DOCUMENT_SUFFIX = ".txt"
META_SUFFIX = ".meta.json"
COLLECTION_FILE = "dataset.json"

DEFAULT_COLLECTION: dict[str, Any] = {
    "name": "threadloom-dataset",
    "version": "0.0.0",
    "pretty_name": "threadloom dataset",
    "license": "other",
    "language": ["en"],
}


@dataclass(frozen=True)
class RawDocument:
    """One raw document, read and checked, with its optional metadata."""

    source_file: str  # relative to the raw directory, POSIX separators
    thread_id: str
    data: bytes
    text: str
    sha256: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Collection:
    """The raw directory as a whole: its description and its documents, in a stable order."""

    root: Path
    info: dict[str, Any]
    documents: tuple[RawDocument, ...]
    ignored: tuple[str, ...] = ()  # files that are neither documents nor sidecars


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def thread_id_for(source_file: str) -> str:
    """A readable id from the file's path: the path without `.txt`, other characters than
    letters, digits and `._-/` replaced by `_`."""
    stem = source_file[: -len(DOCUMENT_SUFFIX)]
    return re.sub(r"[^A-Za-z0-9._/-]+", "_", stem)


def decode_document(name: str, data: bytes) -> str:
    """Strict UTF-8: a document that is not valid UTF-8 text is refused, never guessed at."""
    if not data.strip():
        raise ThreadloomError(name, "empty document", "remove it or give it text")
    if b"\x00" in data:
        raise ThreadloomError(name, "contains NUL bytes, not a text document", "remove it")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ThreadloomError(
            name, f"not valid UTF-8 at byte {err.start}", "convert the file to UTF-8"
        ) from None


def read_json_object(path: Path, label: str, schema: str) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ThreadloomError(label, f"not valid JSON: {err}", "fix the file") from None
    problem = validate_instance(schema, value)
    if problem:
        raise ThreadloomError(label, problem, f"see schemas/{schema}.schema.json")
    return dict(value)


def read_document(root: Path, path: Path) -> RawDocument:
    source_file = path.relative_to(root).as_posix()
    data = path.read_bytes()
    text = decode_document(source_file, data)
    digest = sha256_hex(data)
    meta_path = path.with_name(path.name[: -len(DOCUMENT_SUFFIX)] + META_SUFFIX)
    metadata: dict[str, Any] = {}
    if meta_path.exists():
        metadata = read_json_object(meta_path, meta_path.relative_to(root).as_posix(), "meta")
        recorded = metadata.get("sha256")
        if recorded is not None and recorded != digest:
            raise ThreadloomError(
                source_file,
                f"fixity check failed: sha256 is {digest}, its metadata records {recorded}",
                "the raw file changed; restore it or record the new checksum deliberately",
            )
    return RawDocument(source_file, thread_id_for(source_file), data, text, digest, metadata)


def load_collection(root: Path) -> Collection:
    """Read every document under `root`; refuse the whole collection on the first bad one."""
    if not root.is_dir():
        raise ThreadloomError(str(root), "not a directory", "give the folder of raw .txt files")
    info = dict(DEFAULT_COLLECTION, name=_default_name(root))
    if (root / COLLECTION_FILE).exists():
        info.update(read_json_object(root / COLLECTION_FILE, COLLECTION_FILE, "collection"))
    documents: list[RawDocument] = []
    ignored: list[str] = []
    sidecars: set[str] = set()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if rel.endswith(META_SUFFIX):
            sidecars.add(rel)
        elif rel.endswith(DOCUMENT_SUFFIX):
            documents.append(read_document(root, path))
        elif rel != COLLECTION_FILE:
            ignored.append(rel)
    for sidecar in sorted(sidecars):
        if sidecar[: -len(META_SUFFIX)] + DOCUMENT_SUFFIX not in {d.source_file for d in documents}:
            raise ThreadloomError(
                sidecar, "metadata for a document that does not exist", "remove it or add the .txt beside it"
            )
    if not documents:
        raise ThreadloomError(str(root), "no .txt documents found", "put raw documents in it")
    seen: dict[str, str] = {}
    for doc in documents:
        if doc.thread_id in seen:
            raise ThreadloomError(
                doc.source_file,
                f"its thread id {doc.thread_id!r} is already taken by {seen[doc.thread_id]}",
                "rename one of the files",
            )
        seen[doc.thread_id] = doc.source_file
    return Collection(root, info, tuple(documents), tuple(ignored))


def _default_name(root: Path) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", root.resolve().name).strip("-.")
    return name or DEFAULT_COLLECTION["name"]
