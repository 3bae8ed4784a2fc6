"""DATASHEET.md quotes figures of the build of raw/; they must agree with a fresh build."""

from __future__ import annotations

import re
from pathlib import Path

from threadloom.api import build
from threadloom.card import FIGURES_END, FIGURES_START, figures_block

REPO = Path(__file__).resolve().parents[1]
GEBRU_SECTIONS = ("Motivation", "Composition", "Collection process",
                  "Preprocessing, cleaning, labeling", "Uses", "Distribution", "Maintenance")


def _block(text: str) -> str:
    match = re.search(re.escape(FIGURES_START) + ".*?" + re.escape(FIGURES_END), text, re.S)
    assert match, "DATASHEET.md has no figures block"
    return match.group()


def test_datasheet_figures_agree_with_a_fresh_build_of_raw(tmp_path: Path) -> None:
    result = build(REPO / "raw", tmp_path / "release")
    written = (REPO / "DATASHEET.md").read_text(encoding="utf-8")
    assert _block(written) == figures_block(result.stats), (
        "DATASHEET.md figures are stale: run python scripts/update_datasheet_figures.py")


def test_release_datasheet_is_the_repository_datasheet_with_its_figures(tmp_path: Path) -> None:
    result = build(REPO / "raw", tmp_path / "release")
    shipped = (result.out / "DATASHEET.md").read_text(encoding="utf-8")
    assert _block(shipped) == figures_block(result.stats)
    assert shipped.split(FIGURES_START)[0] == \
        (REPO / "DATASHEET.md").read_text(encoding="utf-8").split(FIGURES_START)[0]


def test_datasheet_answers_every_gebru_section() -> None:
    text = (REPO / "DATASHEET.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.M)
    for section in GEBRU_SECTIONS:
        assert section in headings, f"DATASHEET.md lacks the section {section!r}"
    assert "<!-- accuracy table" not in text and "filled in" not in text
