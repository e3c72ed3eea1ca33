"""Deterministic synthetic corpus of thread pages, for benchmarks.

N thread pages: WordPress comment markup (HTML) and plain-text renderings (numbered outline,
as web-text corpora store pages), articles of ~1,500 words, comment counts from a long-tailed
distribution (many small threads, a few with 1,000+), nesting to depth 8, ~2% exact double
posts. The same seed gives byte-identical files. Pages go to OUT/pages/; OUT/manifest.json
records, per page, how many comments the page shows and how many unique rows threadline loads.

    uv run python benchmarks/generate.py OUT_DIR --pages 1000 [--seed 7] [--text-share 0.3]
"""

from __future__ import annotations

import argparse
import html
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

WORDS = (
    "garden harbour council river market evening window station library winter summer bridge "
    "people question answer reason season number report letter budget street school village "
    "weather morning kitchen bakery bread tomato pepper rain storm wall pier boat fisher "
    "engine project design system memory parser thread comment reply author reader writer "
    "policy money office plan road train ticket price energy water light paper story history "
    "good simple quiet early late fresh local public small large long short clear open strong "
    "agree think know want need like see read write build fix keep start finish move change"
).split()
NAMES = (
    "Ann Bob Chiara Dev Elif Farid Greta Hugo Ines Jonas Kemal Lena Malik Nora Olga Pavel "
    "Quinn Rosa Sami Tariq Ulla Vera Wim Xenia Yusuf Zoe"
).split()
BASE = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(slots=True)
class Comment:
    author: str
    text: str  # paragraphs separated by a blank line
    depth: int
    children: list[Comment]
    posted_at: datetime
    native_id: int


def sentence(rng: random.Random, lo: int = 6, hi: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def comment_count(rng: random.Random) -> int:
    """Long-tailed: most threads have a handful, ~1% have more than 1,000."""
    roll = rng.random()
    if roll < 0.01:
        return rng.randint(1000, 2500)
    return min(999, int(rng.lognormvariate(3.55, 1.3)))


def build_tree(rng: random.Random, n: int, when: datetime, ids: list[int]) -> list[Comment]:
    """n comments in a tree up to depth 8, ~2% exact double posts (as siblings)."""
    roots: list[Comment] = []
    open_nodes: list[Comment] = []
    made = 0
    while made < n:
        ids[0] += 1
        parent = rng.choice(open_nodes) if open_nodes and rng.random() < 0.45 else None
        depth = parent.depth + 1 if parent else 0
        paras = "\n\n".join(
            paragraph(rng, rng.randint(1, 4)) for _ in range(rng.choice((1, 1, 2, 3)))
        )
        c = Comment(rng.choice(NAMES), paras, depth, [], when + timedelta(minutes=made * 7), ids[0])
        siblings = parent.children if parent else roots
        siblings.append(c)
        made += 1
        if depth < 8:
            open_nodes.append(c)
        if made < n and rng.random() < 0.02:  # exact double post: same author, text, parent
            ids[0] += 1
            siblings.append(
                Comment(c.author, c.text, depth, [], c.posted_at + timedelta(seconds=20), ids[0])
            )
            made += 1
    return roots


def walk(roots: list[Comment]) -> list[Comment]:
    out: list[Comment] = []
    stack = list(reversed(roots))
    while stack:
        c = stack.pop()
        out.append(c)
        stack.extend(reversed(c.children))
    return out


def unique_rows(roots: list[Comment]) -> int:
    """Rows after collapsing exact duplicates (same parent, author, text)."""
    count = 0
    stack: list[list[Comment]] = [roots]
    while stack:
        siblings = stack.pop()
        seen: set[tuple[str, str]] = set()
        for c in siblings:
            key = (c.author, c.text)
            if key in seen:
                continue
            seen.add(key)
            count += 1
            stack.append(c.children)
    return count


def render_html(title: str, url: str, published: datetime, article: list[str],
                roots: list[Comment]) -> str:  # fmt: skip
    out = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)} | Bench Blog</title>",
        f"<link rel='canonical' href='{url}'>",
        f"<meta property='article:published_time' content='{published.isoformat()}'>",
        "</head><body><main><article class='post'><h1 class='entry-title'>",
        html.escape(title),
        "</h1><div class='entry-content'>",
        *(f"<p>{html.escape(p)}</p>" for p in article),
        "</div></article><div id='comments' class='comments-area'>",
        f"<h2 class='comments-title'>{len(walk(roots))} Comments</h2><ol class='comment-list'>",
    ]
    # iterative rendering (no recursion): a stack of (comment, closing?) events
    stack: list[tuple[Comment, bool]] = [(c, False) for c in reversed(roots)]
    while stack:
        c, closing = stack.pop()
        if closing:
            out.append("</ol></li>" if c.children else "</li>")
            continue
        paras = "".join(f"<p>{html.escape(p)}</p>" for p in c.text.split("\n\n"))
        out.append(
            f"<li id='comment-{c.native_id}' class='comment depth-{c.depth + 1}'>"
            f"<article class='comment-body'><footer class='comment-meta'>"
            f"<div class='comment-author vcard'><b class='fn'>{html.escape(c.author)}</b> "
            f"<span class='says'>says:</span></div><div class='comment-metadata'>"
            f"<time datetime='{c.posted_at.isoformat()}'>{c.posted_at:%B %d, %Y at %H:%M}</time>"
            f"</div></footer><div class='comment-content'>{paras}</div>"
            "<div class='reply'><a class='comment-reply-link' href='#'>Reply</a></div></article>"
        )
        stack.append((c, True))
        if c.children:
            out.append("<ol class='children'>")
            stack.extend((child, False) for child in reversed(c.children))
    out.append("</ol></div></main><footer>Bench Blog</footer></body></html>")
    return "".join(out)


