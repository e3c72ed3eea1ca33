"""Shared HTML helpers: text extraction, declared counts, threading, article metadata."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from transforms.parse.html import detect
from transforms.parse.html.article import article_meta, find_title
from transforms.parse.html.document import Document, load_document
from transforms.parse.html.fields import clean_author, date_from, name_sized, parse_count, ping_kind
from transforms.parse.html.nodes import block_text, comment_text
from transforms.parse.html.thread import Draft, build_comments, nest_parents
from transforms.records import RawPage


def doc_of(html: str, url: str | None = None, fetched_at: datetime | None = None) -> Document:
    page = RawPage(
        source_uri="memory", content=html.encode("utf-8"), url=url, fetched_at=fetched_at
    )
    return load_document(page)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<div><p>One   two</p><p>three</p></div>", "One two\n\nthree"),
        ("<div>line one<br>line two<br/><br>line three</div>", "line one\nline two\n\nline three"),
        ("<div>a<br>\n <br> b<br>c<br><br></div>", "a\n\nb\nc"),
        ("<div><p>a <b>bold</b> <i>word</i></p></div>", "a bold word"),
        ("<div><p>text</p><script>var x = 1;</script><style>p{}</style></div>", "text"),
        ("<div>soft\u00adhyphen&nbsp;and&amp;entity</div>", "softhyphen and&entity"),
        ("<div><blockquote><p>quoted</p></blockquote><p>answer</p></div>", "quoted\n\nanswer"),
        ("<div><ul><li>first</li><li>second</li></ul></div>", "first\n\nsecond"),
        ("<div>  \n  </div>", ""),
    ],
)
def test_block_text(html: str, expected: str) -> None:
    doc = doc_of(html)
    node = doc.css_first("div")
    assert node is not None
    assert block_text(node) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # the comment's own text only: not the author line, avatar, date, reply link, replies
        (
            '<li class="comment"><div class="comment-author vcard"><img class="avatar">'
            '<cite class="fn">Ann</cite> <span class="says">says:</span></div>'
            '<div class="comment-meta"><a href="#c1">May 1, 2020</a></div>'
            "<p>Own words.</p><p>More words.</p>"
            '<div class="reply"><a class="comment-reply-link">Reply</a></div>'
            '<ul class="children"><li class="comment"><p>A reply.</p></li></ul></li>',
            "Own words.\n\nMore words.",
        ),
        ('<li class="comment"><p>Danke!</p><p>Antworten</p></li>', "Danke!"),
        ('<li class="comment"><p>Merci</p><a href="#">Répondre</a></li>', "Merci"),
        ('<li class="comment">sagt: <p>Hallo</p></li>', "Hallo"),
        (
            '<li class="comment"><p>Text <a href="javascript:void(0)">Report</a></p></li>',
            "Text",
        ),
        (
            '<li class="comment"><p>Waiting</p><em class="comment-awaiting-moderation">'
            "Your comment is awaiting moderation.</em></li>",
            "Waiting",
        ),
        # "Reply" inside the text is kept: only leading/trailing control lines go
        ('<li class="comment"><p>Reply</p><p>to all: thanks</p></li>', "to all: thanks"),
        ('<li class="comment"><p>I said reply to me</p></li>', "I said reply to me"),
        # a footer of controls side by side, no separator shown between the links
        (
            '<li class="comment"><p>Earplugs.</p><div><a href="?replyto=7">Reply</a> '
            '<a href="?thread=7#t7">Thread</a> <a href="?thread=5#t5">Parent</a></div></li>',
            "Earplugs.",
        ),
        ('<li class="comment"><p>Fine.</p><p>Like Reply Share</p></li>', "Fine."),
        # words that are controls, in a sentence, stay
        ('<li class="comment"><p>Reply to this thread</p></li>', "Reply to this thread"),
    ],
)
def test_comment_text(html: str, expected: str) -> None:
    doc = doc_of(html)
    node = doc.css_first("li")
    assert node is not None
    assert comment_text(node) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 thoughts on “JSON parsing”", 5),
        ("17 Comments", 17),
        ("91 Kommentare", 91),
        ("91 Ergänzungen", 91),
        ("12 commentaires", 12),
        ("Comments (8)", 8),
        ("Kommentare: 4", 4),
        ("Leserpost (23)", 23),  # readers' letters, as German magazines call their comments
        ("12 Leserbriefe", 12),
        ("One thought on “Post”", 1),
        ("Ein Kommentar", 1),
        ("No comments yet", 0),
        ("1.234 Kommentare", 1234),
        ("3 Responses to “A Post”", 3),
        ("Leave a Reply", None),
        ("Comments are closed.", None),
        ("", None),
    ],
)
def test_parse_count(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("cls", "text", "expected"),
    [
        ("comment pingback", "", "pingback"),
        ("trackback", "", "trackback"),
        ("comment", "Pingback: Some Site", "pingback"),
        ("", "Pingback von Some Site", "pingback"),
        ("", "Trackback von Some Site", "trackback"),
        ("comment", "Nice post!", None),
    ],
)
def test_ping_kind(cls: str, text: str, expected: str | None) -> None:
    doc = doc_of(f'<li class="{cls}">x</li>')
    assert ping_kind(doc.css_first("li"), text) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<time datetime="2020-08-11T09:52:46+02:00">x</time>', datetime(2020, 8, 11, 7, 52, 46)),
        ('<time datetime="2020-07-29">29.07.2020 // 12:56</time>', datetime(2020, 7, 29, 12, 56)),
        (
            '<a><abbr title="2015-03-11">March 11th, 2015</abbr> at 02:57</a>',
            datetime(2015, 3, 11, 2, 57),
        ),
        ("<span>19. Juni 2019 / 6:16</span>", datetime(2019, 6, 19, 6, 16)),
        ("<span>vor 2 Tagen</span>", datetime(2024, 1, 8, 12, 0)),
    ],
)
def test_date_from(html: str, expected: datetime) -> None:
    doc = doc_of(f"<div>{html}</div>", fetched_at=datetime(2024, 1, 10, 12, 0, tzinfo=UTC))
    node = doc.css_first("time, abbr, span")
    assert date_from(doc, node) == expected.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # a relative date shown in a wrapper that holds only it: the wrapper's exact time
        (
            '<span class="age" title="2023-12-30T21:15:00"><a href="i?id=3">11 days ago</a></span>',
            datetime(2023, 12, 30, 21, 15),
        ),
        # the wrapper holds more than the date: its title is not the date's
        (
            '<span title="2023-12-30T21:15:00">by ann <a href="i?id=3">11 days ago</a></span>',
            datetime(2023, 12, 30, 12, 0),
        ),
        # the date's own attribute comes first
        (
            '<span title="2023-12-30T21:15:00"><a title="2023-12-29 08:00">1 day</a></span>',
            datetime(2023, 12, 29, 8, 0),
        ),
    ],
)
def test_date_from_a_wrapper(html: str, expected: datetime) -> None:
    doc = doc_of(f"<div>{html}</div>", fetched_at=datetime(2024, 1, 10, 12, 0, tzinfo=UTC))
    assert date_from(doc, doc.css_first("a")) == expected.replace(tzinfo=UTC)


def test_build_comments_by_depth_parent_and_key() -> None:
    drafts = [
        Draft(text="a"),
        Draft(text="b", depth=1),
        Draft(text="c", depth=2),
        Draft(text="d", depth=1),
        Draft(text="e"),
        Draft(text="f", depth=2),  # no depth-1 comment open under "e": orphan
        Draft(text="g", parent=4),
        Draft(text="h", parent_key="x1"),  # parent named but not on the page: orphan
        Draft(text="i", native_id="x2"),
        Draft(text="j", parent_key="x2"),
    ]
    rows = [(c.depth, c.parent, c.orphan) for c in build_comments(drafts)]
    assert rows == [
        (0, None, False),
        (1, 0, False),
        (2, 1, False),
        (1, 0, False),
        (0, None, False),
        (2, None, True),
        (1, 4, False),
        (1, None, True),
        (0, None, False),
        (1, 8, False),
    ]


def test_nest_parents() -> None:
    doc = doc_of(
        '<ol><li id="a"><ul><li id="b"><ul><li id="c"></li></ul></li></ul></li>'
        '<li id="d"></li></ol>'
    )
    items = doc.css("li")
    assert nest_parents(items) == [None, 0, 1, None]


ARTICLE = """<html><head>
<title>Post Title | My Site</title>
<meta property="og:site_name" content="My Site">
<link rel="canonical" href="/2020/01/post-title/">
<script type="application/ld+json">{"@graph": [{"@type": "Article",
  "datePublished": "2020-01-02T03:04:05+01:00", "headline": "Post Title"}]}</script>
