"""The `threadloom` command: a thin layer over the library; every command is one library call.

Data and results go to stdout, messages to stderr. Exit codes: 0 success, 1 bad input or a
dataset that fails validation, 2 wrong usage (click's own).
"""

from __future__ import annotations

import json
import os
import re
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .api import build, default_release_dir
from .corrections import corrections_from_options, record_corrections
from .errors import ThreadloomError
from .show import render_tree
from .skipped import read_skipped
from .validate import validate_release
from .view import write_view

F = TypeVar("F", bound=Callable[..., Any])


_TOKEN_LIKE = re.compile(r"\bhf_[A-Za-z0-9]{8,}")


def one_line(text: str) -> str:
    """A message as one line, with anything that looks like a hub token blanked out."""
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        secret = os.environ.get(name, "")
        if len(secret) >= 8:
            text = text.replace(secret, "***")
    return _TOKEN_LIKE.sub("hf_***", " ".join(text.split()))


def reports_errors(command: F) -> F:
    """One line on stderr for a ThreadloomError (exit 1); any other error too, unless --debug."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return command(*args, **kwargs)
        except ThreadloomError as err:
            if debug:
                traceback.print_exc()
            click.echo(f"threadloom: {one_line(str(err))}", err=True)
            sys.exit(1)
        except click.ClickException:
            raise
        except KeyboardInterrupt:
            click.echo("threadloom: interrupted (a release being built was not put in place)", err=True)
            sys.exit(130)
        except Exception as err:
            if debug:
                traceback.print_exc()
            subject = getattr(err, "filename", None) or type(err).__name__
            reason = one_line(str(err))  # one line, whatever the exception's text
            click.echo(f"threadloom: {one_line(str(subject))}: {reason} (rerun with --debug for details)",
                       err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="threadloom")
@click.option("--debug", is_flag=True, help="Show a traceback when something fails.")
def main(debug: bool) -> None:
    """Rebuild flattened blog comment sections into a conversational dataset.

    \b
    Example:
        threadloom build raw --out dist/my-threads/0.1.0 && threadloom validate dist/my-threads/0.1.0
    """


@main.command("build")
@click.argument("raw_dir", default="raw", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="The release folder itself (default: dist/<name>/<version>/).",
)
@click.option(
    "--datasheet",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Datasheet template (default: DATASHEET.md beside RAW_DIR, if there is one).",
)
@click.option("--force", is_flag=True, help="Replace a different release of the same version.")
@click.option("--no-corrections", is_flag=True, help="Ignore reviewers' NAME.corrections.json files.")
@click.option("--skip-bad", is_flag=True,
              help="Leave out bad documents and list them in the release (skipped.json) instead of "
              "stopping before anything is written.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@reports_errors
def build_command(
    raw_dir: Path, out: Path | None, datasheet: Path | None, force: bool, no_corrections: bool,
    skip_bad: bool, quiet: bool,
) -> None:
    """Build the dataset release from RAW_DIR (default: raw/).

    \b
    Example:
        threadloom build raw --out dist/my-threads/0.1.0
    """
    result = build(raw_dir, out, datasheet=datasheet, force=force, corrections=not no_corrections,
                   skip_bad=skip_bad)
    for entry in read_skipped(result.out):
        click.echo(f"threadloom: {entry['file']}: skipped: {entry['reason']}", err=True)
    if not quiet:
        stats = result.stats
        what = "unchanged, identical release already at" if result.unchanged else "wrote"
        click.echo(
            f"threadloom: {what} {result.out} ({stats.n_threads} threads, "
            f"{stats.n_comments} comments, {stats.n_speakers} speakers, "
            f"{stats.n_repairs} repairs)",
            err=True,
        )
    click.echo(str(result.out))


@main.command("validate")
@click.argument("release_dir", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing when the release is valid.")
@reports_errors
def validate_command(release_dir: Path, as_json: bool, quiet: bool) -> None:
    """Check a release: schemas, checksums and integrity rules. Exit 1 on any problem.

    \b
    Example:
        threadloom validate dist/my-threads/0.1.0 --json
    """
    report = validate_release(release_dir)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        for problem in report.problems:
            click.echo(f"threadloom: {problem}", err=True)
        if report.ok and not quiet:
            click.echo(f"{release_dir}: valid ({report.summary()})")
    if not report.ok:
        if not as_json:
            click.echo(f"threadloom: {release_dir}: {len(report.problems)} problem(s)", err=True)
        sys.exit(1)


@main.command("show")
@click.argument("release_dir", type=click.Path(path_type=Path))
@click.argument("thread", required=False)
@click.option("--width", type=int, default=100, show_default=True, help="Line width.")
@reports_errors
def show_command(release_dir: Path, thread: str | None, width: int) -> None:
    """Print a thread of a release as an indented tree (the first thread by default).

    \b
    Example:
        threadloom show dist/my-threads/0.1.0 000_d56ce07caea43617
    """
    click.echo(render_tree(release_dir, thread, width=width))


@main.command("diff")
@click.argument("old_dir", type=click.Path(path_type=Path))
@click.argument("new_dir", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print every change as JSON.")
@click.option("--limit", type=int, default=20, show_default=True,
              help="Examples shown per kind of change (the text form only).")
@reports_errors
def diff_command(old_dir: Path, new_dir: Path, as_json: bool, limit: int) -> None:
    """What changed between two releases: threads and comments added or removed, changed
    boundaries, parents, speakers and repaired text.

    \b
    Example:
        threadloom diff dist/my-threads/0.1.0 dist/my-threads/0.2.0 --json
    """
    from .diff import diff_releases, render_diff

    result = diff_releases(old_dir, new_dir)
    click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) if as_json
               else render_diff(result, limit=limit))


@main.command("publish")
@click.argument("release_dir", type=click.Path(path_type=Path))
@click.option("--repo-id", required=True, help="The dataset repository on the hub, ORG/NAME.")
@click.option("--dry-run", is_flag=True, help="Print what would be uploaded and tagged; send nothing.")
@click.option("--timeout", type=float, default=60.0, show_default=True,
              help="Give up after this many seconds; nothing is tagged then.")
@reports_errors
def publish_command(release_dir: Path, repo_id: str, dry_run: bool, timeout: float) -> None:
    """Upload a valid release to the Hugging Face hub as a dataset repo and tag it v<version>.

    The token comes from HF_TOKEN or `hf auth login`; HF_ENDPOINT chooses another hub.
    A version already tagged with different content is refused.

    \b
    Example:
        threadloom publish dist/my-threads/0.1.0 --repo-id my-org/my-threads --dry-run
    """
    from .publish import plan_publish, publish_release

    if dry_run:
        click.echo(plan_publish(release_dir, repo_id).render())
        return
    result = publish_release(release_dir, repo_id, timeout=timeout)
    plan = result.plan
    if result.already_published:
        click.echo(f"threadloom: {plan.repo_id}: {plan.tag} is already published with this "
                   "content; nothing to do", err=True)
    else:
        click.echo(f"threadloom: published {plan.folder} to {plan.repo_id} "
                   f"(commit {result.commit}, tag {plan.tag})", err=True)
    click.echo(f"{plan.endpoint}/datasets/{plan.repo_id}/tree/{plan.tag}")


@main.group("export")
def export_group() -> None:
    """Write a release in another format (convokit, jsonl).

    \b
    Example:
        threadloom export jsonl dist/my-threads/0.1.0 threads.jsonl
    """


@export_group.command("convokit")
@click.argument("release_dir", type=click.Path(path_type=Path))
@click.argument("out", type=click.Path(path_type=Path))
@reports_errors
def export_convokit_command(release_dir: Path, out: Path) -> None:
    """Write a ConvoKit corpus folder OUT (the post is each conversation's root utterance).

    \b
    Example:
        threadloom export convokit dist/my-threads/0.1.0 my-threads-corpus
        python -c "import convokit; convokit.Corpus(filename='my-threads-corpus')"
    """
    from .export import export_convokit

    click.echo(str(export_convokit(release_dir, out)))


@export_group.command("jsonl")
@click.argument("release_dir", type=click.Path(path_type=Path))
@click.argument("out", type=click.Path(path_type=Path))
@reports_errors
def export_jsonl_command(release_dir: Path, out: Path) -> None:
    """Write one JSON record per thread to the file OUT: the thread, its speakers, and its
    comments nested as a reply tree (`replies`).

    \b
    Example:
        threadloom export jsonl dist/my-threads/0.1.0 threads.jsonl
    """
    from .export import export_jsonl

    click.echo(str(export_jsonl(release_dir, out)))


@main.command("view")
@click.argument("release_dir", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The HTML file to write (default: <RELEASE_DIR>.html beside the release).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Only the release's first N threads (a crawl's release holds thousands).")
@click.option("--thread", "thread_ids", multiple=True, metavar="ID",
              help="Only this thread (repeatable).")
@reports_errors
def view_command(release_dir: Path, out: Path | None, limit: int | None, thread_ids: tuple[str, ...]) -> None:
    """Write a release as one self-contained HTML page to review its threads.

    Nesting, speakers, confidences and evidence, repaired characters, raw line links, a filter
    for doubtful decisions and a corrections download; the page makes no network request.

    \b
    Example:
        threadloom view dist/my-threads/0.1.0 --out /tmp/my-threads.html
        threadloom view dist/crawl-threads/0.1.0 --limit 50
    """
    click.echo(str(write_view(release_dir, out, limit=limit, thread_ids=thread_ids)))


@main.command("correct")
@click.argument("raw_dir", type=click.Path(path_type=Path))
@click.argument("thread_id")
@click.option("--boundary", "boundaries", multiple=True, metavar="START-END",
              help="A comment is exactly these raw lines (repeatable).")
@click.option("--parent", "parents", multiple=True, metavar="LN=LM|post",
              help="Comment LN answers comment LM, or the post (repeatable).")
@click.option("--speaker", "speakers", multiple=True, metavar="LN=NAME|@author|@anonymous",
              help="Who wrote comment LN (repeatable).")
@click.option("--note", default=None, help="A note kept with these corrections.")
@click.option("--reviewer", default=None, help="Who is correcting.")
@reports_errors
def correct_command(raw_dir: Path, thread_id: str, boundaries: tuple[str, ...], parents: tuple[str, ...],
                    speakers: tuple[str, ...], note: str | None, reviewer: str | None) -> None:
    """Record a reviewer's fix in RAW_DIR/NAME.corrections.json, which `build` applies.

    The fix is checked against a fresh inference of the document before the file is written
    (atomically); a new entry for the same comment replaces the earlier one.

    \b
    Example:
        threadloom correct raw 000_d56ce07caea43617 --parent L44=L40 --speaker L45=@author
    """
    try:
        new = corrections_from_options(boundaries, parents, speakers, note, reviewer)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    if not any(new.get(kind) for kind in ("boundaries", "parents", "speakers")):
        raise click.UsageError("nothing to correct: give --boundary, --parent or --speaker")
    click.echo(str(record_corrections(raw_dir, thread_id, new)))


from .cli_crawl import crawl_command, merge_command  # noqa: E402

main.add_command(crawl_command)
main.add_command(merge_command)

__all__ = ["crawl_command", "default_release_dir", "main", "merge_command"]
