#!/usr/bin/env python3
"""How far to trust a stated confidence on a blog the models never saw (a script, not shipped data).

Usage:
  python scripts/fit_calibration.py [--bench /work/shared/bench]

Leave-one-blog-out over the dev sources: for each dev blog, the segmentation and structure models
are retrained (as scripts/train_segment.py and scripts/train_structure.py train them) on the other
dev blogs, and the held-back blog is inferred end to end. Its decisions' (stated confidence, right)
pairs, per kind (boundaries, post-author flags, parents), are fitted with Platt scaling:
p' = sigmoid(a * logit(p) + b), by Newton's method on the log-loss. The script prints a and b and
the expected calibration error before and after, on those leave-one-blog-out pairs and on the
held-out blogs (inferred with the shipped weights, never used for the fit). Deterministic.

The releases keep the stated confidences (the names' thresholds are set on that scale); the
datasheet quotes this mapping for users who want probabilities on unseen blogs.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from eval_structure import (
    DEFAULT_BENCH,
    build_thread,
    calibration,
    calibration_lines,
    flatten_bench,
    is_held_out,
    source_of,
)
from threadloom.learned import all_weights, sigmoid, swap_weights
from threadloom.structure import infer_structure
from train_segment import train_models
from train_structure import Doc, structure_models

KINDS = ("boundary", "author", "parent")
Pairs = list[tuple[float, bool]]


def logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def fit_platt(pairs: Pairs, rounds: int = 100) -> tuple[float, float]:
    """(a, b) minimising the log-loss of sigmoid(a * logit(p) + b), by damped Newton steps."""
    a, b = 1.0, 0.0
    for _ in range(rounds):
        ga = gb = haa = hab = hbb = 0.0
        for confidence, right in pairs:
            x = logit(confidence)
            p = sigmoid(a * x + b)
            r, w = p - right, p * (1 - p)
            ga, gb = ga + r * x, gb + r
            haa, hab, hbb = haa + w * x * x, hab + w * x, hbb + w
        det = (haa + 1e-6) * (hbb + 1e-6) - hab * hab
        step_a = ((hbb + 1e-6) * ga - hab * gb) / det
        step_b = ((haa + 1e-6) * gb - hab * ga) / det
        a -= max(-1.0, min(1.0, step_a))
        b -= max(-1.0, min(1.0, step_b))
    return a, b


def decisions(docs: list[tuple[dict[str, Any], str]]) -> dict[str, Pairs]:
    tally: dict[str, Pairs] = {}
    for gold, text in docs:
        calibration(infer_structure(build_thread(text, gold["doc"])), gold, tally)
    return tally


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    args = ap.parse_args()
    folder = flatten_bench(args.bench)
    dev: list[tuple[dict[str, Any], str]] = []
    held: list[tuple[dict[str, Any], str]] = []
    for gold_path in sorted((folder / "gold").glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (folder / "raw" / gold["doc"]).read_text(encoding="utf-8")
        (held if is_held_out(gold["doc"]) else dev).append((gold, text))
    loso: dict[str, Pairs] = {}
    for blog in sorted({source_of(gold["doc"]) for gold, _ in dev}):
        train = [(gold, text) for gold, text in dev if source_of(gold["doc"]) != blog]
        models = dict(all_weights())
        models.update(train_models(train))
        models.update(structure_models([Doc(gold, text) for gold, text in train]))
        with swap_weights(models):
            for kind, pairs in decisions([d for d in dev if source_of(d[0]["doc"]) == blog]).items():
                loso.setdefault(kind, []).extend(pairs)
    shipped = decisions(held)
    for kind in KINDS:
        a, b = fit_platt(loso[kind])
        print(f"{kind}: p' = sigmoid({a:.3f} * logit(p) {'+' if b >= 0 else '-'} {abs(b):.3f})")
        for split, pairs in (("leave-one-blog-out (dev)", loso[kind]), ("held-out", shipped[kind])):
            mapped = [(sigmoid(a * logit(c) + b), right) for c, right in pairs]
            print(f"  {split}, as stated:")
            print("\n".join(calibration_lines("", kind, pairs)))
            print(f"  {split}, mapped:")
            print("\n".join(calibration_lines("", kind, mapped)))


if __name__ == "__main__":
    main()
