"""Reading a release back: one thread's rows come from the row groups that can hold it."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from release_tools import read_rows as read_all
from threadloom import release
from threadloom.reading import _groups_holding, read_rows


def test_one_thread_is_read_from_the_row_groups_that_hold_it(mixed_release: Path, tmp_path: Path) -> None:
    rows = sorted(read_all(mixed_release, "comments"), key=lambda r: r["thread_id"])  # as a crawl's
    folder = tmp_path / "release"
    info = {"name": "t", "version": "1.0.0"}
    release.write_parquet([release.rows_table(rows, "comments")], "comments",
                          folder / release.parquet_path("comments"), info, row_group_size=7)
    with pq.ParquetFile(folder / release.parquet_path("comments")) as file:
        for thread_id in sorted({r["thread_id"] for r in rows}):
            groups = _groups_holding(file, thread_id)
            assert len(groups) < file.num_row_groups
            expected = [r for r in rows if r["thread_id"] == thread_id]
            assert read_rows(folder, "comments", thread_id) == expected
