#!/usr/bin/env python3
"""Learn the segmentation models' weights from the bench's dev sources (never the held-out ones).

Usage:
  python scripts/train_segment.py [--bench /work/shared/bench]

Updates the "article" (does this line read like a comment rather than article prose?) and "start"
(does this line start a new comment?) models in src/threadloom/structure_weights.json, keeping the
other models (scripts/train_structure.py writes those). Each is an L2-regularised logistic
regression fitted by full-batch AdaGrad in pure Python with a fixed order and no randomness, so the
output is reproducible (the article model weighs every document the same: `train_models`).
Features come from the functions inference uses (article.py, segment.py), on the gold article cut and gold
comment starts.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from eval_structure import DEFAULT_BENCH, build_thread, flatten_bench, is_held_out
from threadloom.article import article_features
from threadloom.segment import start_features
from threadloom.speakers import learn_author_name
from threadloom.structure import text_lines
from train_structure import OUT, Example, fit

SEGMENT_MODELS = ("article", "start")


def doc_examples(gold: dict[str, Any], text: str, sets: dict[str, list[Example]]) -> None:
    lines = text_lines(build_thread(text, gold["doc"]))
    first = sum(1 for line in lines if line.number <= gold["article"]["end"])
    for i in range(len(lines)):
        sets["article"].append((article_features(lines, i), int(i >= first)))
    author = learn_author_name([line.text for line in lines[first:]],
                               article=[line.text for line in lines[:first]]).name
    short = author.split()[0] if author else None
    starts = {g["start"] for g in gold["comments"]}
    for i in range(first + 1, len(lines)):
        nxt = lines[i + 1].text if i + 1 < len(lines) else None
        feats = start_features(lines[i - 1].text, lines[i].text, nxt, short)
        sets["start"].append((feats, int(lines[i].number in starts)))


def dev_documents(folder: Path) -> list[tuple[dict[str, Any], str]]:
    """Every dev document of a flattened bench folder as (gold, raw text), in file-name order."""
    docs = []
    for gold_path in sorted((folder / "gold").glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if is_held_out(gold["doc"]):
            continue  # never train on held-out sources
        docs.append((gold, (folder / "raw" / gold["doc"]).read_text(encoding="utf-8")))
    return docs


def class_balanced(examples: list[Example]) -> list[float]:
    """Weights that give each label of one document the same total weight (1 per label)."""
    counts = Counter(label for _, label in examples)
    return [1.0 / counts[label] for _, label in examples]


def train_models(docs: list[tuple[dict[str, Any], str]]) -> dict[str, dict[str, float]]:
    """The "article" and "start" weights learned from these (gold, raw text) documents.

    For "article", every document weighs the same whatever its length, and within it its article
    lines and its comment lines weigh 1 each: one source's long articles would otherwise set the
    model (chosen by leave-one-source-out cross-validation, scripts/cv_segment.py). "start" weighs
    every example the same."""
    sets: dict[str, list[Example]] = {name: [] for name in SEGMENT_MODELS}
    article_shares: list[float] = []
    for gold, text in docs:
        seen = len(sets["article"])
        doc_examples(gold, text, sets)
        article_shares += class_balanced(sets["article"][seen:])
    return {
        "article": fit(sets["article"], epochs=1000, sample_weights=article_shares),
        "start": fit(sets["start"], epochs=1000),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--out", type=Path, default=OUT, help="weights file to update (default: the package's)")
    args = ap.parse_args()
    docs = dev_documents(flatten_bench(args.bench))
    existing = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    existing.update(train_models(docs))
    args.out.write_text(json.dumps(existing, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"train_segment: {len(docs)} dev documents; wrote {args.out}")


if __name__ == "__main__":
    main()
