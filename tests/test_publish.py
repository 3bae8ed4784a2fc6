"""`threadloom publish`: dry runs, bounded failures against hubs that do not answer, the
never-change-a-published-version rule, and a token that never shows."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from threadloom.cli import main
from threadloom.publish import plan_publish, run_publish

FAKE_TOKEN = "hf_threadloomFakeTokenNeverShown0123456789"


@pytest.fixture
def silent_hub() -> Iterator[str]:
    """A server on 127.0.0.1 that accepts connections and never answers; it stops itself."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(32)
    server.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        deadline = time.monotonic() + 60
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(timeout=5)
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture
def refused_endpoint() -> str:
    """An address on 127.0.0.1 where nothing listens (connection refused)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}"


def _publish(args: list[str], endpoint: str) -> tuple[Any, float]:
    env = {"HF_TOKEN": FAKE_TOKEN, "HF_ENDPOINT": endpoint, "HF_HUB_OFFLINE": None}
    start = time.monotonic()
    result = CliRunner().invoke(main, ["publish", *args], env=env)
    return result, time.monotonic() - start


def _assert_no_token(result: Any) -> None:
    assert FAKE_TOKEN not in result.output
    assert FAKE_TOKEN not in str(result.exception or "")


def test_dry_run_prints_every_file_and_the_tag_and_sends_nothing(
        small_release: Path, refused_endpoint: str) -> None:
    result, _ = _publish([str(small_release), "--repo-id", "org/threads", "--dry-run"],
                         refused_endpoint)
    assert result.exit_code == 0, result.output
    manifest = json.loads((small_release / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        assert f"{entry['path']}  {entry['bytes']} bytes  sha256 {entry['sha256']}" in result.output
    assert "manifest.json" in result.output
    assert "would tag that commit v0.0.1" in result.output
    assert 'revision="v0.0.1"' in result.output
    assert refused_endpoint in result.output
    _assert_no_token(result)


def test_a_hub_that_never_answers_fails_within_the_timeout(small_release: Path,
                                                            silent_hub: str) -> None:
    result, elapsed = _publish([str(small_release), "--repo-id", "org/threads", "--timeout", "3"],
                               silent_hub)
    assert result.exit_code == 1
    assert elapsed < 15
    assert "v0.0.1 is not published" in result.output
    assert "published " not in result.output.split("is not published")[0]
    assert len(result.output.strip().splitlines()) == 1
    _assert_no_token(result)


def test_the_wall_clock_limit_holds_even_before_a_request_times_out(small_release: Path,
                                                                     silent_hub: str) -> None:
    result, elapsed = _publish([str(small_release), "--repo-id", "org/threads", "--timeout", "0.5"],
                               silent_hub)
    assert result.exit_code == 1
    assert elapsed < 10
    assert "is not published" in result.output
    _assert_no_token(result)


def test_no_network_fails_in_seconds_with_a_clear_message(small_release: Path,
                                                          refused_endpoint: str) -> None:
    result, elapsed = _publish([str(small_release), "--repo-id", "org/threads"], refused_endpoint)
    assert result.exit_code == 1
    assert elapsed < 10
    assert f"cannot reach {refused_endpoint}" in result.output
    assert "nothing was uploaded" in result.output
    _assert_no_token(result)


def test_an_invalid_release_is_refused_before_any_upload(
        small_release: Path, release_copy: Callable[[Path], Path], refused_endpoint: str) -> None:
    folder = release_copy(small_release)
    (folder / "README.md").write_text("changed after the build\n", encoding="utf-8")
    result, _ = _publish([str(folder), "--repo-id", "org/threads"], refused_endpoint)
    assert result.exit_code == 1
    assert "not a valid release" in result.output
    assert "cannot reach" not in result.output


def test_a_release_past_the_hubs_advised_limits_is_refused_before_any_upload(
        small_raw: Path, tmp_path: Path, refused_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nine documents in one raw/ folder against an advised limit of eight entries a folder (the
    release's top level holds seven), then a file limit one below the release's files."""
    from threadloom import publish
    from threadloom.api import build

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(small_raw / "dataset.json", raw)
    documents = sorted(small_raw.glob("*.txt"))
    for i in range(9):
        shutil.copy(documents[i % len(documents)], raw / f"doc{i}.txt")
    release = build(raw, tmp_path / "release").out
    monkeypatch.setattr(publish, "HUB_MAX_FOLDER_ENTRIES", 8)
    result, _ = _publish([str(release), "--repo-id", "org/threads", "--dry-run"], refused_endpoint)
    assert result.exit_code == 1
    assert result.output == (f"threadloom: {release}: raw/ holds 9 entries, more than the 8 the Hugging Face "
                             "Hub advises for one folder (spread the raw documents over subfolders of raw/ "
                             "(build reads them; a crawl's release does so itself))\n")
    monkeypatch.setattr(publish, "HUB_MAX_FOLDER_ENTRIES", 10_000)
    files = len(json.loads((release / "manifest.json").read_text(encoding="utf-8"))["files"]) + 1
    monkeypatch.setattr(publish, "HUB_MAX_FILES", files - 1)
    result, _ = _publish([str(release), "--repo-id", "org/threads"], refused_endpoint)
    assert result.exit_code == 1 and f"{files} files, more than the {files - 1:,}" in result.output
    assert "cannot reach" not in result.output
    monkeypatch.setattr(publish, "HUB_MAX_FILES", files)
    result, _ = _publish([str(release), "--repo-id", "org/threads", "--dry-run"], refused_endpoint)
    assert result.exit_code == 0, result.output


