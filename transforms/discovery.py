"""URL discovery: URL list files, sitemaps (and sitemap indexes), RSS/Atom feeds → thread URLs.

- A URL list file: one URL per line; blank lines and ``#`` comments skipped.
- A sitemap (``<urlset>``) gives its ``<loc>``s; a sitemap index (``<sitemapindex>``) is
  followed to its sitemaps, at most ``MAX_SITEMAP_DEPTH`` deep and ``MAX_SITEMAPS`` files;
  gzip-compressed sitemaps (``.xml.gz``) are read too.
- An RSS or Atom feed gives its items' links. A WordPress comment feed (per post,
  ``/post/feed/``, or site-wide ``/comments/feed/``) lists comments whose links are
  ``post/#comment-N`` (or ``?replytocom=N``): they lead to the post, which is the thread.
Sitemaps and feeds may be URLs (fetched politely by the fetcher, robots.txt included) or local
files. Every URL found is filtered (``--include``/``--exclude`` regexes, searched in the URL),
collapsed by canonical URL (``/comment-page-2/`` of a post is the post's thread) and bounded by
``max_pages``. A list, sitemap or feed that cannot be read becomes a ``discover`` reject.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs (lxml-stubs not locked)

from transforms.fetch import FetchResult
from transforms.identity import canonical_url
from transforms.limits import MAX_PAGE_BYTES, MAX_SITEMAP_DEPTH, MAX_SITEMAPS
from transforms.records import Reject
from transforms.saved_pages import decompress_bounded
from transforms.sources import SourceRef, is_url

Fetch = Callable[[str], FetchResult]


@dataclass(frozen=True, slots=True)
class UrlFilter:
    """Which URLs to keep: any ``include`` pattern must match (when given), no ``exclude``."""

    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def of(cls, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> UrlFilter:
        """Compile the patterns (raises ``re.error`` naming a bad one)."""
        return cls(tuple(re.compile(p) for p in include), tuple(re.compile(p) for p in exclude))

    def accepts(self, url: str) -> bool:
        if self.include and not any(p.search(url) for p in self.include):
            return False
        return not any(p.search(url) for p in self.exclude)


@dataclass(frozen=True, slots=True)
class UrlSources:
    """Where to discover thread URLs besides the sources named directly."""

    url_lists: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_pages: int | None = None

    @property
    def needs_fetching(self) -> bool:
        return any(is_url(s) for s in (*self.sitemaps, *self.feeds))


def read_url_list(text: str) -> list[str]:
    """The URLs of a URL list: one per line, blank lines and ``#`` comments skipped."""
    urls = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            urls.append(line.split()[0])
    return urls


def _xml_root(content: bytes) -> Any:
    if content[:2] == b"\x1f\x8b":
        content = decompress_bounded(content)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    root = etree.fromstring(content.lstrip(), parser=parser)
    if root is None:
        raise ValueError("not XML")
    return root


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def parse_sitemap(content: bytes) -> tuple[list[str], list[str]]:
    """(page URLs, child sitemap URLs) of a sitemap or sitemap index."""
    root = _xml_root(content)
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise ValueError(f"not a sitemap (root element <{kind}>)")
    locs = [
        (el.text or "").strip()
        for el in root.iter()
        if _local(el.tag) == "loc" and _local(el.getparent().tag) in ("url", "sitemap")
    ]
    locs = [loc for loc in locs if loc]
    return (locs, []) if kind == "urlset" else ([], locs)


