"""The strict writer limit: made idempotently by the deploy step; a missing one fails a strict
commit instead of leaving it unserialised. On the session's Prefect test harness."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from tests.conftest import SAMPLES


@pytest.mark.slow
def test_ensure_writer_limit_is_idempotent(
    prefect_api: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitUpdate

    from flows.deploy import ensure_writer_limit, main

    name = f"test-writer-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("THREADLINE_COMMIT_LIMIT_NAME", name)  # the settings name it
    assert ensure_writer_limit() == {"name": name, "limit": "1", "action": "created"}
    assert ensure_writer_limit()["action"] == "unchanged"

    with get_client(sync_client=True) as client:
        client.update_global_concurrency_limit(
            name, GlobalConcurrencyLimitUpdate(limit=3, active=False)
        )
        assert ensure_writer_limit()["action"] == "updated"
        limit = client.read_global_concurrency_limit_by_name(name)
        assert (limit.limit, limit.active) == (1, True)

    assert main() == 0
    assert f"{name!r}: limit 1, unchanged" in capsys.readouterr().out


@pytest.mark.slow
def test_strict_commit_without_the_limit_fails_and_writes_nothing(
    prefect_api: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.ingest import ingest_threads

    missing = f"missing-writer-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("THREADLINE_COMMIT_LIMIT_NAME", missing)
    monkeypatch.setenv("THREADLINE_COMMIT_LIMIT_STRICT", "true")
    monkeypatch.setenv("THREADLINE_STAGING_DIR", str(tmp_path / "staging"))
    inputs = tmp_path / "in"
    shutil.copytree(SAMPLES, inputs)
    db = tmp_path / "t.duckdb"

    with pytest.raises(Exception, match=missing):
        ingest_threads(sources=[str(inputs)], db_path=str(db), parquet_dir=str(tmp_path / "pq"))
    assert not db.exists()
    assert not (tmp_path / "t.snapshot.duckdb").exists()
