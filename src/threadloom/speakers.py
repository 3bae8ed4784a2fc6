"""Speakers: the post author's name, and the per-comment cues of who wrote a comment.

The author's name is metadata's, else the article's byline ("By Nora Lind", furniture.py), else
learned from how commenters address them across the thread (the name most often addressed).
`author_features` are a comment's own cues and its neighbours' (a reader praising "your post" is
not the author; a comment thanking a reader by name right after that reader is); authorship.py
decodes them jointly over the thread.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from . import cues, furniture
from .bounds import most_places
from .facts import AUTHOR_PHRASES, READER_PHRASES, Facts
from .learned import Features
from .model import Decision
from .names import HEADER_CONF

POST_AUTHOR_KEY = "post-author"


@dataclass(frozen=True)
class AuthorName:
    name: str | None
    decision: Decision
    from_metadata: bool = False
    from_byline: bool = False

    @property
    def stated(self) -> bool:
        """Stated by the page or its metadata, not guessed from who is addressed most."""
        return self.from_metadata or self.from_byline


def learn_author_name(texts: list[str], metadata_name: str | None = None, article: list[str] | None = None
                      ) -> AuthorName:
    """The post author's name: metadata's; else the article's byline ("By Nora Lind"), surer when
    commenters address that name too; else the name commenters address most often across the
    thread (`texts`), if it is addressed enough."""
    if metadata_name:
        return AuthorName(
            metadata_name, Decision(0.95, (f"metadata: post_author is '{metadata_name}'",)), True
        )
    addressed = _addressed_most(texts)
    found = furniture.byline(article) if article else None
    if found is None:
        if addressed is None:
            return AuthorName(None, Decision(0.6, ("no name is addressed in two or more comments",)))
        return addressed
    name, line = found
    evidence = f"byline: '{line[:60]}'"
    if addressed is not None and addressed.name == name.split()[0]:
        return AuthorName(name, Decision(0.97, (evidence, *addressed.decision.evidence)), from_byline=True)
    # commenters address someone else most: a guest post, or a regular who gets the answers
    confidence = 0.9 if addressed is None else 0.75
    return AuthorName(name, Decision(confidence, (evidence,)), from_byline=True)


def named_by_headers(author: AuthorName, facts: list[Facts], flags: list[tuple[bool, Decision]]
                     ) -> AuthorName:
    """The post author's name as the headers of their comments give it ("Michael Rose"), when no
    byline or metadata states one, two or more of the author's comments and two in three of those
    with a header's name give it, and it is the name addressed (its first word) or none is."""
    if author.stated:
        return author
    named = [(fact.header_name, decision.confidence)
             for fact, (flag, decision) in zip(facts, flags, strict=True) if flag and fact.header_name]
    if not named:
        return author
    counts = Counter(name.casefold() for name, _ in named)
    top, n = counts.most_common(1)[0]
    if not most_places(n, len(named)):
        return author
    name = next(name for name, _ in named if name.casefold() == top)
    if author.name and author.name.split()[0].casefold() != name.split()[0].casefold():
        return author
    sure = sum(conf for header, conf in named if header.casefold() == top) / n
    why = f"header: '{name}' heads {n} of the post author's comments"
    decision = Decision(round(HEADER_CONF * sure, 3), (why, *author.decision.evidence))
    return replace(author, name=name, decision=decision)


def _addressed_most(texts: list[str]) -> AuthorName | None:
    """The name commenters address most often, if it is addressed in two comments or more."""
    counts: Counter[str] = Counter()
    example: dict[str, str] = {}
    signed: set[str] = set()
    for text in texts:
        found = cues.mentions(cues.head_tail(text))
        if found:  # most lines address nobody
            for mention in found:
                example.setdefault(mention.name, f"{mention.cue}: '{mention.words}'")
            counts.update(sorted({m.name for m in found}))
        signature = cues.signature_name(text.rsplit("\n", 1)[-1]) if "\n" in text else None
        if signature:
            signed.add(signature)
    ranked = sorted(
        ((n, name) for name, n in counts.items() if name not in signed), key=lambda x: (-x[0], x[1])
    )
    if not ranked or ranked[0][0] < 2:
        return None
    n, name = ranked[0]
    runner_up = ranked[1][0] if len(ranked) > 1 else 0
    confidence = min(0.97, 0.5 + 0.1 * n - 0.1 * runner_up)
    evidence = (
        f"addressed-most: '{name}' is addressed in {n} comments (next best {runner_up})",
        example[name],
    )
    return AuthorName(name, Decision(round(max(confidence, 0.3), 3), evidence))


