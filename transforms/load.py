"""Commit staged parts into DuckDB: one writer, one transaction per part, a load ledger.

Upsert semantics (keys: ``threads.thread_id``, ``comments.comment_id``):
- a new key is inserted (first_seen_at = last_seen_at = updated_at = the run's time);
- a known key with the same content hash only moves ``last_seen_at`` (and ``last_run_id``);
- a known key with new content is updated in place (``updated_at`` moves); when a comment
  with a native id changes its text, the earlier text is kept in ``comment_versions``; a
  thread's title, url, date, article and declared count are kept when the new read has none
  (the same thread read from its page, then from a comments feed or an export that only
  knows its comments);
- a comment records the source that last showed it (``source_uri``: the page's file or URL,
  or the export's); a read of that source without it gives it ``removed_at``. It is never
  deleted, and is revived if it comes back. A read of another source of the same thread (a
  page after an export with its pending and spam comments, a feed after the page) marks
  nothing of what only the first source showed.
- a thread fetched again unchanged (not parsed again: its source is in the part's ``seen``
  file) moves ``last_seen_at`` of the thread and its present comments, like a re-read would.
Each part is committed in one transaction together with its ledger row, its rejects and the
run's running totals, so a crash (even SIGKILL) leaves the whole part or none of it, and a part
committed twice is a no-op.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from filelock import FileLock

from schemas.tables import COMMENTS, THREADS, apply_ddl
from transforms.seen import seen_path
from transforms.stage import StagedPart

_COMMENT_CONTENT = [
    n for n in COMMENTS.names if n not in ("comment_id", "first_seen_at", "last_seen_at",
                                           "updated_at", "removed_at", "last_run_id",
                                           "source_uri")
]  # fmt: skip
_THREAD_CONTENT = [
    n for n in THREADS.names if n not in ("thread_id", "first_seen_at", "last_seen_at",
                                          "updated_at", "last_run_id", "removed_at")
]  # fmt: skip
# What a source may not know about a thread it names (a comments feed or an export has no
# title, article or date): such a source leaves the values another source gave in place.
_KEPT_WHEN_UNKNOWN = frozenset(
    ("url", "title", "published_at", "article_text", "comment_count_declared")
)


@dataclass(slots=True)
class LoadCounts:
    """What committing one or more parts did to the tables."""

    parts_committed: int = 0
    parts_skipped: int = 0  # already in the ledger
    threads: int = 0
    threads_new: int = 0
    threads_updated: int = 0
    comments_new: int = 0
    comments_updated: int = 0
    comments_unchanged: int = 0
    comments_removed: int = 0
    rejects: int = 0

    def add(self, other: LoadCounts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass(frozen=True, slots=True)
class RunInfo:
    """The run a commit belongs to (for the ``runs`` row)."""

    run_id: str
    started_at: datetime
    sources: Sequence[str]
    flow_run_id: str | None = None
    flow_run_name: str | None = None


def connect(
    db_path: Path | str, *, read_only: bool = False, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the schema applied (writer) and UTC session time zone.

    ``memory_limit`` (e.g. "1GB") bounds DuckDB's memory; past it, sorts and joins spill to
    ``<db>.tmp``. DuckDB's own default is 80% of the machine's RAM.

    A writer checkpoints when its write-ahead log passes 256 MB instead of DuckDB's 16 MB: with
    one transaction per staged part, the default checkpointed (rewrote the tables and indexes)
    after nearly every part, half of a large load's commit time. Each commit is still durable
    in the WAL, replayed on the next open after a crash; ``commit_parts`` checkpoints at the
    end of a run."""
    if not read_only:
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=read_only)
    con.execute("set TimeZone = 'UTC'")
    if memory_limit:
        con.execute(f"set memory_limit = '{memory_limit.replace(chr(39), '')}'")
    if not read_only:
        con.execute("set checkpoint_threshold = '256MB'")
        apply_ddl(con)
    return con


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
    row = con.execute(sql, params).fetchone()
    assert row is not None
    return tuple(row)


