"""Comment threads as the sites' own JSON APIs serve them: Reddit, Hacker News (Algolia) and
Disqus. Researchers collect threads this way as often as they save the pages.

Reddit: the ``.json`` of a post's comments page is a list of two Listings, the post (``t3``)
and its comment tree (``t1`` things, replies nested under ``replies``; ``more`` stands for
comments the response left out). The thread's url is ``https://www.reddit.com`` + the post's
``permalink``, its title, date (``created_utc``), text (``selftext_html``, else ``selftext``)
and declared count (``num_comments``) are the post's. A comment's text is ``body_html``
(escaped HTML), else ``body`` (Markdown); "[deleted]" and "[removed]" bodies are deleted
comments without text, a "[deleted]" author is none. A Listing of comments alone (what
``/api/morechildren`` and a comment's own page give) is read too, under the post its
``link_id`` names. A Listing of posts without comments (a subreddit's front page) is not a
thread and is refused.

Hacker News: Algolia's item API (``/api/v1/items/<id>``) is one item with its ``children``
nested; the thread is the story (url ``https://news.ycombinator.com/item?id=<id>``, the page
whose HTML shows the same comments under the same ids), comments are ``type: comment`` items
(``text`` is HTML; a deleted one has neither author nor text). An item that is itself a
comment gives its story's thread, with that comment as an orphan at the top. Algolia's
search API (``{"hits": [...]}`` with ``comment_text``) gives one thread per ``story_id``,
replies linked by ``parent_id``.

Disqus: the API's post lists (``threads/listPosts``, ``posts/list``: ``{"code": 0,
"response": [...], "cursor": {...}}``) give one thread per ``thread`` (native id; its url
and title when the request asked for ``related=thread``), comments by ``parent``, status from
``isSpam``/``isDeleted``/``isApproved`` as in Disqus's XML export, whose ids are the same. The
API lists newest first: comments are put in reply-tree order, siblings by date.

Reddit and Hacker News comments keep the order the response gives (the site's ranking, as
its page shows it). Nesting is walked with an explicit stack: any depth is read.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Final

from transforms.identity import site_of
from transforms.parse.dates import parse_iso
from transforms.parse.json_exports import present, thread_of, value_text
from transforms.parse.markup import html_to_text, inline_text
from transforms.parse.registry import ParseError
from transforms.records import CommentStatus, ParsedComment, ParsedThread, RawPage

NAME = "api-json"
_REDDIT: Final = "https://www.reddit.com"
_HN_ITEM: Final = "https://news.ycombinator.com/item?id={}"
_REDDIT_GONE: Final = frozenset({"[deleted]", "[removed]"})
_REDDIT_HEAD: Final = re.compile(r'^[\[\s]*\{\s*"kind"\s*:\s*"(?:Listing|t1|t3)"')
_HN_KEYS: Final = ('"story_id"', '"created_at_i"')
_DISQUS_HEAD: Final = re.compile(r'^\{.*"(?:code|cursor|response)"\s*:', re.DOTALL)
_DISQUS_KEYS: Final = ('"raw_message"', '"isDeleted"', '"createdAt"', '"forum"')


def detect(page: RawPage, head: str) -> bool:
    """True for a Reddit listing, a Hacker News Algolia item or search result, or a Disqus API
    post list (judged by their keys)."""
    stripped = head.lstrip("\ufeff \t\r\n")
    if not stripped.startswith(("{", "[")):
        return False
    if _REDDIT_HEAD.match(stripped):
        return True
    if all(key in stripped for key in _HN_KEYS):
        return True
    return bool(_DISQUS_HEAD.match(stripped)) and sum(k in stripped for k in _DISQUS_KEYS) >= 2


def parse(page: RawPage) -> list[ParsedThread]:
    """The threads of one API response (see the module's docstring)."""
    try:
        data = json.loads(page.content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"{page.source_uri}: not readable JSON ({exc})") from exc
    except RecursionError as exc:  # Python's JSON reader recurses: ~1,000 levels at most
        raise ParseError(f"{page.source_uri}: JSON nested too deep to read") from exc
    if _is_thing(data) or (isinstance(data, list) and data and all(map(_is_thing, data))):
        return _reddit(data if isinstance(data, list) else [data], page.source_uri)
    if isinstance(data, Mapping) and isinstance(data.get("hits"), list):
        return _hn_hits(data["hits"])
    if isinstance(data, Mapping) and "story_id" in data and "children" in data:
        return [_hn_item(data)]
    if isinstance(data, Mapping) and isinstance(data.get("response"), list):
        return _disqus(data)
    raise ParseError(
        f"{page.source_uri}: JSON, but not a Reddit, Hacker News or Disqus API comment thread"
    )


def _is_thing(value: object) -> bool:
    return isinstance(value, Mapping) and isinstance(value.get("kind"), str) and "data" in value


def _children(listing: object) -> list[Any]:
    """The things of a Listing (or of a Listing's ``data``); [] for anything else (Reddit
    writes ``"replies": ""`` for none)."""
    if not isinstance(listing, Mapping):
        return []
    data = listing.get("data", listing)
    children = data.get("children") if isinstance(data, Mapping) else None
    return children if isinstance(children, list) else []


def _epoch(value: object) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _reddit(things: list[Any], source_uri: str) -> list[ParsedThread]:
    posts: list[Mapping[str, Any]] = []
    comments: list[Any] = []  # top-level comment things, in order
    for thing in things:
        for child in _children(thing) if thing.get("kind") == "Listing" else [thing]:
            kind = child.get("kind") if isinstance(child, Mapping) else None
            if kind == "t3" and isinstance(child.get("data"), Mapping):
                posts.append(child["data"])
            elif kind in ("t1", "more"):
                comments.append(child)
    if not comments and len(posts) != 1:
        raise ParseError(
            f"{source_uri}: a Reddit listing of {len(posts)} posts without their comments, "
            "not a comment thread (read a post's own .json)"
        )
    post = posts[0] if len(posts) == 1 else {}
    notes: list[str] = []
    if len(posts) > 1:
        notes.append(f"{len(posts)} posts in one response: the first one's thread")
    parsed, left_out = _reddit_comments(comments)
    if left_out:
        notes.append(f"{left_out} comment(s) not in this response (Reddit's 'more comments')")
    permalink = value_text(post.get("permalink"))
    if not permalink:  # comments alone: the thread is the post their link_id names
        permalink = _reddit_post_link(comments)
    url = _REDDIT + permalink if permalink.startswith("/") else permalink or None
    body = value_text(post.get("selftext_html"))
    article = html_to_text(html.unescape(body)) if body else None
    if article is None and value_text(post.get("selftext")):
        article = html_to_text(value_text(post.get("selftext")), raw_newlines=True)
    declared = post.get("num_comments")
    name = value_text(post.get("name")) or _first_link_id(comments)
    return [
        ParsedThread(
            parser="json/reddit",
            comments=tuple(parsed),
            url=url,
            site=site_of(url) if url else "reddit.com",
            title=inline_text(html.unescape(value_text(post.get("title"))) or None),
            published_at=_epoch(post.get("created_utc")),
            article_text=article or None,
            comment_count_declared=declared if type(declared) is int else None,
            native_id=name or None,
            notes=tuple(notes),
        )
    ]


def _first_link_id(comments: list[Any]) -> str:
    for thing in comments:
        link = value_text(thing.get("data", {}).get("link_id")) if _is_thing(thing) else ""
        if link:
            return link
    return ""


def _reddit_post_link(comments: list[Any]) -> str:
    """The post's permalink, from a comment's own (``/r/x/comments/<post>/<slug>/<id>/``)."""
    for thing in comments:
        data = thing.get("data") if _is_thing(thing) else None
        if not isinstance(data, Mapping):
            continue
        link, own = value_text(data.get("permalink")), value_text(data.get("id"))
        if link and own and link.rstrip("/").endswith("/" + own):
            return link.rstrip("/")[: -len(own)]
    return ""


def _nested(
    roots: list[Any],
    children: Callable[[Any], list[Any]],
    comment: Callable[[Any, int | None, int], ParsedComment | None],
) -> list[ParsedComment]:
    """The comments of a nested reply tree in pre-order (the response's order), walked with a
    stack: ``comment`` makes a node's comment (given its parent's index and its depth; None:
    not a comment, its subtree left out), ``children`` gives a node's replies."""
    out: list[ParsedComment] = []
    stack: list[tuple[Any, int | None, int]] = [(node, None, 0) for node in reversed(roots)]
    while stack:
        node, parent, depth = stack.pop()
        made = comment(node, parent, depth)
        if made is None:
            continue
        out.append(made)
        index = len(out) - 1
        stack.extend((child, index, depth + 1) for child in reversed(children(node)))
    return out


def _reddit_comments(top: list[Any]) -> tuple[list[ParsedComment], int]:
    """Comments in the response's order (pre-order), and how many it left out."""
    left_out = 0

    def comment(thing: Any, parent: int | None, depth: int) -> ParsedComment | None:
        nonlocal left_out
        if not _is_thing(thing) or not isinstance(thing["data"], Mapping):
            return None
        data = thing["data"]
        if thing["kind"] == "more":
            count = data.get("count")
            left_out += count if type(count) is int and count > 0 else 0
            return None
        if thing["kind"] != "t1":
            return None
        body_html, body = value_text(data.get("body_html")), value_text(data.get("body"))
        author = present(data.get("author"))
        gone = body in _REDDIT_GONE
        if gone:
            text = ""
        elif body_html:
            text = html_to_text(html.unescape(body_html))
        else:
            text = html_to_text(body, raw_newlines=True)
        if author in _REDDIT_GONE:
            author = None
        return ParsedComment(
            text=text,
            depth=depth,
            parent=parent,
            author=inline_text(author),
            author_url=f"{_REDDIT}/user/{author}/" if author else None,
            posted_at=_epoch(data.get("created_utc")),
            status="deleted" if gone else "approved",
            native_id=value_text(data.get("id")) or None,
        )

    out = _nested(top, lambda thing: _children(thing["data"].get("replies")), comment)
    return out, left_out


def _hn_comment(item: Mapping[str, Any], parent: int | None, depth: int) -> ParsedComment:
    text = item.get("text")
    author = present(item.get("author"))
    deleted = text is None and author is None
    return ParsedComment(
        text=html_to_text(value_text(text)),
        depth=depth,
        parent=parent,
        author=inline_text(author),
        author_url=f"https://news.ycombinator.com/user?id={author}" if author else None,
        posted_at=parse_iso(value_text(item.get("created_at"))) or _epoch(item.get("created_at_i")),
        status="deleted" if deleted else "approved",
        native_id=value_text(item.get("id")) or None,
    )


def _hn_item(root: Mapping[str, Any]) -> ParsedThread:
    is_story = value_text(root.get("type")) != "comment"
    story = value_text(root.get("story_id")) or value_text(root.get("id"))
    comments = _nested(
        _list(root.get("children")) if is_story else [root],
        lambda item: _list(item.get("children")),
        lambda item, parent, depth: (
            _hn_comment(item, parent, depth) if isinstance(item, Mapping) else None
        ),
    )
    if not is_story and comments:  # the answered comment is not in the response
        comments[0] = replace(comments[0], orphan=True)
    url = _HN_ITEM.format(story)
    text = html_to_text(value_text(root.get("text"))) if is_story else ""
    return ParsedThread(
        parser="json/hacker-news",
        comments=tuple(comments),
        url=url,
        site=site_of(url),
        title=inline_text(value_text(root.get("title")) or None) if is_story else None,
        published_at=parse_iso(value_text(root.get("created_at"))) if is_story else None,
        article_text=text or None,
        native_id=story,
        notes=() if is_story else (f"one comment's subtree of story {story}",),
    )


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _hn_hits(hits: list[Any]) -> list[ParsedThread]:
    groups: dict[str, list[tuple[ParsedComment, str | None]]] = {}
    titles: dict[str, str] = {}
    for hit in hits:
        if not isinstance(hit, Mapping) or "comment_text" not in hit:
            continue
        story = value_text(hit.get("story_id"))
        parent = value_text(hit.get("parent_id"))
        comment = _hn_comment(
            {**hit, "text": hit.get("comment_text"), "id": hit.get("objectID")}, None, 0
        )
        groups.setdefault(story, []).append((comment, None if parent == story else parent or None))
        if value_text(hit.get("story_title")):
            titles.setdefault(story, value_text(hit.get("story_title")))
    return [
        thread_of(
            "json/hacker-news",
            members,
            url=_HN_ITEM.format(story) if story else None,
            site="news.ycombinator.com",
            title=inline_text(titles.get(story)),
            native_id=story or None,
            notes=[],
        )
        for story, members in groups.items()
    ]


def _flag(value: object) -> bool:
    return value is True or value_text(value).lower() in ("true", "1")


def _disqus_status(post: Mapping[str, Any]) -> CommentStatus:
    if _flag(post.get("isSpam")):
        return "spam"
    if _flag(post.get("isDeleted")) or _flag(post.get("isDeletedByAuthor")):
        return "deleted"
    if "isApproved" in post and not _flag(post.get("isApproved")):
        return "pending"
    return "approved"


def _disqus(data: Mapping[str, Any]) -> list[ParsedThread]:
    groups: dict[str, list[tuple[ParsedComment, str | None]]] = {}
    about: dict[str, Mapping[str, Any]] = {}
    forums: dict[str, str] = {}
    for post in data["response"]:
        if not isinstance(post, Mapping) or not ("message" in post or "raw_message" in post):
            continue
        thread = post.get("thread")
        if isinstance(thread, Mapping):  # related=thread
            key = value_text(thread.get("id"))
            about.setdefault(key, thread)
        else:
            key = value_text(thread)
        forums.setdefault(key, value_text(post.get("forum")))
        raw_author = post.get("author")
        author: Mapping[str, Any] = raw_author if isinstance(raw_author, Mapping) else {}
        message = value_text(post.get("message"))
        comment = ParsedComment(
            text=(
                html_to_text(message)
                if message
                else html_to_text(value_text(post.get("raw_message")), raw_newlines=True)
            ),
            author=inline_text(present(author.get("name")) or present(author.get("username"))),
            author_url=present(author.get("url")) or present(author.get("profileUrl")),
            posted_at=parse_iso(value_text(post.get("createdAt"))),
            status=_disqus_status(post),
            native_id=value_text(post.get("id")) or None,
        )
        groups.setdefault(key, []).append((comment, value_text(post.get("parent")) or None))
    more = data.get("cursor")
    notes = (
        ["more posts on the API's next page (cursor hasNext)"]
        if isinstance(more, Mapping) and more.get("hasNext") is True
        else []
    )
    threads = []
    for key, members in groups.items():
        thread = about.get(key, {})
        url = value_text(thread.get("link")) or None
        forum = forums.get(key)
        parsed = thread_of(
            "json/disqus-api",
            members,
            url=url,
            site=None if url else (f"{forum}.disqus.com" if forum else None),
            title=inline_text(value_text(thread.get("clean_title") or thread.get("title"))),
            native_id=key or None,
            notes=list(notes),
        )
        threads.append(replace(parsed, published_at=parse_iso(value_text(thread.get("createdAt")))))
    return threads
