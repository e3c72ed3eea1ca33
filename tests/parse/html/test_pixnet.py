"""PIXNET: one ``ul.single-post`` per entry, the blog owner's answer inside it.

readability.pixnet: "留言列表 (42)"; 42 ``ul.single-post`` (floors #1-#42), 3 of them private
(``.secret``, content hidden), 39 visible; 38 carry an owner's answer (``li.reply-text``),
which is neither the commenter's text nor an entry of its own: 42 flat entries.
"""

from __future__ import annotations

from pathlib import Path

from tests.golden import check_golden
from transforms.parse import parse_page
from transforms.records import ParsedThread, RawPage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def parse_file(path: Path) -> ParsedThread:
    (thread,) = parse_page(RawPage(source_uri=str(path), content=path.read_bytes()))
    return thread


def test_pixnet_corpus(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "readability.pixnet.html")
    assert thread.parser == "html/pixnet"
    comments = thread.comments
    assert len(comments) == 42 == thread.comment_count_declared
    assert all(c.parent is None and c.depth == 0 for c in comments)
    private = [i for i, c in enumerate(comments) if not c.text]
    assert private == [11, 17, 21]  # floors #12, #18, #22, kept in place
    assert all(comments[i].author is None for i in private)
    assert any("private" in note and "3" in note for note in thread.notes)
    assert any("owner's answer" in note and "38" in note for note in thread.notes)
    assert "謝謝小鳳的來訪" not in " ".join(
        c.text for c in comments
    )  # answers are not loaded as text
    assert comments[0].native_id == "58824406"
    check_golden("html", "readability.pixnet", [thread])


def test_pixnet_fixture() -> None:
    thread = parse_file(FIXTURES / "pixnet-comments.html")
    assert thread.comment_count_declared == 3
    rows = [(c.depth, c.parent, c.author, c.text) for c in thread.comments]
    assert rows == [
        (0, None, "阿梅", "雲海好美\n下次也想去"),
        (0, None, None, ""),  # a private entry, kept in its place
        (0, None, "訪客", "請問要走多久？"),
    ]
    assert thread.comments[0].author_url == "http://amei.pixnet.net/blog"
