"""What the structure stages know about one comment, computed once: tokens, cues, names.

Every later stage (post author, parents, speakers) reads these facts instead of re-scanning the
text, so a comment is tokenized once and most cues are set look-ups, not regex batteries.
Lexicons are generic conversational English, never text from a particular blog.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import NamedTuple

from . import cues

# '(?:x|)' is the same as '(?:x)?' here, and the regex engine runs it faster.
TOKEN_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+|)")

# Two-word phrases a post's author uses about their own post or when answering readers.
AUTHOR_PHRASES = frozenset(
    {
        ("my", "post"),
        ("my", "article"),
        ("my", "tutorial"),
        ("my", "guide"),
        ("my", "blog"),
        ("my", "site"),
        ("my", "theme"),
        ("my", "review"),
        ("i", "wrote"),
        ("the", "post"),
        ("the", "article"),
        ("this", "post"),
        ("in", "the"),
        ("glad", "you"),
        ("glad", "it"),
        ("glad", "to"),
        ("glad", "i"),
        ("you're", "welcome"),
        ("happy", "to"),
        ("hope", "that"),
        ("hope", "this"),
        ("hope", "it"),
        ("let", "me"),
        ("feel", "free"),
        ("you", "could"),
        ("you", "can"),
        ("you'll", "need"),
        ("you", "need"),
        ("you", "might"),
        ("you", "should"),
        ("i'd", "suggest"),
        ("i'd", "recommend"),
        ("i'll", "add"),
        ("i'll", "update"),
        ("i'll", "look"),
        ("i'll", "fix"),
        ("i'll", "check"),
        ("i", "updated"),
        ("for", "reading"),
        ("good", "question"),
        ("great", "question"),
        ("not", "sure"),
        ("sounds", "like"),
        ("take", "a"),
        ("check", "out"),
    }
)
# Two-word phrases a reader uses to the post's author or about their own attempt.
READER_PHRASES = frozenset(
    {
        ("your", "post"),
        ("your", "article"),
        ("your", "tutorial"),
        ("your", "guide"),
        ("your", "blog"),
        ("your", "site"),
        ("your", "theme"),
        ("your", "work"),
        ("your", "review"),
        ("your", "help"),
        ("your", "reply"),
        ("your", "response"),
        ("your", "answer"),
        ("your", "suggestion"),
        ("you", "wrote"),
        ("you", "mentioned"),
        ("you", "said"),
        ("you", "describe"),
        ("i", "tried"),
        ("i", "followed"),
        ("i'm", "using"),
        ("i", "am"),
        ("i", "have"),
        ("i'm", "trying"),
        ("i", "can't"),
        ("i", "cannot"),
        ("i", "get"),
        ("i", "got"),
        ("keep", "up"),
        ("for", "sharing"),
        ("for", "writing"),
        ("for", "posting"),
        ("for", "this"),
        ("great", "post"),
        ("nice", "post"),
        ("great", "article"),
        ("nice", "article"),
        ("great", "work"),
        ("great", "job"),
        ("great", "theme"),
        ("nice", "theme"),
        ("love", "the"),
        ("love", "this"),
        ("love", "your"),
        ("any", "idea"),
        ("any", "ideas"),
        ("any", "help"),
        ("is", "there"),
        ("how", "do"),
        ("how", "can"),
        ("can", "you"),
        ("could", "you"),
        ("that", "worked"),
        ("it", "worked"),
        ("it", "works"),
        ("thanks", "again"),
    }
)
KNOWN_PHRASES = AUTHOR_PHRASES | READER_PHRASES  # the word pairs any stage looks for
# Words that praise; with a post noun nearby they praise the post (a reader's comment).
PRAISE_WORDS = frozenset(
    cues.PRAISE
    | {"useful", "helpful", "informative", "interesting", "enjoyed", "like", "liked", "insightful"}
)
SECOND_PERSON = frozenset({"you", "your", "you're", "you've", "you'll", "you'd", "yours", "u"})
FIRST_PERSON = frozenset({"i", "my", "me", "i'm", "i've", "i'd", "i'll", "mine", "im"})
# Advice and hedges: how someone who knows the subject answers ("you could try", "should work").
ADVICE = frozenset({"should", "could", "might", "try", "suggest", "recommend", "probably", "instead"})
COUNTED = SECOND_PERSON | FIRST_PERSON | ADVICE
# Words of a reader coming back after an answer ("that worked", "thanks for the quick reply").
FOLLOW_UP = frozenset(
    {
        "worked",
        "works",
        "working",
        "fixed",
        "solved",
        "managed",
        "reply",
        "replying",
        "response",
        "answer",
        "suggestion",
        "advice",
        "feedback",
        "quick",
        "fast",
        "explanation",
        "clarification",
        "right",
        "correct",
        "sense",
        "update",
        "updated",
    }
)
# What a reader thanks someone for when coming back after an answer ("thank you so much for the
# quick reply", "thanks for your help"): not a tip or a suggestion, which the author thanks readers
# for as often.
ANSWER_THANKS = frozenset({"reply", "replies", "response", "responding", "answer", "answers", "answering",
                           "help", "helping", "explanation", "clarification", "advice"})
THANKING = frozenset({"thanks", "thank", "thx", "appreciate", "appreciated"})
# How a post's author acknowledges a reader ("Glad you liked it", "You're welcome", "Hope this
# helps"): on the dev threads only authors wrote these (20 comments, no reader's).
ACKNOWLEDGES_RE = re.compile(
    r"\b(?:glad (?:you|to hear|it|i (?:could|can|was able))|good to hear|you['’]?re (?:very |most )?welcome|"
    r"happy to help|hope (?:this|that|it) helps|thanks for (?:reading|stopping by|checking)|no problem)\b"
)
# Every ACKNOWLEDGES_RE match holds one of these: most comments hold none, and `in` is several times
# cheaper than the regex's search (a fifth of comment_facts' time before).
ACKNOWLEDGES_HINTS = ("glad ", "good to hear", "welcome", "happy to help", "helps", "thanks for ",
                      "no problem")
# What "thanks for the ..." thanks the author for when it is a new comment on the post.
POST_THANKS = frozenset(cues.POST_NOUNS | {"sharing", "writing", "posting", "this", "putting", "making"})
EMOTICONS = (":)", ":-)", ";)", ":d", ":p", ":(", "(:", "^^")
# One scan for any of them instead of one substring scan each.
EMOTICON_RE = re.compile("|".join(map(re.escape, EMOTICONS)))


class Facts(NamedTuple):
    """One comment's text and the cues later stages read. (A NamedTuple rather than a frozen
    dataclass: as immutable, and several times quicker to make, for every comment and every part
    of one that the speaker-turn stage tries.)"""

    text: str
    tokens: tuple[str, ...]  # lower-case words in order
    words: frozenset[str]
    long_words: frozenset[str]  # words of five letters or more: what carries a topic over
    phrases: frozenset[tuple[str, str]]  # adjacent word pairs that are AUTHOR_ or READER_PHRASES
    first_word: str
    first_line: str
    n_words: int
    asks: bool  # has a question mark
    opens_with: str  # greeting / thanks / praise / answer / at / other
    mentions: tuple[cues.Mention, ...]
    signature: str | None  # a name signing the comment's last line
    praises_post: bool
    emoticon: bool
    you_share: float  # second-person words among the person words
    advice: int  # advice words used
    follow_up: int  # follow-up words among the first words
    thanks_for_post: bool  # "thanks for sharing / the post": a new comment on the post
    thanks_for_answer: bool  # "thank you so much for the reply": a reader back after an answer
    acknowledges: bool  # "glad you liked it", "you're welcome": the post author answering a reader
    header: str = ""  # the comment's header line, when a crawl kept it ("Paul says:")
    header_name: str | None = None  # the writer's name that header gives

    def addressed(self) -> set[str]:
        return {m.name for m in self.mentions}

    def own_names(self) -> set[str]:
        """The first names the comment gives its own writer: its signature's, its header's."""
        names = {self.signature} if self.signature else set()
        if self.header_name:
            names.add(self.header_name.split()[0])
        return names


def _opener(first_word: str, first_line: str) -> str:
    return cues.opener_lexicon(first_word) or ("at" if first_line.startswith("@") else "other")


def _praises_post(tokens: tuple[str, ...]) -> bool:
    """A praise word followed within three words by a post noun ("great little tutorial")."""
    head = tokens[:80]
    if PRAISE_WORDS.isdisjoint(head) or cues.POST_NOUNS.isdisjoint(head):
        return False  # the common case, decided by two set operations
    for i, token in enumerate(head):
        if token in PRAISE_WORDS and any(t in cues.POST_NOUNS for t in tokens[i + 1 : i + 4]):
            return True
    return False


def comment_facts(text: str) -> Facts:
    lower = text.lower()
    tokens = tuple(TOKEN_RE.findall(lower.replace("’", "'")))
    words = frozenset(tokens)
    first_line, _, _ = text.partition("\n")
    last_line = text.rsplit("\n", 1)[-1]
    first_word = tokens[0] if tokens else ""
    you, me, advice = _person_and_advice(tokens, words)
    return Facts(
        text=text,
        tokens=tokens,
        words=words,
        long_words=frozenset([t for t in words if len(t) > 4]),  # only its size is read: order is free
        phrases=KNOWN_PHRASES.intersection(pairwise(tokens)),  # not every pair: only these are asked about
        first_word=first_word,
        first_line=first_line,
        n_words=len(tokens),
        asks="?" in text,
        opens_with=_opener(first_word, first_line.lstrip()),
        mentions=tuple(cues.mentions(cues.head_tail(text))),
        signature=_signature(text, last_line),
        praises_post=_praises_post(tokens),
        emoticon=_has_emoticon(lower),
        you_share=_share_of_you(you, me),
        advice=advice,
        follow_up=sum(map(FOLLOW_UP.__contains__, tokens[:20])),  # True counts 1
        thanks_for_post=_thanks_for_post(tokens),
        thanks_for_answer=_thanks_for_answer(tokens),
        acknowledges=_acknowledges(lower),
    )


def _signature(text: str, last_line: str) -> str | None:
    """The name signing a comment of several lines: its last line's ("-Joe", "Marta", "Sheldon,
    manager at X"), or under a sign-off the line's before a short last one ("Cheers," / "Paul
    Hendricks" / "Orchard manager, Kent")."""
    if "\n" not in text:
        return None
    name = cues.signature_name(last_line)
    if name is not None or text.count("\n") < 2:
        return name
    sign_off, signed, _ = text.rsplit("\n", 3)[-3:]  # the last three lines
    if cues.is_sign_off(sign_off) and cues.is_affiliation(last_line):
        return cues.signature_name(signed)
    return None


