"""Blogger (blogspot) comment sections, in the three markups Blogger has served.

- Threaded template (2012-): ``div#comment-holder`` … ``li.comment#c<ID>`` with
  ``cite.user``, ``span.datetime a[href*=showComment=<ms>]`` and ``p.comment-content``;
  replies sit in the parent's ``div.comment-replies`` (one level, as Blogger threads).
- Classic layouts (2006-2011) and templates (2004-2006): ``dl#comments-block`` with
  ``dt`` (author / "At DATE, AUTHOR said...") + ``dd.comment-body`` (+ ``dd.comment-footer``).
- Classic templates with lists: ``li#c<ID>`` > ``div.comment-body`` + ``p.comment-data``
  ("By AUTHOR, at TIME").

Times: the threaded template's permalink carries the UTC time in milliseconds
(``showComment=``), which beats the shown local time. Classic comment ids begin with the
Unix time in seconds (``c111395608922054770`` → 1113956089); the id time is used when it
agrees with the clock the page shows (same minute, up to a zone offset in quarter hours),
since classic pages often show only "1:53 PM" with no date.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from transforms.parse.dates import parse_date
from transforms.parse.html.document import Document, Node
from transforms.parse.html.fields import author_from, clean_author
from transforms.parse.html.nodes import attr, comment_text, following_siblings, has_class, node_text
from transforms.parse.html.profiles import Extraction
from transforms.parse.html.thread import Draft, build_comments, nest_parents
from transforms.records import CommentStatus

NAME = "blogger"
MAX_SCORE = 0.9  # the highest score match() gives (lets run_profiles skip the rest)

_SHOW_COMMENT = re.compile(r"showComment=(\d{10,13})")
_NATIVE_ID = re.compile(r"^c(\d{6,})$")
_SAID = re.compile(
    r"\s*(?:said|sagte|schrieb|a dit|dijo|disse|ha detto)\s*(?:\.{3}|…)?\s*:?\s*$", re.I
)
_AT_PREFIX = re.compile(r"^\s*(?:at|am|um|le|à|el|il)\s+", re.IGNORECASE)
_BY = re.compile(
    r"^\s*(?:posted\s+by|by|von|par|de|di)\s+(?P<author>.+?)\s*(?:,|\bat\b|\bum\b|\bà\b)",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?", re.I
)
# Classic Blogger ids start with the Unix time: accept 2000-01-01 … 2012-01-01 only.
_CLASSIC_EPOCH = (946_684_800, 1_325_376_000)
_TEXT_SKIP = ".comment-actions, .item-control, .comment-replies, .deleted-comment, .comment-footer"


def match(doc: Document) -> float:
    if not doc.contains("blogger.com", "blogspot", "blogger"):
        return 0.0
    if doc.contains('id="comment-holder"', "id='comment-holder'", "comments-block"):
        return 0.9
    if doc.css_first("li[id^=c] > .comment-body, li[id^=c] .comment-data") is not None:
        return 0.8
    return 0.0


def _clock_agrees(stamp: datetime, shown: str) -> bool:
    """True when the shown clock ("1:53 PM", "07:14:49 PM") is the stamp's in some zone."""
    m = _CLOCK.search(shown)
    if not m:
        return False
    if m.group("s") is not None and int(m.group("s")) != stamp.second:
        return False
    return (stamp.minute - int(m.group("m"))) % 15 == 0


def _time_from_id(native_id: str | None, shown: str) -> datetime | None:
    """The UTC time a classic Blogger comment id encodes, when the shown clock agrees."""
    if not native_id or len(native_id) < 15:
        return None
    seconds = int(native_id[:10])
    if not _CLASSIC_EPOCH[0] <= seconds < _CLASSIC_EPOCH[1]:
        return None
    stamp = datetime.fromtimestamp(seconds, tz=UTC)
    return stamp if _clock_agrees(stamp, shown) else None


def _native_id(node: Node | None) -> str | None:
    for name in ("id", "name"):
        value = attr(node, name)
        m = _NATIVE_ID.match(value or "")
        if m:
            return m.group(1)
    return None


def _posted_at(
    doc: Document, native_id: str | None, link: Node | None, shown: str
) -> datetime | None:
    href = attr(link, "href") or ""
    m = _SHOW_COMMENT.search(href)
    if m:
        return parse_date(m.group(1))
    return _time_from_id(native_id, shown) or parse_date(shown, doc.reference)


def _body(doc: Document, body: Node | None, skip: str = _TEXT_SKIP) -> tuple[str, CommentStatus]:
    """The comment's own text and status: a comment removed by its author or the blog's
    administrator shows only a notice (``span.deleted-comment``) and is kept as deleted."""
    if body is None:
        return "", "approved"
    if body.css_first(".deleted-comment") is not None:
        return "", "deleted"
    return comment_text(body, skip, doc=doc), "approved"


