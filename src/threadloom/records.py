"""A Thread as flat rows of the three configs: threads, comments, speakers.

Ids are deterministic and readable: a comment is `<thread_id>/L<first raw line>`, a speaker is
`<thread_id>/<key>` (post-author, name-<slug>, anon-<n>).
"""

from __future__ import annotations

from typing import Any

from .model import Comment, Decision, Repair, Speaker, Thread

Row = dict[str, Any]


def comment_id(thread: Thread, comment: Comment) -> str:
    return f"{thread.thread_id}/L{comment.raw_line_start}"


def speaker_id(thread: Thread, key: str) -> str:
    return f"{thread.thread_id}/{key}"


def repair_row(repair: Repair) -> Row:
    return {
        "raw_line": repair.raw_line,
        "raw_char_start": repair.raw_char_start,
        "raw_char_end": repair.raw_char_end,
        "before": repair.before,
        "after": repair.after,
        "rule": repair.rule,
    }


def _decision(prefix: str, decision: Decision) -> Row:
    return {
        f"{prefix}_confidence": round(float(decision.confidence), 4),
        f"{prefix}_evidence": list(decision.evidence),
    }


def _repairs_in(thread: Thread, first: int, last: int) -> list[Row]:
    return [repair_row(r) for n in range(first, last + 1) for r in thread.line(n).repairs]


def depths(thread: Thread) -> list[int]:
    """Depth of every comment: 1 for a reply to the post, the parent's depth + 1 otherwise."""
    result: list[int] = []
    for comment in thread.comments:
        result.append(1 if comment.parent is None else result[comment.parent] + 1)
    return result


# A comment names its speaker only when the attribution itself is this sure: a name on a comment
# that was given to the wrong person is a wrong name, so below this the comment's speaker_name is
# null; speaker_id, the speakers config and the confidences still say who the comment most likely
# belongs to. The post author's comments need more: a reader's comment read as the author's is the
# commonest wrong name (development benchmark: of author attributions >= 0.9 on comments, 8 of 72
# were a named reader's; >= 0.99, 1 of 12).
NAME_ON_COMMENT_CONFIDENCE = 0.9
AUTHOR_NAME_ON_COMMENT_CONFIDENCE = 0.99


def comment_speaker_name(comment: Comment, name: str | None) -> str | None:
    bar = AUTHOR_NAME_ON_COMMENT_CONFIDENCE if comment.is_post_author else NAME_ON_COMMENT_CONFIDENCE
    return name if comment.speaker_decision.confidence >= bar else None


def _speakers_by_key(thread: Thread) -> dict[str, Speaker]:
    """thread.speaker(key) for every key at once (the first speaker with a key, as it reads)."""
    by_key: dict[str, Speaker] = {}
    for speaker in thread.speakers:
        by_key.setdefault(speaker.key, speaker)
    return by_key


def comment_rows(thread: Thread) -> list[Row]:
    rows = []
    depth_of = depths(thread)
    speakers = _speakers_by_key(thread)
    for comment in thread.comments:
        speaker = speakers[comment.speaker_key]  # a KeyError for an unknown key, as thread.speaker
        first, last = thread.line(comment.raw_line_start), thread.line(comment.raw_line_end)
        parent = None if comment.parent is None else thread.comments[comment.parent]
        rows.append(
            {
                "thread_id": thread.thread_id,
                "comment_id": comment_id(thread, comment),
                "source_file": thread.source_file,
                "position": comment.position,
                "parent_id": None if parent is None else comment_id(thread, parent),
                "depth": depth_of[comment.position],
                "raw_line_start": comment.raw_line_start,
                "raw_line_end": comment.raw_line_end,
                "raw_char_start": first.raw_char_start,
                "raw_char_end": last.raw_char_end,
                "text": thread.content_text(comment.raw_line_start, comment.raw_line_end),
                "is_post_author": comment.is_post_author,
                "speaker_id": speaker_id(thread, speaker.key),
                "speaker_name": comment_speaker_name(comment, speaker.name),
                **_decision("boundary", comment.boundary),
                **_decision("parent", comment.parent_decision),
                **_decision("speaker", comment.speaker_decision),
                **_decision("post_author", comment.post_author_decision),
                "repairs": _repairs_in(thread, comment.raw_line_start, comment.raw_line_end),
                "published": comment.published,
                "published_evidence": list(comment.published_evidence),
            }
        )
    return rows


def speaker_rows(thread: Thread) -> list[Row]:
    rows = []
    ids_of: dict[str, list[str]] = {}  # each speaker's comment ids in order: one pass, not one per speaker
    for c in thread.comments:
        ids_of.setdefault(c.speaker_key, []).append(comment_id(thread, c))
    for speaker in thread.speakers:
        ids = list(ids_of.get(speaker.key, ()))
        rows.append(
            {
                "thread_id": thread.thread_id,
                "speaker_id": speaker_id(thread, speaker.key),
                "speaker_name": speaker.name,
                "is_post_author": speaker.is_post_author,
                **_decision("name", speaker.name_decision),
                "n_comments": len(ids),
                "comment_ids": ids,
            }
        )
    return rows


def thread_row(thread: Thread) -> Row:
    meta = thread.metadata
    author = next(s for s in thread.speakers if s.is_post_author)
    has_article = thread.article_line_end > 0
    depth_of = depths(thread)
    return {
        "thread_id": thread.thread_id,
        "source_file": thread.source_file,
        "source_sha256": thread.source_sha256,
        "url": meta.get("url"),
        "title": meta.get("title"),
        "site": meta.get("site"),
        "published": meta.get("published"),
        "language": meta.get("language"),
        "licence": meta.get("licence"),
        "post_author_name": author.name,
        "post_author_speaker_id": speaker_id(thread, author.key),
        **_decision("post_author_name", author.name_decision),
        "article_raw_line_start": 1 if has_article else None,
        "article_raw_line_end": thread.article_line_end if has_article else None,
        **_decision("article", thread.article_decision),
        "article_text": thread.content_text(1, thread.article_line_end) if has_article else "",
        "n_raw_lines": len(thread.lines),
        "n_comments": len(thread.comments),
        "n_top_level_comments": sum(c.parent is None for c in thread.comments),
        "n_post_author_comments": sum(c.is_post_author for c in thread.comments),
        "n_speakers": len(thread.speakers),
        "max_depth": max(depth_of, default=0),
        "n_repairs": len(thread.repairs),
        "article_repairs": _repairs_in(thread, 1, thread.article_line_end),
    }
