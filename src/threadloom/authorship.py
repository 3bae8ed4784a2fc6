"""Which comments the post author wrote, decoded jointly over the thread (v3).

Every comment gets an emission score from its own cues and its neighbours' (speakers.author_features,
plus the cues below and common conversational words learned on the dev sources), and a two-state
linear-chain CRF (chain.py) with learned transitions (authors answer readers, rarely write twice
in a row) gives each comment's marginal probability of being the author's, using the whole thread.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .chain import singles_from, transition_scores
from .facts import Facts
from .learned import Features, all_weights, strongest, weights_generation
from .model import Decision
from .speakers import author_features

MODEL = "author_crf"
# Openings of a reply that answers a question ("Yes, ...", "You can ...", "Not sure ...").
ANSWER_OPEN = frozenset(
    {
        "yes", "no", "yeah", "yep", "nope", "sure", "you", "try", "it", "it's", "not", "glad", "sorry",
        "i'd", "i'm", "i", "that", "the", "there", "if", "unfortunately", "actually", "good", "great",
        "correct", "right", "depends", "ah", "oh", "hmm", "well",
    }
)  # fmt: skip
SITE_RE = re.compile(r"https?://|www\.|\.com\b|\.io\b|\bmy (?:site|blog)\b")
# Every match of SITE_RE holds one of these: most comments hold none, and `in` is far cheaper.
SITE_HINTS = ("http", "www.", ".com", ".io", "my site", "my blog")
PARENT_CUES = ("thanks-vocative", "greeting-vocative", "opening-vocative", "at-mention")


@lru_cache(maxsize=1)
def _vocabulary(generation: int) -> frozenset[str]:
    del generation  # the cache key: the weights in use
    names = all_weights().get(MODEL, {})
    return frozenset(k[2:] for k in names if k.startswith(("o:", "u:")))


def vocabulary() -> frozenset[str]:
    return _vocabulary(weights_generation())


def name_counts(facts: list[Facts]) -> Counter[str]:
    """In how many comments each name is addressed: the author's name is addressed often."""
    counts: Counter[str] = Counter()
    for f in facts:
        counts.update({m.name for m in f.mentions})
    return counts


def _shows_site(lower: str) -> bool:
    return any(hint in lower for hint in SITE_HINTS) and SITE_RE.search(lower) is not None


def thread_features(facts: list[Facts], j: int, author: str | None, counts: Counter[str]) -> Features:
    """Cues that need the rest of the thread: who else is addressed, what the neighbours do."""
    f = facts[j]
    prev = facts[j - 1] if j else None
    nxt = facts[j + 1] if j + 1 < len(facts) else None
    out: Features = {}
    for m in f.mentions:
        if author and m.name == author:
            continue
        if counts[m.name] >= 3:
            out["addr_common_name"] = 1.0
        elif counts[m.name] == 1 and m.cue in PARENT_CUES:
            out["addr_rare_name"] = 1.0
    if prev is not None:
        if prev.asks and f.first_word in ANSWER_OPEN:
            out["answers_question"] = 1.0
        if _shows_site(prev.text.lower()):
            out["prev_shows_site"] = 1.0
        if prev.n_words > 40 and f.n_words <= 12:
            out["short_after_long"] = 1.0
        if prev.praises_post or prev.thanks_for_post:
            out["prev_praises_post"] = 1.0
    if f.n_words <= 12 and f.opens_with in ("praise", "thanks"):
        out["short_praise_thanks"] = 1.0
    if f.thanks_for_post:
        out["thanks_for_post"] = 1.0
    if nxt is not None:
        if nxt.follow_up:
            out["next_follow_up"] = 1.0
        if nxt.opens_with == "thanks" and any(counts[m.name] >= 3 or m.name == author for m in nxt.mentions):
            out["next_thanks_author"] = 1.0
    return out


def lexical_features(f: Facts, vocab: frozenset[str]) -> Features:
    """Common conversational words (learned weights): the opening words, and words anywhere."""
    out: Features = {}
    for t in f.tokens[:5]:
        if t in vocab:
            out["o:" + t] = 1.0
    for t in f.words & vocab:
        out["u:" + t] = 0.5
    return out


def crf_features(
    facts: list[Facts], author: str | None, vocab: frozenset[str] | None = None
) -> list[Features]:
    words = vocabulary() if vocab is None else vocab
    counts = name_counts(facts)
    return [comment_crf_features(facts, j, author, counts, words) for j in range(len(facts))]


def comment_crf_features(facts: list[Facts], j: int, author: str | None, counts: Counter[str],
                         words: frozenset[str]) -> Features:
    """Comment j's features: its own cues, its neighbours' (j - 1 and j + 1 only), the thread's
    name counts and its common words."""
    feats = author_features(facts, j, author)
    feats.update(thread_features(facts, j, author, counts))
    lexical = lexical_features(facts[j], words)
    if "addresses_other:thanks-vocative" in feats:  # speakers.own_features found it
        # "Thanks, Jen." thanks a reader by name: not the reader's "thanks" for the post
        lexical = {k: v for k, v in lexical.items() if k[2:] not in ("thanks", "thank")}
    feats.update(lexical)
    return feats


def author_flags(facts: list[Facts], author_name: str | None) -> list[tuple[bool, Decision]]:
    """For each comment in order: is it by the post author, with a Decision."""
    author = author_name.split()[0] if author_name else None
    feats = crf_features(facts, author)
    weights = all_weights().get(MODEL, {})
    terms = [_terms(weights, f) for f in feats]
    probs = singles_from([sum(t) for t in terms], transition_scores(weights))  # sum(t): chain.emissions
    out: list[tuple[bool, Decision]] = []
    for p, f, t, fact in zip(probs, feats, terms, facts, strict=True):
        is_author = p >= 0.5
        reasons = _top_reasons(f, t, 1.0 if is_author else -1.0)
        label = "author-cues" if is_author else "reader-cues"
        evidence = (
            f"{label}: {', '.join(reasons) or 'no strong cue'} in '{fact.text[:40]}' (thread CRF p={p:.2f})"
        )
        out.append((is_author, Decision(round(max(p, 1 - p), 3), (evidence,))))
    return out


def _terms(weights: dict[str, float], feats: Features) -> list[float]:
    """Each feature's weight * value, in the features' order: the emission is their sum (exactly
    chain.emissions), and the reasons are the largest of them, so each is computed once."""
    get = weights.get
    return [get(k, 0.0) * v for k, v in feats.items()]


def _top_reasons(feats: Features, terms: list[float], sign: float) -> list[str]:
    """learned.top_reasons(MODEL, feats, sign) from the terms already computed."""
    return strongest((term * sign, name) for name, term in zip(feats, terms, strict=True) if name != "bias")
