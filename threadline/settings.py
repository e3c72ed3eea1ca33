"""One typed settings object, from THREADLINE_* environment variables (and .env)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from transforms.limits import PAGES_PER_BATCH
from transforms.snapshot import default_snapshot_path


class Settings(BaseSettings):
    """Where threadline keeps its data and how it batches work. Validated before any work."""

    model_config = SettingsConfigDict(env_prefix="THREADLINE_", env_file=".env", extra="ignore")

    db_path: Path = Field(Path("data/threadline.duckdb"), description="DuckDB file (one writer)")
    parquet_dir: Path = Field(Path("data/parquet"), description="Parquet export for readers")
    staging_dir: Path = Field(Path("data/staging"), description="staged parts awaiting commit")
    raw_dir: Path = Field(Path("data/raw"), description="raw fetched pages, content-addressed")
    batch_size: int = Field(PAGES_PER_BATCH, ge=1, le=100_000, description="inputs per task")
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
    user_agent: str = Field(
        "threadline/0.1 (+https://github.com/threadline; comment-thread research crawler)"
    )

    @field_validator("db_path", "parquet_dir", "staging_dir", "raw_dir", "snapshot_path")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    def snapshot_file(self) -> Path | None:
        """The read-only snapshot to refresh after each commit, or None when switched off."""
        if not self.snapshot:
            return None
        return self.snapshot_path or default_snapshot_path(self.db_path)
