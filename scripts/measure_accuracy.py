#!/usr/bin/env python3
"""Measure the structure inference the way users meet it, and record the numbers.

Usage: python scripts/measure_accuracy.py [--bench ../shared/bench] [--write]

Builds real releases (the library call behind `threadloom build`) of the flattened thread
benchmark and of the seed, scores them with the benchmark's own score.py (default --min-conf
medium, text only: no metadata sidecars for the benchmark; the seed also with its sidecar), and
prints one Markdown table. With --write it stores the numbers in src/threadloom/accuracy.json
(quoted by every release's card) and in DATASHEET.md between the accuracy markers.

Splits: dev = benchmark sources used to train and tune; held-out = whole sources never used to
train or tune (scripts/eval_structure.py, HELD_OUT_SOURCES), also one row per held-out blog; seed =
the seed document against the project's own careful reading of it (tests/data/seed_gold/), never
used to tune. The held-out and seed rows are measured again with every comment paragraph
hard-wrapped at 72 columns (scripts/wrap_documents.py): the robustness of the segmentation to
fixed-width clients. Name precision over no predicted names is shown as "-" (and not recorded).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from eval_structure import is_held_out, load_module, source_of
from threadloom.api import build
from wrap_documents import wrap_folder

REPO = Path(__file__).resolve().parents[1]
METRICS = ("boundary_f1", "exact_span", "parent_acc", "author_acc", "name_recall", "name_precision")
START, END = "<!-- threadloom:accuracy:start -->", "<!-- threadloom:accuracy:end -->"


def score_split(score: ModuleType, gold_files: list[Path], release: Path) -> dict[str, Any]:
    preds = score.load_predictions(str(release))
    acc = dict.fromkeys(["b_tp", "b_fp", "b_fn", "span_n", "span_ok", "par_n", "par_ok", "auth_n",
                         "auth_ok", "name_n", "name_ok", "name_pred_n", "name_pred_ok"], 0)
    for path in gold_files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        score.score_doc(gold, preds.get(gold["doc"], []), score.RANK["medium"], acc)

    def div(x: float, y: float) -> float:
        return x / y if y else 0.0

    p = div(acc["b_tp"], acc["b_tp"] + acc["b_fp"])
    r = div(acc["b_tp"], acc["b_tp"] + acc["b_fn"])
    return {
        "boundary_f1": div(2 * p * r, p + r),
        "exact_span": div(acc["span_ok"], acc["span_n"]),
        "parent_acc": div(acc["par_ok"], acc["par_n"]),
        "author_acc": div(acc["auth_ok"], acc["auth_n"]),
        "name_recall": div(acc["name_ok"], acc["name_n"]),
        "name_precision": div(acc["name_pred_ok"], acc["name_pred_n"]),
        "n_gold_comments": acc["span_n"],
        "n_predicted_names": acc["name_pred_n"],
        "n_documents": len(gold_files),
    }


def measure(bench: Path, work: Path) -> dict[str, dict[str, Any]]:
    score = load_module(bench / "score.py", "bench_score")
    flat = work / "bench"
    subprocess.run([sys.executable, str(bench / "flatten.py"), str(bench / "threads.jsonl"), str(flat)],
                   check=True, capture_output=True)
    release = build(flat / "raw", work / "bench-release").out
    golds = sorted((flat / "gold").glob("*.gold.json"))
    held_golds = [g for g in golds if is_held_out(g.name)]
    results = {
        "dev": score_split(score, [g for g in golds if not is_held_out(g.name)], release),
        "held-out": score_split(score, held_golds, release),
    }
    for source in sorted({source_of(g.name) for g in held_golds}):  # how much one blog differs from another
        of_source = [g for g in held_golds if source_of(g.name) == source]
        results[f"held-out: {source}"] = score_split(score, of_source, release)
    seed_gold = sorted((REPO / "tests" / "data" / "seed_gold").glob("*.gold.json"))
    text_only = work / "seed-raw"
    text_only.mkdir()
    for gold in seed_gold:
        name = json.loads(gold.read_text(encoding="utf-8"))["doc"]
        shutil.copy(REPO / "raw" / name, text_only / name)
    results["seed (text only)"] = score_split(score, seed_gold, build(text_only, work / "seed-a").out)
    with_meta = build(REPO / "raw", work / "seed-b").out
    results["seed (with its metadata)"] = score_split(score, seed_gold, with_meta)
    # the unseen splits again, their comments hard-wrapped at 72 columns by a mail-like client
    unseen = (("held-out", held_golds, flat / "raw"), ("seed (text only)", seed_gold, text_only))
    for split, gold_files, raw in unseen:
        wrapped = work / f"wrapped-{len(results)}"
        wrap_folder(gold_files, raw, wrapped, width=72, whole_page=False)
        release = build(wrapped / "raw", wrapped / "release").out
        wrapped_golds = sorted((wrapped / "gold").glob("*.gold.json"))
        results[f"{split}, hard-wrapped at 72"] = score_split(score, wrapped_golds, release)
    return results


def _undefined(m: dict[str, Any], metric: str) -> bool:
    """Name precision over no predicted names (a blog whose commenters name no one) is no number."""
    return metric == "name_precision" and not m["n_predicted_names"]


def markdown(results: dict[str, dict[str, Any]]) -> str:
    head = "| split | docs | gold comments | " + " | ".join(METRICS) + " |"
    rows = [head, "|" + "---|" * (len(METRICS) + 3)]
    for split, m in results.items():
        values = " | ".join("-" if _undefined(m, k) else f"{m[k]:.3f}" for k in METRICS)
        rows.append(f"| {split} | {m['n_documents']} | {m['n_gold_comments']} | {values} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=REPO.parent / "shared" / "bench")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = measure(args.bench, Path(tmp))
    table = markdown(results)
    print(table)
    if not args.write:
        return
    command = "python scripts/measure_accuracy.py --write (the bench score.py, --min-conf medium)"
    accuracy = {
        "about": "Measured accuracy of threadloom's structure inference, quoted by the dataset card; "
                 "written by scripts/measure_accuracy.py, never by hand.",
        "measured_with": command,
        "results": [
            {"split": split, "metric": metric, "value": round(m[metric], 3), "n": m["n_gold_comments"]}
            for split, m in results.items() for metric in METRICS if not _undefined(m, metric)
        ],
    }
    path = REPO / "src" / "threadloom" / "accuracy.json"
    path.write_text(json.dumps(accuracy, indent=2) + "\n", encoding="utf-8")
    datasheet = REPO / "DATASHEET.md"
    text = datasheet.read_text(encoding="utf-8")
    block = f"{START}\n{table}\n{END}"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        sys.exit(f"{datasheet}: no accuracy markers ({START} ... {END})")
    datasheet.write_text(pattern.sub(lambda _: block, text), encoding="utf-8")
    print(f"wrote {path} and the accuracy table of {datasheet}")


if __name__ == "__main__":
    main()
