"""Re-running unchanged local files: not read again, only last_seen_at moves; changed files are."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from tests.conftest import SAMPLES
from tests.transforms.test_load import assert_sources_agree
from transforms.load import RunInfo, commit_parts, connect, file_fingerprints
from transforms.pipeline import process_batch
from transforms.sources import discover, split_unchanged

T0 = datetime(2026, 6, 1, tzinfo=UTC)


def ingest(inputs: Path, db: Path, run_id: str, seen: datetime, tmp: Path) -> tuple[int, object]:
    refs, _ = discover([str(inputs)])
    known = file_fingerprints(db)
    parts = process_batch(refs, staging_dir=tmp / "st", run_id=run_id, batch_no=1, seen_at=seen,
                          known=known)  # fmt: skip
    con = connect(db)
    try:
        counts = commit_parts(con, parts, RunInfo(run_id=run_id, started_at=seen, sources=[]))
    finally:
        con.close()
    return sum(p.threads for p in parts), counts


def snapshot(db: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select * exclude (last_seen_at, last_run_id) from comments order by comment_id"
        ).fetchall()
    finally:
        con.close()


def test_unchanged_files_are_skipped_and_changed_ones_reparsed(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    shutil.copytree(SAMPLES, inputs)
    (inputs / "junk.bin").write_bytes(b"\x00\x01" * 50)
    db = tmp_path / "t.duckdb"

    parsed, first = ingest(inputs, db, "r1", T0, tmp_path)
    assert parsed == 3 and first.comments_new > 0  # type: ignore[attr-defined]
    assert set(file_fingerprints(db)) == {
        str((inputs / n).resolve())
        for n in ("garden-blog.html", "harbour-news.txt", "bakery-export.wxr.xml")
    }
    before = snapshot(db)

    t1 = T0 + timedelta(hours=3)
    parsed, second = ingest(inputs, db, "r2", t1, tmp_path)
    assert parsed == 0  # nothing read or parsed again
    assert second.comments_new == second.comments_updated == 0  # type: ignore[attr-defined]
    assert second.comments_unchanged == first.comments_new  # type: ignore[attr-defined]
    assert second.rejects == 1  # type: ignore[attr-defined]  # the junk file, every run
    assert snapshot(db) == before
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select distinct last_seen_at from threads").fetchall() == [(t1,)]
    assert con.execute("select distinct last_seen_at from comments").fetchall() == [(t1,)]
    con.close()

    # edit the text page: a new reply appears; only that file is read again
    page = inputs / "harbour-news.txt"
    page.write_text(page.read_text().replace(
        "  3. Will the Saturday market",
        "       1. Yes, by the lifeboat station.\n\n  3. Will the Saturday market",
    ))  # fmt: skip
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 1_000_000_000))
    t2 = t1 + timedelta(hours=3)
    parsed, third = ingest(inputs, db, "r3", t2, tmp_path)
    assert parsed == 1
    assert third.comments_new == 1  # type: ignore[attr-defined]
    assert third.comments_unchanged == first.comments_new  # type: ignore[attr-defined]
    assert third.comments_updated == 0  # type: ignore[attr-defined]  # shifted, not edited
    con = duckdb.connect(str(db), read_only=True)
    positions = con.execute(
        "select list(position order by position) = range(count(*)::bigint) from comments "
        "where removed_at is null group by thread_id"
    ).fetchall()
    con.close()
    assert positions and all(ok for (ok,) in positions)  # page order renumbered, no gaps


def test_split_unchanged_needs_the_same_fingerprint(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    shutil.copytree(SAMPLES, inputs)
    db = tmp_path / "t.duckdb"
    ingest(inputs, db, "r1", T0, tmp_path)
    refs, _ = discover([str(inputs)])
    known = file_fingerprints(db)
    unchanged, rest = split_unchanged(refs, known)
    assert [r.uri for r in unchanged] == [r.uri for r in refs] and rest == []

    touched, gone = sorted(inputs.iterdir())[:2]
    os.utime(touched, ns=(0, touched.stat().st_mtime_ns + 1))  # same bytes, newer mtime
    gone.unlink()
    unchanged, rest = split_unchanged(refs, known)
    assert {r.uri for r in rest} == {str(touched), str(gone)}  # gone: its batch rejects it
    assert len(unchanged) == len(refs) - 2
    assert split_unchanged(refs, {}) == ([], refs)  # --force, or a first run


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert_sources_agree(con)
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _touch(path: Path, text: str) -> None:
    """Rewrite a file and move its modification time a second on (as an editor would)."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before, before + 1_000_000_000))


