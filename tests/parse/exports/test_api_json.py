"""Comment threads as Reddit, Hacker News (Algolia) and Disqus's APIs serve them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.parse.exports import fixture_page
from transforms.parse.registry import ParseError, detect_format, parse_page
from transforms.records import RawPage
from transforms.sources import read_file

T = datetime(2024, 3, 5, tzinfo=UTC)


def _page(data: object) -> RawPage:
    return RawPage(source_uri="api.json", content=json.dumps(data).encode())


@pytest.mark.parametrize(
    "name", ["reddit-comments.json", "hn-item.json", "hn-search.json", "disqus-api-posts.json"]
)
def test_detected_by_structure_and_read_as_one_page(name: str) -> None:
    assert detect_format(fixture_page(name)).name == "api-json"
    # written on one line, with ``url``/``text`` keys at the top (a Hacker News item): still a
    # page, not a web-corpus container of one record
    items = list(read_file(Path(__file__).parents[2] / "fixtures" / name))
    assert [type(i).__name__ for i in items] == ["RawPage"]


def test_reddit_post_and_comment_tree() -> None:
    (thread,) = parse_page(fixture_page("reddit-comments.json"))
    assert thread.parser == "json/reddit"
    assert thread.url == (
        "https://www.reddit.com/r/islandlife/comments/1ab2cd/ferry_timetable_cut_for_the_winter/"
    )
    assert thread.site == "reddit.com"
    assert thread.title == "Ferry timetable cut for the winter & spring"  # entities decoded
    assert thread.published_at == T.replace(hour=9)
    assert thread.article_text == (
        "The operator published the winter timetable today.\n\nTwo sailings are gone."
    )
    assert thread.comment_count_declared == 11 and thread.native_id == "t3_1ab2cd"
    assert thread.notes == ("4 comment(s) not in this response (Reddit's 'more comments')",)
    comments = thread.comments
    # the response's order (Reddit's ranking, as the page shows it), replies under parents
    assert [c.native_id for c in comments] == ["kq1", "kq2", "kq4", "kq3", "kq5", "kq6"]
    assert [c.parent for c in comments] == [None, 0, 1, 0, None, None]
    assert [c.depth for c in comments] == [0, 1, 2, 1, 0, 0]
    assert [c.author for c in comments] == ["marisol", "tbeck", "marisol", None, "quill", "dunlin"]
    assert [c.status for c in comments] == ["approved"] * 3 + ["deleted", "approved", "deleted"]
    assert comments[0].text == (
        "The winter timetable drops the 7:10 sailing.\n\nThat was the school run."
    )
    assert comments[3].text == comments[5].text == ""  # "[deleted]", "[removed]": no words
    assert comments[0].posted_at == T.replace(hour=10)
    assert comments[0].author_url == "https://www.reddit.com/user/marisol/"


def test_reddit_comments_alone_and_a_listing_of_posts() -> None:
    """A Listing of comments only (a comment's own page, "load more") names its post; a
    subreddit's listing of posts is not a thread and says so."""
    comment = {
        "kind": "t1",
        "data": {
            "id": "kq7", "author": "quill", "body": "Markdown *body*\n\nsecond paragraph",
            "created_utc": 1709629200, "link_id": "t3_1ab2cd", "replies": "",
            "permalink": "/r/islandlife/comments/1ab2cd/ferry/kq7/",
        },
    }  # fmt: skip
    (thread,) = parse_page(_page({"kind": "Listing", "data": {"children": [comment]}}))
    assert thread.url == "https://www.reddit.com/r/islandlife/comments/1ab2cd/ferry/"
    assert thread.native_id == "t3_1ab2cd" and thread.title is None
    assert [c.text for c in thread.comments] == ["Markdown *body*\n\nsecond paragraph"]

    posts = {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "a"}}] * 2}}
    with pytest.raises(ParseError, match=r"api\.json: a Reddit listing of 2 posts without"):
        parse_page(_page(posts))


