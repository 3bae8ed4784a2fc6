#!/usr/bin/env python3
"""Fuzz the per-document pipeline with damaged copies of real threads (a script, not a test).

Usage: python scripts/fuzz_pipeline.py [--seconds 60] [--seed 0] [--bench /work/shared/bench]
                                       [--slow 2.0] [--keep DIR] [--crawl]

Each round takes one of the bench threads (flattened) or raw/'s documents and damages it: lines
deleted, repeated, cut short, shuffled, multiplied or read as Latin-1, blank lines put before a
share of them, and control, invisible, mojibake and markup characters inserted. The document goes
through `process_text`, and its rows through validation's integrity rules
(`validate.thread_problems`); with --crawl, through the crawl's per-record step instead
(`crawl.records.process_record`: triage, then threading), where a page the pipeline fails on is
rejected as "pipeline failed" (needs the crawl extra). Reported:
documents tried, exceptions, rule violations, and documents slower than --slow seconds; each
failing document is written to --keep (default: a temporary folder) to be turned into a test.
Deterministic for a --seed, apart from the time budget. The 0.6.4 crash (a line of U+0085 only) and
the repair's quadratic diff were found this way.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from eval_structure import DEFAULT_BENCH, flatten_bench
from threadloom.pipeline import process_text
from threadloom.records import comment_rows, speaker_rows, thread_row
from threadloom.validate import thread_problems

REPO = Path(__file__).resolve().parents[1]
# What gets inserted: line and paragraph separators Python treats as whitespace, C1 controls,
# invisible characters, mojibake, entities, typography, markup and cue words.
INSERTS = ["\u200b", "\u00ad", "\ufeff", "\u202e", "\x0c", "\x0b", "\r", "\u2028", "\u2029", "\x85",
           "\t", "&", ";", "&#", "&#x", "&#99999999;", "&amp;", "@", "—", "…", "“", "’", "é", "Ã©",
           "â€™", "\U0001f600", "e\u0301", ":)", "-", "~", "Thanks,", "Cheers,", "\\", "<", ">",
           "```", "    ", "http://example.com/"]
# Whole lines a crawl keeps of a page: a widget's links, comment headers, a comments heading, a
# byline, the reply form (the structure stage reads each for what it says: furniture.py), and a
# signature block's lines.
FURNITURE = ["Reply", "Reply Share ›", "Paul says:", "March 3, 2013 at 10:14 am", "Paul Smith – 3 days ago",
             "14 Comments", "3 Responses to “A post”", "Posted by Nora Lind", "Anonymous says:",
             "Leave a Reply", "Name *", "Notify me of follow-up comments by email.", "Paul Smith",
             "Sort by Best", "Avatar", "Paul Smith • 2 years ago", "1 • Reply • Share ›", "Paul said...",
             "Anonymous said...", "March 3, 2013 at 10:14 AM", "Newer Post Older Post Home", "Share this:",
             "Like · Reply · 3y", "Posted by: Paul Smith | March 03, 2013 at 10:14 AM",
             "Paul Smith March 3, 2013 at 10:14 AM", "pg 3 hours ago", "#12", "12. Paul says:",
             "• 3 years ago", "Paul Smith · Works at Acme", "↳ Reply", "Like (3)", "03/04/2013", "25/04/2013",
             "Like · Reply · Mar 3, 2013", "Marit van der Sleen says:", "Idris (@idrisraja) said...",
             "10:14 pm on 3rd March 2013", "2013-03-03 10:14:33", "Posted by: Paul | 31.12.99 at 25:61",
             "* * *", "----------", "Cheers,", "-Joe", "Orchard manager, Kent", "Best,"]


def damage(text: str, rng: random.Random) -> str:
    """One to eight random edits of a document's lines."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 8)):
        lines = lines or [""]
        i = rng.randrange(len(lines))
        edit = rng.randrange(12)
        if edit == 0:
            del lines[i]
        elif edit == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif edit == 2:
            lines[i] = lines[i][: rng.randint(0, len(lines[i]))]
        elif edit == 3:
            at = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:at] + rng.choice(INSERTS) + lines[i][at:]
        elif edit == 4:
            lines.insert(i, "")
        elif edit == 5:
            lines[i] *= rng.randint(2, 50)
        elif edit == 6:
            rng.shuffle(lines)
        elif edit == 7:
            lines = lines[:i]
        elif edit == 8:
            lines.insert(i, "".join(rng.choice(INSERTS) for _ in range(rng.randint(1, 30))))
        elif edit == 9:  # the line's UTF-8 read as Latin-1, every non-ASCII character damaged
            lines[i] = lines[i].encode("utf-8", "surrogatepass").decode("latin-1")
        elif edit == 10:  # blank lines before a share of the lines (read for what they say: blank_lines.py)
            share = rng.random()
            lines = [part for line in lines for part in (["", line] if rng.random() < share else [line])]
        else:
            lines.insert(i, rng.choice(FURNITURE))
    return "\n".join(lines)


def check(text: str, folder: Path) -> str | None:
    """Why the pipeline fails on this document, or None."""
    try:
        thread = process_text(text, "fuzz.txt")
    except Exception as err:  # what the fuzzer is looking for
        return f"{type(err).__name__}: {err}"
    (folder / "raw" / "fuzz.txt").write_bytes(text.encode("utf-8"))
    rows = thread_row(thread), comment_rows(thread), speaker_rows(thread)
    problems = list(thread_problems(folder, *rows))
    return f"integrity: {problems[0]}" if problems else None


def check_crawl(text: str, _folder: Path) -> str | None:
    """Why the crawl's per-record step fails on this page, or None."""
    from threadloom.crawl.records import process_record

    try:
        outcome = process_record(text, "fuzz", {})
    except Exception as err:  # triage runs outside the step's own guard
        return f"{type(err).__name__}: {err}"
    return outcome.reason if outcome.status == "rejected" and "pipeline failed" in outcome.reason else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--slow", type=float, default=2.0, help="report documents slower than this")
    ap.add_argument("--keep", type=Path, help="folder for the failing documents")
    ap.add_argument("--crawl", action="store_true", help="the crawl's per-record step instead")
    args = ap.parse_args()
    run = check_crawl if args.crawl else check
    files = sorted((REPO / "raw").glob("*.txt"))
    if (args.bench / "threads.jsonl").exists():
        files += sorted((flatten_bench(args.bench) / "raw").glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    keep = args.keep or Path(tempfile.mkdtemp(prefix="threadloom-fuzz-"))
    keep.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    tried = failed = slow = 0
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "raw").mkdir()
        while time.monotonic() - start < args.seconds:
            text = damage(rng.choice(texts), rng)
            if not text.strip() or "\x00" in text:
                continue  # refused before the pipeline (sources.py)
            tried += 1
            began = time.monotonic()
            why = run(text, Path(tmp))
            took = time.monotonic() - began
            if why or took > args.slow:
                failed += bool(why)
                slow += took > args.slow
                name = keep / f"doc-{tried:06d}.txt"
                name.write_bytes(text.encode("utf-8"))
                print(f"{name}: {why or f'{took:.1f} s'}")
    print(f"fuzz_pipeline: {tried} documents from {len(texts)}, {failed} failed, {slow} slower than "
          f"{args.slow} s (seed {args.seed}, {args.seconds:.0f} s)")
    if args.keep is None and not any(keep.iterdir()):
        keep.rmdir()  # a folder of its own that nothing failed into


if __name__ == "__main__":
    main()
