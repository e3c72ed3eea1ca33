"""The run summary: one record per run, read back from the ``runs`` table after commit."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import duckdb


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What one ingest run did (the ``runs`` row, plus where the data went)."""

    run_id: str
    status: str
    pages_read: int
    pages_failed: int
    threads: int
    threads_new: int
    comments_new: int
    comments_updated: int
    comments_unchanged: int
    comments_removed: int
    duplicates_collapsed: int
    rejects: int
    seconds: float
    db_path: str
    parquet_dir: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def rows(self) -> list[dict[str, Any]]:
        """The summary as (metric, value) rows, for tables and artifacts."""
        return [{"metric": k, "value": v} for k, v in self.as_dict().items()]


_COUNTS = (
    "pages_read", "pages_failed", "threads", "threads_new", "comments_new", "comments_updated",
    "comments_unchanged", "comments_removed", "duplicates_collapsed", "rejects",
)  # fmt: skip


def read_summary(
    con: duckdb.DuckDBPyConnection, run_id: str, *, db_path: str, parquet_dir: str
) -> RunSummary:
    """The summary of one committed run."""
    row = con.execute(
        f"select status, {', '.join(_COUNTS)}, "
        "epoch(finished_at) - epoch(started_at) from runs where run_id = ?",
        [run_id],
    ).fetchone()
    if row is None:
        raise LookupError(f"run {run_id} is not in the runs table")
    status, *counts, seconds = row
    return RunSummary(
        run_id=run_id, status=str(status),
        **{name: int(value) for name, value in zip(_COUNTS, counts, strict=True)},
        seconds=round(float(seconds), 2), db_path=db_path, parquet_dir=parquet_dir,
    )  # fmt: skip
