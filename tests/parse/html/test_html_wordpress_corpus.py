"""WordPress-family corpus pages: golden comment trees, plus counts checked by hand.

Each golden (tests/golden/html/<file stem>.json) was reviewed against the page itself: number of
comments, depth and parent of each, author, kind (pingbacks), order, first words. The counts
asserted explicitly below were counted in the HTML (comment ids and depth-N classes, headers).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import check_golden
from transforms.parse import parse_page
from transforms.records import ParsedThread, RawPage

WORDPRESS_PAGES = (
    "archive.org.muffinrezept.net.grundrezept",
    "blog.wordpress.com.diverse",
    "businessjargons.com.leadership",
    "californiaglobe.com.amazon",
    "cleaneval-finalrun-563.notevenwrong",
    "de.creativecommons.org.endlich",
    "dealdoktor.de.leibniz",
    "dragnet.blogohblog.models_testing",
    "erp-news.info.interview",
    "foxyfolksy.com.buttercream",
    "franziska-elea.de.vuitton",
    "golfpost.de-premiere",
    "gormulus.wordpress.com.durfen",
    "hearya.com.metal",
    "internet-law.de.pseudonymen",
    "jovelstefan.de.gefallt",
    "lady50plus.de.sekre",
    "lemire.me.json",
    "moritz-meyer.net.vreni",
    "netzpolitik.org.abmahnungen",
    "readability.002.hacks-mozilla",
    "readability.wordpress-epoch",
    "spektrum.de.engelbart",
    "sports.fr.lorient",
    "theoriginalcopy.de.baby",
    "zulang.wordpress.com.genitalverstuemmelung",
)


def parse_corpus(corpus_dir: Path, stem: str) -> list[ParsedThread]:
    path = corpus_dir / "html" / f"{stem}.html"
    return parse_page(RawPage(source_uri=str(path), content=path.read_bytes()))


@pytest.mark.parametrize("stem", WORDPRESS_PAGES)
def test_wordpress_golden(corpus_dir: Path, stem: str) -> None:
    threads = parse_corpus(corpus_dir, stem)
    assert len(threads) == 1
    assert threads[0].parser == "html/wordpress"
    check_golden("html", stem, threads)


# (stem, comments, top level, deepest depth (0 = top), declared, pingbacks+trackbacks)
HAND_COUNTS = [
    ("lemire.me.json", 5, 3, 1, 5, 0),
    ("franziska-elea.de.vuitton", 17, 13, 1, 17, 0),
    ("lady50plus.de.sekre", 10, 5, 1, 10, 0),
    ("netzpolitik.org.abmahnungen", 74, 36, 4, 91, 0),  # header says 91, 74 rendered
    ("spektrum.de.engelbart", 54, 53, 1, 54, 0),  # sidebar widget list left out
    ("moritz-meyer.net.vreni", 36, 27, 3, 36, 16),
    ("dealdoktor.de.leibniz", 26, 20, 2, None, 0),  # replies in sibling lists
    ("blog.wordpress.com.diverse", 13, 10, 2, 13, 0),
    ("hearya.com.metal", 38, 38, 0, 38, 0),  # dt + dd = one comment
    ("readability.wordpress-epoch", 13, 4, 3, 13, 0),  # duplicate ids
    ("jovelstefan.de.gefallt", 3, 3, 0, 3, 3),
    ("erp-news.info.interview", 2, 2, 0, 2, 2),
    ("gormulus.wordpress.com.durfen", 45, 20, 2, 45, 5),
    ("californiaglobe.com.amazon", 20, 18, 1, 20, 8),
    ("cleaneval-finalrun-563.notevenwrong", 35, 35, 0, 35, 0),
    ("sports.fr.lorient", 0, 0, None, None, 0),  # live ticker, no reader comments
]


@pytest.mark.parametrize(("stem", "total", "top", "deepest", "declared", "pings"), HAND_COUNTS)
def test_wordpress_hand_counts(
    corpus_dir: Path,
    stem: str,
    total: int,
    top: int,
    deepest: int | None,
    declared: int | None,
    pings: int,
) -> None:
    (thread,) = parse_corpus(corpus_dir, stem)
    comments = thread.comments
    assert len(comments) == total
    assert sum(c.parent is None for c in comments) == top
    assert max((c.depth for c in comments), default=None) == deepest
    assert thread.comment_count_declared == declared
    assert sum(c.kind != "comment" for c in comments) == pings
    for i, c in enumerate(comments):  # a parent always precedes its replies, one level up
        if c.parent is not None:
            assert c.parent < i
            assert comments[c.parent].depth == c.depth - 1
        else:
            assert c.depth == 0
        assert not c.orphan


def test_lemire_details(corpus_dir: Path) -> None:
    (thread,) = parse_corpus(corpus_dir, "lemire.me.json")
    assert (
        thread.url
        == "https://lemire.me/blog/2019/08/02/json-parsing-simdjson-vs-json-for-modern-c/"
    )
    assert thread.site == "lemire.me"
    assert thread.title == "JSON parsing: simdjson vs. JSON for Modern C++"
    assert [c.parent for c in thread.comments] == [None, None, 1, None, 3]
    assert [c.native_id for c in thread.comments][:2] == ["421882", "422154"]
    first = thread.comments[0]
    assert first.author == "degski" and first.author_url == "http://example.com"
    assert first.text.count("\n\n") == 1  # two paragraphs, no "says:", no "Reply"
    assert "Reply" not in first.text and "says" not in first.text


def test_wayback_capture_reports_the_original_url(corpus_dir: Path) -> None:
    (thread,) = parse_corpus(corpus_dir, "archive.org.muffinrezept.net.grundrezept")
    assert thread.url is not None and thread.url.startswith("http://muffinrezept.net/")
    assert thread.site == "muffinrezept.net"


def test_cleaneval_windows_1252_page(corpus_dir: Path) -> None:
    (thread,) = parse_corpus(corpus_dir, "cleaneval-finalrun-563.notevenwrong")
    assert thread.url == "http://www.math.columbia.edu/~woit/blog/archives/000031.html"
    text = "\n".join(c.text for c in thread.comments)
    assert "’" in text and "\ufffd" not in text  # cp1252 quotes decoded, not replaced


def test_sports_ticker_is_not_a_comment_thread(corpus_dir: Path) -> None:
    (thread,) = parse_corpus(corpus_dir, "sports.fr.lorient")
    assert thread.comments == ()
    assert thread.title
