"""Figures of a release, computed once from its rows and quoted by the card and the datasheet."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from .records import Row

HIGH_CONFIDENCE = 0.9


@dataclass(frozen=True)
class ReleaseStats:
    n_threads: int
    n_comments: int
    n_speakers: int
    n_named_speakers: int  # speakers other than the post author whose name the text gives
    n_post_author_comments: int
    n_top_level_comments: int
    max_depth: int
    n_repairs: int
    repairs_by_rule: dict[str, int]
    high_confidence: dict[str, int]  # per decision kind: comments with confidence >= 0.9
    num_examples: dict[str, int] = field(default_factory=dict)
    num_bytes: dict[str, int] = field(default_factory=dict)


def _rule_family(rule: str) -> str:
    return "ftfy" if rule.startswith("ftfy") else rule


def compute_stats(rows: dict[str, list[Row]], folder: Path | None = None) -> ReleaseStats:
    comments, threads, speakers = rows["comments"], rows["threads"], rows["speakers"]
    repairs = [r for t in threads for r in t["article_repairs"]]
    repairs += [r for c in comments for r in c["repairs"]]
    num_bytes: dict[str, int] = {}
    if folder is not None:
        from .release import parquet_path

        for config in rows:  # what `datasets` reports: the Arrow size of the table read back
            with pq.ParquetFile(folder / parquet_path(config)) as written:
                num_bytes[config] = int(written.read().nbytes)
    return ReleaseStats(
        n_threads=len(threads),
        n_comments=len(comments),
        n_speakers=len(speakers),
        n_named_speakers=sum(1 for s in speakers if s["speaker_name"] and not s["is_post_author"]),
        n_post_author_comments=sum(1 for c in comments if c["is_post_author"]),
        n_top_level_comments=sum(1 for c in comments if c["parent_id"] is None),
        max_depth=max((c["depth"] for c in comments), default=0),
        n_repairs=len(repairs),
        repairs_by_rule=dict(sorted(Counter(_rule_family(r["rule"]) for r in repairs).items())),
        high_confidence={
            kind: sum(1 for c in comments if c[f"{kind}_confidence"] >= HIGH_CONFIDENCE)
            for kind in ("boundary", "parent", "speaker", "post_author")
        },
        num_examples={config: len(config_rows) for config, config_rows in rows.items()},
        num_bytes=num_bytes,
    )
