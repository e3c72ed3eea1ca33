"""Disqus XML exports (``<disqus xmlns="http://disqus.com">`` with ``<category>``, ``<thread>``
and ``<post>`` records linked by ``dsq:id``).

Threads: one per ``<thread>`` that has posts or a link, in export order (native_id = dsq:id,
url = ``<link>``, site = the link's host, published_at = ``<createdAt>``); a deleted or closed
thread is kept with its posts and says so in its notes. Posts that name a thread missing from
the export (or none) are kept too, under a placeholder thread with that native id and no url,
noted. A thread record with neither posts nor a link (Disqus writes some) gives no thread.

Posts: status spam when ``isSpam``, else deleted when ``isDeleted``, else approved (a post
``isApproved`` false is pending); parents from ``<parent dsq:id>``, a parent missing from the
thread makes an orphan at top level; order is the reply tree, siblings by date then id. A post
without a dsq:id is keyed by its ``<id>`` when it has one. Values that cannot be read (a date
like ``2011-x09-30``, a flag like ``123``) are left empty or false and noted.

Real exports are often not well-formed: junk before the XML declaration, unquoted attributes,
bare ``&``, control characters. ``markup.read_xml`` repairs these generally and lxml recovery
is the last resort; every repair is reported in each thread's notes, and one bad attribute
never costs the whole file.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs (lxml-stubs not locked)

from transforms.identity import site_of
from transforms.parse.dates import parse_iso
from transforms.parse.markup import (
    UnreadableXmlError,
    element_text,
    html_to_text,
    inline_text,
    read_export,
)
from transforms.parse.reply_tree import in_reply_order
from transforms.records import CommentStatus, ParsedComment, ParsedThread, RawPage

NAME = "disqus"
PARSER = "disqus"

# The root element is <disqus> (after stray junk, the XML declaration and comments).
_DETECT: Final = re.compile(
    r"^[^<]{0,64}(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<disqus[\s>]", re.DOTALL
)
_RECORD_HINT: Final = re.compile(r"<(?:post|thread)[\s>]")
_HTML_BREAKS: Final = re.compile(r"<(?:p|br|div)[\s/>]", re.IGNORECASE)
_TRUE: Final = frozenset({"true", "1", "yes"})
_FALSE: Final = frozenset({"false", "0", "no", ""})


def detect(page: RawPage, head: str) -> bool:
    """True for a Disqus export: a ``<disqus>`` root in the disqus.com namespace."""
    return bool(_DETECT.match(head)) and "disqus.com" in head


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _dsq_id(element: etree._Element) -> str | None:
    """The element's ``dsq:id`` (any attribute named id, the Disqus-internals one first)."""
    found: str | None = None
    for name, value in element.attrib.items():
        if _local(name) == "id":
            value = str(value).strip()
            if "disqus-internals" in str(name):
                return value or None
            found = found or value or None
    return found


def _children(element: etree._Element) -> dict[str, etree._Element]:
    out: dict[str, etree._Element] = {}
    for child in element:
        out.setdefault(_local(child.tag), child)
    return out


@dataclass(slots=True)
class _Thread:
    native_id: str | None
    url: str | None
    title: str | None
    published_at: datetime | None
    article: str | None
    notes: list[str]


@dataclass(slots=True)
class _Post:
    native_id: str | None
    thread_id: str  # "" when the post names no thread
    parent_id: str | None
    comment: ParsedComment


