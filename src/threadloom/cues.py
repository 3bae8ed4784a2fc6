"""Shared lexical cues: the generic English words and shapes that open, close and address comments.

Every lexicon here is generic conversational English (greetings, thanks, praise, sign-offs), never
text from a particular blog. Stages turn these cues into features or evidence strings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import filterfalse

from .memo import line_memo

# Words that open a new comment: greeting someone, or reacting to what came before.
GREETINGS = frozenset({"hi", "hey", "hello", "dear", "howdy", "greetings", "yo", "hiya"})
THANKS = frozenset({"thanks", "thank", "thx", "ty", "cheers", "kudos", "appreciate"})
PRAISE = frozenset(
    {
        "great",
        "nice",
        "awesome",
        "excellent",
        "amazing",
        "love",
        "loved",
        "wonderful",
        "brilliant",
        "fantastic",
        "superb",
        "cool",
        "beautiful",
        "perfect",
        "wow",
        "impressive",
        "fabulous",
        "good",
        "congrats",
        "congratulations",
        "bravo",
        "outstanding",
        "terrific",
        "lovely",
        "ditto",
        "amen",
    }
)
ANSWERS = frozenset(
    {
        "yes",
        "no",
        "yeah",
        "yep",
        "nope",
        "sure",
        "ok",
        "okay",
        "glad",
        "sorry",
        "correct",
        "right",
        "exactly",
        "absolutely",
        "agreed",
        "indeed",
        "haha",
        "lol",
        "ah",
        "oh",
        "hmm",
        "well",
        "welcome",
    }
)
# Words that carry a paragraph on inside the same comment.
CONNECTIVES = frozenset(
    {
        "and",
        "but",
        "also",
        "or",
        "then",
        "however",
        "plus",
        "otherwise",
        "anyway",
        "besides",
        "ps",
        "p.s",
        "edit",
        "update",
        "btw",
        "furthermore",
        "additionally",
        "meanwhile",
        "because",
        "here",
        "example",
        "e.g",
        "i.e",
        "unfortunately",
        "instead",
        "finally",
        "another",
    }
)
# Sign-offs that close a comment; the line after one is usually the writer's name.
SIGN_OFFS = frozenset(
    {
        "cheers",
        "thanks",
        "thank you",
        "regards",
        "best",
        "best regards",
        "kind regards",
        "thx",
        "many thanks",
        "thanks again",
        "all the best",
        "take care",
        "sincerely",
        "warm regards",
        "best wishes",
        "greetings",
        "ciao",
        "later",
        "peace",
        "enjoy",
    }
)
# Words that name the post ("great post") when a reader addresses its author.
POST_NOUNS = frozenset(
    {
        "post",
        "article",
        "tutorial",
        "guide",
        "write-up",
        "writeup",
        "piece",
        "blog",
        "read",
        "review",
        "tip",
        "tips",
        "theme",
        "explanation",
        "work",
        "stuff",
        "job",
        "series",
        "info",
    }
)
# The lexicons that say how a comment opens, in the order they are tried.
OPENER_LEXICONS = (("greeting", GREETINGS), ("thanks", THANKS), ("praise", PRAISE), ("answer", ANSWERS))


def opener_lexicon(word: str) -> str | None:
    """Which opener lexicon a (lower-case) first word belongs to, if any."""
    for name, lexicon in OPENER_LEXICONS:
        if word in lexicon:
            return name
    return None


# Capitalised words that are not names even when they stand where a name could (vocative slots).
NOT_NAMES = frozenset(
    {
        "i",
        "the",
        "a",
        "an",
        "thanks",
        "thank",
        "hi",
        "hey",
        "hello",
        "dear",
        "great",
        "nice",
        "yes",
        "no",
        "ok",
        "okay",
        "sure",
        "sorry",
        "well",
        "oh",
        "ah",
        "so",
        "and",
        "but",
        "or",
        "this",
        "that",
        "it",
        "you",
        "we",
        "they",
        "he",
        "she",
        "my",
        "your",
        "our",
        "all",
        "guys",
        "folks",
        "everyone",
        "everybody",
        "man",
        "dude",
        "sir",
        "madam",
        "mate",
        "buddy",
        "friend",
        "again",
        "much",
        "lot",
        "lots",
        "very",
        "too",
        "also",
        "just",
        "cheers",
        "regards",
        "best",
        "love",
        "awesome",
        "cool",
        "wow",
        "lol",
        "haha",
        "please",
        "there",
        "here",
        "what",
        "why",
        "how",
        "when",
        "where",
        "who",
        "which",
        "if",
        "then",
        "now",
        "good",
        "bad",
        "really",
        "btw",
        "edit",
        "update",
        "ps",
        "note",
        "agreed",
        "true",
        "indeed",
        "exactly",
        "right",
        "correct",
        "glad",
        "welcome",
        "hope",
        "let",
        "me",
        "us",
        "them",
        "him",
        "her",
        "one",
        "some",
        "any",
        "amazing",
        "excellent",
        "perfect",
        "brilliant",
        "fantastic",
        "wonderful",
        "congrats",
        "kudos",
        "apple",
        "google",
        "microsoft",
        "ios",
        "ipad",
        "iphone",
        "android",
        "windows",
        "linux",
        "mac",
        "english",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "ditto",
        "amen",
        "bravo",
        "wait",
        "anyway",
        "anyways",
        "otherwise",
        "however",
        "unfortunately",
        "fortunately",
        "actually",
        "basically",
        "seriously",
        "honestly",
        "definitely",
        "absolutely",
        "first",
        "second",
        "finally",
        "yeah",
        "yep",
        "nope",
        "hmm",
        "umm",
        "brother",
        "sister",
        "bro",
        "team",
        "people",
        "world",
    }
)
# Words that are never a first name but that NOT_NAMES leaves out, because it is also the list of
# generic words two lines' shared words are counted without (content_words), which the models'
# overlap features were trained with: words that open a comment before a comma or a colon
# ("Interesting, ...", "Done: ..."), follow a thanks ("Thanks heaps"), or stand for whoever gives
# no name; closings and one-word replies ("Peace", "Noted", "Maybe") that end a comment on a line
# of their own, where a signature would stand.
NEVER_NAMES = NOT_NAMES | frozenset(
    [
        # standing where a name would ("Interesting, ...", "Thanks heaps"), or for whoever gives none
        "interesting", "done", "fixed", "solved", "updated", "greetings", "friends", "heaps", "bunch",
        "congratulations", "lovely", "beautiful", "gorgeous", "superb", "incredible", "impressive",
        "genius", "hooray", "hurray", "pal", "admin", "anonymous",
        # closings on a line of their own, where a signature would stand
        "bye", "later", "sincerely", "warmly", "yours", "hugs", "peace", "enjoy", "ciao", "cya", "thx",
        "tks", "hth", "merci", "gracias", "danke", "obrigado", "salut", "namaste",
        # one-word replies and sentence adverbs ("Yup,", "Oops," and "Nah," are left to the
        # models: they open comments of the bench as vocatives, and its models were trained so)
        "totally", "sweet", "yikes", "ouch", "bingo", "touché", "same", "noted", "understood",
        "gotcha", "ugh", "meh", "heh", "word", "respect", "boom", "nailed", "spot",
        "fascinating", "hilarious", "classic", "epic", "stunning", "help", "works", "worked", "tried",
        "never", "always", "maybe", "perhaps", "probably", "possibly",
    ]
)

WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’.-]*")


def _latin_letters(category: str) -> str:
    """A character class of the Latin letters (Basic Latin to Latin Extended-B) of one Unicode
    category ("Lu" or "Ll"), as ranges: names are written with them (José, Zoë, Łukasz, Søren)."""
    codes = [c for c in range(0x41, 0x250) if unicodedata.category(chr(c)) == category]
    ranges: list[tuple[int, int]] = []
    for c in codes:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1] = (ranges[-1][0], c)
        else:
            ranges.append((c, c))
    return "[" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]"


_UPPER, _LOWER = _latin_letters("Lu"), _latin_letters("Ll")
# A first name: a capital and lower-case letters, after Mc, O' or D' maybe (McAllister, O'Brien,
# D'Arcy), maybe a second part after a hyphen or an apostrophe (Mary-Jane), never a possessive "'s"
# (in "Thanks Steve's team" the name is Steve, and it is not addressed). It opens with the capital
# (the prefixes are looked behind at): a search can then skip from capital to capital, three
# times faster than with an optional prefix first.
NAME_RE = (rf"{_UPPER}(?:(?<=M)c{_UPPER}|(?<=[OD])['’]{_UPPER})?{_LOWER}+"
           rf"(?:[-'’](?![sS]\b){_UPPER}?{_LOWER}+)?")


def at_word_start(*alternatives: str) -> str:
    r"""`\b(?:a|b|...)` for alternatives that each open with a letter (or a class like "[Tt]"),
    written as that letter then a look-behind that no word character precedes it. Same matches,
    but the regex engine can jump to the alternatives' first letters instead of trying every
    position (3-4x faster on a line: these cues are searched on every line of every page)."""
    out = []
    for alt in alternatives:
        first = alt[: alt.index("]") + 1] if alt.startswith("[") else alt[0]
        out.append(f"{first}(?<!\\w{first}){alt[len(first):]}")
    return "(?:" + "|".join(out) + ")"


# "Thanks, Steve." / "Thanks Steve!" / "Thank you, Lee" — thanks aimed at a named person.
THANKS_VOCATIVE_RE = re.compile(
    r"\b(?:[Tt]hanks(?: (?:again|so much|a lot|for that))?|[Tt]hank you(?: (?:so much|again))?|"
    r"[Cc]heers|[Kk]udos)[,!]? (" + NAME_RE + r")\b(?!['’]s)"
)
# "Hi Michael," / "Hey Amber!" / "Dear Joe" — a greeting that names the addressee.
GREETING_VOCATIVE_RE = re.compile(
    r"^(?:[Hh]i|[Hh]ey|[Hh]ello|[Dd]ear|[Hh]owdy|[Hh]iya)[,!]? (" + NAME_RE + r")\b"
)
# "Amber, ..." / "Amber – ..." / "@amber" / "Erik: ..." at the start of a comment.
OPENING_VOCATIVE_RE = re.compile(r"^(" + NAME_RE + r")\s*(?:,|:|\s[–—-]\s)")
# A handle: a letter, then letters, digits, _; not a decorator of pasted code ("@app.route(...)",
# "@lru_cache(8)"), which a call or an attribute follows.
AT_MENTION_RE = re.compile(r"^@([^\W\d_]\w{1,30})\b(?!\(|\.\w)")
# "... great post, Amber." / "Spot on Amber!" — a name closing a sentence.
_CLOSING_WORDS = ("post", "article", "stuff", "work", "job", "on", "guide", "tutorial")
CLOSING_VOCATIVE_RE = re.compile(r"(?:,|\b(?:" + "|".join(_CLOSING_WORDS) + r"))\s(" + NAME_RE + r")\s*[.!?]")
# How far before its name a match starts at most: the longest word, then one space.
_CLOSING_LEAD = max(map(len, _CLOSING_WORDS)) + 1
# What may lead a signature: "-Joe", "~ Ann", "— Marta".
DASHES = frozenset("-–—~")
# A signature line: "-Joe", "— Joe Smith", "Joe" or "Joe, engineer at X".
SIGNATURE_RE = re.compile(r"^(?:[" + re.escape("".join(sorted(DASHES))) + r"]+\s*)?(" + NAME_RE + r")(?:\s"
                          + NAME_RE + r")?(?:,\s.{0,60})?$")
# Code: a symbol anywhere, or a shape at the line's start (split in two: a search for the first
# kind can skip to the symbols, a match for the second looks at one position only).
_CODE_CHARS = r"[{}<>;=$`|\\]"
CODE_SYMBOL_RE = re.compile(_CODE_CHARS + r"|\(\)|\.(?<=\w\.)\w+\(")  # "\w\.\w+\(" found from its dot
# Its lone characters: its other matches hold a "(", which most lines lack, and a search for one
# character class skips along several times faster than one that tries alternatives at each dot.
_CODE_CHAR_RE = re.compile(_CODE_CHARS)
CODE_OPENING_RE = re.compile(r"\s|#|//|[a-z_]+:|[a-z_]+\s*\(")
BULLET_RE = re.compile(r"^\s*(?:[-*•–]|\d+[.)]|[a-z][.)])\s")
EMOTICON_RE = re.compile(
    r"[:;]-?[)(dp]|\(:|:\w+:|" + at_word_start("lol", "haha") + r"\b|[\U0001F600-\U0001F64F]"
)
SECOND_PERSON_RE = re.compile(at_word_start("you", "your", "you're", "you've", "yours", "u") + r"\b")
FIRST_PERSON_RE = re.compile(at_word_start("i", "i'm", "i've", "i'd", "i'll", "my", "me") + r"\b")
PRAISE_POST_RE = re.compile(
    r"\b(?:great|nice|awesome|excellent|amazing|wonderful|brilliant|fantastic|good|cool|useful|"
    r"helpful|informative|interesting|fabulous|superb|lovely|love|loved|enjoyed|like|liked)\s+"
    r"(?:the\s+|this\s+|your\s+|that\s+)?(?:\w+\s+)?(?:" + "|".join(sorted(POST_NOUNS)) + r")\b",
)
AUTHOR_SELF_RE = re.compile(
    r"\b(?:my (?:post|article|tutorial|guide|review|theme|blog|site|video)|i wrote|"
    r"i'll (?:add|update|look|fix|check|try)|in the (?:post|article)|"
    r"thanks for (?:reading|the kind|stopping|checking|the feedback|"
    r"your (?:kind|feedback|comment))|"
    r"glad (?:you|it|i|to)|you're welcome|happy to help|"
    r"hope (?:this|that|it) helps|let me know|feel free)\b",
)
READER_RE = re.compile(
    at_word_start(
        "your (?:post|article|tutorial|guide|blog|site|theme|work|review)",
        "thanks for (?:sharing|the (?:post|article|tutorial|guide|tip|tips|write)|writing|this|posting|"
        "putting)",
        "you (?:wrote|mentioned|said|describe)", "i (?:tried|followed|have a question|am using|'m using)",
        "keep up", "subscribed", "bookmarked",
    )
    + r"\b",
)
# "Thanks again": a thanks said before, in the same comment; it closes a comment, rarely opens one.
THANKS_AGAIN_RE = re.compile(r"^\W*(?:thanks|thank you|thx)\b[^.!?]{0,20}\bagain\b")
# A line that closes a comment with a closing formula ("Hope this helps!", "Let me know how it
# goes.", "Good luck!", "Keep us posted"), matched in lower-case text.
CLOSING_FORMULA_RE = re.compile(
    r"^\W*(?:hope (?:this|that|it) (?:helps|works|gets)|let (?:me|us) know|good luck|best of luck|"
    r"keep (?:us|me|this thread) posted|hth\b|any (?:other )?(?:thoughts|questions|ideas)\?)"
)
# Their first words: most lines open with none of them, and a set look-up is cheaper than the regex.
_CLOSING_FORMULA_WORDS = frozenset({"hope", "let", "good", "best", "keep", "hth", "any"})
# A postscript ("P.S.", "PS:", "P.P.S."): written after the letter it adds to, so it goes on with the
# comment above and ends it. Not PowerShell's prompt ("PS C:\>"), a "PS4" or a "PSA".
POSTSCRIPT_RE = re.compile(r"(?:[Pp]\.\s?)?[Pp]\.\s?[Ss]\.|P?PS(?::|,|\s+(?![A-Z]:\\)(?=\w))|p?ps:")
# An article's closing call to action ("leave a comment below"): the comments start right after it.
CALL_TO_ACTION_RE = re.compile(
    r"\b(?:comments? (?:below|section)|leave (?:a|me a) (?:comment|note|message)|hit me up|"
    r"tweet me|drop me a|let me know|feel free to|get in touch|in the comments|questions\?|"
    r"share your)\b",
)
# The article inviting comments "below" ("leave a comment below", "in the comments section below"):
# written above the comment section, so no comment starts before it (on the development benchmark
# 13 such lines, all in articles, 8 of them the article's last line or the one before).
COMMENTS_BELOW_RE = re.compile(
    r"\bcomments?(?: (?:section|form|box|area))? below\b|\bbelow in the comments\b"
)
# An invitation to comment without saying where ("If you get stuck, leave a comment"), or saying
# "in the comments" without "below" ("Feel free to post in the comments what worked for you"): an
# article's closing line as a rule, but a comment about a blog's comment form may say it too.
LEAVE_A_COMMENT_RE = re.compile(
    r"\b(?:leave|drop) (?:me |us )?(?:a )?comment\b|"
    r"\b(?:feel free to \w+|let (?:me|us) know|share|tell (?:me|us)|ask(?: away)?|sound off|chime in)\b"
    r"[^.!?\n]{0,40}\bin the comments?\b"
)
_TERMINAL = tuple(".!?…)]\"'”’»:;")


# The cue regexes above match lower-case text (case-folded matching is several times slower):
# callers lower a line once and search it with each.


@dataclass(frozen=True)
class Mention:
    """A name used in a comment, what kind of cue it came from, and the words that show it."""

    name: str
    cue: str  # e.g. "thanks-vocative", "greeting-vocative", "at-mention"
    words: str


# The cues that address the one a comment answers, strong enough to name the parent's writer:
# "Thanks, Rick", "Hi Ann,", "Rick, ...", "@joe" (a closing vocative may name a third person).
ANSWERING_CUES = ("thanks-vocative", "greeting-vocative", "opening-vocative", "at-mention")


# A word of WORD_RE as `words` gives it, found in lower-cased text: it opens with a letter, so
# strip(".'’-") only takes what follows its last letter, which this leaves out.
_LOWER_WORD_RE = re.compile(r"[a-z](?:[a-z'’.-]*[a-z])?")


def _find_words(text: str) -> list[str]:
    """WORD_RE's words lower-cased and stripped of ".'’-": one regex pass over the lowered line,
    unless the line holds one of the two characters whose lower case adds an ASCII letter (U+0130,
    a capital I with a dot; U+212A, the Kelvin sign), which WORD_RE would not take."""
    if "\u0130" in text or "\u212a" in text:
        return [w.lower().strip(".'’-") for w in WORD_RE.findall(text)]
    return _LOWER_WORD_RE.findall(text.lower())


@line_memo(maxsize=16384)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_find_words(text))


def words(text: str) -> list[str]:
    return list(_words(text))


@line_memo(maxsize=16384)
def content_words(text: str) -> frozenset[str]:
    """The words of a line that are not generic ones (NOT_NAMES): what two lines of one comment
    share. (Found afresh: few lines need `_words` too.)"""
    return frozenset(filterfalse(NOT_NAMES.__contains__, _find_words(text)))


def first_word(text: str) -> str:
    """The first of `words(text[:60])`, without finding the others."""
    found = WORD_RE.search(text[:60])
    return found.group().lower().strip(".'’-") if found else ""


_NAME_FULL_RE = re.compile(NAME_RE)


# Endings of sentence adverbs ("Thankfully,", "Obviously,", "Surprisingly,", "Regardless,",
# "Nevertheless,") that no first name has; a comma after them reads like a vocative. ("-ly" alone
# would take Emily and Kelly.)
ADVERB_ENDINGS = ("fully", "ously", "ively", "ically", "ately", "ently", "antly", "ingly", "edly", "less")


def is_name(word: str) -> bool:
    """A capitalised word that could be a first name (not a generic word)."""
    lower = word.lower()
    return (
        bool(_NAME_FULL_RE.fullmatch(word))
        and lower not in NEVER_NAMES
        and len(word) > 1
        and not lower.endswith(ADVERB_ENDINGS)
    )


# Emoticons at a line's end ("Why? ;)", "Done. : )"), to read the punctuation before them.
_TRAILING_EMOTICONS_RE = re.compile(r"(?:\s*(?:[:;=]-? ?[()dDpP]|\^\^|<3))+$")
_EMOTICON_LAST, _EMOTICON_BEFORE_LAST = frozenset(")(dDpP^3"), frozenset(":;=- ^<")


def without_trailing_emoticons(text: str) -> str:
    """`text` (stripped) without the emoticons it ends with: a smiley after a question mark does
    not unask the question."""
    if text[-1:] not in _EMOTICON_LAST or text[-2:-1] not in _EMOTICON_BEFORE_LAST:
        return text  # most lines: decided by a look at the last two characters
    return _TRAILING_EMOTICONS_RE.sub("", text)


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_TERMINAL)


# Each alternative opens with a symbol (`\w\.\w` is found from its dot), so the regex engine jumps
# from symbol to symbol instead of trying every position.
# "…" reads as "..."; a glob ("*.tmp") is a file pattern
_TECHNICAL_CHARS, _TECHNICAL_DOTS = r"[_/=\\{}<>;$#|]", r"\.(?<=\w\.)\w|\.\.\.+|…|\*\.\w"
TECHNICAL_RE = re.compile(_TECHNICAL_CHARS + "|" + _TECHNICAL_DOTS)
# The same as two searches, each of which skips along faster than the one that tries both.
_TECHNICAL_CHAR_RE, _TECHNICAL_DOT_RE = re.compile(_TECHNICAL_CHARS), re.compile(_TECHNICAL_DOTS)
NO_WORD_RE = re.compile(r"\W+")  # a line of symbols only (fullmatch)
# A program's error output pasted into a comment: a traceback's first line, or an exception's name
# opening the line ("FileNotFoundError: [Errno 2] ...", "java.lang.NullPointerException").
ERROR_LINE_RE = re.compile(
    r"Traceback \(most recent call last\)|(?:[a-z_]\w*\.)*[A-Z]\w*(?:Error|Exception)\b(?::|$)"
)


def head_tail(text: str) -> str:
    """Where conversational cues live: a long line's opening and closing words (bounds the cost)."""
    return text if len(text) <= 400 else text[:250] + " … " + text[-150:]


