"""threadloom: rebuild flattened blog comment sections into an archival conversational dataset."""

from __future__ import annotations

__version__ = "0.6.18"

from .errors import ThreadloomError
from .model import Comment, Decision, Line, Repair, Speaker, Thread
from .pipeline import process_document, process_text

__all__ = [
    "Comment",
    "Decision",
    "Line",
    "Repair",
    "Speaker",
    "Thread",
    "ThreadloomError",
    "__version__",
    "process_document",
    "process_text",
]
