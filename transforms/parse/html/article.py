"""The article a comment thread belongs to: URL, site, title, publication date, body text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

from transforms.identity import COMMENT_PAGE, site_of, unwrap_archive_url
from transforms.parse.dates import parse_date, parse_iso
from transforms.parse.html.document import Document, Node, cleaneval_title, unique
from transforms.parse.html.nodes import (
    attr,
    block_text,
    fold_ancestors,
    has_class,
    is_ancestor,
    near_ancestors,
    node_text,
)

_TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|·|•|::|»|«|/|:)\s+")
# Separators that almost always split "article | site" (a dash may be part of the title). A
# spaced colon splits a <title> ("Post : Site"), not og:title or a JSON-LD headline, which name
# the article alone (French typography spaces the colon inside titles: "Deux ans … : une …").
_STRONG_SEPARATORS = re.compile(r"\s+(?:\||::|»|«)\s+")
_TITLE_TAG_SEPARATORS = re.compile(r"\s+(?:\||::|»|«|:)\s+")
ARTICLE_SELECTORS = (
    "[itemprop=articleBody]",
    ".entry-content",
    ".post-content",
    ".article-content",
    ".article-body",
    ".article_body",
    ".article__body",
    ".post-body",
    ".post-entry",
    ".entry-body",
    ".single-content",
    ".storycontent",
    ".entry",
    ".post .content",
    "article .content",
    "article",
    ".post",
    "[role=main]",
    "main",
    "#content",
    "#contenu",  # SPIP's default templates
)
# A form (the comment form, a search box) is not the article, unless it wraps the page (an
# ASP.NET page holds its whole body in one form): then it holds the article's heading.
_PAGE_PARTS = "h1, article"
_FORM = f"form:not(:has({_PAGE_PARTS}))"
# Chrome inside an article container that is not the article.
ARTICLE_SKIP = (
    f"nav, aside, {_FORM}, footer, header .entry-meta, .sharedaddy, .share, .sharing, .social, "
    ".related, .related-posts, .jp-relatedposts, .yarpp-related, .post-tags, .tags, "
    ".comments, #comments, .comments-area, .comment-list, .commentlist, #respond, "
    ".wp-block-comments, .navigation, .post-navigation, .author-box, .about-author, "
    ".advertisement, .ad, .ads, .widget, #wm-ipp-base, #wm-ipp, #donato, "
    "header, .entry-header, .entry-meta, .post-meta, .postmetadata, .byline, figure, "
    "figcaption, .wp-caption-text, [class*=share], [class*=sharing], .btn, .button, "
    "[class*=print], [class*=rating], .screen-reader-text, .breadcrumb, .breadcrumbs, "
    "[class*=postmeta], [class*=post-meta], [class*=jump], a[href^='#']"
)
TEASER_MAX = 600  # a container with less text than this may be a teaser of another post
TITLE_SELECTORS = (
    "h1.entry-title, h1.post-title, h1.article-title, h1.content-title, h1.headline, "
    "h1[itemprop=headline], .entry-title, .post-title, .article-title, [itemprop=headline]"
)
# Where a site's name (not the article's title) sits in a heading.
SITE_CHROME = (
    "header#header, #header, .site-header, #masthead, .site-branding, .site-title, .logo, "
    "#logo, .blog-title, #blog-title, .navbar, nav"
)
PUBLISHED_META = (
    "meta[property='article:published_time']",
    "meta[name='article:published_time']",
    "meta[property='og:article:published_time']",
    "meta[itemprop=datePublished]",
    "meta[name='date']",
    "meta[name='DC.date.issued']",
    "meta[name='dc.date']",
    "meta[name='publish-date']",
    "meta[name='parsely-pub-date']",
    "meta[name='sailthru.date']",
)
PUBLISHED_NODES = (
    "article time.entry-date[datetime], time.entry-date[datetime], time.published[datetime], "
    ".entry-header time[datetime], .entry-meta time[datetime], .post-meta time[datetime], "
    "article header time[datetime], [itemprop=datePublished], abbr.published[title], "
    ".entry-date, .post-date, .published, .postdate, .date-header, .entry-meta time, "
    ".meta-date, .postmetadata, .post-meta, .entry-meta, .fusion-meta-info, time, .byline, "
    ".post-timestamp, .author, "
    "[class*=byline], [class*=datum], [class*=pubtime], [class*=pub_time], [class*=pub-time], "
    "[class*=publish-time], [class*=publish_time], [class*=publishtime], [class*=publish-date], "
    "[class*=publish_date], [class*=publishdate], [class*=PublishDate], [class*=publishDate], "
    "[class*=date-published], [class*=date--published], [property~='dc:date'][content]"
)
# The machine-readable date inside a byline or date box that shows it as text too.
_MACHINE_TIME = "time[datetime], [property~='dc:date'][content], [itemprop=datePublished]"


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """Article fields of one page."""

    url: str | None
    site: str | None
    title: str | None
    published_at: datetime | None
    article_text: str | None


def css_outside(doc: Document, query: str, section: Node | None) -> list[Node]:
    """The page's matches of ``query`` in document order, each once, leaving out the comment
    section's subtree and the section's ancestors (which hold it). Querying the rest of the
    page piece by piece keeps deep comment threads out of the search: Lexbor checks a
    descendant combinator against every ancestor, so a page-wide query over a 5,000-deep
    thread is quadratic."""
    if section is None:
        return doc.css(query)
    path: list[Node] = []  # the section and its ancestors, bottom-up
    current: Node | None = section
    while current is not None and current.tag and not current.tag.startswith("-"):
        path.append(current)
        current = current.parent
    before: list[Node] = []
    after: list[list[Node]] = []
    for level in range(len(path) - 1, 0, -1):  # top-down: each ancestor's other children
        ancestor, on_path = path[level], path[level - 1].mem_id
        seen_path = False
        tail: list[Node] = []
        for child in ancestor.iter(include_text=False):
            if child.mem_id == on_path:
                seen_path = True
            elif seen_path:
                tail.extend(child.css(query))
            else:
                before.extend(child.css(query))
        after.append(tail)
    for tail in reversed(after):  # after the section: the deepest level's siblings first
        before.extend(tail)
    return unique(before)


def meta_content(doc: Document, *selectors: str) -> str | None:
    """The ``content`` of the first matching ``<meta>``, stripped."""
    for selector in selectors:
        node = doc.head_first(selector, "meta")
        value = attr(node, "content")
        if value:
            return value
    return None


def page_url(doc: Document) -> str | None:
    """The page's URL: canonical link, og:url, twitter:url, shortlink, else the document URL
    (archives unwrapped). A relative one resolves against the document URL, or against the
    site an absolute one names (a saved page with ``<link rel=canonical href="/path">``).
    Found once per page: link checks ask for it per link."""
    if "page_url" not in doc.cache:
        doc.cache["page_url"] = _find_page_url(doc)
    found = doc.cache["page_url"]
    return found if isinstance(found, str) else None


def _find_page_url(doc: Document) -> str | None:
    def candidates() -> Iterator[str | None]:
        yield attr(doc.head_first("link[rel=canonical]", "link"), "href")
        yield meta_content(doc, "meta[property='og:url']")
        yield meta_content(doc, "meta[name='twitter:url']")
        yield attr(doc.head_first("link[rel=shortlink]", "link"), "href")

    found = (h.strip() for h in candidates() if h and h.strip())
    hrefs: Iterable[str] = found
    base = doc.url
    if base is None:  # every candidate, to resolve relative ones against an absolute one
        hrefs = list(found)
        base = next((h for h in hrefs if h.startswith(("http://", "https://"))), None)
    for href in hrefs:
        if base:
            href = urljoin(base, href)
        href = unwrap_archive_url(href)
        if href.startswith(("http://", "https://")):
            return href
    return doc.url


def json_ld(doc: Document) -> list[dict[str, object]]:
    """Every JSON-LD object on the page, flattened (``@graph`` and lists expanded)."""
    cached = doc.cache.get("json_ld")
    if isinstance(cached, list):
        return cached
    out: list[dict[str, object]] = []
    for script in doc.css("script[type='application/ld+json']"):
        try:
            data = json.loads(script.text(deep=True) or "null")
        except ValueError:
            continue
        stack: list[object] = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                out.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph))
    doc.cache["json_ld"] = out
    return out


def _strip_site(title: str, site_names: list[str]) -> str:
    """The title without a leading/trailing " | Site" part naming the site."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    keys = [re.sub(r"\W", "", s.lower()) for s in site_names if s]
    keys = [k for k in keys if k]

    def is_site(part: str) -> bool:
        p = re.sub(r"\W", "", part.lower())
        return bool(p) and any(p in k or k in p for k in keys)

    seps = _TITLE_SEPARATORS.findall(title)
    while len(parts) > 1 and is_site(parts[-1]):
        parts.pop()
        seps.pop()
    while len(parts) > 1 and is_site(parts[0]):
        parts.pop(0)
        seps.pop(0)
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=True):
        out += sep + part
    return out.strip()


