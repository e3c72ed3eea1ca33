"""The structural fallback: comment blocks found by shape, and pages it must leave alone.

modepilot.de.duschkopf: 10 ``li`` with ``a[name=comment-N]`` under ``ul.Comments__CommentList``,
5 top level each with one reply in a nested ``ul``; the post meta says "10 Kommentare".
oekonomenstimme.org.keynes: 32 ``li#comment-N`` in ``ul.comments``, 3 of them replies in a nested
``ul`` (ids 1511, 1514, 1528); "Dieser Artikel hat 32 Kommentare."
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.golden import check_golden, comment_rows
from transforms.parse import parse_page
from transforms.parse.html import assemble_thread, generic
from transforms.parse.html.document import load_document
from transforms.records import ParsedThread, RawPage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def page_of(path: Path, fetched_at: datetime | None = None) -> RawPage:
    return RawPage(source_uri=str(path), content=path.read_bytes(), fetched_at=fetched_at)


def parse_file(path: Path, fetched_at: datetime | None = None) -> ParsedThread:
    """The page's one thread; ``fetched_at`` resolves its relative dates."""
    (thread,) = parse_page(page_of(path, fetched_at))
    return thread


def parse_with_generic(path: Path) -> ParsedThread | None:
    """The page read by the fallback alone (whatever profile would claim it), assembled the
    way the HTML format assembles a thread."""
    doc = load_document(page_of(path))
    extraction = generic.extract(doc)
    return None if extraction is None else assemble_thread(doc, generic.NAME, extraction)


def test_modepilot_react_markup(corpus_dir: Path) -> None:
    thread = parse_file(corpus_dir / "html" / "modepilot.de.duschkopf.html")
    assert thread.parser == "html/generic"
    comments = thread.comments
    assert len(comments) == 10
    assert [c.parent for c in comments] == [None, 0, None, 2, None, 4, None, 6, None, 8]
    assert thread.comment_count_declared == 10
    assert [c.author for c in comments[:2]] == ["Betina", "Kathrin Bierling"]
    assert all(c.author == "Kathrin Bierling" for c in comments[1::2])
    # <time dateTime="1558595674000"> (ms): the shown "09:05" is not the real clock.
    assert comments[0].posted_at == datetime(2019, 5, 23, 7, 14, 34, tzinfo=UTC)
    assert comments[0].native_id == "605013"
    for c in comments:
        assert "sagt" not in c.text and "antworten" not in c.text and c.text
    check_golden("html", "modepilot.de.duschkopf", [thread])


def test_oekonomenstimme_by_the_fallback(corpus_dir: Path) -> None:
    thread = parse_with_generic(corpus_dir / "html" / "oekonomenstimme.org.keynes.html")
    assert thread is not None
    comments = thread.comments
    assert len(comments) == 32
    assert sum(c.parent is None for c in comments) == 29
    replies = [
        (c.native_id, comments[c.parent].native_id) for c in comments if c.parent is not None
    ]
    assert replies == [("1511", "1510"), ("1514", "1513"), ("1528", "1522")]
    assert thread.comment_count_declared == 32
    first = comments[0]
    assert first.author == "berg2012"  # "geschrieben von berg2012 am 21. Jan. 2015, 19:04"
    assert first.posted_at == datetime(2015, 1, 21, 19, 4, tzinfo=UTC)
    assert first.text.startswith("Ein Argument\n\n")  # the typed title, then the text
    assert comments[3].text.startswith("Auch eine kurze Antwort")  # "AW: …" title dropped
    for c in comments:
        assert "geschrieben von" not in c.text and "[ antworten ]" not in c.text
    check_golden("html", "oekonomenstimme.org.keynes", [thread])
    # No WordPress signal on the page: the bare #comment-N ids are left to the fallback.
    assert parse_file(corpus_dir / "html" / "oekonomenstimme.org.keynes.html") == thread


@pytest.mark.parametrize(
    "stem",
    [
        "sports.fr.lorient",  # live-match ticker + a Disqus "recent comments" widget in an aside
        "gregoryszorc.com.python3",  # Disqus embed only
    ],
)
def test_corpus_negatives_give_nothing(corpus_dir: Path, stem: str) -> None:
    assert parse_with_generic(corpus_dir / "html" / f"{stem}.html") is None
    assert parse_file(corpus_dir / "html" / f"{stem}.html").comments == ()


