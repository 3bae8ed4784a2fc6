"""Segmentation v2: the article cut and comment spans from one joint decode (segment_model).

Same API as segment.py's v1 (article_cut, comment_spans, TextLine, Span), so structure.py can call
either. article_cut decodes the whole document; comment_spans re-decodes with the first comment
pinned where the caller says, so a caller that moves the cut still gets a consistent segmentation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .model import Decision, is_hard_wrap
from . import segment_model
from .segment_model import (
    Analysis,
    Posterior,
    analyse,
    changepoint_cut,
    cut_posterior,
    posteriors,
    viterbi,
)

HIGH = 0.9


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


@lru_cache(maxsize=4)
def _posterior(texts: tuple[str, ...], first: int | None) -> Posterior:
    _, temperature = segment_model.shipped_weights()
    return posteriors(_analysis(texts), temperature, first)


def _texts(lines: Sequence[TextLine]) -> tuple[str, ...]:
    return tuple(line.text for line in lines)


def article_cut(lines: Sequence[TextLine]) -> tuple[int, Decision]:
    """Index (into `lines`) of the first comment line, from the best joint segmentation."""
    if not lines:
        return 0, Decision(1.0, ("empty document",))
    texts = _texts(lines)
    weights, _ = segment_model.shipped_weights()
    params = weights.get("param", {})
    cut = changepoint_cut(_analysis(texts), params.get("cut_clip", 4.0), params.get("cut_weight", 2.0))
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
    decoded = viterbi(_analysis(texts), first)
    post = _posterior(texts, first)
    starts = _keep_hard_wraps(texts, decoded.starts)
    bounds = [*starts, len(lines)]
    spans: list[Span] = []
    for s, e in zip(bounds, bounds[1:], strict=False):
        p_start = post.start[s]
        p_end = post.start[e] if e < len(lines) else 1.0
        evidence = (
            f"start posterior {p_start:.2f}, next-start posterior {p_end:.2f}",
            f"opens with '{lines[s].text[:40]}'",
        )
        spans.append(Span(lines[s].number, lines[e - 1].number, Decision(round(p_start, 3), evidence)))
    return spans


def _keep_hard_wraps(texts: Sequence[str], starts: list[int]) -> list[int]:
    """A line hard-wrapped into the next never starts a comment there (model.is_hard_wrap)."""
    first = starts[0]
    return [first] + [s for s in starts[1:] if not is_hard_wrap(texts[s - 1], texts[s])]
