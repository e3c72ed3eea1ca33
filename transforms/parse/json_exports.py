"""JSON comment exports: Commento (v1), isso's generic import format, and the comments
WordPress's REST API serves.

Commento v1 is ``{"version": 1, "comments": [...], "commenters": [...]}``: comments carry
``commentHex``, ``parentHex`` ("root" at top level), ``domain`` + ``url`` (the page path),
``commenterHex`` (looked up in ``commenters`` for name and link; "anonymous" has no entry),
``markdown``/``html``, ``creationDate``, ``state`` (approved, unapproved → pending, flagged →
spam) and ``deleted`` (→ deleted). Threads group comments by domain + path, in order of first
appearance; the thread url is ``https://<domain><path>`` (the export does not say which scheme;
canonical urls treat http and https alike). Commento exports carry no page titles.

isso's generic format is a list of threads ``{"id": <path>, "title", "comments": [{"id",
"author", "email", "website", "remote_addr", "created", "text"}]}``; comment ids are unique
within a thread only, there is no parent (all top level) unless a ``parent`` key is given. The
thread id is a path: the url is that path resolved against the page's own url when known, else
None (the thread is then keyed by site + path). Titles that arrive URL-encoded ("Nat+%26+Miguel")
are decoded and noted.

WordPress's REST API (``/wp-json/wp/v2/comments?post=<id>``, what a fetch of a WordPress
site's comments gets, page by page) is a list of comment objects (or one object): ``id``,
``post``, ``parent`` (0 at top level), ``author_name``, ``author_url``, ``date_gmt`` (UTC),
``content.rendered`` (HTML), ``link`` (the post's page at ``#comment-<id>``), ``status``
(approved, hold → pending, spam, trash) and ``type`` (comment, pingback, trackback; the
private types WXR leaves out are left out here too). Threads group comments by ``post``
(native_id), in order of first appearance; the url is the post's page from ``link`` (without
the fragment and a ``comment-page-N/`` suffix). The API gives no title. Comment ids are the
numbers WordPress pages show (``li#comment-<id>``), so a post read from its page and from the
API loads as one thread with the same comments.

Detection is by structure, never by file name.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import unquote_plus, urljoin, urlsplit

from transforms.identity import site_of, without_comment_page
from transforms.parse.dates import parse_date, parse_iso
from transforms.parse.markup import html_to_text, inline_text
from transforms.parse.registry import ParseError
from transforms.parse.reply_tree import in_reply_order
from transforms.parse.wxr import PRIVATE_TYPES, WORDPRESS_KINDS, WORDPRESS_STATUSES
from transforms.records import CommentStatus, ParsedComment, ParsedThread, RawPage

NAME = "json-export"
_COMMENTO_HEAD: Final = re.compile(r'^\s*\{.*?"(?:commentHex|commenters)"\s*:', re.DOTALL)
_ISSO_HEAD: Final = re.compile(r'^\s*\[\s*\{.*?"comments"\s*:\s*\[', re.DOTALL)
_ISSO_KEYS: Final = ('"remote_addr"', '"created"', '"website"')
_COMMENTO_STATES: Final[dict[str, CommentStatus]] = {
    "approved": "approved",
    "unapproved": "pending",
    "flagged": "spam",
}
_EMPTY_LIST: Final = re.compile(r"^\[\s*\]\s*$")
_WP_REST_KEYS: Final = ('"author_name"', '"rendered"', '"post"')
_URL_ENCODED: Final = re.compile(r"^[^\s]*(?:\+|%[0-9A-Fa-f]{2})[^\s]*$")
_MISSING: Final = frozenset({"", "undefined", "null", "none"})


def detect(page: RawPage, head: str) -> bool:
    """True for a Commento v1, isso generic or WordPress REST comments JSON export (judged by
    its keys), or an empty list (what isso and the REST API give where there are none)."""
    stripped = head.lstrip("\ufeff \t\r\n")
    if _EMPTY_LIST.match(stripped):
        return True
    if stripped.startswith(("[", "{")) and all(key in stripped for key in _WP_REST_KEYS):
        return True
    if stripped.startswith("{"):
        return bool(_COMMENTO_HEAD.match(stripped)) and '"comments"' in stripped
    if stripped.startswith("["):
        return bool(_ISSO_HEAD.match(stripped)) and any(key in stripped for key in _ISSO_KEYS)
    return False


def value_text(value: object) -> str:
    """A JSON scalar as stripped text ("" for null, objects and lists)."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def present(value: object) -> str | None:
    """A JSON scalar as text, None when missing or a placeholder ("undefined", "null")."""
    text = value_text(value)
    return None if text.lower() in _MISSING else text


