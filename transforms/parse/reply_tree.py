"""Reply trees: comments in page order threaded by what the page shows (``build_comments``), and
comments of exports, listed in any order and naming their parents by id, put into an order
where every parent precedes its replies (``order_replies``).

Exports (WXR, Disqus, Commento) list comments in arbitrary order and link them by native ids.
``order_replies`` walks the tree iteratively (no recursion, so a 5,000-deep chain is fine),
ordering siblings by date then id. A reply whose parent is missing from the list is kept at the
top level and flagged as an orphan; so is one whose parent chain loops back on itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from transforms.limits import MAX_COMMENT_DEPTH
from transforms.records import CommentKind, CommentStatus, ParsedComment

_NO_DATE = datetime.min.replace(tzinfo=UTC)

SortKey = tuple[datetime, int, int, str, int]


def reply_sort_key(posted_at: datetime | None, native_id: str | None, index: int) -> SortKey:
    """Siblings are ordered by date (undated first, as WordPress sorts a zero date), then by id
    (numerically when it is a number), then by position in the export."""
    ident = (native_id or "").strip()
    numeric = ident.isdigit()
    return (posted_at or _NO_DATE, 0 if numeric else 1, int(ident) if numeric else 0, ident, index)


@dataclass(frozen=True, slots=True)
class Placed:
    """One comment in tree order: where it was in the input and where its parent ended up."""

    index: int  # position in the input lists
    parent: int | None  # position of the parent in the output order; None at the top level
    depth: int
    orphan: bool


@dataclass(frozen=True, slots=True)
class ReplyOrder:
    """Comments of one thread in tree order, with counts of what did not fit a tree."""

    placed: tuple[Placed, ...]
    orphans: int  # replies to a comment missing from the thread
    cycles: int  # replies whose parent chain loops (kept at top level, flagged as orphans)
    duplicate_ids: int  # ids used by more than one comment (replies attach to the first)

    def notes(self, noun: str = "comment") -> list[str]:
        """Human-readable notes on the irregularities (empty when the tree was clean)."""
        out = []
        if self.orphans:
            out.append(
                f"{self.orphans} {noun}(s) reply to a {noun} missing from the export: "
                "kept at top level, flagged as orphans"
            )
        if self.cycles:
            out.append(
                f"{self.cycles} {noun}(s) in a reply loop: loop broken at the earliest, "
                "kept at top level and flagged as orphan"
            )
        if self.duplicate_ids:
            out.append(
                f"{self.duplicate_ids} {noun} id(s) repeated in the export: replies attach to "
                "the first"
            )
        return out


def order_replies(
    ids: Sequence[str | None],
    parent_ids: Sequence[str | None],
    sort_keys: Sequence[SortKey],
) -> ReplyOrder:
    """Tree order of comments given their ids, their parents' ids (None for top level) and a
    sort key each (see ``reply_sort_key``). Every parent precedes its replies; siblings follow
    their sort keys; depth counts the replies above each comment."""
    count = len(ids)
    first: dict[str, int] = {}
    duplicates = 0
    for index, ident in enumerate(ids):
        if ident is None:
            continue
        if ident in first:
            duplicates += 1
        else:
            first[ident] = index

    children: list[list[int]] = [[] for _ in range(count)]
    parent_of: list[int | None] = [None] * count
    roots: list[int] = []
    orphan = [False] * count
    orphans = 0
    for index, parent_id in enumerate(parent_ids):
        if parent_id is None:
            roots.append(index)
            continue
        parent = first.get(parent_id)
        if parent is None or parent == index:
            roots.append(index)
            orphan[index] = True
            orphans += 1
        else:
            children[parent].append(index)
            parent_of[index] = parent
    for siblings in children:
        siblings.sort(key=sort_keys.__getitem__)
    roots.sort(key=sort_keys.__getitem__)

    placed: list[Placed] = []
    position_of = [-1] * count

    def walk(start: int) -> None:
        stack: list[tuple[int, int | None, int]] = [(start, None, 0)]
        while stack:
            index, parent_position, depth = stack.pop()
            if position_of[index] != -1:
                continue
            position_of[index] = len(placed)
            placed.append(Placed(index, parent_position, depth, orphan[index]))
            for child in reversed(children[index]):
                stack.append((child, position_of[index], depth + 1))

    for root in roots:
        walk(root)
    cycles = 0
    if len(placed) < count:
        # What is left hangs off a loop (a→b→a): break each loop at its earliest member.
        for index in sorted(
            (i for i in range(count) if position_of[i] == -1), key=sort_keys.__getitem__
        ):
            if position_of[index] != -1:
                continue
            seen: set[int] = set()
            node = index
            while node not in seen:
                seen.add(node)
                up = parent_of[node]
                assert up is not None  # unplaced comments all have a parent
                node = up
            loop = [node]
            up = parent_of[node]
            while up is not None and up != node:
                loop.append(up)
                up = parent_of[up]
            start = min(loop, key=sort_keys.__getitem__)
            orphan[start] = True
            cycles += 1
            walk(start)
    return ReplyOrder(tuple(placed), orphans, cycles, duplicates)


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


def in_reply_order(
    comments: Sequence[ParsedComment], parent_ids: Sequence[str | None], noun: str = "comment"
) -> tuple[tuple[ParsedComment, ...], list[str]]:
    """An export's comments (each naming its parent by native id, None at the top level) in
    tree order with parent, depth and orphan set (``order_replies``), and the notes on what
    did not fit a tree."""
    order = order_replies(
        [c.native_id for c in comments],
        parent_ids,
        [reply_sort_key(c.posted_at, c.native_id, i) for i, c in enumerate(comments)],
    )
    placed = tuple(
        replace(comments[p.index], parent=p.parent, depth=p.depth, orphan=p.orphan)
        for p in order.placed
    )
    return placed, order.notes(noun)
