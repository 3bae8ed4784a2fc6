"""Line cues for segmentation: each line is tokenized once into a small tuple of cue names.

The segmenter scores a line in several roles (as a comment's first line, as the line before a start,
as article prose, ...) by summing learned weights of these cues, so the cues are computed once per
line and every role costs only a few dictionary lookups. Cue names are generic shapes and words,
never text of a particular thread.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import cues

# Lower-case words, numbers and contractions; one regex pass per line.
TOKEN_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
# Only the opening and closing words of a line carry conversational cues; bounds the cost.
HEAD_CHARS = 240
TAIL_CHARS = 120

SECOND_PERSON = frozenset({"you", "your", "you're", "you've", "yours", "u", "you'll", "you’re"})
FIRST_PERSON = frozenset({"i", "i'm", "i've", "i'd", "i'll", "my", "me", "i’m", "i’ve"})
FIRST_PERSON_PLURAL = frozenset({"we", "our", "us", "we're", "we've", "let's"})
ANAPHORA = frozenset({"this", "that", "it", "these", "those", "they", "which", "there", "its", "it's"})
IMPERATIVE = frozenset(
    {
        "add",
        "click",
        "create",
        "open",
        "run",
        "use",
        "make",
        "go",
        "select",
        "install",
        "set",
        "copy",
        "start",
        "type",
        "edit",
        "remove",
        "download",
        "draw",
        "note",
        "step",
    }
)
QUESTION_WORDS = frozenset(
    {
        "how",
        "what",
        "why",
        "where",
        "when",
        "which",
        "who",
        "is",
        "are",
        "can",
        "could",
        "do",
        "does",
        "did",
        "would",
        "will",
        "should",
        "any",
        "has",
        "have",
    }
)
MODALITY_PREFIX = ("p.s", "ps", "edit", "update", "eta", "btw")
SMILEY_RE = re.compile(r"(?:[:;=]-?[)(dpDP]|\^_\^|<3|xD)\W*$")
CODE_CHARS = frozenset("{}<>;=$`|\\[]")
CONTENT_STOP = frozenset(
    # function words: shared by any two lines, so they say nothing about the same writer going on
    """a about all also an and any are as at be been being but by can could did do does don't even for
    from get go got great had has have he her here his how i i'm i've if in into is it it's its just
    know like made make me more much my no not of on one only or other our out post really she should
    so some than thank thanks that the their them then there they think this to up use used using very
    was we well were what when which will with would you your""".split()  # noqa: SIM905
)


DISABLED: set[str] = set()  # cue families switched off, for ablations in training


def length_bucket(n: int) -> str:
    if n <= 1:
        return "1"
    if n <= 3:
        return "2-3"
    if n <= 8:
        return "4-8"
    if n <= 20:
        return "9-20"
    if n <= 50:
        return "21-50"
    return "51+"


def _first_char_class(text: str) -> str:
    ch = text[0]
    if ch.islower():
        return "lower"
    if ch.isupper():
        return "upper"
    if ch.isdigit():
        return "digit"
    if ch in "\"'“‘«":
        return "quote"
    if ch == "@":
        return "at"
    if ch == ">":
        return "gt"
    if ch in "-–—~":
        return "dash"
    if ch in "*•·":
        return "bullet"
    return "other"


def _last_char_class(text: str) -> str:
    if text[-1] in ")(DPp3" and SMILEY_RE.search(text[-6:]):
        return "smiley"
    ch = text[-1]
    if ch in ".!?:,;)":
        return ch
    if ch.isalnum():
        return "alnum"
    if ch in "\"'”’»":
        return "quote"
    return "other"


def _opener_class(first: str, raw_first: str) -> str:
    if first in cues.GREETINGS:
        return "greeting"
    if first in cues.THANKS:
        return "thanks"
    if first in cues.PRAISE:
        return "praise"
    if first in cues.ANSWERS:
        return "answer"
    if first in cues.CONNECTIVES:
        return "connective"
    if first in FIRST_PERSON:
        return "i"
    if first in ANAPHORA:
        return "anaphora"
    if first in FIRST_PERSON_PLURAL:
        return "we"
    if first in QUESTION_WORDS:
        return "question"
    if first in IMPERATIVE and raw_first[:1].isupper():
        return "imperative"
    return "other"


@lru_cache(maxsize=32768)
def line_cues(text: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """(cue names, content words) of one stripped line; cached since stages ask about the same lines.

    One tokenizing regex per line; every other cue is a set lookup or a substring test, because
    segmentation must cost a few microseconds per line (it runs on every line of every page).
    """
    head = text if len(text) <= HEAD_CHARS + TAIL_CHARS else text[:HEAD_CHARS] + " " + text[-TAIL_CHARS:]
    lower = head.lower()
    tokens = TOKEN_RE.findall(lower)
    n_words = len(text.split()) if len(text) > HEAD_CHARS else len(tokens)
    found = [f"w{length_bucket(n_words)}"]
    if not text:
        return tuple(found), frozenset()
    first = tokens[0] if tokens else ""
    found.append(f"fc:{_first_char_class(text)}")
    found.append(f"lc:{_last_char_class(text)}")
    opener = _opener_class(first, text)
    found.append(f"op:{opener}")
    token_set = set(tokens)
    # one C-level intersection first: most lines hold few cue words, so the rest runs on a tiny set
    hits = token_set & CUE_WORDS
    if hits:
        for name, lexicon in LEXICON_CUES:
            if not lexicon.isdisjoint(hits):
                found.append(name)
        found.extend(_phrase_cues(hits))
    if "?" in head:
        found.append("has_q")
    if "!" in head:
        found.append("has_excl")
    if "http" in lower or "www." in lower:
        found.append("url")
    maybe_face = ":" in head or ";" in head or "=" in head or "<3" in head
    if maybe_face and any(face in head for face in EMOTICONS):
        found.append("emoticon")
    found.extend(_code_cues(text, head, n_words, len(tokens)))
    if lower.startswith(MODALITY_PREFIX) and _after_prefix(lower) in (":", ".", " ", "-"):
        found.append("ps")
    if n_words <= 4:
        if cues.is_sign_off(text):
            found.append("signoff")
        elif cues.signature_name(text):
            found.append("signature")
    if _opens_with_vocative(text, opener):
        found.append("vocative")
    if n_words <= 8 and text[:1].isupper() and not cues.ends_sentence(text):
        found.append("heading")
    content = frozenset(token_set - CONTENT_STOP)
    if DISABLED:
        found = [f for f in found if f.split(":")[0] not in DISABLED]
    return tuple(found), content


LEXICON_CUES = (
    ("you", SECOND_PERSON),
    ("me", FIRST_PERSON),
    ("we", FIRST_PERSON_PLURAL),
    ("thanks", cues.THANKS),
    ("praise", cues.PRAISE),
    ("postnoun", cues.POST_NOUNS),
)
EMOTICONS = (":)", ":-)", ";)", ";-)", ":(", ":D", ":P", ":p", "=)", "^^", "<3")
COMMENT_WORDS = frozenset({"comment", "comments", "below", "subscribe"})
SHARING_WORDS = frozenset({"sharing", "writing", "posting", "putting", "this", "the"})
REPLY_WORDS = frozenset({"glad", "welcome", "helps", "helped"})


CUE_WORDS = frozenset().union(
    *(lexicon for _, lexicon in LEXICON_CUES),
    COMMENT_WORDS,
    SHARING_WORDS,
    REPLY_WORDS,
    {"let", "know", "for"},
)


def _phrase_cues(tokens: set[str]) -> list[str]:
    """Reader-to-author and author-to-reader phrases, as co-occurring words (no regex)."""
    found: list[str] = []
    if tokens & COMMENT_WORDS or ("let" in tokens and "know" in tokens):
        found.append("cta")  # "let me know in the comments below": an article's closing line
    if ("your" in tokens and tokens & cues.POST_NOUNS) or (
        "for" in tokens and tokens & cues.THANKS and tokens & SHARING_WORDS
    ):
        found.append("reader")
    if tokens & REPLY_WORDS:
        found.append("author_self")
    if tokens & cues.PRAISE and tokens & cues.POST_NOUNS:
        found.append("praise_post")
    return found


def _code_cues(text: str, head: str, n_words: int, n_tokens: int) -> list[str]:
    """Code, shell and config lines: symbols, indentation, terse lower-case fragments."""
    found: list[str] = []
    symbols = not CODE_CHARS.isdisjoint(head)
    if symbols:
        found.append("codechar")
    if text[:1].isspace() or text.startswith(("$ ", "# ", "//", "<")):
        found.append("codeopen")
    if (symbols and n_tokens < 0.8 * n_words) or (
        text[:1].islower() and n_words <= 6 and not text.endswith((".", "!", "?"))
    ):
        found.append("code")
    if text[:2] in BULLET_OPENERS or (text[:1].isdigit() and text[1:3] in (". ", ") ")):
        found.append("bullet")
    return found


BULLET_OPENERS = frozenset({"- ", "* ", "• ", "– ", "· "})


def _after_prefix(lower: str) -> str:
    for prefix in MODALITY_PREFIX:
        if lower.startswith(prefix):
            return lower[len(prefix) : len(prefix) + 1]
    return ""


def _opens_with_vocative(text: str, opener: str) -> bool:
    """ "Name," / "Hi Name" / "@name" at the very start: a comment turning to its addressee."""
    if text.startswith("@"):
        return True
    if opener == "greeting":
        return True
    # the regex only runs when a comma, colon or dash follows the first word closely
    space = text.find(" ", 0, 20)
    if space < 0 or not text[:1].isupper():
        return False
    if text[space - 1] not in ",:" and text[space + 1 : space + 2] not in ("–", "—", "-"):
        return False
    word = text[:space].strip(",:")
    return cues.OPENING_VOCATIVE_RE.match(text) is not None and cues.is_name(word)


def overlap_bucket(prev: frozenset[str], cur: frozenset[str]) -> str:
    """Shared content words between adjacent lines: the same writer keeps to the same topic."""
    if not prev or not cur:
        return "ov:none"
    shared = len(prev & cur)
    if shared == 0:
        return "ov:0"
    return "ov:1" if shared == 1 else "ov:2+"