def _parse_commento(data: Mapping[str, Any], source_uri: str) -> list[ParsedThread]:
    comments = data.get("comments")
    if not isinstance(comments, list):
        raise ParseError(f"{source_uri}: Commento export without a 'comments' list")
    commenters: dict[str, Mapping[str, Any]] = {}
    for commenter in data.get("commenters") or []:
        if isinstance(commenter, Mapping) and value_text(commenter.get("commenterHex")):
            commenters[value_text(commenter.get("commenterHex"))] = commenter

    groups: dict[tuple[str, str], list[tuple[ParsedComment, str | None]]] = {}
    notes: dict[tuple[str, str], list[str]] = {}
    for raw in comments:
        if not isinstance(raw, Mapping):
            continue
        key = (value_text(raw.get("domain")).lower(), value_text(raw.get("url")))
        commenter = commenters.get(value_text(raw.get("commenterHex")), {})
        state = value_text(raw.get("state")).lower()
        status: CommentStatus = _COMMENTO_STATES.get(state, "pending")
        if state not in _COMMENTO_STATES:
            hex_id = value_text(raw.get("commentHex"))[:12]
            notes.setdefault(key, []).append(f"comment {hex_id}: state {state!r} taken as pending")
        if raw.get("deleted") is True:
            status = "deleted"
        body_html = value_text(raw.get("html"))
        text = (
            html_to_text(body_html)
            if body_html
            else html_to_text(value_text(raw.get("markdown")), raw_newlines=True)
        )
        parent = value_text(raw.get("parentHex"))
        comment = ParsedComment(
            text=text,
            author=inline_text(present(commenter.get("name"))),
            author_url=present(commenter.get("link")),
            posted_at=parse_iso(value_text(raw.get("creationDate"))),
            status=status,
            native_id=value_text(raw.get("commentHex")) or None,
        )
        groups.setdefault(key, []).append((comment, parent if parent not in ("", "root") else None))

    threads = []
    for (domain, path), members in groups.items():
        if path.startswith(("http://", "https://")):
            url: str | None = path
        elif domain:
            url = f"https://{domain}{path if path.startswith('/') else '/' + path}"
        else:
            url = None
        threads.append(
            thread_of(
                "json/commento",
                members,
                url=url,
                site=domain or None,
                title=None,
                native_id=path or None,
                notes=notes.get((domain, path), []),
            )
        )
    return threads


def thread_of(
    parser: str,
    members: list[tuple[ParsedComment, str | None]],
    *,
    url: str | None,
    site: str | None = None,
    title: str | None,
    native_id: str | None,
    notes: list[str],
) -> ParsedThread:
    """A thread of ``members`` (comment, parent's native id) in reply-tree order; its site is
    ``site`` when given, else the url's host."""
    comments, tree_notes = in_reply_order(
        [c for c, _ in members], [parent for _, parent in members]
    )
    return ParsedThread(
        parser=parser,
        comments=comments,
        url=url,
        site=site or (site_of(url) if url else None) or None,
        title=title,
        native_id=native_id,
        notes=tuple(notes + tree_notes),
    )


def _parse_isso(data: list[Any], page: RawPage) -> list[ParsedThread]:
    base = page.url if page.url and urlsplit(page.url).hostname else None
    threads = []
    for raw_thread in data:
        if not isinstance(raw_thread, Mapping) or not isinstance(raw_thread.get("comments"), list):
            continue
        path = value_text(raw_thread.get("id"))
        notes: list[str] = []
        title = value_text(raw_thread.get("title"))
        if title and _URL_ENCODED.match(title):
            title = unquote_plus(title)
            notes.append("title was URL-encoded in the export: decoded")
        if path.startswith(("http://", "https://")):
            url: str | None = path
        else:
            url = urljoin(base, path) if base and path else None
        members: list[tuple[ParsedComment, str | None]] = []
        for raw in raw_thread["comments"]:
            if not isinstance(raw, Mapping):
                continue
            created = value_text(raw.get("created"))
            comment = ParsedComment(
                text=html_to_text(value_text(raw.get("text")), raw_newlines=True),
                author=inline_text(present(raw.get("author"))),
                author_url=present(raw.get("website")),
                posted_at=parse_iso(created) or parse_date(created),
                native_id=value_text(raw.get("id")) or None,
            )
            parent = value_text(raw.get("parent"))
            members.append((comment, parent or None))
        threads.append(
            thread_of(
                "json/isso",
                members,
                url=url,
                title=inline_text(title),
                native_id=path or None,
                notes=notes,
            )
        )
    return threads


