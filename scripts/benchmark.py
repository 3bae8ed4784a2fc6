#!/usr/bin/env python3
"""Speed of threadloom against ftfy alone on the same text (a benchmark script, not a test).

Usage: python scripts/benchmark.py [DOC.txt | DIR ...] [--repeat N]

Defaults to raw/ plus, when present, the bench threads flattened into a temporary folder.
Reports, over the same text: ftfy.fix_text (default config, whole document), threadloom's
encoding repair, its structure inference, the whole per-document pipeline, and the seed's full
build (release folder written) — each as MB/s and as a ratio to ftfy alone: the best run's of
each stage, and the ratio within each round (every stage runs once a round, in turn), whose
median is what the machine's drift moves least.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import ftfy

from eval_structure import DEFAULT_BENCH, flatten_bench
from threadloom.api import build
from threadloom.pipeline import process_text
from threadloom.repair import repair_text
from threadloom.structure import infer_structure

REPO = Path(__file__).resolve().parents[1]


def documents(paths: list[str]) -> list[str]:
    files: list[Path] = []
    for p in map(Path, paths):
        files += sorted(p.rglob("*.txt")) if p.is_dir() else [p]
    return [f.read_text(encoding="utf-8") for f in files]


def clear_caches() -> None:
    """Forget every memoised result of threadloom's modules, so that a repeat pays what a first
    run pays (the per-line caches would otherwise hold the whole benchmark's lines)."""
    for name, module in list(sys.modules.items()):
        if name.startswith("threadloom"):
            for value in vars(module).values():
                info = getattr(value, "cache_info", None)
                if callable(info) and getattr(value, "__module__", "") == name and info().maxsize != 1:
                    value.cache_clear()  # per-line memos; loaded weights (maxsize 1) stay loaded


def timed_rounds(repeat: int, stages: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """Each stage's seconds in `repeat` rounds, every stage once per round, in turn (caches
    cleared before each run). A VM's speed drifts, by a fifth within an hour here: it moves the
    stages of one round alike, so the ratios within a round compare like with like, where bests
    taken minutes apart may not."""
    times: dict[str, list[float]] = {name: [] for name in stages}
    for _ in range(repeat):
        for name, work in stages.items():
            clear_caches()
            start = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - start)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    paths = args.paths or [str(REPO / "raw")]
    if not args.paths and (DEFAULT_BENCH / "flatten.py").exists():
        paths.append(str(flatten_bench(DEFAULT_BENCH) / "raw"))  # removed when the script exits
    texts = documents(paths)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    repaired = [(t, repair_text(t)) for t in texts]

    def structure_only() -> None:
        from threadloom.model import Thread

        for text, lines in repaired:
            infer_structure(Thread("b", "b.txt", "0" * 64, text, lines))

    times = timed_rounds(args.repeat, {
        "ftfy.fix_text alone": lambda: [ftfy.fix_text(t) for t in texts],
        "threadloom repair": lambda: [repair_text(t) for t in texts],
        "threadloom structure": structure_only,
        "threadloom pipeline (repair + structure)": lambda: [process_text(t, "b.txt") for t in texts],
    })
    base = times["ftfy.fix_text alone"]
    print(f"{len(texts)} documents, {megabytes:.2f} MB, {args.repeat} rounds (every stage once a round)")
    print(f"{'stage':44} {'best s':>8} {'MB/s':>8} {'best vs best':>13} {'per round: median (range)':>27}")
    for name, seconds in times.items():
        best = min(seconds)
        ratios = sorted(s / b for s, b in zip(seconds, base, strict=True))
        spread = f"{statistics.median(ratios):.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f})"
        print(f"{name:44} {best:8.3f} {megabytes / best:8.2f} {best / min(base):12.2f}x {spread:>27}")
    with tempfile.TemporaryDirectory() as tmp:
        release = Path(tmp) / "r"
        builds = timed_rounds(args.repeat, {"build": lambda: build(REPO / "raw", release, force=True)})
    print(f"full build of raw/ (release written, after imports): {min(builds['build']):.3f} s (best)")


if __name__ == "__main__":
    main()
