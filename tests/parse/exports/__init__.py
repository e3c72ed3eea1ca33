"""Tests of the export parsers; ``fixture_page`` reads one of tests/fixtures as an input."""

from __future__ import annotations

from pathlib import Path

from transforms.records import RawPage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def fixture_page(name: str, url: str | None = None) -> RawPage:
    """The fixture file ``name`` as an input read from disk (``url``: its sidecar's)."""
    path = FIXTURES / name
    return RawPage(source_uri=str(path), content=path.read_bytes(), url=url)
