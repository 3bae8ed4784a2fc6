"""Who wrote each non-author comment: names from the text, and the same person across comments.

Names come only from the text: a signature line names the comment's own writer; a reply that
addresses someone ("Thanks, Steve.", "Hi Rebecca", "@joe") names the parent's writer. A reader who
comes back under the author's answer to them is taken to be the same person as the one answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import cues
from .model import Decision

# Cues strong enough to name the parent's writer; a closing vocative may name a third person.
PARENT_NAMING_CUES = ("thanks-vocative", "greeting-vocative", "opening-vocative", "at-mention")


@dataclass(frozen=True)
class Identity:
    """One comment's speaker group (a comment position standing for the group) and any name."""

    group: int
    name: str | None
    decision: Decision


class _Groups:
    """Union-find over comment positions; the smallest position represents a group."""

    def __init__(self, n: int) -> None:
        self.up = list(range(n))

    def find(self, i: int) -> int:
        while self.up[i] != i:
            self.up[i] = self.up[self.up[i]]
            i = self.up[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.up[max(ra, rb)] = min(ra, rb)


def _name_claims(
    texts: list[str], parents: list[int | None], authors: list[bool], author_name: str | None
) -> list[tuple[int, str, float, str]]:
    """(position, name, confidence, evidence) for every comment the text names."""
    claims: list[tuple[int, str, float, str]] = []
    for j, text in enumerate(texts):
        lines = text.split("\n")
        signature = cues.signature_name(lines[-1]) if len(lines) > 1 else None
        if signature and not authors[j] and signature != author_name:
            claims.append((j, signature, 0.85, f"signature: last line '{lines[-1][:40]}' signs the comment"))
        parent = parents[j]
        if parent is None or authors[parent]:
            continue
        for mention in cues.mentions(text):
            if mention.cue not in PARENT_NAMING_CUES or mention.name == author_name:
                continue
            confidence = 0.85 if authors[j] else 0.7
            claims.append(
                (
                    parent,
                    mention.name,
                    confidence,
                    f"{mention.cue}: '{mention.words}' names the parent's speaker",
                )
            )
            break
    return claims


def identify(
    texts: list[str], parents: list[int | None], authors: list[bool], author_name: str | None
) -> list[Identity]:
    """A speaker group and name for every comment (author comments stay in their own groups)."""
    n = len(texts)
    groups = _Groups(n)
    same_evidence: dict[int, str] = {}
    for j in range(1, n):
        prev, parent = j - 1, parents[j]
        # a reader answering the author's reply to them: A asks, author answers, A follows up
        if authors[j] or not authors[prev] or parent is None or authors[parent]:
            continue
        if parents[prev] == parent:  # the author's answer and this comment share a parent
            asker = parent
            if not authors[asker]:
                groups.join(asker, j)
                same_evidence[j] = f"follow-up: replies under the author's answer to comment {asker}"
    best: dict[int, tuple[float, str, str]] = {}
    for position, name, confidence, why in _name_claims(texts, parents, authors, author_name):
        root = groups.find(position)
        if root not in best or confidence > best[root][0]:
            best[root] = (confidence, name, why)
    identities: list[Identity] = []
    for j in range(n):
        root = groups.find(j)
        evidence = [same_evidence[j]] if j in same_evidence else []
        if root in best and not authors[j]:
            confidence, name, why = best[root]
            identities.append(Identity(root, name, Decision(confidence, (why, *evidence))))
        else:
            identities.append(Identity(root, None, Decision(0.5, ("no name in the text", *evidence))))
    return identities
