#!/usr/bin/env python3
"""Leave-one-source-out cross-validation of the whole structure inference over the bench's dev sources.

Usage:
  python scripts/cv_structure.py [--bench /work/shared/bench] [--docs DIR] [--min-conf medium]
                                 [--oracle-spans] [--oracle-authors] [--trivial] [--json OUT]

For every dev source (the file-name prefix before "_"), all four models are trained exactly as the
training commands train them (scripts/train_segment.py: "article" and "start";
scripts/train_structure.py: "parent" and "author_crf"), on the other dev sources only. The
held-back source's documents are then read by the full inference with those weights and scored by
the bench's score.py: all six metrics, per source, pooled over the dev documents (micro) and as a
macro average over the sources (one source holds most of the dev documents).

--oracle-spans feeds the gold article cut and comment spans to the stages after segmentation, as
eval_structure.py --oracle-spans does; only the two structure models are retrained then.
--oracle-authors also feeds the gold post-author flags (implies --oracle-spans): what the parent
model and the speakers lose to the author model's errors on blogs it never saw.
--trivial scores the same folds' comments (inferred, or the gold spans with --oracle-spans) each
made top-level and a reader's: the trivial choice of parent and post author (measure_accuracy.py's
baseline), to set the figures beside.

scripts/cv_segment.py does the same for segmentation alone. Together they judge a change to any
stage on blogs its models never saw, without reading the held-out sources (eval_structure.py),
which no fold touches. Deterministic: training has no randomness.
"""

from __future__ import annotations

import argparse
import json
from functools import partial
from pathlib import Path
from typing import Any

from cv_segment import cross_validate as segment_folds
from cv_segment import inferred_rows
from eval_structure import DEFAULT_BENCH, flatten_bench, infer_oracle, load_module, predictions, summarise
from measure_accuracy import DENOMINATORS, METRICS, as_top_level_readers, sum_counts
from threadloom.model import Thread
from train_segment import dev_documents, train_models
from train_structure import Doc, structure_models

Document = tuple[dict[str, Any], str]


def fold_models(train: list[Document], read: list[Doc], oracle_spans: bool) -> dict[str, dict[str, float]]:
    """The weights the training commands learn from these documents (`read`: the same, as the
    structure trainer reads them): the structure models, and the segmentation models too unless
    the spans are given."""
    models = {} if oracle_spans else train_models(train)
    models.update(structure_models(read))
    return models


def oracle_rows(thread: Thread, gold: dict[str, Any], gold_authors: bool = False) -> list[dict[str, Any]]:
    """Comment rows from the stages after segmentation, fed the gold cut and spans (and, with
    `gold_authors`, the gold post-author flags)."""
    return predictions(infer_oracle(thread, gold, gold_authors))


def cross_validate(docs: list[Document], score: Any, min_rank: int, oracle_spans: bool = False,
                   trivial: bool = False, oracle_authors: bool = False) -> dict[str, dict[str, int]]:
    """score.py's counters per held-back source, each scored with models trained without it
    (cv_segment's folds, with every model retrained); `trivial`: the same comments each made
    top-level and a reader's; `oracle_authors`: the gold spans and post-author flags given."""
    read = {gold["doc"]: Doc(gold, text) for gold, text in docs}  # once: every fold trains on most
    oracle_spans = oracle_spans or oracle_authors

    def trainer(train: list[Document]) -> dict[str, dict[str, float]]:
        return fold_models(train, [read[gold["doc"]] for gold, _ in train], oracle_spans)

    rows = partial(oracle_rows, gold_authors=oracle_authors) if oracle_spans else inferred_rows

    def trivial_rows(thread: Thread, gold: dict[str, Any]) -> list[dict[str, Any]]:
        return as_top_level_readers(rows(thread, gold))

    return segment_folds(docs, score, min_rank, trainer, trivial_rows if trivial else rows)


def summary(per_source: dict[str, dict[str, int]]) -> dict[str, dict[str, float]]:
    """Each source's metrics, the pooled ones (every source's counts added) and the macro average
    (each metric's mean over the sources)."""
    rows = {source: summarise(acc) for source, acc in sorted(per_source.items())}
    pooled = sum_counts(per_source.values())
    macro: dict[str, float] = {}
    # over the sources where the metric counts anything (DENOMINATORS: most dev sources name no
    # reader in their text, so have no name to find)
    for metric in METRICS:
        means = [rows[s][metric] for s, acc in per_source.items() if acc[DENOMINATORS[metric]]]
        macro[metric] = round(sum(means) / len(means), 4) if means else 0.0
    macro["n_gold_comments"] = len(rows)  # sources, in this row
    return {**rows, "pooled": summarise(pooled), "macro": macro}


def report(table: dict[str, dict[str, float]]) -> None:
    print(f"{'source':14}" + "".join(f"{m:>16}" for m in METRICS) + f"{'comments':>10}")
    for source, row in table.items():
        print(f"{source:14}" + "".join(f"{row[m]:>16}" for m in METRICS) + f"{row['n_gold_comments']:>10}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--docs", type=Path, help="an already flattened bench folder (raw/, gold/)")
    ap.add_argument("--min-conf", default="medium", choices=["low", "medium", "high"])
    ap.add_argument("--oracle-spans", action="store_true",
                    help="feed the gold cut and spans to the later stages")
    ap.add_argument("--oracle-authors", action="store_true",
                    help="the gold post-author flags too (implies --oracle-spans)")
    ap.add_argument("--trivial", action="store_true",
                    help="every comment top-level and a reader's (a baseline)")
    ap.add_argument("--json", type=Path, help="also write the table here")
    args = ap.parse_args()
    score = load_module(args.bench / "score.py", "bench_score")
    docs = dev_documents(args.docs or flatten_bench(args.bench))
    table = summary(cross_validate(docs, score, score.RANK[args.min_conf], args.oracle_spans, args.trivial,
                                   args.oracle_authors))
    report(table)
    if args.json:
        args.json.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
