"""Depth shown by indentation (``indent.shown_depths``): level classes and attributes, left
margins and paddings, spacer images; and what is not indentation."""

from __future__ import annotations

import pytest

from transforms.parse.html.document import load_document
from transforms.parse.html.indent import shown_depths
from transforms.records import RawPage


def depths_of(blocks: list[str]) -> list[int] | None:
    """``shown_depths`` of the ``.c`` elements of a page holding ``blocks`` in a row."""
    html = f"<html><body><div id='list'>{''.join(blocks)}</div></body></html>"
    doc = load_document(RawPage(source_uri="memory", content=html.encode()))
    return shown_depths(doc.css(".c"))


def div(text: str, attributes: str = "", inner: str = "") -> str:
    return f"<div class='c' {attributes}>{inner}<p>{text}</p></div>"


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        # explicit levels: attributes (1-based or 0-based) and classes
        ([div("a", "aria-level='1'"), div("b", "aria-level='2'"), div("c", "aria-level='1'")],
         [0, 1, 0]),
        ([div("a", "data-depth='0'"), div("b", "data-depth='1'"), div("c", "data-depth='2'")],
         [0, 1, 2]),
        (["<div class='c level-1'>a</div>", "<div class='c level-2'>b</div>",
          "<div class='c comment-level-3'>c</div>"], [0, 1, 2]),
        # lengths: ranked, whatever the step and unit; no style is no indentation
        ([div("a", "style='padding-left:0em'"), div("b", "style='padding-left: 1.5em'"),
          div("c", "style='padding-left:3em'")], [0, 1, 2]),
        ([div("a"), div("b", "style='color:red; margin-left:25px'"), div("c")], [0, 1, 0]),
        # a wrapper holding only the block carries the margin
        ([div("a"), f"<div style='margin-left:40px'>{div('b')}</div>", div("c")], [0, 1, 0]),
        # a table row per comment: a spacer image (or an indent cell) before any text
        ([f"<table class='c'><tr><td><img src='/img/s.gif' height='1' width='{w}'></td>"
          f"<td>text {w}</td></tr></table>" for w in (0, 40, 80, 40)], [0, 1, 2, 1]),
        ([f"<table class='c'><tr><td indent='{n}'></td><td>text {n}</td></tr></table>"
          for n in (0, 1, 0)], [0, 1, 0]),
    ],
)  # fmt: skip
def test_shown_depths(blocks: list[str], expected: list[int]) -> None:
    assert depths_of(blocks) == expected


@pytest.mark.parametrize(
    "blocks",
    [
        # the same indentation everywhere
        [div("a", "style='margin-left:20px'"), div("b", "style='margin-left:20px'")],
        # a reply two levels below the comment before it: not a thread's indentation
        [div("a"), div("b", "style='margin-left:80px'"), div("c", "style='margin-left:40px'")],
        [div("a", "data-level='1'"), div("b", "data-level='3'")],
        # a badge's level is not the comment's ("user-level-5" is no depth class)
        ["<div class='c'><span class='user-level-5'>x</span>a</div>",
         "<div class='c'><span class='user-level-1'>y</span>b</div>"],
        # indentation inside the comment's text (a quote) is not the comment's
        [div("a"), div("b", inner="<span>quoting:</span><blockquote style='margin-left:40px'>"
                        "q</blockquote>")],
        # images that are not spacers (an avatar's width)
        [f"<div class='c'><img src='/a/{w}.jpg' width='{w}' height='{w}'>t</div>"
         for w in (32, 48)],
        # one block alone
        [div("a", "style='margin-left:40px'")],
    ],
)  # fmt: skip
def test_no_indentation(blocks: list[str]) -> None:
    assert depths_of(blocks) is None
