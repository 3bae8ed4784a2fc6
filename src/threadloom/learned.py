"""Logistic scorers whose weights were learned by scripts/train_structure.py (a small JSON file).

Inference is stdlib only: a sparse dot product and a sigmoid, deterministic and offline.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources

Features = dict[str, float]
WEIGHTS_FILE = "structure_weights.json"


_swaps = 0  # how many times swap_weights changed the table: caches of derived values key on it


def weights_generation() -> int:
    """Changes whenever the weight table does (`swap_weights`): a cache of anything derived from
    the weights keys on it, so it never serves values of weights no longer in use."""
    return _swaps


@contextmanager
def swap_weights(models: dict[str, dict[str, float]]) -> Iterator[None]:
    """Use these models instead of the shipped ones until the block ends (cross-validation
    trains a fold's weights and runs the ordinary inference with them)."""
    global _swaps
    table = all_weights()
    saved = {name: table.get(name) for name in models}
    table.update(models)
    _swaps += 1
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                table.pop(name, None)
            else:
                table[name] = old
        _swaps += 1


@lru_cache(maxsize=1)
def all_weights() -> dict[str, dict[str, float]]:
    """Every model's shipped weights, by model name; empty when the file has not been trained yet."""
    try:
        text = resources.files("threadloom").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return {}
    loaded: dict[str, dict[str, float]] = json.loads(text)
    return loaded


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def logit(model: str, features: Features) -> float:
    return scorer(model)(features)


def scorer(model: str) -> Callable[[Features], float]:
    """`logit(model, ...)` with the model's weights looked up once: for a loop that scores many."""
    get = all_weights().get(model, {}).get

    def score(features: Features) -> float:
        return sum([get(name, 0.0) * value for name, value in features.items()])  # a list: faster, same order

    return score


def probability(model: str, features: Features) -> float:
    return sigmoid(logit(model, features))


def top_reasons(model: str, features: Features, sign: float, k: int = 3) -> list[str]:
    """The k features that pushed this decision hardest in the direction `sign` (+1 or -1)."""
    get = all_weights().get(model, {}).get
    pushes = [(get(name, 0.0) * value * sign, name) for name, value in features.items() if name != "bias"]
    return strongest(pushes, k)


def strongest(contributions: Iterable[tuple[float, str]], k: int = 3) -> list[str]:
    """The names of the k largest positive contributions, largest first (ties: by name, last
    first). Only positive ones are reported: those few are sorted, not every feature."""
    scored = [(contribution, name) for contribution, name in contributions if contribution > 0]
    scored.sort(reverse=True)
    return [name for _, name in scored[:k]]