@dataclass(slots=True)
class _DisqusHandler:
    """Collects thread and post records from a streamed Disqus export."""

    threads: dict[str, _Thread] = field(default_factory=dict)
    unnamed_threads: list[_Thread] = field(default_factory=list)
    posts: list[_Post] = field(default_factory=list)
    problems: Counter[tuple[str, str]] = field(default_factory=Counter)  # (thread, note)
    records: int = 0

    def start_root(self, root: etree._Element) -> None:
        if _local(root.tag) != "disqus":
            raise UnreadableXmlError(f"root element is <{_local(root.tag)}>, not <disqus>")

    def element(self, element: etree._Element) -> None:
        kind = _local(element.tag)
        if kind == "thread":
            self.records += 1
            self._thread(element)
        elif kind == "post":
            self.records += 1
            self._post(element)

    def _date(self, value: str, what: str, thread: str) -> datetime | None:
        if not value:
            return None
        parsed = (
            parse_iso(value)
            if re.fullmatch(r"\d{4}-\d\d-\d\d[T ][\d:.]+(?:Z|[+-][\d:]+)?", value)
            else None
        )
        if parsed is None:
            self.problems[(thread, f"{what}: unreadable createdAt {value!r} left empty")] += 1
        return parsed

    def _flag(self, value: str, name: str, what: str, thread: str) -> bool:
        value = value.lower()
        if value in _TRUE:
            return True
        if value not in _FALSE:
            self.problems[
                (thread, f"{what}: {name} {value!r} is not a boolean, taken as false")
            ] += 1
        return False

    def _thread(self, element: etree._Element) -> None:
        fields = _children(element)
        native_id = _dsq_id(element)
        key = native_id if native_id is not None else f"\x00{len(self.unnamed_threads)}"
        notes: list[str] = []
        if self._flag(
            element_text(fields.get("isDeleted")), "isDeleted", f"thread {native_id}", key
        ):
            notes.append("thread is deleted in Disqus (isDeleted): its posts are kept")
        if self._flag(element_text(fields.get("isClosed")), "isClosed", f"thread {native_id}", key):
            notes.append("thread is closed to new comments (isClosed)")
        message = element_text(fields.get("message"))
        thread = _Thread(
            native_id=native_id,
            url=element_text(fields.get("link")) or None,
            title=inline_text(element_text(fields.get("title"))),
            published_at=self._date(
                element_text(fields.get("createdAt")), f"thread {native_id}", key
            ),
            article=html_to_text(message, raw_newlines=not _HTML_BREAKS.search(message)) or None,
            notes=notes,
        )
        if native_id is None:
            self.unnamed_threads.append(thread)
        elif native_id in self.threads:
            self.problems[(key, f"thread {native_id} appears twice: the first is kept")] += 1
        else:
            self.threads[native_id] = thread

    def _post(self, element: etree._Element) -> None:
        fields = _children(element)
        thread_ref = fields.get("thread")
        thread_id = (_dsq_id(thread_ref) if thread_ref is not None else None) or ""
        parent_ref = fields.get("parent")
        parent_id = _dsq_id(parent_ref) if parent_ref is not None else None
        native_id = _dsq_id(element)
        if native_id is None:
            native_id = element_text(fields.get("id")) or None
            note = (
                f"post without dsq:id: keyed by its <id> {native_id}"
                if native_id
                else "post without dsq:id or <id>: keyed by its content"
            )
            self.problems[(thread_id, note)] += 1
        what = f"post {native_id}"
        spam = self._flag(element_text(fields.get("isSpam")), "isSpam", what, thread_id)
        deleted = self._flag(element_text(fields.get("isDeleted")), "isDeleted", what, thread_id)
        approved = fields.get("isApproved")
        pending = approved is not None and not self._flag(
            element_text(approved) or "true", "isApproved", what, thread_id
        )
        status: CommentStatus = (
            "spam" if spam else "deleted" if deleted else "pending" if pending else "approved"
        )
        author = fields.get("author")
        author_fields = _children(author) if author is not None else {}
        name = element_text(author_fields.get("name")) or element_text(
            author_fields.get("username")
        )
        message = element_text(fields.get("message"))
        comment = ParsedComment(
            text=html_to_text(message, raw_newlines=not _HTML_BREAKS.search(message)),
            author=inline_text(name),
            posted_at=self._date(element_text(fields.get("createdAt")), what, thread_id),
            status=status,
            native_id=native_id,
        )
        self.posts.append(_Post(native_id, thread_id, parent_id, comment))

    def result(self) -> list[ParsedThread]:
        """The threads with their posts in reply-tree order."""
        by_thread: dict[str, list[_Post]] = {}
        for post in self.posts:
            by_thread.setdefault(post.thread_id, []).append(post)
        problems: dict[str, list[str]] = {}
        for (thread_key, note), n in self.problems.items():
            problems.setdefault(thread_key, []).append(note if n == 1 else f"{note} (×{n})")

        entries = [(key, thread, by_thread.pop(key, [])) for key, thread in self.threads.items()]
        entries += [(f"\x00{i}", thread, []) for i, thread in enumerate(self.unnamed_threads)]
        for key, posts in by_thread.items():
            note = (
                f"thread {key} is not in the export: its posts are kept under this placeholder"
                if key
                else "posts naming no thread: kept under this placeholder"
            )
            entries.append((key, _Thread(key or None, None, None, None, None, [note]), posts))

        out: list[ParsedThread] = []
        for key, thread, posts in entries:
            if not posts and not thread.url:
                continue
            comments, tree_notes = in_reply_order(
                [p.comment for p in posts], [p.parent_id for p in posts], "post"
            )
            out.append(
                ParsedThread(
                    parser=PARSER,
                    comments=comments,
                    url=thread.url,
                    site=(site_of(thread.url) or None) if thread.url else None,
                    title=thread.title,
                    published_at=thread.published_at,
                    article_text=thread.article,
                    native_id=thread.native_id,
                    notes=tuple(thread.notes + problems.get(key, []) + tree_notes),
                )
            )
        return out


def parse(page: RawPage) -> list[ParsedThread]:
    """Threads of a Disqus export in export order (placeholders for missing threads last), each
    with its posts in reply-tree order."""
    return read_export(
        page, _DisqusHandler, lambda h: h.result(), record_depth=1, record_hint=_RECORD_HINT
    )
