"""The ``threadline`` command: ingest sources into DuckDB + Parquet, and query the result."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from threadline.settings import Settings

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_NOTHING_READ = 2

_EPILOG = """\
Examples:
  threadline ingest data/samples
  threadline ingest 'pages/**/*.html' exports/site.wxr.xml --db data/threadline.duckdb
  threadline query "select site, count(*) from comments join threads using (thread_id) group by 1"

Environment: THREADLINE_DB_PATH, THREADLINE_PARQUET_DIR, THREADLINE_STAGING_DIR,
THREADLINE_BATCH_SIZE. Without PREFECT_API_URL the flow runs on an ephemeral local Prefect API.
"""


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
    ingest.add_argument("sources", nargs="+", metavar="SOURCE", help="file, folder, glob or URL")
    ingest.add_argument("--db", type=Path, help="DuckDB file (default data/threadline.duckdb)")
    ingest.add_argument("--parquet", type=Path, help="Parquet export folder (default data/parquet)")
    ingest.add_argument("--batch-size", type=int, help="inputs parsed per task (default 200)")

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


def _ingest(args: argparse.Namespace) -> int:
    settings = Settings()  # validate the environment before starting Prefect
    db = args.db or settings.db_path
    parquet = args.parquet or settings.parquet_dir
    tty = sys.stderr.isatty()

    from flows.ingest import ingest_threads

    kwargs: dict[str, Any] = {
        "sources": list(args.sources), "db_path": str(db), "parquet_dir": str(parquet),
        "batch_size": args.batch_size,
    }  # fmt: skip
    try:
        if tty:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            with Progress(
                TextColumn("parsing"), BarColumn(), MofNCompleteColumn(),
                TextColumn("inputs, {task.fields[comments]} comments"), transient=True,
            ) as bar:  # fmt: skip
                job = bar.add_task("ingest", total=None, comments=0)

                def show(done: int, total: int, comments: int) -> None:
                    bar.update(job, completed=done, total=total, comments=comments)

                summary = ingest_threads(**kwargs, progress=show)
        else:
            summary = ingest_threads(**kwargs)
    except Exception as exc:  # noqa: BLE001 - report any failure of the run as exit status 1
        print(f"threadline: ingest failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_RUN_FAILED
    _print_summary(summary, tty=sys.stdout.isatty())
    if summary.pages_read - summary.pages_failed <= 0:
        print("threadline: no input could be read", file=sys.stderr)
        return EXIT_NOTHING_READ
    return EXIT_OK


def _query(args: argparse.Namespace) -> int:
    import duckdb

    db = args.db or Settings().db_path
    if not Path(db).exists():
        print(f"threadline: no database at {db} (run `threadline ingest` first)", file=sys.stderr)
        return EXIT_RUN_FAILED
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.IOException as exc:
        print(
            f"threadline: cannot open {db} ({exc}); while a load is writing it, query the "
            "Parquet export instead (see README)",
            file=sys.stderr,
        )
        return EXIT_RUN_FAILED
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
    args = _parser().parse_args(argv)
    # The local ephemeral Prefect server records a telemetry session in its SQLite file at start,
    # which races with its own startup ("database is locked"); threadline does not need it.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    if args.command == "ingest":
        return _ingest(args)
    return _query(args)


if __name__ == "__main__":
    sys.exit(main())
