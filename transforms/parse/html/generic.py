"""The structural fallback: comments found by the shape of the page when no profile knows it.

A comment is a repeated block that carries a date, usually an author, and text of its own;
replies are blocks of the same kind nested inside it or placed right after it, or, when every
block sits at one level of the markup, blocks shown indented (``indent.shown_depths``: level
classes and attributes, left margins, spacer images). The fallback finds such blocks in two
ways, and takes the first that gives a convincing group:

1. Comment anchors: elements whose ``id``/``name`` is a comment id (``comment-123``,
   ``c123``, ``cid-123``, ``kommentar-123``, …). A named empty anchor stands for its parent
   (``li > a[name=comment-N] + div``) or, when its siblings are other anchors, for the element
   right after it (``a#comment-N`` + ``div``).
2. Dates: ``<time>`` elements and short texts that parse as dates. Walking up a few levels
   from each date, the comment block is the outermost element shape (tag + stable classes)
   that holds exactly one date per element, in at least two elements.

Within a block, its own region (nested blocks left out) gives the date, the author (author-ish
classes, "by X" / "von X am" / "X sagt:" lines, else the first short bold/cite/link before the
date), an optional subject heading, and the text: the region without the meta line around the
date, the author, controls and nested blocks.

False positives are what a fallback must avoid, so a group is rejected when it sits in
navigation, sidebars, widgets, headers/footers or forms; when its blocks link to comments on
other pages (a "recent comments" widget); when its text is mostly links (teasers, menus), its
blocks are links or sit in one, or most are headed by links to other pages (news lists); when
it belongs to a live ticker; when most blocks have no author; and, for date-found groups,
when nothing on the page says "comments" around it (an id/class or heading naming comments,
"says:"/"sagt:" lines, or blocks marked up as schema.org Comments). When a page marks up only
some blocks of a group as Comments, the others are not comments; one such block before them
all is a forum topic's opening post, and its text is the article's.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from transforms.parse.dates import SHAPE_REFERENCE, parse_date
from transforms.parse.html.article import leads_elsewhere, page_url, thread_path
from transforms.parse.html.document import Document, Node
from transforms.parse.html.fields import (
    DATE_ATTRIBUTES,
    MAX_AUTHOR,
    clean_author,
    clean_url,
    date_from,
    name_sized,
)
from transforms.parse.html.indent import shown_depths
from transforms.parse.html.nodes import (
    COMMENT_SKIP,
    attr,
    block_text,
    clean_comment_text,
    fold_ancestors,
    is_ancestor,
    near_ancestors,
    next_element,
    node_text,
    preceding_siblings,
    previous_element,
)
from transforms.parse.html.profiles import Extraction
from transforms.parse.html.regions import children_of, own_elements, wrappers
from transforms.parse.html.subjects import with_subject
from transforms.parse.html.thread import Draft, build_comments
from transforms.parse.vocabulary import CJK_COMMENT_NOUNS, either

NAME = "generic"

# A comment id: a number, or after a word prefix a hex id (a MongoDB ObjectId, a hash or a UUID:
# "comment-4e7a3b1ceab8ea6406000046"; with a digit, so that no word reads as one).
_MARKER = re.compile(
    r"^(?:(?P<prefix>comment|comments|kommentar|comentario|commentaire|commento|reaction|reply|"
    r"cmt|cid|c)[-_]?(?P<number>\d{1,20})"
    r"|(?P<word>comment|kommentar|comentario|commentaire|commento|reaction|reply)[-_]"
    r"(?P<hex>(?=[a-f]*\d)[0-9a-f]{8,40}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}))$",
    re.IGNORECASE,
)
_STATE_CLASS = re.compile(
    r"^(?:odd|even|alt|first|last|thread-\w+|parent|byuser|bypostauthor|by-\w+|"
    r"comment-author-.*|depth-\d+|level-\d+|is-\w+|has-\w+|active|open|closed|hidden|new|"
    r"highlight\w*|selected|collapsed|expanded|clearfix|group)$"
)
# Where reader comments are not: page chrome, widgets, lists of other pages. Hard chrome
# excludes whatever is inside; soft chrome (``aside``, ``header``, ``footer``, ``form``) only
# when nothing between it and the comments names them as comments (AMP themes put the comment
# list in an ``aside``, ASP.NET pages wrap the whole body in a ``form``).
_HARD_CHROME_TAGS = frozenset({"nav", "menu", "select"})
_SOFT_CHROME_TAGS = frozenset({"aside", "header", "footer", "form"})
_CHROME_WORDS = (
    r"widget|sidebar|side-bar|navbar|navigation|nav|menu|breadcrumbs?|recent[-_]?comments?|"
    r"recentcomments|related|popular|most[-_]?read|teasers?|pager|pagination|footer|masthead|"
    r"ticker|liveblog|live[-_]?ticker|live[-_]?match|livescore|play[-_]?by[-_]?play|"
    r"timeline|tweets?|twitter|instagram|tiktok|embed"
)
# A chrome word as the head of a token ("sidebar-left", "widget_recent_comments") or its tail
# ("site-footer", "dsq-widget"), but not a page-layout modifier ("with-navigation").
_CHROME_TOKEN = re.compile(
    rf"^(?!(?:with|has|no|is|one|two|page|layout|body|not)[-_])"
    rf"(?:(?:{_CHROME_WORDS})(?:[-_].*)?|.*[-_](?:{_CHROME_WORDS}))$",
    re.IGNORECASE,
)
_WIDGET_TOKEN = re.compile(r"^widget$", re.IGNORECASE)  # Blogger's main column is a widget
# A comment's own footer or header ("fig-comment-footer": its date and links), not the page's.
_COMMENT_PART = re.compile(
    r"^(?:.*[-_])?(?:comment|kommentar|reply|reaction)s?[-_](?:footer|header)$", re.IGNORECASE
)
# A footer named by its place ("list-footer", "item-footer"): the page's, unless it sits in a
# list item or an article, whose own footer it then is (a comment's time and links).
_PART_FOOTER = re.compile(r"^(?:\w+[-_])?footer$|^footer[-_]\w+$", re.IGNORECASE)
_ITEM_TAGS = frozenset({"li", "article"})
_ITEM_CLIMB = 2  # levels from a footer up to the item it belongs to
_COMMENTISH = re.compile(
    r"comment|kommentar|komment|komentar|coment|reaction|réaction|reactie|discussion|"
    r"diskussion|respons|replies|leserbrief|forum|guestbook|gästebuch|pinglun|yorum",
    re.IGNORECASE,
)
_COMMENT_HEADER = re.compile(
    r"^\s*(?:\d+\s+)?(?:(?:readers?|visitors?|users?|your)'?\s+)?"
    r"(?:comments?|kommentare?|leserkommentare|commentaires?|comentarios?|"
    r"comentários?|commenti|reactions?|réactions?|vos réactions|reaktionen|reacties|diskussion|"
    r"discussion|responses?|replies|antworten|leserbriefe|meinungen|kommentarer|komentarze?|"
    r"комментарии|yorumlar)\b"
    # Chinese, Japanese, Korean: no spaces, so no word boundary ("网友评论", "评论区")
    rf"|^\s*(?:\d+\s*)?[^\W\d_]{{0,4}}?{either(CJK_COMMENT_NOUNS)}",
    re.IGNORECASE,
)
_SAYS = re.compile(
    r"\b(?:says|said|wrote|sagt|schreibt|schrieb|meint|a écrit|dit|écrit)\s*:|"
    r"\b(?:geschrieben|verfasst|posted|written|écrit|publié)\s+(?:von|by|par)\b",
    re.IGNORECASE,
)
_SEP = r"(?:\s+(?:am|um|on|at|le|à)\s|\s*[,·|•–—]\s*)"
_META_AUTHOR = (
    re.compile(
        rf"(?:geschrieben|verfasst|kommentiert|gepostet|eingesandt|eingereicht)\s+von\s+"
        rf"(?P<a>.+?){_SEP}",
        re.I,
    ),
    re.compile(rf"(?:posted|written|submitted|sent|comment)\s+by\s+(?P<a>.+?){_SEP}", re.I),
    re.compile(rf"(?:écrit|publié|posté|envoyé)\s+par\s+(?P<a>.+?){_SEP}", re.I),
    re.compile(rf"^\s*(?:von|by|par)\s+(?P<a>[^,|·]+?){_SEP}", re.I),
    re.compile(r"^\s*(?P<a>[^:]{1,60}?)\s+(?:says|sagt|schreibt|meint|a écrit|dit)\s*:", re.I),
    # the name after the date, ending the line: "Le 9 octobre 2019, 08:02 par Luc"
    re.compile(r"\d[^|·]*?\s(?:by|von|par|door|por)\s+(?P<a>[^\s\d,|·][^,|·]*?)\s*$", re.I),
)
_AUTHOR_HINT = (
    "[itemprop=author], .fn, [class*=author], [class*=user], [class*=name], [class*=nick], cite"
)
_AUTHOR_TAGS = frozenset({"strong", "b", "cite", "a", "h3", "h4", "h5", "h6", "span"})
_REPLY_CONTAINER = re.compile(
    r"indent|child|repl|nested|answers|antworten|sub[-_]?comments", re.IGNORECASE
)
_CONTAINER_TAGS = frozenset({"ul", "ol", "div", "section", "dl"})
_EMBED_TAGS = frozenset({"div", "section", "article", "blockquote", "li"})  # a quoted comment's box
_PARAGRAPH_TAGS = frozenset({"p", "blockquote", "pre", "li", "dd", "article", "table"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TEXT_SKIP = (
    ".hidden, [hidden], [style*='display:none'], [style*='display: none'], "
    "form, button, [class*=reply], [class*=share], [class*=vote], [class*=like], "
    "[class*=rating], [class*=avatar], [class*=report], [class*=moderat], [class*=digg]"
)
_CONTROL_WORDS = re.compile(
    r"^(?:reply|antworten|antwort|répondre|responder|rispondi|quote|zitieren|report|melden|"
    r"edit|permalink|link|share|teilen|like)\b",
    re.IGNORECASE,
)
# Date attributes that mark an element as a date (``content`` and ``title`` are on too many
# other elements; ``abbr[title]`` is tested on its own).
_MACHINE_DATE = tuple(name for name in DATE_ATTRIBUTES if name not in ("content", "title"))
_NOT_DATE_TAGS = frozenset({"script", "style", "title", "option", "textarea"})
_FRAGMENT_ID = re.compile(r"#(?:comment|c)[-_]?(\d+)", re.IGNORECASE)
MAX_DATE_TEXT = 120  # longer texts are prose that mentions a date, not a date line
DATE_CLIMB = 8  # levels walked up from a date to find the comment block
DATE_GROUPS = 8  # candidate groups from dates tried before giving up
META_MAX = 200  # a meta line (author, date, controls) is shorter than this


@dataclass(slots=True)
class _Block:
    node: Node
    date_node: Node | None = None
    key: str | None = None  # the comment id a marker gives
    weak: bool = False  # named only "c123": also every content element of some CMSs (TYPO3)
    plural: bool = False  # named "comments-123": maybe the comment list of article 123
    text: Node | None = None  # the ``dd`` holding the text of a ``dt`` that heads the comment


def match(doc: Document) -> float:
    return 0.1 if doc.tree.body is not None else 0.0


# --- finding the blocks -------------------------------------------------------------------


def _tokens(node: Node) -> str:
    return f"{attr(node, 'id') or ''} {attr(node, 'class') or ''}"


def _chrome_level(node: Node) -> int:
    """0 = not chrome, 1 = soft chrome, 2 = hard chrome (nav, sidebar, widget, menu, …)."""
    if node.tag in _HARD_CHROME_TAGS:
        return 2
    if attr(node, "role") in ("navigation", "menu", "menubar"):
        return 2
    for token in _tokens(node).split():
        if (
            _CHROME_TOKEN.match(token)
            and not _WIDGET_TOKEN.match(token)
            and not _COMMENT_PART.match(token)
            and not (_PART_FOOTER.match(token) and _in_item(node))
        ):
            return 2
    if node.tag in _SOFT_CHROME_TAGS or attr(node, "role") in (
        "complementary",
        "banner",
        "contentinfo",
    ):
        return 1
    return 0


def _in_item(node: Node) -> bool:
    """The node sits in a list item or an article a level or two up."""
    return any(a.tag in _ITEM_TAGS for a in near_ancestors(node, _ITEM_CLIMB))


def _chrome_above(node: Node, cache: dict[int, int]) -> int:
    """The strongest chrome level at or above the node (0, 1 soft, 2 hard). ``cache`` holds
    the answer per ancestor, so asking for every node of a deep thread stays linear."""
    return fold_ancestors(
        node, lambda n: n.tag in ("body", "html"), cache,
        lambda level, item: max(level, _chrome_level(item)),  # top-down: max of self and above
    )  # fmt: skip


def _named_comments_below(node: Node, levels: int = 6) -> bool:
    """True when the node or one of its near ancestors names itself as comments."""
    current: Node | None = node
    for _ in range(levels):
        if current is None or current.tag in ("body", "html"):
            return False
        if _COMMENTISH.search(_tokens(current)) and _chrome_level(current) == 0:
            return True
        current = current.parent
    return False


def _excluded(node: Node, cache: dict[int, int]) -> bool:
    """True when the node sits in page chrome (see ``_chrome_level``)."""
    level = _chrome_above(node, cache)
    if level == 2:
        return True
    return level == 1 and not _named_comments_below(node)


def _stable_classes(node: Node) -> list[str]:
    """The node's classes without per-item state (odd/even, depth-N, ids)."""
    return sorted(
        c
        for c in (attr(node, "class") or "").split()
        if not any(ch.isdigit() for ch in c) and not _STATE_CLASS.match(c)
    )