def _threaded(doc: Document, holder: Node) -> Extraction:
    items = [n for n in holder.css("li.comment") if _native_id(n) is not None]
    parents = nest_parents(items, stop=holder)
    drafts = []
    for node, parent in zip(items, parents, strict=True):
        block = node.css_first(".comment-block") or node
        native_id = _native_id(node)
        author, author_url = author_from(doc, block.css_first("cite.user, .user, cite"))
        stamp = block.css_first(".datetime a") or block.css_first(".datetime")
        text, status = _body(doc, block.css_first(".comment-content"))
        drafts.append(
            Draft(
                text=text,
                author=author,
                author_url=author_url,
                posted_at=_posted_at(doc, native_id, stamp, node_text(stamp)),
                status=status,
                native_id=native_id,
                parent=parent,
            )
        )
    section = doc.css_first("#comments") or holder
    return Extraction(build_comments(drafts), section=section)


def _dt_author(doc: Document, dt: Node) -> tuple[str | None, str | None, str]:
    """Author name, URL and the date text from a classic ``dt`` ("At DATE, AUTHOR said...")."""
    permalink = dt.css_first("a[href*='#c'], a[title='comment permalink']")
    shown = node_text(permalink)
    link = next(
        (a for a in dt.css("a[href]") if permalink is None or a.mem_id != permalink.mem_id),
        None,
    )
    span = dt.css_first(".anon-comment-author, .comment-author")
    text = node_text(dt)
    if shown and text.lower().startswith(("at ", "am ", "um ", "le ", "à ")):
        text = text.split(shown, 1)[-1].lstrip(" ,")
    text = _SAID.sub("", text)
    if link is not None and node_text(link):
        name, url = author_from(doc, link)
    elif span is not None:
        name, url = clean_author(node_text(span)), None
    else:
        name, url = clean_author(_AT_PREFIX.sub("", text)), None
    return name, url, shown


def _definition_list(doc: Document, block: Node) -> Extraction:
    drafts = []
    for dt in block.css("dt"):
        body = next((n for n in following_siblings(dt) if n.tag in ("dd", "dt")), None)
        if body is None or body.tag != "dd":
            continue
        footer = next(
            (n for n in following_siblings(body) if n.tag in ("dd", "dt")),
            None,
        )
        if footer is not None and (footer.tag != "dd" or not has_class(footer, "comment-footer")):
            footer = None
        name, url, shown = _dt_author(doc, dt)
        native_id = _native_id(dt) or _native_id(dt.css_first("a[name]"))
        permalink = dt.css_first("a[href*='#c']")
        if footer is not None:
            stamp = footer.css_first(".comment-timestamp a, a[href*='#c'], .comment-timestamp")
            if stamp is not None:
                permalink, shown = stamp, node_text(stamp)
        text, status = _body(doc, body)
        drafts.append(
            Draft(
                text=text,
                status=status,
                author=name,
                author_url=url,
                posted_at=_posted_at(doc, native_id, permalink, shown),
                native_id=native_id,
            )
        )
    section = doc.css_first("#comments") or block
    return Extraction(build_comments(drafts), section=section)


def _list_items(doc: Document, items: list[Node]) -> Extraction:
    drafts = []
    for node in items:
        data = node.css_first(".comment-data, .comment-footer, .comment-poster")
        data_text = node_text(data)
        native_id = _native_id(node)
        link = data.css_first("a[href]:not([href^='#'])") if data is not None else None
        m = _BY.match(data_text)
        if link is not None and node_text(link):
            author, author_url = author_from(doc, link)
        else:
            author, author_url = (clean_author(m.group("author")) if m else None), None
        permalink = data.css_first("a[href^='#c'], a[href*='#c']") if data is not None else None
        shown = node_text(permalink) or data_text
        text, status = _body(
            doc,
            node.css_first(".comment-body") or node,
            _TEXT_SKIP + ", .comment-data, .comment-poster",
        )
        drafts.append(
            Draft(
                text=text,
                status=status,
                author=author,
                author_url=author_url,
                posted_at=_posted_at(doc, native_id, permalink, shown),
                native_id=native_id,
            )
        )
    section = doc.css_first("#comments") or (items[0].parent if items else None)
    return Extraction(build_comments(drafts), section=section)


def extract(doc: Document) -> Extraction | None:
    holder = doc.css_first("#comment-holder")
    if holder is not None and holder.css_first("li.comment") is not None:
        return _threaded(doc, holder)
    block = doc.css_first("dl#comments-block, dl.comments-block")
    if block is not None and block.css_first("dd") is not None:
        return _definition_list(doc, block)
    items = [n for n in doc.css("li[id^=c]") if _native_id(n) and n.css_first(".comment-body")]
    if items:
        return _list_items(doc, items)
    if holder is not None or doc.css_first("#comments .comments-content") is not None:
        # Threaded template with no comments rendered (none yet, or loaded by script).
        return Extraction([], section=doc.css_first("#comments") or holder)
    if block is not None:  # the classic template's comment list, empty ("No comments:")
        return Extraction([], section=doc.css_first("#comments") or block)
    return None
