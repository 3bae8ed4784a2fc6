#!/usr/bin/env python3
"""Learn the structure models' weights from the bench's dev sources (never the held-out ones).

Usage:
  python scripts/train_structure.py [--bench /work/shared/bench]

Updates src/threadloom/structure_weights.json with the models this script owns, keeping every
other model in the file (the segmentation models "article" and "start": scripts/train_segment.py):
  parent   log-linear candidate scorer, trained as a softmax over each comment's candidates
  author_crf  two-state linear-chain CRF over a thread's comments: emission weights
           for authorship.crf_features (cues + common words seen in >= VOCAB_SOURCES dev sources)
           and transition weights, fitted by the same deterministic AdaGrad on the exact
           log-likelihood (forward-backward marginals from threadloom.chain)
Both are fitted by full-batch AdaGrad in pure Python with a fixed order and no randomness, so the
output is reproducible. Features come from the same functions inference uses, on gold spans.
`fit` (plain logistic regression, same optimiser) also serves scripts/train_segment.py.

Parents: on two-level platforms (every reply attached to the top-level comment; see the bench's
SOURCES.md) the gold parent of a reply says which thread it joined, not which comment it answers,
so such a reply counts as right for any candidate inside that top-level thread (a partial label).
The model therefore learns the comment actually answered, which carries over to nested platforms.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from eval_structure import DEFAULT_BENCH, build_thread, flatten_bench, is_held_out, source_of
from threadloom.authorship import CEILING_PREFIX, CEILINGS, RULES, crf_features
from threadloom.authorship import MODEL as CRF_MODEL
from threadloom.chain import TRANSITIONS, emissions, marginals_from, transition_scores
from threadloom.facts import Facts, comment_facts
from threadloom.learned import WEIGHTS_FILE, Features, sigmoid
from threadloom.replies import CommentView, candidates, softmax
from threadloom.speakers import learn_author_name

Example = tuple[Features, int]
Choice = tuple[list[Features], set[int]]  # candidates' features, indices counted as right
OUT = Path(__file__).resolve().parents[1] / "src" / "threadloom" / WEIGHTS_FILE
TWO_LEVEL_SOURCES = ("mademistakes",)  # Staticman two-level threading (bench SOURCES.md)
VOCAB_SOURCES = 3  # a word joins the CRF's vocabulary when this many dev sources use it


def fit(
    examples: list[Example],
    l2: float = 0.003,
    epochs: int = 600,
    rate: float = 0.5,
    sample_weights: list[float] | None = None,
) -> dict[str, float]:
    """Logistic regression by full-batch AdaGrad; deterministic (sorted features, fixed epochs).
    sample_weights: each example's relative weight in the loss (default: all equal)."""
    names = sorted({name for feats, _ in examples for name in feats})
    weights = dict.fromkeys(names, 0.0)
    history = dict.fromkeys(names, 1e-8)
    raw = sample_weights or [1.0] * len(examples)
    total = sum(raw)
    shares = [w / total for w in raw]
    for _ in range(epochs):
        grad = {name: l2 * weights[name] for name in names}
        for (feats, label), share in zip(examples, shares, strict=True):
            error = (sigmoid(sum(weights[k] * v for k, v in feats.items())) - label) * share
            for k, v in feats.items():
                grad[k] += error * v
        _step(weights, history, grad, rate)
    return {name: round(w, 4) for name, w in weights.items() if abs(w) >= 1e-4}


def fit_softmax(
    choices: list[Choice], l2: float = 0.003, epochs: int = 600, rate: float = 0.5
) -> dict[str, float]:
    """Softmax over candidates with partial labels: maximise log P(the chosen one is in the right
    set). Deterministic like `fit`."""
    names = sorted({name for feats, _ in choices for f in feats for name in f})
    weights = dict.fromkeys(names, 0.0)
    history = dict.fromkeys(names, 1e-8)
    n = len(choices)
    for _ in range(epochs):
        grad = {name: l2 * weights[name] for name in names}
        for feats, right in choices:
            probs = softmax([sum(weights[k] * v for k, v in f.items()) for f in feats])
            mass = sum(probs[i] for i in right)
            for i, (f, p) in enumerate(zip(feats, probs, strict=True)):
                target = p / mass if i in right else 0.0
                for k, v in f.items():
                    grad[k] += (p - target) * v / n
        _step(weights, history, grad, rate)
    return {name: round(w, 4) for name, w in weights.items() if abs(w) >= 1e-4}


Sequence = tuple[list[Features], list[int]]


def fit_crf(
    seqs: list[Sequence],
    l2: float = 0.003,
    epochs: int = 300,
    rate: float = 0.3,
    fixed: dict[str, float] | None = None,
) -> dict[str, float]:
    """Linear-chain CRF (author vs reader) by full-batch AdaGrad on the exact log-likelihood;
    deterministic (sorted features, fixed epochs). `fixed`: weights set beforehand and kept."""
    held = fixed or {}
    names = sorted(
        {k for feats, _ in seqs for f in feats for k in f} | {n for n in TRANSITIONS.values() if n}
    )
    weights = dict.fromkeys(names, 0.0) | {k: v for k, v in held.items() if k in names}
    history = dict.fromkeys(names, 1e-8)
    n = sum(len(labels) for _, labels in seqs)
    for _ in range(epochs):
        grad = {name: l2 * weights[name] for name in names}
        trans = transition_scores(weights)
        for feats, labels in seqs:
            singles, pairs, _ = marginals_from(emissions(weights, feats), trans)
            for j, f in enumerate(feats):
                error = (singles[j] - labels[j]) / n
                if error:
                    for k, v in f.items():
                        grad[k] += error * v
                if j:
                    for (i, k2), name in TRANSITIONS.items():
                        if name:
                            grad[name] += (
                                pairs[j][i][k2] - float(labels[j - 1] == i and labels[j] == k2)
                            ) / n
        for name in held:
            grad.pop(name, None)
        _step(weights, history, grad, rate)
    return {name: round(w, 4) for name, w in weights.items() if abs(w) >= 1e-4}


