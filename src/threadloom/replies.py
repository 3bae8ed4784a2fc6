"""Reply links: each comment's parent, the post or a comment on the path above it.

Depth-first display order means a comment can only answer the post or a comment on the path from
the previous comment up to its root, so candidates are few. A learned log-linear model scores every
candidate (who wrote which, who is addressed, questions and answers, words carried over) and a
softmax over the candidates gives the choice and its probability, which is the confidence.
The thread is decoded left to right with a small beam, so an early choice that makes later
comments hard to explain can still lose.

Threading conventions differ by platform (some attach every reply to the top-level comment); the
model is trained so it predicts the comment actually answered (nested threading), the reading that
carries over to unseen blogs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from .facts import READER_PHRASES, Facts
from .learned import Features, scorer, top_reasons
from .model import Decision

MAX_CANDIDATES = 6  # the deepest ancestors are rarely answered; bounds the work per comment
BEAM = 3


class CommentView(NamedTuple):
    """What reply-linking needs to know about a comment."""

    facts: Facts
    is_author: bool


def path_to_root(parents: list[int | None], last: int, limit: int | None = None) -> list[int]:
    """`last`, its parent, grandparent ... up to its root comment (at most `limit` of them)."""
    path = [last]
    while (up := parents[path[-1]]) is not None and (limit is None or len(path) < limit):
        path.append(up)
    return path


def post_features(cur: CommentView, prev: CommentView, author: str | None) -> Features:
    """Is `cur` a new comment on the post?"""
    f = cur.facts
    feats: Features = {"post:bias": 1.0, f"post:open:{f.opens_with}": 1.0}
    if cur.is_author:
        feats["post:cur_author"] = 1.0
        if not prev.is_author:
            feats["post:author_after_reader"] = 1.0
    elif prev.is_author:
        feats["post:reader_after_author"] = 1.0
    if f.praises_post:
        feats["post:praises_post"] = 1.0
    if f.phrases & READER_PHRASES:
        feats["post:reader_phrases"] = 1.0
    if f.mentions:  # most comments address nobody: no set to build
        names = f.addressed()
        if author and author in names and not cur.is_author:
            feats["post:addresses_author"] = 1.0
        if names - {author}:
            feats["post:addresses_other"] = 1.0
    if f.thanks_for_post:
        feats["post:thanks_for_post"] = 1.0
    if f.thanks_for_answer:
        feats["post:thanks_for_answer"] = 1.0
    if f.follow_up:
        feats["post:follow_up"] = min(f.follow_up, 2) / 2
    if f.text[:1].islower():
        feats["post:lower_start"] = 1.0
    if f.asks:
        feats["post:asks"] = 1.0
    if f.n_words > 60:
        feats["post:long"] = 1.0
    elif f.n_words <= 8:
        feats["post:short"] = 1.0
    return feats


def _overlap(a: Facts, b: Facts) -> float:
    """Share of the smaller comment's longer words that the other also uses."""
    wa, wb = a.long_words, b.long_words
    if not wa or not wb or wa.isdisjoint(wb):
        return 0.0  # (no set built for two comments that share no long word)
    return round(len(wa & wb) / min(len(wa), len(wb)), 3)


class Slot(NamedTuple):
    """A candidate comment on the path: its view, how far up, its depth, whether it is the root,
    and whether it is the first reader comment met going up. (This, _Node and CommentView are
    NamedTuples: as immutable as frozen dataclasses, and made several times faster, for every
    candidate and every step of the beam.)"""

    view: CommentView
    up: int
    depth: int
    is_root: bool
    first_reader_up: bool
    asker_of_prev: bool  # the comment the previous (author) comment answered


def _by_up0(name: str) -> dict[bool, str]:
    return {up0: f"{name}:up0={up0}" for up0 in (True, False)}


# comment_features' names, formatted once instead of for every candidate
_UP = tuple(f"cmt:up={i}" for i in range(4))
_DEPTH = tuple(f"cmt:depth={i}" for i in range(4))
_PAIR = {
    (cur == "a", cand == "a"): (f"cmt:pair={cur}{cand}", _by_up0(f"cmt:pair={cur}{cand}"))
    for cur in "ar"
    for cand in "ar"
}
_CAND_ASKS = _by_up0("cmt:cand_asks")
_FOLLOW_UP_TO_AUTHOR = _by_up0("cmt:follow_up_to_author")
_THANKS_FOR_ANSWER = _by_up0("cmt:thanks_for_answer")


