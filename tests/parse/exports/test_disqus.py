"""Disqus XML exports: threads, posts, parents, deleted/spam flags, missing threads, malformed
exports repaired with every repair reported, deep chains, unreadable input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.parse.exports import fixture_page
from transforms.parse import disqus
from transforms.parse.registry import ParseError, detect_format, parse_page
from transforms.records import RawPage


@pytest.mark.parametrize("name", ["disqus-threads.xml", "disqus-malformed.xml", "disqus-empty.xml"])
def test_detected_by_content(name: str) -> None:
    assert detect_format(fixture_page(name)).name == "disqus"


def test_threads_posts_parents_and_flags() -> None:
    threads = parse_page(fixture_page("disqus-threads.xml"))
    # 300 has neither link nor posts; 999 is only named by a post: a placeholder, last.
    assert [t.native_id for t in threads] == ["100", "200", "999"]
    heron, hide, lost = threads
    assert heron.parser == "disqus"
    assert heron.title == "Heron count & weather"
    assert heron.url == "https://birdwatch.example/heron-count/"
    assert heron.site == "birdwatch.example"
    assert heron.published_at == datetime(2019, 2, 1, 8, 0, tzinfo=UTC)
    comments = heron.comments
    assert [c.native_id for c in comments] == ["1001", "1002", "1004", "1003", "1005"]
    assert [c.parent for c in comments] == [None, 0, 0, None, None]
    assert [c.depth for c in comments] == [0, 1, 1, 0, 0]
    assert [c.status for c in comments] == ["approved", "approved", "deleted", "spam", "pending"]
    assert [c.author for c in comments] == ["Kit", "Jo", "lee_r", "promo", "Mo"]
    assert comments[0].text == "How many did you count?\n\nI only saw seven."
    assert comments[2].text == ""
    assert comments[4].text == "First line of a plain message\nsecond line\n\na new paragraph"

    (orphan,) = hide.comments
    assert orphan.orphan and orphan.parent is None and orphan.depth == 0
    assert "thread is deleted in Disqus (isDeleted): its posts are kept" in hide.notes
    assert "thread is closed to new comments (isClosed)" in hide.notes
    assert any("reply to a post missing from the export" in n for n in hide.notes)

    assert lost.url is None and [c.text for c in lost.comments] == ["Lost post."]
    assert lost.notes == (
        "thread 999 is not in the export: its posts are kept under this placeholder",
    )


def test_malformed_export_is_repaired_and_every_repair_reported() -> None:
    (thread,) = parse_page(fixture_page("disqus-malformed.xml"))
    notes = " | ".join(thread.notes)
    assert thread.notes[0].startswith("input was not well-formed XML")
    assert "repaired: removed 1 stray character(s) before the XML start: '`'" in thread.notes
    assert "repaired: quoted 3 unquoted attribute value(s)" in notes
    for attribute in ("dsq:id=77", "dsq:id=7701"):
        assert attribute in notes
    assert "repaired: escaped bare '&' ×2" in notes
    assert "repaired: replaced HTML named entities XML does not define ×1" in notes
    assert "after the closing </disqus>" in notes
    assert not any("recovered with lxml" in n for n in thread.notes)  # repairs sufficed

    assert thread.title == "Trap night & tea"
    assert thread.url == "https://moths.example/trap-night/"
    first, reply = thread.comments
    assert first.text == "Forty species before midnight, R&D budget permitting."
    assert (reply.native_id, reply.parent, reply.depth) == ("7702", 0, 1)


def test_repairs_are_general_not_keyed_to_one_file() -> None:
    content = (
        b"  junk!<?xml version='1.0'?><disqus xmlns='http://disqus.com'>"
        b"<thread dsq:id=9><link>https://a.example/p</link></thread>"
        b"<post dsq:id=91><message>ok</message><thread dsq:id=9 /></post></disqus>"
    )
    (thread,) = disqus.parse(RawPage(source_uri="other.xml", content=content))
    assert thread.native_id == "9" and [c.native_id for c in thread.comments] == ["91"]
    assert "repaired: declared 1 undeclared namespace prefix(es): dsq" in thread.notes
    assert any(n.startswith("repaired: quoted 3 unquoted attribute value(s)") for n in thread.notes)
    assert any("before the XML start: 'junk!'" in n for n in thread.notes)


def test_empty_export_has_no_threads() -> None:
    assert parse_page(fixture_page("disqus-empty.xml")) == []


def test_a_5000_deep_reply_chain() -> None:
    posts = [
        f'<post dsq:id="{n}"><message>reply {n}</message>'
        f"<createdAt>2020-01-01T00:00:00Z</createdAt>"
        f'<thread dsq:id="1"/>' + (f'<parent dsq:id="{n - 1}"/>' if n > 1 else "") + "</post>"
        for n in reversed(range(1, 5001))
    ]
    content = (
        '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">'
        '<thread dsq:id="1"><link>https://chain.example/deep/</link></thread>'
        + "".join(posts)
        + "</disqus>"
    ).encode()
    (thread,) = disqus.parse(RawPage(source_uri="generated-chain.xml", content=content))
    assert len(thread.comments) == 5000
    assert all(c.parent == i - 1 and c.depth == i for i, c in enumerate(thread.comments) if i)
    assert thread.comments[-1].native_id == "5000"


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b'<disqus xmlns="http://disqus.com"><post <<<>>> &&& <post',
        b'<?xml version="1.0"?><rss><channel/></rss>',
    ],
)
def test_unrepairable_input_raises_naming_the_input(content: bytes) -> None:
    with pytest.raises(ParseError, match=r"broken-disqus\.xml"):
        disqus.parse(RawPage(source_uri="broken-disqus.xml", content=content))