def test_a_thread_read_from_two_files_skips_both_when_unchanged(tmp_path: Path) -> None:
    """A thread whose comment pages were saved as two files: the re-run reads neither (each
    file's fingerprint is kept, not only the one committed last), and every comment of both
    is seen again."""
    from tests.fetch.pages import C, wp_page

    post = "https://blog.example/2024/07/night-buses/"
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "night-buses.html").write_text(
        wp_page("Night buses", [C(i, f"user{i}", f"comment {i}") for i in (1, 2)], canonical=post)
    )
    (inputs / "night-buses-2.html").write_text(
        wp_page(
            "Night buses",
            [C(i, f"user{i}", f"comment {i}") for i in (3, 4, 5)],
            canonical=post + "comment-page-2/",
        )
    )
    db = tmp_path / "t.duckdb"
    parsed, _ = ingest(inputs, db, "r1", T0, tmp_path)
    assert parsed == 2
    assert set(file_fingerprints(db)) == {str(p.resolve()) for p in inputs.iterdir()}
    assert _rows(
        db, "select count(distinct thread_id), count(*), sum(comment_count_parsed) "
        "from thread_sources where removed_at is null",
    ) == [(1, 2, 5)]  # fmt: skip
    assert _rows(db, "select sources from thread_summary") == [(2,)]

    t1 = T0 + timedelta(hours=1)
    parsed, counts = ingest(inputs, db, "r2", t1, tmp_path)
    assert parsed == 0
    assert counts.comments_unchanged == 5 and counts.comments_removed == 0  # type: ignore[attr-defined]
    assert _rows(db, "select distinct last_seen_at, removed_at from comments") == [(t1, None)]
    assert _rows(db, "select distinct last_seen_at from thread_sources") == [(t1,)]


def _wxr(posts: dict[int, list[str]]) -> str:
    """A WordPress export with one post per key, each with comments of the given texts."""
    items = []
    for post, texts in posts.items():
        comments = "".join(
            f"<wp:comment><wp:comment_id>{post * 100 + n}</wp:comment_id>"
            f"<wp:comment_author>reader{n}</wp:comment_author>"
            "<wp:comment_date_gmt>2024-02-10 11:20:00</wp:comment_date_gmt>"
            f"<wp:comment_content>{text}</wp:comment_content>"
            "<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent>"
            "</wp:comment>"
            for n, text in enumerate(texts, 1)
        )
        items.append(
            f"<item><title>Post {post}</title><link>https://shop-blog.example/p/{post}/</link>"
            f"<wp:post_id>{post}</wp:post_id><wp:status>publish</wp:status>"
            f"<wp:post_type>post</wp:post_type>{comments}</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Shop blog</title>'
        f"<link>https://shop-blog.example</link>{''.join(items)}</channel></rss>"
    )


