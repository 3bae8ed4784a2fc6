"""Speakers: the post author's name, which comments the author wrote, and who wrote the rest.

The author's name is learned from how commenters address them across the thread (the name most
often addressed); author comments are scored from their own wording and the comment before them.
Other speakers are named only from the text: a signature line, or a reply that addresses its parent.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from . import cues
from .learned import Features, probability, top_reasons
from .model import Decision

POST_AUTHOR_KEY = "post-author"
# Cues that address someone directly; "closing-vocative" is weaker (could be a third person).
ADDRESS_CUES = (
    "greeting-vocative",
    "opening-vocative",
    "at-mention",
    "thanks-vocative",
    "closing-vocative",
)


@dataclass(frozen=True)
class AuthorName:
    name: str | None
    decision: Decision


def learn_author_name(texts: list[str], metadata_name: str | None = None) -> AuthorName:
    """The name commenters address most often across the thread, if it is addressed enough."""
    if metadata_name:
        return AuthorName(metadata_name, Decision(0.95, (f"metadata: post_author is '{metadata_name}'",)))
    counts: Counter[str] = Counter()
    example: dict[str, str] = {}
    signed: set[str] = set()
    for text in texts:
        names = {m.name for m in cues.mentions(text)}
        for mention in cues.mentions(text):
            example.setdefault(mention.name, f"{mention.cue}: '{mention.words}'")
        counts.update(sorted(names))
        signature = cues.signature_name(text.rsplit("\n", 1)[-1]) if "\n" in text else None
        if signature:
            signed.add(signature)
    ranked = sorted(
        ((n, name) for name, n in counts.items() if name not in signed), key=lambda x: (-x[0], x[1])
    )
    if not ranked or ranked[0][0] < 2:
        return AuthorName(None, Decision(0.6, ("no name is addressed in two or more comments",)))
    n, name = ranked[0]
    runner_up = ranked[1][0] if len(ranked) > 1 else 0
    confidence = min(0.97, 0.5 + 0.1 * n - 0.1 * runner_up)
    evidence = (
        f"addressed-most: '{name}' is addressed in {n} comments (next best {runner_up})",
        example[name],
    )
    return AuthorName(name, Decision(round(max(confidence, 0.3), 3), evidence))


def author_features(
    text: str, prev_text: str | None, prev_is_author: bool, author_name: str | None
) -> Features:
    """Does this comment read like the post author answering (rather than a reader)?"""
    feats: Features = {"bias": 1.0}
    first_line = text.split("\n", 1)[0]
    found = cues.mentions(text)
    names = {m.name for m in found}
    if author_name and author_name in names:
        feats["addresses_author"] = 1.0
    other = [m for m in found if m.name != author_name]
    for m in other:
        feats[f"addresses_other:{m.cue}"] = 1.0
    for name, regex in (
        ("praise_post", cues.PRAISE_POST_RE),
        ("reader", cues.READER_RE),
        ("author_self", cues.AUTHOR_SELF_RE),
    ):
        if cues.cue(regex, text):
            feats[name] = 1.0
    word = cues.first_word(first_line)
    for name, lexicon in (
        ("greeting", cues.GREETINGS),
        ("thanks", cues.THANKS),
        ("praise", cues.PRAISE),
        ("answer", cues.ANSWERS),
    ):
        if word in lexicon:
            feats[f"open:{name}"] = 1.0
    if first_line.lower().startswith(("thanks for", "thank you for")):
        feats["open:thanks_for"] = 1.0
    if "?" in text:
        feats["asks"] = 1.0
    opening = [m for m in found if m.cue in ("greeting-vocative", "opening-vocative", "at-mention")]
    if any(m.name != author_name for m in opening):
        feats["opens_to_other"] = 1.0
    if author_name is None and found:
        feats["addresses_someone_author_unknown"] = 1.0
    if prev_text is not None and "?" in prev_text:
        feats[f"prev_asks_open:{cues.first_word(first_line) in cues.ANSWERS}"] = 1.0
        feats[f"prev_asks_cur_asks:{'?' in text}"] = 1.0
    if cues.cue(cues.SECOND_PERSON_RE, text):
        feats["you"] = 1.0
    last = text.rsplit("\n", 1)[-1]
    if "\n" in text and cues.signature_name(last):
        feats["signed"] = 1.0
    n = len(text.split())
    feats["len<=10"] = float(n <= 10)
    feats["len>60"] = float(n > 60)
    if prev_text is None:
        feats["first_comment"] = 1.0
    else:
        if prev_text.rstrip().endswith("?") or "?" in prev_text:
            feats["prev_asks"] = 1.0
        if prev_is_author:
            feats["prev_author"] = 1.0
        if author_name and author_name in {m.name for m in cues.mentions(prev_text)}:
            feats["prev_addresses_author"] = 1.0
    return feats


def author_flags(texts: list[str], author_name: str | None) -> list[tuple[bool, Decision]]:
    """For each comment in order: is it by the post author, with a Decision."""
    out: list[tuple[bool, Decision]] = []
    for i, text in enumerate(texts):
        prev = texts[i - 1] if i else None
        prev_author = out[-1][0] if out else False
        feats = author_features(text, prev, prev_author, author_name)
        p = probability("author", feats)
        is_author = p >= 0.5
        reasons = top_reasons("author", feats, 1.0 if is_author else -1.0)
        label = "author-cues" if is_author else "reader-cues"
        evidence = f"{label}: {', '.join(reasons) or 'no strong cue'} in '{text[:40]}'"
        out.append((is_author, Decision(round(max(p, 1 - p), 3), (evidence,))))
    return out
