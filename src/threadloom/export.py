"""A release in other formats: a ConvoKit corpus folder, and one nested JSON record per thread.

ConvoKit (https://convokit.cornell.edu): a conversation per thread, whose root utterance is the
post (id = thread_id, spoken by the post author, text = the article); every comment is an
utterance whose `reply-to` is its parent comment, or the post for a top-level comment. The files
are written as ConvoKit's own `Corpus.dump` writes them, so `convokit.Corpus(filename=OUT)` loads
the folder without threadloom or ConvoKit being needed to write it. The source has no times, so a
`timestamp` is the display order (0 for the post, 1 + position for a comment): ConvoKit orders
utterances by it, and the corpus metadata says it is not a time.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import __version__
from .errors import ThreadloomError
from .reading import iter_rows, release_manifest, threads_with_rows

Row = dict[str, Any]

CONVOKIT_FILES = ("utterances.jsonl", "speakers.json", "conversations.json", "corpus.json",
                  "index.json")
THREAD_META = ("source_file", "source_sha256", "url", "title", "site", "published", "language",
               "licence", "post_author_name", "n_comments", "max_depth")
COMMENT_SKIP = ("thread_id", "comment_id", "source_file", "parent_id", "text", "speaker_id")


# Characters that str.splitlines() and some JSON Lines readers take for line ends, though JSON lets
# them stand in a string: written as escapes, so every reader sees one record per line.
_LINE_BREAKING = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def jsonl_line(record: Any) -> str:
    """One JSON Lines record: UTF-8 text as it is, but no character any reader could split on."""
    return json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKING) + "\n"


class _MetaIndex:
    """ConvoKit's meta index, kept as metadata goes by: each key with the Python type of its first
    non-null value (keys only ever null last, as NoneType)."""

    def __init__(self) -> None:
        self.types: dict[str, list[str]] = {}
        self.keys: dict[str, None] = {}

    def add(self, meta: dict[str, Any]) -> None:
        for key, value in meta.items():
            self.keys.setdefault(key)
            if value is not None and key not in self.types:
                self.types[key] = [str(type(value))]

    def value(self) -> dict[str, list[str]]:
        index = dict(self.types)
        for key in self.keys:
            index.setdefault(key, [str(type(None))])
        return index


def _post_utterance(thread: Row) -> Row:
    tid = thread["thread_id"]
    return {
        "id": tid, "conversation_id": tid, "text": thread["article_text"],
        "speaker": thread["post_author_speaker_id"],
        "meta": {"kind": "post", "position": -1, "depth": 0, "is_post_author": True},
        "reply-to": None, "timestamp": 0, "vectors": []}


def _comment_utterance(c: Row) -> Row:
    return {
        "id": c["comment_id"], "conversation_id": c["thread_id"], "text": c["text"],
        "speaker": c["speaker_id"],
        "meta": {"kind": "comment", **{k: v for k, v in c.items() if k not in COMMENT_SKIP}},
        "reply-to": c["parent_id"] if c["parent_id"] is not None else c["thread_id"],
        "timestamp": c["position"] + 1, "vectors": []}


def write_convokit_files(folder: Path, target: Path, manifest: dict[str, Any]) -> None:
    """The five ConvoKit files of the release in `folder` (whose manifest is `manifest`), written
    into the folder `target`. Utterances are streamed, the posts first, then the comments; the
    speakers and conversations files, one entry per speaker and per thread, are built in memory."""
    utterance_index = _MetaIndex()
    conversations: dict[str, Row] = {}
    with open(target / "utterances.jsonl", "w", encoding="utf-8") as handle:
        def write(utterance: Row) -> None:
            utterance_index.add(utterance["meta"])
            handle.write(jsonl_line(utterance))

        for thread in iter_rows(folder, "threads"):  # one pass: its conversation and its post
            conversations[thread["thread_id"]] = {"meta": {k: thread[k] for k in THREAD_META}, "vectors": []}
            write(_post_utterance(thread))
        for comment in iter_rows(folder, "comments"):
            write(_comment_utterance(comment))
    speaker_meta = ("thread_id", "speaker_name", "is_post_author", "name_confidence", "n_comments")
    speakers: dict[str, Row] = {s["speaker_id"]: {"meta": {k: s[k] for k in speaker_meta}, "vectors": []}
                                for s in iter_rows(folder, "speakers")}
    corpus: Row = {"name": manifest.get("dataset"), "dataset_version": manifest.get("dataset_version"),
              "schema_version": manifest.get("schema_version"), "exported_with": f"threadloom {__version__}",
              "note": "times are unknown: an utterance's timestamp is its display order in the thread "
                      "(0 for the post, 1 + meta.position for a comment), not a time"}
    index = {
        "utterances-index": utterance_index.value(),
        "speakers-index": _index([s["meta"] for s in speakers.values()]),
        "conversations-index": _index([c["meta"] for c in conversations.values()]),
        "overall-index": _index([corpus]),
        "version": 1,
        "vectors": [],
    }
    held = {"speakers.json": speakers, "conversations.json": conversations, "corpus.json": corpus,
            "index.json": index}
    for name in CONVOKIT_FILES[1:]:  # after utterances.jsonl, written above
        with open(target / name, "w", encoding="utf-8") as handle:
            json.dump(held[name], handle, ensure_ascii=False)


def _index(objects: list[dict[str, Any]]) -> dict[str, list[str]]:
    """ConvoKit's meta index of these metadata (see _MetaIndex)."""
    index = _MetaIndex()
    for meta in objects:
        index.add(meta)
    return index.value()


def _fresh_target(out: Path) -> Path:
    """A staging folder beside `out`; refuses an `out` that already exists."""
    if out.exists():
        raise ThreadloomError(str(out), "already exists", "choose a new path or remove it first")
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.exporting-", dir=out.parent))


def export_convokit(folder: Path, out: Path) -> Path:
    """Write the ConvoKit corpus of the release in `folder` to the new folder `out`."""
    manifest = release_manifest(folder)
    out = Path(out)
    staging = _fresh_target(out)
    try:
        write_convokit_files(folder, staging, manifest)
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def nested_threads(folder: Path) -> Iterator[Row]:
    """One record per thread: the thread row, its speakers, and its comments as a reply tree
    (each comment with a `replies` list). Read thread by thread, so a release of any size."""
    release_manifest(folder)  # now, not at the first record
    return _nested_records(folder)


def _nested_records(folder: Path) -> Iterator[Row]:
    for thread, comments, speakers in threads_with_rows(folder):
        nodes = {c["comment_id"]: {**c, "replies": []} for c in comments}
        top: list[Row] = []
        for node in nodes.values():  # display order: a parent always comes before its replies
            parent = node["parent_id"]
            (nodes[parent]["replies"] if parent in nodes else top).append(node)
        for node in nodes.values():
            del node["thread_id"], node["source_file"]
        yield {**thread, "speakers": speakers, "comments": top}


def export_jsonl(folder: Path, out: Path) -> Path:
    """Write one nested JSON record per thread, one per line, to the new file `out`."""
    records = nested_threads(folder)
    out = Path(out)
    staging = _fresh_target(out)
    try:
        target = staging / "threads.jsonl"
        with open(target, "w", encoding="utf-8") as handle:
            handle.writelines(jsonl_line(r) for r in records)
        os.replace(target, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out
