"""Segmentation v2: the article cut (change point) and comment spans (length-aware Viterbi).

Same API as segment.py's v1 (article_cut, comment_spans, TextLine, Span), so structure.py can call
either. Both functions share one cached per-line analysis of the document (segment_model.analyse);
comment_spans decodes from whatever first-comment index the caller passes, so a caller that moves
the cut still gets a consistent segmentation.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from . import cues, segment_model
from .model import Decision, is_hard_wrap
from .segment_model import (
    NEG,
    Analysis,
    analyse,
    changepoint_cut,
    cut_posterior,
    decode_comments,
    start_posteriors,
)


@dataclass(frozen=True)
class TextLine:
    """A non-blank raw line: its 1-based number and repaired text."""

    number: int
    text: str


@dataclass(frozen=True)
class Span:
    start: int  # 1-based raw line numbers, inclusive
    end: int
    decision: Decision


@lru_cache(maxsize=4)
def _analysis(texts: tuple[str, ...]) -> Analysis:
    """Cached: article_cut and comment_spans of one document share the per-line scores."""
    weights, _ = segment_model.shipped_weights()
    return analyse(texts, weights)


def _texts(lines: Sequence[TextLine]) -> tuple[str, ...]:
    return tuple(line.text for line in lines)


def article_cut(lines: Sequence[TextLine]) -> tuple[int, Decision]:
    """Index (into `lines`) of the first comment line, from the best joint segmentation."""
    if not lines:
        return 0, Decision(1.0, ("empty document",))
    texts = _texts(lines)
    weights, _ = segment_model.shipped_weights()
    params = weights.get("param", {})
    cut = changepoint_cut(
        _analysis(texts),
        params.get("cut_clip", 8.0),
        params.get("cut_weight", 4.0),
        params.get("cut_start_weight", 1.0),
    )
    first = cut.first
    confidence = round(cut_posterior(cut, params.get("cut_temperature", 1.0))[first], 3)
    evidence = [
        f"change-point: comments begin at line {lines[first].number} "
        f"(posterior {confidence:.2f} over all cuts)"
    ]
    if first:
        evidence.append(f"last article line: '{lines[first - 1].text[:50]}'")
    evidence.append(f"first comment line: '{lines[first].text[:50]}'")
    return first, Decision(confidence, tuple(evidence))


def comment_spans(lines: Sequence[TextLine], first: int, author_name: str | None = None) -> list[Span]:
    """Split lines[first:] into comments; each span's confidence is the posterior of its start.

    author_name is accepted for API compatibility; vocatives are already cues of every line.
    """
    del author_name
    if first >= len(lines):
        return []
    texts = _texts(lines)
    analysis = _pin_continuations(_analysis(texts), texts, first)
    _, temperature = segment_model.shipped_weights()
    starts = decode_comments(analysis, first)
    post = start_posteriors(analysis, first, temperature)
    bounds = [*starts, len(lines)]
    spans: list[Span] = []
    for s, e in itertools.pairwise(bounds):
        p_start = post[s]
        p_end = post[e] if e < len(lines) else 1.0
        evidence = (
            f"start posterior {p_start:.2f} (start score {analysis.start[s]:+.1f}), "
            f"next-start posterior {p_end:.2f}",
            f"opens with '{lines[s].text[:40]}'",
        )
        spans.append(Span(lines[s].number, lines[e - 1].number, Decision(round(p_start, 3), evidence)))
    return spans


def _pin_continuations(analysis: Analysis, texts: Sequence[str], first: int) -> Analysis:
    """Lines that can only carry on the comment before them never start one: a line hard-wrapped
    from the previous one (model.is_hard_wrap), a "Cheers,"-style sign-off that ends in a comma
    (it introduces the writer's name), and the name line right after such a sign-off."""
    pinned = [
        i
        for i in range(first + 1, len(texts))
        if is_hard_wrap(texts[i - 1], texts[i]) or _closes(texts[i - 1], texts[i])
    ]
    if not pinned:
        return analysis
    start = list(analysis.start)
    for i in pinned:
        start[i] = NEG
    return replace(analysis, start=start)


def _closes(prev: str, cur: str) -> bool:
    if cues.is_sign_off(cur) and cur.rstrip().endswith(","):
        return True
    return cues.is_sign_off(prev) and prev.rstrip().endswith(",") and cues.signature_name(cur) is not None
