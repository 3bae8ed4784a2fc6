"""Reading a release back: the rows of one config, with one clear error for a folder that is
not a release or a damaged file (validate reports damage in detail; the other commands stop)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

from .errors import ThreadloomError
from .release import parquet_path

Row = dict[str, Any]


def read_rows(folder: Path, config: str, thread_id: str | None = None) -> list[Row]:
    """Every row of `config` in the release at `folder` (only `thread_id`'s rows when given)."""
    path = Path(folder) / parquet_path(config)
    try:
        table = pq.read_table(path)
    except FileNotFoundError:
        raise ThreadloomError(str(path), "missing", "is this a threadloom release folder?") from None
    except Exception as err:  # pyarrow raises several types for damaged files
        raise ThreadloomError(str(path), f"not a readable Parquet file ({type(err).__name__})",
                              "run threadloom validate on it") from None
    if thread_id is not None:
        table = table.filter(pc.equal(table["thread_id"], thread_id))
    rows: list[Row] = table.to_pylist()
    return rows