def comment_features(cur: CommentView, slot: Slot, author: str | None) -> Features:
    """Does `cur` answer the candidate comment?"""
    cand = slot.view
    f, c = cur.facts, cand.facts
    up0 = slot.up == 0
    pair, pair_up0 = _PAIR[(cur.is_author, cand.is_author)]
    feats: Features = {
        "cmt:bias": 1.0,
        _UP[min(slot.up, 3)]: 1.0,
        _DEPTH[min(slot.depth, 3)]: 1.0,
        pair: 1.0,
        pair_up0[up0]: 1.0,
    }
    if slot.is_root:
        feats["cmt:root"] = 1.0
    if slot.first_reader_up and cur.is_author:
        feats["cmt:author_to_latest_reader"] = 1.0
    if slot.asker_of_prev and not cur.is_author:
        feats["cmt:asker_of_prev_answer"] = 1.0
    if c.asks:
        feats[_CAND_ASKS[up0]] = 1.0
    if up0 and f.opens_with in ("thanks", "answer"):
        feats[f"cmt:prev_then_{f.opens_with}"] = 1.0
    if f.follow_up and cand.is_author and not cur.is_author:
        feats[_FOLLOW_UP_TO_AUTHOR[up0]] = 1.0
    if f.thanks_for_answer:
        feats[_THANKS_FOR_ANSWER[up0]] = 1.0
    if f.mentions:  # most comments address nobody: no set to build
        names = f.addressed()
        known = c.own_names()
        if cand.is_author and author:
            known.add(author)
        if names & known:
            feats["cmt:addresses_cand"] = 1.0
        elif cand.is_author and author and not cur.is_author:
            feats["cmt:addresses_other_than_author_cand"] = 1.0
    overlap = _overlap(f, c)
    if overlap:
        feats["cmt:overlap"] = overlap
    return feats


class _Node(NamedTuple):
    """One comment's choice in a partial decoding. Decodings share their common history: a node
    points at the previous comment's node (to read the decoding back) and at its parent's node (to
    walk the path up), so extending a decoding costs O(1) instead of copying its lists."""

    position: int  # of the comment in the thread
    parent: _Node | None  # None: the comment answers the post
    depth: int
    prev: _Node | None
    p: float
    feats: Features


def _ancestors(node: _Node, limit: int) -> list[_Node]:
    """`node`, its parent, grandparent ... at most `limit` of them."""
    path: list[_Node] = []
    up: _Node | None = node
    while up is not None and len(path) < limit:
        path.append(up)
        up = up.parent
    return path


# A candidate slot's identity: (position, up, depth, is_root, first_reader_up, asker_of_prev).
SlotKey = tuple[int, int, int, bool, bool, bool]


def _slot_keys(
    views: list[CommentView], path: list[tuple[int, int, bool]], asker: int | None
) -> list[SlotKey]:
    """The candidate slots on a path of (position, depth, is_root), nearest first, as plain tuples
    (the beam looks most of them up among slots already scored, so few become Slots)."""
    out: list[SlotKey] = []
    seen_reader = False
    for up, (c, depth, is_root) in enumerate(path):
        first_reader = not seen_reader and not views[c].is_author
        seen_reader = seen_reader or first_reader
        out.append((c, up, depth, is_root, first_reader, c == asker))
    return out


def _slot(views: list[CommentView], key: SlotKey) -> Slot:
    c, up, depth, is_root, first_reader, asker_of_prev = key
    return Slot(views[c], up, depth, is_root, first_reader, asker_of_prev)


def _slots(views: list[CommentView], path: list[tuple[int, int, bool]], asker: int | None) -> list[Slot]:
    """The candidate slots on a path of (position, depth, is_root), nearest first."""
    return [_slot(views, key) for key in _slot_keys(views, path, asker)]


def candidates(
    views: list[CommentView], parents: list[int | None], depths: list[int], j: int, author: str | None
) -> list[tuple[int | None, Features]]:
    """Every possible parent of comment j with its features; the post first."""
    path = [(c, depths[c], parents[c] is None) for c in path_to_root(parents, j - 1, MAX_CANDIDATES)]
    asker = parents[j - 1] if views[j - 1].is_author else None
    cur = views[j]
    out: list[tuple[int | None, Features]] = [(None, post_features(cur, views[j - 1], author))]
    for (c, _, _), slot in zip(path, _slots(views, path, asker), strict=True):
        out.append((c, comment_features(cur, slot, author)))
    return out


def softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def _decision(target: int | None, p: float, feats: Features, cur: CommentView, cand: CommentView | None,
              author: str | None) -> Decision:
    reasons = top_reasons("parent", feats, +1.0)
    where = "the post" if target is None else f"comment {target}"
    evidence = f"reply-cues: {', '.join(reasons) or 'prior'} point to {where} (p={p:.2f})"
    words = cue_words(reasons, cur, cand, author)
    return Decision(round(p, 3), (evidence, *([f"words: {words}"] if words else [])))


