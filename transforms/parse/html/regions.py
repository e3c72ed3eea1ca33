"""A comment's own region: its elements without the replies nested inside it.

Profiles for layouts that nest replies inside their parent (``li`` in ``ul``) read each
comment's fields from its own region. Walking that region once per comment, and testing
elements against selector matches found once per page, keeps a 5,000-deep thread linear:
querying each comment's whole subtree would visit the deep replies again for every ancestor.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from transforms.parse.html.document import Document, Node


def own_elements(block: Node, nested: Iterable[Node]) -> list[Node]:
    """The block's elements in document order, without the ``nested`` comments' subtrees
    (the block itself excluded). Iterative."""
    pruned = {n.mem_id for n in nested}
    out: list[Node] = []
    stack = list(reversed(list(block.iter(include_text=False))))
    while stack:
        node = stack.pop()
        if node.mem_id in pruned or node.tag in ("script", "style", "template"):
            continue
        out.append(node)
        stack.extend(reversed(list(node.iter(include_text=False))))
    return out


def wrappers(block: Node, tags: Collection[str] | None = None) -> list[Node]:
    """The block and the wrappers it sits alone in (``div.item > div.rbox > div.comment-box``),
    innermost first; only wrappers whose tag is in ``tags`` when given."""
    chain = [block]
    while (parent := sole_wrapper(chain[-1])) is not None and (tags is None or parent.tag in tags):
        chain.append(parent)
    return chain


def sole_wrapper(node: Node) -> Node | None:
    """The node's parent when it holds nothing else (no other element, no text of its own),
    below ``body``; else None."""
    parent = node.parent
    if parent is None or parent.tag in ("body", "html"):
        return None
    # One pass that stops at the first other child: a comment's parent is often the list of
    # all the comments, and listing its children for each comment was quadratic.
    for child in parent.iter(include_text=True):
        if child.tag == "-text":
            if (child.text_content or "").strip():
                return None
        elif child.mem_id != node.mem_id:
            return None  # another element, or an HTML comment
    return parent


def children_of(parents: Sequence[int | None], nodes: Sequence[Node]) -> list[list[Node]]:
    """For comment nodes and their parent indices, each comment's direct replies."""
    children: list[list[Node]] = [[] for _ in nodes]
    for i, parent in enumerate(parents):
        if parent is not None:
            children[parent].append(nodes[i])
    return children


class Matches:
    """Which elements of the page match each selector, computed once per selector."""

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._sets: dict[str, set[int]] = {}

    def ids(self, selector: str) -> set[int]:
        found = self._sets.get(selector)
        if found is None:
            found = {n.mem_id for n in self._doc.css(selector)}
            self._sets[selector] = found
        return found

    def first(self, elements: Iterable[Node], selector: str) -> Node | None:
        """The first of ``elements`` matching ``selector``."""
        ids = self.ids(selector)
        return next((n for n in elements if n.mem_id in ids), None)
