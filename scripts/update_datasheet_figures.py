#!/usr/bin/env python3
"""Rewrite the figures block of DATASHEET.md from a fresh build of raw/.

Usage: python scripts/update_datasheet_figures.py [RAW_DIR] [DATASHEET]
The test suite fails when the block and the build disagree; run this after a change that moves
the figures, and read the diff before committing it.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from threadloom.api import build
from threadloom.card import replace_figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("raw", nargs="?", type=Path, default=Path("raw"), help="the raw folder (default: raw)")
    ap.add_argument("datasheet", nargs="?", type=Path, default=Path("DATASHEET.md"),
                    help="the datasheet to update (default: DATASHEET.md)")
    args = ap.parse_args()
    raw, datasheet = args.raw, args.datasheet
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
    main()
