"""Markup helpers for comment exports: HTML bodies to plain text, and reading export XML
that may not be well-formed (general repairs, each reported, lxml recovery as a last resort).

Plain text keeps paragraphs apart by one blank line and line breaks (``<br>``, table rows) as
single newlines; all other whitespace collapses to one space. WordPress stores comment and post
bodies "auto-paragraphed": a blank line in the raw text is a paragraph break and a single newline
a line break, so ``html_to_text(..., raw_newlines=True)`` honours newlines in text as WordPress
renders them; HTML from Disqus or Commento treats them as spaces.
"""

from __future__ import annotations

import html
import html.entities
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Final, Protocol, TypeVar

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs (lxml-stubs not locked)
from selectolax.lexbor import LexborHTMLParser

from transforms.parse.encoding import decode_bytes
from transforms.parse.registry import ParseError
from transforms.records import ParsedThread, RawPage

# --- HTML to text --------------------------------------------------------------------------

_BLOCK_TAGS: Final = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav",
        "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "ul",
    }
)  # fmt: skip
_LINE_TAGS: Final = frozenset({"br", "tr"})
_CELL_TAGS: Final = frozenset({"td", "th"})
_SKIP_TAGS: Final = frozenset(
    {"script", "style", "template", "noscript", "head", "title", "iframe", "object", "svg",
     "video", "audio", "canvas"}
)  # fmt: skip
# Embedded objects: no text, but a line holding only one is not a blank line.
_OBJECT_TAGS: Final = frozenset(
    {"img", "iframe", "video", "audio", "embed", "object", "svg", "picture", "canvas", "input"}
)
_BLOCK: Final = "\x00B"  # paragraph boundary token
_LINE: Final = "\x00L"  # line break token
_OBJECT: Final = "\x00O"  # an embedded object: the line is not blank
_DROP: Final = "\x00D"  # marks a line that only held objects
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_WS = re.compile(r"\s+")
_NEEDS_PARSER = re.compile(r"[<&]")
# Phrasing tags a WordPress title may carry (<em>, <sup>...): removed by inline_text,
# while a literal "<html>" written in a title is kept as text.
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|big|cite|code|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span"
    r"|strike|strong|sub|sup|time|tt|u|var|wbr|br)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)


def _text_tokens(text: str, raw_newlines: bool, in_pre: bool) -> list[str]:
    if in_pre:
        return [_LINE if i % 2 else part for i, part in enumerate(re.split(r"(\n)", text))]
    if not raw_newlines:
        return [text]
    tokens: list[str] = []
    for i, paragraph in enumerate(_BLANK_LINE.split(text)):
        if i:
            tokens.append(_BLOCK)
        for j, line in enumerate(paragraph.split("\n")):
            if j:
                tokens.append(_LINE)
            tokens.append(line)
    return tokens


def _assemble(tokens: list[str]) -> str:
    paragraphs: list[str] = []
    lines: list[str] = []
    current: list[str] = []

    def end_line() -> None:
        line = _WS.sub(" ", "".join(t for t in current if t != _OBJECT)).strip()
        lines.append(line or (_DROP if _OBJECT in current else ""))
        current.clear()

    def end_paragraph() -> None:
        end_line()
        block: list[str] = []
        for line in [*lines, ""]:  # an empty line (two <br> in a row) also ends a paragraph
            if line == _DROP:
                continue
            if line:
                block.append(line)
            elif block:
                paragraphs.append("\n".join(block))
                block = []
        lines.clear()

    for token in tokens:
        if token == _BLOCK:
            end_paragraph()
        elif token == _LINE:
            end_line()
        else:
            current.append(token)
    end_paragraph()
    return "\n\n".join(paragraphs)


