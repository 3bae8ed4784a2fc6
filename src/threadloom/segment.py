"""Segmentation: where the article stops, and where each comment starts and ends.

The article cut is chosen globally: every line gets a learned probability of reading like a comment,
and the cut is the split that best explains all lines (article-like before, comment-like after).
Comment starts are scored from each line and its neighbours (and, on a page whose blank lines say
where comments start, from those: blank_lines.py), then decoded left to right.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from . import cues, furniture
from .blank_lines import BlankLayout, blank_line_layout
from .cueset import CueSet
from .learned import Features, all_weights, probability, sigmoid, strongest, top_reasons, weights_generation
from .memo import line_memo
from .model import Decision
from .unwrap import is_hard_wrap


@dataclass(frozen=True)
class TextLine:
    """What inference reads as one line: a non-blank raw line (its 1-based number and repaired
    text), or a paragraph a client hard-wrapped over raw lines number..last, joined (unwrap.py)."""

    number: int
    text: str
    last: int = 0  # the last raw line, when it is not `number`
    after_widget: bool = False  # a comment widget's line ("Reply") comes right before it
    header: str = ""  # a comment header ("Paul says:") right before it, as read: it opens a comment
    header_line: int = 0  # that header's (first) raw line number, where the comment it opens begins
    header_name: str | None = None  # the writer's name the header gives
    footer: str = ""  # a comment footer right before it ("Posted by: Paul | March 3, 2013"): a comment ended
    after_blank: bool = False  # a blank line comes before it, on a page whose blank lines mean something

    @property
    def opening(self) -> int:
        """The raw line a comment that starts here begins at: its header's, if it has one."""
        return self.header_line or self.number

    @property
    def end(self) -> int:
        return self.last or self.number


@dataclass(frozen=True)
class Span:
    start: int  # 1-based raw line numbers, inclusive
    end: int
    decision: Decision


def _length_cue(n: int) -> str:
    """A line's length in words, bucketed: its cue name (shared strings, not built per line)."""
    for limit, cue in ((3, "len=1-3"), (8, "len=4-8"), (20, "len=9-20"), (50, "len=21-50")):
        if n <= limit:
            return cue
    return "len=50+"


@line_memo(maxsize=16384)
def opener_class(text: str) -> str:
    """What kind of word opens this line: greeting, thanks, praise, answer, connective, i, other."""
    word = cues.first_word(text)
    found = cues.opener_lexicon(word)
    if found:
        return found
    if word in cues.CONNECTIVES:
        return "connective"
    if text.lstrip().startswith("@"):
        return "at"
    if word in ("i", "i'm", "i've", "i'd", "i'll", "im"):
        return "i"
    return "other"


# The cue name of each class opener_class gives.
_OPENER_CLASSES = (*(name for name, _ in cues.OPENER_LEXICONS), "connective", "at", "i", "other")
_OPENER_CUES = {name: f"open={name}" for name in _OPENER_CLASSES}


def text_features(text: str, prefix: str) -> Features:
    """Shape and cue features of one line, named with a prefix ("cur", "prev", ...)."""
    return {f"{prefix}:{name}": 1.0 for name in line_cues(text)}


# Lower-case regex cues of a line's wording, in line_cues' order.
_WORDING_CUES = (
    ("has_you", cues.SECOND_PERSON_RE),
    ("has_i", cues.FIRST_PERSON_RE),
    ("praise_post", cues.PRAISE_POST_RE),
    ("reader", cues.READER_RE),
    ("author_self", cues.AUTHOR_SELF_RE),
    ("emoticon", cues.EMOTICON_RE),
    ("thanks_again", cues.THANKS_AGAIN_RE),
)
_WORDING_NAMES = tuple(name for name, _ in _WORDING_CUES)
# The wording cues and the call to action, searched together (cueset.py: one pass with RE2).
_LINE_REGEXES = CueSet((*_WORDING_CUES, ("call_to_action", cues.CALL_TO_ACTION_RE)))


