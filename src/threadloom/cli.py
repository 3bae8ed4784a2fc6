"""The `threadloom` command: a thin layer over the library; every command is one library call.

Data and results go to stdout, messages to stderr. Exit codes: 0 success, 1 bad input or a
dataset that fails validation, 2 wrong usage (click's own).
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .api import build, default_release_dir
from .errors import ThreadloomError
from .show import render_tree
from .validate import validate_release

F = TypeVar("F", bound=Callable[..., Any])


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
            click.echo(f"threadloom: {err}", err=True)
            sys.exit(1)
        except (OSError, ValueError) as err:
            if debug:
                traceback.print_exc()
            subject = getattr(err, "filename", None) or type(err).__name__
            click.echo(f"threadloom: {subject}: {err} (rerun with --debug for details)", err=True)
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
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@reports_errors
def build_command(raw_dir: Path, out: Path | None, datasheet: Path | None, force: bool, quiet: bool) -> None:
    """Build the dataset release from RAW_DIR (default: raw/).

    \b
    Example:
        threadloom build raw --out dist/my-threads/0.1.0
    """
    result = build(raw_dir, out, datasheet=datasheet, force=force)
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


__all__ = ["default_release_dir", "main"]
