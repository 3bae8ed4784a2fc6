"""`threadloom crawl`: find the inputs, run the datatrove pipeline on an executor (local, Ray or
Slurm), show progress, and merge the shards into a release. Needs the `crawl` extra."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ThreadloomError
from ..triage import DEFAULT_TRIAGE, TriageConfig
from .merge import (
    PLAN,
    WORK_FORMAT,
    CrawlSummary,
    MergeResult,
    check_raw_as,
    check_work_format,
    merge_shards,
    read_summaries,
    terminal_merge_progress,
)
from .records import DEFAULT_COLUMNS, DEFAULT_SPLIT_BYTES, CrawlColumns

EXECUTORS = ("local", "ray", "slurm")


def require_datatrove() -> None:
    try:
        import datatrove  # noqa: F401
    except ImportError:
        raise ThreadloomError("threadloom crawl", "datatrove is not installed",
                              "pip install 'threadloom[crawl]'") from None


def find_inputs(inputs: Sequence[Path]) -> list[str]:
    """Every crawl file named or under a named folder, sorted, as absolute paths."""
    from .steps import INPUT_SUFFIXES

    found: set[str] = set()
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            candidates = [p for p in path.rglob("*") if p.is_file()
                          and not any(part.startswith(".") for part in p.relative_to(path).parts)]
        elif path.is_file():
            candidates = [path]
        else:
            raise ThreadloomError(str(path), "no such file or folder", "give crawl files or folders of them")
        for candidate in candidates:
            if candidate.name.endswith(INPUT_SUFFIXES) and not candidate.name.endswith(".meta.json"):
                found.add(str(candidate.resolve()))
            elif candidate == path and candidate.name.endswith((".warc", ".warc.gz")):
                raise ThreadloomError(str(path), "a WARC file of fetched pages (HTML): threadloom reads text",
                                      "give its WET file (.warc.wet.gz), the text Common Crawl extracted")
            elif candidate == path:
                raise ThreadloomError(str(path), "not a crawl file",
                                      "give .jsonl[.gz|.zst], .parquet, .wet[.gz] or .txt files")
    if not found:
        raise ThreadloomError(", ".join(map(str, inputs)), "no crawl files found",
                              "give .jsonl[.gz|.zst], .parquet, .wet[.gz] or .txt files, or folders of them")
    return sorted(found)


@dataclass(frozen=True)
class SlurmOptions:
    partition: str
    time: str = "04:00:00"
    mem_per_cpu_gb: int = 2
    venv_path: str | None = None
    sbatch_args: dict[str, Any] | None = None


def build_pipeline(files: list[str], work: Path, *, columns: CrawlColumns = DEFAULT_COLUMNS,
                   triage: TriageConfig = DEFAULT_TRIAGE, keep_article_only: bool = False,
                   quiet: bool = True, split_bytes: int = DEFAULT_SPLIT_BYTES,
                   units: list[Any] | None = None) -> list[Any]:
    from .steps import CrawlReader, ShardWriter, TriageStep

    return [CrawlReader(files, columns, quiet=quiet, split_bytes=split_bytes, units=units),
            TriageStep(triage, keep_article_only), ShardWriter(str(work))]


def start_method(threads_to_come: bool = False) -> str:
    """How the local executor starts its worker processes: "fork" on Linux when this process runs
    no other thread (nor will during the run), so workers inherit threadloom, datatrove and
    pyarrow already imported (each forkserver worker imports them again: ~0.5 s of CPU per worker,
    the start-up of a 2-worker crawl); "forkserver" otherwise (fork with live threads may deadlock)."""
    if sys.platform.startswith("linux") and not threads_to_come and threading.active_count() == 1:
        return "fork"
    return "forkserver"


def make_executor(pipeline: list[Any], executor: str, *, tasks: int, workers: int, work: Path,
                  slurm: SlurmOptions | None = None, local_start_method: str = "forkserver") -> Any:
    logging_dir = str(work / "logs")
    if executor == "local":
        from datatrove.executor import LocalPipelineExecutor

        return LocalPipelineExecutor(pipeline, tasks=tasks, workers=workers, logging_dir=logging_dir,
                                     start_method=local_start_method)
    if executor == "ray":
        try:
            import ray
        except ImportError:
            raise ThreadloomError("--executor ray", "ray is not installed", "pip install ray") from None
        from datatrove.executor.ray import RayPipelineExecutor

        if not ray.is_initialized():  # RAY_ADDRESS names a cluster; without it a local one starts
            ray.init(address=os.environ.get("RAY_ADDRESS"), include_dashboard=False)

        return RayPipelineExecutor(pipeline, tasks=tasks, workers=workers, logging_dir=logging_dir,
                                   cpus_per_task=1, mem_per_cpu_gb=1)
    if executor == "slurm":
        if slurm is None:
            raise ThreadloomError("--executor slurm", "needs a partition", "pass --slurm-partition")
        from datatrove.executor.slurm import SlurmPipelineExecutor

        return SlurmPipelineExecutor(pipeline, tasks=tasks, workers=workers, logging_dir=logging_dir,
                                     time=slurm.time, partition=slurm.partition, job_name="threadloom-crawl",
                                     mem_per_cpu_gb=slurm.mem_per_cpu_gb, venv_path=slurm.venv_path,
                                     sbatch_args=slurm.sbatch_args)
    raise ThreadloomError(f"--executor {executor}", "unknown executor", f"use one of {', '.join(EXECUTORS)}")


def watch_progress(work: Path, total_mb: float, stop: threading.Event,
                   show: Callable[[dict[str, float]], None], interval: float = 0.5) -> None:
    """Poll the tasks' progress files until `stop` is set; call `show` with the running totals."""
    start = time.monotonic()
    while not stop.wait(interval):
        totals = {"documents": 0.0, "megabytes": 0.0, "threaded": 0.0}
        for folder in ("progress", "summary"):
            for path in (work / folder).glob("*.json"):
                if folder == "progress" and (work / "summary" / path.name).exists():
                    continue
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):  # being rewritten right now
                    continue
                for key in totals:
                    totals[key] += float(data.get(key, 0))
        totals["seconds"] = time.monotonic() - start
        totals["total_megabytes"] = total_mb
        show(totals)


