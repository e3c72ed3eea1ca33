"""TypePad (and Movable Type templates of the same family) comments and TrackBacks.

Comments: an anchor ``a#cN`` then ``div.comment#comment-N`` holding ``div.comment-content``
(the text) and ``p.comment-footer`` "Posted by: <a>AUTHOR</a> | DATE"; newer TypePad themes
nest replies in ``div.comment-replies`` / indent them with ``depth-N`` classes. TrackBacks:
``div.trackback#trackback-N`` (``.trackback-content`` excerpt, ``.trackback-footer`` "Tracked on
DATE from <a>BLOG</a>"), kept with kind ``trackback``. Flat unless the markup nests.
"""

from __future__ import annotations

import re

from transforms.parse.dates import parse_date
from transforms.parse.html.document import Document, Node
from transforms.parse.html.fields import author_from, clean_author, date_from
from transforms.parse.html.nodes import attr, comment_text, node_text
from transforms.parse.html.profiles import Extraction
from transforms.parse.html.thread import Draft, build_comments, depth_from_classes, nest_parents

NAME = "typepad"
MAX_SCORE = 0.9  # the highest score match() gives (lets run_profiles skip the rest)

_ITEMS = "div.comment[id^=comment-], div.trackback[id^=trackback-], div.ping[id^=ping-]"
_ID = re.compile(r"^(?:comment|trackback|ping)-(?:[a-z0-9]+-)?([0-9a-f]{6,}|\d+)$", re.IGNORECASE)
_POSTED_BY = re.compile(
    r"^\s*(?:posted\s+by|verfasst\s+von|écrit\s+par|publié\s+par)\s*:?\s*", re.I
)
_TRACKED_FROM = re.compile(r"\bfrom\s*:?\s*(?P<blog>.+)$", re.IGNORECASE)


def match(doc: Document) -> float:
    if not doc.contains("comment-footer", "trackback-footer"):
        return 0.0
    if not doc.contains("typepad", "movable type", "movabletype", "posted by:"):
        return 0.0
    return 0.9 if doc.css_first(_ITEMS) is not None else 0.0


def _footer_fields(doc: Document, footer: Node | None) -> tuple[str | None, str | None, str]:
    """Author, author URL and the date text from "Posted by: AUTHOR | DATE"."""
    if footer is None:
        return None, None, ""
    text = node_text(footer)
    links = footer.css("a[href]")
    author_link = next((a for a in links if "#comment" not in (attr(a, "href") or "")), None)
    author, author_url = author_from(doc, author_link)
    head, _, tail = text.partition("|")
    if author is None:
        author = clean_author(_POSTED_BY.sub("", head)) if tail else None
    return author, author_url, tail or text


def _trackback(doc: Document, node: Node) -> Draft:
    footer = node.css_first(".trackback-footer, .ping-footer")
    blog_link = footer.css("a[href]")[-1:] if footer is not None else []
    author, author_url = author_from(doc, blog_link[0] if blog_link else None)
    shown = node_text(footer)
    if author is None:
        m = _TRACKED_FROM.search(shown)
        author = clean_author(m.group("blog")) if m else None
    body = node.css_first(".trackback-content, .ping-content") or node
    return Draft(
        text=comment_text(body, ".trackback-footer, .ping-footer", doc=doc),
        author=author,
        author_url=author_url,
        posted_at=parse_date(shown, doc.reference),
        kind="trackback",
    )


def extract(doc: Document) -> Extraction | None:
    items = [n for n in doc.css(_ITEMS) if n.css_first(".comment-footer, .trackback-footer")]
    if not items:
        return None
    parents = nest_parents(items)
    drafts = []
    for node, parent in zip(items, parents, strict=True):
        m = _ID.match(attr(node, "id") or "")
        if (attr(node, "id") or "").startswith(("trackback-", "ping-")):
            draft = _trackback(doc, node)
        else:
            footer = node.css_first(".comment-footer")
            author, author_url, shown = _footer_fields(doc, footer)
            body = node.css_first(".comment-content") or node
            stamp = footer.css_first("abbr[title], time[datetime]") if footer else None
            draft = Draft(
                text=comment_text(body, ".comment-footer, .comment-replies, .comment", doc=doc),
                author=author,
                author_url=author_url,
                posted_at=date_from(doc, stamp) or parse_date(shown, doc.reference),
            )
        draft.native_id = m.group(1) if m else None
        if parent is not None:
            draft.parent = parent
        else:
            draft.depth = depth_from_classes(node)
        drafts.append(draft)
    section = doc.css_first("#comments + .comments, .comments, #comments") or items[0].parent
    return Extraction(build_comments(drafts), section=section)
