#!/usr/bin/env python3
"""Leave-one-source-out cross-validation of comment segmentation over the bench's dev sources.

Usage:
  python scripts/cv_segment.py [--bench /work/shared/bench] [--docs DIR] [--min-conf medium]

For every dev source (the file-name prefix before "_"), the segmentation models ("article" and
"start") are trained exactly as scripts/train_segment.py trains them, on the other dev sources
only, and the held-back source's documents are segmented by the full structure inference with
those weights. Boundary F1 and exact-span accuracy are the bench's own (score.py's score_doc),
printed per source, pooled over all dev documents (micro) and as a macro average over sources
(one source holds most of the dev documents). --gold-cut scores the comment starts alone, after
the gold article cut (a diagnostic: the bench's metrics count the cut's errors too). The held-out
sources (eval_structure.py, HELD_OUT_SOURCES) are never read. Deterministic: training has no
randomness.

The fold's weights replace the shipped "article" and "start" models in the in-memory weight table
(learned.swap_weights, which also retires caches derived from the weights), restored at the end.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eval_structure import (
    DEFAULT_BENCH,
    build_thread,
    empty_acc,
    flatten_bench,
    load_module,
    predictions,
    source_of,
)
from threadloom.learned import swap_weights
from threadloom.model import Thread
from threadloom.segment import comment_spans
from threadloom.speakers import learn_author_name
from threadloom.structure import cover_emptied_lines, infer_structure, text_lines
from train_segment import dev_documents, train_models

Document = tuple[dict[str, Any], str]
Trainer = Callable[[list[Document]], dict[str, dict[str, float]]]
Reader = Callable[[Thread, dict[str, Any]], list[dict[str, Any]]]  # a thread and its gold -> rows


def segmentation_scores(acc: dict[str, int]) -> tuple[float, float]:
    """(boundary F1, exact-span accuracy) from score.py's counters."""
    tp, fp, fn = acc["b_tp"], acc["b_fp"], acc["b_fn"]
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return f1, (acc["span_ok"] / acc["span_n"] if acc["span_n"] else 0.0)


def gold_cut_rows(thread: Thread, gold: dict[str, Any]) -> list[dict[str, Any]]:
    """Comment rows from the comment-start decoding alone, after the gold article cut (as
    infer_structure segments, minus the cut): isolates comment starts from the article cut."""
    lines = text_lines(thread)
    first = sum(1 for line in lines if line.number <= gold["article"]["end"])
    author = learn_author_name([line.text for line in lines[first:]],
                               article=[line.text for line in lines[:first]]).name
    spans = comment_spans(lines, first, author.split()[0] if author else None)
    _, spans = cover_emptied_lines(thread, gold["article"]["end"], spans)
    return [
        {
            "comment_id": f"c{i}",
            "parent_id": None,
            "is_post_author": False,
            "speaker_name": None,
            "raw_line_start": s.start,
            "raw_line_end": s.end,
        }
        for i, s in enumerate(spans)
    ]


def inferred_rows(thread: Thread, gold: dict[str, Any]) -> list[dict[str, Any]]:
    """Comment rows from the full inference, as a build writes them (`gold` unread)."""
    del gold
    return predictions(infer_structure(thread))


def cross_validate(
    docs: list[Document],
    score: Any,
    min_rank: int,
    trainer: Trainer = train_models,
    read: Reader = inferred_rows,
) -> dict[str, dict[str, int]]:
    """score.py counters per held-back source, each read by `read` (the full inference, or e.g.
    gold_cut_rows: the comment starts after the gold article cut) with weights trained without it."""
    sources = sorted({source_of(gold["doc"]) for gold, _ in docs})
    per_source: dict[str, dict[str, int]] = {}
    for held in sources:
        train = [d for d in docs if source_of(d[0]["doc"]) != held]
        acc = empty_acc()
        with swap_weights(trainer(train)):
            for gold, text in docs:
                if source_of(gold["doc"]) == held:
                    score.score_doc(gold, read(build_thread(text, gold["doc"]), gold), min_rank, acc)
        per_source[held] = acc
    return per_source


def report(per_source: dict[str, dict[str, int]]) -> dict[str, float]:
    """Print per-source, pooled and macro scores; return the summary numbers."""
    pooled = empty_acc()
    rows = []
    for source, acc in sorted(per_source.items()):
        for key, value in acc.items():
            pooled[key] += value
        rows.append((source, acc["span_n"], *segmentation_scores(acc)))
    print(f"{'source':14}{'comments':>9}{'boundary_f1':>13}{'exact_span':>12}{'tp':>6}{'fp':>6}{'fn':>6}")
    for source, n, f1, exact in rows:
        acc = per_source[source]
        print(f"{source:14}{n:>9}{f1:>13.4f}{exact:>12.4f}{acc['b_tp']:>6}{acc['b_fp']:>6}{acc['b_fn']:>6}")
    f1, exact = segmentation_scores(pooled)
    macro_f1 = sum(r[2] for r in rows) / len(rows)
    macro_exact = sum(r[3] for r in rows) / len(rows)
    print(
        f"{'pooled':14}{pooled['span_n']:>9}{f1:>13.4f}{exact:>12.4f}"
        f"{pooled['b_tp']:>6}{pooled['b_fp']:>6}{pooled['b_fn']:>6}"
    )
    print(f"{'macro':14}{len(rows):>9}{macro_f1:>13.4f}{macro_exact:>12.4f}")
    return {"pooled_f1": f1, "pooled_exact": exact, "macro_f1": macro_f1, "macro_exact": macro_exact}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--docs", type=Path, help="an already flattened bench folder (raw/, gold/)")
    ap.add_argument("--min-conf", default="medium", choices=["low", "medium", "high"])
    ap.add_argument("--gold-cut", action="store_true", help="score comment starts after the gold article cut")
    ap.add_argument("--json", type=Path, help="also write the summary numbers here")
    args = ap.parse_args()
    score = load_module(args.bench / "score.py", "bench_score")
    docs = dev_documents(args.docs or flatten_bench(args.bench))
    summary = report(cross_validate(docs, score, score.RANK[args.min_conf],
                                   read=gold_cut_rows if args.gold_cut else inferred_rows))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
