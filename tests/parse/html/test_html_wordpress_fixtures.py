"""WordPress layouts on fixtures written for this project (tests/fixtures/wp-*.html) and on
generated reply chains 300 and 5,000 levels deep."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from transforms.parse import detect_format, parse_page
from transforms.parse.html import wordpress
from transforms.parse.html.document import load_document
from transforms.records import ParsedThread, RawPage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def parse_fixture(name: str, url: str | None = None) -> ParsedThread:
    path = FIXTURES / name
    (thread,) = parse_page(RawPage(source_uri=str(path), content=path.read_bytes(), url=url))
    return thread


def parse_html(html: str, url: str | None = None) -> ParsedThread:
    page = RawPage(source_uri="memory", content=html.encode("utf-8"), url=url)
    (thread,) = parse_page(page)
    return thread


def test_threaded_comments_and_article() -> None:
    thread = parse_fixture("wp-threaded.html")
    assert thread.parser == "html/wordpress"
    assert thread.url == "https://blog.example.org/2021/05/testing-threads/"
    assert thread.site == "blog.example.org"
    assert thread.title == "Testing Threads"
    assert thread.published_at == datetime(2021, 5, 3, 8, 0, tzinfo=UTC)
    assert thread.comment_count_declared == 4
    assert thread.article_text == (
        "This fixture post explains how reply threads are nested in a classic theme.\n\n"
        "It has a second paragraph so the article text spans two blocks."
    )
    rows = [(c.depth, c.parent, c.author, c.native_id, c.status) for c in thread.comments]
    assert rows == [
        (0, None, "Alice Example", "101", "approved"),
        (1, 0, "Site Owner", "102", "approved"),
        (2, 1, "Alice Example", "103", "approved"),
        (0, None, "Bob Sample", "104", "pending"),
    ]
    first = thread.comments[0]
    assert first.author_url == "https://alice.example.net/"
    assert first.posted_at == datetime(2021, 5, 4, 9, 15, tzinfo=UTC)
    assert first.text == (
        "First paragraph of the first comment, with inline markup.\n\n"
        "Second paragraph\nwith a forced line break."
    )
    assert thread.comments[3].text == "A later top-level comment that waits for approval."


def test_replies_in_sibling_lists_follow_depth_classes() -> None:
    thread = parse_fixture("wp-depth-classes.html")
    assert [(c.depth, c.parent, c.author) for c in thread.comments] == [
        (0, None, "Erika"),
        (1, 0, "Max"),
        (2, 1, "Erika"),
        (0, None, "Jonas"),
        (1, 3, "Max"),
    ]
    assert thread.comment_count_declared == 5
    assert thread.title == "Geschwisterlisten im Test"
    assert thread.published_at == datetime(2020, 3, 12, tzinfo=UTC)
    assert thread.comments[0].posted_at == datetime(2020, 3, 12, 14, 14, tzinfo=UTC)
    assert thread.comments[0].text == "Der erste Kommentar steht oben."  # no login link
    # the sidebar's recent-comments list (same markup) is not part of the thread
    assert all(c.native_id != "90" for c in thread.comments)


def test_sibling_lists_without_depth_classes() -> None:
    html = (FIXTURES / "wp-depth-classes.html").read_text(encoding="utf-8")
    for n in (1, 2, 3):
        html = html.replace(f" depth-{n}", "")
    thread = parse_html(html)
    assert [(c.depth, c.parent) for c in thread.comments] == [
        (0, None),
        (1, 0),
        (2, 1),
        (0, None),
        (1, 3),
    ]


def test_pingbacks_and_trackbacks() -> None:
    thread = parse_fixture("wp-pingbacks.html")
    rows = [(c.kind, c.author, c.author_url, c.text) for c in thread.comments]
    assert rows == [
        (
            "pingback",
            "Notes From One | Example Net",
            "https://one.example.net/notes/",
            "Notes From One | Example Net",  # no excerpt: the linked title stands in
        ),
        (
            "trackback",
            "Linkliste Zwei",
            "https://two.example.org/links/",
            "[…] a short excerpt quoted by the linking site […]",
        ),
        (
            "pingback",  # styled as a comment, written as a pingback
            "Third Site - Its Post",
            "https://three.example.com/post/",
            "[…] styled like a comment by the theme […]",
        ),
        ("comment", "Dana Reader", None, "A normal comment among the pings."),
    ]
    assert thread.comments[1].posted_at == datetime(2011, 9, 11, 23, 31, tzinfo=UTC)
    assert thread.comment_count_declared == 4


KUBRICK = """<html><head><title>Old Blog &raquo; A Post</title>
<meta name="generator" content="WordPress 2.0"></head><body>
<div class="post"><h2>A Post</h2><div class="entry"><p>An old post body that is long enough to
count as the article text of this page.</p></div></div>
<h3 id="comments">2 Responses to &#8220;A Post&#8221;</h3>
<ol class="commentlist">
<li class="alt" id="comment-7"><cite><a href="http://c.example.com/">Carol</a></cite> Says:<br>
<small class="commentmetadata"><a href="#comment-7">May 31st, 2004 at 11:37 pm</a></small>
<p>One paragraph.</p><p>Two paragraphs.</p></li>
<li id="comment-8"><p>Text comes first here.</p>
<p><cite>Comment by Dave &#8212; 17.07, 2011 @ <a href="#comment-8">13:10</a></cite></p></li>
</ol></body></html>"""

THESIS = """<html><head><title>Thesis</title>
<link rel="stylesheet" href="/wp-content/themes/thesis/style.css"></head><body>
<dl id="comment_list">
<dt class="comment even depth-1" id="comment-1"><span class="comment_author">Eve</span>
<span class="comment_time"><a href="#comment-1" title="Permalink">June 28, 2015 at 10:25 pm</a>
</span></dt>
<dd class="comment even depth-1"><div class="format_text"><p>First line<br>second line</p>
</div></dd>
<dt class="comment odd depth-1" id="comment-2"><span class="comment_author">Frank</span></dt>
<dd class="comment odd depth-1"><div class="format_text"><p>Another one.</p></div></dd>
</dl></body></html>"""


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            KUBRICK,
            [
                (
                    "Carol",
                    datetime(2004, 5, 31, 23, 37, tzinfo=UTC),
                    "One paragraph.\n\nTwo paragraphs.",
                ),
                ("Dave", datetime(2011, 7, 17, 13, 10, tzinfo=UTC), "Text comes first here."),
            ],
        ),
        (
            THESIS,
            [
                ("Eve", datetime(2015, 6, 28, 22, 25, tzinfo=UTC), "First line\nsecond line"),
                ("Frank", None, "Another one."),
            ],
        ),
    ],
    ids=["kubrick", "thesis-dt-dd"],
)
def test_old_theme_layouts(html: str, expected: list[tuple[str, datetime | None, str]]) -> None:
    thread = parse_html(html)
    assert [(c.author, c.posted_at, c.text) for c in thread.comments] == expected
    assert all(c.depth == 0 and c.parent is None for c in thread.comments)


def test_duplicate_ids_collapse_into_one_comment() -> None:
    html = """<html><body><link rel="stylesheet" href="/wp-content/plugins/epoch/x.css">
    <div id="epoch-comments">
      <div id="comment-1"><article id="div-comment-1" class="epoch-comment-body">
        <footer class="epoch-comment-meta"><div class="epoch-comment-author">Gina
          <span class="epoch-divide">·</span><a href="#"><time datetime="comment_date">March 10,
          2017 at 12:20 AM</time></a></div></footer>
        <div class="epoch-comment-content"><p>Top text.<span id="comment-1"
          class="report-link"><a href="javascript:void(0);">Report</a></span></p></div>
      </article>
      <div class="epoch-child child-of-1 level-1"><div id="comment-2">
        <article id="div-comment-2" class="epoch-comment-body">
          <div class="epoch-comment-content"><p>Reply text.</p></div></article></div></div>
      </div></div></body></html>"""
    thread = parse_html(html)
    assert [(c.depth, c.parent, c.text) for c in thread.comments] == [
        (0, None, "Top text."),
        (1, 0, "Reply text."),
    ]
    assert thread.comments[0].author == "Gina"
    assert thread.comments[0].posted_at == datetime(2017, 3, 10, 0, 20, tzinfo=UTC)


def test_custom_theme_dates_in_underscore_meta_and_permalinks() -> None:
    # A hand-made theme: underscore classes, the date only as the text of the comment's
    # permalink (or of a link in a meta box), a "Reply" javascript link beside it.
    html = """<html><head><link rel="stylesheet" href="/wp-content/themes/own/style.css">
    </head><body><h1 class="entry-title">Eigenes Theme</h1><div id="comments"><ol id="commentlist">
    <li id="comment-11" class="comment depth-1"><div class="comment_content">
      <div class="comment_author"><a href="https://erika.example.de" class="url">Erika</a></div>
      <div class="comment-text"><p>Erster Kommentar.</p></div>
      <div class="comment_meta"><a href="#comment-11">03.02.2019 um 16:43</a> |
        <a href="javascript:reply('11');">Antworten</a></div></div></li>
    <li id="comment-12" class="comment depth-1"><div class="comment_content">
      <div class="comment_author">Max</div><div class="comment-text"><p>Zweiter.</p></div>
      <p class="byline"><a href="https://blog.example.de/post/#comment-12">4. Februar 2019,
        9:05 Uhr</a></p></div></li></ol></div></body></html>"""
    thread = parse_html(html, url="https://blog.example.de/post/")
    rows = [(c.author, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        ("Erika", datetime(2019, 2, 3, 16, 43, tzinfo=UTC), "Erster Kommentar."),
        ("Max", datetime(2019, 2, 4, 9, 5, tzinfo=UTC), "Zweiter."),
    ]
    assert thread.comments[0].author_url == "https://erika.example.de"


def test_theme_printing_author_and_permalink_on_one_line() -> None:
    # A theme with no content box: the author as WordPress prints it (a link with
    # rel="external", or plain text when the commenter gave no website) beside the comment's
    # permalink showing its age, then the paragraphs, then a share tool.
    html = """<html><head><link rel="stylesheet" href="/wp-content/themes/mag/style.css">
    </head><body><h1 class="entry-title">Maps</h1><div class="comments" id="comments">
    <h3>2 Comments</h3><div class="commentList">
    <div class="comment even thread-even depth-1" id="li-comment-71">
      <div id="comment-71" class="entry">
      <p><a href="https://rosa.example.org" rel="external nofollow ugc" class="url">Rosa</a>
        <a class="comment-link" href="https://mag.example.org/maps/#comment-71">2 years</a></p>
      <p>Lovely maps.</p>
      <p>Which data do they use? See <a href="#comment-70">the earlier note</a>.</p>
      <div class="tools"><a class="share" href="https://share.example/?t=1">Share</a></div>
    </div></div>
    <div class="comment odd thread-odd depth-1" id="li-comment-72">
      <div id="comment-72" class="entry">
      <p>tom_k
        <a class="comment-link" href="https://mag.example.org/maps/#comment-72">2 years</a></p>
      <p>Open data, I think.</p>
      <div class="tools"><a class="share" href="https://share.example/?t=2">Share</a></div>
    </div></div></div></div></body></html>"""
    thread = parse_html(html, url="https://mag.example.org/maps/")
    rows = [(c.author, c.author_url, c.text) for c in thread.comments]
    assert rows == [
        (
            "Rosa",
            "https://rosa.example.org",
            "Lovely maps.\n\nWhich data do they use? See the earlier note.",
        ),
        ("tom_k", None, "Open data, I think."),
    ]


def test_namespaced_bem_classes() -> None:
    # A theme naming its blocks BEM-style behind a namespace: c-comment__author-name.
    html = """<html><head><link rel="stylesheet" href="/wp-content/themes/news/app.css">
    </head><body><h1 class="entry-title">Patch day</h1><div id="comments"><ul class="c-comments">
    <li><div class="c-comment" id="comment-301"><header class="c-comment__header"><p>
      <a class="c-comment__author-name" href="#">Vera</a>
      <span class="c-comment__time">on
        <time datetime="2021-05-04T08:00:00-04:00">May 4</time></span>
    </p></header><div class="c-comment__content">Which versions are affected?</div>
    <footer><a class="comment-reply-link" href="?replytocom=301#respond">Reply</a></footer>
    </div></li></ul></div></body></html>"""
    (comment,) = parse_html(html).comments
    assert (comment.author, comment.text) == ("Vera", "Which versions are affected?")
    assert comment.posted_at == datetime(2021, 5, 4, 12, 0, tzinfo=UTC)


def test_wordpress_page_without_comment_section_has_no_comments() -> None:
    html = """<html><head><meta name="generator" content="WordPress 6.0"></head><body>
    <article><h1 class="entry-title">Live</h1><div class="entry-content"><p>A live ticker of
    a match, written by the editors, not by readers of the page.</p>
    <div class="live-match-comment"><p>12' Goal.</p></div></div></article></body></html>"""
    thread = parse_html(html, url="https://news.example.com/live/1")
    assert thread.parser == "html/wordpress"
    assert thread.comments == ()
    assert thread.title == "Live"
    assert thread.site == "news.example.com"


