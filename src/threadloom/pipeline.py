"""One call turns one raw document into one Thread; everything else composes that call.

`process_text` is pure (no I/O, no global state), so it can run in any worker of any engine.
"""

from __future__ import annotations

from typing import Any

from .bounds import inference_view, with_lines_of
from .corrections import apply_corrections, corrections_name, parse_corrections
from .memo import forget_lines
from .model import Thread
from .repair import repair_text
from .sources import RawDocument, sha256_hex, thread_id_for
from .structure import infer_structure


def process_text(
    text: str,
    source_file: str,
    metadata: dict[str, Any] | None = None,
    *,
    thread_id: str | None = None,
    sha256: str | None = None,
    corrections: dict[str, Any] | None = None,
    corrections_label: str = "corrections",
) -> Thread:
    """Repair the encoding of `text`, then infer its article, comments, replies and speakers;
    then apply a reviewer's `corrections` (see corrections.py), if any. The per-line memos are
    emptied when it is done (memo.py): the next document has lines of its own."""
    try:
        return _process_text(text, source_file, metadata, thread_id, sha256, corrections, corrections_label)
    finally:
        forget_lines()


def repaired_thread(text: str, source_file: str, metadata: dict[str, Any] | None = None, *,
                    thread_id: str | None = None, sha256: str | None = None) -> Thread:
    """A raw document as a Thread before inference: its lines, each as received and repaired.
    (Training and evaluation start from it too, so they read every document as builds do.)"""
    return Thread(
        thread_id=thread_id or thread_id_for(source_file),
        source_file=source_file,
        source_sha256=sha256 or sha256_hex(text.encode("utf-8")),
        raw_text=text,
        lines=repair_text(text),
        metadata=dict(metadata or {}),
    )


def _process_text(
    text: str,
    source_file: str,
    metadata: dict[str, Any] | None,
    thread_id: str | None,
    sha256: str | None,
    corrections: dict[str, Any] | None,
    corrections_label: str,
) -> Thread:
    thread = repaired_thread(text, source_file, metadata, thread_id=thread_id, sha256=sha256)
    thread = with_lines_of(infer_structure(inference_view(thread)), thread)
    return thread if corrections is None else apply_corrections(thread, corrections, corrections_label)


def process_document(doc: RawDocument) -> Thread:
    corrections, label = None, "corrections"
    if doc.corrections is not None:
        label = corrections_name(doc.source_file)
        corrections = parse_corrections(doc.corrections, label)
    return process_text(doc.text, doc.source_file, doc.metadata, thread_id=doc.thread_id, sha256=doc.sha256,
                        corrections=corrections, corrections_label=label)
