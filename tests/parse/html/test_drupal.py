"""Drupal pages: anchor + sibling comment markup, replies in following ``div.indented``.

Counts were taken from the HTML: ``a#comment-N`` anchors / ``article#comment-N`` elements,
the number of ``div.indented`` around each, and the count headers ("10 Kommentare",
"View comments (27)", "6 commentaires").
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.golden import check_golden
from transforms.parse import parse_page
from transforms.records import ParsedThread, RawPage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def parse_file(path: Path) -> ParsedThread:
    (thread,) = parse_page(RawPage(source_uri=str(path), content=path.read_bytes()))
    return thread


# (stem, comments, top level, deepest depth, declared)
CORPUS = [
    ("hpd.de-Homosexuellenhass", 10, 5, 3, 10),
    ("readability.aclu", 10, 8, 1, 27),  # page 1 of 3 of the comments
    ("lopinion.fr.glyphosate", 6, 6, 0, 6),
    ("cicero.de.pandemie", 8, 7, 1, None),
]


@pytest.mark.parametrize(("stem", "total", "top", "deepest", "declared"), CORPUS)
def test_drupal_corpus(
    corpus_dir: Path, stem: str, total: int, top: int, deepest: int, declared: int | None
) -> None:
    thread = parse_file(corpus_dir / "html" / f"{stem}.html")
    assert thread.parser == "html/drupal"
    comments = thread.comments
    assert len(comments) == total
    assert sum(c.parent is None for c in comments) == top
    assert max(c.depth for c in comments) == deepest
    assert thread.comment_count_declared == declared
    for i, c in enumerate(comments):
        assert c.author and c.posted_at is not None and c.native_id
        assert c.text and not c.orphan
        if c.parent is not None:
            assert c.parent < i and comments[c.parent].depth == c.depth - 1
        for chrome in ("Antworten", "reply", "Permanenter Link", "Aufklappen", "In reply to"):
            assert chrome not in c.text
    check_golden("html", stem, [thread])


def test_hpd_reply_chain(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "hpd.de-Homosexuellenhass.html")
    assert [c.parent for c in thread.comments] == [None, None, None, 2, 3, 4, None, 6, 7, None]
    # Collapsed long comments ("expanding formatter"): summary and rest, no "…"/"Aufklappen".
    assert thread.comments[1].text.count("\n\n") == 3
    assert thread.comments[0].posted_at == datetime(2023, 10, 18, 11, 11, 26, tzinfo=UTC)


def test_lopinion_author_and_subject(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "lopinion.fr.glyphosate.html")
    first = thread.comments[0]
    assert first.author == "Bruno Gobin"  # "Par Bruno Gobin,"
    assert first.posted_at == datetime(2019, 5, 15, 8, 7, tzinfo=UTC)  # "15 mai 2019 à 08h07"
    assert first.text.split("\n\n")[0] == "Exception."  # the typed subject leads the text


def test_aclu_pagination_is_noted(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "readability.aclu.html")
    assert any("paginated" in note for note in thread.notes)
    assert thread.comments[1].author == "Lars"
    assert thread.comments[0].posted_at == datetime(2018, 4, 5, 18, 32, tzinfo=UTC)


def test_cicero_reply_names_its_parent(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "cicero.de.pandemie.html")
    reply = thread.comments[7]
    assert reply.parent == 6 and reply.native_id == "214343"
    assert reply.author == "Heidemarie Heim"  # "NAME | date" line
    assert reply.posted_at == datetime(2020, 4, 23, 12, 27, 36, tzinfo=UTC)


def test_drupal7_indented_fixture() -> None:
    thread = parse_file(FIXTURES / "drupal-indented.html")
    assert thread.parser == "html/drupal"
    assert thread.comment_count_declared == 5
    assert any("paginated" in note for note in thread.notes)
    rows = [(c.depth, c.parent, c.author, c.native_id) for c in thread.comments]
    assert rows == [
        (0, None, "Lena K.", "101"),
        (1, 0, "Tom", "102"),
        (2, 1, "Lena K.", "104"),
        (0, None, "Ben", "103"),
        (1, 3, "Mo", "105"),
    ]
    texts = [c.text for c in thread.comments]
    assert texts == [
        "Streusalz\n\nBei uns wird nur die Fahrbahn geräumt.\n\nDer Radweg bleibt liegen.",
        "Das kenne ich auch aus meinem Viertel.",  # default subject "Das kenne ich auch…" dropped
        "Dann schreiben wir gemeinsam an das Amt.\n\nIch sammle die Adressen.",
        "Mit Spikes kein Problem.",
        "Welche Reifen genau?",  # "Re: Spikes" dropped
    ]
    assert thread.comments[0].posted_at == datetime(2024, 1, 8, 8, 15, tzinfo=UTC)


def test_drupal8_in_reply_to_fixture() -> None:
    thread = parse_file(FIXTURES / "drupal8-reply-to.html")
    assert [(c.depth, c.parent, c.author) for c in thread.comments] == [
        (0, None, "Ana Ruiz"),
        (1, 0, "Piet"),
    ]
    assert thread.comments[0].text == "Booked the Vienna one for March, very curious."
    assert thread.comments[1].text == "Couchettes\n\nTake a couchette, the seats are hard."
    assert thread.comments[1].posted_at == datetime(2023, 11, 15, 8, 0, tzinfo=UTC)
