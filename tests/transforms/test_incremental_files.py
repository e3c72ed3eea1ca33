"""Re-running unchanged local files: not read again, only last_seen_at moves; changed files are."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from tests.conftest import SAMPLES
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
