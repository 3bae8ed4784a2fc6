#!/usr/bin/env python3
"""Crawl benchmark (a script, not a test): triage quality, throughput against ftfy alone,
worker scaling and memory per worker on a synthetic crawl.

    python scripts/benchmark_crawl.py --size-mb 100 --size-mb 1000 --json report.json
    python scripts/benchmark_crawl.py --size-mb 100 --format wet     # the same pages as WET files

The crawl is generated in a temporary folder from the development benchmark
(/work/shared/bench/threads.jsonl, or --bench) and the seed (raw/): its threads flattened as
flatten.py does, mixed with comment-free pages (the same articles alone), every line lightly
reworded so no two pages are the same text, and some pages with mojibake (UTF-8 read as
Windows-1252). About --thread-share of the pages are threads. Nothing of the benchmark is kept.

Figures, per size:
- triage precision and recall on the mixed sample (each bench thread flattened vs its article alone;
  and the harder variants with only the first 1 and 3 comments);
- ftfy.fix_text alone on the pages' text (one core, on up to --ftfy-sample-mb of it);
- `threadloom crawl` end to end (read, triage, thread, write shards, merge the release) with 1 and
  2 workers, alternated --repeat times (best of each reported, every run printed): wall time split
  into start-up (process, imports, worker pool), the tasks, the merge (one process); CPU time of
  all processes and per worker, with each worker's CPU share (CPU / busy wall: below 1 the
  worker did not get a whole core); the idle tail (one worker done, the other still busy);
  MB/s, the ratio to ftfy, the scaling 1 -> 2 workers, peak RSS per worker;
- the merge alone (`threadloom merge` of the first 1-worker run's shards, in its own process)
  and `threadloom validate` of the release: seconds and peak RSS;
- the machine's own scaling right then: two CPU-bound Python processes vs one, measured before,
  between and after the runs (a VM's cores are not always there: on a busy host two processes
  share about one core, and nothing in the guest shows it but this and the CPU share);
- the proof that the repair's ASCII fast path is exact on the generated text.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import itertools
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path("/work/shared/bench/threads.jsonl")
WORD = re.compile(r"[A-Za-z]{4,}")
THREADLOOM = str(Path(sys.executable).parent / "threadloom")  # the console script of this environment


def load_threads(bench: Path) -> list[tuple[list[str], list[list[str]]]]:
    """(article paragraphs, comments' paragraphs) of every bench thread, cleaned like flatten.py."""
    def clean(p: str) -> str:
        return " ".join(p.split())

    threads = []
    for raw in bench.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        t = json.loads(raw)
        article = [clean(p) for p in t.get("article_paragraphs") or [] if clean(p)]
        comments = [[clean(p) for p in c["paragraphs"] if clean(p)] for c in t["comments"]]
        threads.append((article, [c for c in comments if c]))
    return threads


def seed_thread() -> list[str]:
    return [line for p in sorted((ROOT / "raw").glob("*.txt")) for line in p.read_text("utf-8").splitlines()]


class Rewording:
    """Swap about one word in ten for another word of the same corpus: every page differs, the
    shape of every line stays (caches see new text, triage sees the same cues)."""

    def __init__(self, texts: list[str], seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocab = sorted({w for t in texts for w in WORD.findall(t)})

    def line(self, text: str) -> str:
        rng, vocab = self.rng, self.vocab
        return WORD.sub(lambda m: rng.choice(vocab) if rng.random() < 0.1 else m.group(), text)


def mojibake(text: str) -> str:
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

    return text.encode("utf-8").decode("sloppy-windows-1252")


def open_shard(folder: Path, i: int) -> Any:
    """Odd shards gzip-compressed, even ones plain."""
    if i % 2:
        return gzip.open(folder / f"part-{i:03d}.jsonl.gz", "wt", encoding="utf-8")
    return (folder / f"part-{i:03d}.jsonl").open("w", encoding="utf-8")


class WetShard:
    """A WET file written as Common Crawl writes one (a warcinfo record, then a "conversion"
    record per page), each record its own gzip member in the odd shards, plain in the even ones."""

    def __init__(self, folder: Path, i: int) -> None:
        self.packed = bool(i % 2)
        self.handle = (folder / f"part-{i:03d}.warc.wet{'.gz' if self.packed else ''}").open("wb")
        self._record("warcinfo", [("Content-Type", "application/warc-fields")], b"isPartOf: benchmark\r\n")

    def _record(self, kind: str, headers: list[tuple[str, str]], body: bytes) -> None:
        lines = ["WARC/1.0", f"WARC-Type: {kind}", *(f"{k}: {v}" for k, v in headers),
                 f"Content-Length: {len(body)}"]
        record = ("\r\n".join(lines) + "\r\n\r\n").encode() + body + b"\r\n\r\n"
        self.handle.write(gzip.compress(record, compresslevel=6) if self.packed else record)

    def write_page(self, record: dict[str, str]) -> None:
        headers = [("WARC-Target-URI", record["url"]), ("WARC-Date", record["date"] + "T00:00:00Z"),
                   ("WARC-Record-ID", record["id"]), ("Content-Type", "text/plain")]
        self._record("conversion", headers, record["text"].encode("utf-8"))

    def __enter__(self) -> WetShard:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def generate(folder: Path, size_mb: float, threads: list[tuple[list[str], list[list[str]]]],
             seed_lines: list[str], thread_share: float, mojibake_share: float, files: int,
             wet: bool = False) -> dict[str, int]:
    """Write about size_mb of crawl shards (half plain, half gzipped) into folder: JSONL, or WET
    files with `wet` (the same pages: the same records, id and url in the WARC headers)."""
    rng = random.Random(7)
    reword = Rewording([p for a, c in threads for p in a + [q for cc in c for q in cc]], 11)
    sources = [a + [p for c in cs for p in c] for a, cs in threads] + [seed_lines]
    articles = [a for a, _ in threads if len(a) >= 2]
    folder.mkdir(parents=True, exist_ok=True)
    target = size_mb * 1e6
    written = n = n_threads = n_mojibake = 0
    with contextlib.ExitStack() as stack:
        handles = [stack.enter_context(WetShard(folder, i) if wet else open_shard(folder, i))
                   for i in range(files)]
        while written < target:
            is_thread = rng.random() < thread_share
            lines = [reword.line(x) for x in (rng.choice(sources) if is_thread else rng.choice(articles))]
            if rng.random() < mojibake_share:
                k = rng.randrange(len(lines))
                lines[k] = mojibake(lines[k])
                n_mojibake += 1
            text = "\n".join(lines)
            record = {"text": text, "id": f"<urn:uuid:{n:08d}>", "url": f"https://blog{n % 97}.example/p/{n}",
                      "date": "2021-06-01"}
            if wet:
                handles[n % files].write_page(record)
            else:
                handles[n % files].write(json.dumps(record, ensure_ascii=False) + "\n")
            written += len(text.encode("utf-8"))
            n += 1
            n_threads += is_thread
    return {"documents": n, "threads": n_threads, "mojibake_pages": n_mojibake, "text_bytes": written}


def iter_texts(folder: Path, limit_bytes: float = float("inf")) -> Iterator[str]:
    seen = 0
    for path in sorted(folder.glob("part-*")):
        for text in _file_texts(path):
            yield text
            seen += len(text.encode("utf-8"))
            if seen >= limit_bytes:
                return


def _file_texts(path: Path) -> Iterator[str]:
    """The pages' texts of one generated shard, JSONL or WET, plain or gzipped."""
    from threadloom.crawl.wet import wet_pages

    with gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb") as stream:
        if ".wet" in path.name:
            bodies = (page.body for page in wet_pages(stream, 10**9))
            yield from (body.decode("utf-8") for body in bodies if body is not None)
        else:
            yield from (json.loads(raw)["text"] for raw in stream)


def ftfy_rate(folder: Path, sample_mb: float) -> tuple[float, float]:
    """MB/s of ftfy.fix_text alone, on one core, over the first sample_mb of the pages' text."""
    import ftfy

    texts = list(iter_texts(folder, sample_mb * 1e6))
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    start = time.perf_counter()
    for text in texts:
        ftfy.fix_text(text)
    return size / (time.perf_counter() - start), size


def triage_quality(threads: list[tuple[list[str], list[list[str]]]]) -> dict[str, dict[str, float]]:
    from threadloom.triage import triage_text

    negatives = ["\n".join(a) for a, _ in threads if a]
    fp = sum(triage_text(t).has_comments for t in negatives)
    report = {}
    for name, keep in (("full threads", None), ("first 3 comments", 3), ("first comment only", 1)):
        positives = ["\n".join(a + [p for c in cs[:keep] for p in c]) for a, cs in threads]
        tp = sum(triage_text(t).has_comments for t in positives)
        report[name] = {"threads": len(positives), "articles": len(negatives), "true_positives": tp,
                        "false_positives": fp, "precision": round(tp / max(tp + fp, 1), 3),
                        "recall": round(tp / len(positives), 3)}
    return report


CALIBRATION = "x = 0\nfor i in range(12_000_000):\n    x += i\n"


def machine_scaling(processes: int = 2) -> float:
    """How much faster `processes` copies of a CPU-bound Python loop finish than one, run one after
    the other: the most the machine gives right now (2.0 on two free cores; a busy host or a
    throttled VM gives less, and the guest's /proc/stat does not show it)."""
    def run(n: int) -> float:
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", CALIBRATION], stdout=subprocess.DEVNULL)
                 for _ in range(n)]
        for proc in procs:
            proc.wait()
        return time.perf_counter() - start

    one = run(1)
    return round(processes * one / run(processes), 2)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(cmd: list[str]) -> dict[str, Any]:
    """Wall seconds and peak resident memory of a command run alone in a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": round(time.perf_counter() - start, 2), "peak_rss_mb": round(usage.ru_maxrss / 1e3, 1),
            "exit_code": proc.returncode}


def run_crawl(folder: Path, out: Path, workers: int, tasks: int | None, merge_alone: bool = False
              ) -> dict[str, Any]:
    """`threadloom crawl` in a fresh process: wall time split into start-up, the parallel crawl
    and the single-process merge; CPU time of every process; per-task and per-worker figures
    from the tasks' summaries (the work folder is kept for them, then removed). With
    `merge_alone`, the shards are also merged again by `threadloom merge` in a process of its
    own, for the merge's peak memory (the crawl's process holds the executor's too)."""
    work = out.with_name(out.name + ".work")
    cmd = [THREADLOOM, "crawl", str(folder), "--out", str(out), "--work", str(work), "--keep-shards",
           "--workers", str(workers), "--json", "--force", "--version", "0.1.0"]
    if tasks:
        cmd += ["--tasks", str(tasks)]
    load = os.getloadavg()[0]
    cpu0, epoch0 = children_cpu(), time.time()
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    cpu = children_cpu() - cpu0
    if done.returncode:
        raise SystemExit(f"crawl failed: {done.stderr[-2000:]}")
    summary = json.loads(done.stdout)
    task_rows = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((work / "summary").glob("*.json"))]
    alone: dict[str, Any] = {}
    if merge_alone:
        again = out.with_name(out.name + ".merged")
        alone = measured([THREADLOOM, "merge", str(work), "--out", str(again), "--version", "0.1.0"])
        alone["same_release"] = same_release(out, again)
    shutil.rmtree(work)  # a few files: the releases (thousands) stay until the end, see main()
    by_pid: dict[int, list[dict[str, Any]]] = {}
    for row in task_rows:
        by_pid.setdefault(row["pid"], []).append(row)
    per_worker = []
    for _, rows in sorted(by_pid.items()):
        busy, used = sum(r["seconds"] for r in rows), sum(r["cpu_seconds"] for r in rows)
        in_order = sorted(rows, key=lambda r: r["finished"])
        per_worker.append({
            "tasks": len(rows), "megabytes": round(sum(r["megabytes"] for r in rows), 1),
            "busy_seconds": round(busy, 2), "cpu_seconds": round(used, 2),
            "cpu_share": round(used / max(busy, 1e-9), 2),
            "last_task_finished_at": round(max(r["finished"] for r in rows) - epoch0, 2),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in rows),
            # the worker's peak so far after each of its tasks: flat once the bounded caches are full
            "peak_rss_mb_after_each_task": [r["peak_rss_mb"] for r in in_order],
            "megabytes_after_each_task": [round(x, 1) for x in
                                          itertools.accumulate(r["megabytes"] for r in in_order)]})
    first_start = min(r["started"] for r in task_rows) - epoch0
    last_end = max(r["finished"] for r in task_rows) - epoch0
    return {
        "workers": workers, "tasks": len(task_rows), "load_average_before": round(load, 2),
        "wall_seconds": round(wall, 2),
        # phases: process start + imports + pool start, the tasks, the merge (one process)
        "startup_seconds": round(first_start, 2), "tasks_seconds": round(last_end - first_start, 2),
        "crawl_phase_seconds": summary["crawl_seconds"], "merge_seconds": summary["merge_seconds"],
        "idle_tail_seconds": round(last_end - min(w["last_task_finished_at"] for w in per_worker), 2),
        "cpu_seconds_all_processes": round(cpu, 2), "cpu_seconds_in_tasks": summary["cpu_seconds"],
        "per_worker": per_worker, "peak_rss_mb_per_worker": summary["peak_rss_mb_per_worker"],
        "threaded": summary["threaded"], "documents": summary["documents"],
        **({"merge_alone": alone} if alone else {}),
    }