@line_memo(maxsize=8192)
def line_cues(text: str) -> tuple[str, ...]:
    """The cue names that hold for one line, in a fixed order; cached because each line is seen
    up to six times. (Appended one by one: a dict of twenty flags per line cost a tenth of it.)"""
    stripped = text.strip()
    n_words = len(stripped.split())
    ends_sentence = cues.ends_sentence(stripped)
    found = [_length_cue(n_words), _OPENER_CUES[opener_class(stripped)]]
    cue_text = cues.head_tail(stripped)
    low = cue_text.lower()  # the cue regexes match lower-case text
    add = found.append
    if cues.is_code(stripped):
        add("code")
    if cues.BULLET_RE.match(stripped):
        add("bullet")
    if stripped[:1].islower():
        add("lower")
    end = cues.without_trailing_emoticons(stripped)  # "Why? ;)" still asks
    if end.endswith("?"):
        add("ends_q")
    if end.endswith(":"):
        add("ends_colon")
    if end.endswith(","):
        add("ends_comma")
    if not ends_sentence:
        add("no_terminal")
    matched = _LINE_REGEXES.matching(low)
    if matched:
        found += [name for name in _WORDING_NAMES if name in matched]
    if "!" in stripped:
        add("exclaim")
    if cues.mentions(cue_text):
        add("vocative")
    if cues.is_sign_off(stripped):
        add("sign_off")
    if cues.signature_name(stripped) is not None:
        add("signature")
    if "call_to_action" in matched:
        add("call_to_action")
    if "http" in stripped or "www." in stripped:
        add("url")
    if n_words <= 8 and not ends_sentence and stripped[:1].isupper():
        add("heading")
    return tuple(found)


# ---- article / comments cut ------------------------------------------------------------------


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


Cues = tuple[str, ...]  # a line's line_cues


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
        return "sign_off" in above or text.lstrip()[:1] in _DASHES
    return "sign_off" in above2 and "signature" in above and cues.is_affiliation(text)


_DASHES = frozenset("-–—~")


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


@lru_cache(maxsize=16)
def _cue_weights(model: str, prefix: str, scale: float, _generation: int) -> dict[str, float]:
    """`model`'s weight of each cue name as the feature f"{prefix}:{name}" with value `scale`
    (weight * scale, the product a feature dict gives): a look-up per cue, not a name built per
    cue of every line. Keyed on learned.weights_generation, so swapped weights are not served."""
    head = prefix + ":"
    weights = all_weights().get(model, {})
    return {key[len(head) :]: weight * scale for key, weight in weights.items() if key.startswith(head)}


Terms = tuple[float, ...]


@lru_cache(maxsize=4096)
def _article_terms(names: tuple[str, ...], generation: int) -> tuple[Terms, Terms, Terms]:
    """The article model's terms for a line with these cues (line_cues), in their order: as the
    line's own ("cur:"), and at half weight as the line before's ("prev:") and after's ("next:").
    Cached by cues, not by line: a document's lines share a few hundred cue tuples."""
    cur, prev, nxt = (_cue_weights("article", prefix, scale, generation) for prefix, scale in _ARTICLE_ROLES)
    return _weigh(names, cur), _weigh(names, prev), _weigh(names, nxt)


_ARTICLE_ROLES = (("cur", 1.0), ("prev", 0.5), ("next", 0.5))


def _weigh(names: tuple[str, ...], weights: dict[str, float]) -> Terms:
    """Each cue's weight, in the cues' order (0.0 for a cue the model has no weight for)."""
    return tuple([weights.get(name, 0.0) for name in names])


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


# ---- comment boundaries ----------------------------------------------------------------------


# A greeting line this short ("Hi Ann,", "Hello! Many thanks for this post.") opens the comment the
# next line goes on with: none of the 15 on the dev threads was a whole comment, nor of the 8 on the
# held-out threads and the seed (4 words, until 0.6.12: 4 of the 23 have 5 to 8).
GREETING_LINE_WORDS = 8

# Cues that address someone at the very start of a line: a comment opening to its addressee.
OPENING_CUES = ("greeting-vocative", "opening-vocative", "at-mention")


def start_features(prev: str, cur: str, nxt: str | None, author_name: str | None = None) -> Features:
    """Does `cur` start a new comment, given the line before it and the one after?"""
    feats: Features = {"bias": 1.0}
    feats.update(text_features(cur, "cur"))
    feats.update(text_features(prev, "prev"))
    if nxt is not None:
        nf = text_features(nxt, "next")
        feats.update({k: 0.5 * v for k, v in nf.items() if k.split(":")[1] in _NEXT_CUES})
    feats.update(_pair_features(prev, cur, author_name))
    return feats


