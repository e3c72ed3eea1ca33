"""XenForo posts: article comment widgets fed by a XenForo forum, and XenForo thread pages.

- Comment widget (Tom's Hardware and other Future plc sites): ``ul.xenforo-comments-list >
  li.xenforo-comment#xenforo-comment-N`` with ``span.author-name``, ``span.post-date`` and the
  text in ``div.js-read-more``. The widget shows the first posts of the forum thread; its
  header states the total ("32 Comments"), the declared count.
- XenForo 2 threads: ``article.message--post`` (``data-author``, ``time.u-dt[datetime]``,
  ``.bbWrapper``); XenForo 1: ``li.message[id^=post-]`` (``data-author``,
  ``.DateTime[data-time]``, ``blockquote.messageText``).

XenForo threads are flat: a post quoting another is not nested under it. The quote block
("NAME said: …") repeats the other post, so it is left out of the quoting post's own text.
"""

from __future__ import annotations

import re

from transforms.parse.dates import parse_date
from transforms.parse.html.document import Document, Node
from transforms.parse.html.fields import author_from, clean_author, date_from, parse_count
from transforms.parse.html.nodes import attr, comment_text, node_text
from transforms.parse.html.profiles import Extraction
from transforms.parse.html.thread import Draft, build_comments

NAME = "xenforo"
MAX_SCORE = 0.9  # the highest score match() gives (lets run_profiles skip the rest)

_WIDGET_ITEMS = "li.xenforo-comment[id^=xenforo-comment-]"
_THREAD_ITEMS = "article.message--post, li.message[id^=post-]"
_POST_ID = re.compile(r"(\d+)$")
_QUOTES = (
    "blockquote.bbCodeBlock--quote, blockquote.quoteContainer, .bbCodeQuote, "
    "blockquote:has(> .author), blockquote:has(> .attribution)"
)
_TEXT_SKIP = (
    f"{_QUOTES}, .xf-comment-reply, .messageMeta, .message-attribution, .message-footer, "
    ".message-signature, .signature, .js-selectToQuoteEnd, .bbCodeBlock-expandLink"
)


def match(doc: Document) -> float:
    if not doc.contains("xenforo", "bbwrapper", "message--post"):
        return 0.0
    if doc.css_first(_WIDGET_ITEMS) is not None or doc.css_first(_THREAD_ITEMS) is not None:
        return 0.9
    return 0.0


def _native_id(node: Node) -> str | None:
    for name in ("data-content", "id"):
        m = _POST_ID.search(attr(node, name) or "")
        if m:
            return m.group(1)
    return None


def _widget(doc: Document, items: list[Node]) -> Extraction:
    drafts = []
    for node in items:
        body = node.css_first(".js-read-more, .xenforo-comment-text, .comment-text")
        author, author_url = author_from(doc, node.css_first(".author-name"))
        drafts.append(
            Draft(
                text=comment_text(body, _TEXT_SKIP, doc=doc) if body is not None else "",
                author=author,
                author_url=author_url,
                posted_at=parse_date(node_text(node.css_first(".post-date")), doc.reference),
                native_id=_native_id(node),
            )
        )
    section = doc.css_first(".xenforo-comment-widget") or items[0].parent
    declared = None
    if section is not None:
        for header in section.css(".xenforo-comments-header .comments-total, .comments-total"):
            declared = parse_count(node_text(header))
            if declared is not None:
                break
    return Extraction(build_comments(drafts), section=section, declared=declared)


def _thread(doc: Document, items: list[Node]) -> Extraction:
    drafts = []
    for node in items:
        name = attr(node, "data-author")
        user = node.css_first(".message-name a, .username, .message-name")
        author, author_url = author_from(doc, user)
        if name:
            author = clean_author(name)
        stamp = node.css_first("time.u-dt, time[datetime], .DateTime")
        posted_at = None
        if stamp is not None:
            epoch = attr(stamp, "data-time") or attr(stamp, "data-timestamp")
            posted_at = parse_date(epoch) if epoch else date_from(doc, stamp)
        body = node.css_first(".bbWrapper, .messageText, .message-body")
        drafts.append(
            Draft(
                text=comment_text(body, _TEXT_SKIP, doc=doc) if body is not None else "",
                author=author,
                author_url=author_url,
                posted_at=posted_at,
                native_id=_native_id(node),
            )
        )
    section = doc.css_first(
        ".block-body.js-replyNewMessageContainer, #messageList, .p-body-pageContent"
    )
    return Extraction(build_comments(drafts), section=section or items[0].parent)


def extract(doc: Document) -> Extraction | None:
    widget = doc.css(_WIDGET_ITEMS)
    if widget:
        return _widget(doc, widget)
    thread = doc.css(_THREAD_ITEMS)
    if thread:
        return _thread(doc, thread)
    return None