def _stable_tokens(node: Node) -> str:
    return " ".join([attr(node, "id") or "", *_stable_classes(node)])


def _signature(node: Node) -> str:
    return f"{node.tag}.{'.'.join(_stable_classes(node))}"


# What a comment's permalink anchor may show instead of content: "#1", "12.", "¶", "Link".
_PERMALINK_TEXT = re.compile(r"^(?:#?\s*\d{1,6}\.?|#|¶|§|permalink|link)$", re.IGNORECASE)


def _has_content(node: Node) -> bool:
    """True when the anchor shows more than a permalink's number or sign."""
    text = node.text(deep=True, strip=True)
    if text:
        return _PERMALINK_TEXT.match(text) is None
    return node.css_first("img") is not None


def _marker_id(key: re.Match[str]) -> str:
    """The comment id a ``_MARKER`` match names."""
    return key.group("number") or key.group("hex")


def _marker_blocks(doc: Document) -> list[_Block]:
    """Blocks named by comment anchors, in document order."""
    out: list[_Block] = []
    seen: set[int] = set()
    named = [
        (node, key)
        for node in doc.css("[id], a[name]")
        if (key := _MARKER.match(attr(node, "id") or attr(node, "name") or "")) is not None
    ]
    # Parents holding several empty comment anchors side by side (Drupal's a#comment-N + div).
    anchors_per_parent = Counter(
        node.parent.mem_id
        for node, _ in named
        if node.tag == "a" and node.parent is not None and not _has_content(node)
    )
    for node, key in named:
        block: Node | None = node
        if node.tag == "a" and not _has_content(node):
            parent = node.parent
            if parent is not None and anchors_per_parent[parent.mem_id] > 1:
                block = next_element(node)
            else:
                block = parent
        elif block is not None and block.tag != "li":
            # li#li-comment-N > article#comment-N: the list item carries the replies.
            holder = block.parent
            if holder is not None and holder.tag == "li" and _first_element(holder) is block:
                block = holder
        if block is None or block.mem_id in seen or block.tag in ("body", "html"):
            continue
        seen.add(block.mem_id)
        prefix = (key.group("prefix") or key.group("word")).lower()
        found = _Block(block, key=_marker_id(key), weak=prefix == "c", plural=prefix == "comments")
        if block.tag == "dt" and (after := next_element(block)) is not None and after.tag == "dd":
            found.text = after  # dt (number, date, author) + dd (what the commenter wrote)
        out.append(found)
    # "comments-N" holding the comments that follow it: the list of article N, not a comment.
    out = [
        b
        for i, b in enumerate(out)
        if not (b.plural and i + 1 < len(out) and is_ancestor(b.node, out[i + 1].node))
    ]
    # One comment may be named twice (li#comment-7 > h2#c7): keep the outermost element.
    outer: dict[str, _Block] = {}
    for found in out:
        kept = outer.get(found.key or "")
        if kept is None or is_ancestor(found.node, kept.node):
            outer[found.key or ""] = found
    keep = {id(b) for b in outer.values()}
    return [b for b in out if id(b) in keep]


