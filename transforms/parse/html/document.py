"""One HTML page parsed once: the Lexbor tree plus what every profile needs to know about it."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape

from selectolax.lexbor import LexborHTMLParser, LexborNode

from transforms.identity import unwrap_archive_url
from transforms.parse.dates import parse_date
from transforms.parse.encoding import decode_bytes
from transforms.records import RawPage

Node = LexborNode

# Simple selectors matched in Python: ``tag``, ``.class``, ``#id``, ``[attr]``, ``[attr=v]``,
# ``[attr^=v]``, ``[attr*=v]``, ``[attr$=v]`` compounds, comma-separated, no combinators.
_SIMPLE_PART = re.compile(
    r"""\.(?P<cls>[\w-]+)|\#(?P<id>[\w-]+)|"""
    r"""\[(?P<attr>[\w-]+)(?:(?P<op>[\^*$]?=)(?:'(?P<sq>[^']*)'|"(?P<dq>[^"]*)"|(?P<bare>-?[_a-zA-Z][\w-]*)))?\]"""
)
_SIMPLE_TAG = re.compile(r"[a-z][a-z0-9]*")
_HTML_SPACE = re.compile(r"[ \t\n\f\r]+")
# One compound: (tag or None, classes, ids, (attribute, operator or "", value) conditions).
_Compound = tuple[str | None, tuple[str, ...], tuple[str, ...], tuple[tuple[str, str, str], ...]]


def _compile_simple(query: str) -> list[_Compound] | None:
    """The query as simple compounds, or None when it uses anything else."""
    compounds: list[_Compound] = []
    for raw in query.split(","):
        text = raw.strip()
        m = _SIMPLE_TAG.match(text)
        tag = m.group(0) if m else None
        pos = m.end() if m else 0
        classes: list[str] = []
        ids: list[str] = []
        attrs: list[tuple[str, str, str]] = []
        while pos < len(text):
            part = _SIMPLE_PART.match(text, pos)
            if part is None:
                break
            if part.group("cls"):
                classes.append(part.group("cls"))
            elif part.group("id"):
                ids.append(part.group("id"))
            else:
                value = part.group("sq") or part.group("dq") or part.group("bare") or ""
                attrs.append((part.group("attr").lower(), part.group("op") or "", value))
            pos = part.end()
        if not text or pos < len(text) or not (tag or classes or ids or attrs):
            return None
        compounds.append((tag, tuple(classes), tuple(ids), tuple(attrs)))
    return compounds


class Matcher:
    """A compiled simple-selector group, indexed by class so that an element is only tested
    against the compounds its classes (or no class at all) could satisfy."""

    __slots__ = ("by_class", "unclassed")

    def __init__(self, compounds: list[_Compound]) -> None:
        self.by_class: dict[str, list[_Compound]] = {}
        self.unclassed: list[_Compound] = []
        for compound in compounds:
            classes = compound[1]
            if classes:
                self.by_class.setdefault(classes[0], []).append(compound)
            else:
                self.unclassed.append(compound)

    def __call__(self, node: Node) -> bool:
        attributes: dict[str, str | None] = node.attributes
        value = attributes.get("class")
        tokens = _HTML_SPACE.split(value) if value else []
        candidates = self.unclassed
        if tokens and self.by_class:
            hits = [c for t in tokens if (found := self.by_class.get(t)) for c in found]
            if hits:
                candidates = [*hits, *candidates]
        if not candidates:
            return False
        tag = node.tag
        for want_tag, classes, ids, conditions in candidates:
            if want_tag is not None and want_tag != tag:
                continue
            if len(classes) > 1 and not all(c in tokens for c in classes):
                continue
            if ids and not all(attributes.get("id") == i for i in ids):
                continue
            if all(_attribute_ok(attributes, *condition) for condition in conditions):
                return True
        return False


def _attribute_ok(attributes: dict[str, str | None], name: str, op: str, want: str) -> bool:
    if name not in attributes:
        return False
    if not op:
        return True
    have = attributes[name] or ""  # a valueless attribute has the value ""
    if op == "=":
        return have == want
    if not want:  # [a^=""] and friends match nothing
        return False
    if op == "^=":
        return have.startswith(want)
    if op == "*=":
        return want in have
    return have.endswith(want)


_matchers: dict[str, Matcher | None] = {}


_ASCII_SWAPCASE = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
)
LAZY_WALK = 64  # elements ``Document.iter_css`` walks in Python before asking Lexbor

