"""Limits and constants, in one place so they are easy to find and to change."""

from __future__ import annotations

MAX_PAGE_BYTES = 20_000_000  # refuse larger pages (also after decompression)
MAX_TEXT_FILE_BYTES = 20_000_000  # a plain-text rendering larger than this is not a thread page
PAGES_PER_BATCH = 200  # pages parsed, deduplicated and staged per task: few tasks, bounded memory
MAX_COMMENT_DEPTH = 100_000  # sanity bound: deeper trees are rejected as malformed input
SNIFF_BYTES = 4096  # bytes read to detect a file's format
PARSER_VERSION = "0.1.0"  # bump when any parser's output changes; recorded on every thread row