def _pair_features(prev: str, cur: str, author_name: str | None) -> list[tuple[str, float]]:
    """What the line before says about this one: wrapping, shared words, question then answer,
    vocatives and greetings."""
    feats: list[tuple[str, float]] = []
    if is_hard_wrap(prev, cur):
        feats.append(("hard_wrap", 1.0))
    prev_words = cues.content_words(prev)
    cur_words = cues.content_words(cur)
    if prev_words and cur_words:
        overlap = len(prev_words & cur_words) / min(len(prev_words), len(cur_words))
        feats.append(("overlap", round(overlap, 3)))
    if opener_class(prev) == "greeting" and len(prev.split()) <= GREETING_LINE_WORDS:  # the memo first
        feats.append(("prev_greeting_line", 1.0))
    opener = opener_class(cur)
    if cues.is_closing_formula(cur):  # on the dev threads 8 of 9 such lines ended a comment
        feats.append(("closing_formula", 1.0))
    if prev.rstrip().endswith("?") and opener in ("answer", "thanks"):
        feats.append(("question_then_answer", 1.0))
    if opener == "thanks" and len(cur.split()) <= 3:
        feats.append(("short_thanks_line", 1.0))
    addressed = cues.mentions(cur)
    if addressed and any(m.cue in OPENING_CUES for m in addressed):  # most lines address no one
        feats.append(("cur_opens_with_vocative", 1.0))
    if cues.is_code(prev) and cues.is_code(cur):
        feats.append(("both_code", 1.0))
    if author_name and addressed and any(m.name == author_name for m in addressed):
        feats.append(("cur_addresses_author", 1.0))
    return feats


# what start_features reads of the line after
_NEXT_CUES = ("code", "bullet", "lower", "sign_off", "signature")


@lru_cache(maxsize=4096)
def _start_terms(names: tuple[str, ...], generation: int) -> tuple[Terms, Terms, Terms]:
    """The start model's terms for a line with these cues (line_cues) as `start_features` names
    them: "cur:", "prev:", and "next:" at half weight and only _NEXT_CUES, in the same order."""
    cur, prev, nxt = (_cue_weights("start", prefix, scale, generation) for prefix, scale in _START_ROLES)
    return _weigh(names, cur), _weigh(names, prev), _weigh(tuple(n for n in names if n in _NEXT_CUES), nxt)


_START_ROLES = (("cur", 1.0), ("prev", 1.0), ("next", 0.5))


def start_logit(prev: str, cur: str, nxt: str | None, author_name: str | None = None) -> float:
    """`logit("start", start_features(...))` without building the feature dict: the same terms
    summed in the same order, so the same float (a test checks). The article cut scores this for
    every cut it considers and comment_spans for every line."""
    return _start_logit(prev, cur, nxt, _pair_features(prev, cur, author_name))


def _start_logit(prev: str, cur: str, nxt: str | None, pair: list[tuple[str, float]]) -> float:
    """`start_logit` given the pair's `_pair_features`."""
    generation = weights_generation()
    get = all_weights().get("start", {}).get
    terms = [get("bias", 0.0) * 1.0, *_start_terms(line_cues(cur), generation)[0]]
    terms += _start_terms(line_cues(prev), generation)[1]
    if nxt is not None:
        terms += _start_terms(line_cues(nxt), generation)[2]
    for name, value in pair:
        terms.append(get(name, 0.0) * value)
    return sum(terms)


def _start_reasons(prev: str, cur: str, nxt: str | None, pair: list[tuple[str, float]]) -> list[str]:
    """`top_reasons("start", start_features(...), +1.0)` from the terms `_start_logit` sums (the
    same products): a feature name is built only for a term that pushes towards a start."""
    generation = weights_generation()
    cur_cues, prev_cues = line_cues(cur), line_cues(prev)
    parts = [("cur:", cur_cues, _start_terms(cur_cues, generation)[0]),
             ("prev:", prev_cues, _start_terms(prev_cues, generation)[1])]
    if nxt is not None:
        next_cues = line_cues(nxt)
        read = tuple(name for name in next_cues if name in _NEXT_CUES)
        parts.append(("next:", read, _start_terms(next_cues, generation)[2]))
    scored = [
        (term, prefix + name)
        for prefix, names, terms in parts
        for name, term in zip(names, terms, strict=True)
        if term > 0
    ]
    get = all_weights().get("start", {}).get
    scored += [(get(name, 0.0) * value, name) for name, value in pair]
    return strongest(scored)