def _longest_segment(title: str, separators: re.Pattern[str] = _STRONG_SEPARATORS) -> str:
    """The longest part of a title split on strong separators ("Site » Post" → "Post")."""
    parts = [p.strip() for p in separators.split(title) if p.strip()]
    return max(parts, key=len) if len(parts) > 1 else title


_HOME_PATHS = frozenset({"", "/", "/index.html", "/index.htm", "/index.php"})


def _links_home(doc: Document, node: Node) -> bool:
    """True for a heading that is only a link to the site's front page: the site's name."""
    links = node.css("a[href]")
    if len(links) != 1 or node_text(links[0]) != node_text(node):
        return False
    href = (attr(links[0], "href") or "").strip()
    target = urlsplit(urljoin(doc.url or "", href))
    if target.path not in _HOME_PATHS or target.query:
        return False
    if not doc.url:
        return not urlsplit(href).netloc
    return site_of(urlunsplit(target)) == site_of(doc.url)


def _is_chrome(doc: Document, node: Node) -> bool:
    """True for an h1/h2 in (or being) the site's header, logo, title or navigation, or
    linking to the front page."""
    if any(has_class(node, c) for c in ("logo", "site-title")):
        return True
    if node.tag in ("h1", "h2") and _links_home(doc, node):
        return True
    matcher = doc.matcher(SITE_CHROME)
    if matcher is not None:  # walk up from the heading instead of querying the page
        if node.tag not in ("h1", "h2"):
            return False
        current: Node | None = node
        while current is not None and current.tag and current.tag[0] != "-":
            if matcher(current):
                return True
            current = current.parent
        return False
    chrome = doc.cache.get("chrome_ids")
    if not isinstance(chrome, set):
        chrome = {n.mem_id for c in doc.css(SITE_CHROME) for n in c.css("h1, h2")}
        doc.cache["chrome_ids"] = chrome
    return node.mem_id in chrome


