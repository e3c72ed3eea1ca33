"""HTML thread pages: one page → one ParsedThread (article fields + comment tree).

Format module API (see transforms/parse/registry.py): ``NAME = "html"``, ``detect(page, head)``,
``parse(page) -> list[ParsedThread]``.

How a page is read
------------------
1. ``document.load_document(page)`` decodes the bytes (``encoding.decode_bytes``) and parses
   them ONCE with selectolax Lexbor (it keeps 5,000-deep nesting that lxml drops past ~255).
   The ``Document`` carries the tree, the page URL (CleanEval ``<text id=URL>`` wrapper and
   Wayback captures unwrapped), the reference time for relative dates, and ``lower`` (the
   lower-cased HTML, for cheap ``doc.contains(...)`` pre-checks).
2. ``profiles.run_profiles(doc)`` picks the layout profile. A profile is a module in this
   package with ``NAME``, ``match(doc) -> float`` (0 = not mine) and
   ``extract(doc) -> Extraction | None`` (None = not mine after all; an Extraction, even
   empty, = authoritative). Profiles are tried by score, ties in ``profiles.PROFILE_MODULES``
   order (add a module there, one line); ``generic`` (structural fallback) runs last. Detect
   from content (classes, markup, generator meta), never from file names or specific URLs.
   Scores in use: wordpress 1.0 (WP comment markup + WordPress signals), 0.4 (wp_list_comments
   classes on a page without WordPress signals; a bare ``#comment-N`` is left to the others),
   0.3 (WordPress page, no comment markup); platform profiles 0.6-0.9 on their own markers;
   generic 0.1. A profile declares ``MAX_SCORE`` (its highest score): ``match`` is only asked
   while its profile could still win, so on a WordPress page no other profile's ``match`` runs.
3. ``article.article_meta(doc, section)`` reads url/site/title/published_at/article_text,
   keeping the comment section out; ``fields.declared_count(doc, section)`` reads "17 Comments"
   style headers unless the profile set ``Extraction.declared``. No comments and a JS embed
   (Disqus, …) → a note in ``ParsedThread.notes``. No comment section → zero comments.

Helpers for profiles (all iterative: never recurse over the tree)
-----------------------------------------------------------------
- ``document``: ``Document`` (``css``, ``css_first``, ``contains``), ``Node`` (LexborNode).
  NB: Lexbor's ``node.css("a, b")`` returns a node once per matching selector of the group;
  ``Document.css`` and ``document.unique`` remove the repeats. Each css call costs a few
  microseconds even on a small node (Lexbor parses the selector every time), a page-wide one
  ~20 ns per element and selector. Per-comment lookups: ``doc.first_in(parts, query)`` /
  ``doc.all_in(node, query)`` (= ``css_first``/``css`` on those nodes, answered from ONE
  page-wide query), ``doc.matcher(query)`` (simple selectors tested in Python on one element,
  no-quirks pages only), ``doc.iter_css(root, query)`` (lazy, for "the first few matches"),
  ``doc.head_first(query, tag)`` (meta/link/title from ``<head>``); pass ``doc=`` to
  ``block_text``/``comment_text`` so their ``skip`` query is not re-run per comment.
- ``nodes``: ``attr(node, name)``, ``classes``, ``has_class``, ``class_startswith``,
  ``node_text`` (one line), ``block_text(node, skip_css, skip_nodes)`` (paragraphs: blank line
  between blocks or at ``<br><br>``, one ``<br>`` = newline, whitespace normalised),
  ``comment_text(body, skip_css)`` (a comment's OWN text: no replies, Reply/Antworten/Répondre
  links, avatars, author/date meta, "says:"; ``COMMENT_SKIP`` lists the default chrome),
  ``is_ancestor``, ``inside_any``,
  ``following_siblings``, ``preceding_siblings``, ``element_children``, ``normalise_space``.
- ``thread``: ``Draft`` (one comment before threading: text, author, author_url, posted_at,
  kind, status, native_id, and ONE of parent index / parent_key / shown depth),
  ``nest_parents(items, stop)`` (parent index by containment, linear time),
  ``depth_from_classes(node)`` (``depth-N`` → N-1), ``build_comments(drafts)``
  → ``list[ParsedComment]`` with parent indices, depths, orphans (``Draft`` and
  ``build_comments`` live in ``transforms.parse.reply_tree``, shared with the text records).
- ``fields``: ``find_author(doc, scope, selectors)`` / ``author_from(doc, node)`` → (name, url),
  ``clean_author``, ``clean_url``, ``find_date(doc, scope, selectors)`` / ``date_from(doc, node)``
  (``<time datetime>``, title/content attributes, then text; relative dates against
  ``page.fetched_at``), ``ping_kind(node, text)`` / ``strip_ping_label`` (pingback/trackback
  by class or "Pingback:"/"Trackback von" text), ``parse_count(text)`` /
  ``declared_count(doc, section)``, ``js_comments_note(doc)``.
- ``article``: ``article_meta``, ``page_url``, ``find_title``, ``find_published``,
  ``find_article_text``, ``json_ld``, ``meta_content``.
- ``profiles``: ``Extraction(comments, section, declared, notes)``, ``PROFILE_MODULES``.

A typical profile::

    NAME = "mycms"
    def match(doc): return 1.0 if doc.contains("mycms-comment") else 0.0
    def extract(doc):
        items = doc.css("li.mycms-comment")
        if not items: return None
        parents = nest_parents(items)
        drafts = [Draft(text=comment_text(n.css_first(".body") or n), parent=p,
                        author=find_author(doc, n, ".name")[0]) for n, p in zip(items, parents)]
        return Extraction(build_comments(drafts), section=doc.css_first("#comments"))
"""