def html_to_text(fragment: str | None, *, raw_newlines: bool = False) -> str:
    """Plain text of an HTML fragment: paragraphs separated by a blank line, ``<br>`` as a
    newline, tags dropped, entities decoded. ``raw_newlines`` treats a blank line in the source
    text as a paragraph break and a single newline as a line break (WordPress auto-paragraphs).
    The tree is walked iteratively: arbitrarily deep markup is fine."""
    if not fragment or not fragment.strip():
        return ""
    if not _NEEDS_PARSER.search(fragment):
        return _assemble(_text_tokens(fragment, raw_newlines, in_pre=False))
    body = LexborHTMLParser(fragment).body
    if body is None:
        return ""
    tokens: list[str] = []
    pre_depth = 0

    def enter(node: Any) -> bool:
        """Emit what opens the node; True to descend into its children."""
        nonlocal pre_depth
        tag = node.tag
        if tag == "-text":
            tokens.extend(_text_tokens(node.text_content or "", raw_newlines, pre_depth > 0))
            return False
        if tag in _SKIP_TAGS or tag.startswith("-"):  # scripts, comments, doctype
            if tag in _OBJECT_TAGS:
                tokens.append(_OBJECT)
            return False
        if tag in _BLOCK_TAGS:
            tokens.append(_BLOCK)
        elif tag in _LINE_TAGS:
            tokens.append(_LINE)
        elif tag in _CELL_TAGS:
            tokens.append(" ")
        elif tag in _OBJECT_TAGS:
            tokens.append(_OBJECT)
        if tag == "pre":
            pre_depth += 1
        return True

    def leave(node: Any) -> None:
        nonlocal pre_depth
        tag = node.tag
        if tag == "pre":
            pre_depth -= 1
        if tag in _BLOCK_TAGS:
            tokens.append(_BLOCK)
        elif tag in _CELL_TAGS:
            tokens.append(" ")

    root_id = body.mem_id
    node = body.child
    while node is not None:
        descend = enter(node)
        if descend and node.child is not None:
            node = node.child
            continue
        if descend:
            leave(node)
        while node.next is None:
            node = node.parent
            if node is None or node.mem_id == root_id:
                return _assemble(tokens)
            leave(node)
        node = node.next
    return _assemble(tokens)


def inline_text(value: str | None) -> str | None:
    """A one-line text (title, author name) as shown: phrasing tags removed, entities decoded,
    whitespace collapsed; None when nothing is left."""
    if value is None:
        return None
    text = _WS.sub(" ", html.unescape(_INLINE_TAG.sub("", value))).strip()
    return text or None


# --- XML that may not be well-formed -------------------------------------------------------


def element_text(element: etree._Element | None) -> str:
    """All the text inside an XML element, stripped ("" for a missing element)."""
    if element is None:
        return ""
    return "".join(element.itertext()).strip()


class UnreadableXmlError(ValueError):
    """The XML could not be read even after repairs and recovery; the message says why."""


class XmlHandler(Protocol):
    """Receives the parts of one XML document as it is streamed (see ``read_xml``)."""

    def start_root(self, root: etree._Element) -> None:
        """Called once with the root element (no children yet); raises UnreadableXmlError
        to refuse the document."""

    def element(self, element: etree._Element) -> None:
        """Called with each complete element at the record depth; it is freed afterwards."""

    @property
    def records(self) -> int:
        """How many records the handler took (to tell a salvaged document from an empty one)."""


_INVALID_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_DECLARATION = re.compile(r"<\?xml\b[^>]*\?>")
_START = re.compile(r"<(?:\?xml\b|!--|!DOCTYPE|[A-Za-z_])")
_ENTITY_OK = re.compile(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_][\w.-]*);")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_TOKENS = re.compile(
    r"(?P<cdata><!\[CDATA\[.*?(?:\]\]>|\Z))"
    r"|(?P<comment><!--.*?(?:-->|\Z))"
    r"|(?P<pi><\?.*?(?:\?>|\Z))"
    r"|(?P<doctype><!DOCTYPE[^>]*>)"
    r"|(?P<start><(?P<name>[A-Za-z_][\w.:-]*)(?P<attrs>(?:\"[^\"]*\"|'[^']*'|[^'\"<>])*)>)"
    r"|(?P<end></[A-Za-z_][\w.:-]*\s*>)"
    r"|(?P<text>[^<]+)"
    r"|(?P<lt><)",
    re.DOTALL,
)
_ATTRIBUTE = re.compile(
    r"(?P<space>\s+)(?P<name>[^\s=/>\"']+)"
    r"(?:(?P<eq>\s*=\s*)(?P<value>\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?"
)