def test_theme_comment_list_with_items_of_its_own_is_left_to_the_fallback() -> None:
    """A WordPress page whose theme writes the comment list (``ul.commentlist``) with items of
    its own making, none the WordPress markup: not "no comment section", so the fallback
    reads the items."""
    html = """<html><head><meta name="generator" content="WordPress 4.6"></head><body>
    <article><h1 class="entry-title">Which smart speaker to buy</h1><div class="entry-content">
    <p>Two speakers, two assistants, and one living room to share between them.</p></div>
    </article>
    <div class="talkback"><h3>Comments (2)</h3><ul class="commentlist">
    <li class="remark-item"><div class="remark-date"><a href="#">March 3, 2017</a></div>
      <div class="remark-name">Odile Brun</div>
      <div class="remark-body"><p>The small one is fine for a kitchen.</p></div></li>
    <li class="remark-item"><div class="remark-date"><a href="#">March 4, 2017</a></div>
      <div class="remark-name">Tomasz</div>
      <div class="remark-body"><p>Mine mishears the radio for its name.</p></div></li>
    </ul></div></body></html>"""
    thread = parse_html(html)
    assert thread.parser == "html/generic"
    assert [(c.author, c.posted_at, c.text) for c in thread.comments] == [
        ("Odile Brun", datetime(2017, 3, 3, tzinfo=UTC), "The small one is fine for a kitchen."),
        ("Tomasz", datetime(2017, 3, 4, tzinfo=UTC), "Mine mishears the radio for its name."),
    ]


