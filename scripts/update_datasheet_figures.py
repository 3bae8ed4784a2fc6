#!/usr/bin/env python3
"""Rewrite the figures block of DATASHEET.md from a fresh build of raw/.

Usage: python scripts/update_datasheet_figures.py [RAW_DIR] [DATASHEET]
The test suite fails when the block and the build disagree; run this after a change that moves
the figures, and read the diff before committing it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from threadloom.api import build
from threadloom.card import replace_figures


def main(argv: list[str]) -> None:
    raw = Path(argv[0]) if argv else Path("raw")
    datasheet = Path(argv[1]) if len(argv) > 1 else Path("DATASHEET.md")
    with tempfile.TemporaryDirectory() as tmp:
        result = build(raw, Path(tmp) / "release", datasheet=datasheet)
    text = datasheet.read_text(encoding="utf-8")
    updated = replace_figures(text, result.stats)
    if updated != text:
        datasheet.write_text(updated, encoding="utf-8")
        print(f"updated the figures in {datasheet}")
    else:
        print(f"{datasheet} already agrees with the build")


if __name__ == "__main__":
    main(sys.argv[1:])
