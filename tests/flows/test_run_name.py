"""Flow-run names say what a run ingests."""

from __future__ import annotations

import pytest

from flows.ingest import run_name


@pytest.mark.parametrize(
    ("sources", "name"),
    [
        ([], "ingest nothing"),
        (["data/inbox"], "ingest inbox"),
        (["data/inbox/", "/x/site.wxr.xml"], "ingest inbox, site.wxr.xml"),
        (["a.html", "b.html", "c.html", "d.html"], "ingest a.html, b.html +2"),
        (["https://blog.example.org/2024/05/post/"], "ingest blog.example.org/post"),
        (["https://blog.example.org"], "ingest blog.example.org"),
        (["pages/**/*.html"], "ingest *.html"),
    ],
)
def test_run_name(sources: list[str], name: str) -> None:
    assert run_name(sources) == name