# CleanEval 2007 wraps each page in <text id="URL" title="..." encoding="...">.
_CLEANEVAL = re.compile(r"""^\s*<text\s+id\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_CLEANEVAL_TITLE = re.compile(r'^\s*<text\s[^>]*?\btitle\s*=\s*"([^"]*)"', re.IGNORECASE)


@dataclass(slots=True)
class Document:
    """A parsed HTML page. Build it with ``load_document``; parse each page exactly once.

    ``url`` is the page's own address: the CleanEval wrapper's id, else ``page.url``, with
    Wayback captures unwrapped to the original URL. ``reference`` resolves relative dates: a
    Wayback capture's time (``capture_time``), else the fetch time.
    ``lower`` is the decoded HTML lower-cased, for cheap substring pre-checks in ``match``.
    """

    page: RawPage
    html: str
    tree: LexborHTMLParser
    url: str | None
    reference: datetime | None
    encoding: str
    lower: str = field(repr=False, default="")
    cache: dict[str, object] = field(default_factory=dict, repr=False)
    # Page-wide indexes, built on first use: every element in document order, its position,
    # and per selector the sorted positions of its matches.
    _order: list[Node] = field(default_factory=list, repr=False)
    _pos: dict[int, int] = field(default_factory=dict, repr=False)
    _hits: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _ids: dict[str, frozenset[int]] = field(default_factory=dict, repr=False)
    _ends: dict[int, int] = field(default_factory=dict, repr=False)

    def css(self, query: str) -> list[Node]:
        """All nodes matching ``query`` in the whole page, in document order, each once
        (Lexbor returns a node once per selector of a group that matches it)."""
        return unique(self.tree.css(query))

    # --- selector matches computed once per page ----------------------------------------
    #
    # Lexbor parses the selector on every ``css`` call (a few microseconds even on a tiny
    # node, tens for a long group). Per-comment lookups instead run the query once over the
    # page and then answer "first match inside this node" by bisecting positions: a node's
    # subtree is a contiguous range of the document order. Lexbor's ``node.css`` also
    # matches the node itself and checks combinators against ancestors outside the node,
    # which page-wide matching reproduces exactly.

    def _index(self) -> dict[int, int]:
        if not self._pos and self.tree.root is not None:
            self._order = self.tree.css("*")
            self._pos = {n.mem_id: i for i, n in enumerate(self._order)}
        return self._pos

    def quirks(self) -> bool:
        """True unless the page is surely in no-quirks mode, where Lexbor matches class and id
        selectors case-sensitively (in quirks mode it ignores their case)."""
        known = self.cache.get("quirks")
        if isinstance(known, bool):
            return known
        quirks = True
        node = self.tree.css_first("[class]")
        if node is not None:
            token = next((t for t in (node.attributes.get("class") or "").split() if t), "")
            probe = token.translate(_ASCII_SWAPCASE)  # quirks mode folds ASCII case only
            if token and probe != token and _SIMPLE_PART.fullmatch("." + probe):
                quirks = self.tree.css_first("." + probe) is not None
        self.cache["quirks"] = quirks
        return quirks

    def matcher(self, query: str) -> Matcher | None:
        """The query as a ``Matcher`` (call it on an element) when Python matching gives
        exactly Lexbor's answer on this page (simple selectors, no-quirks page), else None."""
        if query in _matchers:
            found = _matchers[query]
        else:
            compiled = _compile_simple(query)
            found = _matchers[query] = Matcher(compiled) if compiled is not None else None
        if found is None or self.quirks():
            return None
        return found

    def iter_css(self, root: Node, query: str) -> Iterator[Node]:
        """``unique(root.css(query))`` produced lazily, in document order (root included):
        a walk that stops where the caller stops, when the query can be matched in Python."""
        matcher = self.matcher(query)
        yielded: set[int] = set()
        if matcher is not None:
            stack = [root]
            budget = LAZY_WALK  # past it, Lexbor's query is cheaper than walking on in Python
            while stack and budget:
                budget -= 1
                node = stack.pop()
                if matcher(node):
                    yielded.add(node.mem_id)
                    yield node
                children = [c for c in node.iter(include_text=False) if c.tag and c.tag[0] != "-"]
                children.reverse()
                stack.extend(children)
            if not stack:
                return
        # The walk covered a prefix of the subtree in document order: the rest of Lexbor's
        # matches are the ones not yielded yet.
        for node in unique(root.css(query)):
            if node.mem_id not in yielded:
                yield node

    def ids(self, query: str) -> frozenset[int]:
        """``mem_id`` of every element of the page matching ``query`` (computed once)."""
        found = self._ids.get(query)
        if found is None:
            order = self._order if self._index() else []
            found = frozenset(order[p].mem_id for p in self._positions(query))
            self._ids[query] = found
        return found

    def _positions(self, query: str) -> list[int]:
        hits = self._hits.get(query)
        if hits is None:
            pos = self._index()
            hits = sorted({p for n in self.tree.css(query) if (p := pos.get(n.mem_id)) is not None})
            self._hits[query] = hits
        return hits

    def _end(self, node: Node, start: int) -> int:
        """The document position just after the node's subtree (remembered: the same scopes
        are asked for selector after selector)."""
        end = self._ends.get(start)
        if end is None:
            end = self._ends[start] = self._walk_end(node)
        return end

    def _walk_end(self, node: Node) -> int:
        pos = self._pos
        current: Node | None = node
        while current is not None:
            sibling = current.next
            while sibling is not None:
                found = pos.get(sibling.mem_id)
                if found is not None:
                    return found
                sibling = sibling.next
            current = current.parent
        return len(self._order)

    def first_in(self, scopes: Iterable[Node], query: str) -> Node | None:
        """The first match of ``query`` in the first scope that has one (the scope itself
        included): ``scope.css_first(query)`` for each scope in turn, without re-running the
        query per scope."""
        hits = self._hits.get(query)
        if hits is None:
            hits = self._positions(query)
        if not hits:
            return None
        pos = self._pos
        for scope in scopes:
            start = pos.get(scope.mem_id)
            if start is None:  # not in the page's tree (a template's content)
                found = scope.css_first(query)
                if found is not None:
                    return found
                continue
            i = bisect_left(hits, start)
            if i < len(hits) and hits[i] < self._end(scope, start):
                return self._order[hits[i]]
        return None

    def all_in(self, scope: Node, query: str) -> list[Node]:
        """Every match of ``query`` in the node's subtree (itself included), in document
        order, each once: ``unique(scope.css(query))`` from the page-wide matches."""
        pos = self._index()
        start = pos.get(scope.mem_id)
        if start is None:
            return unique(scope.css(query))
        hits = self._positions(query)
        i = bisect_left(hits, start)
        if i == len(hits):
            return []
        end = self._end(scope, start)
        j = bisect_left(hits, end, lo=i)
        order = self._order
        return [order[p] for p in hits[i:j]]

    def css_first(self, query: str) -> Node | None:
        return self.tree.css_first(query)

    def head_first(self, query: str, tag: str) -> Node | None:
        """``css_first(query)`` for a query that only matches ``tag`` elements (``meta``,
        ``link``, ...): looked up in the small ``<head>`` when every such element is there
        (the head comes first in document order), else in the whole page."""
        head = self.tree.head
        if head is None:
            return self.tree.css_first(query)
        found = head.css_first(query)
        if found is not None:
            return found
        key = f"outside-head:{tag}"
        outside = self.cache.get(key)
        if outside is None:
            outside = len(self.tree.css(tag)) > len(head.css(tag))
            self.cache[key] = outside
        return self.tree.css_first(query) if outside else None

    def contains(self, *needles: str) -> bool:
        """True when any needle (lower-case) occurs in the raw HTML: a cheap pre-filter."""
        return any(n in self.lower for n in needles)


def unique(nodes: list[Node]) -> list[Node]:
    """The nodes without repeats, first occurrence kept."""
    seen: set[int] = set()
    out: list[Node] = []
    for node in nodes:
        mid = node.mem_id
        if mid not in seen:
            seen.add(mid)
            out.append(node)
    return out


def cleaneval_url(html: str) -> str | None:
    """The URL a CleanEval ``<text id="URL">`` wrapper declares, or None."""
    m = _CLEANEVAL.match(html[:2000])
    return unescape(m.group(1)).strip() if m else None


def cleaneval_title(html: str) -> str | None:
    """The page title a CleanEval ``<text ... title="...">`` wrapper declares, or None."""
    m = _CLEANEVAL_TITLE.match(html[:2000])
    if not m:
        return None
    return " ".join(unescape(m.group(1)).split()) or None


# The Wayback Machine's note at the end of a capture ("FILE ARCHIVED ON 10:12:29 Mar 30,
# 2016"), and the timestamp in its URLs.
_ARCHIVED_ON = re.compile(
    r"FILE ARCHIVED ON (?P<clock>\d{1,2}:\d{2}:\d{2}) (?P<day>[A-Z][a-z]{2} \d{1,2}, \d{4})"
)
_CAPTURE_STAMP = re.compile(r"^https?://web\.archive\.org/web/(\d{14})", re.IGNORECASE)


def capture_time(html: str, url: str | None) -> datetime | None:
    """When a Wayback Machine capture was taken (its URL's timestamp, else the note the
    archive appends to the page), UTC; None for any other page. A capture's relative dates
    ("2 days ago") count back from it, not from when the capture was fetched or saved."""
    m = _CAPTURE_STAMP.match(url or "")
    if m:
        try:
            return datetime.strptime(m.group(1), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            return None
    note = _ARCHIVED_ON.search(html, max(len(html) - 5000, 0))
    return parse_date(f"{note['day']} {note['clock']}") if note is not None else None


def load_document(page: RawPage) -> Document:
    """The page decoded (BOM, header, meta, detection) and parsed with Lexbor."""
    html, encoding = decode_bytes(page.content, page.content_type)
    url = cleaneval_url(html) or page.url
    captured = capture_time(html, url)
    if url:
        url = unwrap_archive_url(url)
    return Document(
        page=page,
        html=html,
        tree=LexborHTMLParser(html),
        url=url,
        reference=captured or page.fetched_at,
        encoding=encoding,
        lower=html.lower(),
    )
