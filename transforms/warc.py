"""Web archives as pages: WARC files (1.0 and 1.1), plain or gzip-compressed (one gzip member
per record, as crawlers write ``.warc.gz``; a whole-file gzip reads the same).

What crawlers, Webrecorder, Archive-It and Common Crawl keep of a thread page. Each record
that holds a page becomes one ``RawPage``:

- ``response`` records of an HTTP exchange with a 2xx status: the body, with the transfer
  coding the archive kept undone (``chunked``) and the content coding decompressed (``gzip``,
  ``deflate``), typed by the HTTP ``Content-Type`` (its charset is the page's);
- ``resource`` records (a page archived without its HTTP exchange): the block, typed by the
  record's ``Content-Type``;
- ``conversion`` records (text a corpus extracted from a page, Common Crawl's WET files):
  the text, read as a plain-text rendering.

``source_uri`` is ``f"{path}#{n}"`` (``n``: the record's 1-based number in the file), ``url`` the
record's ``WARC-Target-URI``, ``fetched_at`` its ``WARC-Date`` (the reference for "2 days
ago"). Only types threadline reads are pages (HTML, XHTML, XML, JSON, plain text): requests,
metadata, revisits, warcinfo, images, scripts and style sheets, redirects and error pages are
part of every crawl, not bad input, and are skipped. A record that cannot be read (a header
without ``Content-Length``, a block cut short, a body that cannot be decompressed, a page past
``MAX_PAGE_BYTES``) is a ``BadRecord``; a file that ends inside a record ends the file.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import IO

from transforms.corpus_records import BadRecord
from transforms.limits import MAX_PAGE_BYTES
from transforms.records import RawPage
from transforms.saved_pages import decompress_bounded, gzip_start, is_gzip

_VERSION = b"WARC/1."
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/json")
_PAGE_SUFFIXES = ("/xml", "+xml", "+json")
_MAX_HEADER_BYTES = 65_536


class WarcError(ValueError):
    """A file that is not a readable web archive (the message names it)."""


def is_warc(head: bytes) -> bool:
    """Whether a file's first bytes open a WARC record, plain or gzip-compressed."""
    if is_gzip(head):
        start = gzip_start(head, 64)
        if start is None:
            return False
        head = start[0]
    return head.lstrip(b"\r\n").startswith(_VERSION)


def iter_warc_pages(path: Path) -> Iterator[RawPage | BadRecord]:
    """The pages of a WARC file, in file order, and its unreadable records."""
    source = str(path)
    with path.open("rb") as raw:
        packed = is_gzip(raw.read(2))
        raw.seek(0)
        stream: IO[bytes] = gzip.GzipFile(fileobj=raw) if packed else raw  # type: ignore[assignment]
        number = 0
        try:
            while True:
                line = _first_line(stream)
                if line is None:
                    return
                number += 1
                if not line.startswith(_VERSION):
                    raise WarcError(f"{source}: record {number} does not start with WARC/1.x")
                headers = _headers(stream)
                length = str(headers.get("Content-Length", "")).strip() if headers else ""
                if headers is not None and not length.isdigit():
                    raise WarcError(f"{source}: record {number} has no Content-Length")
                block = stream.read(int(length)) if headers is not None else b""
                if headers is None or len(block) < int(length):
                    yield BadRecord(
                        f"{source}#{number}", number, "the file ends inside this record"
                    )
                    return
                item = _page(headers, block, source, number)
                if item is not None:
                    yield item
        except (EOFError, OSError, zlib.error) as exc:
            after = number + 1
            yield BadRecord(f"{source}#{after}", after, f"corrupt after record {number}: {exc}")


def _first_line(stream: IO[bytes]) -> bytes | None:
    """The next record's version line, past the blank lines between records (None at the
    end)."""
    while True:
        line = stream.readline(_MAX_HEADER_BYTES)
        if not line:
            return None
        if line.strip():
            return line.strip()


