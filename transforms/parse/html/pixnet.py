"""PIXNET blogs (pixnet.net, Taiwan).

``div#comment-text`` lists one ``ul.single-post`` per comment: ``li.post-info`` (anchor
``a[name=comment-N]``, floor ``span.floor`` "#N", ``span.user-name``, ``span.post-time``
"於 2013/12/28 10:28"), ``li.post-text`` (the text) and, when the blog owner answered,
``li.reply-text``: the answer, then ``<p>`` with the owner's name and "於 DATE 回覆".

Each ``ul.single-post`` is one entry of the thread, as the page numbers them (floor "#N") and
counts them in its header ("留言列表 (42)"): a flat list. The blog owner's answer shown inside
an entry (``li.reply-text``) is not the commenter's text and not an entry of its own on the
page: it is left out of the entry's text, and how many entries carry one is noted. A private
entry (``ul.single-post.secret``) shows only a placeholder ("悄悄話"): it is kept in its place
with no author and no text (the placeholder is the blog's, not the reader's), and noted.
"""

from __future__ import annotations

import re

from transforms.parse.dates import parse_date
from transforms.parse.html.document import Document, Node
from transforms.parse.html.fields import author_from, parse_count
from transforms.parse.html.nodes import attr, comment_text, node_text
from transforms.parse.html.profiles import Extraction
from transforms.parse.html.thread import Draft, build_comments

NAME = "pixnet"
MAX_SCORE = 0.9  # the highest score match() gives (lets run_profiles skip the rest)

_COMMENT_ID = re.compile(r"^comment-(\d+)$")
_COUNT = re.compile(r"\(\s*(\d+)\s*\)")


def match(doc: Document) -> float:
    if not doc.contains("pixnet", "pixfs.net", "pimg.tw"):
        return 0.0
    return 0.9 if doc.css_first("#comment-text ul.single-post, ul.single-post") is not None else 0.0


def _native_id(post: Node) -> str | None:
    for anchor in post.css("a[name^=comment-], p[id^=comment-]"):
        m = _COMMENT_ID.match(attr(anchor, "name") or attr(anchor, "id") or "")
        if m:
            return m.group(1)
    return None


def _declared(doc: Document) -> int | None:
    title = doc.css_first("#comment-title, .user-post-title")
    text = node_text(title)
    m = _COUNT.search(text)
    return int(m.group(1)) if m else parse_count(text)


def extract(doc: Document) -> Extraction | None:
    container = doc.css_first("#comment-text") or doc.css_first("ul.single-post")
    if container is None:
        return None
    posts = [p for p in container.css("ul.single-post")] if container.tag != "ul" else [container]
    if not posts:
        return None
    drafts: list[Draft] = []
    private = answered = 0
    for post in posts:
        if "secret" in (attr(post, "class") or "").split():
            private += 1
            drafts.append(Draft(text="", author=None))
            continue
        user = post.css_first(".user-name")
        author, author_url = author_from(doc, user)
        shown = node_text(post.css_first(".post-time"))
        body = post.css_first("li.post-text")
        drafts.append(
            Draft(
                text=comment_text(body, doc=doc) if body is not None else "",
                author=author,
                author_url=author_url,
                posted_at=parse_date(shown.lstrip("於于 "), doc.reference),
                native_id=_native_id(post),
            )
        )
        reply = post.css_first("li.reply-text")
        if reply is not None and node_text(reply):
            answered += 1
    notes = []
    if private:
        notes.append(f"private entries (text not shown by the blog): {private}")
    if answered:
        notes.append(f"entries with the blog owner's answer inside (not loaded): {answered}")
    section = doc.css_first("#comment-box") or container
    return Extraction(build_comments(drafts), section=section, declared=_declared(doc), notes=notes)
