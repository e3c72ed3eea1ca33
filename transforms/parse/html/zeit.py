"""ZEIT ONLINE's own comment system (zeit.de and its Z+ / ze.tt pages).

``section#comments`` holds ``article.comment#cid-N``: top-level comments carry
``js-comment-toplevel``, replies ``comment--indented`` and a form naming the parent
(``.comment__origin`` "Antwort auf #1 von NAME" with ``input[name=cid]``). The author is in
``.comment-meta__name``, the date in ``.comment-meta__date`` ("#1.1 — vor 8 Stunden":
relative to the fetch time, or absolute), the text in ``.comment__body``.

The page shows only the first page of comments, with some replies folded away ("+ 7 weitere
Antworten anzeigen"); the article header states the full count ("571 Kommentare"), which is
the declared count. A comment removed by the moderators shows only their notice
(``em.moderation``): it is kept as ``deleted`` with no text; a notice added to a kept comment
("Gekürzt. …") is dropped from its text.
"""

from __future__ import annotations

import re

from transforms.parse.dates import parse_date
from transforms.parse.html.document import Document, Node
from transforms.parse.html.fields import author_from, parse_count
from transforms.parse.html.nodes import attr, comment_text, has_class, node_text
from transforms.parse.html.profiles import Extraction
from transforms.parse.html.thread import Draft, build_comments
from transforms.records import CommentStatus

NAME = "zeit"
MAX_SCORE = 0.9  # the highest score match() gives (lets run_profiles skip the rest)

_CID = re.compile(r"^cid-(\d+)$")
_NUMBER = re.compile(r"^\s*#\s*[\d.]+\s*[—–-]?\s*")
_TEXT_SKIP = ".moderation, .comment__reactions, .comment-meta, form"


def match(doc: Document) -> float:
    if not doc.contains("js-comment-toplevel", "comment--indented", 'id="cid-'):
        return 0.0
    return 0.9 if doc.css_first("article.comment[id^=cid-]") is not None else 0.0


def _body(doc: Document, node: Node) -> tuple[str, CommentStatus]:
    body = node.css_first(".comment__body")
    if body is None:
        return "", "approved"
    text = comment_text(body, _TEXT_SKIP, doc=doc)
    if not text and body.css_first(".moderation") is not None:
        return "", "deleted"
    return text, "approved"


def _parent_key(node: Node) -> str | None:
    origin = node.css_first(".comment__origin")
    form = origin.parent if origin is not None else None
    while form is not None and form.tag != "form":
        form = form.parent
    field = form.css_first("input[name=cid]") if form is not None else None
    value = attr(field, "value")
    if value and value.isdigit():
        return value
    m = re.search(r"#cid-(\d+)", attr(form, "action") or "")
    return m.group(1) if m else None


def _declared(doc: Document) -> int | None:
    for node in doc.css(".metadata__commentcount, .comment-section__headline, .comments-count"):
        found = parse_count(node_text(node))
        if found is not None:
            return found
    return None


def extract(doc: Document) -> Extraction | None:
    items = doc.css("article.comment[id^=cid-]")
    if not items:
        return None
    drafts = []
    for node in items:
        m = _CID.match(attr(node, "id") or "")
        text, status = _body(doc, node)
        author, author_url = author_from(doc, node.css_first(".comment-meta__name"))
        shown = _NUMBER.sub("", node_text(node.css_first(".comment-meta__date")))
        parent_key = _parent_key(node)
        indented = has_class(node, "comment--indented")
        drafts.append(
            Draft(
                text=text,
                author=author,
                author_url=author_url,
                posted_at=parse_date(shown, doc.reference),
                status=status,
                native_id=m.group(1) if m else None,
                parent_key=parent_key,
                depth=1 if indented and parent_key is None else None,
            )
        )
    comments = build_comments(drafts)
    declared = _declared(doc)
    notes = []
    folded = doc.css(".js-comment-loader, .comment-section__pager, .pager")
    if folded or (declared is not None and declared > len(comments)):
        shown = f"{len(comments)} of {declared}" if declared is not None else str(len(comments))
        notes.append(f"partial thread: {shown} comments on this page (pagination, folded replies)")
    section = doc.css_first("section#comments, #comments") or items[0].parent
    return Extraction(comments, section=section, declared=declared, notes=notes)
