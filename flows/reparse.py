"""The ``reparse-threads`` flow: stored raw pages → parse with the current parsers → commit.

Every thread whose pages the raw store holds (``settings.raw_dir``, written by URL ingests) is
parsed again from its stored pages — no network — and committed like any run: a parser that now
finds more, fewer or different comments updates, adds or marks them removed, and each thread row
records the parser version that produced it. Batched like ingest (one task per batch).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.ingest import commit_and_export, publish_summary, unwalked
from threadline.settings import Settings
from transforms.acquire import reparse_reader
from transforms.discovery import UrlFilter
from transforms.limits import PARSER_VERSION
from transforms.load import RunInfo
from transforms.pipeline import process_batch
from transforms.rawstore import RawStore, ThreadState
from transforms.sources import SourceRef
from transforms.stage import StagedPart, remove_run_staging
from transforms.summary import RunSummary


class NothingStoredError(LookupError):
    """The raw store holds no thread to re-parse."""


@task(name="list-stored-threads", cache_policy=NO_CACHE)
def list_stored_threads(raw_dir: Path, include: list[str], exclude: list[str]) -> list[ThreadState]:
    """Stored threads to re-parse, one per thread URL, filtered by the URL patterns."""
    if not (raw_dir / "index.sqlite3").exists():
        return []
    keep = UrlFilter.of(include, exclude)
    return [s for s in RawStore(raw_dir).threads() if keep.accepts(s.url)]


@task(name="reparse-batch", cache_policy=NO_CACHE)
def reparse_batch(
    states: list[ThreadState], raw_dir: Path, staging_dir: Path, run_id: str, batch_no: int,
    seen_at: datetime,
) -> list[StagedPart]:  # fmt: skip
    """Staged parts of one batch of stored threads, parsed again (rejects included)."""
    refs = [SourceRef(s.url, "url") for s in states]
    reader = reparse_reader(states, raw_dir, run_id)
    return process_batch(
        refs, staging_dir=staging_dir, run_id=run_id, batch_no=batch_no, seen_at=seen_at,
        reader=reader,
    )  # fmt: skip


@flow(name="reparse-threads", flow_run_name="reparse stored pages", log_prints=False)
def reparse_threads(
    db_path: str | None = None,
    parquet_dir: str | None = None,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    batch_size: int | None = None,
) -> RunSummary:
    """Re-parse every stored thread (optionally filtered by URL regexes) with the current
    parsers and commit the result. Raises NothingStoredError when nothing is stored."""
    logger = get_run_logger()
    overrides = {"db_path": db_path, "parquet_dir": parquet_dir, "batch_size": batch_size}
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
    started = datetime.now(UTC)
    run = RunInfo(
        run_id=str(flow_run.id or uuid.uuid4()), started_at=started,
        sources=[f"reparse:{settings.raw_dir}"], flow_run_id=flow_run.id,
        flow_run_name=flow_run.name,
    )  # fmt: skip
    states = list_stored_threads(settings.raw_dir, include or [], exclude or [])
    if not states:
        raise NothingStoredError(f"no stored threads to re-parse in {settings.raw_dir}")
    logger.info("re-parsing %d stored threads with parsers %s", len(states), PARSER_VERSION)
    size = settings.batch_size
    batches = [states[i : i + size] for i in range(0, len(states), size)]
    futures = [
        reparse_batch.submit(
            unwalked(batch), settings.raw_dir, settings.staging_dir, run.run_id, n + 1, started
        )
        for n, batch in enumerate(batches)
    ]
    parts = [part for future in futures for part in future.result()]
    summary = commit_and_export(parts, run, settings)
    remove_run_staging(settings.staging_dir, run.run_id)
    publish_summary(summary, "reparse")
    return summary