def test_unseen_layout_fixture() -> None:
    """Reader letters with a byline paragraph, replies in a nested container, no ids and no
    class naming comments: found from dates, kept because a heading names the section."""
    thread = parse_file(FIXTURES / "generic-unseen.html")
    assert thread.parser == "html/generic"
    rows = comment_rows(thread)
    assert rows == [
        (
            0,
            None,
            "Greta Voss",
            datetime(2023, 3, 3, 14, 5, tzinfo=UTC),
            "Die Fähre fährt nur bis sechs Uhr.\n\nFür Pendler reicht das nicht.",
        ),
        (
            1,
            0,
            "Jonas Pfeil",
            datetime(2023, 3, 3, 16, 40, tzinfo=UTC),
            "Ab April fährt sie bis acht, steht im Amtsblatt.",
        ),
        (
            0,
            None,
            "Ida",
            datetime(2023, 3, 5, 9, 12, tzinfo=UTC),
            "Schön, dass das Holz aus der Gegend kommt.",
        ),
    ]


def test_replies_beside_the_wrappers_of_their_parent() -> None:
    """Each comment box alone inside wrapper divs, its reply list after the outermost wrapper
    (Joomla-style item markup); a permalink showing only '#N' is not part of the text."""
    thread = parse_file(FIXTURES / "generic-item-wrappers.html")
    rows = comment_rows(thread)
    assert rows == [
        (0, None, "Petra", datetime(2013, 5, 12, 14, 22, tzinfo=UTC), "Schöner Beitrag, danke!"),
        (1, 0, "Klaus", datetime(2013, 5, 12, 15, 1, tzinfo=UTC), "Sehe ich genauso."),
        (
            0,
            None,
            "Anna",
            datetime(2013, 5, 13, 9, 10, tzinfo=UTC),
            "Wann ist das nächste Treffen?",
        ),
    ]
    assert thread.comment_count_declared == 3


def test_table_rows_indented_by_spacer_images() -> None:
    """A row per comment in one table (a discussion site's item page): a reply's depth shows
    only as the width of a spacer image in an ``indent`` cell; each date is shown relative
    ("3 hours ago") inside a wrapper whose title has the exact time; rows have bare numeric
    ids. The story's own row (its date, its submitter) is not a comment."""
    thread = parse_file(FIXTURES / "generic-table-rows.html")
    assert thread.parser == "html/generic"
    rows = [(c.depth, c.parent, c.native_id, c.author, c.posted_at) for c in thread.comments]
    assert rows == [
        (0, None, "101", "marisol", datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),
        (1, 0, "102", "tbeck", datetime(2024, 3, 5, 10, 20, tzinfo=UTC)),
        (2, 1, "103", "marisol", datetime(2024, 3, 5, 10, 31, tzinfo=UTC)),
        (1, 0, "104", "quill", datetime(2024, 3, 5, 11, 2, tzinfo=UTC)),
        (0, None, "105", "odo", datetime(2024, 3, 5, 11, 45, tzinfo=UTC)),
    ]
    assert thread.comments[0].text == (
        "The ferry schedule changed twice this winter.\n\nNobody told the island school."
    )
    assert [c.text for c in thread.comments[1:]] == [
        "They posted it on the harbour board, to be fair.",
        "A board nobody walks past in February.",
        "Same on the north route: the 7:40 vanished.",
        "Does anyone know if the summer timetable is out?",
    ]


