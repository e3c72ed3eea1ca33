"""Comment pagination: find a thread's other comment pages, order them, merge their comments.

Which links are comment pages: on an HTML page, an ``<a href>`` or ``<link rel=next|prev>``
that resolves to the same thread (same ``canonical_url``, which ignores ``/comment-page-N/``
and ``cpage``) and carries a comment-page number (``/comment-page-N/`` or ``?cpage=N``), or
whose text says "older/newer/previous/next comments" (English, German, French) and points to
the same host and path.

Order: pages sort by their number. The page the thread URL itself shows has no number in its
URL; WordPress shows the first or the last comment page there, so its number is read from the
page (the ``current`` page marker of ``paginate_comments_links``, else from its "older"/"newer"
links: an "older comments" link to N means this is N+1), else it counts as page 1.

Merge (choice: parse each page on its own, then concatenate, rather than stitching one HTML
document, which no parser profile would reliably understand): comments are concatenated in
page order, parent indices shifted; a comment whose native id was already seen on an earlier
page (the thread URL repeating a numbered page) is dropped, its replies re-pointed to the kept
copy; a whole page whose comments equal an earlier page's is dropped. Article fields come from
the first page. A reply whose parent sits on another page stays an orphan (the page shows no
parent for it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import parse_qsl, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from transforms.identity import COMMENT_PAGE, canonical_url
from transforms.parse.encoding import DecodeError, decode_bytes
from transforms.records import ParsedComment, ParsedThread

_NAV_TEXT = re.compile(
    r"(older|newer|previous|next|earlier|later)\s+comments|(ältere|neuere|vorherige|nächste)\s+"
    r"kommentare|commentaires\s+(plus\s+(anciens|récents)|précédents|suivants)",
    re.IGNORECASE,
)
_OLDER = re.compile(r"older|previous|earlier|ältere|vorherige|anciens|précédents", re.IGNORECASE)
_NEWER = re.compile(r"newer|next|later|neuere|nächste|récents|suivants", re.IGNORECASE)


def page_number(url: str) -> int | None:
    """The comment-page number a URL names (``/comment-page-N/`` or ``cpage=N``), if any."""
    parts = urlsplit(url)
    match = COMMENT_PAGE.search(parts.path)
    if match:
        return int(match.group(1))
    for key, value in parse_qsl(parts.query):
        if key == "cpage" and value.isdigit():
            return int(value)
    return None


def looks_html(content: bytes, content_type: str | None) -> bool:
    if content_type and "html" in content_type.lower():
        return True
    head = content[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _same_page_path(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.hostname or "").lower() == (pb.hostname or "").lower() and (
        COMMENT_PAGE.sub("", pa.path).rstrip("/") == COMMENT_PAGE.sub("", pb.path).rstrip("/")
    )


def comment_page_links(
    content: bytes, content_type: str | None, page_url: str
) -> tuple[list[str], int | None]:
    """The other comment pages this page links to (absolute, no fragment, in document order)
    and the page's own number when the page says it (``current`` marker, older/newer links)."""
    if not looks_html(content, content_type):
        return [], page_number(page_url)
    try:
        text, _ = decode_bytes(content, content_type)
    except DecodeError:
        return [], page_number(page_url)
    tree = LexborHTMLParser(text)
    thread = canonical_url(page_url)
    here = page_url.split("#", 1)[0]
    links: list[str] = []
    own = page_number(page_url)
    inferred: int | None = None
    for node in tree.css("a[href], link[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:")):
            continue
        if node.tag == "link" and (node.attributes.get("rel") or "").lower() not in (
            "next",
            "prev",
            "previous",
        ):
            continue
        target = urljoin(page_url, href).split("#", 1)[0]
        if not target.startswith(("http://", "https://")) or target == here:
            continue
        label = node.text(deep=True, separator=" ").strip()
        number = page_number(target)
        paged = number is not None and canonical_url(target) == thread
        nav = bool(_NAV_TEXT.search(label)) and _same_page_path(target, page_url)
        if not (paged or nav):
            continue
        if target not in links:
            links.append(target)
        if number is not None and own is None and inferred is None and nav:
            if _OLDER.search(label):
                inferred = number + 1
            elif _NEWER.search(label):
                inferred = max(1, number - 1)
    if own is None:
        current = tree.css_first(".page-numbers.current, .comment-navigation .current")
        label = current.text(deep=True).strip() if current is not None else ""
        if label.isdigit():
            own = int(label)
    return links, own if own is not None else inferred


def merge_pages(pages: Sequence[ParsedThread]) -> ParsedThread:
    """One thread from the parsed comment pages of a thread, given in page order."""
    if not pages:
        raise ValueError("no pages to merge")
    first = pages[0]
    if len(pages) == 1:
        return first
    comments: list[ParsedComment] = []
    by_native: dict[str, int] = {}
    signatures: set[tuple[tuple[str | None, str | None, str], ...]] = set()
    merged = 0
    for page in pages:
        signature = tuple((c.native_id, c.author, c.text) for c in page.comments)
        if page.comments and signature in signatures:
            continue  # the same comment page twice (thread URL = a numbered page)
        signatures.add(signature)
        merged += 1
        index: list[int] = []
        for comment in page.comments:
            if comment.native_id is not None and comment.native_id in by_native:
                index.append(by_native[comment.native_id])
                continue
            parent = index[comment.parent] if comment.parent is not None else None
            comments.append(replace(comment, parent=parent))
            index.append(len(comments) - 1)
            if comment.native_id is not None:
                by_native[comment.native_id] = index[-1]
    declared = next(
        (p.comment_count_declared for p in pages if p.comment_count_declared is not None), None
    )
    notes = tuple(dict.fromkeys(n for p in pages for n in p.notes))
    return replace(
        first,
        comments=tuple(comments),
        comment_count_declared=declared,
        notes=(*notes, f"{merged} comment pages merged"),
    )
