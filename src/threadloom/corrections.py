"""A reviewer's corrections of inferred structure: `NAME.corrections.json` beside `NAME.txt`.

The file (schemas/corrections.schema.json) names comments by the raw line they start on ("L44")
and says, for any of them, the exact span (`boundaries`), the comment it answers (`parents`) or
who wrote it (`speakers`). `apply_corrections` runs after inference: every corrected decision
gets confidence 1.0 and evidence that starts with "human correction:", and the thread stays valid
(spans cover every comment line once, parents lie on the depth-first path) or the file is refused
with a message that names it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .cues import slug
from .errors import ThreadloomError
from .model import Comment, Decision, Speaker, Thread
from .schemas import validate_instance
from .speakers import POST_AUTHOR_KEY

CORRECTIONS_SUFFIX = ".corrections.json"
HUMAN = "human correction"
SCHEMA_HINT = "see schemas/corrections.schema.json"
_REF = re.compile(r"(?:^|/)L([1-9][0-9]*)$")


def corrections_name(source_file: str) -> str:
    """`dir/NAME.txt` -> `dir/NAME.corrections.json`."""
    return source_file[: -len(".txt")] + CORRECTIONS_SUFFIX


def parse_corrections(data: bytes, label: str) -> dict[str, Any]:
    """The corrections in `data`, checked against the schema; `label` names the file in errors."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ThreadloomError(label, f"not valid JSON: {err}", "fix the file") from None
    problem = validate_instance("corrections", value)
    if problem:
        raise ThreadloomError(label, problem, SCHEMA_HINT)
    return dict(value)


def line_of(ref: str) -> int:
    """The raw line a comment reference ("L44" or "<thread_id>/L44") names."""
    match = _REF.search(ref)
    if not match:
        raise ValueError(f"not a comment reference: {ref!r}")
    return int(match.group(1))


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    base: int | None  # position of the inferred comment it comes from; None: from the article
    fixed: bool  # its span is a reviewer's


def _human(what: str, label: str, note: str | None = None) -> Decision:
    evidence = [f"{HUMAN}: {what} ({label})"]
    if note:
        evidence.append(f"reviewer's note: {note}")
    return Decision(1.0, tuple(evidence))


def apply_corrections(thread: Thread, corrections: dict[str, Any], label: str = "corrections") -> Thread:
    """The thread with a reviewer's boundaries, then parents, then speakers applied."""
    thread = _apply_boundaries(thread, corrections.get("boundaries", []), label)
    thread = _apply_parents(thread, corrections.get("parents", []), label)
    thread = _apply_speakers(thread, corrections.get("speakers", []), label)
    return _drop_unused_speakers(thread)


def _position(thread: Thread, ref: str, label: str) -> int:
    line = line_of(ref)
    for comment in thread.comments:
        if comment.raw_line_start == line:
            return comment.position
    raise ThreadloomError(label, f"no comment starts at line {line} ({ref})",
                          "name a comment by its first raw line, after any boundary corrections")


# ---- boundaries -------------------------------------------------------------------------------


def _trim(thread: Thread, start: int, end: int) -> tuple[int, int] | None:
    """The span without blank lines at its ends; None when nothing but blank lines is left."""
    while start <= end and thread.line(start).is_blank:
        start += 1
    while end >= start and thread.line(end).is_blank:
        end -= 1
    return (start, end) if start <= end else None