QUOTED_WORDS = 3  # shared words quoted as evidence: enough to show the topic carried over


def cue_words(reasons: list[str], cur: CommentView, cand: CommentView | None, author: str | None) -> str:
    """The words behind the reported cues ("which words"): who is addressed, the words the reply
    shares with its parent, the question it answers, how it opens. Empty when no reported cue
    rests on particular words (depth, who wrote what)."""
    f = cur.facts
    said: list[str] = []
    if "cmt:addresses_cand" in reasons and cand is not None:
        known = cand.facts.own_names() | ({author} if cand.is_author and author else set())
        said += _addressing(f, lambda name: name in known)
    elif "post:addresses_author" in reasons:
        said += _addressing(f, lambda name: name == author)
    elif "post:addresses_other" in reasons:
        said += _addressing(f, lambda name: name != author)
    if "cmt:overlap" in reasons and cand is not None:
        shared = f.long_words & cand.facts.long_words
        quoted = [t for t in dict.fromkeys(f.tokens) if t in shared][:QUOTED_WORDS]  # in reading order
        said.append("shares " + ", ".join(f"'{t}'" for t in quoted))
    if cand is not None and any(r.startswith("cmt:cand_asks") for r in reasons):
        said.append(f"answers '{_question(cand.facts.text)}'")
    if any(r.startswith("cmt:prev_then_") or r == "post:thanks_for_post" for r in reasons):
        said.append(f"opens '{' '.join(f.first_line.split()[:5])}'")
    return "; ".join(said)


def _addressing(f: Facts, chosen: Callable[[str], bool]) -> list[str]:
    """How the comment addresses the first name `chosen` accepts, as evidence."""
    return [f"addresses '{m.words.strip(' ,.!?;:')}'" for m in f.mentions if chosen(m.name)][:1]


def _question(text: str, limit: int = 60) -> str:
    """The (first) sentence of `text` that ends with "?", shortened to `limit` characters."""
    end = text.find("?")
    if end < 0:
        return ""
    start = max(text.rfind(stop, 0, end) for stop in (". ", "! ", "? ", "\n")) + 1
    sentence = text[start : end + 1].strip()
    return sentence if len(sentence) <= limit else "..." + sentence[-(limit - 3) :]


def infer_parents(views: list[CommentView], author_name: str | None) -> list[tuple[int | None, Decision]]:
    """Each comment's parent position (None = the post), decoded with a small beam."""
    if not views:
        return []
    author = author_name.split()[0] if author_name else None
    logit_of = scorer("parent")
    beam: list[tuple[float, _Node]] = [(0.0, _Node(0, None, 0, None, 1.0, {}))]
    for j in range(1, len(views)):
        cur = views[j]
        post = post_features(cur, views[j - 1], author)
        post_logit = logit_of(post)
        # The beam's decodings mostly share their paths: score each distinct slot once.
        scored: dict[SlotKey, tuple[Features, float]] = {}
        grown: list[tuple[float, int, _Node | None, float, Features]] = []
        for b, (score, last) in enumerate(beam):
            path = _ancestors(last, MAX_CANDIDATES)
            asker = last.parent.position if views[j - 1].is_author and last.parent else None
            targets: list[_Node | None] = [None, *path]
            cands = [(post, post_logit)]
            for key in _slot_keys(views, [(n.position, n.depth, n.parent is None) for n in path], asker):
                hit = scored.get(key)
                if hit is None:
                    feats = comment_features(cur, _slot(views, key), author)
                    hit = scored[key] = (feats, logit_of(feats))
                cands.append(hit)
            probs = softmax([x for _, x in cands])
            grown += [
                (score + math.log(max(p, 1e-12)), b, target, p, feats)
                for target, (feats, _), p in zip(targets, cands, probs, strict=True)
            ]
        grown.sort(key=lambda g: -g[0])  # stable: ties keep candidate order
        beam = [
            (score, _Node(j, target, 0 if target is None else target.depth + 1, beam[b][1], p, feats))
            for score, b, target, p, feats in grown[:BEAM]
        ]
    chosen: list[_Node] = []
    walk: _Node | None = beam[0][1]
    while walk is not None:
        chosen.append(walk)
        walk = walk.prev
    chosen.reverse()
    first = Decision(0.99, ("first-comment: the first comment can only answer the post",))
    rest = [
        _decision(_index(n.parent), n.p, n.feats, views[n.position],
                  None if n.parent is None else views[n.parent.position], author)
        for n in chosen[1:]
    ]
    return list(zip([_index(n.parent) for n in chosen], [first, *rest], strict=True))


def _index(node: _Node | None) -> int | None:
    return None if node is None else node.position
