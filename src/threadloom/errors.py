"""The one error type a user sees: a thing, what is wrong with it, and what to do."""

from __future__ import annotations


class ThreadloomError(Exception):
    """An input or dataset problem, reported as one line: `<subject>: <reason> (<hint>)`."""

    def __init__(self, subject: str, reason: str, hint: str = "") -> None:
        self.subject = subject
        self.reason = reason
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        line = f"{self.subject}: {self.reason}"
        return f"{line} ({self.hint})" if self.hint else line