def _is_wp_rest(item: object) -> bool:
    return (
        isinstance(item, Mapping)
        and "post" in item
        and "author_name" in item
        and isinstance(item.get("content"), Mapping)
    )


def _post_page(link: str) -> str | None:
    """The post's page from a comment's link (``…/slug/comment-page-2/#comment-7``)."""
    page = link.split("#", 1)[0].strip()
    return without_comment_page(page) if page else None


def _parse_wp_rest(data: list[Any]) -> list[ParsedThread]:
    groups: dict[str, list[tuple[ParsedComment, str | None]]] = {}
    pages: dict[str, str] = {}
    notes: dict[str, Counter[str]] = {}
    for raw in data:  # every item is a REST comment (``parse`` checked)
        post = value_text(raw.get("post"))
        kind_name = value_text(raw.get("type")).lower()
        state = value_text(raw.get("status")).lower()
        counts = notes.setdefault(post, Counter())
        if kind_name in PRIVATE_TYPES:
            counts[f"comment(s) of type {kind_name!r} left out: {PRIVATE_TYPES[kind_name]}"] += 1
            continue
        kind = WORDPRESS_KINDS.get(kind_name)
        if kind is None:
            counts[f"comment(s) of type {kind_name!r}: kept as comments"] += 1
            kind = "comment"
        status = WORDPRESS_STATUSES.get(state)
        if status is None:
            counts[f"comment(s) with status {state!r}: taken as pending"] += 1
            status = "pending"
        content = raw.get("content")
        rendered = value_text(content.get("rendered")) if isinstance(content, Mapping) else ""
        posted = value_text(raw.get("date_gmt"))
        comment = ParsedComment(
            text=html_to_text(rendered),
            author=inline_text(present(raw.get("author_name"))),
            author_url=present(raw.get("author_url")),
            posted_at=parse_iso(posted) if posted else parse_iso(value_text(raw.get("date"))),
            kind=kind,
            status=status,
            native_id=value_text(raw.get("id")) or None,
        )
        if not posted and comment.posted_at is not None:
            counts["comment(s) without date_gmt: the site's local date taken as UTC"] += 1
        parent = value_text(raw.get("parent"))
        groups.setdefault(post, []).append((comment, parent if parent not in ("", "0") else None))
        page_url = _post_page(value_text(raw.get("link")))
        if page_url:
            pages.setdefault(post, page_url)

    threads = []
    for post, members in groups.items():
        url = pages.get(post)
        threads.append(
            thread_of(
                "json/wordpress-rest",
                members,
                url=url,
                title=None,
                native_id=post or None,
                notes=[f"{n} {note}" for note, n in notes.get(post, Counter()).items()],
            )
        )
    return threads


def parse(page: RawPage) -> list[ParsedThread]:
    """Threads of a Commento, isso or WordPress REST JSON export, one per page path or post, in
    order of first appearance; comments in reply-tree order (siblings by date, then id)."""
    try:
        data = json.loads(page.content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"{page.source_uri}: not a readable JSON export ({exc})") from exc
    if data == []:
        return []  # no comments (an empty isso export, a REST page past the last comment)
    if _is_wp_rest(data):
        data = [data]
    if isinstance(data, list) and data and all(_is_wp_rest(c) for c in data):
        return _parse_wp_rest(data)
    if isinstance(data, Mapping) and ("commenters" in data or _has_key(data, "commentHex")):
        return _parse_commento(data, page.source_uri)
    if isinstance(data, list) and all(
        isinstance(t, Mapping) and isinstance(t.get("comments"), list) for t in data
    ):
        return _parse_isso(data, page)
    raise ParseError(
        f"{page.source_uri}: JSON, but not a Commento, isso or WordPress REST comments export"
    )


def _has_key(data: Mapping[str, Any], key: str) -> bool:
    comments = data.get("comments")
    return isinstance(comments, list) and any(
        isinstance(c, Mapping) and key in c for c in comments[:10]
    )
