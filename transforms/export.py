"""Parquet export for analysts and dashboards: data/parquet/{threads,comments}/site=<site>/.

Readers query it while loads run:
    select * from read_parquet('data/parquet/comments/**/*.parquet', hive_partitioning=true)

Atomicity: each table is written by DuckDB into a temporary folder beside the export, then each
partition file is moved into place with ``os.replace`` (atomic on one file system), so a reader
sees every partition file either whole-old or whole-new, never truncated. Only the partitions of
the given sites are rewritten (a run touches few sites); stale files are removed last.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path

import duckdb

_QUERIES = {
    "threads": "select * from threads",
    "comments": (
        "select c.*, t.site from comments as c join threads as t on t.thread_id = c.thread_id"
    ),
}


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def export_parquet(
    con: duckdb.DuckDBPyConnection, parquet_dir: Path, sites: Sequence[str] | None = None
) -> dict[str, int]:
    """Rewrite the export's partitions for ``sites`` (all sites when None); rows written per
    table."""
    parquet_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for table, query in _QUERIES.items():
        where = ""
        if sites is not None:
            if not sites:
                written[table] = 0
                continue
            alias = "t." if table == "comments" else ""
            where = f" where {alias}site in ({', '.join(_lit(s) for s in sites)})"
        tmp = parquet_dir / f".tmp-{table}-{uuid.uuid4().hex[:8]}"
        try:
            (count,) = con.execute(
                # no ORDER BY: a global sort of every comment's text would be the run's memory
                # peak; the scan keeps insertion order (thread by thread, in page order)
                f"copy ({query}{where}) to {_lit(str(tmp))} "
                "(format parquet, compression zstd, partition_by (site), "
                "filename_pattern 'data_{i}', overwrite_or_ignore true)"
            ).fetchone() or (0,)
            written[table] = int(count)
            _swap_in(tmp, parquet_dir / table)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return written


def _swap_in(tmp: Path, final: Path) -> None:
    """Move each new partition's files into place, then drop files the new export lacks."""
    if not tmp.exists():
        return
    for new_partition in sorted(p for p in tmp.iterdir() if p.is_dir()):
        target = final / new_partition.name
        target.mkdir(parents=True, exist_ok=True)
        new_files = sorted(new_partition.glob("*.parquet"))
        for file in new_files:
            file.replace(target / file.name)
        keep = {f.name for f in new_files}
        for old in target.glob("*.parquet"):
            if old.name not in keep:
                old.unlink()
