#!/usr/bin/env python3
"""Choose the crawl triage's stage-2 thresholds on the bench's dev sources (never the held-out ones).

Usage: python scripts/tune_triage.py [--bench /work/shared/bench/threads.jsonl]

Pages are made as scripts/benchmark_crawl.py makes them (every line lightly reworded): 6,000
articles alone from the dev threads, and 600 dev threads cut to their first 1, 2 or 3 comments or
kept whole. For every pair of thresholds (comment lines after the cut, mean comment likeness) it
prints the false-positive rate on the articles, the recall on the threads, the precision they
imply when 3% of a crawl's pages are threads, and the F1 of the two. Deterministic (fixed seeds).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from benchmark_crawl import BENCH, Rewording, load_threads
from eval_structure import HELD_OUT_SOURCES
from threadloom.triage import TriageConfig, triage_text

THREAD_SHARE = 0.03


def pages(bench: Path) -> tuple[list[str], list[str]]:
    """(articles alone, threads) from the dev sources, reworded."""
    sources = [json.loads(raw)["thread_id"].split("/")[0] for raw in bench.read_text("utf-8").splitlines()
               if raw.strip()]
    threads = load_threads(bench)
    dev = [t for t, source in zip(threads, sources, strict=True) if source not in HELD_OUT_SOURCES]
    reword = Rewording([p for a, c in dev for p in a + [q for cc in c for q in cc]], 3)
    rng = random.Random(5)
    articles = [a for a, _ in dev if len(a) >= 2]
    negatives = ["\n".join(reword.line(x) for x in rng.choice(articles)) for _ in range(6000)]
    positives = []
    for _ in range(600):
        article, comments = rng.choice(dev)
        keep = rng.choice([1, 2, 3, None])
        positives.append("\n".join(reword.line(x) for x in article + [p for c in comments[:keep] for p in c]))
    return negatives, positives


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=BENCH)
    parser.add_argument("--window", type=int, nargs="+", default=[0, 25, 40, 60],
                        help="stage-2 windows to compare (last N non-blank lines; 0: the whole page)")
    args = parser.parse_args()
    negatives, positives = pages(args.bench)
    print("window lines likeness  false_pos  recall  precision@3%  f1  seconds")
    for window in args.window:
        for lines in (2, 3, 4):
            for likeness in (0.5, 0.55, 0.6, 0.7):
                config = TriageConfig(min_comment_lines=lines, min_comment_likeness=likeness,
                                      window_lines=window)
                start = time.perf_counter()
                fp = sum(triage_text(t, config).has_comments for t in negatives) / len(negatives)
                recall = sum(triage_text(t, config).has_comments for t in positives) / len(positives)
                seconds = time.perf_counter() - start
                hits, false = THREAD_SHARE * recall, (1 - THREAD_SHARE) * fp
                precision = hits / (hits + false) if hits else 0.0
                f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
                print(f"{window:6d} {lines:5d} {likeness:8.2f} {fp:10.4f} {recall:7.3f} {precision:13.3f} "
                      f"{f1:5.3f} {seconds:8.2f}")


if __name__ == "__main__":
    main()
