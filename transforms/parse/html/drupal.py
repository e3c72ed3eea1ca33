"""Drupal comment sections (Drupal 6 to 10 and their themes).

Drupal renders each comment as an element with class ``comment`` (``article``, ``div``),
usually right after an empty anchor ``<a id="comment-N">`` (Drupal 6/7), or carrying the id
itself (Drupal 8+: ``article#comment-N.js-comment``). Themes may wrap it (``div.portlet``,
``div.ajax-comment-wrapper``). Replies are not nested inside their parent: they follow it in a
``div.indented`` sibling, one ``div.indented`` per level. So the shown depth is the number of
``div.indented`` around a comment, and the parent is the latest comment one level up; Drupal 8+
also names the parent ("In reply to <a href="…#comment-N">"), which is used when present.

Fields: author in ``.username`` / ``[property='foaf:name']`` / "Par NAME," / "NAME | date";
time from RDFa ``content`` attributes, ``<time>``, else the meta line's text; the body in
``.field-name-comment-body`` / ``[property='schema:text']`` / ``.content``. The per-comment
subject is kept as the first paragraph when the commenter typed it (see ``subjects``).
"""

from __future__ import annotations

import re
from datetime import datetime

from transforms.parse.dates import parse_date
from transforms.parse.html.document import Document, Node
from transforms.parse.html.fields import author_from, clean_author, date_from
from transforms.parse.html.nodes import (
    attr,
    comment_text,
    fold_ancestors,
    has_class,
    is_ancestor,
    node_text,
    previous_element,
)
from transforms.parse.html.profiles import Extraction
from transforms.parse.html.subjects import with_subject
from transforms.parse.html.thread import Draft, build_comments

NAME = "drupal"
MAX_SCORE = 0.85  # the highest score match() gives (lets run_profiles skip the rest)

_WRAPPER_LEVELS = 4  # a comment element wrapped in another one sits this close to it
_COMMENT_ID = re.compile(r"^comment-(\d+)$")
_ABOUT = re.compile(r"/comment/(\d+)")
_REPLY_TO = re.compile(r"#comment-(\d+)")
# Comment elements, in the markups Drupal themes produce.
_ITEMS = (
    "a[id^=comment-] + .comment, a[id^=comment-] + article, a[id^=comment-] + div.comment, "
    "article.comment[id^=comment-], div.comment[id^=comment-], "
    "[typeof~='sioct:Comment'], [typeof~='schema:Comment'].comment"
)
_AUTHOR = (
    ".comment__author .username",
    ".comment__author",
    ".username",
    "[property='foaf:name']",
    "[rel='sioc:has_creator']",
    ".comment-author",
    ".author",
    ".metas b",
    ".submitted a",
    "h3.name",
    ".name",
    "footer h6",
)
_DATE_ATTR = (
    "[property~='dc:date'][content]",
    "[property~='dc:created'][content]",
    "[property='schema:dateCreated'][content]",
    "time[datetime]",
    "mark[data-comment-timestamp]",
)
_DATE_TEXT = (
    ".comment__time",
    ".comment-time",
    ".submitted",
    ".metas",
    ".meta",
    "footer h6",
    ".comment-date",
    ".date",
    "time",
)
_BODY = (
    "[property='schema:text']",
    ".field-name-comment-body",
    ".field--name-comment-body",
    ".field-comment-body",
    ".comment-body",
    ".comment__content",
    ".comment-content .content",
    ".content",
    ".comment-content",
)
_SUBJECT = (
    ".titre",
    "h3.title a",
    ".comment__content h3 a",
    "h3 a.permalink",
    ".comment-title",
    "[property='schema:name'] a.permalink",
    "h3.title",
)
_TEXT_SKIP = (
    "ul.links, .links, .expanding-formatter-ellipsis, .expanding-formatter-trigger, "
    ".submitted, .visually-hidden, .element-invisible, .rdf-meta, .user-signature, "
    ".comment-signature, .permalink"
)
_DRUPAL_SIGNALS = (
    "/comment/reply/",
    "sioct:comment",
    "drupal",
    'div class="indented"',
    "ajax-comment-wrapper",
    "js-comment",
)


def match(doc: Document) -> float:
    if not doc.contains(*_DRUPAL_SIGNALS):
        return 0.0
    if doc.css_first(_ITEMS) is None:
        return 0.0
    return 0.85 if doc.contains("/comment/reply/", "sioct:comment") else 0.6


