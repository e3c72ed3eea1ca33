"""SPIP forums: ``li.forum-fil`` messages, replies nested in an inner ``ul``.

Counts were taken from the HTML (``forum-texte-N`` ids, ``ul`` nesting, "27 commentaires",
the article's "Vos réactions (11)" link).
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


# (stem, comments, top level, deepest depth, declared, anonymous)
CORPUS = [
    ("blog.mondediplo.net.turpitude", 27, 27, 0, 27, 5),
    ("regards.fr.enquetes", 11, 9, 1, 11, 0),
]


@pytest.mark.parametrize(("stem", "total", "top", "deepest", "declared", "anonymous"), CORPUS)
def test_spip_corpus(
    corpus_dir: Path, stem: str, total: int, top: int, deepest: int, declared: int, anonymous: int
) -> None:
    thread = parse_file(corpus_dir / "html" / f"{stem}.html")
    assert thread.parser == "html/spip"
    comments = thread.comments
    assert len(comments) == total
    assert sum(c.parent is None for c in comments) == top
    assert max(c.depth for c in comments) == deepest
    assert thread.comment_count_declared == declared
    assert sum(c.author is None for c in comments) == anonymous
    for c in comments:
        assert c.text and c.posted_at is not None and c.native_id
        assert "Répondre" not in c.text
    check_golden("html", stem, [thread])


def test_regards_times_are_the_utc_stamps(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "regards.fr.enquetes.html")
    # Shown "Le 9 janvier à 13:06" (no year); abbr[title] says 2020-01-09T12:06:44Z.
    assert thread.comments[6].posted_at == datetime(2020, 1, 9, 12, 6, 44, tzinfo=UTC)
    assert [c.parent for c in thread.comments[:4]] == [None, 0, None, 2]


def test_mondediplo_subject_leads_the_text(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "blog.mondediplo.net.turpitude.html")
    first = thread.comments[0]
    assert first.author is None  # no name given
    assert first.posted_at == datetime(2018, 6, 22, 11, 13, tzinfo=UTC)  # "(22 juin 2018 @11h13)"
    assert first.text.count("\n\n") == 1  # subject, then the message


def test_spip_fixture() -> None:
    thread = parse_file(FIXTURES / "spip-forum.html")
    assert thread.comment_count_declared == 3
    rows = [(c.depth, c.parent, c.author, c.native_id, c.text) for c in thread.comments]
    assert rows == [
        (0, None, "Claire", "901", "Enfin\n\nLes horaires changent-ils ?\n\nMerci."),
        (1, 0, None, "905", "Non, comme avant."),  # subject pre-filled from the parent
        (0, None, "Hugo", "903", "Il manque un parking vélo."),
    ]
    assert thread.comments[2].posted_at == datetime(2024, 5, 4, 18, 45, tzinfo=UTC)


def test_spip_dist_template_fixture() -> None:
    """SPIP's default templates: id on ``div.forum-message``, "DATE, par NAME" in ``small``."""
    thread = parse_file(FIXTURES / "spip-dist.html")
    assert thread.parser == "html/spip"
    rows = [(c.parent, c.author, c.author_url, c.native_id, c.text) for c in thread.comments]
    assert rows == [
        (None, "Léa", "http://exemple.fr/lea", "71", "Pistes\n\nIl faut plus de pistes."),
        (0, "Max", "http://exemple.fr/max", "72", "D'accord."),
    ]
    assert [c.posted_at for c in thread.comments] == [
        datetime(2010, 6, 5, tzinfo=UTC),
        datetime(2010, 6, 6, 8, 0, tzinfo=UTC),
    ]


def test_spip_comments_plugin_fixture() -> None:
    """The "comments" plugin: ``li.comment-item``, author in the reviewer's box (never the
    article linked by "En réponse à"), a reply nested or named by ``a[rel=in-reply-to]``, and
    a reply styled ``.reply`` keeps its text."""
    thread = parse_file(FIXTURES / "spip-comments-plugin.html")
    assert thread.parser == "html/spip"
    rows = [
        (c.depth, c.parent, c.author, c.author_url, c.native_id, c.text) for c in thread.comments
    ]
    assert rows == [
        (0, None, "Odile", None, "501", "Et les places de stationnement ?\n\nIl en manque déjà."),
        (1, 0, "Marcel", None, "502", "Le parking de la gare reste ouvert."),
        (0, None, "Lucie", "https://exemple.org/lucie", "507", "Bonne nouvelle, enfin."),
        (1, 2, "Anonyme du 12e", None, "509", "Et pour les riverains ?"),  # flat: in-reply-to
    ]
    assert thread.comments[1].posted_at == datetime(2023, 4, 2, 9, 40, tzinfo=UTC)
    assert thread.comment_count_declared == 3
