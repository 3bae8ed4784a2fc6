"""Scores and decoders for segmentation: the article cut, then the comments after it.

Every line is scored in several roles by summing learned cue weights (segment_features):

- line i as article prose:     role "ac" on line i, "ap" on line i-1, "an" on line i+1
- first comment starts at k:   "cc" on line k, "cp" on line k-1, "cx" pair cues, "ca" article size
- another comment starts at i: "bc" on line i, "bp" on line i-1, "bx" pair cues
- a comment of m lines ends:   "len" m (a prior on comment length, m capped at MAX_LEN)

The article cut is a change point in the level of article evidence (robust to blogs whose
register differs from the training blogs), nudged by the local "a comment opens here" score. The
comments after it are decoded by Viterbi over states "m-th line of the current comment", so the
length prior costs O(MAX_LEN) per line while comments may be any length; forward-backward on the
same lattice gives each start's posterior probability, used as its confidence. Weights come from
scripts/train_segment.py and ship as segment_weights.json; pure Python, deterministic.
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

Weights = dict[str, dict[str, float]]


@dataclass(frozen=True)
class Analysis:
    """Per-line scores of one document under the current weights."""

    cues: list[tuple[str, ...]]
    article: list[float]  # score of line i being article prose
    cut: list[float]  # score of the first comment starting at line i
    start: list[float]  # score of another comment starting at line i
    length: list[float]  # length[m] for m in 0..MAX_LEN (index 0 unused)


@lru_cache(maxsize=1)
def shipped_weights() -> tuple[Weights, float]:
    """(weights by role, temperature) from the packaged file; empty when it is missing."""
    try:
        text = resources.files("threadloom").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return {}, 1.0
    data = json.loads(text)
    return data["weights"], float(data.get("temperature", 1.0))


def pair_cues(
    prev: str,
    cur: str,
    prev_cues: Sequence[str],
    cur_cues: Sequence[str],
    prev_content: frozenset[str],
    cur_content: frozenset[str],
) -> list[str]:
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


def article_size_cue(k: int) -> str:
    return "alen:0" if k == 0 else f"alen:{length_bucket(k)}"


def _role_sum(table: dict[str, float], names: Sequence[str]) -> float:
    get = table.get
    return sum([get(name, 0.0) for name in names])


LINE_ROLES = ("ac", "ap", "an", "bc", "bp", "bn", "cc", "cp")
_memo: dict[tuple[str, ...], tuple[float, ...]] = {}
_memo_owner: list[Weights] = []


def _line_sums(names: tuple[str, ...], weights: Weights) -> tuple[float, ...]:
    """One line's cue weights summed in each role. Lines share cue tuples often (cues are coarse),
    so the sums are memoised per cue tuple, for the shipped weights only (training passes fresh
    weight tables each round)."""
    shipped = shipped_weights()[0]
    if weights is not shipped:
        empty: dict[str, float] = {}
        return tuple(_role_sum(weights.get(r, empty), names) for r in LINE_ROLES)
    if not _memo_owner or _memo_owner[0] is not shipped:
        _memo.clear()
        _memo_owner[:] = [shipped]
    found = _memo.get(names)
    if found is None:
        found = tuple(_role_sum(shipped.get(r, {}), names) for r in LINE_ROLES)
        if len(_memo) < 65536:
            _memo[names] = found
    return found


def analyse(texts: Sequence[str], weights: Weights) -> Analysis:
    """Score every line in every role; each line's cues are computed once."""
    n = len(texts)
    parsed = [line_cues(t) for t in texts]
    cue_lists = [p[0] for p in parsed]
    empty: dict[str, float] = {}
    role = {
        name: weights.get(name, empty)
        for name in ("ac", "ap", "an", "cc", "cp", "cx", "ca", "bc", "bp", "bn", "bx", "len")
    }
    if not texts:
        return Analysis([], [], [], [], [0.0] * (MAX_LEN + 1))
    sums = [_line_sums(c, weights) for c in cue_lists]
    as_cur, as_prev, as_next, b_cur, b_prev, b_next, c_cur, c_prev = (
        list(col) for col in zip(*sums, strict=True)
    )
    article = [0.0] * n
    cut = [0.0] * n
    start = [0.0] * n
    # "bias" is the prior log-odds of each decision, before any cue
    a_bias = role["ac"].get("bias", 0.0)
    b_bias = role["bc"].get("bias", 0.0)
    c_bias = role["cc"].get("bias", 0.0)
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
            pairs = pair_cues(
                texts[i - 1], texts[i], cue_lists[i - 1], cue_lists[i], parsed[i - 1][1], parsed[i][1]
            )
        nxt = b_next[i + 1] if i + 1 < n else role["bn"].get("eos", 0.0)
        start[i] = b_bias + b_cur[i] + (b_prev[i - 1] if i else 0.0) + nxt + _role_sum(role["bx"], pairs)
        cut[i] = (
            c_bias
            + c_cur[i]
            + (c_prev[i - 1] if i else 0.0)
            + _role_sum(role["cx"], pairs)
            + role["ca"].get(article_size_cue(i), 0.0)
        )
    length = [0.0] + [role["len"].get(str(m), 0.0) for m in range(1, MAX_LEN + 1)]
    return Analysis(cue_lists, article, cut, start, length)


