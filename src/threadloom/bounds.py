"""Bounds that keep a hostile document (one 50 MB line, say) from costing minutes and gigabytes.

Structure inference reads at most INFERENCE_LINE_CHARS characters of each line: the head and the
tail, where its cues are (greetings, names, signatures). Nothing is cut from the dataset: the
Thread that comes back carries every line whole, and all text and offsets come from those.
"""

from __future__ import annotations

from dataclasses import replace

from .model import Line, Thread

INFERENCE_LINE_CHARS = 20_000


def _bounded(line: Line) -> Line:
    if len(line.text) <= INFERENCE_LINE_CHARS:
        return line
    half = INFERENCE_LINE_CHARS // 2
    return replace(line, text=line.text[:half] + " " + line.text[-half:])


def inference_view(thread: Thread) -> Thread:
    """The Thread structure inference sees: every line longer than INFERENCE_LINE_CHARS is cut to
    its head and tail. Put the full lines back into the result with `with_lines_of`."""
    if all(len(line.text) <= INFERENCE_LINE_CHARS for line in thread.lines):
        return thread
    return replace(thread, lines=tuple(_bounded(line) for line in thread.lines))


def with_lines_of(inferred: Thread, original: Thread) -> Thread:
    """The inferred structure with the original, whole lines."""
    return inferred if inferred.lines is original.lines else replace(inferred, lines=original.lines)
