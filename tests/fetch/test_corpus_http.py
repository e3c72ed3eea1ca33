"""Copies of ../shared/corpus pages served over HTTP parse exactly as the files do: same
comments (author, text, depth, kind), also gzip-encoded, without a charset, or with a wrong one.
No page triggers a request for anything but itself (and robots.txt)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq

from tests.fetch.conftest import FAST, make_fetcher
from tests.fetch.server import Page, gzipped, serve
from transforms.acquire import acquire_batch
from transforms.pipeline import process_batch
from transforms.sources import SourceRef

SEEN = datetime(2026, 5, 1, tzinfo=UTC)
Row = tuple[object, ...]


def comments_of(part_path: str) -> list[Row]:
    table = pq.read_table(Path(part_path) / "comments.parquet")
    return [(r["author"], r["text"], r["depth"], r["kind"]) for r in table.to_pylist()]


def test_corpus_pages_over_http_parse_as_files(corpus_dir: Path, tmp_path: Path) -> None:
    files = sorted((corpus_dir / "html").glob("*.html"))
    assert len(files) >= 40
    with serve() as server:
        refs = []
        for n, file in enumerate(files):
            body = file.read_bytes()
            # Vary the transport: plain without charset, gzip-encoded, and a wrong charset on
            # the windows-1252 page (decoding must fall back to the bytes, as for files).
            if "notevenwrong" in file.name:
                responder = Page(body, "text/html; charset=utf-8")
            elif n % 3 == 0:
                responder = gzipped(body, "text/html")
            else:
                responder = Page(body, "text/html")
            refs.append(SourceRef(server.route(f"/corpus/{file.name}", responder), "url"))
        policy = dataclasses.replace(FAST, max_bytes=20_000_000, deadline=20, read_timeout=10)
        with make_fetcher(policy) as fetcher:
            reader = acquire_batch(refs, fetcher, tmp_path / "raw", "r")
        other = {h.path for h in server.settle()} - {f"/corpus/{f.name}" for f in files}
        assert other == {"/robots.txt"}
    differences = []
    for ref, file in zip(refs, files, strict=True):
        (fetched,) = process_batch([ref], staging_dir=tmp_path / "url", run_id=file.stem,
                                   batch_no=1, seen_at=SEEN, reader=reader)  # fmt: skip
        (local,) = process_batch([SourceRef(str(file), "file")], staging_dir=tmp_path / "file",
                                 run_id=file.stem, batch_no=1, seen_at=SEEN)  # fmt: skip
        assert fetched.rejects == local.rejects == 0, file.name
        if comments_of(fetched.path) != comments_of(local.path):
            differences.append(file.name)
    assert differences == []
