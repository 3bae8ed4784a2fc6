"""Structure inference: the single entry point the pipeline calls, composed of small stages.

article cut -> post author's name -> what the blank lines say (and, where they open comments, the
article cut again) -> comment spans -> speaker turns -> author comments -> parents -> speakers.
`structure_from_spans` runs the stages after segmentation, so they can be measured on gold spans.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from . import bounds, cues, furniture, unwrap
from .article import article_cut
from .authorship import author_flags
from .blank_lines import BlankLayout
from .dates import comment_dates
from .facts import Facts, comment_facts
from .model import Comment, Decision, Speaker, Thread
from .names import Identity, identify
from .replies import CommentView, infer_parents
from .segment import (
    Span,
    TextLine,
    comment_spans,
    furniture_opens_each,
    section_layout,
    start_logits,
    with_layout,
)
from .speakers import POST_AUTHOR_KEY, AuthorName, learn_author_name, named_by_headers
from .turns import split_at_speaker_turns


def text_lines(thread: Thread) -> list[TextLine]:
    """The lines inference reads: those with repaired text (see `cover_emptied_lines`), each
    paragraph a client hard-wrapped over several of them read as one (unwrap.py), never across a
    blank line that ends a paragraph (`Thread.paragraph_breaks`)."""
    raw = [(line.number, text) for line in thread.lines if (text := line.text.strip())]
    breaks = thread.paragraph_breaks
    after_blank = [number in breaks for number, _ in raw] if breaks else None
    paragraphs = unwrap.paragraphs([text for _, text in raw], thread.wrap_width, after_blank)
    lines = [
        TextLine(raw[first][0], text, raw[last][0] if last > first else 0,
                 after_blank=after_blank is not None and after_blank[first])
        for first, last, text in paragraphs
    ]
    # lines the view emptied that a comment widget ("Reply"), a comment's header ("Paul says:") or
    # its footer ("Posted by: Paul | March 3, 2013") left (furniture.is_furniture_line), by the line
    # read next: it starts a comment
    numbers = [line.number for line in lines]
    runs: dict[int, list[tuple[int, str]]] = {}
    for line in thread.lines:
        if not line.text and line.raw.strip() and (index := bisect_right(numbers, line.number)) < len(lines):
            runs.setdefault(index, []).append((line.number, bounds.plain_text(line.raw)))
    for index, run in runs.items():
        widget = any(furniture.is_widget_line(text) for _, text in run)
        footer = next((text for _, text in run if furniture.comment_footer(text)), "")
        header = _header(run)
        if widget or footer or header:
            number, said, name = header or (0, "", None)
            lines[index] = replace(lines[index], after_widget=widget, header=said, header_line=number,
                                   header_name=name, footer=footer)
    return lines


def _with_footers(facts: list[Facts], under: list[list[str]]) -> list[Facts]:
    """Each comment's footer ("Posted by: Paul | March 3, 2013", among the furniture under its
    words: `_furniture_under`) names its writer, as a header over it does."""
    out = []
    for fact, lines in zip(facts, under, strict=True):
        footer = None if fact.header else next(filter(None, map(furniture.comment_footer, lines)), None)
        out.append(fact if footer is None else fact._replace(header=footer.line, header_name=footer.name))
    return out


def _header(run: list[tuple[int, str]]) -> tuple[int, str, str | None] | None:
    """The comment header among lines the view emptied (line number and text, in order): its
    first line's number, its lines as read ("Paul Smith / March 3, 2013"), the name it gives.
    bounds.furniture_in_context emptied the parts that read as text: a line with a name and nothing
    else is the header's first line when a dated one follows it, or the whole header when the
    comment's words do (under a widget's line, or the section's heading); a comment's number
    ("#12") over either is its first."""
    found = [furniture.comment_header(text) for _, text in run]
    # Dates over a writer's header ("March 3, 2013 at 10:14 am", then "Paul said..."): the dates
    # end the comment above (a theme that dates a comment under it), the writer's line opens this.
    writers = [k for k, header in enumerate(found) if header is not None and header.writer]
    if writers and all(header is None or not header.writer for header in found[: writers[0]]):
        first = writers[0]
        if first and furniture.is_comment_number(run[first - 1][1]):
            first -= 1  # "#12" over "Paul said..."
        run, found = run[first:], found[first:]
    names = [furniture.lone_name(text) if header is None else None
             for (_, text), header in zip(run, found, strict=True)]
    last = len(run) - 1

    def name_over_date(k: int) -> bool:
        return k < last and names[k] is not None and found[k + 1] is not None

    parts: list[tuple[int, str]] = []
    name: str | None = None
    for k, (number, text) in enumerate(run):
        header = found[k]
        if header is not None:
            parts.append((number, text))
            name = name or header.name
        elif name_over_date(k) or (k == last and names[k] is not None):
            parts.append((number, text))  # a name over a date, or over the words (under a "Reply")
            name = name or names[k] or None
        elif (k < last and furniture.is_comment_number(text)
              and (found[k + 1] is not None or name_over_date(k + 1))):
            parts.append((number, text))  # "#12" over its header
    if not parts:
        return None
    return parts[0][0], " / ".join(text for _, text in parts), name


def cover_emptied_lines(thread: Thread, article_end: int, spans: list[Span], headed: bool = False
                        ) -> tuple[int, list[Span]]:
    """Lines that only the repair emptied (a lone stray "Â") are not read by inference, but they
    are raw text: each joins the comment before it (or the article), so no raw line is left out.
    `headed`: the first comment opens at its header line, so the emptied lines above it (a comment
    widget's bar: "Login", "Sort by Best") join the article, and the comment keeps its start; so do
    separators ("* * *") above it, when they are all there is."""
    if not spans:
        # lines are numbered 1, 2, ... in order: the last non-blank one is the first from the end
        last_raw = next((line.number for line in reversed(thread.lines) if not line.is_blank), 0)
        return max(article_end, last_raw), spans
    covered: list[Span] = []
    for i, span in enumerate(spans):
        limit = spans[i + 1].start - 1 if i + 1 < len(spans) else len(thread.lines)
        end = thread.last_non_blank(span.end, limit)
        covered.append(span if end == span.end else replace(span, end=end))
    above = [n for n in range(article_end + 1, spans[0].start) if not thread.line(n).is_blank]
    separated = bool(above) and all(furniture.is_separator_line(thread.line(n).raw.strip()) for n in above)
    if headed or separated:  # the last non-blank line above the first header, or a rule, ends the article
        return max(article_end, above[-1] if above else 0), covered
    covered[0] = replace(covered[0], start=above[0] if above else spans[0].start)
    return article_end, covered


def metadata_author(thread: Thread) -> str | None:
    name = thread.metadata.get("post_author") if thread.metadata else None
    return name if isinstance(name, str) and name.strip() else None


def _read_comments(lines: list[TextLine], first: int, thread: Thread
                   ) -> tuple[AuthorName, dict[int, float], BlankLayout | None]:
    """What the stages after the cut at lines[first] start from: the post author's name, the start
    model's logits, and what the page's blank lines say (`section_layout`)."""
    author = learn_author_name([line.text for line in lines[first:]], metadata_author(thread),
                               [line.text for line in lines[:first]])
    logits = start_logits(lines, first, author.name.split()[0] if author.name else None)
    return author, logits, section_layout(lines, first, logits)


def infer_structure(thread: Thread) -> Thread:
    """Fill in the article cut, comments, parents and speakers of a Thread (from text alone,
    plus metadata's post_author when given)."""
    lines = text_lines(thread)
    first, article_decision = article_cut(lines)
    author, text_logits, layout = _read_comments(lines, first, thread)
    if layout is not None and layout.opens_comments:  # its blank lines say where comments begin
        recut, recut_decision = article_cut(lines, layout)
        if recut != first:
            first, article_decision = recut, recut_decision
            author, text_logits, layout = _read_comments(lines, first, thread)
    if thread.wrap_width:  # say so where the thread's decisions are recorded
        why = f"text hard-wrapped at {thread.wrap_width} columns: each wrapped paragraph read as one line"
        article_decision = replace(article_decision, evidence=(*article_decision.evidence, why))
    article_end = lines[first - 1].end if first > 0 else 0
    short_name = author.name.split()[0] if author.name else None
    logits = with_layout(lines, text_logits, layout)
    spans = comment_spans(lines, first, short_name, logits, layout)
    delimited = furniture_opens_each(lines, first, spans)  # then no span is split at a speaker turn
    headed = first < len(lines) and bool(lines[first].header)
    article_end, spans = cover_emptied_lines(thread, article_end, spans, headed)
    facts = [comment_facts(thread.span_text(s.start, s.end)) for s in spans]
    if not delimited:
        spans, facts = split_at_speaker_turns(thread, lines, spans, facts, logits, author.name)
    headers = {line.header_line: (line.header, line.header_name) for line in lines if line.header}
    if headers:
        facts = [f._replace(header=headers[span.start][0], header_name=headers[span.start][1])
                 if span.start in headers else f for span, f in zip(spans, facts, strict=True)]
    under = _furniture_under(thread, spans)
    facts = _with_footers(facts, under)
    return structure_from_spans(thread, article_end, article_decision, spans, author, facts, under)


def structure_from_spans(
    thread: Thread,
    article_end: int,
    article_decision: Decision,
    spans: list[Span],
    author: AuthorName | None = None,
    facts: list[Facts] | None = None,
    under: list[list[str]] | None = None,
    flags: list[tuple[bool, Decision]] | None = None,
) -> Thread:
    """Post author, parents and speakers for comments whose spans are already known (`facts`:
    those of their texts, and `under`: the furniture under their words, when the caller has them;
    `flags`: each comment's post-author flag, when known: an evaluation gives the true ones to
    measure the later stages without the author model's errors)."""
    if facts is None:
        facts = [comment_facts(thread.span_text(s.start, s.end)) for s in spans]
    if author is None:
        article_lines = [line.text for line in thread.lines[:article_end] if line.text.strip()]
        author = learn_author_name([f.text for f in facts], metadata_author(thread), article_lines)
    if flags is None:
        flags = author_flags(facts, author.name, author.stated)
    elif len(flags) != len(spans):
        raise ValueError(f"{len(flags)} post-author flags for {len(spans)} comments")
    is_author = [flag for flag, _ in flags]
    author = named_by_headers(author, facts, flags)
    parents = _with_author_doubt(
        infer_parents([CommentView(f, a) for f, a in zip(facts, is_author, strict=True)], author.name),
        [d.confidence for _, d in flags],
    )
    article = thread.raw_text[: thread.lines[article_end - 1].raw_char_end] if article_end else ""
    identities = identify(facts, [p for p, _ in parents], is_author, author.name, article)
    keys, speakers = _speaker_keys(is_author, identities, author)
    if under is None:
        under = _furniture_under(thread, spans)
    furniture = [(f.header, *lines) for f, lines in zip(facts, under, strict=True)]
    dates = [(d.published, d.evidence) if d else (None, ()) for d in comment_dates(furniture)]
    comments = tuple(
        Comment(
            position=i,
            raw_line_start=span.start,
            raw_line_end=span.end,
            boundary=span.decision,
            parent=parents[i][0],
            parent_decision=parents[i][1],
            speaker_key=keys[i],
            speaker_decision=_speaker_decision(flags[i][1], identities[i], is_author[i], author),
            is_post_author=is_author[i],
            post_author_decision=flags[i][1],
            published=dates[i][0],
            published_evidence=dates[i][1],
        )
        for i, span in enumerate(spans)
    )
    return thread.with_structure(
        article_line_end=article_end,
        article_decision=article_decision,
        comments=comments,
        speakers=speakers,
    )


def _furniture_under(thread: Thread, spans: list[Span]) -> list[list[str]]:
    """The furniture under each comment's words, in its span (the view emptied it): its footer
    ("Posted by: Paul | March 3, 2013"), a widget's bar ("Like · Reply · Mar 3, 2013"), the date a
    theme prints under a comment over the next one's header ("Paul said...", the words, "March 3,
    2013 at 10:14 AM")."""
    out = []
    for span in spans:
        lines = []
        number = span.end
        while number > span.start and not (line := thread.line(number)).text:
            if line.raw.strip():
                lines.append(bounds.plain_text(line.raw))
            number -= 1
        out.append(lines[::-1])
    return out


def _with_author_doubt(
    parents: list[tuple[int | None, Decision]], author_conf: list[float]
) -> list[tuple[int | None, Decision]]:
    """A parent is chosen given who wrote the comment and its candidate: its confidence is scaled
    by the confidence of those two author decisions (a reply read as the author's is only as sure
    as that reading)."""
    out: list[tuple[int | None, Decision]] = []
    for j, (parent, decision) in enumerate(parents):
        doubt = author_conf[j] * (author_conf[parent] if parent is not None else 1.0)
        out.append((parent, Decision(round(decision.confidence * doubt, 3), decision.evidence)))
    return out


def _speaker_decision(flag: Decision, identity: Identity, is_author: bool, author: AuthorName) -> Decision:
    if not is_author:
        return identity.decision
    if author.from_metadata:
        return Decision(flag.confidence, (*flag.evidence, "name from metadata: post_author"))
    return flag


def _speaker_keys(
    is_author: list[bool], identities: list[Identity], author: AuthorName
) -> tuple[list[str], tuple[Speaker, ...]]:
    """Readable keys: post-author, name-<slug> for named groups, anon-<n> in order of appearance.
    Groups that carry the same name share one key (one person named twice)."""
    speakers: list[Speaker] = [Speaker(POST_AUTHOR_KEY, author.name, True, author.decision)]
    key_of_group: dict[int, str] = {}
    listed = {POST_AUTHOR_KEY}  # keys already in `speakers` (a set: one look-up per group)
    keys: list[str] = []
    anon = 0
    for flag, identity in zip(is_author, identities, strict=True):
        if flag:
            keys.append(POST_AUTHOR_KEY)
            continue
        if identity.group not in key_of_group:
            if identity.name:
                key = f"name-{cues.slug(identity.name)}"
                if key not in listed:
                    listed.add(key)
                    speakers.append(Speaker(key, identity.name, False, identity.decision))
            else:
                anon += 1
                key = f"anon-{anon}"
                speakers.append(Speaker(key, None, False, Decision(0.5, ("no name in the text",))))
            key_of_group[identity.group] = key
        keys.append(key_of_group[identity.group])
    return keys, tuple(speakers)
