#!/usr/bin/env python3
"""Evaluate threadloom's structure inference in-process against gold, per split.

Usage:
  python scripts/eval_structure.py [--bench /work/shared/bench] [--docs DIR] [--min-conf medium]
                                   [--calibration] [--timing] [--oracle-spans] [--oracle-authors]
                                   [--per-source]
                                   [--split-all NAME] [--gold DIR] [--raw DIR] [--with-meta]

DIR holds raw/NAME.txt and gold/NAME.gold.json (as written by the bench's flatten.py); without
--docs the bench's threads.jsonl is flattened into a temporary folder first. --gold / --raw point
at the two folders separately (e.g. the seed: --gold tests/data/seed_gold --raw raw). Metrics are
the bench's own: this script imports score.py and calls its score_doc on every document.

--oracle-spans feeds the gold article cut and gold comment spans to the stages after segmentation
(post author, parents, speakers), to measure them without segmentation errors; --oracle-authors
also the gold post-author flags, to measure parents and speakers without the author model's errors.
--split-all NAME scores every document as one split called NAME (no dev/held-out division).
--with-meta passes raw/NAME.meta.json (when present) as the thread's metadata; default text-only.

Held-out split, by whole source (the file-name prefix before "_", i.e. the thread_id prefix before
"/"): the sources in HELD_OUT_SOURCES are never used for training or tuning
(scripts/train_structure.py reads only the others). Dev = every other source.
"""

from __future__ import annotations

import argparse
import atexit
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

HELD_OUT_SOURCES = ("chesterbr", "timothyfitz", "andylockran", "tsew")
DEFAULT_BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from threadloom.bounds import inference_view  # noqa: E402
from threadloom.model import Decision, Thread  # noqa: E402
from threadloom.pipeline import repaired_thread  # noqa: E402
from threadloom.records import comment_speaker_name  # noqa: E402
from threadloom.segment import Span  # noqa: E402
from threadloom.structure import infer_structure, structure_from_spans  # noqa: E402
from threadloom.turns import TURN_EVIDENCE  # noqa: E402


def source_of(doc_name: str) -> str:
    return doc_name.split("_", 1)[0]


def is_held_out(doc_name: str) -> bool:
    return source_of(doc_name) in HELD_OUT_SOURCES


def load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def flatten_bench(bench: Path) -> Path:
    out = Path(tempfile.mkdtemp(prefix="threadloom-eval-"))
    atexit.register(shutil.rmtree, out, True)  # the caller reads it until the process ends
    subprocess.run(
        [sys.executable, str(bench / "flatten.py"), str(bench / "threads.jsonl"), str(out)],
        check=True,
        capture_output=True,
    )
    return out


def build_thread(text: str, source_file: str, metadata: dict[str, Any] | None = None) -> Thread:
    """The Thread the pipeline hands to structure inference: the document's lines repaired as
    builds repair them, in their inference view (bounds.py), so training reads lines as inference
    does."""
    return inference_view(repaired_thread(text, source_file, metadata, thread_id=source_file))


def infer_oracle(thread: Thread, gold: dict[str, Any], gold_authors: bool = False) -> Thread:
    """The stages after segmentation, fed the gold article cut and comment spans; with
    `gold_authors`, the gold post-author flags too (what the parents and speakers lose to the
    author model's errors)."""
    oracle = Decision(1.0, ("oracle: gold span",))
    spans = [Span(g["start"], g["end"], oracle) for g in gold["comments"]]
    flags = None
    if gold_authors:
        told = Decision(1.0, ("oracle: gold post-author flag",))
        flags = [(bool(g["is_post_author"]), told) for g in gold["comments"]]
    return structure_from_spans(thread, gold["article"]["end"], oracle, spans, flags=flags)


def predictions(thread: Thread) -> list[dict[str, Any]]:
    """The comment rows score.py reads, as the release would write them."""
    names = {s.key: s.name for s in thread.speakers}
    rows = []
    for c in thread.comments:
        rows.append(
            {
                "comment_id": f"c{c.position}",
                "parent_id": None if c.parent is None else f"c{c.parent}",
                "is_post_author": c.is_post_author,
                "speaker_name": comment_speaker_name(c, names.get(c.speaker_key)),  # as releases do
                "raw_line_start": c.raw_line_start,
                "raw_line_end": c.raw_line_end,
            }
        )
    return rows


def empty_acc() -> dict[str, int]:
    return dict.fromkeys(
        [
            "b_tp",
            "b_fp",
            "b_fn",
            "span_n",
            "span_ok",
            "par_n",
            "par_ok",
            "auth_n",
            "auth_ok",
            "name_n",
            "name_ok",
            "name_pred_n",
            "name_pred_ok",
        ],
        0,
    )


