"""WET files (Common Crawl's extracted text) as crawl inputs: the records read, the pages kept,
and a crawl of them that gives the release the same pages give as JSONL."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadloom.crawl.wet import WarcFormatError, WetPage, wet_pages
from threads import ROSES, ROSES_ARTICLE_END

WARCINFO = ("warcinfo", [("WARC-Record-ID", "<urn:uuid:info>"), ("Content-Type", "application/warc-fields")],
            b"isPartOf: CC-MAIN-2024-10\r\npublisher: Common Crawl\r\n")


def warc_record(kind: str, headers: list[tuple[str, str]], body: bytes, newline: str = "\r\n") -> bytes:
    lines = ["WARC/1.0", f"WARC-Type: {kind}", *(f"{k}: {v}" for k, v in headers),
             f"Content-Length: {len(body)}"]
    return (newline.join(lines) + newline * 2).encode() + body + (newline * 2).encode()


def page_record(i: int, url: str, text: str, newline: str = "\r\n") -> bytes:
    headers = [("WARC-Target-URI", url), ("WARC-Date", "2024-02-20T22:39:40Z"),
               ("WARC-Record-ID", f"<urn:uuid:{i:08d}>"), ("WARC-Identified-Content-Language", "eng"),
               ("Content-Type", "text/plain")]
    return warc_record("conversion", headers, text.encode("utf-8"), newline)


def wet_bytes(pages: list[tuple[str, str]]) -> bytes:
    """A WET file as Common Crawl writes one: a warcinfo record, then a conversion record per
    page, each record its own gzip member."""
    records = [warc_record(*WARCINFO)] + [page_record(i, url, text) for i, (url, text) in enumerate(pages)]
    return b"".join(gzip.compress(r) for r in records)


def read(data: bytes, max_body: int = 10**6) -> list[WetPage]:
    return list(wet_pages(io.BytesIO(data), max_body))


def test_only_plain_text_conversion_records_are_pages_with_their_offsets_ids_and_urls() -> None:
    parts = [warc_record(*WARCINFO), page_record(0, "https://a.example/1", "First page\nsecond line"),
             warc_record("metadata", [("WARC-Target-URI", "https://a.example/1")], b"fetchTimeMs: 12\r\n"),
             warc_record("conversion", [("Content-Type", "application/pdf")], b"%PDF"),
             page_record(1, "https://a.example/2", "Zoë’s page", newline="\n")]
    pages = read(b"".join(parts))
    assert [(p.record_id, p.url, p.body) for p in pages] == [
        ("<urn:uuid:00000000>", "https://a.example/1", b"First page\nsecond line"),
        ("<urn:uuid:00000001>", "https://a.example/2", "Zoë’s page".encode())]
    assert [p.offset for p in pages] == [len(parts[0]), sum(map(len, parts[:4]))]


def test_a_body_larger_than_kept_is_read_past_and_the_next_record_still_read() -> None:
    data = page_record(0, "https://a.example/big", "x" * 5000) + page_record(1, "https://a.example/", "small")
    big, small = read(data, max_body=4999)
    assert (big.body, big.size) == (None, 5000)
    assert small.body == b"small"


@pytest.mark.parametrize(("data", "problem"), [
    (b"<html>not a WARC file</html>\r\n", "no WARC record at byte"),
    (b"WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 12\r\n\r\nshort",
     "ends before its Content-Length"),
    (b"WARC/1.0\r\nWARC-Type: conversion\r\n\r\nbody\r\n\r\n", "gives no Content-Length"),
    (b"WARC/1.0\r\nWARC-Type: conversion\r\nContent-Le", "ends inside its headers"),
])
def test_what_is_no_warc_record_is_named_with_its_place(data: bytes, problem: str) -> None:
    with pytest.raises(WarcFormatError, match=problem):
        read(page_record(0, "https://a.example/1", "ok") + data)


def test_an_empty_stream_has_no_pages() -> None:
    assert read(b"") == []


# ---- crawls of WET files (the `crawl` extra) ----------------------------------------------------


def crawl_pages(n: int = 4) -> list[tuple[str, str]]:
    """n threads (the roses thread, reworded per page) and n articles alone, by URL."""
    article, comments = ROSES[:ROSES_ARTICLE_END], ROSES[ROSES_ARTICLE_END:]
    pages = []
    for i in range(n):
        lines = [f"{line} (part {i})" for line in article]
        pages += [(f"https://garden{i}.example/roses/{i}", "\n".join(lines + comments)),
                  (f"https://shop.example/{i}", "\n".join(lines))]
    return pages


def run_crawl(inputs: Path, out: Path, *extra: str) -> dict[str, Any]:
    from click.testing import CliRunner

    from threadloom.cli import main

    result = CliRunner().invoke(main, ["crawl", str(inputs), "--out", str(out), "--version", "0.1.0",
                                       "--json", "-q", *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_a_crawl_of_wet_files_gives_the_release_their_pages_give_as_jsonl(tmp_path: Path) -> None:
    """The record id and the URL as JSONL's id and url columns: the same threads, rows and raw
    copies, byte for byte; the fetch date is not taken for a publication date."""
    pytest.importorskip("datatrove")
    import pyarrow.parquet as pq

    from threadloom.validate import validate_release

    pages = crawl_pages()
    (tmp_path / "wet").mkdir()
    (tmp_path / "wet" / "CC-MAIN-0001.warc.wet.gz").write_bytes(wet_bytes(pages))
    (tmp_path / "jsonl").mkdir()
    rows = [{"text": text, "id": f"<urn:uuid:{i:08d}>", "url": url} for i, (url, text) in enumerate(pages)]
    lines = "".join(json.dumps(r) + "\n" for r in rows)
    (tmp_path / "jsonl" / "pages.jsonl").write_text(lines, encoding="utf-8")
    from_wet = run_crawl(tmp_path / "wet", tmp_path / "out-wet")
    from_jsonl = run_crawl(tmp_path / "jsonl", tmp_path / "out-jsonl")
    assert from_wet["documents"] == from_jsonl["documents"] == 8
    assert from_wet["threaded"] == from_jsonl["threaded"] == 4
    assert validate_release(tmp_path / "out-wet").ok

    def listing(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    assert listing(tmp_path / "out-wet") == listing(tmp_path / "out-jsonl")
    threads = pq.read_table(tmp_path / "out-wet/data/threads/train-00000-of-00001.parquet").to_pylist()
    assert {(r["url"], r["site"], r["published"]) for r in threads} == {
        (f"https://garden{i}.example/roses/{i}", f"garden{i}.example", None) for i in range(4)}


@pytest.mark.parametrize(("name", "says"), [
    ("CC-MAIN-0001.warc.gz", "a WARC file of fetched pages (HTML): threadloom reads text"),
    ("pages.csv", "not a crawl file"),
])
def test_a_file_that_is_no_crawl_input_is_named_with_what_to_give(tmp_path: Path, name: str,
                                                                  says: str) -> None:
    pytest.importorskip("datatrove")
    from click.testing import CliRunner

    from threadloom.cli import main

    (tmp_path / name).write_bytes(b"WARC/1.0\r\n")
    result = CliRunner().invoke(main, ["crawl", str(tmp_path / name), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"threadloom: {tmp_path / name}: {says}")
    assert ".wet" in lines[0] and not (tmp_path / "out").exists()


def test_damaged_or_unreadable_wet_records_are_counted_as_rejected(tmp_path: Path) -> None:
    """A truncated file keeps the pages before the damage; a page that is no UTF-8 is one
    rejected record; bytes that are no WARC record end the file's reading with their reason."""
    pytest.importorskip("datatrove")
    pages = crawl_pages(30)  # more than a decompressing reader reads ahead
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.warc.wet.gz").write_bytes(wet_bytes(pages)[:-40])
    latin = page_record(9, "https://latin.example/1", "").replace(b"Content-Length: 0", b"Content-Length: 4")
    latin = latin.replace(b"\r\n\r\n\r\n\r\n", b"\r\n\r\ncaf\xe9\r\n\r\n")
    lost = page_record(10, "https://x.example", "lost")
    huge = page_record(11, "https://huge.example", "x" * 5_000_001)  # past MAX_DOCUMENT_BYTES
    (folder / "b.wet").write_bytes(huge + latin + b"garbage between records\r\n" + lost)
    summary = run_crawl(folder, tmp_path / "out")
    assert summary["rejected"] == {"damaged input file (EOFError)": 1, "not valid UTF-8": 1,
                                   "damaged input file (WarcFormatError)": 1, "larger than 5 MB": 1}
    assert 1 <= summary["threaded"] < 30  # whatever of a.warc.wet.gz came before the damage


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**6), st.binary(max_size=20), st.integers(0, 40)), max_size=5))
def test_damaged_bytes_give_pages_or_a_format_error_and_nothing_else(edits: list[tuple[int, bytes, int]]
                                                                     ) -> None:
    """Whatever bytes are changed, cut or inserted, reading gives pages (each body its
    Content-Length long) or stops with WarcFormatError: never another exception."""
    data = bytearray(warc_record(*WARCINFO) + b"".join(
        page_record(i, f"https://a.example/{i}", "line one\nline two é " * (i + 1)) for i in range(6)))
    for at, insert, cut in edits:
        at %= len(data) or 1
        data[at : at + cut] = insert
    try:
        pages = read(bytes(data))
    except WarcFormatError:
        return
    assert all(p.body is not None and len(p.body) == p.size for p in pages)