def _first_element(node: Node) -> Node | None:
    return next(iter(node.iter(include_text=False)), None)


def _within(ancestor: Node, node: Node, levels: int) -> bool:
    """True when ``ancestor`` is one of the ``levels`` nearest ancestors of ``node``."""
    target = ancestor.mem_id
    return any(a.mem_id == target for a in near_ancestors(node, levels))


def _thread_parents(nodes: list[Node]) -> list[int | None]:
    """Each block's parent: the nearest block containing it, or the block right before a
    reply container it sits in (``div.comment`` + ``ul.children``, Drupal's ``article`` +
    ``div.indented``, or any container right after the wrappers the block sits alone in that
    holds the next block): replies placed after their parent rather than inside it."""
    index = {n.mem_id: i for i, n in enumerate(nodes)}
    follows: dict[int, int] = {}  # reply container -> index of the block it follows
    for i, node in enumerate(nodes):
        sibling = next_element(node)
        if (
            sibling is not None
            and sibling.tag in _CONTAINER_TAGS
            and _REPLY_CONTAINER.search(_stable_tokens(sibling))
            and _signature(sibling) != _signature(node)
        ):
            follows[sibling.mem_id] = i
            continue
        # The block alone in its wrappers (div.item > div.rbox > div.comment-box), and after
        # the outermost one, last in the item, a container holding the next block: its replies.
        wrapper = wrappers(node, _CONTAINER_TAGS)[-1]
        sibling = next_element(wrapper)
        if (
            i + 1 < len(nodes)
            and sibling is not None
            and sibling.tag in _CONTAINER_TAGS
            and previous_element(wrapper) is None
            and next_element(sibling) is None
            and _within(sibling, nodes[i + 1], 8)
        ):
            follows[sibling.mem_id] = i
    parents: list[int | None] = []
    for i, node in enumerate(nodes):
        found = follows.get(node.mem_id)
        current = node.parent if found is None else None
        while current is not None:
            found = index.get(current.mem_id)
            if found is None:
                found = follows.get(current.mem_id)
            if found is not None:
                break
            current = current.parent
        parents.append(found if found is not None and found < i else None)
    return parents


