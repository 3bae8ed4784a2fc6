"""The article cut: where the post ends and its comment section begins.

The cut is chosen globally: every line gets a learned probability of reading like a comment
(the "article" model), and the cut is the split that best explains all lines (article-like before,
comment-like after), its first comment line also reading like a comment's opening (the "start"
model, segment.py). Furniture and the post's own words move it: a comments heading ("14
Comments"), a comment header or a widget's "Reply", an invitation to comment "below", a section
heading it may not end on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache

from . import cues, furniture
from .blank_lines import BlankLayout
from .learned import Features, all_weights, probability, sigmoid, top_reasons, weights_generation
from .linecues import Cues, Terms, cue_weights, line_cues, text_features, weigh
from .model import Decision
from .segment import TextLine, start_probability


def article_features(lines: list[TextLine], index: int) -> Features:
    """Does line `index` read like a comment (as opposed to article prose)?"""
    feats: Features = {"bias": 1.0}
    feats.update(text_features(lines[index].text, "cur"))
    # neighbours at half weight: a comment's quiet continuation lines sit among chatty ones
    if index > 0:
        feats.update({k: v * 0.5 for k, v in text_features(lines[index - 1].text, "prev").items()})
    if index + 1 < len(lines):
        feats.update({k: v * 0.5 for k, v in text_features(lines[index + 1].text, "next").items()})
    return feats


OPENER_WEIGHT = 2.0  # how much the first comment line must read like a comment opener


def _comment_likeness(lines: list[TextLine], index: int) -> float:
    """P(line reads like a comment); code lines and a closing block's lines say nothing either
    way (both parts hold code, and both may end "Cheers," over a name: `_in_closing_block`)."""
    if cues.is_code(lines[index].text):
        return 0.5
    above2, above, cur = (line_cues(lines[i].text) if i >= 0 else () for i in range(index - 2, index + 1))
    if _in_closing_block(above2, above, cur, lines[index].text):
        return 0.5
    return min(max(probability("article", article_features(lines, index)), 1e-4), 1 - 1e-4)



def _in_closing_block(above2: Cues, above: Cues, cur: Cues, text: str) -> bool:
    """Is the line (`text`, with `cur`: its line_cues, and those of the two lines above it) in a
    closing block: a sign-off over a name ("Cheers,"; not "Thank you!", a comment's whole words as
    often), the name under a sign-off and a short line under that (an affiliation), or a signature
    led by a dash ("-Joe")? The comments sign so, but so may the post: the article model, which saw
    few such lines, reads a name as a heading. (Most lines hold none of these cues: three tuple
    tests.)"""
    if "sign_off" in cur:
        return text.rstrip().endswith(",")
    if "signature" in cur:
        return "sign_off" in above or text.lstrip()[:1] in cues.DASHES
    return "sign_off" in above2 and "signature" in above and cues.is_affiliation(text)



# Cuts scoring below the best by more than this add < e^-30 each to the posterior: not scored.
_CONFIDENCE_MARGIN = 30.0


def comment_likelihoods(texts: list[str]) -> list[float]:
    """`_comment_likeness` of every line, computed without feature dicts: the article model's
    sparse dot product over the line's cues ("cur:") and its neighbours' at half weight ("prev:",
    "next:"), summed in the feature order, so the floats are the same (a test checks)."""
    generation = weights_generation()
    found = [line_cues(text) for text in texts]
    weighed = [_article_terms(names, generation) for names in found]
    bias = all_weights().get("article", {}).get("bias", 0.0) * 1.0
    last = len(texts) - 1
    probs = []
    nothing: Cues = ()
    for i, names in enumerate(found):
        if "code" in names:  # cues.is_code of the line, as line_cues found it
            probs.append(0.5)
            continue
        above2, above = found[i - 2] if i > 1 else nothing, found[i - 1] if i else nothing
        if _in_closing_block(above2, above, names, texts[i]):
            probs.append(0.5)
            continue
        terms = [bias, *weighed[i][0]]
        if i > 0:
            terms += weighed[i - 1][1]
        if i < last:
            terms += weighed[i + 1][2]
        probs.append(min(max(sigmoid(sum(terms)), 1e-4), 1 - 1e-4))
    return probs


@lru_cache(maxsize=4096)
def _article_terms(names: tuple[str, ...], generation: int) -> tuple[Terms, Terms, Terms]:
    """The article model's terms for a line with these cues (line_cues), in their order: as the
    line's own ("cur:"), and at half weight as the line before's ("prev:") and after's ("next:").
    Cached by cues, not by line: a document's lines share a few hundred cue tuples."""
    cur, prev, nxt = (cue_weights("article", prefix, scale, generation) for prefix, scale in _ARTICLE_ROLES)
    return weigh(names, cur), weigh(names, prev), weigh(names, nxt)


_ARTICLE_ROLES = (("cur", 1.0), ("prev", 0.5), ("next", 0.5))