def terminal_progress(totals: dict[str, float]) -> None:
    """One self-overwriting line on stderr: documents, MB of the total, rate."""
    mb, total, secs = totals["megabytes"], totals["total_megabytes"], totals["seconds"]
    share = f" of ~{total:.0f} MB" if total else ""
    sys.stderr.write(f"\rthreadloom crawl: {int(totals['documents'])} documents, {mb:.1f} MB{share}, "
                     f"{int(totals['threaded'])} threaded, {mb / secs if secs else 0:.1f} MB/s   ")
    sys.stderr.flush()


# Tasks per worker, by default: a worker that is free takes the next task, so the smaller the tasks
# the less time one worker spends alone on the last of them while the others idle.
TASKS_PER_WORKER = 8


def check_plan(work: Path, plan: dict[str, Any]) -> None:
    """Record what a run reads and how it splits the work (work/plan.json); a resumed run must
    read the same files the same way, or its finished tasks and the new ones would not add up
    (records read twice or never)."""
    path = work / PLAN
    if path.exists():
        recorded = json.loads(path.read_text(encoding="utf-8"))
        changed = sorted(key for key in plan if recorded.get(key) != plan[key])
        if changed:
            raise ThreadloomError(str(work), f"this work folder was started with other {', '.join(changed)}",
                                  "resume with the same inputs and options, or remove the folder")
        return
    path.write_text(json.dumps(plan, indent=1), encoding="utf-8")


@dataclass(frozen=True)
class CrawlResult:
    work: Path
    summary: CrawlSummary
    release: MergeResult | None  # None when the run only submitted jobs (Slurm)