@pytest.mark.parametrize(
    ("markup", "score"),
    [
        # wp_list_comments classes on a saved page without WordPress signals: still ours
        ('<ol class="commentlist"><li id="comment-1" class="comment">x</li></ol>', 0.4),
        # a bare #comment-N is what many CMSs write: left to other profiles and the fallback
        ('<ul class="comments"><li id="comment-1"><span class="metadata">x</span></li></ul>', 0.0),
    ],
)
def test_wordpress_steps_aside_without_wordpress_signals(markup: str, score: float) -> None:
    page = RawPage(source_uri="memory", content=f"<html><body>{markup}</body></html>".encode())
    assert wordpress.match(load_document(page)) == score


def _chain(levels: int) -> str:
    opening = "".join(
        f'<li id="comment-{i}" class="comment depth-{i + 1}"><article class="comment-body">'
        f'<footer class="comment-meta"><b class="fn">user{i % 7}</b></footer>'
        f'<div class="comment-content"><p>reply number {i}</p></div></article>'
        '<ol class="children">'
        for i in range(levels)
    )
    closing = "</ol></li>" * levels
    return (
        '<html><head><meta name="generator" content="WordPress 6.0"></head><body>'
        f'<div id="comments"><ol class="comment-list">{opening}{closing}</ol></div></body></html>'
    )


