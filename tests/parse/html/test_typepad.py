"""TypePad: ``div.comment`` + "Posted by: AUTHOR | DATE" footers, TrackBacks."""

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


def test_typepad_corpus(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "cleaneval-finalrun-413.typepad.html")
    assert thread.parser == "html/typepad"
    rows = [(c.parent, c.author, c.author_url, c.posted_at) for c in thread.comments]
    assert rows == [
        (None, "marc", "http://cranialcavity.net", datetime(2004, 4, 21, 3, 50, tzinfo=UTC)),
        (
            None,
            "King of Fools",
            "http://king-of-fools.com",
            datetime(2004, 4, 21, 10, 0, tzinfo=UTC),
        ),
        (
            None,
            "Sean",
            "http://www.everythingiknowiswrong.com",
            datetime(2004, 4, 21, 10, 41, tzinfo=UTC),
        ),
    ]
    assert all("Posted by" not in c.text for c in thread.comments)
    check_golden("html", "cleaneval-finalrun-413.typepad", [thread])


def test_typepad_fixture_with_trackback() -> None:
    thread = parse_file(FIXTURES / "typepad-comments.html")
    rows = [(c.kind, c.author, c.native_id, c.text) for c in thread.comments]
    assert rows == [
        (
            "trackback",
            "Other Garden",
            "55501",
            "Late frost again\n\nA neighbour blog links here about frost dates.",
        ),
        ("comment", "Jun", "6a00d1", "Mine went out too early.\n\nLost two plants."),
        ("comment", "Ruth", "6a00d2", "Cover them at night."),  # name without a link
    ]
    assert thread.comments[2].posted_at == datetime(2009, 5, 13, 9, 40, tzinfo=UTC)