@line_memo(maxsize=16384)
def is_code(text: str) -> bool:
    """Code, configuration or command lines: symbols, or terse lower-case lines with no sentence."""
    stripped = text.strip()
    if has_code_shape(stripped) or ERROR_LINE_RE.match(stripped):
        return True
    if cues_sentence_like(stripped):
        return False
    return (
        bool(_TECHNICAL_CHAR_RE.search(stripped) or _TECHNICAL_DOT_RE.search(stripped))  # TECHNICAL_RE
        or bool(NO_WORD_RE.fullmatch(stripped))
        or (stripped[:1].islower() and len(stripped.split(None, 6)) <= 6)  # six words at most
    )


def has_code_shape(stripped: str) -> bool:
    """Code symbols or a code-like opening, and few plain words: code whatever its length."""
    symbols = CODE_SYMBOL_RE if "(" in stripped else _CODE_CHAR_RE  # the same search without a "("
    shaped = symbols.search(stripped) or CODE_OPENING_RE.match(stripped)
    return bool(shaped) and len(words(stripped)) < 0.8 * max(1, len(stripped.split()))


def cues_sentence_like(text: str) -> bool:
    """Ends like a sentence and has several words: prose, not code."""
    # split(None, 3): at most four pieces, four when it has four words or more
    return text.endswith((".", "!", "?")) and len(text.split(None, 3)) >= 4 and not text.endswith("...")


