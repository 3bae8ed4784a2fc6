"""Triage: does a crawled page end in a flattened comment section worth threading?

Most pages of a crawl have no comment section, so the decision must be cheap for them and run
before the full pipeline. It has two stages:

1. a scan of the whole text with one compiled regex (C speed, ~330 MB/s: it searches for a literal
   newline, then tries the opener words) for lines that open the way comments open ("Thanks ...",
   "Great post ...", "Hi ...", "@name"); a page with fewer than `min_openers` such lines is skipped
   at once, one with `strong_openers` or more is a thread;
2. for the few in between, the structure stage's own article cut (`article.best_cut`): a page is
   a thread when at least `min_comment_lines` lines follow the cut and they read, on average, like
   comments (`min_comment_likeness`). An article alone puts its cut on its last line or two. A
   comment section ends the page, so the cut is sought among the last `window_lines` lines (and
   over the whole page when it lands on the window's first line: the comments may begin above
   it). The cues of every line cost ~17-24 us: the window took this stage from ~2.4 to ~0.75 ms per
   page on the benchmark crawl, where ~8% of pages reach it, with the same decisions on the
   tuning pages (`scripts/tune_triage.py --window`).

A page's comment box, where a crawl kept it, says the same without any of that: two or more lines
of a widget ("Reply"), writers' headers ("Paul says:") or footers make a page a thread in stage 2,
and in stage 1 a page with no comment opener is read for them when it has a line starting "Reply"
(one substring test: most pages have none; since 0.6.8).

The thresholds are a `TriageConfig` (immutable); the defaults were chosen on the development
benchmark's dev sources by `scripts/tune_triage.py` (6,000 reworded articles alone vs 600 reworded
threads cut to 1-3 comments or kept whole): 3 lines at 0.6 gave false positives 0.13% and recall
0.53, against 0.20% and 0.43 for 4 lines at 0.5; it ties with 0.55 for the best F1 at a 3% thread
share, and the stricter one is kept. `scripts/benchmark_crawl.py` reports precision and recall.
Triage reads the raw text: no encoding repair is needed to see the cues, and pages it skips never
pay for the repair. Stage 2 reads a page hard-wrapped at a fixed width paragraph by paragraph,
as the structure stage does (unwrap.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from . import cues, furniture
from .article import best_cut
from .bounds import viewed_texts
from .unwrap import blank_line_breaks, line_kind, paragraphs, wrap_width

_OPENER_WORDS = sorted(
    cues.GREETINGS
    | cues.THANKS
    | cues.PRAISE
    | {"agreed", "agree", "wow", "lol", "haha", "congrats", "congratulations", "yep", "yup"}
)
# A line that opens like a comment: an opener word, or an @mention, after any indent. Case-
# insensitive, anchored at line starts, so one findall over the whole page counts them.
OPENER_RE = re.compile(
    r"^[^\S\n]*(?:@\w|(?:" + "|".join(_OPENER_WORDS) + r")\b)", re.MULTILINE | re.IGNORECASE
)

_Tree = dict[str, "_Tree"]


def prefix_tree_regex(words: list[str]) -> str:
    """An alternation that matches exactly `words`, written as a prefix tree ("gr(?:eat|eetings)"
    for "great|greetings"): the regex engine tries a few letters at each line start instead of
    every word in turn."""
    tree: _Tree = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def walk(node: _Tree) -> str:
        branches = [re.escape(char) + walk(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        alternation = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{alternation})?" if "" in node else alternation

    return walk(tree)


# The same lines, matched with their newline: count them in "\n" + text (no match can consume the
# newline that starts the next line: `[^\S\n]*` (any space but a newline: an indent of no-break
# spaces too), `@\w` and the words never match one). The words as a prefix tree: the same lines,
# the scan ~1.8x as fast.
_OPENER_AFTER_NEWLINE_RE = re.compile(
    r"\n[^\S\n]*(?:@\w|(?:" + prefix_tree_regex(_OPENER_WORDS) + r")\b)", re.IGNORECASE
)


class TriageConfig(NamedTuple):
    """Thresholds of the two stages (see the module docstring)."""

    min_openers: int = 1
    strong_openers: int = 4  # this many opener lines is a comment section without stage 2
    min_comment_lines: int = 3
    min_comment_likeness: float = 0.6
    window_lines: int = 25  # stage 2 reads the page's last this many non-blank lines (0: all)


DEFAULT_TRIAGE = TriageConfig()


@dataclass(frozen=True)
class TriageResult:
    """The decision for one page, with the figures it rests on."""

    has_comments: bool
    reason: str  # why: "threaded", "no comment openers", "too few lines after the article cut", ...
    openers: int  # lines that open like a comment (stage 1)
    comment_lines: int = 0  # non-blank lines after the article cut (stage 2; 0 if not reached)
    comment_likeness: float = 0.0  # their mean probability of reading like a comment
    cut_confidence: float = 0.0  # posterior of the article cut among the cuts that could win


def count_openers(text: str) -> int:
    """Lines of `text` that open like a comment (OPENER_RE's count, ~3.5x as fast: the search
    pattern starts with a literal newline, which the regex engine scans for, and tries the words
    as a prefix tree)."""
    return len(_OPENER_AFTER_NEWLINE_RE.findall("\n" + text))


def _cut(texts: list[str], window: int) -> tuple[int, float, list[float]]:
    """best_cut over the page's last `window` lines (a comment section ends the page), and over
    the whole page when the cut lands on the window's first line (comments may begin above it)."""
    if window and len(texts) > window:
        first, confidence, probs = best_cut(texts[-window:], posterior=False)
        if first:
            offset = len(texts) - window
            return offset + first, confidence, [0.0] * offset + probs
    return best_cut(texts, posterior=False)  # the cut is the same as with the posterior; cheaper