def test_flat_comments_indented_by_margins_and_level_classes() -> None:
    """Comments side by side in one container, replies shown by an inline left margin (named
    by ``c-N`` ids) or by ``level-N`` classes (found by their dates): the depths give the
    parents."""
    margins = parse_file(FIXTURES / "generic-indent-margins.html")
    rows = [(c.depth, c.parent, c.native_id, c.author) for c in margins.comments]
    assert rows == [
        (0, None, "7001", "Ilse"),
        (1, 0, "7002", "Bernd K."),
        (2, 1, "7003", "Ilse"),
        (0, None, "7004", "Rainer"),
        (1, 3, "7005", "Mona"),
    ]
    assert margins.comments[4].posted_at == datetime(2023, 4, 13, 19, 5, tzinfo=UTC)
    assert margins.comments[4].text == (
        "In den Seitenstraßen gibt es Ladezonen.\n\nDie werden nur nie kontrolliert."
    )
    levels = parse_file(FIXTURES / "generic-indent-levels.html")
    rows = [(c.depth, c.parent, c.author) for c in levels.comments]
    assert rows == [
        (0, None, "Ada Quarry"),
        (1, 0, "Sam Ketch"),
        (1, 0, "Lee Bollard"),
        (2, 2, "Ada Quarry"),
        (0, None, "Ruth Mooring"),
    ]
    assert levels.comments[3].text == "Only the first print run; the reprint is fixed."


def test_comment_text_inside_a_form_without_fields() -> None:
    """Each comment's text in a ``form`` that has no field to fill in (editable-comment
    markup), replies nested in a ``div.child`` list, vote arrows and a "permalink | reply"
    row beside the text: the text is the comment's, the row is not, nor is an edit form
    (a textarea, a button) after it."""
    thread = parse_file(FIXTURES / "generic-form-text.html")
    rows = [(c.depth, c.parent, c.author, c.author_url, c.text) for c in thread.comments]
    profile = "https://old.example.com/user/"
    assert rows == [
        (
            0,
            None,
            "marisol",
            f"{profile}marisol",
            "The ferry schedule changed twice this winter.\n\nNobody told the island school.",
        ),
        (1, 0, "tbeck", f"{profile}tbeck", "They posted it on the harbour board, to be fair."),
        (2, 1, "marisol", f"{profile}marisol", "A board nobody walks past in February."),
        (1, 0, "quill", f"{profile}quill", "Same on the north route."),
        (0, None, "odo", f"{profile}odo", "Is the summer timetable out?"),
    ]
    assert thread.comments[3].posted_at == datetime(2024, 3, 5, 11, 2, tzinfo=UTC)
    # the ids Reddit's API gives the same comments (``data-fullname="t1_k1"``)
    assert [c.native_id for c in thread.comments] == ["k1", "k2", "k3", "k4", "k5"]


def test_forum_topic_with_schema_org_comments() -> None:
    """A forum topic as served to clients without JavaScript: every post the same block,
    replies marked up as schema.org Comments, the opening post not; each post's shown time
    beside a <meta> modification time; the author a Person whose name is a property beside
    a display name. The opening post is the article, the replies are the comments."""
    thread = parse_file(FIXTURES / "generic-forum-topic.html")
    assert thread.parser == "html/generic"
    assert thread.title == "Winter ferry timetable"
    assert thread.article_text == (
        "The winter timetable drops the 7:40 sailing from next week.\n\n"
        "Comments welcome before the board meets."
    )
    assert thread.published_at == datetime(2024, 3, 5, 9, 0, tzinfo=UTC)
    rows = [(c.depth, c.author, c.author_url, c.posted_at) for c in thread.comments]
    user = "https://forum.example.net/u/"
    assert rows == [
        (0, "marisol", f"{user}marisol", datetime(2024, 3, 5, 10, 0, tzinfo=UTC)),
        (0, "tbeck", f"{user}tbeck", datetime(2024, 3, 5, 10, 20, tzinfo=UTC)),
        (0, "quill", f"{user}quill", datetime(2024, 3, 5, 11, 2, tzinfo=UTC)),
    ]
    assert thread.comments[0].text == "Nobody told the island school."
    assert thread.comments[1].text.endswith("\n\nIt was on the harbour board.")
    assert "Likes" not in " ".join(c.text for c in thread.comments)


def test_author_beside_the_date_inside_one_heading() -> None:
    """Bootstrap media objects: "Name <small>date</small>" in one heading, replies nested."""
    thread = parse_file(FIXTURES / "generic-media-objects.html")
    rows = comment_rows(thread)
    assert rows == [
        (0, None, "Frank", datetime(2021, 1, 5, 15, 4, tzinfo=UTC), "Top level comment by Frank."),
        (1, 0, "Gail", datetime(2021, 1, 5, 16, 0, tzinfo=UTC), "Reply from Gail."),
        (0, None, "Hank", datetime(2021, 1, 6, 9, 0, tzinfo=UTC), "Second top level."),
    ]


