"""WordPress eXtended RSS (WXR) exports, versions 1.0 to 1.2, http or https namespace.

Threads: one per ``<item>`` that has comments, plus every published post or page without any
(``wp:post_type`` post/page or absent, ``wp:status`` publish or absent), so the thread table
lists the whole blog; drafts, attachments, menu items and other types appear only when they
carry comments (their type and status are noted). Thread url is the item link, native_id the
``wp:post_id`` (else the ``dsq:thread_identifier`` of Disqus's import format, a WXR without
post ids), site the channel link's host (else ``wp:base_blog_url``'s, else the item link's),
published_at ``wp:post_date_gmt``, else ``pubDate`` (ignoring the 1970 epoch WordPress writes
for undated drafts), else ``wp:post_date`` taken as UTC. Article text is ``content:encoded``
as plain text.

Comments: every ``wp:comment`` is kept whatever its status (``comment_approved`` 1 → approved,
0 → pending, spam, trash; absent → approved, noted), kind from ``comment_type`` (pingback,
trackback; empty, "comment" or anything else → comment, others noted). Types readers never see
are left out and counted in the notes: the editors' block notes of WordPress 6.9 (``note``) and
WooCommerce's order notes and logs. Parents come from
``comment_parent`` (0 = top level); a parent missing from the item makes the reply an orphan
kept at top level. Exports list comments in any order, so they are emitted in tree order
(siblings by date, then id); depth follows the parent chain. ``comment_date_gmt`` gives the
time; a zero or missing one falls back to ``comment_date`` (local time, taken as UTC, noted).

Streaming: items are parsed one at a time with lxml iterparse and freed, so memory follows the
largest item, not the file. Damaged XML is repaired as far as possible (see ``markup.read_xml``)
and every repair is reported in each thread's notes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs (lxml-stubs not locked)

from transforms.identity import site_of
from transforms.parse.dates import parse_date, parse_iso
from transforms.parse.markup import (
    UnreadableXmlError,
    html_to_text,
    inline_text,
    read_export,
    split_tag,
)
from transforms.parse.reply_tree import in_reply_order
from transforms.records import CommentKind, CommentStatus, ParsedComment, ParsedThread, RawPage

NAME = "wxr"
PARSER = "wxr"

_WP_NS: Final = re.compile(r"^https?://(?:www\.)?wordpress\.org/export/1\.\d+/?$")
_CONTENT_NS: Final = re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/?$")
_DETECT: Final = re.compile(
    r"xmlns:[\w.-]+\s*=\s*[\"']https?://(?:www\.)?wordpress\.org/export/1\.\d"
)
# The root element is <rss> (after stray junk, the XML declaration and comments).
_ROOT: Final = re.compile(r"^[^<]{0,64}(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<rss[\s>]", re.DOTALL)
_ITEM_HINT: Final = re.compile(r"<item[\s>]")
_THREAD_TYPES: Final = frozenset({"post", "page", ""})
# What WordPress writes for a comment's status and type (in exports and from its REST API).
WORDPRESS_STATUSES: Final[dict[str, CommentStatus]] = {
    "1": "approved",
    "approve": "approved",
    "approved": "approved",
    "0": "pending",
    "hold": "pending",
    "unapproved": "pending",
    "spam": "spam",
    "trash": "trash",
    "post-trashed": "trash",
}
WORDPRESS_KINDS: Final[dict[str, CommentKind]] = {
    "": "comment",
    "comment": "comment",
    "pingback": "pingback",
    "trackback": "trackback",
}
# Comment types WordPress and WooCommerce use for what readers never see (the REST reader too).
PRIVATE_TYPES: Final[dict[str, str]] = {
    "note": "editors' notes on the post's blocks, not reader comments",
    "order_note": "notes on a shop order, not reader comments",
    "action_log": "a plugin's log entries, not reader comments",
    "webhook_delivery": "a plugin's log entries, not reader comments",
}
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def detect(page: RawPage, head: str) -> bool:
    """True for a WXR export: an RSS document declaring a wordpress.org/export/1.x namespace."""
    return bool(_ROOT.match(head)) and bool(_DETECT.search(head))


@dataclass(slots=True)
class _Comment:
    fields: dict[str, str]

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()


def _text(element: etree._Element) -> str:
    return element.text or ""


def _comment_fields(element: etree._Element) -> _Comment:
    fields: dict[str, str] = {}
    for child in element:
        ns, local = split_tag(child.tag)
        if _WP_NS.match(ns):
            fields[local] = _text(child)
    return _Comment(fields)


def _date(value: str) -> datetime | None:
    """A WordPress ``YYYY-MM-DD HH:MM:SS`` date as UTC; None for empty or zero dates."""
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    return parse_iso(value)


def _pub_date(value: str) -> datetime | None:
    parsed = parse_date(value) if value.strip() else None
    return parsed if parsed is not None and parsed > _EPOCH else None


def _nonempty(value: str) -> str | None:
    value = value.strip()
    return value or None


def _author_url(value: str) -> str | None:
    value = value.strip()
    return value if value and value.lower() not in ("http://", "https://") else None


def _comments(raw: list[_Comment]) -> tuple[tuple[ParsedComment, ...], list[str]]:
    notes: list[str] = []
    counts: Counter[str] = Counter()
    built: list[ParsedComment] = []
    for comment in raw:
        posted_at = _date(comment.get("comment_date_gmt"))
        if posted_at is None:
            posted_at = _date(comment.get("comment_date"))
            if posted_at is not None:
                counts["local date"] += 1
        approved = comment.get("comment_approved").lower()
        status = WORDPRESS_STATUSES.get(approved)
        if status is None:
            counts["no status" if not approved else f"status {approved!r}"] += 1
            status = "approved" if not approved else "pending"
        comment_type = comment.get("comment_type").lower()
        kind = WORDPRESS_KINDS.get(comment_type)
        if kind is None:
            counts[f"type {comment_type!r}"] += 1
            kind = "comment"
        built.append(
            ParsedComment(
                text=html_to_text(comment.fields.get("comment_content"), raw_newlines=True),
                author=inline_text(comment.get("comment_author")),
                author_url=_author_url(comment.get("comment_author_url")),
                posted_at=posted_at,
                kind=kind,
                status=status,
                native_id=_nonempty(comment.get("comment_id")),
            )
        )
    for what, n in sorted(counts.items()):
        if what == "local date":
            notes.append(f"{n} comment(s) without a GMT date: local comment_date taken as UTC")
        elif what == "no status":
            notes.append(f"{n} comment(s) without comment_approved: taken as approved")
        elif what.startswith("status"):
            notes.append(f"{n} comment(s) with comment_approved {what[7:]}: taken as pending")
        else:
            notes.append(f"{n} comment(s) of comment_type {what[5:]}: kept as comments")

    parents = [comment.get("comment_parent") for comment in raw]
    ordered, tree_notes = in_reply_order(
        built, [p if p not in ("", "0") else None for p in parents]
    )
    return ordered, notes + tree_notes


@dataclass(slots=True)
class _WxrHandler:
    """Collects threads from a WXR document streamed item by item."""

    threads: list[ParsedThread] = field(default_factory=list)
    site: str | None = None
    records: int = 0
    links: dict[str, str] = field(default_factory=dict)

    def start_root(self, root: etree._Element) -> None:
        _, local = split_tag(root.tag)
        if local != "rss":
            raise UnreadableXmlError(f"root element is <{local}>, not the <rss> of a WXR export")
        if not any(_WP_NS.match(ns or "") for ns in root.nsmap.values()):
            raise UnreadableXmlError("no WordPress export namespace (wordpress.org/export/1.x)")

    def element(self, element: etree._Element) -> None:
        ns, local = split_tag(element.tag)
        text = (element.text or "").strip()
        if ns:
            # wp:base_blog_url names the blog when the channel has no <link> (before the items)
            if local == "base_blog_url" and _WP_NS.match(ns) and text and self.site is None:
                self.site = site_of(text) or None
            return
        if local == "link" and text:
            self.site = site_of(text) or self.site  # the channel link wins
        elif local == "item":
            self.records += 1
            thread = self._thread(element)
            if thread is not None:
                self.threads.append(thread)

    def _thread(self, item: etree._Element) -> ParsedThread | None:
        fields: dict[str, str] = {}
        raw_comments: list[_Comment] = []
        for child in item:
            ns, local = split_tag(child.tag)
            if not ns:
                fields.setdefault(local, _text(child))
            elif _WP_NS.match(ns):
                if local == "comment":
                    raw_comments.append(_comment_fields(child))
                else:
                    fields.setdefault(f"wp:{local}", _text(child))
            elif local == "encoded" and _CONTENT_NS.match(ns):
                fields.setdefault("content", _text(child))
            elif local == "thread_identifier" and "disqus.com" in ns:
                fields.setdefault("dsq:thread_identifier", _text(child))
        private: Counter[str] = Counter()
        shown: list[_Comment] = []
        for c in raw_comments:
            kind = c.get("comment_type").lower()
            if kind in PRIVATE_TYPES:
                private[kind] += 1
            else:
                shown.append(c)
        raw_comments = shown
        post_type = fields.get("wp:post_type", "").strip()
        status = fields.get("wp:status", "").strip()
        published = status in ("publish", "")
        if not raw_comments and not (post_type in _THREAD_TYPES and published):
            return None

        notes: list[str] = [
            f"{n} comment(s) of comment_type {kind!r} left out: {PRIVATE_TYPES[kind]}"
            for kind, n in sorted(private.items())
        ]
        if post_type not in _THREAD_TYPES:
            notes.append(f"WordPress post type {post_type!r}")
        if not published:
            notes.append(f"WordPress post status {status!r}")
        url = _nonempty(fields.get("link", ""))
        native_id = _nonempty(fields.get("wp:post_id", "")) or _nonempty(
            fields.get("dsq:thread_identifier", "")
        )
        if url is not None:
            if url in self.links:
                earlier = self.links[url]
                notes.append(
                    f"an earlier item of this export has the same link (post_id {earlier})"
                )
            else:
                self.links[url] = native_id or "none"
        published_at = (
            _date(fields.get("wp:post_date_gmt", ""))
            or _pub_date(fields.get("pubDate", ""))
            or _date(fields.get("wp:post_date", ""))
        )
        comments, comment_notes = _comments(raw_comments)
        article = html_to_text(fields.get("content"), raw_newlines=True)
        return ParsedThread(
            parser=PARSER,
            comments=comments,
            url=url,
            site=self.site or (site_of(url) if url else None) or None,
            title=inline_text(fields.get("title")),
            published_at=published_at,
            article_text=article or None,
            native_id=native_id,
            notes=tuple(notes + comment_notes),
        )


def parse(page: RawPage) -> list[ParsedThread]:
    """Threads of a WXR export, one per item with comments or published post/page, in export
    order; each thread's comments in tree order (parents before replies)."""
    return read_export(
        page, _WxrHandler, lambda h: h.threads, record_depth=2, record_hint=_ITEM_HINT
    )
