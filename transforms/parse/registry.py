"""Format detection and dispatch: bytes of one input → its threads.

Each format family is one module exposing ``NAME``, ``detect(page, head) -> bool`` and
``parse(page) -> list[ParsedThread]``. Detection looks at the content (``head`` is the start of
the input decoded leniently), never at the file name. Formats are tried in the order below:
the specific container formats first, HTML before plain text (the catch-all).

To add a format: write the module, then add its import path to ``FORMAT_MODULES``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from transforms.limits import SNIFF_BYTES
from transforms.records import ParsedThread, RawPage

FORMAT_MODULES: tuple[str, ...] = (
    "transforms.parse.wxr",
    "transforms.parse.disqus",
    "transforms.parse.blogger_export",
    "transforms.parse.json_exports",
    "transforms.parse.api_json",
    "transforms.parse.html",
    "transforms.parse.text",
)


class ParseError(ValueError):
    """The input is not a thread page or export threadline can read; the message says why."""


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    detect: Callable[[RawPage, str], bool]
    parse: Callable[[RawPage], list[ParsedThread]]


def _load(module_path: str) -> Format | None:
    try:
        module: ModuleType = importlib.import_module(module_path)
    except ModuleNotFoundError as exc:
        if exc.name == module_path:  # format not built yet in this checkout
            return None
        raise
    return Format(name=module.NAME, detect=module.detect, parse=module.parse)


_formats: list[Format] | None = None


def formats() -> list[Format]:
    """The registered formats, in detection order."""
    global _formats
    if _formats is None:
        _formats = [f for f in (_load(m) for m in FORMAT_MODULES) if f is not None]
    return _formats


def sniff(content: bytes) -> str:
    """The start of the content as text, decoded leniently, for format detection."""
    head = content[:SNIFF_BYTES]
    for encoding in (
        ("utf-8-sig", "utf-16") if head[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",)
    ):
        try:
            return head.decode(encoding, errors="replace" if encoding == "utf-8-sig" else "strict")
        except UnicodeDecodeError:
            continue
    return head.decode("latin-1")


def detect_format(page: RawPage) -> Format:
    """The format of the page. Raises ParseError when no format claims it."""
    head = sniff(page.content)
    for fmt in formats():
        if fmt.detect(page, head):
            return fmt
    raise ParseError(f"{page.source_uri}: not a format threadline reads (no parser matched)")


# Formats that read any page: the rest are exports and API responses, recognised by structure.
PAGE_FORMATS = frozenset({"html", "text"})


def is_export(page: RawPage) -> bool:
    """True when a format other than the page formats (HTML, plain text) claims the page: an
    export or an API response."""
    head = sniff(page.content)
    return any(f.name not in PAGE_FORMATS and f.detect(page, head) for f in formats())


def parse_page(page: RawPage) -> list[ParsedThread]:
    """The threads in one input (a page gives one; an export may give many)."""
    if not page.content.strip():
        raise ParseError(f"{page.source_uri}: empty input")
    return detect_format(page).parse(page)
