"""Node helpers: attributes, classes, and text as a reader sees it.

Every walk here is iterative (explicit stack): reply chains can be thousands of levels deep.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from transforms.parse.html.document import Document, Node
from transforms.parse.vocabulary import REPLY_WORDS, SAYS_VERBS, either

# Elements that start a new paragraph in extracted text.
BLOCK_TAGS = frozenset(
    "p div blockquote li ul ol dl dt dd h1 h2 h3 h4 h5 h6 pre table tr thead tbody tfoot "
    "section article header footer aside nav figure figcaption hr address main form "
    "fieldset details summary center".split()
)
# Never part of anybody's text.
INVISIBLE_TAGS = frozenset(
    "script style noscript template svg button select option textarea input iframe object "
    "embed canvas audio video map head title meta link img picture source".split()
)
# What a comment's OWN text never includes: nested replies, reply/edit links, avatars,
# author and date lines, share widgets, rating widgets. Profiles add their own.
COMMENT_SKIP = (
    "ul.children, ol.children, div.children, .comment-children, .replies, "
    ".comment-reply, .comment-reply-link, .reply, .comment-reply-login, .reply-link, "
    ".comment-edit-link, .edit-link, .comment-meta, .commentmetadata, .comment-metadata, "
    ".comment-author, .vcard, .avatar, .says, .comment-awaiting-moderation, "
    ".comment-like, .comment-likes, .sharedaddy, .comment-actions, .comment-footer, "
    # script links with no target are controls (reply, like); a script link around the text
    # itself (javascript:replyFloor(…): click the comment to answer it) is the comment
    "[itemprop=author], .comment-number, a[href^='javascript:void'], a[href='javascript:;'], "
    "a[href='javascript:']"
)

_SKIP_GROUPS: dict[str | None, str] = {}  # profile chrome selector -> COMMENT_SKIP + it
_WS = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_INVISIBLE = ("\u00ad", "\u200c", "\u200d", "\u2060")  # soft hyphen, zero-width joiners
# Whitespace for str.split() but not in _WS, or the reverse (\n aside).
_ODD_SPACE = re.compile("[\x1c-\x1f\x85\u1680\u2028\u2029\u200b\ufeff]")
_PARA = "\x00"
_BR = "\x01"
# Lines that are controls or meta, not what the commenter wrote.
_CONTROL_LINK = (
    rf"reply|reply\s*↓|{either(REPLY_WORDS)}|"
    r"report|melden|signaler|edit|bearbeiten|modifier|like|gefällt mir|"
    r"j'aime|permalink|link|quote|zitieren|citer|share(?: it)?|teilen|partager|history|"
    # a threaded comment's links to itself and the one it answers (LiveJournal, Slashdot)
    r"thread|parent|flag|expand|collapse"
)
_CONTROL_SEP = r"(?:\s*[|·•]\s*|\s+)"  # shown between controls, or nothing but spaces
_BOILERPLATE_LINE = re.compile(
    # controls, alone or in a row ("Permalink | Share it", "Reply Thread Parent"), after a
    # like count ("137 | Reply")
    rf"^(?:(?:\d+\s*[|·•]\s*)?(?:{_CONTROL_LINK})(?:{_CONTROL_SEP}(?:{_CONTROL_LINK}))*\s*[|·•]?|"
    rf"{either(SAYS_VERBS)}\s*:?|"
    r"your comment is awaiting moderation\.?|dein kommentar muss noch freigegeben werden\.?|"
    r"ihr kommentar muss noch freigegeben werden\.?|"
    r"votre commentaire est en attente de modération\.?|"
    r"[↓↑#|·•:–—-]+|\d+ (?:likes?|votes?))$",
    re.IGNORECASE,
)
_LEADING_SAYS = re.compile(rf"^{either(SAYS_VERBS)}\s*:\s*", re.IGNORECASE)


def attr(node: Node | None, name: str) -> str | None:
    """The attribute's value, stripped; None when missing or blank."""
    if node is None:
        return None
    value = node.attributes.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def classes(node: Node | None) -> list[str]:
    """The node's classes, in order."""
    value = attr(node, "class")
    return value.split() if value else []


def has_class(node: Node | None, *names: str) -> bool:
    """True when the node has any of the classes."""
    value = attr(node, "class")
    if not value:
        return False
    found = value.split()
    return any(n in found for n in names)


def class_startswith(node: Node | None, prefix: str) -> str | None:
    """The first class of the node starting with ``prefix`` (e.g. ``depth-``), or None."""
    for c in classes(node):
        if c.startswith(prefix):
            return c
    return None


def normalise_space(text: str) -> str:
    """Whitespace runs collapsed to one space, stripped."""
    return " ".join(text.split())


def node_text(node: Node | None) -> str:
    """The node's visible text on one line, whitespace normalised ('' for None)."""
    if node is None:
        return ""
    return normalise_space(block_text(node).replace("\n", " "))


