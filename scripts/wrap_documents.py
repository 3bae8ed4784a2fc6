#!/usr/bin/env python3
"""Hard-wrap flattened documents the way a fixed-width mail or terminal client would, with their
answer keys moved to the new line numbers: a robustness test of the segmentation (unwrap.py).

Usage:
  python scripts/wrap_documents.py GOLD_DIR RAW_DIR OUT_DIR [--width 72] [--whole-page] [--blank-between]

Each RAW_DIR/NAME.txt named by a GOLD_DIR/*.gold.json is written to OUT_DIR/raw/NAME.txt with
every comment paragraph (every paragraph, with --whole-page) wrapped at --width by Python's
textwrap (and, with --blank-between, every paragraph followed by a blank line, as plain-text
archives lay them out), and the answer key to OUT_DIR/gold/ with its line numbers moved to
match. Then score the wrapped copy like the original, e.g.:

  python ../shared/bench/flatten.py ../shared/bench/threads.jsonl /tmp/bench
  python scripts/wrap_documents.py /tmp/bench/gold /tmp/bench/raw /tmp/bench-72
  python scripts/eval_structure.py --docs /tmp/bench-72
"""

from __future__ import annotations

import argparse
import json
import textwrap
from pathlib import Path
from typing import Any


def wrap_document(
    lines: list[str], article_end: int, width: int, whole_page: bool, blank_between: bool = False
) -> tuple[list[str], dict[int, int], dict[int, int]]:
    """The wrapped lines, and for each old line number its first and last new line number."""
    out: list[str] = []
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for number, line in enumerate(lines, start=1):
        first[number] = len(out) + 1
        wrap = whole_page or number > article_end
        out.extend((textwrap.wrap(line, width) or [line]) if wrap else [line])
        last[number] = len(out)
        if blank_between and number < len(lines):
            out.append("")
    return out, first, last


def move_key(gold: dict[str, Any], first: dict[int, int], last: dict[int, int]) -> dict[str, Any]:
    moved = json.loads(json.dumps(gold))
    end = gold["article"]["end"]
    moved["article"] = {**gold["article"], "end": last[end] if end else 0}
    for comment in moved["comments"]:
        comment["start"], comment["end"] = first[comment["start"]], last[comment["end"]]
        for key in ("parent", "same_as"):
            if comment.get(key):
                comment[key] = first[comment[key]]
    return moved


def wrap_folder(gold_files: list[Path], raw_dir: Path, out_dir: Path, width: int, whole_page: bool,
                blank_between: bool = False) -> None:
    """Each gold file's document wrapped into out_dir/raw/, its answer key moved into out_dir/gold/."""
    (out_dir / "raw").mkdir(parents=True, exist_ok=True)
    (out_dir / "gold").mkdir(parents=True, exist_ok=True)
    for gold_path in gold_files:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        lines = (raw_dir / gold["doc"]).read_text(encoding="utf-8").split("\n")
        wrapped, first, last = wrap_document(lines, gold["article"]["end"], width, whole_page, blank_between)
        (out_dir / "raw" / gold["doc"]).write_text("\n".join(wrapped), encoding="utf-8")
        moved = move_key(gold, first, last)
        (out_dir / "gold" / gold_path.name).write_text(json.dumps(moved, indent=1), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold_dir", type=Path)
    ap.add_argument("raw_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--width", type=int, default=72)
    ap.add_argument("--whole-page", action="store_true", help="wrap the article's paragraphs too")
    ap.add_argument("--blank-between", action="store_true", help="a blank line after every paragraph")
    args = ap.parse_args()
    gold_files = sorted(args.gold_dir.glob("*.gold.json"))
    wrap_folder(gold_files, args.raw_dir, args.out_dir, args.width, args.whole_page, args.blank_between)


if __name__ == "__main__":
    main()
