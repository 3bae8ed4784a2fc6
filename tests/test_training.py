"""The learned weights shipped in the package are exactly what the training commands produce from
the thread benchmark: retraining into a copy reproduces the file byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared" / "bench"
SHIPPED = REPO / "src" / "threadloom" / "structure_weights.json"


@pytest.mark.skipif(not (BENCH / "threads.jsonl").exists(), reason="the thread benchmark is absent")
def test_retraining_on_the_bench_reproduces_the_shipped_weights(tmp_path: Path) -> None:
    copy = tmp_path / "weights.json"
    copy.write_text("{}\n", encoding="utf-8")  # every model must come from the two commands
    for script in ("train_segment.py", "train_structure.py"):
        subprocess.run(
            [sys.executable, str(REPO / "scripts" / script), "--bench", str(BENCH), "--out", str(copy)],
            check=True, capture_output=True, cwd=REPO / "scripts",
        )
    assert copy.read_bytes() == SHIPPED.read_bytes(), (
        "the shipped weights differ from what the training commands produce: retrain and commit them")
