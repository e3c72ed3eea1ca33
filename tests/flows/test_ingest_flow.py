"""The ingest-threads flow on a real (test-harness) Prefect API and a real DuckDB file."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES


@pytest.mark.slow
def test_flow_ingests_samples_idempotently(
    prefect_api: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.client.orchestration import get_client

    from flows.ingest import ingest_threads

    monkeypatch.setenv("THREADLINE_STAGING_DIR", str(tmp_path / "staging"))
    inputs = tmp_path / "in"
    shutil.copytree(SAMPLES, inputs)
    (inputs / "broken.bin").write_bytes(b"\x00\x01\x02" * 100)
    db, parquet = tmp_path / "t.duckdb", tmp_path / "parquet"

    first = ingest_threads(sources=[str(inputs)], db_path=str(db), parquet_dir=str(parquet))
    assert first.status == "completed"
    assert (first.pages_read, first.pages_failed, first.rejects) == (4, 1, 1)
    assert first.threads == first.threads_new == 3
    assert first.comments_new > 0 and first.duplicates_collapsed >= 1

    con = duckdb.connect(str(db), read_only=True)
    before = con.execute(
        "select * exclude (last_seen_at, last_run_id) from comments order by comment_id"
    ).fetchall()
    con.close()

    second = ingest_threads(sources=[str(inputs)], db_path=str(db), parquet_dir=str(parquet))
    assert (
        second.threads_new,
        second.comments_new,
        second.comments_updated,
        second.comments_removed,
    ) == (0, 0, 0, 0)
    assert second.comments_unchanged == first.comments_new

    con = duckdb.connect(str(db), read_only=True)
    after = con.execute(
        "select * exclude (last_seen_at, last_run_id) from comments order by comment_id"
    ).fetchall()
    assert before == after
    assert con.execute("select count(*) from runs where status = 'completed'").fetchone() == (2,)
    assert con.execute("select count(*) from rejects").fetchone() == (2,)  # one per run
    con.close()

    glob = parquet / "comments" / "**" / "*.parquet"
    exported = duckdb.sql(
        f"select count(*) from read_parquet('{glob}', hive_partitioning=true)"
    ).fetchone()
    assert exported == (first.comments_new,)
    assert not any((tmp_path / "staging").iterdir())  # staged parts cleaned up after commit

    async def artifact_rows() -> int:
        async with get_client() as client:
            artifacts = await client.read_latest_artifacts()
            return len([a for a in artifacts if a.key == "ingest-run-summary"])

    import asyncio

    assert asyncio.run(artifact_rows()) == 1