def _date_nodes(doc: Document, root: Node) -> list[Node]:
    """Elements holding a date: ``<time>``, elements with a machine date (``datetime``,
    ``abbr[title]``, ``data-time``, date ``itemprop``), and elements whose own short text is a
    date. One pass over the tree."""
    found: list[Node] = []
    seen: set[int] = set()
    for node in root.traverse(include_text=True):
        tag = node.tag or ""
        if tag == "-text":
            text = (node.text_content or "").strip()
            # six characters at least ("3 days" is a count), or two in a script that writes a
            # date tersely ("2天前", "3일 전")
            short = 6 if text.isascii() else 2
            if not short <= len(text) <= MAX_DATE_TEXT or not any(ch.isdigit() for ch in text):
                continue
            parent = node.parent
            if parent is None or parent.mem_id in seen or parent.tag in _NOT_DATE_TAGS:
                continue
            if parse_date(text, doc.reference or SHAPE_REFERENCE) is not None:
                seen.add(parent.mem_id)
                found.append(parent)
            continue
        if tag.startswith("-") or node.mem_id in seen:
            continue
        machine = (
            (tag == "abbr" and "title" in node.attributes)
            or any(name in node.attributes for name in _MACHINE_DATE)
            or (attr(node, "itemprop") or "").startswith("date")
        )
        if (tag == "time" or machine) and date_from(doc, node) is not None:
            seen.add(node.mem_id)
            found.append(node)
    return found


def _quoted(node: Node) -> bool:
    """The node sits in a quotation a few levels up: a ``blockquote`` or ``q``, or a copy of
    another comment (see ``_copy_of_item``)."""
    above = list(near_ancestors(node, DATE_CLIMB))
    if any(a.tag in ("blockquote", "q") for a in above):
        return True
    shapes = [_item_shape(a) for a in above]
    return any(
        _copy_of_item(inner, outer) for i, inner in enumerate(shapes) for outer in shapes[i + 1 :]
    )


def _item_shape(node: Node) -> tuple[str, frozenset[str]]:
    """The node's tag and stable classes, as ``_copy_of_item`` compares them."""
    return node.tag or "", frozenset(_stable_classes(node))


def _copy_of_item(inner: tuple[str, frozenset[str]], outer: tuple[str, frozenset[str]]) -> bool:
    """An element of shape ``inner`` (inside one of shape ``outer``) is a copy of another item
    shown in it: a box of another tag with one of outer's item classes (``li.cmt-item``
    quoting the comment it answers in ``div.cmt-item``). A reply nested in its parent repeats
    the parent's tag."""
    tag, classes = inner
    return tag in _EMBED_TAGS and tag != outer[0] and not classes.isdisjoint(outer[1])


def _date_groups(doc: Document) -> list[list[_Block]]:
    """Candidate groups of blocks found from dates, best first: element shapes holding exactly
    one date each, the most numerous first, then the outermost."""
    body = doc.tree.body
    if body is None:
        return []
    cache: dict[int, int] = {}
    dates = [d for d in _date_nodes(doc, body) if _chrome_above(d, cache) < 2]
    # A machine date in a <meta> beside a shown one (a modification time) is the same post's.
    shown = {d.parent.mem_id for d in dates if d.tag != "meta" and d.parent is not None}
    dates = [
        d for d in dates if d.tag != "meta" or d.parent is None or d.parent.mem_id not in shown
    ]
    # The date of a quoted comment ("Name, Oct. 9 - 7:56 AM" in a blockquote) is not the
    # quoting comment's second date.
    unquoted = [d for d in dates if not _quoted(d)]
    if len(unquoted) >= 2:
        dates = unquoted
    if len(dates) < 2:
        return []
    # signature -> {ancestor id: (ancestor, level, [date indices])}
    by_sig: dict[str, dict[int, tuple[Node, int, list[int]]]] = {}
    for index, date in enumerate(dates):
        current = date.parent
        level = 1
        seen_sigs: set[str] = set()
        while current is not None and level <= DATE_CLIMB and current.tag not in ("body", "html"):
            sig = _signature(current)
            if sig not in seen_sigs:
                seen_sigs.add(sig)
                slot = by_sig.setdefault(sig, {})
                entry = slot.get(current.mem_id)
                if entry is None:
                    slot[current.mem_id] = (current, level, [index])
                else:
                    entry[2].append(index)
            current = current.parent
            level += 1
    ranked: list[tuple[tuple[int, float], dict[int, tuple[Node, int, list[int]]]]] = []
    for slot in by_sig.values():
        if len(slot) < 2 or any(len(entry[2]) != 1 for entry in slot.values()):
            continue
        mean_level = sum(entry[1] for entry in slot.values()) / len(slot)
        ranked.append(((len(slot), mean_level), slot))
    ranked.sort(key=lambda item: item[0], reverse=True)
    order = {d.mem_id: i for i, d in enumerate(dates)}
    groups = []
    for _, slot in ranked[:DATE_GROUPS]:
        blocks = [_Block(node, date_node=dates[indices[0]]) for node, _, indices in slot.values()]
        blocks.sort(key=lambda b: order[b.date_node.mem_id] if b.date_node is not None else 0)
        groups.append(blocks)
    return groups


