#!/usr/bin/env python3
"""Train the segmenter's weights (src/threadloom/segment_weights.json) from the bench's dev sources.

Usage:
  python scripts/train_segment.py [--bench ../shared/bench] [--cv] [--out PATH]

Reads only ../shared/bench, and only threads whose source is not held out (the held-out sources
are scripts/eval_structure.py's HELD_OUT_SOURCES). Piecewise training of the joint lattice in
threadloom.segment_model: three L2-regularised logistic models fitted by full-batch AdaGrad (line is
article prose; line opens the first comment; line opens another comment), plus a comment-length
prior counted from the gold threads and expressed relative to the start rate the start model
already encodes. Deterministic (no sampling; sorted iteration). The posterior temperature is the one
whose boundary posteriors have the lowest log loss on cross-validated predictions (each source a
fold, the largest source split in four), so confidences are calibrated on threads the weights did
not see; --cv also prints those cross-validated scores.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_structure import HELD_OUT_SOURCES  # noqa: E402
from threadloom import segment_features  # noqa: E402
from threadloom.segment_model import (  # noqa: E402
    MAX_LEN,
    Weights,
    analyse,
    article_size_cue,
    changepoint_cut,
    cut_posterior,
    decode_comments,
    pair_cues,
    start_posteriors,
)

DEFAULT_BENCH = ROOT.parent / "shared" / "bench"
DEFAULT_OUT = ROOT / "src" / "threadloom" / "segment_weights.json"
# change-point cut settings, chosen by cross-validation (both fold schemes) on dev sources
CUT_CLIP = 8.0  # cap on one line's article log-odds in the change-point fit
CUT_WEIGHT = 4.0  # how much the local "the first comment opens here" score moves the cut
CUT_START_WEIGHT = 1.0  # ... and the ordinary "a comment opens here" score
CUT_TEMPERATURES = [0.03, 0.1, 0.3, 1.0, 3.0]
TEMPERATURES = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.5]
Example = tuple[list[tuple[str, str]], int, float]


@dataclass(frozen=True)
class Doc:
    name: str
    source: str
    texts: list[str]
    first: int  # index of the first comment line
    starts: list[int]  # indices of all comment starts


@dataclass(frozen=True)
class Settings:
    l2: float = 3.0
    epochs: int = 60
    length_weight: float = 1.0
    article_scale: float = 1.0
    article_clip: float = 1e9
    cut_scale: float = 1.0
    size_prior: bool = True
    loso: bool = False  # leave-one-source-out folds (else the largest source is split in four)
    balance: float = 0.0  # 0 = every line counts once; 1 = every source counts the same in total
    # the next line's cues did not help starts in cross-validation: left out by default
    drop_roles: tuple[str, ...] = ("bn",)


def load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_docs(bench: Path) -> list[Doc]:
    """Dev threads only, flattened exactly as the bench's flatten.py does."""
    flatten = load_module(bench / "flatten.py", "bench_flatten")
    docs: list[Doc] = []
    for raw in (bench / "threads.jsonl").read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        thread = json.loads(raw)
        source = thread["thread_id"].split("/", 1)[0]
        if source in HELD_OUT_SOURCES:
            continue
        lines, article_end, gold = flatten.flatten(thread)
        if not gold:
            continue
        docs.append(Doc(thread["thread_id"], source, lines, article_end, [g["start"] - 1 for g in gold]))
    return docs


def source_weights(docs: Sequence[Doc], balance: float) -> dict[str, float]:
    """Per-source example weight: (mean lines per source / this source's lines) ** balance, so one
    large blog does not teach the models its own habits as if they were everyone's."""
    lines: dict[str, int] = {}
    for d in docs:
        lines[d.source] = lines.get(d.source, 0) + len(d.texts)
    mean = sum(lines.values()) / len(lines)
    return {s: (mean / n) ** balance for s, n in lines.items()}


def examples(docs: Sequence[Doc], balance: float = 0.0) -> tuple[list[Example], list[Example], list[Example]]:
    """(article-line, first-comment, comment-start) examples, with the roles analyse() scores."""
    weight_of = source_weights(docs, balance)
    art: list[Example] = []
    cut: list[Example] = []
    start: list[Example] = []
    for d in docs:
        n = len(d.texts)
        parsed = [segment_features.line_cues(t) for t in d.texts]
        gold = set(d.starts)
        weight = weight_of[d.source]
        for i in range(n):
            pairs = (
                ["bos"]
                if i == 0
                else pair_cues(
                    d.texts[i - 1], d.texts[i], parsed[i - 1][0], parsed[i][0], parsed[i - 1][1], parsed[i][1]
                )
            )
            prev = parsed[i - 1][0] if i else ()
            nxt = parsed[i + 1][0] if i + 1 < n else ()
            feats = [("ac", "bias")] + [("ac", c) for c in parsed[i][0]]
            feats += [("ap", c) for c in prev] + [("an", c) for c in nxt]
            art.append((feats, int(i < d.first), weight))
            feats = [("cc", "bias")] + [("cc", c) for c in parsed[i][0]] + [("cp", c) for c in prev]
            feats += [("cx", c) for c in pairs] + [("ca", article_size_cue(i))]
            cut.append((feats, int(i == d.first), weight))
            if i > d.first:
                feats = [("bc", "bias")] + [("bc", c) for c in parsed[i][0]] + [("bp", c) for c in prev]
                feats += [("bx", c) for c in pairs] + ([("bn", c) for c in nxt] if nxt else [("bn", "eos")])
                start.append((feats, int(i in gold), weight))
    return art, cut, start