def parse_feed(content: bytes) -> list[str]:
    """The links of an RSS or Atom feed's items, fragments dropped (comment links → post)."""
    root = _xml_root(content)
    kind = _local(root.tag)
    links: list[str] = []
    if kind in ("rss", "rdf"):
        for item in root.iter():
            if _local(item.tag) != "item":
                continue
            for child in item:
                if _local(child.tag) == "link" and (child.text or "").strip():
                    links.append(child.text.strip())
                    break
    elif kind == "feed":
        for entry in root.iter():
            if _local(entry.tag) != "entry":
                continue
            candidates = [el for el in entry if _local(el.tag) == "link" and el.get("href")]
            chosen = next(
                (el for el in candidates if el.get("rel", "alternate") == "alternate"),
                None,
            )
            if chosen is not None:
                links.append(str(chosen.get("href")).strip())
    else:
        raise ValueError(f"not an RSS or Atom feed (root element <{kind}>)")
    return [link.split("#", 1)[0] for link in links]


def _read(source: str, fetch: Fetch | None) -> bytes:
    """The bytes of a sitemap/feed/list given as a URL or a local path."""
    if is_url(source):
        if fetch is None:
            raise ValueError("URL given but no fetcher")
        result = fetch(source)
        if not result.ok or result.content is None:
            raise ValueError(result.error or f"status {result.status}")
        return result.content
    path = Path(source).expanduser()
    if path.stat().st_size > MAX_PAGE_BYTES:
        raise ValueError(f"larger than {MAX_PAGE_BYTES} bytes")
    return path.read_bytes()


def sitemap_urls(
    source: str, fetch: Fetch | None, limit: int | None
) -> tuple[list[str], list[Reject]]:
    """Page URLs of a sitemap (following sitemap indexes) and rejects for unreadable files."""
    urls: list[str] = []
    rejects: list[Reject] = []
    queue: deque[tuple[str, int]] = deque([(source, 0)])
    seen = {source}
    read = 0
    while queue and read < MAX_SITEMAPS and (limit is None or len(urls) < limit):
        current, depth = queue.popleft()
        read += 1
        try:
            pages, children = parse_sitemap(_read(current, fetch))
        except (OSError, ValueError, etree.Error) as exc:
            rejects.append(Reject(current, "discover", f"sitemap: {exc}"))
            continue
        urls.extend(pages)
        if depth + 1 > MAX_SITEMAP_DEPTH and children:
            rejects.append(Reject(current, "discover", "sitemap index nested too deep"))
            continue
        for child in children:
            if child not in seen:
                seen.add(child)
                queue.append((child, depth + 1))
    return urls, rejects


def discover_urls(
    refs: Sequence[SourceRef], sources: UrlSources, fetch: Fetch | None
) -> tuple[list[SourceRef], list[Reject]]:
    """The inputs to read: ``refs`` (files kept as they are) plus URLs from the URL lists,
    sitemaps and feeds; URLs filtered, collapsed by canonical URL and bounded by max_pages."""
    keep = UrlFilter.of(sources.include, sources.exclude)
    rejects: list[Reject] = []
    found: list[str] = [r.uri for r in refs if r.kind == "url"]
    for listing in sources.url_lists:
        try:
            found.extend(read_url_list(_read(listing, fetch).decode("utf-8", "replace")))
        except (OSError, ValueError) as exc:
            rejects.append(Reject(listing, "discover", f"URL list: {exc}"))
    for sitemap in sources.sitemaps:
        urls, problems = sitemap_urls(sitemap, fetch, sources.max_pages)
        found.extend(urls)
        rejects.extend(problems)
    for feed in sources.feeds:
        try:
            found.extend(parse_feed(_read(feed, fetch)))
        except (OSError, ValueError, etree.Error) as exc:
            rejects.append(Reject(feed, "discover", f"feed: {exc}"))
    out = [r for r in refs if r.kind != "url"]
    threads: set[str] = set()
    taken = 0
    for url in found:
        if not is_url(url):
            rejects.append(Reject(url, "discover", "not an http(s) URL"))
            continue
        if not keep.accepts(url):
            continue
        key = canonical_url(url)
        if key in threads:
            continue
        if sources.max_pages is not None and taken >= sources.max_pages:
            break
        threads.add(key)
        taken += 1
        out.append(SourceRef(url, "url"))
    return out, rejects
