"""WET files (Common Crawl's extracted text: WARC records of type "conversion", one per page, the
text of its block elements one per line) read as crawl records, stdlib only.

A WARC record is a version line ("WARC/1.0"), header lines ("Name: value"), a blank line, then
Content-Length bytes of body; blank lines separate records. Only "conversion" records of plain
text are pages: the file's "warcinfo" record and any other kind are passed over.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

WET_SUFFIXES = (".wet", ".wet.gz", ".wet.zst")  # also ".warc.wet.gz", Common Crawl's own name
PAGE_TYPE = "conversion"
_SKIP_CHUNK = 1 << 20  # a body too large to keep is read past in pieces of this size
_MAX_LINE = 1 << 16  # a version or header line longer than this is no WARC (and is not kept whole)


class WarcFormatError(ValueError):
    """The bytes at a place where a WARC record should begin or go on are not one."""


class WetPage(NamedTuple):
    """One page of a WET file: where its record starts (in the uncompressed stream), what its
    headers say, and its text (None when the record is larger than the reader keeps)."""

    offset: int
    record_id: str | None
    url: str | None
    body: bytes | None
    size: int


def wet_pages(stream: BinaryIO, max_body: int) -> Iterator[WetPage]:
    """The pages (plain-text "conversion" records) of an uncompressed WET stream, in order. A body
    longer than `max_body` is read past, not kept, so memory stays bounded whatever a record
    claims. Raises WarcFormatError where the stream stops being WARC records."""
    offset = 0
    while True:
        line = stream.readline(_MAX_LINE)
        while line in (b"\r\n", b"\n"):  # the blank lines after a record
            offset += len(line)
            line = stream.readline(_MAX_LINE)
        if not line:
            return
        start = offset
        if not line.startswith(b"WARC/"):
            raise WarcFormatError(f"no WARC record at byte {start}")
        offset += len(line)
        headers: dict[str, str] = {}
        while (line := stream.readline(_MAX_LINE)) not in (b"\r\n", b"\n"):
            if not line.endswith(b"\n"):
                raise WarcFormatError(f"the record at byte {start} ends inside its headers")
            offset += len(line)
            name, colon, value = line.decode("utf-8", "replace").partition(":")
            if colon:
                headers[name.strip().lower()] = value.strip()
        offset += len(line)
        length = _content_length(headers, start)
        is_text = headers.get("content-type", "text/plain").startswith("text/plain")
        is_page = headers.get("warc-type") == PAGE_TYPE and is_text
        body = _read_body(stream, length, max_body if is_page else -1, start)  # others: read past
        offset += length
        if is_page:
            record_id, url = headers.get("warc-record-id") or None, headers.get("warc-target-uri") or None
            yield WetPage(start, record_id, url, body, length)


def _content_length(headers: dict[str, str], start: int) -> int:
    value = headers.get("content-length", "")
    if not (value.isascii() and value.isdigit()):
        raise WarcFormatError(f"the record at byte {start} gives no Content-Length")
    return int(value)


def _read_body(stream: BinaryIO, length: int, max_body: int, start: int) -> bytes | None:
    """The record's body, or None once read past when it is longer than max_body."""
    keep = length <= max_body
    pieces: list[bytes] = []
    left = length
    while left:  # a decompressing stream may return fewer bytes than asked before its end
        piece = stream.read(min(left, _SKIP_CHUNK))
        if not piece:
            raise WarcFormatError(f"the record at byte {start} ends before its Content-Length")
        left -= len(piece)
        if keep:
            pieces.append(piece)
    return b"".join(pieces) if keep else None
