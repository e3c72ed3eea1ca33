"""Comment exports in ../shared/corpus (wxr/, disqus/, other/): a golden per file, plus the
counts read off each file by hand (threads, comments per thread, statuses, kinds, depth)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.golden import check_golden
from transforms.parse.registry import detect_format
from transforms.records import ParsedThread, RawPage


@dataclass(frozen=True)
class Expected:
    format: str
    threads: int
    per_thread: dict[str | None, int]  # comments per thread (native id), threads with comments
    statuses: dict[str, int]
    kinds: dict[str, int]
    max_depth: int  # 0 = all top level
    orphans: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)  # substrings some thread note has


REMARK42_REPAIRS = (
    "not well-formed XML",
    "removed 1 stray character(s) before the XML start: '`'",
    "quoted 1 unquoted attribute value(s): line 147: dsq:id=247937687",
    "post x299986073: isSpam '123' is not a boolean",
    "post x299986073: unreadable createdAt '2011-x09-30T22:48:43Z'",
    "post without dsq:id: keyed by its <id> 12345678890",
    "thread is closed",
)

# Read off the files: comment_parent chains, comment_approved and comment_type values,
# isDeleted/isSpam flags, parentHex links. Zero-comment threads are the published posts/pages.
EXPECTED: dict[str, Expected] = {
    "wxr/themeunittestdata.wordpress.xml": Expected(
        "wxr",
        threads=77,  # 70 published posts/pages without comments + 7 with
        per_thread={"51": 1, "155": 4, "703": 1, "1148": 20, "1149": 5, "1168": 1, "1170": 1},
        statuses={"approved": 30, "pending": 3},
        kinds={"comment": 29, "trackback": 2, "pingback": 2},
        max_depth=9,  # "Comment Depth 10"
    ),
    "wxr/64-block-test-data.xml": Expected(
        "wxr",
        threads=62,
        per_thread={"261": 2},
        statuses={"approved": 2},
        kinds={"comment": 2},
        max_depth=1,
    ),
    "wxr/isso.wordpress.xml": Expected(
        "wxr",
        threads=3,  # the second and third items have no post_id
        per_thread={"18": 7, None: 1},
        statuses={"approved": 8},
        kinds={"comment": 8},
        max_depth=2,
    ),
    "wxr/pelican.wordpressexport.xml": Expected(
        "wxr",
        threads=9,
        per_thread={"422": 4},
        statuses={"approved": 3, "trash": 1},
        kinds={"comment": 3, "pingback": 1},
        max_depth=1,
        orphans=1,  # comment 122 replies to 121, which is not in the export
        notes=("reply to a comment missing from the export", "same link (post_id 175)"),
    ),
    "wxr/wordpress-importer.a11y-unit-test-data.xml": Expected(
        "wxr",
        threads=63,
        per_thread={"156": 3, "1148": 19, "1149": 5, "1168": 1, "1170": 1},
        statuses={"approved": 29},  # comment 167 has no comment_approved at all
        kinds={"comment": 25, "pingback": 4},
        max_depth=9,
        notes=("1 comment(s) without comment_approved: taken as approved",),
    ),
    "wxr/wordpress-importer.valid-wxr-1.1.xml": Expected(
        "wxr",
        threads=2,
        per_thread={"1": 1},
        statuses={"approved": 1},
        kinds={"comment": 1},
        max_depth=0,
    ),
    "disqus/isso.disqus.xml": Expected(
        "disqus",
        threads=3,  # thread 3 has neither link nor posts; post 6 names missing thread 1337
        per_thread={"2": 4, "7": 1, "1337": 1},
        statuses={"approved": 5, "deleted": 1},
        kinds={"comment": 6},
        max_depth=1,
        notes=("thread 1337 is not in the export",),
    ),
    "disqus/remark42.disqus.xml": Expected(
        "disqus",
        threads=2,
        per_thread={"247918464": 2, "247937687": 4},
        statuses={"approved": 5, "spam": 1},
        kinds={"comment": 6},
        max_depth=0,
        notes=REMARK42_REPAIRS,
    ),
    "disqus/remark42.disqus-deleted-post.xml": Expected(
        "disqus",
        threads=2,
        per_thread={"247918464": 2, "247937687": 4},
        statuses={"approved": 4, "deleted": 1, "spam": 1},
        kinds={"comment": 6},
        max_depth=0,
        notes=REMARK42_REPAIRS,
    ),
    "disqus/remark42.disqus-deleted-thread.xml": Expected(
        "disqus",
        threads=2,
        per_thread={"247918464": 2, "247937687": 4},
        statuses={"approved": 5, "spam": 1},
        kinds={"comment": 6},
        max_depth=0,
        notes=(*REMARK42_REPAIRS, "thread is deleted in Disqus"),
    ),
    "other/remark42.migrator.commento.json": Expected(
        "json-export",
        threads=2,
        per_thread={"/blog/post/2": 1, "/blog/post/1": 2},
        statuses={"approved": 3},
        kinds={"comment": 3},
        max_depth=1,
    ),
    "other/remark42.api.commento.json": Expected(
        "json-export",
        threads=1,
        per_thread={"/example": 7},
        statuses={"approved": 7},
        kinds={"comment": 7},
        max_depth=1,
    ),
    "other/isso.generic.json": Expected(
        "json-export",
        threads=2,
        per_thread={"/posts/0001/": 1, "/posts/0007/": 1},
        statuses={"approved": 2},
        kinds={"comment": 2},
        max_depth=0,
        notes=("title was URL-encoded",),
    ),
}


def _parse(corpus_dir: Path, name: str) -> tuple[str, list[ParsedThread]]:
    path = corpus_dir / name
    page = RawPage(source_uri=str(path), content=path.read_bytes())
    fmt = detect_format(page)
    return fmt.name, fmt.parse(page)


def test_every_export_in_the_corpus_is_covered(corpus_dir: Path) -> None:
    on_disk = {
        f"{folder}/{p.name}"
        for folder in ("wxr", "disqus", "other")
        for p in (corpus_dir / folder).iterdir()
    }
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_export_counts(corpus_dir: Path, name: str) -> None:
    expected = EXPECTED[name]
    format_name, threads = _parse(corpus_dir, name)
    assert format_name == expected.format
    assert len(threads) == expected.threads
    with_comments = {t.native_id: len(t.comments) for t in threads if t.comments}
    assert with_comments == expected.per_thread
    comments = [c for t in threads for c in t.comments]
    assert Counter(c.status for c in comments) == Counter(expected.statuses)
    assert Counter(c.kind for c in comments) == Counter(expected.kinds)
    assert max((c.depth for c in comments), default=0) == expected.max_depth
    assert sum(c.orphan for c in comments) == expected.orphans
    notes = " | ".join(n for t in threads for n in t.notes)
    for wanted in expected.notes:
        assert wanted in notes


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_export_tree_contract(corpus_dir: Path, name: str) -> None:
    """Parents precede replies, depth follows the parent chain, orphans sit at top level."""
    _, threads = _parse(corpus_dir, name)
    for thread in threads:
        for index, comment in enumerate(thread.comments):
            if comment.parent is None:
                assert comment.depth == 0
            else:
                assert 0 <= comment.parent < index
                assert comment.depth == thread.comments[comment.parent].depth + 1
                assert not comment.orphan


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_export_golden(corpus_dir: Path, name: str) -> None:
    _, threads = _parse(corpus_dir, name)
    check_golden("exports", Path(name).stem, threads)
