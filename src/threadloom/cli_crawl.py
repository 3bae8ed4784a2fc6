"""`threadloom crawl` and `threadloom merge`: thin commands over threadloom.crawl (added to the
main group by cli.py). They need the `crawl` extra: pip install 'threadloom[crawl]'."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .cli import reports_errors
from .crawl.records import CrawlColumns
from .publish import release_hub_problem
from .triage import DEFAULT_TRIAGE


def _info(name: str | None, version: str | None, dataset_json: Path | None) -> dict[str, Any]:
    from .crawl.merge import collection_info
    from .sources import read_json_object

    extra = read_json_object(dataset_json, str(dataset_json), "collection") if dataset_json else None
    return collection_info(name, version, extra)


def _template(datasheet: Path | None) -> str | None:
    return datasheet.read_text(encoding="utf-8") if datasheet is not None else None


def _release_options(command: Any) -> Any:
    for option in reversed([
        click.option("--name", default=None, help="Dataset name (default: threadloom-crawl)."),
        click.option("--version", "version", default=None, help="Dataset version (default: 0.0.0)."),
        click.option("--dataset-json", type=click.Path(path_type=Path, dir_okay=False, exists=True),
                     default=None, help="A dataset.json describing the collection (licence, language...)."),
        click.option("--datasheet", type=click.Path(path_type=Path, dir_okay=False, exists=True),
                     default=None, help="Datasheet template for the release."),
        click.option("--raw-as", type=click.Choice(["files", "parquet"]), default="files", show_default=True,
                     help="Keep the raw documents as files under raw/, or as the rows of a `raw` config "
                          "(a crawl of more than ~100,000 threads: a Hub repository should hold fewer "
                          "files)."),
        click.option("--force", is_flag=True, help="Replace a different release of the same version."),
        click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout."),
        click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors and the release path."),
    ]):
        command = option(command)
    return command


def _report(summary: dict[str, Any], text: str, out: Path | None, as_json: bool, quiet: bool) -> None:
    # a crawl can outgrow one Hub repository: say so now, not only when publish refuses it
    problem = release_hub_problem(out) if out is not None else None
    warning = None
    if problem:
        warning = f"threadloom: warning: {out}: {problem[0]}; publish will refuse it ({problem[1]})"
    if as_json:
        report = {"release": str(out) if out else None, **summary, "hub_warning": warning}
        click.echo(json.dumps(report, indent=2))
        return
    if not quiet:
        click.echo(text, err=True)
        if warning:
            click.echo(warning, err=True)
    if out is not None:
        click.echo(str(out))


@click.command("crawl")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="The release folder to write (required unless --executor slurm).")
@click.option("--work", type=click.Path(path_type=Path), default=None,
              help="Folder for the shards (default: OUT.work beside the release; shared on a cluster).")
@click.option("--workers", type=int, default=1, show_default=True, help="Tasks run at the same time.")
@click.option("--tasks", type=int, default=None,
              help="Tasks in all (default: min(read units, 8 x workers); see --split-mb).")
@click.option("--split-mb", type=click.FloatRange(min=1), default=64.0, show_default=True,
              help="JSONL (compressed: up to 4 shares) and Parquet files are read in shares of about "
                   "this size, so a few big files still keep every worker busy.")
@click.option("--executor", type=click.Choice(["local", "ray", "slurm"]), default="local", show_default=True)
@click.option("--text-column", default="text", show_default=True, help="Column holding the page text.")
@click.option("--id-column", default="id", show_default=True, help="Column holding the record id.")
@click.option("--url-column", default="url", show_default=True, help="Column holding the page URL.")
@click.option("--date-column", default="date", show_default=True,
              help="Column holding the date (-> published).")
@click.option("--title-column", default="title", show_default=True, help="Column holding the page title.")
@click.option("--keep-article-only", is_flag=True,
              help="Keep pages without a comment section as article-only threads instead of skipping them.")
@click.option("--min-comment-lines", type=int, default=DEFAULT_TRIAGE.min_comment_lines, show_default=True,
              help="Triage: lines after the article cut a thread needs.")
@click.option("--resume", is_flag=True, help="Finish an interrupted run in the same --work folder.")
@click.option("--keep-shards", is_flag=True, help="Keep the --work folder after the merge.")
@click.option("--slurm-partition", default=None, help="Slurm partition (with --executor slurm).")
@click.option("--slurm-time", default="04:00:00", show_default=True, help="Slurm time limit per task.")
@click.option("--venv", "venv_path", default=None, help="Slurm: virtualenv to activate on the nodes.")
@_release_options
@reports_errors
def crawl_command(inputs: tuple[Path, ...], out: Path | None, work: Path | None, workers: int,
                  tasks: int | None, split_mb: float, executor: str, text_column: str, id_column: str,
                  url_column: str, date_column: str, title_column: str, keep_article_only: bool,
                  min_comment_lines: int,
                  resume: bool, keep_shards: bool, slurm_partition: str | None, slurm_time: str,
                  venv_path: str | None, name: str | None, version: str | None, dataset_json: Path | None,
                  datasheet: Path | None, raw_as: str, force: bool, as_json: bool, quiet: bool) -> None:
    """Thread the comment sections of crawl files into a release (needs threadloom[crawl]).

    INPUTS are JSONL files (plain, .gz or .zst), Parquet files, WET files (Common Crawl's
    .warc.wet.gz), .txt documents, or folders of them. Pages without a comment section are
    counted and skipped; the rest are threaded by datatrove tasks into Parquet shards, merged
    into the release OUT.

    \b
    Example:
        threadloom crawl crawl/*.jsonl.zst --out dist/crawl-threads/0.1.0 --version 0.1.0 --workers 2
        threadloom validate dist/crawl-threads/0.1.0
    """
    from .crawl.run import SlurmOptions, crawl, terminal_progress

    columns = CrawlColumns(text_column, id_column or None, url_column or None, date_column or None,
                           title_column or None)
    slurm = SlurmOptions(slurm_partition, slurm_time, venv_path=venv_path) if slurm_partition else None
    show = terminal_progress if sys.stderr.isatty() and not quiet and not as_json else None
    result = crawl(inputs, out, work=work, workers=workers, tasks=tasks, split_bytes=int(split_mb * 1e6),
                   executor=executor, columns=columns,
                   triage=DEFAULT_TRIAGE._replace(min_comment_lines=min_comment_lines),
                   keep_article_only=keep_article_only, info=_info(name, version, dataset_json),
                   datasheet_template=_template(datasheet), raw_as=raw_as, force=force, resume=resume,
                   keep_shards=keep_shards, slurm=slurm, progress=show)
    if show is not None:
        click.echo("", err=True)
    if result.release is None:
        target = out if out is not None else "OUT"
        click.echo(f"threadloom: submitted {executor} jobs; when they finish, run: "
                   f"threadloom merge {result.work} --out {target}", err=True)
        return
    _report(result.summary.to_dict(), result.summary.render(), result.release.out, as_json, quiet)


@click.command("merge")
@click.argument("work", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The release folder to write.")
@_release_options
@reports_errors
def merge_command(work: Path, out: Path, name: str | None, version: str | None, dataset_json: Path | None,
                  datasheet: Path | None, raw_as: str, force: bool, as_json: bool, quiet: bool) -> None:
    """Merge the shards of a finished crawl (its --work folder) into a release, e.g. after Slurm.

    \b
    Example:
        threadloom merge /shared/crawl-threads.work --out dist/crawl-threads/0.1.0 --version 0.1.0
    """
    from .crawl.merge import merge_shards, terminal_merge_progress

    show = terminal_merge_progress if sys.stderr.isatty() and not quiet and not as_json else None
    result = merge_shards(work, out, _info(name, version, dataset_json),
                          datasheet_template=_template(datasheet), force=force, progress=show, raw_as=raw_as)
    if show is not None:
        click.echo("", err=True)
    _report(result.summary.to_dict(), result.summary.render(), result.out, as_json, quiet)