def _headers(stream: IO[bytes]) -> Message | None:
    """A record's named fields, up to the blank line that ends them (None: the file ended
    first)."""
    lines = []
    size = 0
    while True:
        line = stream.readline(_MAX_HEADER_BYTES)
        size += len(line)
        if not line:
            return None
        if not line.strip() or size > _MAX_HEADER_BYTES:
            break
        lines.append(line)
    return BytesHeaderParser().parsebytes(b"".join(lines) + b"\r\n")


def _page(headers: Message, block: bytes, source: str, number: int) -> RawPage | BadRecord | None:
    kind = str(headers.get("WARC-Type", "")).strip().lower()
    uri = f"{source}#{number}"
    content_type: str | None
    if kind == "response":
        if "msgtype=request" in str(headers.get("Content-Type", "")).lower():
            return None
        status, http, body = _http_response(block)
        if status is None or not 200 <= status < 300:
            return None
        content_type = http.get("Content-Type")
        try:
            body = _decoded(body, http)
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            return BadRecord(uri, number, f"cannot decode the archived body: {exc}")
        hint = None
    elif kind in ("resource", "conversion"):
        content_type, body = headers.get("Content-Type"), block
        hint = "text" if kind == "conversion" else None
    else:
        return None
    if not _is_page_type(content_type, hint) or not body.strip():
        return None
    if len(body) > MAX_PAGE_BYTES:
        return BadRecord(uri, number, f"{len(body)} bytes, more than a page may have")
    url = str(headers.get("WARC-Target-URI", "")).strip().strip("<>") or None
    return RawPage(
        source_uri=uri,
        content=body,
        url=url,
        content_type=str(content_type) if content_type else None,
        fetched_at=_date(headers.get("WARC-Date")),
        format_hint=hint,
    )


def _is_page_type(content_type: str | None, hint: str | None) -> bool:
    if hint == "text":
        return True
    if not content_type:
        return False
    media = str(content_type).split(";", 1)[0].strip().lower()
    return media in _PAGE_TYPES or media.endswith(_PAGE_SUFFIXES)


def _http_response(block: bytes) -> tuple[int | None, Message, bytes]:
    """(status, headers, body) of an archived HTTP response (status None: not one)."""
    head, found, body = block.partition(b"\r\n\r\n")
    if not found:  # headers ended by bare newlines
        head, _, body = block.partition(b"\n\n")
    status_line, _, header_lines = head.partition(b"\n")
    parts = status_line.split()
    status = (
        int(parts[1])
        if status_line.startswith(b"HTTP/") and len(parts) > 1 and parts[1].isdigit()
        else None
    )
    return status, BytesHeaderParser().parsebytes(header_lines + b"\r\n\r\n"), body


def _decoded(body: bytes, http: Message) -> bytes:
    if "chunked" in str(http.get("Transfer-Encoding", "")).lower():
        body = _dechunked(body)
    coding = str(http.get("Content-Encoding", "")).strip().lower()
    if coding in ("gzip", "x-gzip"):
        return decompress_bounded(body, wbits=47)
    if coding == "deflate":
        try:
            return decompress_bounded(body, wbits=15)
        except zlib.error:  # raw deflate, as some servers send it
            return decompress_bounded(body, wbits=-15)
    if coding not in ("", "identity"):
        raise ValueError(f"content coding {coding!r} is not supported")
    return body


def _dechunked(body: bytes) -> bytes:
    """An HTTP/1.1 chunked body joined (chunk extensions and trailers dropped)."""
    out: list[bytes] = []
    at = 0
    while True:
        end = body.find(b"\r\n", at)
        if end < 0:
            raise ValueError("chunked body without a chunk size line")
        size_text = body[at:end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise ValueError(f"bad chunk size {size_text[:20]!r}") from None
        if size == 0:
            return b"".join(out)
        chunk = body[end + 2 : end + 2 + size]
        if len(chunk) < size:
            raise ValueError("chunked body ends inside a chunk")
        out.append(chunk)
        at = end + 2 + size + 2


def _date(value: object) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
