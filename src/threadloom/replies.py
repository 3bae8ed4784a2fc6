"""Reply links: each comment's parent, the post or a comment on the path above it.

Depth-first display order means a comment can only answer the post or a comment on the path from
the previous comment up to its root, so candidates are few; each is scored by a learned pairwise
model (who wrote which, who is addressed, questions, topic carried) and the best one is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import cues
from .learned import Features, probability, top_reasons
from .model import Decision

MAX_CANDIDATES = 8  # the deepest ancestors rarely get answered; bounds the work per comment


@dataclass(frozen=True)
class CommentView:
    """What reply-linking needs to know about a comment."""

    text: str
    is_author: bool


def _content_words(text: str) -> set[str]:
    return {w for w in cues.words(text) if len(w) > 3} - cues.NOT_NAMES


def path_to_root(parents: list[int | None], last: int) -> list[int]:
    """`last`, its parent, grandparent ... up to its root comment."""
    path = [last]
    while (up := parents[path[-1]]) is not None:
        path.append(up)
    return path


def parent_features(
    cur: CommentView,
    cand: CommentView | None,
    depth_from_prev: int,
    cand_depth: int,
    author_name: str | None,
) -> Features:
    """Is `cand` (None = the post) the comment `cur` replies to?"""
    found = cues.mentions(cur.text)
    addressed = {m.name for m in found}
    first_line = cur.text.split("\n", 1)[0]
    open_word = cues.first_word(first_line)
    if cand is None:
        feats: Features = {"post:bias": 1.0}
        if cur.is_author:
            feats["post:cur_author"] = 1.0
        if cues.cue(cues.PRAISE_POST_RE, cur.text):
            feats["post:praise_post"] = 1.0
        if cues.cue(cues.READER_RE, cur.text):
            feats["post:reader"] = 1.0
        if author_name and author_name in addressed:
            feats["post:addresses_author"] = 1.0
        if addressed - {author_name}:
            feats["post:addresses_other"] = 1.0
        if open_word in cues.ANSWERS:
            feats["post:open_answer"] = 1.0
        if open_word in cues.THANKS and not first_line.lower().startswith(("thanks for", "thank you for")):
            feats["post:open_thanks"] = 1.0
        if open_word in cues.GREETINGS:
            feats["post:open_greeting"] = 1.0
        if cues.first_word(first_line) in cues.PRAISE:
            feats["post:open_praise"] = 1.0
        return feats
    feats = {
        "cmt:bias": 1.0,
        f"cmt:up={min(depth_from_prev, 3)}": 1.0,
        f"cmt:depth={min(cand_depth, 3)}": 1.0,
    }
    feats[f"cmt:cur_{'a' if cur.is_author else 'r'}_cand_{'a' if cand.is_author else 'r'}"] = 1.0
    if "?" in cand.text:
        feats["cmt:cand_asks"] = 1.0
    if depth_from_prev == 0 and "?" in cand.text and cur.is_author:
        feats["cmt:author_answers_prev_question"] = 1.0
    signature = cues.signature_name(cand.text.rsplit("\n", 1)[-1]) if "\n" in cand.text else None
    if signature and signature in addressed:
        feats["cmt:addresses_cand_signature"] = 1.0
    if cand.is_author and author_name and author_name in addressed:
        feats["cmt:addresses_author_cand_author"] = 1.0
    cur_words, cand_words = _content_words(cur.text), _content_words(cand.text)
    if cur_words and cand_words:
        feats["cmt:overlap"] = round(len(cur_words & cand_words) / min(len(cur_words), len(cand_words)), 3)
    if open_word in cues.ANSWERS or open_word in cues.THANKS:
        feats["cmt:open_reply_word"] = 1.0
    return feats


def infer_parents(views: list[CommentView], author_name: str | None) -> list[tuple[int | None, Decision]]:
    """Each comment's parent position (None = the post), chosen left to right."""
    parents: list[int | None] = []
    depths: list[int] = []
    out: list[tuple[int | None, Decision]] = []
    for j, cur in enumerate(views):
        if j == 0:
            parents.append(None)
            depths.append(0)
            out.append(
                (
                    None,
                    Decision(0.95, ("first-comment: the first comment can only answer the post",)),
                )
            )
            continue
        candidates: list[tuple[int | None, Features]] = [
            (None, parent_features(cur, None, 0, 0, author_name))
        ]
        for up, c in enumerate(path_to_root(parents, j - 1)[:MAX_CANDIDATES]):
            candidates.append((c, parent_features(cur, views[c], up, depths[c], author_name)))
        scored = [(probability("parent", f), -i, cand, f) for i, (cand, f) in enumerate(candidates)]
        scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
        p, _, best, feats = scored[0]
        runner = scored[1][0] if len(scored) > 1 else 0.0
        confidence = p / (p + runner) if p + runner > 0 else 0.5
        target = "the post" if best is None else f"comment {best}"
        reasons = top_reasons("parent", feats, +1.0)
        evidence = f"reply-cues: {', '.join(reasons) or 'prior'} point to {target}"
        parents.append(best)
        depths.append(0 if best is None else depths[best] + 1)
        out.append((best, Decision(round(confidence, 3), (evidence,))))
    return out
