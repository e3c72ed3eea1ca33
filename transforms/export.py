"""Parquet export for analysts and dashboards: data/parquet/{threads,comments}/site=<site>/.

Readers query it while loads run:
    select * from read_parquet('data/parquet/comments/**/*.parquet', hive_partitioning=true)

Atomicity: each table is written by DuckDB into a temporary folder beside the export, then each
partition file is moved into place with ``os.replace`` (atomic on one file system), so a reader
sees every partition file either whole-old or whole-new, never truncated.

Incremental: the commit records which (table, site) partitions it changed (``export_changes``)
and each export folder records the change it last wrote (``parquet_exports``), so
``export_changed`` rewrites only partitions that are behind, including those a crash between
commit and export left behind. The comments export carries no ``last_seen_at``/``last_run_id``:
those move on every run that sees a page again, and would make every run rewrite every comment.
A comment without ``removed_at`` was last seen when its thread was (``threads.last_seen_at``).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Collection
from pathlib import Path

import duckdb

TABLES = ("threads", "comments")
_QUERIES = {
    "threads": "select * from threads",
    "comments": (
        "select c.* exclude (last_seen_at, last_run_id), t.site "
        "from comments as c join threads as t on t.thread_id = c.thread_id"
    ),
}


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def export_parquet(
    con: duckdb.DuckDBPyConnection, parquet_dir: Path, sites: Collection[str] | None = None
) -> dict[str, int]:
    """Rewrite both tables' partitions for ``sites`` (every site when None); rows written per
    table."""
    if sites is None:
        sites = _every_site(con)
    return {table: _export_table(con, parquet_dir, table, sites) for table in TABLES}


def _every_site(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [site for (site,) in con.execute("select distinct site from threads").fetchall()]


def export_changed(con: duckdb.DuckDBPyConnection, parquet_dir: Path) -> dict[str, int]:
    """Rewrite the partitions of ``parquet_dir`` changed since it last wrote them (all of them
    for a new or emptied folder); rows written per table."""
    written = {}
    folder = str(parquet_dir.resolve())  # one folder, however it was named
    for table in TABLES:
        (marked,) = con.execute(
            "select count(*) from parquet_exports where parquet_dir = ? and table_name = ?",
            [folder, table],
        ).fetchone() or (0,)
        if not marked or not (parquet_dir / table).is_dir():
            # A new folder, an emptied one, or one written before exports were recorded
            # (whose files may still carry other columns): every partition, so that all files
            # of a table share one schema.
            con.execute(
                "delete from parquet_exports where parquet_dir = ? and table_name = ?",
                [folder, table],
            )
            written[table] = _export_table(con, parquet_dir, table, _every_site(con))
            continue
        behind = [
            site
            for (site,) in con.execute(
                """
                select c.site from export_changes as c
                left join parquet_exports as e
                  on e.parquet_dir = ? and e.table_name = c.table_name and e.site = c.site
                where c.table_name = ? and (e.exported_at is null or e.exported_at < c.changed_at)
                """,
                [folder, table],
            ).fetchall()
        ]
        written[table] = _export_table(con, parquet_dir, table, behind)
    return written


def _export_table(
    con: duckdb.DuckDBPyConnection, parquet_dir: Path, table: str, sites: Collection[str]
) -> int:
    if not sites:
        return 0
    parquet_dir.mkdir(parents=True, exist_ok=True)
    alias = "t." if table == "comments" else ""
    where = f" where {alias}site in ({', '.join(_lit(s) for s in sorted(sites))})"
    tmp = parquet_dir / f".tmp-{table}-{uuid.uuid4().hex[:8]}"
    try:
        (count,) = con.execute(
            # no ORDER BY: a global sort of every comment's text would be the run's memory
            # peak; the scan keeps insertion order (thread by thread, in page order)
            f"copy ({_QUERIES[table]}{where}) to {_lit(str(tmp))} "
            # zstd level 1: measured at 936k comments, 2.7 s and 125 MB against 4.1 s and
            # 118 MB at the default level 3 (snappy: 2.0 s, 176 MB)
            "(format parquet, compression zstd, compression_level 1, partition_by (site), "
            "filename_pattern 'data_{i}', overwrite_or_ignore true)"
        ).fetchone() or (0,)
        _swap_in(tmp, parquet_dir / table, sites)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    # What this folder now holds: the latest change of each site written (now() for a site
    # with no recorded change, so a later change is still newer).
    con.execute(
        """
        insert into parquet_exports
        select ?, ?, s.site, coalesce(c.changed_at, now())
        from (select unnest(?) as site) as s
        left join export_changes as c on c.table_name = ? and c.site = s.site
        on conflict (parquet_dir, table_name, site) do update set exported_at = excluded.exported_at
        """,
        [str(parquet_dir.resolve()), table, sorted(sites), table],
    )
    return int(count)


def _partition_dir(site: str) -> str:
    return f"site={site}"


def _swap_in(tmp: Path, final: Path, sites: Collection[str]) -> None:
    """Move each new partition's files into place, then drop files the new export lacks (a
    site exported with no rows left loses its old files)."""
    written = {p.name: p for p in tmp.iterdir() if p.is_dir()} if tmp.exists() else {}
    final.mkdir(parents=True, exist_ok=True)
    for name in sorted({_partition_dir(s) for s in sites} | set(written)):
        target = final / name
        new_files = sorted(written[name].glob("*.parquet")) if name in written else []
        if new_files:
            target.mkdir(parents=True, exist_ok=True)
        for file in new_files:
            file.replace(target / file.name)
        keep = {f.name for f in new_files}
        if target.is_dir():
            for old in target.glob("*.parquet"):
                if old.name not in keep:
                    old.unlink()
