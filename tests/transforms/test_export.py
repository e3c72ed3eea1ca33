from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from transforms.dedup import normalise_thread
from transforms.export import export_parquet
from transforms.load import RunInfo, commit_parts, connect
from transforms.records import ParsedComment, ParsedThread
from transforms.stage import write_part

SEEN = datetime(2026, 5, 1, tzinfo=UTC)


def load(tmp: Path, con: duckdb.DuckDBPyConnection, run_id: str, urls: list[str]) -> None:
    rows = [
        normalise_thread(
            ParsedThread(parser="test", url=u, comments=(ParsedComment(text=f"on {u}"),)),
            source_uri=u, seen_at=SEEN,
        )
        for u in urls
    ]  # fmt: skip
    part = write_part(tmp / "staging", run_id, 1, rows, [], pages_read=len(rows))
    commit_parts(con, [part], RunInfo(run_id=run_id, started_at=SEEN, sources=urls))


def read(parquet: Path, table: str) -> list[tuple[object, ...]]:
    glob = str(parquet / table / "**" / "*.parquet")
    return duckdb.sql(
        f"select site, count(*) from read_parquet('{glob}', hive_partitioning=true) "
        "group by site order by site"
    ).fetchall()


def test_export_is_hive_partitioned_by_site_and_refreshes_only_given_sites(tmp_path: Path) -> None:
    con = connect(tmp_path / "t.duckdb")
    load(tmp_path, con, "r1", ["https://a.example/1", "https://a.example/2", "https://b.example/1"])
    parquet = tmp_path / "parquet"
    written = export_parquet(con, parquet)
    assert written == {"threads": 3, "comments": 3}
    assert read(parquet, "comments") == [("a.example", 2), ("b.example", 1)]
    assert read(parquet, "threads") == [("a.example", 2), ("b.example", 1)]

    load(tmp_path, con, "r2", ["https://b.example/2"])
    b_file = parquet / "comments" / "site=b.example" / "data_0.parquet"
    a_file = parquet / "comments" / "site=a.example" / "data_0.parquet"
    a_mtime = a_file.stat().st_mtime_ns
    export_parquet(con, parquet, ["b.example"])
    assert read(parquet, "comments") == [("a.example", 2), ("b.example", 2)]
    assert a_file.stat().st_mtime_ns == a_mtime  # untouched partition
    assert b_file.exists()
    leftovers = [p for p in parquet.iterdir() if p.name.startswith(".tmp")]
    assert leftovers == []
    columns = duckdb.sql(f"select * from read_parquet('{b_file}') limit 0").columns
    assert "comment_id" in columns and "parent_id" in columns
