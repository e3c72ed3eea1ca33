"""Commit semantics on a real DuckDB file: upsert, idempotent re-run, edits, removals, ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from transforms.dedup import normalise_thread
from transforms.load import TEXT_LIST, RunInfo, commit_part, commit_parts, connect, joined
from transforms.records import ParsedComment, ParsedThread, Reject
from transforms.stage import StagedPart, write_part

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
SOURCE = "/pages/post.html"


def thread(*texts: str, url: str = "https://blog.example/post") -> ParsedThread:
    comments = [ParsedComment(text=texts[0], author="Ann", native_id="1")]
    comments += [
        ParsedComment(text=t, author=f"user{i}", native_id=str(i + 2), parent=0, depth=1)
        for i, t in enumerate(texts[1:])
    ]
    return ParsedThread(parser="test", url=url, title="Post", comments=tuple(comments))


def stage(tmp: Path, run_id: str, seen: datetime, *threads: ParsedThread,
          rejects: tuple[Reject, ...] = ()) -> StagedPart:  # fmt: skip
    rows = [normalise_thread(t, source_uri=SOURCE, seen_at=seen) for t in threads]
    return write_part(tmp / "staging", run_id, 1, rows, [(r, seen) for r in rejects],
                      pages_read=len(threads) + len(rejects))  # fmt: skip


def run(run_id: str, seen: datetime) -> RunInfo:
    return RunInfo(run_id=run_id, started_at=seen, sources=[SOURCE])


def assert_keys_unique(con: duckdb.DuckDBPyConnection) -> None:
    """comments has no PRIMARY KEY index (schemas/ddl/002): the loader keeps ids unique."""
    for table, key in (("comments", "comment_id"), ("threads", "thread_id")):
        row = con.execute(f"select count(*) - count(distinct {key}) from {table}").fetchone()
        assert row == (0,), f"{table}.{key} not unique"


def assert_sources_agree(con: duckdb.DuckDBPyConnection) -> None:
    """Every comment's source is a row of thread_sources, and a present comment was last seen
    when that source was (what the Parquet export's readers rely on)."""
    row = con.execute(
        """
        select count(*) filter (where s.thread_id is null),
               count(*) filter (where c.removed_at is null and c.last_seen_at <> s.last_seen_at)
        from comments as c left join thread_sources as s using (thread_id, source_uri)
        """
    ).fetchone()
    assert row == (0, 0), "comments and thread_sources disagree"


@pytest.fixture()
def db(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(tmp_path / "t.duckdb")
    yield con
    assert_keys_unique(con)
    assert_sources_agree(con)
    con.close()


def test_known_and_new_threads_in_one_part_and_one_thread_in_two_parts(
    db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    other = "https://blog.example/other"
    commit_parts(db, [stage(tmp_path, "r1", T0, thread("a", "b"))], run("r1", T0))
    t1 = T0 + timedelta(hours=1)
    mixed = stage(tmp_path, "r2", t1, thread("a", "b", "c"), thread("x", "y", url=other))
    # The same thread again in a later part of the same run (as two batches would stage it).
    again = write_part(
        tmp_path / "staging", "r2", 2,
        [normalise_thread(thread("x", "y", "z", url=other), source_uri=SOURCE, seen_at=t1)],
        [], pages_read=1,
    )  # fmt: skip
    counts = commit_parts(db, [mixed, again], run("r2", t1))
    assert (counts.threads_new, counts.comments_new, counts.comments_unchanged) == (1, 4, 4)
    assert table_counts(db) == {"threads": 2, "comments": 6}


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {
        t: con.execute(f"select count(*) from {t}").fetchone()[0]  # type: ignore[index]
        for t in ("threads", "comments")
    }


def test_rerun_of_same_input_changes_only_last_seen(
    db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    first = commit_parts(db, [stage(tmp_path, "r1", T0, thread("a", "b", "c"))], run("r1", T0))
    assert (first.threads_new, first.comments_new) == (1, 3)
    before = db.execute(
        "select * exclude (last_seen_at, last_run_id) from comments order by all"
    ).fetchall()
    t1 = T0 + timedelta(hours=6)
    second = commit_parts(db, [stage(tmp_path, "r2", t1, thread("a", "b", "c"))], run("r2", t1))
    assert (second.threads_new, second.comments_new, second.comments_updated) == (0, 0, 0)
    assert second.comments_unchanged == 3
    after = db.execute(
        "select * exclude (last_seen_at, last_run_id) from comments order by all"
    ).fetchall()
    assert before == after
    assert table_counts(db) == {"threads": 1, "comments": 3}
    assert db.execute("select distinct last_seen_at from comments").fetchall() == [(t1,)]
    assert db.execute("select first_seen_at from threads").fetchone() == (T0,)
    runs = db.execute(
        "select run_id, status, comments_new, comments_unchanged from runs order by started_at"
    ).fetchall()
    assert runs == [("r1", "completed", 3, 0), ("r2", "completed", 0, 3)]


def test_edit_updates_in_place_and_removal_marks(
    db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    commit_parts(db, [stage(tmp_path, "r1", T0, thread("a", "b", "c"))], run("r1", T0))
    t1 = T0 + timedelta(days=1)
    # comment 2 edited ("b" -> "b2"), comment 3 gone, a new reply appears
    counts = commit_parts(db, [stage(tmp_path, "r2", t1, thread("a", "b2", "new"))], run("r2", t1))
    assert (counts.comments_new, counts.comments_updated, counts.comments_unchanged) == (0, 2, 1)
    rows = dict(db.execute("select native_id, text from comments").fetchall())
    assert rows == {"1": "a", "2": "b2", "3": "new"}
    # "new" took native id 3 (it replaced "c" at that id): the row is updated, not removed
    t2 = t1 + timedelta(days=1)
    counts = commit_parts(db, [stage(tmp_path, "r3", t2, thread("a", "b2"))], run("r3", t2))
    assert counts.comments_removed == 1
    removed = db.execute(
        "select native_id, removed_at from comments where removed_at is not null"
    ).fetchall()
    assert removed == [("3", t2)]
    assert table_counts(db)["comments"] == 3  # never deleted
    summary = db.execute("select comments, removed_comments from thread_summary").fetchone()
    assert summary == (2, 1)


def test_part_committed_twice_is_a_noop(db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    part = stage(
        tmp_path, "r1", T0, thread("a", "b"), rejects=(Reject("/x.bin", "decode", "binary"),)
    )
    first = commit_part(db, part, run("r1", T0))
    again = commit_part(db, part, run("r1", T0))
    assert (first.parts_committed, again.parts_skipped) == (1, 1)
    assert table_counts(db) == {"threads": 1, "comments": 2}
    assert db.execute("select source_uri, stage, run_id from rejects").fetchall() == [
        ("/x.bin", "decode", "r1")
    ]
    assert db.execute("select count(*) from load_ledger").fetchone() == (1,)


def test_failed_commit_leaves_nothing(db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    part = stage(tmp_path, "r1", T0, thread("a", "b"))

    def boom() -> None:
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        commit_part(db, part, run("r1", T0), before_commit=boom)
    assert table_counts(db) == {"threads": 0, "comments": 0}
    assert db.execute("select count(*) from load_ledger").fetchone() == (0,)
    commit_part(db, part, run("r1", T0))
    assert table_counts(db) == {"threads": 1, "comments": 2}


def test_views(db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    t = ParsedThread(
        parser="test", url="https://blog.example/p", comment_count_declared=5,
        comments=(
            ParsedComment(text="top", author="Ann", posted_at=T0),
            ParsedComment(text="re", author="Bob", parent=0, depth=1,
                          posted_at=T0 + timedelta(hours=1)),
            ParsedComment(text="re re", author="Ann", parent=1, depth=2),
        ),
    )  # fmt: skip
    commit_parts(db, [stage(tmp_path, "r1", T0, t)], run("r1", T0))
    row = db.execute(
        "select comments, distinct_authors, max_depth, first_comment_at, last_comment_at, "
        "comment_count_declared, missing_comments, new_comments_last_run from thread_summary"
    ).fetchone()
    assert row == (3, 2, 2, T0, T0 + timedelta(hours=1), 5, 2, 3)
    edges = db.execute(
        "select child_author, parent_author, child_depth from reply_edges order by child_depth"
    ).fetchall()
    assert edges == [("Bob", "Ann", 1), ("Ann", "Bob", 2)]


def test_a_list_of_texts_passes_as_one_parameter() -> None:
    names = ["a.example", "it's.example", "b.example"]  # a quote, as a site name may have
    rows = duckdb.sql(f"select unnest({TEXT_LIST.replace('?', '$1')})", params=[joined(names)])
    assert [r[0] for r in rows.fetchall()] == names
    for bad in ([], ["a\x1fb"]):  # nothing (would be one empty string), or the separator
        with pytest.raises(ValueError, match="cannot pass"):
            joined(bad)


def test_a_source_that_does_not_know_a_field_keeps_the_stored_value(
    db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """One thread read from its page (title, date, article, declared count), then from a
    source that only knows its comments (a comments feed, an API, an export): the page's
    fields stay, the comments merge, nothing is marked removed. A later read that knows a
    field again updates it."""
    url = "https://blog.example/post"
    page_comments = (ParsedComment(text="a", author="Ann", native_id="1"),)
    page = ParsedThread(
        parser="html/test", url=url, title="Post", published_at=T0, article_text="Body.",
        comment_count_declared=2, comments=page_comments,
    )  # fmt: skip
    feed = ParsedThread(
        parser="json/test", url=url,
        comments=(*page_comments, ParsedComment(text="b", author="Bo", native_id="2")),
    )  # fmt: skip

    def commit(parsed: ParsedThread, source: str, run_id: str, seen: datetime) -> None:
        row = normalise_thread(parsed, source_uri=source, seen_at=seen)
        part = write_part(tmp_path / "staging", run_id, 1, [row], [], pages_read=1)
        commit_parts(db, [part], RunInfo(run_id=run_id, started_at=seen, sources=[source]))

    commit(page, "/pages/post.html", "r1", T0)
    commit(feed, "https://blog.example/wp-json/comments", "r2", T0 + timedelta(hours=1))
    fields = "title, published_at, article_text, comment_count_declared, url, parser, source_uri"
    assert db.execute(f"select {fields} from threads").fetchall() == [
        ("Post", T0, "Body.", 2, url, "json/test", "https://blog.example/wp-json/comments")
    ]
    assert db.execute(
        "select native_id, removed_at from comments order by native_id"
    ).fetchall() == [("1", None), ("2", None)]

    renamed = ParsedThread(
        parser="html/test", url=url, title="Post, revised", comments=page_comments
    )
    commit(renamed, "/pages/post.html", "r3", T0 + timedelta(hours=2))
    assert db.execute("select title, article_text from threads").fetchall() == [
        ("Post, revised", "Body.")
    ]


def test_removal_marks_follow_the_source_that_showed_the_comment(
    db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """A blog's export shows a comment held for moderation that its page never shows. Reading
    the page again and again must not mark that comment removed; reading the export without it
    does. A comment both show is marked removed only by the source that showed it last."""
    url = "https://blog.example/post"
    export, page = "/exports/blog.wxr.xml", "/pages/post.html"

    def read(source: str, run_id: str, hours: int, *native_ids: str) -> None:
        parsed = ParsedThread(
            parser="test", url=url, title="Post",
            comments=tuple(ParsedComment(text=f"text {n}", author=f"user{n}", native_id=n)
                           for n in native_ids),
        )  # fmt: skip
        seen = T0 + timedelta(hours=hours)
        row = normalise_thread(parsed, source_uri=source, seen_at=seen)
        part = write_part(tmp_path / "staging", run_id, 1, [row], [], pages_read=1)
        commit_parts(db, [part], RunInfo(run_id=run_id, started_at=seen, sources=[source]))

    def state() -> dict[str, tuple[str, bool]]:
        rows = db.execute("select native_id, source_uri, removed_at is not null from comments")
        return {n: (source, removed) for n, source, removed in rows.fetchall()}

    read(export, "r1", 1, "1", "2", "3")  # 3 is pending: only the export has it
    read(page, "r2", 2, "1", "2")
    read(page, "r3", 3, "1", "2")
    assert state() == {"1": (page, False), "2": (page, False), "3": (export, False)}
    read(page, "r4", 4, "1")  # 2 deleted on the page
    assert state() == {"1": (page, False), "2": (page, True), "3": (export, False)}
    read(export, "r5", 5, "1")  # 3 gone from the export too (rejected)
    assert state() == {"1": (export, False), "2": (page, True), "3": (export, True)}
    counts = db.execute("select comments_removed from runs order by started_at").fetchall()
    assert counts == [(0,), (0,), (0,), (1,), (1,)]


@pytest.mark.parametrize("interrupted", [False, True], ids=["earlier-version", "interrupted"])
def test_a_database_written_before_comment_sources_gets_them_on_connect(
    tmp_path: Path, interrupted: bool
) -> None:
    """``comments.source_uri`` was added after the first release: a database without it gets
    the column on the next writer connection, filled with each comment's thread source, and
    loads go on from there. So does one whose migration stopped after adding the column."""
    path = tmp_path / "old.duckdb"
    con = connect(path)
    commit_parts(con, [stage(tmp_path, "r1", T0, thread("a", "b"))], run("r1", T0))
    con.execute("alter table comments drop column source_uri")  # as the earlier version left it
    if interrupted:
        con.execute("alter table comments add column source_uri varchar")
    con.close()

    con = connect(path)
    try:
        assert con.execute("select distinct source_uri from comments").fetchall() == [(SOURCE,)]
        nullable = con.execute(
            "select is_nullable from duckdb_columns() "
            "where table_name = 'comments' and column_name = 'source_uri'"
        ).fetchone()
        assert nullable == (False,)
        t1 = T0 + timedelta(hours=1)
        counts = commit_parts(con, [stage(tmp_path, "r2", t1, thread("a"))], run("r2", t1))
        assert (counts.comments_unchanged, counts.comments_removed) == (1, 1)
        assert_keys_unique(con)
    finally:
        con.close()
    connect(path).close()  # the next connection finds the column and changes nothing


def test_a_database_written_before_thread_removal_gets_it_on_connect(tmp_path: Path) -> None:
    """``threads.removed_at`` came after ``thread_sources``: a database without it gets the
    column on the next writer connection, set for each thread none of whose sources gives it
    any more (to when the last one stopped), and left empty for the others."""
    path = tmp_path / "old.duckdb"
    con = connect(path)
    commit_parts(con, [stage(tmp_path, "r1", T0, thread("a"))], run("r1", T0))
    t1 = T0 + timedelta(hours=1)
    con.execute(
        "insert into thread_sources select thread_id, 'other.xml', 'other.xml', null, 1, ?, ?, "
        "null, 'r1' from threads",
        [T0, T0],
    )  # a second source of the same thread
    con.execute("alter table threads drop column removed_at")  # as the earlier version left it
    con.close()

    con = connect(path)
    try:
        assert con.execute("select removed_at from threads").fetchall() == [(None,)]
    finally:
        con.close()
    con = connect(path)
    try:
        con.execute("alter table threads drop column removed_at")
        con.execute("update thread_sources set removed_at = ? where source_uri = 'other.xml'", [t1])
        con.execute(
            "update thread_sources set removed_at = ? where source_uri <> 'other.xml'", [T0]
        )
    finally:
        con.close()
    con = connect(path)
    try:
        assert con.execute("select removed_at from threads").fetchall() == [(t1,)]
    finally:
        con.close()


def test_a_database_written_before_thread_sources_gets_them_on_connect(tmp_path: Path) -> None:
    """``thread_sources`` came after the first release. Until a writer opens such a database,
    the files a run may skip are read from ``threads``; the writer's connection creates the
    table and fills it with each thread's one source, in one transaction."""
    from transforms.load import file_fingerprints
    from transforms.sources import file_fingerprint

    page = tmp_path / "post.html"
    page.write_text("<p>a page</p>")
    path = tmp_path / "old.duckdb"
    con = connect(path)
    row = normalise_thread(
        thread("a", "b"), source_uri=str(page), seen_at=T0,
        source_fingerprint=file_fingerprint(page),
    )  # fmt: skip
    part = write_part(tmp_path / "staging", "r1", 1, [row], [], pages_read=1)
    commit_parts(con, [part], run("r1", T0))
    con.execute("drop table thread_sources")  # as the earlier version left it
    con.close()

    assert file_fingerprints(path) == {str(page): file_fingerprint(page)}
    con = connect(path)
    try:
        assert con.execute(
            "select source_uri, source_file, comment_count_parsed, removed_at, last_run_id "
            "from thread_sources"
        ).fetchall() == [(str(page), str(page), 2, None, "r1")]
    finally:
        con.close()
    assert file_fingerprints(path) == {str(page): file_fingerprint(page)}
    con = connect(path)  # the next connection finds the table and changes nothing
    try:
        assert con.execute("select count(*) from thread_sources").fetchone() == (1,)
    finally:
        con.close()