def _items(doc: Document) -> list[Node]:
    """The comment elements in document order, without duplicates or nested matches."""
    seen: set[int] = set()
    items: list[Node] = []
    for node in doc.css(_ITEMS):
        if node.mem_id in seen:
            continue
        seen.add(node.mem_id)
        if not (has_class(node, "comment", "js-comment") or node.tag == "article"):
            continue
        if node.css_first("form") is not None and _native_id(node) is None:
            continue
        items.append(node)
    ids = {n.mem_id for n in items}
    out = []
    for node in items:  # keep the outermost comment element when markups nest (wrappers)
        current = node.parent
        nested = False
        for _ in range(_WRAPPER_LEVELS):
            if current is None:
                break
            if current.mem_id in ids:
                nested = True
                break
            current = current.parent
        if not nested:
            out.append(node)
    return out


def _native_id(node: Node) -> str | None:
    m = _COMMENT_ID.match(attr(node, "id") or "")
    if m:
        return m.group(1)
    prev = previous_element(node)
    if prev is not None and prev.tag == "a":
        m = _COMMENT_ID.match(attr(prev, "id") or attr(prev, "name") or "")
        if m:
            return m.group(1)
    m = _ABOUT.search(attr(node, "about") or "")
    return m.group(1) if m else None


def _indent_depth(node: Node, stop: Node | None, known: dict[int, int]) -> int:
    """How many ``div.indented`` hold the node (below ``stop``). ``known`` caches the answer
    per ancestor, so a 5,000-deep thread costs a walk of a few steps per comment."""
    stop_id = stop.mem_id if stop is not None else None
    return fold_ancestors(
        node.parent, lambda n: n.mem_id == stop_id, known,
        lambda depth, ancestor: depth + 1 if has_class(ancestor, "indented") else depth,
    )  # fmt: skip


def _author(doc: Document, node: Node) -> tuple[str | None, str | None]:
    for selector in _AUTHOR:
        found = node.css_first(selector)
        if found is None:
            continue
        name, url = author_from(doc, found)
        if name and "|" in name:  # "NAME | Di, 21. April 2020 - 16:40"
            name = clean_author(name.split("|", 1)[0])
        if name:
            return name, url
    return None, None


def _posted_at(doc: Document, node: Node) -> datetime | None:
    for selector in _DATE_ATTR:
        found = node.css_first(selector)
        if found is None:
            continue
        stamp = attr(found, "data-comment-timestamp")
        value = parse_date(stamp) if stamp else date_from(doc, found)
        if value is not None:
            return value
    for selector in _DATE_TEXT:
        found = node.css_first(selector)
        if found is not None:
            value = parse_date(node_text(found), doc.reference)
            if value is not None:
                return value
    return None


_DRUPAL_NODE_SKIP = _TEXT_SKIP + ", header, footer, h3"


def _body(doc: Document, node: Node) -> tuple[str, str | None]:
    """The body text and the subject the comment shows (None when it has none)."""
    subject_node = next((n for s in _SUBJECT if (n := node.css_first(s)) is not None), None)
    subject = node_text(subject_node) or None
    skip_nodes = [subject_node] if subject_node is not None else []
    for selector in _BODY:
        for body in node.css(selector):
            # Drupal 8 themes put the subject link in a field of its own.
            if (
                subject_node is not None
                and body.css_first("a.permalink") is not None
                and node_text(body) == node_text(subject_node)
            ):
                continue
            text = comment_text(body, _TEXT_SKIP, skip_nodes, doc=doc)
            if text:
                return text, subject
    return comment_text(node, _DRUPAL_NODE_SKIP, skip_nodes, doc=doc), subject


def _parent_key(node: Node) -> str | None:
    """The parent's comment id when the comment names it (Drupal 8+ "In reply to")."""
    for link in node.css(".visually-hidden a[href*='#comment-'], .in-reply-to a[href]"):
        m = _REPLY_TO.search(attr(link, "href") or "")
        if m:
            return m.group(1)
    return None


def _section(doc: Document, items: list[Node]) -> Node | None:
    section = doc.css_first("#comments, section.comments, .comment-wrapper")
    if section is not None and items and is_ancestor(section, items[0]):
        return section
    return items[0].parent if items else section


def extract(doc: Document) -> Extraction | None:
    items = _items(doc)
    if not items:
        return None
    section = _section(doc, items)
    known: dict[int, int] = {}
    drafts = []
    for node in items:
        text, subject = _body(doc, node)
        author, author_url = _author(doc, node)
        drafts.append(
            Draft(
                text=with_subject(subject, text),
                author=author,
                author_url=author_url,
                posted_at=_posted_at(doc, node),
                native_id=_native_id(node),
                parent_key=_parent_key(node),
                depth=_indent_depth(node, section, known),
            )
        )
    notes = []
    if section is not None and section.css_first(".pager, ul.pager, nav.pager") is not None:
        notes.append("comments are paginated: this page shows one page of them")
    return Extraction(build_comments(drafts), section=section, notes=notes)
