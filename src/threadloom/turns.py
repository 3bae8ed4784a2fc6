"""Speaker turns: a comment span is split where the post author's words and a reader's meet.

Segmentation reads lines and their neighbours; the author model (authorship.py) reads whole
comments with their neighbours and the thread's names. A reader's question and the author's
answer with no cue between them ("By not working what do you mean exactly?" after a reader's
problem) end up in one span. Read as two comments, the part before the line reads as one
speaker and the part from it as the other, each with a clear emission score. So a span of several
lines is tried at the one inner line most likely to start a comment (the highest start logit, if
at least MIN_START_LOGIT), and split there when the two parts' author emissions have opposite
signs and each is at least MIN_TURN_CONFIDENCE as a probability (both chosen on the dev sources).

Emissions, not the chain's marginals: the chain's transitions make the author's writing twice in
a row unlikely, so with them one half of any long answer of the author's would read as a reader's
(on the dev sources, half of such splits were wrong; with emissions alone, a quarter).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter

from .authorship import MODEL, comment_crf_features, name_counts, vocabulary
from .facts import Facts, comment_facts
from .learned import logit, sigmoid
from .model import Decision, Thread
from .segment import Span, TextLine

MIN_TURN_CONFIDENCE = 0.8
MIN_START_LOGIT = -1.0
# On the dev sources, 21 of the 28 splits this made start a gold comment (0.75: what a split is
# worth); 20 of 27 at 0.6.4 (scripts/eval_structure.py --calibration, "turn").
TURN_CONFIDENCE = 0.75
TURN_EVIDENCE = "speaker-turn"  # how a split's evidence begins


def split_at_speaker_turns(thread: Thread, lines: list[TextLine], spans: list[Span], facts: list[Facts],
                           logits: dict[int, float], author_name: str | None
                           ) -> tuple[list[Span], list[Facts]]:
    """`spans` of `lines` (with the `facts` of their texts, and segment.start_logits of the
    lines by index), each split in two where the author model reads the author on one side of a
    line and a reader on the other; the new spans and their facts."""
    author = author_name.split()[0] if author_name else None
    numbers = [line.number for line in lines]
    counts: Counter[str] | None = None
    out_spans: list[Span] = []
    out_facts: list[Facts] = []
    for j, span in enumerate(spans):
        i = _likeliest_inner_start(numbers, logits, span)
        if i is not None:
            counts = name_counts(facts) if counts is None else counts
            # the lines the repair emptied go with the part before (structure.cover_emptied_lines)
            end = thread.last_non_blank(lines[i - 1].end, lines[i].number - 1)
            first = comment_facts(thread.span_text(span.start, end))
            second = comment_facts(thread.span_text(lines[i].number, span.end))
            parts = _part_probabilities(facts, j, first, second, author, counts)
            if parts is not None and min(parts) >= MIN_TURN_CONFIDENCE:
                why = (f"{TURN_EVIDENCE}: the author model reads the lines from '{lines[i].text[:40]}' "
                       f"and those before them as different speakers (at least {min(parts):.2f} sure each)")
                out_spans += [Span(span.start, end, span.decision),
                              Span(lines[i].number, span.end, Decision(TURN_CONFIDENCE, (why,)))]
                out_facts += [first, second]
                continue
        out_spans.append(span)
        out_facts.append(facts[j])
    return out_spans, out_facts


def _likeliest_inner_start(numbers: list[int], logits: dict[int, float], span: Span) -> int | None:
    """The index of the span's inner line with the highest start logit, if that is at least
    MIN_START_LOGIT (the first of equal ones)."""
    inner = range(bisect_right(numbers, span.start), bisect_right(numbers, span.end))
    scored = [(logits[i], -i) for i in inner if i in logits and logits[i] >= MIN_START_LOGIT]
    return -max(scored)[1] if scored else None


def _part_probabilities(facts: list[Facts], j: int, first: Facts, second: Facts, author: str | None,
                        counts: Counter[str]) -> tuple[float, float] | None:
    """With comment j read as `first` then `second`: None when both parts' emissions say the same
    speaker, else how sure each is (the probability its emission gives its own reading)."""
    context = [*facts[max(0, j - 1) : j], first, second, *facts[j + 1 : j + 2]]
    k = 1 if j > 0 else 0  # `first` in context
    words = vocabulary()
    # each part's emission: the author CRF's weighted sum of its features (chain.emissions)
    e_first, e_second = (logit(MODEL, comment_crf_features(context, m, author, counts, words))
                         for m in (k, k + 1))
    if (e_first >= 0) == (e_second >= 0):
        return None
    return sigmoid(abs(e_first)), sigmoid(abs(e_second))
