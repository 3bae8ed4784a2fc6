"""What a crawl keeps of a page around its comments, and how inference reads it (furniture.py):
a counted heading over the comment section ("14 Comments"), a byline under the title ("Posted by
Nora Lind"), a widget's "Reply" under each comment, a header over each ("Paul says:", "March 3,
2013 at 10:14 am"). Each says where a comment ends or begins, or who wrote it; none is taken for
anyone's words, and every line stays in the span it belongs to; the page's reply form ("Leave a
Reply", "Name *") says nothing. (The article cut under a heading: test_article.py; the byline's
name: test_speakers.py.)"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import pytest

from threadloom import bounds, furniture
from threadloom.model import Thread
from threadloom.pipeline import process_text
from threadloom.records import comment_rows, thread_row
from threads import BREAD, ROSES, ROSES_ARTICLE_END

COMMENTS_HEADINGS = [  # (line, heads a comment section by counting it)
    ("14 Comments", True),
    ("1 comment", True),
    ("3 Responses to “Why I stopped tilling”", True),
    ("One thought on \"Pruning roses\"", True),
    ("Comments (4)", True),
    ("12 comments:", True),
    ("  2 Replies to “Pruning roses”  ", True),
    ("2 Replies", False),  # uncounted section: a fold that opens a comment's replies (Disqus)
    ("No comments", False),  # a post header's "no comments yet": nothing to head
    ("Comments", False),  # uncounted: also a post header's link or a section of the article
    ("Leave a Reply", False),  # the reply form under the last comment
    ("I had 14 comments on my last post", False),
    ("14 comments so far, and counting", False),
]


@pytest.mark.parametrize(("line", "expected"), COMMENTS_HEADINGS)
def test_is_comments_heading(line: str, expected: bool) -> None:
    assert furniture.is_comments_heading(line) is expected


BYLINES = [  # (a line near the top of a post, the author's name it gives)
    ("By Nora Lind", "Nora Lind"),
    ("Posted by Margaret Ellison", "Margaret Ellison"),
    ("posted by Nora on May 3, 2013", "Nora"),
    ("Posted on May 3, 2013 by Nora Lind", "Nora Lind"),
    ("Written by Nora", "Nora"),
    ("Author: Nora Lind", "Nora Lind"),
    ("By Nora Lind | May 3, 2013 | 14 Comments", "Nora Lind"),
    ("By Nora Lind, staff writer", "Nora Lind"),
    ("by Admin", None),  # a role, not a name
    ("By the way, I loved it", None),
    ("Photo by John Smith", None),  # a credit, not a byline
    ("Posted by nora", None),  # a handle in lower case: not read as a name
]


@pytest.mark.parametrize(("line", "expected"), BYLINES)
def test_byline(line: str, expected: str | None) -> None:
    found = furniture.byline(["A title", line])
    assert (found[0] if found else None) == expected


WIDGET_LINES = [  # (a line, is it a comment widget's links and nothing else)
    ("Reply", True),
    ("  reply  ", True),
    ("Reply ↓", True),
    ("Reply Share ›", True),
    ("Log in to Reply", True),
    ("Like Reply 3", True),
    ("Permalink | Reply", True),
    ("Reply (2)", True),
    ("Reply →", True),
    ("↳ Reply", True),
    ("Reply to this comment", True),
    ("Report abuse", False),  # a widget's words without its "Reply": only beside one (is_widget_word)
    ("Reply to Paul", False),
    ("Like · Reply · 3y", True),  # Facebook's comment box: the links, then the comment's age
    ("Like · Reply · 5 · 2 years ago", True),
    ("Like · Reply · Mar 3, 2013 at 10:14am", True),
    ("I agree · 3y", False),
    ("2 replies · active 5 weeks ago", True),  # IntenseDebate's fold under a comment
    ("+1 Reply", True),
    ("Vote up Vote down Reply", True),
    ("Liked by 2 people", True),  # WordPress.com's likes under a comment
    ("Liked by you and 3 others", True),
    ("Liked by many readers", False),
    ("Report", False),  # alone, it may head an article's section
    ("Share", False),
    ("Reply to Nora: I agree", False),  # someone's words
    ("Thanks for the reply!", False),
    ("Replying to your question, yes.", False),
]


@pytest.mark.parametrize(("line", "expected"), WIDGET_LINES)
def test_is_widget_line(line: str, expected: bool) -> None:
    assert furniture.is_widget_line(line) is expected


WIDGET_WORDS = [("Like", True), ("Like (3)", True), ("Share", True), ("Report abuse", True),
                ("Flag as inappropriate", True), ("Reply", True), ("Pete", False), ("Like it", False)]


@pytest.mark.parametrize(("line", "expected"), WIDGET_WORDS)
def test_is_widget_word(line: str, expected: bool) -> None:
    assert furniture.is_widget_word(line) is expected


COMMENT_HEADERS = [  # (a line, the writer's name it gives, or "-" when it is no header)
    ("Paul says:", "Paul"),
    ("Paul Smith says:", "Paul Smith"),
    ("andylockran says:", "andylockran"),  # a handle, as the commenter typed it
    ("Paul Smith on March 3, 2013 at 10:14 am said:", "Paul Smith"),
    ("Paul Smith – March 3, 2013", "Paul Smith"),
    ("Paul | March 3, 2013 | Permalink", "Paul"),
    ("Margaret Ellison wrote on 3 March 2013:", "Margaret Ellison"),
    ("March 3, 2013 at 10:14 am", None),
    ("Sunday, March 3, 2013", None),
    ("2013-03-03 10:14", None),
    ("03/03/2013", None),
    ("10:14 pm on March 3, 2013", None),
    ("5 days ago", None),
    ("an hour ago", None),
    ("Anonymous says:", None),  # a header, naming nobody
    ("Paul Smith said...", "Paul Smith"),  # Blogger's
    ("Paul said…", "Paul"),
    ("Marit van der Sleen says:", "Marit van der Sleen"),  # a name of four words
    ("Idris (@idrisraja) said...", "Idris (@idrisraja)"),  # a handle in brackets after the name
    ("Posted by: Alessandro Amato del Monte | March 3, 2013", "-"),  # a footer, not a header
    ("Anonymous said...", None),
    ("Paul Smith March 3, 2013 at 10:14 AM", "Paul Smith"),  # a name and a date a crawl joined
    ("Sean F. March 3, 2013", "Sean F."),
    ("Unknown March 3, 2013 at 10:14 AM", None),
    ("pg 3 hours ago", "pg"),
    ("JohnW 2 years ago", "JohnW"),
    ("Comment by Paul Smith — March 3, 2013 @ 10:14 am", "Paul Smith"),
    ("#12 Paul says:", "Paul"),  # a numbered theme's
    ("12. Paul Smith says:", "Paul Smith"),
    ("· March 3, 2013 at 10:14 am", None),  # a separator before the date (Disqus dots the age)
    ("• 3 years ago", None),
    ("Paul Smith · Works at Acme", "Paul Smith"),  # Facebook's comment box: name and profile
    ("Shauna · Top Commenter", "Shauna"),
    ("1. It says:", "-"),
    ("3. Install the package", "-"),  # a numbered step of an article
    ("Paul · I agree with this", "-"),
    ("Paris · London", "-"),
    ("• Great post!", "-"),
    ("Updated March 3, 2013", "-"),  # an article's dated line
    ("Fixed 3 days ago", "-"),
    ("Great post 3 days ago", "-"),
    ("Patch 5.4.10", "-"),  # a version, not a date
    ("It says:", "-"),  # a sentence of a comment
    ("The documentation says:", "-"),
    ("Steve wrote:", "-"),  # a quotation's introduction, without a date
    ("Update on March 3:", "-"),
    ("On March 3, 2013, I went back.", "-"),
    ("Great post!", "-"),
]


@pytest.mark.parametrize(("line", "expected"), COMMENT_HEADERS)
def test_comment_header(line: str, expected: str | None) -> None:
    found = furniture.comment_header(line)
    assert (found.name if found else "-") == expected


COMMENT_FOOTERS = [  # (a line, the writer's name it gives, or "-" when it is no comment footer)
    ("Posted by: Paul Smith | March 03, 2013 at 10:14 AM", "Paul Smith"),  # Typepad's, under a comment
    ("Posted by: Paul | 03/03/2013 at 10:14 AM", "Paul"),
    ("Posted by: Anonymous | March 03, 2013 at 10:14 AM", None),
    ("Posted by: Alessandro Amato del Monte | March 3, 2013", "Alessandro Amato del Monte"),
    ("Posted by Paul Smith on March 03, 2013 at 10:14 AM in Gardening | Permalink", "-"),  # the post's
    ("Posted by: the editors", "-"),
    ("Paul says:", "-"),  # a header: over the comment, not under it
]


@pytest.mark.parametrize(("line", "expected"), COMMENT_FOOTERS)
def test_comment_footer(line: str, expected: str | None) -> None:
    found = furniture.comment_footer(line)
    assert (found.name if found else "-") == expected


FORM_LINES = [  # (a line, is it the page's reply form or a notice around it)
    ("Leave a Reply", True),
    ("Leave a Reply to Paul", True),
    ("Cancel reply", True),
    ("Your email address will not be published. Required fields are marked *", True),
    ("Name *", True),
    ("Email (required)", True),
    ("Mail (will not be published) (required)", True),
    ("Website", True),
    ("Post Comment", True),
    ("Notify me of follow-up comments by email.", True),
    ("Save my name, email, and website in this browser for the next time I comment.", True),
    ("This site uses Akismet to reduce spam. Learn how your comment data is processed.", True),
    ("Comments are closed.", True),
    ("Older Comments", True),
    ("Join the discussion…", True),  # Disqus's bar and folds
    ("Sort by Best", True),
    ("Load more comments", True),
    ("Show 2 more replies", True),
    ("Share", True),
    ("Newer Post Older Post Home", True),  # Blogger's links under the post
    ("Subscribe to: Post Comments (Atom)", True),
    ("Share this:", True),  # WordPress.com's bar over the comments
    ("Be the first to like this.", True),
    ("Like Loading...", True),
    ("The comments to this entry are closed.", True),
    ("Comments are moderated, and will not appear until the author has approved them.", True),
    ("Share this with your friends", False),
    ("Like this post, a lot", False),
    ("Homework first, then the garden.", False),
    ("Leave a comment if you liked it!", False),  # someone's words
    ("Your post made my day.", False),
    ("My name is Paul.", False),
    ("Great post, thanks for the reply!", False),
]


@pytest.mark.parametrize(("line", "expected"), FORM_LINES)
def test_is_form_line(line: str, expected: bool) -> None:
    assert furniture.is_form_line(line) is expected


COMMENT_NUMBERS = [("#12", True), ("12.", True), ("Comment #3", True), ("# 7", True), ("12:30", False),
                   ("#hashtag", False), ("12 monkeys", False), ("1.5", False)]


@pytest.mark.parametrize(("line", "expected"), COMMENT_NUMBERS)
def test_is_comment_number(line: str, expected: bool) -> None:
    assert furniture.is_comment_number(line) is expected


LONE_NAMES = [  # (a line, the name it holds and nothing else; "" names nobody; None: not one)
    ("Pete Hall", "Pete Hall"),
    ("andylockran", "andylockran"),
    ("Anonymous", ""),
    ("5 Comments", None),  # the section's heading, not a writer
    ("Reply", None),
    ("Like", None),  # a widget's word
    ("Website", None),
    ("It", None),
    ("Thanks, Pete.", None),
    ("Marit van der Sleen", "Marit van der Sleen"),
    ("Posted by Nora Lind", None),  # a byline, over the post's date
]


@pytest.mark.parametrize(("line", "expected"), LONE_NAMES)
def test_lone_name(line: str, expected: str | None) -> None:
    assert furniture.lone_name(line) == expected


def _with_widgets(lines: list[str], article_end: int, widget: str) -> list[str]:
    """The document as a crawl that kept the comment widget's links gives it: `widget` under
    every comment."""
    out = list(lines[:article_end])
    for comment in lines[article_end:]:
        out += [comment, widget]
    return out


@pytest.mark.parametrize("widget", ["Reply", "Reply ↓", "Like Reply 2", "Like · Reply · 3y"])
def test_a_widgets_reply_line_ends_each_comment_and_joins_it(widget: str) -> None:
    """Read as a break between comments: each comment keeps its widget line (nothing of the page
    is left out), ends there, and says so. Without it the same comments read as one."""
    lines = _with_widgets(BREAD, 3, widget)
    thread = process_text("\n".join(lines), "doc.txt")
    assert thread.article_line_end == 3
    assert [(c.raw_line_start, c.raw_line_end) for c in thread.comments] == [
        (n, n + 1) for n in range(4, len(lines), 2)
    ]
    assert all(c.boundary.evidence[0].startswith("widget:") for c in thread.comments[1:])
    assert bounds.viewed_text(widget) == ""


def test_a_widget_line_bounds_the_article_cut() -> None:
    """Two comments that read like the news article above them: read alone, they join the
    article; the "Reply" under the first says the comments begin above it."""
    council = [
        "The city council approved the new cycling plan on Tuesday after a long debate.",
        "The plan adds forty kilometres of protected lanes over five years, funded from the "
        "transport budget.",
        "Construction of the first section along the river is scheduled to begin next spring.",
        "The river section has been discussed since 2015, when the first feasibility study was "
        "published by the regional transport authority.",
        "Funding from the transport budget means that road maintenance will be reduced by a "
        "corresponding amount over the same period.",
        "Great news! I cycle along the river every day.",
        "Finally! Thanks for covering this.",
    ]
    assert process_text("\n".join(council), "doc.txt").article_line_end == 5
    thread = process_text("\n".join(_with_widgets(council, 3, "Reply")), "doc.txt")
    assert thread.article_line_end == 3
    assert [c.raw_line_start for c in thread.comments] == [4, 6, 8, 10]


# Who wrote each of ROSES' comments (by start): a reader's praise, Pete's question, Nora's answer
# (she is the post author), Pete's thanks, Marta's signed comment.
ROSES_WRITERS = ["Ivy", "Pete Hall", "Nora Lind", "Pete Hall", "Marta"]
ROSES_STARTS = [5, 6, 7, 9, 10]


def _with_headers(byline: bool = True, space: str = " ", says: str = " says:") -> list[str]:
    """ROSES as a crawl of its page gives it: a byline and the post's date under the title, and
    a header of two lines ("Pete Hall says:", then the date) over every comment, `space` between
    the header's words, `says` after the name ("" for a theme that shows the name alone)."""
    lines = [ROSES[0], *(["Posted by Nora Lind"] if byline else []), "March 2, 2014",
             *ROSES[1:ROSES_ARTICLE_END]]
    for k, start in enumerate(ROSES_STARTS):
        end = ROSES_STARTS[k + 1] if k + 1 < len(ROSES_STARTS) else len(ROSES) + 1
        header = [f"{ROSES_WRITERS[k]}{says}".replace(" ", space), f"March {k + 3}, 2014 at 9:{k}0 am"]
        lines += [*header, *ROSES[start - 1 : end - 1]]
    return lines