def test_reply_box_styled_reply_keeps_its_text() -> None:
    """A reply whose own box is classed ``reply`` is a comment, not a reply control; embedded
    Instagram posts (author, date, text) are neither comments nor the article's date."""
    thread = parse_file(FIXTURES / "generic-reply-boxes.html")
    assert thread.parser == "html/generic"
    rows = [(c.depth, c.parent, c.author, c.native_id, c.text) for c in thread.comments]
    assert rows == [
        (0, None, "Jonas", "11", "Wird die Brücke auch erneuert?"),
        (1, 0, "Ida", "12", "Laut Gemeinderat erst nächstes Jahr."),
        (0, None, "Paul", "14", "Schön, dass es losgeht."),
    ]
    assert thread.published_at is None  # only the embedded posts carry dates


@pytest.mark.parametrize(
    "name",
    [
        "generic-content-ids.html",  # TYPO3: every content element is div#cN, one is dated
        "generic-ticker.html",  # dated, authored entries, but an editorial live ticker
        "generic-recent-comments.html",  # entries link to comments on other pages
        "generic-navigation.html",  # menus, dated archive list with c-ids, teasers, footer
        "disqus-embed-only.html",  # a dated post list and an empty embed
        "generic-teaser-grid.html",  # related stories, each one link, "by" and a date
        "generic-news-list.html",  # dated headlines linking to other articles
        "generic-headline-slider.html",  # CJK headlines (not names), excerpts and dates
        "generic-comment-prompt.html",  # a comment-like id on a "sign in to comment" box
    ],
)
def test_negative_fixtures_give_no_comments(name: str) -> None:
    assert parse_with_generic(FIXTURES / name) is None
    assert parse_file(FIXTURES / name).comments == ()


def test_teaser_dates_are_not_the_article_date() -> None:
    """The article has no date of its own: a related story's date (inside its link) is not it."""
    assert parse_file(FIXTURES / "generic-teaser-grid.html").published_at is None


