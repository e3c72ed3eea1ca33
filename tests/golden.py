"""Golden files for parsers: a compact, reviewable summary of what a parser produced.

A golden file (tests/golden/<group>/<name>.json) records, per thread, the article fields and
every comment's depth, parent (index), author, kind, status, first words and paragraph count.
Goldens are written by reading the source carefully and are only regenerated on purpose:

    THREADLINE_UPDATE_GOLDEN=1 uv run pytest tests/parse -k NAME

then review the diff. Only the first few words of a comment are kept: the source texts belong to
third parties and are read from ../shared at test time, never copied here.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from transforms.records import ParsedThread

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
FIRST_WORDS = 5
# CJK text has no spaces: its first "words" can be whole sentences, so cut them short.
FIRST_CHARS = 60
ARTICLE_WORDS, ARTICLE_CHARS = 8, 160


def comment_rows(
    thread: ParsedThread,
) -> list[tuple[int, int | None, str | None, datetime | None, str]]:
    """(depth, parent, author, posted_at, text) of each comment: what a test compares whole."""
    return [(c.depth, c.parent, c.author, c.posted_at, c.text) for c in thread.comments]


def first_words(text: str, n: int = FIRST_WORDS, max_chars: int = FIRST_CHARS) -> str:
    """The first ``n`` words of the text, cut to ``max_chars`` characters."""
    return " ".join(text.split()[:n])[:max_chars].rstrip()


def paragraph_count(text: str) -> int:
    return len([p for p in text.split("\n\n") if p.strip()])


def summarise(threads: list[ParsedThread]) -> list[dict[str, Any]]:
    """The golden summary of parsed threads (JSON-ready)."""
    out = []
    for t in threads:
        out.append(
            {
                "parser": t.parser,
                "url": t.url,
                "title": t.title,
                "published_at": t.published_at.isoformat() if t.published_at else None,
                "comment_count_declared": t.comment_count_declared,
                "article_first_words": first_words(
                    t.article_text or "", ARTICLE_WORDS, ARTICLE_CHARS
                ),
                "comments": [
                    {
                        "depth": c.depth,
                        "parent": c.parent,
                        "author": c.author,
                        "kind": c.kind,
                        "status": c.status,
                        "orphan": c.orphan,
                        "posted_at": c.posted_at.isoformat() if c.posted_at else None,
                        "first_words": first_words(c.text),
                        "paragraphs": paragraph_count(c.text),
                    }
                    for c in t.comments
                ],
            }
        )
    return out


def check_golden(group: str, name: str, threads: list[ParsedThread]) -> None:
    """Assert the parse matches tests/golden/<group>/<name>.json (or write it when updating)."""
    path = GOLDEN_DIR / group / f"{name}.json"
    actual = summarise(threads)
    if os.environ.get("THREADLINE_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}: write it (see tests/golden.py)"
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert len(actual) == len(expected), (
        f"{name}: {len(actual)} threads, golden has {len(expected)}"
    )
    for t_actual, t_expected in zip(actual, expected, strict=True):
        a_comments, e_comments = t_actual.pop("comments"), t_expected.pop("comments")
        assert t_actual == t_expected, f"{name}: thread fields differ"
        assert len(a_comments) == len(e_comments), (
            f"{name}: {len(a_comments)} comments, golden has {len(e_comments)}"
        )
        for i, (a, e) in enumerate(zip(a_comments, e_comments, strict=True)):
            assert a == e, f"{name}: comment {i} differs:\n actual  {a}\n golden  {e}"
