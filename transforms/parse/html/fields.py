"""Comment fields most layouts share: author, date, pingback kind, declared count, JS embeds."""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from typing import TypeGuard
from urllib.parse import urljoin

from transforms.identity import unwrap_archive_url
from transforms.parse.dates import parse_date, parse_iso
from transforms.parse.html.article import leads_nowhere, page_url
from transforms.parse.html.document import Document, Node
from transforms.parse.html.nodes import attr, block_text, node_text, preceding_siblings
from transforms.parse.html.regions import sole_wrapper
from transforms.parse.vocabulary import COUNT_LABELS, COUNT_NOUNS, SAYS_VERBS, either
from transforms.records import CommentKind

AUTHOR_SELECTORS = (
    ".comment-author .fn, .comment-author cite, cite.fn, b.fn, span.fn, .fn, "
    "[itemprop=author] [itemprop=name], [itemprop=author], .comment-author-name, "
    ".comment__author-name, .author-name, .comment-author, cite"
)
DATE_SELECTORS = (
    ".comment-date, .comment-time, .comment_time, .comment_date, .comment-metadata, "
    ".commentmetadata, .comment-meta, .date, .meta, small"
)
# Drupal marks a guest's name so: "Anonymous (not verified)", "Gast (nicht überprüft)"
_UNVERIFIED = ("not verified", "nicht überprüft", "non vérifié", "no verificado", "non verificato")
_AUTHOR_NOISE = re.compile(
    rf"(?:\s*{either(SAYS_VERBS)}\s*:?\s*$)|(?:^\s*(?:by|von|par)(?:\s+|$))|"
    rf"(?:\s*\(\s*{either(_UNVERIFIED)}\s*\)\s*$)",
    re.IGNORECASE,
)
_NOISE_HINT = re.compile(either((*SAYS_VERBS, "by", "von", "par", "verified")), re.IGNORECASE)
_PING_TEXT = re.compile(
    r"^\s*(?:\[?(pingback|trackback)\]?\s*(?::|von|de|by|from)?|rétrolien\s*:?)",
    re.IGNORECASE,
)
# Declared comment counts as section headers write them.
_NUMBER = r"(\d{1,3}(?:[.,\u202f\u00a0 ]\d{3})+|\d+)"
_COUNT_BEFORE = re.compile(
    _NUMBER + rf"\s*{either(COUNT_NOUNS)}\b",
    re.IGNORECASE,
)
_COUNT_AFTER = re.compile(
    rf"\b{either(COUNT_LABELS)}\s*(?:\(\s*" + _NUMBER + r"\s*\)|:\s*" + _NUMBER + r"\b)",
    re.IGNORECASE,
)
_COUNT_ONE = re.compile(
    r"^\s*(?:one|ein|eine|un|une)\s+(?:thought|comment|response|reply|reaction|kommentar|"
    r"gedanke|antwort|ergänzung|commentaire|réponse|réaction)\b",
    re.IGNORECASE,
)
_COUNT_NONE = re.compile(
    r"^\s*(?:no\s+(?:comments|responses|replies)|keine\s+kommentare|aucun\s+commentaire|"
    r"0\s+comments?)\b",
    re.IGNORECASE,
)
COUNT_HEADER_SELECTORS = (
    ".comments-title, #comments-title, .comment-title, .comments-header, .comments-count, "
    ".comment-count, .comments-number, #comments-number, h1, h2, h3, h4, h5, .title"
)
# Comment systems that render in the browser: with no comments in the HTML, the page says so.
_JS_EMBEDS = (
    ("disqus.com/embed.js", "Disqus"),
    ('id="disqus_thread"', "Disqus"),
    ("id='disqus_thread'", "Disqus"),
    ("disqus_shortname", "Disqus"),
    ('class="fb-comments"', "Facebook comments"),
    ("commento.io", "Commento"),
    ("data-isso", "Isso"),
    ("utteranc.es", "utterances"),
    ("giscus.app", "giscus"),
    ("talk.hyvor.com", "Hyvor Talk"),
    ("remark42", "Remark42"),
    ("coral_thread", "Coral"),
    ("cdn.vuukle.com", "Vuukle"),
    ("intensedebate.com", "IntenseDebate"),
    ("livefyre", "Livefyre"),
    ("cusdis", "Cusdis"),
    ("squarespace-comments", "Squarespace"),
)
# What an embed's placeholder says of the count it will load.
_EMBED_COUNT_ATTRIBUTES = ("data-public-comment-count", "data-comment-count", "data-comments-count")
_EMBED_COUNTS = ", ".join(f"[{name}]" for name in _EMBED_COUNT_ATTRIBUTES)


