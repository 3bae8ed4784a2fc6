"""The fast forms of the cue regexes find what their plain forms find (cues.py)."""

from __future__ import annotations

import re

import pytest

from threadloom import cues
from threads import ROSES

# Edges of a word: string start and end, digits, underscores, accented letters, apostrophes.
EDGES = [
    "you", "your", "you're", "yours", "u", "u2", "_you", "éyou", "youé", "you_", "9you", "bayou",
    "i", "i'm", "hi", "i've", "my", "me", "mine", "lol", "lolly", "haha!", "ahaha", "thank you",
    "(you)", "you.", "—you—", "I", "ÿou", "my my", "me, i", "are you there?", "tu", "ü", "",
]
LINES = [*EDGES, *(line for text in ROSES for line in text.split("\n")), *(e.upper() for e in EDGES)]


@pytest.mark.parametrize(
    ("fast", "plain"),
    [
        (cues.SECOND_PERSON_RE, r"\b(?:you|your|you're|you've|yours|u)\b"),
        (cues.FIRST_PERSON_RE, r"\b(?:i|i'm|i've|i'd|i'll|my|me)\b"),
        (cues.EMOTICON_RE, r"[:;]-?[)(dp]|\(:|:\w+:|\b(?:lol|haha)\b|[\U0001F600-\U0001F64F]"),
    ],
)
def test_word_start_form_matches_the_plain_regex(fast: re.Pattern[str], plain: str) -> None:
    slow = re.compile(plain)
    for line in LINES:
        for text in (line, line.lower()):
            found, expected = fast.search(text), slow.search(text)
            assert (found and found.span()) == (expected and expected.span()), text


def test_at_word_start_keeps_character_classes() -> None:
    regex = re.compile(cues.at_word_start("[Tt]hanks", "cheers") + r"\b")
    assert [bool(regex.search(t)) for t in ("Thanks!", "thanks", "xthanks", "cheers", "2cheers")] == [
        True, True, False, True, False,
    ]


def test_thanks_prefilter_never_hides_a_thanks_vocative() -> None:
    for text in ("Thanks, Steve.", "thank you Lee", "Cheers Marta!", "Kudos, Raj", "THANKS, STEVE"):
        assert cues._may_thank(text) or not cues.THANKS_VOCATIVE_RE.search(text)
    found = cues.mentions("Great point. Thanks, Steve.")
    assert ("Steve", "thanks-vocative") in [(m.name, m.cue) for m in found]
    assert [m.cue for m in cues.mentions("@dana I agree")] == ["at-mention"]


def _fuzz(alphabet: str, n: int = 20000) -> list[str]:
    import random

    rng = random.Random(7)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(n)]


@pytest.mark.parametrize(
    ("fast", "plain"),
    [
        (cues.CODE_SYMBOL_RE, r"[{}<>;=$`|\\]|\(\)|\w\.\w+\("),
        (cues.TECHNICAL_RE, r"[_/=\\{}<>;$#|]|\w\.\w|\.\.\.+|…|\*\.\w"),
    ],
)
def test_symbol_first_forms_find_what_the_plain_regexes_find(fast: re.Pattern[str], plain: str) -> None:
    slow = re.compile(plain)
    for text in [*LINES, *_fuzz("ab.(){}<>;=$`|\\_/#é x1*…")]:
        assert bool(fast.search(text)) == bool(slow.search(text)), text


def test_code_searches_split_for_speed_find_what_the_regexes_find() -> None:
    """is_code's cheaper forms: CODE_SYMBOL_RE's lone characters where there is no "(", and
    TECHNICAL_RE as two searches."""
    for text in [*LINES, *_fuzz("ab.(){}<>;=$`|\\_/#é x1*…")]:
        symbols = cues.CODE_SYMBOL_RE if "(" in text else cues._CODE_CHAR_RE
        assert bool(symbols.search(text)) == bool(cues.CODE_SYMBOL_RE.search(text)), text
        split = cues._TECHNICAL_CHAR_RE.search(text) or cues._TECHNICAL_DOT_RE.search(text)
        assert bool(split) == bool(cues.TECHNICAL_RE.search(text)), text


# (line, is it code, configuration or a program's output?)
CODE_LINE_CASES = [
    ("*.tmp", True), ("src/*.js", True),  # file patterns
    ("Traceback (most recent call last):", True),  # a program's error output, pasted
    ("FileNotFoundError: [Errno 2] No such file or directory", True),
    ("java.lang.NullPointerException", True),
    ("TypeError: undefined is not a function", True),
    ("I keep all my *.psd files in one folder.", False),  # prose about them
    ("Error: could not connect", False),
    ("The Error: part of the message is odd.", False),
    ("Thanks for the help, it works now.", False),
]


@pytest.mark.parametrize(("line", "expected"), CODE_LINE_CASES)
def test_code_lines_are_found(line: str, expected: bool) -> None:
    assert cues.is_code(line) is expected


def test_greeting_vocatives_open_with_a_greeting_initial() -> None:
    for text in [*LINES, "Hi Amber,", "hey Jo!", "Dear Sam", "Howdy, Lee", *_fuzz("HhDdiey ,!Amber")]:
        assert text[:1] in cues._GREETING_INITIALS or not cues.GREETING_VOCATIVE_RE.search(text), text


def test_closing_vocatives_hold_a_name_before_a_stop() -> None:
    for text in [*LINES, "Great post, Amber.", "Spot on Amber !", "nice work, Jo-Ann?", *_fuzz("Ab ,.!post")]:
        assert cues._NAME_BEFORE_STOP_RE.search(text) or not cues.CLOSING_VOCATIVE_RE.search(text), text


