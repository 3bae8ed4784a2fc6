"""What each line says on its own: its cue names (`line_cues`), read by both segmentation models
(the article cut, article.py, and the comment starts, segment.py), and those models' weight for
each cue (`cue_weights`, `weigh`): a model scores a line by looking its cues up, without a
feature dict per line.
"""

from __future__ import annotations

from functools import lru_cache

from . import cues
from .cueset import CueSet
from .learned import Features, all_weights
from .memo import line_memo

Cues = tuple[str, ...]  # a line's line_cues
Terms = tuple[float, ...]  # a model's weight of each of a line's cues, in the cues' order


def _length_cue(n: int) -> str:
    """A line's length in words, bucketed: its cue name (shared strings, not built per line)."""
    for limit, cue in ((3, "len=1-3"), (8, "len=4-8"), (20, "len=9-20"), (50, "len=21-50")):
        if n <= limit:
            return cue
    return "len=50+"


@line_memo(maxsize=16384)
def opener_class(text: str) -> str:
    """What kind of word opens this line: greeting, thanks, praise, answer, connective, i, other."""
    word = cues.first_word(text)
    found = cues.opener_lexicon(word)
    if found:
        return found
    if word in cues.CONNECTIVES:
        return "connective"
    if text.lstrip().startswith("@"):
        return "at"
    if word in ("i", "i'm", "i've", "i'd", "i'll", "im"):
        return "i"
    return "other"


# The cue name of each class opener_class gives.
_OPENER_CLASSES = (*(name for name, _ in cues.OPENER_LEXICONS), "connective", "at", "i", "other")
_OPENER_CUES = {name: f"open={name}" for name in _OPENER_CLASSES}


def text_features(text: str, prefix: str) -> Features:
    """Shape and cue features of one line, named with a prefix ("cur", "prev", ...)."""
    return {f"{prefix}:{name}": 1.0 for name in line_cues(text)}


# Lower-case regex cues of a line's wording, in line_cues' order.
_WORDING_CUES = (
    ("has_you", cues.SECOND_PERSON_RE),
    ("has_i", cues.FIRST_PERSON_RE),
    ("praise_post", cues.PRAISE_POST_RE),
    ("reader", cues.READER_RE),
    ("author_self", cues.AUTHOR_SELF_RE),
    ("emoticon", cues.EMOTICON_RE),
    ("thanks_again", cues.THANKS_AGAIN_RE),
)
_WORDING_NAMES = tuple(name for name, _ in _WORDING_CUES)
# The wording cues and the call to action, searched together (cueset.py: one pass with RE2).
_LINE_REGEXES = CueSet((*_WORDING_CUES, ("call_to_action", cues.CALL_TO_ACTION_RE)))


@line_memo(maxsize=8192)
def line_cues(text: str) -> tuple[str, ...]:
    """The cue names that hold for one line, in a fixed order; cached because each line is seen
    up to six times. (Appended one by one: a dict of twenty flags per line cost a tenth of it.)"""
    stripped = text.strip()
    n_words = len(stripped.split())
    ends_sentence = cues.ends_sentence(stripped)
    found = [_length_cue(n_words), _OPENER_CUES[opener_class(stripped)]]
    cue_text = cues.head_tail(stripped)
    low = cue_text.lower()  # the cue regexes match lower-case text
    add = found.append
    if cues.is_code(stripped):
        add("code")
    if cues.BULLET_RE.match(stripped):
        add("bullet")
    if stripped[:1].islower():
        add("lower")
    end = cues.without_trailing_emoticons(stripped)  # "Why? ;)" still asks
    if end.endswith("?"):
        add("ends_q")
    if end.endswith(":"):
        add("ends_colon")
    if end.endswith(","):
        add("ends_comma")
    if not ends_sentence:
        add("no_terminal")
    matched = _LINE_REGEXES.matching(low)
    if matched:
        found += [name for name in _WORDING_NAMES if name in matched]
    if "!" in stripped:
        add("exclaim")
    if cues.mentions(cue_text):
        add("vocative")
    if cues.is_sign_off(stripped):
        add("sign_off")
    if cues.signature_name(stripped) is not None:
        add("signature")
    if "call_to_action" in matched:
        add("call_to_action")
    if "http" in stripped or "www." in stripped:
        add("url")
    if n_words <= 8 and not ends_sentence and stripped[:1].isupper():
        add("heading")
    return tuple(found)



@lru_cache(maxsize=16)
def cue_weights(model: str, prefix: str, scale: float, _generation: int) -> dict[str, float]:
    """`model`'s weight of each cue name as the feature f"{prefix}:{name}" with value `scale`
    (weight * scale, the product a feature dict gives): a look-up per cue, not a name built per
    cue of every line. Keyed on learned.weights_generation, so swapped weights are not served."""
    head = prefix + ":"
    weights = all_weights().get(model, {})
    return {key[len(head) :]: weight * scale for key, weight in weights.items() if key.startswith(head)}


def weigh(names: tuple[str, ...], weights: dict[str, float]) -> Terms:
    """Each cue's weight, in the cues' order (0.0 for a cue the model has no weight for)."""
    return tuple([weights.get(name, 0.0) for name in names])