def decode_comments(an: Analysis, first: int) -> list[int]:
    """Viterbi over lines[first:]: the best comment starts (indices), the first one at `first`.

    State m = "m-th line of the current comment" (capped at MAX_LEN); a comment that ends at m
    lines earns length[m], a line that opens the next one earns start[i]."""
    n = len(an.start)
    k_max = MAX_LEN
    length, start = an.length, an.start
    prev = [NEG] * (k_max + 1)
    prev[1] = 0.0
    came_from: list[int] = [0] * n  # for state 1 at line i: the length of the comment before it
    stayed_long: list[bool] = [False] * n  # for state MAX_LEN at line i: it was MAX_LEN already
    for i in range(first + 1, n):
        best_m, best_end = 1, prev[1] + length[1]
        for m in range(2, k_max + 1):
            value = prev[m] + length[m]
            if value > best_end:
                best_m, best_end = m, value
        came_from[i] = best_m
        long_stay = prev[k_max] >= prev[k_max - 1]
        stayed_long[i] = long_stay
        prev = [NEG, best_end + start[i], *prev[1 : k_max - 1], prev[k_max] if long_stay else prev[k_max - 1]]
    state = max(range(1, k_max + 1), key=lambda m: prev[m] + length[m])
    starts: list[int] = []
    for i in range(n - 1, first - 1, -1):
        if state == 1:
            starts.append(i)
            state = came_from[i]
        elif not (state == k_max and stayed_long[i]):
            state -= 1
    starts.reverse()
    return starts


def start_posteriors(an: Analysis, first: int, temperature: float) -> list[float]:
    """P(a comment starts at line i) for every line, by forward-backward over lines[first:] with
    scores scaled by `temperature` (fitted on held-back threads); steps are renormalised."""
    n = len(an.start)
    k_max = MAX_LEN
    posterior = [0.0] * n
    if first >= n:
        return posterior
    start = [math.exp(max(min(x * temperature, 60.0), -60.0)) for x in an.start]
    end = [0.0] + [math.exp(max(min(x * temperature, 60.0), -60.0)) for x in an.length[1:]]
    alpha = [0.0] * (k_max + 1)
    alpha[1] = 1.0
    alphas = [alpha]
    for i in range(first + 1, n):
        ending = sum([alpha[m] * end[m] for m in range(1, k_max + 1)])
        alpha = [0.0, ending * start[i], *alpha[1 : k_max - 1], alpha[k_max - 1] + alpha[k_max]]
        total = sum(alpha)
        alpha = [v / total for v in alpha]
        alphas.append(alpha)
    beta = end[:]
    for i in range(n - 1, first, -1):
        alpha = alphas[i - first]
        z = sum([alpha[m] * beta[m] for m in range(1, k_max + 1)])
        posterior[i] = alpha[1] * beta[1] / z if z else 0.0
        into_start = start[i] * beta[1]
        # state m at line i-1 either ends (and line i starts a comment) or grows to m+1 (capped)
        beta = [0.0] + [end[m] * into_start + beta[min(m + 1, k_max)] for m in range(1, k_max + 1)]
        total = sum(beta)
        beta = [v / total for v in beta]
    posterior[first] = 1.0
    return posterior


@dataclass(frozen=True)
class Cut:
    first: int  # index of the first comment line
    objective: list[float]  # per candidate cut, lower is better (inf where not allowed)


def changepoint_cut(an: Analysis, clip: float, cut_weight: float, start_weight: float = 0.0) -> Cut:
    """Where the article ends, as a change in the level of per-line article evidence.

    Each line's article log-odds (capped at +-clip) is fitted by two constant levels, article
    before the cut and comments after it (the article level must be the higher); the cut with the
    least squared error wins, less the local evidence that a comment opens there (cut_weight times
    the first-comment score, start_weight times the ordinary comment-start score).
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
        objective[k] = sse - cut_weight * an.cut[k] - start_weight * an.start[k]
    first = min(range(n), key=lambda k: (objective[k], k))
    return Cut(first, objective)


def cut_posterior(cut: Cut, temperature: float) -> list[float]:
    """Softmax of the negated cut objective: the probability of each candidate cut."""
    best = cut.objective[cut.first]
    weights = [math.exp(-(o - best) * temperature) if o != math.inf else 0.0 for o in cut.objective]
    total = sum(weights)
    return [w / total for w in weights]
