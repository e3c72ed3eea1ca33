"""Web-corpus records as pages: JSONL and Parquet files with one thread page per record.

Web-text corpora keep a page's URL with its text (or its HTML) in one record. Each record
becomes one ``RawPage``:

- ``source_uri``: ``f"{path}#{n}"``, ``n`` the 1-based record number (for JSONL the line
  number, so ``sed -n 'Np'`` finds it; for Parquet the row number in the file);
- ``url``: the record's URL field (None when the record has none);
- ``content``: the HTML field's bytes when present (markup keeps authors and dates that text
  loses), else the text field's, UTF-8 encoded; ``format_hint`` says which ("html"/"text"),
  so format detection does not have to guess;
- ``fetched_at``: from ``time_field`` when given (ISO 8601 or any date ``parse_date`` reads),
  the reference for relative dates on the page.

Field names are configurable; a dotted name (``"metadata.url"``) reads a nested field.

File format is sniffed from the content, never the name: gzip (``1f 8b``) → gzip-compressed
JSONL, ``PAR1`` → Parquet, text starting with ``{`` → JSONL. Both are streamed: JSONL line by
line, Parquet in record batches of the selected columns only.

Bad records do not stop the file. By default they are yielded as ``BadRecord`` (record number
and reason; ``BadRecord.reject()`` gives the ``Reject`` row), between the good pages; with
``strict=True`` the first one raises ``CorpusRecordError`` naming file and record. Problems of
the whole file (not a corpus file, no text/html column, unreadable Parquet) always raise
``CorpusRecordError``. A gzip stream that ends early yields one last ``BadRecord``.

Usage::

    for item in iter_corpus_records(path, text_field="content"):
        if isinstance(item, BadRecord):
            rejects.append(item.reject())
        else:
            pages.append(item)
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from transforms.limits import MAX_PAGE_BYTES
from transforms.parse.dates import parse_date
from transforms.records import RawPage, Reject
from transforms.saved_pages import is_gzip

PARQUET_BATCH_ROWS = 256  # rows per Parquet record batch: bounded memory on large pages
MAX_SIDECAR_BYTES = 65_536  # a .url sidecar larger than this is not a URL file

_PARQUET_MAGIC = b"PAR1"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class CorpusRecordError(ValueError):
    """A corpus file (or, with ``strict=True``, one of its records) cannot be read; the message
    names the file and, for a record, its number."""


@dataclass(frozen=True, slots=True)
class BadRecord:
    """One record that could not become a page: where it is and why."""

    source_uri: str  # f"{path}#{record}"
    record: int  # 1-based record number (JSONL: line number; Parquet: row number)
    error: str

    def reject(self) -> Reject:
        """The ``rejects`` row for this record."""
        return Reject(source_uri=self.source_uri, stage="read", error=self.error)


def _lookup(record: dict[str, Any], name: str) -> Any:
    """A field of the record; a dotted name walks nested objects. Missing → None."""
    if name in record:
        return record[name]
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _to_page(
    record: object,
    *,
    source: str,
    number: int,
    url_field: str,
    text_field: str,
    html_field: str,
    time_field: str | None,
) -> RawPage | BadRecord:
    uri = f"{source}#{number}"

    def bad(error: str) -> BadRecord:
        return BadRecord(uri, number, error)

    if not isinstance(record, dict):
        return bad(f"record is a JSON {type(record).__name__}, not an object")
    url = _lookup(record, url_field)
    if url is not None and not isinstance(url, str):
        return bad(f"field {url_field!r} is a {type(url).__name__}, not a string")
    url = url.strip() if isinstance(url, str) and url.strip() else None
    content: bytes | None = None
    hint = "html"
    for field_name, kind in ((html_field, "html"), (text_field, "text")):
        value = _lookup(record, field_name)
        if value is None:
            continue
        if isinstance(value, str):
            encoded = value.encode("utf-8", "surrogatepass")
        elif isinstance(value, bytes | bytearray):
            encoded = bytes(value)
        else:
            return bad(f"field {field_name!r} is a {type(value).__name__}, not text")
        if encoded.strip():
            content, hint = encoded, kind
            break
    if content is None:
        return bad(
            f"no page content: fields {html_field!r} and {text_field!r} are missing or empty"
        )
    if len(content) > MAX_PAGE_BYTES:
        return bad(f"page of {len(content)} bytes is larger than the limit ({MAX_PAGE_BYTES})")
    fetched_at: datetime | None = None
    if time_field:
        stamp = _lookup(record, time_field)
        if isinstance(stamp, datetime):
            fetched_at = stamp.astimezone(UTC) if stamp.tzinfo else stamp.replace(tzinfo=UTC)
        elif isinstance(stamp, str | int | float):
            fetched_at = parse_date(str(stamp))
    return RawPage(
        source_uri=uri, content=content, url=url, fetched_at=fetched_at, format_hint=hint
    )


def _jsonl(
    stream: Iterable[bytes], source: str, fields: dict[str, Any]
) -> Iterator[RawPage | BadRecord]:
    number = 0
    try:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
                yield BadRecord(f"{source}#{number}", number, f"invalid JSON: {exc}")
                continue
            yield _to_page(record, source=source, number=number, **fields)
    except (EOFError, OSError, zlib.error) as exc:
        after = number + 1
        yield BadRecord(
            f"{source}#{after}", after, f"file ends early or is corrupt after line {number}: {exc}"
        )


def _parquet(
    path: Path, source: str, fields: dict[str, Any], batch_rows: int
) -> Iterator[RawPage | BadRecord]:
    import pyarrow.parquet as pq  # only Parquet inputs need pyarrow loaded

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid/OSError with a clear message
        raise CorpusRecordError(f"{source}: not a readable Parquet file: {exc}") from exc
    names = set(parquet.schema_arrow.names)
    wanted = [fields["url_field"], fields["text_field"], fields["html_field"]]
    if fields["time_field"]:
        wanted.append(fields["time_field"])
    columns = sorted({name.split(".")[0] for name in wanted if name.split(".")[0] in names})
    content_columns = {fields["text_field"].split(".")[0], fields["html_field"].split(".")[0]}
    if not content_columns & set(columns):
        raise CorpusRecordError(
            f"{source}: no {fields['text_field']!r} or {fields['html_field']!r} column "
            f"(columns: {', '.join(sorted(names))})"
        )
    number = 0
    try:
        batches: Iterable[Any] = parquet.iter_batches(batch_size=batch_rows, columns=columns)
        for batch in batches:
            for row in batch.to_pylist():
                number += 1
                yield _to_page(row, source=source, number=number, **fields)
    except (OSError, ValueError) as exc:
        raise CorpusRecordError(f"{source}: unreadable after row {number}: {exc}") from exc


def iter_corpus_records(
    path: str | Path,
    *,
    url_field: str = "url",
    text_field: str = "text",
    html_field: str = "html",
    time_field: str | None = None,
    strict: bool = False,
    batch_rows: int = PARQUET_BATCH_ROWS,
) -> Iterator[RawPage | BadRecord]:
    """Pages of a JSONL(.gz) or Parquet corpus file, one per record, in file order; a record
    that cannot become a page is yielded as a ``BadRecord`` (or raises with ``strict=True``).
    Raises ``CorpusRecordError`` when the file as a whole cannot be read."""
    path = Path(path)
    source = str(path)
    fields: dict[str, Any] = {
        "url_field": url_field,
        "text_field": text_field,
        "html_field": html_field,
        "time_field": time_field,
    }
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise CorpusRecordError(f"{source}: cannot read: {exc}") from exc

    items: Iterator[RawPage | BadRecord]
    if head.startswith(_PARQUET_MAGIC):
        items = _parquet(path, source, fields, batch_rows)
        yield from _checked(items, strict)
        return
    if head.startswith(_ZSTD_MAGIC):
        raise CorpusRecordError(f"{source}: zstd-compressed; decompress it first (zstd -d)")
    if is_gzip(head):
        with gzip.open(path, "rb") as stream:
            yield from _checked(_jsonl(stream, source, fields), strict)
        return
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and head.strip():
        raise CorpusRecordError(
            f"{source}: not a corpus file (expected JSONL, JSONL.gz or Parquet)"
        )
    with path.open("rb") as stream:
        yield from _checked(_jsonl(_skip_bom(stream), source, fields), strict)


def _skip_bom(stream: IO[bytes]) -> IO[bytes]:
    if stream.read(3) != b"\xef\xbb\xbf":
        stream.seek(0)
    return stream


def _checked(items: Iterator[RawPage | BadRecord], strict: bool) -> Iterator[RawPage | BadRecord]:
    for item in items:
        if strict and isinstance(item, BadRecord):
            raise CorpusRecordError(f"{item.source_uri}: record {item.record}: {item.error}")
        yield item


def read_sidecar_url(path: str | Path) -> str | None:
    """The page URL stored beside a text file: ``<file>.url`` (e.g. ``page.txt.url``), else
    ``<stem>.url``. The sidecar holds the URL on its first non-blank line, or is a Windows
    Internet Shortcut (``[InternetShortcut]`` / ``URL=...``). None when there is no sidecar or
    it holds no http(s) URL."""
    path = Path(path)
    candidates = [path.with_name(path.name + ".url")]
    if path.suffix and path.suffix.lower() != ".url":
        candidates.append(path.with_suffix(".url"))
    for candidate in candidates:
        try:
            if not candidate.is_file() or candidate.stat().st_size > MAX_SIDECAR_BYTES:
                continue
            raw = candidate.read_bytes()
        except OSError:
            continue
        url = _url_in(raw.decode("utf-8-sig", errors="replace"))
        if url:
            return url
    return None


def _url_in(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("[", "#", ";")):
            continue
        key, sep, value = line.partition("=")
        if sep and key.strip().lower() == "url":
            line = value.strip()
        elif sep and "://" not in key:
            continue  # another key of an Internet Shortcut (IconIndex=0)
        elif line.lower().startswith("url:"):
            line = line[4:].strip()
        if not line or any(ch.isspace() for ch in line):
            return None
        parts = urlsplit(line)
        if parts.scheme in ("http", "https") and parts.netloc:
            return line
        if not parts.scheme and "." in line.split("/", 1)[0]:
            return "http://" + line  # a bare "example.org/path"
        return None
    return None
