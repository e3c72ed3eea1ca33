"""Files that wrap one page: gzip-compressed files and MHTML single-file saves.

- gzip: a page, text rendering or export compressed on its own (``post.html.gz``, a Disqus
  export as it is delivered, ``….xml.gz``). Read decompressed, at most ``MAX_PAGE_BYTES``
  (a corrupt or truncated stream is an error naming the file). Compressed JSON Lines are
  corpus containers instead (``transforms.corpus_records``).
- MHTML (``.mhtml``/``.mht``): what a browser's "save as a single file" writes (Chrome,
  Edge, Opera, and Internet Explorer before them): a MIME ``multipart/related`` message whose
  root part is the page's HTML (quoted-printable or base64), followed by its images and
  style sheets. The page is that root part (the part the ``start`` parameter names, else the
  first HTML part); its address is the part's ``Content-Location`` (else the message's
  ``Snapshot-Content-Location``), its charset the part's, and the save time (the message's
  ``Date``) is the reference for relative dates ("2 days ago"). The file may be larger than
  a page (the images ride along): up to ``MAX_MHTML_BYTES``.
"""

from __future__ import annotations

import email
import email.policy
import gzip
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path

from transforms.limits import MAX_PAGE_BYTES

MAX_MHTML_BYTES = 10 * MAX_PAGE_BYTES
_GZIP_MAGIC = b"\x1f\x8b"
# A MIME message's header block that declares multipart/related content (header names are
# case-insensitive; values may be folded onto indented lines).
_MULTIPART_RELATED = re.compile(rb"(?im)^content-type:[ \t]*multipart/related[ \t]*(?:;|$)")
_BOUNDARY = re.compile(rb"(?i)\bboundary=")
_HEADER_LINE = re.compile(rb"[A-Za-z][A-Za-z0-9-]*:|[ \t]")


@dataclass(frozen=True, slots=True)
class Unwrapped:
    """The page inside a wrapping file, and what the wrapper says about it."""

    content: bytes
    url: str | None = None
    content_type: str | None = None
    saved_at: datetime | None = None


class SavedPageError(ValueError):
    """A wrapping file whose page cannot be read (corrupt, empty or too large)."""


def is_gzip(head: bytes) -> bool:
    return head.startswith(_GZIP_MAGIC)


def gzip_start(head: bytes, limit: int) -> tuple[bytes, bool] | None:
    """What a gzip stream holds, as far as ``head`` (a file's first bytes) reaches and at most
    ``limit`` bytes, and whether that is all of it; None when ``head`` is no readable gzip
    stream."""
    stream = zlib.decompressobj(wbits=31)
    try:
        inner = stream.decompress(head, limit)
    except zlib.error:
        return None
    return inner, stream.eof


def is_mhtml(head: bytes) -> bool:
    """Whether ``head`` opens a MIME message of multipart/related content: a header block
    (``Name: value`` lines and their folded continuations up to the first blank line) that
    declares it."""
    block = re.split(rb"\r?\n\r?\n", head[:16384], maxsplit=1)[0]
    lines = block.splitlines()
    if not lines or not all(_HEADER_LINE.match(line) for line in lines):
        return False
    return _MULTIPART_RELATED.search(block) is not None and _BOUNDARY.search(block) is not None


def decompress_bounded(data: bytes, wbits: int = 31) -> bytes:
    """Compressed bytes (gzip by default; ``wbits`` as in ``zlib.decompressobj``) decompressed,
    refused with a ValueError past ``MAX_PAGE_BYTES``: a small bomb never fills memory."""
    out = zlib.decompressobj(wbits=wbits).decompress(data, MAX_PAGE_BYTES + 1)
    if len(out) > MAX_PAGE_BYTES:
        raise ValueError(f"more than {MAX_PAGE_BYTES} bytes after decompression")
    return out


def gunzip(path: Path) -> bytes:
    """The decompressed content of a gzip file, refused past ``MAX_PAGE_BYTES``."""
    try:
        with gzip.open(path, "rb") as fh:
            content = fh.read(MAX_PAGE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise SavedPageError(f"{path}: not a readable gzip file ({exc})") from exc
    if len(content) > MAX_PAGE_BYTES:
        raise SavedPageError(
            f"{path}: more than the {MAX_PAGE_BYTES} bytes a page may have once decompressed"
        )
    return content


def read_mhtml(path: Path) -> Unwrapped:
    """The page an MHTML file holds (see the module's docstring)."""
    size = path.stat().st_size
    if size > MAX_MHTML_BYTES:
        raise SavedPageError(
            f"{path}: {size} bytes, more than the {MAX_MHTML_BYTES} an MHTML file may have"
        )
    with path.open("rb") as fh:
        message = email.message_from_binary_file(fh, policy=email.policy.compat32)
    root = _root_part(message)
    if root is None:
        raise SavedPageError(f"{path}: an MHTML file without an HTML part")
    content = root.get_payload(decode=True)
    if not isinstance(content, bytes) or not content.strip():
        raise SavedPageError(f"{path}: the MHTML file's HTML part is empty")
    charset = root.get_content_charset()
    url = root.get("Content-Location") or message.get("Snapshot-Content-Location")
    return Unwrapped(
        content=content,
        url=(str(url).strip() or None) if url else None,
        content_type=f"text/html; charset={charset}" if charset else "text/html",
        saved_at=_date(message.get("Date")),
    )


def _root_part(message: Message) -> Message | None:
    parts = [p for p in message.walk() if not p.is_multipart()]
    start = message.get_param("start")
    if isinstance(start, str) and start.strip():
        wanted = start.strip().strip("<>")
        for part in parts:
            if str(part.get("Content-ID", "")).strip().strip("<>") == wanted:
                return part
    return next((p for p in parts if p.get_content_type() in _HTML_TYPES), None)


_HTML_TYPES = frozenset(("text/html", "application/xhtml+xml"))


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