def test_comment_headers_open_comments_and_name_their_writers() -> None:
    lines = _with_headers()
    thread = process_text("\n".join(lines), "doc.txt")
    starts = [n for n, line in enumerate(lines, 1) if line.endswith(" says:")]
    assert thread.article_line_end == starts[0] - 1  # the post's own date stays in the article
    assert [c.raw_line_start for c in thread.comments] == starts
    assert [c.raw_line_end for c in thread.comments] == [*(n - 1 for n in starts[1:]), len(lines)]
    names = {s.key: s.name for s in thread.speakers}
    assert [names[c.speaker_key] for c in thread.comments] == ROSES_WRITERS
    assert [c.is_post_author for c in thread.comments] == [False, False, True, False, False]
    assert thread.comments[1].speaker_key == thread.comments[3].speaker_key  # Pete, twice
    assert thread.comments[2].parent == 1  # "Thanks, Pete." answers the comment Pete's header heads
    assert thread.comments[1].speaker_decision.evidence[0] == (
        "header: 'Pete Hall says: / March 4, 2014 at 9:10 am' names the comment's writer"
    )
    assert thread.comments[2].post_author_decision.evidence[0].startswith("header: 'Nora Lind says: / ")


@pytest.mark.parametrize("space", ["\u00a0", "&nbsp;"], ids=["no-break space", "entity"])
def test_a_header_is_read_as_inference_reads_any_line(space: str) -> None:
    """A header typeset with no-break spaces, or with the entities a crawl left, names its writer
    as a plain one does."""
    thread = process_text("\n".join(_with_headers(space=space)), "doc.txt")
    names = {s.key: s.name for s in thread.speakers}
    assert [names[c.speaker_key] for c in thread.comments] == ROSES_WRITERS