def summarise(acc: dict[str, int]) -> dict[str, float]:
    """Exactly score.py's formulas."""

    def div(x: float, y: float) -> float:
        return x / y if y else 0.0

    p, r = div(acc["b_tp"], acc["b_tp"] + acc["b_fp"]), div(acc["b_tp"], acc["b_tp"] + acc["b_fn"])
    return {
        "boundary_f1": round(div(2 * p * r, p + r), 4),
        "exact_span": round(div(acc["span_ok"], acc["span_n"]), 4),
        "parent_acc": round(div(acc["par_ok"], acc["par_n"]), 4),
        "author_acc": round(div(acc["auth_ok"], acc["auth_n"]), 4),
        "name_recall": round(div(acc["name_ok"], acc["name_n"]), 4),
        "name_precision": round(div(acc["name_pred_ok"], acc["name_pred_n"]), 4),
        "n_gold_comments": acc["span_n"],
    }


def calibration(thread: Thread, gold: dict[str, Any], tally: dict[str, list[tuple[float, bool]]]) -> None:
    """Per decision kind, each decision's (confidence, right) pair, added to `tally` ("turn": the
    boundaries turns.py made at a speaker turn, also counted as boundaries)."""
    gold_by_start = {g["start"]: g for g in gold["comments"]}
    art_ok = thread.article_line_end == gold["article"]["end"]
    _count(tally, "article", thread.article_decision.confidence, art_ok)
    for c in thread.comments:
        g = gold_by_start.get(c.raw_line_start)
        _count(tally, "boundary", c.boundary.confidence, g is not None)
        if c.boundary.evidence[0].startswith(TURN_EVIDENCE):  # a span split at a speaker turn
            _count(tally, "turn", c.boundary.confidence, g is not None)
        if g is None:
            continue
        _count(tally, "span", c.boundary.confidence, g["end"] == c.raw_line_end)
        _count(
            tally,
            "author",
            c.post_author_decision.confidence,
            c.is_post_author == g["is_post_author"],
        )
        if g["parent"] is None:
            ok = c.parent is None
        else:
            ok = c.parent is not None and thread.comments[c.parent].raw_line_start == g["parent"]
        _count(tally, "parent", c.parent_decision.confidence, ok)
        speaker = thread.speaker(c.speaker_key)
        gold_name = g.get("speaker_name")
        if not c.is_post_author and speaker.name and gold_name and not g["is_post_author"]:
            right = speaker.name.split()[0].lower() == gold_name.split()[0].strip(",.!").lower()
            _count(tally, "name", c.speaker_decision.confidence, right)


def parent_right(thread: Thread, gold: dict[str, Any]) -> list[bool]:
    """score.py's parent rule, per gold comment."""
    line_to = {}
    for c in thread.comments:
        for ln in range(c.raw_line_start, c.raw_line_end + 1):
            line_to[ln] = c
    out = []
    for g in gold["comments"]:
        p = line_to.get(g["start"])
        if p is None:
            out.append(False)
        elif g["parent"] is None:
            out.append(p.parent is None)
        else:
            want = line_to.get(g["parent"])
            out.append(p.parent is not None and want is not None and p.parent == want.position)
    return out


def _count(tally: dict[str, list[tuple[float, bool]]], kind: str, confidence: float, ok: bool) -> None:
    tally.setdefault(kind, []).append((confidence, ok))


CALIBRATION_BINS = (0.5, 0.7, 0.8, 0.9, 1.0)  # upper bounds (the last inclusive)


