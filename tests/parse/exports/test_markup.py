"""HTML bodies to plain text, and XML repair, as the export parsers use them."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from transforms.parse.markup import (
    UnreadableXmlError,
    html_to_text,
    inline_text,
    read_xml,
    repair_xml,
)


@pytest.mark.parametrize(
    ("fragment", "raw_newlines", "expected"),
    [
        ("<p>one</p><p>two <b>bold</b> three</p>", False, "one\n\ntwo bold three"),
        ("line<br>next<br/><br/>new paragraph", False, "line\nnext\n\nnew paragraph"),
        ("plain\n\ntext\nline", True, "plain\n\ntext\nline"),
        ("plain\n\ntext\nline", False, "plain text line"),
        ("a &amp; b &lt;c&gt; &nbsp;d", False, "a & b <c> d"),
        ("before\n<img src='x.png'>\nafter", True, "before\nafter"),
        ("<ul><li>first</li><li>second</li></ul>", False, "first\n\nsecond"),
        ("<script>var x;</script><style>p{}</style>kept", False, "kept"),
        ("<!-- wp:paragraph --><p>block</p><!-- /wp:paragraph -->", True, "block"),
        ("<pre>x = 1\n  y = 2</pre>", False, "x = 1\ny = 2"),
        ("", False, ""),
        ("   ", True, ""),
    ],
)
def test_html_to_text(fragment: str, raw_newlines: bool, expected: str) -> None:
    assert html_to_text(fragment, raw_newlines=raw_newlines) == expected


def test_deeply_nested_html_does_not_recurse() -> None:
    assert html_to_text("<div>" * 3000 + "deep" + "</div>" * 3000).startswith("deep")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Title <em>With</em> <b>Mark<sup>up</sup></b>", "Title With Markup"),
        ("Some <html> in a title", "Some <html> in a title"),
        ("Ping &laquo; What&#8217;s new", "Ping « What’s new"),
        ("   ", None),
    ],
)
def test_inline_text(title: str, expected: str | None) -> None:
    assert inline_text(title) == expected


def test_repair_leaves_cdata_and_comments_alone() -> None:
    text = "<a><![CDATA[ x & y < z ]]><!-- & < --></a>"
    assert repair_xml(text) == (text, [])


def test_repair_quotes_attributes_and_escapes_text() -> None:
    repaired, notes = repair_xml('<a x=1 y\n z="&"><b c=d/>1 < 2 & 3</a>')
    assert repaired == '<a x="1" y="y"\n z="&amp;"><b c="d"/>1 &lt; 2 &amp; 3</a>'
    assert "quoted 2 unquoted attribute value(s): line 1: x=1; line 2: c=d" in notes
    assert "gave 1 valueless attribute(s) a value: line 1: y" in notes
    assert "escaped bare '&' ×2 (first at line 2)" in notes
    assert "escaped stray '<' ×1 (first at line 2)" in notes


@dataclass
class _Counter:
    records: int = 0

    def start_root(self, root: object) -> None:
        return None

    def element(self, element: object) -> None:
        self.records += 1


def test_read_xml_well_formed_has_no_notes() -> None:
    handler, notes = read_xml(b"<r><x/><x/></r>", "ok.xml", _Counter, record_depth=1)
    assert (handler.records, notes) == (2, ())


def test_read_xml_falls_back_to_recovery_and_says_so() -> None:
    handler, notes = read_xml(b"<r><x/><x></r>", "cut.xml", _Counter, record_depth=1)
    assert handler.records >= 1
    assert notes[0].startswith("input was not well-formed XML")
    assert notes[-1].startswith("recovered with lxml")


def test_read_xml_unreadable_names_the_input() -> None:
    with pytest.raises(UnreadableXmlError, match=r"nothing\.xml"):
        read_xml(b"no markup at all", "nothing.xml", _Counter, record_depth=1)
    with pytest.raises(UnreadableXmlError, match=r"salvage\.xml"):
        read_xml(
            b"<r><x <<<", "salvage.xml", _Counter, record_depth=1, record_hint=re.compile("<x")
        )
