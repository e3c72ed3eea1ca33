"""The ``threadline`` command: ingest sources into DuckDB + Parquet, and query the result."""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from threadline.ephemeral import EarlyServer, adopt, flow_run_settings, start_early
from threadline.settings import Settings
from transforms.snapshot import default_snapshot_path

if TYPE_CHECKING:
    from transforms.summary import RunSummary

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_NOTHING_READ = 2
EXIT_BAD_SETTING = 2  # like a usage error

_EPILOG = """\
Examples:
  threadline ingest data/samples
  threadline ingest 'pages/**/*.html' exports/site.wxr.xml --db data/threadline.duckdb
  threadline query "select site, count(*) from comments join threads using (thread_id) group by 1"
  threadline ingest https://blog.example/2024/07/a-post/
  threadline ingest --sitemap https://blog.example/sitemap.xml --include '/2024/' --max-pages 500
  threadline ingest --feed https://blog.example/comments/feed/ --url-list more-urls.txt
  threadline reparse --include 'blog\\.example'

Environment: THREADLINE_DB_PATH, THREADLINE_PARQUET_DIR, THREADLINE_STAGING_DIR,
THREADLINE_RAW_DIR (raw fetched pages), THREADLINE_BATCH_SIZE, and for fetching
THREADLINE_USER_AGENT, THREADLINE_HOST_CONCURRENCY, THREADLINE_HOST_DELAY,
THREADLINE_FETCH_RETRIES, THREADLINE_FETCH_DEADLINE, THREADLINE_RESPECT_ROBOTS (see
threadline/settings.py). Without PREFECT_API_URL the flow runs on an ephemeral local Prefect API.
"""


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"not a regular expression: {value!r} ({exc})") from exc
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="threadline",
        description="Collect reader-comment threads (saved pages, text renderings, WordPress/"
        "Disqus/Commento/isso exports, web-corpus records) into DuckDB and Parquet.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = sub.add_parser(
        "ingest",
        help="read sources, parse threads and comments, load DuckDB, export Parquet",
        description="Read each SOURCE (a file, a folder read recursively, a glob, or a URL), "
        "parse its threads and comment trees, deduplicate, commit them to the DuckDB file and "
        "refresh the Parquet export. Safe to re-run: unchanged input changes nothing but "
        "last_seen_at. Inputs that cannot be read or parsed are recorded in the rejects table "
        "and do not stop the run. Exit status: 0 when the run completed (even with rejects), "
        "1 when the run failed, 2 when no input could be read at all.",
    )
    ingest.add_argument("sources", nargs="*", metavar="SOURCE", help="file, folder, glob or URL")
    urls = ingest.add_argument_group(
        "URLs",
        "URLs are fetched politely (robots.txt, per-host limits, retries) with their comment "
        "pages; unchanged pages are neither downloaded in full (conditional GET) nor parsed "
        "again. Raw pages are kept in THREADLINE_RAW_DIR for `threadline reparse`.",
    )
    urls.add_argument("--url-list", action="append", default=[], metavar="FILE",
                      help="file (or URL) of thread URLs, one per line; repeatable")  # fmt: skip
    urls.add_argument("--sitemap", action="append", default=[], metavar="URL",
                      help="sitemap.xml or sitemap index (URL or file); repeatable")  # fmt: skip
    urls.add_argument("--feed", action="append", default=[], metavar="URL",
                      help="RSS/Atom feed, incl. WordPress comment feeds (URL or file); "
                      "repeatable")  # fmt: skip
    urls.add_argument("--include", action="append", default=[], type=_regex, metavar="REGEX",
                      help="keep only URLs matching one of these regexes; repeatable")  # fmt: skip
    urls.add_argument("--exclude", action="append", default=[], type=_regex, metavar="REGEX",
                      help="drop URLs matching any of these regexes; repeatable")  # fmt: skip
    urls.add_argument("--max-pages", type=int, metavar="N",
                      help="read at most N thread URLs (after filtering)")  # fmt: skip
    ingest.add_argument("--db", type=Path, help="DuckDB file (default data/threadline.duckdb)")
    ingest.add_argument("--parquet", type=Path, help="Parquet export folder (default data/parquet)")
    ingest.add_argument("--batch-size", type=int, help="inputs parsed per task (default 200)")
    ingest.add_argument(
        "--force", action="store_true",
        help="re-read files unchanged since their last load (by default they are skipped and "
        "only their last_seen_at moves)",
    )  # fmt: skip
    records = ingest.add_argument_group(
        "web-corpus records", "field names in JSONL/Parquet files of pages (dotted for nested)"
    )
    records.add_argument("--url-field", help="the page URL (default url)")
    records.add_argument("--text-field", help="the page text (default text)")
    records.add_argument("--html-field", help="the page HTML (default html)")

    reparse = sub.add_parser(
        "reparse",
        help="parse stored raw pages again with the current parsers and commit the result",
        description="Parse every thread whose raw pages were stored by URL ingests "
        "(THREADLINE_RAW_DIR) again with the current parsers, without fetching anything, and "
        "commit the result like an ingest run: threads record the parser version, comments the "
        "new parser finds are added or updated, comments it no longer finds get removed_at. "
        "Exit status: 0 when the run completed, 1 when it failed, 2 when nothing is stored.",
    )
    reparse.add_argument("--db", type=Path, help="DuckDB file (default data/threadline.duckdb)")
    reparse.add_argument(
        "--parquet", type=Path, help="Parquet export folder (default data/parquet)"
    )
    reparse.add_argument("--include", action="append", default=[], type=_regex, metavar="REGEX",
                         help="only thread URLs matching one of these; repeatable")  # fmt: skip
    reparse.add_argument("--exclude", action="append", default=[], type=_regex, metavar="REGEX",
                         help="skip thread URLs matching any of these; repeatable")  # fmt: skip
    reparse.add_argument("--batch-size", type=int, help="threads parsed per task (default 200)")

    query = sub.add_parser(
        "query",
        help="run SQL on the DuckDB file and print the result as a table",
        description="Run one SQL statement against the DuckDB file (read-only) and print the "
        "result. Tables: threads, comments, runs, rejects, load_ledger; views: thread_summary, "
        "reply_edges, author_activity, comment_volume_daily.",
    )
    query.add_argument("sql", help="the SQL statement")
    query.add_argument("--db", type=Path, help="DuckDB file (default data/threadline.duckdb)")
    query.add_argument("--max-rows", type=int, default=100, help="rows to print (default 100)")
    return parser


