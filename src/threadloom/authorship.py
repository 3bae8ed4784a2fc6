"""Which comments the post author wrote, decoded jointly over the thread (v3).

Every comment gets an emission score from its own cues and its neighbours' (speakers.author_features,
plus the cues below and common conversational words learned on the dev sources), and a two-state
linear-chain CRF (chain.py) with learned transitions (authors answer readers, rarely write twice
in a row) gives each comment's marginal probability of being the author's, using the whole thread.
Some cues bound an emission rather than add to it: a comment that opens by thanking a reader by name,
or acknowledges one ("Glad you liked it"), is the author's at least as often as that rule holds;
one addressing the author by name is the author's at most as often as such comments were on the
dev threads (`bounded`, `RULES`, `CEILINGS`). A comment header's name, once a byline or metadata
says which name is the author's, settles it (`by_header`). Comments whose
headers give the same name are one writer's: they are decided together (`one_writer_per_name`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

from .chain import singles_from, transition_scores
from .cues import ANSWERING_CUES
from .facts import Facts
from .learned import Features, all_weights, sigmoid, strongest, weights_generation
from .model import Decision
from .speakers import ACKNOWLEDGES, OPENS_THANKING_OTHER, author_features

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
        elif counts[m.name] == 1 and m.cue in ANSWERING_CUES:
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


def author_flags(facts: list[Facts], author_name: str | None, stated: bool = False
                 ) -> list[tuple[bool, Decision]]:
    """For each comment in order: is it by the post author, with a Decision. `stated`: the page
    or its metadata gives the author's name (a byline), so the comments' headers can be matched
    against it (the name addressed most may be a reader's: a debate with one commenter)."""
    author = author_name.split()[0] if author_name else None
    feats = crf_features(facts, author)
    weights = all_weights().get(MODEL, {})
    terms = [_terms(weights, f) for f in feats]
    on_headers = author_on_headers(facts, author) if stated else None
    emissions = [by_header(bounded(sum(t), f, weights), fact, on_headers)
                 for t, f, fact in zip(terms, feats, facts, strict=True)]
    probs = singles_from(emissions, transition_scores(weights))
    writers = one_writer_per_name(probs, facts)
    out: list[tuple[bool, Decision]] = []
    for p, f, t, fact, writer in zip(probs, feats, terms, facts, writers, strict=True):
        own = p
        if writer is not None:
            p = writer.probability
        is_author = p >= 0.5
        reasons = _top_reasons(f, t, 1.0 if is_author else -1.0)
        label = "author-cues" if is_author else "reader-cues"
        evidence = (
            f"{label}: {', '.join(reasons) or 'no strong cue'} in '{fact.text[:40]}' (thread CRF p={own:.2f})"
        )
        said: tuple[str, ...] = (evidence,)
        if writer is not None:  # the comments its header's name heads were decided together
            said = (f"same-writer: the header name '{fact.header_name}' heads {writer.comments} comments, "
                    f"decided together (p={p:.2f})", evidence)
        if on_headers and fact.header_name:  # the header settled it: say so first
            whose = "the post author's" if _header_is_author(fact, on_headers) else "a reader's"
            said = (f"header: '{fact.header[:60]}' gives {whose} name", *said)
        out.append((is_author, Decision(round(max(p, 1 - p), 3), said)))
    return out


class Writer(NamedTuple):
    """The comments one header name heads: how many, and the probability that they are the
    post author's."""

    comments: int
    probability: float


def one_writer_per_name(probs: list[float], facts: list[Facts]) -> list[Writer | None]:
    """For each comment whose header gives a name that heads other comments of the thread too,
    that writer: the probability that they are the post author comes from all of their comments,
    the log-odds of each comment's probability summed (each comment's cues are evidence about the
    same person). None for a comment whose name heads no other, or that has no header's name."""
    groups: dict[str, list[int]] = {}
    for i, fact in enumerate(facts):
        if fact.header_name:
            groups.setdefault(fact.header_name.casefold(), []).append(i)
    out: list[Writer | None] = [None] * len(probs)
    for members in groups.values():
        if len(members) > 1:
            logit = sum(math.log(max(probs[i], 1e-9) / max(1 - probs[i], 1e-9)) for i in members)
            writer = Writer(len(members), sigmoid(logit))
            for i in members:
                out[i] = writer
    return out


# A comment's header gives its writer's name ("Paul says:"): once the author's own name is seen
# on a header, the name on each settles who wrote the comment (logit 4.6: p = 0.99).
HEADER_LOGIT = 4.6


def by_header(emission: float, fact: Facts, author: str | None) -> float:
    """The emission, settled by the name on the comment's header (`author`: the post author's
    first name as the thread's headers write it, or None when no header does)."""
    if not fact.header_name or not author:
        return emission
    if _header_is_author(fact, author):
        return max(emission, HEADER_LOGIT)
    return min(emission, -HEADER_LOGIT)


def _header_is_author(fact: Facts, author: str) -> bool:
    """Does the comment's header give the author's first name (lower case, as author_on_headers)?"""
    return fact.header_name is not None and fact.header_name.split()[0].lower() == author


def author_on_headers(facts: list[Facts], author: str | None) -> str | None:
    """The author's first name, lower-cased, if a comment header of the thread carries it (a
    blog's author may sign headers with a handle that nobody addresses: then no header tells)."""
    if not author:
        return None
    low = author.lower()
    return low if any(_header_is_author(f, low) for f in facts) else None


# Rule features: a comment opening by thanking a reader by name ("Thanks, Jen."), one acknowledging
# a reader ("Glad you liked it", "You're welcome"). Each weighs the log-odds of how often it holds on
# the dev threads (scripts/train_structure.py keeps it fixed while the rest is fitted).
RULES = (OPENS_THANKING_OTHER, ACKNOWLEDGES)
# A ceiling rule: a comment addressing the post author by name ("Thanks Mike", "Hi Anna,") is a
# reader's. None of the 73 such comments of the dev threads is the author's, none of the seed's 26,
# and one of the held-out blogs' 10 (where a reader's name was learned as the author's). The
# feature keeps its fitted weight; the comment's emission is capped at the add-one smoothed
# log-odds that such a comment is the author's on the dev threads (-4.30), kept under
# CEILING_PREFIX + its name (scripts/train_structure.py).
CEILINGS = ("addresses_author",)
CEILING_PREFIX = "ceiling:"
_CEILING_KEYS = tuple((rule, CEILING_PREFIX + rule) for rule in CEILINGS)  # (feature, its cap's weight)


def bounded(emission: float, feats: Features, weights: dict[str, float]) -> float:
    """A comment's emission (the weighted sum of its features, chain.emissions), never below a
    rule's own log-odds when the comment has that rule feature (`RULES`): the rule holds that often
    on the dev threads whatever else the comment says, so its other cues (short, says "very",
    follows a long comment) may not talk the thread out of it. Without a floor rule, never above a
    ceiling rule's log-odds (`CEILINGS`): a comment addressing the author by name is not talked
    into being the author's by its other words."""
    floors = [weights.get(rule, 0.0) for rule in RULES if rule in feats]
    if floors:
        return max(emission, *floors)
    for rule, cap in _CEILING_KEYS:
        if rule in feats:
            emission = min(emission, weights.get(cap, emission))
    return emission


def _terms(weights: dict[str, float], feats: Features) -> list[float]:
    """Each feature's weight * value, in the features' order: the emission is their sum (exactly
    chain.emissions), and the reasons are the largest of them, so each is computed once."""
    get = weights.get
    return [get(k, 0.0) * v for k, v in feats.items()]


def _top_reasons(feats: Features, terms: list[float], sign: float) -> list[str]:
    """learned.top_reasons(MODEL, feats, sign) from the terms already computed."""
    return strongest((term * sign, name) for name, term in zip(feats, terms, strict=True) if name != "bias")