def crawl(inputs: Sequence[Path], out: Path | None, *, work: Path | None = None, workers: int = 1,
          tasks: int | None = None, split_bytes: int = DEFAULT_SPLIT_BYTES, executor: str = "local",
          columns: CrawlColumns = DEFAULT_COLUMNS,
          triage: TriageConfig = DEFAULT_TRIAGE, keep_article_only: bool = False,
          info: dict[str, Any] | None = None, datasheet_template: str | None = None, raw_as: str = "files",
          force: bool = False,
          resume: bool = False, keep_shards: bool = False, slurm: SlurmOptions | None = None,
          progress: Callable[[dict[str, float]], None] | None = None, quiet: bool = True) -> CrawlResult:
    """Run threadloom over crawl files with datatrove and merge the result into the release `out`.

    Shards go to `work` (default: `<out>.work` beside the release), removed after a successful
    merge unless `keep_shards`. With the Slurm executor the jobs are submitted and the merge is
    left to `threadloom merge WORK --out OUT` once they finish. `raw_as`: where the release keeps
    the raw documents ("files" under raw/, or "parquet": the `raw` config; merge.merge_shards)."""
    require_datatrove()
    from .merge import collection_info

    check_raw_as(raw_as)  # before the crawl, not after it
    if workers < 1:
        raise ThreadloomError("--workers", f"{workers} is not a number of workers", "give 1 or more")
    if out is None and executor != "slurm":
        raise ThreadloomError("threadloom crawl", "no release folder given", "pass --out DIR")
    files = find_inputs(inputs)
    info = info or collection_info()
    if work is None:
        if out is None:
            raise ThreadloomError("threadloom crawl", "no work folder given", "pass --work DIR")
        work = Path(out).resolve().parent / f"{Path(out).name}.work"
    work = Path(work).resolve()
    if work.exists() and not resume and (executor == "slurm" or any(work.iterdir())):
        raise ThreadloomError(str(work), "the work folder already exists",
                              "remove it, or pass --resume to finish that run")
    work.mkdir(parents=True, exist_ok=True)
    from .steps import read_units

    units = read_units(files, split_bytes)  # planned once here, not in every task
    n_tasks = tasks or min(len(units), TASKS_PER_WORKER * workers)
    sizes = [os.path.getsize(f) for f in files]
    check_work_format(work)
    check_plan(work, {"work_format": WORK_FORMAT, "files": files, "sizes": sizes, "tasks": n_tasks,
                      "split_bytes": split_bytes, "units": [[u.path, u.start, u.stop] for u in units],
                      "columns": list(columns), "triage": list(triage),
                      "keep_article_only": keep_article_only})
    pipeline = build_pipeline(files, work, columns=columns, triage=triage,
                              keep_article_only=keep_article_only, quiet=quiet, split_bytes=split_bytes,
                              units=units)
    runner = make_executor(pipeline, executor, tasks=n_tasks, workers=workers, work=work, slurm=slurm,
                           local_start_method=start_method(threads_to_come=progress is not None))
    total_mb = sum(sizes) / 1e6
    stop = threading.Event()
    watcher = None
    if progress is not None:
        watcher = threading.Thread(target=watch_progress, args=(work, total_mb, stop, progress), daemon=True)
        watcher.start()
    start = time.monotonic()
    from .steps import quiet_datatrove_console, quiet_task_logs

    if quiet:
        quiet_datatrove_console()
    try:
        with quiet_task_logs() if quiet else contextlib.nullcontext():
            runner.run()
    finally:
        stop.set()
        if watcher is not None:
            watcher.join()
    crawl_seconds = time.monotonic() - start
    if executor == "slurm":
        submitted = read_summaries(work)
        submitted.crawl_seconds = submitted.seconds = crawl_seconds
        return CrawlResult(work, submitted, None)
    done = len(list((work / "summary").glob("*.json")))
    if done < n_tasks:
        raise ThreadloomError(str(work), f"only {done} of {n_tasks} tasks finished",
                              f"see {work / 'logs'}; rerun with --resume to finish them")
    if progress is not None:  # the crawl's line is done; the merge's own follows
        sys.stderr.write("\n")
    result = merge_shards(work, Path(out), info, datasheet_template=datasheet_template, force=force,  # type: ignore[arg-type]
                          progress=terminal_merge_progress if progress is not None else None, raw_as=raw_as)
    result.summary.crawl_seconds = crawl_seconds
    result.summary.seconds = time.monotonic() - start
    if not keep_shards:
        shutil.rmtree(work, ignore_errors=True)
    return CrawlResult(work, result.summary, result)
