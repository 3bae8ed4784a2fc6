"""Sections of the dataset card that come from outside the figures: how to load each version, an
example record, the measured accuracy, and what the datasheet says about uses, limitations,
distribution and maintenance (quoted, so the card and the datasheet cannot disagree).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from importlib import resources
from typing import Any

from .croissant import datasheet_answers

EXAMPLE_TEXT_CHARS = 160


def versions_section(info: dict[str, Any]) -> str:
    repo_id = info.get("hub_repo_id", "ORG/NAME")
    version = info["version"]
    return f"""Every version is published as a git tag `v<version>` on the dataset repository and is
never changed afterwards; pass it as `revision` to get exactly that release:

```python
from datasets import load_dataset

comments = load_dataset("{repo_id}", "comments", split="train", revision="v{version}")
```

The tags are listed on the repository's "Files and versions" page; CHANGELOG.md of the threadloom
repository says what changed in each. `threadloom diff OLD NEW` lists the changes between two
downloaded releases."""


def example_record(rows: list[dict[str, Any]] | None, limit: int = EXAMPLE_TEXT_CHARS) -> str:
    """The first comment row as JSON, its text cut to `limit` characters."""
    if not rows:
        return "This release has no comments."
    row = dict(rows[0])
    if len(row["text"]) > limit:
        row["text"] = row["text"][:limit] + " [...]"
    return ("The first row of `comments` (text shortened here):\n\n```json\n"
            + json.dumps(row, indent=2, ensure_ascii=False) + "\n```")


def load_accuracy() -> dict[str, Any]:
    """`accuracy.json` in the package: measured accuracy, written by the evaluation, never by hand."""
    path = resources.files("threadloom") / "accuracy.json"
    try:
        value: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return value


def accuracy_section(accuracy: dict[str, Any] | None = None) -> str:
    data = load_accuracy() if accuracy is None else accuracy
    results = data.get("results") or []
    if not results:
        return ("The measured accuracy is not recorded in this build's package; DATASHEET.md, "
                "\"Preprocessing, cleaning, labeling\", gives the numbers and how they were measured.")
    lines = _metric_table(("split", "gold comments"), results, ("split", "n"), _with_interval)
    source = data.get("measured_with", "")
    brackets = "; in brackets, 95% bootstrap intervals over the split's blogs and threads"
    intervals = any("interval_95" in r for r in results)
    return ("Measured" + (f" with {source}" if source else "") + " (DATASHEET.md says how"
            + (brackets if intervals else "") + "):\n\n" + "\n".join(lines)
            + _baselines_table(data.get("baselines") or []))


def _baselines_table(baselines: list[dict[str, Any]]) -> str:
    """The same metrics for readings that infer nothing, measured on the same splits (if any were
    recorded): what the figures above are worth."""
    if not baselines:
        return ""
    lines = _metric_table(("split", "reading"), baselines, ("split", "reading"), lambda b: b.get("value"))
    return ("\n\nThe same splits read by readings that infer nothing (DATASHEET.md, \"Against a reading "
            "that infers nothing\"):\n\n" + "\n".join(lines))


def _metric_table(columns: tuple[str, ...], records: list[dict[str, Any]], fields: tuple[str, ...],
                  value: Callable[[dict[str, Any]], Any]) -> list[str]:
    """accuracy.json's records (one metric's value each) as a Markdown table: a row per distinct
    value of `fields` (headed `columns`), then a column per metric in the records' first order ("-"
    where a row has none); `value` gives a record's cell."""
    metrics = list(dict.fromkeys(str(r.get("metric", "")) for r in records))
    rows: dict[tuple[str, ...], dict[str, Any]] = {}
    for r in records:
        rows.setdefault(tuple(str(r.get(f, "")) for f in fields), {})[str(r.get("metric", ""))] = value(r)
    lines = ["| " + " | ".join((*columns, *metrics)) + " |", "|" + "---|" * (len(columns) + len(metrics))]
    lines += ["| " + " | ".join((*key, *(str(row.get(m, "-")) for m in metrics))) + " |"
              for key, row in rows.items()]
    return lines


def _with_interval(result: dict[str, Any]) -> str:
    """A measured value, with its 95% interval when one was measured: "0.684 (0.53-0.81)"."""
    bounds = result.get("interval_95")
    value = str(result.get("value"))
    if isinstance(bounds, list) and len(bounds) == 2:
        return f"{value} ({bounds[0]:.2f}-{bounds[1]:.2f})"
    return value


def datasheet_section(datasheet: str | None, heading: str) -> str:
    """The body of `## heading` of the datasheet, headings demoted so they nest in the card."""
    if datasheet is None:
        return "See DATASHEET.md."
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", datasheet, re.S | re.M)
    if not match:
        return "See DATASHEET.md."
    return match.group(1).strip()


def quoted(datasheet: str | None, *questions: str) -> str:
    """The datasheet's answers to these questions, one paragraph each."""
    if datasheet is None:
        return "See DATASHEET.md."
    answers = datasheet_answers(datasheet)
    found = [f"**{q}** {answers[q]}" for q in questions if answers.get(q)]
    return "\n\n".join(found) if found else "See DATASHEET.md."
