"""Invented threads for the segmentation tests (invented people and topics, written for the project)."""

from __future__ import annotations

# A short article on sourdough, then comments: praise with a question, the author's two-paragraph
# answer, a reader's thanks, and a reader who pastes a two-line recipe after a colon.
SOURDOUGH = [
    "Sourdough starts with a starter: flour and water left to ferment for about a week.",
    "Feed it every day with equal weights of flour and water, and keep it somewhere warm.",
    "Once it doubles within six hours of a feed, it is ready to raise a loaf.",
    "Mix the dough, let it rest, fold it a few times, then shape it and bake it in a hot pot.",
    "Hi Tomas, great write-up! How warm does the kitchen need to be for the starter?",
    "Thanks Ines. Anywhere between 22 and 26 degrees works well in my experience.",
    "If your kitchen is colder, the oven with just the light switched on is a cosy spot for it.",
    "That is a brilliant tip, thank you!",
    "I have been baking with rye for years, here is the ratio I use:",
    "- 100 g rye flour",
    "- 100 g water at room temperature",
]
SOURDOUGH_FIRST = 4  # index of the first comment line
SOURDOUGH_STARTS = [4, 5, 7, 8]

# Comments only, no article: every line opens a reply.
NO_ARTICLE = [
    "Great post, thanks for sharing!",
    "Thank you, this helped me a lot.",
    "Awesome work, keep it up!",
]