def test_a_name_alone_over_a_date_is_the_headers_first_line() -> None:
    """Themes that show the writer's name and the date on lines of their own: the name's line
    opens the comment and names its writer (read as text, it was the comment above's last line,
    and every boundary was one line late)."""
    lines = _with_headers(says="")
    thread = process_text("\n".join(lines), "doc.txt")
    starts = [n for n, (line, below) in enumerate(pairwise(lines), 1)
              if line in ROSES_WRITERS and below.startswith("March")]
    assert [c.raw_line_start for c in thread.comments] == starts
    names = {s.key: s.name for s in thread.speakers}
    assert [names[c.speaker_key] for c in thread.comments] == ROSES_WRITERS
    assert thread.comments[1].speaker_decision.evidence[0].startswith("header: 'Pete Hall / March 4, 2014")


def test_a_signature_over_one_date_header_stays_with_its_comment() -> None:
    """Dated headers (no names) over every comment, one comment signed on its last line: the
    signature is that comment's, not a header's first line (two in three dated headers must have
    a name line above them for any to be read so)."""
    lines = [*BREAD[:3]]
    for k, comment in enumerate(BREAD[3:]):
        lines += [f"March {k + 3}, 2014 at 9:{k}0 am", comment]
    lines.insert(7, "Jonas")  # signs the second comment, right above the third's date
    thread = process_text("\n".join(lines), "doc.txt")
    second = thread.comments[1]
    assert (second.raw_line_start, second.raw_line_end) == (6, 8)
    assert thread.comments[2].raw_line_start == 9


