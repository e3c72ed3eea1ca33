"""Blogger pages: the threaded template and the two classic (2004-2011) markups.

Counts below were taken from the HTML: ``li.comment#cID`` items and their nesting in
``div.comment-replies`` (threaded), ``dt``/``dd.comment-body`` pairs and ``li#cID`` items
(classic), and the "N comments:" headers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.golden import check_golden
from transforms.parse import parse_page
from transforms.records import ParsedThread, RawPage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def parse_file(path: Path, url: str | None = None) -> ParsedThread:
    (thread,) = parse_page(RawPage(source_uri=str(path), content=path.read_bytes(), url=url))
    return thread


# (stem, comments, top level, deepest depth, declared, deleted)
CORPUS = [
    ("luxuryhaven.co.hyatt", 24, 24, 0, 24, 0),
    ("derpapierplanet.de.juni", 13, 4, 1, None, 0),  # German UI, owner answers each thread
    ("cleaneval-en-57.syriacomment", 22, 22, 0, 22, 0),  # dl#comments-block dt + dd
    ("cleaneval-en-13.aseigo.blogspot", 15, 15, 0, 15, 1),  # li#cID, one removed by admin
]


@pytest.mark.parametrize(("stem", "total", "top", "deepest", "declared", "deleted"), CORPUS)
def test_blogger_corpus(
    corpus_dir: Path,
    stem: str,
    total: int,
    top: int,
    deepest: int,
    declared: int | None,
    deleted: int,
) -> None:
    thread = parse_file(corpus_dir / "html" / f"{stem}.html")
    assert thread.parser == "html/blogger"
    comments = thread.comments
    assert len(comments) == total
    assert sum(c.parent is None for c in comments) == top
    assert max(c.depth for c in comments) == deepest
    assert thread.comment_count_declared == declared
    assert sum(c.status == "deleted" for c in comments) == deleted
    for c in comments:
        assert c.author and c.native_id and c.posted_at is not None
        for chrome in ("Reply", "Antworten", "Delete", "Löschen", "said...", "By "):
            assert not c.text.startswith(chrome) and not c.text.endswith(chrome)
    check_golden("html", stem, [thread])


def test_threaded_times_come_from_the_permalink_in_utc(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "derpapierplanet.de.juni.html")
    first = thread.comments[0]
    # Shown as "6. Juni 2015 um 10:23" (CEST); showComment=1433578985419 is 08:23:05 UTC.
    assert first.posted_at == datetime(2015, 6, 6, 8, 23, 5, 419000, tzinfo=UTC)
    assert [c.parent for c in thread.comments[:8]] == [None, 0, 0, 0, 0, 0, 0, None]


def test_classic_ids_give_the_time_when_the_page_shows_only_a_clock(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "cleaneval-en-13.aseigo.blogspot.html")
    # "By Anonymous, at 1:53 PM" on c109934239304823775: 1099342393 = 2004-11-01 20:53:13 UTC.
    assert thread.comments[0].posted_at == datetime(2004, 11, 1, 20, 53, 13, tzinfo=UTC)
    assert thread.comments[2].author == "Aaron J. Seigo"
    assert thread.comments[2].author_url == "http://www.blogger.com/profile/3912230"


def test_threaded_fixture() -> None:
    thread = parse_file(FIXTURES / "blogger-threaded.html")
    assert thread.comment_count_declared == 4
    rows = [(c.depth, c.parent, c.author, c.status, c.native_id) for c in thread.comments]
    assert rows == [
        (0, None, "Mira", "approved", "1111111111111111111"),
        (1, 0, "Tea Notes", "approved", "2222222222222222222"),
        (1, 0, "Anonymous", "deleted", "3333333333333333333"),
        (0, None, "Joss", "approved", "4444444444444444444"),
    ]
    first = thread.comments[0]
    assert first.text == "Seventy degrees works best for me.\n\nLonger steeping makes it bitter."
    assert first.author_url == "https://www.blogger.com/profile/1"
    assert first.posted_at == datetime(2021, 3, 10, 10, 0, tzinfo=UTC)  # showComment, not 11:00
    assert thread.comments[2].text == ""  # removed by its author: no notice as text
    assert thread.comments[3].author_url == "https://example.org/joss"


def test_classic_definition_list_fixture() -> None:
    thread = parse_file(FIXTURES / "blogger-classic.html")
    assert thread.comment_count_declared == 3
    assert [c.author for c in thread.comments] == ["Anonymous", "Ola", "Pit"]
    assert [c.text for c in thread.comments] == [
        "Twelve millimetres here.\nMostly overnight.",
        "Same gauge, half the rain.",
        "Was it windy?",
    ]
    stamps = [c.posted_at for c in thread.comments]
    # Ids agree with the shown clock (UTC-5) for the first two; the third disagrees (seconds),
    # so the shown time is used as written.
    assert stamps == [
        datetime(2005, 6, 1, 10, 0, tzinfo=UTC),
        datetime(2005, 6, 1, 12, 46, 40, tzinfo=UTC),
        datetime(2005, 6, 1, 10, 46, 40, tzinfo=UTC),
    ]
    assert thread.comments[1].author_url == "http://www.blogger.com/profile/77"


def test_classic_template_without_comments_is_an_empty_blogger_thread() -> None:
    html = """<html><head><title>Notes: A post</title>
    <link rel="stylesheet" href="https://www.blogger.com/static/v1/widgets/css.css"></head>
    <body><div class="post"><h3 class="post-title">A post</h3><div class="post-body">Words of
    the post itself, long enough to be taken as the article of the page.</div></div>
    <div class="comments" id="comments"><a name="comments"></a><h4>No comments:</h4>
    <div id="Blog1_comments-block-wrapper"><dl class="avatar-comment-indent" id="comments-block">
    </dl></div><p class="comment-footer"><a href="https://www.blogger.com/comment.g">Post a
    Comment</a></p></div></body></html>"""
    (thread,) = parse_page(RawPage(source_uri="memory", content=html.encode()))
    assert thread.parser == "html/blogger"
    assert thread.comments == ()
    assert thread.comment_count_declared == 0
