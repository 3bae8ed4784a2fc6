"""Versions: one semantic version per dataset with its CHANGELOG entry, builds that are
byte-identical across fresh processes, and the record of what reproduces a build."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from threadloom import __version__
from threadloom.cli import main
from threadloom.release import DEPENDENCIES

REPO = Path(__file__).resolve().parents[1]
BUILD = "import sys; from threadloom.cli import main; sys.exit(main())"


def _checksums(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_dataset_version_has_a_changelog_entry() -> None:
    version = json.loads((REPO / "raw" / "dataset.json").read_text(encoding="utf-8"))["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    headings = re.findall(r"^## (.+)$", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert any(re.search(rf"\bdataset {re.escape(version)}\b", h) for h in headings), (
        f"CHANGELOG.md has no heading for dataset {version}: add one before releasing it")


def test_the_tool_version_has_a_changelog_entry() -> None:
    headings = re.findall(r"^## (.+)$", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert any(h.startswith(f"{__version__} ") or h == __version__ for h in headings)


def test_two_builds_in_fresh_processes_are_byte_identical(tmp_path: Path) -> None:
    """Different hash seeds, working directories and temp dirs; the same locked environment."""
    builds = []
    for n, seed in enumerate(("1", "12345")):
        cwd = tmp_path / f"cwd{n}"
        (cwd / "tmp").mkdir(parents=True)
        env = {**os.environ, "PYTHONHASHSEED": seed, "TMPDIR": str(cwd / "tmp"),
               "TZ": "UTC" if n else "Asia/Tokyo"}
        out = tmp_path / f"build{n}" / "release"
        builds.append((subprocess.Popen([sys.executable, "-c", BUILD, "build", str(REPO / "raw"),
                                         "--out", str(out), "--quiet"],
                                        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True), out))
    for process, _ in builds:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    first, second = (_checksums(out) for _, out in builds)
    assert first == second
    assert "croissant.json" in first and "manifest.json" in first


def test_rebuilding_an_identical_version_says_it_changed_nothing(small_raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "release"
    assert CliRunner().invoke(main, ["build", str(small_raw), "--out", str(out)]).exit_code == 0
    again = CliRunner().invoke(main, ["build", str(small_raw), "--out", str(out)])
    assert again.exit_code == 0
    assert "unchanged, identical release already at" in again.output


def test_the_manifest_records_what_reproduces_the_build(seed_release: Path) -> None:
    manifest = json.loads((seed_release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["built_with"]["threadloom"] == __version__
    for name in ("pyarrow", "datasets", "ftfy", "huggingface_hub", "pyyaml"):
        assert name in DEPENDENCIES and manifest["built_with"][name] != "not installed"
    raw = {d["source_file"]: d["sha256"] for d in manifest["raw_documents"]}
    for name, digest in raw.items():
        assert hashlib.sha256((REPO / "raw" / name).read_bytes()).hexdigest() == digest


def test_the_lock_file_pins_every_runtime_dependency() -> None:
    import tomllib

    lock = (REPO / "requirements.lock").read_text(encoding="utf-8")
    pinned = {line.split("==")[0] for line in lock.splitlines() if "==" in line}
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"]:
        name = re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]
        assert re.sub(r"[-_.]+", "-", name).lower() in pinned, f"{name} is not in requirements.lock"