def test_without_a_byline_headers_do_not_decide_the_post_author() -> None:
    """The name addressed most may be a reader's (one commenter the others argue with): only a
    byline or metadata lets a header's name settle who the post author is. The comments one name
    heads are still one writer's, decided together (Pete Hall's two)."""
    thread = process_text("\n".join(_with_headers(byline=False)), "doc.txt")
    assert not any(e.startswith("header:") for c in thread.comments for e in c.post_author_decision.evidence)
    together = [c.position for c in thread.comments
                if c.post_author_decision.evidence[0].startswith("same-writer:")]
    assert [ROSES_WRITERS[k] for k in together] == ["Pete Hall", "Pete Hall"]
    assert [c.raw_line_start for c in thread.comments] == [
        n for n, line in enumerate(_with_headers(byline=False), 1) if line.endswith(" says:")
    ]


HEADERS = ["Ivy says:", "Ivy – March 3, 2014", "Ivy on March 3, 2014 at 9:00 am said:",
           "March 3, 2014 at 9:00 am", "3 days ago", "Ivy said...", "Ivy March 3, 2014 at 9:00 AM",
           "ivy_g 3 years ago", "Comment by Ivy — March 3, 2014 @ 9:00 am"]


@pytest.mark.parametrize("header", HEADERS)
def test_a_header_over_each_comment_is_read_as_a_break(header: str) -> None:
    lines = [*BREAD[:3]]
    for comment in BREAD[3:]:
        lines += [header, comment]
    thread = process_text("\n".join(lines), "doc.txt")
    assert thread.article_line_end == 3
    assert [(c.raw_line_start, c.raw_line_end) for c in thread.comments] == [
        (n, n + 1) for n in range(4, len(lines), 2)
    ]
    assert bounds.viewed_text(header) == ""