def _apply_boundaries(thread: Thread, fixes: list[dict[str, Any]], label: str) -> Thread:
    if not fixes:
        return thread
    n = len(thread.lines)
    spans = [_Span(c.raw_line_start, c.raw_line_end, c.position, False) for c in thread.comments]
    article_end, article_decision = thread.article_line_end, thread.article_decision
    for fix in sorted(fixes, key=lambda f: int(f["raw_line_start"])):
        s, e = int(fix["raw_line_start"]), int(fix["raw_line_end"])
        if not 1 <= s <= e <= n:
            raise ThreadloomError(label, f"boundary L{s}-L{e} is not inside the raw file (1-{n})",
                                  SCHEMA_HINT)
        if _trim(thread, s, e) != (s, e):
            raise ThreadloomError(label, f"boundary L{s}-L{e} starts or ends on a blank line",
                                  "give the first and last non-blank line of the comment")
        if any(sp.fixed and sp.start <= e and s <= sp.end for sp in spans):
            raise ThreadloomError(label, f"boundary L{s}-L{e} overlaps another corrected boundary",
                                  "give each comment's lines once")
        kept: list[_Span] = []
        for sp in spans:
            for a, b in ((sp.start, min(sp.end, s - 1)), (max(sp.start, e + 1), sp.end)):
                piece = _trim(thread, a, b) if a <= b else None
                if piece:
                    kept.append(_Span(piece[0], piece[1], sp.base, False))
        if s <= article_end:
            cut = _trim(thread, 1, s - 1)
            if e < article_end and (rest := _trim(thread, e + 1, article_end)):
                kept.append(_Span(rest[0], rest[1], None, False))
            article_end = cut[1] if cut else 0
            article_decision = _human(f"the article ends before the comment at L{s}", label)
        kept.append(_Span(s, e, None, True))
        spans = sorted(kept, key=lambda sp: sp.start)
    comments = _comments_for(thread, spans, fixes, label)
    return _speakers_for_new(replace(thread, article_line_end=article_end,
                                     article_decision=article_decision, comments=comments))


def _comments_for(thread: Thread, spans: list[_Span], fixes: list[dict[str, Any]],
                  label: str) -> tuple[Comment, ...]:
    notes = {int(f["raw_line_start"]): f.get("note") for f in fixes}
    old = thread.comments
    # the new comments that hold lines of each inferred one: a reply to an inferred comment now
    # answers the last of them before it
    pieces: dict[int, list[int]] = {
        c.position: [i for i, sp in enumerate(spans)
                     if sp.start <= c.raw_line_end and c.raw_line_start <= sp.end]
        for c in old
    }
    comments: list[Comment] = []
    for i, sp in enumerate(spans):
        base = old[sp.base] if sp.base is not None else _containing(old, sp.start)
        if sp.fixed:
            boundary = _human(f"the comment is lines {sp.start}-{sp.end}", label, notes.get(sp.start))
        elif base is not None and (base.raw_line_start, base.raw_line_end) == (sp.start, sp.end):
            boundary = base.boundary
        else:
            boundary = Decision(base.boundary.confidence if base else 0.5,
                                (f"span cut around a {HUMAN} of a neighbouring comment ({label})",))
        if base is None:
            comments.append(Comment(i, sp.start, sp.end, boundary, None,
                                    Decision(0.0, (f"was part of the article before a {HUMAN}",))))
            continue
        parent, parent_decision = None, base.parent_decision
        if base.parent is not None:
            earlier = [p for p in pieces[base.parent] if p < i]
            if earlier:
                parent = earlier[-1]
            else:
                parent_decision = Decision(0.0, (f"parent merged into this comment by a {HUMAN}",))
        dated = sp.start == base.raw_line_start  # the header that dates a comment is over its first piece
        comments.append(replace(base, position=i, raw_line_start=sp.start, raw_line_end=sp.end,
                                boundary=boundary, parent=parent, parent_decision=parent_decision,
                                published=base.published if dated else None,
                                published_evidence=base.published_evidence if dated else ()))
    return tuple(comments)


def _containing(comments: tuple[Comment, ...], line: int) -> Comment | None:
    for c in comments:
        if c.raw_line_start <= line <= c.raw_line_end:
            return c
    return None


def _speakers_for_new(thread: Thread) -> Thread:
    """Comments cut from the article have no speaker yet: each gets an anonymous one."""
    speakers = list(thread.speakers)
    comments = []
    for c in thread.comments:
        if not c.speaker_key:
            key = _next_anon(speakers)
            speakers.append(Speaker(key, None, False, Decision(0.5, ("no name in the text",))))
            c = replace(c, speaker_key=key, speaker_decision=Decision(0.0, ("not inferred",)),
                        post_author_decision=Decision(0.0, ("not inferred",)))
        comments.append(c)
    return replace(thread, comments=tuple(comments), speakers=tuple(speakers))