def _commit_part_sql(con: duckdb.DuckDBPyConnection, part: StagedPart, run: RunInfo) -> LoadCounts:
    folder = Path(part.path)
    counts = LoadCounts(parts_committed=1)
    for table, file in (("st", "threads.parquet"), ("sc", "comments.parquet")):
        con.execute(
            f"create or replace temp view {table} as "
            f"select * from read_parquet('{_sql_path(folder / file)}')"
        )
    # Classify before changing anything.
    counts.threads, counts.threads_new, counts.threads_updated, thread_sites, seen_sites = _one(
        con,
        """
        select count(*),
               count(*) filter (where t.thread_id is null),
               count(*) filter (where t.thread_id is not null and t.content_hash <> s.content_hash),
               -- sites whose threads export changes: new, edited, moved or revived threads
               -- (a thread read again unchanged only moves what the thread_seen export carries)
               list(distinct s.site) filter (where t.thread_id is null
                                             or t.content_hash <> s.content_hash
                                             or t.source_uri <> s.source_uri
                                             or t.removed_at is not null),
               list(distinct s.site)
        from st as s left join threads as t on t.thread_id = s.thread_id
        """,
    )
    all_new = counts.threads_new == counts.threads
    if all_new:
        # Only new threads: their comments are new too (a comment id hashes its thread's), so
        # nothing needs joining against the stored comments.
        counts.comments_new, changed = _one(
            con,
            "select count(*), list(distinct t.site) from sc as s join st as t using (thread_id)",
        )
        counts.comments_updated = counts.comments_unchanged = 0
    else:
        counts.comments_new, counts.comments_updated, counts.comments_unchanged, changed = _one(
            con,
            """
            select count(*) filter (where c.comment_id is null),
                   count(*) filter (where c.comment_id is not null
                                    and (c.content_hash <> s.content_hash
                                         or c.removed_at is not null)),
                   count(*) filter (where c.comment_id is not null
                                    and c.content_hash = s.content_hash and c.removed_at is null),
                   -- sites whose comments export changes: new, edited, revived or moved
                   -- comments, or comments now shown by another source
                   list(distinct t.site) filter (where c.comment_id is null
                                                 or c.content_hash <> s.content_hash
                                                 or c.removed_at is not null
                                                 or c.position <> s.position
                                                 or c.source_uri <> t.source_uri)
            from sc as s
            left join st as t on t.thread_id = s.thread_id
            left join comments as c on c.comment_id = s.comment_id
            """,
        )
    comment_sites = set(changed or ())
    thread_sites, seen_sites = set(thread_sites or ()), set(seen_sites or ())
    # The counts say which statements can change anything: a first load (all new) skips the
    # ones that join every stored comment, text included.
    if counts.comments_updated:
        # Earlier texts of comments with a native id whose text changed: keep them.
        con.execute(
            """
            insert into comment_versions
            select c.comment_id,
                   coalesce(v.last_version, 0) + 1,
                   c.thread_id, c.native_id, c.author, c.posted_at, c.text, sha256(c.text),
                   coalesce(v.last_valid_to, c.first_seen_at), c.last_seen_at, s.seen_at, ?
            from sc as s
            join comments as c on c.comment_id = s.comment_id
            left join (
                select comment_id, max(version) as last_version, max(valid_to) as last_valid_to
                from comment_versions group by comment_id
            ) as v on v.comment_id = c.comment_id
            where c.native_id is not null and c.text <> s.text
            """,
            [run.run_id],
        )
    if counts.threads > counts.threads_new:
        # Comments gone from the source that last showed them: mark, never delete.
        gone = """
            select c.comment_id, s.site, s.seen_at
            from comments as c
            join st as s on c.thread_id = s.thread_id and c.source_uri = s.source_uri
            where c.removed_at is null and c.comment_id not in (select comment_id from sc)
        """
        removed_sites = con.execute(f"select site, count(*) from ({gone}) group by site").fetchall()
        counts.comments_removed = sum(n for _, n in removed_sites)
        if removed_sites:
            comment_sites.update(site for site, _ in removed_sites)
            con.execute(
                f"""
                update comments as c set removed_at = g.seen_at, last_run_id = ?
                from ({gone}) as g where c.comment_id = g.comment_id
                """,
                [run.run_id],
            )
    if counts.comments_updated:
        set_comment = ", ".join(f"{n} = s.{n}" for n in _COMMENT_CONTENT)
        con.execute(
            f"""
            update comments as c
            set {set_comment}, updated_at = s.seen_at, last_seen_at = s.seen_at,
                removed_at = null, last_run_id = ?, source_uri = t.source_uri
            from sc as s join st as t on t.thread_id = s.thread_id
            where c.comment_id = s.comment_id
              and (c.content_hash <> s.content_hash or c.removed_at is not null)
            """,
            [run.run_id],
        )
    if counts.comments_unchanged:
        con.execute(
            """
            update comments as c
            set last_seen_at = s.seen_at, position = s.position, last_run_id = ?,
                source_uri = t.source_uri
            from sc as s join st as t on t.thread_id = s.thread_id
            where c.comment_id = s.comment_id and c.content_hash = s.content_hash
              and c.removed_at is null and c.last_seen_at < s.seen_at
            """,
            [run.run_id],
        )
    if counts.comments_new:
        anti_join = (
            "where not exists (select 1 from comments as c where c.comment_id = s.comment_id)"
        )
        comment_cols = ", ".join(_COMMENT_CONTENT)
        con.execute(
            f"""
            insert into comments (comment_id, {comment_cols}, first_seen_at, last_seen_at,
                                  updated_at, removed_at, last_run_id, source_uri)
            select s.comment_id, {", ".join("s." + n for n in _COMMENT_CONTENT)},
                   s.seen_at, s.seen_at, s.seen_at, null, ?, t.source_uri
            from sc as s join st as t on t.thread_id = s.thread_id
            {"" if all_new else anti_join}
            """,
            [run.run_id],
        )

    set_thread = ", ".join(
        f"{n} = coalesce(s.{n}, t.{n})" if n in _KEPT_WHEN_UNKNOWN else f"{n} = s.{n}"
        for n in _THREAD_CONTENT
    )
    if counts.threads_updated:
        con.execute(
            f"""
            update threads as t
            set {set_thread}, updated_at = s.seen_at, last_seen_at = s.seen_at, last_run_id = ?,
                removed_at = null
            from st as s
            where t.thread_id = s.thread_id and t.content_hash <> s.content_hash
            """,
            [run.run_id],
        )
    if counts.threads > counts.threads_new + counts.threads_updated:
        con.execute(
            """
            update threads as t
            set last_seen_at = s.seen_at, source_uri = s.source_uri,
                source_fingerprint = s.source_fingerprint, last_run_id = ?, removed_at = null
            from st as s
            where t.thread_id = s.thread_id and t.content_hash = s.content_hash
              and t.last_seen_at < s.seen_at
            """,
            [run.run_id],
        )
    if counts.threads_new:
        thread_cols = ", ".join(_THREAD_CONTENT)
        con.execute(
            f"""
            insert into threads (thread_id, {thread_cols}, first_seen_at, last_seen_at,
                                 updated_at, last_run_id)
            select s.thread_id, {", ".join("s." + n for n in _THREAD_CONTENT)},
                   s.seen_at, s.seen_at, s.seen_at, ?
            from st as s
            where not exists (select 1 from threads as t where t.thread_id = s.thread_id)
            """,
            [run.run_id],
        )
    # Every source read: what it showed, its fingerprint, when (see thread_sources).
    con.execute(
        """
        insert into thread_sources
        select thread_id, source_uri, source_file, source_fingerprint, comment_count_parsed,
               seen_at, seen_at, null, ?
        from st
        on conflict (thread_id, source_uri) do update set
            source_file = excluded.source_file,
            source_fingerprint = excluded.source_fingerprint,
            comment_count_parsed = excluded.comment_count_parsed,
            last_seen_at = excluded.last_seen_at, removed_at = null,
            last_run_id = excluded.last_run_id
        """,
        [run.run_id],
    )
    seen = seen_path(folder)
    if seen.exists():
        # read as a view, like the part's own files: "sn" (source_uri, seen_at, gave_nothing)
        con.execute(
            f"create or replace temp view sn as select * from read_parquet('{_sql_path(seen)}')"
        )
        touched_sites, touched_comments = _touch_unchanged(con, run)
        counts.threads += len(touched_sites)
        counts.comments_unchanged += touched_comments
        seen_sites.update(touched_sites)
        # Files read whole that gave no thread: all they gave before is gone. (Retired here,
        # not at the run's end: with nothing of theirs in the run, no later part can add any.)
        emptied = _retire(
            con,
            run,
            """
            select ts.thread_id, ts.source_uri, s.seen_at
            from thread_sources as ts join sn as s on s.source_uri = ts.source_file
            where s.gave_nothing and ts.removed_at is null
            """,
        )
        counts.comments_removed += emptied.comments_removed
        comment_sites.update(emptied.comment_sites)
        seen_sites.update(emptied.source_sites)
        thread_sites.update(emptied.thread_sites)
    _mark_changed(
        con,
        {
            "threads": thread_sites,
            "comments": comment_sites,
            "thread_seen": seen_sites,
            "thread_sources": seen_sites,
        },
    )
    (counts.rejects,) = _one(
        con,
        f"""
        insert into rejects (source_uri, stage, error, run_id, rejected_at)
        select source_uri, stage, error, ?, rejected_at
        from read_parquet('{_sql_path(folder / "rejects.parquet")}')
        """,
        [run.run_id],
    )
    con.execute(
        """
        insert into load_ledger (part_id, run_id, committed_at, threads, comments, rejects)
        values (?, ?, now(), ?, ?, ?)
        """,
        [part.part_id, run.run_id, part.threads, part.comments, part.rejects],
    )
    return counts


