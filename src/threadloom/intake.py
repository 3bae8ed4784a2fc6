"""Walking a raw directory without trusting it.

What is read: regular files named `*.txt` (documents), `*.meta.json` (sidecars) and the top-level
`dataset.json`. Symbolic links are never followed: a link to a document inside the raw directory
is a duplicate of it and is listed as ignored; any other link with one of those names (pointing
outside, broken, to something that is not a document), and any special file with one of those
names (a FIFO, a socket, a device), is refused, since reading it would either leave the raw
directory, block, or lose a document the user expected. Hidden files and folders are skipped;
anything else is listed as ignored and never read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ThreadloomError

DOCUMENT_SUFFIX = ".txt"
COLLECTION_FILE = "dataset.json"
SIDECAR_SUFFIXES = (".meta.json", ".corrections.json")


@dataclass(frozen=True)
class Entry:
    """One thing found in the raw directory and what to do with it."""

    rel: str  # POSIX path relative to the raw directory
    kind: str  # "document", "sidecar", "collection", "ignored" or "refused"
    reason: str = ""  # why it is refused (or, for a link listed as ignored, what it points to)
    hint: str = ""


def is_inside(base: Path, candidate: Path) -> bool:
    """Whether `candidate` (resolved, links followed) is `base` or inside it."""
    try:
        Path(os.path.realpath(candidate)).relative_to(os.path.realpath(base))
    except ValueError:
        return False
    return True


def safe_child(base: Path, rel: str) -> Path:
    """`base / rel` for a relative POSIX path that cannot leave `base` (no `..`, not absolute,
    no NUL); a ValueError otherwise. Used for every path built from a file name or an id."""
    pure = PurePosixPath(rel)
    if not rel or "\x00" in rel or "\\" in rel or pure.is_absolute() or ".." in pure.parts:
        raise ValueError(f"{rel!r} is not a relative path inside {base}")
    target = base.joinpath(*pure.parts)
    if not is_inside(base, target):
        raise ValueError(f"{rel!r} leads outside {base}")
    return target


def release_child(folder: Path, rel: str) -> Path:
    """A file of a release named from a file name or id: refused when it would leave the folder."""
    try:
        return safe_child(folder, rel)
    except ValueError as err:
        raise ThreadloomError(str(folder), str(err), "a file name or id tried to leave the release") from None


def _kind_by_name(rel: str) -> str:
    if rel == COLLECTION_FILE:
        return "collection"
    if rel.endswith(SIDECAR_SUFFIXES):
        return "sidecar"
    if rel.endswith(DOCUMENT_SUFFIX):
        return "document"
    return "ignored"


def _is_document_path(root: Path, target: Path) -> bool:
    """Whether a resolved path inside `root` is itself read as a document."""
    rel = Path(target).relative_to(os.path.realpath(root))
    return (
        rel.as_posix().endswith(DOCUMENT_SUFFIX)
        and not rel.as_posix().endswith(SIDECAR_SUFFIXES)
        and not any(part.startswith(".") for part in rel.parts)
        and target.is_file()
        and not target.is_symlink()
    )


def _classify_link(root: Path, path: Path, rel: str, kind: str) -> Entry:
    target = Path(os.path.realpath(path))
    hint = "replace the link with a copy of the file"
    if not target.exists():
        return Entry(rel, "refused", f"broken symbolic link to {os.readlink(path)} (not followed)", hint)
    if not is_inside(root, target):
        return Entry(rel, "refused", "symbolic link to a file outside the raw directory (not followed)", hint)
    if kind == "document" and _is_document_path(root, target):
        inside = target.relative_to(os.path.realpath(root)).as_posix()
        return Entry(rel, "ignored", f"link to {inside}, which is read once under its own name")
    return Entry(rel, "refused", "symbolic link to something that is not a document (not followed)", hint)


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def walk_raw(root: Path) -> Iterator[Entry]:
    """Every entry under `root` with what to do with it, in a stable order (sorted by path
    components, as `sorted(Path...)` sorts)."""
    entries: list[Entry] = []

    def unreadable(err: OSError) -> None:
        rel = Path(str(err.filename)).relative_to(root).as_posix() if err.filename else "."
        reason = f"folder cannot be listed: {(err.strerror or str(err)).lower()}"
        entries.append(Entry(rel, "refused", reason, "check its permissions"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        here = Path(dirpath)
        kept = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                if is_inside(root, path):
                    entries.append(Entry(rel, "ignored", "link to a folder inside the raw directory"))
                else:
                    entries.append(
                        Entry(rel, "refused", "symbolic link to a folder outside the raw directory "
                              "(not followed)", "copy the folder into the raw directory")
                    )
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            if name.startswith("."):
                continue
            path = here / name
            rel = path.relative_to(root).as_posix()
            kind = _kind_by_name(rel)
            if kind == "ignored":
                entries.append(Entry(rel, "ignored"))
                continue
            if path.is_symlink():
                entries.append(_classify_link(root, path, rel, kind))
                continue
            try:
                mode = path.stat().st_mode
            except OSError as err:
                entries.append(Entry(rel, "refused", f"cannot be read: {(err.strerror or '').lower()}",
                                     "check its permissions"))
                continue
            if not stat.S_ISREG(mode):
                entries.append(Entry(rel, "refused", f"{_special_kind(mode)}, not a file (not read)",
                                     "replace it with a regular file"))
                continue
            entries.append(Entry(rel, kind))
    yield from sorted(entries, key=lambda e: PurePosixPath(e.rel).parts)
