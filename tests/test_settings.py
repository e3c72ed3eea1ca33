"""Settings: blank values (as in .env.example) mean the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO
from threadline.settings import Settings


def test_env_example_copied_as_is_gives_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text((REPO / ".env.example").read_text())
    settings = Settings()
    assert settings.db_path == Path("data/threadline.duckdb")
    assert settings.snapshot_file() == Path("data/threadline.snapshot.duckdb")
    assert settings.commit_limit_strict is False


def test_blank_environment_variables_mean_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THREADLINE_BATCH_SIZE", "")
    monkeypatch.setenv("THREADLINE_SNAPSHOT", "")
    assert Settings().batch_size == Settings.model_fields["batch_size"].default
    assert Settings().snapshot is True