def calibration_lines(split: str, kind: str, decisions: list[tuple[float, bool]]) -> list[str]:
    """Accuracy of the decisions with confidence >= 0.9 against the rest; then per confidence bin
    the mean confidence against the accuracy, and the expected calibration error (the bins'
    |accuracy - mean confidence| weighted by their share of the decisions)."""
    high = [ok for c, ok in decisions if c >= 0.9]
    low = [ok for c, ok in decisions if c < 0.9]
    hi = f"{sum(high) / len(high):.3f} ({len(high)})" if high else "- (0)"
    lo = f"{sum(low) / len(low):.3f} ({len(low)})" if low else "- (0)"
    bins: list[list[tuple[float, bool]]] = [[] for _ in CALIBRATION_BINS]
    for c, ok in decisions:
        bins[next(i for i, top in enumerate(CALIBRATION_BINS) if c < top or top == 1.0)].append((c, ok))
    ece = sum(abs(sum(ok for _, ok in b) / len(b) - sum(c for c, _ in b) / len(b)) * len(b)
              for b in bins if b) / len(decisions)
    cells = [f"{sum(c for c, _ in b) / len(b):.2f}->{sum(ok for _, ok in b) / len(b):.2f} ({len(b)})"
             for b in bins if b]
    return [f"  {split:9} {kind:9} >=0.9: {hi:>14}   <0.9: {lo:>14}   ECE {ece:.3f}",
            f"  {'':9} {'':9} per bin, mean confidence->accuracy (n): {'  '.join(cells)}"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--docs", type=Path)
    ap.add_argument("--min-conf", default="medium", choices=["low", "medium", "high"])
    ap.add_argument("--calibration", action="store_true")
    ap.add_argument("--timing", action="store_true")
    ap.add_argument("--per-doc", action="store_true")
    ap.add_argument("--per-source", action="store_true")
    ap.add_argument("--oracle-spans", action="store_true")
    ap.add_argument("--oracle-authors", action="store_true",
                    help="the gold post-author flags too (implies --oracle-spans)")
    ap.add_argument("--split-all", metavar="NAME")
    ap.add_argument("--gold", type=Path)
    ap.add_argument("--raw", type=Path)
    ap.add_argument("--with-meta", action="store_true")
    args = ap.parse_args()
    score = load_module(args.bench / "score.py", "bench_score")
    if args.gold and args.raw:
        gold_dir, raw_dir = args.gold, args.raw
    else:
        docs = args.docs or flatten_bench(args.bench)
        gold_dir, raw_dir = docs / "gold", docs / "raw"
    splits = [args.split_all] if args.split_all else ["dev", "held-out"]
    accs = {split: empty_acc() for split in splits}
    tally: dict[str, dict[str, list[tuple[float, bool]]]] = {split: {} for split in splits}
    per_source: dict[str, list[int]] = {}
    infer_seconds, ftfy_seconds, chars = 0.0, 0.0, 0
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        raw_path = raw_dir / gold["doc"]
        text = raw_path.read_text(encoding="utf-8")
        meta_path = raw_path.with_suffix(".meta.json")
        meta = (
            json.loads(meta_path.read_text(encoding="utf-8")) if args.with_meta and meta_path.exists() else {}
        )
        thread = build_thread(text, gold["doc"], meta)
        t0 = time.perf_counter()
        if args.oracle_spans or args.oracle_authors:
            built = infer_oracle(thread, gold, gold_authors=args.oracle_authors)
        else:
            built = infer_structure(thread)
        infer_seconds += time.perf_counter() - t0
        right = parent_right(built, gold)
        row = per_source.setdefault(source_of(gold["doc"]), [0, 0])
        row[0] += sum(right)
        row[1] += len(right)
        chars += len(text)
        if args.timing:
            import ftfy

            t0 = time.perf_counter()
            ftfy.fix_text(text)
            ftfy_seconds += time.perf_counter() - t0
        split = args.split_all or ("held-out" if is_held_out(gold["doc"]) else "dev")
        score.score_doc(gold, predictions(built), score.RANK[args.min_conf], accs[split])
        if args.per_doc:
            one = empty_acc()
            score.score_doc(gold, predictions(built), score.RANK[args.min_conf], one)
            print(split, gold["doc"][:50], json.dumps(summarise(one)))
        calibration(built, gold, tally[split])
    keys = [
        "boundary_f1",
        "exact_span",
        "parent_acc",
        "author_acc",
        "name_recall",
        "name_precision",
        "n_gold_comments",
    ]
    print(f"{'split':10}" + "".join(f"{k:>16}" for k in keys))
    for split, acc in accs.items():
        summary = summarise(acc)
        print(f"{split:10}" + "".join(f"{summary[k]:>16}" for k in keys))
    if args.per_source:
        print("\nparent accuracy per source (all gold comments, any confidence)")
        for source, (ok, n) in sorted(per_source.items()):
            tag = "held-out" if source in HELD_OUT_SOURCES else ""
            print(f"  {source:14} {ok / n:.3f} ({n}) {tag}")
    if args.calibration:
        print("\ncalibration: accuracy (n) of decisions with confidence >= 0.9 vs < 0.9, and the "
              f"expected calibration error over the confidence bins ending at {CALIBRATION_BINS}")
        for split, kinds in tally.items():
            for kind, decisions in sorted(kinds.items()):
                print("\n".join(calibration_lines(split, kind, decisions)))
    if args.timing:
        print(
            f"\ntiming: infer_structure {infer_seconds:.3f}s, "
            f"ftfy.fix_text {ftfy_seconds:.3f}s over {chars} chars"
        )


if __name__ == "__main__":
    main()