def _next_anon(speakers: list[Speaker]) -> str:
    numbers = [int(s.key[5:]) for s in speakers if re.fullmatch(r"anon-\d+", s.key)]
    return f"anon-{max(numbers, default=0) + 1}"


# ---- parents ----------------------------------------------------------------------------------


def _apply_parents(thread: Thread, fixes: list[dict[str, Any]], label: str) -> Thread:
    comments = list(thread.comments)
    human: set[int] = set()
    for fix in fixes:
        i = _position(thread, fix["comment"], label)
        parent = None if fix["parent"] is None else _position(thread, fix["parent"], label)
        if parent is not None and parent >= i:
            raise ThreadloomError(label, f"{fix['comment']}: its parent {fix['parent']} is not an earlier "
                                  "comment", "a comment answers the post or an earlier comment")
        what = "replies to the post" if parent is None else f"replies to L{comments[parent].raw_line_start}"
        comments[i] = replace(comments[i], parent=parent,
                              parent_decision=_human(what, label, fix.get("note")))
        human.add(i)
    path: list[int] = []  # the previous comment and its ancestors, root first
    for i, c in enumerate(comments):
        if c.parent is not None and c.parent not in path:
            if i in human:
                raise ThreadloomError(
                    label,
                    f"L{c.raw_line_start}: parent L{comments[c.parent].raw_line_start} is not on the path "
                    "from the previous comment to the post (comments are shown depth-first)",
                    "correct the parents of the comments in between too",
                )
            c = comments[i] = replace(c, parent=None, parent_decision=Decision(
                0.0, (f"inferred parent no longer on the depth-first path after a {HUMAN}",)))
        path = [i] if c.parent is None else [*path[: path.index(c.parent) + 1], i]
    return replace(thread, comments=tuple(comments))


# ---- speakers ---------------------------------------------------------------------------------


def _apply_speakers(thread: Thread, fixes: list[dict[str, Any]], label: str) -> Thread:
    comments = list(thread.comments)
    speakers = list(thread.speakers)
    for fix in fixes:
        i = _position(thread, fix["comment"], label)
        name, is_author = fix.get("speaker_name"), bool(fix.get("is_post_author", False))
        note = fix.get("note")
        if is_author:
            key = POST_AUTHOR_KEY
            if name:
                speakers = [replace(s, name=name, name_decision=_human(f"the post author is {name}", label))
                            if s.key == key else s for s in speakers]
            what = "written by the post author"
        elif name:
            key = f"name-{slug(name)}"
            if all(s.key != key for s in speakers):
                speakers.append(Speaker(key, name, False, _human(f"named {name}", label)))
            what = f"written by {name}"
        else:
            key = _next_anon(speakers)
            speakers.append(Speaker(key, None, False, _human("an unnamed person", label)))
            what = "written by an unnamed person of their own"
        comments[i] = replace(comments[i], speaker_key=key, speaker_decision=_human(what, label, note),
                              is_post_author=is_author, post_author_decision=_human(
                                  "the post author wrote it" if is_author else "not the post author", label))
    return replace(thread, comments=tuple(comments), speakers=tuple(speakers))


def _drop_unused_speakers(thread: Thread) -> Thread:
    used = {c.speaker_key for c in thread.comments}
    speakers = tuple(s for s in thread.speakers if s.is_post_author or s.key in used)
    return replace(thread, speakers=speakers)


# ---- the file ---------------------------------------------------------------------------------


def load_corrections_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    return parse_corrections(path.read_bytes(), path.name)


