"""Forum topics: the posts of a topic page of phpBB, vBulletin, Simple Machines Forum (SMF) or
Invision Community, each post one comment.

Each forum software prints its posts with markup of its own, the same on every board that runs
it (themes restyle it, rarely rename it); one ``_Layout`` per family says where a post, its
author, its date, its text and the topic's title are:

- phpBB 3 (prosilver): ``div.post#pN`` with ``p.author`` ("by NAME » date", a ``<time>`` from
  3.1 on), the text in ``div.content``;
- vBulletin 3: ``table#postN`` with ``a.bigusername``, the date in the head row, the text in
  ``div#post_message_N``; vBulletin 4: ``li#post_N`` with ``.postdate``,
  ``blockquote.postcontent``; vBulletin 5: ``li.b-post[data-node-id]``;
- SMF 2.0 and 2.1: ``div.post_wrapper`` with ``div.poster h4``, the date line in
  ``div.keyinfo`` ("« Reply #1 on: date »"), the text in ``div.inner#msg_N``;
- Invision Community 4: ``article#elComment_N`` with ``.cAuthorPane_author``, ``<time>``,
  ``div[data-role=commentContent]``.

Forum topics are flat: a post quoting another is not nested under it. A quote repeats the
other post, so it is left out of the quoting post's own text, with signatures, edit notices
and attachments lists. The first post of a topic's first page (the question) is the first
comment, and the thread has no article text: a topic's pages are merged into one thread, and a
later page starts with a reply.
The author's profile box (rank, post count, the date they joined) is not the post's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from transforms.parse.html.document import Document, Node
from transforms.parse.html.fields import author_from, date_from
from transforms.parse.html.nodes import attr, comment_text, node_text
from transforms.parse.html.profiles import Extraction
from transforms.parse.html.thread import Draft, build_comments

NAME = "forum"
MAX_SCORE = 0.9


@dataclass(frozen=True, slots=True)
class _Layout:
    needles: tuple[str, ...]  # one of these (lower-case) is in the page's HTML
    posts: str  # one element per post
    # Where each field is, best first: the first selector with a match in the post wins.
    author: tuple[str, ...]
    date: tuple[str, ...]
    text: tuple[str, ...]
    skip: str  # inside the text: quotes of other posts, signatures, notices
    title: tuple[str, ...]
    post_id: re.Pattern[str]  # the post's number, from its element's id (or its text's)


_NUMBER = re.compile(r"(\d+)$")

LAYOUTS: tuple[_Layout, ...] = (
    _Layout(  # phpbb
        needles=("postprofile", "postbody"),
        posts="div.post[id^=p]:has(.postbody)",
        author=(
            "p.author .username, p.author .username-coloured",
            ".postprofile .username, .postprofile .username-coloured",
            "p.author strong",
        ),
        date=("p.author time[datetime]", "p.author"),  # 3.0: "by NAME » date" in text
        text=(".postbody .content",),
        skip="blockquote, .signature, .notice, dl.attachbox, .codebox",
        title=("h2.topic-title", "h2"),
        post_id=re.compile(r"^p(\d+)$"),
    ),
    _Layout(  # vbulletin
        needles=("post_message_", "b-post", "postbit"),
        posts="li[id^=post_].postcontainer, li[id^=post_].postbitlegacy, "
        "li[id^=post_].postbit, table[id^=post].tborder, li.b-post[data-node-id]",
        author=(
            "a.bigusername",  # 3
            ".username_container .username",  # 4
            ".b-userinfo__details .author a, .b-post__author .author a",  # 5
            "[itemprop=author] [itemprop=name]",
        ),
        date=(
            "time[datetime]",
            ".postdate .date, .postdate",
            "td.thead div.normal:has(a[name^=post])",  # 3: the head row beside the anchor
        ),
        text=(
            "[id^=post_message_] blockquote.postcontent",
            "[id^=post_message_]",
            ".js-post__content-text",
            ".b-post__content",
        ),
        skip="div.bbcode_container, .quote_container, blockquote.signature, .signaturecontainer, "
        ".b-post__signature, .bbcode_quote",
        title=("span.threadtitle", "h1.main-title", "#pagetitle h1", "h1"),
        post_id=_NUMBER,
    ),
    _Layout(  # smf
        needles=("post_wrapper",),
        posts="div.post_wrapper",
        author=(".poster h4 a", ".poster h4"),
        date=(".keyinfo .postinfo .smalltext", ".keyinfo .smalltext", ".keyinfo"),
        text=(".post .inner", ".post"),
        skip="blockquote.bbc_standard_quote, blockquote.bbc_alternate_quote, .quoteheader, "
        ".topslice_quote, .botslice_quote, .signature, .modified",
        title=("#top_subject", "h2.display_title"),
        post_id=_NUMBER,
    ),
    _Layout(  # invision
        needles=("cauthorpane", "elcomment_"),
        posts="article[id^=elComment_]",
        author=(
            ".cAuthorPane_author a",
            ".cAuthorPane_author",
            "[itemprop=author] [itemprop=name]",
        ),
        date=(".ipsComment_meta time[datetime]", "time[datetime]"),
        text=("[data-role=commentContent]",),
        skip="blockquote.ipsQuote, [data-role=memberSignature], .ipsComment_controls",
        title=("h1.ipsType_pageTitle", "h1"),
        post_id=_NUMBER,
    ),
)


def _layout(doc: Document) -> tuple[_Layout, list[Node]] | None:
    """The page's forum layout and its posts (found once per page: ``match`` asks first,
    ``extract`` reads them)."""
    if "forum" in doc.cache:
        return doc.cache["forum"]  # type: ignore[return-value]
    found = None
    for layout in LAYOUTS:
        if doc.contains(*layout.needles):
            posts = [p for p in doc.css(layout.posts) if _first(doc, p, layout.text)]
            if posts:
                found = layout, _outermost(posts)
                break
    doc.cache["forum"] = found
    return found


def _outermost(posts: list[Node]) -> list[Node]:
    """The posts without those inside another (a quoted post printed as a post)."""
    ids = {p.mem_id for p in posts}
    out = []
    for post in posts:
        current = post.parent
        while current is not None and current.mem_id not in ids:
            current = current.parent
        if current is None:
            out.append(post)
    return out


def _first(doc: Document, post: Node, selectors: tuple[str, ...]) -> Node | None:
    """The first match in the post of the first selector that has one."""
    for selector in selectors:
        found = doc.first_in([post], selector)
        if found is not None:
            return found
    return None


def match(doc: Document) -> float:
    return 0.9 if _layout(doc) is not None else 0.0


def _native_id(layout: _Layout, post: Node, body: Node | None) -> str | None:
    """The post's number: from its element, else its text's element (``msg_N``), else the
    box the post sits in alone (SMF's ``div#msgN``)."""
    candidates = [attr(post, "data-node-id"), attr(post, "id"), attr(body, "id")]
    if post.parent is not None:
        candidates.append(attr(post.parent, "id"))
    for value in candidates:
        m = layout.post_id.search(value or "")
        if m:
            return m.group(1)
    return None


def extract(doc: Document) -> Extraction | None:
    found = _layout(doc)
    if found is None:
        return None
    layout, posts = found
    drafts = []
    for post in posts:
        body = _first(doc, post, layout.text)
        author, author_url = author_from(doc, _first(doc, post, layout.author))
        drafts.append(
            Draft(
                text=comment_text(body, layout.skip, doc=doc) if body is not None else "",
                author=author,
                author_url=author_url,
                posted_at=date_from(doc, _first(doc, post, layout.date)),
                native_id=_native_id(layout, post, body),
            )
        )
    title = next((t for q in layout.title if (t := doc.css_first(q)) is not None), None)
    return Extraction(
        build_comments(drafts),
        # The posts are the page's content: what is left around them is the board's chrome,
        # not an article (the opening post, when the page shows it, is the first comment).
        section=doc.tree.body or posts[0].parent,
        title=(node_text(title) or None) if title is not None else None,
    )