def rule_weight(seqs: list[Sequence], feature: str) -> float:
    """The log-odds that a comment with this rule feature is the author's on the dev threads,
    add-one smoothed: (right + 1) / (wrong + 1)."""
    right = wrong = 0
    for feats, labels in seqs:
        for f, label in zip(feats, labels, strict=True):
            if feature in f:
                right, wrong = right + label, wrong + (not label)
    return round(math.log((right + 1) / (wrong + 1)), 4)


def crf_vocabulary(docs: list[Doc]) -> frozenset[str]:
    sources: dict[str, set[str]] = {}
    for d in docs:
        for f in d.facts:
            for t in f.words:
                sources.setdefault(t, set()).add(d.source)
    return frozenset(t for t, s in sources.items() if len(s) >= VOCAB_SOURCES)


def _step(weights: dict[str, float], history: dict[str, float], grad: dict[str, float], rate: float) -> None:
    for name, g in grad.items():
        history[name] += g**2
        weights[name] -= rate * g / math.sqrt(history[name])


class Doc:
    """One gold thread read into what the trainers need."""

    def __init__(self, gold: dict[str, Any], text: str) -> None:
        thread = build_thread(text, gold["doc"])
        self.source = source_of(gold["doc"])
        comments = gold["comments"]
        self.facts: list[Facts] = [comment_facts(thread.span_text(g["start"], g["end"])) for g in comments]
        self.flags = [bool(g["is_post_author"]) for g in comments]
        index_of = {g["start"]: j for j, g in enumerate(comments)}
        self.parents: list[int | None] = [
            None if g["parent"] is None else index_of[g["parent"]] for g in comments
        ]
        article = [line.text for line in thread.lines[: gold["article"]["end"]] if line.text.strip()]
        name = learn_author_name([f.text for f in self.facts], article=article).name
        self.author = name.split()[0] if name else None


def right_set(doc: Doc, j: int, cands: list[int | None]) -> set[int]:
    gold = doc.parents[j]
    exact = {i for i, c in enumerate(cands) if c == gold}
    if doc.source not in TWO_LEVEL_SOURCES or gold is None:
        return exact
    # any candidate inside the gold top-level thread: a root or a comment under it
    return {i for i, c in enumerate(cands) if c is not None and _root(doc.parents, c) == gold} or exact


def _root(parents: list[int | None], c: int) -> int:
    while (up := parents[c]) is not None:
        c = up
    return c


def parent_choices(doc: Doc) -> list[Choice]:
    views = [CommentView(f, a) for f, a in zip(doc.facts, doc.flags, strict=True)]
    depths: list[int] = []
    out: list[Choice] = []
    for j, parent in enumerate(doc.parents):
        depths.append(0 if parent is None else depths[parent] + 1)
        if j == 0:
            continue
        cands = candidates(views, doc.parents, depths, j, doc.author)
        right = right_set(doc, j, [c for c, _ in cands])
        if right:  # the gold parent can fall beyond the candidate bound
            out.append(([f for _, f in cands], right))
    return out


def structure_models(docs: list[Doc], choices: list[Choice] | None = None) -> dict[str, dict[str, float]]:
    """The "parent" and author CRF weights learned from these documents (`choices`: their
    parent_choices, when the caller has them)."""
    vocab = crf_vocabulary(docs)
    seqs = [(crf_features(d.facts, d.author, vocab), [int(x) for x in d.flags]) for d in docs]
    author_crf = fit_crf(seqs, fixed={rule: rule_weight(seqs, rule) for rule in RULES})
    author_crf.update({CEILING_PREFIX + rule: rule_weight(seqs, rule) for rule in CEILINGS})
    if choices is None:
        choices = [c for d in docs for c in parent_choices(d)]
    parent = fit_softmax(choices)
    return {"parent": parent, CRF_MODEL: author_crf}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--out", type=Path, default=OUT, help="weights file to update (default: the package's)")
    args = ap.parse_args()
    folder = flatten_bench(args.bench)
    docs: list[Doc] = []
    for gold_path in sorted((folder / "gold").glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if is_held_out(gold["doc"]):
            continue  # never train on held-out sources
        docs.append(Doc(gold, (folder / "raw" / gold["doc"]).read_text(encoding="utf-8")))
    sources = sorted({d.source for d in docs})
    choices = [c for d in docs for c in parent_choices(d)]
    n_choices = len(choices)
    existing = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    existing.update(structure_models(docs, choices))
    for retired in ("author", "author2"):  # the two-pass author classifier the CRF replaced
        existing.pop(retired, None)
    args.out.write_text(json.dumps(existing, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"train_structure: {len(docs)} dev documents from {len(sources)} sources; "
        f"author CRF over {len(docs)} threads, parent choices {n_choices}; wrote {args.out}"
    )


if __name__ == "__main__":
    main()
