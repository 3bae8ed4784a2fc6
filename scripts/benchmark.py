#!/usr/bin/env python3
"""Speed of threadloom against ftfy alone on the same text (a benchmark script, not a test).

Usage: python scripts/benchmark.py [DOC.txt | DIR ...] [--repeat N]

Defaults to raw/ plus, when present, the bench threads flattened into a temporary folder.
Reports, over the same text: ftfy.fix_text (default config, whole document), threadloom's
encoding repair, its structure inference, the whole per-document pipeline, and the seed's full
build (release folder written) — each as MB/s and as a ratio to ftfy alone.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import ftfy

from threadloom.api import build
from threadloom.pipeline import process_text
from threadloom.repair import repair_text
from threadloom.structure import infer_structure

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared" / "bench"


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


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        clear_caches()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    paths = args.paths or [str(REPO / "raw")]
    if not args.paths and (BENCH / "flatten.py").exists():
        tmp = tempfile.mkdtemp(prefix="tl-bench-")
        subprocess.run([sys.executable, str(BENCH / "flatten.py"), str(BENCH / "threads.jsonl"), tmp],
                       check=True, capture_output=True)
        paths.append(str(Path(tmp) / "raw"))
    texts = documents(paths)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    repaired = [(t, repair_text(t)) for t in texts]

    def structure_only() -> None:
        from threadloom.model import Thread

        for text, lines in repaired:
            infer_structure(Thread("b", "b.txt", "0" * 64, text, lines))

    timings = {
        "ftfy.fix_text alone": best_of(args.repeat, lambda: [ftfy.fix_text(t) for t in texts]),
        "threadloom repair": best_of(args.repeat, lambda: [repair_text(t) for t in texts]),
        "threadloom structure": best_of(args.repeat, structure_only),
        "threadloom pipeline (repair + structure)":
            best_of(args.repeat, lambda: [process_text(t, "b.txt") for t in texts]),
    }
    base = timings["ftfy.fix_text alone"]
    print(f"{len(texts)} documents, {megabytes:.2f} MB, best of {args.repeat}")
    print(f"{'stage':44} {'seconds':>8} {'MB/s':>8} {'time vs ftfy':>13}")
    for name, seconds in timings.items():
        print(f"{name:44} {seconds:8.3f} {megabytes / seconds:8.2f} {seconds / base:12.2f}x")
    with tempfile.TemporaryDirectory() as tmp:
        seconds = best_of(args.repeat, lambda: build(REPO / "raw", Path(tmp) / "r", force=True))
    print(f"full build of raw/ (release written, after imports): {seconds:.3f} s")


if __name__ == "__main__":
    main()