def is_ancestor(ancestor: Node, node: Node) -> bool:
    """True when ``ancestor`` contains ``node`` (or is it)."""
    target = ancestor.mem_id
    current: Node | None = node
    while current is not None:
        if current.mem_id == target:
            return True
        current = current.parent
    return False


def fold_ancestors(
    start: Node | None, stop: Callable[[Node], bool], cache: dict[int, int],
    step: Callable[[int, Node], int],
) -> int:  # fmt: skip
    """``step`` folded top-down over ``start`` and its ancestors below the first for which
    ``stop`` is true (0 above it), each node's value kept in ``cache``: the walk ends at the
    first ancestor already known, so asking for every node of a deep thread stays linear."""
    path: list[Node] = []
    current = start
    value = 0
    while current is not None and not stop(current):
        known = cache.get(current.mem_id)
        if known is not None:
            value = known
            break
        path.append(current)
        current = current.parent
    for node in reversed(path):
        value = cache[node.mem_id] = step(value, node)
    return value


def near_ancestors(node: Node, levels: int) -> Iterator[Node]:
    """The node's ``levels`` nearest ancestors, nearest first (bounded: cheap however deep the
    tree, for checks asked once per comment of a 5,000-deep thread)."""
    current = node.parent
    for _ in range(levels):
        if current is None:
            return
        yield current
        current = current.parent


def inside_any(node: Node, ids: set[int]) -> bool:
    """True when the node or one of its ancestors has a ``mem_id`` in ``ids``."""
    current: Node | None = node
    while current is not None:
        if current.mem_id in ids:
            return True
        current = current.parent
    return False


def element_children(node: Node) -> Iterator[Node]:
    """The element children of the node (no text or comment nodes)."""
    return node.iter(include_text=False)


def following_siblings(node: Node) -> Iterator[Node]:
    """The element siblings after the node, in order."""
    current = node.next
    while current is not None:
        if current.tag and not current.tag.startswith("-"):
            yield current
        current = current.next


def next_element(node: Node) -> Node | None:
    """The node's next sibling that is an element (text and comment nodes skipped), or None."""
    return next(following_siblings(node), None)


def preceding_siblings(node: Node) -> Iterator[Node]:
    """The element siblings before the node, nearest first."""
    current = node.prev
    while current is not None:
        if current.tag and not current.tag.startswith("-"):
            yield current
        current = current.prev


def previous_element(node: Node) -> Node | None:
    """The node's previous sibling that is an element (text and comment nodes skipped), or
    None."""
    return next(preceding_siblings(node), None)


def skip_ids(
    root: Node,
    skip: str | None,
    scopes: Iterable[Node] | None = None,
    doc: Document | None = None,
) -> set[int]:
    """``mem_id`` of the descendants of ``root`` (or of ``scopes``) matching the CSS ``skip``
    (root excluded). With ``doc``, the query runs once per page instead of once per call."""
    if not skip:
        return set()
    root_id = root.mem_id
    if doc is not None:
        return {
            n.mem_id
            for scope in (scopes or (root,))
            for n in doc.all_in(scope, skip)
            if n.mem_id != root_id
        }
    return {
        n.mem_id for scope in (scopes or (root,)) for n in scope.css(skip) if n.mem_id != root_id
    }


_EMOTICON_CLASS = re.compile(r"emoji|smiley|smilie|emoticon", re.IGNORECASE)
EMOTICON_MAX = 24  # an emoticon's alt text is a symbol or a short code ("[good]", ":-)")


def emoticon(img: Node) -> str:
    """What an emoji or smiley image stands for: its ``alt`` text (WordPress turns ":-)" and
    emoji into images styled ``wp-smiley``/``emoji``; comment widgets do the same). Other
    images (avatars, photos) say nothing in a comment's text."""
    attributes = img.attributes
    alt = attributes.get("alt")
    if not alt or len(alt) > EMOTICON_MAX:
        return ""
    if _EMOTICON_CLASS.search(attributes.get("class") or ""):
        return alt.strip()
    return ""


