"""Joint article cut + comment segmentation as one structured decode over the whole document.

The document is a left-to-right chain: a (possibly empty) run of article lines, then comments. Each
comment is a run of lines; the lattice state is "in the article" or "m-th line of the current
comment" (m capped at MAX_LEN), so a learned comment-length prior costs O(MAX_LEN) per line while
comments may be any length. Every decision is a sum of learned cue weights:

- article line i:            role "ac" on line i, "ap" on line i-1, "an" on line i+1
- first comment starts at k:  "cc" on line k, "cp" on line k-1, "cx" pair cues, "ca" article size
- another comment starts at i: "bc" on line i, "bp" on line i-1, "bn" on line i+1, "bx" pair cues
- a comment of m lines ends:   "len" m

Weights come from scripts/train_segment.py (averaged structured perceptron on dev sources) and
ship as segment_weights.json. Viterbi gives the segmentation; forward-backward at a learned
temperature gives each boundary's posterior probability, used as its confidence.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .model import is_hard_wrap
from .segment_features import length_bucket, line_cues, overlap_bucket

WEIGHTS_FILE = "segment_weights.json"
MAX_LEN = 8  # comment lengths 1..7 get their own prior; 8 stands for "8 or more"
NEG = -1e18
ART = 0  # lattice state index of "article"; states 1..MAX_LEN are comment positions

Weights = dict[str, dict[str, float]]


@dataclass(frozen=True)
class Analysis:
    """Per-line scores of one document under the current weights."""

    cues: list[tuple[str, ...]]
    article: list[float]  # score of line i being article prose
    cut: list[float]  # score of the first comment starting at line i
    start: list[float]  # score of another comment starting at line i
    length: list[float]  # length[m] for m in 0..MAX_LEN (index 0 unused)


@dataclass(frozen=True)
class Decode:
    first: int  # index of the first comment line
    starts: list[int]  # indices of every comment start, the first included
    score: float


@lru_cache(maxsize=1)
def shipped_weights() -> tuple[Weights, float]:
    """(weights by role, temperature) from the packaged file; empty when it is missing."""
    try:
        text = resources.files("threadloom").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return {}, 1.0
    data = json.loads(text)
    return data["weights"], float(data.get("temperature", 1.0))


def pair_cues(prev: str, cur: str, prev_cues: Sequence[str], cur_cues: Sequence[str],
              prev_content: frozenset[str], cur_content: frozenset[str]) -> list[str]:
    """Cues of two adjacent lines together: how the first ends against how the second begins."""
    # positions 0..3 of a line's cue tuple are its length, first char, last char and opener class
    found = [
        f"{prev_cues[2]}|{cur_cues[3]}",
        f"{prev_cues[2]}|{cur_cues[1]}",
        f"{prev_cues[0]}|{cur_cues[0]}",
        f"{prev_cues[3]}|{cur_cues[3]}",
        overlap_bucket(prev_content, cur_content),
    ]
    if is_hard_wrap(prev, cur):
        found.append("hardwrap")
    # code, lists and "here is how:" introductions run on inside one comment
    if "code" in cur_cues and ("code" in prev_cues or prev_cues[2] == "lc::"):
        found.append("code-run")
    if "bullet" in cur_cues and ("bullet" in prev_cues or prev_cues[2] == "lc::"):
        found.append("list-run")
    return found


def _length_ratio(prev: int, cur: int) -> str:
    """A much shorter or longer line than the one before often belongs to someone else."""
    if cur * 3 < prev:
        return "ratio:shorter"
    if cur > prev * 3:
        return "ratio:longer"
    return "ratio:similar"


def article_size_cue(k: int) -> str:
    return "alen:0" if k == 0 else f"alen:{length_bucket(k)}"


def _role_sum(table: dict[str, float], names: Sequence[str]) -> float:
    get = table.get
    return sum([get(name, 0.0) for name in names])


def analyse(texts: Sequence[str], weights: Weights) -> Analysis:
    """Score every line in every role; each line's cues are computed once."""
    n = len(texts)
    parsed = [line_cues(t) for t in texts]
    cue_lists = [p[0] for p in parsed]
    empty: dict[str, float] = {}
    role = {name: weights.get(name, empty) for name in ("ac", "ap", "an", "cc", "cp", "cx", "ca",
                                                        "bc", "bp", "bn", "bx", "len")}
    as_cur = [_role_sum(role["ac"], c) for c in cue_lists]
    as_prev = [_role_sum(role["ap"], c) for c in cue_lists]
    as_next = [_role_sum(role["an"], c) for c in cue_lists]
    b_cur = [_role_sum(role["bc"], c) for c in cue_lists]
    b_prev = [_role_sum(role["bp"], c) for c in cue_lists]
    b_next = [_role_sum(role["bn"], c) for c in cue_lists]
    c_cur = [_role_sum(role["cc"], c) for c in cue_lists]
    c_prev = [_role_sum(role["cp"], c) for c in cue_lists]
    article = [0.0] * n
    cut = [0.0] * n
    start = [0.0] * n
    # "bias" is the prior log-odds of each decision, before any cue
    a_bias, b_bias, c_bias = role["ac"].get("bias", 0.0), role["bc"].get("bias", 0.0), role["cc"].get("bias", 0.0)
    params = weights.get("param", empty)
    # one line's article evidence is capped: no single line may decide where the article ends
    clip = params.get("article_clip", 1e9)
    scale = params.get("article_scale", 1.0)
    for i in range(n):
        raw = a_bias + as_cur[i] + (as_prev[i - 1] if i else 0.0) + (as_next[i + 1] if i + 1 < n else 0.0)
        article[i] = scale * max(-clip, min(clip, raw))
        if i == 0:
            pairs: list[str] = ["bos"]
        else:
            pairs = pair_cues(texts[i - 1], texts[i], cue_lists[i - 1], cue_lists[i],
                              parsed[i - 1][1], parsed[i][1])
        nxt = b_next[i + 1] if i + 1 < n else role["bn"].get("eos", 0.0)
        start[i] = b_bias + b_cur[i] + (b_prev[i - 1] if i else 0.0) + nxt + _role_sum(role["bx"], pairs)
        cut[i] = (c_bias + c_cur[i] + (c_prev[i - 1] if i else 0.0) + _role_sum(role["cx"], pairs)
                  + role["ca"].get(article_size_cue(i), 0.0))
    length = [0.0] + [role["len"].get(str(m), 0.0) for m in range(1, MAX_LEN + 1)]
    return Analysis(cue_lists, article, cut, start, length)


