"""Publish a release folder as a Hugging Face dataset repository, tagged with its version.

`publish_release` validates the folder, then runs the upload in a child process
(`python -m threadloom.publish`) with a wall-clock limit, because huggingface_hub sets no timeout
of its own: a hub that accepts connections and never answers costs at most `timeout` seconds.
Inside the child every HTTP request also has its own timeout. The child:

1. creates the dataset repo if it does not exist;
2. if the version's tag is already on the repo, compares that tag's manifest.json with the
   release's: the same → nothing to do; different → refused (published versions never change);
3. uploads the folder (`upload_folder`, removing remote files the release does not have);
4. tags that commit `v<version>` (`create_tag`).

Success is reported only after the tag exists. The token comes from huggingface_hub's own settings
(HF_TOKEN or `hf auth login`); threadloom never reads it into a message, a log or a file, and
scrubs it from anything the child says before showing it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .errors import ThreadloomError
from .release import MANIFEST

DEFAULT_ENDPOINT = "https://huggingface.co"
DEFAULT_TIMEOUT = 60.0
# The Hub's advice for a repository ("Repository limitations and recommendations"): beyond these
# an upload is slow to fail or the repo degrades, so a release past them is refused up front.
HUB_MAX_FILES = 100_000
HUB_MAX_FOLDER_ENTRIES = 10_000


@dataclass(frozen=True)
class PublishPlan:
    folder: Path
    repo_id: str
    endpoint: str
    version: str
    files: list[dict[str, Any]]  # path, bytes, sha256 (manifest.json itself included)

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    def to_dict(self) -> dict[str, Any]:
        return {"repo_id": self.repo_id, "repo_type": "dataset", "endpoint": self.endpoint,
                "version": self.version, "tag": self.tag, "folder": str(self.folder),
                "files": self.files, "delete_remote_files_not_listed": True}

    def render(self) -> str:
        total = sum(int(f["bytes"]) for f in self.files)
        lines = [f"would upload {len(self.files)} files ({total} bytes) from {self.folder} "
                 f"to the dataset repo {self.repo_id} at {self.endpoint}:"]
        lines += [f"    {f['path']}  {f['bytes']} bytes  sha256 {f['sha256']}" for f in self.files]
        lines.append("would delete every other file on the repo (except .gitattributes)")
        lines.append(f"would tag that commit {self.tag}: "
                     f'load_dataset("{self.repo_id}", "comments", revision="{self.tag}")')
        return "\n".join(lines)


@dataclass
class PublishResult:
    plan: PublishPlan
    commit: str | None
    already_published: bool
    steps: list[str] = field(default_factory=list)


def hub_endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def plan_publish(folder: Path, repo_id: str, endpoint: str | None = None) -> PublishPlan:
    """What `publish` would upload and tag; refuses an invalid release or a malformed repo id."""
    from .validate import validate_release

    folder = Path(folder)
    if repo_id.count("/") != 1 or not all(repo_id.split("/")):
        raise ThreadloomError(repo_id, "not a repo id", "write it as ORG/NAME")
    report = validate_release(folder)
    if not report.ok:
        raise ThreadloomError(str(folder), f"not a valid release ({len(report.problems)} problem(s), "
                              f"first: {report.problems[0]})", "run threadloom validate on it")
    manifest_path = folder / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    data = manifest_path.read_bytes()
    from .sources import sha256_hex

    files = [*manifest["files"], {"path": MANIFEST, "bytes": len(data), "sha256": sha256_hex(data)}]
    files.sort(key=lambda f: str(f["path"]))
    _check_hub_limits(folder, [str(f["path"]) for f in files])
    return PublishPlan(folder.resolve(), repo_id, (endpoint or hub_endpoint()).rstrip("/"),
                       str(manifest["dataset_version"]), files)


def _check_hub_limits(folder: Path, paths: list[str]) -> None:
    """Refuse a release with more files, or a folder with more entries, than the Hub advises."""
    problem = hub_limit_problem(paths)
    if problem:
        raise ThreadloomError(str(folder), *problem)


def hub_limit_problem(paths: list[str]) -> tuple[str, str] | None:
    """(what, hint) when these release files exceed what the Hub advises for one repository (its
    files, or one folder's entries); None when they do not."""
    if len(paths) > HUB_MAX_FILES:
        return (f"{len(paths)} files, more than the {HUB_MAX_FILES:,} the Hugging Face Hub advises for one "
                "repository", "split the documents into several releases, or crawl (or merge) with "
                "--raw-as parquet: the raw documents as the rows of one file")
    entries: dict[str, set[str]] = {}
    for path in paths:
        parts = path.split("/")
        for depth in range(len(parts)):
            entries.setdefault("/".join(parts[:depth]), set()).add(parts[depth])
    crowded = sorted(parent for parent, names in entries.items() if len(names) > HUB_MAX_FOLDER_ENTRIES)
    if crowded:
        parent = crowded[0]
        return (f"{parent or '.'}/ holds {len(entries[parent])} entries, more than the "
                f"{HUB_MAX_FOLDER_ENTRIES:,} the Hugging Face Hub advises for one folder",
                "spread the raw documents over subfolders of raw/ (build reads them; a crawl's release "
                "does so itself)")
    return None


def release_hub_problem(folder: Path) -> tuple[str, str] | None:
    """hub_limit_problem of a release's files as its manifest lists them (and the manifest)."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return hub_limit_problem([*(str(f["path"]) for f in manifest.get("files", [])), MANIFEST])


def _token_values() -> list[str]:
    """The token(s) huggingface_hub would use, only so they can be scrubbed from messages."""
    values = [os.environ.get(name, "") for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")]
    try:
        from huggingface_hub import get_token

        values.append(get_token() or "")
    except Exception:  # pragma: no cover - a broken token store must not stop the error path
        pass
    return [v for v in values if len(v) >= 4]


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def publish_release(folder: Path, repo_id: str, *, timeout: float = DEFAULT_TIMEOUT,
                    endpoint: str | None = None) -> PublishResult:
    """Upload and tag the release; raises ThreadloomError with a one-line reason on any failure."""
    plan = plan_publish(folder, repo_id, endpoint)
    if timeout <= 0:
        raise ThreadloomError("--timeout", f"{timeout} is not positive", "give a number of seconds")
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on"):
        raise ThreadloomError(plan.repo_id, "HF_HUB_OFFLINE is set, so nothing may be sent to the hub",
                              "unset HF_HUB_OFFLINE to publish, or use --dry-run")
    secrets = _token_values()
    if not secrets:
        raise ThreadloomError(plan.repo_id, "no Hugging Face token found",
                              "set HF_TOKEN or run `hf auth login`")
    request_timeout = max(1.0, min(timeout / 2, 30.0))
    job = {"folder": str(plan.folder), "repo_id": plan.repo_id, "endpoint": plan.endpoint,
           "tag": plan.tag, "request_timeout": request_timeout}
    env = {**os.environ, "HF_HUB_DISABLE_PROGRESS_BARS": "1", "HF_HUB_DISABLE_TELEMETRY": "1",
           "HF_HUB_ETAG_TIMEOUT": str(int(request_timeout)),
           "HF_HUB_DOWNLOAD_TIMEOUT": str(int(request_timeout))}
    try:
        done = subprocess.run([sys.executable, "-m", "threadloom.publish"], input=json.dumps(job),
                              capture_output=True, text=True, timeout=timeout, env=env)
        out, err, code = done.stdout, done.stderr, done.returncode
    except subprocess.TimeoutExpired as expired:
        steps = _steps(_text(expired.stdout))
        raise ThreadloomError(plan.endpoint, f"gave up after {timeout:g} s without an answer "
                              f"(stopped while: {steps[-1] if steps else 'starting'}); "
                              f"{_unfinished(plan, steps)}",
                              "check the network and HF_ENDPOINT, or pass a larger --timeout") from None
    steps = _steps(out)
    final = _final(out)
    if code != 0 or final is None or not final.get("ok"):
        reason = final.get("error") if final else (err.strip().splitlines() or ["no output"])[-1]
        raise ThreadloomError(plan.repo_id, f"{scrub(str(reason), secrets)}; "
                              f"{_unfinished(plan, steps)}", _hint(final))
    return PublishResult(plan, final.get("commit"), bool(final.get("already_published")), steps)


def _text(value: str | bytes | None) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else (value or "")


def _messages(out: str) -> list[dict[str, Any]]:
    messages = []
    for line in out.splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            messages.append(value)
    return messages


def _steps(out: str) -> list[str]:
    return [str(m["step"]) for m in _messages(out) if "step" in m]


def _final(out: str) -> dict[str, Any] | None:
    finals = [m for m in _messages(out) if "ok" in m]
    return finals[-1] if finals else None


def _unfinished(plan: PublishPlan, steps: list[str]) -> str:
    if any(s.startswith("uploading") for s in steps):
        return (f"the files may be on the repo's main branch, but the tag {plan.tag} was not created, "
                "so the version is not published")
    return f"nothing was uploaded and {plan.tag} is not published"


def _hint(final: dict[str, Any] | None) -> str:
    if final and final.get("hint"):
        return str(final["hint"])
    return "fix the cause, then rerun threadloom publish"


# --- the child process -------------------------------------------------------------------------

class HubApi(Protocol):
    """The part of huggingface_hub.HfApi that publishing uses (a fake stands in for it in tests)."""

    def create_repo(self, repo_id: str, *, repo_type: str, exist_ok: bool) -> Any: ...
    def list_repo_refs(self, repo_id: str, *, repo_type: str) -> Any: ...
    def hf_hub_download(self, repo_id: str, filename: str, *, repo_type: str, revision: str,
                        cache_dir: str) -> str: ...
    def upload_folder(self, *, repo_id: str, folder_path: str, repo_type: str,
                      commit_message: str, delete_patterns: str) -> Any: ...
    def create_tag(self, repo_id: str, *, tag: str, revision: str, repo_type: str,
                   tag_message: str) -> Any: ...


def run_publish(api: HubApi, job: dict[str, Any], say: Any = print) -> dict[str, Any]:
    """Steps 1-4 of the module docstring against `api`; returns the final message."""
    folder, repo_id, tag = Path(job["folder"]), job["repo_id"], job["tag"]

    def step(text: str) -> None:
        say(json.dumps({"step": text}))

    step("creating the repo if needed")
    api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
    step("reading the repo's tags")
    refs = api.list_repo_refs(repo_id, repo_type="dataset")
    if tag in {t.name for t in refs.tags}:
        step(f"comparing the manifest of the existing tag {tag}")
        with tempfile.TemporaryDirectory() as cache:
            remote = Path(api.hf_hub_download(repo_id, MANIFEST, repo_type="dataset", revision=tag,
                                              cache_dir=cache)).read_bytes()
        if remote == (folder / MANIFEST).read_bytes():
            return {"ok": True, "already_published": True, "commit": None}
        return {"ok": False, "error": f"{tag} is already published on {repo_id} with different "
                "content, and a published version is never changed",
                "hint": "bump the version in raw/dataset.json, add a CHANGELOG entry and rebuild"}
    step(f"uploading {folder}")
    commit = api.upload_folder(repo_id=repo_id, folder_path=str(folder), repo_type="dataset",
                               commit_message=f"Release {tag}", delete_patterns="*")
    step(f"tagging commit {commit.oid} as {tag}")
    api.create_tag(repo_id, tag=tag, revision=commit.oid, repo_type="dataset",
                   tag_message=f"threadloom release {tag}")
    return {"ok": True, "already_published": False, "commit": commit.oid}


def _hub_api(endpoint: str, request_timeout: float) -> HubApi:
    """HfApi whose every HTTP request has a timeout, whatever the caller passes (huggingface_hub
    passes timeout=None on some calls, which overrides a client-level default)."""
    import httpx2
    from huggingface_hub import HfApi, set_client_factory

    limit = httpx2.Timeout(request_timeout).as_dict()

    class BoundedTransport(httpx2.HTTPTransport):
        def handle_request(self, request: httpx2.Request) -> httpx2.Response:
            request.extensions = {**request.extensions, "timeout": limit}
            return super().handle_request(request)

    set_client_factory(lambda: httpx2.Client(transport=BoundedTransport(), follow_redirects=True,
                                             timeout=request_timeout))
    api: HubApi = HfApi(endpoint=endpoint)
    return api


def describe_failure(err: Exception, endpoint: str) -> dict[str, str]:
    """One line saying what went wrong, and a hint, for the errors a user can act on."""
    import httpx2

    text = f"{type(err).__name__}: {' '.join(str(err).split())[:300]}"
    if isinstance(err, httpx2.TimeoutException):
        return {"error": f"{endpoint} did not answer in time ({text})",
                "hint": "check the network and HF_ENDPOINT, or pass a larger --timeout"}
    if isinstance(err, httpx2.NetworkError):
        return {"error": f"cannot reach {endpoint} ({text})",
                "hint": "check the network connection and HF_ENDPOINT"}
    status = getattr(getattr(err, "response", None), "status_code", None)
    if status in (401, 403):
        return {"error": f"the hub refused the token ({text})",
                "hint": "use a token with write access to the repo: HF_TOKEN or `hf auth login`"}
    return {"error": text, "hint": "fix the cause, then rerun threadloom publish"}


def _child_main() -> int:
    job = json.loads(sys.stdin.read())
    try:
        final = run_publish(_hub_api(job["endpoint"], float(job["request_timeout"])), job,
                            say=lambda line: print(line, flush=True))
    except Exception as err:  # every failure becomes one message the parent reports
        final = {"ok": False, **describe_failure(err, job["endpoint"])}
    print(json.dumps(final), flush=True)
    return 0 if final.get("ok") else 1


if __name__ == "__main__":
    sys.exit(_child_main())
