"""Speakers: the post author's name, and which comments the post author wrote.

The author's name is learned from how commenters address them across the thread (the name most
often addressed), unless metadata gives it. Author comments are found in two passes:

1. a learned global classifier reads each comment's own cues and its neighbours' (a reader praising
   "your post" is not the author; a comment thanking a reader by name right after that reader is),
   chained along the thread (authors rarely write two comments in a row) by a forward pass that
   gives each comment's marginal probability;
2. a per-thread style profile (naive Bayes over words and typography habits) is learned from the
   comments pass 1 is sure about, and a second learned classifier combines it with pass 1's cues.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from . import cues
from .facts import AUTHOR_PHRASES, READER_PHRASES, Facts
from .learned import Features, logit, sigmoid, top_reasons
from .model import Decision

POST_AUTHOR_KEY = "post-author"
SURE = 0.85  # pass-1 probability beyond which a comment seeds the thread's style profile
MIN_SEEDS = 2  # each side of the profile needs this many seed comments to say anything


@dataclass(frozen=True)
class AuthorName:
    name: str | None
    decision: Decision
    from_metadata: bool = False


def learn_author_name(texts: list[str], metadata_name: str | None = None) -> AuthorName:
    """The name commenters address most often across the thread, if it is addressed enough."""
    if metadata_name:
        return AuthorName(
            metadata_name, Decision(0.95, (f"metadata: post_author is '{metadata_name}'",)), True
        )
    counts: Counter[str] = Counter()
    example: dict[str, str] = {}
    signed: set[str] = set()
    for text in texts:
        found = cues.mentions(cues.head_tail(text))
        for mention in found:
            example.setdefault(mention.name, f"{mention.cue}: '{mention.words}'")
        counts.update(sorted({m.name for m in found}))
        signature = cues.signature_name(text.rsplit("\n", 1)[-1]) if "\n" in text else None
        if signature:
            signed.add(signature)
    ranked = sorted(
        ((n, name) for name, n in counts.items() if name not in signed), key=lambda x: (-x[0], x[1])
    )
    if not ranked or ranked[0][0] < 2:
        return AuthorName(None, Decision(0.6, ("no name is addressed in two or more comments",)))
    n, name = ranked[0]
    runner_up = ranked[1][0] if len(ranked) > 1 else 0
    confidence = min(0.97, 0.5 + 0.1 * n - 0.1 * runner_up)
    evidence = (
        f"addressed-most: '{name}' is addressed in {n} comments (next best {runner_up})",
        example[name],
    )
    return AuthorName(name, Decision(round(max(confidence, 0.3), 3), evidence))


def _short(name: str | None) -> str | None:
    return name.split()[0] if name else None


def own_features(f: Facts, author: str | None) -> Features:
    """Cues in the comment itself."""
    feats: Features = {"bias": 1.0, f"open:{f.opens_with}": 1.0}
    names = f.addressed()
    if author and author in names:
        feats["addresses_author"] = 1.0
    for m in f.mentions:
        if m.name != author:
            feats[f"addresses_other:{m.cue}"] = 1.0
    if author is None and f.mentions:
        feats["addresses_someone_author_unknown"] = 1.0
    if author and f.signature == author:
        feats["signed_author"] = 1.0
    elif f.signature:
        feats["signed_other"] = 1.0
    n_author = len(f.phrases & AUTHOR_PHRASES)
    n_reader = len(f.phrases & READER_PHRASES)
    if n_author:
        feats["author_phrases"] = min(n_author, 3) / 3
    if n_reader:
        feats["reader_phrases"] = min(n_reader, 3) / 3
    if f.praises_post:
        feats["praises_post"] = 1.0
    if f.asks:
        feats["asks"] = 1.0
    if f.first_line.lower().startswith(("thanks for", "thank you for")):
        feats["open:thanks_for"] = 1.0
    if f.emoticon:
        feats["emoticon"] = 1.0
    if f.you_share != 0.5:
        feats["you_share"] = f.you_share - 0.5
    if f.advice:
        feats["advice"] = min(f.advice, 3) / 3
    feats["len<=10"] = float(f.n_words <= 10)
    feats["len>60"] = float(f.n_words > 60)
    return feats


def context_features(prev: Facts | None, nxt: Facts | None, author: str | None) -> Features:
    """Cues in the neighbours: answers follow questions, readers thank the author after answers."""
    feats: Features = {}
    if prev is None:
        feats["first_comment"] = 1.0
    else:
        if prev.asks:
            feats["prev_asks"] = 1.0
        if author and author in prev.addressed():
            feats["prev_addresses_author"] = 1.0
        if prev.praises_post or prev.phrases & READER_PHRASES:
            feats["prev_reader_cues"] = 1.0
    if nxt is not None:
        if author and author in nxt.addressed():
            feats["next_addresses_author"] = 1.0
        if nxt.opens_with == "thanks":
            feats["next_opens_thanks"] = 1.0
    return feats


def author_features(facts: list[Facts], j: int, author: str | None) -> Features:
    """Pass-1 features of comment j (without the previous comment's label)."""
    feats = own_features(facts[j], author)
    prev = facts[j - 1] if j else None
    nxt = facts[j + 1] if j + 1 < len(facts) else None
    feats.update(context_features(prev, nxt, author))
    return feats


def forward(model: str, feats: list[Features]) -> list[float]:
    """P(comment j is by the author), summing over the previous comment's label (a chained
    classifier: P(a_j | cues, a_{j-1}) with a "prev_author" feature)."""
    marginals: list[float] = []
    p_prev = 0.0
    lift = logit(model, {"prev_author": 1.0})
    for f in feats:
        base = logit(model, f)
        p = p_prev * sigmoid(base + lift) + (1 - p_prev) * sigmoid(base)
        marginals.append(p)
        p_prev = p
    return marginals


def style_tokens(f: Facts) -> set[str]:
    """Words plus typography habits a person keeps from comment to comment."""
    text = f.text
    marks = {
        "~emdash": "—" in text,
        "~endash": "–" in text,
        "~dblhyphen": "--" in text,
        "~spaced_hyphen": " - " in text,
        "~curly": "’" in text,
        "~straight": "'" in text,
        "~ellipsis": "..." in text or "…" in text,
        "~exclaim": "!" in text,
        "~emoticon": f.emoticon,
        "~lower_i": " i " in text,
        "~lower_start": text[:1].islower(),
        "~multi_para": "\n" in text,
        "~at": "@" in text,
    }
    return set(f.words) | {k for k, v in marks.items() if v}


class StyleProfile:
    """Per-thread naive Bayes over style tokens, from comments labelled with soft weights."""

    def __init__(self, tokens: list[set[str]], weights: list[float]) -> None:
        self.author: dict[str, float] = {}
        self.other: dict[str, float] = {}
        self.n_author = self.n_other = 0.0
        self.doc_freq: Counter[str] = Counter()
        for toks in tokens:
            self.doc_freq.update(toks)
        for toks, w in zip(tokens, weights, strict=True):
            if w > 0:
                self.n_author += w
                for t in toks:
                    self.author[t] = self.author.get(t, 0.0) + w
            elif w < 0:
                self.n_other -= w
                for t in toks:
                    self.other[t] = self.other.get(t, 0.0) - w

    def score(self, toks: set[str], weight: float) -> float:
        """Log-odds author vs other from tokens shared with other comments, leaving this
        comment's own seed weight out (so a seed does not vote for itself)."""
        na = self.n_author - max(weight, 0.0)
        no = self.n_other - max(-weight, 0.0)
        if na < MIN_SEEDS or no < MIN_SEEDS:
            return 0.0
        total, n = 0.0, 0
        for t in toks:
            if self.doc_freq[t] < 2:
                continue
            a = self.author.get(t, 0.0) - max(weight, 0.0)
            o = self.other.get(t, 0.0) - max(-weight, 0.0)
            total += math.log((a + 0.5) / (na + 1.0)) - math.log((o + 0.5) / (no + 1.0))
            n += 1
        # per-token evidence times sqrt(n): long comments say more, but not linearly more
        return total / math.sqrt(n) if n else 0.0


def _seed_weight(p: float) -> float:
    if p >= SURE:
        return 1.0
    if p <= 1 - SURE:
        return -1.0
    return 0.0


def second_pass_features(facts: list[Facts], first: list[float]) -> list[Features]:
    """Pass 1's verdict (as a log-odds) and the thread's style profile's vote."""
    tokens = [style_tokens(f) for f in facts]
    weights = [_seed_weight(p) for p in first]
    profile = StyleProfile(tokens, weights)
    out: list[Features] = []
    for j, p in enumerate(first):
        style = max(-8.0, min(8.0, profile.score(tokens[j], weights[j])))
        pass1 = max(-6.0, min(6.0, math.log(max(p, 1e-6) / max(1 - p, 1e-6))))
        feats: Features = {"bias": 1.0, "pass1": pass1 / 3, "style": style / 4}
        if style == 0.0:
            feats["no_profile"] = 1.0
        out.append(feats)
    return out


def author_probabilities(facts: list[Facts], author: str | None) -> tuple[list[float], list[Features]]:
    """Final P(author) per comment, and the features behind it."""
    first = forward("author", [author_features(facts, j, author) for j in range(len(facts))])
    feats = second_pass_features(facts, first)
    return forward("author2", feats), feats


def author_flags(facts: list[Facts], author_name: str | None) -> list[tuple[bool, Decision]]:
    """For each comment in order: is it by the post author, with a Decision."""
    author = _short(author_name)
    probs, _ = author_probabilities(facts, author)
    out: list[tuple[bool, Decision]] = []
    for j, (p, fact) in enumerate(zip(probs, facts, strict=True)):
        is_author = p >= 0.5
        reasons = top_reasons("author", author_features(facts, j, author), 1.0 if is_author else -1.0)
        label = "author-cues" if is_author else "reader-cues"
        evidence = f"{label}: {', '.join(reasons) or 'no strong cue'} in '{fact.text[:40]}'"
        out.append((is_author, Decision(round(max(p, 1 - p), 3), (evidence,))))
    return out
