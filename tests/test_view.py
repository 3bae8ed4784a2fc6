"""`threadloom view`: the release as one self-contained HTML page. The page is opened in real
headless Chromium: the DOM it renders is checked against the dataset, the network log shows no
request leaving the page, and a screenshot is inspected."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from pngread import colours
from release_tools import read_rows
from threadloom.api import build
from threadloom.cli import main
from threadloom.view import render_page, render_view, script_json, view_data

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run installs it)")
CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


def chromium(profile: Path, url: str, *extra: str) -> str:
    """Run headless Chromium on `url` with a fresh profile; its stdout."""
    assert CHROMIUM is not None
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
            "--hide-scrollbars", f"--user-data-dir={profile}", *extra, url]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


class Comments(HTMLParser):
    """Every <article class="c"> of a page: its attributes and the comment it is nested in."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, Any]] = []
        self.stack: list[str | None] = []  # data-id of every open <article>, None for others
        self.marks: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "lines" in a.get("class", "").split():
            self.links.append(a["href"])
        if tag == "mark" and "repair" in a.get("class", ""):
            self.marks.append(a.get("title", ""))
        if tag != "article":
            return
        is_comment = "c" in a.get("class", "").split()
        if is_comment:
            outer = next((x for x in reversed(self.stack) if x is not None), None)
            nesting = sum(x is not None for x in self.stack) + 1
            self.found.append({**a, "nested_in": outer, "nesting": nesting})
        self.stack.append(a["data-id"] if is_comment else None)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.stack.pop()


def parse(dom: str) -> Comments:
    parser = Comments()
    parser.feed(dom)
    return parser