# --- reading one block ----------------------------------------------------------------------


@dataclass(slots=True)
class _Matches:
    """Elements of the page matching the selectors blocks are read with, found once per page
    (``mem_id`` sets), so reading each block stays linear in its own region."""

    skip: set[int]
    author: set[int]

    @classmethod
    def of(cls, doc: Document) -> _Matches:
        return cls(
            skip={n.mem_id for n in doc.css(f"{COMMENT_SKIP}, {_TEXT_SKIP}")},
            author={n.mem_id for n in doc.css(_AUTHOR_HINT)},
        )


def _own_date(doc: Document, block: _Block, own: list[Node]) -> tuple[Node | None, datetime | None]:
    if block.date_node is not None:
        return block.date_node, date_from(doc, block.date_node)
    for node in own:
        if node.tag == "time" and (value := date_from(doc, node)) is not None:
            return node, value
    for node in own:  # each element's own text: linear however deep the replies nest
        text = " ".join((node.text(deep=False) or "").split())
        if not text or len(text) > MAX_DATE_TEXT or not any(ch.isdigit() for ch in text):
            continue
        # a relative date, or one without a year ("Sep 21, 3:29 PM"), marks the date's element
        # even when the page has no fetch time to resolve it against (then it gives no value)
        value = parse_date(text, doc.reference or SHAPE_REFERENCE, yearless=True)
        if value is not None:
            return node, value if doc.reference is not None else parse_date(text, None)
    return None, None


def _own_region(block: _Block, children: list[Node]) -> list[Node]:
    """The block's own elements; for a ``dt`` + ``dd`` pair the ``dt`` itself too (its own
    text is the meta line) and the ``dd`` with its elements."""
    own = own_elements(block.node, children)
    if block.text is None:
        return own
    return [block.node, *own, block.text, *own_elements(block.text, children)]


def _block_text(block: _Block, skip: list[Node]) -> str:
    """The block's text (``block_text``) without ``skip``, a pair's ``dd`` included."""
    texts = [block_text(n, None, skip) for n in (block.node, block.text) if n is not None]
    return "\n\n".join(t for t in texts if t)


def _meta_block(block: Node, date_node: Node, children: list[Node], controls: list[Node]) -> Node:
    """The meta line around the date (or the name): its largest ancestor inside the block that
    is short, holds no paragraphs, and leaves the block some text (controls aside) when left
    out."""
    meta = date_node
    current = date_node.parent
    while current is not None and current.mem_id != block.mem_id:
        if _loose_prose(current) or len(block_text(current, None, children)) > META_MAX:
            break
        if any(n.tag in _PARAGRAPH_TAGS for n in own_elements(current, children)):
            break
        if not block_text(block, None, [current, *children, *controls]).strip():
            break
        meta = current
        current = current.parent
    return meta


_SENTENCE_END = (".", "!", "?", "…")


def _loose_prose(node: Node) -> bool:
    """True when text directly inside the node (not in a child element) reads as prose: four
    words or more, or a sentence ("Link?"). A meta line's loose text is glue ("by", "on",
    "|", "said") between the elements holding the name, the date and the controls; a comment
    written straight into the box beside its date element is not a meta line."""
    for child in node.iter(include_text=True):
        if child.tag != "-text":
            continue
        words = (child.text_content or "").split()
        if len(words) >= 4 or (
            words and words[-1].endswith(_SENTENCE_END) and any(ch.isalpha() for ch in words[-1])
        ):
            return True
    return False


_FIELDS = frozenset({"textarea", "select", "button"})


def _holds_comment(node: Node, date_node: Node | None, children: list[Node]) -> bool:
    """True when an element styled as a control (``.reply``) is the comment's own box: it
    holds the comment's date and paragraphs. Reply links, share and vote widgets hold
    neither; a meta line holds the date but no paragraph. A form with no field to fill in
    (hidden inputs at most) that holds paragraphs wraps the comment's text (an editable
    comment's markup): a reply or login form has fields."""
    if node.tag == "form":
        own = own_elements(node, children)
        return not any(
            n.tag in _FIELDS or (n.tag == "input" and attr(n, "type") != "hidden") for n in own
        ) and any(n.tag in _PARAGRAPH_TAGS for n in own)
    if date_node is None or not _within(node, date_node, DATE_CLIMB):
        return False
    return any(n.tag in _PARAGRAPH_TAGS for n in own_elements(node, children))


def _author_from_text(text: str) -> str | None:
    for pattern in _META_AUTHOR:
        m = pattern.search(text)
        if m:
            name = clean_author(m.group("a"))
            if name and len(name) <= MAX_AUTHOR and parse_date(name) is None:
                return name
    return None