WORDPRESS_FORM = ["Leave a Reply", "Your email address will not be published. Required fields are marked *",
                  "Comment", "Name *", "Email *", "Website", "Post Comment",
                  "Notify me of follow-up comments by email."]


@pytest.mark.parametrize("document", [BREAD, ROSES], ids=["bread", "roses"])
def test_the_reply_form_under_the_comments_changes_nothing(document: list[str]) -> None:
    """The form's lines join the last comment's span (nothing of the page is left out) and
    nothing is read from them: the structure is that of the page without them. (Read as lines
    of text, they made the whole page read as the article: no comments at all.)"""
    plain = process_text("\n".join(document), "doc.txt")
    with_form = process_text("\n".join(document + WORDPRESS_FORM), "doc.txt")
    assert with_form.article_line_end == plain.article_line_end
    shape = [(c.raw_line_start, c.parent, c.is_post_author, c.speaker_key) for c in with_form.comments]
    assert shape == [(c.raw_line_start, c.parent, c.is_post_author, c.speaker_key) for c in plain.comments]
    assert with_form.comments[-1].raw_line_end == len(document) + len(WORDPRESS_FORM)


def _as_disqus() -> list[str]:
    """ROSES as a crawl of a Disqus comment section gives it: its count and bar over the comments,
    an avatar, a "Name • 2 years ago" header and a "Reply • Share ›" line around each comment,
    its footer under them."""
    lines = [*ROSES[:ROSES_ARTICLE_END], "5 Comments", "Login", "Recommend", "Share", "Sort by Best",
             "Join the discussion…"]
    for k, start in enumerate(ROSES_STARTS):
        end = ROSES_STARTS[k + 1] if k + 1 < len(ROSES_STARTS) else len(ROSES) + 1
        lines += ["Avatar", f"{ROSES_WRITERS[k]} • {k + 2} years ago", *ROSES[start - 1 : end - 1],
                  f"{k} • Reply • Share ›"]
    return [*lines, "Load more comments", "Powered by Disqus", "Subscribe", "Privacy"]


def test_headers_over_some_comments_only_leave_the_others_to_the_start_model() -> None:
    """A page that dates its top-level comments and not the replies: headers open fewer than two
    in three of the comments, so a line without one may still start a comment (read as if every
    comment had one, each reply joined the comment above it)."""
    lines = [*BREAD[:3]]
    for k, comment in enumerate(BREAD[3:]):
        lines += [f"March {k + 3}, 2014 at 9:{k}0 am"] if k % 2 == 0 else []
        lines.append(comment)
    thread = process_text("\n".join(lines), "doc.txt")
    assert [(c.raw_line_start, c.raw_line_end) for c in thread.comments] == [
        (4, 5), (6, 6), (7, 8), (9, 9), (10, 11), (12, 12)
    ]