def start_probability(prev: str, cur: str, nxt: str | None, author_name: str | None = None) -> float:
    return sigmoid(start_logit(prev, cur, nxt, author_name))


# How likely a salutation line ("Ben,", "Hi Andy,", "Hello,") opens a comment: all 12 such lines
# of the dev threads did, so (12 + 1) / (12 + 2), add-one smoothed (and the 6 of the held-out
# threads and the seed). The start model read two of them as the comment above's last line.
SALUTATION_P = 0.93
SALUTATION_WORDS = 4  # "Hi Mary Ann," at most


def is_salutation(text: str) -> bool:
    """A line that only greets or addresses someone ("Ben,", "Hi Andy,", "Hello all,"), as a letter
    opens: no sign-off ("Cheers,", "Thanks,", which close a comment over a name)."""
    stripped = text.strip()
    if not stripped.endswith(",") or len(stripped.split()) > SALUTATION_WORDS or cues.is_sign_off(stripped):
        return False
    if opener_class(stripped) == "greeting":
        return True
    whole = stripped[:-1].strip()
    return any(m.cue in OPENING_CUES and m.words.rstrip(",") == whole for m in cues.mentions(stripped))


def closes_comment(prev: str, cur: str) -> bool:
    """A sign-off followed by a name ("Cheers," / "Marta"), a lone sign-off ending a comment, or a
    closing formula (`is_closing_line`): each closes the comment before it rather than opens a new one."""
    if cues.is_sign_off(prev) and prev.rstrip().endswith(",") and cues.signature_name(cur):
        return True
    if cues.is_sign_off(cur) and len(cur.split()) <= 3 and cur.rstrip().endswith((",", "!", ".")):
        return True
    return is_closing_line(cur)


# A line opening with a closing formula ("Hope this helps!", "Let me know how it goes.", "Any
# thoughts?") and this short ends the comment it is in, and the next line opens another: so did all
# 11 such lines of up to 21 words in the comment sections of the dev and held-out threads (the
# held-out blogs' errors showed the pattern; 8 of the 11 are dev's). The one longer line, of 80
# words, opened a comment. (The start model's own "closing_formula" cue weighs -0.45: too little.)
CLOSING_LINE_WORDS = 25
# How likely the line after such a closing line opens a comment: (11 + 1) / (11 + 2), add-one smoothed.
AFTER_CLOSING_P = 0.92


def is_closing_line(text: str) -> bool:
    """A short line that closes a comment with a closing formula (cues.is_closing_formula)."""
    stripped = text.strip()  # the formula's first-word look-up first: most lines hold none
    return cues.is_closing_formula(stripped) and len(stripped.split()) <= CLOSING_LINE_WORDS


def closed_by_formula(prev: str, cur: str) -> bool:
    """`prev` is a closing line (`is_closing_line`) and `cur` neither a signature nor a sign-off
    under it ("Cheers," / "Mike"): the next comment starts at `cur`."""
    return is_closing_line(prev) and cues.signature_name(cur) is None and not cues.is_sign_off(cur)


def closed_by_sign_off(prev: str, cur: str) -> bool:
    """`prev` is a lone sign-off that ends its comment ("Best", "Cheers."; not "Cheers," which
    a name follows, nor "best." ending a hard-wrapped sentence), and `cur` is no signature: the
    next comment starts at `cur`."""
    stripped = prev.strip()
    return (stripped[:1].isupper() and cues.is_sign_off(stripped) and len(stripped.split()) <= 3
            and not stripped.endswith(",") and cues.signature_name(cur) is None)


def signed_off(before: str | None, prev: str, cur: str) -> bool:
    """`prev` is a signature that closes its comment (`closing_signature`), and `cur` is not the
    rest of it (a short affiliation line): the next comment starts at `cur`."""
    if len(cur.split()) <= 3 or cues.is_code(cur):
        return False  # an affiliation; or "Change" then code: a word introducing a snippet
    return closing_signature(before, prev)


