"""Web-corpus records (JSONL, JSONL.gz, Parquet) as pages, with bad records reported."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from transforms.corpus_records import (
    BadRecord,
    CorpusRecordError,
    iter_corpus_records,
    read_sidecar_url,
)
from transforms.parse import detect_format, parse_page
from transforms.records import RawPage

THREAD_TEXT = (
    "Bridge repairs start next week\n\nThe footbridge will close for six weeks.\n\n"
    "2 Comments\n\n  • Ana\n\n    About time.\n\n  • Ben\n\n    Which weeks exactly?\n"
)
HTML = "<!doctype html><html><body><h1>Bridge</h1><p>Closed.</p></body></html>"


def _write_jsonl(path: Path, lines: list[str], *, gz: bool = False) -> Path:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def _pages(items: list[RawPage | BadRecord]) -> list[RawPage]:
    return [i for i in items if isinstance(i, RawPage)]


def _bad(items: list[RawPage | BadRecord]) -> list[BadRecord]:
    return [i for i in items if isinstance(i, BadRecord)]


def test_jsonl_records_become_pages(tmp_path: Path) -> None:
    path = _write_jsonl(
        tmp_path / "crawl.jsonl",
        [
            json.dumps({"url": "https://news.example/bridge", "text": THREAD_TEXT}),
            "",
            json.dumps({"url": "https://news.example/b2", "html": HTML}),
        ],
    )
    items = list(iter_corpus_records(path))
    assert not _bad(items)
    first, second = _pages(items)
    assert first.source_uri == f"{path}#1" and second.source_uri == f"{path}#3"  # line numbers
    assert (first.url, first.format_hint) == ("https://news.example/bridge", "text")
    assert first.content == THREAD_TEXT.encode()
    assert (second.format_hint, second.content) == ("html", HTML.encode())


def test_text_record_parses_as_a_thread(tmp_path: Path) -> None:
    path = _write_jsonl(
        tmp_path / "c.jsonl",
        [json.dumps({"url": "https://news.example/bridge", "text": THREAD_TEXT})],
    )
    [page] = _pages(list(iter_corpus_records(path)))
    assert detect_format(page).name == "text"
    [thread] = parse_page(page)
    assert thread.site == "news.example"
    assert [c.author for c in thread.comments] == ["Ana", "Ben"]
    assert thread.comment_count_declared == 2


def test_gzip_is_sniffed_by_content_not_name(tmp_path: Path) -> None:
    path = _write_jsonl(
        tmp_path / "records.data",
        [json.dumps({"url": "https://a.example/", "text": "x y"})],
        gz=True,
    )
    [page] = list(iter_corpus_records(path))
    assert isinstance(page, RawPage) and page.content == b"x y"


def test_bad_records_are_reported_and_do_not_stop_the_file(tmp_path: Path) -> None:
    path = _write_jsonl(
        tmp_path / "c.jsonl",
        [
            json.dumps({"url": "https://a.example/1", "text": "one"}),
            '{"url": "https://a.example/2", "text": ',  # cut off
            json.dumps({"url": "https://a.example/3"}),  # no content
            json.dumps(["not", "an", "object"]),
            json.dumps({"url": 42, "text": "four"}),
            json.dumps({"url": "https://a.example/6", "text": "   "}),  # empty
            json.dumps({"text": "no url is fine"}),
        ],
    )
    items = list(iter_corpus_records(path))
    assert [p.content for p in _pages(items)] == [b"one", b"no url is fine"]
    assert _pages(items)[1].url is None
    bad = _bad(items)
    assert [b.record for b in bad] == [2, 3, 4, 5, 6]
    assert "invalid JSON" in bad[0].error
    assert "'html' and 'text'" in bad[1].error
    assert "not an object" in bad[2].error
    assert "'url'" in bad[3].error
    reject = bad[0].reject()
    assert (reject.source_uri, reject.stage) == (f"{path}#2", "read")


def test_strict_mode_raises_naming_file_and_record(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "c.jsonl", [json.dumps({"text": "ok"}), "{broken"])
    with pytest.raises(CorpusRecordError, match=r"c\.jsonl#2: record 2: invalid JSON"):
        list(iter_corpus_records(path, strict=True))


def test_invalid_utf8_line_is_a_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"text": "caf\xe9"}\n{"text": "fine"}\n')
    items = list(iter_corpus_records(path))
    assert [b.record for b in _bad(items)] == [1]
    assert [p.content for p in _pages(items)] == [b"fine"]


def test_truncated_gzip_reports_where_it_stopped(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"page {i} " + "words " * 200}) for i in range(50)]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(iter_corpus_records(path))
    assert _pages(items)
    last = items[-1]
    assert isinstance(last, BadRecord) and "ends early" in last.error


def test_custom_and_nested_field_names(tmp_path: Path) -> None:
    record = {
        "meta": {"source_url": "https://b.example/p", "crawled": "2024-05-10T12:00:00Z"},
        "content": THREAD_TEXT,
    }
    path = _write_jsonl(tmp_path / "c.jsonl", [json.dumps(record)])
    [page] = list(
        iter_corpus_records(
            path, url_field="meta.source_url", text_field="content", time_field="meta.crawled"
        )
    )
    assert isinstance(page, RawPage)
    assert page.url == "https://b.example/p"
    assert page.fetched_at == datetime(2024, 5, 10, 12, 0, tzinfo=UTC)


def test_html_is_preferred_when_a_record_has_both(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "c.jsonl", [json.dumps({"text": "plain", "html": HTML})])
    [page] = list(iter_corpus_records(path))
    assert isinstance(page, RawPage) and page.format_hint == "html"


def test_parquet_streams_in_batches(tmp_path: Path) -> None:
    table = pa.table(
        {
            "url": [f"https://c.example/{i}" for i in range(5)],
            "text": [THREAD_TEXT, None, "third", "fourth", "fifth"],
            "html": [None, None, None, None, HTML],
            "other": list(range(5)),
        }
    )
    path = tmp_path / "part.parquet"
    pq.write_table(table, path, row_group_size=2)
    items = list(iter_corpus_records(path, batch_rows=2))
    pages, bad = _pages(items), _bad(items)
    assert [p.source_uri.rsplit("#", 1)[1] for p in pages] == ["1", "3", "4", "5"]
    assert [b.record for b in bad] == [2]
    assert pages[-1].format_hint == "html" and pages[0].format_hint == "text"
    assert pages[0].url == "https://c.example/0"


def test_parquet_custom_fields_binary_html_and_timestamps(tmp_path: Path) -> None:
    table = pa.table(
        {
            "page_url": ["https://d.example/a"],
            "raw": pa.array([HTML.encode()], type=pa.binary()),
            "ts": pa.array([datetime(2024, 1, 2, 3, 4)], type=pa.timestamp("s")),
        }
    )
    path = tmp_path / "x.bin"
    pq.write_table(table, path)
    [page] = list(
        iter_corpus_records(path, url_field="page_url", html_field="raw", time_field="ts")
    )
    assert isinstance(page, RawPage)
    assert page.content == HTML.encode() and page.format_hint == "html"
    assert page.fetched_at == datetime(2024, 1, 2, 3, 4, tzinfo=UTC)


def test_parquet_without_content_columns_is_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"url": ["https://e.example/"], "body": ["x"]}), path)
    with pytest.raises(
        CorpusRecordError, match=r"no 'text' or 'html' column \(columns: body, url\)"
    ):
        list(iter_corpus_records(path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><body>not a corpus</body></html>", "not a corpus file"),
        (b"\x28\xb5\x2f\xfd\x00\x00", "zstd"),
        (b"PAR1 but not really parquet", "not a readable Parquet file"),
    ],
)
def test_files_that_are_not_corpus_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "f.jsonl"
    path.write_bytes(content)
    with pytest.raises(CorpusRecordError, match=message):
        list(iter_corpus_records(path))


def test_empty_file_has_no_records(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    assert list(iter_corpus_records(path)) == []


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("page.txt.url", "https://f.example/post/1\n", "https://f.example/post/1"),
        ("page.url", "\n  http://f.example/p  \n", "http://f.example/p"),
        (
            "page.txt.url",
            "[InternetShortcut]\r\nIconIndex=0\r\nURL=https://f.example/s\r\n",
            "https://f.example/s",
        ),
        ("page.txt.url", "f.example/bare/path", "http://f.example/bare/path"),
        ("page.txt.url", "not a url at all", None),
        ("page.txt.url", "ftp://f.example/file", None),
        ("other.url", "https://f.example/", None),  # not this page's sidecar
    ],
)
def test_read_sidecar_url(tmp_path: Path, name: str, body: str, expected: str | None) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Title\n")
    (tmp_path / name).write_text(body)
    assert read_sidecar_url(page) == expected


def test_no_sidecar(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Title\n")
    assert read_sidecar_url(page) is None
