"""Forum topics (phpBB, vBulletin, SMF, Invision Community) on fixtures written for this project:
every post a comment, quotes and signatures out of its text, the topic's title the thread's."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from transforms.parse import parse_page
from transforms.records import ParsedThread, RawPage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def parse_html(html: str, url: str | None = None) -> ParsedThread:
    (thread,) = parse_page(RawPage(source_uri="memory", content=html.encode(), url=url))
    return thread


def parse_fixture(name: str) -> ParsedThread:
    path = FIXTURES / name
    (thread,) = parse_page(RawPage(source_uri=str(path), content=path.read_bytes()))
    return thread


def rows(thread: ParsedThread) -> list[tuple[str | None, str | None, datetime | None, str]]:
    return [(c.native_id, c.author, c.posted_at, c.text) for c in thread.comments]


def test_phpbb_topic() -> None:
    thread = parse_fixture("forum-phpbb.html")
    assert thread.parser == "html/forum"
    assert thread.title == "Chain keeps slipping on the big cog"  # not the board's h1
    assert thread.url == "https://forum.gravel.example/viewtopic.php?t=9120"
    assert rows(thread) == [
        ("301", "mudguard_mo", datetime(2024, 4, 6, 8, 12, 40, tzinfo=UTC),
         "New cassette, new chain, and it still jumps under load on the 42.\n"
         "Anything I should check before I take it to the shop?"),
        # the quote of the first post, the edit notice and the signatures are left out
        ("305", "spoke_tension", datetime(2024, 4, 6, 9, 30, tzinfo=UTC),
         "Check the B-tension screw first. A new cassette often needs it turned in a little."),
        ("309", "mudguard_mo", datetime(2024, 4, 7, 17, 5, tzinfo=UTC),
         "That was it. Half a turn and it shifts clean."),
    ]  # fmt: skip
    assert all(c.parent is None and c.depth == 0 for c in thread.comments)  # topics are flat
    assert thread.comments[0].author_url == (
        "https://forum.gravel.example/memberlist.php?mode=viewprofile&u=411"
    )
    assert not thread.article_text  # the board's chrome is not an article


def test_phpbb_30_date_written_after_the_author() -> None:
    # phpBB 3.0 prints no <time>: "by NAME » date"; the member's "Joined:" date is not it.
    html = """<html><body id="phpbb"><h2><a href="./viewtopic.php?t=4">Frost tonight?</a></h2>
    <div id="p40" class="post bg2"><div class="inner">
      <div class="postbody"><h3 class="first"><a href="#p40">Frost tonight?</a></h3>
        <p class="author"><a href="./viewtopic.php?p=40#p40"><img src="icon_post_target.gif"
          alt="Post"></a>by <strong><a href="./memberlist.php?mode=viewprofile&amp;u=2">hedge</a>
          </strong> &raquo; Thu Oct 14, 2010 7:02 pm </p>
        <div class="content">Cover the dahlias or lift them?</div></div>
      <dl class="postprofile" id="profile40"><dt><a href="./memberlist.php?u=2">hedge</a></dt>
        <dd><strong>Joined:</strong> Mon Mar 03, 2008 1:00 pm</dd></dl>
    </div></div></body></html>"""
    thread = parse_html(html)
    when = datetime(2010, 10, 14, 19, 2, tzinfo=UTC)
    assert rows(thread) == [("40", "hedge", when, "Cover the dahlias or lift them?")]
    assert thread.title == "Frost tonight?"


def test_vbulletin_4_topic() -> None:
    thread = parse_fixture("forum-vbulletin.html")
    assert thread.parser == "html/forum"
    assert thread.title == "Repotting a root-bound fig"  # without vBulletin's "Thread:" label
    assert rows(thread) == [
        ("88201", "figgy", datetime(2019, 3, 14, 9, 5, tzinfo=UTC),
         "Roots are circling the pot three times.\nSpring or wait until autumn?"),
        ("88214", "old oak", datetime(2019, 3, 14, 13, 40, tzinfo=UTC),
         "Spring, just as the buds break. Cut a third of the roots off."),
    ]  # fmt: skip


def test_vbulletin_3_post_tables() -> None:
    html = """<html><head><meta name="generator" content="vBulletin 3.8.7"></head><body>
    <div id="posts">
    <div id="edit5001"><table id="post5001" class="tborder" cellpadding="6">
      <tr><td class="thead"><div class="normal" style="float:right">#<a href="showpost.php?p=5001"
          id="postcount5001" name="1"><strong>1</strong></a></div>
        <div class="normal"><a name="post5001"><img src="post_old.gif" alt="Old"></a>
          11-02-2009, 04:15 PM</div></td></tr>
      <tr><td class="alt2"><div id="postmenu_5001"><a class="bigusername"
          href="member.php?u=9">tarmac</a></div><div class="smallfont">Join Date: Apr 2004</div>
        </td>
        <td class="alt1" id="td_post_5001"><div id="post_message_5001">Winter tyres already?</div>
          <div>__________________<br>sig</div></td></tr>
    </table></div>
    <div id="edit5002"><table id="post5002" class="tborder" cellpadding="6">
      <tr><td class="thead"><div class="normal"><a name="post5002"></a>11-03-2009, 08:30 AM</div>
        </td></tr>
      <tr><td class="alt2"><a class="bigusername" href="member.php?u=3">slush</a></td>
        <td class="alt1"><div id="post_message_5002">Only once it drops below seven degrees.</div>
        </td></tr>
    </table></div></div></body></html>"""
    thread = parse_html(html)
    assert thread.parser == "html/forum"
    assert rows(thread) == [
        ("5001", "tarmac", datetime(2009, 11, 2, 16, 15, tzinfo=UTC), "Winter tyres already?"),
        ("5002", "slush", datetime(2009, 11, 3, 8, 30, tzinfo=UTC),
         "Only once it drops below seven degrees."),
    ]  # fmt: skip


def test_smf_topic() -> None:
    thread = parse_fixture("forum-smf.html")
    assert thread.parser == "html/forum"
    assert thread.title == "Tuning a 1974 upright piano"
    assert rows(thread) == [
        ("4410", "Hammerfelt", datetime(2022, 10, 2, 19, 45, 10, tzinfo=UTC),
         "The middle C drifts flat within a week of tuning. Are the pins worn?"),
        ("4415", "Tessa Wren", datetime(2022, 10, 3, 8, 2, 33, tzinfo=UTC),
         "Probably. Try the next size of tuning pin before you give up on it."),
    ]  # fmt: skip


def test_invision_topic() -> None:
    thread = parse_fixture("forum-invision.html")
    assert thread.parser == "html/forum"
    assert thread.title == "Night sky photos from the ridge"
    assert rows(thread) == [
        ("90012", "Lena K", datetime(2023, 8, 12, 22, 41, 5, tzinfo=UTC),
         "Thirty frames at ISO 3200, stacked. The Milky Way core finally shows."),
        ("90018", "orion_pete", datetime(2023, 8, 13, 6, 15, tzinfo=UTC),
         "Lovely. Which tracker did you use?"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "html",
    [
        # a blog post whose text mentions phpBB's markup words: no post boxes, no forum
        "<html><body><article><h1>Moving off phpBB</h1><p>The postbody and postprofile "
        "classes are gone now.</p></article></body></html>",
        # a post box without any text element is not a forum post
        '<html><body><div id="p1" class="post"><div class="postbody"></div></div></body></html>',
    ],
)
def test_pages_that_are_not_forum_topics(html: str) -> None:
    assert parse_html(html).parser != "html/forum"
