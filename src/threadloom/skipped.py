"""Documents left out by a build with --skip-bad: listed in the release, never silently lost.

`skipped.json` (covered by the manifest like every file) lists each file with the one-line reason
it was refused, and the card says how many there are. A release without skipped documents has no
`skipped.json`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import ThreadloomError
from .model import Thread
from .sources import Collection, RawDocument, Skipped

SKIPPED_FILE = "skipped.json"


def skipped_records(skipped: Iterable[Skipped]) -> list[dict[str, str]]:
    return [{"file": s.file, "reason": s.reason, "hint": s.hint} for s in skipped]


def write_skipped(folder: Path, skipped: tuple[Skipped, ...]) -> None:
    if skipped:
        text = json.dumps({"skipped": skipped_records(skipped)}, indent=2, ensure_ascii=False) + "\n"
        (folder / SKIPPED_FILE).write_text(text, encoding="utf-8")


def skipped_section(skipped: tuple[Skipped, ...]) -> str:
    """The card's section on skipped documents; empty when nothing was skipped."""
    if not skipped:
        return ""
    lines = [
        "",
        "## Skipped raw documents",
        "",
        f"{len(skipped)} file(s) of the raw directory were refused and left out of this release "
        f"(built with `--skip-bad`); `{SKIPPED_FILE}` lists each with its reason.",
        "",
        "| file | reason |",
        "|---|---|",
        *(f"| `{s.file}` | {s.reason.replace('|', '/')} |" for s in skipped),
        "",
    ]
    return "\n".join(lines)


def check_skipped(folder: Path, source_files: set[str]) -> list[tuple[str, str]]:
    """Problems of a release's skipped.json: (where, what)."""
    path = folder / SKIPPED_FILE
    if not path.exists():
        return []
    try:
        value: Any = json.loads(path.read_text(encoding="utf-8"))
        entries = value["skipped"]
        files = [str(e["file"]) for e in entries if isinstance(e["reason"], str)]
        if len(files) != len(entries):
            raise TypeError("a reason is not a string")
    except (ValueError, KeyError, TypeError) as err:
        return [(SKIPPED_FILE, f"unreadable: {err}")]
    also = [f for f in files if f in source_files]
    return [(SKIPPED_FILE, f"{f} is listed as skipped but is also a thread") for f in also]


def process_each(
    collection: Collection, process: Callable[[RawDocument], Thread], *, skip_bad: bool = False
) -> tuple[Collection, dict[str, Thread]]:
    """Run `process` on every document. A failure names its file in one line (a ThreadloomError);
    with `skip_bad` the document is left out and listed in `Collection.skipped` instead."""
    threads: dict[str, Thread] = {}
    skipped = list(collection.skipped)
    for doc in collection.documents:
        try:
            threads[doc.source_file] = process(doc)
        except Exception as err:
            error = err if isinstance(err, ThreadloomError) else ThreadloomError(
                doc.source_file,
                f"processing failed: {type(err).__name__}: {' '.join(str(err).split())}"[:500],
                "this is a bug in threadloom, please report it; --skip-bad leaves the file out",
            )
            if not skip_bad:
                raise error from err
            skipped.append(Skipped(error.subject, error.reason, error.hint))
    if not threads:
        raise ThreadloomError(str(collection.root), f"every document was refused ({len(skipped)} skipped)",
                              "fix them; nothing would be left to build")
    kept = tuple(d for d in collection.documents if d.source_file in threads)
    return replace(collection, documents=kept, skipped=tuple(skipped)), threads


def read_skipped(folder: Path) -> list[dict[str, str]]:
    """The skipped documents a release lists (none when it has no skipped.json)."""
    path = folder / SKIPPED_FILE
    if not path.is_file():
        return []
    entries: list[dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))["skipped"]
    return entries
