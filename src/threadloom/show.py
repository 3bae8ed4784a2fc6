"""A thread of a release as an indented tree, for a person checking the result in a terminal."""

from __future__ import annotations

import textwrap
from pathlib import Path

from .errors import ThreadloomError
from .reading import first_thread_ids, read_rows, release_manifest


def render_tree(folder: Path, thread_id: str | None = None, *, width: int = 100) -> str:
    release_manifest(folder)  # a file or a folder that is no release: said in one line
    first = first_thread_ids(folder, 5)
    if not first:
        raise ThreadloomError(str(folder), "the release has no threads")
    if thread_id is None:
        thread_id = first[0]
    matches = read_rows(folder, "threads", thread_id)
    if not matches:
        raise ThreadloomError(thread_id, "no such thread in the release", f"known: {', '.join(first)}, ...")
    thread = matches[0]
    comments = read_rows(folder, "comments", thread_id)
    author = thread["post_author_name"] or "unknown"
    article_end = thread["article_raw_line_end"]
    article = f"article lines 1-{article_end}" if article_end else "no article"
    out = [
        f"{thread_id}  {thread['title'] or ''}".rstrip(),
        f"post by {author} (name confidence {thread['post_author_name_confidence']:.2f}); "
        f"{article} "
        f"(confidence {thread['article_confidence']:.2f}); {len(comments)} comments",
        "",
    ]
    for c in comments:
        indent = "    " * (c["depth"] - 1)
        who = c["speaker_name"] or c["speaker_id"].rsplit("/", 1)[-1]
        mark = " [post author]" if c["is_post_author"] else ""
        when = f" {c['published']}" if c.get("published") else ""  # (releases of schema 1.0.0: none)
        head = (
            f"{indent}└ L{c['raw_line_start']}-{c['raw_line_end']} {who}{mark}{when} "
            f"(span {c['boundary_confidence']:.2f}, parent {c['parent_confidence']:.2f}, "
            f"speaker {c['speaker_confidence']:.2f})"
        )
        first_words = " ".join(c["text"].split())
        body = textwrap.shorten(first_words, width=max(20, width - len(indent) - 4), placeholder=" …")
        out += [head, f"{indent}  {body}"]
    return "\n".join(out)
