"""Normalise a parsed thread into rows with stable ids, collapsing exact duplicates.

Identical comments on one page (same parent, author and text) become one row whose
``duplicates`` counts the extra copies; replies to any copy are re-parented onto the kept row.
Comments without text (deleted, private) have nothing to be copies of and never collapse.
Iterative (no recursion), so a 5,000-deep reply chain is fine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from transforms.identity import (
    comment_id_normalised,
    content_hash,
    normalise_text,
    site_of,
    thread_id_for,
)
from transforms.limits import PARSER_VERSION
from transforms.records import CommentRow, ParsedComment, ParsedThread, ThreadRow


@dataclass(frozen=True, slots=True)
class NormalisedThread:
    """One thread's rows: the thread and its unique comments in page order."""

    thread: ThreadRow
    comments: tuple[CommentRow, ...]
    duplicates_collapsed: int


@dataclass(slots=True)
class _Kept:
    comment_id: str
    parent_id: str | None
    depth: int
    comment: ParsedComment
    duplicates: int = 0


def _site_for(parsed: ParsedThread, source_uri: str) -> str:
    if parsed.site:
        return parsed.site.lower()
    if parsed.url:
        return site_of(parsed.url)
    if "://" in source_uri:
        return site_of(source_uri)
    return "local"


def _unique_id(
    thread_id: str, native_id: str | None, parent_id: str | None, key: tuple[str, str],
    kind: str, taken: set[str], ordinal: int,
) -> str:  # fmt: skip
    """The comment's id; when two different comments of one page would share it (a native id
    repeated by broken markup), the later one is keyed by content, then by kind and ordinal."""
    comment_id = comment_id_normalised(thread_id, native_id, parent_id, *key)
    if comment_id in taken:
        comment_id = comment_id_normalised(thread_id, None, parent_id, *key)
    if comment_id in taken:
        comment_id = comment_id_normalised(thread_id, f"{kind}:{ordinal}", None, "", "")
    return comment_id


def thread_key(parsed: ParsedThread, source_uri: str) -> str:
    """The ``thread_id`` a parsed thread will get (threads sharing it are one thread)."""
    return thread_id_for(
        url=parsed.url, site=_site_for(parsed, source_uri), title=parsed.title,
        native_id=parsed.native_id, source_uri=source_uri,
    )  # fmt: skip


def normalise_thread(
    parsed: ParsedThread, *, source_uri: str, seen_at: datetime,
    source_fingerprint: str | None = None, source_file: str | None = None,
) -> NormalisedThread:  # fmt: skip
    """Rows of one parsed thread: one thread row, one row per unique comment in page order.
    ``source_file`` is what the run read as a whole when that is not ``source_uri`` itself (a
    container's path for one of its records); ``source_fingerprint`` is that file's."""
    site = _site_for(parsed, source_uri)
    thread_id = thread_id_for(
        url=parsed.url,
        site=site,
        title=parsed.title,
        native_id=parsed.native_id,
        source_uri=source_uri,
    )
    resolved: list[int] = []  # index in parsed.comments -> index in `kept` it became
    kept: list[_Kept] = []
    by_key: dict[tuple[str | None, str, str, str], int] = {}
    taken: set[str] = set()
    collapsed = 0
    for index, comment in enumerate(parsed.comments):
        parent_row: int | None = None
        if comment.parent is not None:
            if not 0 <= comment.parent < index:
                raise ValueError(
                    f"comment {index} of {source_uri} replies to comment {comment.parent}, "
                    "which does not precede it"
                )
            parent_row = resolved[comment.parent]
        parent_id = kept[parent_row].comment_id if parent_row is not None else None
        content = (normalise_text(comment.author), normalise_text(comment.text))
        key = (parent_id, *content, comment.kind)
        # A comment without text (deleted, private, moderated away) has nothing to be an exact
        # copy of: empty texts never collapse.
        existing = by_key.get(key) if content[1] else None
        if existing is not None:
            kept[existing].duplicates += 1
            resolved.append(existing)
            collapsed += 1
            continue
        comment_id = _unique_id(
            thread_id, comment.native_id, parent_id, content, comment.kind, taken, len(kept)
        )
        taken.add(comment_id)
        by_key[key] = len(kept)
        depth = kept[parent_row].depth + 1 if parent_row is not None else comment.depth
        kept.append(_Kept(comment_id, parent_id, depth, comment))
        resolved.append(len(kept) - 1)

    rows = tuple(
        CommentRow(
            comment_id=k.comment_id,
            thread_id=thread_id,
            parent_id=k.parent_id,
            depth=k.depth,
            position=position,
            author=k.comment.author,
            author_url=k.comment.author_url,
            posted_at=k.comment.posted_at,
            text=k.comment.text,
            kind=k.comment.kind,
            status=k.comment.status,
            native_id=k.comment.native_id,
            duplicates=k.duplicates,
            is_orphan=k.comment.orphan,
            content_hash=content_hash(
                k.parent_id,
                k.comment.author,
                k.comment.author_url,
                k.comment.posted_at,
                k.comment.text,
                k.comment.kind,
                k.comment.status,
                k.duplicates,
            ),  # not position: a reply inserted above shifts it without changing the comment
            seen_at=seen_at,
        )
        for position, k in enumerate(kept)
    )
    thread = ThreadRow(
        thread_id=thread_id,
        site=site,
        url=parsed.url,
        source_uri=source_uri,
        title=parsed.title,
        published_at=parsed.published_at,
        article_text=parsed.article_text,
        comment_count_declared=parsed.comment_count_declared,
        comment_count_parsed=len(rows),
        parser=parsed.parser,
        parser_version=PARSER_VERSION,
        content_hash=content_hash(
            parsed.url,
            parsed.title,
            parsed.published_at,
            parsed.article_text,
            parsed.comment_count_declared,
            len(rows),
            parsed.parser,
        ),
        notes="; ".join(parsed.notes) or None,
        source_fingerprint=source_fingerprint,
        source_file=source_file or source_uri,
        seen_at=seen_at,
    )
    return NormalisedThread(thread=thread, comments=rows, duplicates_collapsed=collapsed)
