"""SPIP forums (the comment system of the SPIP CMS, common on French sites).

SPIP's templates list messages as ``ul.forum > li.forum-fil`` and nest replies in a ``ul``
inside the parent ``li``. The fields carry the message id in their classes: the author in
``.forum-qui-N`` (older ``.forum-auteur``, or hCard ``.fn``), the subject in
``.forum-titre`` (``-N``), the text in ``.forum-texte`` (``-N``), the date in ``abbr[title]``
(ISO, UTC) or ``.forum-nav`` / ``.forum-date`` / ``.forum-chapo small`` text ("(22 juin 2018
@11h13)", "5 juin 2010, par NAME"). A message with no author is anonymous. A typed subject is
the text's first paragraph (see ``subjects``); a reply's subject equal to its parent's is the
one SPIP pre-fills, and is left out.

The "comments" plugin (SPIP 3 sites) lists messages as ``ul.comments-items > li.comment-item``
(replies in an inner ``ul``, or flat with ``a[rel=in-reply-to]`` naming the parent's
``#forumN``), the id in ``a#forumN`` / ``a#commentN`` anchors, the date in ``time[datetime]``
(or ``abbr[title]``), the author in ``.reviewer`` / ``.vcard`` ("par NAME", a ``.fn``, or a
link) and the text in ``.comment-content``. Its meta line also links the article ("En réponse
à : TITLE", an ``a.url.fn`` too): the author is only read in the reviewer's box.
"""

from __future__ import annotations

import re

from transforms.parse.dates import parse_date
from transforms.parse.html.document import Document, Node
from transforms.parse.html.fields import author_from, clean_author, clean_url, date_from
from transforms.parse.html.nodes import attr, class_startswith, comment_text, is_ancestor, node_text
from transforms.parse.html.profiles import Extraction
from transforms.parse.html.regions import Matches, children_of, own_elements
from transforms.parse.html.subjects import with_subject
from transforms.parse.html.thread import Draft, build_comments, nest_parents

NAME = "spip"
MAX_SCORE = 0.9  # the highest score match() gives (lets run_profiles skip the rest)

_ID_CLASS = re.compile(r"^forum-(?:texte|qui|titre)-(\d+)$")
_ANCHOR_ID = re.compile(r"^forum(\d+)$")
_BY = re.compile(r"\b(?:par|by|von)\s+(?P<a>[^,|]+?)\s*$", re.IGNORECASE)
_AUTHOR = "[class*='forum-qui'], .forum-auteur, .comment-author .fn, .fn, .forum-author"
_SUBJECT = ".forum-titre, [class*='forum-titre-'], h3.forum-titre, .comment-title"
_DATE_TEXT = ".forum-nav, .forum-date, .date, .comment-date, .forum-top, .forum-chapo small"
_TEXT_SKIP = (
    ".repondre, .comment-reply, .forum-repondre, .moderation, .forum-chapo, "
    "[class*='forum-qui'], .forum-nav, .forum-date"
)


_ITEMS = "li.comment-item"
_ITEM_ANCHOR = re.compile(r"^(?:forum|comment)(\d+)$")
_REPLY_TO = re.compile(r"#forum(\d+)$")
_REVIEWER = ".reviewer, .vcard, .comment-author"
_ITEM_TEXT_SKIP = ".comment-reply, .repondre, .comment-meta, .comment-edit"


def match(doc: Document) -> float:
    if doc.contains("forum-fil", "forum-texte") and doc.css_first("li.forum-fil, .forum-fil"):
        return 0.9 if doc.contains("forum-texte") else 0.6
    if doc.contains("comment-item") and doc.contains('id="forum', "id='forum"):
        return 0.9 if doc.css_first(_ITEMS) is not None else 0.0
    return 0.0


def _native_id(own: list[Node], matches: Matches) -> str | None:
    for name in ("forum-texte-", "forum-qui-", "forum-titre-"):
        field = matches.first(own, f"[class*='{name}']")
        m = _ID_CLASS.match(class_startswith(field, name) or "")
        if m:
            return m.group(1)
    anchor = matches.first(own, "[id^=forum], a[name^=forum]")
    m = _ANCHOR_ID.match(attr(anchor, "id") or attr(anchor, "name") or "")
    return m.group(1) if m else None


