"""Plots drawn at build time: small, deterministic PNGs that the card and the datasheet show."""

from __future__ import annotations

import re
from pathlib import Path

from pngread import png_pixels
from threadloom.api import build
from threadloom.plots import PLOTS, bar_chart, charts
from threadloom.release import MANIFEST
from threadloom.stats import Figures


def test_every_plot_is_written_into_the_release_and_the_manifest(seed_release: Path) -> None:
    manifest = (seed_release / MANIFEST).read_text(encoding="utf-8")
    for plot in PLOTS:
        assert (seed_release / "plots" / plot.filename).is_file()
        assert f'"plots/{plot.filename}"' in manifest


def test_card_and_datasheet_reference_plot_files_that_exist(seed_release: Path) -> None:
    for document in ("README.md", "DATASHEET.md"):
        text = (seed_release / document).read_text(encoding="utf-8")
        images = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", text)
        assert sorted(images) == sorted(f"plots/{p.filename}" for p in PLOTS), document
        assert all((seed_release / image).is_file() for image in images)


def test_plots_are_byte_identical_across_two_builds(small_raw: Path, tmp_path: Path) -> None:
    first = build(small_raw, tmp_path / "one").out
    second = build(small_raw, tmp_path / "two").out
    for plot in PLOTS:
        name = f"plots/{plot.filename}"
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_plots_are_small_valid_pngs_with_something_drawn(seed_release: Path) -> None:
    for plot in PLOTS:
        data = (seed_release / "plots" / plot.filename).read_bytes()
        assert len(data) < 50_000
        width, height, rows = png_pixels(data)
        assert (width, height) == (640, 260)
        pixels = {row[x : x + 3] for row in rows for x in range(0, len(row), 3)}
        assert len(pixels) >= 3, f"{plot.filename} is blank"


def test_bar_heights_follow_the_values() -> None:
    width, _, rows = png_pixels(bar_chart(["1", "2"], [[10, 40]]))
    blue = bytes((52, 101, 164))

    def bar_height(x0: int, x1: int) -> int:
        return sum(any(row[x * 3 : x * 3 + 3] == blue for x in range(x0, x1)) for row in rows)

    left, right = bar_height(0, width // 2), bar_height(width // 2, width)
    assert left > 0 and abs(right / left - 4) < 0.2


def test_charts_of_an_empty_release_still_draw() -> None:
    drawn = charts(Figures())
    assert sorted(drawn) == sorted(p.filename for p in PLOTS)
