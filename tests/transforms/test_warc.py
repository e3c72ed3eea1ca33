"""Web archives (WARC): archived thread pages are read as pages, crawl noise is skipped, and an
unreadable record is a reject naming the file and the record."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.fetch.pages import C, wp_page
from transforms.parse import parse_page
from transforms.pipeline import process_batch
from transforms.records import RawPage
from transforms.sources import discover, read_file
from transforms.warc import is_warc

SEEN = datetime(2026, 5, 1, tzinfo=UTC)
POST = "https://allotments.example/2025/03/seed-swap/"
COMMENTS = [C(1, "Ines", "Bring labelled envelopes."), C(2, "Tom", "Will do.", parent=1),
            C(3, "Wen", "Any chilli seeds this year?")]  # fmt: skip
OUTLINE = (
    "Seed swap on Saturday\n\nThe shed opens at ten.\n\n2 Comments\n\n"
    "  1. Count me in, I have beans.\n\n    1. Same here, runner beans.\n"
)


def record(kind: str, block: bytes, **headers: str) -> bytes:
    lines = ["WARC/1.1", f"WARC-Type: {kind}", "WARC-Date: 2025-03-04T05:06:07Z",
             "WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000000>"]  # fmt: skip
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(block)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


def http(status: str, body: bytes, *headers: str) -> bytes:
    return (
        f"HTTP/1.1 {status}\r\n{''.join(h + chr(13) + chr(10) for h in headers)}\r\n".encode()
        + body
    )


def chunked(body: bytes, size: int = 700) -> bytes:
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(f"{len(p):x};ext=1\r\n".encode() + p + b"\r\n" for p in parts) + b"0\r\n\r\n"


def archive() -> list[bytes]:
    page = wp_page("Seed swap", COMMENTS, canonical=POST).encode()
    response = "application/http; msgtype=response"
    return [
        record("warcinfo", b"software: a crawler\r\n", Content_Type="application/warc-fields"),
        record("request", b"GET /2025/03/seed-swap/ HTTP/1.1\r\n\r\n",
               Content_Type="application/http; msgtype=request", WARC_Target_URI=POST),
        record("response", http("200 OK", chunked(gzip.compress(page)),
                                "Content-Type: text/html; charset=utf-8",
                                "Transfer-Encoding: chunked", "Content-Encoding: gzip"),
               Content_Type=response, WARC_Target_URI=POST),
        record("response", http("200 OK", b"\x89PNG\r\n", "Content-Type: image/png"),
               Content_Type=response, WARC_Target_URI="https://allotments.example/a.png"),
        record("response", http("301 Moved Permanently", b"", f"Location: {POST}"),
               Content_Type=response, WARC_Target_URI="http://allotments.example/?p=7"),
        record("response", http("200 OK", b"not gzip at all", "Content-Type: text/html",
                                "Content-Encoding: gzip"),
               Content_Type=response, WARC_Target_URI="https://allotments.example/broken/"),
        record("conversion", OUTLINE.encode(), Content_Type="text/plain",
               WARC_Target_URI="https://allotments.example/2025/03/open-day/"),
    ]  # fmt: skip


@pytest.fixture(params=["warc", "warc.gz"])
def warc_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / f"crawl.{request.param}"
    records = archive()
    # .warc.gz: one gzip member per record, as crawlers write it
    path.write_bytes(
        b"".join(gzip.compress(r) for r in records) if request.param.endswith("gz")
        else b"".join(records)
    )  # fmt: skip
    return path


def test_archived_pages_are_read_and_crawl_noise_is_skipped(warc_file: Path) -> None:
    assert is_warc(warc_file.read_bytes()[:4096])
    items = list(read_file(warc_file))
    pages = [i for i in items if isinstance(i, RawPage)]
    assert [(p.source_uri.rsplit("#", 1)[1], p.url) for p in pages] == [
        ("3", POST), ("7", "https://allotments.example/2025/03/open-day/"),
    ]  # fmt: skip
    assert {p.fetched_at for p in pages} == {datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)}
    (thread,) = parse_page(pages[0])
    assert [(c.author, c.depth) for c in thread.comments] == [("Ines", 0), ("Tom", 1), ("Wen", 0)]
    (text,) = parse_page(pages[1])
    assert (text.title, len(text.comments), text.comments[1].depth) == (
        "Seed swap on Saturday", 2, 1,
    )  # fmt: skip
    (reject,) = [i for i in items if not isinstance(i, RawPage)]
    assert reject.source_uri == f"{warc_file}#6" and "decode" in reject.error


def test_a_warc_cut_short_keeps_its_pages_and_names_where_it_ends(tmp_path: Path) -> None:
    whole = b"".join(archive())
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole[: whole.index(b"WARC-Type: conversion") + 200])
    (part,) = process_batch(
        discover([str(cut)])[0], staging_dir=tmp_path / "st", run_id="r", batch_no=1,
        seen_at=SEEN,
    )  # fmt: skip
    rejects = pq.read_table(Path(part.path) / "rejects.parquet").to_pylist()
    assert [(r["source_uri"], r["error"]) for r in rejects] == [
        (f"{cut}#6", "cannot decode the archived body: Error -3 while decompressing data: "
                     "incorrect header check"),
        (f"{cut}#7", "the file ends inside this record"),
    ]  # fmt: skip
    threads = pq.read_table(Path(part.path) / "threads.parquet").to_pylist()
    assert [t["url"] for t in threads] == [POST]


def test_not_a_warc() -> None:
    assert not is_warc(b"<html><body>WARC/1.0</body></html>")
    assert not is_warc(gzip.compress(b'{"url": "https://x.example/"}\n'))
    assert is_warc(gzip.compress(record("warcinfo", b"x")))
