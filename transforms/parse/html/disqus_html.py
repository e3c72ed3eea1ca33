"""Disqus threads as they appear in a page's HTML.

Disqus renders comments in the browser, into ``div#disqus_thread``. What the HTML itself can
hold is a server-rendered fallback for readers and crawlers without JavaScript:

- ``div.d-noscript-comments > div.comment > .comment-author + .comment-body`` (sites that
  print the thread from the Disqus API; flat, in thread order, the text as plain text),
- the Disqus WordPress plugin's ``ul#dsq-comments > li.comment`` with ``.dsq-comment-header
  cite`` and ``.dsq-comment-message`` (nested ``ul.children`` for replies).

With only the empty container (the thread loads by script), the page has no comments to read:
the extraction is empty and authoritative, and the core notes that comments load by
JavaScript. When the page also carries another comment markup, the profile steps aside.
"""

from __future__ import annotations

import re

from transforms.parse.html.document import Document, Node
from transforms.parse.html.fields import author_from, clean_author, find_date
from transforms.parse.html.nodes import comment_text
from transforms.parse.html.profiles import Extraction
from transforms.parse.html.thread import Draft, build_comments, nest_parents

NAME = "disqus"
MAX_SCORE = 0.9  # the highest score match() gives (lets run_profiles skip the rest)

_CONTAINER = "#disqus_thread, .d-noscript-comments, #dsq-comments, #dsq-content"
_NOSCRIPT_ITEMS = ".d-noscript-comments .comment, .dsq-noscript-comments .comment"
_PLUGIN_ITEMS = "#dsq-comments li.comment, #dsq-comments li.dsq-comment, li[id^=dsq-comment-]"
# Other comment markup on the page: then an empty Disqus container is not the whole story.
_OTHER_COMMENTS = (
    "li.comment[id^=comment-], div.comment[id^=comment-], article[id^=comment-], "
    ".commentlist li, .comment-list li"
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def match(doc: Document) -> float:
    if not doc.contains("disqus", "d-noscript-comments", "dsq-comment"):
        return 0.0
    if doc.css_first(_NOSCRIPT_ITEMS) is not None or doc.css_first(_PLUGIN_ITEMS) is not None:
        return 0.9
    return 0.2 if doc.css_first(_CONTAINER) is not None else 0.0


def plain_text(raw: str) -> str:
    """Plain text as Disqus stores it: blank lines between paragraphs, newlines kept inside."""
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(raw.strip()):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        kept = "\n".join(line for line in lines if line)
        if kept:
            paragraphs.append(kept)
    return "\n\n".join(paragraphs)


def _body_text(doc: Document, body: Node) -> str:
    markup = (n for n in body.css("p, br, div, blockquote, pre, ul, ol") if n.mem_id != body.mem_id)
    if next(markup, None) is not None:
        return comment_text(body, doc=doc)  # HTML messages: paragraphs by markup
    return plain_text(body.text(deep=True) or "")


def _noscript(doc: Document, items: list[Node]) -> Extraction:
    drafts = []
    for node in items:
        author = node.css_first(".comment-author, .author")
        name, url = author_from(doc, author)
        body = node.css_first(".comment-body, .comment-message, .message")
        drafts.append(
            Draft(
                text=_body_text(doc, body) if body is not None else "",
                author=name,
                author_url=url,
                posted_at=find_date(doc, node),
            )
        )
    section = doc.css_first("#disqus_thread") or items[0].parent
    return Extraction(build_comments(drafts), section=section)


def _plugin(doc: Document, items: list[Node]) -> Extraction:
    parents = nest_parents(items)
    drafts = []
    for node, parent in zip(items, parents, strict=True):
        header = node.css_first(".dsq-comment-header")
        cite = header.css_first("cite") if header is not None else None
        name, url = author_from(doc, cite)
        body = node.css_first(".dsq-comment-message")
        native = (node.attributes.get("id") or "").rpartition("-")[2]
        drafts.append(
            Draft(
                text=comment_text(body, doc=doc) if body is not None else "",
                author=clean_author(name) if name else None,
                author_url=url,
                posted_at=find_date(doc, header),
                native_id=native if native.isdigit() else None,
                parent=parent,
            )
        )
    section = doc.css_first("#disqus_thread, #dsq-content") or items[0].parent
    return Extraction(build_comments(drafts), section=section)


def extract(doc: Document) -> Extraction | None:
    items = doc.css(_NOSCRIPT_ITEMS)
    if items:
        return _noscript(doc, items)
    seen: set[int] = set()
    plugin = []
    for node in doc.css(_PLUGIN_ITEMS):
        if node.mem_id not in seen and node.css_first(".dsq-comment-message") is not None:
            seen.add(node.mem_id)
            plugin.append(node)
    if plugin:
        return _plugin(doc, plugin)
    container = doc.css_first(_CONTAINER)
    if container is None or doc.css_first(_OTHER_COMMENTS) is not None:
        return None
    # Only the container (maybe a "View the discussion" link): the thread loads by script.
    return Extraction([], section=container)