def _plausible_author(text: str) -> bool:
    if not name_sized(text):
        return False
    if _CONTROL_WORDS.match(text) or parse_date(text) is not None:
        return False
    return not _COMMENTISH.fullmatch(text)


def _author_link(doc: Document, node: Node) -> str | None:
    link = node if node.tag == "a" else node.css_first("a[href]")
    return clean_url(doc, attr(link, "href")) if link is not None else None


def _own_author(
    doc: Document, own: list[Node], date_node: Node | None, meta: Node | None, hints: set[int]
) -> tuple[str | None, str | None, Node | None]:
    """Author name, URL and node: meta-line wording, author-ish classes, then the first
    short emphasised name or link before the date."""
    if meta is not None:
        name = _author_from_text(node_text(meta))
        if name:
            link = next((a for a in meta.css("a[href]") if node_text(a) == name), None)
            return name, _author_link(doc, link) if link is not None else None, None
    for node in (n for n in own if n.mem_id in hints):
        text = _shown_name(node, date_node)
        if _plausible_author(text):
            return text, _author_link(doc, node), node
    passed = False  # the date's element, then elements inside it, may still name the author
    for node in own:
        if date_node is not None and node.mem_id == date_node.mem_id:
            passed = True
            continue
        if passed and date_node is not None and not is_ancestor(date_node, node):
            break
        if node.tag not in _AUTHOR_TAGS:
            continue
        href = attr(node, "href") or ""
        if href.startswith("#") or "#comment" in href:
            continue
        text = _shown_name(node, date_node)
        if _plausible_author(text):
            return text, _author_link(doc, node), node
    return None, None, None


def _shown_name(node: Node, date_node: Node | None) -> str:
    """The node's text as a name, without the date when the node holds it: a heading or a
    ``cite`` holding the name and the date, "Frank <small>date</small>". An author marked up
    as a schema.org Person gives its ``name`` property."""
    if "author" in (attr(node, "itemprop") or "").split():
        named = node.css_first("[itemprop=name]")
        name = clean_author(attr(named, "content") or node_text(named)) if named else None
        if name:
            return name
    skip = [date_node] if date_node is not None and _within(node, date_node, 6) else []
    lines = block_text(node, skip_nodes=skip).split("\n")
    if len(lines) > 1:  # a box of lines (badge, name, bio, fan count): the name is the line
        # that is a link (to the profile), else the first
        linked = {node_text(a) for a in node.css("a[href]")}
        for line in (*(line for line in lines if line in linked), lines[0]):
            name = clean_author(line) or ""
            if _plausible_author(name):
                return name
    return clean_author(" ".join(lines)) or ""


def _subject(own: list[Node], skip: set[int]) -> Node | None:
    for node in own:
        if node.tag not in _HEADINGS or node.mem_id in skip:
            continue
        text = node_text(node)
        if text and len(text) <= 200 and not _COMMENT_HEADER.match(text):
            return node
    return None


@dataclass(slots=True)
class _Read:
    draft: Draft
    has_author: bool
    has_date: bool
    link_share: float
    comment_paths: list[str]  # paths of links to "#comment…" anchors in the block
    says: bool
    teaser: bool  # headed by a link to another page: a news list's item, not a comment
    declared: bool  # marked up as a schema.org Comment


def _elsewhere(doc: Document, href: str | None) -> bool:
    """True when the link leads to another page than this one, and not to a comment (a
    comment's subject may link to its permalink, ``/comment/7#comment-7``)."""
    href = (href or "").strip()
    if _FRAGMENT_ID.search(href) or "/comment" in href.lower():
        return False
    found = leads_elsewhere(doc, href)
    if found is None:  # the page's URL unknown: a link with a path of its own leads elsewhere
        return bool(thread_path(href))
    return found


def _in_link(node: Node) -> bool:
    """True when the block is a link or sits inside one: a teaser, never a comment."""
    return any(n.tag == "a" and attr(n, "href") for n in (node, *near_ancestors(node, DATE_CLIMB)))


_PROFILE_LINK = re.compile(
    # a segment of its own: "/people/ann", "user_home.jsp", "/u/ann"; not a slug's word
    # ("/users-guide-to-trams", "…-u-turn")
    r"(?:^|[/?&._])(?:users?|members?|profiles?|people|authors?|usuario|benutzer|nutzer)"
    r"(?:[/?&=._]|$)|userid=|(?:^|/)u/",
    re.IGNORECASE,
)


def _teaser(doc: Document, own: list[Node]) -> bool:
    """True when a heading of the block links to another page (related posts, news lists);
    a link to a user's profile (a commenter's name in a heading) does not count."""
    return any(
        _elsewhere(doc, href) and not _PROFILE_LINK.search(href or "")
        for node in own
        if node.tag in _HEADINGS
        for a in node.css("a[href]")
        if (href := attr(a, "href")) is not None
    )


def _script_link(href: str | None) -> bool:
    """A ``javascript:`` pseudo-link: a control, or text made clickable, never a link away."""
    return (href or "").lstrip()[:11].lower() == "javascript:"


def _embedded(node: Node, own: list[Node]) -> list[Node]:
    """Copies of other comments inside the block (see ``_copy_of_item``): not this comment's
    text. A box that holds all of the block's text is the comment itself, not a copy."""
    shape = _item_shape(node)
    if not shape[1]:
        return []
    found: list[Node] = []
    inside: set[int] = set()
    for n in own:
        if n.parent is not None and n.parent.mem_id in inside:
            inside.add(n.mem_id)
        elif n.tag in _EMBED_TAGS and _copy_of_item(_item_shape(n), shape):
            found.append(n)
            inside.add(n.mem_id)
    if found and not block_text(node, None, found).strip():
        return []
    return found