# Prefixes used without a declaration: namespace names and attributes ("dsq:id", "wp:post_id").
_PREFIX = re.compile(r"\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*")
_DECLARED = re.compile(r"\sxmlns:([A-Za-z_][\w.-]*)\s*=")
_KNOWN_NAMESPACES = {
    "dsq": "http://disqus.com/disqus-internals",
    "wp": "http://wordpress.org/export/1.2/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


@dataclass(slots=True)
class _Repairs:
    quoted: list[str] = field(default_factory=list)
    valueless: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    first_line: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, line: int) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.first_line.setdefault(kind, line)

    def summary(self, kind: str, what: str) -> list[str]:
        if kind not in self.counts:
            return []
        return [f"{what} ×{self.counts[kind]} (first at line {self.first_line[kind]})"]


def _fix_attributes(attrs: str, line: int, repairs: _Repairs) -> str:
    body = attrs.rstrip()
    closing = ""
    if body.endswith("/"):
        body, closing = body[:-1], "/"
    out: list[str] = []
    position = 0
    changed = False
    for m in _ATTRIBUTE.finditer(body):
        out.append(body[position : m.start()])
        position = m.end()
        space, name, value = m.group("space"), m.group("name"), m.group("value")
        here = line + body.count("\n", 0, m.start("name"))
        if value is None:
            repairs.valueless.append(f"line {here}: {name}")
            out.append(f'{space}{name}="{name}"')
            changed = True
        elif value[0] not in "\"'":
            repairs.quoted.append(f"line {here}: {name}={value}")
            out.append(f'{space}{name}{m.group("eq")}"{html.escape(value, quote=True)}"')
            changed = True
        elif "<" in value or "&" in value:
            inner = _fix_text(value[1:-1], here, repairs)
            if "<" in inner:
                repairs.count("lt", here)
                inner = inner.replace("<", "&lt;")
            out.append(f"{space}{name}{m.group('eq')}{value[0]}{inner}{value[0]}")
            changed = changed or inner != value[1:-1]
        else:
            out.append(m.group(0))
    out.append(body[position:])
    return "".join(out) + closing if changed else attrs


def _fix_text(text: str, line: int, repairs: _Repairs) -> str:
    if "&" not in text:
        return text
    out: list[str] = []
    position = 0
    while (index := text.find("&", position)) != -1:
        out.append(text[position:index])
        here = line + text.count("\n", 0, index)
        m = _ENTITY_OK.match(text, index)
        name = m.group(0)[1:-1] if m else ""
        if m is None:
            repairs.count("amp", here)
            out.append("&amp;")
            position = index + 1
        elif name.startswith("#") or name in _XML_ENTITIES:
            out.append(m.group(0))
            position = m.end()
        elif name in html.entities.name2codepoint:
            repairs.count("entity", here)
            out.append(f"&#{html.entities.name2codepoint[name]};")
            position = m.end()
        else:  # an unknown name: the '&' was text
            repairs.count("amp", here)
            out.append("&amp;")
            position = index + 1
    out.append(text[position:])
    return "".join(out)


