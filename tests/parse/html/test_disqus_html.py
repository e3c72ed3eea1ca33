"""Disqus in a page's HTML: the server-rendered fallback, or only the JavaScript embed."""

from __future__ import annotations

from pathlib import Path

from tests.golden import check_golden
from transforms.parse import parse_page
from transforms.records import ParsedThread, RawPage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def parse_file(path: Path) -> ParsedThread:
    (thread,) = parse_page(RawPage(source_uri=str(path), content=path.read_bytes()))
    return thread


def test_toptal_noscript_fallback(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "toptal.com.python.html")
    assert thread.parser == "html/disqus"
    comments = thread.comments
    assert len(comments) == 86  # div.d-noscript-comments > div.comment, counted
    assert all(c.parent is None and c.depth == 0 for c in comments)  # the fallback is flat
    assert all(c.author and c.text for c in comments)
    assert sum(c.author == "Martin Chikilian" for c in comments) == 6
    # Plain-text bodies: blank lines are paragraph breaks, single newlines stay.
    assert comments[2].text.startswith("very good information shared by you guys")
    assert "\n\nfor mistake #1\n>>> import random" in comments[2].text
    check_golden("html", "toptal.com.python", [thread])


def test_gregoryszorc_embed_only_has_no_comments(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "gregoryszorc.com.python3.html")
    assert thread.parser == "html/disqus"
    assert thread.comments == ()
    assert any("JavaScript" in note and "Disqus" in note for note in thread.notes)
    check_golden("html", "gregoryszorc.com.python3", [thread])


def test_noscript_fixture() -> None:
    thread = parse_file(FIXTURES / "disqus-noscript.html")
    assert [(c.author, c.text) for c in thread.comments] == [
        ("Rin", "Tip 3 saved my afternoon.\n\nThanks!"),
        ("Guest", "You can also use\nset -euo pipefail\nat the top."),
    ]


def test_embed_only_fixture_is_empty_not_guessed() -> None:
    thread = parse_file(FIXTURES / "disqus-embed-only.html")
    assert thread.parser == "html/disqus"
    assert thread.comments == ()  # the dated post list is not taken for comments
    assert thread.notes == ("comments load by JavaScript (Disqus); none in the HTML",)


def test_squarespace_embed_gives_a_note_and_its_declared_count() -> None:
    html = b"""<html><head><title>Harbour walk</title></head><body><article><h1>Harbour walk</h1>
    <p>We walked along the old harbour wall at low tide.</p></article>
    <section class="blog-item-comments"><label>Show 4 comments</label>
    <div class="squarespace-comments" id="comments-5f1" data-item-id="5f1"
      data-public-comment-count="4" data-comment-state="1"></div></section></body></html>"""
    (thread,) = parse_page(RawPage(source_uri="memory", content=html))
    assert thread.comments == ()
    assert thread.notes == ("comments load by JavaScript (Squarespace); none in the HTML",)
    assert thread.comment_count_declared == 4
