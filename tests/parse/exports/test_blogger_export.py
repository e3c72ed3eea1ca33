"""Blogger exports and feeds (Atom): the classic backup and public feeds, typed by kind
categories, and the Takeout file, typed by ``blogger:type``; posts, pages and drafts, comment
parents from either generation's links, states, removed comments, comments on posts missing
from the file, ids shared with Blogger's pages, and what other formats are not taken for."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.parse.exports import fixture_page
from transforms.identity import comment_id_for, thread_id_for
from transforms.parse import blogger_export
from transforms.parse.registry import ParseError, detect_format, parse_page
from transforms.records import RawPage


def _raw(text: str, uri: str = "feed.xml") -> RawPage:
    return RawPage(source_uri=uri, content=text.encode())


@pytest.mark.parametrize("name", ["blogger-backup.xml", "blogger-takeout.atom"])
def test_detected_by_content(name: str) -> None:
    assert detect_format(fixture_page(name)).name == "blogger-export"


def test_classic_backup_posts_pages_and_comment_tree() -> None:
    beans, about, lost = parse_page(fixture_page("blogger-backup.xml"))
    # settings and template entries are configuration; the unpublished draft has no comments
    assert beans.parser == "blogger-export"
    assert beans.native_id == "4410000000000000001"
    assert beans.url == "http://allotment-diary.blogspot.com/2013/06/runner-beans.html"
    assert beans.site == "allotment-diary.blogspot.com"
    assert beans.title == "Runner beans & the slug question"
    assert beans.published_at == datetime(2013, 6, 2, 14, 15, tzinfo=UTC)
    assert beans.article_text == (
        "The runner beans went in on Saturday.\n\nCopper tape around every bed this year."
    )
    assert beans.comment_count_declared == 4
    assert beans.notes == ()

    comments = beans.comments
    # listed out of order in the file; the reply chain comes from rel="related" links
    assert [c.native_id for c in comments] == [
        "9000000000000000001",
        "9000000000000000003",
        "9000000000000000004",
        "9000000000000000002",
    ]
    assert [(c.parent, c.depth) for c in comments] == [(None, 0), (0, 1), (1, 2), (None, 0)]
    assert [c.author for c in comments] == ["Marsh Tit", "Anonymous", "Wren", "Hedge"]
    assert comments[0].author_url == "https://www.blogger.com/profile/5550002"
    assert (
        comments[0].text
        == "Beer traps! Sink a jar level with the soil.\n\nChange it every other day."
    )
    assert comments[0].posted_at == datetime(2013, 6, 2, 16, 5, tzinfo=UTC)
    assert comments[2].text == "Thanks all — jars it is."
    removed = comments[3]
    assert (removed.status, removed.text) == ("deleted", "")
    assert all(c.status == "approved" for c in comments[:3])

    assert (about.native_id, about.title, about.comments) == (
        "3300000000000000001",
        "About the plot",
        (),
    )
    assert about.url == "http://allotment-diary.blogspot.com/p/about.html"

    # a comment on a post the backup no longer holds: a placeholder with the post's page
    assert lost.native_id == "4410000000000000000"
    assert lost.url == "http://allotment-diary.blogspot.com/2011/01/winter-dig.html"
    assert lost.title is None and lost.article_text is None
    assert [c.author for c in lost.comments] == ["Vole"]
    assert lost.notes == (
        "comments on post 4410000000000000000, which is not in the file: kept under this "
        "placeholder",
    )


def test_takeout_file_types_states_and_reply_links() -> None:
    glaze, studio = parse_page(fixture_page("blogger-takeout.atom"))
    assert (glaze.native_id, glaze.title) == ("600001", "Cone 6 glaze tests")
    assert glaze.published_at == datetime(2021, 4, 2, 9, 30, tzinfo=UTC)
    assert glaze.article_text == "Twelve tiles, three glazes.\n\nResults below."
    # Takeout names no blog address: no url, and the post's file is in the notes
    assert glaze.url is None and glaze.site is None
    assert glaze.notes == (
        "the export does not give the blog's address: post file /2021/04/cone-6-glaze-tests.html",
    )
    comments = glaze.comments
    assert [c.native_id for c in comments] == ["700001", "700002", "700003", "700004"]
    assert [(c.parent, c.depth) for c in comments] == [(None, 0), (0, 1), (None, 0), (None, 0)]
    assert [c.status for c in comments] == ["approved", "approved", "trash", "pending"]
    assert comments[0].posted_at == datetime(2021, 4, 3, 5, 45, tzinfo=UTC)
    assert comments[0].text == "How long was the hold?\nMine crawled."
    assert comments[0].author_url is None  # an empty <uri>
    # the draft has no comments: not a thread; the live page is
    assert (studio.native_id, studio.title, studio.comments) == ("500001", "Studio", ())


def test_takeout_posts_get_urls_on_the_address_the_file_came_from() -> None:
    page = fixture_page("blogger-takeout.atom")
    given = RawPage(source_uri=page.source_uri, content=page.content, url="https://kiln.example/")
    glaze, studio = parse_page(given)
    assert glaze.url == "https://kiln.example/2021/04/cone-6-glaze-tests.html"
    assert studio.url == "https://kiln.example/p/studio.html"
    assert glaze.site == "kiln.example" and glaze.notes == ()


def test_comment_ids_match_the_blogger_page_of_the_same_post() -> None:
    """The HTML parser keys a Blogger comment by the number in ``li#c<id>`` and the thread by
    the post's url: the export gives the same numbers and url, so both load as one."""
    beans = parse_page(fixture_page("blogger-backup.xml"))[0]
    page = RawPage(
        source_uri="http://allotment-diary.blogspot.com/2013/06/runner-beans.html",
        url="http://allotment-diary.blogspot.com/2013/06/runner-beans.html",
        content=b"""<!DOCTYPE html><html><head><title>Allotment Diary: Runner beans</title>
<meta name="generator" content="blogger"></head><body>
<div class="post"><h3 class="post-title">Runner beans &amp; the slug question</h3>
<div class="post-body">The runner beans went in on Saturday.</div></div>
<div class="comments" id="comments"><h4>4 comments:</h4><div id="comment-holder"><ol>
<li class="comment" id="c9000000000000000001"><div class="comment-block">
<div class="comment-header"><cite class="user"><a href="https://www.blogger.com/profile/5550002">
Marsh Tit</a></cite><span class="datetime secondary-text"><a rel="nofollow"
href="http://allotment-diary.blogspot.com/2013/06/runner-beans.html?showComment=1370189100000#c9000000000000000001">
June 2, 2013 at 9:05 AM</a></span></div>
<p class="comment-content">Beer traps! Sink a jar level with the soil.<br><br>Change it every
other day.</p></div></li></ol></div></div></body></html>""",
    )
    (from_page,) = parse_page(page)
    assert from_page.parser == "html/blogger"
    thread_ids = {
        thread_id_for(url=t.url, site=t.site, title=t.title, native_id=t.native_id)
        for t in (beans, from_page)
    }
    assert len(thread_ids) == 1
    (thread_id,) = thread_ids
    first = [
        comment_id_for(
            thread_id=thread_id, native_id=c.native_id, parent_id=None, author=c.author, text=c.text
        )
        for c in (beans.comments[0], from_page.comments[0])
    ]
    assert first[0] == first[1]
    assert from_page.comments[0].posted_at == beans.comments[0].posted_at