def test_headers_over_some_comments_and_a_reply_under_each_delimit_every_comment() -> None:
    """Headers over every other comment (the others' not recognised), a widget's "Reply" under
    each: the page's furniture opens every comment, so a paragraph that reads like a new
    comment ("Great post, by the way.") goes on with the comment above (read with the headers
    alone, it opened a comment of its own)."""
    lines = [*BREAD[:3]]
    for k, comment in enumerate(BREAD[3:]):
        lines += [f"{BREAD_WRITERS[k]} says:"] if k % 2 == 0 else []
        lines.append(comment)
        lines += ["Great post, by the way. I shared it with my baking group."] if k == 2 else []
        lines.append("Reply")
    thread = process_text("\n".join(lines), "doc.txt")
    assert [(c.raw_line_start, c.raw_line_end) for c in thread.comments] == [
        (4, 6), (7, 8), (9, 12), (13, 14), (15, 17), (18, 19)
    ]


def test_a_reply_under_each_comment_delimits_every_comment_without_headers() -> None:
    """A widget's "Reply" under every comment and no header: the page still says where its comments
    meet, so a paragraph that reads like a new comment goes on with the comment above (before
    0.6.8 only pages with headers or footers were read so, and it opened a comment of its own)."""
    lines = [*BREAD[:3]]
    for k, comment in enumerate(BREAD[3:]):
        lines.append(comment)
        lines += ["Great post, by the way. I shared it with my baking group."] if k == 2 else []
        lines.append("Reply")
    thread = process_text("\n".join(lines), "doc.txt")
    replies = [n for n, line in enumerate(lines, 1) if line == "Reply"]
    assert [(c.raw_line_start, c.raw_line_end) for c in thread.comments] == list(
        zip([4, *(n + 1 for n in replies[:-1])], replies, strict=True))


def _as_blogger() -> list[str]:
    """ROSES as a crawl of a Blogger page gives it: its count over the comments, "NAME said..."
    over each comment and its date under it, the form and the blog's links after the last."""
    lines = [*ROSES[:ROSES_ARTICLE_END], "5 comments:"]
    for k, start in enumerate(ROSES_STARTS):
        end = ROSES_STARTS[k + 1] if k + 1 < len(ROSES_STARTS) else len(ROSES) + 1
        date = f"March {k + 3}, 2014 at 9:{k}0 AM"
        lines += [f"{ROSES_WRITERS[k]} said...", *ROSES[start - 1 : end - 1], date]
    return [*lines, "Post a Comment", "Newer Post Older Post Home", "Subscribe to: Post Comments (Atom)"]


@pytest.mark.parametrize(
    ("page", "header"),
    [(_as_disqus, " years ago"), (_as_blogger, " said...")],
    ids=["disqus", "blogger"],
)
def test_a_section_with_a_header_over_each_comment_reads_as_its_comments(page: Callable[[], list[str]],
                                                                       header: str) -> None:
    """Disqus: the bar between the article and the first header joins the article; each comment
    opens at its header ("Ivy • 2 years ago"), names its writer from it, and ends with its widget
    line (and the next avatar). Blogger: the date under a comment ends it, and the "NAME said..."
    under that opens the next (read as one header, each comment began a line early and lost its
    date to the next)."""
    lines = page()
    thread = process_text("\n".join(lines), "doc.txt")
    headers = [n for n, line in enumerate(lines, 1) if header in line]
    assert thread.article_line_end == headers[0] - 1
    assert [c.raw_line_start for c in thread.comments] == headers
    assert [c.raw_line_end for c in thread.comments] == [*(n - 1 for n in headers[1:]), len(lines)]
    names = {s.key: s.name for s in thread.speakers}
    readers = [names[c.speaker_key] for c in thread.comments if not c.is_post_author]
    assert readers == [w for w in ROSES_WRITERS if w != "Nora Lind"]


def _roses_page(top: list[str], head: Callable[[int, str], list[str]], foot: list[str]
                ) -> tuple[list[str], list[int]]:
    """ROSES as a crawl of a comment section gives it (the lines `top` over the comments, `head(k,
    writer)` over comment k, `foot` under each), and the raw line each comment opens at."""
    lines, opens = [*ROSES[:ROSES_ARTICLE_END], *top], []
    for k, start in enumerate(ROSES_STARTS):
        end = ROSES_STARTS[k + 1] if k + 1 < len(ROSES_STARTS) else len(ROSES) + 1
        opens.append(len(lines) + 1)
        lines += [*head(k, ROSES_WRITERS[k]), *ROSES[start - 1 : end - 1], *foot]
    return lines, opens