_SEPARATOR = "\x1f"  # ASCII unit separator
TEXT_LIST = "string_split(?, chr(31))"  # SQL: the list of strings ``joined`` passes


def joined(values: Sequence[str]) -> str:
    """Strings as one query parameter, for ``TEXT_LIST`` (at least one string). DuckDB's Python
    client took ~20 ms to bind a list parameter of 40 site names, one string takes well under
    one: per committed part, 34 ms -> 3 ms for the export marks (1.7 s of an 11 s commit of
    50 parts)."""
    if not values or any(_SEPARATOR in v for v in values):
        raise ValueError(f"cannot pass {values!r} as a list of texts")
    return _SEPARATOR.join(values)


def _mark_changed(con: duckdb.DuckDBPyConnection, sites: dict[str, set[str]]) -> None:
    """Record that the Parquet partitions of ``sites`` (per table) changed in this transaction."""
    pairs = sorted((table, site) for table, of in sites.items() for site in of)
    if pairs:
        con.execute(
            f"""
            insert into export_changes
            select unnest({TEXT_LIST}), unnest({TEXT_LIST}), now()
            on conflict (table_name, site) do update set changed_at = excluded.changed_at
            """,
            [joined([table for table, _ in pairs]), joined([site for _, site in pairs])],
        )


