"""The documented settings stay in step with the Settings object."""

from __future__ import annotations

from tests.conftest import REPO
from threadline.settings import Settings


def test_env_example_lists_every_setting() -> None:
    documented = {
        line.split("=", 1)[0]
        for line in (REPO / ".env.example").read_text().splitlines()
        if line.startswith("THREADLINE_")
    }
    assert documented == {f"THREADLINE_{name.upper()}" for name in Settings.model_fields}


def test_env_example_values_are_valid_as_copied(monkeypatch: object) -> None:
    # a .env copied from the example (every value blank) must give the defaults
    Settings(_env_file=str(REPO / ".env.example"))  # type: ignore[call-arg]
