"""One typed settings object, from THREADLINE_* environment variables (and .env)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from transforms.fetch import FetchPolicy
from transforms.limits import (
    FETCH_BACKOFF,
    FETCH_BACKOFF_MAX,
    FETCH_CONNECT_TIMEOUT,
    FETCH_DEADLINE,
    FETCH_MAX_REDIRECTS,
    FETCH_READ_TIMEOUT,
    FETCH_RETRIES,
    FETCH_WORKERS,
    HOST_CONCURRENCY,
    HOST_DELAY,
    MAX_COMMENT_PAGES,
    MAX_PAGE_BYTES,
    PAGES_PER_BATCH,
    RETRY_AFTER_MAX,
)
from transforms.snapshot import default_snapshot_path


class Settings(BaseSettings):
    """Where threadline keeps its data and how it batches work. Validated before any work."""

    model_config = SettingsConfigDict(
        env_prefix="THREADLINE_", env_file=".env", extra="ignore", env_ignore_empty=True
    )

    db_path: Path = Field(Path("data/threadline.duckdb"), description="DuckDB file (one writer)")
    parquet_dir: Path = Field(Path("data/parquet"), description="Parquet export for readers")
    staging_dir: Path = Field(Path("data/staging"), description="staged parts awaiting commit")
    raw_dir: Path = Field(Path("data/raw"), description="raw fetched pages, content-addressed")
    batch_size: int = Field(PAGES_PER_BATCH, ge=1, le=100_000, description="inputs per task")
    record_url_field: str = Field("url", description="URL field of JSONL/Parquet corpus records")
    record_text_field: str = Field("text", description="page-text field of corpus records")
    record_html_field: str = Field("html", description="page-HTML field of corpus records")
    workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        le=64,
        description="processes parsing batches in parallel (1 = parse in the flow's process)",
    )
    # 768MB: at 936k comments the export's peak fell from 1.1 GB to 0.85 GB for about 1 s more
    # (it spills past the limit); the commit does not need more.
    duckdb_memory_limit: str = Field(
        "768MB",
        pattern=r"^\d+(?:\.\d+)?\s*(?:[KMGT]i?B|B)$",
        description="memory DuckDB may use while committing and exporting (it spills past it)",
    )
    commit_limit_name: str = Field(
        "threadline-duckdb-writer",
        description="Prefect global concurrency limit that serialises commits on a server",
    )
    commit_limit_strict: bool = Field(
        False,
        description="fail the commit when that limit does not exist (set by the server "
        "deployments in deployments/prefect.yaml; local runs rely on the file lock)",
    )
    snapshot: bool = Field(
        True, description="refresh a read-only copy of the database after each commit"
    )
    snapshot_path: Path | None = Field(
        None, description="where (default: <db stem>.snapshot.duckdb beside the database)"
    )
    early_api: bool = Field(
        True,
        description="without a configured Prefect server, start the ephemeral API while the "
        "command imports Prefect rather than after (threadline/ephemeral.py)",
    )
    user_agent: str = Field(
        "threadline/0.1 (+https://github.com/threadline; comment-thread research crawler)"
    )
    # Fetching over HTTP (see transforms/fetch.py); defaults in transforms/limits.py.
    fetch_connect_timeout: float = Field(FETCH_CONNECT_TIMEOUT, gt=0, description="seconds")
    fetch_read_timeout: float = Field(FETCH_READ_TIMEOUT, gt=0, description="seconds a read stalls")
    fetch_deadline: float = Field(
        FETCH_DEADLINE, gt=0, description="wall-clock seconds for one response (slow drip)"
    )
    fetch_max_bytes: int = Field(
        MAX_PAGE_BYTES, ge=1024, description="page size cap, also after decompression"
    )
    fetch_max_redirects: int = Field(FETCH_MAX_REDIRECTS, ge=0, le=50)
    fetch_retries: int = Field(FETCH_RETRIES, ge=0, le=10, description="on errors, 429, 5xx")
    fetch_backoff: float = Field(FETCH_BACKOFF, ge=0, description="first backoff, seconds")
    fetch_backoff_max: float = Field(FETCH_BACKOFF_MAX, ge=0)
    fetch_retry_after_max: float = Field(
        RETRY_AFTER_MAX, ge=0, description="longest Retry-After waited; longer gives up"
    )
    fetch_workers: int = Field(FETCH_WORKERS, ge=1, le=256, description="fetch threads per batch")
    host_concurrency: int = Field(HOST_CONCURRENCY, ge=1, le=64, description="requests per host")
    host_delay: float = Field(HOST_DELAY, ge=0, description="seconds between requests to a host")
    respect_robots: bool = Field(True, description="honour robots.txt")
    max_comment_pages: int = Field(MAX_COMMENT_PAGES, ge=1, description="per thread")

    @field_validator("db_path", "parquet_dir", "staging_dir", "raw_dir", "snapshot_path")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    def fetch_policy(self) -> FetchPolicy:
        """How to fetch URLs: the fetch settings as the fetcher's policy."""
        return FetchPolicy(
            user_agent=self.user_agent, connect_timeout=self.fetch_connect_timeout,
            read_timeout=self.fetch_read_timeout, deadline=self.fetch_deadline,
            max_bytes=self.fetch_max_bytes, max_redirects=self.fetch_max_redirects,
            retries=self.fetch_retries, backoff=self.fetch_backoff,
            backoff_max=self.fetch_backoff_max, retry_after_max=self.fetch_retry_after_max,
            host_concurrency=self.host_concurrency, host_delay=self.host_delay,
            respect_robots=self.respect_robots, workers=self.fetch_workers,
            max_comment_pages=self.max_comment_pages,
        )  # fmt: skip

    def snapshot_file(self) -> Path | None:
        """The read-only snapshot to refresh after each commit, or None when switched off."""
        if not self.snapshot:
            return None
        return self.snapshot_path or default_snapshot_path(self.db_path)