def test_public_comments_feed_without_kinds() -> None:
    """A post's public comments feed: entries carry no kind; what replies or links itself as a
    comment is one, and the post it belongs to is a placeholder with the url
    ``thr:in-reply-to`` gives (or the comment's permalink, for one that names no post)."""
    feed = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0'>
<id>tag:blogger.com,1999:blog-42.post123comments</id><title>Comments on a post</title>
<entry><id>tag:blogger.com,1999:blog-42.post-902</id><published>2020-01-02T00:00:00Z</published>
<content type='html'>A reply.</content>
<link rel='related' href='https://www.blogger.com/feeds/42/123/comments/default/901'/>
<author><name>B</name></author>
<thr:in-reply-to href='https://x.blogspot.com/2020/01/p.html'
 ref='tag:blogger.com,1999:blog-42.post-123' type='text/html'/>
</entry>
<entry><id>tag:blogger.com,1999:blog-42.post-901</id><published>2020-01-01T00:00:00Z</published>
<content type='html'>First.</content><author><name>A</name></author>
<link rel='alternate' type='text/html' href='https://x.blogspot.com/2020/01/p.html?showComment=1#c901'/>
</entry>
</feed>"""
    (thread,) = parse_page(_raw(feed))
    assert thread.native_id == "123"
    assert thread.url == "https://x.blogspot.com/2020/01/p.html"
    assert [(c.native_id, c.parent, c.depth, c.text) for c in thread.comments] == [
        ("901", None, 0, "First."),
        ("902", 0, 1, "A reply."),
    ]


def test_comment_naming_the_comment_it_answers_as_what_it_replies_to() -> None:
    """Some converters point a reply's ``thr:in-reply-to`` at the parent comment rather than
    the post: the reply still lands under its parent, in the parent's thread."""
    feed = """<feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0'>
<entry><id>tag:blogger.com,1999:blog-1.post-10</id>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>
<title>P</title><content type='html'>Body</content>
<link rel='alternate' href='https://b.example/p.html'/></entry>
<entry><id>tag:blogger.com,1999:blog-1.post-11</id>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#comment'/>
<content type='html'>Top</content>
<thr:in-reply-to ref='tag:blogger.com,1999:blog-1.post-10'/></entry>
<entry><id>tag:blogger.com,1999:blog-1.post-12</id>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#comment'/>
<content type='html'>Reply</content>
<thr:in-reply-to ref='tag:blogger.com,1999:blog-1.post-11'/></entry>
</feed>"""
    (thread,) = parse_page(_raw(feed))
    assert [(c.text, c.parent, c.depth) for c in thread.comments] == [
        ("Top", None, 0),
        ("Reply", 0, 1),
    ]


