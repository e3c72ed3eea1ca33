"""Garbage inputs give a reject row or an empty thread, never a crash."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq

from transforms.pipeline import process_batch
from transforms.sources import discover

SEEN = datetime(2026, 5, 1, tzinfo=UTC)


def test_garbage_inputs_are_quarantined(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "binary.bin").write_bytes(bytes(range(256)) * 40)
    (inputs / "empty.html").write_bytes(b"")
    (inputs / "blank.html").write_bytes(b"  \n\n ")
    (inputs / "utf16-garbage.txt").write_bytes(b"\xff\xfe" + b"\x00\xd8" * 10)  # lone surrogates
    (inputs / "no-comments.html").write_text(
        "<html><head><title>Quiet post</title></head><body><article><h1>Quiet post</h1>"
        "<p>Nobody commented on this.</p></article></body></html>"
    )
    refs, _ = discover([str(inputs)])
    (part,) = process_batch(refs, staging_dir=tmp_path / "st", run_id="r", batch_no=1, seen_at=SEEN)
    rejects = pq.read_table(Path(part.path) / "rejects.parquet").to_pylist()
    by_name = {Path(r["source_uri"]).name: r for r in rejects}
    assert set(by_name) == {"binary.bin", "empty.html", "blank.html", "utf16-garbage.txt"}
    for name, row in by_name.items():
        assert name in row["error"] or row["stage"] in ("decode", "parse"), row
        assert row["error"]
    threads = pq.read_table(Path(part.path) / "threads.parquet").to_pylist()
    assert [(t["title"], t["comment_count_parsed"]) for t in threads] == [("Quiet post", 0)]
    assert part.pages_read == 5 and part.pages_failed == 4


def test_unreadable_file_is_a_read_reject(tmp_path: Path) -> None:
    page = tmp_path / "gone.html"
    page.write_text("<html></html>")
    refs, _ = discover([str(page)])
    page.unlink()  # vanished between discovery and reading
    (part,) = process_batch(refs, staging_dir=tmp_path / "st", run_id="r", batch_no=1, seen_at=SEEN)
    (reject,) = pq.read_table(Path(part.path) / "rejects.parquet").to_pylist()
    assert reject["stage"] == "read" and "gone.html" in reject["error"] + reject["source_uri"]


def test_corpus_records_with_custom_fields_and_a_bad_record(tmp_path: Path) -> None:
    import json

    from transforms.sources import RecordFields

    page = (
        "Night buses return\\n\\nThe late routes run again from Monday.\\n\\n2 Comments\\n\\n"
        "  1. Finally, the walk home was long.\\n\\n  2. Which routes exactly?\\n"
    )
    records = tmp_path / "pages.jsonl"
    records.write_text(
        json.dumps(
            {"meta": {"link": "https://news.example/buses"}, "body": json.loads(f'"{page}"')}
        )
        + "\n{not json\n"
        + json.dumps({"meta": {"link": "https://news.example/empty"}, "body": ""})
        + "\n",
        encoding="utf-8",
    )
    refs, _ = discover([str(records)])
    fields = RecordFields(url="meta.link", text="body")
    (part,) = process_batch(
        refs, staging_dir=tmp_path / "st", run_id="r", batch_no=1, seen_at=SEEN, fields=fields
    )
    threads = pq.read_table(Path(part.path) / "threads.parquet").to_pylist()
    assert [(t["url"], t["comment_count_parsed"]) for t in threads] == [
        ("https://news.example/buses", 2)
    ]
    rejects = pq.read_table(Path(part.path) / "rejects.parquet").to_pylist()
    assert [r["source_uri"].rsplit("#", 1)[1] for r in rejects] == ["2", "3"]
    assert all(r["source_uri"].startswith(str(records)) for r in rejects)


def test_export_items_sharing_a_url_are_merged_not_lost(tmp_path: Path) -> None:
    item = """<item><title>{title}</title><link>https://bakery.example/?p=5</link>
      <wp:post_id>{pid}</wp:post_id><wp:status>draft</wp:status><wp:post_type>post</wp:post_type>
      <wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author>A{cid}</wp:comment_author>
      <wp:comment_content>note {cid}</wp:comment_content>
      <wp:comment_approved>1</wp:comment_approved>
      <wp:comment_parent>0</wp:comment_parent></wp:comment></item>"""
    export = tmp_path / "export.xml"
    export.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">'
        "<channel><title>B</title><link>https://bakery.example</link>"
        + item.format(title="One", pid=5, cid=1)
        + item.format(title="Two", pid=6, cid=2)
        + "</channel></rss>",
        encoding="utf-8",
    )
    refs, _ = discover([str(export)])
    (part,) = process_batch(refs, staging_dir=tmp_path / "st", run_id="r", batch_no=1, seen_at=SEEN)
    threads = pq.read_table(Path(part.path) / "threads.parquet").to_pylist()
    comments = pq.read_table(Path(part.path) / "comments.parquet").to_pylist()
    assert len(threads) == 1
    assert sorted(c["text"] for c in comments) == ["note 1", "note 2"]


def test_comment_pages_saved_as_separate_files_all_load_and_keep_their_sources(
    tmp_path: Path,
) -> None:
    """A thread's comment pages saved as two files (same canonical thread, different
    comments) in one batch: every comment of both loads, each with the file that showed it,
    and a later read of one file marks removed only what that file no longer shows."""
    from tests.fetch.pages import C, wp_page
    from transforms.load import RunInfo, commit_parts, connect

    post = "https://blog.example/2024/07/night-buses/"
    first = [C(i, f"user{i}", f"comment number {i}") for i in range(1, 4)]
    second = [C(i, f"user{i}", f"comment number {i}") for i in range(4, 7)]
    inputs = tmp_path / "in"
    inputs.mkdir()
    page1, page2 = inputs / "night-buses.html", inputs / "night-buses-comments-2.html"
    page1.write_text(wp_page("Night buses", first, canonical=post), encoding="utf-8")
    page2.write_text(
        wp_page("Night buses", second, canonical=post + "comment-page-2/"), encoding="utf-8"
    )
    con = connect(tmp_path / "t.duckdb")

    def run(run_id: str) -> dict[str, tuple[str, bool]]:
        refs, _ = discover([str(inputs)])
        parts = process_batch(
            refs, staging_dir=tmp_path / "st", run_id=run_id, batch_no=1, seen_at=SEEN
        )
        commit_parts(con, parts, RunInfo(run_id=run_id, started_at=SEEN, sources=[]))
        rows = con.execute("select author, source_uri, removed_at is not null from comments")
        return {a: (Path(s).name, removed) for a, s, removed in rows.fetchall()}

    assert run("r1") == {
        **{f"user{i}": (page1.name, False) for i in range(1, 4)},
        **{f"user{i}": (page2.name, False) for i in range(4, 7)},
    }
    page2.write_text(
        wp_page("Night buses", second[:2], canonical=post + "comment-page-2/"), encoding="utf-8"
    )
    after = run("r2")
    assert [a for a, (_, removed) in sorted(after.items()) if removed] == ["user6"]
    assert con.execute("select count(distinct thread_id) from comments").fetchone() == (1,)
    con.close()