def find_title(doc: Document, url: str | None, section: Node | None = None) -> str | None:
    """The article's title: og:title, JSON-LD headline, a headline-classed h1, <title> (minus
    the site's name), then a plain h1 that is not the site's logo. Headings in the comment
    section (``section``) are not candidates."""
    site = site_of(url) if url else ""
    site_names = [
        meta_content(doc, "meta[property='og:site_name']") or "",
        meta_content(doc, "meta[name='application-name']") or "",
        site,
        site.split(".")[-2] if site.count(".") >= 1 else "",
    ]
    # the blog's name as its heading linking to the front page shows it
    site_names += [node_text(n) for n in doc.css("h1, h2")[:2] if _links_home(doc, n)]

    def clean(raw: str, separators: re.Pattern[str] = _STRONG_SEPARATORS) -> str:
        return _longest_segment(_strip_site(" ".join(raw.split()), site_names), separators)

    og = meta_content(doc, "meta[property='og:title']", "meta[name='twitter:title']")
    if og and (title := clean(og)):
        return title
    for item in json_ld(doc):
        headline = item.get("headline")
        if isinstance(headline, str) and (title := clean(headline)):
            return title
    for node in css_outside(doc, TITLE_SELECTORS, section)[:3]:
        if node.css_first(".comment, .comment-body") is not None or _is_chrome(doc, node):
            continue
        text = node_text(node)
        if text and len(text) < 300:
            return text
    title_node = doc.head_first("title", "title")
    raw = " ".join((title_node.text() or "").split()) if title_node is not None else ""
    raw = raw or cleaneval_title(doc.html) or ""
    headings = [
        text
        for node in css_outside(doc, "h1, h2", section)[:6]
        if not _is_chrome(doc, node) and (text := node_text(node)) and len(text) < 300
    ]
    if raw:
        segments = {p.strip() for p in _TITLE_SEPARATORS.split(raw)}
        for text in headings:  # a heading that is one part of <title> is the article's title
            if text in segments and text != raw:
                return text
        if title := clean(raw, _TITLE_TAG_SEPARATORS):
            return title
    for node in css_outside(doc, "h1", section)[:3]:
        if not _is_chrome(doc, node) and (text := node_text(node)) and len(text) < 300:
            return text
    return None