def validate(out: Path) -> dict[str, Any]:
    """`threadloom validate` of the release: valid or not, its time and peak memory."""
    run = measured([THREADLOOM, "validate", str(out), "--quiet"])
    return {"valid": run.pop("exit_code") == 0, **run}


def same_release(a: Path, b: Path) -> bool:
    def listing(folder: Path) -> dict[str, bytes]:
        if not (folder / "manifest.json").is_file():
            raise SystemExit(f"{folder}: no release here to compare")
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    return listing(a) == listing(b)


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return min(runs, key=lambda r: r["wall_seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, action="append", help="crawl size (repeatable; default 100)")
    parser.add_argument("--bench", type=Path, default=BENCH)
    parser.add_argument("--thread-share", type=float, default=0.03, help="share of pages that are threads")
    parser.add_argument("--mojibake-share", type=float, default=0.05, help="share of pages with mojibake")
    parser.add_argument("--files", type=int, default=8, help="crawl shard files")
    parser.add_argument("--tasks", type=int, default=None,
                        help="tasks per run (default: the crawl's own, min(read units, 8 x workers))")
    parser.add_argument("--repeat", type=int, default=2,
                        help="1- and 2-worker runs, alternated, this many times each (the best is reported)")
    parser.add_argument("--ftfy-sample-mb", type=float, default=50.0)
    parser.add_argument("--format", choices=["jsonl", "wet"], default="jsonl",
                        help="the crawl's files: JSONL, or Common Crawl's WET (the same pages)")
    parser.add_argument("--json", type=Path, default=None, help="also write the report here")
    args = parser.parse_args()
    from threadloom.crawl.proof import ascii_skip_mismatches

    threads = load_threads(args.bench)
    machine = {"nproc": os.cpu_count(), "affinity": sorted(os.sched_getaffinity(0)),
               "load_average": [round(x, 2) for x in os.getloadavg()]}
    report: dict[str, Any] = {"machine": machine, "format": args.format, "triage": triage_quality(threads),
                              "runs": []}
    print(json.dumps({"machine": machine, "format": args.format, "triage": report["triage"]}, indent=1),
          flush=True)
    for size in args.size_mb or [100.0]:
        with tempfile.TemporaryDirectory(prefix="threadloom-crawl-bench-") as tmp:
            folder = Path(tmp) / "crawl"
            started = time.perf_counter()
            made = generate(folder, size, threads, seed_thread(), args.thread_share, args.mojibake_share,
                            args.files, wet=args.format == "wet")
            generation = time.perf_counter() - started  # not part of any figure below
            checked, changed = ascii_skip_mismatches(iter_texts(folder, 20e6))
            rate, sample = ftfy_rate(folder, args.ftfy_sample_mb)
            runs: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
            scaling_now = []
            for i in range(args.repeat):
                scaling_now.append(machine_scaling())
                for workers in (1, 2):
                    # a new folder for every run, none removed before the end: a file system
                    # that has just deleted thousands of files (ext4) creates new ones slower,
                    # which would slow the merge of whichever run came after a removal
                    out = Path(tmp) / f"out{workers}-{i}"
                    first = i == 0 and workers == 1
                    runs[workers].append(run_crawl(folder, out, workers, args.tasks, merge_alone=first))
                    print(json.dumps({"size_mb": size, "repeat": i, **runs[workers][-1]}), flush=True)
            scaling_now.append(machine_scaling())
            one, two = best(runs[1]), best(runs[2])
            mb = made["text_bytes"] / 1e6
            row = {
                "size_mb": round(mb, 1), **made, "generation_seconds": round(generation, 1),
                "ascii_fast_path": {"ascii_lines_checked": checked, "lines_changed_by_repair": len(changed)},
                "ftfy_alone_mb_per_s": round(rate, 2), "ftfy_sample_mb": round(sample, 1),
                "machine_scaling_1_to_2": scaling_now,  # two CPU-bound processes vs one, around the runs
                "one_worker": one, "two_workers": two,
                "mb_per_s_1": round(mb / one["wall_seconds"], 2),
                "mb_per_s_2": round(mb / two["wall_seconds"], 2),
                "crawl_phase_mb_per_s_1": round(mb / one["crawl_phase_seconds"], 2),
                "crawl_phase_mb_per_s_2": round(mb / two["crawl_phase_seconds"], 2),
                "ratio_to_ftfy_1": round(mb / one["wall_seconds"] / rate, 2),
                "scaling_1_to_2": round(one["wall_seconds"] / two["wall_seconds"], 2),
                "scaling_1_to_2_crawl_phase": round(one["crawl_phase_seconds"]
                                                    / two["crawl_phase_seconds"], 2),
                "scaling_1_to_2_each_repeat": [round(a["wall_seconds"] / b["wall_seconds"], 2)
                                               for a, b in zip(runs[1], runs[2], strict=True)],
                # every run's release against the first one's
                "identical_1_vs_2": all(same_release(Path(tmp) / "out1-0", Path(tmp) / f"out{w}-{i}")
                                        for i in range(args.repeat) for w in (1, 2)),
                "merge_alone": runs[1][0]["merge_alone"],
                "validate": validate(Path(tmp) / "out1-0"),
            }
            report["runs"].append(row)
            print(json.dumps(row, indent=1), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
