"""Shared helpers: build a Thread from lines of text the way the pipeline does."""

from __future__ import annotations

import hashlib

from threadloom.model import Line, Thread


def make_thread(lines: list[str], metadata: dict[str, str] | None = None) -> Thread:
    built: list[Line] = []
    offset = 0
    for i, text in enumerate(lines, start=1):
        built.append(Line(number=i, raw_char_start=offset, raw=text, text=text))
        offset += len(text) + 1
    raw = "\n".join(lines)
    sha = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return Thread("t/1", "t_1.txt", sha, raw, tuple(built), metadata=dict(metadata or {}))