def test_a_malformed_repo_id_is_refused(small_release: Path, refused_endpoint: str) -> None:
    result, _ = _publish([str(small_release), "--repo-id", "threads", "--dry-run"], refused_endpoint)
    assert result.exit_code == 1
    assert "threadloom: threads: not a repo id (write it as ORG/NAME)" in result.output


def test_publishing_without_a_token_says_how_to_give_one(
        small_release: Path, refused_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub

    monkeypatch.setattr(huggingface_hub, "get_token", lambda: None)
    env = {"HF_TOKEN": None, "HUGGING_FACE_HUB_TOKEN": None, "HF_ENDPOINT": refused_endpoint,
           "HF_HUB_OFFLINE": None}
    result = CliRunner().invoke(main, ["publish", str(small_release), "--repo-id", "org/x"], env=env)
    assert result.exit_code == 1
    assert "no Hugging Face token found (set HF_TOKEN or run `hf auth login`)" in result.output


def test_offline_mode_refuses_to_publish_but_allows_a_dry_run(small_release: Path,
                                                              refused_endpoint: str) -> None:
    env = {"HF_TOKEN": FAKE_TOKEN, "HF_ENDPOINT": refused_endpoint, "HF_HUB_OFFLINE": "1"}
    args = ["publish", str(small_release), "--repo-id", "org/threads"]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 1
    assert "HF_HUB_OFFLINE is set" in result.output and "cannot reach" not in result.output
    assert CliRunner().invoke(main, [*args, "--dry-run"], env=env).exit_code == 0


def test_publish_help_has_a_worked_example() -> None:
    result = CliRunner().invoke(main, ["publish", "--help"])
    assert "Example:" in result.output and "threadloom publish " in result.output


class FakeHub:
    """Records the calls run_publish makes; `tags` maps a tag to its manifest bytes."""

    def __init__(self, tmp: Path, tags: dict[str, bytes] | None = None, tag_fails: bool = False):
        self.tmp, self.tags, self.tag_fails = tmp, tags or {}, tag_fails
        self.calls: list[str] = []

    def create_repo(self, repo_id: str, **_: Any) -> None:
        self.calls.append("create_repo")

    def list_repo_refs(self, repo_id: str, **_: Any) -> Any:
        self.calls.append("list_repo_refs")
        return SimpleNamespace(tags=[SimpleNamespace(name=t) for t in self.tags])

    def hf_hub_download(self, repo_id: str, filename: str, **kwargs: Any) -> str:
        self.calls.append(f"download {filename}@{kwargs['revision']}")
        path = self.tmp / "remote-manifest.json"
        path.write_bytes(self.tags[kwargs["revision"]])
        return str(path)

    def upload_folder(self, **kwargs: Any) -> Any:
        self.calls.append(f"upload delete={kwargs['delete_patterns']}")
        return SimpleNamespace(oid="abc123")

    def create_tag(self, repo_id: str, **kwargs: Any) -> None:
        if self.tag_fails:
            raise RuntimeError("tagging failed")
        self.calls.append(f"tag {kwargs['tag']}@{kwargs['revision']}")


def _job(release: Path) -> dict[str, Any]:
    plan = plan_publish(release, "org/threads", "http://127.0.0.1:1")
    return {"folder": str(plan.folder), "repo_id": plan.repo_id, "tag": plan.tag}


def test_a_new_version_is_uploaded_then_its_commit_is_tagged(small_release: Path, tmp_path: Path) -> None:
    hub = FakeHub(tmp_path)
    final = run_publish(hub, _job(small_release), say=lambda _: None)
    assert final == {"ok": True, "already_published": False, "commit": "abc123"}
    assert hub.calls == ["create_repo", "list_repo_refs", "upload delete=*", "tag v0.0.1@abc123"]


def test_a_version_already_published_with_the_same_content_is_left_alone(
        small_release: Path, tmp_path: Path) -> None:
    hub = FakeHub(tmp_path, {"v0.0.1": (small_release / "manifest.json").read_bytes()})
    final = run_publish(hub, _job(small_release), say=lambda _: None)
    assert final["ok"] and final["already_published"]
    assert not any(c.startswith(("upload", "tag")) for c in hub.calls)


def test_a_published_version_is_never_changed(small_release: Path, tmp_path: Path) -> None:
    hub = FakeHub(tmp_path, {"v0.0.1": b'{"other": "release"}\n'})
    final = run_publish(hub, _job(small_release), say=lambda _: None)
    assert final["ok"] is False
    assert "already published" in final["error"] and "bump the version" in final["hint"]
    assert not any(c.startswith(("upload", "tag")) for c in hub.calls)


def test_an_upload_whose_tag_fails_is_not_reported_as_published(small_release: Path,
                                                                 tmp_path: Path) -> None:
    hub = FakeHub(tmp_path, tag_fails=True)
    with pytest.raises(RuntimeError, match="tagging failed"):
        run_publish(hub, _job(small_release), say=lambda _: None)
