"""The five seed pages (../shared/seeds): plain-text renderings of real thread pages.

Each golden (tests/golden/text/<seed>.json) was written from a line-by-line reading of the seed
(every comment's depth, parent, author, kind, first words, paragraph count), not from parser
output. The checks below pin what the goldens cannot show: dedup of the double posts, orphans,
the comment whose marker line is missing, and chrome kept out of article and comments.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.golden import check_golden
from transforms.dedup import normalise_thread
from transforms.parse import detect_format
from transforms.parse.text import parse
from transforms.records import ParsedThread, RawPage

SEEDS = (
    "000_bb938e40168c4b05",
    "001_0776bdaa53b0c1c9",
    "002_c2858f5c8df462c7",
    "003_2bd33c0182c2daec",
    "004_7edfd67d6125f47a",
)
SEEN = datetime(2024, 1, 1, tzinfo=UTC)


def _page(seeds_dir: Path, stem: str) -> RawPage:
    path = seeds_dir / f"{stem}.txt"
    return RawPage(source_uri=str(path), content=path.read_bytes())


def _thread(seeds_dir: Path, stem: str) -> ParsedThread:
    [thread] = parse(_page(seeds_dir, stem))
    return thread


@pytest.mark.parametrize("stem", SEEDS)
def test_seed_matches_golden(seeds_dir: Path, stem: str) -> None:
    check_golden("text", stem, [_thread(seeds_dir, stem)])


@pytest.mark.parametrize("stem", SEEDS)
def test_seed_is_detected_as_text(seeds_dir: Path, stem: str) -> None:
    assert detect_format(_page(seeds_dir, stem)).name == "text"


@pytest.mark.parametrize(
    ("stem", "parsed", "unique", "top", "max_depth", "orphans", "duplicates"),
    [
        ("000_bb938e40168c4b05", 42, 42, 10, 2, 1, 0),
        ("001_0776bdaa53b0c1c9", 23, 23, 6, 2, 0, 0),
        ("002_c2858f5c8df462c7", 21, 21, 10, 2, 0, 0),
        ("003_2bd33c0182c2daec", 24, 19, 7, 4, 0, 5),
        ("004_7edfd67d6125f47a", 53, 53, 17, 4, 0, 0),
    ],
)
def test_seed_tree_shape_after_dedup(
    seeds_dir: Path,
    stem: str,
    parsed: int,
    unique: int,
    top: int,
    max_depth: int,
    orphans: int,
    duplicates: int,
) -> None:
    thread = _thread(seeds_dir, stem)
    assert len(thread.comments) == parsed
    rows = normalise_thread(thread, source_uri=stem, seen_at=SEEN)
    assert len(rows.comments) == unique
    assert rows.duplicates_collapsed == duplicates
    assert sum(1 for c in rows.comments if c.parent_id is None and not c.is_orphan) == top
    assert max(c.depth for c in rows.comments) == max_depth
    assert sum(1 for c in rows.comments if c.is_orphan) == orphans


def test_double_posts_collapse_and_replies_move_to_the_kept_copy(seeds_dir: Path) -> None:
    thread = _thread(seeds_dir, "003_2bd33c0182c2daec")
    rows = normalise_thread(thread, source_uri="003", seen_at=SEEN).comments
    by_id = {r.comment_id: r for r in rows}
    fivefold = [r for r in rows if r.duplicates == 4]
    assert len(fivefold) == 1 and fivefold[0].author == "rekrab"
    twice = [r for r in rows if r.duplicates == 1]
    assert len(twice) == 1 and twice[0].author is None
    # The replies that sat under the second copy now hang from the kept (first) copy.
    replies = [r for r in rows if r.parent_id == twice[0].comment_id]
    assert [r.author for r in replies] == ["jaime taurosangastre candelas", "Dave Postles"]
    assert by_id[twice[0].parent_id or ""].author == "jaime taurosangastre candelas"


def test_reply_without_its_parent_is_an_orphan_at_its_shown_depth(seeds_dir: Path) -> None:
    thread = _thread(seeds_dir, "000_bb938e40168c4b05")
    first, reply = thread.comments[0], thread.comments[1]
    assert (first.depth, first.parent, first.orphan) == (1, None, True)
    assert (reply.depth, reply.parent, reply.orphan) == (2, 0, False)
    assert first.text.count("\n\n") == 1  # its second paragraph is its own, not a new comment


def test_comment_without_marker_line_is_a_top_level_comment(seeds_dir: Path) -> None:
    thread = _thread(seeds_dir, "001_0776bdaa53b0c1c9")
    lost = thread.comments[14]
    assert (lost.depth, lost.parent, lost.orphan) == (0, None, False)
    assert thread.comments[15].parent == 14
    assert any("without a marker line" in note for note in thread.notes)
    # Extra blank lines where media was dropped do not split a comment.
    assert thread.comments[15].text.count("\n\n") == 1


def test_no_text_is_lost_or_shared_between_comments(seeds_dir: Path) -> None:
    for stem in SEEDS:
        page = _page(seeds_dir, stem)
        thread = _thread(seeds_dir, stem)
        source = " ".join(page.content.decode("utf-8").split())
        for comment in thread.comments:
            for paragraph in comment.text.split("\n\n"):
                assert " ".join(paragraph.split()) in source


@pytest.mark.parametrize("stem", SEEDS)
def test_chrome_stays_out_of_article_and_comments(seeds_dir: Path, stem: str) -> None:
    thread = _thread(seeds_dir, stem)
    article = thread.article_text or ""
    for chrome in (
        "Latest post on",
        "Featured News",
        "Read more",
        "Daily Email",
        "©",
        "Comments\n",
    ):
        assert chrome not in article
        assert all(chrome not in c.text for c in thread.comments)
    assert thread.title and not thread.title.startswith("Latest post")
    assert "comment section" not in article  # the policy line above the comments


def test_article_fields(seeds_dir: Path) -> None:
    dated = _thread(seeds_dir, "003_2bd33c0182c2daec")
    assert dated.published_at == datetime(2013, 3, 22, 13, 55, tzinfo=UTC)
    assert dated.article_text and not dated.article_text.startswith("22nd")
    counted = _thread(seeds_dir, "004_7edfd67d6125f47a")
    assert counted.comment_count_declared == 53 == len(counted.comments)
    for stem in SEEDS[:3]:
        thread = _thread(seeds_dir, stem)
        # The standfirst opens the article text, set apart by a blank line.
        standfirst, _, body = (thread.article_text or "").partition("\n\n")
        assert standfirst and body and "\n" not in standfirst
        assert thread.published_at is None and thread.comment_count_declared is None
