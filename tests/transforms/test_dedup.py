from __future__ import annotations

from datetime import UTC, datetime

import pytest

from transforms.dedup import normalise_thread
from transforms.records import ParsedComment, ParsedThread

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _thread(*comments: ParsedComment) -> ParsedThread:
    return ParsedThread(parser="test", url="https://example.com/p", comments=comments)


def test_exact_double_post_collapses_and_replies_reparent() -> None:
    thread = _thread(
        ParsedComment(text="First!", author="Ann"),                      # 0
        ParsedComment(text="First!", author="Ann"),                      # 1 double post
        ParsedComment(text="Reply to the copy", author="Bob", depth=1, parent=1),
        ParsedComment(text="Reply to the original", author="Cy", depth=1, parent=0),
        ParsedComment(text="First!", author="Dee"),                      # other author: kept
    )  # fmt: skip
    out = normalise_thread(thread, source_uri="x", seen_at=NOW)
    rows = out.comments
    assert out.duplicates_collapsed == 1
    assert [r.text for r in rows] == [
        "First!",
        "Reply to the copy",
        "Reply to the original",
        "First!",
    ]
    assert rows[0].duplicates == 1
    assert rows[1].parent_id == rows[0].comment_id == rows[2].parent_id
    assert [r.position for r in rows] == [0, 1, 2, 3]
    assert [r.depth for r in rows] == [0, 1, 1, 0]
    assert len({r.comment_id for r in rows}) == 4


def test_identical_replies_under_collapsed_parents_collapse_too() -> None:
    thread = _thread(
        ParsedComment(text="Q", author="A"),
        ParsedComment(text="ok", author="B", depth=1, parent=0),
        ParsedComment(text="Q", author="A"),
        ParsedComment(text="ok", author="B", depth=1, parent=2),
    )
    out = normalise_thread(thread, source_uri="x", seen_at=NOW)
    assert [(r.text, r.duplicates) for r in out.comments] == [("Q", 1), ("ok", 1)]


def test_ids_are_stable_between_runs() -> None:
    thread = _thread(
        ParsedComment(text="a", author="A"), ParsedComment(text="b", parent=0, depth=1)
    )
    one = normalise_thread(thread, source_uri="x", seen_at=NOW)
    two = normalise_thread(thread, source_uri="y", seen_at=datetime(2027, 1, 1, tzinfo=UTC))
    assert [c.comment_id for c in one.comments] == [c.comment_id for c in two.comments]
    assert [c.content_hash for c in one.comments] == [c.content_hash for c in two.comments]
    assert one.thread.thread_id == two.thread.thread_id


def test_repeated_native_id_keeps_both_comments() -> None:
    thread = _thread(
        ParsedComment(text="one", native_id="7"), ParsedComment(text="two", native_id="7")
    )
    out = normalise_thread(thread, source_uri="x", seen_at=NOW)
    assert len({c.comment_id for c in out.comments}) == 2


def test_orphan_keeps_depth() -> None:
    thread = _thread(ParsedComment(text="lost reply", depth=2, orphan=True))
    row = normalise_thread(thread, source_uri="x", seen_at=NOW).comments[0]
    assert (row.depth, row.parent_id, row.is_orphan) == (2, None, True)


def test_parent_must_precede() -> None:
    thread = _thread(ParsedComment(text="a", parent=1), ParsedComment(text="b"))
    with pytest.raises(ValueError, match="does not precede"):
        normalise_thread(thread, source_uri="page.html", seen_at=NOW)


def test_five_thousand_deep_chain() -> None:
    comments = [ParsedComment(text="c0")] + [
        ParsedComment(text=f"c{i}", depth=i, parent=i - 1) for i in range(1, 5000)
    ]
    out = normalise_thread(_thread(*comments), source_uri="x", seen_at=NOW)
    assert len(out.comments) == 5000
    assert out.comments[-1].depth == 4999
    assert out.comments[-1].parent_id == out.comments[-2].comment_id


def test_comments_without_text_never_collapse() -> None:
    thread = _thread(
        ParsedComment(text=""), ParsedComment(text=""), ParsedComment(text="", status="deleted")
    )
    out = normalise_thread(thread, source_uri="x", seen_at=NOW)
    assert len(out.comments) == 3 and out.duplicates_collapsed == 0
    assert len({c.comment_id for c in out.comments}) == 3
