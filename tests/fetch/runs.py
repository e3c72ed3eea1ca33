"""One ingest run over URLs through the transforms (no Prefect): acquire → parse → commit →
confirm, on a real DuckDB file. What the flow does, minus orchestration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tests.fetch.conftest import FAST
from transforms.acquire import StoredReader, acquire_batch
from transforms.fetch import Fetcher, FetchPolicy, HostRegistry
from transforms.load import LoadCounts, RunInfo, commit_parts, committed_sources, connect
from transforms.pipeline import process_batch
from transforms.rawstore import RawStore
from transforms.sources import SourceRef
from transforms.stage import StagedPart


@dataclass
class RunResult:
    counts: LoadCounts
    parts: list[StagedPart]
    reader: StoredReader


def run_urls(
    urls: list[str],
    tmp: Path,
    run_id: str,
    seen_at: datetime,
    *,
    policy: FetchPolicy = FAST,
    reader: StoredReader | None = None,
) -> RunResult:
    """Fetch, parse, stage and commit ``urls`` as run ``run_id``; confirm the raw store."""
    refs = [SourceRef(u, "url") for u in urls]
    if reader is None:
        with Fetcher(policy, hosts=HostRegistry()) as fetcher:
            reader = acquire_batch(refs, fetcher, tmp / "raw", run_id)
    parts = process_batch(
        refs, staging_dir=tmp / "staging", run_id=run_id, batch_no=1, seen_at=seen_at,
        reader=reader,
    )  # fmt: skip
    con = connect(tmp / "t.duckdb")
    try:
        counts = commit_parts(con, parts, RunInfo(run_id, seen_at, urls))
        RawStore(tmp / "raw").confirm(run_id, committed_sources(con, run_id), seen_at)
    finally:
        con.close()
    return RunResult(counts, parts, reader)
