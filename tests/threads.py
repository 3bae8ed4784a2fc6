"""Small thread shapes written for these tests (invented people, invented topics), and a helper
that builds a Thread from lines the way the pipeline does."""

from __future__ import annotations

import hashlib

from threadloom.model import Line, Thread
from threadloom.segment import TextLine

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


def text_lines_of(texts: list[str]) -> list[TextLine]:
    """The lines inference reads, one per text, numbered from 1 (no wrapping, no furniture)."""
    return [TextLine(i, t) for i, t in enumerate(texts, start=1)]


# A longer thread whose comments run to several sentences, so that wrapping them at a fixed width
# (tests/test_unwrap.py) gives many full lines: a sourdough article by Ada, then comments.
BREAD = [
    "Sourdough starts with a starter: flour and water left to ferment until wild yeast and lactic "
    "bacteria take hold, which takes about a week in a warm kitchen.",
    "Feed the starter twice a day with equal weights of flour and water, and discard half before "
    "each feeding so that it never outgrows its jar or turns too sour.",
    "Once it doubles within six hours of a feeding, it is ready to raise a loaf: mix it with flour, "
    "water and salt, fold the dough every half hour, then shape it and let it rise overnight.",
    "Great post, Ada! I have killed three starters in a row and never understood why. Reading this I "
    "suspect my kitchen is simply too cold in winter, because the jar sits next to a draughty window "
    "and the starter never really doubles. Would a box with a lamp in it be enough to keep it going?",
    "Thanks, Jonas. A box with a small lamp works well, as long as it stays below thirty degrees; any "
    "warmer and the bacteria win over the yeast and the bread turns sour and flat. An oven with only "
    "its light switched on is the easiest version of the same idea, and costs nothing to try.",
    "I bake every weekend and the tip about discarding half at each feeding changed everything for me. "
    "My starter used to smell like nail polish remover by the third day, which I now know means it was "
    "starving. Since I started discarding, it smells of yoghurt and rises like clockwork.",
    "Hi Ada, how long can a starter be left in the fridge between bakes? I travel a lot for work and "
    "would "
    "hate to throw mine away every time I am gone for two or three weeks in a row, especially now "
    "that it finally behaves.",
    "Pia, mine has survived a month in the fridge more than once. Give it two or three feedings at room "
    "temperature before you bake with it again, and do not worry about the grey liquid on top: pour "
    "it off, it is only alcohol from the hungry yeast.",
    "Lovely write-up, Ada. The part about folding instead of kneading finally made my loaves open and "
    "airy instead of dense, and my family has stopped asking for shop bread. Thank you for sharing "
    "the method in such a clear and patient way.",
]
BREAD_ARTICLE_END = 3

# A thread written with straight apostrophes and quotes, the way many commenters type them (its
# openings "I'm", "I've", "Don't" are cues), typed emoticons and an accented name: a kayaking
# article by Rui, then comments.
KAYAK = [
    "Sea kayaking in spring means cold water even on a warm day, so dress for the water, not the air.",
    "A dry suit is the safest choice; a wet suit with a spray jacket is the budget one.",
    "Plan every crossing around the tide tables, and tell someone on shore when you'll be back.",
    "I'm new to this and I've only paddled on lakes so far. Is a \"budget\" wet suit enough for a "
    "calm bay in April?",
    "It's enough for a calm bay close to shore, but don't go out alone until you've practised a "
    "rescue. I'd add a hood too.",
    "Don't forget the hood! I lost a lot of heat through my head on my first trip.",
    "I've been paddling for ten years and I'd say the same: the dry suit is worth every cent.",
    "Thanks, Rui. I'm booking a rescue course first :)",
    "Glad to hear it :) A rescue course is the best money you'll spend on paddling.",
    "René, which course did you book? I'm looking for one near Porto.",
]
