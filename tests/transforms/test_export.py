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
    assert written == {"threads": 3, "comments": 3, "thread_seen": 3, "thread_sources": 3}
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
    assert export_changed(con, parquet) == {
        "threads": 2,
        "comments": 2,
        "thread_seen": 2,
        "thread_sources": 2,
    }
    assert export_changed(con, parquet) == {
        "threads": 0,
        "comments": 0,
        "thread_seen": 0,
        "thread_sources": 0,
    }
    first = mtimes(parquet)

    # The same pages read again: only last_seen_at moves. Only thread_seen carries it and is
    # rewritten; the threads and comments files (article texts, comment texts) stay as they are.
    later = SEEN + timedelta(hours=1)
    load(tmp_path, con, "r2", urls, seen=later)
    assert export_changed(con, parquet) == {
        "threads": 0,
        "comments": 0,
        "thread_seen": 2,
        "thread_sources": 2,
    }
    after = mtimes(parquet)
    for part in ("threads/site=a.example", "comments/site=a.example", "comments/site=b.example"):
        assert after[part] == first[part]
    assert after["thread_seen/site=a.example"] != first["thread_seen/site=a.example"]
    seen = duckdb.sql(
        f"select max(last_seen_at), min(last_run_id) "
        f"from read_parquet('{parquet}/thread_seen/*/*.parquet')"
    ).fetchone()
    assert seen == (later, "r2")

    # A new comment on b: b's comments and threads partitions are rewritten, a's are not.
    load(tmp_path, con, "r3", ["https://b.example/1"], seen=later + timedelta(hours=1),
         extra="a reply")  # fmt: skip
    assert export_changed(con, parquet) == {
        "threads": 1,
        "comments": 2,
        "thread_seen": 1,
        "thread_sources": 1,
    }
    final = mtimes(parquet)
    assert final["comments/site=a.example"] == first["comments/site=a.example"]
    assert final["comments/site=b.example"] != first["comments/site=b.example"]
    assert final["threads/site=b.example"] != first["threads/site=b.example"]
    assert read(parquet, "comments") == [("a.example", 1), ("b.example", 2)]
    moving = {"last_seen_at", "last_run_id", "source_fingerprint"}
    for table, carries in (
        ("comments", {"comment_id", "removed_at", "first_seen_at", "site"}),
        ("threads", {"thread_id", "article_text", "updated_at", "source_uri", "site"}),
    ):
        columns = set(
            duckdb.sql(
                f"select * from read_parquet('{parquet}/{table}/*/*.parquet') limit 0"
            ).columns
        )
        assert carries <= columns and not columns & moving
    # What a dashboard joins to learn when each thread was last seen:
    (joined,) = duckdb.sql(
        f"select count(*) from read_parquet('{parquet}/threads/*/*.parquet') as t "
        f"join read_parquet('{parquet}/thread_seen/*/*.parquet') as s using (thread_id) "
        "where s.last_seen_at >= t.first_seen_at"
    ).fetchone()
    assert joined == 2


def test_files_written_with_other_columns_are_rewritten_whole(tmp_path: Path) -> None:
    """An export folder written by an earlier version (threads files that carried the
    per-read columns) is rewritten whole on the next export, not partition by partition, so
    that every file of a table has the same columns."""
    con = connect(tmp_path / "t.duckdb")
    load(tmp_path, con, "r1", ["https://a.example/1", "https://b.example/1"])
    parquet = tmp_path / "parquet"
    export_changed(con, parquet)
    # As an earlier version left it: every column of threads in its files, no column record.
    for site in ("a.example", "b.example"):
        con.execute(
            f"copy (select * exclude (site) from threads where site = '{site}') "
            f"to '{parquet}/threads/site={site}/data_0.parquet' (format parquet)"
        )
    (parquet / "threads" / "_columns").unlink()
    load(tmp_path, con, "r2", ["https://b.example/2"])  # only b changed since
    assert export_changed(con, parquet)["threads"] == 3
    columns = duckdb.sql(
        f"select file_name, list(name order by name) "
        f"from parquet_schema('{parquet}/threads/*/*.parquet') group by file_name"
    ).fetchall()
    assert len(columns) == 2 and columns[0][1] == columns[1][1]
    assert "last_seen_at" not in columns[0][1]
    assert export_changed(con, parquet) == {
        "threads": 0,
        "comments": 0,
        "thread_seen": 0,
        "thread_sources": 0,
    }


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
    assert export_changed(con, parquet) == {
        "threads": 2,
        "comments": 2,
        "thread_seen": 2,
        "thread_sources": 2,
    }
    assert read(parquet, "comments") == [("a.example", 1), ("b.example", 1), ("c.example", 1)]
    # A folder that never had an export, or whose table folder was removed, gets everything.
    other = tmp_path / "other"
    assert export_changed(con, other) == {
        "threads": 3,
        "comments": 3,
        "thread_seen": 3,
        "thread_sources": 3,
    }
    for path in sorted((other / "comments").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (other / "comments").rmdir()
    assert export_changed(con, other) == {
        "threads": 0,
        "comments": 3,
        "thread_seen": 0,
        "thread_sources": 0,
    }
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
    assert export_changed(con, parquet) == {
        "threads": 1,
        "comments": 2,
        "thread_seen": 1,
        "thread_sources": 1,
    }
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
    assert export_changed(con, tmp_path / "parquet") == {
        "threads": 1, "comments": 1, "thread_seen": 1, "thread_sources": 1,
    }  # fmt: skip
    monkeypatch.chdir(tmp_path)
    assert export_changed(con, Path("parquet")) == {
        "threads": 0,
        "comments": 0,
        "thread_seen": 0,
        "thread_sources": 0,
    }


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
    assert export_changed(con, parquet) == {
        "threads": 3,
        "comments": 3,
        "thread_seen": 3,
        "thread_sources": 3,
    }
    assert export_changed(con, parquet) == {
        "threads": 0,
        "comments": 0,
        "thread_seen": 0,
        "thread_sources": 0,
    }
