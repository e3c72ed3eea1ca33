"""WordPress-style thread pages the fetch tests serve (written for these tests)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class C:
    """One comment: native id, author, text, and the native id it replies to."""

    id: int
    author: str
    text: str
    parent: int | None = None


def _items(comments: Sequence[C], parent: int | None, depth: int) -> str:
    out = []
    for c in comments:
        if c.parent != parent:
            continue
        children = _items(comments, c.id, depth + 1)
        nested = f'<ol class="children">{children}</ol>' if children else ""
        out.append(
            f'<li id="comment-{c.id}" class="comment depth-{depth}">'
            f'<article id="div-comment-{c.id}" class="comment-body">'
            f'<footer class="comment-meta"><div class="comment-author vcard">'
            f'<b class="fn">{escape(c.author)}</b> <span class="says">says:</span></div>'
            f'<div class="comment-metadata"><a href="#comment-{c.id}">'
            f'<time datetime="2024-07-{10 + c.id % 18:02d}T10:00:00+00:00">July 2024</time>'
            f"</a></div></footer>"
            f'<div class="comment-content"><p>{escape(c.text)}</p></div>'
            f"</article>{nested}</li>"
        )
    return "".join(out)


def wp_page(
    title: str,
    comments: Sequence[C],
    *,
    canonical: str | None = None,
    nav: str = "",
    charset: str | None = "utf-8",
    declared: int | None = None,
) -> str:
    """A WordPress thread page: article, comment list (nested replies), optional comment
    navigation HTML (``nav``) and canonical link."""
    head = f'<meta charset="{charset}">' if charset else ""
    link = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    count = declared if declared is not None else len(comments)
    return (
        f"<!DOCTYPE html><html><head>{head}<title>{escape(title)} | Test Blog</title>{link}"
        '<meta name="generator" content="WordPress 6.5"></head>'
        '<body class="post-template-default single single-post">'
        f'<article class="post type-post"><h1 class="entry-title">{escape(title)}</h1>'
        f'<div class="entry-content"><p>The article about {escape(title)}.</p></div></article>'
        f'<div id="comments" class="comments-area"><h2 class="comments-title">{count} thoughts on'
        f" &ldquo;{escape(title)}&rdquo;</h2>"
        f'<ol class="comment-list">{_items(comments, None, 1)}</ol>{nav}</div>'
        "</body></html>"
    )


def older_newer(older: str | None, newer: str | None) -> str:
    """WordPress ``the_comments_navigation`` markup."""
    parts = ['<nav class="navigation comment-navigation"><div class="nav-links">']
    if older:
        parts.append(f'<div class="nav-previous"><a href="{older}">Older Comments</a></div>')
    if newer:
        parts.append(f'<div class="nav-next"><a href="{newer}">Newer Comments</a></div>')
    parts.append("</div></nav>")
    return "".join(parts)