def is_postscript(text: str) -> bool:
    """Does the line open as a postscript ("P.S. ...", "PS: ...")? (POSTSCRIPT_RE)"""
    return POSTSCRIPT_RE.match(text.lstrip(" \t*_(")) is not None


def is_closing_formula(text: str) -> bool:
    """Does the line open with a formula that closes a comment ("Hope this helps!", "Let me know
    how it goes.", "Good luck!": CLOSING_FORMULA_RE)?"""
    return first_word(text) in _CLOSING_FORMULA_WORDS and CLOSING_FORMULA_RE.match(text.lower()) is not None


def is_sign_off(text: str) -> bool:
    """A short closing line such as "Cheers," or "Thanks again!"."""
    core = text.strip().rstrip(",.!-—– ")
    # lower() never shortens a text: a longer one is no sign-off (most lines, not lowered)
    return len(core) <= _LONGEST_SIGN_OFF and core.lower() in SIGN_OFFS


_LONGEST_SIGN_OFF = max(map(len, SIGN_OFFS))


# A whole line quoted: "> ..." (mail style), or a sentence inside quotation marks.
QUOTATION_RE = re.compile(r"\s*(?:>|[\"“„«][^\"“”„«»]{8,}[\"”»][.,:;!?]?\s*$)")


def is_quotation(text: str) -> bool:
    """A line that only quotes someone: a comment quotes to answer, so its answer follows it."""
    return bool(QUOTATION_RE.match(text))


# How many words an affiliation under a signature has at most ("Orchard manager, Kent").
AFFILIATION_WORDS = 8


def is_affiliation(text: str) -> bool:
    """Could this line stand under a signature's name: short, and no finished sentence?"""
    stripped = text.strip()
    return bool(stripped) and len(stripped.split()) <= AFFILIATION_WORDS and not ends_sentence(stripped)


def signature_name(text: str) -> str | None:
    """The name on a signature line ("-Joe", "Joe", "Sheldon, manager at X"), if the line is one."""
    stripped = text.strip()
    if len(stripped) > 80 or (
        stripped.endswith((".", "?", "!")) and not stripped.startswith(("-", "–", "—"))
    ):
        return None
    match = SIGNATURE_RE.match(stripped)
    if not match or not is_name(match.group(1)):
        return None
    return match.group(1)


def mentions(text: str) -> tuple[Mention, ...]:
    """Names this text addresses, in order, each with the cue that found it."""
    return _mentions(text)


@line_memo(maxsize=8192)
def _mentions(text: str) -> tuple[Mention, ...]:
    """Cached: the same line or comment is asked about by several stages. A cue's regex runs only
    on text that holds the letters every match of it needs ("@", "hank", ...): most lines hold none."""
    first_line = text.split("\n", 1)[0]
    # the first three regexes are anchored at a line's start (^): one match at most, so `match`
    # (finditer would try every other position too)
    greeting = _at_start(GREETING_VOCATIVE_RE, first_line) if first_line[:1] in _GREETING_INITIALS else ()
    opening = _at_start(OPENING_VOCATIVE_RE, first_line)
    thanks = _may_thank(text)
    closing = _NAME_BEFORE_STOP_RE.search(text)
    if not (greeting or opening or thanks or closing or "@" in text):
        return ()  # most lines: no cue's pre-check holds, nothing to collect
    lines = text.split("\n") if "@" in text else []
    matches: tuple[tuple[str, Iterable[re.Match[str]]], ...] = (
        ("greeting-vocative", greeting),
        ("opening-vocative", opening),
        ("at-mention", [m for line in lines if (m := AT_MENTION_RE.match(line))]),
        ("thanks-vocative", THANKS_VOCATIVE_RE.finditer(text) if thanks else ()),
        ("closing-vocative", _closing_vocatives(text, closing.start()) if closing else ()),
    )
    found: list[Mention] = []
    named_at: set[int] = set()  # where a name already found in `text` starts (offsets in text)
    for cue, found_by_cue in matches:
        for match in found_by_cue:
            name = match.group(1)
            if cue == "at-mention":
                name = name[:1].upper() + name[1:]
            elif match.start(1) in named_at:
                continue  # "Thanks, Jen." is one thanks, not a thanks and a closing vocative
            if is_name(name) or (cue == "at-mention" and name.lower() not in NEVER_NAMES):
                found.append(Mention(name, cue, match.group(0).strip()))
                if cue != "at-mention":  # the other cues read `text` or its first line
                    named_at.add(match.start(1))
    return tuple(found)