def fit_logistic(data: list[Example], settings: Settings) -> dict[tuple[str, str], float]:
    """Full-batch AdaGrad on the L2-regularised log loss; deterministic."""
    weights: dict[tuple[str, str], float] = {}
    squares: dict[tuple[str, str], float] = {}
    for _ in range(settings.epochs):
        grad: dict[tuple[str, str], float] = {}
        for feats, label, weight in data:
            z = max(min(sum(weights.get(f, 0.0) for f in feats), 30.0), -30.0)
            error = weight * (1.0 / (1.0 + math.exp(-z)) - label)
            for f in feats:
                grad[f] = grad.get(f, 0.0) + error
        for f in sorted(grad):
            g = grad[f] + settings.l2 * weights.get(f, 0.0)
            squares[f] = squares.get(f, 0.0) + g * g
            weights[f] = weights.get(f, 0.0) - 0.5 * g / math.sqrt(squares[f] + 1e-9)
    return weights


def length_prior(docs: Sequence[Doc]) -> list[float]:
    """log P(comment has m lines) minus what the start model's constant start rate already implies
    (a geometric length), so the prior only adds what independent line decisions cannot say."""
    counts = [1.0] * (MAX_LEN + 1)
    for d in docs:
        bounds = [*d.starts, len(d.texts)]
        for s, e in itertools.pairwise(bounds):
            counts[min(e - s, MAX_LEN)] += 1
    total = sum(counts[1:])
    lines = sum(len(d.texts) - d.first for d in docs)
    rate = sum(len(d.starts) for d in docs) / lines
    geometric = [0.0] + [math.log(rate * (1 - rate) ** (m - 1)) for m in range(1, MAX_LEN)]
    geometric.append(math.log((1 - rate) ** (MAX_LEN - 1)))
    return [0.0] + [math.log(counts[m] / total) - geometric[m] for m in range(1, MAX_LEN + 1)]


def train(docs: Sequence[Doc], settings: Settings) -> Weights:
    art, cut, start = examples(docs, settings.balance)
    if settings.drop_roles:
        art, cut, start = (
            [([f for f in feats if f[0] not in settings.drop_roles], y, w) for feats, y, w in data]
            for data in (art, cut, start)
        )
    if not settings.size_prior:
        cut = [([f for f in feats if f[0] != "ca"], label, weight) for feats, label, weight in cut]
    weights: Weights = {}
    for data, scale in ((art, 1.0), (cut, settings.cut_scale), (start, 1.0)):
        for (role, name), value in fit_logistic(data, settings).items():
            if abs(value) >= 1e-3:
                weights.setdefault(role, {})[name] = round(scale * value, 4)
    weights["param"] = {"article_scale": settings.article_scale, "article_clip": settings.article_clip}
    prior = length_prior(docs)
    weights["len"] = {str(m): round(settings.length_weight * prior[m], 4) for m in range(1, MAX_LEN + 1)}
    return weights


def evaluate_pairs(pairs: Sequence[tuple[Doc, Weights]]) -> dict[str, float]:
    """boundary F1, exact spans and exact article cuts, micro-averaged like score.py."""
    tp = fp = fn = spans_ok = spans = cuts_ok = 0
    for doc, weights in pairs:
        analysis = analyse(doc.texts, weights)
        first = changepoint_cut(analysis, CUT_CLIP, CUT_WEIGHT, CUT_START_WEIGHT).first
        starts = decode_comments(analysis, first)
        gold, pred = set(doc.starts), set(starts)
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
        n = len(doc.texts)
        gold_spans = set(zip(doc.starts, [*doc.starts[1:], n], strict=True))
        pred_spans = set(zip(starts, [*starts[1:], n], strict=True))
        spans_ok += len(gold_spans & pred_spans)
        spans += len(gold_spans)
        cuts_ok += first == doc.first
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {
        "boundary_f1": round(2 * p * r / max(p + r, 1e-9), 4),
        "exact_span": round(spans_ok / max(spans, 1), 4),
        "cut_exact": round(cuts_ok / max(len(pairs), 1), 4),
    }


