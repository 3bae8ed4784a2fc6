#!/usr/bin/env python3
"""Write requirements.lock: the exact versions of threadloom's runtime dependencies and of
everything they need, as installed in the running environment.

Usage: python scripts/lock_requirements.py [OUT]   (default: requirements.lock)
Install with it for a reproducible build: pip install -c requirements.lock -e .
Builds with the same locked versions give byte-identical releases (tests/test_versions.py).
"""

from __future__ import annotations

import argparse
import re
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_closure(root: str = "threadloom") -> dict[str, str]:
    """name -> installed version of every package `root` needs at run time (no extras)."""
    env = {k: str(v) for k, v in default_environment().items()}
    seen: dict[str, str] = {}
    todo = [(r, ()) for r in metadata.requires(root) or []]
    while todo:
        text, extras = todo.pop()
        req = Requirement(text)
        if req.marker and not any(req.marker.evaluate({**env, "extra": e}) for e in (*extras, "")):
            continue
        name = _canonical(req.name)
        if name in seen:
            continue
        try:
            seen[name] = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            continue  # an optional platform dependency that is not installed here
        todo += [(r, tuple(req.extras)) for r in metadata.requires(req.name) or []]
    return dict(sorted(seen.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", type=Path, default=Path("requirements.lock"),
                    help="the file to write (default: requirements.lock)")
    out = ap.parse_args().out
    lines = [f"{name}=={version}" for name, version in runtime_closure().items()]
    header = ("# Runtime dependencies of threadloom, pinned for reproducible builds.\n"
              "# Written by scripts/lock_requirements.py; install: pip install -c requirements.lock -e .\n")
    out.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(lines)} packages)")


if __name__ == "__main__":
    main()
