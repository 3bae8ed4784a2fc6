"""Putting a release folder in place so that no crash, kill or full disk leaves a partial one.

A release is written into a hidden staging folder beside its final place,
`.<name>.building-<pid>-<random>`, flushed, and then swapped in: with Linux's
`renameat2(RENAME_EXCHANGE)` when a release is already there (one atomic step: the old release or
the new one is at its place at every instant), with `os.replace` otherwise. Where the exchange is
not available, the old release is first renamed to `.<name>.replaced-<pid>`; a build killed
between the two renames leaves it there, and the next build puts it back before it starts.

Every build first removes the staging folders of builds whose process is gone, so a killed build
leaves nothing behind for long; folders of a build still running are left alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
from pathlib import Path

from .errors import ThreadloomError

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def staging_prefix(out: Path) -> str:
    return f".{out.name}.building-{os.getpid()}-"


def retired_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.replaced-{os.getpid()}")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process
        return True
    return True


def leftovers(out: Path) -> list[Path]:
    """Staging and retired folders of builds of `out` whose process has gone."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(?:building|replaced)-(\d+)(?:-.*)?$")
    found = []
    if out.parent.is_dir():
        for path in sorted(out.parent.iterdir()):
            match = pattern.match(path.name)
            if match and not _pid_alive(int(match.group(1))):
                found.append(path)
    return found


def recover(out: Path) -> None:
    """Put back a release a killed build had moved aside, and remove dead builds' folders."""
    for path in leftovers(out):
        if ".replaced-" in path.name and not out.exists() and (path / "manifest.json").is_file():
            os.replace(path, out)
            fsync_dir(out.parent)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when this system cannot (not Linux, old kernel or libc,
    a file system without support)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(staging: Path, out: Path) -> None:
    """Make the finished `staging` folder the release at `out`, replacing one that is there."""
    if not out.exists():
        os.replace(staging, out)
    elif _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the old release
    else:
        retired = retired_path(out)
        os.replace(out, retired)
        os.replace(staging, out)
        shutil.rmtree(retired, ignore_errors=True)
    fsync_dir(out.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (where the system allows opening a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class WriteFailure(ThreadloomError, OSError):
    """A release that could not be written: a ThreadloomError (one line for the user) that is
    still an OSError with the original errno, for callers that catch those."""


def write_failure(out: Path, staging: Path, err: OSError) -> WriteFailure:
    """One line for a write that failed: the release, what went wrong and where."""
    reason = "no space left on device" if err.errno == errno.ENOSPC else (err.strerror or str(err)).lower()
    where = ""
    if err.filename:
        try:
            where = f" while writing {Path(os.fsdecode(err.filename)).relative_to(staging).as_posix()}"
        except ValueError:
            where = ""
    failure = WriteFailure(
        str(out),
        f"{reason}{where}",
        "nothing was written and any earlier release is untouched; free some space or fix the "
        "cause and build again",
    )
    failure.errno = err.errno
    return failure
