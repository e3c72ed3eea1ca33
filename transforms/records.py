"""Typed records passed between the steps of the pipeline.

Parsers produce ``ParsedThread`` (one per thread on a page or in an export) holding
``ParsedComment`` in document order. ``normalise`` turns them into ``ThreadRow`` and
``CommentRow`` with stable ids, deduplicated; those are what gets staged and loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

CommentKind = Literal["comment", "pingback", "trackback"]
CommentStatus = Literal["approved", "pending", "spam", "deleted", "trash"]


@dataclass(frozen=True, slots=True)
class RawPage:
    """One input to parse: the bytes of a page, export or text rendering, and where they came from.

    ``url`` is the page's own address when known (fetched URL, sidecar ``.url`` file, corpus
    record); ``source_uri`` is where threadline read it (file path or URL).
    """

    source_uri: str
    content: bytes
    url: str | None = None
    content_type: str | None = None  # HTTP Content-Type header, when fetched
    fetched_at: datetime | None = None  # UTC; reference time for relative dates ("2 days ago")
    format_hint: str | None = None  # "html" | "text" when the container says so (corpus records)
    fingerprint: str | None = None  # local file: size, mtime and parser version (see sources)
    # the file read as a whole when it is not the page itself: a container's path for each of
    # its records (the fingerprint is the container's); None: ``source_uri``
    source_file: str | None = None


@dataclass(frozen=True, slots=True)
class Unchanged:
    """An input identical to its last committed read (a file with the same fingerprint, a URL
    whose pages are byte-identical): not parsed again; its threads' ``last_seen_at`` moves."""

    source_uri: str


@dataclass(frozen=True, slots=True)
class ParsedComment:
    """One comment as the page shows it, before ids and dedup.

    ``parent`` is the index (in the thread's comment list) of the comment this one replies to,
    or None for a top-level comment or an orphan. ``depth`` is the depth the page shows: for an
    orphan (a reply whose parent is not on the page) it stays at its shown depth with
    ``orphan=True``. Comments are listed in document order; a parent always precedes its replies.
    """

    text: str
    depth: int = 0
    parent: int | None = None
    author: str | None = None
    author_url: str | None = None
    posted_at: datetime | None = None  # UTC
    kind: CommentKind = "comment"
    status: CommentStatus = "approved"
    native_id: str | None = None
    orphan: bool = False


@dataclass(frozen=True, slots=True)
class ParsedThread:
    """One thread: the article and its comments in document order."""

    parser: str  # layout/profile used, e.g. "html/wordpress", "text/numbered", "wxr"
    comments: tuple[ParsedComment, ...] = ()
    url: str | None = None
    site: str | None = None
    title: str | None = None
    published_at: datetime | None = None  # UTC
    article_text: str | None = None
    comment_count_declared: int | None = None
    native_id: str | None = None  # the source's own thread id (export post id, Disqus thread id)
    notes: tuple[str, ...] = ()  # what the parser noticed: "comments load by JavaScript", repairs


@dataclass(frozen=True, slots=True)
class ThreadRow:
    """A thread ready to load: one row of ``threads``."""

    thread_id: str
    site: str
    url: str | None
    source_uri: str
    title: str | None
    published_at: datetime | None
    article_text: str | None
    comment_count_declared: int | None
    comment_count_parsed: int
    parser: str
    parser_version: str
    content_hash: str
    notes: str | None
    source_fingerprint: str | None
    source_file: str  # what a run reads as a whole: the file (a container's), or the URL
    seen_at: datetime


@dataclass(frozen=True, slots=True)
class CommentRow:
    """A unique comment ready to load: one row of ``comments``."""

    comment_id: str
    thread_id: str
    parent_id: str | None
    depth: int
    position: int
    author: str | None
    author_url: str | None
    posted_at: datetime | None
    text: str
    kind: CommentKind
    status: CommentStatus
    native_id: str | None
    duplicates: int
    is_orphan: bool
    content_hash: str
    seen_at: datetime


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that could not be read or parsed: one row of ``rejects``."""

    source_uri: str
    stage: Literal["discover", "read", "decode", "parse", "normalise", "fetch"]
    error: str


@dataclass(slots=True)
class BatchResult:
    """What parsing one batch of pages produced (kept small: rows go to Parquet, not here)."""

    pages_read: int = 0
    pages_failed: int = 0
    threads: int = 0
    comments: int = 0
    duplicates_collapsed: int = 0
    rejects: int = 0
    notes: list[str] = field(default_factory=list)
