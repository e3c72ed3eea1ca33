"""One HTML page parsed once: the Lexbor tree plus what every profile needs to know about it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape

from selectolax.lexbor import LexborHTMLParser, LexborNode

from transforms.identity import unwrap_archive_url
from transforms.parse.encoding import decode_bytes
from transforms.records import RawPage

Node = LexborNode

# CleanEval 2007 wraps each page in <text id="URL" title="..." encoding="...">.
_CLEANEVAL = re.compile(r"""^\s*<text\s+id\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_CLEANEVAL_TITLE = re.compile(r'^\s*<text\s[^>]*?\btitle\s*=\s*"([^"]*)"', re.IGNORECASE)


@dataclass(slots=True)
class Document:
    """A parsed HTML page. Build it with ``load_document``; parse each page exactly once.

    ``url`` is the page's own address: the CleanEval wrapper's id, else ``page.url``, with
    Wayback captures unwrapped to the original URL. ``reference`` resolves relative dates.
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

    def css(self, query: str) -> list[Node]:
        """All nodes matching ``query`` in the whole page, in document order, each once
        (Lexbor returns a node once per selector of a group that matches it)."""
        return unique(self.tree.css(query))

    def css_first(self, query: str) -> Node | None:
        return self.tree.css_first(query)

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


def load_document(page: RawPage) -> Document:
    """The page decoded (BOM, header, meta, detection) and parsed with Lexbor."""
    html, encoding = decode_bytes(page.content, page.content_type)
    url = cleaneval_url(html) or page.url
    if url:
        url = unwrap_archive_url(url)
    return Document(
        page=page,
        html=html,
        tree=LexborHTMLParser(html),
        url=url,
        reference=page.fetched_at,
        encoding=encoding,
        lower=html.lower(),
    )