def _item_id(own: list[Node]) -> str | None:
    for node in own:
        if node.tag != "a":
            continue
        m = _ITEM_ANCHOR.match(attr(node, "id") or attr(node, "name") or "")
        if m:
            return m.group(1)
    return None


def _reviewer(doc: Document, box: Node | None) -> tuple[str | None, str | None]:
    """The author in the reviewer's box: its ``.fn`` or link, else the name after "par"."""
    if box is None:
        return None, None
    named = box.css_first(".fn, a[href]")
    if named is not None:
        name, url = author_from(doc, named)
        if name:
            return name, url
    text = node_text(box).strip(" ,")
    by = _BY.search(text)
    return clean_author(by.group("a") if by else text), None


def _extract_items(doc: Document, items: list[Node]) -> Extraction:
    """The comments plugin's messages (see the module's docstring)."""
    parents = nest_parents(items)
    children = children_of(parents, items)
    matches = Matches(doc)
    owns = [own_elements(node, children[i]) for i, node in enumerate(items)]
    ids = [_item_id(own) for own in owns]
    position = {native: i for i, native in enumerate(ids) if native is not None}
    drafts = []
    for index, own in enumerate(owns):
        parent = parents[index]
        if parent is None:  # flat threads name the parent in the meta line
            link = matches.first(own, "a[rel=in-reply-to]")
            m = _REPLY_TO.search(attr(link, "href") or "")
            found = position.get(m.group(1)) if m else None
            if found is not None and found < index:
                parent = found
        body = matches.first(own, ".comment-content, .comment-texte")
        author, author_url = _reviewer(doc, matches.first(own, _REVIEWER))
        drafts.append(
            Draft(
                text=comment_text(body, _ITEM_TEXT_SKIP, doc=doc) if body is not None else "",
                author=author,
                author_url=author_url,
                posted_at=date_from(doc, matches.first(own, "time, abbr[title]")),
                native_id=ids[index],
                parent=parent,
            )
        )
    section = doc.css_first("#comments, .comments-posts, .comments") or items[0].parent
    if section is not None and not is_ancestor(section, items[0]):
        section = items[0].parent
    return Extraction(build_comments(drafts), section=section)


def extract(doc: Document) -> Extraction | None:
    plugin = [n for n in doc.css(_ITEMS) if n.css_first(".comment-content, .comment-texte")]
    if plugin and doc.css_first("li.forum-fil, div.forum-fil") is None:
        return _extract_items(doc, plugin)
    items = [
        n
        for n in doc.css("li.forum-fil, div.forum-fil")
        if n.css_first(".forum-texte, [class*='forum-texte']") is not None
    ]
    if not items:
        return None
    parents = nest_parents(items)
    children = children_of(parents, items)
    matches = Matches(doc)
    drafts = []
    subjects: list[str | None] = []
    for index, (node, parent) in enumerate(zip(items, parents, strict=True)):
        own = own_elements(node, children[index])
        body = matches.first(own, ".forum-texte, [class*='forum-texte']")
        subject = node_text(matches.first(own, _SUBJECT)) or None
        subjects.append(subject)
        if parent is not None and subject == subjects[parent]:
            subject = None  # SPIP fills a reply's subject with its parent's
        text = comment_text(body, _TEXT_SKIP, doc=doc) if body is not None else ""
        author, author_url = author_from(doc, matches.first(own, _AUTHOR))
        if author is None:  # SPIP 2 "dist": <small>5 juin 2010, par <a>NAME</a></small>
            line = matches.first(own, ".forum-chapo small, .forum-info, .forum-date")
            by = _BY.search(node_text(line))
            if by:
                link = line.css_first("a[href]") if line is not None else None
                author = clean_author(by.group("a"))
                author_url = clean_url(doc, attr(link, "href")) if link is not None else None
        posted_at = date_from(doc, matches.first(own, "abbr[title], time")) or parse_date(
            node_text(matches.first(own, _DATE_TEXT)), doc.reference
        )
        drafts.append(
            Draft(
                text=with_subject(subject, text),
                author=author,
                author_url=author_url,
                posted_at=posted_at,
                native_id=_native_id(own, matches),
                parent=parent,
            )
        )
    first = items[0]
    section = doc.css_first("#comments, .forum-comments, .comments") or first.parent
    if section is not None and not is_ancestor(section, first):
        section = first.parent
    return Extraction(build_comments(drafts), section=section)
