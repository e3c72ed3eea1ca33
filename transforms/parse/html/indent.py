"""Depth shown by indentation: comment lists that keep every comment at one level of the
markup and only push replies to the right.

Table-built threads (a row per comment, a transparent spacer image as wide as the reply's
depth, or a cell saying ``indent="2"``) and some CMSs (``div.comment.level-2``,
``style="margin-left: 40px"``, ``aria-level="3"``) show a reply's depth no other way.
``shown_depths`` reads the signal off each block and turns the page's values into depths
0, 1, 2, …; the parents then follow from the depths (the latest comment one level up, see
``thread.build_comments``).

Where a block's signal is looked for: the block and the wrappers it sits alone in (its
frame), and the elements it starts with before any text (a spacer cell, an indent cell). A
class or attribute level is an explicit number; a left margin, padding or spacer width is a
length, summed over those elements, and the page's distinct lengths are ranked. Whatever
the signal, the depths must read as a thread in page order (no reply deeper than one level
below the comment before it) or they are not indentation and nothing is returned.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from transforms.parse.html.document import Node
from transforms.parse.html.regions import wrappers

# "level-2", "depth3", "comment-level-1", "indent_2", "nest-1": a level in a class of the frame.
_LEVEL_CLASS = re.compile(
    r"^(?:comments?[-_]?|reply[-_]?)?(?:depth|level|lvl|indent|nest|nesting)[-_]?(\d{1,2})$",
    re.IGNORECASE,
)
# Attributes that state a level, most explicit first.
_LEVEL_ATTRIBUTES = ("aria-level", "data-depth", "data-level", "data-indent", "indent")
_LEFT_SPACE = re.compile(
    r"(?:^|;)\s*(?:margin|padding)-left\s*:\s*(\d{1,4}(?:\.\d+)?)\s*(px|em|rem)\b", re.IGNORECASE
)
# A transparent spacer image: a pixel-high image, or one named as a spacer ("s.gif").
_SPACER_NAME = re.compile(
    r"(?:^|[/_.-])(?:s|spacer|blank|clear|pixel|pix|trans|transparent|1x1|dot)\.(?:gif|png)$",
    re.IGNORECASE,
)
LEADING = 12  # elements a block starts with (before its first text) searched for a signal


def _number(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 3 else None


def _leading(block: Node) -> list[Node]:
    """The elements the block starts with, in document order, before its first text."""
    out: list[Node] = []
    for node in block.traverse(include_text=True):
        if node.mem_id == block.mem_id:
            continue
        if node.tag == "-text":
            if (node.text_content or "").strip():
                break
            continue
        if (node.tag or "-").startswith("-"):
            continue
        out.append(node)
        if len(out) >= LEADING:
            break
    return out


def _spacer_width(img: Node) -> float | None:
    attributes = img.attributes
    width = _number(attributes.get("width"))
    if width is None:
        return None
    height = _number(attributes.get("height"))
    if (height is not None and height <= 2) or _SPACER_NAME.search(attributes.get("src") or ""):
        return float(width)
    return None


class _Signals:
    """What one block shows of its depth: a level (by kind) and left space (by unit)."""

    __slots__ = ("levels", "space")

    def __init__(self, block: Node) -> None:
        self.levels: dict[str, int] = {}
        self.space: dict[str, float] = {}
        frame = wrappers(block)
        for node in frame:
            for name in (node.attributes.get("class") or "").split():
                m = _LEVEL_CLASS.match(name)
                if m:
                    self.levels.setdefault("class", int(m.group(1)))
        for node in (*frame, *_leading(block)):
            attributes = node.attributes
            for name in _LEVEL_ATTRIBUTES:
                value = _number(attributes.get(name))
                if value is not None:
                    self.levels.setdefault(name, value)
            for length, unit in _LEFT_SPACE.findall(attributes.get("style") or ""):
                unit = unit.lower()
                self.space[unit] = self.space.get(unit, 0.0) + float(length)
            if node.tag == "img" and (width := _spacer_width(node)) is not None:
                self.space["px"] = self.space.get("px", 0.0) + width


def _as_thread(depths: list[int]) -> list[int] | None:
    """The depths when they read as a thread in page order and some comment is a reply."""
    if not any(depths):
        return None
    if any(depth > before + 1 for before, depth in pairwise(depths)):
        return None
    return depths


def shown_depths(blocks: Sequence[Node]) -> list[int] | None:
    """Each block's depth as its indentation shows it (0 = top level), in the order given
    (page order), or None when the blocks show no indentation that reads as a thread."""
    if len(blocks) < 2:
        return None
    signals = [_Signals(block) for block in blocks]
    for kind in ("class", *_LEVEL_ATTRIBUTES):
        values = [s.levels.get(kind) for s in signals]
        present = [v for v in values if v is not None]
        if len(set(present)) < 2:
            continue
        low = min(present)
        return _as_thread([(v if v is not None else low) - low for v in values])
    for unit in ("px", "em", "rem"):
        lengths = [s.space.get(unit, 0.0) for s in signals]
        ranks = {value: rank for rank, value in enumerate(sorted(set(lengths)))}
        if len(ranks) >= 2:
            return _as_thread([ranks[v] for v in lengths])
    return None
