"""Page furniture: what a crawl keeps of a page around its comments, as lines of their own.

A counted comments heading ("14 Comments") heads the comment section; a byline ("By Nora Lind")
names the post author; a comment widget's links ("Reply") end a comment; a comment's header ("Paul
says:", "March 3, 2013 at 10:14 am", "#12 Paul says:", "Paul Smith · Works at Acme") opens one and
may name its writer, and a footer ("Posted by: Paul | March 3, 2013") ends one and names its
writer; the reply form ("Leave a Reply", "Name *") says nothing. Some lines are furniture only
where they stand (a name alone over a date, a comment's number "#12", a widget's "Like" beside its
"Reply"): bounds.furniture_in_context finds those. None is anyone's words: inference reads the
widget, header and form lines as empty (bounds.viewed_text) and uses what they say (segment,
structure, speakers, authorship). Each is recognised on its own line, cheaply, with the most
common forms; a line that only looks like one is left as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cues import NAME_RE, is_name
from .dates import WHEN

# The page's own heading over its comment section, when a crawl kept it: "14 Comments", "3 Responses
# to “Title”", "One thought on “Title”", "Comments (4)". Only headings that count the comments: a
# bare "Comments" or "Leave a reply" also sits in a post's header or under the last comment.
COMMENTS_HEADING_RE = re.compile(
    r"(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|\d{1,6})\s+"
    r"(?:(?:comments?|responses?|thoughts?|reactions?)(?:\s+(?:on|to|for)\s.{1,200})?"
    r"|repl(?:y|ies)\s+(?:on|to|for)\s.{1,200})"  # "2 replies" alone: a thread's fold, not a heading
    r"|(?:comments?|responses?)\s*\(\d{1,6}\))\s*:?"
)


# What a comment widget leaves on a line of its own when a crawl keeps its links: "Reply",
# "Reply ↓", "Reply Share ›", "Log in to Reply", "Like Reply 3", "Reply (2)", "↳ Reply", "Reply to
# this comment". Each ends a comment.
WIDGET_LINE_RE = re.compile(
    r"(?:(?:log ?in to reply|reply(?: to this(?: comment)?| with quote)?|replies|report(?: abuse)?|permalink|"
    r"flag(?: as inappropriate)?|share|like|likes|retweet|delete|edit|quote|"
    r"upvote|downvote|vote(?: up| down)?|[+-]?\d{1,4}|\(\d{1,4}\)|[↓↑›»•·|▲▼^→↳⤷↩])\s*)+",
    re.IGNORECASE,
)
_WIDGET_ANCHOR_RE = re.compile(r"repl|permalink", re.IGNORECASE)  # "Report" alone may head a section


def is_widget_word(text: str) -> bool:
    """A line of a widget's words without its "Reply" ("Like", "Share", "Report"): a widget's
    only beside a widget's line (bounds.furniture_in_context); alone, it may be a word."""
    stripped = text.strip()
    return len(stripped) <= 40 and WIDGET_LINE_RE.fullmatch(stripped) is not None


# WordPress.com's count of a comment's likes, under it: "Liked by 2 people", "Liked by you"
_LIKED_BY_RE = re.compile(r"(?i:liked by (?:\d{1,5} (?:person|people)|you(?: and \d{1,5} others?)?))")


# A rule a page draws between comments (or an extractor draws for <hr>: html2text's "* * *"): three
# or more dashes, underscores, stars, equals signs, tildes or bullets, spaced or not.
_SEPARATOR_RE = re.compile(r"[-_*=~•·—–]{3,}|(?:[-_*=~•·—–] ){2,}[-_*=~•·—–]")


def is_separator_line(text: str) -> bool:
    """A line (stripped) that only separates: "----------", "* * *", "___", "• • •". It says
    what a blank line says (unwrap.line_kind; blank_lines.py reads what that is, page by page)."""
    return bool(text) and text[0] in "-_*=~•·—–" and _SEPARATOR_RE.fullmatch(text) is not None