MAX_AUTHOR = 60  # characters; a longer "name" is a sentence
MAX_AUTHOR_WORDS = 6
# Chinese and Japanese sentence punctuation: a headline's, never a screen name's. (Words are
# not spaced in those scripts, so the word count does not tell a headline from a name.)
_CJK_SENTENCE = frozenset("，。？！；：、")


def name_sized(text: str | None) -> TypeGuard[str]:
    """True when the text has the size and make of a name: 1-60 characters, at most six
    words, at least one letter, no CJK sentence punctuation. Profiles add their own checks
    (not a date, not a control)."""
    return (
        text is not None
        and 0 < len(text) <= MAX_AUTHOR
        and len(text.split()) <= MAX_AUTHOR_WORDS
        and any(ch.isalpha() for ch in text)
        and (text.isascii() or _CJK_SENTENCE.isdisjoint(text))
    )


def clean_author(name: str) -> str | None:
    """An author name without "says:", "by"/"von"/"par" and surrounding punctuation."""
    name = " ".join(name.split())
    # An ASCII name without any of the words cannot match (non-ASCII case folding aside).
    if not name.isascii() or _NOISE_HINT.search(name):
        name = _AUTHOR_NOISE.sub("", name)
    name = name.strip(" :,|–—-")
    return name or None


def clean_url(doc: Document, href: str | None) -> str | None:
    """An absolute http(s) URL (Wayback links unwrapped), or None for js/anchor/mail links."""
    if not href or leads_nowhere(href):
        return None
    href = href.strip()
    if not href.startswith(("http://", "https://")):
        # a saved page has no URL of its own: its canonical URL is what its links resolve
        # against (a commenter's "/people/ann" on a page saved from example.com)
        base = doc.url or page_url(doc)
        if base:
            href = urljoin(base, href)
    href = unwrap_archive_url(href)
    return href if href.startswith(("http://", "https://")) else None


def author_from(doc: Document, node: Node | None) -> tuple[str | None, str | None]:
    """Name and URL from an author node: its text, and its own href or its first link's."""
    if node is None:
        return None, None
    if doc.first_in((node,), "br, [class*=badge]") is None:
        name = clean_author(node.text(deep=True, separator=" "))
    else:  # the first line only: a badge ("Autor", "Author") may follow the name
        lines = block_text(node, "[class*=badge]", doc=doc).split("\n")
        name = clean_author(next((line for line in lines if line.strip()), ""))
    link = node if node.tag == "a" else doc.first_in((node,), "a[href]")
    if link is None and node.parent is not None and node.parent.tag == "a":
        link = node.parent  # <a class="url"><cite class="fn">Name</cite></a>
    url = clean_url(doc, attr(link, "href")) if link is not None else None
    return name, url


def find_author(
    doc: Document, scope: Node, selectors: str = AUTHOR_SELECTORS
) -> tuple[str | None, str | None]:
    """The first author found in ``scope`` by ``selectors`` (tried in the order given)."""
    for selector in selectors.split(","):
        node = scope.css_first(selector.strip())
        if node is not None:
            name, url = author_from(doc, node)
            if name:
                return name, url
    return None, None


# Attributes holding a machine-readable date (ISO 8601, a Unix timestamp), most common first.
DATE_ATTRIBUTES = (
    "datetime", "content", "title", "data-time", "data-timestamp", "data-utime", "data-date",
    "date",
)  # fmt: skip


def date_from(doc: Document, node: Node | None) -> datetime | None:
    """A date from one node: machine attributes first (datetime, content, title), then those
    of a wrapper showing nothing but the node (``<span title="2024-03-05T10:20"><a>3 hours
    ago</a></span>``: the shown date is relative, the wrapper's exact), then the text."""
    if node is None:
        return None
    found = _attribute_date(doc, node)
    parent = node.parent if found is None else None
    # the cheap test first: most parents have no date attribute to offer
    if (
        parent is not None
        and any(name in parent.attributes for name in DATE_ATTRIBUTES)
        and sole_wrapper(node) is not None
    ):
        found = _attribute_date(doc, parent)
    return found if found is not None else parse_date(node_text(node), doc.reference)


def _attribute_date(doc: Document, node: Node) -> datetime | None:
    """The node's machine date attribute, parsed. A date-only value is refined by a time the
    node (or its parent) shows for that day."""
    for name in DATE_ATTRIBUTES:
        value = attr(node, name)
        if value:
            found = parse_iso(value) or parse_date(value, doc.reference)
            if found is not None:
                if len(value) <= 10 and found.hour == found.minute == 0:
                    for scope in (node, node.parent):
                        if scope is None:
                            continue
                        shown = parse_date(scope.text(separator=" ")[:200], doc.reference)
                        if (
                            shown is not None
                            and shown.date() == found.date()
                            and (shown.hour or shown.minute)
                        ):
                            return shown
                return found
    return None


