"""Parsers: one module per format family, chosen by content (see registry.py)."""

from transforms.parse.registry import ParseError, detect_format, parse_page

__all__ = ["ParseError", "detect_format", "parse_page"]