@pytest.fixture(scope="module")
def page(mixed_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("view") / "release.html"
    result = CliRunner().invoke(main, ["view", str(mixed_release), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def doms(page: Path, mixed_release: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The DOM of the page after its script ran, with each thread selected."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    profile = tmp_path_factory.mktemp("profile")
    return {t["thread_id"]: chromium(profile, f"{page.as_uri()}#t={quote(t['thread_id'])}", "--dump-dom")
            for t in read_rows(mixed_release, "threads")}


# ---- the page as written ----------------------------------------------------------------------


def test_embedded_json_cannot_end_the_script() -> None:
    value = {"text": "</script><script>alert(1)</script> <!-- \u2028"}
    text = script_json(value)
    assert "</" not in text and "<!--" not in text and "\u2028" not in text
    assert json.loads(text) == value


def test_page_forbids_every_request_and_references_nothing_outside(small_release: Path) -> None:
    html = render_view(small_release)
    assert f'content="{CSP}"' in html
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", html, re.I)
    assert "<link" not in html and "@import" not in html and "url(" not in html


def test_view_data_matches_the_release(mixed_release: Path) -> None:
    data = view_data(mixed_release)
    comments = read_rows(mixed_release, "comments")
    assert sum(len(t["comments"]) for t in data["threads"]) == len(comments)
    assert [t["id"] for t in data["threads"]] == [t["thread_id"] for t in read_rows(mixed_release, "threads")]


def test_view_of_a_few_threads_of_a_large_release(mixed_release: Path, tmp_path: Path) -> None:
    """A crawl's release holds thousands of threads: --limit takes the first N, --thread names
    them; each shown thread is whole."""
    every = view_data(mixed_release)["threads"]
    assert len(every) > 2
    assert view_data(mixed_release, limit=2)["threads"] == every[:2]
    wanted = [every[-1]["id"], every[0]["id"]]
    assert view_data(mixed_release, thread_ids=wanted)["threads"] == [every[-1], every[0]]
    out = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["view", str(mixed_release), "--out", str(out), "--thread", "nope"])
    assert result.exit_code == 1 and result.output.startswith("threadloom: nope: no such thread")
    result = CliRunner().invoke(main, ["view", str(mixed_release), "--out", str(out), "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert len(view_data_in(out)["threads"]) == 1


def view_data_in(page: Path) -> Any:
    opening = '<script type="application/json" id="threadloom-data">'
    text = page.read_text(encoding="utf-8")
    start = text.index(opening) + len(opening)
    return json.loads(text[start : text.index("</script>", start)])


def test_the_page_is_written_a_thread_at_a_time_as_one_valid_object(mixed_release: Path,
                                                                       tmp_path: Path) -> None:
    """`view` streams the embedded JSON thread by thread (a crawl's page: 1.7 GB -> 350 MB): it
    parses back to the object `view_data` builds whole, and is the page `render_view` gives."""
    out = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["view", str(mixed_release), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert view_data_in(out) == view_data(mixed_release)
    assert out.read_text(encoding="utf-8") == render_view(mixed_release)


def test_a_view_that_fails_midway_leaves_the_earlier_page(mixed_release: Path, tmp_path: Path) -> None:
    release = Path(shutil.copytree(mixed_release, tmp_path / "release"))
    out = tmp_path / "page.html"
    out.write_text("the earlier page", encoding="utf-8")
    last = read_rows(release, "threads")[-1]
    (release / "raw" / last["source_file"]).unlink()  # the last thread's raw file: found last
    result = CliRunner().invoke(main, ["view", str(release), "--out", str(out)])
    assert result.exit_code == 1 and result.output.startswith("threadloom: ") and "missing" in result.output
    assert out.read_text(encoding="utf-8") == "the earlier page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html", "release"]


def test_view_command_writes_beside_the_release_by_default(small_release: Path, tmp_path: Path) -> None:
    release = Path(shutil.copytree(small_release, tmp_path / "0.1.0"))
    result = CliRunner().invoke(main, ["view", str(release)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(tmp_path / "0.1.0.html")
    assert (tmp_path / "0.1.0.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_view_command_on_a_missing_folder_exits_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["view", str(tmp_path / "nope")])
    assert result.exit_code == 1 and result.output.startswith("threadloom: ")


def test_view_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["view", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


# ---- the page in Chromium ---------------------------------------------------------------------


def test_dom_has_every_comment_nested_under_its_parent(doms: dict[str, str], mixed_release: Path) -> None:
    comments = read_rows(mixed_release, "comments")
    for thread_id, dom in doms.items():
        rows = [c for c in comments if c["thread_id"] == thread_id]
        found = parse(dom).found
        assert len(found) == len(rows), thread_id
        for row, node in zip(rows, found, strict=True):
            short = row["comment_id"].rsplit("/", 1)[1]
            parent = row["parent_id"].rsplit("/", 1)[1] if row["parent_id"] else None
            assert (node["data-id"], node["nested_in"]) == (short, parent)
            assert node["nesting"] == row["depth"] == int(node["data-depth"])


@pytest.fixture(scope="module")
def dated_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A crawled page with a header over each comment ("Ivy says:", then its date)."""
    raw = tmp_path_factory.mktemp("dated") / "raw"
    raw.mkdir()
    lines = ["Pruning roses is easier than most gardeners think, and late winter is the time.",
             "Start by removing any dead or damaged canes, cutting back to healthy white pith.",
             "2 Responses"]
    for k, (name, words) in enumerate([("Ivy", "Great post! I always wondered when to prune mine."),
                                       ("Pete Hall", "Do you seal the cuts afterwards, or leave them?")]):
        lines += [f"{name} says:", f"March {k + 3}, 2014 at 9:{k}5 pm", words, "Reply"]
    (raw / "roses.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return build(raw, raw.parent / "release").out


def test_each_comment_shows_the_date_its_page_gives(dated_release: Path, mixed_release: Path,
                                                     tmp_path: Path) -> None:
    dates = [c["date"] for t in view_data(dated_release)["threads"] for c in t["comments"]]
    assert dates == ["2014-03-03T21:05", "2014-03-04T21:15"]
    assert all(c["date"] is None for t in view_data(mixed_release)["threads"] for c in t["comments"])
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    out = tmp_path / "dated.html"
    assert CliRunner().invoke(main, ["view", str(dated_release), "--out", str(out)]).exit_code == 0
    dom = chromium(tmp_path / "profile", out.as_uri(), "--dump-dom")
    assert re.findall(r'<time class="date" datetime="([^"]+)"', dom) == dates


def test_dom_links_every_comment_to_its_raw_lines(doms: dict[str, str], mixed_release: Path) -> None:
    comments = read_rows(mixed_release, "comments")
    for thread_id, dom in doms.items():
        page = parse(dom)
        rows = [c for c in comments if c["thread_id"] == thread_id]
        assert page.links == [f"#L{c['raw_line_start']}-L{c['raw_line_end']}" for c in rows]
        lines = [n for c in rows for n in range(c["raw_line_start"], c["raw_line_end"] + 1)]
        assert all(f"L{n}" in page.ids for n in lines)


def test_dom_highlights_every_repair_with_the_original(doms: dict[str, str], mixed_release: Path) -> None:
    threads = {t["thread_id"]: t for t in read_rows(mixed_release, "threads")}
    for thread_id, dom in doms.items():
        marks = parse(dom).marks
        assert len(marks) == threads[thread_id]["n_repairs"], thread_id
        assert all(m.startswith("original: ") for m in marks)
    assert any(threads[t]["n_repairs"] for t in threads), "the test needs a thread with repairs"


@needs_chromium
def test_filter_shows_only_doubtful_decisions(page: Path, mixed_release: Path, tmp_path: Path) -> None:
    thread = read_rows(mixed_release, "threads")[0]["thread_id"]
    dom = chromium(tmp_path, f"{page.as_uri()}#t={quote(thread)}&doubtful=0.6", "--dump-dom")
    kinds = ("boundary", "parent", "speaker", "post_author")
    doubtful = [c["comment_id"].rsplit("/", 1)[1] for c in read_rows(mixed_release, "comments")
                if c["thread_id"] == thread and min(c[f"{k}_confidence"] for k in kinds) < 0.6]
    assert [c["data-id"] for c in parse(dom).found] == doubtful


@needs_chromium
def test_thousands_of_comments_render_in_chunks(tmp_path: Path) -> None:
    n = 3000
    raw = [f"comment number {i}" for i in range(n)]
    decision = {k: 0.9 for k in ("boundary", "parent", "speaker", "post_author")}
    comments = [{"id": f"L{i + 1}", "start": i + 1, "end": i + 1, "parent": f"L{i}" if i % 2 else None,
                 "depth": 2 if i % 2 else 1, "speaker": f"anon-{i}", "name": None, "author": False,
                 "conf": decision, "ev": {k: ["synthetic"] for k in decision}, "repairs": []}
                for i in range(n)]
    thread = {"id": "big", "source_file": "big.txt", "title": "big", "url": None, "post_author": None,
              "post_author_confidence": 0.0, "article_end": 0, "article_confidence": 0.0,
              "article_evidence": [], "article_repairs": [], "raw": raw, "corrections": None,
              "speakers": {}, "comments": comments}
    out = tmp_path / "big.html"
    out.write_text(render_page({"dataset": "big", "version": "0", "threads": [thread]}), encoding="utf-8")
    dom = chromium(tmp_path / "profile", out.as_uri(), "--dump-dom")
    assert len(parse(dom).found) == 200
    assert "2800 not shown yet" in dom


@needs_chromium
def test_no_request_leaves_the_page(page: Path, tmp_path: Path) -> None:
    def page_requests(url: str, name: str) -> list[str]:
        log = tmp_path / f"{name}.json"
        chromium(tmp_path / name, url, f"--log-net-log={log}", "--dump-dom")
        net = json.loads(log.read_text(encoding="utf-8"))
        # requests a page makes carry its site (file://) in their isolation key; Chromium's own
        # background requests (updates, sign-in) do not
        params = [e.get("params", {}) for e in net["events"]]
        return [p["url"] for p in params if "url" in p and "file://" in str(p.get("network_isolation_key"))]

    control = tmp_path / "control.html"
    control.write_text('<img src="http://127.0.0.1:9/leak.png">', encoding="utf-8")
    assert any("leak.png" in u for u in page_requests(control.as_uri(), "control")), "the check sees requests"
    assert page_requests(page.as_uri(), "page") == []


@needs_chromium
def test_screenshot_shows_the_page(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "view.png"
    chromium(tmp_path / "profile", page.as_uri(), f"--screenshot={shot}", "--window-size=1200,900")
    width, height, seen, ink = colours(shot)
    assert (width, height) == (1200, 900)
    assert len(seen) > 50, "the screenshot is nearly blank"
    assert 0.05 < ink < 0.95


@needs_chromium
def test_corrected_decisions_are_marked_and_their_file_is_offered(tmp_path: Path, small_raw: Path) -> None:
    raw = Path(shutil.copytree(small_raw, tmp_path / "raw"))
    first = build(raw, tmp_path / "plain").out
    row = next(c for c in read_rows(first, "comments") if c["parent_id"] is not None)
    stem = row["source_file"][: -len(".txt")]
    fix = {"parents": [{"comment": row["comment_id"].rsplit("/", 1)[1], "parent": None}]}
    (raw / f"{stem}.corrections.json").write_text(json.dumps(fix), encoding="utf-8")
    release = build(raw, tmp_path / "corrected").out
    out = tmp_path / "page.html"
    assert CliRunner().invoke(main, ["view", str(release), "--out", str(out)]).exit_code == 0
    dom = chromium(tmp_path / "profile", f"{out.as_uri()}#t={quote(row['thread_id'])}", "--dump-dom")
    assert 'class="conf human" data-kind="parent"' in dom
    shown = re.search(r'<pre id="corrections-json">(.*?)</pre>', dom, re.S)
    assert shown and json.loads(shown.group(1).replace("&quot;", '"')) == fix
