"""Raw documents: finding them, reading them strictly, their metadata sidecars and their fixity.

A raw directory holds documents `NAME.txt` (UTF-8 text), optional sidecars `NAME.meta.json`
beside them, and optionally one `dataset.json` describing the collection (name, version,
licence). Nothing in it is ever modified.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ThreadloomError
from .intake import walk_raw
from .schemas import validate_instance

DOCUMENT_SUFFIX = ".txt"
META_SUFFIX = ".meta.json"
CORRECTIONS_SUFFIX = ".corrections.json"  # a reviewer's corrections, see corrections.py
COLLECTION_FILE = "dataset.json"
_LINE_END = re.compile(r"\r\n|\r|\n")

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
    corrections: bytes | None = None  # NAME.corrections.json as read; parsed when it is applied


@dataclass(frozen=True)
class Collection:
    """The raw directory as a whole: its description and its documents, in a stable order."""

    root: Path
    info: dict[str, Any]
    documents: tuple[RawDocument, ...]
    ignored: tuple[str, ...] = ()  # files that are neither documents nor sidecars
    skipped: tuple[Skipped, ...] = ()  # bad files left out by a build with --skip-bad


@dataclass(frozen=True)
class Skipped:
    """A file left out of a build with --skip-bad, and why (the one-line error it would give)."""

    file: str  # relative to the raw directory
    reason: str
    hint: str = ""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def thread_id_for(source_file: str) -> str:
    """A readable id from the file's path: the path without `.txt`, other characters than
    letters, digits and `._-/` replaced by `_`. When that loses characters, a short hash of the
    path follows, so that names differing only in those characters (`日本`, `中文`) stay apart."""
    stem = source_file[: -len(DOCUMENT_SUFFIX)]
    readable = re.sub(r"[^A-Za-z0-9._/-]+", "_", stem)
    if readable == stem:
        return readable
    return f"{readable}-{hashlib.sha256(stem.encode('utf-8')).hexdigest()[:8]}"


_UTF16_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32LE"), (codecs.BOM_UTF32_BE, "UTF-32BE"),
               (codecs.BOM_UTF16_LE, "UTF-16LE"), (codecs.BOM_UTF16_BE, "UTF-16BE"))


def _utf16_without_bom(data: bytes) -> str | None:
    """"UTF-16LE"/"UTF-16BE" when NUL bytes sit at every other byte, as in mostly-ASCII UTF-16."""
    sample = data[:4096]
    for name, nuls in (("UTF-16LE", sample[1::2]), ("UTF-16BE", sample[0::2])):
        if nuls and nuls.count(0) >= 0.9 * len(nuls):
            return name
    return None


def decode_document(name: str, data: bytes) -> str:
    """Strict UTF-8: a document that is not valid UTF-8 text is refused, never guessed at.

    A UTF-8 byte order mark is accepted and kept in the text (offsets count it; the repair step
    removes it from the repaired text and records that). UTF-16/32 text is refused with the
    command that converts it: raw files in a release are UTF-8, so offsets mean one thing."""
    if not data.strip():
        raise ThreadloomError(name, "empty document", "remove it or give it text")
    for bom, encoding in _UTF16_BOMS:
        if data.startswith(bom):
            raise ThreadloomError(
                name, f"{encoding} text (it starts with a {encoding} byte order mark), not UTF-8",
                f"convert it first: iconv -f {encoding[:6]} -t UTF-8 < FILE > FILE.utf8",
            )
    if b"\x00" in data:
        guess = _utf16_without_bom(data)
        if guess is not None:
            raise ThreadloomError(
                name,
                f"looks like {guess} text without a byte order mark (NUL bytes between characters), "
                "not UTF-8",
                f"convert it first: iconv -f {guess} -t UTF-8 < FILE > FILE.utf8",
            )
        raise ThreadloomError(name, "contains NUL bytes, not a text document", "remove it")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = len(_LINE_END.findall(data[: err.start].decode("utf-8"))) + 1
        raise ThreadloomError(
            name,
            f"not valid UTF-8 at byte {err.start} (line {line}, byte 0x{data[err.start]:02X})",
            "threadloom never guesses an encoding: convert the file to UTF-8 first, "
            "e.g. iconv -f cp1252 -t utf-8 < FILE > FILE.utf8 for Windows-1252 or Latin-1 text",
        ) from None
    if not text.replace("\ufeff", "").strip():
        raise ThreadloomError(name, "empty document (only a byte order mark and white space)",
                              "remove it or give it text")
    return text


def read_json_object(path: Path, label: str, schema: str) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ThreadloomError(label, f"not valid JSON: {err}", "fix the file") from None
    except OSError as err:
        reason = f"cannot be read: {(err.strerror or str(err)).lower()}"
        raise ThreadloomError(label, reason, "check its permissions") from None
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
    corrections_path = path.with_name(path.name[: -len(DOCUMENT_SUFFIX)] + CORRECTIONS_SUFFIX)
    corrections = corrections_path.read_bytes() if corrections_path.exists() else None
    return RawDocument(source_file, thread_id_for(source_file), data, text, digest, metadata, corrections)


def load_collection(root: Path, *, skip_bad: bool = False) -> Collection:
    """Read every document under `root`. A bad file (not UTF-8 text, unreadable, a link leaving
    the folder, a bad sidecar, ...) refuses the whole collection, naming it; with `skip_bad` it is
    left out instead and listed in `Collection.skipped` with its reason. Links are never
    followed and only regular files are read (see intake.py)."""
    if not root.is_dir():
        raise ThreadloomError(str(root), "not a directory", "give the folder of raw .txt files")
    entries = list(walk_raw(root))
    info = dict(DEFAULT_COLLECTION, name=_default_name(root))
    for entry in entries:
        if entry.rel == COLLECTION_FILE and entry.kind == "refused":
            raise ThreadloomError(entry.rel, entry.reason, entry.hint)
        if entry.kind == "collection":
            info.update(read_json_object(root / COLLECTION_FILE, COLLECTION_FILE, "collection"))
    documents: list[RawDocument] = []
    ignored: list[str] = []
    sidecars: set[str] = set()
    skipped: list[Skipped] = []
    refused: set[str] = set()

    def refuse(err: ThreadloomError) -> None:
        if not skip_bad:
            raise err
        skipped.append(Skipped(err.subject, err.reason, err.hint))

    for entry in entries:
        if entry.kind == "refused":
            refused.add(entry.rel)
            refuse(ThreadloomError(entry.rel, entry.reason, entry.hint))
        elif entry.kind == "ignored":
            ignored.append(entry.rel)
        elif entry.kind == "sidecar":
            sidecars.add(entry.rel)
        elif entry.kind == "document":
            stem = entry.rel[: -len(DOCUMENT_SUFFIX)]
            bad = next((stem + s for s in (META_SUFFIX, CORRECTIONS_SUFFIX) if stem + s in refused), None)
            try:
                if bad is not None:
                    raise ThreadloomError(entry.rel, f"its sidecar {bad} was refused", "fix the sidecar")
                documents.append(read_document(root, root / entry.rel))
            except ThreadloomError as err:
                refuse(err)
            except OSError as err:
                refuse(ThreadloomError(entry.rel, f"cannot be read: {(err.strerror or str(err)).lower()}",
                                       "check its permissions"))
    for sidecar in sorted(sidecars):
        suffix = META_SUFFIX if sidecar.endswith(META_SUFFIX) else CORRECTIONS_SUFFIX
        stem = sidecar[: -len(suffix)]
        if stem + DOCUMENT_SUFFIX not in {d.source_file for d in documents}:
            if any(s.file == stem + DOCUMENT_SUFFIX for s in skipped):
                continue  # its document was skipped, and says why
            what = "metadata" if suffix == META_SUFFIX else "corrections"
            refuse(ThreadloomError(
                sidecar, f"{what} for a document that does not exist", "remove it or add the .txt beside it"
            ))
    seen: dict[str, str] = {}
    unique: list[RawDocument] = []
    for doc in documents:
        if doc.thread_id in seen:
            refuse(ThreadloomError(
                doc.source_file,
                f"its thread id {doc.thread_id!r} is already taken by {seen[doc.thread_id]}",
                "rename one of the files",
            ))
            continue
        seen[doc.thread_id] = doc.source_file
        unique.append(doc)
    if not unique:
        if skipped:
            raise ThreadloomError(str(root), f"every document was refused ({len(skipped)} skipped)",
                                  "fix them; nothing would be left to build")
        raise ThreadloomError(str(root), "no .txt documents found", "put raw documents in it")
    return Collection(root, info, tuple(unique), tuple(ignored), tuple(skipped))


def _default_name(root: Path) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", root.resolve().name).strip("-.")
    return name or DEFAULT_COLLECTION["name"]