def is_widget_line(text: str) -> bool:
    """A line of a comment widget's links only ("Reply", "Reply Share ›"), of its links and the
    comment's age ("Like · Reply · 3y", as Facebook's comment box shows them), or of its likes
    ("Liked by 2 people"): not anyone's words."""
    links = text.strip()
    if len(links) <= 40:
        if WIDGET_LINE_RE.fullmatch(links) is not None:
            return _WIDGET_ANCHOR_RE.search(links) is not None
        if links.startswith(("Liked by", "liked by")):
            return _LIKED_BY_RE.fullmatch(links) is not None
    elif len(links) > 80:
        return False
    # links and an age: a "Reply" among them and a separator before the age (most lines have
    # neither, and are ruled out by a scan or two before any pattern is tried)
    if ("epl" not in links and "EPL" not in links) or not ("·" in links or "•" in links or "|" in links):
        return False
    aged = _WIDGET_AGE_RE.fullmatch(links)
    return aged is not None and WIDGET_LINE_RE.fullmatch(aged.group("links")) is not None


# The reply form and notices a page shows around its comments (WordPress, Blogger, Disqus): "Leave
# a Reply", "Your email address will not be published. Required fields are marked *", "Name *",
# "Post Comment", "Notify me of follow-up comments by email.", "Comments are closed."; the links and
# bars around them: "Newer Post Older Post Home", "Share this:", "Be the first to like this."
FORM_LINE_RE = re.compile(
    r"leave a (?:reply|comment|response)(?: to .{1,100})?|cancel reply|"
    r"(?:post|submit|add|write|leave) (?:a |your )?(?:comment|reply|response)|comments (?:are )?closed\.?|"
    r"(?:your )?(?:e-?mail|mail)(?: address)? (?:will not|won't|is never) be (?:published|shared).{0,80}|"
    r"required fields are marked \*\.?|(?:e-?mail|mail)\s*\(will not be published\)(?:\s*\(required\))?|"
    r"(?:name|e-?mail|website|url|comment|message)\s*(?:\*|\(required\))?\s*:?|"
    r"save my name, e-?mail, and website in this browser for the next time i comment\.?|"
    r"notify me of (?:follow-up comments|new comments|new posts).{0,40}|"
    r"this site uses akismet to reduce spam\..{0,80}|"
    r"you must be (?:logged in|registered) to post a comment\.?|"
    r"(?:blog )?comments powered by disqus\.?|"
    r"(?:older|newer) comments(?: [←→«»])?|[←«] (?:older|newer) comments|"
    # Disqus's bar and folds: "Join the discussion…", "Sort by Best", "Load more comments"
    r"join the discussion(?:…|\.\.\.)?|sort by (?:best|newest|oldest|top|votes)|login|log in|sign in|"
    r"recommend|share|avatar|load more comments|show (?:\d+ )?more (?:replies|comments)|"
    r"(?:see|view) (?:all )?(?:\d+ )?(?:more )?(?:comments|replies)|"
    r"(?:powered by|add) disqus(?: to your site)?|subscribe|privacy|do not sell my data|"
    # Blogger's links under a post, WordPress.com's share and like bar over the comments
    r"(?:newer post\s*)?(?:older post\s*)?home|newer post|older post|"
    r"(?:subscribe to: )?post comments \(atom\)|share this:?|like this:?|(?:like )?loading\.\.\.|"
    r"be the first to like this\.?|the comments to this (?:entry|post) are closed\.?|"
    r"comments? (?:is|are) moderated.{0,80}",
    re.IGNORECASE,
)
# How every form line starts (lower case): most lines are ruled out without the pattern.
_FORM_STARTS = ("leave", "cancel", "post", "submit", "add", "write", "comment", "your", "mail", "e-mail",
                "email", "required", "name", "website", "url", "message", "save", "notify", "this site",
                "you must", "blog", "older", "newer", "←", "«", "join", "sort", "log", "sign", "recommend",
                "share", "avatar", "load", "show", "see", "view", "powered", "subscribe", "privacy", "do not",
                "home", "like", "be the", "the comme")


def is_form_line(text: str) -> bool:
    """A line of the page's reply form or its notices ("Leave a Reply", "Name *"): nobody's words."""
    stripped = text.strip()
    return (len(stripped) <= 160 and stripped[:9].lower().startswith(_FORM_STARTS)
            and FORM_LINE_RE.fullmatch(stripped) is not None)