def closing_signature(before: str | None, line: str) -> bool:
    """`line` is a signature that closes its comment: "Marta" under "Cheers,", "-Joe", a lone
    name after a finished sentence (`before`: the line above it)."""
    stripped = line.strip()
    if stripped.endswith(",") or cues.signature_name(stripped) is None:
        return False
    if stripped[:1] in _DASHES:
        return True
    if before is None:
        return False
    return cues.is_sign_off(before) or (cues.ends_sentence(before) and not before.rstrip().endswith(":"))


def start_logits(lines: list[TextLine], first: int, author_name: str | None = None) -> dict[int, float]:
    """`start_logit` of every line after lines[first], by its index in `lines`: what
    comment_spans decodes, and where the speaker-turn stage may split a span (turns.py)."""
    return {
        i: start_logit(lines[i - 1].text, lines[i].text, lines[i + 1].text if i + 1 < len(lines) else None,
                       author_name)
        for i in range(first + 1, len(lines))
    }


def section_layout(lines: list[TextLine], first: int, logits: dict[int, float]) -> BlankLayout | None:
    """What the blank lines of the comment section lines[first:] say of its comments (blank_lines.py),
    given the start model's `logits` (start_logits)."""
    indices = range(first + 1, len(lines))
    return blank_line_layout([lines[i].after_blank for i in indices], [logits[i] for i in indices])


def with_layout(
    lines: list[TextLine], logits: dict[int, float], layout: BlankLayout | None
) -> dict[int, float]:
    """The start logits with what the page's blank lines say (`section_layout`) added."""
    if layout is None:
        return logits
    after, other = layout.logit(True), layout.logit(False)
    return {i: logit + (after if lines[i].after_blank else other) for i, logit in logits.items()}


# The page's furniture (a comment's header, a footer, a widget's "Reply" under the comment above)
# opens at least this share of the comments read without it (two in three: the start model splits
# some comments in two): a page that heads or ends every comment, so that a line without it goes
# on with the comment above. A page that dates only its top-level comments (about half), or puts
# a "Reply" under them only, leaves its replies to the start model. (Before 0.6.8 a widget's line
# counted only on pages with headers or footers.)
DELIMITING_SHARE = 2 / 3


def comment_spans(lines: list[TextLine], first: int, author_name: str | None = None,
                  logits: dict[int, float] | None = None, layout: BlankLayout | None = None) -> list[Span]:
    """Split lines[first:] into comments; each span gets a Decision on its start. `logits`:
    start_logits(lines, first, author_name), when the caller has them, with the page's blank-line
    `layout` added (`with_layout`); without logits, both are found here."""
    if first >= len(lines):
        return []
    if logits is None:
        logits = start_logits(lines, first, author_name)
        layout = section_layout(lines, first, logits)
        logits = with_layout(lines, logits, layout)
    spans = _decode_spans(lines, first, author_name, logits, delimited=False, layout=layout)
    # where a header opens a comment, or a footer or a widget's line ends the one before
    delimiters = _openings(lines, first)
    if len(delimiters) >= 2:
        headed = sum(1 for span in spans[1:] if span.start in delimiters)  # spans that open at one
        if headed >= 2 and headed >= DELIMITING_SHARE * (len(spans) - 1):
            return _decode_spans(lines, first, author_name, logits, delimited=True)
    return spans


def furniture_opens_each(lines: list[TextLine], first: int, spans: list[Span]) -> bool:
    """Does the page's furniture (a header, a footer, a widget's "Reply") open every comment of
    `spans` (comment_spans of lines[first:]) after the first? Then the page says where its
    comments meet."""
    opened = _openings(lines, first)
    return len(spans) > 1 and all(span.start in opened for span in spans[1:])


def _openings(lines: list[TextLine], first: int) -> set[int]:
    """The raw lines where the page's furniture opens a comment after lines[first]: a header over
    it, a footer or a widget's line under the comment before."""
    return {line.opening for line in lines[first + 1 :] if line.header or line.footer or line.after_widget}


