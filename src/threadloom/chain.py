"""A two-state linear-chain CRF over a thread's comments: is each comment the post author's?

Each comment has an emission score (a learned linear score of its cues, the log-odds of "author"
against "reader" before its neighbours' labels are known) and consecutive labels have learned
transition scores (authors rarely write twice in a row; they answer readers). Forward-backward
gives every comment's marginal probability of being the author's, summing over all labelings of
the thread, so the evidence of later comments ("thanks, that worked" after an answer) counts too.
Stdlib only; the same functions compute the training gradient (scripts/train_structure.py).
"""

from __future__ import annotations

import math

from .learned import Features

# transition weights by (previous label, label); reader -> reader is the reference (0)
TRANSITIONS = {(0, 0): None, (0, 1): "T:ra", (1, 0): "T:ar", (1, 1): "T:aa"}


def _lse(a: float, b: float) -> float:
    m = a if a > b else b
    return m + math.log(math.exp(a - m) + math.exp(b - m))


def transition_scores(weights: dict[str, float]) -> list[list[float]]:
    return [
        [0.0 if (n := TRANSITIONS[(i, k)]) is None else weights.get(n, 0.0) for k in (0, 1)] for i in (0, 1)
    ]


def emissions(weights: dict[str, float], feats: list[Features]) -> list[float]:
    get = weights.get
    return [sum([get(k, 0.0) * v for k, v in f.items()]) for f in feats]  # lists sum faster, same order


def _forward_backward(
    emit: list[float], trans: list[list[float]]
) -> tuple[list[list[float]], list[list[float]], float]:
    """Forward and backward log scores of every position, and log Z (emit is not empty)."""
    n = len(emit)
    alpha = [[0.0, emit[0]]]
    for j in range(1, n):
        a = alpha[-1]
        alpha.append([_lse(a[0] + trans[0][k], a[1] + trans[1][k]) + (emit[j] if k else 0.0) for k in (0, 1)])
    beta = [[0.0, 0.0] for _ in range(n)]
    for j in range(n - 2, -1, -1):
        b = beta[j + 1]
        beta[j] = [_lse(trans[i][0] + b[0], trans[i][1] + emit[j + 1] + b[1]) for i in (0, 1)]
    return alpha, beta, _lse(alpha[-1][0], alpha[-1][1])


def _singles(alpha: list[list[float]], beta: list[list[float]], log_z: float) -> list[float]:
    return [min(1.0, max(0.0, math.exp(a[1] + b[1] - log_z))) for a, b in zip(alpha, beta, strict=True)]


def marginals_from(
    emit: list[float], trans: list[list[float]]
) -> tuple[list[float], list[list[list[float]]], float]:
    """P(author) per position, pairwise marginals P(y_{j-1}=i, y_j=k) and log Z."""
    n = len(emit)
    if n == 0:
        return [], [], 0.0
    alpha, beta, log_z = _forward_backward(emit, trans)
    pairs: list[list[list[float]]] = [[[0.0, 0.0], [0.0, 0.0]]]
    for j in range(1, n):
        pairs.append(
            [
                [
                    math.exp(alpha[j - 1][i] + trans[i][k] + (emit[j] if k else 0.0) + beta[j][k] - log_z)
                    for k in (0, 1)
                ]
                for i in (0, 1)
            ]
        )
    return _singles(alpha, beta, log_z), pairs, log_z


def singles_from(emit: list[float], trans: list[list[float]]) -> list[float]:
    """marginals_from's P(author) per position alone: inference needs no pairwise marginals."""
    return _singles(*_forward_backward(emit, trans)) if emit else []