def _print_summary(summary: Any, *, tty: bool) -> None:
    rows = summary.rows()
    if tty:
        from rich.console import Console
        from rich.table import Table

        table = Table(title="threadline ingest", show_header=False)
        for row in rows:
            table.add_row(str(row["metric"]), str(row["value"]))
        Console().print(table)
    else:
        for row in rows:
            print(f"{row['metric']}={row['value']}")


def _ingest(args: argparse.Namespace, early: EarlyServer | None) -> int:
    for option, variable in (
        ("url_field", "THREADLINE_RECORD_URL_FIELD"),
        ("text_field", "THREADLINE_RECORD_TEXT_FIELD"),
        ("html_field", "THREADLINE_RECORD_HTML_FIELD"),
    ):
        if getattr(args, option):
            os.environ[variable] = getattr(args, option)  # read by the flow's Settings
    settings = _settings()  # validate the environment before starting Prefect
    db = args.db or settings.db_path
    parquet = args.parquet or settings.parquet_dir
    tty = sys.stderr.isatty()

    from flows.ingest import ingest_threads

    adopt(early, timeout=_startup_timeout())
    kwargs: dict[str, Any] = {
        "sources": list(args.sources), "db_path": str(db), "parquet_dir": str(parquet),
        "batch_size": args.batch_size, "force": args.force,
    }  # fmt: skip
    url_options = {
        "url_lists": args.url_list, "sitemaps": args.sitemap, "feeds": args.feed,
        "include": args.include, "exclude": args.exclude, "max_pages": args.max_pages,
    }  # fmt: skip
    kwargs.update({k: v for k, v in url_options.items() if v})
    try:
        with flow_run_settings():
            summary = _run_ingest(ingest_threads, kwargs, tty=tty)
    except Exception as exc:  # noqa: BLE001 - report any failure of the run as exit status 1
        print(f"threadline: ingest failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_RUN_FAILED
    _print_summary(summary, tty=sys.stdout.isatty())
    if summary.pages_read - summary.pages_failed <= 0:
        print("threadline: no input could be read", file=sys.stderr)
        return EXIT_NOTHING_READ
    return EXIT_OK


def _run_ingest(
    ingest_threads: Callable[..., RunSummary], kwargs: dict[str, Any], *, tty: bool
) -> RunSummary:
    """The ingest flow run, with a progress bar on a terminal."""
    if tty:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(
            TextColumn("parsing"), BarColumn(), MofNCompleteColumn(),
            TextColumn("inputs, {task.fields[comments]} comments"), transient=True,
        ) as bar:  # fmt: skip
            job = bar.add_task("ingest", total=None, comments=0)

            def show(done: int, total: int, comments: int) -> None:
                bar.update(job, completed=done, total=total, comments=comments)

            return ingest_threads(**kwargs, progress=show)
    return ingest_threads(**kwargs)


def _reparse(args: argparse.Namespace, early: EarlyServer | None) -> int:
    settings = _settings()
    from flows.reparse import NothingStoredError, reparse_threads

    adopt(early, timeout=_startup_timeout())
    try:
        with flow_run_settings():
            summary = reparse_threads(
                db_path=str(args.db or settings.db_path),
                parquet_dir=str(args.parquet or settings.parquet_dir),
                include=args.include or None, exclude=args.exclude or None,
                batch_size=args.batch_size,
            )  # fmt: skip
    except NothingStoredError as exc:
        print(f"threadline: {exc}", file=sys.stderr)
        return EXIT_NOTHING_READ
    except Exception as exc:  # noqa: BLE001 - report any failure of the run as exit status 1
        print(f"threadline: reparse failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_RUN_FAILED
    _print_summary(summary, tty=sys.stdout.isatty())
    return EXIT_OK


def _query(args: argparse.Namespace) -> int:
    import duckdb

    settings = _settings()
    db = Path(args.db or settings.db_path)
    if not db.exists():
        print(f"threadline: no database at {db} (run `threadline ingest` first)", file=sys.stderr)
        return EXIT_RUN_FAILED
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.IOException as exc:
        # A load is writing the live file (DuckDB then refuses every other process): read the
        # snapshot refreshed after the last commit instead.
        snapshot = settings.snapshot_path or default_snapshot_path(db)
        if not snapshot.exists():
            print(
                f"threadline: cannot open {db} ({exc}) and there is no snapshot at {snapshot}; "
                "query the Parquet export instead (see README)",
                file=sys.stderr,
            )
            return EXIT_RUN_FAILED
        print(
            f"threadline: {db} is being written; reading the snapshot {snapshot}", file=sys.stderr
        )
        con = duckdb.connect(str(snapshot), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        relation = con.sql(args.sql)
        if relation is None:  # a statement without a result
            return EXIT_OK
        relation.show(max_rows=args.max_rows, max_width=int(os.environ.get("COLUMNS", 200)))
    except duckdb.Error as exc:
        print(f"threadline: query failed: {exc}", file=sys.stderr)
        return EXIT_RUN_FAILED
    finally:
        con.close()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    # At exit, Python's final garbage collections walk every object Prefect's imports made
    # (mostly pydantic schemas): about a second per command, for memory the OS takes back
    # anyway. Frozen objects are left out of those passes; destructors still run.
    atexit.register(gc.freeze)
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "ingest" and not (
        args.sources or args.url_list or args.sitemap or args.feed
    ):
        parser.error("ingest needs a SOURCE, --url-list, --sitemap or --feed")
    # The local ephemeral Prefect server records a telemetry session in its SQLite file at start,
    # which races with its own startup ("database is locked"); threadline does not need it.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # Prefect's default (20 s) to start the ephemeral API is too short on a loaded machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    try:
        if args.command == "query":
            return _query(args)
        # Prefect's ephemeral API boots while this process imports Prefect.
        early = start_early() if _settings().early_api else None
        if args.command == "ingest":
            return _ingest(args, early)
        return _reparse(args, early)
    except BadSettingError as exc:
        print(f"threadline: {exc}", file=sys.stderr)
        return EXIT_BAD_SETTING


class BadSettingError(Exception):
    """A THREADLINE_* setting (environment or .env) is invalid."""


def _settings() -> Settings:
    """The settings, or ``BadSettingError`` naming each invalid one and why."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = [
            f"THREADLINE_{'_'.join(str(p) for p in error['loc']).upper()}="
            f"{error.get('input')!r}: {error['msg']}"
            for error in exc.errors()
        ]
        raise BadSettingError("invalid setting " + "; ".join(problems)) from None


def _startup_timeout() -> float:
    return float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])


if __name__ == "__main__":
    sys.exit(main())