SECTIONS = {  # a comment section's layout: (the page, the first comment its header names)
    "numbered": (_roses_page(["5 Responses"], lambda k, w: [f"#{k + 1}", f"{w} says:", f"May {k + 3}, 2014"],
                             ["Reply"]), 0),
    "numbered header": (_roses_page([], lambda k, w: [f"{k + 1}. {w} says:", f"March {k + 3}, 2014"], []), 0),
    "name over dotted age": (_roses_page(["5 Comments", "Sort by Best"],
                                         lambda k, w: [w, f"• {k + 2} years ago"], ["Reply • Share ›"]), 0),
    "widget words": (_roses_page([], lambda k, w: [w, f"May {k + 3}, 2014"], ["Like (3)", "Reply", "Share"]),
                     0),
    "facebook profile": (_roses_page(["5 Comments"], lambda k, w: [f"{w} · Lives in Leeds"],
                                     ["Like · Reply · 3y"]), 0),
    "facebook name": (_roses_page(["5 Comments", "Sort by Oldest"], lambda k, w: [w], ["Like · Reply · 3y"]),
                      0),
}


@pytest.mark.parametrize("layout", SECTIONS)
def test_a_comments_header_may_take_several_lines_or_none(layout: str) -> None:
    """A comment's number over its header ("#3", then "Pete says:"), the header's name alone over
    its date, or a name alone under the widget line of the comment above (read as text, each
    was the comment above's last line, or a comment of its own): the comment opens at the
    header's first line, and the header names its writer. A widget's words beside its "Reply"
    ("Like (3)", "Share") are the widget's, not a comment's."""
    (lines, opens), named_from = SECTIONS[layout]
    thread = process_text("\n".join(lines), "doc.txt")
    assert thread.article_line_end == opens[0] - 1
    assert [c.raw_line_start for c in thread.comments] == opens
    assert [c.raw_line_end for c in thread.comments] == [*(n - 1 for n in opens[1:]), len(lines)]
    names = {s.key: s.name for s in thread.speakers}
    readers = [names[c.speaker_key] for c in thread.comments[named_from:] if not c.is_post_author]
    assert readers == [w for w in ROSES_WRITERS[named_from:] if w != "Nora Lind"]
    assert _texts(thread)[named_from:] == ROSES_COMMENTS[named_from:]


# Who wrote each of BREAD's comments: Jonas, Ada (the post author) answering him, a reader, Pia's
# question, Ada's answer, a reader.
BREAD_WRITERS = ["Jonas", "Ada", "Rudi", "Pia", "Ada", "Mira"]


def _as_typepad() -> list[str]:
    """BREAD as a crawl of a Typepad page gives it: each comment's writer and date under it."""
    lines = [*BREAD[:3]]
    for k, comment in enumerate(BREAD[3:]):
        lines += [comment, f"Posted by: {BREAD_WRITERS[k]} | March 0{k + 3}, 2014 at 09:{k}0 AM"]
    return [*lines, "The comments to this entry are closed."]


def test_a_footer_under_each_comment_ends_it_and_names_its_writer() -> None:
    """Typepad's "Posted by: NAME | DATE" under each comment: the comment ends there, and the
    footer names its writer as a header over it would."""
    lines = _as_typepad()
    thread = process_text("\n".join(lines), "doc.txt")
    footers = [n for n, line in enumerate(lines, 1) if line.startswith("Posted by:")]
    assert thread.article_line_end == 3
    assert [c.raw_line_end for c in thread.comments] == [*footers[:-1], len(lines)]
    assert [c.raw_line_start for c in thread.comments] == [4, *(n + 1 for n in footers[:-1])]
    names = {s.key: s.name for s in thread.speakers}
    readers = [names[c.speaker_key] for c in thread.comments if not c.is_post_author]
    assert readers == [w for w in BREAD_WRITERS if w != "Ada"]
    assert thread.comments[1].boundary.evidence[0].startswith("footer: 'Posted by: Jonas | ")
    # Ada, the author, signs two: their footers name the post author too
    author = thread.speaker("post-author")
    assert author.name_decision.evidence[0] == "header: 'Ada' heads 2 of the post author's comments"


def test_each_comment_is_dated_as_its_header_or_footer_says() -> None:
    """The date in a comment's header (over it) or footer (under it) is its `published`, with the
    words it was read from; an age ("• 2 years ago") or no header dates nothing."""
    (lines, _), _ = SECTIONS["numbered"]
    numbered = process_text("\n".join(lines), "doc.txt")
    dates = [f"2014-05-{k + 3:02d}" for k in range(len(ROSES_STARTS))]
    assert [c.published for c in numbered.comments] == dates
    assert comment_rows(numbered)[1]["published_evidence"] == [
        f"date: 'May 4, 2014' in '#2 / {ROSES_WRITERS[1]} says: / May 4, 2014'"]
    typepad = process_text("\n".join(_as_typepad()), "doc.txt")
    assert [c.published for c in typepad.comments] == [f"2014-03-{k + 3:02d}T09:{k}0" for k in range(6)]
    (aged, _), _ = SECTIONS["name over dotted age"]
    for lines in (aged, ROSES):
        rows = comment_rows(process_text("\n".join(lines), "doc.txt"))
        assert rows and all(r["published"] is None and r["published_evidence"] == [] for r in rows)


