#!/usr/bin/env python3
"""Measure the structure inference the way users meet it, and record the numbers.

Usage: python scripts/measure_accuracy.py [--bench ../shared/bench] [--bootstrap N] [--write]

Builds real releases (the library call behind `threadloom build`) of the flattened thread
benchmark and of the seed, scores them with the benchmark's own score.py (default --min-conf
medium, text only: no metadata sidecars for the benchmark; the seed also with its sidecar), and
prints one Markdown table. With --write it stores the numbers in src/threadloom/accuracy.json
(quoted by every release's card, the trivial readings' too) and in DATASHEET.md between the
accuracy markers.

Splits: dev = benchmark sources used to train and tune; held-out = whole sources never used to
train or tune (scripts/eval_structure.py, HELD_OUT_SOURCES), also one row per held-out blog; seed =
the seed document against the project's own careful reading of it (tests/data/seed_gold/), never
used to tune. The held-out and seed rows are measured again with every comment paragraph
hard-wrapped at 72 columns (scripts/wrap_documents.py): the robustness of the segmentation to
fixed-width clients; and once more with a blank line after every paragraph as well. Name
precision over no predicted names is shown as "-" (and not recorded).

Then a table of threadloom's figures next to two trivial readings' (dev, held-out, the seed): every
line after the true article its own top-level comment by a reader (the baseline issue 3 quotes), and
threadloom's own comments each made top-level and a reader's (what parents and post-author flags add
over the trivial choice). With --write it goes into DATASHEET.md between the accuracy-baselines
markers.

Then a last table: 95% intervals for every split of at least 2 documents, by a hierarchical
percentile bootstrap (--bootstrap N draws, default 2000, 0: none): the blogs are resampled, then the
threads within each drawn blog, because a split holds few blogs and threads of one blog are alike.
With --write it goes into DATASHEET.md between the accuracy-intervals markers (not accuracy.json).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from eval_structure import is_held_out, load_module, source_of
from threadloom.api import build
from wrap_documents import wrap_folder

REPO = Path(__file__).resolve().parents[1]
METRICS = ("boundary_f1", "exact_span", "parent_acc", "author_acc", "name_recall", "name_precision")
COUNT_KEYS = ("b_tp", "b_fp", "b_fn", "span_n", "span_ok", "par_n", "par_ok", "auth_n", "auth_ok",
              "name_n", "name_ok", "name_pred_n", "name_pred_ok")  # what score.py's score_doc adds up
START, END = "<!-- threadloom:accuracy:start -->", "<!-- threadloom:accuracy:end -->"
INTERVALS_START = "<!-- threadloom:accuracy-intervals:start -->"
INTERVALS_END = "<!-- threadloom:accuracy-intervals:end -->"
BASELINES_START = "<!-- threadloom:accuracy-baselines:start -->"
BASELINES_END = "<!-- threadloom:accuracy-baselines:end -->"
BASELINE_METRICS = METRICS[:4]  # the trivial readings name no one
MIN_CONF = "medium"  # score.py's --min-conf: the confidence of gold labels that counts
BOOTSTRAP_SEED = 0  # fixed, so that the same measurements give the same intervals
# The count each metric is a share of. A split with fewer than MIN_COUNT of them gets no interval
# for it: resampling a handful of cases only restates them (two predicted names: 1.00-1.00).
DENOMINATORS = {"boundary_f1": "span_n", "exact_span": "span_n", "parent_acc": "par_n",
                "author_acc": "auth_n", "name_recall": "name_n", "name_precision": "name_pred_n"}
MIN_COUNT = 10

Counts = dict[str, int]


def metrics_of(counts: Mapping[str, int]) -> dict[str, float]:
    """The bench's metrics from its summed counts (score.py's arithmetic; 0.0 over nothing)."""

    def div(x: float, y: float) -> float:
        return x / y if y else 0.0

    p = div(counts["b_tp"], counts["b_tp"] + counts["b_fp"])
    r = div(counts["b_tp"], counts["b_tp"] + counts["b_fn"])
    return {
        "boundary_f1": div(2 * p * r, p + r),
        "exact_span": div(counts["span_ok"], counts["span_n"]),
        "parent_acc": div(counts["par_ok"], counts["par_n"]),
        "author_acc": div(counts["auth_ok"], counts["auth_n"]),
        "name_recall": div(counts["name_ok"], counts["name_n"]),
        "name_precision": div(counts["name_pred_ok"], counts["name_pred_n"]),
    }


def sum_counts(docs: Iterable[Mapping[str, int]]) -> Counts:
    total = dict.fromkeys(COUNT_KEYS, 0)
    for doc in docs:
        for key in COUNT_KEYS:
            total[key] += doc[key]
    return total


Predictions = dict[str, list[dict[str, Any]]]  # a release's comment rows by document (score.py's)


def score_split(score: ModuleType, gold_files: list[Path], preds: Predictions) -> dict[str, Any]:
    """The split's metrics from its summed counts, and each document's counts grouped by blog
    (the bootstrap's input: documents of one blog are not independent of each other). `preds`:
    the release read once by score.py's load_predictions (a datasets load each time)."""
    groups: dict[str, list[Counts]] = {}
    for path in gold_files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        acc = dict.fromkeys(COUNT_KEYS, 0)
        score.score_doc(gold, preds.get(gold["doc"], []), score.RANK[MIN_CONF], acc)
        groups.setdefault(source_of(path.name), []).append(acc)
    total = sum_counts(doc for docs in groups.values() for doc in docs)
    return {
        **metrics_of(total),
        "n_gold_comments": total["span_n"],
        "n_predicted_names": total["name_pred_n"],
        "n_documents": len(gold_files),
        "groups": [groups[source] for source in sorted(groups)],
    }


def one_comment_per_line(gold: dict[str, Any], raw_lines: list[str]) -> list[dict[str, Any]]:
    """The trivial reading issue 3 measures against: every non-blank line after the true article
    (the gold cut: a help no inference has) its own top-level comment, by a reader."""
    first = gold["article"]["end"] + 1
    return [{"comment_id": f"l{number}", "parent_id": None, "is_post_author": False, "speaker_name": None,
             "raw_line_start": number, "raw_line_end": number}
            for number in range(first, len(raw_lines) + 1) if raw_lines[number - 1].strip()]


def as_top_level_readers(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A release's comments as they are, each made a top-level comment by a reader and unnamed:
    the trivial choice for parents and post authors on threadloom's own spans."""
    return [{**row, "parent_id": None, "is_post_author": False, "speaker_name": None} for row in rows]


LINES_READING = "every line a top-level comment by a reader (true article cut)"
READERS_READING = "threadloom's comments, each top-level and a reader's"


def score_baselines(score: ModuleType, gold_files: list[Path], raw: Path,
                    preds: Predictions) -> dict[str, dict[str, float]]:
    """The split's metrics under each trivial reading, scored as score.py scores (`raw`: the
    documents' folder; `preds`: the release's rows, as score_split takes them)."""
    totals = {reading: dict.fromkeys(COUNT_KEYS, 0) for reading in (LINES_READING, READERS_READING)}
    for path in gold_files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        lines = (raw / gold["doc"]).read_text(encoding="utf-8").splitlines()
        score.score_doc(gold, one_comment_per_line(gold, lines), score.RANK[MIN_CONF], totals[LINES_READING])
        score.score_doc(gold, as_top_level_readers(preds.get(gold["doc"], [])), score.RANK[MIN_CONF],
                        totals[READERS_READING])
    return {reading: metrics_of(counts) for reading, counts in totals.items()}


def percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def interval(values: Sequence[float], draws: int) -> tuple[float, float] | None:
    """The 95% percentile interval, or None when under half of the draws gave a value."""
    if not values or 2 * len(values) < draws:
        return None
    return percentile(values, 0.025), percentile(values, 0.975)


def bootstrap_intervals(
    groups: Sequence[Sequence[Mapping[str, int]]], draws: int, seed: int
) -> dict[str, tuple[float, float] | None] | None:
    """95% intervals of METRICS by a hierarchical percentile bootstrap: each draw resamples the
    groups (blogs) with replacement, then the documents within each drawn group. One group: the
    documents only. Fewer than 2 documents in all: None (nothing to resample); no interval for a
    metric over fewer than MIN_COUNT cases."""
    if sum(len(docs) for docs in groups) < 2:
        return None
    total = sum_counts(doc for docs in groups for doc in docs)
    rng = random.Random(seed)
    values: dict[str, list[float]] = {metric: [] for metric in METRICS}
    for _ in range(draws):
        drawn = [rng.choice(groups) for _ in groups] if len(groups) > 1 else list(groups)
        counts = sum_counts(rng.choice(docs) for docs in drawn for _ in docs)
        metrics = metrics_of(counts)
        for metric in METRICS:
            # a draw with no predicted names has no name precision (not a precision of 0)
            if metric != "name_precision" or counts["name_pred_n"]:
                values[metric].append(metrics[metric])
    return {metric: interval(values[metric], draws) if total[DENOMINATORS[metric]] >= MIN_COUNT else None
            for metric in METRICS}


Measured = dict[str, dict[str, Any]]
Baselines = dict[str, dict[str, dict[str, float]]]  # split -> trivial reading -> metrics


def measure(bench: Path, work: Path) -> tuple[Measured, Baselines]:
    """Every split's metrics, and those of the trivial readings on dev, held-out and the seed."""
    score = load_module(bench / "score.py", "bench_score")
    flat = work / "bench"
    subprocess.run([sys.executable, str(bench / "flatten.py"), str(bench / "threads.jsonl"), str(flat)],
                   check=True, capture_output=True)
    preds = score.load_predictions(str(build(flat / "raw", work / "bench-release").out))
    golds = sorted((flat / "gold").glob("*.gold.json"))
    dev_golds = [g for g in golds if not is_held_out(g.name)]
    held_golds = [g for g in golds if is_held_out(g.name)]
    results = {
        "dev": score_split(score, dev_golds, preds),
        "held-out": score_split(score, held_golds, preds),
    }
    for source in sorted({source_of(g.name) for g in held_golds}):  # how much one blog differs from another
        of_source = [g for g in held_golds if source_of(g.name) == source]
        results[f"held-out: {source}"] = score_split(score, of_source, preds)
    seed_gold = sorted((REPO / "tests" / "data" / "seed_gold").glob("*.gold.json"))
    text_only = work / "seed-raw"
    text_only.mkdir()
    for gold in seed_gold:
        name = json.loads(gold.read_text(encoding="utf-8"))["doc"]
        shutil.copy(REPO / "raw" / name, text_only / name)
    seed_preds = score.load_predictions(str(build(text_only, work / "seed-a").out))
    results["seed (text only)"] = score_split(score, seed_gold, seed_preds)
    baselines = {
        "dev": score_baselines(score, dev_golds, flat / "raw", preds),
        "held-out": score_baselines(score, held_golds, flat / "raw", preds),
        "seed (text only)": score_baselines(score, seed_gold, text_only, seed_preds),
    }
    with_meta = score.load_predictions(str(build(REPO / "raw", work / "seed-b").out))
    results["seed (with its metadata)"] = score_split(score, seed_gold, with_meta)
    # the unseen splits again, their comments hard-wrapped at 72 columns by a mail-like client;
    # then also with a blank line after every paragraph, as plain-text archives lay them out
    unseen = (("held-out", held_golds, flat / "raw"), ("seed (text only)", seed_gold, text_only))
    for blank_between, label in ((False, ""), (True, ", blank line after each paragraph")):
        for split, gold_files, raw in unseen:
            wrapped = work / f"wrapped-{len(results)}"
            wrap_folder(gold_files, raw, wrapped, width=72, whole_page=False, blank_between=blank_between)
            wrapped_preds = score.load_predictions(str(build(wrapped / "raw", wrapped / "release").out))
            wrapped_golds = sorted((wrapped / "gold").glob("*.gold.json"))
            results[f"{split}, hard-wrapped at 72{label}"] = score_split(score, wrapped_golds, wrapped_preds)
    return results, baselines


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


def baselines_markdown(results: Measured, baselines: Baselines) -> str:
    """threadloom's figures next to the trivial readings', split by split."""
    head = "| split | reading | " + " | ".join(BASELINE_METRICS) + " |"
    rows = [head, "|" + "---|" * (len(BASELINE_METRICS) + 2)]
    for split, readings in baselines.items():
        for label, m in {"threadloom": results[split], **readings}.items():
            cells = " | ".join(f"{m[k]:.3f}" for k in BASELINE_METRICS)
            rows.append(f"| {split} | {label} | {cells} |")
    return "\n".join(rows)


def intervals_markdown(results: dict[str, dict[str, Any]],
                       intervals: dict[str, dict[str, tuple[float, float] | None]]) -> str:
    head = "| split | resampled | blogs | " + " | ".join(METRICS) + " |"
    rows = [head, "|" + "---|" * (len(METRICS) + 3)]
    for split, bounds in intervals.items():
        blogs = len(results[split]["groups"])
        resampled = "blogs, then threads" if blogs > 1 else "threads"
        cells = " | ".join("-" if (b := bounds[k]) is None else f"{b[0]:.2f}-{b[1]:.2f}" for k in METRICS)
        rows.append(f"| {split} | {resampled} | {blogs} | {cells} |")
    return "\n".join(rows)


def _interval_entry(bounds: tuple[float, float] | None) -> dict[str, list[float]]:
    """accuracy.json's 95% interval of one value (two decimals, as the datasheet shows it)."""
    return {} if bounds is None else {"interval_95": [round(bounds[0], 2), round(bounds[1], 2)]}


def replace_block(text: str, start: str, end: str, table: str, where: str) -> str:
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        sys.exit(f"{where}: no markers ({start} ... {end})")
    return pattern.sub(lambda _: f"{start}\n{table}\n{end}", text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=REPO.parent / "shared" / "bench")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--bootstrap", type=int, default=2000, metavar="N",
                    help="bootstrap draws per split for the 95%% intervals (0: no intervals)")
    args = ap.parse_args()
    if args.write and args.bootstrap <= 0:
        sys.exit("--write records the intervals too: give --bootstrap N > 0 (or leave it out)")
    with tempfile.TemporaryDirectory() as tmp:
        tempfile.tempdir = tmp  # score.py makes a cache folder for each release it reads and keeps it
        try:
            results, baselines = measure(args.bench, Path(tmp))
        finally:
            tempfile.tempdir = None
    table = markdown(results)
    print(table)
    baseline_table = baselines_markdown(results, baselines)
    print(f"\n{baseline_table}")
    interval_table = None
    intervals: dict[str, dict[str, tuple[float, float] | None]] = {}
    if args.bootstrap > 0:
        started = time.perf_counter()
        drawn = {split: bootstrap_intervals(m["groups"], args.bootstrap, BOOTSTRAP_SEED)
                 for split, m in results.items()}
        intervals = {split: bounds for split, bounds in drawn.items() if bounds is not None}
        seconds = time.perf_counter() - started
        interval_table = intervals_markdown(results, intervals)
        print(f"\n{interval_table}\n\nbootstrap: {args.bootstrap} draws per split in {seconds:.1f} s")
    if not args.write:
        return
    datasheet = REPO / "DATASHEET.md"
    text = replace_block(datasheet.read_text(encoding="utf-8"), START, END, table, str(datasheet))
    text = replace_block(text, INTERVALS_START, INTERVALS_END, str(interval_table), str(datasheet))
    text = replace_block(text, BASELINES_START, BASELINES_END, baseline_table, str(datasheet))
    command = "python scripts/measure_accuracy.py --write (the bench score.py, --min-conf medium)"
    accuracy = {
        "about": "Measured accuracy of threadloom's structure inference, quoted by the dataset card; "
                 "written by scripts/measure_accuracy.py, never by hand.",
        "measured_with": command,
        "results": [
            {"split": split, "metric": metric, "value": round(m[metric], 3), "n": m["n_gold_comments"],
             **_interval_entry(intervals.get(split, {}).get(metric))}
            for split, m in results.items() for metric in METRICS if not _undefined(m, metric)
        ],
        "baselines": [
            {"split": split, "reading": reading, "metric": metric, "value": round(m[metric], 3)}
            for split, readings in baselines.items() for reading, m in readings.items()
            for metric in BASELINE_METRICS
        ],
    }
    path = REPO / "src" / "threadloom" / "accuracy.json"
    path.write_text(json.dumps(accuracy, indent=2) + "\n", encoding="utf-8")
    datasheet.write_text(text, encoding="utf-8")
    print(f"wrote {path} and the accuracy tables of {datasheet}")


if __name__ == "__main__":
    main()
