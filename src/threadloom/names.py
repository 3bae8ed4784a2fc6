"""Who wrote each non-author comment: names from the text, and the same person across comments.

Names come only from the text: a signature line names the comment's own writer; a reply that
addresses someone ("Thanks, Steve.", "Hi Rebecca", "@joe") names the parent's writer. A reader who
comes back under the author's answer to them is taken to be the same person as the one answered.
Precision comes first: a name must look like one and never be used as an ordinary lower-case word
in the thread ("Great" opens sentences, but "great" is also written in lower case). A comment
header a crawl kept ("Paul says:", furniture.py) names its comment's writer as the page gave it,
without that check.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from .cues import ANSWERING_CUES
from .facts import Facts
from .model import Decision

SIGNATURE_CONF = 0.9
HEADER_CONF = 0.97  # the name a comment's header line gives ("Paul says:"), where a crawl kept it
AUTHOR_ADDRESS_CONF = 0.9  # the author thanking or greeting the reader they answer
MIN_CLAIM = 0.5  # weaker claims name nobody (precision first)
READER_ADDRESS_CONF = 0.0  # a reader addressing the reader they answer: too often a third person
# Capitalised words that open comments ("Details, ...", "Update: ...") and are not names.
OPENER_WORDS = frozenset(
    {
        "details", "great", "thanks", "hello", "update", "edit", "sorry", "cheers", "nice", "wow",
        "awesome", "note", "ps", "also", "anyway", "btw", "question", "answer", "yes", "no", "ok",
        "okay", "well", "agreed", "exactly", "indeed", "correct", "right", "sure", "interesting",
        "problem", "solution", "fixed", "done", "oops", "hmm", "ah", "oh", "good", "cool", "true",
        "fair", "nope", "yep", "yeah", "actually", "honestly", "seriously", "again", "finally",
        # interjections and one-word replies, which open an answer as a name would ("Yup, ...")
        "yup", "nah", "aha", "ahh", "aww", "duh", "eh", "gosh", "huh", "meh", "ooh",
        "ouch", "phew", "ugh", "uh", "um", "whoa", "yay", "yikes", "yo", "lol", "haha", "omg", "ha",
        "hah", "hm", "hmmm", "bravo", "amen", "alright", "absolutely", "definitely", "ditto",
        "precisely", "congrats", "welcome", "bingo", "touché", "gotcha", "noted", "totally",
    }
)  # fmt: skip


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


def used_in_lower_case(name: str, texts: list[str]) -> bool:
    """Does the thread write this word in lower case somewhere (so it is a word, not a name)?"""
    low = name.lower()
    probes = (f" {low} ", f" {low},", f" {low}.", f" {low}!", f" {low}?")
    return any(p in t for t in texts for p in probes)


def _names_in_body(f: Facts, name: str) -> bool:
    """Does the comment mention this name itself (outside its signature)? Writers rarely name
    themselves, so a name in the parent's own words is someone it talks about."""
    return _has_word(f.text.rsplit("\n", 1)[0] if f.signature else f.text, name)


def _has_word(text: str, name: str) -> bool:
    return re.search(r"\b" + re.escape(name) + r"\b", text) is not None


def _talks_about(f: Facts, name: str) -> bool:
    """Does the comment also use this name outside the words that address someone ("George has
    been working with me ... Thanks again, George!")? Then the name is a third person it talks
    about, and the thanks is an aside to them, not to the reader it answers."""
    rest = f.text
    for mention in f.mentions:
        if mention.name == name:
            rest = rest.replace(mention.words, " ", 1)
    return _has_word(rest, name)


def used_in_lower_case_anywhere(name: str, texts: list[str]) -> bool:
    """The word written in lower case anywhere (not only between spaces)."""
    return LowerCaseWords(texts).has(name)


LETTER_RUN_RE = re.compile(r"[A-Za-z]+")


ASCII_LETTERS = frozenset(string.ascii_letters)


class LowerCaseWords:
    """`used_in_lower_case_anywhere` for the names claimed in one thread. Claims are few, so each
    name's letter runs are found with `str.find` in the thread's joined text; a thread that asks
    often (a long one, many claims) collects every letter run once and looks them up instead."""

    FIND_BUDGET = 64  # str.find calls before collecting the runs is the cheaper way

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.joined = "\n".join(texts)  # "\n" is no letter: no run spans two texts
        self.runs: set[str] | None = None
        self.finds = 0

    def has(self, name: str) -> bool:
        low = name.lower()
        parts = LETTER_RUN_RE.findall(low)
        # A match is bounded by non-letters, so each of its letter runs is a whole run of the
        # text: a run the thread never writes rules the name out without reading the texts.
        if not all(self.writes_run(part) for part in parts):
            return False
        if parts and parts[0] == low:
            return True  # a single run ("pete"): finding it is the whole answer
        pattern = re.compile(r"(?<![A-Za-z])" + re.escape(low) + r"(?![A-Za-z])")
        return any(pattern.search(t) for t in self.texts)  # rare: "mary-jane", "joe_2"

    def writes_run(self, run: str) -> bool:
        """Is `run` (letters) written in the thread as a whole letter run, no letter either side?"""
        if self.runs is None and self.finds > self.FIND_BUDGET:
            self.runs = set(LETTER_RUN_RE.findall(self.joined))
        if self.runs is not None:
            return run in self.runs
        text = self.joined
        start = text.find(run)
        while start != -1:
            self.finds += 1
            end = start + len(run)
            if (start == 0 or text[start - 1] not in ASCII_LETTERS) and (
                end == len(text) or text[end] not in ASCII_LETTERS
            ):
                return True
            start = text.find(run, start + 1)
        self.finds += 1
        return False