@pytest.mark.parametrize("footer", ["Posted by: {writer} | March 0{day}, 2014 at 09:{day}0 AM", "Reply"])
def test_comments_the_page_delimits_are_not_split_at_speaker_turns(footer: str) -> None:
    """ROSES with a footer, or a widget's "Reply", under each comment: Nora's two-line answer
    reads, to the speaker-turn stage, as the author's thanks then a reader's advice; but the page
    ends every comment, so its comments are as the page shows them."""
    lines = [*ROSES[:ROSES_ARTICLE_END]]
    ends = []
    for k, start in enumerate(ROSES_STARTS):
        end = ROSES_STARTS[k + 1] if k + 1 < len(ROSES_STARTS) else len(ROSES) + 1
        lines += [*ROSES[start - 1 : end - 1], footer.format(writer=ROSES_WRITERS[k], day=k + 3)]
        ends.append(len(lines))
    thread = process_text("\n".join(lines), "doc.txt")
    assert [c.raw_line_end for c in thread.comments] == ends
    assert not any(c.boundary.evidence[0].startswith("speaker-turn") for c in thread.comments)


def _texts(thread: Thread) -> list[str]:
    return [row["text"] for row in comment_rows(thread)]


# What each comment's writer wrote: BREAD's comments are a line each, ROSES' by ROSES_STARTS.
BREAD_COMMENTS = BREAD[3:]
ROSES_COMMENTS = ["\n".join(ROSES[a - 1 : b - 1]) for a, b in pairwise([*ROSES_STARTS, len(ROSES) + 1])]


@pytest.mark.parametrize(
    ("crawled", "comments"),
    [
        (_with_widgets(BREAD, 3, "Reply"), BREAD_COMMENTS),
        (_with_headers(), ROSES_COMMENTS),
        (_with_headers(says=""), ROSES_COMMENTS),
        (_as_disqus(), ROSES_COMMENTS),
        (_as_blogger(), ROSES_COMMENTS),
        (_as_typepad(), BREAD_COMMENTS),
        (BREAD + WORDPRESS_FORM, BREAD_COMMENTS),
    ],
    ids=["widgets", "headers", "name over date", "disqus", "blogger", "typepad", "reply form"],
)
def test_a_comments_text_is_its_words_without_the_furniture_around_it(crawled: list[str], comments: list[str]
                                                                       ) -> None:
    """The release's `text` of each comment is what its writer wrote, without the header over it
    or the widget and form lines under it; its span still covers them (and the raw config keeps
    every byte)."""
    thread = process_text("\n".join(crawled), "doc.txt")
    assert _texts(thread) == comments
    assert thread.comments[-1].raw_line_end == len(crawled)
    last_words = ("rise overnight.", "outward bud.", "5 Comments", "5 comments:")  # a heading stays
    assert thread_row(thread)["article_text"].endswith(last_words)


def test_a_line_of_invisible_characters_is_no_furniture() -> None:
    """A line the view empties because nothing in it shows (a no-break space and a byte-order
    mark, repaired from mojibake) is not left out of the text as furniture is: every line's text
    stays in its comment's (found by tests/test_properties.py)."""
    thread = process_text("the\nÂ  ï»¿", "doc.txt")
    assert thread.unread_lines == frozenset()
    assert _texts(thread) == ["the\n\u00a0 \ufeff"]


def test_furniture_inside_a_comment_stays_in_its_text() -> None:
    """Only the unread lines at a span's edges are left out: one between its words may be quoted
    (a template's "Comments are closed.", a form pasted to ask about it)."""
    lines = [*BREAD[:4], "Leave a Reply", BREAD[4], "Reply"]
    thread = process_text("\n".join(lines), "doc.txt")
    assert thread.unread_lines == {5, 7}
    assert thread.content_text(4, 7) == "\n".join([BREAD[3], "Leave a Reply", BREAD[4]])
    assert thread.content_text(5, 7) == BREAD[4]
    assert thread.content_text(7, 7) == "Reply"  # nothing else in the span: kept as it is
    assert thread.span_text(4, 7) == "\n".join([BREAD[3], "Leave a Reply", BREAD[4], "Reply"])