def viterbi(an: Analysis, fixed_first: int | None = None) -> Decode:
    """Best segmentation; with fixed_first, the first comment must start at that index."""
    n = len(an.article)
    k_max = MAX_LEN
    cut = an.cut
    if fixed_first is not None:
        cut = [c if i == fixed_first else NEG for i, c in enumerate(cut)]
    length = an.length
    # back[i][0]: for state 1 at line i, the state it came from at i-1 (0 = article)
    # back[i][1]: for state MAX_LEN at line i, whether it came from MAX_LEN (True) or MAX_LEN-1
    back_start: list[int] = [0] * n
    back_long: list[bool] = [False] * n
    prev = [NEG] * (k_max + 1)
    prev[ART] = an.article[0]
    prev[1] = cut[0]
    for i in range(1, n):
        cur = [NEG] * (k_max + 1)
        cur[ART] = prev[ART] + an.article[i]
        best_m, best_end = 0, NEG
        for m in range(1, k_max + 1):
            value = prev[m] + length[m]
            if value > best_end:
                best_m, best_end = m, value
        from_article = prev[ART] + cut[i]
        from_comment = best_end + an.start[i]
        if from_article >= from_comment:
            cur[1], back_start[i] = from_article, ART
        else:
            cur[1], back_start[i] = from_comment, best_m
        cur[2:k_max] = prev[1 : k_max - 1]
        if prev[k_max] >= prev[k_max - 1]:
            cur[k_max], back_long[i] = prev[k_max], True
        else:
            cur[k_max] = prev[k_max - 1]
        prev = cur
    state = max(range(1, k_max + 1), key=lambda m: prev[m] + length[m])
    score = prev[state] + length[state]
    starts: list[int] = []
    for i in range(n - 1, -1, -1):
        if state == 1:
            starts.append(i)
            state = back_start[i] if i else ART
            if state == ART:
                break
        elif state == k_max and back_long[i]:
            continue
        else:
            state -= 1
    starts.reverse()
    return Decode(starts[0], starts, score)


@dataclass(frozen=True)
class Posterior:
    start: list[float]  # P(a comment starts at line i), the first comment included
    cut: list[float]  # P(the first comment starts at line i)


