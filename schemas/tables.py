"""Every table once: its pyarrow schema (mirroring schemas/ddl/*.sql) and its grain.

Public tables (what analysts query):
- ``threads``   one row per thread page, keyed by ``thread_id``.
- ``comments``  one row per unique comment, keyed by ``comment_id`` (exact copies on one page
  are one row, counted in ``duplicates``); never deleted: a comment gone from the source that
  last showed it (``source_uri``) gets ``removed_at``.
- ``runs``      one row per ingest run.
- ``rejects``   one row per input that could not be read or parsed, per run.
- ``load_ledger`` one row per staged part committed (what makes a re-commit a no-op).
- ``thread_sources`` one row per (thread, source): every file, archive record or URL a
  thread was read from, with the fingerprint of its last read (what lets a re-run skip each
  unchanged file of a thread read from several), keyed by ``thread_id`` + ``source_uri``.
- ``comment_versions`` one row per earlier text of a comment with a native id (edit history;
  the current text is in ``comments``), keyed by ``comment_id`` + ``version``.
- ``export_changes`` one row per (table, site) whose Parquet partition has changed rows, with
  the time of the commit that changed them last. Exported tables: ``threads`` and
  ``comments`` without the columns every read moves, and ``thread_seen`` (one row per thread:
  ``last_seen_at``, ``last_run_id``, ``source_fingerprint``).
- ``parquet_exports`` one row per (export folder, table, site): the change it last wrote. A
  partition is rewritten only when its change is newer (``transforms.export``).
Views: ``thread_summary`` (one row per thread), ``reply_edges`` (one row per reply),
``author_activity`` (one row per site and author), ``comment_volume_daily`` (site and day).

Staged parts (Parquet written by the parse step, read by the single commit step) carry the
same columns as the public tables, except that a staged row has one ``seen_at`` where the
table keeps ``first_seen_at``/``last_seen_at``/``updated_at``/``last_run_id``. A part may have
a ``seen`` file beside it: one row per source whose thread was fetched again unchanged (not
parsed again), whose ``last_seen_at`` the commit moves, or that was read whole and gave no
thread at all (an export emptied of its posts), whose earlier threads the commit retires.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")

_THREAD_CONTENT = [
    pa.field("thread_id", pa.string(), nullable=False),
    pa.field("site", pa.string(), nullable=False),
    pa.field("url", pa.string()),
    pa.field("source_uri", pa.string(), nullable=False),
    pa.field("title", pa.string()),
    pa.field("published_at", TS),
    pa.field("article_text", pa.string()),
    pa.field("comment_count_declared", pa.int32()),
    pa.field("comment_count_parsed", pa.int32(), nullable=False),
    pa.field("parser", pa.string(), nullable=False),
    pa.field("parser_version", pa.string(), nullable=False),
    pa.field("notes", pa.string()),
    pa.field("content_hash", pa.string(), nullable=False),
    # size, mtime and parser version of the local file the thread was read from: a re-run
    # skips a file whose fingerprint is unchanged (None for URLs and corpus records)
    pa.field("source_fingerprint", pa.string()),
]
_COMMENT_CONTENT = [
    pa.field("comment_id", pa.string(), nullable=False),
    pa.field("thread_id", pa.string(), nullable=False),
    pa.field("parent_id", pa.string()),
    pa.field("depth", pa.int32(), nullable=False),
    pa.field("position", pa.int32(), nullable=False),
    pa.field("author", pa.string()),
    pa.field("author_url", pa.string()),
    pa.field("posted_at", TS),
    pa.field("text", pa.string(), nullable=False),
    pa.field("kind", pa.string(), nullable=False),
    pa.field("status", pa.string(), nullable=False),
    pa.field("native_id", pa.string()),
    pa.field("duplicates", pa.int32(), nullable=False),
    pa.field("is_orphan", pa.bool_(), nullable=False),
    pa.field("content_hash", pa.string(), nullable=False),
]
_TRACKING = [
    pa.field("first_seen_at", TS, nullable=False),
    pa.field("last_seen_at", TS, nullable=False),
    pa.field("updated_at", TS, nullable=False),
]
_SEEN = pa.field("seen_at", TS, nullable=False)
_LAST_RUN = pa.field("last_run_id", pa.string(), nullable=False)

THREADS = pa.schema(
    [
        *_THREAD_CONTENT,
        *_TRACKING,
        _LAST_RUN,
        # when the last source that gave the thread stopped giving it (see thread_sources)
        pa.field("removed_at", TS),
    ]
)
COMMENTS = pa.schema(
    [
        *_COMMENT_CONTENT,
        *_TRACKING,
        pa.field("removed_at", TS),
        _LAST_RUN,
        # the source that last showed the comment (its thread's source in that read)
        pa.field("source_uri", pa.string(), nullable=False),
    ]
)
RUNS = pa.schema(
    [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("flow_run_id", pa.string()),
        pa.field("flow_run_name", pa.string()),
        pa.field("started_at", TS, nullable=False),
        pa.field("finished_at", TS, nullable=False),
        pa.field("sources", pa.string(), nullable=False),
        *(
            pa.field(name, pa.int32(), nullable=False)
            for name in (
                "pages_read",
                "pages_failed",
                "threads",
                "threads_new",
                "comments_new",
                "comments_updated",
                "comments_unchanged",
                "comments_removed",
                "duplicates_collapsed",
                "rejects",
            )
        ),
        pa.field("status", pa.string(), nullable=False),
    ]
)
REJECTS = pa.schema(
    [
        pa.field("source_uri", pa.string(), nullable=False),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("error", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("rejected_at", TS, nullable=False),
    ]
)
LOAD_LEDGER = pa.schema(
    [
        pa.field("part_id", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("committed_at", TS, nullable=False),
        pa.field("threads", pa.int32(), nullable=False),
        pa.field("comments", pa.int32(), nullable=False),
        pa.field("rejects", pa.int32(), nullable=False),
    ]
)

COMMENT_VERSIONS = pa.schema(
    [
        pa.field("comment_id", pa.string(), nullable=False),
        pa.field("version", pa.int32(), nullable=False),
        pa.field("thread_id", pa.string(), nullable=False),
        pa.field("native_id", pa.string(), nullable=False),
        pa.field("author", pa.string()),
        pa.field("posted_at", TS),
        pa.field("text", pa.string(), nullable=False),
        pa.field("text_hash", pa.string(), nullable=False),
        pa.field("valid_from", TS, nullable=False),
        pa.field("last_seen_at", TS, nullable=False),
        pa.field("valid_to", TS, nullable=False),
        pa.field("replaced_by_run_id", pa.string(), nullable=False),
    ]
)

EXPORT_CHANGES = pa.schema(
    [
        pa.field("table_name", pa.string(), nullable=False),
        pa.field("site", pa.string(), nullable=False),
        pa.field("changed_at", TS, nullable=False),
    ]
)
PARQUET_EXPORTS = pa.schema(
    [
        pa.field("parquet_dir", pa.string(), nullable=False),
        pa.field("table_name", pa.string(), nullable=False),
        pa.field("site", pa.string(), nullable=False),
        pa.field("exported_at", TS, nullable=False),
    ]
)

THREAD_SOURCES = pa.schema(
    [
        pa.field("thread_id", pa.string(), nullable=False),
        pa.field("source_uri", pa.string(), nullable=False),
        # what a run reads as a whole: the file (a container's, for its records) or the URL
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("source_fingerprint", pa.string()),
        pa.field("comment_count_parsed", pa.int32(), nullable=False),
        pa.field("first_seen_at", TS, nullable=False),
        pa.field("last_seen_at", TS, nullable=False),
        pa.field("removed_at", TS),
        _LAST_RUN,
    ]
)

_SOURCE_FILE = pa.field("source_file", pa.string(), nullable=False)
STAGED_THREADS = pa.schema([*_THREAD_CONTENT, _SOURCE_FILE, _SEEN])
STAGED_COMMENTS = pa.schema([*_COMMENT_CONTENT, _SEEN])
STAGED_REJECTS = pa.schema([f for f in REJECTS if f.name != "run_id"])
STAGED_SEEN = pa.schema(
    [
        pa.field("source_uri", pa.string(), nullable=False),
        _SEEN,
        # False: read again unchanged; True: read whole, and it gave no thread at all
        pa.field("gave_nothing", pa.bool_(), nullable=False),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "threads": THREADS,
    "comments": COMMENTS,
    "runs": RUNS,
    "rejects": REJECTS,
    "load_ledger": LOAD_LEDGER,
    "comment_versions": COMMENT_VERSIONS,
    "thread_sources": THREAD_SOURCES,
    "export_changes": EXPORT_CHANGES,
    "parquet_exports": PARQUET_EXPORTS,
}
VIEWS = ("thread_summary", "reply_edges", "author_activity", "comment_volume_daily")


def ddl_files() -> list[tuple[str, str]]:
    """(name, SQL) of every DDL file, in the order they are applied."""
    folder = resources.files("schemas").joinpath("ddl")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [(f.name, f.read_text(encoding="utf-8")) for f in files]


# Columns added after a table was first released: (table, column, type, statements that fill
# the column in rows stored before it). A database written by an earlier version gets the
# column on its next writer connection; a new one has it from its DDL.
MIGRATIONS: tuple[tuple[str, str, str, str], ...] = (
    (
        # Before it, removal marks followed the thread's latest source: a comment only an
        # export showed was marked removed when the page was read again. Stored comments
        # were last shown by their thread's source.
        "comments",
        "source_uri",
        "varchar",
        "update comments as c set source_uri = t.source_uri from threads as t "
        "where c.thread_id = t.thread_id and c.source_uri is null",
    ),
    (
        # Before it, a thread no source gave any more showed only in thread_summary.sources:
        # such a thread was removed when its last source was.
        "threads",
        "removed_at",
        "timestamptz",
        """
        update threads as t set removed_at = s.gone
        from (select thread_id, max(removed_at) as gone from thread_sources group by thread_id
              having count(*) filter (where removed_at is null) = 0) as s
        where t.thread_id = s.thread_id and t.removed_at is null
        """,
    ),
)


# Tables added after the first release: what fills one from the tables an earlier version
# wrote. It runs in the transaction that creates the table, so a database never has the table
# without its rows.
BACKFILLS: dict[str, str] = {
    # Before it, a thread kept only the source read last: every source it had is that one.
    "thread_sources": """
        insert into thread_sources
        select thread_id, source_uri, source_uri, source_fingerprint, comment_count_parsed,
               first_seen_at, last_seen_at, null, last_run_id
        from threads
    """,
}


def apply_ddl(con: Any) -> None:
    """Create every table and view (idempotent) on a DuckDB connection, filling the tables of
    ``BACKFILLS`` new to a database an earlier version wrote, and add the columns of
    ``MIGRATIONS`` that such a database lacks; the views (``*_views.sql``) come last, as they
    may read those columns."""
    con.execute("set TimeZone = 'UTC'")
    stored = {
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() "
            "where database_name = current_database() and schema_name = 'main'"
        ).fetchall()
    }
    files = ddl_files()
    views = [sql for name, sql in files if name.endswith("_views.sql")]
    con.execute("begin transaction")
    try:
        for name, sql in files:
            if not name.endswith("_views.sql"):
                con.execute(sql)
        if "threads" in stored:  # not a new database
            for table in BACKFILLS.keys() - stored:
                con.execute(BACKFILLS[table])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    for table, column, sql_type, fill in MIGRATIONS:
        _add_column(con, table, column, sql_type, fill)
    for sql in views:  # last: views may read the columns the migrations add
        con.execute(sql)


def _add_column(con: Any, table: str, column: str, sql_type: str, fill: str) -> None:
    """Add ``table.column``, fill it, then make it NOT NULL if its field is. DuckDB cannot
    make a column NOT NULL in the transaction that filled it, so each step commits on its own
    and a connection interrupted between them finishes the work: a NOT NULL column found still
    nullable is filled again."""
    row = con.execute(
        "select is_nullable from duckdb_columns() where table_name = ? and column_name = ?",
        [table, column],
    ).fetchone()
    required = not TABLES[table].field(column).nullable
    if row is not None and not (required and row[0]):
        return
    if row is None:
        con.execute(f"alter table {table} add column {column} {sql_type}")
    con.execute(fill)
    if required:
        (missing,) = con.execute(f"select count(*) from {table} where {column} is null").fetchone()
        if missing:
            raise RuntimeError(
                f"cannot add {table}.{column}: {missing} stored rows have no value for it"
            )
        con.execute(f"alter table {table} alter column {column} set not null")