from __future__ import annotations

import re

from transforms.parse.html.article import article_meta
from transforms.parse.html.document import Document, cleaneval_url, load_document
from transforms.parse.html.fields import declared_count, embed_count, js_comments_note
from transforms.parse.html.profiles import Extraction, run_profiles
from transforms.records import ParsedThread, RawPage

NAME = "html"

_STARTS_HTML = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|"
    r"<body[\s>]|<text\s+id=)",
    re.IGNORECASE | re.DOTALL,
)
_TYPICAL_TAGS = ("<div", "<p>", "<p ", "<a href", "<meta", "<title", "<script", "<span", "<br")


def detect(page: RawPage, head: str) -> bool:
    """True for HTML documents (doctype, <html>/<head>/<body>, CleanEval <text id=URL>, or
    a fragment dense in typical tags)."""
    if page.format_hint is not None:
        return page.format_hint == "html"
    if _STARTS_HTML.match(head) or cleaneval_url(head):
        return True
    lower = head.lower()
    if any(tag in lower for tag in ("<html", "<head>", "<body")):
        return True
    stripped = lower.lstrip()
    return stripped.startswith("<") and sum(lower.count(tag) for tag in _TYPICAL_TAGS) >= 3


def parse(page: RawPage) -> list[ParsedThread]:
    """The page's thread: article fields and its comments in document order (one thread)."""
    doc = load_document(page)
    profile, extraction = run_profiles(doc)
    return [assemble_thread(doc, profile, extraction)]


def assemble_thread(doc: Document, profile: str, extraction: Extraction) -> ParsedThread:
    """One thread from a profile's extraction: the article's fields, the comments, the declared
    count (the profile's, else the header near the comment section) and the notes."""
    meta = article_meta(doc, extraction.section)
    declared = extraction.declared
    if declared is None and extraction.section is not None:
        declared = declared_count(doc, extraction.section)
    notes = list(extraction.notes)
    if not extraction.comments:
        note = js_comments_note(doc)
        if note:
            notes.append(note)
            if declared is None:
                declared = embed_count(doc)
    return ParsedThread(
        parser=f"html/{profile}",
        comments=tuple(extraction.comments),
        url=meta.url,
        site=meta.site,
        title=extraction.title or meta.title,
        published_at=meta.published_at,
        article_text=extraction.article_text or meta.article_text,
        comment_count_declared=declared,
        notes=tuple(notes),
    )
