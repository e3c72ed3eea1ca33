"""From comment nodes to a thread: drafts, parents by nesting or by depth, ParsedComment list.

Profiles produce one ``Draft`` per comment in document order, saying how it is threaded in
whichever way the page shows it:

- ``parent``: index of the parent draft (nesting: see ``nest_parents``),
- ``parent_key``: the parent's ``key`` (pages that name the parent's id),
- ``depth``: the depth the page shows (``depth-N`` classes, indentation levels),

and ``build_comments`` (``transforms.parse.reply_tree``, shared with the plain-text records)
turns them into ``ParsedComment`` with parent indices, depths and orphan flags. Everything is
iterative and linear in the number of comments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from transforms.parse.html.document import Node
from transforms.parse.reply_tree import Draft, build_comments

__all__ = ["Draft", "build_comments", "depth_from_classes", "nest_parents"]

_DEPTH_CLASS = re.compile(r"(?:^|\s)(?:depth|comment-depth)-(\d+)(?:\s|$)")


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