def _touch_unchanged(con: duckdb.DuckDBPyConnection, run: RunInfo) -> tuple[list[str], int]:
    """Sources read again unchanged (files, URLs): move last_seen_at of each thread read from
    them, of their rows in thread_sources, and of the present comments they showed last.
    Returns the sites of the threads touched (one per thread) and the number of comments
    touched."""
    con.execute(
        """
        create or replace temp table ss as
        select ts.thread_id, ts.source_uri, s.seen_at
        from (select source_uri as source_file, max(seen_at) as seen_at
              from sn where not gave_nothing group by source_uri) as s
        join thread_sources as ts using (source_file)
        where ts.removed_at is null and ts.last_seen_at < s.seen_at
        """
    )
    try:
        (comments,) = _one(
            con,
            """
            update comments as c
            set last_seen_at = s.seen_at, last_run_id = ?
            from ss as s
            where c.thread_id = s.thread_id and c.source_uri = s.source_uri
              and c.removed_at is null and c.last_seen_at < s.seen_at
            """,
            [run.run_id],
        )
        # (UPDATE ... RETURNING took 0.7 s here on 10,000 threads; a SELECT first, 5 ms)
        by_thread = """
            select thread_id, max(seen_at) as seen_at from ss group by thread_id
        """
        sites = con.execute(
            f"""
            select t.site from ({by_thread}) as s join threads as t using (thread_id)
            where t.last_seen_at < s.seen_at
            """
        ).fetchall()
        con.execute(
            f"""
            update threads as t
            set last_seen_at = s.seen_at, last_run_id = ?
            from ({by_thread}) as s
            where t.thread_id = s.thread_id and t.last_seen_at < s.seen_at
            """,
            [run.run_id],
        )
        con.execute(
            """
            update thread_sources as ts
            set last_seen_at = s.seen_at, last_run_id = ?
            from ss as s
            where ts.thread_id = s.thread_id and ts.source_uri = s.source_uri
            """,
            [run.run_id],
        )
    finally:
        con.execute("drop table if exists ss")
    return [site for (site,) in sites], int(comments)