def find_published(doc: Document, section: Node | None) -> datetime | None:
    """The article's publication date: meta tags, JSON-LD, then the article header's time."""
    value = meta_content(doc, *PUBLISHED_META)
    if value and (found := parse_iso(value) or parse_date(value, doc.reference)):
        return found
    for item in json_ld(doc):
        published = item.get("datePublished") or item.get("dateCreated")
        if isinstance(published, str) and (found := parse_iso(published)):
            return found
    for node in css_outside(doc, PUBLISHED_NODES, section)[:20]:
        if node.css_first(".comment") is not None or _quoted(node) or _linked_away(doc, node):
            continue
        for name in ("datetime", "content", "title"):
            value = attr(node, name)
            if value and (found := parse_iso(value) or parse_date(value, doc.reference)):
                return found
        inner = node.css_first(_MACHINE_TIME)
        if inner is not None and inner.mem_id != node.mem_id:
            value = attr(inner, "datetime") or attr(inner, "content") or ""
            if found := parse_iso(value):
                return found
        text = node.text(deep=True, separator=" ")
        if len(text) < 300:
            text = block_text(node, ".updated, .comment, .comments").replace("\n", " ")
            if found := parse_date(text, doc.reference):
                return found
    return None


# WordPress's comment pages, and themes that page comments as …/comments/page/N/
_COMMENT_PAGE = re.compile(rf"{COMMENT_PAGE.pattern}|/comments?/page/\d+/?$")


def thread_path(url: str) -> str:
    """The URL's path without comment pagination ("/comment-page-2/") or a trailing slash."""
    return _COMMENT_PAGE.sub("", urlsplit(url).path).rstrip("/")


def leads_nowhere(href: str | None) -> bool:
    """True when a link leads to no page: none, a fragment of this one, a script, a mail
    address (schemes in any case)."""
    head = (href or "").lstrip()[:11].lower()
    return not head or head.startswith(("#", "javascript:", "mailto:"))


def leads_elsewhere(doc: Document, href: str | None) -> bool | None:
    """True when the link leads to another page than this one, False when to this page (or
    nowhere, see ``leads_nowhere``), None when that cannot be told (the page's URL unknown)."""
    if leads_nowhere(href):
        return False
    href = (href or "").strip()
    own = page_url(doc)
    if own is None:
        return None
    return thread_path(urljoin(own, href)) != thread_path(own)


def _linked_away(doc: Document, node: Node, levels: int = 6) -> bool:
    """True when the node sits in a link to another page: a related post's teaser, whose date
    is that post's (a theme's link to the article itself around its date is no teaser)."""
    return any(
        a.tag == "a" and leads_elsewhere(doc, attr(a, "href")) is True
        for a in near_ancestors(node, levels)
    )


def _quoted(node: Node, levels: int = 12) -> bool:
    """True when the node sits in a ``blockquote``: a quoted or embedded post (Instagram,
    Twitter) whose date is that post's, not the article's."""
    return any(a.tag == "blockquote" for a in near_ancestors(node, levels))


def _is_teaser(node: Node, text: str) -> bool:
    """A short text that is mostly link text: a related or featured post's teaser (linked
    title, date, a line of summary), not the article itself."""
    if len(text) >= TEASER_MAX:
        return False
    linked = sum(len("".join(a.text(deep=True).split())) for a in node.css("a"))
    return linked * 2 > len("".join(text.split()))


