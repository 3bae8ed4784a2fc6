"""Speaker turns (turns.py): a span is split where the author model reads the post author on one
side of a line and a reader on the other."""

from __future__ import annotations

import json
from pathlib import Path

from threadloom.facts import comment_facts
from threadloom.model import Decision
from threadloom.pipeline import process_text
from threadloom.segment import Span
from threadloom.structure import text_lines
from threadloom.turns import MIN_START_LOGIT, TURN_CONFIDENCE, split_at_speaker_turns
from threads import ROSES, make_thread

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "raw" / "000_d56ce07caea43617.txt"
SEED_GOLD = REPO / "tests" / "data" / "seed_gold" / "000_d56ce07caea43617.gold.json"


def _split(groups: list[tuple[int, int]], logit_of_line: dict[int, float]) -> list[tuple[int, int]]:
    """ROSES (article lines 1-4, the author Nora) segmented as `groups`, every inner line's start
    logit far below the threshold except those given (by raw line number)."""
    thread = make_thread(ROSES)
    lines = text_lines(thread)
    spans = [Span(start, end, Decision(0.9, ("test",))) for start, end in groups]
    logits = {i: logit_of_line.get(line.number, -5.0) for i, line in enumerate(lines) if line.number > 4}
    facts = [comment_facts(thread.span_text(s.start, s.end)) for s in spans]
    out, out_facts = split_at_speaker_turns(thread, lines, spans, facts, logits, "Nora")
    assert [f.text for f in out_facts] == [thread.span_text(s.start, s.end) for s in out]
    return [(s.start, s.end) for s in out]


def test_a_line_that_reads_unlike_a_comment_start_is_never_split_at() -> None:
    together = [(5, 5), (6, 6), (7, 8), (9, 9), (10, 12)]
    assert _split(together, {}) == together
    assert _split(together, {8: MIN_START_LOGIT - 0.01}) == together


def test_the_seeds_speaker_turns_mostly_start_comments_of_its_careful_reading() -> None:
    """On the seed (never tuned on), the splits this stage makes against the project's careful
    reading of it: most start a comment there, and each says why."""
    thread = process_text(SEED.read_text(encoding="utf-8"), SEED.name)
    starts = {c["start"] for c in json.loads(SEED_GOLD.read_text(encoding="utf-8"))["comments"]}
    turns = [c for c in thread.comments if c.boundary.evidence[0].startswith("speaker-turn: ")]
    assert len(turns) >= 3
    assert sum(c.raw_line_start in starts for c in turns) >= 0.7 * len(turns)
    assert all(c.boundary.confidence == TURN_CONFIDENCE for c in turns)