def test_name_and_date_in_one_cite() -> None:
    """``cite`` holding the linked name and the relative date: the name alone is the author."""
    thread = parse_file(FIXTURES / "generic-cite-with-date.html")
    rows = [(c.author, c.author_url, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        (
            "ines",
            "https://people.example.com/u/ines",
            datetime(2024, 3, 4, 10, 15, tzinfo=UTC),
            "Finally. The bus replacement took twice as long.",
        ),
        (
            "Rob Hale",
            "https://people.example.com/u/rob",
            datetime(2024, 3, 4, 10, 2, tzinfo=UTC),
            "Does the early train stop at the old mill halt?",
        ),
        (
            "ana",
            "https://people.example.com/u/ana",
            datetime(2024, 3, 4, 9, 50, tzinfo=UTC),
            "Good news for commuters.",
        ),
    ]


def test_list_named_comments_n_is_not_a_comment() -> None:
    """``div#comments_5001`` (the list of article 5001) holds ``div#comment_N`` comments: it is
    their container, not a parent comment; a name box with a bio and a fan count gives the
    name alone."""
    thread = parse_file(FIXTURES / "generic-fan-boxes.html")
    rows = [(c.depth, c.author, c.native_id, c.text) for c in thread.comments]
    assert rows == [
        (0, "ruthk", "9001", "Ten cents is fine if the night trams keep running."),
        (0, "Obi Mensah", "9002", "Monthly passes stay the same price, which matters more."),
        (0, "lu", "9003", "Will the student discount change too?"),
    ]
    assert thread.article_text is not None and "ten cents more" in thread.article_text


def test_cjk_dates_and_comment_heading() -> None:
    """A Chinese CMS's comment list: found from its dates ("2023年5月20日 下午2:15", "2天前")
    under a "网友评论" heading; the place beside the name and the like count are not text, an
    emoji image is (its alt text). A relative date resolves against the fetch time, and
    without one it still marks where the comment's date is, but gives no time."""
    path = FIXTURES / "generic-cjk-dates.html"
    fetched = datetime(2023, 5, 22, 12, tzinfo=UTC)
    thread = parse_file(path, fetched)
    assert thread.parser == "html/generic"
    assert thread.published_at == datetime(2023, 5, 20, 9, 30, tzinfo=UTC)
    rows = [(c.author, c.author_url, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        (
            "江边散步的人",
            "https://u.example.cn/1001",
            datetime(2023, 5, 20, 14, 15, tzinfo=UTC),
            "终于开了，周末带孩子去看看。[笑]",
        ),
        (
            "小林",
            "https://u.example.cn/1002",
            datetime(2023, 5, 20, 15, 40, tzinfo=UTC),
            "停车位够不够？上次去附近找了半天。",
        ),
        (
            "老周",
            "https://u.example.cn/1003",
            fetched - timedelta(days=2),
            "湖边的步道很不错，晚上灯也亮。",
        ),
    ]
    undated = parse_file(path)
    assert [(c.author, c.posted_at) for c in undated.comments][2] == ("老周", None)
    assert [c.text for c in undated.comments] == [c.text for c in thread.comments]


def test_comment_written_beside_its_date_element() -> None:
    """The comment's words sit loose in the box beside the date's element: that box is the
    text, not a meta line, even for one word ("Source?"). Hidden share data, a row of
    controls ("History | Permalink | Share it") and a badge line above the linked name are
    not text; the name is the linked line. Relative dates need the fetch time."""
    path = FIXTURES / "generic-loose-body.html"
    fetched = datetime(2012, 3, 14, 15, 7, tzinfo=UTC)
    thread = parse_file(path, fetched)
    rows = [(c.depth, c.native_id, c.author, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        (
            0,
            "5101",
            "saltwater",
            datetime(2012, 3, 14, 15, 5, tzinfo=UTC),
            "Islanders already pay twice what the mainland does for the same crossing.",
        ),
        (1, "5102", "mdunne", datetime(2012, 3, 14, 15, 6, tzinfo=UTC), "Source?"),
        (
            0,
            "5103",
            "k_ortiz",
            datetime(2012, 3, 14, 15, 2, tzinfo=UTC),
            "Fair enough if the winter timetable stays.",
        ),
    ]
    assert [c.posted_at for c in parse_file(path).comments] == [None, None, None]
    # the saved page has no URL of its own: profile links resolve against its canonical URL
    assert [c.author_url for c in thread.comments] == [
        "https://harbour.example.com/people/saltwater",
        "https://harbour.example.com/people/mdunne",
        "https://harbour.example.com/people/k_ortiz",
    ]


def test_comment_text_in_a_script_link() -> None:
    """The comment's text is a ``javascript:`` link (click it to answer): it is the text, not
    a control, and not link text; the heading's link to the commenter's profile is no
    teaser; "12 | Reply" (a like count and a control) is not text."""
    path = FIXTURES / "generic-script-links.html"
    fetched = datetime(2024, 5, 3, 12, tzinfo=UTC)
    thread = parse_file(path, fetched)
    assert thread.parser == "html/generic"
    rows = [(c.author, c.posted_at, c.text) for c in thread.comments]
    assert rows == [
        (
            "ravi",
            fetched - timedelta(hours=3),
            "Finally I can stay out past midnight without a taxi.",
        ),
        ("joy_m", fetched - timedelta(hours=5), "Every half hour is better than I expected."),
        ("Ole", fetched - timedelta(days=1), "Will route N4 still stop at the hospital?"),
    ]


def _deep_page(levels: int) -> bytes:
    opening = "".join(
        f'<li><a name="comment-{i}"></a><div><strong>user{i % 5}</strong> sagt:<br>'
        f'<time datetime="2021-06-0{1 + i % 9}T10:00:00Z">x</time><div>note {i}</div><ul>'
        for i in range(levels)
    )
    closing = "</ul></div></li>" * levels
    html = f'<html><body><h1>Deep</h1><div id="comments"><h2>Kommentare</h2><ul>{opening}{closing}'
    return (html + "</ul></div></body></html>").encode()


@pytest.mark.parametrize("levels", [300, 5000])
def test_deep_reply_chain(levels: int) -> None:
    start = time.perf_counter()
    (thread,) = parse_page(RawPage(source_uri="deep", content=_deep_page(levels)))
    elapsed = time.perf_counter() - start
    comments = thread.comments
    assert thread.parser == "html/generic"
    assert len(comments) == levels
    assert [c.depth for c in comments] == list(range(levels))
    assert (
        comments[-1].text == f"note {levels - 1}"
        and comments[-1].author == f"user{(levels - 1) % 5}"
    )
    assert elapsed < 15, f"{levels}-level chain took {elapsed:.1f}s"


@pytest.mark.parametrize(
    ("href", "profile"),
    [
        ("user_home.jsp?userId=77", True),
        ("/u/ann", True),
        ("https://news.example.com/people/ann", True),
        ("/members/759110", True),
        ("/2019/05/trump-u-turn.html", False),
        ("/news/users-guide-to-night-buses.html", False),  # a headline's slug
        ("/2019/05/authors-note.html", False),
    ],
)
def test_profile_links_are_told_from_headlines(href: str, profile: bool) -> None:
    """A heading's link to a profile is a commenter's name; a link to a page is a teaser."""
    assert bool(generic._PROFILE_LINK.search(href)) is profile


def test_dates_in_each_comments_own_footer() -> None:
    """A comment's date and links in its own footer ("gz-comment-footer"): that footer is part
    of the comment, not the page's footer (which stays chrome)."""
    thread = parse_file(FIXTURES / "generic-comment-footers.html")
    assert thread.parser == "html/generic"
    rows = comment_rows(thread)
    assert rows == [
        (0, None, "marinette", datetime(2018, 5, 12, 9, 14, tzinfo=UTC),
         "Enfin ! Le fromager du coin m'avait manqué."),
        (1, 0, "Jean-Pierre", datetime(2018, 5, 12, 10, 2, tzinfo=UTC),
         "Il est au fond, à côté du poissonnier."),
        (0, None, "Odile", datetime(2018, 5, 13, 18, 40, tzinfo=UTC),
         "Et le parking, toujours payant ?"),
    ]  # fmt: skip


def test_comment_ids_in_hex_and_dates_without_a_year() -> None:
    """Comments named by hex ids ("comment-5d84b1c2e4b0a1f2c3d4e5f6", a MongoDB ObjectId), dated
    "on Sep 21, 3:29 PM said:" without a year: the date is the last such day before the fetch,
    unknown without a fetch time, and the meta line is never part of the text."""
    path = FIXTURES / "generic-hex-ids.html"
    fetched = datetime(2019, 10, 1, tzinfo=UTC)
    thread = parse_file(path, fetched)
    assert thread.parser == "html/generic"
    assert thread.comment_count_declared == 3
    rows = [(c.author, c.posted_at, c.native_id, c.text) for c in thread.comments]
    assert rows == [
        ("deckhand_joe", datetime(2019, 9, 21, 15, 29, tzinfo=UTC), "5d84b1c2e4b0a1f2c3d4e5f6",
         "Still cheaper than the bridge toll."),
        ("Mara Olsen", datetime(2019, 9, 21, 16, 2, tzinfo=UTC), "5d84b1c2e4b0a1f2c3d4e5f7",
         "Six percent on top of the summer surcharge.\nWho checks these numbers?"),
        ("pier7", datetime(2019, 9, 22, 8, 15, tzinfo=UTC), "5d84b1c2e4b0a1f2c3d4e5f8",
         "The season ticket freeze is the real news here."),
    ]  # fmt: skip
    undated = parse_file(path)
    assert [c.posted_at for c in undated.comments] == [None, None, None]
    assert [c.text for c in undated.comments] == [c.text for c in thread.comments]


def test_a_quoted_comments_date_is_not_a_second_date() -> None:
    """A comment that quotes another ("Name: date" and its text in a blockquote) still holds
    one date of its own: the list items are the comments, the quote stays in the text."""
    thread = parse_file(FIXTURES / "generic-quoted-dates.html")
    assert thread.parser == "html/generic"
    rows = [(c.depth, c.author, c.posted_at) for c in thread.comments]
    assert rows == [
        (0, "riverbank", datetime(2010, 10, 4, 9, 12, tzinfo=UTC)),
        (0, "Tess Moreau", datetime(2010, 10, 4, 9, 40, tzinfo=UTC)),
        (0, "ferryman", datetime(2010, 10, 4, 11, 5, tzinfo=UTC)),
    ]
    assert thread.comments[1].text.endswith("Or the state pays, as it did for every other bridge.")
    assert "fixed before it falls down" in thread.comments[1].text
    assert thread.comments[2].text == "Nobody asked the people on the ferry road."


def test_replies_that_quote_the_comment_they_answer() -> None:
    """Comments whose time sits in the item's own "list-footer" (a footer inside a list item
    is the item's, not the page's), and replies that show a copy of the comment they answer
    (a box with the item's class and the answered comment's ``data-id``): the copy is not the
    reply's text, and it names the reply's parent (an orphan when that comment is not shown)."""
    fetched = datetime(2019, 10, 2, 12, 0, tzinfo=UTC)
    thread = parse_file(FIXTURES / "generic-quoted-replies.html", fetched)
    assert thread.parser == "html/generic"
    rows = [(c.depth, c.parent, c.orphan, c.author, c.posted_at, c.native_id, c.text)
            for c in thread.comments]  # fmt: skip
    assert rows == [
        (0, None, False, "kelpie", datetime(2019, 10, 2, 9, 0, tzinfo=UTC), "9001",
         "Three years in a row now."),
        (1, 0, False, "Mara Olsen", datetime(2019, 10, 2, 10, 0, tzinfo=UTC), "9002",
         "And the winter timetable is thinner too."),
        (1, None, True, "pier7", datetime(2019, 10, 2, 11, 15, tzinfo=UTC), "9003",
         "And the toll went up anyway."),
        (0, None, False, "deckhand_joe", datetime(2019, 10, 2, 11, 40, tzinfo=UTC), "9004",
         "Fuel costs fell this summer, though."),
    ]  # fmt: skip


def test_comment_tables_in_the_articles_own_box() -> None:
    """Comments as one table each, in the same box as the article and its heading (an old
    ASP.NET page): the boxes before the first table are named for comments, which is enough
    to take the tables for comments; the box is not a comment section, so the article keeps
    its text and date."""
    fetched = datetime(2012, 3, 16, 12, 0, tzinfo=UTC)
    thread = parse_file(FIXTURES / "generic-one-box-tables.html", fetched)
    assert thread.parser == "html/generic"
    assert [(c.depth, c.author, c.posted_at, c.text) for c in thread.comments] == [
        (0, "Marta Ruiz", datetime(2012, 3, 14, 12, 0, tzinfo=UTC),
         "Harbor Road is the only branch the school bus passes."),
        (0, "Dale K", datetime(2012, 3, 15, 12, 0, tzinfo=UTC),
         "Fewer loans, but how many computer sessions?"),
        (0, "Priya N.", datetime(2012, 3, 16, 7, 0, tzinfo=UTC),
         "Keep one of them open on Saturdays at least."),
    ]  # fmt: skip
    assert thread.published_at == datetime(2012, 3, 14, 7, 30, tzinfo=UTC)
    assert thread.article_text is not None
    assert thread.article_text.startswith("The county commission will vote next month")


def test_comments_as_term_and_description_pairs() -> None:
    """Each comment a ``dt`` (number, date, "par"/"by" author) and the ``dd`` after it (the
    text): one comment per pair, the author named after the date."""
    thread = parse_file(FIXTURES / "generic-term-pairs.html")
    assert thread.parser == "html/generic"
    assert thread.title == "Semis de fèves"
    assert comment_rows(thread) == [
        (0, None, "Luc", datetime(2019, 10, 9, 8, 2, tzinfo=UTC),
         "Tu les protèges du froid en janvier ?\n\nChez moi le gel les a toutes prises."),
        (0, None, "Odile", datetime(2019, 10, 9, 12, 45, tzinfo=UTC),
         "Un voile d'hivernage suffit, sauf sous moins huit."),
        (0, None, "Anne-Sophie", datetime(2019, 10, 10, 21, 10, tzinfo=UTC),
         "Merci pour l'astuce du trempage la veille."),
    ]  # fmt: skip
    assert [c.native_id for c in thread.comments] == ["311", "312", "315"]
    assert thread.comments[0].author_url == "https://verger-de-luc.example/"