# A widget's links, then the comment's age or date after a separator: "Like · Reply · 3y", "Like ·
# Reply · Mar 3, 2013 at 10:14am", "1 reply · active 3 years ago" (IntenseDebate's).
_WIDGET_AGE_RE = re.compile(
    rf"(?P<links>.{{1,40}}?)\s*[·•|]\s*(?i:active\s+)?(?:(?i:{WHEN})|\d{{1,3}}\s?(?:y|yr|yrs|w|wk|d|h|hr|hrs|m|min|mins|mo|s))"
)
# A header's name: what the commenter typed, a name or a handle ("Paul Smith", "andylockran",
# "MrPokeboy8", "Marit van der Sleen"), one to four words, and a handle in brackets after them
# ("Idris (@idrisraja)").
_HANDLE = r"[^\W_][\w.'’-]{0,29}"
_NAMES = _HANDLE + r"(?:\s" + _HANDLE + r"){0,3}(?:\s\(@?" + _HANDLE + r"\))?"
_SAYS = r"(?:says|said|wrote|writes|replied|replies|commented|comments)"
# A comment's header line, when a crawl kept it: its writer's name and when ("Paul says:", "Paul
# said...", "Paul Smith on March 3, 2013 at 10:14 am said:", "Paul Smith – March 3, 2013"), or the
# date alone.
COMMENT_HEADER_RE = re.compile(
    rf"(?:(?i:{WHEN})"
    rf"|(?P<name>{_NAMES})\s+(?:(?i:says|said)(?:\.\.\.|…)?|(?i:{_SAYS})\s+(?i:{WHEN}))\s*:?"
    rf"|(?i:comment\s+by\s+)?(?P<name2>{_NAMES})\s*(?:(?i:on)\s+|[|•·,–—-]\s*)(?i:{WHEN})(?:\s+(?i:{_SAYS}))?\s*:?"
    rf"|(?P<name3>{_NAMES})\s+(?P<when3>(?i:{WHEN})))"
    r"(?:\s*[|•·]?\s*(?i:permalink|#|link|reply))?"
)
# Facebook's comment box heads a comment with its writer's name and profile: "Paul Smith · Works at
# Acme", "Shauna · Top Commenter".
_PROFILE = r"(?:works|worked|studies|studied) at|studied|attended|went to|lives in|top (?:commenter|fan)"
_PROFILE_HEADER_RE = re.compile(rf"(?P<name>{_NAMES})\s+·\s+(?i:{_PROFILE})\b.{{0,60}}")
# What may come before a header on its line: the comment's number ("#12", "12."), as numbered
# themes count comments, or a separator ("· 3 years ago", as Disqus dots a comment's age).
_HEADER_LEAD_RE = re.compile(r"(?:#\s?\d{1,5}\.?\s+|\d{1,5}\.\s+|[•·|–—-]\s*)")
_LEADS = frozenset("#•·|–—-")
# A line that only numbers a comment ("#12", "12.", "Comment #12"), over its header.
_COMMENT_NUMBER_RE = re.compile(r"(?i:comment\s*)?#\s?\d{1,5}|\d{1,5}\.?")
# Words that open a dated line of an article or a comment, not a header's name ("Updated March 3,
# 2013", "Since 2 years ago"): with nothing between a name and its date ("Paul Smith March 3, 2013
# at 10:14 AM", as a crawl joins Blogger's name and date), the name must read as one.
DATED_NOT_WRITERS = frozenset(
    {
        "posted", "updated", "published", "edited", "written", "modified", "created", "launched",
        "released", "dated", "since", "until", "from", "on", "by", "last", "first", "next", "today",
        "yesterday", "tomorrow", "as", "of", "in", "at", "before", "after", "ended", "started", "began",
        "born", "died", "joined", "registered", "member", "due", "closed", "opened", "expires", "expired",
        "deadline", "effective", "copyright", "version", "release", "issue", "vol", "no",
    }
)  # fmt: skip
# Who a header names when a commenter gave no name: a header all the same, naming nobody.
UNNAMED_WRITERS = frozenset({"anonymous", "admin", "guest", "unknown"})
# Words that say "says:" in a sentence of a comment, not over one ("It says:", "The docs say:").
NOT_WRITERS = frozenset(
    {
        "it", "he", "she", "they", "we", "i", "you", "this", "that", "these", "those", "who", "which",
        "what", "someone", "somebody", "everyone", "everybody", "nobody", "one", "the", "a", "an",
        "article", "post", "author", "page", "paper", "study", "report", "answer", "documentation",
        "docs", "manual", "wiki", "source", "error", "message", "log", "output", "code", "update",
        "edit", "note", "ps", "also", "and", "but", "so", "then", "now", "here", "there", "my", "your",
        "his", "her", "their", "our", "its", "by",
    }
)  # fmt: skip


_DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class CommentHeader:
    """A comment's header line: the writer's name when it gives one."""

    line: str
    name: str | None
    writer: bool = True  # it has a writer's place ("Paul says:", "Anonymous said..."), not a date alone


def comment_header(text: str) -> CommentHeader | None:
    """The comment header this line is, if it is one ("Paul says:", "March 3, 2013 at 10:14 am")."""
    stripped = text.strip()
    if not stripped or len(stripped) > 100:
        return None
    body = stripped
    if not stripped[0].isalpha():
        first = stripped[0]
        if first not in _LEADS and first not in _DIGITS:
            return None
        lead = _HEADER_LEAD_RE.match(stripped)  # "#12 Paul says:", "12. Paul says:", "· 3 years ago"
        if lead is not None:
            body = stripped[lead.end() :]
        elif first in _LEADS:
            return None
    if _DIGITS.isdisjoint(body):  # no date: "Paul says:", "a day ago", or no header at all
        low = body.lower()
        if " says" not in low and " said" not in low and " ago" not in low:
            return _profile_header(stripped, body) if "·" in body else None
    found = COMMENT_HEADER_RE.fullmatch(body)
    if found is None:
        return _profile_header(stripped, body)
    joined = found.group("name3")
    name = found.group("name") or found.group("name2") or joined
    if name is None:
        return CommentHeader(stripped, None, writer=False)
    if joined and _is_dated_line(name, found.group("when3")):
        return None
    return _named_header(stripped, name)


def _profile_header(line: str, body: str) -> CommentHeader | None:
    """The header `body` is in Facebook's comment box ("Paul Smith · Works at Acme"), if it is one."""
    found = _PROFILE_HEADER_RE.fullmatch(body) if "·" in body else None
    return None if found is None else _named_header(line, found.group("name"))


def _named_header(line: str, name: str) -> CommentHeader | None:
    """A header or footer line naming `name`, unless its words make it a sentence ("It says:",
    "Update on March 3:"); a header all the same, naming nobody, for "Anonymous"."""
    words = name.lower().split()
    if any(word in NOT_WRITERS for word in words):
        return None
    return CommentHeader(line, None if words[0] in UNNAMED_WRITERS else name)


_VERSION_RE = re.compile(r"[\d.]+")  # "5.4.10" reads as a date, but after a word it is a version


def is_comment_number(text: str) -> bool:
    """A line that only numbers a comment ("#12", "12.", "Comment #12"): a numbered theme's, over
    a comment's header (bounds.furniture_in_context says when it is one)."""
    stripped = text.strip()
    return len(stripped) <= 14 and _COMMENT_NUMBER_RE.fullmatch(stripped) is not None


def _is_dated_line(name: str, when: str) -> bool:
    """A name and a date with nothing between them that are a line of text, not a header: a
    version ("Patch 5.4.10"), a word that dates ("Updated March 3, 2013"), a name that does not
    read as one ("Fixed 3 days ago")."""
    words = name.lower().split()
    if _VERSION_RE.fullmatch(when):
        return True
    if words[0] in UNNAMED_WRITERS:
        return False  # "Unknown March 3, 2013 at 10:14 AM"
    return any(word in DATED_NOT_WRITERS for word in words) or not _reads_as_writer(name)


# A word of a name as commenters type it: an initial ("Sean F.", "Matt G"), a handle in camel case
# or capitals ("JohnW", "TheProgressiveTroll", "PICMAR"), or with digits ("Mike77").
_NAME_PART_RE = re.compile(r"[A-Z]\.?|[A-Z][a-z]+(?:[A-Z][a-z]*)+|[A-Z]{2,10}|[A-Za-z]+\d+")


def _reads_as_writer(name: str) -> bool:
    """A name with no separator before its date: capitalised names ("Paul Smith", "Sean F."), or
    a handle of one word as commenters type them ("pg", "andylockran", "JohnW", "Mike77")."""
    words = name.split()
    if all(is_name(word) or _NAME_PART_RE.fullmatch(word) for word in words):
        return True
    return len(words) == 1 and not name[0].isupper()