def block_text(
    node: Node,
    skip: str | None = None,
    skip_nodes: Iterable[Node] = (),
    scopes: Iterable[Node] | None = None,
    *,
    doc: Document | None = None,
) -> str:
    """The node's text as paragraphs: blocks (and ``<br><br>``) separated by a blank line, one
    ``<br>`` as a newline, whitespace normalised within lines. Subtrees matching the CSS
    ``skip`` (or listed in ``skip_nodes``) are left out. ``scopes`` limits where ``skip`` is
    searched (default: the whole node) - pass the node's own parts when ``skip_nodes`` already
    cuts off big subtrees such as nested replies. ``doc`` (the node's page) makes the ``skip``
    query run once per page. Iterative: safe on arbitrarily deep trees."""
    skipped = {n.mem_id for n in skip_nodes}
    page_skip: frozenset[int] = frozenset()  # page-wide matches of ``skip`` (root excepted)
    compiled = None  # or ``skip`` tested on each visited element (root excepted)
    if doc is not None and skip and scopes is None:
        compiled = doc.matcher(skip)
        if compiled is None:
            page_skip = doc.ids(skip)
    else:
        skipped.update(skip_ids(node, skip, scopes, doc))
    root_id = node.mem_id
    parts: list[str] = []
    add = parts.append
    # Stack of nodes to visit; None marks the end of a block element.
    stack: list[Node | None] = [node]
    pop, push = stack.pop, stack.append
    while stack:
        current = pop()
        if current is None:
            add(_PARA)
            continue
        tag = current.tag
        if tag == "-text":
            add(current.text_content or "")
            continue
        if tag is None or tag[0] == "-":
            continue
        if tag == "br":
            add(_BR)
            continue
        if tag in INVISIBLE_TAGS:
            if tag == "img":
                add(emoticon(current))
            continue
        mid = current.mem_id
        if mid in skipped or (
            mid != root_id and (mid in page_skip or (compiled is not None and compiled(current)))
        ):
            continue
        children = list(current.iter(include_text=True))
        if tag in BLOCK_TAGS:
            add(_PARA)
            push(None)
        if children:
            children.reverse()
            stack.extend(children)
    return _assemble("".join(parts))


def _has_odd_space(text: str) -> bool:
    if text.isascii():
        return "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text
    return _ODD_SPACE.search(text) is not None


def _assemble(raw: str) -> str:
    for char in _INVISIBLE:
        if char in raw:
            raw = raw.replace(char, "")
    raw = raw.replace("\n", " ")
    # str.split() collapses the same whitespace as _WS (and much faster than the regex) unless
    # the text holds one of the few characters on which the two disagree.
    odd = _has_odd_space(raw)
    if not odd and _BR not in raw:  # one line per block: the common case, done in one go
        return "\n\n".join(p for b in raw.split(_PARA) if (p := " ".join(b.split())))
    paragraphs: list[str] = []
    for block in raw.split(_PARA):
        if odd:
            lines = [_WS.sub(" ", line).strip() for line in block.split(_BR)]
        else:
            lines = [" ".join(line.split()) for line in block.split(_BR)]
        # One <br> is a line break; two or more in a row (an empty line between them) end a
        # paragraph. Leading and trailing empty lines are dropped.
        kept: list[str] = []
        for line in lines:
            if line:
                kept.append(line)
            elif kept:
                paragraphs.append("\n".join(kept))
                kept = []
        if kept:
            paragraphs.append("\n".join(kept))
    return "\n\n".join(paragraphs)


def clean_comment_text(text: str) -> str:
    """Comment text without control/meta lines ("Reply", "Antworten", "says:", moderation
    notices) at its start or end."""
    paragraphs = text.split("\n\n")
    lines = [line for p in paragraphs for line in ([*p.split("\n"), _PARA])]
    # Strip boilerplate lines from both ends only: inside the text they may be real words.
    while lines and (lines[0] == _PARA or _BOILERPLATE_LINE.match(lines[0])):
        lines.pop(0)
    while lines and (lines[-1] == _PARA or _BOILERPLATE_LINE.match(lines[-1])):
        lines.pop()
    if lines:
        lines[0] = _LEADING_SAYS.sub("", lines[0])
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        if line == _PARA:
            if current:
                out.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        out.append("\n".join(current))
    return "\n\n".join(p for p in out if p.strip())


def comment_text(
    node: Node,
    skip: str | None = None,
    skip_nodes: Iterable[Node] = (),
    scopes: Iterable[Node] | None = None,
    *,
    doc: Document | None = None,
) -> str:
    """A comment's OWN text from its body node: not its replies, reply links, avatars,
    author/date meta or "says:". ``skip`` adds CSS for layout-specific chrome; ``skip_nodes``,
    ``scopes`` and ``doc`` as in ``block_text``."""
    selector = _SKIP_GROUPS.get(skip) if skip else COMMENT_SKIP
    if selector is None:
        selector = _SKIP_GROUPS[skip] = f"{COMMENT_SKIP}, {skip}"
    text = block_text(node, selector, skip_nodes, scopes, doc=doc)
    # block_text's lines are non-empty and stripped: when neither end is a control line,
    # clean_comment_text would give the text back unchanged.
    first = text.partition("\n")[0]
    last = text.rpartition("\n")[2]
    if (
        text
        and not _BOILERPLATE_LINE.match(first)
        and not _BOILERPLATE_LINE.match(last)
        and not _LEADING_SAYS.match(first)
    ):
        return text
    return clean_comment_text(text)