def find_date(
    doc: Document, scope: Node | None, selectors: str = DATE_SELECTORS
) -> datetime | None:
    """The comment's date in ``scope``: ``<time datetime>``, ``abbr[title]``, itemprop dates,
    then the text of date-ish nodes (``selectors``), resolving relative dates."""
    if scope is None:
        return None
    for selector in (
        "time[datetime]",
        "[itemprop=datePublished], [itemprop=dateCreated], [itemprop=commentTime]",
        "abbr[title]",
        "time",
    ):
        node = scope.css_first(selector)
        if node is not None:
            found = date_from(doc, node)
            if found is not None:
                return found
    for selector in selectors.split(","):
        node = scope.css_first(selector.strip())
        if node is not None:
            found = parse_date(node_text(node), doc.reference)
            if found is not None:
                return found
    return None


def ping_kind(node: Node | None, text: str = "") -> CommentKind | None:
    """ "pingback"/"trackback" when the node's class or the text's start says so, else None."""
    if node is not None:
        value = attr(node, "class")
        if value:
            found = value.split()
            if "pingback" in found:
                return "pingback"
            if "trackback" in found:
                return "trackback"
    m = _PING_TEXT.match(text)
    if m:
        return "trackback" if (m.group(1) or "").lower() == "trackback" else "pingback"
    return None


def strip_ping_label(text: str) -> str:
    """The text without its leading "Pingback:" / "Trackback von" label."""
    return _PING_TEXT.sub("", text, count=1).strip()


def parse_count(text: str) -> int | None:
    """The comment count a header states ("17 Comments", "5 thoughts on …", "Kommentare (8)",
    "One thought on …", "No comments"), or None."""
    text = " ".join(text.split())
    if not text or len(text) > 160:
        return None
    for pattern in (_COUNT_BEFORE, _COUNT_AFTER):
        m = pattern.search(text)
        if m:
            raw = next(g for g in m.groups() if g)
            return int(re.sub(r"\D", "", raw))
    if _COUNT_ONE.match(text):
        return 1
    if _COUNT_NONE.match(text):
        return 0
    return None


def _short_text(node: Node) -> str | None:
    """The node's text when short (a header), else None; cheap on big nodes."""
    raw = node.text(deep=True, separator=" ")
    if len(raw) > 600:
        return None
    return " ".join(raw.split())


def _count_in(doc: Document, node: Node, with_self: bool = True) -> int | None:
    matches = doc.iter_css(node, COUNT_HEADER_SELECTORS)  # lazily: the header is usually first
    candidates = itertools.chain([node], matches) if with_self else matches
    for candidate in itertools.islice(candidates, 12):
        text = _short_text(candidate)
        if text:
            found = parse_count(text)
            if found is not None:
                return found
    return None


def declared_count(doc: Document, section: Node | None) -> int | None:
    """The comment count the page declares near its comment section: headers inside the
    section, then headers just before it (and its ancestors' earlier siblings, up to 3 levels)."""
    if section is not None:
        found = _count_in(doc, section, with_self=False)
        if found is not None:
            return found
        for child in list(section.iter())[:3]:  # a bare headline first in the section
            text = _short_text(child)
            if text and (found := parse_count(text)) is not None:
                return found
        current: Node | None = section
        for _ in range(3):
            if current is None:
                break
            for sibling in itertools.islice(preceding_siblings(current), 6):
                found = _count_in(doc, sibling)
                if found is not None:
                    return found
            current = current.parent
    for node in doc.css("#comments, .comments-area, #comments-title, .comments-title"):
        found = _count_in(doc, node)
        if found is not None:
            return found
    # "17 Comments" links to the section (article header meta).
    for node in doc.css("a[href$='#comments'], a[href$='#respond'], a[href$='#comment']")[:5]:
        text = _short_text(node)
        if text and (found := parse_count(text)) is not None:
            return found
    return None


def embed_count(doc: Document) -> int | None:
    """The comment count a JavaScript embed's placeholder declares (Squarespace's
    ``data-public-comment-count``), or None."""
    if "comment-count" not in doc.lower and "comments-count" not in doc.lower:
        return None
    node = doc.css_first(_EMBED_COUNTS)
    if node is None:
        return None
    for name in _EMBED_COUNT_ATTRIBUTES:
        value = attr(node, name)
        if value is not None and value.isdigit():
            return int(value)
    return None


def js_comments_note(doc: Document) -> str | None:
    """A note when the page's comments are rendered by a JavaScript embed, else None."""
    for needle, system in _JS_EMBEDS:
        if needle in doc.lower:
            return f"comments load by JavaScript ({system}); none in the HTML"
    return None