def _short(name: str | None) -> str | None:
    return name.split()[0] if name else None


# "Thanks, Jen." as a comment's first words, Jen not the post author: the author answering a
# reader. A rule feature: its weight is the log-odds of how often the rule is right on the dev
# sources (scripts/train_structure.py), not fitted with the others.
OPENS_THANKING_OTHER = "opens_thanking_other"
# "Glad you liked it", "You're welcome" (facts.ACKNOWLEDGES_RE): the author answering a reader. A
# rule feature like the one above.
ACKNOWLEDGES = "acknowledges"


def own_features(f: Facts, author: str | None) -> Features:
    """Cues in the comment itself."""
    feats: Features = {"bias": 1.0, f"open:{f.opens_with}": 1.0}
    if author and f.mentions and author in f.addressed():
        feats["addresses_author"] = 1.0
    for m in f.mentions:
        if m.name != author:
            feats[f"addresses_other:{m.cue}"] = 1.0
            if m.cue == "thanks-vocative" and f.first_line.startswith(m.words):
                feats[OPENS_THANKING_OTHER] = 1.0
    if author is None and f.mentions:
        feats["addresses_someone_author_unknown"] = 1.0
    if author and f.signature == author:
        feats["signed_author"] = 1.0
    elif f.signature:
        feats["signed_other"] = 1.0
    n_author = len(f.phrases & AUTHOR_PHRASES)
    n_reader = len(f.phrases & READER_PHRASES)
    if n_author:
        feats["author_phrases"] = min(n_author, 3) / 3
    if n_reader:
        feats["reader_phrases"] = min(n_reader, 3) / 3
    if f.praises_post:
        feats["praises_post"] = 1.0
    if f.asks:
        feats["asks"] = 1.0
    if f.first_line.lower().startswith(("thanks for", "thank you for")):
        feats["open:thanks_for"] = 1.0
    if f.thanks_for_answer:
        feats["thanks_for_answer"] = 1.0
    if f.acknowledges:
        feats[ACKNOWLEDGES] = 1.0
    if f.emoticon:
        feats["emoticon"] = 1.0
    if f.you_share != 0.5:
        feats["you_share"] = f.you_share - 0.5
    if f.advice:
        feats["advice"] = min(f.advice, 3) / 3
    feats["len<=10"] = float(f.n_words <= 10)
    feats["len>60"] = float(f.n_words > 60)
    return feats


def context_features(prev: Facts | None, nxt: Facts | None, author: str | None) -> Features:
    """Cues in the neighbours: answers follow questions, readers thank the author after answers.
    A question is one of two kinds: put to "you" (more second-person words than first-person ones)
    or to the author by name, or asked about the asker's own case ("How do I...?"). The dev
    threads' author answers the second kind more surely; readers arguing among themselves ask the
    first of each other ("Why are you so afraid...?")."""
    feats: Features = {}
    if prev is None:
        feats["first_comment"] = 1.0
    else:
        to_author = bool(author and author in prev.addressed())
        if prev.asks:
            feats["prev_asks_you" if prev.you_share > 0.5 or to_author else "prev_asks_other"] = 1.0
        if to_author:
            feats["prev_addresses_author"] = 1.0
        if prev.praises_post or prev.phrases & READER_PHRASES:
            feats["prev_reader_cues"] = 1.0
    if nxt is not None:
        if author and author in nxt.addressed():
            feats["next_addresses_author"] = 1.0
        if nxt.opens_with == "thanks":
            feats["next_opens_thanks"] = 1.0
        if nxt.thanks_for_answer:  # thanked for an answer: this is the answer
            feats["next_thanks_for_answer"] = 1.0
    return feats


def author_features(facts: list[Facts], j: int, author: str | None) -> Features:
    """Pass-1 features of comment j (without the previous comment's label)."""
    feats = own_features(facts[j], author)
    prev = facts[j - 1] if j else None
    nxt = facts[j + 1] if j + 1 < len(facts) else None
    feats.update(context_features(prev, nxt, author))
    return feats
