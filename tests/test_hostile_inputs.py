"""Hostile raw documents: each one is either processed (and what was done is recorded) or refused
with one line naming the file and the reason; never a traceback, never a half-written release.

Every document is generated in a temporary raw directory beside one good document. `CASES` is the
corpus; the README's "How input is treated" table says the same thing in prose.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from release_tools import read_rows
from threadloom import api, intake, sources
from threadloom.cli import main
from threadloom.repair import split_raw_lines
from threadloom.validate import validate_release

ARTICLE = [
    "Volunteers rebuilt the lower section of the ridge trail last weekend, replacing two footbridges.",
    "The trail reopens on Saturday. Please stay off the new boardwalk until the sealant has cured.",
]
COMMENTS = [
    "Thank you for organising this! I walked the upper loop yesterday and it is in great shape.",
    "Is the car park at the north entrance open again, or is it still closed for resurfacing?",
    "It is open again since Monday, Priya.",
    "Brilliant, thank you.",
]
TEXT = "\n".join(ARTICLE + COMMENTS) + "\n"
GOOD = "good.txt"


def _binary_without_nul() -> bytes:
    rng = random.Random(5)
    return bytes(rng.randrange(1, 256) for _ in range(4096))


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    data: bytes
    refused: str | None = None  # the reason's words when the document is refused


CASES = [
    Case("empty", "empty.txt", b"", refused="empty document"),
    Case("whitespace-only", "blank.txt", b" \n\t\r\n \n", refused="empty document"),
    Case("bom-only", "bom.txt", codecs.BOM_UTF8 + b"\n \n", refused="empty document"),
    Case("binary-png", "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
         refused="NUL bytes"),
    Case("binary-no-nul", "noise.txt", _binary_without_nul(), refused="not valid UTF-8 at byte"),
    Case("invalid-utf8", "cut.txt", b"A post about bread.\nThis breaks \xe2\x82 here.\n",
         refused="not valid UTF-8 at byte 32 (line 2, byte 0xE2)"),
    Case("latin-1", "latin1.txt", "Caf\u00e9 cr\u00e8me, s'il vous pla\u00eet.\nMerci !\n".encode("latin-1"),
         refused="not valid UTF-8 at byte 3 (line 1, byte 0xE9)"),
    Case("windows-1252", "cp1252.txt", "\u201cSmart\u201d quotes \u2013 and a dash.\nYes.\n".encode("cp1252"),
         refused="not valid UTF-8 at byte 0"),
    Case("utf-16-le-bom", "utf16.txt", TEXT.encode("utf-16"), refused="UTF-16LE text"),
    Case("utf-16-be-bom", "utf16be.txt", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
         refused="UTF-16BE text"),
    Case("utf-16-le-no-bom", "utf16le.txt", TEXT.encode("utf-16-le"), refused="looks like UTF-16LE"),
    Case("utf-16-be-no-bom", "utf16nb.txt", TEXT.encode("utf-16-be"), refused="looks like UTF-16BE"),
    Case("utf-32-bom", "utf32.txt", TEXT.encode("utf-32"), refused="UTF-32LE text"),
    Case("nul-in-text", "nul.txt", TEXT.encode() + b"\x00\n", refused="NUL bytes"),
    Case("utf-8-bom", "bom8.txt", codecs.BOM_UTF8 + TEXT.encode()),
    Case("crlf", "crlf.txt", TEXT.replace("\n", "\r\n").encode()),
    Case("lone-cr", "mac.txt", TEXT.replace("\n", "\r").encode()),
    Case("mixed-line-ends", "mixed.txt", b"\r\n".join(p.encode() for p in ARTICLE) + b"\r"
         + b"\n".join(c.encode() for c in COMMENTS)),
    Case("no-final-newline", "nofinal.txt", TEXT.rstrip("\n").encode()),
    Case("no-comments", "article.txt", "\n".join(ARTICLE * 3).encode()),
    Case("only-comments", "comments.txt", "\n".join(COMMENTS).encode()),
    Case("one-line", "oneline.txt", b"Just one line, no article and no comments to speak of."),
    Case("non-english", "intl.txt", "\n".join([
        "Η ομάδα εθελοντών ξανάχτισε το μονοπάτι το περασμένο Σαββατοκύριακο.",
        "志愿者们上周末重建了山脊小道的下段，更换了两座腐烂的人行桥。",
        "Спасибо за организацию! Я вчера прошёл верхнюю петлю.",
        "شكراً جزيلاً، هل موقف السيارات مفتوح الآن؟",
        "Merci beaucoup, c'était très agréable à lire. 🙂",
    ]).encode()),
    Case("control-characters", "ctrl.txt", (TEXT + "A bell \x07 and an escape \x1b[0m here.\n").encode()),
    # U+0085 is a C1 control that Python counts as whitespace; the repair reads it as cp1252's "…"
    Case("c1-control-line", "nel.txt", "\u0085\nwow\n".encode()),
    Case("mojibake", "moji.txt", (TEXT + "CafÃ© crÃ¨me, itâ€™s greatÂ \n").encode()),
    Case("blank-lines-everywhere", "gaps.txt", ("\n\n".join(ARTICLE + COMMENTS) + "\n\n\n").encode()),
    Case("long-lines", "wide.txt", ("\n".join([ARTICLE[0] * 300, *COMMENTS]) + "\n").encode()),
    Case("name-with-spaces", "my post (copy) #2.txt", TEXT.encode()),
    Case("name-with-unicode", "caf\u00e9 \u65e5\u672c.txt", TEXT.encode()),
    Case("name-with-leading-dash", "-rf.txt", TEXT.encode()),
    Case("name-like-an-option", "--help.txt", TEXT.encode()),
    Case("nested-folder", "2013/04/the post.txt", TEXT.encode()),
]
REFUSED = [c for c in CASES if c.refused]
PROCESSED = [c for c in CASES if not c.refused]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def raw_with(tmp_path: Path, name: str, data: bytes) -> Path:
    raw = tmp_path / "raw"
    (raw / name).parent.mkdir(parents=True, exist_ok=True)
    (raw / GOOD).write_text(TEXT, encoding="utf-8")
    (raw / name).write_bytes(data)
    return raw


def assert_one_error_line(result: Result, subject: str, *needles: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"threadloom: {subject}: "), lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert "Traceback" not in result.output


def assert_nothing_written(tmp_path: Path) -> None:
    """No release folder and no hidden staging folder next to where it would have gone."""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]


def thread_of(release: Path, source_file: str) -> dict[str, object]:
    return next(t for t in read_rows(release, "threads") if t["source_file"] == source_file)


# --- the corpus -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", REFUSED, ids=[c.id for c in REFUSED])
def test_hostile_document_stops_the_build_with_one_line_and_writes_nothing(
    case: Case, tmp_path: Path
) -> None:
    raw = raw_with(tmp_path, case.name, case.data)
    result = run("build", raw, "--out", tmp_path / "rel")
    assert case.refused is not None
    assert_one_error_line(result, case.name, case.refused)
    assert_nothing_written(tmp_path)


@pytest.mark.parametrize("case", REFUSED, ids=[c.id for c in REFUSED])
def test_skip_bad_lists_the_hostile_document_in_a_valid_release(case: Case, tmp_path: Path) -> None:
    raw = raw_with(tmp_path, case.name, case.data)
    result = run("build", raw, "--out", tmp_path / "rel", "--skip-bad")
    assert result.exit_code == 0, result.output
    out = tmp_path / "rel"
    (entry,) = json.loads((out / "skipped.json").read_text(encoding="utf-8"))["skipped"]
    assert entry["file"] == case.name and case.refused in entry["reason"]
    assert validate_release(out).problems == []
    assert [t["source_file"] for t in read_rows(out, "threads")] == [GOOD]
    assert f"threadloom: {case.name}: skipped: " in result.stderr


@pytest.mark.parametrize("case", PROCESSED, ids=[c.id for c in PROCESSED])
def test_hostile_document_is_processed_into_a_valid_release(case: Case, tmp_path: Path) -> None:
    raw = raw_with(tmp_path, case.name, case.data)
    result = run("build", raw, "--out", tmp_path / "rel")
    assert result.exit_code == 0, result.output
    out = tmp_path / "rel"
    assert validate_release(out).problems == []
    assert (out / "raw" / case.name).read_bytes() == case.data
    assert thread_of(out, case.name)["thread_id"] == sources.thread_id_for(case.name)


@pytest.mark.parametrize("case", PROCESSED, ids=[c.id for c in PROCESSED])
def test_processed_hostile_document_loses_no_text(case: Case, tmp_path: Path) -> None:
    """Every non-blank raw line is in the article or in exactly one comment's span."""
    out = api.build(raw_with(tmp_path, case.name, case.data), tmp_path / "rel").out
    thread = thread_of(out, case.name)
    n = int(str(thread["n_raw_lines"]))
    article_end = int(str(thread["article_raw_line_end"] or 0))
    owners = [0] * (n + 1)
    for comment in read_rows(out, "comments"):
        if comment["source_file"] == case.name:
            for number in range(comment["raw_line_start"], comment["raw_line_end"] + 1):
                owners[number] += 1
    lines = [content for _, content in split_raw_lines(case.data.decode("utf-8"))]  # not splitlines()
    assert len(lines) == n
    for number, line in enumerate(lines, start=1):
        if number > article_end and line.replace("\ufeff", "").strip():
            assert owners[number] == 1, (number, line)


