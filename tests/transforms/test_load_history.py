"""Change tracking across runs: comment_versions, unchanged-thread touches, thread_summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.transforms.test_load import (
    thread,  # comment i has native id i+1; the rest reply to the first
)
from transforms.dedup import normalise_thread
from transforms.load import LoadCounts, RunInfo, commit_parts, connect
from transforms.records import ParsedComment, ParsedThread
from transforms.seen import write_seen
from transforms.stage import StagedPart, write_part

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
SOURCE = "https://blog.example/post/"


def stage(tmp: Path, run_id: str, seen: datetime, *threads: ParsedThread,
          unchanged: tuple[str, ...] = ()) -> StagedPart:  # fmt: skip
    rows = [normalise_thread(t, source_uri=SOURCE, seen_at=seen) for t in threads]
    if unchanged:
        write_seen(tmp / "staging", run_id, 1, unchanged, seen)
    return write_part(tmp / "staging", run_id, 1, rows, [],
                      pages_read=len(threads) + len(unchanged))  # fmt: skip


def commit(db: duckdb.DuckDBPyConnection, tmp: Path, run_id: str, seen: datetime,
           *threads: ParsedThread, unchanged: tuple[str, ...] = ()) -> LoadCounts:  # fmt: skip
    part = stage(tmp, run_id, seen, *threads, unchanged=unchanged)
    return commit_parts(db, [part], RunInfo(run_id=run_id, started_at=seen, sources=[SOURCE]))


@pytest.fixture()
def db(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(tmp_path / "t.duckdb")
    yield con
    con.close()


def summary(db: duckdb.DuckDBPyConnection) -> tuple[object, ...]:
    row = db.execute(
        "select comments, removed_comments, new_comments_last_run, edited_last_run, "
        "removed_last_run, edited_comments from thread_summary"
    ).fetchone()
    assert row is not None
    return tuple(row)


def test_edits_keep_earlier_texts_in_order(db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    t1, t2, t3 = (T0 + timedelta(hours=6 * i) for i in (1, 2, 3))
    commit(db, tmp_path, "r0", T0, thread("a", "b", "c"))
    commit(db, tmp_path, "r1", t1, thread("a", "b", "c"))  # unchanged
    commit(db, tmp_path, "r2", t2, thread("a", "b edited", "c"))
    commit(db, tmp_path, "r3", t3, thread("a", "b edited twice", "c"))
    versions = db.execute(
        "select native_id, version, text, valid_from, last_seen_at, valid_to, replaced_by_run_id "
        "from comment_versions order by version"
    ).fetchall()
    assert versions == [
        ("2", 1, "b", T0, t1, t2, "r2"),
        ("2", 2, "b edited", t2, t2, t3, "r3"),
    ]
    current = db.execute("select text from comments where native_id = '2'").fetchone()
    assert current == ("b edited twice",)
    assert db.execute("select count(*) from comments").fetchone() == (3,)
    assert summary(db) == (3, 0, 0, 1, 0, 1)


def test_no_version_without_native_id_or_text_change(
    db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    plain = ParsedThread(parser="test", url=SOURCE + "2", comments=(ParsedComment(text="x"),))
    commit(db, tmp_path, "r0", T0, plain, thread("a", "b"))
    moved = thread("a", "b")
    moved = ParsedThread(  # same texts, new author line: content changes, text does not
        parser="test", url=SOURCE, title="Post",
        comments=(moved.comments[0], ParsedComment(text="b", author="renamed", native_id="2",
                                                   parent=0, depth=1)),
    )  # fmt: skip
    commit(db, tmp_path, "r1", T0 + timedelta(hours=1), moved)
    assert db.execute("select count(*) from comment_versions").fetchone() == (0,)


def test_unchanged_thread_is_touched_not_reparsed(
    db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    commit(db, tmp_path, "r0", T0, thread("a", "b", "c"))
    t1 = T0 + timedelta(hours=6)
    counts = commit(db, tmp_path, "r1", t1, unchanged=(SOURCE, "https://other.example/x"))
    assert counts.threads == 1 and counts.comments_unchanged == 3
    assert db.execute("select distinct last_seen_at, last_run_id from comments").fetchall() == [
        (t1, "r1")
    ]
    assert db.execute("select last_seen_at, updated_at from threads").fetchone() == (t1, T0)
    assert summary(db) == (3, 0, 0, 0, 0, 0)  # nothing new since the previous run
    run = db.execute(
        "select pages_read, threads, comments_new, comments_unchanged from runs where run_id='r1'"
    ).fetchone()
    assert run == (2, 1, 0, 3)


def test_summary_shows_what_changed_in_the_last_run(
    db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    commit(db, tmp_path, "r0", T0, thread("a", "b", "c", "d"))
    assert summary(db) == (4, 0, 4, 0, 0, 0)
    # edit of 2, removal of 4 (native id 4 gone), a new reply (native id 5) on the old thread
    t1 = T0 + timedelta(days=1)
    edited = thread("a", "b!", "c")
    edited = ParsedThread(
        parser="test", url=SOURCE, title="Post",
        comments=(*edited.comments, ParsedComment(text="late reply", native_id="5", parent=0,
                                                  depth=1)),
    )  # fmt: skip
    commit(db, tmp_path, "r1", t1, edited)
    assert summary(db) == (4, 1, 1, 1, 1, 1)
    assert db.execute("select count(*) from comments").fetchone() == (5,)  # none deleted