def merge_corrections(existing: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """`existing` with `new` added; a new entry for the same comment (or boundary start) replaces
    the old one."""
    merged = dict(existing)
    for kind, key in (("boundaries", "raw_line_start"), ("parents", "comment"), ("speakers", "comment")):
        entries = list(existing.get(kind, []))
        for entry in new.get(kind, []):
            ident = entry[key] if kind == "boundaries" else line_of(entry[key])
            entries = [e for e in entries if (e[key] if kind == "boundaries" else line_of(e[key])) != ident]
            entries.append(entry)
        if entries:
            merged[kind] = sorted(entries, key=lambda e: e[key] if kind == "boundaries" else line_of(e[key]))
    if new.get("reviewer"):
        merged["reviewer"] = new["reviewer"]
    return merged


def write_corrections_file(path: Path, corrections: dict[str, Any]) -> None:
    """Write atomically: a temporary file beside it, renamed over it."""
    problem = validate_instance("corrections", corrections)
    if problem:
        raise ThreadloomError(path.name, problem, SCHEMA_HINT)
    text = json.dumps(corrections, indent=2, ensure_ascii=False) + "\n"
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def record_corrections(raw_dir: Path, thread_id: str, new: dict[str, Any]) -> Path:
    """Add `new` to the corrections file of the document `thread_id` in `raw_dir`, after checking
    that the merged corrections apply to a fresh inference; returns the file's path."""
    from .pipeline import process_text
    from .sources import load_collection

    collection = load_collection(Path(raw_dir))
    docs = [d for d in collection.documents if d.thread_id == thread_id]
    if not docs:
        known = ", ".join(d.thread_id for d in collection.documents[:5])
        raise ThreadloomError(thread_id, f"no such document in {raw_dir}", f"known: {known}")
    doc = docs[0]
    path = Path(raw_dir) / corrections_name(doc.source_file)
    merged = merge_corrections(load_corrections_file(path), new)
    problem = validate_instance("corrections", merged)
    if problem:
        raise ThreadloomError(path.name, problem, SCHEMA_HINT)
    process_text(doc.text, doc.source_file, doc.metadata, thread_id=doc.thread_id, sha256=doc.sha256,
                 corrections=merged, corrections_label=path.name)
    write_corrections_file(path, merged)
    return path


def _option_ref(value: str) -> str:
    if not re.fullmatch(r"L?[1-9][0-9]*", value.strip()):
        raise ValueError(f"{value!r} is not a comment's first line such as L44")
    return "L" + value.strip().lstrip("L")


def _option_pair(value: str) -> tuple[str, str]:
    if "=" not in value:
        raise ValueError(f"{value!r} is not COMMENT=VALUE, such as L44=L40")
    left, right = value.split("=", 1)
    return _option_ref(left), right.strip()


def corrections_from_options(boundaries: Sequence[str] = (), parents: Sequence[str] = (),
                             speakers: Sequence[str] = (), note: str | None = None,
                             reviewer: str | None = None) -> dict[str, Any]:
    """Corrections as the file holds them, from `threadloom correct`'s notation: boundaries
    "40-42", parents "L44=L40" or "L44=post", speakers "L44=Steve", "L44=@author" or
    "L44=@anonymous". A ValueError names the first value it cannot read."""
    extra = {"note": note} if note else {}
    result: dict[str, Any] = {"reviewer": reviewer} if reviewer else {}
    spans = []
    for value in boundaries:
        match = re.fullmatch(r"L?([1-9][0-9]*)-L?([1-9][0-9]*)", value.strip())
        if not match:
            raise ValueError(f"{value!r} is not a line range such as 40-42")
        spans.append({"raw_line_start": int(match.group(1)), "raw_line_end": int(match.group(2)), **extra})
    links = []
    for value in parents:
        comment, parent = _option_pair(value)
        target = None if parent.lower() in ("post", "none", "null") else _option_ref(parent)
        links.append({"comment": comment, "parent": target, **extra})
    people = []
    for value in speakers:
        comment, who = _option_pair(value)
        if not who:
            raise ValueError(f"{value!r} names nobody")
        author, anonymous = who.lower() in ("@author", "@post-author"), who.lower() in ("@anonymous", "@anon")
        name = None if author or anonymous else who
        people.append({"comment": comment, "speaker_name": name, "is_post_author": author, **extra})
    for kind, entries in (("boundaries", spans), ("parents", links), ("speakers", people)):
        if entries:
            result[kind] = entries
    return result
