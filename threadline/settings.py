"""One typed settings object, from THREADLINE_* environment variables (and .env)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from transforms.limits import PAGES_PER_BATCH


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
    user_agent: str = Field(
        "threadline/0.1 (+https://github.com/threadline; comment-thread research crawler)"
    )

    @field_validator("db_path", "parquet_dir", "staging_dir", "raw_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()