def _read_block(doc: Document, block: _Block, children: list[Node], matches: _Matches) -> _Read:
    node = block.node
    own = _own_region(block, children)
    embedded = _embedded(node, own)
    quoted: str | None = None  # the id of the one comment the block quotes: its parent
    if embedded:
        children = [*children, *embedded]
        own = _own_region(block, children)
        quoted = _data_id(embedded[0]) if len(embedded) == 1 else None
    date_node, posted_at = _own_date(doc, block, own)
    controls = [
        n for n in own if n.mem_id in matches.skip and not _holds_comment(n, date_node, children)
    ]
    meta = None
    if date_node is not None:  # a pair's dt holding the date in its own text is the meta line
        own_line = date_node.mem_id == node.mem_id
        meta = date_node if own_line else _meta_block(node, date_node, children, controls)
    author, author_url, author_node = _own_author(doc, own, date_node, meta, matches.author)
    # the comment's own permalink showing only its number ("#1") is not part of the text
    permalinks = [
        n
        for n in own
        if n.tag == "a"
        and _MARKER.match(attr(n, "id") or attr(n, "name") or "")
        and not _has_content(n)
    ]
    skip = [*children, *controls, *permalinks]
    if meta is not None:
        skip.append(meta)
    if author_node is not None:  # with the line it heads (a badge, a place, a fan count)
        skip.append(_meta_block(node, author_node, children, controls))
    subject_node = _subject(own, {n.mem_id for n in skip})
    if subject_node is not None:
        skip.append(subject_node)
    text = clean_comment_text(_block_text(block, skip))
    if author and text.startswith(author):
        text = clean_comment_text(text[len(author) :].lstrip(" :,"))
    subject = node_text(subject_node) if subject_node is not None else None
    own_text = _block_text(block, children)
    if _in_link(node):  # all of the block is link text
        link_text = len(own_text)
    else:
        link_text = sum(
            len(node_text(a))
            for a in own
            if a.tag == "a"
            and attr(a, "href")
            and not _script_link(attr(a, "href"))
            and (author_node is None or a.mem_id != author_node.mem_id)
        )
    native_id = block.key or _native_id(node)
    comment_paths = []
    for a in own:
        href = attr(a, "href") if a.tag == "a" else None
        fragment = _FRAGMENT_ID.search(href or "")
        if href and fragment and fragment.group(1) != native_id:
            comment_paths.append(thread_path(href))
    return _Read(
        draft=Draft(
            text=with_subject(subject, text),
            author=author,
            author_url=author_url,
            posted_at=posted_at,
            native_id=native_id,
            parent_key=quoted if quoted != native_id else None,
        ),
        has_author=author is not None,
        has_date=date_node is not None,
        link_share=link_text / max(len(own_text), 1),
        comment_paths=comment_paths,
        says=bool(_SAYS.search(own_text[:300])),
        teaser=_teaser(doc, own),
        declared=_declared_comment(node),
    )


def _declared_comment(node: Node) -> bool:
    """True when the block is marked up as a schema.org Comment (microdata)."""
    itemtype = (attr(node, "itemtype") or "").lower()
    return "comment" in (attr(node, "itemprop") or "").lower().split() or itemtype.endswith(
        ("/comment", "/usercomments")
    )


def _native_id(node: Node) -> str | None:
    """The comment's id: a comment anchor's number on the block, the wrappers it sits alone
    in or its first element; else a bare number the block or a wrapper has as its id (a
    table row per comment, ``tr id="4213"``)."""
    frame = wrappers(node)
    first = _first_element(node)
    for candidate in (*frame, *([first] if first is not None else [])):
        m = _MARKER.match(attr(candidate, "id") or attr(candidate, "name") or "")
        if m:
            return _marker_id(m)
    for candidate in frame:
        ident = attr(candidate, "id") or ""
        if ident.isdigit() and len(ident) <= 20:
            return ident
    return _data_id(node)


_DATA_IDS = ("data-comment-id", "data-commentid", "data-cid", "data-id")
# A comment's "fullname" on Reddit's pages (``data-fullname="t1_kq3"``): its API id after t1_
_FULLNAME = re.compile(r"^t1_([0-9a-z]{1,16})$")


def _data_id(node: Node) -> str | None:
    """A numeric comment id a script reads from the block (``li data-id="17086192"``), or a
    comment's Reddit fullname (the id its API gives, so a thread read from the page and
    from the API's JSON has the same comments)."""
    for name in _DATA_IDS:
        value = attr(node, name) or ""
        if value.isdigit() and len(value) <= 20:
            return value
    fullname = _FULLNAME.match(attr(node, "data-fullname") or "")
    return fullname.group(1) if fullname else None


# --- judging a group --------------------------------------------------------------------------


def _common_ancestor(nodes: list[Node]) -> Node | None:
    if not nodes:
        return None
    chain: list[Node] = []
    current: Node | None = nodes[0].parent
    while current is not None:
        chain.append(current)
        current = current.parent
    position = {n.mem_id: i for i, n in enumerate(chain)}
    best = 0
    for node in nodes[1:]:
        current = node.parent
        while current is not None and current.mem_id not in position:
            current = current.parent
        if current is None:
            return None
        best = max(best, position[current.mem_id])
    return chain[best] if chain else None


def _comment_context(container: Node | None, reads: list[_Read], first: Node | None) -> bool:
    """True when something around the group says these are comments: the container, its
    ancestors or what stands before them; or what stands before the first block in the
    container (the list's title and controls written beside its items)."""
    if sum(r.says for r in reads) * 2 >= len(reads):
        return True
    if sum(r.declared for r in reads) * 2 >= len(reads):
        return True
    lead = first
    for _ in range(DATE_CLIMB):
        if lead is None or container is None or lead.parent is None:
            break
        if lead.parent.mem_id == container.mem_id:
            if _names_comments_before(lead, headers=False):
                return True
            break
        lead = lead.parent
    current = container
    hops = 0
    while current is not None and current.tag not in ("body", "html") and hops < 8:
        if _COMMENTISH.search(_tokens(current)) or _names_comments_before(current):
            return True
        for child in list(current.iter(include_text=False))[:4]:
            if child.tag in _HEADINGS and _COMMENT_HEADER.match(node_text(child)):
                return True
        current = current.parent
        hops += 1
    return False


