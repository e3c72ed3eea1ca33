"""Bytes to text: BOM, HTTP charset, <meta charset>, XML declaration, then detection.

Detection matters for pages saved without any declaration: UTF-8 is tried strictly first (it
almost never decodes non-UTF-8 text by accident), then charset-normalizer picks among the
legacy encodings, with windows-1252 as the fallback (what browsers do for latin-1 labels).
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)["']""", re.IGNORECASE)
# Browsers treat these labels as windows-1252 (WHATWG Encoding Standard).
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "iso8859-1": "cp1252", "l1": "cp1252"}  # fmt: skip


_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])  # not tab, newlines, form feed, CR


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can determine (binary data)."""


def _lookup(label: str) -> str | None:
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_encoding(content: bytes, content_type: str | None = None) -> str | None:
    """The encoding the bytes or their HTTP header declare, if any (BOM first, as browsers do)."""
    for bom, bom_encoding in _BOMS:
        if content.startswith(bom):
            return bom_encoding
    if content_type:
        header = _HEADER_CHARSET.search(content_type)
        if header and (name := _lookup(header.group(1))):
            return name
    head = content[:4096]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        found = pattern.search(head)
        if found and (name := _lookup(found.group(1).decode("ascii", "replace"))):
            return name
    return None


def looks_binary(content: bytes) -> bool:
    """True when the bytes are clearly not text: NUL bytes or many control bytes early on."""
    head = content[:8192]
    if not head:
        return False
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]):  # UTF-16/32 text has NULs
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) * 0.05


def decode_bytes(content: bytes, content_type: str | None = None) -> tuple[str, str]:
    """The text of the bytes and the encoding used. Raises DecodeError for binary data."""
    if looks_binary(content):
        raise DecodeError("binary data, not text")
    declared = declared_encoding(content, content_type)
    has_bom = any(content.startswith(bom) for bom, _ in _BOMS)
    if declared:
        try:
            text = content.decode(declared)
        except UnicodeDecodeError as exc:
            if has_bom:  # a byte-order mark is definitive: the bytes are broken
                raise DecodeError(
                    f"not valid {declared} despite its byte-order mark: {exc}"
                ) from exc
            # A wrong declaration is common (a page saved as UTF-8 still saying latin-1):
            # fall through to detection rather than producing mojibake.
        else:
            if text.startswith("\ufeff"):
                text = text[1:]
            if declared == "cp1252" and _is_utf8(content):
                return content.decode("utf-8"), "utf-8"
            return text, declared
    if _is_utf8(content):
        return content.decode("utf-8"), "utf-8"
    best = from_bytes(content[:200_000]).best()
    guess = _lookup(best.encoding) if best is not None and best.encoding else None
    if guess and guess not in _WESTERN:
        # A non-Latin legacy encoding (cp1251, shift_jis, gbk, ...): trust the detector.
        try:
            return content.decode(guess), guess
        except UnicodeDecodeError:
            pass
    # Latin script without a declaration: windows-1252, as browsers assume. Detectors confuse
    # cp1252 with cp1250/latin-2 on short texts; cp1252 is by far the more common on the web.
    text = content.decode("cp1252", errors="replace")
    junk = sum(1 for ch in text[:100_000] if ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\f"))
    if junk > max(8, len(text[:100_000]) // 100):
        raise DecodeError("cannot be decoded as text in any known encoding")
    return text, "cp1252"


_WESTERN = frozenset(
    {"cp1252", "cp1250", "cp1257", "cp1254", "latin-1", "iso8859-1", "iso8859-2", "iso8859-15",
     "iso8859-9", "iso8859-13", "mac-roman", "mac-latin2", "ascii", "utf-8"}
)  # fmt: skip


def _is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
