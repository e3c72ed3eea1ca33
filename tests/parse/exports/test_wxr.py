"""WXR exports: namespaces and versions, statuses, kinds, orphans, tree order, deep chains,
damaged and unreadable input (fixtures written for threadline in tests/fixtures)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.parse.exports import fixture_page
from transforms.dedup import normalise_thread
from transforms.parse import wxr
from transforms.parse.registry import ParseError, detect_format, parse_page
from transforms.records import RawPage


@pytest.mark.parametrize(
    "name", ["wxr-https-1.2.xml", "wxr-http-1.0.xml", "wxr-http-1.1.xml", "wxr-empty.xml"]
)
def test_every_namespace_and_version_is_detected(name: str) -> None:
    assert detect_format(fixture_page(name)).name == "wxr"


def test_https_export_threads_and_which_items_become_threads() -> None:
    threads = parse_page(fixture_page("wxr-https-1.2.xml"))
    # post 40 (comments), page 41 (published, no comments), attachment 43 (has a comment);
    # the draft 42 and the menu item 44 have no comments and are not threads.
    assert [t.native_id for t in threads] == ["40", "41", "43"]
    post, page, attachment = threads
    assert post.parser == "wxr"
    assert post.title == "Raised beds & slugs"
    assert post.url == "https://www.allotment.example/2021/04/raised-beds/"
    assert post.site == "allotment.example"
    assert post.published_at == datetime(2021, 4, 3, 9, 0, tzinfo=UTC)
    assert post.article_text == (
        "We built three raised beds out of old scaffold boards.\n\n"
        "The slugs found them within a week.\nCopper tape slowed them down."
    )
    assert page.comments == () and page.title == "Plot map"
    assert len(attachment.comments) == 1
    assert "WordPress post type 'attachment'" in attachment.notes
    assert "WordPress post status 'inherit'" in attachment.notes


def test_comments_in_tree_order_with_statuses_kinds_and_orphans() -> None:
    post = parse_page(fixture_page("wxr-https-1.2.xml"))[0]
    comments = post.comments
    # Listed 503, 501, 504, 502, ... in the file; a reply comes after its parent here.
    assert [c.native_id for c in comments] == [
        "501",
        "503",
        "504",
        "502",
        "505",
        "506",
        "507",
        "508",
    ]
    assert [c.parent for c in comments] == [None, 0, 1, None, None, None, None, None]
    assert [c.depth for c in comments] == [0, 1, 2, 0, 0, 0, 0, 0]
    assert [c.status for c in comments] == [
        "approved", "approved", "pending", "spam", "trash", "approved", "approved", "approved"
    ]  # fmt: skip
    assert [c.kind for c in comments] == ["comment"] * 6 + ["pingback", "trackback"]
    assert [c.orphan for c in comments] == [False] * 5 + [True, False, False]
    first = comments[0]
    assert first.author == "Arturo “Art” V."
    assert first.author_url == "https://art.example/"
    assert (
        first.text == "What did you line the beds with?\n\nWe used cardboard and it rotted by June."
    )
    assert comments[1].author_url is None  # a bare "http://" is no URL
    assert comments[3].text == "buy now"
    assert comments[6].text == "[…] a write-up on raised beds […]"
    # comment_date_gmt 0000-00-00: the local comment_date is used and the fallback noted
    assert comments[2].posted_at == datetime(2021, 4, 5, 8, 0, tzinfo=UTC)
    assert "1 comment(s) without a GMT date: local comment_date taken as UTC" in post.notes
    assert any("reply to a comment missing from the export" in n for n in post.notes)


def test_http_1_0_export_without_channel_link_or_gmt_dates() -> None:
    (thread,) = parse_page(fixture_page("wxr-http-1.0.xml"))
    assert thread.site == "transit-diary.example"
    assert thread.published_at == datetime(2009, 3, 2, 8, 15, tzinfo=UTC)  # from pubDate
    assert [(c.author, c.parent, c.depth) for c in thread.comments] == [
        ("Gus", None, 0),
        ("Hana", 0, 1),
    ]
    assert thread.comments[0].posted_at == datetime(2009, 3, 2, 10, 0, tzinfo=UTC)


def test_http_1_1_export() -> None:
    (thread,) = parse_page(fixture_page("wxr-http-1.1.xml"))
    assert (thread.native_id, thread.site, len(thread.comments)) == ("12", "kiln-log.example", 1)
    assert thread.published_at == datetime(2015, 6, 1, 18, 0, tzinfo=UTC)


def test_empty_export_has_no_threads() -> None:
    assert parse_page(fixture_page("wxr-empty.xml")) == []


def _chain_export(depth: int) -> bytes:
    comments = []
    for n in reversed(range(1, depth + 1)):  # deepest first: children before parents
        comments.append(
            f"<wp:comment><wp:comment_id>{n}</wp:comment_id>"
            f"<wp:comment_author>writer {n % 7}</wp:comment_author>"
            f"<wp:comment_date_gmt>2020-01-01 00:00:00</wp:comment_date_gmt>"
            f"<wp:comment_content>reply number {n}</wp:comment_content>"
            f"<wp:comment_approved>1</wp:comment_approved>"
            f"<wp:comment_parent>{n - 1}</wp:comment_parent></wp:comment>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        "<link>https://chain.example</link><item><title>Deep</title>"
        "<link>https://chain.example/deep/</link><wp:post_id>1</wp:post_id>"
        "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
        + "".join(comments)
        + "</item></channel></rss>"
    ).encode()


def test_a_5000_deep_reply_chain() -> None:
    page = RawPage(source_uri="generated-chain.xml", content=_chain_export(5000))
    (thread,) = parse_page(page)
    assert len(thread.comments) == 5000
    assert [c.native_id for c in thread.comments[:3]] == ["1", "2", "3"]
    assert all(c.parent == i - 1 and c.depth == i for i, c in enumerate(thread.comments) if i)
    assert thread.comments[-1].depth == 4999
    normalised = normalise_thread(
        thread, source_uri=page.source_uri, seen_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert normalised.comments[-1].depth == 4999


def test_damaged_wxr_is_repaired_and_the_repairs_reported() -> None:
    content = (
        b'<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>'
        b"<title>Fish & chips</title><link>https://chips.example/a</link>"
        b"<wp:post_id>3</wp:post_id><wp:comment><wp:comment_id>1</wp:comment_id>"
        b"<wp:comment_content>Salt&nbsp;and vinegar</wp:comment_content>"
        b"<wp:comment_parent>0</wp:comment_parent></wp:comment></item></channel></rss>"
    )
    (thread,) = wxr.parse(RawPage(source_uri="chips.xml", content=content))
    assert thread.title == "Fish & chips"
    assert thread.comments[0].text == "Salt and vinegar"
    assert thread.notes[0].startswith("input was not well-formed XML")
    assert "repaired: escaped bare '&' ×1 (first at line 1)" in thread.notes
    assert any("HTML named entities" in n for n in thread.notes)


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02\x03 binary, not an export",
        b'<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item <<<< &&& <item',
    ],
)
def test_unrepairable_input_raises_naming_the_input(content: bytes) -> None:
    with pytest.raises(ParseError, match=r"broken-export\.xml"):
        wxr.parse(RawPage(source_uri="broken-export.xml", content=content))


def test_rss_without_the_wordpress_namespace_is_refused() -> None:
    page = RawPage(source_uri="feed.xml", content=b"<rss><channel><item/></channel></rss>")
    assert not wxr.detect(page, page.content.decode())
    with pytest.raises(ParseError, match=r"feed\.xml.*WordPress export namespace"):
        wxr.parse(page)


def test_comment_types_readers_never_see_are_left_out_and_counted() -> None:
    """WordPress 6.9 exports the editors' block notes as comments of type ``note``, and
    WooCommerce its order notes: neither is a reader comment. A draft whose only comments
    are notes is no thread."""

    def comment(ident: int, kind: str, approved: str, parent: int = 0) -> str:
        return (
            f"<wp:comment><wp:comment_id>{ident}</wp:comment_id>"
            f"<wp:comment_content>text {ident}</wp:comment_content>"
            f"<wp:comment_approved>{approved}</wp:comment_approved>"
            f"<wp:comment_type>{kind}</wp:comment_type>"
            f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
        )

    content = (
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        "<item><title>Live</title><link>https://notes.example/live/</link>"
        "<wp:post_id>1</wp:post_id><wp:status>publish</wp:status>"
        + comment(10, "note", "0")
        + comment(11, "note", "0", parent=10)
        + comment(12, "comment", "1")
        + comment(13, "", "1", parent=12)
        + comment(14, "order_note", "1")
        + "</item><item><title>Draft</title><wp:post_id>2</wp:post_id>"
        "<wp:status>draft</wp:status>" + comment(20, "note", "0") + "</item></channel></rss>"
    ).encode()
    (thread,) = wxr.parse(RawPage(source_uri="notes.xml", content=content))
    assert [(c.native_id, c.parent) for c in thread.comments] == [("12", None), ("13", 0)]
    assert thread.notes == (
        "2 comment(s) of comment_type 'note' left out: editors' notes on the post's blocks, "
        "not reader comments",
        "1 comment(s) of comment_type 'order_note' left out: notes on a shop order, "
        "not reader comments",
    )


def test_disqus_import_format_threads_are_keyed_by_their_identifier() -> None:
    """Disqus's import format is a WXR without post ids: each item names its thread in
    ``dsq:thread_identifier``, which becomes the thread's native id."""
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        b'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        b'xmlns:dsq="http://www.disqus.com/" xmlns:wp="http://wordpress.org/export/1.0/">'
        b"<channel><item><title>Kettle descaling</title>"
        b"<link>https://kitchen.example/kettle</link>"
        b"<content:encoded><![CDATA[Vinegar or citric acid?]]></content:encoded>"
        b"<!-- the thread's identifier on the site -->"
        b"<dsq:thread_identifier>kettle-42</dsq:thread_identifier>"
        b"<wp:post_date_gmt>2015-03-01 10:00:00</wp:post_date_gmt>"
        b"<wp:comment_status>open</wp:comment_status>"
        b"<wp:comment><wp:comment_id>7</wp:comment_id>"
        b"<wp:comment_author>Pat</wp:comment_author>"
        b"<wp:comment_content><![CDATA[Citric acid, every time.]]></wp:comment_content>"
        b"<wp:comment_date_gmt>2015-03-02 08:30:00</wp:comment_date_gmt>"
        b"<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent>"
        b"</wp:comment></item></channel></rss>"
    )
    (thread,) = parse_page(RawPage(source_uri="disqus-import.xml", content=content))
    assert (thread.native_id, thread.url) == ("kettle-42", "https://kitchen.example/kettle")
    assert thread.published_at == datetime(2015, 3, 1, 10, 0, tzinfo=UTC)
    (comment,) = thread.comments
    assert (comment.native_id, comment.author, comment.text) == (
        "7",
        "Pat",
        "Citric acid, every time.",
    )
