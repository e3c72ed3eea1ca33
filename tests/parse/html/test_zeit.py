"""ZEIT ONLINE comments: first page of a long thread, relative dates, moderation notices.

zeit.de.zugverkehr: 8 ``article.comment#cid-N`` (4 ``js-comment-toplevel``, 4
``comment--indented`` naming their parent), "571 Kommentare" in the article header.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.golden import check_golden
from transforms.parse import parse_page
from transforms.records import ParsedThread, RawPage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# The corpus page carries no fetch time; the tests fix one so "vor 8 Stunden" resolves the
# same way every run (the article is from 2020-01-14 09:21 CET).
FETCHED_AT = datetime(2020, 1, 14, 18, 0, tzinfo=UTC)


def parse_file(path: Path, fetched_at: datetime = FETCHED_AT) -> ParsedThread:
    page = RawPage(source_uri=str(path), content=path.read_bytes(), fetched_at=fetched_at)
    (thread,) = parse_page(page)
    return thread


def test_zeit_corpus(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "zeit.de.zugverkehr.html")
    assert thread.parser == "html/zeit"
    comments = thread.comments
    assert len(comments) == 8
    assert [c.parent for c in comments] == [None, 0, None, 2, None, 4, None, 6]
    assert thread.comment_count_declared == 571
    assert any("8 of 571" in note for note in thread.notes)
    # #1 and #1.1 were removed by the moderators: kept as deleted, without the notice.
    assert [c.status for c in comments[:3]] == ["deleted", "deleted", "approved"]
    assert comments[0].text == "" and comments[0].author == "ThomasMelber"
    assert comments[0].posted_at == FETCHED_AT - timedelta(hours=8)
    assert comments[5].posted_at == FETCHED_AT - timedelta(hours=7)
    assert comments[2].author_url == "https://profile.zeit.de/6594013"
    check_golden("html", "zeit.de.zugverkehr", [thread])


def test_zeit_without_fetch_time_leaves_relative_dates_unknown(corpus_dir: Path) -> None:
    path = corpus_dir / "html" / "zeit.de.zugverkehr.html"
    (thread,) = parse_page(RawPage(source_uri=str(path), content=path.read_bytes()))
    assert all(c.posted_at is None for c in thread.comments)


def test_zeit_fixture() -> None:
    fetched = datetime(2024, 4, 2, 12, 0, tzinfo=UTC)
    thread = parse_file(FIXTURES / "zeit-comments.html", fetched)
    assert thread.comment_count_declared == 120
    rows = [(c.depth, c.parent, c.author, c.status, c.text) for c in thread.comments]
    assert rows == [
        (0, None, "Radlerin", "approved", "Endlich, die Kreuzung war gefährlich."),
        (1, 0, "Fußgänger", "deleted", ""),
        (0, None, "Pendler", "approved", "Und wo parken die Lieferwagen?"),
    ]
    assert thread.comments[0].posted_at == datetime(2024, 4, 2, 10, 0, tzinfo=UTC)
    assert thread.comments[2].posted_at == datetime(2024, 4, 2, 11, 30, tzinfo=UTC)