def _has_emoticon(lower: str) -> bool:
    """Every emoticon holds ":", ";" or "^": a text without any (most) needs no regex search."""
    return (":" in lower or ";" in lower or "^" in lower) and EMOTICON_RE.search(lower) is not None


def _person_and_advice(tokens: tuple[str, ...], words: frozenset[str]) -> tuple[int, int, int]:
    """How many tokens are second-person, first-person and advice words. Only the few such words
    present are counted (tuple.count, in C): cheaper than a Counter of every token."""
    you = me = advice = 0
    for word in COUNTED.intersection(words):  # any order: the sums are integers
        n = tokens.count(word)
        you += n if word in SECOND_PERSON else 0
        me += n if word in FIRST_PERSON else 0
        advice += n if word in ADVICE else 0
    return you, me, advice


def _thanks_for_post(tokens: tuple[str, ...]) -> bool:
    head = tokens[:12]
    if "for" not in head:
        return False  # most comments: one scan in C, not a loop over the words
    for i, token in enumerate(head):
        if token == "for" and i and head[i - 1] in ("thanks", "thank", "you"):
            return any(t in POST_THANKS for t in head[i + 1 : i + 4])
    return False


def _acknowledges(lower: str) -> bool:
    return any(hint in lower for hint in ACKNOWLEDGES_HINTS) and ACKNOWLEDGES_RE.search(lower) is not None


def _thanks_for_answer(tokens: tuple[str, ...]) -> bool:
    """Does the comment, in its first words, thank someone for an answer or for help ("Thank you
    so much for the quick reply!", "Appreciate it, thanks for your help")? On the dev threads
    readers write it, nearly always right under the post author's answer."""
    head = tokens[:30]
    if "for" not in head:
        return False
    for i, token in enumerate(head):
        if (token == "for" and not THANKING.isdisjoint(head[max(0, i - 4) : i])
                and not ANSWER_THANKS.isdisjoint(head[i + 1 : i + 4])):
            return True
    return False


def _share_of_you(you: int, me: int) -> float:
    """Answers talk about "you" and "your site"; questions about "I" and "my site"."""
    return you / (you + me) if you + me else 0.5
