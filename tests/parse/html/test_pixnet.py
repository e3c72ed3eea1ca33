"""PIXNET: one ``ul.single-post`` per comment, the blog owner's answer inside it.

readability.pixnet: "留言列表 (42)"; 42 ``ul.single-post``, 3 of them private
(``.secret``, content hidden), 39 visible; 38 carry an owner's answer (``li.reply-text``).
The answers are replies at depth 1 by the owner, so 39 + 38 = 77 comments.
"""

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


def test_pixnet_corpus(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "readability.pixnet.html")
    assert thread.parser == "html/pixnet"
    comments = thread.comments
    assert len(comments) == 77
    assert sum(c.parent is None for c in comments) == 39
    assert max(c.depth for c in comments) == 1
    assert thread.comment_count_declared == 42
    assert any("private" in note and "3" in note for note in thread.notes)
    answers = [c for c in comments if c.parent is not None]
    assert len(answers) == 38 and {c.author for c in answers} == {"史蒂文的家_藍天"}
    assert comments[1].posted_at == datetime(2014, 1, 1, 20, 31, tzinfo=UTC)
    assert comments[1].text == "謝謝小鳳的來訪！"  # the "… 於 DATE 回覆" line is not text
    assert comments[0].native_id == "58824406"
    check_golden("html", "readability.pixnet", [thread])


def test_pixnet_fixture() -> None:
    thread = parse_file(FIXTURES / "pixnet-comments.html")
    assert thread.comment_count_declared == 3
    rows = [(c.depth, c.parent, c.author, c.text) for c in thread.comments]
    assert rows == [
        (0, None, "阿梅", "雲海好美\n下次也想去"),
        (1, 0, "小徑筆記", "謝謝阿梅！\n十月最適合"),
        (0, None, "訪客", "請問要走多久？"),
    ]
    assert thread.comments[1].posted_at == datetime(2023, 10, 5, 21, 40, tzinfo=UTC)
    assert thread.comments[0].author_url == "http://amei.pixnet.net/blog"