def repair_xml(text: str) -> tuple[str, list[str]]:
    """The text with common export damage repaired, and one note per kind of repair made: junk
    before the XML declaration or root, text after the root, characters XML forbids, unquoted
    or valueless attributes, bare ``&``, HTML-only named entities, stray ``<`` in text.
    CDATA sections and comments are left alone."""
    notes: list[str] = []
    repairs = _Repairs()
    start = _START.search(text)
    if start is None:
        return text, notes
    prefix = text[: start.start()]
    junk = prefix.strip().lstrip("\ufeff")
    if junk:
        notes.append(f"removed {len(junk)} stray character(s) before the XML start: {junk[:20]!r}")
    elif prefix.strip("\ufeff") and text.startswith("<?xml", start.start()):
        notes.append("removed whitespace before the XML declaration")
    first_line = 1 + prefix.count("\n")
    text = text[start.start() :]
    invalid = len(_INVALID_XML_CHARS.findall(text))
    if invalid:
        text = _INVALID_XML_CHARS.sub("", text)
        notes.append(f"removed {invalid} character(s) XML does not allow")

    out: list[str] = []
    length = 0
    line = first_line
    root_name: str | None = None
    root_index = -1
    root_end: int | None = None
    used: set[str] = set()
    declared: set[str] = set()
    for m in _TOKENS.finditer(text):
        kind = m.lastgroup
        token = m.group(0)
        if kind == "start":
            name = m.group("name")
            if root_name is None:
                root_name, root_index = name, len(out)
            attrs = m.group("attrs")
            fixed = _fix_attributes(attrs, line, repairs)
            if fixed is not attrs:
                token = f"<{name}{fixed}>"
            used.update(p.group(1) for p in _PREFIX.finditer(f" {name}{fixed}"))
            declared.update(_DECLARED.findall(fixed))
        elif kind == "text":
            token = _fix_text(token, line, repairs)
        elif kind == "lt":
            repairs.count("lt", line)
            token = "&lt;"
        out.append(token)
        length += len(token)
        if kind == "end" and root_name and token[2:-1].strip() == root_name:
            root_end = length
        line += m.group(0).count("\n")
    undeclared = sorted(used - declared - {"xml", "xmlns"})
    if undeclared and root_index >= 0:
        root_tag = out[root_index]
        cut = len(root_tag) - (2 if root_tag.endswith("/>") else 1)
        declarations = "".join(
            f' xmlns:{p}="{_KNOWN_NAMESPACES.get(p, "urn:x-undeclared:" + p)}"' for p in undeclared
        )
        out[root_index] = root_tag[:cut] + declarations + root_tag[cut:]
        root_end = None if root_end is None else root_end + len(declarations)
        notes.append(
            f"declared {len(undeclared)} undeclared namespace prefix(es): " + ", ".join(undeclared)
        )
    repaired = "".join(out)
    if root_end is not None and repaired[root_end:].strip():
        trailing = repaired[root_end:].strip()
        notes.append(f"removed {len(trailing)} character(s) after the closing </{root_name}>")
        repaired = repaired[:root_end] + "\n"
    if repairs.quoted:
        shown = "; ".join(repairs.quoted[:5]) + ("; ..." if len(repairs.quoted) > 5 else "")
        notes.append(f"quoted {len(repairs.quoted)} unquoted attribute value(s): {shown}")
    if repairs.valueless:
        shown = "; ".join(repairs.valueless[:5]) + ("; ..." if len(repairs.valueless) > 5 else "")
        notes.append(f"gave {len(repairs.valueless)} valueless attribute(s) a value: {shown}")
    notes += repairs.summary("amp", "escaped bare '&'")
    notes += repairs.summary("entity", "replaced HTML named entities XML does not define")
    notes += repairs.summary("lt", "escaped stray '<'")
    return repaired, notes


H = TypeVar("H", bound=XmlHandler)


def _stream(content: bytes, handler: XmlHandler, record_depth: int, *, recover: bool) -> bool:
    """Stream the document into the handler; True when a root element was seen."""
    events = etree.iterparse(
        io.BytesIO(content),
        events=("start", "end"),
        recover=recover,
        huge_tree=True,
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
    )
    depth = -1
    saw_root = False
    for event, element in events:
        if event == "start":
            depth += 1
            if depth == 0:
                saw_root = True
                handler.start_root(element)
            continue
        if depth == record_depth:
            handler.element(element)
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
        depth -= 1
    return saw_root