def test_words_of_the_lowered_line_are_the_lowered_words() -> None:
    """cues._find_words finds words in the lowered line: the same words as lowering each word found."""
    odd = ["Don’t-- stop... e.g. U.S.A.'", "\u0130stanbul \u212aelvin"]
    texts = [*LINES, *odd, *_fuzz("aZ'’.- \u0130\u212aéß")]
    for text in texts:
        expected = tuple(w.lower().strip(".'’-") for w in cues.WORD_RE.findall(text))
        assert tuple(cues._find_words(text)) == expected, text


# (text, the (name, cue) pairs `mentions` finds): one name at one place is one mention, under
# the cue that found it first; the same name said again elsewhere is a second mention.
MENTION_CASES = [
    ("Thanks, Rick. Very much appreciate that.", [("Rick", "thanks-vocative")]),
    ("Great post, Amber.", [("Amber", "closing-vocative")]),
    ("Thanks, Jen. You are right, Jen.", [("Jen", "thanks-vocative"), ("Jen", "closing-vocative")]),
    ("Amber, great post. Thanks, Amber.", [("Amber", "opening-vocative"), ("Amber", "thanks-vocative")]),
    ("Thankfully, the fix was simple.", []),  # a sentence adverb, not a name
    ("Obviously, I agree.", []),
    ("Emily, I agree.", [("Emily", "opening-vocative")]),  # names ending in -ly stay names
    ("Regardless, it works.", []),
    ("Nevertheless, I agree.", []),
    # words that are never names, though they stand where a name would
    ("Interesting, I never thought of that.", []),
    ("Done: it works now.", []),
    ("Thanks Heaps!", []),
    ("Hi Friends,", []),
    ("Thanks, Admin.", []),
    # names written with letters beyond ASCII, and with Mc, O' or D'
    ("Thanks, José. That fixed it.", [("José", "thanks-vocative")]),
    ("Hi Zoë, how long did it take?", [("Zoë", "greeting-vocative")]),
    ("Łukasz, you are right.", [("Łukasz", "opening-vocative")]),
    ("Great post, Søren.", [("Søren", "closing-vocative")]),
    ("@Jürgen I had the same problem.", [("Jürgen", "at-mention")]),
    ("Thanks, McKenzie!", [("McKenzie", "thanks-vocative")]),
    ("Dear D'Arcy, no.", [("D'Arcy", "greeting-vocative")]),
    ("O’Neil, I agree.", [("O’Neil", "opening-vocative")]),
    # a decorator of pasted code is no handle: a call or an attribute follows it
    ("@lru_cache(maxsize=8)", []),
    ("@app.route('/hooks')", []),
    ("@Tim. Thanks, that worked.", [("Tim", "at-mention")]),  # a full stop is no attribute
    # a possessive is not a name addressed
    ("Thanks Steve's team for the tool.", []),
    ("Hi Steve's", [("Steve", "greeting-vocative")]),
]


@pytest.mark.parametrize(("text", "expected"), MENTION_CASES)
def test_one_name_at_one_place_is_one_mention(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.name, m.cue) for m in cues.mentions(text)] == expected


# (last line of a comment, the name it signs with)
SIGNATURE_NAME_CASES = [
    ("-Joe", "Joe"),
    ("-José", "José"),
    ("— Zoë Smith", "Zoë"),
    ("Łukasz, engineer at a bakery", "Łukasz"),
    ("Siobhán O'Brien", "Siobhán"),
    ("JOSÉ", None),  # capitals only: an acronym as often as a name
    ("Thanks", None),
    ("Peace", None),  # a closing on its own line, not a name
    ("-Bye", None),
    ("Sincerely", None),
    ("Noted", None),  # a one-word reply
    ("Maybe", None),
]


@pytest.mark.parametrize(("line", "expected"), SIGNATURE_NAME_CASES)
def test_signature_name(line: str, expected: str | None) -> None:
    assert cues.signature_name(line) == expected


# (name, its part of a speaker key: ASCII lower case, as the schema's key pattern wants)
SLUG_CASES = [("Steve", "steve"), ("José", "jose"), ("Łukasz", "lukasz"), ("Søren", "soren"),
              ("O'Brien", "o-brien"), ("Mary-Jane", "mary-jane"), ("日本", "x")]


@pytest.mark.parametrize(("name", "expected"), SLUG_CASES)
def test_slug(name: str, expected: str) -> None:
    assert cues.slug(name) == expected


# (line, the line without the emoticons it ends with: the punctuation before them still counts)
TRAILING_EMOTICON_CASES = [("Why? ;)", "Why?"), ("Done. : )", "Done."), ("Great :) :D", "Great"),
                           ("what do you think? :-P", "what do you think?"), ("see (below)", "see (below)"),
                           ("f(x)", "f(x)"), ("A list:", "A list:"), ("", "")]


@pytest.mark.parametrize(("line", "expected"), TRAILING_EMOTICON_CASES)
def test_without_trailing_emoticons(line: str, expected: str) -> None:
    assert cues.without_trailing_emoticons(line) == expected


# (line, is it a quotation and nothing else?)
QUOTATION_CASES = [
    ("> Do you seal the cuts afterwards?", True),
    ('"Do you seal the cuts afterwards, or leave them open?"', True),
    ("“especially when the nights are still frosty”.", True),
    ('"Hi"', False),  # too short to be a quoted sentence
    ('He said "leave them open" and I did.', False),  # a quote inside the line's own sentence
    ('"first" and "second" are both fine', False),
]


@pytest.mark.parametrize(("text", "expected"), QUOTATION_CASES)
def test_is_quotation(text: str, expected: bool) -> None:
    assert cues.is_quotation(text) is expected