def test_unknown_comment_state_is_pending_and_noted() -> None:
    feed = """<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
<entry><id>tag:blogger.com,1999:blog-5.post-1</id><blogger:type>POST</blogger:type>
<blogger:status>LIVE</blogger:status><title>T</title><content type='html'>x</content></entry>
<entry><id>tag:blogger.com,1999:blog-5.post-2</id><blogger:type>COMMENT</blogger:type>
<blogger:status>HELD_FOR_REVIEW</blogger:status><blogger:parent>tag:blogger.com,1999:blog-5.post-1</blogger:parent>
<content type='html'>c</content></entry></feed>"""
    (thread,) = parse_page(_raw(feed))
    assert [c.status for c in thread.comments] == ["pending"]
    assert "1 comment(s) in state 'held_for_review': taken as pending" in thread.notes


def test_damaged_feed_is_repaired_and_reported() -> None:
    feed = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0'>
<id>tag:blogger.com,1999:blog-9.archive</id>
<entry><id>tag:blogger.com,1999:blog-9.post-1</id>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>
<title>Fish & chips</title><content type='html'>Body</content>
<link rel='alternate' href='https://f.example/fish.html'/></entry>
</feed>"""
    (thread,) = parse_page(_raw(feed))
    assert thread.title == "Fish & chips"
    assert thread.notes[0].startswith("input was not well-formed XML")
    assert any("escaped bare '&'" in n for n in thread.notes)


@pytest.mark.parametrize(
    "content",
    [
        b"<feed xmlns='http://www.w3.org/2005/Atom'><id>tag:blogger.com,1999:blog-1</id>"
        b"<entry <<<>>> &&& <entry",
        b"<?xml version='1.0'?><rss><channel><title>tag:blogger.com,1999:blog-1</title>"
        b"</channel></rss>",
    ],
)
def test_unreadable_feed_names_the_input(content: bytes) -> None:
    with pytest.raises(ParseError, match=r"broken\.xml: "):
        blogger_export.parse(RawPage(source_uri="broken.xml", content=content))


def test_other_documents_are_not_taken_for_blogger_exports() -> None:
    # an Atom feed from elsewhere is no format threadline reads
    with pytest.raises(ParseError, match="no parser matched"):
        detect_format(
            _raw("<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>x</title>")
        )
    # a Blogger page that links its feed and quotes a tag id is HTML
    page = _raw(
        "<!DOCTYPE html><html><head><link rel='alternate' "
        "href='https://x.blogspot.com/feeds/posts/default'></head><body>"
        "tag:blogger.com,1999:blog-1</body></html>"
    )
    assert detect_format(page).name == "html"


def test_a_feed_address_is_not_taken_for_the_posts_page() -> None:
    """Converters that write Blogger's format point ``thr:in-reply-to`` at the post's feed,
    sometimes without a type: that is no page address."""
    feed = """<feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0'>
<entry><id>tag:blogger.com,1999:blog-3.post-31</id>
<category scheme='http://schemas.google.com/g/2005#kind'
 term='http://schemas.google.com/blogger/2008/kind#comment'/>
<content type='html'>Hello</content>
<thr:in-reply-to ref='tag:blogger.com,1999:blog-3.post-30'
 href='http://www.blogger.com/feeds/3/posts/default/30'/></entry>
</feed>"""
    (thread,) = parse_page(_raw(feed))
    assert (thread.native_id, thread.url) == ("30", None)