# How much a signature on the next line ("Marta", "-Joe") counts against a line opening a comment
# (log odds): on the dev and held-out threads and the seed, each of the 11 lines over a signature
# ended a comment of several lines, none was a comment of its own.
SIGNED_BELOW = 2.0


def _signatures(lines: list[TextLine], first: int) -> set[int]:
    """The indices of the lines after lines[first] that are a signature closing its comment (a
    signature closes the comment it is in; on the last line, nothing can be the rest of it)."""
    last = len(lines) - 1
    return {i for i in range(first + 1, len(lines))
            if (signed_off(lines[i - 1].text, lines[i].text, lines[i + 1].text) if i < last
                else closing_signature(lines[i - 1].text, lines[i].text))}


def _decode_spans(lines: list[TextLine], first: int, author_name: str | None, logits: dict[int, float],
                  delimited: bool, layout: BlankLayout | None = None) -> list[Span]:
    """comment_spans' decoding, left to right; `delimited`: only the page's furniture (a header, a
    widget's line, a footer) opens comments; `layout`: the page's blank lines, in `logits`, named
    in the evidence where they open comments."""
    opening = layout if layout is not None and layout.opens_comments else None
    spans: list[Span] = []
    start = first
    start_decision = Decision(0.9, ("first line after the article cut",))
    signatures = _signatures(lines, first)
    prev_signs = False  # the line before is a signature that closes its comment (signed_off)
    for i in range(first + 1, len(lines)):
        nxt = lines[i + 1].text if i + 1 < len(lines) else None
        signs = i in signatures
        # the line over a signature ends the comment it signs, and is seldom the whole of it
        p = sigmoid(logits[i] - SIGNED_BELOW) if i + 1 in signatures else sigmoid(logits[i])
        closer = ""  # the cue that ends the comment before this line (a salutation: opens this one)
        if lines[i].header:
            p, closer = max(p, 0.97), "header"
        elif lines[i].after_widget:
            p, closer = max(p, 0.97), "widget"
        elif lines[i].footer:
            p, closer = max(p, 0.97), "footer"
        elif delimited:
            p = min(p, 0.1)  # no header of its own: it goes on with the comment above
        elif closes_comment(lines[i - 1].text, lines[i].text) or signs:
            p = min(p, 0.05)  # a sign-off or a signature ends the comment it is in
        elif cues.is_quotation(lines[i - 1].text):
            p = min(p, 0.05)  # the answer to a quoted line is in the comment that quoted it
        elif is_salutation(lines[i].text):
            p, closer = max(p, SALUTATION_P), "salutation"
        elif i - 1 > start and prev_signs:
            p, closer = max(p, 0.95), "signature"
        elif i - 1 > start and closed_by_sign_off(lines[i - 1].text, lines[i].text):
            p, closer = max(p, 0.95), "sign-off"
        elif i - 1 > start and closed_by_formula(lines[i - 1].text, lines[i].text):
            p, closer = max(p, AFTER_CLOSING_P), "closing"
        prev_signs = signs
        if p >= 0.5:
            spans.append(Span(lines[start].opening, lines[i - 1].end, start_decision))
            if closer == "header":
                evidence = f"header: '{lines[i].header[:60]}' opens this comment"
            elif closer == "widget":
                evidence = "widget: a comment widget's line (\"Reply\") closes the comment before"
            elif closer == "footer":
                evidence = f"footer: '{lines[i].footer[:60]}' closes the comment before"
            elif closer == "salutation":
                evidence = f"salutation: '{lines[i].text.strip()[:40]}' opens a comment, as a letter opens"
            elif closer:
                evidence = f"{closer}: '{lines[i - 1].text[:40]}' closes the comment before"
            else:
                pair = _pair_features(lines[i - 1].text, lines[i].text, author_name)
                reasons = _start_reasons(lines[i - 1].text, lines[i].text, nxt, pair)
                evidence = f"start-cues: {', '.join(reasons) or 'line shape'} at '{lines[i].text[:40]}'"
                if opening is not None and lines[i].after_blank:
                    evidence += (f"; layout: a blank line before it (on this page {opening.at_start:.2f} of"
                                 f" comment starts have one, {opening.within:.2f} of other lines)")
            start_decision = Decision(round(p, 3), (evidence,))
            start = i
    spans.append(Span(lines[start].opening, lines[-1].end, start_decision))
    return spans