def posteriors(an: Analysis, temperature: float, fixed_first: int | None = None) -> Posterior:
    """Forward-backward over the same lattice with scores scaled by `temperature`; each step is
    renormalised, so plain floats never overflow."""
    n = len(an.article)
    k_max = MAX_LEN

    def factor(x: float) -> float:
        return math.exp(max(min(x * temperature, 60.0), -60.0))

    art = [factor(x) for x in an.article]
    cut = [factor(x) if fixed_first in (None, i) else 0.0 for i, x in enumerate(an.cut)]
    start = [factor(x) for x in an.start]
    end = [0.0] + [factor(x) for x in an.length[1:]]
    alphas: list[list[float]] = []
    alpha = [0.0] * (k_max + 1)
    alpha[ART], alpha[1] = art[0], cut[0]
    alphas.append(_normalise(alpha))
    for i in range(1, n):
        a = alphas[-1]
        ending = sum(a[m] * end[m] for m in range(1, k_max + 1))
        nxt = [0.0] * (k_max + 1)
        nxt[ART] = a[ART] * art[i]
        nxt[1] = a[ART] * cut[i] + ending * start[i]
        nxt[2:k_max] = a[1 : k_max - 1]
        nxt[k_max] = a[k_max - 1] + a[k_max]
        alphas.append(_normalise(nxt))
    beta = [0.0] + end[1:]
    beta = _normalise(beta)
    p_start = [0.0] * n
    p_cut = [0.0] * n
    for i in range(n - 1, -1, -1):
        a = alphas[i]
        z = sum(a[m] * beta[m] for m in range(k_max + 1)) or 1.0
        p_start[i] = a[1] * beta[1] / z
        if i == 0:
            p_cut[0] = p_start[0]
            break
        prev_a = alphas[i - 1]
        from_article = prev_a[ART] * cut[i]
        total = from_article + sum(prev_a[m] * end[m] for m in range(1, k_max + 1)) * start[i]
        p_cut[i] = p_start[i] * (from_article / total) if total else 0.0
        # beta at i-1: what follows each state at i-1, through line i
        b = [0.0] * (k_max + 1)
        b[ART] = art[i] * beta[ART] + cut[i] * beta[1]
        into_start = start[i] * beta[1]
        for m in range(1, k_max + 1):
            onward = beta[min(m + 1, k_max)]
            b[m] = end[m] * into_start + onward
        beta = _normalise(b)
    return Posterior(p_start, p_cut)


def _normalise(values: list[float]) -> list[float]:
    total = sum(values)
    if total <= 0.0:
        return values
    return [v / total for v in values]


def structure_features(texts: Sequence[str], first: int, starts: Sequence[int]) -> dict[tuple[str, str], float]:
    """Every (role, cue) a given segmentation uses, counted: what training compares gold against."""
    n = len(texts)
    parsed = [line_cues(t) for t in texts]
    counts: dict[tuple[str, str], float] = {}

    def add(role: str, names: Sequence[str]) -> None:
        for name in names:
            counts[(role, name)] = counts.get((role, name), 0.0) + 1.0

    def pairs(i: int) -> list[str]:
        if i == 0:
            return ["bos"]
        return pair_cues(texts[i - 1], texts[i], parsed[i - 1][0], parsed[i][0], parsed[i - 1][1], parsed[i][1])

    for i in range(first):
        add("ac", ["bias", *parsed[i][0]])
        if i:
            add("ap", parsed[i - 1][0])
        if i + 1 < n:
            add("an", parsed[i + 1][0])
    add("cc", ["bias", *parsed[first][0]])
    if first:
        add("cp", parsed[first - 1][0])
    add("cx", pairs(first))
    add("ca", [article_size_cue(first)])
    bounds = [*starts, n]
    for s, e in zip(bounds, bounds[1:]):
        add("len", [str(min(e - s, MAX_LEN))])
        if s == first:
            continue
        add("bc", ["bias", *parsed[s][0]])
        add("bp", parsed[s - 1][0])
        add("bn", parsed[s + 1][0] if s + 1 < n else ["eos"])
        add("bx", pairs(s))
    return counts


@dataclass(frozen=True)
class Cut:
    first: int  # index of the first comment line
    objective: list[float]  # per candidate cut, lower is better (inf where not allowed)


def changepoint_cut(an: Analysis, clip: float, cut_weight: float) -> Cut:
    """Where the article ends, as a change in the level of per-line article evidence.

    Each line's article log-odds (capped at +-clip) is fitted by two constant levels, article
    before the cut and comments after it (the article level must be the higher); the cut with the
    least squared error wins, less cut_weight times the local evidence that a comment opens there.
    Only the *change* in level matters, not its absolute value, so a blog whose article lines all
    read a little chattier (or whose comments read more formal) than the training blogs still gets
    its cut where the register changes.
    """
    n = len(an.article)
    sums = [0.0] * (n + 1)
    squares = [0.0] * (n + 1)
    for i, value in enumerate(an.article):
        x = clip if value > clip else (-clip if value < -clip else value)
        sums[i + 1] = sums[i] + x
        squares[i + 1] = squares[i] + x * x
    total_sum, total_sq = sums[n], squares[n]
    objective = [math.inf] * n
    for k in range(n):
        after = n - k
        after_sum = total_sum - sums[k]
        sse = (total_sq - squares[k]) - after_sum * after_sum / after
        if k:
            mean_before = sums[k] / k
            if mean_before < after_sum / after:
                continue
            sse += squares[k] - sums[k] * mean_before
        objective[k] = sse - cut_weight * an.cut[k]
    first = min(range(n), key=lambda k: (objective[k], k))
    return Cut(first, objective)


def cut_posterior(cut: Cut, temperature: float) -> list[float]:
    """Softmax of the negated cut objective: the probability of each candidate cut."""
    best = cut.objective[cut.first]
    weights = [math.exp(-(o - best) * temperature) if o != math.inf else 0.0 for o in cut.objective]
    total = sum(weights)
    return [w / total for w in weights]