@pytest.mark.parametrize("levels", [300, 5000])
def test_deep_reply_chain(levels: int) -> None:
    start = time.perf_counter()
    thread = parse_html(_chain(levels))
    elapsed = time.perf_counter() - start
    comments = thread.comments
    assert len(comments) == levels
    assert [c.depth for c in comments] == list(range(levels))
    assert [c.parent for c in comments] == [None, *range(levels - 1)]
    assert comments[-1].text == f"reply number {levels - 1}"  # own text only, no replies
    assert comments[0].text == "reply number 0"
    assert comments[-1].author == f"user{(levels - 1) % 7}"
    assert elapsed < 10, f"{levels}-level chain took {elapsed:.1f}s"


def test_detects_html_and_cleaneval_wrappers() -> None:
    page = RawPage(source_uri="x", content=b'<text id="http://e.example/p" title="T">\n<p>x</p>')
    assert detect_format(page).name == "html"
    thread = parse_html('<text id="http://e.example/p" title="A &raquo; B"><p>body</p></text>')
    assert thread.url == "http://e.example/p"
    assert thread.comments == ()


def test_names_in_headings_and_underscore_content_boxes() -> None:
    # A custom theme: the name as an h5, the text in .comment_content (underscore), the
    # date in .comment_info: the heading is the author and not part of the text.
    thread = parse_fixture("wp-heading-names.html")
    assert thread.parser == "html/wordpress"
    rows = [(c.author, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        (
            "Maren Holt",
            datetime(2024, 3, 2, 9, 12, tzinfo=UTC),
            "The north wall lost three capstones in January.",
        ),
        (
            "Ivo",
            datetime(2024, 3, 3, 18, 40, tzinfo=UTC),
            "Lime mortar would have flexed more than the cement they used.",
        ),
    ]


def test_dates_in_spanish_and_emoticon_images() -> None:
    # Dates written out in Spanish ("4 de diciembre de 2022 a las 10:05", "11 dic. 2022");
    # emoji and smiley images are what the commenter typed (their alt text), while avatars
    # and photos say nothing in the text.
    thread = parse_fixture("wp-spanish-dates.html")
    assert thread.parser == "html/wordpress"
    assert thread.published_at == datetime(2022, 12, 3, tzinfo=UTC)
    rows = [(c.depth, c.author, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        (
            0,
            "Marta",
            datetime(2022, 12, 4, 10, 5, tzinfo=UTC),
            "¿Las habas aguantan las heladas de enero? 🥶",
        ),
        (
            1,
            "Cuaderno",
            datetime(2022, 12, 4, 18, 40, tzinfo=UTC),
            "Sí, hasta unos cinco grados bajo cero sin problema :-)",
        ),
        (
            0,
            "Joan",
            datetime(2022, 12, 11, 9, 12, tzinfo=UTC),
            "Yo pongo los ajos en noviembre y salen igual de bien.",
        ),
    ]


def test_relative_dates_of_a_wayback_capture_count_from_its_capture() -> None:
    """A Wayback Machine capture showing "2 days ago": the dates count back from when the
    capture was taken (the note the archive appends to a saved capture, or the timestamp in
    the capture's URL), not from when it was fetched again years later."""
    expected = [
        datetime(2021, 3, 9, 8, 15, tzinfo=UTC),  # "2 days ago" at 08:15 on 11 March 2021
        datetime(2021, 3, 11, 3, 15, tzinfo=UTC),  # "5 hours ago"
    ]
    saved = parse_fixture("wp-wayback-relative.html")
    assert saved.url == "https://plot14.example.org/first-frost/"
    assert [c.posted_at for c in saved.comments] == expected
    path = FIXTURES / "wp-wayback-relative.html"
    fetched = RawPage(
        source_uri="https://web.archive.org/web/20210311081500/https://plot14.example.org/first-frost/",
        url="https://web.archive.org/web/20210311081500/https://plot14.example.org/first-frost/",
        content=path.read_bytes().split(b"<!--\n     FILE ARCHIVED")[0],
        fetched_at=datetime(2024, 1, 2, 12, 0, tzinfo=UTC),
    )
    (thread,) = parse_page(fetched)
    assert [c.posted_at for c in thread.comments] == expected


def test_flat_comments_naming_the_comment_they_answer() -> None:
    # Flat comments (no nesting, no depth classes) whose header says which earlier comment
    # they answer, linking to its anchor: that comment is the parent. A link to another
    # comment inside the text is something the commenter wrote, not the thread's shape.
    html = """<html><body><h1>The tide tables</h1><div id="comments" class="comments">
    <h2>3 Comments</h2><div class="comments-content">
    <div class="comment" id="comment-801"><div class="comment-header">
      <span class="vcard author">Iona</span> |
      <a href="https://coast.example/tides.html#comment-801">May 2, 2015 7:10 AM</a></div>
      <div class="comment-content"><p>The April table was an hour out.</p></div></div>
    <div class="comment" id="comment-802"><div class="comment-header">
      Replied to <a href="https://coast.example/tides.html#comment-801">comment from Iona</a> |
      <span class="vcard author">Fergus</span> |
      <a href="https://coast.example/tides.html#comment-802">May 2, 2015 9:00 AM</a></div>
      <div class="comment-content"><p>Summer time: the table is in GMT.</p></div></div>
    <div class="comment" id="comment-803"><div class="comment-header">
      <span class="vcard author">Ailsa</span> |
      <a href="https://coast.example/tides.html#comment-803">May 3, 2015 6:30 PM</a></div>
      <div class="comment-content"><p>As <a href="#comment-802">Fergus said</a>, add an hour.</p>
      </div></div>
    </div></div></body></html>"""
    thread = parse_html(html, url="https://coast.example/tides.html")
    assert [(c.author, c.parent, c.depth) for c in thread.comments] == [
        ("Iona", None, 0),
        ("Fergus", 0, 1),
        ("Ailsa", None, 0),
    ]
    assert thread.comments[1].text == "Summer time: the table is in GMT."


def test_wpdiscuz_comments() -> None:
    # The wpDiscuz plugin's markup: each comment a div#wpd-comm-N_PARENT holding its own box
    # (div#comment-N) and its replies; the author, the date (exact in the title, relative as
    # shown), the text and a footer of votes and reply buttons in classes of its own.
    thread = parse_fixture("wp-wpdiscuz.html")
    assert thread.parser == "html/wordpress"
    rows = [
        (c.native_id, c.parent, c.depth, c.author, c.author_url, c.posted_at, c.text)
        for c in thread.comments
    ]
    assert rows == [
        ("71", None, 0, "Ines", None, datetime(2024, 5, 3, 6, 12, tzinfo=UTC),
         "Do you fit a first-flush diverter?"),
        ("72", 0, 1, "Tom", "https://patchnotes.example", datetime(2024, 5, 3, 8, 45, tzinfo=UTC),
         "Yes, a simple one: a pipe with a ball float.\n\nIt keeps the leaves out."),
        ("75", None, 0, "Bram", None, datetime(2024, 5, 4, 19, 5, tzinfo=UTC),
         "Put mosquito mesh over the inlet."),
    ]  # fmt: skip
