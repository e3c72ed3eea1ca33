"""WordPress family: wp_list_comments markup in its many themes, WordPress.com, plugins.

Covers, by structure rather than by theme name:

- ``ol|ul.comment-list|commentlist > li.comment#comment-N`` (or ``li#li-comment-N`` wrapping
  ``article#comment-N``, or ``li.comment`` without id wrapping ``div|article#comment-N``),
  replies nested in ``ol|ul.children``;
- replies as SIBLINGS of their parent (``ul.children`` after the parent's box, or after the
  parent ``li``): threaded by ``depth-N`` classes, else by the number of enclosing
  ``.children`` lists;
- old Kubrick-era themes: ``ol#commentlist > li#comment-N`` without classes, ``<cite>`` author
  lines ("Comment by X — date", "X Says:");
- Thesis ``dl > dt.comment#comment-N + dd.comment``: one comment per dt/dd pair;
- plugins with their own markup keyed on ``#comment-N`` (Epoch, AMP for WP), with duplicate
  ids collapsed;
- pingbacks and trackbacks (``li.pingback``, or "Pingback:"/"Trackback von" text even when
  styled as a comment): author = the linked site's title, text = the excerpt.

A "recent comments" widget (in an aside/sidebar) is not the thread. A WordPress page with no
comment section markup at all has no reader comments (an authoritative empty extraction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from transforms.parse.dates import MONTHS, parse_date
from transforms.parse.html.article import find_published
from transforms.parse.html.document import Document, Node
from transforms.parse.html.fields import (
    author_from,
    clean_author,
    clean_url,
    date_from,
    name_sized,
    ping_kind,
    strip_ping_label,
)
from transforms.parse.html.nodes import (
    attr,
    block_text,
    classes,
    comment_text,
    has_class,
    is_ancestor,
    next_element,
    node_text,
    normalise_space,
)
from transforms.parse.html.profiles import Extraction
from transforms.parse.html.thread import Draft, build_comments, depth_from_classes, nest_parents
from transforms.parse.vocabulary import either
from transforms.records import CommentKind, CommentStatus

NAME = "wordpress"
MAX_SCORE = 1.0  # the highest score match() gives (lets run_profiles skip the rest)

# A comment's id: "comment-N" and WordPress's wrappers of it, and the wpDiscuz plugin's
# "wpd-comm-N_PARENT" (its comment, holding its box "comment-N" and its replies).
_ID = re.compile(r"^(?:(?:li-|div-)?comment[-_](\d+)|wpd-comm-(\d+)_\d+)$")
# A link to another comment's anchor, and the words around it saying this comment answers it
# ("Replied to comment from X", "in reply to X", "Antwort auf X").
_COMMENT_LINK = re.compile(r"#comment[-_](\d+)$")
_ANSWERING = (
    "in reply to", "replied to", "replying to", "antwort auf", "als antwort", "en réponse à",
    "en respuesta a", "in risposta a", "als reactie op",
)  # fmt: skip
_ANSWERS = re.compile(rf"\b{either(_ANSWERING)}\b", re.IGNORECASE)
CANDIDATES = (
    "[id^='comment-'], [id^='li-comment-'], [id^='div-comment-'], [id^='comment_'], "
    "[id^='wpd-comm-'], li.comment, li.pingback, li.trackback, dt.comment"
)
# Where a "recent comments" widget lives: never the page's own thread.
SIDEBARS = (
    "aside, .widget, .widget-area, #sidebar, .sidebar, #secondary, [role=complementary], "
    ".recentcomments, #recentcomments"
)
LISTS = frozenset({"ul", "ol", "dl"})
NOT_ITEMS = frozenset({"a", "span", "p", "dd", "textarea", "form", "input", "img", "time"})

# Tiers tried in order; within a tier the first match in document order wins (one CSS query
# per tier keeps the per-comment cost low).
AUTHOR_SELECTORS = (
    ".fn",
    ".comment__author-name, .comment-author-name, .comment_author, .epoch-author-link, "
    "[class*=comment__author-name], .wpd-comment-author",  # BEM: c-comment__author-name
    ".epoch-comment-author",
    ".comment-author cite, .comment-author strong, .comment-author b",
    "span.author, .author",
    ".comment-author",
    "a.url[rel~=external]",  # the author link WordPress itself prints (get_comment_author_link)
    "cite",
)
# Custom themes print the name as a small heading; WordPress comments have no subjects, so a
# heading holding no more than a name (not a date) is the author, when no tier found one.
_NAME_HEADINGS = "h3, h4, h5, h6"
DATE_SELECTORS = (
    "time[datetime], abbr[title]",
    "time",
    ".comment-date, .comment-time, .comment_time, .comment_date, .wpd-comment-date",
    ".comment-metadata, .commentmetadata, .comment-meta, .comment__meta, .comment_meta, "
    ".comment-info, .comment_info",
    ".comment-author",
    "small",
    "cite",
    "a[href*='#comment']",  # the comment's permalink, whose text is often its date
)
_NAME_LINES = frozenset({"p", "div", "span", "header", "footer", "h3", "h4", "h5", "h6"})
_AUTHOR_CONTAINERS = ("comment-author", "epoch-comment-author", "author")
_NOT_NAME = (
    "time, small, abbr, span, .says, .comment-date, .date, .comment-reply-link, "
    "a[href^='#'], .comment-metadata, .comment-meta"
)
CONTENT_SELECTORS = (
    ".comment-text, .comment-content, .contenttext, .comment__content, "
    ".epoch-comment-content, .comment-entry, [class*=comment__content], .wpd-comment-text",
    # underscore names: some themes' comment text, others' whole comment box (then tier 1 hits)
    ".comment_content, .comment_text, .entry-content, .format_text, .comment-body-content",
)
# Chrome seen inside WordPress comment bodies, beyond nodes.COMMENT_SKIP.
EXTRA_SKIP = (
    ".comment-links, .comment__links, .epoch-comment-meta, .epoch-comment-actions, "
    ".pmcc-comments-report-link, .comment-reply-title, .comment-respond"
)
_COMMENT_BY = re.compile(
    r"^\s*(?:comment|kommentar|commentaire)\s+(?:by|von|de|par)\s+(.+?)(?:\s+[—–|-]\s+.*)?$",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?"
    r"(?!\d|,?\s*\d{4})",
    re.IGNORECASE,
)


@dataclass(slots=True)
class _Unit:
    """One comment on the page: its outer node, its inner box and what it is numbered."""

    node: Node
    number: str | None
    box: Node | None = None
    children: list[Node] = field(default_factory=list)  # direct reply units
    containers: set[int] = field(default_factory=set)  # child elements holding replies


# WordPress itself, not just images hot-linked from a WordPress site's wp-content.
# (Most often present first: ``contains`` stops at the first hit.)
_WP_SIGNALS = (
    "/wp-includes/",
    "comment-reply-link",
    "wp-content/themes/",
    "wp-content/plugins/",
    'content="wordpress',
    "/wp-json",
    "wp-comments-post.php",
)
_LIST_MARKUP = re.compile(r"""(?:class|id)=["'][^"']*\b(?:comment-?list|comment_list)\b""")
_ID_MARKUP = re.compile(r"""id=["'](?:li-|div-)?comment[-_]\d+["']""")
# Classes wp_list_comments writes: without a WordPress signal on the page, a bare
# ``#comment-N`` (which many CMSs use) is not enough to claim the page.
_WP_CLASS_MARKUP = re.compile(
    r"""class=["'][^"']*\b(?:comment-?list|comment_list|comment-body|comment-author|"""
    r"""comment-meta|commentmetadata|comment-content|bypostauthor|depth-\d+)\b"""
)
_OTHER_GENERATORS = ("drupal", "joomla", "blogger", "typo3", "spip", "typepad", "movable type")


def _generator(doc: Document) -> str:
    if "generator" not in doc.lower:  # no such meta: skip the page-wide query
        return ""
    for meta in doc.css("meta[name]"):
        if (attr(meta, "name") or "").lower() == "generator":
            return (attr(meta, "content") or "").lower()
    return ""


def is_wordpress(doc: Document) -> bool:
    """True when the page says it is WordPress (generator, wp-includes, comment form, ...)."""
    return doc.contains(*_WP_SIGNALS)


def match(doc: Document) -> float:
    """1.0 for WordPress comment markup on a WordPress page, 0.4 for wp_list_comments classes
    on a page without WordPress signals (a bare ``#comment-N`` there is left to other
    profiles and the fallback), 0.3 for a WordPress page without comment markup, 0 when the
    generator names another CMS."""
    if _generator(doc).startswith(_OTHER_GENERATORS):
        return 0.0
    lower = doc.lower
    if is_wordpress(doc):
        return 1.0 if _LIST_MARKUP.search(lower) or _ID_MARKUP.search(lower) else 0.3
    return 0.4 if _WP_CLASS_MARKUP.search(lower) else 0.0


def node_text_without(doc: Document, node: Node, skip: str) -> str:
    """The node's text on one line, without the subtrees matching ``skip``."""
    return normalise_space(block_text(node, skip, doc=doc).replace("\n", " "))


def _number(node: Node) -> str | None:
    m = _ID.match(attr(node, "id") or "")
    return (m.group(1) or m.group(2)) if m else None


def _is_candidate(node: Node) -> bool:
    tag = node.tag or ""
    if tag in NOT_ITEMS:
        return False
    if _number(node) is not None:
        return True
    if tag == "li":
        return has_class(node, "comment", "pingback", "trackback")
    return tag == "dt" and has_class(node, "comment")


def _units(doc: Document) -> list[_Unit]:
    """The page's comments, one unit each, in document order (inner boxes and duplicate ids
    folded into their unit, sidebar widgets left out)."""
    seen: set[int] = set()
    nodes = []
    for n in doc.css(CANDIDATES):  # a node matching several selectors comes back once each
        if n.mem_id not in seen and _is_candidate(n):
            seen.add(n.mem_id)
            nodes.append(n)
    if not nodes:
        return []
    sidebar: set[int] = set()
    for container in doc.css(SIDEBARS):
        sidebar.update(n.mem_id for n in container.css(CANDIDATES))
    if len(sidebar) < len(nodes):  # keep a sidebar only when it is all there is
        nodes = [n for n in nodes if n.mem_id not in sidebar]
    units: list[_Unit] = []
    by_id: dict[int, _Unit] = {}
    for node in nodes:
        number = _number(node)
        owner: _Unit | None = None
        if node.tag != "li":
            current = node.parent
            hops = 0
            while current is not None and hops < 12:
                unit = by_id.get(current.mem_id)
                if unit is not None:
                    owner = unit
                    break
                if current.tag in LISTS or current.tag == "li":
                    break
                current = current.parent
                hops += 1
        if owner is not None and (owner.number is None or owner.number == number):
            if owner.box is None and node.tag not in ("span",):
                owner.box = node
                if owner.number is None:
                    owner.number = number
            continue
        unit = _Unit(node=node, number=number)
        units.append(unit)
        by_id[node.mem_id] = unit
    return units


def _parts(unit: _Unit, unit_ids: set[int]) -> list[Node]:
    """The elements holding the comment's OWN content: its inner box, else its element
    children minus reply lists. Searching these (never the whole unit) keeps the cost linear
    in the page size even when every comment contains all the replies below it."""
    if unit.box is not None:
        return [unit.box]
    return [
        child
        for child in unit.node.iter()
        if child.mem_id not in unit_ids
        and child.mem_id not in unit.containers
        and not has_class(child, "children", "replies", "comment-children")
    ]


def _children_lists_above(node: Node, stop: Node | None) -> int:
    """How many ``.children`` reply lists enclose the node (below ``stop``)."""
    count = 0
    current = node.parent
    stop_id = stop.mem_id if stop is not None else None
    while current is not None and current.mem_id != stop_id:
        if has_class(current, "children"):
            count += 1
        current = current.parent
    return count


def _section(units: list[_Unit]) -> Node | None:
    """The comment section: the closest ancestor of the first comment's list that is a
    comments area (#comments, .comments-area, ...), else that list."""
    first = units[0].node
    current = first.parent
    fallback: Node | None = current
    hops = 0
    while current is not None and hops < 8 and current.tag not in ("body", "html"):
        ident = (attr(current, "id") or "").lower()
        cls = " ".join(classes(current)).lower()
        if ident in ("comments", "comments-area", "epoch-comments", "thecomments") or any(
            c in ("comments", "comments-area", "comments-wrapper", "comment-section")
            for c in cls.split()
        ):
            return current
        current = current.parent
        hops += 1
    return fallback


def _author(doc: Document, parts: list[Node]) -> tuple[str | None, str | None, Node | None]:
    for selector in AUTHOR_SELECTORS:
        node = doc.first_in(parts, selector)
        if node is None:
            continue
        name, url = author_from(doc, node)
        if has_class(node, *_AUTHOR_CONTAINERS) and not has_class(node, "fn"):
            # a container holding the name beside dates and links: keep the name
            own = clean_author(node_text_without(doc, node, _NOT_NAME))
            if own:
                name = own
        if name:
            m = _COMMENT_BY.match(name)
            if m:
                name = clean_author(m.group(1))
            return name, url, node
    node = doc.first_in(parts, _NAME_HEADINGS)
    if node is not None:
        name, url = author_from(doc, node)
        if _names_someone(doc, name):
            return name, url, node
    return None, None, None


def _names_someone(doc: Document, text: str | None) -> bool:
    """True when the text is sized like a name and is not a date (a heading or a line beside
    the permalink may show either)."""
    return name_sized(text) and parse_date(text or "", doc.reference) is None


def _posted(doc: Document, parts: list[Node]) -> tuple[datetime | None, Node | None]:
    for selector in DATE_SELECTORS:
        node = doc.first_in(parts, selector)
        if node is None:
            continue
        found = date_from(doc, node)
        if found is None:
            found = _date_without_year(doc, node_text(node))
        if found is not None:
            return found, node
    return None, None


def _date_without_year(doc: Document, text: str) -> datetime | None:
    """A "Jun 20th at 2:41 am" date (no year): in the article's year, or the next one when
    that would put the comment before the article."""
    m = _MONTH_DAY.search(text)
    if not m:
        return None
    if "published" not in doc.cache:
        doc.cache["published"] = find_published(doc, None)
    anchor = doc.cache["published"]
    base = anchor if isinstance(anchor, datetime) else doc.reference
    if base is None:
        return None
    dated = f"{text[: m.end()]}, {base.year}{text[m.end() :]}"
    found = parse_date(dated, doc.reference)
    if found is not None and isinstance(anchor, datetime) and found.date() < anchor.date():
        found = found.replace(year=found.year + 1)
    return found


def _ping_author(doc: Document, parts: list[Node]) -> tuple[str | None, str | None, Node | None]:
    """The linked site of a pingback/trackback: its title and URL."""
    for selector in ("a.url", "cite a[href]", ".comment-author a[href]", "a[href]"):
        for node in (n for part in parts for n in part.css(selector)):
            url = clean_url(doc, attr(node, "href"))
            name = clean_author(node_text(node))
            if url and name:
                return name, url, node
    return None, None, None


def _ping_excerpt(text: str, title: str | None) -> str:
    """A pingback's excerpt: its text without the "Pingback:" label and the linked title
    (the title itself when there is no excerpt)."""
    text = strip_ping_label(text)
    if title and text.startswith(title):
        text = text[len(title) :]
    return text.strip(" |:–—-\n") or (title or "")


def _permalinks(doc: Document, parts: list[Node], number: str | None) -> list[Node]:
    """The comment's links to itself ("#comment-N"): its permalink, whose text is meta (a
    date, "1 year", "#"), never what the commenter wrote."""
    if number is None:
        return []
    own = (f"#comment-{number}", f"#comment_{number}")
    return [
        a
        for part in parts
        for a in doc.all_in(part, "a[href*='#comment']")
        if (attr(a, "href") or "").endswith(own)
    ]


def _name_beside(doc: Document, permalink: Node, box: Node) -> tuple[str | None, Node | None]:
    """The plain name on the permalink's own line (an author without a website is printed
    as text, not as a link) and that line; (None, None) when the line holds more than a
    name (a paragraph of the comment linking to itself)."""
    line = permalink.parent
    if line is None or line.mem_id == box.mem_id or line.tag not in _NAME_LINES:
        return None, None
    shown = comment_text(line, skip_nodes=[permalink], doc=doc)  # no edit/reply links
    name = clean_author(shown.replace("\n", " "))
    if not _names_someone(doc, name):
        return None, None
    return name, line


def _answers(doc: Document, parts: list[Node], body: Node, number: str | None) -> str | None:
    """The id of the earlier comment this one says it answers, outside its text: a link to
    that comment's anchor in the header, after "Replied to" or "in reply to" (flat themes of
    Movable Type and WordPress plugins show replies so)."""
    for part in parts:
        for a in doc.all_in(part, "a[href*='#comment']"):
            m = _COMMENT_LINK.search(attr(a, "href") or "")
            if m is None or m.group(1) == number:
                continue
            line = a.parent
            if line is not None and _ANSWERS.search(node_text(line)) and not is_ancestor(body, a):
                return m.group(1)
    return None


def _draft(
    doc: Document, unit: _Unit, unit_ids: set[int], moderation: bool, answering: bool
) -> Draft:
    parts = _parts(unit, unit_ids)
    body: Node | None = None
    if unit.node.tag == "dt":  # Thesis: dt (author, date) + dd (text)
        sibling = next_element(unit.node)
        if sibling is not None and sibling.tag == "dd":
            body = sibling
    head = normalise_space(" ".join(p.text(deep=True, separator=" ") for p in parts[:3])[:160])
    kind: CommentKind = (
        ping_kind(unit.node) or ping_kind(unit.box) or ping_kind(None, head) or "comment"
    )
    if kind == "comment":
        author, author_url, author_node = _author(doc, parts)
    else:
        author, author_url, author_node = _ping_author(doc, parts)
        if author is None:
            author, author_url, author_node = _author(doc, parts)
            author = strip_ping_label(author or "") or None
    posted_at, date_node = _posted(doc, parts)
    if body is None:
        for selector in CONTENT_SELECTORS:
            body = doc.first_in(parts, selector)
            if body is not None:
                break
    skip_nodes = [*unit.children]
    scopes: list[Node] | None = None
    if body is None:
        body = unit.box or unit.node
        skip_nodes.extend(n for n in (author_node, date_node) if n is not None)
        permalinks = _permalinks(doc, parts, unit.number)
        skip_nodes.extend(permalinks)
        if author is None and permalinks:  # "Name <a href=#comment-N>date</a>" on one line
            author, line = _name_beside(doc, permalinks[0], body)
            if line is not None:
                skip_nodes.append(line)
        if unit.box is None:  # text straight in the unit: leave reply lists out unvisited
            own = {p.mem_id for p in parts}
            skip_nodes.extend(c for c in unit.node.iter() if c.mem_id not in own)
            scopes = parts
    elif kind != "comment" and author_node is not None:
        skip_nodes.append(author_node)
    text = comment_text(body, EXTRA_SKIP, skip_nodes, scopes, doc=doc)
    if kind == "comment" and (written := ping_kind(None, text)) is not None:
        # Styled as a comment, written as a pingback: the linked site is the author.
        kind = written
        name, url, _ = _ping_author(doc, [body])
        if name:
            author, author_url = name, url
    if kind != "comment":
        text = _ping_excerpt(text, author)
    status: CommentStatus = "approved"
    if moderation and doc.first_in(parts, ".comment-awaiting-moderation"):
        status = "pending"
    return Draft(
        text=text,
        author=author,
        author_url=author_url,
        posted_at=posted_at,
        kind=kind,
        status=status,
        native_id=unit.number,
        parent_key=_answers(doc, parts, body, unit.number) if answering else None,
    )


# A comment section, or a comment list whose items the theme made its own (the fallback's).
_SECTION_MARKUP = (
    "#comments, #respond, .comments-area, #commentform, .comment-respond, .commentlist, "
    ".comment-list"
)


def extract(doc: Document) -> Extraction | None:
    """The WordPress comment thread of the page (None when the page is not WordPress-like)."""
    units = _units(doc)
    if not units:
        if is_wordpress(doc) and doc.css_first(_SECTION_MARKUP) is None:
            return Extraction(comments=[], notes=["no comment section on the page"])
        return None
    nodes = [u.node for u in units]
    unit_ids = {n.mem_id for n in nodes}
    section = _section(units)
    parents = nest_parents(nodes)
    for unit, parent in zip(units, parents, strict=True):
        if parent is not None:
            owner = units[parent]
            owner.children.append(unit.node)
            current = unit.node  # the owner's child element that holds this reply
            while current.parent is not None and current.parent.mem_id != owner.node.mem_id:
                current = current.parent
            owner.containers.add(current.mem_id)
    drafts: list[Draft] = []
    moderation = doc.contains("comment-awaiting-moderation")  # any pending comment at all?
    answering = doc.contains(*_ANSWERING)  # any "in reply to" words at all?
    for unit, parent in zip(units, parents, strict=True):
        draft = _draft(doc, unit, unit_ids, moderation, answering)
        if parent is not None:
            draft.parent = parent
        else:
            depth = depth_from_classes(unit.node)
            if depth is None and unit.box is not None:
                depth = depth_from_classes(unit.box)
            if depth is None:
                depth = _children_lists_above(unit.node, section)
            draft.depth = depth
        drafts.append(draft)
    return Extraction(comments=build_comments(drafts), section=section)
