"""Blogger (Blogspot) exports and feeds: the Atom documents Blogger writes for a blog.

Two generations, told apart entry by entry, so a file mixing them reads as well:

- The classic backup (Settings → Back up content, until 2020) and the public feeds
  (``/feeds/posts/default``, ``/feeds/<post id>/comments/default``): an entry's kind is the term
  of its ``<category scheme="http://schemas.google.com/g/2005#kind">`` (``…/kind#post``,
  ``#page``, ``#comment``; ``#settings`` and ``#template`` are not content). A comment names
  its post in ``<thr:in-reply-to ref="tag:…post-<post id>" href="<post url>">`` and the
  comment it answers in ``<link rel="related" href="…/comments/default/<comment id>">``. A
  public feed's entries carry no kind: one replying to something is a comment, any other a
  post. Drafts say ``<app:control><app:draft>yes``.
- Google Takeout (2020-): ``xmlns:blogger="http://schemas.google.com/blogger/2018"``; an
  entry's kind is ``<blogger:type>`` (POST, PAGE, COMMENT) and its state ``<blogger:status>``
  (LIVE, DRAFT, SCHEDULED, SOFT_TRASHED, ...) with ``<blogger:trashed>`` holding a date once
  trashed; a comment names its post in ``<blogger:parent>`` and the comment it answers in
  ``<blogger:inReplyTo>`` (empty at the top level); a post's path is ``<blogger:filename>``.

Threads: one per live post or page, in export order, plus every other post or page with
comments (its state noted). url is the post's ``rel="alternate"`` link, else its filename on
the blog's address: the feed's own link, else the address the file came from (fetched, or
given in its ``.url`` sidecar). A Takeout file names no address: without one given, the
thread has no url and the filename is noted. native_id is the numeric post id (the id
Blogger's pages show), site the url's host, else the blog's; ``<thr:total>`` is the declared
count. Comments
whose post is not in the file (a comments feed, a partial backup) are kept under a
placeholder thread for that post, with the url their ``thr:in-reply-to`` gives.

Comments: native_id is the numeric comment id, as Blogger's pages show it (``c<id>``), so a
comment read from the export and from the post's page gets one comment id. Status LIVE (or
none) → approved; PENDING → pending; SPAM → spam; DELETED or Blogger's removal notice as the
whole text ("This comment has been removed by the author.") → deleted with no text; a filled
``<blogger:trashed>`` or a SOFT_TRASHED status → trash; other states → pending, noted. Order is
the reply tree, siblings by date then id; a reply to a comment missing from the thread is an
orphan at the top level.

Entries are streamed one at a time (``markup.read_xml``), so memory follows the largest entry;
damaged XML is repaired as far as possible and every repair is reported in the notes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final
from urllib.parse import urljoin

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs (lxml-stubs not locked)

from transforms.identity import site_of
from transforms.parse.dates import parse_iso
from transforms.parse.markup import (
    UnreadableXmlError,
    element_text,
    html_to_text,
    inline_text,
    read_export,
    split_tag,
)
from transforms.parse.reply_tree import in_reply_order
from transforms.records import CommentStatus, ParsedComment, ParsedThread, RawPage

NAME = "blogger-export"
PARSER = "blogger-export"

_ATOM_NS: Final = "http://www.w3.org/2005/Atom"
# An Atom <feed> root (after stray junk, the XML declaration, processing instructions and
# comments) from Blogger: its tag ids, its kind scheme or its 2018 namespace.
_ROOT: Final = re.compile(
    r"^[^<]{0,64}(?:<\?xml[^>]*>\s*)?(?:<\?[^>]*>\s*|<!--.*?-->\s*)*<feed[\s>]", re.DOTALL
)
_BLOGGER_HINTS: Final = (
    "tag:blogger.com,1999:blog-",
    "schemas.google.com/blogger/",
)
_RECORD_HINT: Final = re.compile(r"<entry[\s>]")
_KIND_SCHEME: Final = "http://schemas.google.com/g/2005#kind"
_KIND_TERM: Final = re.compile(r"/kind#(\w+)$")
_TAG_ID: Final = re.compile(r"\.(?:post|page|comment)-(\w+)\s*$")
_RELATED_ID: Final = re.compile(r"/comments/default/(\w+)/?$")
# A comment's own permalink: its post's page at the comment (?showComment=<ms>#c<id>).
_COMMENT_LINK: Final = re.compile(r"[?&]showComment=\d+|#c\d+$")
_CONTENT_TYPES: Final = frozenset({"post", "page"})
_LIVE: Final = frozenset({"", "live", "published"})
_STATUSES: Final[dict[str, CommentStatus]] = {
    "": "approved",  # LIVE (see _LIVE)
    "pending": "pending",
    "spam": "spam",
    "deleted": "deleted",
    "removed": "deleted",
    "soft_trashed": "trash",
    "trashed": "trash",
}
# Blogger replaces a removed comment's text with one of these notices.
_REMOVED: Final = re.compile(
    r"^\s*this (?:comment|post) has been removed by (?:the author|a blog administrator)\.?\s*$",
    re.IGNORECASE,
)


def detect(page: RawPage, head: str) -> bool:
    """True for an Atom feed written by Blogger (a backup, a Takeout file or a public feed)."""
    return bool(_ROOT.match(head)) and any(hint in head for hint in _BLOGGER_HINTS)


def _short_id(value: str) -> str | None:
    """The numeric id Blogger shows for a post or comment, from its tag id
    (``tag:blogger.com,1999:blog-1.post-42`` → ``42``); other ids as they are."""
    value = value.strip()
    if not value:
        return None
    m = _TAG_ID.search(value)
    return m.group(1) if m else value


@dataclass(slots=True)
class _Entry:
    """The fields of one entry that say what it is and where it belongs."""

    kind: str  # post, page, comment, or another Blogger kind (settings, template)
    native_id: str | None
    state: str  # Takeout status or "draft", lower case; "" when live
    trashed: bool
    title: str | None
    content: str
    content_type: str
    published_at: datetime | None
    author: str | None
    author_url: str | None
    url: str | None  # the post's page (alternate link)
    filename: str | None
    declared: int | None
    post_ref: str | None  # for a comment: the post it belongs to (or the comment it answers)
    post_url: str | None  # for a comment: its post's page, when it says
    parent_ref: str | None  # for a comment: the comment it answers


def _entry(element: etree._Element) -> _Entry:
    kind = ""
    state = ""
    trashed = False
    values: dict[str, str] = {}
    content_type = "text"
    author: str | None = None
    author_url: str | None = None
    url: str | None = None
    post_ref: str | None = None
    post_url: str | None = None
    parent_ref: str | None = None
    declared: int | None = None
    for child in element:
        ns, local = split_tag(child.tag)
        if ns.startswith("http://schemas.google.com/blogger/"):
            if local == "type":
                kind = element_text(child).lower()
            elif local == "status":
                state = element_text(child).lower()
            elif local == "trashed":
                trashed = bool(element_text(child))
            elif local == "parent":
                post_ref = element_text(child) or post_ref
            elif local == "inReplyTo":
                parent_ref = element_text(child) or parent_ref
            elif local == "filename":
                values.setdefault("filename", element_text(child))
        elif local == "category" and child.get("scheme") == _KIND_SCHEME:
            m = _KIND_TERM.search(child.get("term") or "")
            kind = kind or (m.group(1).lower() if m else "")
        elif local == "link":
            rel = child.get("rel") or "alternate"
            href = (child.get("href") or "").strip()
            if rel == "alternate" and href and url is None:
                url = href
            elif rel == "related" and parent_ref is None:
                m = _RELATED_ID.search(href)
                parent_ref = m.group(1) if m else parent_ref
        elif local == "in-reply-to":
            post_ref = (child.get("ref") or "").strip() or post_ref
            href = (child.get("href") or "").strip()
            if href and (child.get("type") or "text/html") == "text/html" and "/feeds/" not in href:
                post_url = href  # the post's page (not its feed)
        elif local == "author":
            for part in child:
                _, part_name = split_tag(part.tag)
                if part_name == "name":
                    author = inline_text(element_text(part))
                elif part_name == "uri":
                    author_url = element_text(part) or None
        elif local == "control":
            if any(
                split_tag(c.tag)[1] == "draft" and element_text(c).lower() == "yes" for c in child
            ):
                state = state or "draft"
        elif local == "total":
            total = element_text(child)
            declared = int(total) if total.isdigit() else None
        elif local == "content":
            content_type = (child.get("type") or "text").lower()
            values.setdefault("content", element_text(child))
        elif ns in (_ATOM_NS, "") and local in ("id", "title", "published"):
            values.setdefault(local, element_text(child))
    if not kind:  # a public feed: its entries are posts, or comments on one
        kind = "comment" if post_ref or parent_ref or _COMMENT_LINK.search(url or "") else "post"
    if kind == "comment" and post_url is None and url:
        post_url = url.split("#", 1)[0].split("?", 1)[0]  # the post's page, at the comment
    return _Entry(
        kind=kind,
        native_id=_short_id(values.get("id", "")),
        state="" if state in _LIVE else state,
        trashed=trashed,
        title=inline_text(values.get("title")),
        content=values.get("content", ""),
        content_type=content_type,
        published_at=parse_iso(values.get("published", "")),
        author=author,
        author_url=author_url,
        url=url,
        filename=values.get("filename") or None,
        declared=declared,
        post_ref=_short_id(post_ref or ""),
        post_url=post_url,
        parent_ref=_short_id(parent_ref or ""),
    )


def _comment(entry: _Entry) -> _Comment:
    status = _STATUSES.get(entry.state)
    odd_state = None
    if status is None:
        odd_state, status = entry.state, "pending"
    if entry.trashed and status == "approved":
        status = "trash"
    text = _plain(entry)
    if _REMOVED.match(text):
        text, status = "", "deleted"
    comment = ParsedComment(
        text=text,
        author=entry.author,
        author_url=entry.author_url,
        posted_at=entry.published_at,
        status=status,
        native_id=entry.native_id,
    )
    return _Comment(entry, comment, odd_state)


def _plain(entry: _Entry) -> str:
    """The entry's content as plain text (Atom ``type="text"`` is text already)."""
    if entry.content_type in ("html", "xhtml", "text/html"):
        return html_to_text(entry.content)
    return entry.content.strip()


