"""Commento v1 and isso generic JSON exports."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from transforms.parse import json_exports
from transforms.parse.registry import ParseError, detect_format, parse_page
from transforms.records import RawPage

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _page(name: str, url: str | None = None) -> RawPage:
    path = FIXTURES / name
    return RawPage(source_uri=str(path), content=path.read_bytes(), url=url)


@pytest.mark.parametrize("name", ["commento-v1.json", "commento-empty.json", "isso-generic.json"])
def test_detected_by_structure(name: str) -> None:
    assert detect_format(_page(name)).name == "json-export"


def test_commento_threads_statuses_and_tree() -> None:
    sourdough, focaccia = parse_page(_page("commento-v1.json"))
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
    assert parse_page(_page("commento-empty.json")) == []


def test_isso_generic_threads() -> None:
    (thread,) = parse_page(_page("isso-generic.json"))
    assert thread.parser == "json/isso"
    assert thread.title == "River walk & picnic"
    assert "title was URL-encoded in the export: decoded" in thread.notes
    assert thread.url is None and thread.native_id == "/notes/river-walk/"
    assert [(c.author, c.native_id) for c in thread.comments] == [("Uma", "1"), ("Tove", "2")]
    assert thread.comments[0].text == "Which bank did you take?\n\nThe north one floods."
    assert thread.comments[0].author_url == "https://uma.example"
    assert thread.comments[0].posted_at == datetime(2016, 8, 1, 9, 0, tzinfo=UTC)


def test_isso_paths_resolve_against_the_page_url_when_known() -> None:
    (thread,) = parse_page(_page("isso-generic.json", url="https://rivers.example/export.json"))
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