# What a comment widget's "Reply" on a line of its own starts with ("Reply", "Reply ↓"): a page
# without a comment opener but with it is read for its furniture.
WIDGET_HINT = "\nReply"
# Lines of a comment box (a widget's "Reply", a writer's header or footer) that make a page a
# thread whatever its words read like: two, as one could be a page's own link.
MIN_FURNITURE_LINES = 2


def furniture_lines(lines: list[str], viewed: list[str]) -> int:
    """How many of the page's lines (`viewed`: as inference reads them) are a comment box's: a
    widget's line, a header that names a writer, a footer."""
    count = 0
    for raw, read in zip(lines, viewed, strict=True):
        if read or not raw.strip():
            continue  # inference reads it as text, or it is blank
        stripped = raw.strip()
        header = furniture.comment_header(stripped)
        if (furniture.is_widget_line(stripped) or (header is not None and header.writer)
                or furniture.comment_footer(stripped) is not None):
            count += 1
    return count


def _furnished(lines: list[str]) -> bool:
    return furniture_lines(lines, viewed_texts(lines, lines)) >= MIN_FURNITURE_LINES


def triage_text(text: str, config: TriageConfig = DEFAULT_TRIAGE) -> TriageResult:
    """Decide whether `text` (a raw page: paragraphs one per line) has a comment section."""
    openers = count_openers(text)
    if openers < config.min_openers:
        if WIDGET_HINT in text and _furnished(text.split("\n")):  # one scan: most pages have none
            return TriageResult(True, "comment furniture", openers)
        return TriageResult(False, "no comment openers", openers)
    if openers >= config.strong_openers:
        return TriageResult(True, "threaded", openers)
    lines = text.split("\n")
    viewed = viewed_texts(lines, lines)  # as inference reads them
    if furniture_lines(lines, viewed) >= MIN_FURNITURE_LINES:
        return TriageResult(True, "comment furniture", openers)
    texts = [line for line in viewed if line]
    width = wrap_width(texts)
    if width is not None:  # read a hard-wrapped page paragraph by paragraph
        kinds = map(line_kind, viewed, lines)  # as Thread.paragraph_breaks reads a thread's lines
        texts = [paragraph for _, _, paragraph in paragraphs(texts, width, blank_line_breaks(kinds))]
    first, confidence, probs = _cut(texts, config.window_lines)
    tail = len(texts) - first
    if tail < config.min_comment_lines:
        return TriageResult(False, "too few lines after the article cut", openers, tail, 0.0, confidence)
    likeness = sum(probs[first:]) / tail
    if likeness < config.min_comment_likeness:
        return TriageResult(False, "lines after the article cut read like prose", openers, tail,
                            round(likeness, 4), confidence)
    return TriageResult(True, "threaded", openers, tail, round(likeness, 4), confidence)
