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
    {"how", "what", "why", "where", "when", "which", "who", "is", "are", "can", "could", "do", "does", "did",
     "would", "will", "should", "any", "has", "have"}
)
MODALITY_PREFIX = ("p.s", "ps", "edit", "update", "eta", "btw")
SMILEY_RE = re.compile(r"(?:[:;=]-?[)(dpDP]|\^_\^|<3|xD)\W*$")
URL_RE = re.compile(r"https?://|www\.")
CODE_CHARS = frozenset("{}<>;=$`|\\[]")
CONTENT_STOP = frozenset(
    """the and for that this with have from your you are was were not but all can will just about
    what when there their they them then than would could should into also some more very been
    being had has how its it's out our get got one like much make made use using used any only
    which other does did don't i'm i've thanks thank great post really know think well even here""".split()
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
    if SMILEY_RE.search(text[-6:]):
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
    """(cue names, content words) of one stripped line; cached since stages ask about the same lines."""
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
    if token_set & SECOND_PERSON:
        found.append("you")
    if token_set & FIRST_PERSON:
        found.append("me")
    if token_set & FIRST_PERSON_PLURAL:
        found.append("we")
    if token_set & cues.THANKS:
        found.append("thanks")
    if token_set & cues.PRAISE:
        found.append("praise")
    if token_set & cues.POST_NOUNS:
        found.append("postnoun")
    if "?" in head:
        found.append("has_q")
    if "!" in head:
        found.append("has_excl")
    if URL_RE.search(head):
        found.append("url")
    if not CODE_CHARS.isdisjoint(head):
        found.append("codechar")
    if text[:1].isspace() or text.startswith(("$ ", "# ", "//", "<")):
        found.append("codeopen")
    if cues.is_code(text):
        found.append("code")
    if cues.BULLET_RE.match(text):
        found.append("bullet")
    for prefix in MODALITY_PREFIX:
        if lower.startswith(prefix) and lower[len(prefix) : len(prefix) + 1] in (":", ".", " ", "-"):
            found.append("ps")
            break
    if cues.CALL_TO_ACTION_RE.search(lower):
        found.append("cta")
    # phrases a reader says to the author, and the author says back to readers
    if cues.READER_RE.search(lower):
        found.append("reader")
    if cues.AUTHOR_SELF_RE.search(lower):
        found.append("author_self")
    if cues.PRAISE_POST_RE.search(lower):
        found.append("praise_post")
    if cues.EMOTICON_RE.search(lower):
        found.append("emoticon")
    if cues.is_sign_off(text):
        found.append("signoff")
    elif n_words <= 4 and cues.signature_name(text):
        found.append("signature")
    if _opens_with_vocative(text, opener):
        found.append("vocative")
    if n_words <= 8 and not cues.ends_sentence(text) and text[:1].isupper():
        found.append("heading")
    content = frozenset(t for t in tokens if len(t) > 3 and t not in CONTENT_STOP)
    if DISABLED:
        found = [f for f in found if f.split(":")[0] not in DISABLED]
    return tuple(found), content


def _opens_with_vocative(text: str, opener: str) -> bool:
    """"Name," / "Hi Name" / "@name" at the very start: a comment turning to its addressee."""
    if text.startswith("@"):
        return True
    if opener == "greeting":
        return True
    return cues.OPENING_VOCATIVE_RE.match(text) is not None and cues.is_name(text.split(None, 1)[0].strip(",:"))


def overlap_bucket(prev: frozenset[str], cur: frozenset[str]) -> str:
    """Shared content words between adjacent lines: the same writer keeps to the same topic."""
    if not prev or not cur:
        return "ov:none"
    shared = len(prev & cur)
    if shared == 0:
        return "ov:0"
    return "ov:1" if shared == 1 else "ov:2+"
