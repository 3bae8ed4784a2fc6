"""Shared fixtures: the seed release and a small synthetic collection, each built once per session.

Tests that change a release work on a copy (`release_copy`), never on these session builds.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from threadloom.api import build

# The property tests draw the same examples on every run, so that the suite passes or fails with
# the code, not with the draw (a fresh clone's run once drew a thread that failed). To look for
# new failures, draw new examples: HYPOTHESIS_PROFILE=explore python -m pytest tests/test_properties.py
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

REPO = Path(__file__).resolve().parents[1]
SEED_RAW = REPO / "raw"
SEED_TXT = SEED_RAW / "000_d56ce07caea43617.txt"
SMALL_RAW = Path(__file__).resolve().parent / "data" / "raw_small"


@pytest.fixture(scope="session")
def seed_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release of the repository's raw/ folder (the seed document)."""
    return build(SEED_RAW, tmp_path_factory.mktemp("seed") / "release").out


@pytest.fixture(scope="session")
def small_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of tests/data/raw_small: two invented threads and a dataset.json."""
    target = tmp_path_factory.mktemp("small") / "raw"
    shutil.copytree(SMALL_RAW, target)
    return target


@pytest.fixture(scope="session")
def small_release(small_raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(small_raw, tmp_path_factory.mktemp("small-release") / "release").out


@pytest.fixture(scope="session")
def mixed_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed document and the two invented threads in one release (three threads)."""
    raw = tmp_path_factory.mktemp("mixed") / "raw"
    shutil.copytree(SMALL_RAW, raw)
    for path in SEED_RAW.glob("000_*"):
        shutil.copy2(path, raw / path.name)
    return build(raw, tmp_path_factory.mktemp("mixed-release") / "release").out


@pytest.fixture
def release_copy(tmp_path: Path) -> Callable[[Path], Path]:
    """A fresh, writable copy of a built release, for a test that damages it."""

    def copy(release: Path) -> Path:
        return Path(shutil.copytree(release, tmp_path / "copy"))

    return copy