def test_a_post_gone_from_an_export_is_retired_with_its_comments(tmp_path: Path) -> None:
    """An export read again without one of its posts: that post's source row is marked
    removed, and so are the comments the export showed for it; the export's other threads
    load as usual, and the next run skips the unchanged export."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    export = inputs / "shop.wxr.xml"
    export.write_text(_wxr({1: ["first", "second"], 2: ["only one"]}), encoding="utf-8")
    db = tmp_path / "t.duckdb"
    ingest(inputs, db, "r1", T0, tmp_path)

    _touch(export, _wxr({1: ["first", "second", "third"]}))  # post 2 deleted
    t1 = T0 + timedelta(hours=1)
    parsed, counts = ingest(inputs, db, "r2", t1, tmp_path)
    assert parsed == 1
    assert (counts.comments_new, counts.comments_removed) == (1, 1)  # type: ignore[attr-defined]
    assert _rows(
        db, "select t.title, s.removed_at from thread_sources as s join threads as t "
        "using (thread_id) order by 1",
    ) == [("Post 1", None), ("Post 2", t1)]  # fmt: skip
    assert _rows(db, "select title, sources from thread_summary order by 1") == [
        ("Post 1", 1), ("Post 2", 0),
    ]  # fmt: skip
    # no source gives post 2 any more: the thread is marked removed, never deleted
    assert _rows(db, "select title, removed_at from threads order by 1") == [
        ("Post 1", None), ("Post 2", t1),
    ]  # fmt: skip
    assert _rows(db, "select text from comments where removed_at is not null") == [("only one",)]
    assert _rows(db, "select comments_removed from runs where run_id = 'r2'") == [(1,)]

    t2 = t1 + timedelta(hours=1)
    parsed, counts = ingest(inputs, db, "r3", t2, tmp_path)
    assert parsed == 0  # the export is unchanged since its whole read
    assert (counts.comments_unchanged, counts.comments_removed) == (3, 0)  # type: ignore[attr-defined]
    assert _rows(db, "select text, last_seen_at from comments order by text") == [
        ("first", t2), ("only one", T0), ("second", t2), ("third", t2),
    ]  # fmt: skip

    # the post restored: the thread and its comment are back
    _touch(export, _wxr({1: ["first", "second", "third"], 2: ["only one"]}))
    t3 = t2 + timedelta(hours=1)
    ingest(inputs, db, "r4", t3, tmp_path)
    assert _rows(db, "select count(*) from threads where removed_at is not null") == [(0,)]
    assert _rows(db, "select count(*) from comments where removed_at is not null") == [(0,)]
    assert _rows(db, "select title, sources from thread_summary order by 1") == [
        ("Post 1", 1), ("Post 2", 1),
    ]  # fmt: skip


def test_a_corpus_file_unchanged_is_skipped_whole(tmp_path: Path) -> None:
    """A web-corpus file (one page per record, each its own source ``<file>#<n>``) is skipped
    as one file when unchanged, and every thread of its records is seen again."""
    import json

    from tests.fetch.pages import C, wp_page

    inputs = tmp_path / "in"
    inputs.mkdir()
    records = [
        {
            "url": f"https://news.example/story-{n}/",
            "html": wp_page(f"Story {n}", [C(1, "ann", f"remark on story {n}")]),
        }
        for n in (1, 2, 3)
    ]
    (inputs / "crawl.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    db = tmp_path / "t.duckdb"
    parsed, _ = ingest(inputs, db, "r1", T0, tmp_path)
    assert parsed == 3
    assert set(file_fingerprints(db)) == {str((inputs / "crawl.jsonl").resolve())}

    t1 = T0 + timedelta(hours=1)
    parsed, counts = ingest(inputs, db, "r2", t1, tmp_path)
    assert parsed == 0
    assert counts.threads == 3 and counts.comments_unchanged == 3  # type: ignore[attr-defined]
    assert _rows(db, "select distinct last_seen_at from threads") == [(t1,)]
    assert _rows(db, "select distinct last_seen_at from comments") == [(t1,)]


def test_an_export_emptied_of_every_post_retires_them_and_a_broken_one_does_not(
    tmp_path: Path,
) -> None:
    """An export read whole that gives no thread at all (every post deleted) retires what it
    gave before, with the comments. An export that cannot be read is a reject and retires
    nothing: a fault is not an answer."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    export = inputs / "shop.wxr.xml"
    export.write_text(_wxr({1: ["first"], 2: ["second"]}), encoding="utf-8")
    db = tmp_path / "t.duckdb"
    ingest(inputs, db, "r1", T0, tmp_path)

    _touch(export, _wxr({1: ["first"]}).replace("<rss", "<rss broken=", 1))  # not XML
    t1 = T0 + timedelta(hours=1)
    _, counts = ingest(inputs, db, "r2", t1, tmp_path)
    assert (counts.rejects, counts.comments_removed) == (1, 0)  # type: ignore[attr-defined]
    assert _rows(db, "select count(*) from thread_sources where removed_at is null") == [(2,)]

    _touch(export, _wxr({}))
    t2 = t1 + timedelta(hours=1)
    parsed, counts = ingest(inputs, db, "r3", t2, tmp_path)
    assert parsed == 0 and counts.comments_removed == 2  # type: ignore[attr-defined]
    assert _rows(db, "select distinct removed_at from thread_sources") == [(t2,)]
    assert _rows(db, "select distinct removed_at from comments") == [(t2,)]
    assert _rows(db, "select sum(sources) from thread_summary") == [(0,)]
    assert _rows(db, "select distinct removed_at, last_run_id from threads") == [(t2, "r3")]
