"""XenForo posts: the comment widget on tomshardware.com and a XenForo 2 thread page."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.golden import check_golden
from transforms.parse import parse_page
from transforms.records import ParsedThread, RawPage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def parse_file(path: Path) -> ParsedThread:
    (thread,) = parse_page(RawPage(source_uri=str(path), content=path.read_bytes()))
    return thread


def test_tomshardware_widget(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "tomshardware.com.rtx.html")
    assert thread.parser == "html/xenforo"
    comments = thread.comments
    # 10 li.xenforo-comment#xenforo-comment-N; the "View All 32 Comments" item is no comment.
    assert len(comments) == 10
    assert all(c.parent is None for c in comments)
    assert thread.comment_count_declared == 32
    assert comments[0].posted_at == datetime(2020, 9, 17, 14, 17, tzinfo=UTC)
    # Quoted posts ("michaelbrandi said: …") are not the quoting post's own text.
    assert comments[3].author == "hotaru.hino"
    assert comments[3].text.startswith("I expect the same exact thing")
    assert "said:" not in "".join(c.text for c in comments)
    check_golden("html", "tomshardware.com.rtx", [thread])


def test_xenforo2_thread_fixture() -> None:
    thread = parse_file(FIXTURES / "xenforo-thread.html")
    assert thread.parser == "html/xenforo"
    rows = [(c.parent, c.author, c.native_id, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        (
            None,
            "volt_ana",
            "7001",
            datetime(2024, 2, 3, 17, 4, tzinfo=UTC),
            "Looking for a first iron under 60 euros.\nTemperature control is a must.",
        ),
        (
            None,
            "ohm.kim",
            "7002",
            datetime(2024, 2, 3, 18, 10, tzinfo=UTC),
            "Get a station with a stand, not a bare pen.",
        ),
    ]
