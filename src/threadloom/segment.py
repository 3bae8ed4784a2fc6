"""Comment boundaries: where each comment of the comment section starts and ends.

Each line after the article cut (article.py) gets a learned probability of starting a comment,
from its own cues, its neighbours' and the pair's (shared words, question then answer, a
vocative; and, on a page whose blank lines say where comments start, from those: blank_lines.py),
then the lines are decoded left to right, with rules for what closes a comment (a sign-off, a
signature, a closing formula) and what opens one (a salutation, a header, a widget's line).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import cues
from .blank_lines import BlankLayout, blank_line_layout
from .learned import Features, all_weights, sigmoid, strongest, weights_generation
from .linecues import Terms, cue_weights, line_cues, opener_class, text_features, weigh
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
    cur, prev, nxt = (cue_weights("start", prefix, scale, generation) for prefix, scale in _START_ROLES)
    return weigh(names, cur), weigh(names, prev), weigh(tuple(n for n in names if n in _NEXT_CUES), nxt)


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
# A postscript ("P.S. ...", any length) closes its comment the same way: all 5 on the dev and
# held-out threads went on with the comment above and were its last line (since 0.6.17: before, 0.6.16
# read one as a comment of its own and missed the next comment's start after two others).
CLOSING_LINE_WORDS = 25
# How likely the line after such a closing line opens a comment: (11 + 1) / (11 + 2), add-one
# smoothed (kept when the postscripts came in: with them, (16 + 1) / (16 + 2)).
AFTER_CLOSING_P = 0.92


def is_closing_line(text: str) -> bool:
    """A short line that closes a comment with a closing formula (cues.is_closing_formula), or a
    postscript of any length (cues.is_postscript)."""
    stripped = text.strip()  # the formula's first-word look-up first: most lines hold none
    return ((cues.is_closing_formula(stripped) and len(stripped.split()) <= CLOSING_LINE_WORDS)
            or cues.is_postscript(stripped))


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
    if stripped[:1] in cues.DASHES:
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
