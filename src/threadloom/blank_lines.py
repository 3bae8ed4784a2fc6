"""What a page's blank lines say of where its comments start.

Extracted text keeps blank lines in different ways: none; one after every paragraph (they say
nothing, and `unwrap.blank_line_breaks` drops them); one between comments and none between a
comment's paragraphs (the bodies' line breaks were <br>), or between some of them too; or only
inside comments, where a writer typed them. Which way a page does it is read from the page itself,
against the start model's reading of its words (segment.start_logits): `blank_line_layout` gives
the log odds a blank line before a line, or none, adds to its starting a comment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .learned import sigmoid


@dataclass(frozen=True)
class BlankLayout:
    """How a page's blank lines go with its comments: the chance of a blank line before a line
    that starts a comment, and before one that goes on with a comment."""

    at_start: float
    within: float

    def logit(self, after_blank: bool) -> float:
        """What a blank line before a line (or none) says of its starting a comment (log odds)."""
        if after_blank:
            return math.log(self.at_start / self.within)
        return math.log((1 - self.at_start) / (1 - self.within))

    @property
    def opens_comments(self) -> bool:
        """Do the page's blank lines open its comments (a start far likelier after one, and far
        less likely without)?"""
        return self.logit(True) >= OPENS and self.logit(False) <= -OPENS


# The fit: EM rounds from the start model's reading; pseudo-lines of each kind at the page's own
# blank rate (a few lines say little); the bounds of a rate (so a blank line never outweighs every
# cue of the words: log(0.99 / 0.01) = 4.6).
ROUNDS = 8
PRIOR_LINES = 2.0
RATE_BOUNDS = (0.01, 0.99)
# How much better (log-likelihood) than blank lines at one rate everywhere the page's blank lines
# must be explained: by comments that open after one (nearly all of them; other lines may have one
# too), or by comments that never do (blank lines inside comments only), the rarer layout, so it
# must explain more. Else both rates fitted freely must pass a likelihood-ratio test (chi-squared,
# 1 df, p = 0.05). Chosen on the development benchmark with blank lines inserted between comments,
# and at random (none of its pages then passed the first two).
OPENING_GAIN = 1.0
INSIDE_GAIN = 3.0
FREE_TEST = 3.84
OPENS = 1.0  # log odds, both ways, for the evidence to say the blank lines open comments


def blank_line_layout(after_blank: list[bool], logits: list[float]) -> BlankLayout | None:
    """How the blank lines of a comment section go with its comments (`after_blank`: one flag per
    line, whether a blank line comes before it; `logits`: the start model's, per line), or None
    when they say nothing: no line or every line comes after one, or they do not go with the
    comments. The section is read as a mixture of two kinds of line: each starts a comment with
    the start model's probability, and has a blank line before it at its kind's rate; EM fits the
    rates with the words' reading held fixed, so the blank lines weigh in as far as they agree with
    the words, and stray blank lines (around code, a quote) are not made a layout."""
    blanks = sum(after_blank)
    if not blanks or blanks == len(after_blank):
        return None
    rate = blanks / len(after_blank)
    alone = blanks * math.log(rate) + (len(after_blank) - blanks) * math.log(1 - rate)
    starts = [sigmoid(logit) for logit in logits]
    low, high = RATE_BOUNDS
    opening = _fit(after_blank, logits, at_start=high)
    if _log_likelihood(after_blank, starts, opening) - alone >= OPENING_GAIN:
        return opening
    inside = _fit(after_blank, logits, at_start=low)
    if _log_likelihood(after_blank, starts, inside) - alone >= INSIDE_GAIN:
        return inside
    free = _fit(after_blank, logits)
    return free if 2 * (_log_likelihood(after_blank, starts, free) - alone) >= FREE_TEST else None


def _fit(after_blank: list[bool], logits: list[float], at_start: float | None = None) -> BlankLayout:
    """The rates EM fits (`at_start`, when given, held at that value)."""
    blanks = sum(after_blank)
    rate = blanks / len(after_blank)
    low, high = RATE_BOUNDS
    layout = BlankLayout(rate if at_start is None else at_start, rate)
    for _ in range(ROUNDS):
        after, other = layout.logit(True), layout.logit(False)
        starts = [sigmoid(logit + (after if flag else other))
                  for logit, flag in zip(logits, after_blank, strict=True)]
        started = sum(starts)
        started_after = sum(p for p, flag in zip(starts, after_blank, strict=True) if flag)
        fitted = (started_after + PRIOR_LINES * rate) / (started + PRIOR_LINES)
        within = (blanks - started_after + PRIOR_LINES * rate) / (len(after_blank) - started + PRIOR_LINES)
        layout = BlankLayout(min(max(fitted, low), high) if at_start is None else at_start,
                             min(max(within, low), high))
    return layout


def _log_likelihood(after_blank: list[bool], starts: list[float], layout: BlankLayout) -> float:
    """Of the blank lines under `layout`, each line a start with its probability in `starts`."""
    return sum(
        math.log(p * (layout.at_start if flag else 1 - layout.at_start)
                 + (1 - p) * (layout.within if flag else 1 - layout.within))
        for p, flag in zip(starts, after_blank, strict=True)
    )