def _record_run(
    con: duckdb.DuckDBPyConnection,
    run: RunInfo,
    part: StagedPart | None,
    counts: LoadCounts,
    *,
    status: str,
) -> None:
    """Add a part's totals to the run's row (created on the first part)."""
    con.execute(
        """
        insert into runs (run_id, flow_run_id, flow_run_name, started_at, finished_at, sources,
                          pages_read, pages_failed, threads, threads_new, comments_new,
                          comments_updated, comments_unchanged, comments_removed,
                          duplicates_collapsed, rejects, status)
        values (?, ?, ?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        on conflict (run_id) do update set
            finished_at = excluded.finished_at,
            pages_read = runs.pages_read + excluded.pages_read,
            pages_failed = runs.pages_failed + excluded.pages_failed,
            threads = runs.threads + excluded.threads,
            threads_new = runs.threads_new + excluded.threads_new,
            comments_new = runs.comments_new + excluded.comments_new,
            comments_updated = runs.comments_updated + excluded.comments_updated,
            comments_unchanged = runs.comments_unchanged + excluded.comments_unchanged,
            comments_removed = runs.comments_removed + excluded.comments_removed,
            duplicates_collapsed = runs.duplicates_collapsed + excluded.duplicates_collapsed,
            rejects = runs.rejects + excluded.rejects,
            status = excluded.status
        """,
        [
            run.run_id, run.flow_run_id, run.flow_run_name, run.started_at,
            json.dumps(list(run.sources)),
            part.pages_read if part else 0, part.pages_failed if part else 0,
            counts.threads, counts.threads_new, counts.comments_new, counts.comments_updated,
            counts.comments_unchanged, counts.comments_removed,
            part.duplicates_collapsed if part else 0, counts.rejects, status,
        ],
    )  # fmt: skip


def commit_part(
    con: duckdb.DuckDBPyConnection,
    part: StagedPart,
    run: RunInfo,
    *,
    before_commit: Callable[[], None] | None = None,
) -> LoadCounts:
    """Commit one staged part in one transaction (no-op when the ledger already has it).

    ``before_commit`` runs inside the transaction just before COMMIT (tests use it to kill the
    process at the worst moment)."""
    con.execute("begin transaction")
    try:
        (already,) = _one(con, "select count(*) from load_ledger where part_id = ?", [part.part_id])
        if already:
            con.execute("rollback")
            return LoadCounts(parts_skipped=1)
        counts = _commit_part_sql(con, part, run)
        _record_run(con, run, part, counts, status="running")
        if before_commit is not None:
            before_commit()
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        for view in ("st", "sc", "sn"):
            con.execute(f"drop view if exists {view}")
    return counts


def commit_parts(
    con: duckdb.DuckDBPyConnection, parts: Sequence[StagedPart], run: RunInfo
) -> LoadCounts:
    """Commit every part (one transaction each), mark the run completed, then checkpoint once
    (the writer's WAL is durable at each commit; see ``connect``)."""
    total = LoadCounts()
    for part in parts:
        total.add(commit_part(con, part, run))
    con.execute("begin transaction")
    try:
        retired = _retire_sources(con, run)
        _record_run(con, run, None, retired, status="completed")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    total.add(retired)
    con.execute("checkpoint")
    return total


def _retire_sources(con: duckdb.DuckDBPyConnection, run: RunInfo) -> LoadCounts:
    """Once every part of a run is committed: a file (or URL) the run read that no longer gave
    one of the threads it gave before (a post gone from an export, a page whose canonical URL
    changed) has that row of ``thread_sources`` marked removed, and the present comments it
    showed last with it. Only whole reads count, so this waits for the run's last part: a run
    that stops before leaves the rows as they were, and the file is read again next time."""
    retired = _retire(
        con,
        run,
        """
        select ts.thread_id, ts.source_uri, r.seen_at
        from thread_sources as ts
        join (select source_file, max(last_seen_at) as seen_at from thread_sources
              where last_run_id = $run group by source_file) as r using (source_file)
        where ts.removed_at is null and ts.last_run_id <> $run
        """,
        {"run": run.run_id},
    )
    _mark_changed(
        con,
        {
            "comments": retired.comment_sites,
            "thread_sources": retired.source_sites,
            "threads": retired.thread_sites,
        },
    )
    return LoadCounts(comments_removed=retired.comments_removed)