def test_utf8_byte_order_mark_is_kept_in_raw_and_its_removal_is_a_recorded_repair(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + TEXT.encode()
    out = api.build(raw_with(tmp_path, "bom8.txt", data), tmp_path / "rel").out
    thread = thread_of(out, "bom8.txt")
    assert (out / "raw" / "bom8.txt").read_bytes() == data
    repairs = [r for r in thread["article_repairs"]]  # type: ignore[attr-defined]
    assert [(r["raw_char_start"], r["before"], r["after"], r["rule"]) for r in repairs] == [
        (0, "\ufeff", "", "byte_order_mark")
    ]
    assert not str(thread["article_text"]).startswith("\ufeff")


def test_lone_carriage_returns_end_lines_like_newlines(tmp_path: Path) -> None:
    out = api.build(raw_with(tmp_path, "mac.txt", TEXT.replace("\n", "\r").encode()), tmp_path / "rel").out
    mac, unix = thread_of(out, "mac.txt"), thread_of(out, GOOD)
    assert mac["n_raw_lines"] == unix["n_raw_lines"] == len(ARTICLE + COMMENTS)
    assert mac["n_comments"] == unix["n_comments"]


def test_invalid_utf8_message_suggests_a_conversion_and_never_guesses(tmp_path: Path) -> None:
    raw = raw_with(tmp_path, "latin1.txt", "Caf\u00e9\n".encode("latin-1"))
    result = run("build", raw, "--out", tmp_path / "rel")
    assert_one_error_line(result, "latin1.txt", "never guesses", "iconv -f cp1252 -t utf-8")


def test_every_bad_document_is_listed_when_skipping(tmp_path: Path) -> None:
    raw = raw_with(tmp_path, "empty.txt", b"")
    for case in REFUSED:
        (raw / case.name).write_bytes(case.data)
    out = api.build(raw, tmp_path / "rel", skip_bad=True).out
    listed = json.loads((out / "skipped.json").read_text(encoding="utf-8"))["skipped"]
    assert sorted(e["file"] for e in listed) == sorted(c.name for c in REFUSED)
    card = (out / "README.md").read_text("utf-8")
    assert f"{len(REFUSED)} file(s) of the raw directory were refused" in card
    assert validate_release(out).ok


def test_skipped_list_is_covered_by_the_manifest(tmp_path: Path) -> None:
    out = api.build(raw_with(tmp_path, "empty.txt", b""), tmp_path / "rel", skip_bad=True).out
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "skipped.json" in {f["path"] for f in manifest["files"]}


def test_release_without_bad_documents_has_no_skipped_list(tmp_path: Path) -> None:
    out = api.build(raw_with(tmp_path, "crlf.txt", TEXT.encode()), tmp_path / "rel", skip_bad=True).out
    assert not (out / "skipped.json").exists()


def test_a_raw_directory_of_only_bad_documents_is_refused_even_when_skipping(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "empty.txt").write_bytes(b"")
    result = run("build", raw, "--out", tmp_path / "rel", "--skip-bad")
    assert_one_error_line(result, str(raw), "every document was refused (1 skipped)")
    assert_nothing_written(tmp_path)


def test_duplicate_thread_id_is_skipped_when_skipping(tmp_path: Path) -> None:
    # a clean name that happens to equal the sanitised id of another file, hash suffix included
    taken = sources.thread_id_for("post 1.txt")
    raw = raw_with(tmp_path, "post 1.txt", TEXT.encode())
    (raw / f"{taken}.txt").write_text(TEXT, encoding="utf-8")
    out = api.build(raw, tmp_path / "rel", skip_bad=True).out
    (entry,) = json.loads((out / "skipped.json").read_text(encoding="utf-8"))["skipped"]
    assert "already taken" in entry["reason"]


# --- processing failures ----------------------------------------------------------------------


def _crash_on(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    real = api.process_document

    def crash(doc: sources.RawDocument) -> object:
        if doc.source_file == name:
            raise IndexError("list index out of range\nsecond line")
        return real(doc)

    monkeypatch.setattr(api, "process_document", crash)


def test_a_crash_while_processing_names_the_file_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = raw_with(tmp_path, "crash.txt", TEXT.encode())
    _crash_on(monkeypatch, "crash.txt")
    result = run("build", raw, "--out", tmp_path / "rel")
    assert_one_error_line(result, "crash.txt", "processing failed: IndexError: list index out of range")
    assert_nothing_written(tmp_path)


def test_a_crash_while_processing_is_skipped_when_skipping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = raw_with(tmp_path, "crash.txt", TEXT.encode())
    _crash_on(monkeypatch, "crash.txt")
    out = api.build(raw, tmp_path / "rel", skip_bad=True).out
    (entry,) = json.loads((out / "skipped.json").read_text(encoding="utf-8"))["skipped"]
    assert entry["file"] == "crash.txt" and "IndexError" in entry["reason"]
    assert validate_release(out).ok


# --- links, special files, permissions ---------------------------------------------------------


def test_link_to_a_document_inside_is_read_once_under_its_own_name(tmp_path: Path) -> None:
    raw = raw_with(tmp_path, "other.txt", TEXT.encode())
    (raw / "alias.txt").symlink_to(raw / GOOD)
    collection = sources.load_collection(raw)
    assert [d.source_file for d in collection.documents] == [GOOD, "other.txt"]
    assert "alias.txt" in collection.ignored


def test_link_to_a_file_outside_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET OUTSIDE TEXT\n", encoding="utf-8")
    raw = raw_with(tmp_path, "other.txt", TEXT.encode())
    (raw / "escape.txt").symlink_to(secret)
    result = run("build", raw, "--out", tmp_path / "rel")
    assert_one_error_line(result, "escape.txt", "outside the raw directory", "not followed")
    assert not (tmp_path / "rel").exists()


def test_link_to_a_file_outside_is_skipped_and_its_text_is_not_in_the_release(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET OUTSIDE TEXT\n", encoding="utf-8")
    raw = raw_with(tmp_path, "other.txt", TEXT.encode())
    (raw / "escape.txt").symlink_to(secret)
    out = api.build(raw, tmp_path / "rel", skip_bad=True).out
    for path in out.rglob("*"):
        assert not path.is_symlink()
        if path.is_file():
            assert b"SECRET OUTSIDE" not in path.read_bytes(), path


def test_link_to_a_folder_outside_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "far.txt").write_text(TEXT, encoding="utf-8")
    raw = raw_with(tmp_path, "other.txt", TEXT.encode())
    (raw / "linked").symlink_to(elsewhere, target_is_directory=True)
    error = _load_error(raw)
    assert error.subject == "linked" and "folder outside the raw directory" in error.reason


def test_broken_link_named_like_a_document_is_refused(tmp_path: Path) -> None:
    raw = raw_with(tmp_path, "other.txt", TEXT.encode())
    (raw / "gone.txt").symlink_to(raw / "nowhere.txt")
    error = _load_error(raw)
    assert error.subject == "gone.txt" and "broken symbolic link" in error.reason


def test_link_as_a_sidecar_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "meta.json"
    outside.write_text('{"title": "x"}', encoding="utf-8")
    raw = raw_with(tmp_path, "other.txt", TEXT.encode())
    (raw / "other.meta.json").symlink_to(outside)
    assert _load_error(raw).subject == "other.meta.json"


def test_document_whose_sidecar_is_refused_is_skipped_without_reading_the_sidecar(tmp_path: Path) -> None:
    raw = raw_with(tmp_path, "other.txt", TEXT.encode())
    os.mkfifo(raw / "other.meta.json")  # reading it would block forever
    collection = sources.load_collection(raw, skip_bad=True)
    assert [d.source_file for d in collection.documents] == [GOOD]
    assert {s.file for s in collection.skipped} == {"other.meta.json", "other.txt"}


def test_fifo_named_like_a_document_is_refused_without_blocking(tmp_path: Path) -> None:
    raw = raw_with(tmp_path, "other.txt", TEXT.encode())
    os.mkfifo(raw / "pipe.txt")
    error = _load_error(raw)
    assert error.subject == "pipe.txt" and "a FIFO" in error.reason


def test_unreadable_document_is_refused_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = raw_with(tmp_path, "locked.txt", TEXT.encode())
    real = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    result = run("build", raw, "--out", tmp_path / "rel")
    assert_one_error_line(result, "locked.txt", "cannot be read: permission denied")
    assert_nothing_written(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_document_on_disk_is_refused_naming_it(tmp_path: Path) -> None:
    raw = raw_with(tmp_path, "locked.txt", TEXT.encode())
    (raw / "locked.txt").chmod(0)
    try:
        assert "cannot be read" in _load_error(raw).reason
    finally:
        (raw / "locked.txt").chmod(0o644)


def test_unlistable_folder_is_refused_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = raw_with(tmp_path, "sub/inner.txt", TEXT.encode())
    real = os.scandir

    def deny(path: object = ".") -> object:
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", deny)
    error = _load_error(raw)
    assert error.subject == "sub" and "cannot be listed: permission denied" in error.reason


def _load_error(raw: Path) -> sources.ThreadloomError:
    with pytest.raises(sources.ThreadloomError) as info:
        sources.load_collection(raw)
    assert "\n" not in str(info.value)
    return info.value


def test_raw_directory_named_with_a_leading_dash_builds_after_a_double_dash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    raw = Path("-raw")
    raw.mkdir()
    (raw / "-post.txt").write_text(TEXT, encoding="utf-8")
    result = run("build", "--out", "rel", "--", "-raw")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "rel" / "raw" / "-post.txt").is_file()


def test_sidecar_suffixes_agree_between_the_walk_and_the_reader() -> None:
    assert set(intake.SIDECAR_SUFFIXES) == {sources.META_SUFFIX, sources.CORRECTIONS_SUFFIX}


# --- size -------------------------------------------------------------------------------------


def test_a_50_mb_single_line_builds_and_validates_quickly(tmp_path: Path) -> None:
    rng = random.Random(50)
    words = ["trail", "bridge", "gravel", "rain", "volunteer", "boardwalk", "sealant", "north"]
    line = " ".join(rng.choice(words) for _ in range(8_000_000))[: 50 * 1024 * 1024]
    raw = raw_with(tmp_path, "huge.txt", (ARTICLE[0] + "\n" + line + "\n").encode())
    started = time.monotonic()
    out = api.build(raw, tmp_path / "rel").out
    assert time.monotonic() - started < 60
    assert validate_release(out).ok
    assert (out / "raw" / "huge.txt").stat().st_size > 50 * 1024 * 1024 - 1


# Inference is linear in the number of lines (about 0.1 ms a line here); the bound leaves room for a
# slow CI machine while still failing on anything quadratic (which took hours at this size).
TALL_SECONDS = 120


def test_a_200000_line_document_is_processed_in_bounded_time(tmp_path: Path) -> None:
    lines = [ARTICLE[0], ARTICLE[1]]
    lines += [f"Comment {i}: thanks, this helped with my own trail {i % 97}." for i in range(199_998)]
    doc = tmp_path / "tall.txt"
    doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from threadloom.pipeline import process_text; "
        "t = process_text(Path(sys.argv[1]).read_text(encoding='utf-8'), 'tall.txt'); "
        "assert len(t.lines) == 200000"
    )
    subprocess.run([sys.executable, "-c", code, str(doc)], check=True, timeout=TALL_SECONDS)