def _names_comments_before(node: Node, *, headers: bool = True) -> bool:
    """A few elements before the node name themselves comments with little text, or (with
    ``headers``) hold a comment heading."""
    for sibling in islice(preceding_siblings(node), 6):
        text = sibling.text(deep=True, separator=" ")
        if headers and len(text) < 200 and _COMMENT_HEADER.match(" ".join(text.split())):
            return True
        if _COMMENTISH.search(_tokens(sibling)) and len(text) < 300:
            return True
    return False


def _points_elsewhere(doc: Document, reads: list[_Read]) -> bool:
    """True when most blocks link to comments on other pages (a "recent comments" list).
    The page's own path comes from its URL, else it is the path most links share."""
    url = page_url(doc)
    own_path = thread_path(url) if url else None
    if own_path is None:
        counts = Counter(p for r in reads for p in set(r.comment_paths) if p)
        own_path = counts.most_common(1)[0][0] if counts else ""
    foreign = sum(1 for r in reads if any(p and p != own_path for p in r.comment_paths))
    return foreign * 2 >= len(reads)


def _accept(
    doc: Document,
    reads: list[_Read],
    by_marker: bool,
    container: Node | None,
    first: Node | None,
) -> bool:
    """Whether the group is reader comments. Blocks named by comment anchors (``by_marker``)
    need authors or dates (a lone one, a date); blocks found by their dates need authors and
    something around them saying "comments" (``_build`` judges blocks named only by ambiguous
    anchors so too)."""
    n = len(reads)
    if not n or sum(any(ch.isalpha() for ch in r.draft.text) for r in reads) * 2 < n:
        return False  # most blocks must say something in words ("(4)" is a count, not text)
    if _points_elsewhere(doc, reads):
        return False
    shares = sorted(r.link_share for r in reads)
    if shares[n // 2] > 0.6:
        return False  # teasers, menus: mostly links
    if sum(r.teaser for r in reads) * 2 > n:
        return False  # headlines linking to other pages: a news list
    authors = sum(r.has_author for r in reads)
    dates = sum(r.has_date for r in reads)
    if by_marker and n == 1 and not dates:
        return False  # one undated box with a comment-like id: a container or a prompt
    if by_marker:
        return (authors + dates) * 2 >= 2 * n * 0.75 and (authors * 2 >= n or dates * 2 >= n)
    if authors * 2 < n:
        return False
    return _comment_context(container, reads, first)


def _build(doc: Document, blocks: list[_Block], by_marker: bool) -> Extraction | None:
    if not blocks:
        return None
    parents = _thread_parents([b.node for b in blocks])
    # Page chrome: a top-level block in a sidebar/nav/widget takes its replies with it.
    dropped: set[int] = set()
    cache: dict[int, int] = {}
    for i, (block, parent) in enumerate(zip(blocks, parents, strict=True)):
        if (parent is None and _excluded(block.node, cache)) or (
            parent is not None and parent in dropped
        ):
            dropped.add(i)
    if dropped:
        blocks = [b for i, b in enumerate(blocks) if i not in dropped]
        parents = _thread_parents([b.node for b in blocks])
    matches = _Matches.of(doc)
    declared = [_declared_comment(b.node) for b in blocks]
    opening: str | None = None  # the text of a forum topic's opening post
    if any(declared) and not all(declared):
        # The page marks some blocks up as schema.org Comments and not the others: only the
        # declared are comments. One undeclared block before them all, holding no reply, is
        # the topic's opening post: the article.
        if declared.count(False) == 1 and not declared[0] and 0 not in parents:
            opening = _read_block(doc, blocks[0], [], matches).draft.text or None
        blocks = [b for b, is_comment in zip(blocks, declared, strict=True) if is_comment]
        parents = _thread_parents([b.node for b in blocks])
    if not blocks or (not by_marker and not any(declared) and len(blocks) < 2):
        return None
    nodes = [b.node for b in blocks]
    children = children_of(parents, nodes)
    reads = [_read_block(doc, block, children[i], matches) for i, block in enumerate(blocks)]
    top = [n for n, p in zip(nodes, parents, strict=True) if p is None]
    container = _common_ancestor(top) if len(top) > 1 else (top[0].parent if top else None)
    # blocks named only by ambiguous anchors are judged like blocks found by their dates
    trusted = by_marker and not all(b.weak for b in blocks)
    # What stands before the first of several top-level blocks may be the list's title.
    if not _accept(doc, reads, trusted, container, top[0] if len(top) > 1 else None):
        return None
    # Every block at one level of the markup: replies may still be shown by indentation.
    depths = shown_depths(nodes) if all(p is None for p in parents) else None
    drafts = []
    for i, (read, parent) in enumerate(zip(reads, parents, strict=True)):
        read.draft.parent = parent
        if depths is not None:
            read.draft.depth = depths[i]
        drafts.append(read.draft)
    return Extraction(
        build_comments(drafts),
        # A container holding the article's heading holds the article too (a page that sets
        # both side by side in one box): the comments have no section of their own.
        section=container if container is None or container.css_first("h1") is None else None,
        notes=["comments found by page structure (no layout profile matched)"],
        article_text=opening,
    )


def extract(doc: Document) -> Extraction | None:
    markers = _marker_blocks(doc)
    if markers:
        found = _build(doc, markers, by_marker=True)
        if found is not None:
            return found
    for group in _date_groups(doc):
        found = _build(doc, group, by_marker=False)
        if found is not None:
            return found
    return None