def _at_start(regex: re.Pattern[str], line: str) -> tuple[re.Match[str], ...]:
    """The matches of a regex anchored at the start (^): its `match`, if any."""
    match = regex.match(line)
    return (match,) if match else ()


# What every CLOSING_VOCATIVE_RE match holds (a name, then the end of a sentence): a search that
# skips from capital to capital, so most lines are ruled out cheaply.
_NAME_BEFORE_STOP_RE = re.compile(NAME_RE + r"\s*[.!?]")


def _closing_vocatives(text: str, first_name_at: int) -> Iterator[re.Match[str]]:
    """CLOSING_VOCATIVE_RE's matches in `text`, whose first name before a stop (the pre-check's
    match) starts at `first_name_at`: no match starts more than _CLOSING_LEAD before it, so the
    search starts there. (A search from a position still reads the text before it for `\\b`.)"""
    return CLOSING_VOCATIVE_RE.finditer(text, max(0, first_name_at - _CLOSING_LEAD))


# What a GREETING_VOCATIVE_RE match opens with ("[Hh]i", "[Dd]ear", ...): most lines open otherwise.
_GREETING_INITIALS = frozenset("HhDd")


def _may_thank(text: str) -> bool:
    """Letters every THANKS_VOCATIVE_RE match holds ("[Tt]hank", "[Cc]heers", "[Kk]udos")."""
    return "hank" in text or "heers" in text or "udos" in text


# Latin letters that carry no accent to strip but stand for ASCII ones ("Łukasz" -> "lukasz").
_UNACCENTED = str.maketrans({"ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d",
                             "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t", "ŀ": "l"})


def slug(name: str) -> str:
    """The name in ASCII lower case, words joined by "-" (a speaker key's part: "José" -> "jose")."""
    folded = unicodedata.normalize("NFKD", name.lower().translate(_UNACCENTED))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-") or "x"