def _post_of(ref: str, comment_post: dict[str | None, str | None]) -> str:
    """The post a comment belongs to, following comments that name the comment they answer
    as what they reply to."""
    seen: set[str] = set()
    while ref in comment_post and ref not in seen:
        seen.add(ref)
        ref = comment_post[ref] or ""
    return ref


@dataclass(slots=True)
class _Comment:
    entry: _Entry
    comment: ParsedComment
    odd_state: str | None  # a state Blogger documents nowhere, taken as pending


@dataclass(slots=True)
class _BloggerHandler:
    """Collects the posts and comments of a streamed Blogger feed."""

    given_url: str | None = None  # where the file came from (fetched, or its .url sidecar)
    posts: list[_Entry] = field(default_factory=list)
    comments: list[_Comment] = field(default_factory=list)
    blog_url: str | None = None
    records: int = 0

    def start_root(self, root: etree._Element) -> None:
        _, local = split_tag(root.tag)
        if local != "feed":
            raise UnreadableXmlError(f"root element is <{local}>, not the <feed> of an Atom feed")

    def element(self, element: etree._Element) -> None:
        _, local = split_tag(element.tag)
        if local == "link":
            href = (element.get("href") or "").strip()
            if (element.get("rel") or "alternate") == "alternate" and href:
                self.blog_url = self.blog_url or href
            return
        if local != "entry":
            return
        self.records += 1
        entry = _entry(element)
        if entry.kind in _CONTENT_TYPES:
            self.posts.append(entry)
        elif entry.kind == "comment":
            self.comments.append(_comment(entry))
        # settings, template and other kinds are the blog's configuration, not content

    @property
    def _address(self) -> str | None:
        """The blog's address: the feed's own link, else where the file came from."""
        return self.blog_url or self.given_url

    def _url(self, post: _Entry) -> str | None:
        if post.url:
            return post.url
        if post.filename and self._address:
            return urljoin(self._address, post.filename)
        return None

    def result(self) -> list[ParsedThread]:
        """The threads in export order (placeholders for posts not in the file last), each
        with its comments in reply-tree order."""
        comment_post = {c.entry.native_id: c.entry.post_ref for c in self.comments}
        # a comment that names no post belongs to the post whose page it links
        post_at = {p.url: p.native_id for p in self.posts if p.url and p.native_id}
        for c in self.comments:
            if c.entry.post_ref and c.entry.post_url:
                post_at.setdefault(c.entry.post_url, c.entry.post_ref)
        by_post: dict[str, list[_Comment]] = {}
        for c in self.comments:
            ref = c.entry.post_ref or post_at.get(c.entry.post_url or "") or ""
            if ref in comment_post:  # it names the comment it answers, not the post
                c.entry.parent_ref = c.entry.parent_ref or ref
                ref = _post_of(ref, comment_post)
            by_post.setdefault(ref, []).append(c)

        out: list[ParsedThread] = []
        for post in self.posts:
            comments = by_post.pop(post.native_id or "", [])
            live = not post.state and not post.trashed
            if not comments and not live:
                continue
            thread_notes = (
                []
                if live
                else [f"Blogger {post.kind} state {'trashed' if post.trashed else post.state!r}"]
            )
            url = self._url(post)
            if url is None and post.filename:
                thread_notes.append(
                    f"the export does not give the blog's address: post file {post.filename}"
                )
            out.append(
                self._thread(
                    comments,
                    url=url,
                    title=post.title,
                    published_at=post.published_at,
                    article=_plain(post) or None,
                    declared=post.declared,
                    native_id=post.native_id,
                    notes=thread_notes,
                )
            )
        for key, comments in by_post.items():
            url = next((c.entry.post_url for c in comments if c.entry.post_url), None)
            what = f"post {key}" if key else "no post"
            out.append(
                self._thread(
                    comments,
                    url=url,
                    title=None,
                    published_at=None,
                    article=None,
                    declared=None,
                    native_id=key or None,
                    notes=[
                        f"comments on {what}, which is not in the file: kept under this placeholder"
                    ],
                )
            )
        return out

    def _thread(
        self,
        comments: list[_Comment],
        *,
        url: str | None,
        title: str | None,
        published_at: datetime | None,
        article: str | None,
        declared: int | None,
        native_id: str | None,
        notes: list[str],
    ) -> ParsedThread:
        ordered, tree_notes = in_reply_order(
            [c.comment for c in comments], [c.entry.parent_ref for c in comments]
        )
        odd = Counter(c.odd_state for c in comments if c.odd_state is not None)
        notes += [
            f"{n} comment(s) in state {s!r}: taken as pending" for s, n in sorted(odd.items())
        ]
        base = url or self._address
        site = site_of(base) if base else None
        return ParsedThread(
            parser=PARSER,
            comments=ordered,
            url=url,
            site=site or None,
            title=title,
            published_at=published_at,
            article_text=article,
            comment_count_declared=declared,
            native_id=native_id,
            notes=tuple(notes + tree_notes),
        )


def parse(page: RawPage) -> list[ParsedThread]:
    """Threads of a Blogger export or feed, one per post with comments or live post/page, in
    export order; each thread's comments in tree order (parents before replies)."""
    return read_export(
        page,
        lambda: _BloggerHandler(given_url=page.url),
        lambda h: h.result(),
        record_depth=1,
        record_hint=_RECORD_HINT,
    )