def best_cut(
    texts: list[str],
    posterior: bool = True,
    last: int | None = None,
    favoured: tuple[int, ...] = (),
    layout: list[float] | None = None,
) -> tuple[int, float, list[float]]:
    """The most likely single split of these non-blank lines into article then comments: (index
    of the first comment line, the cut's posterior over all cuts, every line's comment likeness).
    The index is len(texts) when no split beats reading every line as the article's.

    score(k) = log P(lines before k are article) + log P(lines from k are comments)
               + OPENER_WEIGHT * log P(line k opens a comment).
    The opener term is <= 0, so the first two bound a cut's score from above: cuts are scored
    best bound first until none left could win (the chosen cut is the same). The posterior is
    over the cuts within _CONFIDENCE_MARGIN of the best; those not yet scored are scored only
    until the bounds on their share fix its rounding (`_rounded_posterior`). Without `posterior`
    (triage needs only the cut) the posterior returned is over the cuts scored (an upper bound).
    `last`: the latest cut possible (a comment is known to end before line last + 1); `favoured`:
    cuts known to open a comment (a comment's header line is over them), weighed as a heading;
    `layout`: what the page's blank lines say of each line opening a comment (log odds, by index)."""
    probs = comment_likelihoods(texts)
    n = len(probs)
    if not n:
        return 0, 1.0, probs
    upper = _score_bounds(probs)
    for k in (*_after_headings(texts), *favoured):
        upper[k] += HEADING_WEIGHT
    for k in range(_last_invitation(texts) + 1):
        upper[k] -= HEADING_WEIGHT  # the line inviting comments below would be a comment's
    for k in range(_last_invitation(texts, cues.LEAVE_A_COMMENT_RE, "omment") + 1):
        upper[k] -= LEAVE_A_COMMENT_WEIGHT  # an article's closing, though a comment may say it
    for k in range(1, n):
        if _opens_a_section(texts[k - 1]):
            upper[k] -= SECTION_WEIGHT  # the article would end on a heading
    if layout is not None:
        for k in range(1, n):
            upper[k] += layout[k]
    if last is not None:
        upper[last + 1 :] = [-math.inf] * (n - last)
    order = sorted(range(n + 1), key=lambda k: (-upper[k], k))

    def score(k: int) -> float:
        # no line before the first comment (k = 0), or no comment at all (k = n): a neutral 0.5
        opener = start_probability(texts[k - 1], texts[k], None) if 0 < k < n else 0.5
        return upper[k] + OPENER_WEIGHT * math.log(max(opener, 1e-4))

    scores: dict[int, float] = {}
    best_score = -math.inf
    for k in order:
        if upper[k] < best_score:
            break  # neither this cut nor any after it can win
        scores[k] = score(k)
        best_score = max(best_score, scores[k])
    best = max(sorted(scores), key=lambda k: (scores[k], -k))
    if not posterior:
        return best, _posterior(scores, best), probs
    # the cuts within the margin: a prefix of `order` (the best is settled, so is the margin)
    within = [k for k in order[len(scores) :] if upper[k] >= best_score - _CONFIDENCE_MARGIN]
    return best, _rounded_posterior(scores, best, [upper[k] for k in within], within, score), probs


# How much a counted comments heading ("14 Comments") on the line before favours a cut (log
# odds): it outweighs a dozen lines' doubt, not a whole article read as comments.
HEADING_WEIGHT = 10.0
# A post's header may count its comments too, under a title, a byline and a date: a heading
# among the first lines is not taken for the comment section's.
HEADER_LINES = 3


def _after_headings(texts: list[str]) -> list[int]:
    """The cut right after the page's last comments heading, when one is below its first
    HEADER_LINES lines and comment lines are still to come (a post header's count is above the
    article, the comment section's own heading below it)."""
    for k in range(len(texts) - 2, HEADER_LINES - 1, -1):
        if furniture.is_comments_heading(texts[k]):
            return [k + 1]
    return []


# How much a line asking readers to "leave a comment" (not "below") counts against a cut above it
# or on it (log odds): an article's closing as a rule, but a comment about a comment form may say
# it too, so a few lines' doubt, not the whole page's.
LEAVE_A_COMMENT_WEIGHT = 2.0
# How much a section heading on the line before a cut counts against it (log odds): a heading
# ("What changed", "5. They feel the cold") opens a section of the article, which goes on under it.
SECTION_WEIGHT = 2.0
# A numbered heading: "5. They feel the cold", "2) Fixing the URLs".
_NUMBERED_HEADING_RE = re.compile(r"\d{1,2}[.)]\s+[A-Z]")
# Words of a heading over a comment section, which the comments go on under: "Comments",
# "Responses", "Join the discussion", "Leave a reply", "What readers think".
_SECTION_OF_COMMENTS = ("comment", "respon", "discuss", "repl", "thought", "conversation", "feedback",
                        "reader")


def _opens_a_section(text: str) -> bool:
    """Is the line a heading inside the article: short, unfinished, and not one over the comments?"""
    if "heading" not in line_cues(text):
        stripped = text.lstrip()
        if not stripped[:1].isdigit() or _NUMBERED_HEADING_RE.match(stripped) is None:
            return False
        if len(stripped.split()) > 9 or cues.ends_sentence(stripped.rstrip()):
            return False
    low = text.lower()
    return not any(word in low for word in _SECTION_OF_COMMENTS)


