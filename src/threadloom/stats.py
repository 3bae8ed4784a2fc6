"""Figures of a release, counted from its rows as they are written (row group by row group, so
a release of any size is counted in bounded memory) and quoted by the card, the datasheet and the
plots."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .records import Row
from .schemas import CONFIGS, RAW_CONFIG, release_configs

HIGH_CONFIDENCE = 0.9
KINDS = ("boundary", "parent", "speaker", "post_author")  # the decisions every comment carries


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

    @property
    def configs(self) -> tuple[str, ...]:
        """The release's configs: the three, and `raw` when it holds its raw documents as rows."""
        return tuple(self.num_examples) or CONFIGS


def _rule_family(rule: str) -> str:
    return "ftfy" if rule.startswith("ftfy") else rule


@dataclass
class Figures:
    """Counts of a release's rows. `add` takes one config's rows at a time; each config's counts
    are kept apart, so the three configs can be counted by three writer threads."""

    num_examples: dict[str, int] = field(default_factory=dict)
    comments_per_thread: Counter[int] = field(default_factory=Counter)
    article_repairs: Counter[str] = field(default_factory=Counter)  # by rule family
    depth: Counter[int] = field(default_factory=Counter)
    comment_repairs: Counter[str] = field(default_factory=Counter)
    confidence_bins: dict[str, list[int]] = field(default_factory=lambda: {k: [0] * 10 for k in KINDS})
    high_confidence: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    post_author_comments: int = 0
    top_level_comments: int = 0
    first_comment: Row | None = None
    comments_per_speaker: Counter[int] = field(default_factory=Counter)
    named_speakers: int = 0

    def add(self, config: str, table: pa.Table) -> None:
        """Count one config's rows (Arrow compute: no Python object per row)."""
        self.num_examples[config] = self.num_examples.get(config, 0) + table.num_rows
        if config == "threads":
            _count_values(self.comments_per_thread, table["n_comments"])
            _count_rules(self.article_repairs, table["article_repairs"])
        elif config == "comments":
            if self.first_comment is None and table.num_rows:
                self.first_comment = table.slice(0, 1).to_pylist()[0]
            _count_values(self.depth, table["depth"])
            self.top_level_comments += table["parent_id"].null_count
            self.post_author_comments += _true_count(table["is_post_author"])
            _count_rules(self.comment_repairs, table["repairs"])
            for kind in KINDS:
                confidence = table[f"{kind}_confidence"]
                # the tenth it falls in, as int(confidence * 10) would say, 1.0 in the last one
                tenths = pc.min_element_wise(pc.cast(pc.floor(pc.multiply(confidence, 10.0)), pa.int64()), 9)
                for tenth, n in _value_counts(tenths).items():
                    self.confidence_bins[kind][tenth] += n
                self.high_confidence[kind] += _true_count(pc.greater_equal(confidence, HIGH_CONFIDENCE))
        elif config == "speakers":
            _count_values(self.comments_per_speaker, table["n_comments"])
            named = pc.and_(pc.invert(table["is_post_author"]),
                            pc.greater(pc.utf8_length(pc.fill_null(table["speaker_name"], "")), 0))
            self.named_speakers += _true_count(named)


def _value_counts(values: pa.ChunkedArray | pa.Array) -> dict[Any, int]:
    counts = pc.value_counts(values)
    return dict(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True))


def _count_values(counter: Counter[int], values: pa.ChunkedArray) -> None:
    counter.update(_value_counts(values))


def _true_count(mask: pa.ChunkedArray | pa.Array) -> int:
    return int(pc.sum(mask).as_py() or 0)


def _count_rules(counter: Counter[str], repairs: pa.ChunkedArray) -> None:
    if not len(repairs):
        return
    rules = pc.list_flatten(repairs).combine_chunks().field("rule")
    for rule, n in _value_counts(rules).items():
        counter[_rule_family(rule)] += n


def compute_stats(figures: Figures, folder: Path | None = None) -> ReleaseStats:
    configs = release_configs(RAW_CONFIG in figures.num_examples)
    num_bytes: dict[str, int] = {}
    if folder is not None:
        from .release import parquet_path

        for config in configs:  # what `datasets` reports: the Arrow size of the table read back
            with pq.ParquetFile(folder / parquet_path(config)) as written:  # a row group at a time
                groups = range(written.num_row_groups)
                num_bytes[config] = sum(written.read_row_group(i).nbytes for i in groups)
    repairs = figures.article_repairs + figures.comment_repairs
    return ReleaseStats(
        n_threads=figures.num_examples.get("threads", 0),
        n_comments=figures.num_examples.get("comments", 0),
        n_speakers=figures.num_examples.get("speakers", 0),
        n_named_speakers=figures.named_speakers,
        n_post_author_comments=figures.post_author_comments,
        n_top_level_comments=figures.top_level_comments,
        max_depth=max(figures.depth, default=0),
        n_repairs=sum(repairs.values()),
        repairs_by_rule=dict(sorted(repairs.items())),
        high_confidence=dict(figures.high_confidence),
        num_examples={config: figures.num_examples.get(config, 0) for config in configs},
        num_bytes=num_bytes,
    )