def _as_utf8(text: str) -> bytes:
    text = text.lstrip("\ufeff \t\r\n")
    declaration = _XML_DECLARATION.match(text)
    if declaration:
        text = text[declaration.end() :]
    return ('<?xml version="1.0" encoding="utf-8"?>' + text).encode("utf-8")


def _describe(exc: etree.XMLSyntaxError) -> str:
    """lxml's message, which ends with the line and column."""
    return str(exc.msg or exc).strip()


def read_xml(
    content: bytes,
    source_uri: str,
    new_handler: Callable[[], H],
    *,
    record_depth: int,
    record_hint: re.Pattern[str] | None = None,
) -> tuple[H, tuple[str, ...]]:
    """The handler after streaming the document's records (elements at ``record_depth``, the
    root being depth 0), and notes on what had to be repaired to read it (empty when the
    input was well-formed).

    Well-formed input is streamed once. Otherwise the text is repaired (``repair_xml``) and
    streamed again; if it still is not well-formed, lxml's recovering parser reads what it can
    and its first errors are reported. A fresh handler is made for every attempt. Raises
    UnreadableXmlError (naming the input) when no root is found, the handler refuses the root, or
    recovery salvaged no record although ``record_hint`` finds records in the text.
    """

    def attempt(data: bytes, *, recover: bool) -> tuple[H, bool]:
        handler = new_handler()
        try:
            return handler, _stream(data, handler, record_depth, recover=recover)
        except UnreadableXmlError as exc:  # the handler refused the document
            raise UnreadableXmlError(f"{source_uri}: {exc}") from exc

    try:
        handler, saw_root = attempt(content, recover=False)
        if saw_root:
            return handler, ()
        first_error = "no root element"
    except etree.XMLSyntaxError as exc:
        first_error = _describe(exc)

    try:
        text, _ = decode_bytes(content)
    except ValueError as exc:
        raise UnreadableXmlError(f"{source_uri}: not XML text ({exc})") from exc
    repaired_text, repairs = repair_xml(text)
    repaired = _as_utf8(repaired_text)
    notes = [f"input was not well-formed XML ({first_error})"]
    notes += [f"repaired: {repair}" for repair in repairs]

    try:
        handler, saw_root = attempt(repaired, recover=False)
        if saw_root:
            return handler, tuple(notes)
        second_error = "no root element"
    except etree.XMLSyntaxError as exc:
        second_error = _describe(exc)

    try:
        handler, saw_root = attempt(repaired, recover=True)
    except etree.XMLSyntaxError:
        saw_root = False
    if not saw_root:
        raise UnreadableXmlError(f"{source_uri}: not readable as XML ({first_error})")
    if handler.records == 0 and record_hint is not None and record_hint.search(text):
        raise UnreadableXmlError(
            f"{source_uri}: XML could not be repaired ({second_error}); no record was readable"
        )
    notes.append(f"recovered with lxml after '{second_error}': parts of the input may be lost")
    return handler, tuple(notes)


def read_export(
    page: RawPage,
    new_handler: Callable[[], H],
    threads_of: Callable[[H], list[ParsedThread]],
    *,
    record_depth: int,
    record_hint: re.Pattern[str] | None = None,
) -> list[ParsedThread]:
    """The threads an XML export's handler collects (``read_xml``), each noting first what
    had to be repaired to read the input. Raises ParseError, naming the input, when it cannot
    be read."""
    try:
        handler, repairs = read_xml(
            page.content,
            page.source_uri,
            new_handler,
            record_depth=record_depth,
            record_hint=record_hint,
        )
    except UnreadableXmlError as exc:
        raise ParseError(str(exc)) from exc
    threads = threads_of(handler)
    if not repairs:
        return threads
    return [replace(t, notes=(*repairs, *t.notes)) for t in threads]


def split_tag(tag: object) -> tuple[str, str]:
    """(namespace, local name) of an lxml tag ("" for no namespace; both "" for comments and
    processing instructions, whose tag is not a string)."""
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag
