"""Variants of the plain-text layouts, written for threadline (tests/fixtures/text-*.txt).

Some fixtures are renderings of HTML pages written for the purpose, made with resiliparse's
``extract_plain_text(list_bullets=True)`` with and without ``main_content`` (text-says-dated,
text-says-main-content, text-bullets-authors); the others are hand-written in the same shape.
Goldens were written from the fixtures' known structure, not from parser output.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.golden import check_golden, comment_rows
from transforms.parse import detect_format
from transforms.parse import text as text_parser
from transforms.parse.text import detect, parse, parse_text
from transforms.records import ParsedThread, RawPage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _parse_file(
    name: str, url: str | None = None, fetched_at: datetime | None = None
) -> list[ParsedThread]:
    path = FIXTURES / f"{name}.txt"
    page = RawPage(source_uri=str(path), content=path.read_bytes(), url=url, fetched_at=fetched_at)
    return parse(page)


def _record_rows(
    name: str,
) -> tuple[ParsedThread, list[tuple[str | None, datetime | None, str]]]:
    """The thread of a fixture read as records, and (author, posted_at, text) of each comment."""
    [thread] = _parse_file(name)
    assert thread.parser == "text/records"
    return thread, [(c.author, c.posted_at, c.text) for c in thread.comments]


@pytest.mark.parametrize(
    "name",
    [
        "text-says-dated",
        "text-says-main-content",
        "text-bullets-authors",
        "text-bullets-ascii",
        "text-numbered-authors",
        "text-name-date",
        "text-no-comments",
        "text-numbered",
    ],
)
def test_fixture_matches_golden(name: str) -> None:
    check_golden("text", name, _parse_file(name))


@pytest.mark.parametrize(
    "variant", ["text-numbered-3sp", "text-numbered-4sp", "text-numbered-tabs"]
)
def test_indent_width_and_tabs_give_the_same_tree(variant: str) -> None:
    check_golden("text", "text-numbered", _parse_file(variant))


def test_irregularities_in_the_numbered_outline() -> None:
    [thread] = _parse_file("text-numbered")
    c = thread.comments
    assert (c[0].depth, c[0].parent, c[0].orphan) == (2, None, True)  # reply shown without parents
    assert [x.parent for x in c[8:10]] == [7, 7]  # numbering restarts at 1: still siblings
    assert c[9].author is None and c[9].text.startswith("Marcus\n")  # addressee, not author
    assert (c[11].depth, c[11].parent) == (0, None)  # marker line missing
    assert c[12].parent == 11 and c[12].text.count("\n\n") == 1  # media gap inside one comment
    assert "1) whether" in c[5].text  # "1)" inside a comment is text, not a reply
    assert "©" not in (thread.article_text or "")


def test_reply_links_dates_and_chrome() -> None:
    [thread] = _parse_file("text-says-dated")
    assert all("Reply" not in c.text.split("\n") for c in thread.comments)
    assert thread.comments[0].posted_at == datetime(2019, 4, 14, 11, 2, tzinfo=UTC)
    article = thread.article_text or ""
    assert "Share this" not in article and "Twitter" not in article and "Home" not in article
    assert article.endswith("if the frosts behave.")
    assert "more patience than last year" in article  # the article's own list stays


def test_sidebar_teasers_and_newsletter_are_not_comments() -> None:
    [thread] = _parse_file("text-bullets-authors")
    texts = " ".join(c.text for c in thread.comments)
    assert "Read more" not in texts and "Lifeboat" not in texts and "Daily Email" not in texts
    assert "report problems" not in (thread.article_text or "")
    assert thread.notes == ("sidebar items dropped: 2",)


def test_no_comment_section_gives_zero_comments() -> None:
    [thread] = _parse_file("text-no-comments")
    assert thread.comments == ()
    article = thread.article_text or ""
    assert "fleece or hessian" in article and "never let the compost freeze" in article
    assert "Related Posts" not in article and "Pruning figs" not in article
    assert "©" not in article


def test_url_gives_site_and_identity() -> None:
    [thread] = _parse_file("text-numbered", url="https://www.Example.org/news/library?utm_source=x")
    assert thread.url == "https://www.Example.org/news/library?utm_source=x"
    assert thread.site == "example.org"


@pytest.mark.parametrize(
    ("text", "comments", "parser"),
    [
        ("", 0, "text/article"),
        ("Just a title", 0, "text/article"),
        ("Title\n\nOne paragraph of article text without any comments at all.", 0, "text/article"),
        (
            "Title\n\nBody.\n\n2 Comments\n\n  • Ann\n\n    Hello there.\n  • Bo\n\n    Hi.\n",
            2,
            "text/bullets",
        ),
    ],
)
def test_small_inputs(text: str, comments: int, parser: str) -> None:
    thread = parse_text(text)
    assert len(thread.comments) == comments
    assert thread.parser == parser


def test_author_lines_only_where_the_page_uses_them() -> None:
    # A numbered outline whose items open with a name followed directly by text: addressees.
    text = (
        "Title\n\nBody text of the article goes here and is long enough.\n\n"
        "  1. Sam\n    you are right about the bus times.\n\n"
        "  2. Alex\n    no, the timetable changed in May.\n"
    )
    thread = parse_text(text)
    assert [c.author for c in thread.comments] == [None, None]
    assert thread.comments[0].text.startswith("Sam\n")


def test_says_variants_and_guest_items() -> None:
    text = (
        "Title\n\nBody.\n\n3 Responses\n\n"
        "  1. Lena sagt:\n\n    Danke für den Artikel.\n\n"
        "  2. Marc on March 22, 2013 at 2:05 pm said:\n\n    Agreed with Lena.\n\n"
        "  3. A comment from a guest without a name line.\n"
    )
    thread = parse_text(text)
    assert thread.parser == "text/says"
    assert [c.author for c in thread.comments] == ["Lena", "Marc", None]
    assert thread.comments[1].posted_at == datetime(2013, 3, 22, 14, 5, tzinfo=UTC)
    assert thread.comment_count_declared == 3


def test_relative_dates_use_the_fetch_time() -> None:
    text = "Title\n\nBody.\n\n  • Kim\n    2 days ago\n\n    First!\n\n  • Lou\n\n    Second.\n"
    page = RawPage(
        source_uri="x.txt",
        content=text.encode(),
        fetched_at=datetime(2024, 5, 10, 12, 0, tzinfo=UTC),
    )
    [thread] = parse(page)
    assert thread.comments[0].posted_at == datetime(2024, 5, 8, 12, 0, tzinfo=UTC)
    assert thread.comments[0].author == "Kim"


def test_deep_threads_are_linear_and_iterative() -> None:
    depth = 3000
    lines = ["Title", "", "Body.", ""]
    lines += [" " * (2 * (d + 1)) + f"1. Reply number {d} in a long chain." for d in range(depth)]
    thread = parse_text("\n".join(lines))
    assert len(thread.comments) == depth
    assert thread.comments[-1].depth == depth - 1
    assert thread.comments[-1].parent == depth - 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"Plain title\n\nSome text.\n", True),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", False),
        (b"<?xml version='1.0'?><rss></rss>", False),
        (b'{"url": "https://a.example/", "text": "x"}\n', False),
        (b'{"url": "https://a.example/"}\n{"url": "https://b.example/"}\n', False),
        (b"[1, 2, 3]\n", False),
        (b'[\n  {"id": 1}\n]\n', False),
        # an image's label as a rendering's first line is no JSON document
        (b"[]\n\nA headline\n\nThe first paragraph of the story.\n", True),
        (b"[54352606]\n           \nWelcome to the site\nMon, 25 Dec 2023\n", True),
        (b"\x00\x01\x02binary\x00" * 50, False),
        (b"<div><p>a</p><p>b</p><p>c</p><span>d</span><b>e</b></div>", False),
        (b"Text that mentions <b>one</b> tag is still text, with plenty of words around it.", True),
    ],
)
def test_detect(content: bytes, expected: bool) -> None:
    page = RawPage(source_uri="x", content=content)
    assert detect(page, content[:4096].decode("utf-8", "replace")) is expected


def test_format_hint_decides_detection() -> None:
    html = RawPage(source_uri="x#1", content=b"Plain words", format_hint="html")
    text = RawPage(source_uri="x#2", content=b"<p>markup</p>" * 20, format_hint="text")
    assert detect(html, "Plain words") is False
    assert detect(text, "<p>markup</p>" * 20) is True


def test_registry_sends_text_fixtures_to_the_text_parser() -> None:
    path = FIXTURES / "text-bullets-ascii.txt"
    assert detect_format(RawPage(source_uri=str(path), content=path.read_bytes())).name == "text"


def test_sidebar_teasers_without_comments() -> None:
    [thread] = _parse_file("text-teasers-no-comments")
    assert thread.comments == ()
    assert thread.published_at == datetime(2022, 5, 11, 9, 40, tzinfo=UTC)
    article = thread.article_text or ""
    assert article.startswith("The council has confirmed funding")
    assert article.endswith("take around eight months.")


def test_disqus_style_name_and_relative_age() -> None:
    text = (
        "Title\n\nBody.\n\n"
        "  • Ann Lee • 3 years ago\n\n    Nice one.\n\n"
        "    • Bob • a day ago\n\n      Thanks.\n"
    )
    thread = parse_text(text, reference=datetime(2024, 1, 10, tzinfo=UTC))
    assert [(c.author, c.depth, c.parent) for c in thread.comments] == [
        ("Ann Lee", 0, None),
        ("Bob", 1, 0),
    ]
    assert thread.comments[1].posted_at == datetime(2024, 1, 9, tzinfo=UTC)
    assert [c.text for c in thread.comments] == ["Nice one.", "Thanks."]


def test_count_line_under_title_and_trackbacks_after_comments() -> None:
    text = (
        "Title here\n\n12 Comments\n\n"
        "The article opens with a paragraph of prose that is long enough to be article text.\n\n"
        "Three points to note\n"
        "  • first point of the list is here and long\n"
        "  • second point of the list is here and long\n\n"
        "More article prose follows the list and it is long enough to be a paragraph.\n\n"
        "12 Comments\n\n"
        "  1. Ann says:\n\n    First comment.\n\n"
        "Trackbacks\n\n"
        "  • Pingback: Some other blog | Site\n"
    )
    thread = parse_text(text)
    assert [(c.author, c.kind) for c in thread.comments] == [
        ("Ann", "comment"),
        ("Some other blog | Site", "pingback"),
    ]
    assert thread.comment_count_declared == 12
    article = thread.article_text or ""
    assert article.startswith("The article opens") and "first point of the list" in article
    assert "Comments" not in article


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("March 22, 2013 at 2:05 pm", datetime(2013, 3, 22, 14, 5, tzinfo=UTC)),
        ("22nd March, 2013 1:55 pm", datetime(2013, 3, 22, 13, 55, tzinfo=UTC)),
        ("19. Juni 2019 / 6:16", datetime(2019, 6, 19, 6, 16, tzinfo=UTC)),
    ],
)
def test_date_lines_under_author_lines(line: str, expected: datetime) -> None:
    text = f"Title\n\nBody.\n\n  • Ann\n    {line}\n\n    Hello.\n\n  • Bo\n    {line}\n\n    Hi.\n"
    thread = parse_text(text)
    assert [(c.author, c.posted_at, c.text) for c in thread.comments] == [
        ("Ann", expected, "Hello."),
        ("Bo", expected, "Hi."),
    ]


def test_date_lines_in_other_languages() -> None:
    """Name, then a date line in Spanish ("4 de diciembre de 2022 a las 10:05", "hace 3
    días"): the header of a comment, as in English, German and French."""
    fetched = datetime(2022, 12, 14, 12, tzinfo=UTC)
    [thread] = _parse_file("text-spanish-dates", fetched_at=fetched)
    rows = comment_rows(thread)
    assert rows == [
        (
            0,
            None,
            "Marta",
            datetime(2022, 12, 4, 10, 5, tzinfo=UTC),
            "¿Las habas aguantan las heladas de enero?",
        ),
        (
            1,
            0,
            "Cuaderno",
            datetime(2022, 12, 4, 18, 40, tzinfo=UTC),
            "Sí, hasta unos cinco grados bajo cero sin problema.",
        ),
        (
            0,
            None,
            "Joan",
            fetched - timedelta(days=3),
            "Yo pongo los ajos en noviembre y salen igual de bien.",
        ),
    ]


def test_whole_page_rendering_with_menus_and_sidebar() -> None:
    """A rendering of the whole page (text-full-page): the site's name and its nested menus
    come first, the comment list has no header, and a sidebar list follows it with nothing
    between. Menus are not comments however large and nested; the title is the heading above
    the article's prose, and the numbered items "N. Name | date" are comments, not dates."""
    [thread] = _parse_file("text-full-page")
    assert thread.title == "Tomatoes under fleece in April"
    assert thread.published_at == datetime(2021, 4, 3, 9, 15, tzinfo=UTC)
    article = thread.article_text or ""
    assert article.startswith("The first trusses are set")
    assert "Raised beds" not in article and "Wilma" not in article
    rows = [(c.depth, c.parent, c.author, c.posted_at) for c in thread.comments]
    assert rows == [
        (0, None, "Wilma", datetime(2021, 4, 3, 10, 2, tzinfo=UTC)),
        (0, None, "Anton", datetime(2021, 4, 3, 11, 47, tzinfo=UTC)),
        (0, None, "plotholder", datetime(2021, 4, 3, 12, 30, tzinfo=UTC)),
    ]
    assert thread.comments[0].text == (
        "Same here: fleece on at dusk, off at nine.\nMine are a fortnight behind yours though."
    )


@pytest.mark.parametrize(
    "between",
    [
        # links to the posts before and after, the date line, the categories, a count link
        "  • Older post\n  • Newer post\n\non March 10, 2015 by Ina Berg\n\n"
        "in Garden Notes Soil\n\n  • 2 comments\n",
        # a byline, the date, a count link written as a list item
        "by Ina Berg\n\n10 Mar 2015\n\n  • Comments: 2\n",
    ],
)
def test_title_above_links_and_datelines(between: str) -> None:
    """The post's heading is the title when a few links, its date line and its categories
    stand between it and its text; a long menu is not such a link list."""
    prose = "The first trusses are set and the nights are still cold in the valley. " * 4
    menu = "".join(f"  • Section {n}\n" for n in range(6))
    text = f"Plot Diary\n{menu}\nCompost in March\n\n{between}\n{prose}\n"
    thread = parse_text(text)
    assert thread.title == "Compost in March"
    assert thread.published_at == datetime(2015, 3, 10, tzinfo=UTC)
    footer = f"Plot Diary\n\nFooter\n\n{menu}\n{prose}\n"
    assert parse_text(footer).title == "Plot Diary"


def test_dash_list_inside_a_says_comment() -> None:
    """Comments numbered "N. Name says:"; one of them holds a list its author typed with
    dashes, and text after it. Replies written as bullets with their own "says:" stay replies."""
    text = (
        "Pruning plums\n\n"
        + "Plums are pruned in summer, never in winter, here is why. " * 3
        + "\n\n"
        "3 Responses\n\n"
        "  1. Ann says:\n    June 2nd, 2024 at 10:02 pm\n\n"
        "    Reasons I prune late:\n\n"
        "    - silver leaf spreads in wet weather\n"
        "    - the cuts heal fast in July\n\n"
        "    and one reason against:\n\n"
        "    - the fruit is still on\n\n"
        "    • Bo says:\n      June 3rd, 2024 at 8:15 am\n\n"
        "      Same here, late July.\n\n"
        "  2. Cy says:\n    June 4th, 2024 at 9:00 am\n\n"
        "    Thanks for this.\n"
    )
    thread = parse_text(text)
    rows = [(c.depth, c.parent, c.author) for c in thread.comments]
    assert rows == [(0, None, "Ann"), (1, 0, "Bo"), (0, None, "Cy")]
    assert thread.comments[0].text == (
        "Reasons I prune late:\n\n"
        "- silver leaf spreads in wet weather\n- the cuts heal fast in July\n\n"
        "and one reason against:\n\n- the fruit is still on"
    )
    assert thread.notes == ()


def test_typed_list_inside_a_comment_with_text_after_it() -> None:
    """Blogger-style comments (a bullet, the text, a line signing it): one comment holds a list
    its author typed with dashes, and its text goes on under the list. A reply written with
    a typed bullet and text of its own under it stays a reply (text-bullets-ascii)."""
    text = (
        "Seed swap\n\n"
        + "The seed swap is on the first Saturday of March, as every year. " * 3
        + "\n\n3 comments:\n\n"
        "  • Can we bring cuttings too? Last year two things were missing:\n"
        "    - labels for the trays\n"
        "    - a table for cuttings\n\n"
        "    Otherwise it was perfect.\n\n"
        "    By Anonymous, at 5:18 PM\n\n"
        "  • Cuttings are welcome.\n\n"
        "    By Ina, at 6:02 PM\n\n"
        "  • See you there!\n\n"
        "    By Bo, at 7:30 PM\n"
    )
    thread = parse_text(text)
    assert [(c.depth, c.parent) for c in thread.comments] == [(0, None)] * 3
    assert thread.comments[0].text == (
        "Can we bring cuttings too? Last year two things were missing:\n"
        "- labels for the trays\n- a table for cuttings\n\nOtherwise it was perfect."
    )
    # the line that signs each comment ("By Name, at <time>") gives its author
    assert [c.author for c in thread.comments] == ["Anonymous", "Ina", "Bo"]
    assert thread.notes == ()
    [ascii_thread] = _parse_file("text-bullets-ascii")
    assert [(c.depth, c.parent) for c in ascii_thread.comments][:3] == [(0, None), (1, 0), (2, 1)]


def test_subject_line_then_byline() -> None:
    """Forum-style comments: a subject on the item's line, "geschrieben von Name am <date>
    [ antworten ]" under it, then the text. The byline names the comment; the subject opens
    its text. A reply link written beside a name ("Ina Berg Reply") is not part of it."""
    text = (
        "Zinsen\n\n"
        + "Die Zinsen steigen wieder, und die Sparer freuen sich darüber sehr. " * 3
        + "\n\n3 Kommentare\n\n"
        "  • Kurze Frage\n\n"
        "    geschrieben von kraemer2012 am 21. Jan. 2015, 21:03 [ antworten ]\n\n"
        "    Gilt das auch für Tagesgeld?\n\n"
        "    • AW: Kurze Frage\n\n"
        "      written by Ina Berg on 22 Jan 2015\n\n"
        "      Ja, mit etwas Verzögerung.\n\n"
        "  • Bo Lind Reply\n\n"
        "    Danke für den Überblick.\n"
    )
    thread = parse_text(text)
    rows = comment_rows(thread)
    assert rows == [
        (0, None, "kraemer2012", datetime(2015, 1, 21, 21, 3, tzinfo=UTC),
         "Kurze Frage\n\nGilt das auch für Tagesgeld?"),
        (1, 0, "Ina Berg", datetime(2015, 1, 22, tzinfo=UTC),
         "AW: Kurze Frage\n\nJa, mit etwas Verzögerung."),
        (0, None, "Bo Lind", None, "Danke für den Überblick."),
    ]  # fmt: skip


def test_reply_link_with_arrow_closes_comments() -> None:
    """A German theme ends each comment with "Antwort ↓" and nests replies after it; a reply at
    the deepest level (no reply link of its own) numbers its points, which stay its text."""
    text = (
        "Beete im Herbst\n\n"
        + "Im Herbst werden die Beete gemulcht und nicht umgegraben. " * 3
        + "\n\n4 Kommentare\n\n"
        "  1. Ina 13. Dezember 2012 um 01:33\n\n"
        "    Warum nicht umgraben?\n\n"
        "    Antwort ↓\n"
        "    1. Bo 15. Dezember 2012 um 13:41\n\n"
        "      1. Die Bodenlebewesen bleiben in ihrer Schicht.\n\n"
        "      2. Der Mulch hält die Feuchtigkeit.\n\n"
        "  2. Cy 16. Dezember 2012 um 09:00\n\n"
        "    Danke!\n\n"
        "    Antwort ↓\n"
        "    1. Dora 16. Dezember 2012 um 10:00\n\n"
        "      Gern.\n"
    )
    thread = parse_text(text)
    rows = [(c.depth, c.parent, c.author, c.text) for c in thread.comments]
    assert rows == [
        (0, None, "Ina", "Warum nicht umgraben?"),
        (1, 0, "Bo", "1. Die Bodenlebewesen bleiben in ihrer Schicht.\n\n"
                     "2. Der Mulch hält die Feuchtigkeit."),
        (0, None, "Cy", "Danke!"),
        (1, 2, "Dora", "Gern."),
    ]  # fmt: skip


_PROSE = "The first trusses are set and the nights are still cold in the valley. " * 3


@pytest.mark.parametrize(
    ("head", "title", "published"),
    [
        # a section's kicker above the title
        ("Gardening\n\nThe slugs came back in June\n", "The slugs came back in June", None),
        # the blog's name, its tagline, a date header, a short title (Blogger)
        (
            "Plot Notes\nAllotment life in the valley\n17.7.11\nFrost again\n",
            "Frost again",
            datetime(2011, 7, 17, tzinfo=UTC),
        ),
        # a breadcrumb trail that ends with the title, a caption between them
        (
            "Home > Garden > Tomatoes under glass at last\n\nThe greenhouse. (Photo: Ina)\n\n"
            "Tomatoes under glass at last\n",
            "Tomatoes under glass at last",
            None,
        ),
        # a byline with the date above the title
        (
            "By Ina Berg 10. März 2015 in Garten\n\nKompost im März\n",
            "Kompost im März",
            datetime(2015, 3, 10, tzinfo=UTC),
        ),
        # a kicker, the title, the author's name alone and the date under it
        (
            "Garten\n\nKompost im März richtig ansetzen\n\nIna Berg\n15 Mai 2019 à 06h00\n",
            "Kompost im März richtig ansetzen",
            datetime(2019, 5, 15, 6, 0, tzinfo=UTC),
        ),
        # a channel's name in Chinese above the title, the date and source under it
        (
            "园艺频道\n\n番茄终于在温室里结果了，今年比去年早两周\n\n2019年11月25日 18:57 园艺报\n",
            "番茄终于在温室里结果了，今年比去年早两周",
            datetime(2019, 11, 25, 18, 57, tzinfo=UTC),
        ),
        # a site's name and its tagline above a post dated under its title
        (
            "Plot Notes\nThis Soil is so Tired!\non March 10, 2015 by Ina\n"
            "in Featured Soil Notes\n",
            "This Soil is so Tired!",
            datetime(2015, 3, 10, tzinfo=UTC),
        ),
        # a short title is the title when the post follows it ...
        ("Frost Again\n", "Frost Again", None),
        # ... or when what follows is not a heading opening the post
        ("Muffins\n\nRezept vom 2 Aug. 2013\n\n51 Kommentare\n", "Muffins", None),
        ("Short Title\n\nA subtitle without an end\n\nAnother heading here\n", "Short Title", None),
        # under a date header, a line followed by a menu's label is not the title
        ("Welcome\n\nMon, 25 Dec 2023\n\nThe World for People\n\nSections\n", "Welcome", None),
    ],
)
def test_title_below_the_page_furniture(head: str, title: str, published: datetime | None) -> None:
    """A rendering may start with a kicker, the site's name and tagline, a breadcrumb trail, a
    date header or a byline: the title is the heading under them that opens the post."""
    thread = parse_text(f"{head}\n{_PROSE}\n")
    assert thread.title == title
    if published is not None:
        assert thread.published_at == published
    assert title not in (thread.article_text or "")


def test_headline_lists_are_not_comments() -> None:
    """A news ticker (a time, then a headline) and a nested menu, without a comment header:
    one-line items that are neither sentences nor followed by text."""
    ticker = "\n".join(f"  • 1{h}:05 Council votes on the new cycle lanes again" for h in range(8))
    menu = "  • News\n    • Local\n    • Sport\n  • Opinion\n    • Letters\n"
    text = f"Town news\n\n{menu}\nBody of the story, long enough.\n\n{ticker}\n"
    thread = parse_text(text)
    assert thread.comments == ()
    assert thread.parser == "text/article"


def test_prose_after_the_comment_form_is_the_sidebar() -> None:
    """The comments follow their count header; after them come the comment form, an author
    box of long paragraphs and a list of teasers (text-comments-before-sidebar). The prose
    after the form does not make the comment list a list of the article."""
    [thread] = _parse_file("text-comments-before-sidebar")
    rows = [(c.depth, c.parent, c.author, c.text) for c in thread.comments]
    assert rows == [
        (0, None, "Ines", "Thank you, we went on Sunday and it was lovely."),
        (0, None, "Ravi", "Is the stretch under the railway bridge still muddy?"),
        (1, 1, "Towpath Notes", "Dry now, the drain was cleared last week."),
    ]
    assert thread.comment_count_declared == 3


def test_comments_written_as_records() -> None:
    """Comments that are not list items (text-records-indented): after the comment header,
    a name line, a date line with link labels after the date, the text; a reply indented. A
    like counter under the date and the comment form after the last comment are not text."""
    [thread] = _parse_file("text-records-indented")
    assert thread.parser == "text/records"
    rows = comment_rows(thread)
    assert rows == [
        (
            0,
            None,
            "Marguerite",
            datetime(2022, 2, 14, 19, 5, tzinfo=UTC),
            "Mine had a hairline crack I only saw when it was hot. Good advice.",
        ),
        (
            1,
            0,
            "Pan Doctor",
            datetime(2022, 2, 14, 20, 11, tzinfo=UTC),
            "Heat shows them up, yes. Cold, most are invisible.",
        ),
        (
            0,
            None,
            "Ulrich",
            datetime(2022, 2, 15, 8, 30, tzinfo=UTC),
            "Does brazing change the seasoning near the handle?",
        ),
    ]
    assert (thread.article_text or "").endswith("oil it thinly.")


def test_numbered_records_show_reply_levels() -> None:
    """Records "#2 Name date", flat on the page: "#2.1" is a reply to #2; a table row gives
    its text after a tab; a relative date counts back from the fetch time."""
    text = (
        "Market day\n\nThe market moves to the square.\n\nKommentare (4)\n\n"
        "#1 Petra 12.05.2013 14:22\nEndlich!\nAntworten\n"
        "#1.1 Klaus 12.05.2013 15:01\nJa, endlich.\n"
        "#2 Anna\n13.05.2013, 09:10\t\tUnd parken?\n"
        "Jo\n\n#3 — vor 2 Stunden\n\nIch komme.\n"
    )
    fetched = datetime(2013, 5, 14, 12, tzinfo=UTC)
    [thread] = parse(RawPage(source_uri="m.txt", content=text.encode(), fetched_at=fetched))
    rows = comment_rows(thread)
    assert rows == [
        (0, None, "Petra", datetime(2013, 5, 12, 14, 22, tzinfo=UTC), "Endlich!"),
        (1, 0, "Klaus", datetime(2013, 5, 12, 15, 1, tzinfo=UTC), "Ja, endlich."),
        (0, None, "Anna", datetime(2013, 5, 13, 9, 10, tzinfo=UTC), "Und parken?"),
        (0, None, "Jo", fetched - timedelta(hours=2), "Ich komme."),
    ]
    assert thread.comment_count_declared == 4


def test_records_signed_under_their_text() -> None:
    """TypePad and Movable Type write "Posted by: Name | date" under each comment's text
    (text-records-signature): each text belongs to the signature after it. A name may end with
    an initial; the closed-comments line ends the thread."""
    [thread] = _parse_file("text-records-signature")
    assert thread.parser == "text/records"
    rows = [(c.depth, c.author, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        (
            0,
            "Gordon",
            datetime(2021, 11, 18, 8, 12, tzinfo=UTC),
            "Fleece would have saved the broccoli. Two layers, pegged down, and take it off "
            "on sunny days.",
        ),
        (
            0,
            "Wren",
            datetime(2021, 11, 18, 9, 40, tzinfo=UTC),
            "Our leeks split in the same frost. Do yours look sound at the base?\n\n"
            "They are fine below ground, just the flags are scorched.",
        ),
        (
            0,
            "Maud P.",
            datetime(2021, 11, 19, 19, 55, tzinfo=UTC),
            "Kale is the one crop that never lets you down.",
        ),
    ]


def test_blogger_said_records() -> None:
    """Blogger's template (text-records-blogger): "Name said...", the text, then the date and a
    Delete link; a comment may have no date line. "Labels:" is not article text."""
    thread, rows = _record_rows("text-records-blogger")
    assert rows == [
        ("Tamsin", datetime(2021, 3, 6, 14, 2, tzinfo=UTC),
         "That crumb looks perfect. What flour did you use?"),
        ("Kettle & Crumb", datetime(2021, 3, 6, 15, 37, tzinfo=UTC),
         "Dark rye from the mill in town, and a little strong white.\n\nThank you!"),
        ("Anonymous", datetime(2021, 3, 7, 9, 15, tzinfo=UTC),
         "Try a longer cold proof overnight, the flavour is worth it."),
        ("Olek", None, "Mine always comes out flat."),
    ]  # fmt: skip
    assert thread.comment_count_declared == 4
    assert "Labels" not in (thread.article_text or "")
    assert (thread.title, thread.published_at) == (
        "Rye sourdough, third attempt",
        datetime(2021, 3, 6, tzinfo=UTC),
    )


def test_blogger_older_template_dates_the_author_line() -> None:
    text = (
        "Field notes\n\nThe heron came back to the pond.\n\n2 Comments:\n\n"
        "At 4/19/2005 07:14:49 PM, Anonymous said...\n\nWhich pond is this?\n\n"
        "At April 20, 2005 8:02 AM, Ruth Ann said...\n\nThe one behind the school.\n\n"
        "Post a Comment\n"
    )
    thread = parse_text(text)
    rows = [(c.author, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        ("Anonymous", datetime(2005, 4, 19, 19, 14, 49, tzinfo=UTC), "Which pond is this?"),
        ("Ruth Ann", datetime(2005, 4, 20, 8, 2, tzinfo=UTC), "The one behind the school."),
    ]


def test_page_written_inside_a_list_item() -> None:
    """A theme that puts the whole post in the last item of its menu (text-page-in-list-item):
    the article, the comment header and the comments are read as if unindented. Author lines
    carry a weekday, a slash before the time and a Reply link after it; the comment form's
    numbered rules after "WRITE A COMMENT" are not comments."""
    [thread] = _parse_file("text-page-in-list-item")
    assert thread.title == "The new ferry timetable, explained"
    assert (thread.article_text or "").startswith("From Monday the first ferry")
    assert (thread.article_text or "").endswith("free of charge.")
    rows = comment_rows(thread)
    assert rows == [
        (0, None, "Ilse", datetime(2024, 6, 3, 7, 15, tzinfo=UTC),
         "Finally a ferry that matches the train."),
        (1, 0, "Harbour Ledger", datetime(2024, 6, 3, 9, 2, tzinfo=UTC),
         "That was the main request, yes."),
        (0, None, "Tomasz", datetime(2024, 6, 4, 18, 40, tzinfo=UTC),
         "Losing the 14:00 boat hurts on Saturdays."),
    ]  # fmt: skip
    assert thread.comment_count_declared == 3


def test_blogger_threaded_comments() -> None:
    """Blogger's threaded comments (text-blogger-threaded): the name joined to the date
    ("Ada14. April 2019 um 10:23"), "ReplyDelete" and "Replies" under a comment, the reply
    form's link as an item of its own. The blog's name, then its date header, then the post's
    title: the title is the post's, the date header dates it."""
    [thread] = _parse_file("text-blogger-threaded")
    assert thread.title == "Reading list for the holidays"
    assert thread.published_at == datetime(2019, 4, 14, tzinfo=UTC)
    assert "Labels" not in (thread.article_text or "")
    rows = comment_rows(thread)
    assert rows == [
        (0, None, "Ada", datetime(2019, 4, 14, 10, 23, tzinfo=UTC),
         "The Russian saga is worth it, the middle part drags though."),
        (1, 0, "Paper Lanterns", datetime(2019, 4, 14, 11, 2, tzinfo=UTC),
         "Good to know, I will push through."),
        (1, 0, "Ada", datetime(2019, 4, 14, 11, 30, tzinfo=UTC),
         "Let me know how it ends for you!"),
        (0, None, "Jonas", datetime(2019, 4, 15, 8, 5, tzinfo=UTC),
         "Which mystery is it? I need a short one for the train."),
        (0, None, "Mireille", datetime(2019, 4, 15, 21, 47, tzinfo=UTC),
         "Lovely list, thank you."),
    ]  # fmt: skip


def test_records_before_a_sidebar_list() -> None:
    """Records right after the comment header ("{ 3 comments… read them below or add one }",
    a theme's header) are the comments, not the sidebar's list after them."""
    text = (
        "Gig review\n\nThe support act stole the show and the sound was muddy all night long."
        "\n\n{ 3 comments… read them below or add one }\n\n"
        "Corin June 28, 2015 at 10:25 pm\n\nAgreed about the sound.\n\n"
        "Dee July 6, 2015 at 6:57 pm\n\nThe drummer was great though.\n\n"
        "Corin July 6, 2015 at 7:30 pm\n\nHe was.\n\n"
        "Recent posts\n\n  • Festival line-up announced for the summer, with three new stages"
        " and a longer Sunday\n\n    Tickets go on sale on Friday morning.\n\n"
        "  • Interview with the band about their second album and the long tour ahead\n"
    )
    thread = parse_text(text)
    assert thread.parser == "text/records"
    assert [(c.author, c.text) for c in thread.comments] == [
        ("Corin", "Agreed about the sound."),
        ("Dee", "The drummer was great though."),
        ("Corin", "He was."),
    ]
    assert thread.comment_count_declared == 3


def test_comment_heads_written_as_lists() -> None:
    """A theme that writes each comment's head as a list inside the comment (text-meta-lists):
    "• Reply", "• Name", "• date", then the text at the list's own indentation. Each list
    opens a comment, a reply's list is indented further; a title before a name and an empty
    item (a rule) before the text are kept out of the fields."""
    [thread] = _parse_file("text-meta-lists")
    assert thread.title == "Counting swifts from the church tower"
    rows = comment_rows(thread)
    assert rows == [
        (0, None, "Dr. Ingrid Maas", datetime(2023, 6, 14, 9, 12, tzinfo=UTC),
         "Forty-one is remarkable for a tower that size.\n\nDid you count the boxes "
         "separately?"),
        (1, 0, "Field Station", datetime(2023, 6, 14, 11, 40, tzinfo=UTC),
         "Yes, nine of the forty-one were boxes."),
        (0, None, "Piet", datetime(2023, 6, 15, 18, 3, tzinfo=UTC),
         "We have the same boxes on the school and nothing moved in yet."),
    ]  # fmt: skip


def test_record_shown_two_levels_down_is_an_orphan() -> None:
    """A record numbered two levels below the one before it ("#1.1.1" after "#1": the reply in
    between is not on the page) is an orphan at the depth shown, as in the list layouts and
    the HTML parsers, not a reply to "#1"."""
    text = (
        "Market day\n\nThe market moves to the square.\n\nKommentare (3)\n\n"
        "#1 Petra 12.05.2013 14:22\nEndlich!\n"
        "#1.1.1 Klaus 12.05.2013 15:01\nJa, endlich.\n"
        "#2 Anna 13.05.2013 09:10\nUnd parken?\n"
    )
    thread = parse_text(text)
    rows = [(c.author, c.depth, c.parent, c.orphan) for c in thread.comments]
    assert rows == [
        ("Petra", 0, None, False),
        ("Klaus", 2, None, True),
        ("Anna", 0, None, False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # dated lines without a comment header: a list of news, not comments
        "News\n\nBody of the story.\n\nMore news\n\n12.05.2013 14:22\nFire at the mill.\n"
        "13.05.2013 09:10\nRoad closed.\n",
        # a comment header with nothing dated after it
        "Story\n\nBody of the story.\n\nComments\n\nNo comments yet. Be the first.\n",
    ],
)
def test_no_records_without_a_header_and_dates(text: str) -> None:
    thread = parse_text(text)
    assert thread.comments == ()


def test_w3m_style_numbering_and_a_sidebar_one_column_apart() -> None:
    """w3m writes " 1. ● Name | date" (its number one column in, an inner list's bullet on the
    item's line) and a sidebar's bullets at the next column, with nothing between."""
    text = (
        "Title\n\nBody of the post.\n\n2 Comments\n\n"
        " 1. ● Ada | 11.05.2012 11:38\n\n    First comment.\n\n"
        " 2. ● Ben | 11.05.2012 15:36\n\n    Second comment.\n\n"
        "  • Recent posts\n\n      ▪ One\n      ▪ Two\n      ▪ Three\n\n    Blogroll\n\n"
        "      ▪ Four\n      ▪ Five\n  • Archive\n  • Log in\n"
    )
    thread = parse_text(text)
    assert [(c.author, c.text) for c in thread.comments] == [
        ("Ada", "First comment."),
        ("Ben", "Second comment."),
    ]


def test_records_with_reply_links_written_as_list_items() -> None:
    """A theme whose Reply link renders as a one-item list between records
    (text-records-reply-bullets): the records go on past it. "There are 4 comments" is the
    header; a name shown twice (the avatar's label, then "Name · date") is the author, not the
    end of the comment before; a Report link glued to the text is dropped. The "Recent
    Comments" widget after the form links to comments of other posts."""
    thread, rows = _record_rows("text-records-reply-bullets")
    assert thread.comment_count_declared == 4
    assert rows == [
        ("Petra Lindqvist (night nurse)", datetime(2023, 3, 10, 0, 20, tzinfo=UTC),
         "Without this bus I would be walking home along the ring road at four in the "
         "morning."),
        ("Owen", datetime(2023, 3, 10, 1, 26, tzinfo=UTC),
         "Same here. The taxis stop answering after two.\n\n"
         "Still, forty minutes is a long wait in January."),
        ("Owen", datetime(2023, 3, 11, 20, 41, tzinfo=UTC),
         "Correction: the wait is thirty-five minutes on weekends."),
        ("Marguerite", datetime(2023, 3, 12, 6, 30, tzinfo=UTC), "Who pays for it next year?"),
    ]  # fmt: skip
    assert thread.title == "Council votes to keep the night bus"
    assert (thread.article_text or "").endswith("every forty minutes from midnight to five.")


def test_records_dated_with_iso_timestamps_before_a_headline_list() -> None:
    """Heads dated with the page's ISO 8601 timestamps ("Name · 2020-05-19T17:52:00Z"); the
    list of headlines after them (long lines, no text under them, no sentence ends) is a
    sidebar's, not a comment list that outnumbers the records."""
    headlines = "".join(
        f"  • Harbour council number {i} approves the long delayed repairs of the old sea wall\n"
        for i in range(12)
    )
    text = (
        "The Weekly Tide\n\nSea wall plans\n\n"
        + "The council has published the plans for the sea wall after a long wait. " * 8
        + "\n\nReader Comments\n\nAsha\nAsha · 2020-05-19T17:52:00Z\nAbout time too.\n"
        "Bram\nBram · 2020-05-20T00:35:35+02:00\nWho is paying for it?\n\nElsewhere\n\n" + headlines
    )
    thread = parse_text(text)
    rows = [(c.author, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        ("Asha", datetime(2020, 5, 19, 17, 52, tzinfo=UTC), "About time too."),
        ("Bram", datetime(2020, 5, 19, 22, 35, 35, tzinfo=UTC), "Who is paying for it?"),
    ]


def test_widget_lists_and_headline_lists_are_not_comments() -> None:
    """Neither a list under a widget's heading ("Recent comments", "Most read stories") nor a
    list of headlines (one line each, no sentence in it) is a comment section, even after a
    comment header; a headline ending in "says" is not a "Name says" line."""
    prose = "The ferry will run twice a day from June, the operator said on Monday. " * 6
    for heading, items in [
        ("Recent Comments", ["Ola: I took the early boat and it was late again, as usual »"] * 4),
        ("Most read stories", ["Storm closes the harbour for the third time this winter."] * 4),
        ("Comments", ["Fares rise again, operator says"] * 4),
    ]:
        listed = "".join(f"  • {item}\n" for item in items)
        thread = parse_text(f"Ferry news\n\n{prose}\n\n{heading}\n\n{listed}")
        assert thread.comments == (), heading


def test_records_without_a_comment_header() -> None:
    """Records no header introduces (text-records-headless): three or more heads with a name
    and a date ("Name | Tue, 21 April 2020 - 16:40") after the article are the comments. Each
    ends at its Reply link: the comment form's heading after the last one is not its text."""
    thread, rows = _record_rows("text-records-headless")
    assert rows == [
        ("Ines Varga", datetime(2020, 4, 21, 16, 40, tzinfo=UTC),
         "Finally\n\nTwo visitors is still few for a large family, but it is a start."),
        ("Ines Varga", datetime(2020, 4, 21, 17, 7, tzinfo=UTC),
         "Booking\n\nThe booking line was busy all afternoon.\nI got through at six."),
        ("Tom Ekwueme", datetime(2020, 4, 22, 8, 59, tzinfo=UTC),
         "In reply to Booking by Ines Varga\n\nSame here\n\n"
         "The website works better than the phone."),
    ]  # fmt: skip
    assert (thread.article_text or "").startswith("From Monday each patient")


def test_two_dated_lines_without_a_header_are_not_records() -> None:
    """Fewer than three headless records may be anything dated (an event list, a changelog)."""
    text = (
        "Club news\n\n"
        + "The club house reopens after the works on the roof and the floor. " * 5
        + "\n\nMara Holt | Sat, 2 May 2020 - 10:00\n\nSpring cleaning at the club house.\n\n"
        "Jon Pike | Sun, 3 May 2020 - 14:30\n\nFirst training of the season.\n"
    )
    assert parse_text(text).comments == ()


def test_name_and_text_lines_without_dates() -> None:
    """A comment widget rendered as "Name", then the text on one line, with no dates
    (text-name-text-pairs): pairs after the comment header, up to the widget's footer."""
    [thread] = _parse_file("text-name-text-pairs")
    rows = [(c.depth, c.author, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        (0, "Rosalind K.", None, "Mistake six: believing the picture on the seed packet."),
        (0, "Teo", None,
         "Is watering in the evening really better? Slugs love a wet bed at night."),
        (0, "Guest", None, "so true, every single one"),
        (0, "Ama Owusu", None,
         "We did the soil test last spring. The lime it told us to add doubled the beans."),
        (0, "Teo", None, "Thanks, will try that."),
    ]  # fmt: skip
    assert (thread.article_text or "").endswith("most cost nothing but patience.")


@pytest.mark.parametrize(
    "section",
    [
        # multi-line comments: pairs would cut them wrongly
        "Ann\nFirst line of a comment.\nAnd its second line, still hers.\n"
        "Bob\nA reply to it.\nCara\nAnother one.\nDan\nThe last one.\n",
        # the comment form's labels
        "Name\nEmail\nWebsite\nSubmit\nComment\nSend\n",
    ],
)
def test_lines_that_only_look_like_name_text_pairs(section: str) -> None:
    prose = "The ferry will run twice a day from June, the operator said on Monday. " * 6
    thread = parse_text(f"Ferry news\n\n{prose}\n\nComments\n\n{section}")
    assert thread.comments == ()


def test_records_after_the_comment_forms_rules() -> None:
    """The comment form and its rules (a list of one-line items, no author in it) before the
    comments (text-records-after-form-rules): the records after the "Comments" header are
    the comments; a permalink after the date is not part of it; the count comes from the
    count header above the form."""
    thread, rows = _record_rows("text-records-after-form-rules")
    assert thread.comment_count_declared == 3
    assert rows == [
        ("Ruth Ambler", datetime(2023, 10, 18, 13, 11, tzinfo=UTC),
         "The notes on the back of the cards are the best part."),
        ("Kwame", datetime(2023, 10, 18, 17, 40, tzinfo=UTC),
         "I found my grandmother's handwriting on one of them.\n\nShe worked there in the "
         "sixties."),
        ("Ruth Ambler", datetime(2023, 10, 19, 8, 2, tzinfo=UTC), "What a find!"),
    ]  # fmt: skip


def test_a_most_commented_widgets_counts_are_not_the_comment_header() -> None:
    """Count lines under each headline of a sidebar widget ("Budget day / 11 Comments / ...")
    are not the comment header: the comments are the list after "Comments"."""
    prose = "The harbour wall will be rebuilt in stone over the next two summers. " * 6
    widget = "".join(f"Headline number {n}\n\n{n} Comments\n\n" for n in (11, 9, 4))
    text = (
        f"Harbour news\n\n{prose}\n\nComments\n\n"
        "  1. Ines\n     March 3, 2021 at 10:15\n     Good news for the fishermen.\n"
        "  2. Paul\n     March 4, 2021 at 08:01\n     And for the sailing club.\n\n"
        f"Most Popular\n\n{widget}"
        "Our writers\n\n  • Ann Hale\n    Ann Hale writes about the sea and its people\n"
        "  • Bo Lind\n    Bo Lind is our harbour correspondent\n"
        "  • Cy Moss\n    Cy Moss is a photographer based in the port\n"
    )
    thread = parse_text(text)
    assert [(c.author, c.text) for c in thread.comments] == [
        ("Ines", "Good news for the fishermen."),
        ("Paul", "And for the sailing club."),
    ]
    assert thread.comment_count_declared is None


def test_comments_signed_under_their_text_after_a_possessive_header() -> None:
    """ "Your comments (3)" and "Vos réactions" are comment headers; each comment's text is on
    its marker line and a signature ("Name Le 11 septembre 2018 à 12:57") under it names and
    dates it; the empty items a theme leaves after each reply are not comments."""
    prose = "The town hall will open on Saturdays from next month, the mayor said. " * 6
    for header in ("Your comments (3)", "Vos réactions"):
        text = (
            f"Town hall hours\n\n{prose}\n\n{header}\n\n"
            "  • Good news for those who work all week.\n\n"
            "    Lena Brandt Le 11 septembre 2018 à 12:57\n\n    Reply\n\n"
            "    • About time, the queue on Mondays was endless.\n\n"
            "      Omar on 13 September 2018 at 22:30\n"
            "    • \u00a0\n\n"
            "  • Will the registry office open too?\n\n"
            "    Jo Park on 14 September 2018 at 08:05\n\n    Reply\n"
        )
        thread = parse_text(text)
        assert comment_rows(thread) == [
            (0, None, "Lena Brandt", datetime(2018, 9, 11, 12, 57, tzinfo=UTC),
             "Good news for those who work all week."),
            (1, 0, "Omar", datetime(2018, 9, 13, 22, 30, tzinfo=UTC),
             "About time, the queue on Mondays was endless."),
            (0, None, "Jo Park", datetime(2018, 9, 14, 8, 5, tzinfo=UTC),
             "Will the registry office open too?"),
        ], header  # fmt: skip


def test_links_above_a_byline_under_the_text_are_dropped() -> None:
    """ "Comment by Name — date" under the text (old themes) names the comment; the Like and
    Reply links between the text and that line are furniture, as they are at the end."""
    prose = "The ferry will run twice a day from June, the operator said on Monday. " * 6
    text = (
        f"Ferry news\n\n{prose}\n\n2 Comments\n\n"
        "  1. Finally a boat that fits the train.\n\n     Like\n\n     Reply\n\n"
        "     Comment by Vera — March 3, 2021 at 10:15\n"
        "  2. Is there a night boat too?\n\n     Reply\n\n"
        "     Comment by Hal — March 4, 2021 at 08:01\n"
    )
    thread = parse_text(text)
    assert [(c.author, c.posted_at, c.text) for c in thread.comments] == [
        ("Vera", datetime(2021, 3, 3, 10, 15, tzinfo=UTC), "Finally a boat that fits the train."),
        ("Hal", datetime(2021, 3, 4, 8, 1, tzinfo=UTC), "Is there a night boat too?"),
    ]


def test_signed_records_under_a_header_with_its_form_link() -> None:
    """A header the converter joined to the form's link ("Reader comments Add your comment"),
    then comments written as a subject, the text and a signature under it whose time stands
    after a bar ("Posted by: Name, 12 Mar 2014 | 19:05", text-records-signed-subjects): each
    text is the signature's below it, subject included."""
    thread, rows = _record_rows("text-records-signed-subjects")
    assert thread.title == "Library hours cut to four days a week"
    assert rows == [
        ("Leif H.", datetime(2014, 3, 12, 19, 5, tzinfo=UTC),
         "Mondays were quiet anyway\n\nEvery time I went on a Monday there were three people "
         "in the whole building. Thursday evenings are what matter to people who work."),
        ("Greta, Riverside", datetime(2014, 3, 13, 8, 41, tzinfo=UTC),
         "Not for everyone\n\nPensioners use the Monday mornings for the newspapers and the "
         "warm room.\n\nWhere do they go now?"),
        ("Leif H.", datetime(2014, 3, 13, 10, 12, tzinfo=UTC),
         "RE: Not for everyone\n\nThe café in the market hall lets people read the papers "
         "for free."),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "header",
    ["Comments", "Reader comments", "Visitor comments Add your comment", "Users' comments:",
     "Comments Leave a reply"],
)  # fmt: skip
def test_section_headers(header: str) -> None:
    """Two dated records count as comments only under a comment header."""
    prose = "The library will close on Mondays from April, the council decided. " * 6
    records = "Ann Lee, 12 Mar 2014 19:05\nQuiet anyway.\n\nBo, 13 Mar 2014 08:41\nA pity.\n"
    thread = parse_text(f"Town news\n\n{prose}\n\n{header}\n\n{records}")
    assert [c.author for c in thread.comments] == ["Ann Lee", "Bo"]
    thread = parse_text(f"Town news\n\n{prose}\n\n{header} on the library\n\n{records}")
    assert thread.comments == ()


def test_records_aged_without_ago_and_ended_by_a_share_link() -> None:
    """Heads that give the comment's age without "ago" ("Nadia Rahm 2 years"), each record
    ended by a "Share" link (text-records-ages-share): the ages count back from the fetch (a
    year is 365 days, a month 30); a line of text ending in an age ("It took 3 years") is not
    a head."""
    fetched = datetime(2021, 6, 1, 12, 0, tzinfo=UTC)
    [thread] = _parse_file("text-records-ages-share", fetched_at=fetched)
    assert thread.parser == "text/records"
    assert thread.comment_count_declared == 4
    rows = [(c.author, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        ("Nadia Rahm", fetched - timedelta(days=730),
         "Thank you! The Welsh names of the small piers are still missing."),
        ("kelp_diver", fetched - timedelta(days=730),
         "It took 3 years\nbut it was worth the wait."),
        ("Olu Bankole (@olub)", fetched - timedelta(days=365),
         "Hello Nadia,\n\nThe Welsh names are in now.\n\nBest,\nOlu"),
        ("Tom", fetched - timedelta(days=90), "Pier 12 shows the tides of pier 21."),
    ]  # fmt: skip


def test_forum_items_dated_then_signed_by_par() -> None:
    """A forum's items written "# Le 17 juillet à 22:09, par Name En réponse à : <title>"
    (text-bullets-forum-dated-by): the author after "par", the date before it (without a
    year: the last such day before the fetch), the "En réponse à" part and the reply links
    ("Répondre à ce message", also after a reply) are not text."""
    fetched = datetime(2019, 8, 1, tzinfo=UTC)
    [thread] = _parse_file("text-bullets-forum-dated-by", fetched_at=fetched)
    assert comment_rows(thread) == [
        (0, None, "Horace", datetime(2019, 7, 17, 22, 9, tzinfo=UTC),
         "Enfin ! Mes enfants attendaient ça depuis longtemps."),
        (0, None, "Mireille B.", datetime(2019, 7, 3, 16, 55, tzinfo=UTC),
         "Les horaires du samedi changent-ils ?\nLe site n’en dit rien."),
        (1, 1, "Paulo", datetime(2019, 7, 4, 8, 12, tzinfo=UTC), "Non, toujours de 10 h à 18 h."),
        (0, None, "lectrice75", datetime(2019, 7, 1, 19, 47, tzinfo=UTC),
         "Je peux donner une caisse de romans policiers."),
    ]  # fmt: skip
    [undated] = _parse_file("text-bullets-forum-dated-by")
    assert [(c.author, c.posted_at) for c in undated.comments][:2] == [
        ("Horace", None),
        ("Mireille B.", None),
    ]


def test_a_widget_of_dated_teasers_after_records_is_not_records() -> None:
    """Records whose heads name their author ("Par Name, le <date>") end where a widget of
    teasers begins, each a category label above a date alone ("Actu" / "12 Octobre à
    17h45"): those are not comments."""
    prose = "Le conseil municipal a voté le budget de la piscine mardi soir. " * 6
    records = (
        "2 commentaires\nPar Anne Roux, le mercredi 15 mai 2019 à 08h07\nEnfin une piscine.\n"
        "Par Hugo Petit, le mercredi 15 mai 2019 à 09h23\nEt le parking ?\n"
    )
    widget = "".join(
        f"Vidéos\nTitre de la vidéo {n}\nActu\n{n} Octobre à 17h45\nTitre de la vidéo {n}\n"
        for n in (9, 12)
    )
    fetched = datetime(2020, 11, 1, tzinfo=UTC)
    thread = parse_text(f"Ville\n\n{prose}\n\n{records}{widget}", reference=fetched)
    assert [(c.author, c.posted_at) for c in thread.comments] == [
        ("Anne Roux", datetime(2019, 5, 15, 8, 7, tzinfo=UTC)),
        ("Hugo Petit", datetime(2019, 5, 15, 9, 23, tzinfo=UTC)),
    ]


def test_ages_in_every_unit_without_ago() -> None:
    """Every unit of an age without "ago" opens a record, singular or plural ("1 minute",
    "2 hours", "1 day", "3 weeks", "1 month", "2 years")."""
    ages = ["1 minute", "2 hours", "1 day", "3 weeks", "1 month", "2 years"]
    records = "".join(
        f"Reader{i} {age}\n\nComment number {i}.\n\nShare\n\n" for i, age in enumerate(ages)
    )
    prose = "The harbour wall will be rebuilt in stone over the next two summers. " * 6
    thread = parse_text(f"Harbour news\n\n{prose}\n\n6 Comments\n\n{records}Comments are closed.\n")
    assert [c.author for c in thread.comments] == [f"Reader{i}" for i in range(6)]


def test_records_dated_under_their_text() -> None:
    """Comments written as the name, the text, then the date on a line of its own followed by
    the comment's links (text-records-footer-dated): the links between one date and the next
    name are not text, the header "Comments [3]" states the count."""
    [thread] = _parse_file("text-records-footer-dated")
    assert thread.parser == "text/records"
    assert thread.comment_count_declared == 3
    rows = [(c.depth, c.author, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        (0, "Rosa from Duluth, MN", datetime(2021, 2, 12, 20, 41, tzinfo=UTC),
         "My grandfather kept a light on Lake Superior. He said the same thing about the fog "
         "horn: you stop hearing it after a week and then you hear nothing else.\n\n"
         "Thank you for this one."),
        (0, "Ahmed from Toronto", datetime(2021, 2, 12, 18, 5, tzinfo=UTC),
         "Is the full log going to be published? I would read every page of it."),
        (0, "Kit", datetime(2021, 2, 11, 23, 58, tzinfo=UTC), "The cat story alone was worth it."),
    ]  # fmt: skip
    assert thread.article_text is not None and "Comments [3]" not in thread.article_text


def test_records_dated_by_a_list_under_their_text() -> None:
    """Comments whose date and time stand in a short list under the text, with the reply link
    ("• reply", "• March 2, 2022", "• 10:14 AM"; a reply has no reply link)
    (text-records-footer-lists). The article's dateline above is a date under text too, but
    lists stand between it and the comments: it is not the first comment's footer."""
    [thread] = _parse_file("text-records-footer-lists")
    assert thread.parser == "text/records"
    rows = [(c.author, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        ("Anonymous", datetime(2022, 3, 2, 10, 14, tzinfo=UTC),
         "The car park floods every time it rains. Has anyone on the council been there in "
         "April?"),
        ("Teodor", datetime(2022, 3, 2, 11, 2, tzinfo=UTC), "Keep it where it is."),
        ("Anonymous", datetime(2022, 3, 3, 7, 45, tzinfo=UTC),
         "The fish stall needs water and there is no tap in the car park. That should settle "
         "it.\n\nOr the stall moves and the fish stays on Canal Street."),
        ("M. Okafor", datetime(2022, 3, 3, 20, 30, tzinfo=UTC),
         "I run the bread stall. We were told about the vote by a customer."),
    ]  # fmt: skip


def test_chinese_comment_ages_and_a_list_of_teasers() -> None:
    """A Chinese news page (text-bullets-cjk-ages-teasers): comment heads "Name 5小时前" (an
    age, counted back from the fetch), reply links with their counts ("回复 ⋅ 2条回复 31") that
    are not text, the count header "3 条评论"; and a longer list of other articles after it,
    each with its source and comment count ("晚报 ⋅ 18评论 ⋅ 相关"): teasers, not comments."""
    fetched = datetime(2020, 5, 10, 12, 0, tzinfo=UTC)
    [thread] = _parse_file("text-bullets-cjk-ages-teasers", fetched_at=fetched)
    assert thread.comment_count_declared == 3
    rows = [(c.author, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        ("读书的猫", fetched - timedelta(hours=5), "小时候常去这家店，很高兴它回来了。"),
        ("王小二", fetched - timedelta(days=1), "希望能多放一些旧杂志。"),
        ("江边人", fetched - timedelta(days=2), "读书会在哪一天？"),
    ]


def test_teaser_meta_lines() -> None:
    """A teaser's meta line names its source and its comment count between separators."""
    assert text_parser._TEASER_META.search("CNN · 23 comments · 2h")
    assert text_parser._TEASER_META.search("新京报 ⋅ 1116评论 ⋅ 相关")
    assert not text_parser._TEASER_META.search("I read all 23 comments and agree.")


_MARSH = "Salt marsh birds in the autumn fog"


@pytest.mark.parametrize(
    ("header", "title", "declared"),
    [
        (f"3 thoughts on “{_MARSH}”", _MARSH, 3),
        (f"3 Gedanken zu „{_MARSH}“", _MARSH, 3),
        (f"Ein Gedanke zu „{_MARSH}“", _MARSH, 1),
        (f"3 comments to {_MARSH}", _MARSH, 3),
        # the title itself quoted: its quotes stay
        ("3 responses to “„Salt marsh birds“ in the fog”", "„Salt marsh birds“ in the fog", 3),
    ],
)
def test_title_named_by_the_comment_header(header: str, title: str, declared: int) -> None:
    """A whole-page rendering: the site's name, its description, menus and a sidebar list above
    the post, whose title is a short line with nothing around it to tell it from the rest. The
    comment header names the post ("3 thoughts on “Title”"): the title is the line above that
    reads the same, and the article starts under it."""
    prose = "We walked out at dawn and counted the waders along the creek edge. " * 4
    text = (
        "Coastal Notes\n\nThis blog is kept by two volunteers of the estuary trust, who walk the "
        "sea wall every week of the year and write down what they see, hear and count there.\n\n"
        "  • Home\n  • About\n\nRecent Posts\n\n  • Winter counts are in\n"
        f"  • {title}\n\nArchives\n\n  • 2021\n\n"
        f"{title}\n\nPosted in Birds\n\n{prose}\n\n{header}\n\n"
        "  1. Ines says:\n     Lovely photos.\n"
        "  2. Ravi says:\n     Which creek is that?\n"
        "  3. Ines says:\n     The northern one.\n\n"
        "Leave a Reply\n"
    )
    thread = parse_text(text)
    assert thread.title == title
    assert (thread.article_text or "").startswith("We walked out at dawn")  # no sidebar
    assert [c.author for c in thread.comments] == ["Ines", "Ravi", "Ines"]
    assert thread.comment_count_declared == declared


@pytest.mark.parametrize(
    ("head", "title", "published"),
    [
        # the menus first, then the blog's name and a byline above the title
        (
            "  • Home\n  • Recipes\n    • Bread\n  • About\nThe Crumb Diary of Ina\n"
            "By Ina Berg 4. März 2019 in Brot, Sauerteig 12 Comments\n\nRye at last\n",
            "Rye at last",
            datetime(2019, 3, 4, tzinfo=UTC),
        ),
        # a breadcrumb trail ending with the title below the menus, a caption under the title
        (
            "The Crumb Diary | Baking in a small kitchen\n  • Home\n  • Bread\n"
            "You are here: Home » Bread » Rye at last\nIna Thursday, May 30, 2019\n\n"
            "Rye at last\n\nthe loaf on the board\nA loaf on the board, Sunday morning\n",
            "Rye at last",
            datetime(2019, 5, 30, tzinfo=UTC),
        ),
        # the title first, then a meta line whose parts a separator divides, one a date
        (
            "  • Home\n  • Notes\n\nRye at last\n\n"
            "January 13, 2020 at 08:45 AM | categories: Bread, Rye | View Comments\n",
            "Rye at last",
            datetime(2020, 1, 13, 8, 45, tzinfo=UTC),
        ),
    ],
)
def test_title_on_a_page_opening_with_its_menus(head: str, title: str, published: datetime) -> None:
    """A whole-page rendering that starts with the site's menus: the first unindented line is
    the blog's name, and the title is the heading above the post's prose, past bylines and
    meta lines, which date the post."""
    prose = "The starter took nine days to wake up in the cold kitchen, and then it doubled. " * 3
    thread = parse_text(f"{head}\n{prose}\n\n{prose}\n")
    assert thread.title == title
    assert thread.published_at == published
    article = thread.article_text or ""
    assert "The starter took" in article
    assert not any(word in article for word in ("Home", "Ina", title))


_DISCLAIMER = (
    "Field Notes is funded by its readers. When you buy through the links on this site we may "
    "earn a small commission, which pays for the boots, the maps and the coffee on cold days.\n"
)


@pytest.mark.parametrize(
    ("head", "published"),
    [
        # the title above a dated byline, a standfirst under it
        (
            "Where the Curlews Winter\n\nBy Ina Berg 04 November 2020\n\n"
            "A short guide to the mudflats.\n\nShares\nComments (4)\n",
            datetime(2020, 11, 4, tzinfo=UTC),
        ),
        # the byline's label alone, the name and the date under it
        (
            "Where the Curlews Winter\n\nVon:\nIna Berg\n\n18. Okt 2023\n",
            datetime(2023, 10, 18, tzinfo=UTC),
        ),
        # a byline with its date above the title, a block of its own
        (
            "Field Notes Field Notes\nBy Ina Berg 10. Februar 2019 in Birds, Coast 4 Comments\n\n"
            "Where the Curlews Winter\n",
            datetime(2019, 2, 10, tzinfo=UTC),
        ),
    ],
)
def test_title_beside_the_posts_byline(head: str, published: datetime) -> None:
    """A whole-page rendering whose first prose is a disclaimer above the menus: the title is
    the heading beside the post's first dated byline (above it, or under it when the byline
    stands as a block of its own above a heading that opens the post)."""
    prose = "The curlews arrive in late October and feed on the falling tide until March. " * 3
    text = f"Field Notes\n\n{_DISCLAIMER}  • Home\n  • Birds\n\n{head}\n{prose}\n"
    thread = parse_text(text)
    assert thread.title == "Where the Curlews Winter"
    assert thread.published_at == published


def test_comment_signatures_are_not_the_posts_byline() -> None:
    """Comments signed "Posted by: Name, date" under their text: past the comment header, a
    signature does not make the line above it the post's title."""
    prose = "The curlews arrive in late October and feed on the falling tide until March. " * 3
    text = (
        f"Where the Curlews Winter\n\n{prose}\n"
        "Comments\n\nGreat guide\n\nThanks, we went there on Sunday\n\n"
        "Posted by: Ines, 27 Sep 2011 | 15:22\n\nMud\n\nBring boots.\n\n"
        "Posted by: Ravi, 27 Sep 2011 | 18:53\n"
    )
    assert parse_text(text).title == "Where the Curlews Winter"


def test_count_header_joined_to_its_link() -> None:
    """ "4 Comments Comment from the forums": the count header with the section's link label
    after it is the comment header; the list under it is the comments, not the article's
    list of shops above it."""
    prose = "Stock comes and goes within minutes, so sign up for alerts at every shop. " * 3
    shops = "".join(f"  • Shop {n} lists two models, both sold out this week.\n" for n in "ABCDE")
    comments = "".join(
        f"  • {name} 17 September 2020 1{n}:05\n    {said}\n    Reply\n"
        for n, (name, said) in enumerate(
            [("ines", "Be a bot."), ("ravi", "Sold out at 7:30."), ("olu", "Same here."),
             ("mae", "Try again in March.")]
        )
    )  # fmt: skip
    text = (
        f"Where to Buy a Card\n\nBy Ina Berg 04 November 2020\n\n{prose}\n\n{shops}\n{prose}\n\n"
        f"Topics\nGraphics Cards\n4 Comments Comment from the forums\n{comments}"
    )
    thread = parse_text(text)
    assert thread.comment_count_declared == 4
    assert [c.author for c in thread.comments] == ["ines", "ravi", "olu", "mae"]
    assert thread.comments[1].text == "Sold out at 7:30."


@pytest.mark.parametrize(
    ("head", "title", "published"),
    [
        # a news page in Chinese: the menus, the title (twice), a dateline with the source
        (
            "  • 首页\n  • 新闻\n\n手机客户端\n\n图片\n\n博客\n\n视频\n\n"
            "河边的候鸟今年提前两周到达湿地\n\n河边的候鸟今年提前两周到达湿地\n"
            "2021年10月5日 08:30 湿地日报\n分享 收藏 42\n",
            "河边的候鸟今年提前两周到达湿地",
            datetime(2021, 10, 5, 8, 30, tzinfo=UTC),
        ),
        # the reporter's name between the title and the dateline
        (
            "报料 注册 登录\n\n时政\n\n财经\n\n科技\n\n视频\n\n"
            "河边的候鸟今年提前两周到达湿地\n\n本报记者 李明\n\n"
            "2021-10-05 08:30 来源：湿地日报\n",
            "河边的候鸟今年提前两周到达湿地",
            datetime(2021, 10, 5, 8, 30, tzinfo=UTC),
        ),
        # images written as their labels, a breadcrumb trail, the dateline's source one word
        (
            "[logo]\n首页 / 其他 / 正文\n[          ]\n搜索\n\n4060\n[repost]转发\n微博\n\n"
            "河边的候鸟今年提前两周到达湿地\n\n原创湿地日报 2021-10-05 08:30:12\n",
            "河边的候鸟今年提前两周到达湿地",
            datetime(2021, 10, 5, 8, 30, 12, tzinfo=UTC),
        ),
        # a site's links and ads above the title, the dateline with the town under it
        (
            "advertising\n\nSubscribe to the Valley Post\n\n"
            "Council will decide in March whether to reopen the ferry\n\n"
            "Ina Berg | Valley Post Lindau 08/01/2014 10:21\n",
            "Council will decide in March whether to reopen the ferry",
            datetime(2014, 1, 8, 10, 21, tzinfo=UTC),
        ),
    ],
)
def test_title_over_the_posts_dateline(head: str, title: str, published: datetime) -> None:
    """Before any prose, the first line with a date and more (a time, the source, the town) is
    the post's dateline: the heading above it (past the author's name) is the title."""
    prose = "候鸟在湿地停留了整整一个月，志愿者每天清晨都会沿着河岸记录它们的数量和种类。" * 2
    thread = parse_text(f"{head}\n{prose}\n\nThe birds stayed for a month.\n")
    assert thread.title == title
    assert thread.published_at == published


def test_a_date_header_is_not_a_dateline() -> None:
    """A blog's date header (a date alone) above the post's title is not the post's dateline:
    the line above it is the blog's navigation, not the title."""
    text = (
        "Get your own blog Next blog\n\nMonday, November 01, 2004\n\n"
        "... ah, but the start up times!\n\n"
        + "Start-up is the one thing users notice every single day, so we measured it twice. " * 2
        + "\n"
    )
    assert parse_text(text).title == "... ah, but the start up times!"


def test_avatar_labels_sort_tabs_and_ages_under_names() -> None:
    """A comment widget written as a list: its sort tabs first ("Popular Now", "Newest"), then
    each comment as its avatar's label (the name), the name again with the comment's age, and
    the text. The tabs are no comments; the age line is no text, and dates the comment when
    the page's fetch time is known (ages without digits too: "about a minute ago")."""
    text = (
        "Harbour news\n\n"
        + "The ferry runs again from Monday, the operator said today. " * 4
        + "\n\n3 comments\n\n  • Popular Now\n  • Newest\n  • Oldest\n  • Most Replied\n"
        "  • Isaac\n    Isaac 16 minutes ago\n    Good news for the island.\n"
        "  • john\n    john 34 seconds ago\n    about time\n"
        "  • Scott D\n    Scott D about a minute ago\n    Will it take bikes?\n"
    )
    fetched = datetime(2021, 6, 1, 12, 0, tzinfo=UTC)
    for reference in (None, fetched):
        thread = parse_text(text, reference=reference)
        assert [(c.author, c.text) for c in thread.comments] == [
            ("Isaac", "Good news for the island."),
            ("john", "about time"),
            ("Scott D", "Will it take bikes?"),
        ]
    assert [c.posted_at for c in thread.comments] == [
        fetched - timedelta(minutes=16),
        fetched - timedelta(seconds=34),
        fetched - timedelta(minutes=1),
    ]


@pytest.mark.parametrize(
    ("footer", "published"),
    [
        (
            "This entry was posted on Monday, May 31st, 2004 at 8:40 pm and is filed under "
            "Birds. You can follow any responses to this entry through the feed.",
            datetime(2004, 5, 31, 20, 40, tzinfo=UTC),
        ),
        (
            "Dieser Artikel wurde am 14. Dezember 2015 um 14:48 von Ina geschrieben und unter "
            "Vögel abgelegt.",
            datetime(2015, 12, 14, 14, 48, tzinfo=UTC),
        ),
        # the footer's links glued together by the converter
        (
            "Posted on August 2, 2019August 2, 2019Author Ina BergCategories Birds",
            datetime(2019, 8, 2, tzinfo=UTC),
        ),
    ],
)
def test_post_dated_by_its_footer(footer: str, published: datetime) -> None:
    """No date under the title: the post's footer line at the article's end dates it ("This
    entry was posted on …"), up to the year and its time."""
    prose = "The curlews arrive in late October and feed on the falling tide until March. " * 3
    text = (
        f"Where the Curlews Winter\n\n{prose}\n\n{footer}\n\n2 thoughts on “Where the Curlews "
        "Winter”\n\n  1. Ines says:\n     Lovely.\n  2. Ravi says:\n     Which creek?\n"
    )
    thread = parse_text(text)
    assert thread.title == "Where the Curlews Winter"
    assert thread.published_at == published
    assert len(thread.comments) == 2


def test_images_written_as_labels_are_not_the_title() -> None:
    """A converter may write images as their labels ("[svg]", "[54352606]", a logo's long alt
    text): such a line is no title; the first line of words is."""
    prose = "The curlews arrive in late October and feed on the falling tide until March. " * 3
    head = "[Field Notes, the estuary birds blog][svg]\n\n[54352606]\n\n"
    thread = parse_text(f"{head}Where the Curlews Winter\n\n{prose}\n")
    assert thread.title == "Where the Curlews Winter"


@pytest.mark.parametrize(
    ("line", "count"),
    [
        ("Leserpost (23)", 23),
        ("12 Leserbriefe", 12),
        ("评论（191）", 191),
        ("6条评论|106人参与网友评论", 6),
        ("全部评论 (12)", 12),
        ("共有 8 条评论", 8),
        ("最新评论 刷新", None),
        ("热门评论", None),
    ],
)
def test_more_comment_headers(line: str, count: int | None) -> None:
    """German magazines call their comments readers' letters ("Leserpost"); Chinese news
    sites head their comment widget with the count in brackets or before the noun, and split
    it into sections ("hottest", "newest") without counts."""
    assert text_parser._count_header(line) == count
    assert text_parser._is_header(line)


def test_records_under_a_widgets_consecutive_sections_and_not_the_teasers_after() -> None:
    """A comment widget with two sections (the most liked, then the newest), each a run of
    records ("Name 3天前", the text, "likes | reply"), then a list of teasers for other
    stories: the comments are both sections' records, not the teasers."""
    records = []
    for name, age, text, likes in (
        ("山间客", "6天前", "涨价太突然了，大家一时接受不了。", 278),
        ("小河", "6天前", "自己带充电宝更方便。", 137),
        ("路人甲", "6天前", "商家也要挣钱，可以理解。", 119),
        ("阿青", "5天前", "慢慢涨价大家更容易接受。", 0),
        ("老张", "5天前", "几十块钱就能买一个。", 1),
        ("晴天", "5天前", "以前一元，现在四元。", 0),
    ):
        records += [f"{name} {age}", "", text, f"{likes} | 回复", ""]
    page = "\n".join(
        [
            "共享充电宝涨价了",
            "",
            "多家企业上调了价格，用户反应不一。记者走访了几处商场，发现价格普遍上涨。",
            "",
            "评论（191）",
            "",
            "热门评论",
            "",
            *records[:15],
            "新评论",
            "",
            *records[15:],
            "推荐阅读",
            "",
            "  • 一场雨后的城市，街道上的积水何时退去？",
            "  • 外卖骑手的一天：从早到晚跑了多少单",
            "  • 老旧小区加装电梯，谁来出钱最合理",
            "  • 年轻人为何爱上了周末露营",
            "  • 高铁上的安静车厢，你会选择吗",
            "  • 城市夜市复苏，摊主们怎么说",
            "  • 一座小镇的转型故事",
            "",
        ]
    )
    thread = parse_text(page, reference=datetime(2020, 6, 10, tzinfo=UTC))
    assert thread.parser == "text/records"
    assert thread.comment_count_declared == 191
    assert [c.author for c in thread.comments] == [
        "山间客",
        "小河",
        "路人甲",
        "阿青",
        "老张",
        "晴天",
    ]
    assert (
        thread.comments[0].text == "涨价太突然了，大家一时接受不了。"
    )  # the likes and reply link dropped
    assert thread.comments[0].posted_at == datetime(2020, 6, 4, tzinfo=UTC)
    assert (
        thread.article_text
        == "多家企业上调了价格，用户反应不一。记者走访了几处商场，发现价格普遍上涨。"
    )
