"""The ``ingest-threads`` flow: discover → acquire + parse + dedup + stage (batched) → commit →
export.

URL sources (named directly, or found in URL lists, sitemaps and feeds) are fetched by the
parse task of their batch, in the flow's process, before the batch is parsed: one process-wide
set of host gates keeps every batch within the per-host politeness budget. After the commit,
the raw store records which threads' pages reached DuckDB (``RawStore.confirm``), so the next
run skips exactly those whose pages did not change.

Work is batched: one task per batch of pages (settings.batch_size), never one per page or per
comment. Parse tasks only write Parquet parts; the single commit task is the only DuckDB
writer, serialised by a file lock (local runs) and, on a Prefect server, by the global
concurrency limit ``settings.commit_limit_name``.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from filelock import FileLock
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.concurrency.sync import concurrency
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.settings import PREFECT_API_URL
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from threadline.settings import Settings
from transforms.acquire import acquire_urls
from transforms.discovery import UrlSources, discover_urls
from transforms.export import export_changed
from transforms.fetch import Fetcher, FetchPolicy
from transforms.load import RunInfo, commit_parts, committed_sources, connect, file_fingerprints
from transforms.pipeline import prepare_worker, process_batch
from transforms.rawstore import RawStore
from transforms.snapshot import refresh_snapshot
from transforms.sources import RecordFields, SourceRef, discover, split_unchanged
from transforms.stage import StagedPart, remove_run_staging, write_part
from transforms.summary import RunSummary, read_summary

MIN_INPUTS_PER_BATCH = 20

T = TypeVar("T")

ProgressCallback = Callable[[int, int, int], None]  # (inputs done, inputs total, comments)


def unwalked(value: T) -> T:
    """A large task parameter (a batch's inputs, their fingerprints) passed so that Prefect does
    not walk it: Prefect visits a parameter item by item looking for futures to wait on, and
    with a cache policy hashes it too. For the batch of 10,000 unchanged files of a re-run that
    took 0.6 s; quoted, without a cache policy, 0.01 s. (The task receives the value itself.)
    The tasks have no cache policy: a batch must be read again on every run."""
    return cast("T", quote(value))


@task(name="discover-sources", cache_policy=NO_CACHE)
def discover_sources(
    sources: Sequence[str], staging_dir: Path, run_id: str, seen_at: datetime,
    urls: UrlSources | None = None, fetch: FetchPolicy | None = None,
) -> tuple[list[SourceRef], list[StagedPart]]:  # fmt: skip
    """The inputs to read (URLs from lists, sitemaps and feeds added, filtered and bounded), and
    a staged part holding a reject per source that named nothing or could not be read."""
    refs, rejects = discover(sources)
    urls = urls or UrlSources()
    if urls.url_lists or urls.sitemaps or urls.feeds or any(r.kind == "url" for r in refs):
        with Fetcher(fetch) as fetcher:
            refs, unreadable = discover_urls(refs, urls, fetcher.fetch)
        rejects += unreadable
    parts = []
    if rejects:
        parts.append(write_part(staging_dir, run_id, 0, [], [(r, seen_at) for r in rejects],
                                pages_read=0))  # fmt: skip
    return refs, parts


@task(name="parse-batch", cache_policy=NO_CACHE)
def parse_batch(
    refs: list[SourceRef],
    staging_dir: Path,
    run_id: str,
    batch_no: int,
    seen_at: datetime,
    workers: int,
    fetch: FetchPolicy | None = None,
    raw_dir: Path | None = None,
    fields: RecordFields | None = None,
    known: dict[str, str] | None = None,
) -> list[StagedPart]:
    """Staged parts of one batch of inputs (acquire URLs, parse, dedup, stage; rejects included).

    URLs are fetched first, in this task's thread (the host gates are per process). The CPU
    work runs in a process of the run's pool (pure transforms, no Prefect there), so batches
    parse in parallel on every core while this task's thread only waits."""
    reader, fetched = acquire_urls(refs, fetch, raw_dir, run_id)
    if reader is not None:
        get_run_logger().info("batch %d fetched: %s", batch_no, fetched.as_dict())
        reader = replace(reader, fields=fields, known=known)
    work = partial(
        process_batch, refs, staging_dir=staging_dir, run_id=run_id, batch_no=batch_no,
        seen_at=seen_at, reader=reader, fields=fields, known=known,
    )  # fmt: skip
    pool = worker_pool(workers)
    return pool.submit(work).result() if pool is not None else work()


def _writer_limit(settings: Settings) -> AbstractContextManager[object]:
    """The server's global writer limit. Strict on server deployments: a missing limit fails the
    commit instead of leaving it unserialised. A failed lease renewal must not abort a commit
    halfway: each part is one transaction, and the file lock still serialises writers on this
    machine. Without a configured server (an ephemeral API lives only for this run) there is no
    global limit to take: the file lock alone serialises local writers."""
    if not settings.commit_limit_strict and not PREFECT_API_URL.value():
        return nullcontext()
    return concurrency(
        settings.commit_limit_name, occupy=1, strict=settings.commit_limit_strict,
        raise_on_lease_renewal_failure=False,
    )  # fmt: skip


@task(name="commit-and-export", cache_policy=NO_CACHE)
def commit_and_export(parts: list[StagedPart], run: RunInfo, settings: Settings) -> RunSummary:
    """Commit staged parts (one transaction each), refresh the Parquet export and the read-only
    snapshot."""
    logger = get_run_logger()
    asked = time.monotonic()
    with (
        _writer_limit(settings),
        FileLock(str(settings.db_path) + ".lock"),
    ):
        logger.info("writer lock held after %.1f s wait", time.monotonic() - asked)
        con = connect(settings.db_path, memory_limit=settings.duckdb_memory_limit)
        try:
            commit_parts(con, parts, run)
            if (settings.raw_dir / "index.sqlite3").exists():  # URL sources: confirm raw states
                confirmed = RawStore(settings.raw_dir).confirm(
                    run.run_id, committed_sources(con, run.run_id), run.started_at
                )
                logger.info("raw store: %d thread states confirmed", confirmed)
            written = export_changed(con, settings.parquet_dir)
            logger.info(
                "Parquet export (changed partitions): %d threads, %d comments, %d thread_seen "
                "and %d thread_sources rows rewritten",
                written["threads"], written["comments"], written["thread_seen"],
                written["thread_sources"],
            )  # fmt: skip
            summary = read_summary(
                con, run.run_id, db_path=str(settings.db_path),
                parquet_dir=str(settings.parquet_dir),
            )  # fmt: skip
        finally:
            con.close()
        snapshot = settings.snapshot_file()
        if snapshot is not None:
            seconds = refresh_snapshot(settings.db_path, snapshot)
            logger.info("read-only snapshot %s refreshed in %.2f s", snapshot, seconds)
    return summary


_pools: dict[int, ProcessPoolExecutor] = {}
_pools_lock = threading.Lock()


def worker_pool(workers: int) -> ProcessPoolExecutor | None:
    """The process pool of ``workers`` processes parsing this run's batches (None for 1).

    Spawned (not forked: the flow process has Prefect's threads running) on first use and shut
    down by ``release_worker_pool`` once the run's batches are parsed, so the workers' memory
    is returned before the commit. The batches' task threads ask for it at the same moment:
    the lock makes them share one pool (without it each made its own, and all but the last
    were left running, unreachable)."""
    if workers <= 1:
        return None
    with _pools_lock:
        if workers not in _pools:
            pool = _pools[workers] = ProcessPoolExecutor(
                workers, mp_context=get_context("spawn"), initializer=prepare_worker
            )
            # The executor spawns a process per submit that finds none idle, and the batches'
            # submits trickle in from the task threads: the last process started seconds
            # after the first. A trivial call per worker spawns them all now, together.
            for _ in range(workers):
                pool.submit(os.getpid)
        return _pools[workers]


def release_worker_pool() -> None:
    """Shut down the parse processes (after the parse phase of a run)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.shutdown()


def run_name(sources: Sequence[object]) -> str:
    """What a run ingests, as its flow-run name: ``ingest inbox, site.wxr.xml +3``."""
    labels = []
    for source in map(str, sources):
        url = urlsplit(source)
        if url.scheme in ("http", "https") and url.netloc:
            tail = url.path.rstrip("/").rsplit("/", 1)[-1]
            labels.append(f"{url.netloc}/{tail}" if tail else url.netloc)
        else:
            labels.append(Path(source).name or source)
    more = f" +{len(labels) - 2}" if len(labels) > 2 else ""
    return f"ingest {', '.join(labels[:2]) or 'nothing'}{more}"


def _run_name() -> str:
    return run_name(flow_run.parameters.get("sources") or [])


def publish_summary(summary: RunSummary, kind: str) -> None:
    """Log a committed run's counts and publish them as the table artifact
    ``<kind>-run-summary`` (the same numbers are in the ``runs`` table)."""
    get_run_logger().info(
        "%s run %s committed: %d threads (%d new), comments %d new / %d updated / %d unchanged "
        "/ %d removed, %d duplicates collapsed, %d rejects",
        kind, summary.run_id, summary.threads, summary.threads_new, summary.comments_new,
        summary.comments_updated, summary.comments_unchanged, summary.comments_removed,
        summary.duplicates_collapsed, summary.rejects,
    )  # fmt: skip
    create_table_artifact(
        table=summary.rows(), key=f"{kind}-run-summary",
        description=f"threadline {kind} run {summary.run_id}",
    )  # fmt: skip


def _chunks(refs: list[SourceRef], size: int, workers: int) -> list[list[SourceRef]]:
    """Batches of at most ``size`` inputs, and at least 4 per worker when there are enough
    inputs (batches of 20 or more), so the processes stay evenly busy: one heavy batch cannot
    leave a core idle, and a handful of files is not worth a process pool."""
    size = min(size, max(MIN_INPUTS_PER_BATCH, -(-len(refs) // (4 * workers))))
    return [refs[i : i + size] for i in range(0, len(refs), size)]


@flow(
    name="ingest-threads",
    flow_run_name=_run_name,
    log_prints=False,
    # Threads only wait on the process pool, so 2 per core keeps every process busy.
    task_runner=cast(
        "TaskRunner[PrefectFuture[Any]]",
        ThreadPoolTaskRunner(max_workers=2 * (os.cpu_count() or 1)),
    ),
)
def ingest_threads(
    sources: list[str],
    db_path: str | None = None,
    parquet_dir: str | None = None,
    batch_size: int | None = None,
    progress: ProgressCallback | None = None,
    url_lists: list[str] | None = None,
    sitemaps: list[str] | None = None,
    feeds: list[str] | None = None,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    max_pages: int | None = None,
    force: bool = False,
) -> RunSummary:
    """Ingest thread pages and exports from files, folders, globs or URLs into DuckDB + Parquet.

    Local files unchanged since their last committed read (same size, modification time and
    parser version) are not parsed again; their threads' ``last_seen_at`` moves. ``force``
    re-reads every file.

    URLs may also come from URL list files, sitemaps and RSS/Atom feeds, filtered by
    ``include``/``exclude`` regexes and bounded by ``max_pages``. Returns the run summary (also
    published as the table artifact ``ingest-run-summary``)."""
    logger = get_run_logger()
    overrides = {
        k: v
        for k, v in {
            "db_path": db_path,
            "parquet_dir": parquet_dir,
            "batch_size": batch_size,
        }.items()
        if v is not None
    }
    settings = Settings(**overrides)  # type: ignore[arg-type]
    started = datetime.now(UTC)
    run = RunInfo(
        run_id=str(flow_run.id or uuid.uuid4()), started_at=started, sources=sources,
        flow_run_id=flow_run.id, flow_run_name=flow_run.name,
    )  # fmt: skip
    staging = settings.staging_dir

    urls = UrlSources(
        tuple(url_lists or ()), tuple(sitemaps or ()), tuple(feeds or ()), tuple(include or ()),
        tuple(exclude or ()), max_pages,
    )  # fmt: skip
    fetch = settings.fetch_policy()
    refs, parts = discover_sources(sources, staging, run.run_id, started, urls, fetch)
    logger.info("run %s: %d inputs from %d sources", run.run_id, len(refs), len(sources))
    # Files unchanged since their last committed read are not read again (--force: all are):
    # they form one batch of their own, which only stages their sources as seen.
    known = {} if force else file_fingerprints(settings.db_path)
    unchanged, to_parse = split_unchanged(refs, known)
    parse_batches = _chunks(to_parse, settings.batch_size, settings.workers)
    batches = ([unchanged] if unchanged else []) + parse_batches
    if unchanged:
        logger.info("%d files unchanged since their last committed read", len(unchanged))
    # A process pool pays off only with enough to parse: with one batch, or few inputs, the
    # batches run in this process.
    pool_workers = (
        min(settings.workers, len(parse_batches)) if len(to_parse) > MIN_INPUTS_PER_BATCH else 1
    )
    fields = RecordFields(
        url=settings.record_url_field, text=settings.record_text_field,
        html=settings.record_html_field,
    )  # fmt: skip
    futures = [
        parse_batch.submit(
            unwalked(batch),
            staging,
            run.run_id,
            n + 1,
            started,
            1 if batch is unchanged else pool_workers,
            fetch,
            settings.raw_dir,
            fields,
            unwalked({r.uri: known[r.uri] for r in batch if r.uri in known}),
        )
        for n, batch in enumerate(batches)
    ]
    done = comments = 0
    try:
        for batch, future in zip(batches, futures, strict=True):
            batch_parts = future.result()
            parts.extend(batch_parts)
            done += len(batch)
            comments += sum(p.comments for p in batch_parts)
            logger.info("parsed %d/%d inputs, %d comments so far", done, len(refs), comments)
            if progress is not None:
                progress(done, len(refs), comments)
    finally:
        release_worker_pool()
    summary = commit_and_export(parts, run, settings)
    remove_run_staging(staging, run.run_id)
    publish_summary(summary, "ingest")
    return summary
