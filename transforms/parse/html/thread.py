"""From comment nodes to a thread: drafts, parents by nesting or by depth, ParsedComment list.

Profiles produce one ``Draft`` per comment in document order, saying how it is threaded in
whichever way the page shows it:

- ``parent``: index of the parent draft (nesting: see ``nest_parents``),
- ``parent_key``: the parent's ``key`` (pages that name the parent's id),
- ``depth``: the depth the page shows (``depth-N`` classes, indentation levels),

and ``build_comments`` turns them into ``ParsedComment`` with parent indices, depths and
orphan flags. Everything is iterative and linear in the number of comments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from transforms.limits import MAX_COMMENT_DEPTH
from transforms.parse.html.document import Node
from transforms.records import CommentKind, CommentStatus, ParsedComment

_DEPTH_CLASS = re.compile(r"(?:^|\s)(?:depth|comment-depth)-(\d+)(?:\s|$)")


@dataclass(slots=True)
class Draft:
    """One comment as a profile read it, before threading."""

    text: str
    author: str | None = None
    author_url: str | None = None
    posted_at: datetime | None = None
    kind: CommentKind = "comment"
    status: CommentStatus = "approved"
    native_id: str | None = None
    parent: int | None = None  # index of the parent draft, when known by nesting
    parent_key: str | None = None  # the parent's key, when the page names it
    depth: int | None = None  # shown depth (0 = top level), when the page shows it
    key: str | None = None  # this comment's key for parent_key lookups (default: native_id)


def depth_from_classes(node: Node | None) -> int | None:
    """Depth (0 = top level) from WordPress-style ``depth-N`` classes (N counts from 1)."""
    if node is None:
        return None
    value = node.attributes.get("class")
    if not value:
        return None
    m = _DEPTH_CLASS.search(value)
    if not m:
        return None
    return max(int(m.group(1)) - 1, 0)


def nest_parents(items: Sequence[Node], stop: Node | None = None) -> list[int | None]:
    """For comment nodes in document order, the index of the nearest item that contains each
    one (its parent by nesting), or None. Walks up from each item only until it meets another
    item or ``stop``, so the cost is linear even for 5,000-deep chains."""
    index = {node.mem_id: i for i, node in enumerate(items)}
    stop_id = stop.mem_id if stop is not None else None
    parents: list[int | None] = []
    for node in items:
        found: int | None = None
        current = node.parent
        while current is not None:
            mid = current.mem_id
            if mid == stop_id:
                break
            hit = index.get(mid)
            if hit is not None:
                found = hit
                break
            current = current.parent
        parents.append(found)
    return parents


def build_comments(drafts: Sequence[Draft]) -> list[ParsedComment]:
    """The thread's comments in document order with parent indices and depths.

    Precedence per draft: an explicit ``parent`` index, then ``parent_key``, then ``depth``
    (parent = the latest comment one level up). A reply whose parent is missing keeps its
    shown depth and is marked orphan.
    """
    out: list[ParsedComment] = []
    depths: list[int] = []
    keys: dict[str, int] = {}
    # open_at[d] = index of the latest comment at depth d still "open" for replies.
    open_at: list[int] = []
    for i, d in enumerate(drafts):
        parent: int | None = None
        orphan = False
        if d.parent is not None and 0 <= d.parent < i:
            parent = d.parent
            depth = depths[parent] + 1
        elif d.parent_key is not None:
            hit = keys.get(d.parent_key)
            if hit is not None:
                parent = hit
                depth = depths[hit] + 1
            else:
                depth = d.depth if d.depth is not None and d.depth > 0 else 1
                orphan = True
        elif d.depth is not None and d.depth > 0:
            depth = d.depth
            if depth - 1 < len(open_at):
                parent = open_at[depth - 1]
            else:
                orphan = True
        else:
            depth = 0
        depth = min(depth, MAX_COMMENT_DEPTH)
        del open_at[depth:]
        while len(open_at) < depth:  # gap below an orphan: nothing open at those depths
            open_at.append(-1)
        open_at.append(i)
        if parent == -1:
            parent, orphan = None, True
        depths.append(depth)
        key = d.key or d.native_id
        if key is not None:
            keys.setdefault(key, i)
        out.append(
            ParsedComment(
                text=d.text,
                depth=depth,
                parent=parent,
                author=d.author,
                author_url=d.author_url,
                posted_at=d.posted_at,
                kind=d.kind,
                status=d.status,
                native_id=d.native_id,
                orphan=orphan,
            )
        )
    return out
