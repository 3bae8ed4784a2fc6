"""Small thread shapes written for these tests (invented people, invented topics), and a helper
that builds a Thread from lines the way the pipeline does."""

from __future__ import annotations

import hashlib

from threadloom.model import Line, Thread

# A how-to article about pruning roses, then comments: praise to the author (Nora), a question,
# the author's answer, the asker's thanks, and a signed comment.
ROSES = [
    "Pruning roses is easier than most gardeners think, and late winter is the best time to do it.",
    "Start by removing any dead or damaged canes, cutting back to healthy white pith.",
    "Next, open up the centre of the bush so that air can move freely between the stems.",
    "Finally, cut the remaining canes to about a third of their height, just above an outward bud.",
    "Great post, Nora! I always wondered when to prune mine.",
    "Thanks for the clear instructions. Do you seal the cuts afterwards, or leave them open?",
    "Thanks, Pete. I leave them open; a clean cut on a dry day heals on its own.",
    "Sealing can trap moisture and invite rot, so I only do it on very thick canes.",
    "Perfect, that answers it. Thank you!",
    "Lovely guide, Nora. My climbers have never looked better after following your steps.",
    "Cheers,",
    "Marta",
]
ROSES_ARTICLE_END = 4
ROSES_STARTS = [5, 6, 7, 9, 10]


def make_thread(lines: list[str], metadata: dict[str, str] | None = None) -> Thread:
    built: list[Line] = []
    offset = 0
    for i, text in enumerate(lines, start=1):
        built.append(Line(number=i, raw_char_start=offset, raw=text, text=text))
        offset += len(text) + 1
    raw = "\n".join(lines)
    sha = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return Thread("t/1", "t_1.txt", sha, raw, tuple(built), metadata=dict(metadata or {}))
