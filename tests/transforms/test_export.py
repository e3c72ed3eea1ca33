from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from transforms.dedup import normalise_thread
from transforms.export import export_changed, export_parquet
from transforms.load import RunInfo, commit_parts, connect
from transforms.records import ParsedComment, ParsedThread
from transforms.stage import write_part

SEEN = datetime(2026, 5, 1, tzinfo=UTC)


def load(
    tmp: Path, con: duckdb.DuckDBPyConnection, run_id: str, urls: list[str],
    seen: datetime = SEEN, extra: str | None = None,
) -> None:  # fmt: skip
    rows = [
        normalise_thread(
            ParsedThread(
                parser="test", url=u,
                comments=(ParsedComment(text=f"on {u}"),)
                + ((ParsedComment(text=extra),) if extra else ()),
            ),
            source_uri=u, seen_at=seen,
        )
        for u in urls
    ]  # fmt: skip
    part = write_part(tmp / "staging", run_id, 1, rows, [], pages_read=len(rows))
    commit_parts(con, [part], RunInfo(run_id=run_id, started_at=seen, sources=urls))


def read(parquet: Path, table: str) -> list[tuple[object, ...]]:
    glob = str(parquet / table / "**" / "*.parquet")
    return duckdb.sql(
        f"select site, count(*) from read_parquet('{glob}', hive_partitioning=true) "
        "group by site order by site"
    ).fetchall()


def mtimes(parquet: Path) -> dict[str, int]:
    return {
        f"{p.parent.parent.name}/{p.parent.name}": p.stat().st_mtime_ns
        for p in parquet.glob("*/*/*.parquet")
    }


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


def test_export_changed_rewrites_only_partitions_whose_rows_changed(tmp_path: Path) -> None:
    con = connect(tmp_path / "t.duckdb")
    urls = ["https://a.example/1", "https://b.example/1"]
    load(tmp_path, con, "r1", urls)
    parquet = tmp_path / "parquet"
    assert export_changed(con, parquet) == {"threads": 2, "comments": 2}
    assert export_changed(con, parquet) == {"threads": 0, "comments": 0}  # nothing behind
    first = mtimes(parquet)

    # The same pages read again: only last_seen_at moves. The threads partitions carry it and
    # are rewritten; the comments export does not carry it and stays as it is.
    later = SEEN + timedelta(hours=1)
    load(tmp_path, con, "r2", urls, seen=later)
    assert export_changed(con, parquet) == {"threads": 2, "comments": 0}
    after = mtimes(parquet)
    assert after["comments/site=a.example"] == first["comments/site=a.example"]
    assert after["comments/site=b.example"] == first["comments/site=b.example"]
    seen = duckdb.sql(
        f"select max(last_seen_at) from read_parquet('{parquet}/threads/*/*.parquet')"
    ).fetchone()
    assert seen == (later,)

    # A new comment on b: b's comments partition is rewritten, a's is not.
    load(tmp_path, con, "r3", ["https://b.example/1"], seen=later + timedelta(hours=1),
         extra="a reply")  # fmt: skip
    assert export_changed(con, parquet) == {"threads": 1, "comments": 2}
    final = mtimes(parquet)
    assert final["comments/site=a.example"] == first["comments/site=a.example"]
    assert final["comments/site=b.example"] != first["comments/site=b.example"]
    assert read(parquet, "comments") == [("a.example", 1), ("b.example", 2)]
    columns = set(
        duckdb.sql(f"select * from read_parquet('{parquet}/comments/*/*.parquet') limit 0").columns
    )
    assert {"comment_id", "removed_at", "first_seen_at", "site"} <= columns
    assert not columns & {"last_seen_at", "last_run_id"}


def test_export_changed_catches_up_after_a_missed_export_and_in_new_folders(
    tmp_path: Path,
) -> None:
    con = connect(tmp_path / "t.duckdb")
    load(tmp_path, con, "r1", ["https://a.example/1"])
    parquet = tmp_path / "parquet"
    export_changed(con, parquet)
    # Committed, then the process died before its export: the next export still writes it.
    load(tmp_path, con, "r2", ["https://b.example/1"])
    load(tmp_path, con, "r3", ["https://c.example/1"])
    assert export_changed(con, parquet) == {"threads": 2, "comments": 2}
    assert read(parquet, "comments") == [("a.example", 1), ("b.example", 1), ("c.example", 1)]
    # A folder that never had an export, or whose table folder was removed, gets everything.
    other = tmp_path / "other"
    assert export_changed(con, other) == {"threads": 3, "comments": 3}
    for path in sorted((other / "comments").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (other / "comments").rmdir()
    assert export_changed(con, other) == {"threads": 0, "comments": 3}
    assert read(other, "comments") == read(parquet, "comments")


def test_a_removed_comment_changes_the_comments_export(tmp_path: Path) -> None:
    con = connect(tmp_path / "t.duckdb")
    url = "https://a.example/1"
    load(tmp_path, con, "r1", [url], extra="later deleted")
    parquet = tmp_path / "parquet"
    export_changed(con, parquet)
    gone = normalise_thread(
        ParsedThread(parser="test", url=url, comments=(ParsedComment(text=f"on {url}"),)),
        source_uri=url, seen_at=SEEN + timedelta(hours=1),
    )  # fmt: skip
    part = write_part(tmp_path / "staging", "r2", 1, [gone], [], pages_read=1)
    counts = commit_parts(con, [part], RunInfo("r2", SEEN + timedelta(hours=1), [url]))
    assert counts.comments_removed == 1
    assert export_changed(con, parquet) == {"threads": 1, "comments": 2}
    removed = duckdb.sql(
        f"select count(*) from read_parquet('{parquet}/comments/*/*.parquet') "
        "where removed_at is not null"
    ).fetchone()
    assert removed == (1,)


def test_the_same_folder_named_relatively_is_the_same_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    con = connect(tmp_path / "t.duckdb")
    load(tmp_path, con, "r1", ["https://a.example/1"])
    assert export_changed(con, tmp_path / "parquet") == {"threads": 1, "comments": 1}
    monkeypatch.chdir(tmp_path)
    assert export_changed(con, Path("parquet")) == {"threads": 0, "comments": 0}


def test_a_folder_exported_before_exports_were_recorded_is_rewritten_whole(
    tmp_path: Path,
) -> None:
    con = connect(tmp_path / "t.duckdb")
    load(tmp_path, con, "r1", ["https://a.example/1", "https://b.example/1"])
    parquet = tmp_path / "parquet"
    export_changed(con, parquet)
    con.execute("delete from parquet_exports")  # as a database from before the marks
    con.execute("delete from export_changes")
    load(tmp_path, con, "r2", ["https://c.example/1"])  # only c changed since
    assert export_changed(con, parquet) == {"threads": 3, "comments": 3}
    assert export_changed(con, parquet) == {"threads": 0, "comments": 0}
