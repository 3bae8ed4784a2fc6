"""The evaluation scripts' own arithmetic (scripts/eval_structure.py): what the datasheet quotes."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from eval_structure import calibration_lines


def test_calibration_lines_give_the_split_at_0_9_and_the_expected_calibration_error() -> None:
    decisions = [(0.95, True)] * 9 + [(0.95, False), (0.6, True), (0.6, False)]
    head, bins = calibration_lines("dev", "parent", decisions)
    assert "0.900 (10)" in head and "0.500 (2)" in head
    # (|0.9 - 0.95| * 10 + |0.5 - 0.6| * 2) / 12
    assert head.endswith("ECE 0.058")
    assert "0.60->0.50 (2)" in bins and "0.95->0.90 (10)" in bins


def test_a_confidence_of_one_falls_in_the_last_bin() -> None:
    _, bins = calibration_lines("dev", "name", [(1.0, True), (0.1, False)])
    assert "1.00->1.00 (1)" in bins and "0.10->0.00 (1)" in bins


def test_platt_fit_recovers_a_known_mapping() -> None:
    from fit_calibration import fit_platt, logit, squash

    pairs: list[tuple[float, bool]] = []
    for step in range(1, 20):
        stated = step / 20
        truth = squash(0.5 * logit(stated) - 0.2)
        right = round(400 * truth)
        pairs += [(stated, True)] * right + [(stated, False)] * (400 - right)
    a, b = fit_platt(pairs)
    assert abs(a - 0.5) < 0.02 and abs(b + 0.2) < 0.02
