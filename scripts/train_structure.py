#!/usr/bin/env python3
"""Learn the structure models' weights from the bench's dev sources (never the held-out ones).

Usage:
  python scripts/train_structure.py [--bench /work/shared/bench]

Writes src/threadloom/structure_weights.json: for each model ("article", "start", "author",
"parent") a map feature -> weight of an L2-regularised logistic regression, fitted by full-batch
AdaGrad in pure Python with a fixed order and no randomness, so the output is reproducible.
Features are computed with the same functions inference uses, from the gold structure.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from eval_structure import DEFAULT_BENCH, build_thread, flatten_bench, is_held_out
from threadloom.learned import WEIGHTS_FILE, Features, sigmoid
from threadloom.replies import MAX_CANDIDATES, CommentView, parent_features, path_to_root
from threadloom.segment import article_features, start_features
from threadloom.speakers import author_features, learn_author_name
from threadloom.structure import text_lines

Example = tuple[Features, int]
OUT = Path(__file__).resolve().parents[1] / "src" / "threadloom" / WEIGHTS_FILE


def fit(
    examples: list[Example], l2: float = 0.003, epochs: int = 1000, rate: float = 0.5
) -> dict[str, float]:
    """Logistic regression by full-batch AdaGrad; deterministic (sorted features, fixed epochs)."""
    names = sorted({name for feats, _ in examples for name in feats})
    weights = dict.fromkeys(names, 0.0)
    history = dict.fromkeys(names, 1e-8)
    n = len(examples)
    for _ in range(epochs):
        grad = {name: l2 * weights[name] for name in names}
        for feats, label in examples:
            error = sigmoid(sum(weights[k] * v for k, v in feats.items())) - label
            for k, v in feats.items():
                grad[k] += error * v / n
        for name in names:
            history[name] += grad[name] ** 2
            weights[name] -= rate * grad[name] / math.sqrt(history[name])
    return {name: round(w, 4) for name, w in weights.items() if abs(w) >= 1e-4}


def doc_examples(gold: dict[str, Any], text: str, sets: dict[str, list[Example]]) -> None:
    thread = build_thread(text, gold["doc"])
    lines = text_lines(thread)
    cut = gold["article"]["end"]
    first = sum(1 for line in lines if line.number <= cut)
    for i in range(len(lines)):
        sets["article"].append((article_features(lines, i), int(i >= first)))
    author = learn_author_name([line.text for line in lines[first:]]).name
    short = author.split()[0] if author else None
    starts = {g["start"] for g in gold["comments"]}
    by_number: dict[int, int] = {line.number: i for i, line in enumerate(lines)}
    for i in range(first + 1, len(lines)):
        nxt = lines[i + 1].text if i + 1 < len(lines) else None
        sets["start"].append(
            (
                start_features(lines[i - 1].text, lines[i].text, nxt, short),
                int(lines[i].number in starts),
            )
        )
    del by_number
    comments = gold["comments"]
    texts = [thread.span_text(g["start"], g["end"]) for g in comments]
    flags = [bool(g["is_post_author"]) for g in comments]
    index_of = {g["start"]: j for j, g in enumerate(comments)}
    parents: list[int | None] = [
        None if g["parent"] is None else index_of[g["parent"]] for g in comments
    ]
    depths: list[int] = []
    for j, g in enumerate(comments):
        depths.append(0 if parents[j] is None else depths[parents[j]] + 1)  # type: ignore[index]
        if g.get("speaker_conf", "high") != "low":
            prev = texts[j - 1] if j else None
            sets["author"].append(
                (
                    author_features(texts[j], prev, flags[j - 1] if j else False, short),
                    int(flags[j]),
                )
            )
        if j == 0:
            continue
        cur = CommentView(texts[j], flags[j])
        sets["parent"].append((parent_features(cur, None, 0, 0, short), int(parents[j] is None)))
        for up, c in enumerate(path_to_root(parents, j - 1)[:MAX_CANDIDATES]):
            feats = parent_features(cur, CommentView(texts[c], flags[c]), up, depths[c], short)
            sets["parent"].append((feats, int(parents[j] == c)))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    args = ap.parse_args()
    docs = flatten_bench(args.bench)
    sets: dict[str, list[Example]] = {"article": [], "start": [], "author": [], "parent": []}
    used = 0
    for gold_path in sorted((docs / "gold").glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if is_held_out(gold["doc"]):
            continue  # never train on held-out sources
        doc_examples(gold, (docs / "raw" / gold["doc"]).read_text(encoding="utf-8"), sets)
        used += 1
    weights = {name: fit(examples) for name, examples in sets.items()}
    OUT.write_text(json.dumps(weights, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    sizes = ", ".join(f"{k}: {len(v)} examples" for k, v in sets.items())
    print(f"train_structure: {used} dev documents; {sizes}; wrote {OUT}")


if __name__ == "__main__":
    main()