# A comment's footer: Typepad and Movable Type name a comment's writer and date under it ("Posted by:
# Paul Smith | March 03, 2013 at 10:14 AM"). (A post's own footer reads "Posted by Paul Smith on
# ...", with no colon, and goes on: "in Gardening | Permalink | Comments (3)".)
COMMENT_FOOTER_RE = re.compile(
    rf"(?i:posted\s+by|comment\s+by|written\s+by)\s*:\s*(?P<name>{_NAMES})\s*(?:[|•·,–—-]|(?i:on|at))\s*(?i:{WHEN})"
)


_FOOTER_STARTS = ("Posted", "posted", "POSTED", "Comment", "comment", "COMMENT", "Written", "written",
                  "WRITTEN")


def comment_footer(text: str) -> CommentHeader | None:
    """The comment footer this line is, if it is one ("Posted by: Paul | March 3, 2013"): it ends
    the comment above it and names its writer."""
    stripped = text.strip()
    if len(stripped) > 120 or stripped[:1] not in "PpCcWw" or not stripped.startswith(_FOOTER_STARTS):
        return None
    found = COMMENT_FOOTER_RE.fullmatch(stripped)
    return None if found is None else _named_header(stripped, found.group("name"))


_LONE_NAME_RE = re.compile(_NAMES)


def lone_name(text: str) -> str | None:
    """The name a line holds and nothing else ("Paul Smith", "andylockran"; "" for "Anonymous"):
    a comment header's first line where its date has a line of its own, or the whole header under
    a widget's "Like · Reply · 3y" (bounds.furniture_in_context says when it is one)."""
    stripped = text.strip()
    if len(stripped) > 40 or not stripped[:1].isalpha() or _LONE_NAME_RE.fullmatch(stripped) is None:
        return None
    words = stripped.lower().split()
    if (any(word in NOT_WRITERS for word in words) or is_widget_word(stripped) or is_widget_line(stripped)
            or is_form_line(stripped) or is_comments_heading(stripped)):
        return None
    return "" if words[0] in UNNAMED_WRITERS else stripped


# A post's byline, on a line of its own near the top: "By Nora Lind", "Posted by Nora Lind on May 3,
# 2013", "Written by Nora", "Posted on May 3, 2013 by Nora Lind", "Author: Nora Lind". The words
# before the name are matched in any case, the name only as a name (capitalised words).
BYLINE_RE = re.compile(
    r"(?i:(?:posted|written|published|submitted)(?:\s+on\s+[\w ,./-]{3,30}?)?\s+by|by|author\s*:)\s+"
    r"(" + NAME_RE + r"(?:\s" + NAME_RE + r"){0,2})"
    r"(?:\s*(?:(?i:on|in)\s|[|•·,–—-]).{0,80})?"
)
BYLINE_LINES = 5  # a byline sits under the title, among a post's first lines


def byline(texts: list[str]) -> tuple[str, str] | None:
    """(the name, the line) of a byline among the first BYLINE_LINES lines, if one is there."""
    for text in texts[:BYLINE_LINES]:
        stripped = text.strip()
        found = BYLINE_RE.fullmatch(stripped) if len(stripped) <= 160 else None
        if found and is_name(found.group(1).split()[0]):
            return found.group(1), stripped
    return None


def is_comments_heading(text: str) -> bool:
    """A line of its own that heads a comment section by counting it ("14 Comments")."""
    stripped = text.strip()
    return len(stripped) <= 240 and COMMENTS_HEADING_RE.fullmatch(stripped.lower()) is not None


def is_furniture_line(text: str) -> bool:
    """A line (stripped) a comment widget, a comment's header or the page's reply form left,
    which only says where a comment ended or begins, or nothing: "Reply", "Reply Share ›"; "Paul
    says:", "March 3, 2013 at 10:14 am"; "Leave a Reply", "Name *"; a rule, "* * *". The inference
    view reads it as empty (bounds.viewed_text). (Widgets and headers do not end as a sentence
    does, but for a time's "p.m." and a "said...": most lines are ruled out by their last
    character and the form's few words before any pattern is tried.)"""
    if not text:
        return False
    if text[-1] in ".!?" and not text.endswith(("a.m.", "p.m.", "...")):
        return is_form_line(text)  # "Notify me of follow-up comments by email."
    return (is_widget_line(text) or is_form_line(text) or comment_header(text) is not None
            or (text[0] in "PpCcWw" and comment_footer(text) is not None)  # "Posted by: ..."
            or is_separator_line(text))
