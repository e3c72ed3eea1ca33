"""Commento v1 and isso generic JSON exports, and the comments of WordPress's REST API."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.parse.exports import fixture_page
from transforms.identity import comment_id_for, thread_id_for
from transforms.parse import json_exports
from transforms.parse.registry import ParseError, detect_format, parse_page
from transforms.records import RawPage


@pytest.mark.parametrize(
    "name",
    ["commento-v1.json", "commento-empty.json", "isso-generic.json", "wp-rest-comments.json"],
)
def test_detected_by_structure(name: str) -> None:
    assert detect_format(fixture_page(name)).name == "json-export"


def test_commento_threads_statuses_and_tree() -> None:
    sourdough, focaccia = parse_page(fixture_page("commento-v1.json"))
    assert sourdough.parser == "json/commento"
    assert sourdough.url == "https://recipes.example/sourdough"
    assert sourdough.site == "recipes.example"
    assert sourdough.native_id == "/sourdough"
    comments = sourdough.comments
    assert [c.native_id for c in comments] == ["c1", "c3", "c2", "c4", "c5"]
    assert [c.parent for c in comments] == [None, 0, None, None, None]
    assert [c.status for c in comments] == ["approved", "approved", "pending", "spam", "deleted"]
    assert [c.author for c in comments] == ["Rae", "Sam", None, "Sam", "Rae"]
    sam = "https://sam.example/"
    assert [c.author_url for c in comments] == [None, sam, None, sam, None]
    assert [c.orphan for c in comments] == [False, False, False, False, True]
    assert comments[0].text == "Fed the starter twice a day.\n\nIt doubled in six hours."
    assert comments[0].posted_at == datetime(2020, 3, 1, 9, 0, 0, 123456, tzinfo=UTC)
    assert comments[1].text == "Mine never rises that much."
    assert [c.text for c in focaccia.comments] == ["More olive oil than you think."]


def test_commento_empty_export() -> None:
    assert parse_page(fixture_page("commento-empty.json")) == []


def test_isso_generic_threads() -> None:
    (thread,) = parse_page(fixture_page("isso-generic.json"))
    assert thread.parser == "json/isso"
    assert thread.title == "River walk & picnic"
    assert "title was URL-encoded in the export: decoded" in thread.notes
    assert thread.url is None and thread.native_id == "/notes/river-walk/"
    assert [(c.author, c.native_id) for c in thread.comments] == [("Uma", "1"), ("Tove", "2")]
    assert thread.comments[0].text == "Which bank did you take?\n\nThe north one floods."
    assert thread.comments[0].author_url == "https://uma.example"
    assert thread.comments[0].posted_at == datetime(2016, 8, 1, 9, 0, tzinfo=UTC)


def test_isso_paths_resolve_against_the_page_url_when_known() -> None:
    (thread,) = parse_page(
        fixture_page("isso-generic.json", url="https://rivers.example/export.json")
    )
    assert thread.url == "https://rivers.example/notes/river-walk/"
    assert thread.site == "rivers.example"


@pytest.mark.parametrize(
    "content", [b'{"version": 1, "comments": [', b'{"something": "else"}', b"[1, 2, 3]"]
)
def test_unreadable_or_foreign_json_raises_naming_the_input(content: bytes) -> None:
    with pytest.raises(ParseError, match=r"odd\.json"):
        json_exports.parse(RawPage(source_uri="odd.json", content=content))


def test_other_json_is_not_claimed() -> None:
    page = RawPage(source_uri="x.json", content=b'{"url": "https://a.example", "text": "hi"}')
    assert not json_exports.detect(page, page.content.decode())


def test_wordpress_rest_comments_threads_tree_kinds_and_states() -> None:
    testing, other = parse_page(fixture_page("wp-rest-comments.json"))
    assert testing.parser == "json/wordpress-rest"
    assert testing.native_id == "77"
    # the first comment listed links the post's second comment page: the suffix is dropped
    assert testing.url == "https://blog.example.org/2021/05/testing-threads/"
    assert testing.site == "blog.example.org"
    assert testing.title is None
    comments = testing.comments
    # the API lists newest first; the tree puts parents first, siblings by date
    assert [c.native_id for c in comments] == ["101", "102", "103", "105"]
    assert [(c.parent, c.depth) for c in comments] == [(None, 0), (0, 1), (1, 2), (None, 0)]
    assert [c.kind for c in comments] == ["comment", "comment", "comment", "pingback"]
    assert comments[0].posted_at == datetime(2021, 5, 4, 9, 15, tzinfo=UTC)  # date_gmt
    assert comments[0].author_url == "https://alice.example.net/"
    assert comments[1].author_url is None
    assert comments[3].text == "[…] as explained in this post […]"
    # the editors' note (type "note") is no reader comment
    assert testing.notes == (
        "1 comment(s) of type 'note' left out: editors' notes on the post's blocks, "
        "not reader comments",
    )
    (spam,) = other.comments
    assert (other.native_id, spam.status, spam.author) == ("12", "spam", "Kay & Lee")


def test_wordpress_rest_and_the_post_page_give_the_same_ids() -> None:
    """The page's comments (``li#comment-<id>``) and the API's are the same comments."""
    from_api = parse_page(fixture_page("wp-rest-comments.json"))[0]
    (from_page,) = parse_page(fixture_page("wp-threaded.html"))
    assert from_page.parser == "html/wordpress"
    ids = []
    for thread in (from_api, from_page):
        thread_id = thread_id_for(url=thread.url, site=thread.site, title=thread.title)
        ids.append(
            [
                (
                    thread_id,
                    comment_id_for(
                        thread_id=thread_id,
                        native_id=c.native_id,
                        parent_id=None,
                        author=c.author,
                        text=c.text,
                    ),
                )
                for c in thread.comments
                if c.status == "approved" and c.kind == "comment"
            ]
        )
    assert ids[0] == ids[1] and len(ids[0]) == 3
    assert [c.text for c in from_api.comments[:3]] == [c.text for c in from_page.comments[:3]]


def test_wordpress_rest_single_comment_and_local_dates() -> None:
    content = (
        b'{"id": 5, "post": 2, "parent": 0, "author_name": "Jo", "date": "2022-03-01T10:00:00",'
        b' "content": {"rendered": "<p>Hi</p>"}, "link": "http://wp.example/?p=2#comment-5",'
        b' "status": "approved", "type": "comment"}'
    )
    (thread,) = parse_page(RawPage(source_uri="comment-5.json", content=content))
    assert thread.url == "http://wp.example/?p=2"
    (comment,) = thread.comments
    assert (comment.native_id, comment.text) == ("5", "Hi")
    assert comment.posted_at == datetime(2022, 3, 1, 10, 0, tzinfo=UTC)
    assert thread.notes == ("1 comment(s) without date_gmt: the site's local date taken as UTC",)


def test_an_empty_list_is_an_export_without_comments() -> None:
    """What isso exports, and WordPress's REST API answers, where there are no comments: no
    threads, and no reject."""
    page = RawPage(source_uri="comments-empty.json", content=b"[]\n")
    assert detect_format(page).name == "json-export"
    assert parse_page(page) == []