def _name_claims(
    facts: list[Facts],
    parents: list[int | None],
    authors: list[bool],
    author_name: str | None,
    extra_text: tuple[str, ...] = (),
) -> list[tuple[int, str, float, str]]:
    """(position, name, confidence, evidence) for every comment the text names."""
    claims: list[tuple[int, str, float, str]] = []
    headed: list[tuple[int, str, float, str]] = []  # the page's own word: not checked against the text
    for j, f in enumerate(facts):
        if f.header_name and not authors[j]:
            why = f"header: '{f.header[:60]}' names the comment's writer"
            headed.append((j, f.header_name, HEADER_CONF, why))
            continue
        if f.signature and not authors[j] and f.signature != author_name:
            last = f.text.rsplit("\n", 1)[-1]
            claims.append(
                (j, f.signature, SIGNATURE_CONF, f"signature: last line '{last[:40]}' signs the comment")
            )
        parent = parents[j]
        # only the comment right before: "Thanks, Steve." answering Steve, not a name from afar
        if parent is None or parent != j - 1 or authors[parent]:
            continue
        for mention in f.mentions:
            if mention.cue not in ANSWERING_CUES or mention.name == author_name:
                continue
            confidence = AUTHOR_ADDRESS_CONF if authors[j] else READER_ADDRESS_CONF
            if confidence < MIN_CLAIM:
                break
            if (mention.name.lower() in OPENER_WORDS or _names_in_body(facts[parent], mention.name)
                    or _talks_about(f, mention.name)):
                break  # a common opener, or a third person the parent or the reply talks about
            why = f"{mention.cue}: '{mention.words}' in comment {j} names its parent's speaker"
            claims.append((parent, mention.name, confidence, why))
            break
    if not claims:
        return headed
    vocabulary = LowerCaseWords([*(f.text for f in facts), *extra_text])
    return headed + [c for c in claims if not vocabulary.has(c[1])]


def _follow_ups(
    parents: list[int | None], authors: list[bool], groups: _Groups, named: dict[int, set[str]]
) -> dict[int, str]:
    """A reader answering the author's reply to another reader is that reader coming back:
    A writes, the author answers A, and a reader comment replying to that answer follows.
    Two comments the text names differently are two people: such a pair is not joined (its
    reply link was the likelier mistake). `named`: the names claimed for each position."""
    evidence: dict[int, str] = {}
    names = {j: set(found) for j, found in named.items()}  # per group root, as groups join
    for j in range(1, len(parents)):
        prev = j - 1
        if authors[j] or not authors[prev]:
            continue
        asker = parents[prev]
        if asker is None or authors[asker] or parents[j] != prev:
            continue
        asker_names, own_names = names.get(groups.find(asker), set()), names.get(groups.find(j), set())
        if asker_names and own_names and not asker_names & own_names:
            evidence[j] = (
                f"not comment {asker}'s reader coming back: named {sorted(own_names)[0]} here, "
                f"{sorted(asker_names)[0]} there"
            )
            continue
        groups.join(asker, j)
        names[groups.find(j)] = asker_names | own_names
        evidence[j] = f"follow-up: answers the author's reply to comment {asker}, so it is that reader"
    return evidence


def identify(
    facts: list[Facts],
    parents: list[int | None],
    authors: list[bool],
    author_name: str | None,
    article: str = "",
) -> list[Identity]:
    """A speaker group and name for every comment (author comments stay in their own groups).
    `article` widens the check that a name is not an ordinary word of the thread."""
    n = len(facts)
    author = author_name.split()[0] if author_name else None
    claims = _name_claims(facts, parents, authors, author, (article,))
    named: dict[int, set[str]] = {}
    for position, name, _, _ in claims:
        named.setdefault(position, set()).add(name)
    groups = _Groups(n)
    same_evidence = _follow_ups(parents, authors, groups, named)
    best: dict[int, tuple[float, str, str]] = {}
    for position, name, confidence, why in claims:
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