def _last_invitation(texts: list[str], regex: re.Pattern[str] = cues.COMMENTS_BELOW_RE, hint: str = "elow"
                     ) -> int:
    """Index of the last line that invites comments (`regex`, searched in lower-case text, which
    only lines holding `hint` can match: by default an invitation to comment "below"), else -1."""
    for k in range(len(texts) - 1, -1, -1):
        text = texts[k]
        if hint in text and regex.search(text.lower()):
            return k
    return -1


def _score_bounds(probs: list[float]) -> list[float]:
    """Each cut's score without its opener term (an upper bound on the score), k = 0..n."""
    n = len(probs)
    comment_suffix = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        comment_suffix[i] = comment_suffix[i + 1] + math.log(probs[i])
    upper = []
    article_prefix = 0.0
    for k in range(n):
        upper.append(article_prefix + comment_suffix[k])
        article_prefix += math.log(1 - probs[k])
    upper.append(article_prefix)  # k = n: no comment section at all
    return upper


def _posterior(scores: dict[int, float], best: int) -> float:
    """The best cut's posterior among the scored cuts, rounded (summed in k order)."""
    top = scores[best]
    total = sum(math.exp(scores[k] - top) for k in sorted(scores))
    return round(1.0 / total, 3)


# Relative slack on the bounds of a posterior's total: far above the float error of the sums.
_BOUND_SLACK = 1e-9


def _rounded_posterior(
    scores: dict[int, float], best: int, uppers: list[float], rest: list[int], score: Callable[[int], float]
) -> float:
    """`_posterior` once the cuts `rest` (their score bounds `uppers`, each below the best score)
    are scored too, scoring them in turn only until the rounded value is fixed: the total is
    at least the scored cuts' share and at most that plus the bounds' share of the others, and
    rounding is monotone, so when both ends round alike so does the exact sum."""
    top = scores[best]
    unscored = [0.0] * (len(rest) + 1)  # the bounds' share of rest[i:]
    for i in range(len(rest) - 1, -1, -1):
        unscored[i] = unscored[i + 1] + math.exp(uppers[i] - top)
    scored = sum(math.exp(s - top) for s in scores.values())
    for i, k in enumerate(rest):
        low, high = scored * (1 - _BOUND_SLACK), (scored + unscored[i]) * (1 + _BOUND_SLACK)
        if round(1.0 / low, 3) == round(1.0 / high, 3):
            return round(1.0 / low, 3)
        scores[k] = score(k)
        scored += math.exp(scores[k] - top)
    return _posterior(scores, best)


def article_cut(lines: list[TextLine], layout: BlankLayout | None = None) -> tuple[int, Decision]:
    """Index (into `lines`) of the first comment line, chosen as the most likely single split;
    `layout`: the page's blank lines, where they open its comments (`section_layout`)."""
    if not lines:
        return 0, Decision(1.0, ("empty document",))
    # a comment widget's "Reply" or a footer under the first comment: the comments begin above
    # it; the first comment header below a post's own header lines ("May 3, 2013"): they begin there
    widget = next((i - 1 for i, line in enumerate(lines) if i and (line.after_widget or line.footer)), None)
    header = next((i for i, line in enumerate(lines) if i >= HEADER_LINES and line.header), None)
    limits = [i for i in (widget, header) if i is not None]
    blank_logits = None if layout is None else [layout.logit(line.after_blank) for line in lines]
    texts = [line.text for line in lines]
    best, confidence, _ = best_cut(texts, last=min(limits) if limits else None,
                                   favoured=() if header is None else (header,), layout=blank_logits)
    if best == len(lines):
        why = f"global-cut: no line reads like the start of a comment section (posterior {confidence:.2f})"
        return best, Decision(confidence, (why,))
    first = lines[best]
    evidence = [
        f"global-cut: line {first.number} is where comment-like lines begin "
        f"(posterior {confidence:.2f} over all cuts)"
    ]
    if best and furniture.is_comments_heading(lines[best - 1].text):
        evidence.append(f"heading: '{lines[best - 1].text.strip()[:50]}' heads the comment section")
    if first.header:
        evidence.append(f"header: '{first.header[:50]}' heads the first comment")
    invitation = _last_invitation(texts[:best])
    if invitation >= 0:
        evidence.append(f"invitation: '{lines[invitation].text.strip()[:50]}' asks for comments below it")
    elif (asked := _last_invitation(texts[:best], cues.LEAVE_A_COMMENT_RE, "omment")) >= 0:
        evidence.append(f"invitation: '{lines[asked].text.strip()[:50]}' asks for comments")
    if layout is not None and first.after_blank:
        evidence.append("layout: a blank line before it, as before this page's comments")
    reasons = top_reasons("article", article_features(lines, best), +1.0)
    if reasons:
        evidence.append(f"first-comment cues: {', '.join(reasons)} in '{first.text[:50]}'")
    return best, Decision(confidence, tuple(evidence))