def test_reddit_replies_nested_deep_are_all_read() -> None:
    """Nesting is walked with a stack: 120 levels of replies (Python's JSON reader allows
    about 1,000 levels of JSON, six per Reddit reply) all arrive."""
    replies: object = ""
    for n in reversed(range(120)):
        data = {"id": f"d{n}", "author": f"u{n}", "body": f"reply {n}", "replies": replies}
        replies = {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": data}]}}
    (thread,) = parse_page(_page([{"kind": "Listing", "data": {"children": []}}, replies]))
    assert [c.depth for c in thread.comments] == list(range(120))
    assert thread.comments[-1].parent == 118 and thread.comments[-1].text == "reply 119"


def test_hacker_news_item_tree() -> None:
    (thread,) = parse_page(fixture_page("hn-item.json"))
    assert (thread.parser, thread.url, thread.site) == (
        "json/hacker-news", "https://news.ycombinator.com/item?id=4100", "news.ycombinator.com",
    )  # fmt: skip
    assert thread.title == "Island ferry timetable cut" and thread.native_id == "4100"
    assert thread.published_at == T.replace(hour=9)
    comments = thread.comments
    assert [c.native_id for c in comments] == ["4101", "4103", "4105", "4104", "4102"]
    assert [c.parent for c in comments] == [None, 0, 1, 0, None]
    assert comments[0].text == (
        "The 7:10 sailing is gone from the winter timetable.\n\nThat was the school run."
    )
    assert comments[1].text == "It returns in April, per the notice."
    assert (comments[3].author, comments[3].status, comments[3].text) == (None, "deleted", "")
    assert comments[0].author_url == "https://news.ycombinator.com/user?id=marisol"


def test_hacker_news_comment_item_is_its_storys_thread() -> None:
    """An item that is itself a comment: the story's thread, that comment an orphan on top."""
    data = json.loads(fixture_page("hn-item.json").content)
    (thread,) = parse_page(_page(data["children"][0]))
    assert thread.url == "https://news.ycombinator.com/item?id=4100" and thread.title is None
    assert [c.native_id for c in thread.comments] == ["4101", "4103", "4105", "4104"]
    assert [c.orphan for c in thread.comments] == [True, False, False, False]


def test_hacker_news_search_hits_rebuild_the_tree() -> None:
    (thread,) = parse_page(fixture_page("hn-search.json"))
    assert thread.url == "https://news.ycombinator.com/item?id=4100"
    assert thread.title == "Island ferry timetable cut"
    assert [c.native_id for c in thread.comments] == ["4101", "4103", "4105", "4102"]
    assert [c.depth for c in thread.comments] == [0, 1, 2, 0]  # siblings by date


def test_disqus_api_posts() -> None:
    (thread,) = parse_page(fixture_page("disqus-api-posts.json"))
    assert thread.parser == "json/disqus-api"
    assert thread.url == "https://harbour-news.example/2024/03/ferry-timetable/"
    assert (thread.title, thread.native_id) == ("Ferry timetable cut", "9876543210")
    assert thread.published_at == T.replace(hour=9)
    assert thread.notes == ("more posts on the API's next page (cursor hasNext)",)
    comments = thread.comments  # the API lists newest first: reply-tree order, by date
    assert [c.native_id for c in comments] == ["501", "502", "503", "504"]
    assert [c.parent for c in comments] == [None, 0, 0, None]
    assert [c.status for c in comments] == ["approved", "approved", "approved", "spam"]
    assert comments[1].text == "It returns in April.\n\nSee the notice."
    assert comments[1].author == "T. Beck"
    assert comments[1].author_url == "https://disqus.com/by/tbeck/"


def test_disqus_api_without_thread_details() -> None:
    """Without ``related=thread`` a post names its thread by id only: the thread is keyed by
    the forum's site and that id."""
    data = json.loads(fixture_page("disqus-api-posts.json").content)
    for post in data["response"]:
        post["thread"] = post["thread"]["id"]
    (thread,) = parse_page(_page(data))
    assert (thread.url, thread.site) == (None, "harbour-news.disqus.com")
    assert thread.native_id == "9876543210" and len(thread.comments) == 4


def test_a_response_cut_short_is_refused_naming_the_file() -> None:
    content = fixture_page("disqus-api-posts.json").content
    with pytest.raises(ParseError, match=r"^x\.json: not readable JSON"):
        parse_page(RawPage(source_uri="x.json", content=content[: len(content) // 2]))


def test_a_hacker_news_thread_from_its_page_and_from_the_api_is_one_thread() -> None:
    """The same story read from its HTML page and from Algolia's item API: one thread id, and
    each comment the same comment id (ids come from the story and comment numbers)."""
    from transforms.dedup import normalise_thread

    url = "https://news.ycombinator.com/item?id=100"
    (page,) = parse_page(fixture_page("generic-table-rows.html", url=url))

    def item(comment_id: int, children: list[object]) -> dict[str, object]:
        return {
            "id": comment_id, "type": "comment", "author": "someone",
            "text": f"comment {comment_id}", "created_at": "2024-03-05T10:00:00Z",
            "story_id": 100, "children": children,
        }  # fmt: skip

    api = {
        "id": 100, "type": "story", "title": "Island ferry timetable cut", "story_id": 100,
        "created_at_i": 1709629200, "children": [
            item(101, [item(102, [item(103, [])]), item(104, [])]), item(105, []),
        ],
    }  # fmt: skip
    (from_api,) = parse_page(_page(api))
    seen = datetime(2024, 3, 6, tzinfo=UTC)
    rows = [normalise_thread(t, source_uri="s", seen_at=seen) for t in (page, from_api)]
    assert rows[0].thread.thread_id == rows[1].thread.thread_id
    assert [c.comment_id for c in rows[0].comments] == [c.comment_id for c in rows[1].comments]
    assert [c.parent_id for c in rows[0].comments] == [c.parent_id for c in rows[1].comments]
