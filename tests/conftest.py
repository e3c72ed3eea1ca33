"""Shared test fixtures: the third-party material in ../shared and per-test output folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# The ephemeral/test Prefect servers race on their SQLite file when recording telemetry.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("THREADLINE_SHARED", REPO.parent / "shared"))


def require_shared(*parts: str) -> Path:
    """Path under ../shared. Missing material fails under CI (CI=true) and skips elsewhere."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = (
            f"third-party test material missing: {path} (expected ../shared beside the checkout)"
        )
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (seeds/, corpus/): fails under CI when missing, skips locally."""
    return require_shared()


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return require_shared("corpus")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return require_shared("seeds")


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """One Prefect test harness (a real local API server on SQLite) for the whole session;
    yields its API URL so subprocesses (the CLI) can use it too."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        url = PREFECT_API_URL.value()
        assert url
        yield str(url)


SAMPLES = REPO / "samples"
