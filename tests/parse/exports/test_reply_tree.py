"""Tree order for exports: parents first, siblings by date then id, orphans and loops flagged."""

from __future__ import annotations

from datetime import UTC, datetime

from transforms.parse.reply_tree import order_replies, reply_sort_key


def _order(
    ids: list[str | None], parents: list[str | None], days: list[int | None]
) -> list[tuple[int, int | None, int, bool]]:
    keys = [
        reply_sort_key(None if d is None else datetime(2020, 1, d, tzinfo=UTC), ident, i)
        for i, (ident, d) in enumerate(zip(ids, days, strict=True))
    ]
    order = order_replies(ids, parents, keys)
    return [(p.index, p.parent, p.depth, p.orphan) for p in order.placed]


def test_children_listed_before_parents() -> None:
    assert _order(["3", "2", "1"], ["2", "1", None], [3, 2, 1]) == [
        (2, None, 0, False),
        (1, 0, 1, False),
        (0, 1, 2, False),
    ]


def test_siblings_by_date_then_numeric_id() -> None:
    placed = _order(["10", "9", "11"], [None, None, None], [1, 1, None])
    assert [p[0] for p in placed] == [2, 1, 0]  # undated first, then 9 before 10


def test_missing_parent_self_parent_and_loops_become_flagged_orphans() -> None:
    ids: list[str | None] = ["a", "b", "c", "d", "e"]
    parents: list[str | None] = [None, "zz", "c", "e", "d"]
    order = order_replies(ids, parents, [reply_sort_key(None, i, n) for n, i in enumerate(ids)])
    assert (order.orphans, order.cycles) == (2, 1)
    by_index = {p.index: p for p in order.placed}
    assert len(by_index) == 5
    assert by_index[1].orphan and by_index[2].orphan  # missing parent, replies to itself
    assert by_index[3].orphan and by_index[3].depth == 0  # loop d→e→d broken at d
    assert by_index[4].depth == 1 and not by_index[4].orphan
    assert any("reply loop" in n for n in order.notes())


def test_duplicate_ids_attach_replies_to_the_first() -> None:
    order = order_replies(
        ["x", "x", "y"],
        [None, None, "x"],
        [reply_sort_key(None, "x", 0), reply_sort_key(None, "x", 1), reply_sort_key(None, "y", 2)],
    )
    assert order.duplicate_ids == 1
    assert [(p.index, p.parent) for p in order.placed] == [(0, None), (2, 0), (1, None)]