def folds(docs: Sequence[Doc], loso: bool) -> dict[str, str]:
    """Each source is a fold; the largest source is split in four so no fold holds most data."""
    sizes = {s: sum(d.source == s for d in docs) for s in {d.source for d in docs}}
    biggest = max(sorted(sizes), key=lambda s: sizes[s])
    out: dict[str, str] = {}
    k = 0
    for d in docs:
        if d.source == biggest and not loso:
            out[d.name] = f"{biggest}#{k % 4}"
            k += 1
        else:
            out[d.name] = d.source
    return out


def cross_validated(docs: Sequence[Doc], settings: Settings) -> list[tuple[Doc, Weights]]:
    fold_of = folds(docs, settings.loso)
    held: list[tuple[Doc, Weights]] = []
    for fold in sorted(set(fold_of.values())):
        weights = train([d for d in docs if fold_of[d.name] != fold], settings)
        held.extend((d, weights) for d in docs if fold_of[d.name] == fold)
    return held


def fit_temperature(held: Sequence[tuple[Doc, Weights]]) -> float:
    """The temperature whose start posteriors have the lowest log loss on unseen threads."""
    best_t, best_loss = 1.0, math.inf
    for t in TEMPERATURES:
        loss = 0.0
        for doc, weights in held:
            post = start_posteriors(analyse(doc.texts, weights), doc.first, t)
            gold = set(doc.starts)
            for i in range(doc.first + 1, len(doc.texts)):
                p = min(max(post[i], 1e-6), 1 - 1e-6)
                loss -= math.log(p if i in gold else 1 - p)
        if loss < best_loss:
            best_t, best_loss = t, loss
    return best_t


def fit_cut_temperature(held: Sequence[tuple[Doc, Weights]]) -> float:
    """The scale of the cut objective whose softmax gives the gold cuts the highest likelihood."""
    best_t, best_loss = 1.0, math.inf
    cuts = [
        (changepoint_cut(analyse(d.texts, w), CUT_CLIP, CUT_WEIGHT, CUT_START_WEIGHT), d.first)
        for d, w in held
    ]
    for t in CUT_TEMPERATURES:
        loss = -sum(math.log(max(cut_posterior(cut, t)[gold], 1e-9)) for cut, gold in cuts)
        if loss < best_loss:
            best_t, best_loss = t, loss
    return best_t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--cv", action="store_true", help="print cross-validated scores")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--l2", type=float, default=Settings.l2)
    ap.add_argument("--epochs", type=int, default=Settings.epochs)
    ap.add_argument("--length-weight", type=float, default=Settings.length_weight)
    ap.add_argument("--article-scale", type=float, default=Settings.article_scale)
    ap.add_argument("--article-clip", type=float, default=Settings.article_clip)
    ap.add_argument("--cut-scale", type=float, default=Settings.cut_scale)
    ap.add_argument("--no-size-prior", action="store_true")
    ap.add_argument(
        "--drop-roles", default=",".join(Settings.drop_roles), help="roles to leave out, comma-separated"
    )
    ap.add_argument("--balance", type=float, default=Settings.balance)
    ap.add_argument("--loso", action="store_true", help="leave-one-source-out folds")
    ap.add_argument("--disable", default="", help="comma-separated cue families to switch off (ablation)")
    args = ap.parse_args()
    segment_features.DISABLED.update(x for x in args.disable.split(",") if x)
    settings = Settings(
        args.l2,
        args.epochs,
        args.length_weight,
        args.article_scale,
        args.article_clip,
        args.cut_scale,
        not args.no_size_prior,
        args.loso,
        args.balance,
        tuple(x for x in args.drop_roles.split(",") if x),
    )
    docs = load_docs(args.bench)
    held = cross_validated(docs, settings)
    if args.cv:
        print(f"cross-validated {evaluate_pairs(held)}")
    temperature = fit_temperature(held)
    cut_temperature = fit_cut_temperature(held)
    weights = train(docs, settings)
    weights["param"].update(
        {
            "cut_clip": CUT_CLIP,
            "cut_weight": CUT_WEIGHT,
            "cut_start_weight": CUT_START_WEIGHT,
            "cut_temperature": cut_temperature,
        }
    )
    print(f"fit on all dev {evaluate_pairs([(d, weights) for d in docs])}  temperature={temperature}")
    payload = {
        "max_len": MAX_LEN,
        "temperature": temperature,
        "disabled": sorted(segment_features.DISABLED),
        "weights": weights,
    }
    args.out.write_text(json.dumps(payload, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({sum(len(v) for v in weights.values())} weights)")


if __name__ == "__main__":
    main()
