#!/usr/bin/env python3
"""Score segmentation alone (article cut + comment boundaries) against gold, per split.

Usage:
  python scripts/eval_segment.py [--docs DIR ...] [--split-all NAME] [--timing] [--calibration]

Each DIR holds raw/NAME.txt and gold/NAME.gold.json (the bench's flatten.py layout). Documents are
split dev / held-out by source exactly as scripts/eval_structure.py does, unless --split-all names
one split for every document of a folder (e.g. `--docs /tmp/seedeval --split-all seed`). Metrics:
boundary_f1 and exact_span from the bench's score.py (its own score_doc), plus the share of
documents whose article cut is exact. --timing compares segmentation time with ftfy.fix_text on
the same text; --calibration compares boundary accuracy at confidence >= 0.9 with the rest.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_structure import DEFAULT_BENCH, empty_acc, is_held_out, load_module, summarise  # noqa: E402
from threadloom import segment as v1  # noqa: E402
from threadloom import segment_model, segment_next  # noqa: E402

IMPLS = {"v1": v1, "v2": segment_next}


def segment(
    text: str, impl: Any, gold_end: int | None = None
) -> tuple[int, list[dict[str, Any]], list[float], float]:
    """(article end line, comment rows for score_doc, boundary confidences, article confidence);
    with gold_end, the article cut is the gold one (to score comment boundaries alone)."""
    lines = [impl.TextLine(i, t.strip()) for i, t in enumerate(text.split("\n"), start=1) if t.strip()]
    first, decision = impl.article_cut(lines)
    if gold_end is not None:
        first = sum(1 for line in lines if line.number <= gold_end)
    spans = impl.comment_spans(lines, first, None)
    article_end = lines[first - 1].number if first > 0 else 0
    rows = [
        {"comment_id": f"c{i}", "parent_id": None, "raw_line_start": s.start, "raw_line_end": s.end}
        for i, s in enumerate(spans)
    ]
    return article_end, rows, [s.decision.confidence for s in spans], decision.confidence


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--docs", type=Path, action="append", required=True)
    ap.add_argument("--split-all", help="put every document of the folders in this one split")
    ap.add_argument("--timing", action="store_true")
    ap.add_argument("--calibration", action="store_true")
    ap.add_argument("--per-doc", action="store_true")
    ap.add_argument("--gold-cut", action="store_true", help="score boundaries given the gold cut")
    ap.add_argument("--impl", choices=sorted(IMPLS), default="v2")
    ap.add_argument("--weights", type=Path, help="a segment_weights.json other than the shipped one")
    args = ap.parse_args()
    impl = IMPLS[args.impl]
    if args.weights:
        data = json.loads(args.weights.read_text(encoding="utf-8"))
        loaded = (data["weights"], float(data["temperature"]))
        segment_model.shipped_weights = lambda: loaded  # type: ignore[assignment]
    score = load_module(args.bench / "score.py", "bench_score")
    accs: dict[str, dict[str, int]] = {}
    cuts: dict[str, list[int]] = {}
    calib: dict[str, list[int]] = {}  # split -> [high_ok, high_n, low_ok, low_n]
    seconds, ftfy_seconds = 0.0, 0.0
    for folder in args.docs:
        for gold_path in sorted((folder / "gold").glob("*.gold.json")):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            text = (folder / "raw" / gold["doc"]).read_text(encoding="utf-8")
            split = args.split_all or ("held-out" if is_held_out(gold["doc"]) else "dev")
            t0 = time.perf_counter()
            gold_end = gold["article"]["end"] if args.gold_cut else None
            article_end, rows, confidences, _ = segment(text, impl, gold_end)
            seconds += time.perf_counter() - t0
            if args.timing:
                import ftfy

                t0 = time.perf_counter()
                ftfy.fix_text(text)
                ftfy_seconds += time.perf_counter() - t0
            score.score_doc(gold, rows, score.RANK["medium"], accs.setdefault(split, empty_acc()))
            cut = cuts.setdefault(split, [0, 0])
            cut[0] += article_end == gold["article"]["end"]
            cut[1] += 1
            gold_starts = {g["start"] for g in gold["comments"]}
            row = calib.setdefault(split, [0, 0, 0, 0])
            for r, confidence in zip(rows, confidences, strict=True):
                base = 0 if confidence >= 0.9 else 2
                row[base] += r["raw_line_start"] in gold_starts
                row[base + 1] += 1
            if args.per_doc:
                one = empty_acc()
                score.score_doc(gold, rows, score.RANK["medium"], one)
                s = summarise(one)
                print(
                    f"{split:8} {gold['doc'][:48]:48} f1={s['boundary_f1']:.3f} "
                    f"span={s['exact_span']:.3f} cut={article_end}/{gold['article']['end']}"
                )
    print(
        f"{'split':10}{'boundary_f1':>12}{'P':>7}{'R':>7}{'exact_span':>12}{'cut_exact':>11}{'docs':>6}{'comments':>10}"
    )
    for split, acc in accs.items():
        s = summarise(acc)
        ok, n = cuts[split]
        p = acc["b_tp"] / max(acc["b_tp"] + acc["b_fp"], 1)
        r = acc["b_tp"] / max(acc["b_tp"] + acc["b_fn"], 1)
        print(
            f"{split:10}{s['boundary_f1']:>12}{p:>7.3f}{r:>7.3f}{s['exact_span']:>12}{ok / n:>11.3f}{n:>6}"
            f"{s['n_gold_comments']:>10}"
        )
    if args.calibration:
        print("\nboundary accuracy (n) at confidence >= 0.9 vs < 0.9")
        for split, (hok, hn, lok, ln) in calib.items():
            hi = f"{hok / hn:.3f} ({hn})" if hn else "- (0)"
            lo = f"{lok / ln:.3f} ({ln})" if ln else "- (0)"
            print(f"  {split:9} >=0.9: {hi:>14}   <0.9: {lo:>14}")
    if args.timing:
        print(f"\ntiming: segmentation {seconds:.3f}s, ftfy.fix_text {ftfy_seconds:.3f}s")


if __name__ == "__main__":
    main()
