"""What changed between two releases: threads and comments added or removed, and for the comments
both have, changed boundaries, parents, speakers, repaired text and dates; and how many decisions were
re-scored (the same values, another confidence or evidence), counted only: a new model re-scores
nearly every row.

Comments are matched by `comment_id` (`<thread_id>/L<first raw line>`), so a comment whose first
line moved shows as one removed and one added; a comment that keeps its start but ends elsewhere
is a changed boundary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .reading import read_rows, release_manifest, thread_order, threads_with

Row = dict[str, Any]

# What a change of each kind compares, for comments both releases have.
COMMENT_FIELDS: dict[str, tuple[str, ...]] = {
    "boundary": ("raw_line_end",),
    "parent": ("parent_id",),
    "speaker": ("speaker_id", "speaker_name", "is_post_author"),
    "text": ("text", "repairs"),
    "date": ("published",),
}
THREAD_FIELDS: dict[str, tuple[str, ...]] = {
    "raw": ("source_sha256",),
    "article": ("article_raw_line_end",),
    "metadata": ("url", "title", "site", "published", "language", "licence", "post_author_name"),
}


@dataclass
class ReleaseDiff:
    old: Path
    new: Path
    old_version: str
    new_version: str
    threads_added: list[str] = field(default_factory=list)
    threads_removed: list[str] = field(default_factory=list)
    thread_changes: dict[str, list[Row]] = field(default_factory=dict)
    comments_added: list[str] = field(default_factory=list)
    comments_removed: list[str] = field(default_factory=list)
    comment_changes: dict[str, list[Row]] = field(default_factory=dict)
    files_changed: list[str] = field(default_factory=list)
    threads_rescored: int = 0  # threads whose *_confidence or *_evidence changed
    comments_rescored: int = 0

    @property
    def same_data(self) -> bool:
        return not (self.threads_added or self.threads_removed or self.comments_added
                    or self.comments_removed or any(self.thread_changes.values())
                    or any(self.comment_changes.values()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": {"release": str(self.old), "version": self.old_version},
            "new": {"release": str(self.new), "version": self.new_version},
            "same_data": self.same_data,
            "threads": {"added": self.threads_added, "removed": self.threads_removed,
                        "changed": self.thread_changes, "rescored": self.threads_rescored},
            "comments": {"added": self.comments_added, "removed": self.comments_removed,
                         "changed": self.comment_changes, "rescored": self.comments_rescored},
            "files_changed": self.files_changed,
        }


def _add_changes(result: dict[str, list[Row]], old: dict[str, Row], new: dict[str, Row],
                 kinds: dict[str, tuple[str, ...]]) -> None:
    """Per kind, one entry per id both have whose fields of that kind differ (in `old`'s order)."""
    for key in (k for k in old if k in new):
        for kind, names in kinds.items():
            # a column an earlier schema lacks ("published" before 1.1.0) reads as null
            before = {n: old[key].get(n) for n in names if old[key].get(n) != new[key].get(n)}
            if before:
                result[kind].append({"id": key, "old": before,
                                     "new": {n: new[key].get(n) for n in before}})


DECISION_SUFFIXES = ("_confidence", "_evidence")  # the columns that re-scoring changes


def _rescored(old: dict[str, Row], new: dict[str, Row]) -> int:
    """How many ids both have whose confidences or evidence differ."""
    return sum(
        1 for key in old if key in new
        and any(old[key][n] != new[key].get(n) for n in old[key] if n.endswith(DECISION_SUFFIXES))
    )


def diff_releases(old: Path, new: Path) -> ReleaseDiff:
    """Threads are compared one at a time, the two releases read side by side, when the threads
    both have come in the same order in both (a crawl's releases are sorted by thread id, a
    build's follow its file names): memory then holds one thread of each, and the differences.
    Otherwise every row is read first."""
    old, new = Path(old), Path(new)
    old_manifest, new_manifest = release_manifest(old), release_manifest(new)
    result = ReleaseDiff(old, new, str(old_manifest.get("dataset_version")),
                         str(new_manifest.get("dataset_version")))
    result.thread_changes = {kind: [] for kind in THREAD_FIELDS}
    result.comment_changes = {kind: [] for kind in COMMENT_FIELDS}
    old_order, new_order = list(dict.fromkeys(thread_order(old))), list(dict.fromkeys(thread_order(new)))
    old_ids, new_ids = set(old_order), set(new_order)
    result.threads_added = [t for t in new_order if t not in old_ids]
    result.threads_removed = [t for t in old_order if t not in new_ids]
    if [t for t in old_order if t in new_ids] == [t for t in new_order if t in old_ids]:
        _compare_side_by_side(old, new, old_ids, new_ids, result)
    else:
        _compare_whole(old, new, result)
    old_files = {f["path"]: f["sha256"] for f in old_manifest.get("files", [])}
    new_files = {f["path"]: f["sha256"] for f in new_manifest.get("files", [])}
    result.files_changed = sorted(p for p in old_files.keys() | new_files.keys()
                                  if old_files.get(p) != new_files.get(p))
    return result


def _compare_side_by_side(old: Path, new: Path, old_ids: set[str], new_ids: set[str],
                          result: ReleaseDiff) -> None:
    """Walk both releases thread by thread. A thread only the new release has is passed on the
    way to the next common thread: added and removed comments come in each release's order."""
    new_threads = threads_with(new, ("comments",), new_ids)
    for old_thread, (old_comments,) in threads_with(old, ("comments",), old_ids):
        tid = old_thread["thread_id"]
        if tid not in new_ids:
            result.comments_removed += [c["comment_id"] for c in old_comments]
            continue
        for new_thread, (new_comments,) in new_threads:
            if new_thread["thread_id"] == tid:
                break
            result.comments_added += [c["comment_id"] for c in new_comments]  # an added thread's
        _compare(result, {tid: old_thread}, {tid: new_thread},
                 {c["comment_id"]: c for c in old_comments}, {c["comment_id"]: c for c in new_comments})
    for _, (new_comments,) in new_threads:
        result.comments_added += [c["comment_id"] for c in new_comments]


def _compare_whole(old: Path, new: Path, result: ReleaseDiff) -> None:
    _compare(result, {r["thread_id"]: r for r in read_rows(old, "threads")},
             {r["thread_id"]: r for r in read_rows(new, "threads")},
             {r["comment_id"]: r for r in read_rows(old, "comments")},
             {r["comment_id"]: r for r in read_rows(new, "comments")})


def _compare(result: ReleaseDiff, old_threads: dict[str, Row], new_threads: dict[str, Row],
             old_comments: dict[str, Row], new_comments: dict[str, Row]) -> None:
    """Add what changed between these threads and comments (one thread's, or all) to `result`."""
    _add_changes(result.thread_changes, old_threads, new_threads, THREAD_FIELDS)
    result.threads_rescored += _rescored(old_threads, new_threads)
    result.comments_rescored += _rescored(old_comments, new_comments)
    result.comments_added += [c for c in new_comments if c not in old_comments]
    result.comments_removed += [c for c in old_comments if c not in new_comments]
    _add_changes(result.comment_changes, old_comments, new_comments, COMMENT_FIELDS)


def _short(value: Any, width: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _ids(ids: list[str], limit: int) -> list[str]:
    shown = [f"    {i}" for i in ids[:limit]]
    return shown + ([f"    ... and {len(ids) - limit} more"] if len(ids) > limit else [])


def render_diff(result: ReleaseDiff, limit: int = 20) -> str:
    """The diff for a person: counts first, then up to `limit` examples of each kind."""
    lines = [f"{result.old} (version {result.old_version}) -> "
             f"{result.new} (version {result.new_version})"]
    if result.same_data:
        lines.append("same threads and comments; "
                     "no boundary, parent, speaker, text, date or thread field changed")
    for scope, count in (("threads", result.threads_rescored), ("comments", result.comments_rescored)):
        if count:
            lines.append(f"{scope} with a changed confidence or evidence: {count}")
    for label, ids in (("threads added", result.threads_added),
                       ("threads removed", result.threads_removed),
                       ("comments added", result.comments_added),
                       ("comments removed", result.comments_removed)):
        if ids:
            lines.append(f"{label}: {len(ids)}")
            lines.extend(_ids(ids, limit))
    for scope, changes in (("thread", result.thread_changes), ("comment", result.comment_changes)):
        for kind, entries in changes.items():
            if not entries:
                continue
            lines.append(f"{scope}s with a changed {kind}: {len(entries)}")
            for entry in entries[:limit]:
                parts = ", ".join(f"{name} {_short(entry['old'][name])} -> {_short(entry['new'][name])}"
                                  for name in entry["old"])
                lines.append(f"    {entry['id']}: {parts}")
            if len(entries) > limit:
                lines.append(f"    ... and {len(entries) - limit} more")
    files = result.files_changed
    shown = ", ".join(files[:limit]) + (f", ... and {len(files) - limit} more" if len(files) > limit else "")
    # a file only one release has counts too (a crawl kept as files, then as rows: its raw/ copies)
    lines.append(f"files added, removed or changed: {len(files)}" + (f" ({shown})" if files else ""))
    return "\n".join(lines)
