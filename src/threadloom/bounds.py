"""The view of a document that structure inference reads, and its bounds.

Structure inference reads at most INFERENCE_LINE_CHARS characters of each line: the head and the
tail, where its cues are (greetings, names, signatures), so a hostile document (one 50 MB line,
say) does not cost minutes and gigabytes. It reads every line without the whitespace around it,
as segmentation always did: an extractor that indents the whole page, or the comment section,
must not hide a salutation or a signature. Nothing is cut from the dataset: the Thread that
comes back carries every line whole, and all text and offsets come from those.
"""

from __future__ import annotations

from dataclasses import replace

from .model import Line, Thread

INFERENCE_LINE_CHARS = 20_000


def _viewed(line: Line) -> Line:
    text = line.text.strip()
    if len(text) > INFERENCE_LINE_CHARS:
        half = INFERENCE_LINE_CHARS // 2
        text = text[:half] + " " + text[-half:]
    return line if text == line.text else replace(line, text=text)


def _needs_view(text: str) -> bool:
    # str.strip's whitespace: a line that starts or ends with any of it is stripped in the view
    return len(text) > INFERENCE_LINE_CHARS or text[:1].isspace() or text[-1:].isspace()


def inference_view(thread: Thread) -> Thread:
    """The Thread structure inference sees: every line stripped of the whitespace around it, and
    cut to its head and tail when longer than INFERENCE_LINE_CHARS. Put the full lines back into
    the result with `with_lines_of`."""
    if not any(_needs_view(line.text) for line in thread.lines):
        return thread
    return replace(thread, lines=tuple(_viewed(line) for line in thread.lines))


def with_lines_of(inferred: Thread, original: Thread) -> Thread:
    """The inferred structure with the original, whole lines."""
    return inferred if inferred.lines is original.lines else replace(inferred, lines=original.lines)
