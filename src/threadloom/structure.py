"""Structure inference: the single entry point the pipeline calls, composed of small stages.

article cut -> comment spans -> post author's name -> author comments -> parents -> speakers.
"""

from __future__ import annotations

from dataclasses import replace

from . import cues
from .model import Comment, Decision, Speaker, Thread
from .names import Identity, identify
from .replies import CommentView, infer_parents
from .segment import TextLine, article_cut, comment_spans
from .speakers import POST_AUTHOR_KEY, AuthorName, author_flags, learn_author_name


def text_lines(thread: Thread) -> list[TextLine]:
    return [TextLine(line.number, line.text.strip()) for line in thread.lines if not line.is_blank]


def infer_structure(thread: Thread) -> Thread:
    """Fill in the article cut, comments, parents and speakers of a Thread (from text alone,
    plus metadata's post_author when given)."""
    lines = text_lines(thread)
    first, article_decision = article_cut(lines)
    article_end = lines[first - 1].number if first > 0 else 0
    meta_name = thread.metadata.get("post_author") if thread.metadata else None
    author = learn_author_name(
        [line.text for line in lines[first:]], meta_name if isinstance(meta_name, str) else None
    )
    short_name = author.name.split()[0] if author.name else None
    spans = comment_spans(lines, first, short_name)
    texts = [thread.span_text(s.start, s.end) for s in spans]
    flags = author_flags(texts, short_name)
    is_author = [flag for flag, _ in flags]
    parents = infer_parents([CommentView(t, a) for t, a in zip(texts, is_author, strict=False)], short_name)
    identities = identify(texts, [p for p, _ in parents], is_author, short_name)
    keys, speakers = _speaker_keys(is_author, identities, author)
    comments = tuple(
        Comment(
            position=i,
            raw_line_start=span.start,
            raw_line_end=span.end,
            boundary=span.decision,
            parent=parents[i][0],
            parent_decision=parents[i][1],
            speaker_key=keys[i],
            speaker_decision=flags[i][1] if is_author[i] else identities[i].decision,
            is_post_author=is_author[i],
            post_author_decision=flags[i][1],
        )
        for i, span in enumerate(spans)
    )
    return replace(
        thread,
        article_line_end=article_end,
        article_decision=article_decision,
        comments=comments,
        speakers=speakers,
    )


def _speaker_keys(
    is_author: list[bool], identities: list[Identity], author: AuthorName
) -> tuple[list[str], tuple[Speaker, ...]]:
    """Readable keys: post-author, name-<slug> for named groups, anon-<n> in order of appearance."""
    speakers: list[Speaker] = [Speaker(POST_AUTHOR_KEY, author.name, True, author.decision)]
    key_of_group: dict[int, str] = {}
    keys: list[str] = []
    anon = 0
    for flag, identity in zip(is_author, identities, strict=False):
        if flag:
            keys.append(POST_AUTHOR_KEY)
            continue
        if identity.group not in key_of_group:
            if identity.name:
                key = f"name-{cues.slug(identity.name)}"
                if all(s.key != key for s in speakers):
                    speakers.append(Speaker(key, identity.name, False, identity.decision))
            else:
                anon += 1
                key = f"anon-{anon}"
                speakers.append(Speaker(key, None, False, Decision(0.5, ("no name in the text",))))
            key_of_group[identity.group] = key
        keys.append(key_of_group[identity.group])
    return keys, tuple(speakers)
