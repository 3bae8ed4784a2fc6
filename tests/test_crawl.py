"""`threadloom crawl` and `threadloom merge` on datatrove (the `crawl` extra): inputs, releases
that validate, identical output whatever the workers or engine, summaries and errors."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from threads import ROSES, ROSES_ARTICLE_END, ROSES_STARTS

pytest.importorskip("datatrove")

from threadloom import publish
from threadloom.cli import main
from threadloom.crawl.run import crawl
from threadloom.validate import validate_release

ARTICLE = ROSES[:ROSES_ARTICLE_END]
COMMENTS = ROSES[ROSES_ARTICLE_END:]


def records() -> list[dict[str, Any]]:
    """Threads (the roses thread, reworded a little each time, one with mojibake) and articles."""
    out: list[dict[str, Any]] = []
    for i in range(6):
        article = [f"{line} (part {i})" for line in ARTICLE]
        out.append({"body": "\n".join(article + COMMENTS), "rid": f"<urn:uuid:t{i}>",
                    "link": f"https://garden{i}.example/roses/{i}", "when": "2021-06-0" + str(i + 1)})
        out.append({"body": "\n".join(article), "rid": f"<urn:uuid:a{i}>", "link": f"https://shop.example/{i}"})
    out[0]["body"] = out[0]["body"].replace("Thanks for the clear", "Thanks for the clearâ€”and")
    out.append({"body": "", "rid": "<urn:uuid:empty>"})
    return out


def write_inputs(folder: Path) -> Path:
    """The same records spread over JSONL, JSONL.gz, JSONL.zst and Parquet files."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import zstandard

    folder.mkdir(parents=True, exist_ok=True)
    rows = records()
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in rows]
    (folder / "a.jsonl").write_text("".join(lines[0::4]), encoding="utf-8")
    with gzip.open(folder / "b.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("".join(lines[1::4]))
    zst = zstandard.ZstdCompressor().compress("".join(lines[2::4]).encode())
    (folder / "c.jsonl.zst").write_bytes(zst)
    part = rows[3::4]
    table = pa.table({key: [r.get(key) for r in part] for key in ("body", "rid", "link", "when")})
    pq.write_table(table, folder / "d.parquet")
    return folder


COLUMNS = ["--text-column", "body", "--id-column", "rid", "--url-column", "link", "--date-column", "when"]


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def crawl_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inputs(tmp_path_factory.mktemp("crawl") / "in")


@pytest.fixture(scope="module")
def one_worker_release(crawl_inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("one") / "release"
    result = run_cli("crawl", str(crawl_inputs), "--out", str(out), *COLUMNS, "--version", "0.1.0", "-q")
    assert result.exit_code == 0, result.output
    return out


def listing(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_crawl_of_jsonl_gz_zst_and_parquet_writes_a_valid_release(one_worker_release: Path) -> None:
    report = validate_release(one_worker_release)
    assert report.ok, report.problems
    assert report.counts["threads"] == 6


def test_crawl_carries_url_site_and_date_into_threads(one_worker_release: Path) -> None:
    import pyarrow.parquet as pq

    rows = pq.read_table(one_worker_release / "data/threads/train-00000-of-00001.parquet").to_pylist()
    by_url = {r["url"]: r for r in rows}
    row = by_url["https://garden2.example/roses/2"]
    assert row["site"] == "garden2.example" and row["published"] == "2021-06-03"
    assert (one_worker_release / "raw" / row["source_file"]).is_file()


def test_a_crawl_spreads_its_raw_copies_over_folders(one_worker_release: Path) -> None:
    """The Hub advises fewer than 10,000 entries per folder: raw/ holds 256 folders at most."""
    import pyarrow.parquet as pq

    rows = pq.read_table(one_worker_release / "data/threads/train-00000-of-00001.parquet").to_pylist()
    for row in rows:
        folder, name = row["source_file"].split("/")
        assert len(folder) == 2 and int(folder, 16) < 256 and name == f"{row['thread_id']}.txt"
    assert {p.parent.name for p in (one_worker_release / "raw").rglob("*.txt")} == {
        row["source_file"].split("/")[0] for row in rows}
    assert not any(p.is_file() for p in (one_worker_release / "raw").iterdir())


def test_crawl_prints_a_summary_with_skipped_and_rejected_reasons(crawl_inputs: Path, tmp_path: Path) -> None:
    result = run_cli("crawl", str(crawl_inputs), "--out", str(tmp_path / "r"), *COLUMNS, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["documents"] == 13 and summary["threaded"] == 6
    assert sum(summary["skipped"].values()) == 6
    assert summary["rejected"] == {"no text": 1}
    assert summary["comments"] > 0 and summary["peak_rss_mb_per_worker"] > 0


def test_two_local_workers_write_the_same_release_as_one(
    crawl_inputs: Path, one_worker_release: Path, tmp_path: Path
) -> None:
    out = tmp_path / "release"
    result = run_cli("crawl", str(crawl_inputs), "--out", str(out), *COLUMNS, "--version", "0.1.0",
                     "--workers", "2", "-q")
    assert result.exit_code == 0, result.output
    assert listing(out) == listing(one_worker_release)


def test_merge_of_kept_shards_gives_the_same_release(crawl_inputs: Path, one_worker_release: Path,
                                                     tmp_path: Path) -> None:
    work = tmp_path / "work"
    first = run_cli("crawl", str(crawl_inputs), "--out", str(tmp_path / "r1"), "--work", str(work), *COLUMNS,
                    "--version", "0.1.0", "--keep-shards", "-q")
    assert first.exit_code == 0, first.output
    merged = run_cli("merge", str(work), "--out", str(tmp_path / "r2"), "--version", "0.1.0", "-q")
    assert merged.exit_code == 0, merged.output
    assert listing(tmp_path / "r2") == listing(one_worker_release)


def test_a_merge_reports_its_progress_to_the_end(crawl_inputs: Path, tmp_path: Path) -> None:
    from threadloom.crawl.merge import MergeProgress, collection_info, merge_shards

    work = tmp_path / "work"
    first = run_cli("crawl", str(crawl_inputs), "--out", str(tmp_path / "r1"), "--work", str(work), *COLUMNS,
                    "--keep-shards", "-q")
    assert first.exit_code == 0, first.output
    seen: list[str] = []

    def show(progress: MergeProgress) -> None:
        seen.append(progress.render())

    merge_shards(work, tmp_path / "r2", collection_info(), progress=show)
    assert seen[-1] == ("threadloom merge: 6 of 6 raw documents, rows: threads 100%, comments 100%, "
                        "speakers 100%")


def test_a_merge_of_many_shards_in_several_passes_gives_the_same_release(
    crawl_inputs: Path, one_worker_release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crawl with more shard row groups than FAN_IN is merged through intermediate runs: two
    at a time here, so three levels of runs, with the shards' rows in several row groups each."""
    from threadloom.crawl import merge, steps

    real_init = steps.ShardWriter.__init__

    def two_threads_per_row_group(writer: Any, work: str, batch_size: int = 0, batch_bytes: int = 0) -> None:
        real_init(writer, work, batch_size=2)

    monkeypatch.setattr(steps.ShardWriter, "__init__", two_threads_per_row_group)
    work = tmp_path / "work"
    first = run_cli("crawl", str(crawl_inputs), "--out", str(tmp_path / "r1"), "--work", str(work), *COLUMNS,
                    "--version", "0.1.0", "--keep-shards", "-q")
    assert first.exit_code == 0, first.output
    assert len(merge.shard_runs(work, "comments")) > 4
    monkeypatch.setattr(merge, "FAN_IN", 2)
    monkeypatch.setattr(merge, "RUN_ROWS", 3)
    intermediate: list[Path] = []
    real_merge_into_file = merge._merge_into_file

    def counted(runs: list[Any], schema: Any, path: Path, run_rows: int) -> Any:
        intermediate.append(path)
        return real_merge_into_file(runs, schema, path, run_rows)

    monkeypatch.setattr(merge, "_merge_into_file", counted)
    merged = run_cli("merge", str(work), "--out", str(tmp_path / "r2"), "--version", "0.1.0", "-q")
    assert merged.exit_code == 0, merged.output
    assert listing(tmp_path / "r2") == listing(one_worker_release)
    assert any(path.name.startswith("run-1-") for path in intermediate)  # a second level of runs
    assert not [p for p in work.iterdir() if p.name.startswith("merge-")]  # the runs are removed


@pytest.fixture(scope="module")
def rows_release(crawl_inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The crawl of `one_worker_release`, its raw documents kept as the rows of the raw config."""
    out = tmp_path_factory.mktemp("rows") / "release"
    result = run_cli("crawl", str(crawl_inputs), "--out", str(out), *COLUMNS, "--version", "0.1.0",
                     "--raw-as", "parquet", "-q")
    assert result.exit_code == 0, result.output
    return out


RAW_ROWS = "data/raw/train-00000-of-00001.parquet"


def test_raw_as_parquet_keeps_every_raw_document_as_a_row_and_the_rest_unchanged(
    one_worker_release: Path, rows_release: Path
) -> None:
    import pyarrow.parquet as pq

    report = validate_release(rows_release)
    assert report.ok, report.problems
    assert report.counts == {"threads": 6, "comments": report.counts["comments"], "speakers":
                             report.counts["speakers"], "raw": 6}
    assert not (rows_release / "raw").exists()
    files, rows = listing(one_worker_release), listing(rows_release)
    for config in ("threads", "comments", "speakers"):  # the same rows, the same bytes
        path = f"data/{config}/train-00000-of-00001.parquet"
        assert rows[path] == files[path]
    raw = pq.read_table(rows_release / RAW_ROWS).to_pylist()
    threads = pq.read_table(rows_release / "data/threads/train-00000-of-00001.parquet").to_pylist()
    assert [r["thread_id"] for r in raw] == [t["thread_id"] for t in threads]  # in the threads' order
    for row in raw:
        assert row["text"].encode("utf-8") == files[f"raw/{row['source_file']}"]
    assert "raw_documents" not in json.loads(rows[publish.MANIFEST])  # the raw rows carry them


def test_raw_rows_are_a_config_of_the_card_the_croissant_and_the_hub_folder(rows_release: Path) -> None:
    import yaml

    card = (rows_release / "README.md").read_text(encoding="utf-8")
    header = yaml.safe_load(card.split("---")[1])
    assert [c["config_name"] for c in header["configs"]] == ["threads", "comments", "speakers", "raw"]
    raw_info = next(c for c in header["dataset_info"] if c["config_name"] == "raw")
    assert raw_info["splits"][0]["num_examples"] == 6
    assert "Four configs" in card and "`raw` config's" in card
    croissant = json.loads((rows_release / "croissant.json").read_text(encoding="utf-8"))
    assert [r["@id"] for r in croissant["recordSet"]][-1] == "raw"
    assert publish.release_hub_problem(rows_release) is None


def test_raw_rows_read_back_the_same_pages_and_exports(one_worker_release: Path, rows_release: Path,
                                                       tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from threadloom.view import render_view

    assert render_view(rows_release) == render_view(one_worker_release)
    tid = pq.read_table(rows_release / RAW_ROWS, columns=["thread_id"])["thread_id"][3].as_py()
    assert render_view(rows_release, thread_ids=[tid]) == render_view(one_worker_release, thread_ids=[tid])
    for release, name in ((rows_release, "rows.jsonl"), (one_worker_release, "files.jsonl")):
        assert run_cli("export", "jsonl", str(release), str(tmp_path / name)).exit_code == 0
    assert (tmp_path / "rows.jsonl").read_bytes() == (tmp_path / "files.jsonl").read_bytes()


def _rewrite_raw_rows(release: Path, change: Any) -> None:
    """Apply `change` to the raw config's rows, and record the new file in the manifest (so only
    the rule about the rows can notice)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from threadloom.release import file_digest

    path = release / RAW_ROWS
    table = pq.read_table(path)
    rows = change(table.to_pylist())
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    manifest = json.loads((release / publish.MANIFEST).read_text(encoding="utf-8"))
    if change is _list_in_manifest:  # a manifest may list the raw checksums: they must be the rows'
        manifest["raw_documents"] = [{"source_file": r["source_file"], "sha256": "0" * 64} for r in rows]
    size, digest = file_digest(path)
    for entry in manifest["files"]:
        if entry["path"] == RAW_ROWS:
            entry.update(bytes=size, sha256=digest)
    (release / publish.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def _edit_text(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows[2]["text"] = rows[2]["text"].replace("roses", "tulips", 1)
    return rows


def _drop_one(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return rows[:1] + rows[2:]


def _rename_one(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows[0]["source_file"] = "ff/elsewhere.txt"
    return rows


def _list_in_manifest(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """No change to the rows; `_rewrite_raw_rows` is told to list them in the manifest, wrongly."""
    return rows


@pytest.mark.parametrize(("change", "expected"), [
    (_edit_text, "the raw row's text does not match its source_sha256"),
    (_drop_one, "0 rows in the raw config, expected 1"),
    (_rename_one, "the raw row names 'ff/elsewhere.txt'"),
    (_list_in_manifest, "raw_documents records a sha256"),
])
def test_validate_finds_raw_rows_that_do_not_match_their_threads(
    rows_release: Path, tmp_path: Path, change: Any, expected: str
) -> None:
    release = tmp_path / "release"
    shutil.copytree(rows_release, release)
    _rewrite_raw_rows(release, change)
    report = validate_release(release)
    assert not report.ok
    assert any(expected in problem for problem in report.problems), report.problems


def test_a_raw_as_parquet_merge_in_several_passes_gives_the_same_release(
    crawl_inputs: Path, rows_release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The raw rows are merged like the other configs: through intermediate runs when there are
    more shard row groups than FAN_IN (one document per shard row group, two runs at a time)."""
    from threadloom.crawl import merge, steps

    real_init = steps.ShardWriter.__init__

    def one_thread_per_row_group(writer: Any, work: str, batch_size: int = 0, batch_bytes: int = 0) -> None:
        real_init(writer, work, batch_size=1)

    monkeypatch.setattr(steps.ShardWriter, "__init__", one_thread_per_row_group)
    monkeypatch.setattr(merge, "FAN_IN", 2)
    monkeypatch.setattr(merge, "DOCUMENT_RUN_ROWS", 1)
    out = tmp_path / "release"
    result = run_cli("crawl", str(crawl_inputs), "--out", str(out), *COLUMNS, "--version", "0.1.0",
                     "--raw-as", "parquet", "--workers", "2", "-q")
    assert result.exit_code == 0, result.output
    assert listing(out) == listing(rows_release)


def test_an_unknown_raw_as_is_refused_before_the_crawl_starts(crawl_inputs: Path, tmp_path: Path) -> None:
    from threadloom.errors import ThreadloomError

    with pytest.raises(ThreadloomError, match="not a way to keep raw documents"):
        crawl([crawl_inputs], tmp_path / "out", raw_as="zip")
    assert not (tmp_path / "out.work").exists()


def test_article_only_pages_are_kept_on_request(crawl_inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "release"
    result = run_cli("crawl", str(crawl_inputs), "--out", str(out), *COLUMNS, "--keep-article-only", "-q")
    assert result.exit_code == 0, result.output
    report = validate_release(out)
    assert report.ok, report.problems
    assert report.counts["threads"] == 12


def test_records_sharing_an_id_with_different_text_are_dropped(tmp_path: Path) -> None:
    thread = "\n".join(ROSES)
    rows = [{"text": thread, "id": "same"}, {"text": thread + "\nMe too!", "id": "same"},
            {"text": thread, "id": "twice"}, {"text": thread, "id": "twice"}]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = crawl([tmp_path / "in"], tmp_path / "out")
    assert result.summary.rejected == {"duplicate id": 2}
    report = validate_release(tmp_path / "out")
    assert report.ok and report.counts["threads"] == 1


def test_txt_documents_are_crawl_inputs_too(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "roses.txt").write_text("\n".join(ROSES), encoding="utf-8")
    meta = json.dumps({"url": "https://garden.example/roses"})
    (docs / "roses.meta.json").write_text(meta, encoding="utf-8")
    result = crawl([docs], tmp_path / "out")
    assert result.summary.threaded == 1
    copies = list((tmp_path / "out" / "raw").rglob("roses.txt"))
    assert [p.read_text(encoding="utf-8") for p in copies] == ["\n".join(ROSES)]


def test_a_crawled_page_that_dates_its_comments_gives_a_dated_valid_release(tmp_path: Path) -> None:
    """A page with a header over each comment ("Ivy says:", then its date): the crawl's release
    dates each comment (schema 1.1.0) and validates."""
    import pyarrow.parquet as pq

    lines = list(ARTICLE)
    for k, start in enumerate(ROSES_STARTS):
        end = ROSES_STARTS[k + 1] if k + 1 < len(ROSES_STARTS) else len(ROSES) + 1
        header = [f"Reader{k} says:", f"March {k + 3}, 2014 at 9:{k}0 am"]
        lines += [*header, *ROSES[start - 1 : end - 1], "Reply"]
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": "\n".join(lines), "id": "roses"}) + "\n", encoding="utf-8")
    result = crawl([path], tmp_path / "out")
    assert result.summary.threaded == 1
    assert validate_release(tmp_path / "out").ok
    rows = pq.read_table(tmp_path / "out/data/comments/train-00000-of-00001.parquet").to_pylist()
    dates = [f"2014-03-{k + 3:02d}T09:{k}0" for k in range(len(ROSES_STARTS))]
    assert [r["published"] for r in rows] == dates


def test_crawl_without_crawl_files_fails_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["crawl", str(tmp_path / "empty"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr.startswith("threadloom: ") and "no crawl files found" in result.stderr


def test_crawl_refuses_a_work_folder_of_another_run(crawl_inputs: Path, tmp_path: Path) -> None:
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "old").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["crawl", str(crawl_inputs), "--out", str(tmp_path / "o"),
                                       "--work", str(tmp_path / "w")])
    assert result.exit_code == 1 and "--resume" in result.stderr


def test_crawl_and_merge_help_show_an_example() -> None:
    for command in ("crawl", "merge"):
        assert "Example:" in run_cli(command, "--help").output


def test_ray_executor_writes_the_same_release(crawl_inputs: Path, one_worker_release: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    ray = pytest.importorskip("ray")
    temp = Path(tempfile.mkdtemp(prefix="tlray-", dir="/tmp"))  # short: Ray's socket paths live in it
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    monkeypatch.setenv("TMPDIR", str(temp))  # datatrove's Ray tasks log under tempfile.gettempdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    try:
        ray.init(num_cpus=2, include_dashboard=False, _temp_dir=str(temp / "ray"), log_to_driver=False)
        from threadloom.crawl.merge import collection_info
        from threadloom.crawl.records import CrawlColumns

        result = crawl([crawl_inputs], temp / "release", executor="ray", workers=2,
                       columns=CrawlColumns("body", "rid", "link", "when"),
                       info=collection_info(version="0.1.0"))
        assert result.summary.threaded == 6
        assert listing(temp / "release") == listing(one_worker_release)
    finally:
        ray.shutdown()
        shutil.rmtree(temp, ignore_errors=True)
        os.environ.pop("RAY_AUTH_MODE", None)


@pytest.mark.parametrize(("batch_bytes", "row_groups"), [(1_000_000, 1), (1, 6)])
def test_writer_flushes_by_bytes_so_a_worker_holds_few_threads(
    crawl_inputs: Path, tmp_path: Path, batch_bytes: int, row_groups: int
) -> None:
    """A worker's buffer is bounded in bytes of thread text, not only in rows: with a 1-byte bound
    each of the six threads is written as soon as it is made."""
    import pyarrow.parquet as pq

    from threadloom.crawl.merge import DOCUMENTS, shard_path
    from threadloom.crawl.records import CrawlColumns
    from threadloom.crawl.run import find_inputs
    from threadloom.crawl.steps import CrawlReader, ShardWriter, TriageStep

    reader = CrawlReader(find_inputs([crawl_inputs]), CrawlColumns("body", "rid", "link", "when"))
    writer = ShardWriter(str(tmp_path), batch_bytes=batch_bytes)
    for _ in writer.run(TriageStep().run(reader.run(None, 0, 1), 0, 1), 0, 1):
        pass
    shard = pq.ParquetFile(tmp_path / shard_path(DOCUMENTS, 0))
    assert (shard.metadata.num_rows, shard.num_row_groups) == (6, row_groups)


def _documents(reader: Any, units: list[Any]) -> list[tuple[str, str]]:
    return [(d.id, d.text) for unit in units for d in reader._read_unit(unit)]


def test_a_gzipped_file_reads_the_same_with_isal_or_the_gzip_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from threadloom.crawl import steps

    lines = [json.dumps({"text": f"page {i} " + "é" * (i % 9), "id": f"p{i}"}) for i in range(300)]
    plain = tmp_path / "pages.jsonl"
    plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
    packed = tmp_path / "pages.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    reader = steps.CrawlReader([str(plain), str(packed)])
    expected = _documents(reader, steps.read_units([str(plain)]))
    assert steps._IGZIP is not None  # the crawl extra installs isal
    assert _documents(reader, steps.read_units([str(packed)])) == expected
    monkeypatch.setattr(steps, "_IGZIP", None)
    assert _documents(reader, steps.read_units([str(packed)])) == expected


def test_a_plain_jsonl_file_read_in_byte_ranges_gives_every_record_once(tmp_path: Path) -> None:
    """Lines of every length, a blank line and a broken one: the units' records, in order, are the
    whole file's, each once, named by its line's byte offset when it has no id or url."""
    from threadloom.crawl.steps import CrawlReader, read_units

    lines = [json.dumps({"text": f"page {i} " + "x" * (i * 7 % 50)}) for i in range(40)]
    lines[7], lines[19] = "", "{not json"
    path = tmp_path / "pages.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reader = CrawlReader([str(path)])
    whole = _documents(reader, read_units([str(path)], split_bytes=10**9))
    assert len(whole) == 39 and whole[0][0].startswith("pages.jsonl_0-")  # from "pages.jsonl@0"
    assert whole[19 - 1][1] == " "  # the broken line: a rejected document (see the test below)
    for split in (1, 13, 100, 555):
        units = read_units([str(path)], split_bytes=split)
        assert units[0].start == 0 and units[-1].stop == path.stat().st_size
        assert all(a.stop == b.start for a, b in itertools.pairwise(units))
        assert _documents(reader, units) == whole, split


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_a_compressed_jsonl_file_read_in_shares_gives_every_record_once(tmp_path: Path, suffix: str) -> None:
    """A compressed file is cut in at most MAX_COMPRESSED_SHARES shares of its decompressed bytes
    (the last to the end, whatever the size estimate): the shares' records are the whole file's,
    each once, named by their uncompressed offsets."""
    import zstandard

    from threadloom.crawl.steps import MAX_COMPRESSED_SHARES, CrawlReader, read_units

    lines = [json.dumps({"text": f"page {i} " + "é" * (i * 7 % 50)}) for i in range(60)]
    lines[7], lines[19] = "", "{not json"
    data = ("\n".join(lines) + "\n").encode()
    path = tmp_path / f"pages{suffix}"
    packed = gzip.compress(data) if suffix.endswith(".gz") else zstandard.ZstdCompressor().compress(data)
    path.write_bytes(packed)
    reader = CrawlReader([str(path)])
    whole = _documents(reader, read_units([str(path)], split_bytes=10**9))
    assert len(whole) == 59 and len(read_units([str(path)], split_bytes=10**9)) == 1
    for split in (1, 97, 301):
        units = read_units([str(path)], split_bytes=split)
        assert 2 <= len(units) <= MAX_COMPRESSED_SHARES and units[-1].stop is None
        assert all(a.stop == b.start for a, b in itertools.pairwise(units))
        assert _documents(reader, units) == whole, split


def test_a_compressed_files_size_is_read_from_its_own_header(tmp_path: Path) -> None:
    """A .gz file's trailer and a .zst frame's header give the decompressed size the shares are
    cut by; without one (a streamed zstd frame, or no frame at all) it is guessed from the size."""
    import zstandard

    from threadloom.crawl.steps import estimated_text_bytes

    data = b'{"text": "page"}\n' * 5000
    sizes = {}
    for name, packed in [("a.jsonl.gz", gzip.compress(data)),
                         ("b.jsonl.zst", zstandard.ZstdCompressor().compress(data)),
                         ("c.jsonl.zst", zstandard.ZstdCompressor(write_content_size=False).compress(data)),
                         ("d.jsonl.zst", b"not a zstd frame")]:
        (tmp_path / name).write_bytes(packed)
        sizes[name] = (estimated_text_bytes(str(tmp_path / name)), 4 * len(packed))
    assert sizes["a.jsonl.gz"][0] == sizes["b.jsonl.zst"][0] == len(data)
    assert all(estimate == guess for estimate, guess in (sizes["c.jsonl.zst"], sizes["d.jsonl.zst"]))


def test_a_damaged_gz_file_read_in_shares_reports_its_damage_once(tmp_path: Path) -> None:
    """The records before the damage are read once each, and only the share holding the damage
    says so: the shares after it stop at it silently."""
    from threadloom.crawl.steps import CrawlReader, read_units

    lines = [json.dumps({"text": f"page {i} " + hashlib.sha256(str(i).encode()).hexdigest() * (i % 5),
                         "id": f"p{i}"}) for i in range(200)]
    packed = gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0)
    path = tmp_path / "pages.jsonl.gz"
    path.write_bytes(packed[: len(packed) * 2 // 3])
    reader = CrawlReader([str(path)])
    whole = _documents(reader, read_units([str(path)], split_bytes=10**9))
    units = read_units([str(path)], split_bytes=1)
    assert len(units) > 1
    shared = _documents(reader, units)
    damaged = [doc for doc in shared if doc[1] == " "]
    assert len(damaged) == 1
    assert [doc for doc in shared if doc[1] != " "] == [doc for doc in whole if doc[1] != " "]
    assert 0 < len(shared) - 1 < len(lines)


def test_a_parquet_file_read_in_row_group_ranges_gives_every_record_once(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from threadloom.crawl.steps import CrawlReader, read_units

    path = tmp_path / "pages.parquet"
    pq.write_table(pa.table({"text": [f"page {i}" for i in range(50)]}), path, row_group_size=7)
    reader = CrawlReader([str(path)])
    whole = _documents(reader, read_units([str(path)], split_bytes=10**9))
    assert len(whole) == 50 and len(read_units([str(path)], split_bytes=10**9)) == 1
    units = read_units([str(path)], split_bytes=1)
    assert len(units) == 8  # one per row group
    assert _documents(reader, units) == whole


def test_reading_files_in_small_shares_writes_the_same_release(
    crawl_inputs: Path, one_worker_release: Path, tmp_path: Path
) -> None:
    from threadloom.crawl.merge import collection_info
    from threadloom.crawl.records import CrawlColumns

    out = tmp_path / "release"
    crawl([crawl_inputs], out, workers=2, split_bytes=300,
          columns=CrawlColumns("body", "rid", "link", "when"), info=collection_info(version="0.1.0"))
    assert listing(out) == listing(one_worker_release)


def test_damaged_inputs_are_counted_as_rejected_and_the_run_finishes(tmp_path: Path) -> None:
    """A truncated .gz keeps the records before the damage; a line that is no JSON object is one
    rejected record; a corrupt Parquet file is refused by name before any work starts."""
    good = [json.dumps({"text": "\n".join(ROSES), "id": f"t{i}"}) + "\n" for i in range(20)]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl.gz").write_bytes(gzip.compress("".join(good).encode())[:-200])
    (folder / "b.jsonl").write_text("[1, 2]\n{oops\n" + good[0].replace('"t0"', '"b0"'), encoding="utf-8")
    result = run_cli("crawl", str(folder), "--out", str(tmp_path / "out"), "--json", "-q")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rejected"] == {"damaged input file (EOFError)": 1, "not a JSON object": 1,
                                   "not a JSON record": 1}
    assert 1 <= summary["threaded"] < 21  # b0, and whatever of a.jsonl.gz came before the damage
    (folder / "c.parquet").write_bytes(b"PAR1 not really")
    refused = run_cli("crawl", str(folder), "--out", str(tmp_path / "out2"), "-q")
    assert refused.exit_code != 0
    assert "c.parquet: not a readable Parquet file" in refused.output
    assert "Traceback" not in refused.output


def test_a_resumed_run_must_read_the_inputs_the_way_the_first_did(crawl_inputs: Path, tmp_path: Path) -> None:
    """Finished tasks and resumed ones only add up when the files and their split are the same."""
    work = tmp_path / "w"
    first = run_cli("crawl", str(crawl_inputs), "--out", str(tmp_path / "o"), "--work", str(work), *COLUMNS,
                    "--keep-shards", "-q")
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(main, ["crawl", str(crawl_inputs), "--out", str(tmp_path / "o2"), "--work",
                                      str(work), *COLUMNS, "--resume", "--split-mb", "2", "-q"])
    assert again.exit_code == 1
    assert again.stderr.startswith("threadloom: ") and "other split_bytes" in again.stderr


def test_shards_of_an_older_work_format_are_neither_merged_nor_resumed(crawl_inputs: Path,
                                                                        tmp_path: Path) -> None:
    """Work format 1 wrote raw copies as raw/<id>.txt and its shards' rows say so: merging them
    with today's layout would give a release whose rows and raw files disagree."""
    work = tmp_path / "w"
    first = run_cli("crawl", str(crawl_inputs), "--out", str(tmp_path / "o"), "--work", str(work), *COLUMNS,
                    "--keep-shards", "-q")
    assert first.exit_code == 0, first.output
    plan = json.loads((work / "plan.json").read_text(encoding="utf-8"))
    del plan["work_format"]
    (work / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    merged = CliRunner().invoke(main, ["merge", str(work), "--out", str(tmp_path / "o2"), "-q"])
    resumed = CliRunner().invoke(main, ["crawl", str(crawl_inputs), "--out", str(tmp_path / "o3"), "--work",
                                        str(work), *COLUMNS, "--resume", "-q"])
    for refused in (merged, resumed):
        assert refused.exit_code == 1
        assert refused.stderr == (f"threadloom: {work}: these shards are in work format 1, this threadloom "
                                  "reads format 2 (rerun the crawl into a new work folder)\n")
    assert not (tmp_path / "o2").exists() and not (tmp_path / "o3").exists()


def test_a_quiet_crawl_prints_no_datatrove_task_logs(crawl_inputs: Path, tmp_path: Path) -> None:
    """datatrove's per-task INFO lines (task launched, pipeline, stats) go to the task log files."""
    work = tmp_path / "w"
    result = run_cli("crawl", str(crawl_inputs), "--out", str(tmp_path / "o"), "--work", str(work), *COLUMNS,
                     "--keep-shards", "-q")
    assert result.exit_code == 0, result.output
    assert "Launching pipeline" not in result.output and "INFO" not in result.output
    assert "Launching pipeline" in (work / "logs" / "logs" / "task_00000.log").read_text(encoding="utf-8")


def test_a_release_past_the_hubs_advice_is_flagged_when_it_is_made(crawl_inputs: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    first = run_cli("crawl", str(crawl_inputs), "--out", str(tmp_path / "r1"), "--work", str(work), *COLUMNS,
                    "--version", "0.1.0", "--keep-shards", "--json")
    assert first.exit_code == 0 and json.loads(first.stdout)["hub_warning"] is None
    monkeypatch.setattr(publish, "HUB_MAX_FILES", 5)  # as if the crawl had threaded 100,000 pages
    merged = run_cli("merge", str(work), "--out", str(tmp_path / "r2"), "--version", "0.1.0")
    assert merged.exit_code == 0
    assert "more than the 5 the Hugging Face Hub advises for one repository; publish will refuse it" in (
        merged.stderr)
    as_json = run_cli("merge", str(work), "--out", str(tmp_path / "r2"), "--version", "0.1.0", "--json")
    assert "publish will refuse it" in json.loads(as_json.stdout)["hub_warning"]
