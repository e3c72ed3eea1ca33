"""The ephemeral Prefect API started before the command imports Prefect (threadline.ephemeral)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.test_cli import THREADLINE
from threadline.ephemeral import start_early


def test_nothing_is_started_when_a_server_is_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert start_early() is None
    monkeypatch.delenv("PREFECT_API_URL")
    # ... in the active Prefect profile, as `prefect config set PREFECT_API_URL=...` writes it
    (tmp_path / "profiles.toml").write_text(
        'active = "prod"\n[profiles.prod]\nPREFECT_API_URL = "http://10.0.0.5:4200/api"\n'
    )
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    assert start_early() is None
    monkeypatch.setenv("PREFECT_PROFILE", "other")  # a profile without one: start
    early = start_early()
    assert early is not None
    early.stop()
    assert early.process.returncode is not None


@pytest.mark.slow
def test_ingest_without_a_server_hands_its_early_api_to_prefect(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    inputs = tmp_path / "in"
    shutil.copytree(SAMPLES, inputs)
    result = subprocess.run(
        [*THREADLINE, "ingest", str(inputs), "--db", "out/t.duckdb", "--parquet", "out/pq"],
        cwd=tmp_path, env={**env, "PREFECT_LOGGING_LEVEL": "INFO"}, capture_output=True,
        text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "status=completed" in result.stdout
    # Prefect found the server running (it did not start one) and stopped it at exit.
    assert "Starting temporary server" not in result.stderr
    assert "Stopping temporary server" in result.stderr


@pytest.mark.slow
def test_an_early_server_that_died_is_not_adopted(tmp_path: Path) -> None:
    # In a clean process (this one may have a test API configured): Prefect must be left to
    # start its own server, and the dead one must not be handed over.
    script = (
        "from threadline.ephemeral import adopt, start_early\n"
        "from prefect.server.api.server import SubprocessASGIServer\n"
        "early = start_early()\n"
        "assert early is not None\n"
        "early.process.kill(); early.process.wait()\n"
        "print(adopt(early, timeout=10), SubprocessASGIServer().running)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_flow_runs_on_an_ephemeral_api_send_no_heartbeats() -> None:
    """Heartbeats are for a server to notice a dead run; an ephemeral API dies with the run."""
    from prefect.settings import get_current_settings, temporary_settings

    from threadline.ephemeral import flow_run_settings

    default = get_current_settings().flows.heartbeat_frequency
    assert default is not None
    with temporary_settings(updates={"api.url": None}), flow_run_settings():
        assert get_current_settings().flows.heartbeat_frequency is None
    with (
        temporary_settings(updates={"api.url": "http://127.0.0.1:4200/api"}),
        flow_run_settings(),
    ):
        assert get_current_settings().flows.heartbeat_frequency == default
    assert get_current_settings().flows.heartbeat_frequency == default