def find_article_text(doc: Document, section: Node | None) -> str | None:
    """The article body's text: the first article container not inside the comment section,
    with the comment section, sharing and related-post chrome left out."""
    for selector in ARTICLE_SELECTORS:
        for node in doc.css(selector)[:5]:
            if section is not None and is_ancestor(section, node):
                continue
            skip = [section] if section is not None and is_ancestor(node, section) else []
            text = block_text(node, ARTICLE_SKIP, skip)
            # not an empty, caption-only or teaser container
            if len(text) >= 80 and not _is_teaser(node, text):
                return text
    body = doc.tree.body
    if body is None:
        return None
    skip = [section] if section is not None else []
    densest = _densest_container(doc, body, section)
    if densest is not None:
        text = block_text(densest, ARTICLE_SKIP, skip)
        if len(text) >= 80:
            return text
    text = block_text(body, ARTICLE_SKIP, skip)
    return text or None


# Containers that hold an article's paragraphs; text is credited to the nearest one.
_CONTAINERS = frozenset("div td article section main center body".split())
# Never the article: page chrome, forms, and what does not render as text.
_NOT_ARTICLE_TAGS = frozenset(
    "nav aside header footer form script style noscript template select textarea button".split()
)
# ... nor an element with a class or id token headed or ended by one of these words
# (sidebar, site-footer, comments-area, cookie_notice; not contentWithSidebar).
_NOT_ARTICLE_TOKEN = re.compile(
    r"^(?:(?:{w})(?:[-_].*)?|.*[-_](?:{w}))$".format(
        w="widgets?|sidebar|footer|header|masthead|menu|nav|navbar|navigation|comments?|"
        "modal|cookies?|related|breadcrumbs?|share|sharing"
    )
)
MIN_RUN = 25  # characters: shorter text runs (links, labels, dates) do not count


def _densest_container(doc: Document, body: Node, section: Node | None) -> Node | None:
    """The container holding most of the page's running text, for pages whose article has no
    recognised container: each text run of MIN_RUN+ characters outside chrome and the comment
    section counts for its nearest container and half for the one above (so the parent of a
    run of paragraphs wins over any single one, and a menu of short links counts for
    nothing). None when no container holds 80 characters."""
    section_id = section.mem_id if section is not None else None
    chrome: dict[int, int] = {}

    def is_chrome(above: int, node: Node) -> int:
        if above or node.mem_id == section_id:
            return 1
        if node.tag in _NOT_ARTICLE_TAGS and (
            node.tag != "form" or node.css_first(_PAGE_PARTS) is None
        ):
            return 1
        attributes = node.attributes
        names = f"{attributes.get('class') or ''} {attributes.get('id') or ''}".lower()
        return 1 if any(_NOT_ARTICLE_TOKEN.match(token) for token in names.split()) else 0

    scores: dict[int, float] = {}
    containers: dict[int, Node] = {}
    for node in body.traverse(include_text=True):
        if node.tag != "-text":
            continue
        length = len(" ".join((node.text_content or "").split()))
        if length < MIN_RUN:
            continue
        parent = node.parent
        if parent is None or fold_ancestors(parent, lambda n: n.tag == "html", chrome, is_chrome):
            continue
        credit = float(length)
        current: Node | None = parent
        for _ in range(2):  # the nearest container, then the one above at half weight
            while current is not None and current.tag not in _CONTAINERS:
                current = current.parent
            if current is None:
                break
            scores[current.mem_id] = scores.get(current.mem_id, 0.0) + credit
            containers[current.mem_id] = current
            credit /= 2
            current = current.parent
    if not scores:
        return None
    best = max(scores, key=scores.__getitem__)
    return containers[best] if scores[best] >= 80 else None


def article_meta(doc: Document, section: Node | None = None) -> ArticleMeta:
    """Article fields of the page; ``section`` (the comment section) is kept out of them."""
    url = page_url(doc)
    return ArticleMeta(
        url=url,
        site=site_of(url) if url else None,
        title=find_title(doc, url, section),
        published_at=find_published(doc, section),
        article_text=find_article_text(doc, section),
    )