@dataclass(slots=True)
class _Retired:
    comments_removed: int = 0
    comment_sites: set[str] = field(default_factory=set)  # sites whose comments changed
    source_sites: set[str] = field(default_factory=set)  # sites whose thread_sources changed
    thread_sites: set[str] = field(default_factory=set)  # sites with a thread now removed


def _retire(
    con: duckdb.DuckDBPyConnection, run: RunInfo, gone_sql: str,
    params: dict[str, Any] | None = None,
) -> _Retired:  # fmt: skip
    """Mark removed the ``thread_sources`` rows ``gone_sql`` selects (thread_id, source_uri,
    seen_at: when the source was read without the thread; ``params`` its named parameters),
    the present comments each showed last, and the threads left with no source giving them."""
    con.execute(f"create or replace temp table gone as {gone_sql}", params or {})
    try:
        (rows,) = _one(con, "select count(*) from gone")
        if not rows:
            return _Retired()
        removed = con.execute(
            """
            select t.site, count(*) from comments as c
            join gone as g on c.thread_id = g.thread_id and c.source_uri = g.source_uri
            join threads as t on t.thread_id = c.thread_id
            where c.removed_at is null
            group by t.site
            """
        ).fetchall()
        con.execute(
            """
            update comments as c set removed_at = g.seen_at, last_run_id = ?
            from gone as g
            where c.thread_id = g.thread_id and c.source_uri = g.source_uri
              and c.removed_at is null
            """,
            [run.run_id],
        )
        source_sites = con.execute(
            "select distinct t.site from gone join threads as t using (thread_id)"
        ).fetchall()
        con.execute(
            """
            update thread_sources as ts set removed_at = g.seen_at
            from gone as g
            where ts.thread_id = g.thread_id and ts.source_uri = g.source_uri
            """
        )
        thread_sites = con.execute(
            """
            update threads as t set removed_at = g.seen_at, last_run_id = ?
            from (select thread_id, max(seen_at) as seen_at from gone group by thread_id) as g
            where t.thread_id = g.thread_id and t.removed_at is null
              and not exists (select 1 from thread_sources as ts
                              where ts.thread_id = t.thread_id and ts.removed_at is null)
            returning t.site
            """,
            [run.run_id],
        ).fetchall()
    finally:
        con.execute("drop table if exists gone")
    return _Retired(
        comments_removed=sum(n for _, n in removed),
        comment_sites={site for site, _ in removed},
        source_sites={site for (site,) in source_sites},
        thread_sites={site for (site,) in thread_sites},
    )


def committed_sources(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """Sources of the threads a run committed or touched (what the raw store may confirm)."""
    rows = con.execute(
        """
        select distinct source_uri from thread_sources
        where last_run_id = ? and removed_at is null order by 1
        """,
        [run_id],
    ).fetchall()
    return [str(r[0]) for r in rows]


def file_fingerprints(db_path: Path, *, lock_timeout: float = 600) -> dict[str, str]:
    """Fingerprints of the local files behind committed threads, by path (see
    ``sources.file_fingerprint``): what a run may skip as unchanged. Every file a thread was
    read from counts (``thread_sources``), a container's records as their file. Read under the
    writer's file lock (DuckDB refuses readers while another process writes); empty without a
    database. A file whose threads carry different fingerprints (a run that stopped before all
    of it was committed) is left out: the next run reads it whole."""
    if not db_path.exists():
        return {}
    with FileLock(f"{db_path}.lock", timeout=lock_timeout):
        con = duckdb.connect(str(db_path), read_only=True)
        try:
            tables = {
                name for (name,) in con.execute("select table_name from duckdb_tables()").fetchall()
            }
            if "thread_sources" in tables:
                query = """
                    select source_file, min(source_fingerprint) from thread_sources
                    where removed_at is null
                    group by source_file
                    having count(distinct source_fingerprint) = 1
                       and count(*) = count(source_fingerprint)
                """
            elif "threads" in tables:  # written by an earlier version, not opened since
                query = """
                    select source_uri, min(source_fingerprint) from threads
                    group by source_uri
                    having count(distinct source_fingerprint) = 1
                       and count(*) = count(source_fingerprint)
                """
            else:
                return {}
            rows = con.execute(query).fetchall()
        finally:
            con.close()
    return {str(uri): str(fp) for uri, fp in rows}
