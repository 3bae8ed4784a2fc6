"""Faults while building: a build killed at any moment, a disk that fills up, an interrupted
build. The earlier release stays intact and valid, no partial folder is ever visible as a
release, and the next build cleans up and completes."""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import SEED_RAW, SMALL_RAW
from threadloom import atomic, release
from threadloom.api import build
from threadloom.cli import main
from threadloom.validate import validate_release

KILLS = 8
BUILD = "from threadloom.cli import main; main()"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def two_raw_dirs(tmp_path: Path) -> tuple[Path, Path]:
    """Two raw directories of the same dataset version whose releases differ."""
    first = Path(shutil.copytree(SMALL_RAW, tmp_path / "raw-a"))
    second = Path(shutil.copytree(SMALL_RAW, tmp_path / "raw-b"))
    shutil.copy2(SEED_RAW / "000_d56ce07caea43617.txt", second / "seed.txt")
    return first, second


# --- SIGKILL ----------------------------------------------------------------------------------


def test_a_build_killed_at_random_moments_never_leaves_a_broken_or_partial_release(tmp_path: Path) -> None:
    first, second = two_raw_dirs(tmp_path)
    dist = tmp_path / "dist"
    out = build(first, dist / "rel").out
    releases = {"a": tree(out), "b": tree(build(second, tmp_path / "other" / "rel").out)}
    rng = random.Random(1905)
    for attempt in range(KILLS):
        raw = second if attempt % 2 == 0 else first
        process = subprocess.Popen(
            [sys.executable, "-c", BUILD, "build", str(raw), "--out", str(out), "--force", "-q"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 2.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert visible(dist) == ["rel"], f"attempt {attempt}: {os.listdir(dist)}"
        assert tree(out) in releases.values(), f"attempt {attempt}: the release is neither build"
        assert validate_release(out).ok, f"attempt {attempt}"
    assert run("build", second, "--out", out, "--force", "-q").exit_code == 0
    assert tree(out) == releases["b"]
    assert hidden(dist) == [], "the rerun removes what killed builds left behind"


def test_a_build_killed_between_moving_the_old_release_aside_and_renaming_the_new_one_is_recovered(
    tmp_path: Path,
) -> None:
    """Where the atomic exchange is not available, the old release is renamed aside first; a
    build killed right then leaves it aside, and the next build puts it back."""
    out = build(SMALL_RAW, tmp_path / "rel").out
    before = tree(out)
    os.replace(out, tmp_path / f".rel.replaced-{dead_pid()}")
    result = run("build", SMALL_RAW, "--out", out)
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.stderr
    assert tree(out) == before
    assert hidden(tmp_path) == []


def test_stale_staging_folders_of_dead_builds_are_removed_by_the_next_build(tmp_path: Path) -> None:
    stale = tmp_path / f".rel.building-{dead_pid()}-x1y2"
    (stale / "data").mkdir(parents=True)
    (stale / "data" / "half.parquet").write_bytes(b"PAR1")
    build(SMALL_RAW, tmp_path / "rel")
    assert not stale.exists()


def test_staging_folders_of_a_build_still_running_are_left_alone(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        running = tmp_path / f".rel.building-{process.pid}-abcd"
        running.mkdir()
        build(SMALL_RAW, tmp_path / "rel")
        assert running.is_dir()
    finally:
        process.kill()
        process.wait()


def test_forced_rebuild_without_the_atomic_exchange_still_replaces_the_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_raw_dirs(tmp_path)
    out = build(first, tmp_path / "dist" / "rel").out
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    build(second, out, force=True)
    assert validate_release(out).ok
    assert "seed.txt" in {p.name for p in (out / "raw").iterdir()}
    assert hidden(tmp_path / "dist") == []


# --- a full disk ------------------------------------------------------------------------------


def _enospc_on(monkeypatch: pytest.MonkeyPatch, config: str) -> None:
    """The disk fills up when the release writes a row group of `config`'s Parquet file."""

    class FullDisk(release.pq.ParquetWriter):  # type: ignore[misc]
        def write_table(self, table: object, *args: object, **kwargs: object) -> None:
            if f"/{config}/" in str(self.where):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.where))
            super().write_table(table, *args, **kwargs)

    monkeypatch.setattr(release.pq, "ParquetWriter", FullDisk)


def test_disk_full_mid_write_gives_one_line_naming_the_release_and_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _enospc_on(monkeypatch, "speakers")
    result = run("build", SMALL_RAW, "--out", tmp_path / "rel")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"threadloom: {tmp_path / 'rel'}: no space left on device while writing ")
    assert "data/speakers/train-00000-of-00001.parquet" in line
    assert "Traceback" not in result.output


def test_disk_full_mid_write_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _enospc_on(monkeypatch, "comments")
    run("build", SMALL_RAW, "--out", tmp_path / "dist" / "rel")
    assert list(tmp_path.iterdir()) == []


def test_disk_full_during_a_forced_rebuild_leaves_the_earlier_release_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = build(SMALL_RAW, tmp_path / "rel").out
    before = tree(out)
    _enospc_on(monkeypatch, "threads")
    assert run("build", SEED_RAW, "--out", out, "--force").exit_code == 1
    assert tree(out) == before
    assert hidden(tmp_path) == []


def test_disk_full_while_renaming_leaves_the_earlier_release_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = build(SMALL_RAW, tmp_path / "rel").out
    before = tree(out)
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)

    def full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(src))

    monkeypatch.setattr(atomic.os, "replace", full)
    result = run("build", SEED_RAW, "--out", out, "--force")
    assert result.exit_code == 1 and "no space left on device" in result.stderr
    assert tree(out) == before
    assert hidden(tmp_path) == []


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 96 KiB tmpfs: too small for a release. Skipped where mounting is not allowed."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    command = ["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(mount)]
    done = subprocess.run(command, capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_real_full_disk_gives_one_line_and_leaves_the_disk_empty(tiny_disk: Path) -> None:
    result = run("build", SMALL_RAW, "--out", tiny_disk / "rel")
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert "no space left on device" in line and str(tiny_disk / "rel") in line
    assert list(tiny_disk.iterdir()) == []


# --- interrupted and refused builds -----------------------------------------------------------


def test_an_interrupted_build_says_so_in_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(release, "write_croissant", interrupt)
    result = run("build", SMALL_RAW, "--out", tmp_path / "rel")
    assert result.exit_code == 130
    message = "threadloom: interrupted (a release being built was not put in place)"
    assert result.stderr.splitlines() == [message]
    assert list(tmp_path.iterdir()) == []


def test_force_never_replaces_a_folder_that_is_not_a_release(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work", encoding="utf-8")
    result = run("build", SMALL_RAW, "--out", home, "--force")
    assert result.exit_code == 1 and "is not a threadloom release" in result.stderr
    assert (home / "thesis.tex").read_text(encoding="utf-8") == "years of work"
    assert hidden(tmp_path) == []