</head><body>
<header class="site-header"><h1 class="site-title">My Site</h1></header>
<article><h1 class="entry-title">Post Title</h1>
<div class="entry-content"><p>The body of the post, long enough to be taken as the article
and not mistaken for a caption.</p>
<div class="sharedaddy">Share this</div></div>
<div id="comments"><h2>2 Comments</h2><ol class="comment-list">
<li class="comment" id="comment-1"><p>Not article text.</p></li></ol></div>
</article></body></html>"""


def test_article_meta() -> None:
    doc = doc_of(ARTICLE, url="https://www.example.com/2020/01/post-title/?utm_source=x")
    meta = article_meta(doc, doc.css_first("#comments"))
    assert meta.url == "https://www.example.com/2020/01/post-title/"
    assert meta.site == "example.com"
    assert meta.title == "Post Title"
    assert meta.published_at == datetime(2020, 1, 2, 2, 4, 5, tzinfo=UTC)
    assert meta.article_text == (
        "The body of the post, long enough to be taken as the article and not mistaken for a "
        "caption."
    )


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("<title>Site Name » The Real Title</title>", "The Real Title"),
        ("<title>The Real Title | Site Name</title>", "The Real Title"),
        ('<meta property="og:title" content="Headline – Example">', "Headline"),
        ("<title>Muffin Grundrezept : Muffin Rezepte</title>", "Muffin Grundrezept"),
        ("<title>A Title - With A Dash In It</title>", "A Title - With A Dash In It"),
        (
            '<meta property="og:title" content="Tipps, die jeder kennt • example.com">',
            "Tipps, die jeder kennt",
        ),
    ],
)
def test_title_without_site_name(head: str, expected: str) -> None:
    doc = doc_of(f"<html><head>{head}</head><body></body></html>", url="https://example.com/x")
    assert find_title(doc, "https://example.com/x") == expected


@pytest.mark.parametrize(
    "home", ["/", "https://log.example/", "https://www.log.example", "/index.php"]
)
def test_a_heading_linking_home_is_the_sites_name(home: str) -> None:
    # The blog's name in an h1 linking to its front page, the post's title further down in an
    # h4: the <title> part that is the post's title wins.
    doc = doc_of(
        "<html><head><title>Moving the servers - Sam's log</title></head><body>"
        f'<div id="banner"><h1><a href="{home}">Sam\'s log</a></h1></div>'
        '<div class="entry"><h4><a href="/archives/412-moving.html">Moving the servers</a></h4>'
        "<p>This weekend the old rack goes.</p></div></body></html>",
        url="https://log.example/archives/412-moving.html",
    )
    assert find_title(doc, "https://log.example/archives/412-moving.html") == "Moving the servers"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("<!DOCTYPE html><html><body>x</body></html>", True),
        ("  <html lang=en><head></head></html>", True),
        ('<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "x"><html>', True),
        ('<text id="http://a.example/p" title="T" encoding="utf8">\n<div>x</div>', True),
        ("<div><p>fragment</p><a href='x'>link</a><span>s</span></div>", True),
        ("1. Alice says:\n   Great post <3\n", False),
        ('<?xml version="1.0"?><rss><channel></channel></rss>', False),
    ],
)
def test_detect(content: str, expected: bool) -> None:
    page = RawPage(source_uri="memory", content=content.encode())
    assert detect(page, content) is expected


def test_javascript_comments_leave_a_note() -> None:
    html = """<html><body><article><h1>T</h1><p>Body text of a static page.</p></article>
    <div id="disqus_thread"></div><script src="https://x.disqus.com/embed.js"></script>
    </body></html>"""
    from transforms.parse import parse_page

    (thread,) = parse_page(RawPage(source_uri="memory", content=html.encode()))
    assert thread.comments == ()
    assert any("JavaScript" in note for note in thread.notes)


def test_page_without_comments_is_one_empty_thread() -> None:
    from transforms.parse import parse_page

    html = "<html><head><title>Plain</title></head><body><p>Just text here.</p></body></html>"
    (thread,) = parse_page(RawPage(source_uri="memory", content=html.encode()))
    assert thread.comments == ()
    assert thread.title == "Plain"


def test_relative_canonical_resolves_against_og_url() -> None:
    # A saved page (no document URL): the canonical link is relative, og:url names the site.
    doc = doc_of(
        '<html><head><link rel="canonical" href="/artikel/post-21664">'
        '<meta property="og:url" content="https://news.example.org/artikel/post-21664">'
        "</head><body></body></html>"
    )
    assert article_meta(doc).url == "https://news.example.org/artikel/post-21664"


def test_spaced_colon_in_og_title_is_kept() -> None:
    doc = doc_of(
        '<html><head><meta property="og:title" content="Deux ans en Macronie : une enquête">'
        "<title>Deux ans en Macronie : une enquête - example.fr</title></head><body></body></html>",
        url="https://www.example.fr/x",
    )
    assert find_title(doc, "https://www.example.fr/x") == "Deux ans en Macronie : une enquête"


def test_article_text_skips_teasers_of_other_posts() -> None:
    body = "The article itself, a paragraph long enough to be the text of the page. " * 3
    doc = doc_of(
        "<html><body><aside><article><h3><a href='/other'>A related post whose long linked "
        "title fills most of the teaser, as related posts' titles do</a></h3>"
        "<p>April 26, 2018</p></article></aside>"
        f"<main><p>{body}</p></main></body></html>"
    )
    assert article_meta(doc).article_text == body.strip()


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        # paragraphs in a container of the site's own naming, a dated header line above them
        (
            "<div class='news-item'><p class='when'><a href='/p'>Monday, 3 June 2019</a></p>"
            "<h2>Headline</h2><div class='copytext'><p>{para}</p><p>{para}</p></div></div>",
            "{para}\n\n{para}",
        ),
        # a layout class naming the sidebar beside it is not the sidebar
        (
            "<div id='contentWithSidebar'><div id='post'><p>{para}</p><p>{para}</p></div></div>",
            "{para}\n\n{para}",
        ),
        # no paragraphs at all: text and line breaks in a table cell
        (
            "<table><tr><td class='c'>{para}<br>{para}<br><br>{para}</td></tr></table>",
            "{para}\n{para}\n\n{para}",
        ),
    ],
)
def test_article_text_of_an_unknown_layout_is_its_densest_text(layout: str, expected: str) -> None:
    para = "A line of the article that runs long enough to count as running text here."
    menu = "".join(f"<li><a href='/s{i}'>Section {i} of the site</a></li>" for i in range(30))
    legal = "Legal small print that every page of the site repeats at its foot. " * 8
    doc = doc_of(
        f"<html><body><div id='top'><ul class='menu'>{menu}</ul></div>"
        f"<div class='main'>{layout.format(para=para)}</div>"
        f"<div class='site-footer'><p>{legal}</p></div>"
        f"<div class='sidebar'><p>{legal}</p></div></body></html>"
    )
    assert article_meta(doc).article_text == expected.format(para=para)


def test_published_date_in_a_german_datum_class() -> None:
    doc = doc_of(
        "<html><body><div class='news'><p class='newsdatum'><a href='/p'>Donnerstag, 31. Mai "
        "2012</a></p><h2>Titel</h2><div class='text'><p>Der Text.</p></div></div></body></html>"
    )
    assert article_meta(doc).published_at == datetime(2012, 5, 31, tzinfo=UTC)


@pytest.mark.parametrize(
    "header",
    [
        # a byline box holding the date as text and, inside it, as a machine-readable time
        '<span class="byline post-timestamp"><a href="/p"><time class="published" '
        'datetime="2021-04-11T09:12:00+01:00">April 11, 2021</time></a></span>',
        # RDFa (Drupal): the machine date in the content attribute of the "Submitted by" line
        '<div class="submitted"><span property="dc:date dc:created" '
        'content="2021-04-11T09:12:00+01:00">Submitted by ed on Sun, 11/04/2021 - 09:12</span>'
        "</div>",
    ],
)
def test_published_date_prefers_the_machine_readable_time(header: str) -> None:
    doc = doc_of(f"<html><body><h1>Pesto</h1>{header}<p>Two handfuls.</p></body></html>")
    assert article_meta(doc).published_at == datetime(2021, 4, 11, 8, 12, tzinfo=UTC)


MATCHER_PAGE = """<!DOCTYPE html><html><body>
<div class="Reply reply-link x" id="c1" itemprop="author"><a href="javascript:void(0)">r</a>
<a href="JavaScript:x" class="reply">R</a><span title>t</span><span title="">u</span>
<ul class="children"><li class="comment depth-2" data-x="a-z">z</li></ul>
<p class="says&#9;meta">s</p><i class="says\u00a0x">n</i></div></body></html>"""


@pytest.mark.parametrize(
    "query",
    [
        ".reply, .Reply, #c1, #C1, [itemprop=author], [itemprop=Author], a[href^='javascript:']",
        "ul.children, li.comment.depth-2, [data-x$=z], [data-x*='-'], span[title]",
        "span[title=''], .says, .meta, p.says.meta, .x, div#c1.x, [class*=eply]",
    ],
)
def test_python_matcher_agrees_with_lexbor(query: str) -> None:
    doc = doc_of(MATCHER_PAGE)
    matcher = doc.matcher(query)
    assert matcher is not None
    expected = [n.mem_id for n in doc.css(query)]
    assert [n.mem_id for n in doc.tree.css("*") if matcher(n)] == expected


def test_python_matcher_not_used_in_quirks_mode_or_for_combinators() -> None:
    quirks = doc_of('<html><body><div class="Reply">x</div></body></html>')
    assert quirks.matcher(".reply") is None  # Lexbor ignores class case in quirks mode
    assert doc_of(MATCHER_PAGE).matcher(".comment-author cite") is None


def test_quirks_probe_uses_ascii_case() -> None:
    # Lexbor folds only ASCII case in quirks mode: a non-ASCII first class must not hide it.
    quirks = doc_of('<html><body><div class="äb">x</div><p class="Reply">y</p></body></html>')
    assert quirks.quirks()
    assert quirks.matcher(".reply") is None
    assert not doc_of(MATCHER_PAGE).quirks()


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("by", None),
        ("By Ann", "Ann"),
        ("Ann says:", "Ann"),
        ("von", None),
        ("Bylund", "Bylund"),
        ("Anonymous (not verified)", "Anonymous"),
        ("Gast (nicht überprüft)", "Gast"),
        ("Léa (non vérifié)", "Léa"),
        ("Verified Buyer", "Verified Buyer"),
    ],
)
def test_clean_author_drops_labels(shown: str, expected: str | None) -> None:
    assert clean_author(shown) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("小明", True),
        ("新浪网友 Lee", True),
        ("Smith, John", True),  # a comma in a Latin-script name is common
        ("电价会上涨吗？专家：短期内保持稳定", False),  # a headline: sentence punctuation
        ("港口扩建，新码头", False),
        ("a" * 61, False),
        ("one two three four five six seven", False),
    ],
)
def test_name_sized(text: str, expected: bool) -> None:
    assert name_sized(text) is expected


def test_a_heading_linking_home_names_the_site_in_the_title_tag() -> None:
    # No URL, no heading for the post: the <title> loses the part the home heading names.
    doc = doc_of(
        "<html><head><title>Moving the servers - Sam's log</title></head><body>"
        '<h1><a href="/">Sam\'s log</a></h1><p>This weekend the old rack goes.</p></body></html>'
    )
    assert find_title(doc, None) == "Moving the servers"