def render_text(title: str, published: datetime, article: list[str], roots: list[Comment]) -> str:
    """Numbered-outline rendering: '  N. text', two more spaces of indent per level."""
    lines = [title, "", f"Posted on {published:%d %B %Y}", ""]
    for p in article:
        lines += [p, ""]
    lines += [f"{len(walk(roots))} Comments", ""]
    stack: list[tuple[Comment, int, int]] = [
        (c, i + 1, 0) for i, c in reversed(list(enumerate(roots)))
    ]
    while stack:
        c, number, depth = stack.pop()
        indent = "  " * (depth + 1)
        paras = c.text.split("\n\n")
        marker = f"{number}. "
        lines.append(f"{indent}{marker}{paras[0]}")
        for p in paras[1:]:
            lines += ["", f"{indent}{' ' * len(marker)}{p}"]
        lines.append("")
        stack.extend((ch, i + 1, depth + 1) for i, ch in reversed(list(enumerate(c.children))))
    lines += ["Copyright 2024 Bench Blog", ""]
    return "\n".join(lines)


def generate(out: Path, pages: int, seed: int, text_share: float) -> dict[str, object]:
    rng = random.Random(seed)
    pages_dir = out / "pages"
    pages_dir.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, object] = {"seed": seed, "pages": pages, "files": {}}
    files: dict[str, dict[str, int]] = manifest["files"]  # type: ignore[assignment]
    ids = [0]
    shown_total = unique_total = 0
    for i in range(pages):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))).capitalize()
        published = BASE + timedelta(hours=rng.randint(0, 24 * 600))
        article = [
            paragraph(rng, rng.randint(4, 7)) for _ in range(rng.randint(14, 18))
        ]  # ~1,500 words
        roots = build_tree(rng, comment_count(rng), published + timedelta(hours=1), ids)
        shown, unique = len(walk(roots)), unique_rows(roots)
        host = f"blog{i % 40}.bench.example"
        url = f"https://{host}/{published:%Y/%m}/post-{i}/"
        if rng.random() < text_share:
            name = f"page-{i:06d}.txt"
            (pages_dir / name).write_text(
                render_text(title, published, article, roots), encoding="utf-8"
            )
            (pages_dir / f"{name}.url").write_text(url + "\n", encoding="utf-8")
        else:
            name = f"page-{i:06d}.html"
            (pages_dir / name).write_text(
                render_html(title, url, published, article, roots), encoding="utf-8"
            )
        files[name] = {"shown": shown, "unique": unique}
        shown_total += shown
        unique_total += unique
    manifest["comments_shown"] = shown_total
    manifest["comments_unique"] = unique_total
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--text-share", type=float, default=0.3, help="share of text renderings")
    args = parser.parse_args()
    m = generate(args.out, args.pages, args.seed, args.text_share)
    shown, unique = m["comments_shown"], m["comments_unique"]
    print(f"{args.pages} pages, {shown} comments shown, {unique} unique -> {args.out}")


if __name__ == "__main__":
    main()
